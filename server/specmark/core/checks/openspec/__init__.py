"""The `openspec-*` rules: OpenSpec's own validation (`openspec validate --strict`) of capability
specs, delta specs and proposals. The rules are applied per document by core/openspec.py; each
module here names one code, its default severity and summary (for `specmark rules`, the
configuration and docs/rules/); their `check` in the registry is `check` here."""


def check(ctx: object) -> tuple[()]:
    """Nothing per spec: the openspec rules are reported per document by
    core.openspec.check_documents."""
    return ()

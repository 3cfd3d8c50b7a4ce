"""malformed-reference: a reference token that is neither an ID, a range nor known free text.

Without a requirements document (or one that defines no requirement) there is nothing a
reference could trace to, so free text is not judged: such a spec may cite its requirements
by name, and specmark cannot tell a name from a mistake (unknown-requirement is silent there
too). Placeholders are placeholder-requirements' business either way."""

from __future__ import annotations

from ..model import Finding, RefKind, Severity
from ..refs import is_placeholder

CODE = "malformed-reference"
DEFAULT = Severity.WARNING
SUMMARY = "A reference token is neither a requirement ID, a range nor 'All'."


def check(ctx):
    req_doc = ctx.requirements
    if req_doc is None or not req_doc.requirements:
        return
    malformed = RefKind.MALFORMED
    for path, who, refs, _task in ctx.citing():
        for ref in refs:
            for item in ref.items:
                if item.kind is malformed and not is_placeholder(item.text):
                    yield Finding(
                        CODE,
                        path,
                        item.span,
                        f"{who}: {item.text!r} is not a requirement ID; write IDs such as `1.2`, "
                        f"ranges such as `1.1-1.4`, or `All`",
                    )

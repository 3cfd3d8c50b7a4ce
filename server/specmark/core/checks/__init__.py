"""The checks, one module per code; `RULES` maps each code to its `Rule`, `CODES` is the set of codes.

A check is a function `check(ctx: CheckContext) -> Iterable[Finding]`; the runner applies
the configured severity (or drops the finding when the code is "off"). To add a rule: add a
module here with CODE, DEFAULT (a Severity), SUMMARY and `check`, list it in `_load`, add its
code to core/codes.py (what settings are validated against), and document it in
docs/rules/<code>.md. The opt-in wording family lives in `wording/` and the OpenSpec rules in
`openspec/`: their modules name CODE, DEFAULT and SUMMARY only, the family gives the check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from ..model import (
    Finding,
    Flavor,
    Record,
    RefKind,
    RefLine,
    RequirementsDoc,
    Severity,
    Task,
    TasksDoc,
    factory,
)

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from ..config import Config
    from ..coverage import Coverage, Resolver
    from ..design import DesignDoc

DOCS_BASE = "https://github.com/specmark/specmark/blob/main/docs/rules/"


class CheckContext(Record):
    config: Config
    flavor: str
    tasks: list[TasksDoc]
    requirements: RequirementsDoc | None
    resolver: Resolver
    coverage: dict[str, Coverage] = factory(dict)
    design: list[DesignDoc] = factory(list)  # design.md's requirement references (reference checks only)
    _unusual: list[tuple[str, str, list[RefLine], Task | None]] | None = None  # unusual_citing's answer

    def citing(self) -> Iterator[tuple[str, str, Sequence[RefLine], Task | None]]:
        """(path, who, reference lines, task or None) of everything that cites requirements:
        each task with reference lines (who: "Task 2.1"), then each design document ("design.md")."""
        for doc in self.tasks:
            for task in doc.tasks:
                if task.refs:
                    yield doc.path, task.label, task.refs, task
        for design in self.design:
            if design.refs:
                yield design.path, design.label, design.refs, None

    def unusual_citing(self) -> list[tuple[str, str, list[RefLine], Task | None]]:
        """citing(), keeping only the reference lines that list a placeholder or a malformed
        item, and only the citers left with one: all that placeholder-requirements and
        malformed-reference look at (most lines list plain IDs). Walked once for both."""
        if self._unusual is None:
            out: list[tuple[str, str, list[RefLine], Task | None]] = []
            for doc in self.tasks:
                for task in doc.tasks:
                    if task.refs:
                        odd = [ref for ref in task.refs if _unusual(ref)]
                        if odd:
                            out.append((doc.path, task.label, odd, task))
            for design in self.design:
                odd = [ref for ref in design.refs if _unusual(ref)]
                if odd:
                    out.append((design.path, design.label, odd, None))
            self._unusual = out
        return self._unusual

    @property
    def require_mode(self) -> str:
        if self.config.require_references:
            return self.config.require_references
        if self.flavor == Flavor.SPEC_KIT:
            return "story"
        return "none" if self.flavor == Flavor.OPENSPEC else "leaf"


_MALFORMED = RefKind.MALFORMED


def _unusual(ref: RefLine) -> bool:
    """Whether a reference line lists a placeholder or a malformed item."""
    if ref.placeholder is not None:
        return True
    for item in ref.items:
        if item.kind is _MALFORMED:
            return True
    return False


class Rule(Record, frozen=True):
    code: str
    default: Severity
    summary: str
    check: Callable[[CheckContext], Iterable[Finding]]

    @property
    def url(self) -> str:
        return f"{DOCS_BASE}{self.code}.md"


def _load() -> dict[str, Rule]:
    from . import (
        dependency_cycle,
        dependency_not_done,
        duplicate_requirement_id,
        duplicate_task_id,
        graph_mismatch,
        invalid_checkbox,
        malformed_reference,
        missing_requirements,
        placeholder_requirements,
        status_mismatch,
        task_order,
        uncovered_requirement,
        unknown_dependency,
        unknown_requirement,
        unrecognised_requirements,
    )

    modules = (
        missing_requirements,
        placeholder_requirements,
        unknown_requirement,
        malformed_reference,
        duplicate_task_id,
        task_order,
        status_mismatch,
        invalid_checkbox,
        uncovered_requirement,
        duplicate_requirement_id,
        unrecognised_requirements,
        unknown_dependency,
        dependency_cycle,
        dependency_not_done,
        graph_mismatch,
    )
    from .wording import (
        compound,
        ears_pattern,
        escape_clause,
        negative,
        no_modal,
        open_ended,
        pronoun,
        tbd,
        unbounded,
        vague,
    )

    wording = (
        no_modal,
        ears_pattern,
        vague,
        escape_clause,
        open_ended,
        compound,
        unbounded,
        pronoun,
        tbd,
        negative,
    )
    for m in wording:
        OPT_IN[m.CODE] = m.IN_FAMILY
    from .openspec import (
        delta_target,
        duplicate_requirement,
        no_deltas,
        proposal,
        purpose,
        rename,
        requirement_length,
        scenario,
        shall,
        structure,
        task_numbering,
    )

    openspec = (
        structure,
        scenario,
        shall,
        duplicate_requirement,
        rename,
        delta_target,
        purpose,
        no_deltas,
        task_numbering,
        requirement_length,
        proposal,
    )
    for m in openspec:
        if getattr(m, "OPT_IN", False):
            OPT_IN[m.CODE] = False  # on only when selected or given a severity
    from .openspec import check as per_document
    from .wording import rule_check

    dependencies = (unknown_dependency, dependency_cycle, dependency_not_done, graph_mismatch)
    rules = [
        Rule(m.CODE, m.DEFAULT, m.SUMMARY, _with_dependencies(m.check) if m in dependencies else m.check)
        for m in modules
    ]
    rules += [Rule(m.CODE, m.DEFAULT, m.SUMMARY, rule_check(m.CODE)) for m in wording]
    rules += [Rule(m.CODE, m.DEFAULT, m.SUMMARY, per_document) for m in openspec]
    return {r.code: r for r in rules}


def _with_dependencies(
    check: Callable[[CheckContext], Iterable[Finding]],
) -> Callable[[CheckContext], Iterable[Finding]]:
    """An execution-order check, run only when a tasks document has something core/deps.py
    reads (`_Depends:` lines, a dependency-graph section): without, it has nothing to report,
    and `specmark check` does not import deps.py."""

    def run(ctx: CheckContext) -> Iterable[Finding]:
        if not _has_dependencies(ctx):
            return ()
        return check(ctx)

    return run


# (context, whether a tasks document of it has dependencies): the last context asked, so the
# four execution-order checks of one run_rules look at its documents once
_DEPENDENCIES: tuple[CheckContext | None, bool] = (None, False)


def _has_dependencies(ctx: CheckContext) -> bool:
    global _DEPENDENCIES
    last = _DEPENDENCIES
    if last[0] is ctx:
        return last[1]
    from ..tasks import has_dependencies

    answer = any(has_dependencies(doc) for doc in ctx.tasks)
    _DEPENDENCIES = (ctx, answer)
    return answer


# opt-in rules (the wording family, openspec-proposal): code → whether `wording = true` turns it
# on. They run only when selected by code or family, given a severity, or turned on as a family.
OPT_IN: dict[str, bool] = {}
RULES: dict[str, Rule] = _load()
CODES = frozenset(RULES)  # the same set as core/codes.py's (tests/core/test_rule_docs.py)
FAMILIES = {
    "wording": frozenset(c for c in RULES if c.startswith("wording-")),
    "openspec": frozenset(c for c in RULES if c.startswith("openspec-")),
}


def expand_codes(codes: Iterable[str]) -> list[str]:
    """Codes with family names (`wording`) replaced by their codes."""
    out: list[str] = []
    for code in codes:
        out.extend(sorted(FAMILIES[code]) if code in FAMILIES else [code])
    return out


def enabled(code: str, config: Config, selected: bool = False) -> bool:
    """Whether an opt-in rule runs: selected by name, given a severity, or on with its family."""
    if code not in OPT_IN or selected or code in config.severity:
        return True
    return config.wording and OPT_IN[code]


def run_checks(
    ctx: CheckContext,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    within: Iterable[str] | None = None,
) -> list[Finding]:
    """The findings of the rules the user selected (`select`/`ignore`: codes or family names, as
    `specmark check --select` takes them; selecting an opt-in rule turns it on), among the codes
    `within` (the server's partition of the rules: per block, spec-wide, design)."""
    return run_rules(ctx, active_rules(ctx.config, select, ignore, within))


def active_rules(
    config: Config,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    within: Iterable[str] | None = None,
) -> list[tuple[Rule, Severity]]:
    """The rules run_checks runs (arguments as there), with their severities: for a caller
    that runs the same rules over many documents (the server's blocks of tasks.md). Without
    `within`, the answer for the last configuration (by identity: a Config is frozen) and
    codes asked is kept: `specmark check` asks again for each spec."""
    global _ACTIVE
    chosen_codes = tuple(select) if select else None
    ignored = tuple(ignore)
    if within is None:
        last = _ACTIVE
        if last[0] is config and last[1] == chosen_codes and last[2] == ignored:
            return list(last[3])
    out = _active_rules(config, chosen_codes, ignored, within)
    if within is None:
        _ACTIVE = (config, chosen_codes, ignored, out)
        return list(out)
    return out


# (configuration, codes selected, codes ignored, the rules active_rules gave): its last answer
_ACTIVE: tuple[Config | None, tuple[str, ...] | None, tuple[str, ...], list[tuple[Rule, Severity]]] = (
    None,
    None,
    (),
    [],
)


def _active_rules(
    config: Config,
    chosen_codes: tuple[str, ...] | None,
    ignore: tuple[str, ...],
    within: Iterable[str] | None,
) -> list[tuple[Rule, Severity]]:
    chosen = set(expand_codes(chosen_codes)) if chosen_codes is not None else None
    wanted = chosen if chosen is not None else set(RULES)
    wanted -= set(expand_codes(ignore))
    if within is not None:
        wanted &= set(within)
    out: list[tuple[Rule, Severity]] = []
    for code, rule in RULES.items():
        if code not in wanted or not enabled(code, config, chosen is not None):
            continue
        severity = config.severity_of(code, rule.default)
        if severity is not None:
            out.append((rule, severity))
    return out


def run_rules(ctx: CheckContext, rules: Iterable[tuple[Rule, Severity]]) -> list[Finding]:
    """The findings of `rules` (from active_rules) over `ctx`, sorted."""
    global _DEPENDENCIES
    out: list[Finding] = []
    try:
        for rule, severity in rules:
            for finding in rule.check(ctx):
                out.append(finding if finding.severity is severity else finding._replace(severity=severity))
    finally:
        _DEPENDENCIES = (None, False)  # the context's documents are not kept alive
    out.sort(key=Finding.sort_key)
    return out

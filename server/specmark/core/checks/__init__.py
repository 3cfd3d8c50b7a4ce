"""The checks, one module per code. `CODES` maps each code to its module.

A check is a function `check(ctx: CheckContext) -> Iterable[Finding]`; the runner applies
the configured severity (or drops the finding when the code is "off"). To add a rule: add a
module here with CODE, DEFAULT (a Severity), SUMMARY and `check`, list it in `_MODULES`,
and document it in docs/rules/<code>.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..config import Config
from ..coverage import Coverage, Resolver
from ..model import _FACTORY, Finding, RequirementsDoc, Severity, TasksDoc, _Frozen, _Record, _set

DOCS_BASE = "https://github.com/specmark/specmark/blob/main/docs/rules/"


class CheckContext(_Record):
    config: Config
    flavor: str
    tasks: list[TasksDoc]
    requirements: RequirementsDoc | None
    resolver: Resolver
    coverage: dict[str, Coverage]
    design: list  # DesignDoc: design.md's requirement references (reference checks only)
    _fields = ("config", "flavor", "tasks", "requirements", "resolver", "coverage", "design")

    def __init__(
        self, config, flavor, tasks, requirements, resolver, coverage=_FACTORY, design=_FACTORY
    ) -> None:
        self.config = config
        self.flavor = flavor
        self.tasks = tasks
        self.requirements = requirements
        self.resolver = resolver
        self.coverage = dict() if coverage is _FACTORY else coverage
        self.design = list() if design is _FACTORY else design

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.config,
                self.flavor,
                self.tasks,
                self.requirements,
                self.resolver,
                self.coverage,
                self.design,
            ) == (
                other.config,
                other.flavor,
                other.tasks,
                other.requirements,
                other.resolver,
                other.coverage,
                other.design,
            )
        return NotImplemented

    def citing(self):
        """(path, who, reference lines, task or None) of everything that cites requirements:
        each task with reference lines (who: "Task 2.1"), then each design document ("design.md")."""
        for doc in self.tasks:
            for task in doc.tasks:
                if task.refs:
                    yield doc.path, task.label, task.refs, task
        for doc in self.design:
            if doc.refs:
                yield doc.path, doc.label, doc.refs, None

    @property
    def require_mode(self) -> str:
        if self.config.require_references:
            return self.config.require_references
        return {"spec-kit": "story", "openspec": "none"}.get(self.flavor, "leaf")


class Rule(_Frozen):
    code: str
    default: Severity
    summary: str
    check: Callable[[CheckContext], Iterable[Finding]]
    _fields = ("code", "default", "summary", "check")

    def __init__(self, code, default, summary, check) -> None:
        _set(self, "code", code)
        _set(self, "default", default)
        _set(self, "summary", summary)
        _set(self, "check", check)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.code, self.default, self.summary, self.check) == (
                other.code,
                other.default,
                other.summary,
                other.check,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.code, self.default, self.summary, self.check))

    @property
    def url(self) -> str:
        return f"{DOCS_BASE}{self.code}.md"


def _load() -> dict[str, Rule]:
    from . import (
        duplicate_requirement_id,
        duplicate_task_id,
        invalid_checkbox,
        malformed_reference,
        missing_requirements,
        placeholder_requirements,
        status_mismatch,
        task_order,
        uncovered_requirement,
        unknown_requirement,
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
    )
    return {m.CODE: Rule(m.CODE, m.DEFAULT, m.SUMMARY, m.check) for m in modules}


RULES: dict[str, Rule] = _load()
CODES = frozenset(RULES)


def run_checks(
    ctx: CheckContext, select: Iterable[str] | None = None, ignore: Iterable[str] = ()
) -> list[Finding]:
    wanted = set(select) if select else set(RULES)
    wanted -= set(ignore)
    out: list[Finding] = []
    for code, rule in RULES.items():
        if code not in wanted:
            continue
        severity = ctx.config.severity_of(code, rule.default)
        if severity is None:
            continue
        for finding in rule.check(ctx):
            out.append(finding._replace(severity=severity))
    out.sort(key=Finding.sort_key)
    return out

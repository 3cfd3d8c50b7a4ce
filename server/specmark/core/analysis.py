"""Analysing one spec: parse its documents (memoised by text), resolve references, run checks."""

from __future__ import annotations

from functools import lru_cache

from .checks import CheckContext, run_checks
from .config import Config
from .coverage import Coverage, Resolver, compute_coverage
from .model import Finding, Flavor, Record, RequirementsDoc, Status, TasksDoc, factory
from .requirements import parse_requirements
from .tasks import parse_tasks

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterable

    from .design import DesignDoc


@lru_cache(maxsize=64)
def effective_config(config: Config, flavor: str) -> Config:
    """Per-convention defaults: spec-workflow reads `[~]` as blocked (unless configured)."""
    if (
        flavor == Flavor.SPEC_WORKFLOW
        and config.status_glyphs.get("~") is Status.QUEUED
        and "~" not in config.explicit_glyphs
    ):
        glyphs = dict(config.status_glyphs)
        glyphs["~"] = Status.BLOCKED
        return config._replace(status_glyphs=glyphs)
    return config


@lru_cache(maxsize=256)
def parse_tasks_cached(text: str, path: str, config: Config, flavor: str) -> TasksDoc:
    """parse_tasks, memoised by text (share the result: do not change it)."""
    return parse_tasks(text, path, config, flavor)


@lru_cache(maxsize=256)
def _parse_requirements_cached(text: str, path: str, flavor: str) -> RequirementsDoc:
    return parse_requirements(text, path, flavor)


def detect_flavor(flavor: str, tasks_docs: list[TasksDoc], req_path: str | None) -> str:
    """spec-kit is recognised by its spec.md or by T001-style task IDs."""
    if flavor != Flavor.KIRO:
        return flavor
    if req_path and req_path.endswith("spec.md"):
        return Flavor.SPEC_KIT
    if any(t.id and t.id[0] == "T" for doc in tasks_docs for t in doc.tasks[:50]):
        return Flavor.SPEC_KIT
    return flavor


class SpecResult(Record):
    flavor: str
    tasks: list[TasksDoc]
    requirements: RequirementsDoc | None
    resolver: Resolver
    coverage: dict[str, Coverage]
    findings: list[Finding] = factory(list)
    design: DesignDoc | None = None  # design.md's references, if the spec has one

    def findings_for(self, path: str) -> list[Finding]:
        return [f for f in self.findings if f.path == path]


def analyze(
    tasks_texts: dict[str, str],
    requirements: tuple[str, str] | None,
    config: Config | None = None,
    flavor: str = Flavor.KIRO,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    design: tuple[str, str] | None = None,
) -> SpecResult:
    """Analyse one spec from texts: `tasks_texts` maps path → text; `requirements` and
    `design` are (path, text)."""
    config = config or Config()
    cfg = effective_config(config, flavor)
    tasks_docs = [parse_tasks_cached(text, path, cfg, flavor) for path, text in tasks_texts.items()]
    req_doc = _parse_requirements_cached(requirements[1], requirements[0], flavor) if requirements else None
    design_doc = None
    if design is not None:
        from .design import parse_design

        design_doc = parse_design(design[1], design[0], config.reference_labels)
    return analyze_docs(tasks_docs, req_doc, config, flavor, select, ignore, design_doc)


def analyze_docs(
    tasks_docs: list[TasksDoc],
    req_doc: RequirementsDoc | None,
    config: Config,
    flavor: str = Flavor.KIRO,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    design_doc: DesignDoc | None = None,
) -> SpecResult:
    """Analyse one spec from parsed documents (the server parses per document version);
    `design_doc` (a DesignDoc) adds design.md's references to the reference checks."""
    flavor = detect_flavor(flavor, tasks_docs, req_doc.path if req_doc else None)
    cfg = effective_config(config, flavor)
    resolver = Resolver(req_doc)
    coverage = compute_coverage(tasks_docs, resolver)
    ctx = CheckContext(
        cfg, flavor, tasks_docs, req_doc, resolver, coverage, [design_doc] if design_doc else []
    )
    findings = run_checks(ctx, select, ignore)
    return SpecResult(flavor, tasks_docs, req_doc, resolver, coverage, findings, design_doc)

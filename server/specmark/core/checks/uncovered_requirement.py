"""uncovered-requirement: a requirement or criterion that no task references."""

from __future__ import annotations

from ..model import Finding, RequirementKind, Severity

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterator

    from . import CheckContext

CODE = "uncovered-requirement"
DEFAULT = Severity.WARNING
SUMMARY = "A requirement or acceptance criterion is not referenced by any task."


def check(ctx: CheckContext) -> Iterator[Finding]:
    req_doc = ctx.requirements
    if req_doc is None or not (ctx.tasks or ctx.coverage):
        return  # no tasks document (the coverage has one entry per tasks document)
    merged_ids: set[str] = set()
    whole = False
    for cov in ctx.coverage.values():
        merged_ids.update(cov.by_id)
        whole = whole or bool(cov.whole_spec)
    if whole:
        return
    explicit_kinds = {"requirement", "story", "bugfix-group"}
    # spec-kit FR/SC items are only checked when some task cites them explicitly
    has_fr_sc = any(
        r.kind in (RequirementKind.FUNCTIONAL, RequirementKind.SUCCESS) for r in req_doc.requirements
    )
    if has_fr_sc and any(i.startswith(("FR-", "SC-")) for i in merged_ids):
        explicit_kinds |= {"functional", "success"}
    for req in req_doc.requirements:
        if req.kind not in explicit_kinds:
            continue
        if req.id in merged_ids:
            continue
        missing = [c for c in req.criteria if c.id not in merged_ids]
        if req.criteria and len(missing) < len(req.criteria):
            for c in missing:
                yield Finding(
                    CODE,
                    req_doc.path,
                    c.span,
                    f"Criterion {c.id} is not covered by any task; reference it from a task's _Requirements:_ line",
                    data={"id": c.id},
                )
            continue
        what = "User story" if req.kind == RequirementKind.STORY else "Requirement"
        title = f" ({req.title})" if req.title else ""
        yield Finding(
            CODE,
            req_doc.path,
            req.id_span if req.id_span.end_col > req.id_span.col else req.span,
            f"{what} {req.id}{title} is not covered by any task; reference it (or its criteria) from tasks.md",
            data={"id": req.id},
        )

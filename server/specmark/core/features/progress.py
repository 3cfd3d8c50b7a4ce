"""Plan progress and requirement coverage of a spec (status command, code lens, status bar)."""

from __future__ import annotations

from ..analysis import SpecResult
from ..coverage import Coverage
from ..model import Record, RequirementKind, RequirementsDoc, Status, Task, TasksDoc, factory

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from typing import Any


class Plan(Record, frozen=True):
    """What `spec_progress` reads of a spec, when no full analysis (SpecResult) is at hand:
    the tasks documents (a document may come in parts, e.g. the server's incremental blocks:
    progress only counts tasks by path), the coverage per tasks path, the requirements."""

    tasks: list[TasksDoc]
    coverage: dict[str, Coverage]
    requirements: RequirementsDoc | None


class Progress(Record):
    total: int = 0
    done: int = 0
    in_progress: int = 0
    queued: int = 0
    blocked: int = 0
    open: int = 0
    units_total: int = 0  # criteria (or requirements without criteria)
    units_covered: int = 0
    uncovered: list[str] = factory(list)
    has_requirements: bool = False
    # the ready set (core/deps.py), filled by `with_ready` (specmark status), else None
    ready: list[dict[str, Any]] | None = None  # {"id", "title", "path", "line"} of each unit ready now
    waiting: list[dict[str, Any]] | None = (
        None  # {"id", "title", "path", "line", "blockedBy": [{"id", "why"}]}
    )
    order: str | None = None  # "dependencies" or "plan order": what decided

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "done": self.done,
            "inProgress": self.in_progress,
            "queued": self.queued,
            "blocked": self.blocked,
            "open": self.open,
            "criteriaTotal": self.units_total,
            "criteriaCovered": self.units_covered,
            "uncovered": self.uncovered,
            "hasRequirements": self.has_requirements,
            **(
                {"readyNow": self.ready, "waiting": self.waiting, "order": self.order}
                if self.ready is not None
                else {}
            ),
        }


def covered_ids(result: SpecResult | Plan) -> tuple[set[str], bool]:
    ids: set[str] = set()
    whole = False
    for cov in result.coverage.values():
        ids.update(cov.by_id)
        whole = whole or bool(cov.whole_spec)
    return ids, whole


def spec_progress(result: SpecResult | Plan, tasks_path: str | None = None) -> Progress:
    p = Progress()
    for doc in result.tasks:
        if tasks_path and doc.path != tasks_path:
            continue
        for t in doc.tasks:
            if t.status is None:
                continue
            p.total += 1
            if t.status is Status.DONE:
                p.done += 1
            elif t.status is Status.IN_PROGRESS:
                p.in_progress += 1
            elif t.status is Status.QUEUED:
                p.queued += 1
            elif t.status is Status.BLOCKED:
                p.blocked += 1
            else:
                p.open += 1
    req = result.requirements
    if req is not None and req.requirements:
        p.has_requirements = True
        ids, whole = covered_ids(result)
        explicit_fr = any(i.startswith(("FR-", "SC-")) for i in ids)
        for r in req.requirements:
            if r.kind in (RequirementKind.FUNCTIONAL, RequirementKind.SUCCESS) and not explicit_fr:
                continue
            units = [c.id for c in r.criteria] or [r.id]
            for u in units:
                p.units_total += 1
                if whole or u in ids or r.id in ids:
                    p.units_covered += 1
                else:
                    p.uncovered.append(u)
    return p


def with_ready(p: Progress, result: SpecResult) -> Progress:
    """`p` with the spec's ready set: the units of work ready now and the blocked ones, in plan
    order, each with what blocks it (core.deps.ready_set)."""
    from ..deps import ready_set

    rs = ready_set(result.tasks)

    def entry(doc: TasksDoc, task: Task) -> dict[str, Any]:
        return {"id": task.id, "title": task.title, "path": doc.path, "line": task.line + 1}

    p.ready = [entry(d, t) for d, t in rs.ready]
    p.waiting = [
        {**entry(d, t), "blockedBy": [{"id": b.id or None, "why": b.why} for b in bs]}
        for d, t, bs in rs.blocked
    ]
    p.order = rs.mode
    return p


def bar(done: int, total: int, width: int = 20) -> str:
    if total <= 0:
        return "[" + "·" * width + "]"
    filled = round(width * done / total)
    return "[" + "#" * filled + "·" * (width - filled) + "]"

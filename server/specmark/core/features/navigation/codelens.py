"""Code lenses.

- tasks document, first line: the plan's progress and requirement coverage
  ("24/40 tasks done · 31/33 criteria covered");
- each top-level task with sub-tasks: "3/5 done";
- when the plan declares its order (`_Depends:`, dependency-graph waves), each open unit of
  work: "ready" or "waits for 2.3, 4.1" (core/deps.py's ready set);
- requirements document, each requirement: "covered by 3 tasks (2 done)" or "not covered";
  its `locations` are the covering tasks (the editor lists them when the lens is clicked).
"""

from __future__ import annotations

from ...analysis import SpecResult
from ...model import Record, RequirementKind, Span, TasksDoc, factory
from ..progress import covered_ids, spec_progress
from .common import (
    coverage_phrase,
    covering_tasks,
    requirements_doc,
    subtask_progress,
    task_line_span,
    tasks_doc,
)
from .definition import Location


class Lens(Record):
    span: Span
    title: str
    kind: str  # "plan" | "task" | "coverage"
    locations: list[Location] = factory(list)  # what a click lists (coverage lenses)


def code_lenses(result: SpecResult | None, path: str) -> list[Lens]:
    doc = tasks_doc(result, path)
    if doc is not None and result is not None:
        return _tasks_lenses(result, path)
    req = requirements_doc(result, path)
    if req is not None and result is not None:
        return _requirement_lenses(result)
    return []


def plan_summary(result: SpecResult, path: str) -> str:
    p = spec_progress(result, path)
    text = f"{p.done}/{p.total} tasks done"
    if p.has_requirements and p.units_total:
        text += f" · {p.units_covered}/{p.units_total} criteria covered"
    return text


def _tasks_lenses(result: SpecResult, path: str) -> list[Lens]:
    doc = tasks_doc(result, path)
    assert doc is not None
    out = [Lens(Span.on_line(0, 0, 0), plan_summary(result, path), "plan")]
    for task in doc.tasks:
        if task.parent is not None or not task.children:
            continue
        done, total = subtask_progress(doc, task)
        if total:
            out.append(Lens(task_line_span(doc, task), f"{done}/{total} done", "task"))
    out.extend(order_lenses(result, doc))
    return out


def order_lenses(result: SpecResult, doc: TasksDoc) -> list[Lens]:
    """ "ready" / "waits for 2.3, 4.1" on the open units of work of `doc`, when the spec declares
    dependencies or waves (in plan order every open task but the first would say it waits)."""
    from ...deps import ready_set

    rs = ready_set(result.tasks)
    if rs.mode != "dependencies":
        return []
    out = []
    for d, t in rs.ready:
        if d is doc:
            out.append(Lens(task_line_span(doc, t), "ready", "order"))
    for d, t, blockers in rs.blocked:
        if d is not doc:
            continue
        ids = [b.id for b in blockers if b.id]
        if ids:
            more = f" (+{len(ids) - 3})" if len(ids) > 3 else ""
            title = f"waits for {', '.join(ids[:3])}{more}"
        else:
            title = "marked blocked"
        out.append(Lens(task_line_span(doc, t), title, "order"))
    return out


def _requirement_lenses(result: SpecResult) -> list[Lens]:
    req_doc = result.requirements
    assert req_doc is not None
    out = []
    ids, _whole = covered_ids(result)
    # spec-kit FR/SC items count only when some task cites them (as in the progress summary)
    explicit_fr = any(i.startswith(("FR-", "SC-")) for i in ids)
    for r in req_doc.requirements:
        if r.kind in (RequirementKind.FUNCTIONAL, RequirementKind.SUCCESS) and not explicit_fr:
            continue
        pairs = covering_tasks(result, r.id)
        locations = [Location(doc.path, task_line_span(doc, t)) for doc, t in pairs]
        out.append(Lens(r.span, coverage_phrase(pairs), "coverage", locations))
    return out

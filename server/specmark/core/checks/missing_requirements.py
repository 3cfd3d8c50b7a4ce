"""missing-requirements: a task that needs a requirement reference has none."""

from __future__ import annotations

import re

from ..model import Finding, Severity, Task

CODE = "missing-requirements"
DEFAULT = Severity.WARNING
SUMMARY = "A leaf task carries no requirement reference."

_STORY_SECTION = re.compile(r"User Story\s+(\d+)", re.I)


def _has_refs(doc, task: Task) -> bool:
    """The task or one of its ancestors carries a reference (sub-steps inherit)."""
    cur: Task | None = task
    while cur is not None:
        if cur.refs or cur.story:
            return True
        cur = doc.tasks[cur.parent] if cur.parent is not None else None
    return False


def check(ctx):
    mode = ctx.require_mode
    if mode == "none":
        return
    for doc in ctx.tasks:
        for task in doc.tasks:
            if task.kind == "heading":
                continue
            if ctx.config.exempt(task.title):
                continue
            if mode == "story":
                m = _STORY_SECTION.search(task.section or "")
                if m and not task.story:
                    yield Finding(
                        CODE, doc.path, task.id_span or task.title_span,
                        f"{task.label} is in the User Story {m.group(1)} phase but has no story label; "
                        f"add [US{m.group(1)}] after the task ID",
                        data={"story": f"US{m.group(1)}"},
                    )
                continue
            if mode == "leaf" and not task.is_leaf:
                continue
            if _has_refs(doc, task):
                continue
            example = _example(ctx)
            yield Finding(
                CODE, doc.path, task.id_span or task.title_span,
                f"{task.label} has no _Requirements:_ line; add one, e.g. `_Requirements: {example}_`",
            )


def _example(ctx) -> str:
    req = ctx.requirements
    if req and req.requirements:
        first = req.requirements[0]
        return first.criteria[0].id if first.criteria else first.id
    return "1.1"

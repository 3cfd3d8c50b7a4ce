"""missing-requirements: a task that needs a requirement reference has none."""

from __future__ import annotations

import bisect
import re

from ..model import Finding, Severity, Task
from ..text import lazy

CODE = "missing-requirements"
DEFAULT = Severity.WARNING
SUMMARY = "A leaf task carries no requirement reference."

_STORY_SECTION = lazy(r"User Story\s+(\d+)", re.I)


def _has_refs(doc, task: Task) -> bool:
    """The task or one of its ancestors carries a reference (sub-steps inherit)."""
    cur: Task | None = task
    while cur is not None:
        if cur.refs or cur.story:
            return True
        cur = doc.tasks[cur.parent] if cur.parent is not None else None
    return False


def _story_at(doc):
    """A function: line → the N of the `User Story N` phase that line is in (or None).

    The phase is the nearest heading above that names a user story, or one that encloses it:
    tasks under `### Tests` inside `## Phase 3: User Story 1` belong to story 1 too.
    """
    lines: list[int] = []
    stories: list[str | None] = []
    stack: list[tuple[int, str | None]] = []
    for h in doc.headings:
        while stack and stack[-1][0] >= h.level:
            stack.pop()
        m = _STORY_SECTION.search(h.text)
        story = m.group(1) if m else (stack[-1][1] if stack else None)
        stack.append((h.level, story))
        lines.append(h.line)
        stories.append(story)

    def at(line: int) -> str | None:
        i = bisect.bisect_right(lines, line) - 1
        return stories[i] if i >= 0 else None

    return at


def check(ctx):
    mode = ctx.require_mode
    if mode == "none":
        return
    for doc in ctx.tasks:
        story_at = _story_at(doc) if mode == "story" else None
        for task in doc.tasks:
            if task.kind == "heading":
                continue
            if ctx.config.exempt(task.title):
                continue
            if story_at is not None:
                number = story_at(task.line)
                if number and not task.story:
                    yield Finding(
                        CODE,
                        doc.path,
                        task.id_span or task.title_span,
                        f"{task.label} is in the User Story {number} phase but has no story label; "
                        f"add [US{number}] after the task ID",
                        data={"story": f"US{number}"},
                    )
                continue
            if mode == "leaf" and not task.is_leaf:
                continue
            if _has_refs(doc, task):
                continue
            example = _example(ctx)
            yield Finding(
                CODE,
                doc.path,
                task.id_span or task.title_span,
                f"{task.label} has no _Requirements:_ line; add one, e.g. `_Requirements: {example}_`",
            )


def _example(ctx) -> str:
    req = ctx.requirements
    if req and req.requirements:
        first = req.requirements[0]
        return first.criteria[0].id if first.criteria else first.id
    return "1.1"

"""Rename one task ID: the ID on the task line and every place that names it as a dependency —
`_Depends:` lines, the waves of the `## Task Dependency Graph` JSON and its arrows
(core/deps.py) — in one edit. Only the ID's characters change (`1.` keeps its dot, `**T003**`
its bold).

Refused, with a message that says why: a task with sub-tasks (their IDs carry the parent's:
"Renumber tasks" renumbers the tree), a task whose ID is used twice (which one?), a new ID of
another shape than the old one (`2.3` → `2.4`, `T003` → `T010`) or one the plan already uses.
"""

from __future__ import annotations

import re

from ...analysis import SpecResult
from ...model import Span, Task, TasksDoc
from ..edits import Edit
from .common import depends_tokens, find_task

_DOTTED = re.compile(r"^\d+[A-Za-z]?(?:\.\d+[A-Za-z]?)*$")
_KIT = re.compile(r"^T\d+[A-Za-z]?$")


class TaskRenameError(ValueError):
    """The task cannot be renamed, or not to that ID; the message says why."""


def _id_core_span(doc: TasksDoc, task: Task) -> Span:
    """The characters of the task's ID on its line (without a trailing dot or markup)."""
    span = task.id_span
    assert span is not None and task.id is not None
    written = doc.lines[span.line][span.col : span.end_col]
    at = written.find(task.id)
    if at < 0:
        return span
    return Span.on_line(span.line, span.col + at, span.col + at + len(task.id))


def task_rename_target(result: SpecResult, ident: str, prefer: str) -> tuple[TasksDoc, Task]:
    found = find_task(result, ident, prefer)
    if found is None:
        raise TaskRenameError(f"Task {ident} is not defined in this plan: there is nothing to rename")
    doc, task = found
    if sum(1 for t in doc.tasks if t.id == ident) > 1:
        raise TaskRenameError(f"Task ID {ident} is used twice in this plan: renumber the plan first")
    if task.id_span is None:
        raise TaskRenameError(f"Task {ident} has no ID written on its line")
    if any(t.id and t.id.startswith(ident + ".") for t in doc.tasks):
        raise TaskRenameError(
            f"Task {ident} has sub-tasks whose IDs carry its own: use the source action "
            '"Renumber tasks" to renumber the plan (it updates _Depends:_ lines and the graph)'
        )
    return doc, task


def prepare_task_rename(result: SpecResult, ident: str, prefer: str) -> Span:
    doc, task = task_rename_target(result, ident, prefer)
    return _id_core_span(doc, task)


def rename_task(result: SpecResult, ident: str, prefer: str, new_name: str) -> list[Edit]:
    doc, task = task_rename_target(result, ident, prefer)
    new = new_name.strip().strip("*_`").rstrip(".").strip()
    if not new:
        raise TaskRenameError("The new ID is empty")
    if new == ident:
        return []
    same_shape = (_KIT.match(ident) and _KIT.match(new)) or (_DOTTED.match(ident) and _DOTTED.match(new))
    if not same_shape:
        raise TaskRenameError(f"{new_name!r} is not a task ID like {ident}")
    if any(t.id == new for d in result.tasks for t in d.tasks):
        raise TaskRenameError(f"Task {new} already exists in this plan")
    edits = [Edit(doc.path, _id_core_span(doc, task), new)]
    for other in result.tasks:
        for tok in depends_tokens(other):
            if tok.raw != ident:
                continue
            written = other.lines[tok.span.line][tok.span.col : tok.span.end_col]
            at = written.find(ident)
            if at < 0:
                continue
            span = Span.on_line(tok.span.line, tok.span.col + at, tok.span.col + at + len(ident))
            edits.append(Edit(other.path, span, new))
    return edits

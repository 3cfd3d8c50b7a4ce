"""duplicate-task-id: two tasks with the same ID in one file."""

from __future__ import annotations

from ..model import Finding, Related, Severity

CODE = "duplicate-task-id"
DEFAULT = Severity.ERROR
SUMMARY = "Two tasks in one file have the same ID."


def check(ctx):
    for doc in ctx.tasks:
        first: dict[str, object] = {}
        for task in doc.tasks:
            if task.id is None or task.id_span is None:
                continue
            prev = first.get(task.id)
            if prev is None:
                first[task.id] = task
                continue
            yield Finding(
                CODE, doc.path, task.id_span,
                f"Task ID {task.id} is already used on line {prev.line + 1}; renumber one of them",
                related=(Related(doc.path, prev.id_span, f"first use of {task.id}"),),
            )

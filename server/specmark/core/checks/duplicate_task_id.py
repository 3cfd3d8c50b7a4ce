"""duplicate-task-id: two tasks with the same ID in one file."""

from __future__ import annotations

from ..model import Finding, Related, Severity

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ..model import Task
    from . import CheckContext

CODE = "duplicate-task-id"
DEFAULT = Severity.ERROR
SUMMARY = "Two tasks in one file have the same ID."


def check(ctx: CheckContext) -> Iterator[Finding]:
    for doc in ctx.tasks:
        ids = [t.id for t in doc.tasks if t.id is not None]
        if len(set(ids)) == len(ids):
            continue  # no ID used twice (most plans): nothing to report
        yield from findings(doc.path, [(0, t) for t in doc.tasks])


def findings(path: str, entries: Iterable[tuple[int, Task]]) -> Iterator[Finding]:
    """Over (line offset, task) pairs in document order (tasks of blocks parsed on their own)."""
    first: dict[str, tuple[int, Task]] = {}
    for off, task in entries:
        if task.id is None or task.id_span is None:
            continue
        prev = first.get(task.id)
        if prev is None:
            first[task.id] = (off, task)
            continue
        poff, ptask = prev
        assert ptask.id_span is not None  # a task with an ID knows where it is written
        yield Finding(
            CODE,
            path,
            task.id_span.shifted(off),
            f"Task ID {task.id} is already used on line {ptask.line + poff + 1}; renumber one of them",
            related=(Related(path, ptask.id_span.shifted(poff), f"first use of {task.id}"),),
        )

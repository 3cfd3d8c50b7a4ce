"""task-order: IDs out of sequence, or a sub-task ID not under its parent's number."""

from __future__ import annotations

from functools import lru_cache

from ..ids import parent_id
from ..model import Finding, Related, Severity, Span, TaskKind

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Container, Iterable, Iterator, Sequence

    from ..model import Task, TasksDoc
    from . import CheckContext

_KIND_HEADING, _KIND_LIST = TaskKind.HEADING, TaskKind.LIST  # (a class attribute of an enum costs a lookup)
CODE = "task-order"
DEFAULT = Severity.WARNING
SUMMARY = "Task IDs are out of sequence, or a sub-task is numbered for another parent."


@lru_cache(maxsize=65536)
def sequence_number(ident: str) -> int | None:
    """The number a task ID has in its sibling sequence (`2.3` → 3, `T012` → 12), or None
    for an ID outside any sequence (`2.1v`, `T076a`)."""
    tail = ident.rsplit(".", 1)[-1]
    if tail.startswith("T"):
        tail = tail[1:]
    return int(tail) if tail.isdigit() else None


def check(ctx: CheckContext) -> Iterator[Finding]:
    for doc in ctx.tasks:
        local, parentless, orphans, ids = _block_findings(doc)
        yield from local
        yield from global_findings(doc.path, [(0, t) for t in parentless], [(0, o) for o in orphans], ids)


def sequence_findings(path: str, members: Sequence[tuple[int, Task]], seen: set[str]) -> list[Finding]:
    """Findings for one group of siblings, given as (line offset, task) in document order."""
    ids = [task.id for _off, task in members if task.id is not None]  # (all of them)
    if _in_sequence(ids, seen):
        return []
    out: list[Finding] = []
    prev = None  # (offset, task, number) of the previous sibling
    number = sequence_number
    for off, task in members:
        ident = task.id
        assert ident is not None  # siblings are grouped by their IDs
        if ident in seen:
            continue  # duplicate-task-id reports it
        seen.add(ident)
        num = number(ident)
        if num is None:
            continue  # `T076a`, `2.1v`: inserted after the fact, outside the sequence
        if prev is not None and num is not None:
            poff, ptask, pnum = prev
            # spec-kit T-numbers are names cited across the file (dependencies, parallel
            # examples): a task dropped or skipped leaves a gap nobody renumbers. Only a number
            # that goes back is out of order there.
            if pnum is not None and num != pnum + 1 and not (num > pnum and ident[0] == "T"):
                expected = _expected(ptask.id or "", pnum + 1)
                word = "comes after" if num <= pnum else "follows"
                out.append(
                    Finding(
                        CODE,
                        path,
                        _id_span(task).shifted(off),
                        f"Task {ident} {word} task {ptask.id}; expected {expected}",
                        related=(Related(path, _id_span(ptask).shifted(poff), f"previous task {ptask.id}"),),
                        data={"expected": expected},
                    )
                )
        prev = (off, task, num)
    return out


def _in_sequence(ids: list[str], seen: set[str]) -> bool:
    """Whether the siblings with these IDs are numbered one after the other, none of them seen
    before: then sequence_findings reports nothing and only adds them to `seen`, which this does at
    C speed instead of one sibling at a time (most groups of a plan are in order).

    The test is on the text: each ID after the first is the first one's prefix (up to its last
    dot) and the next number, which `sequence_number` reads back. Consecutive numbers are distinct, so
    are the IDs: none is skipped as a duplicate of an earlier sibling. Anything else (T001,
    gaps, an ID seen in another group) is left to the loop.
    """
    first = ids[0]
    if first in seen:
        return False
    if len(ids) > 1:
        head, dot, tail = first.rpartition(".")
        if not tail.isdigit():  # T001 and the like: the loop
            return False
        num = int(tail)  # as sequence_number reads it
        prefix = head + dot
        if ids[1:] != [f"{prefix}{n}" for n in range(num + 1, num + len(ids))] or not seen.isdisjoint(ids):
            return False
        seen.update(ids)
    else:
        seen.add(first)
    return True


def block_findings(doc: TasksDoc) -> tuple[list[Finding], list[Task], list[Task]]:
    """What a document (or one block of it, parsed on its own) says by itself:
    (findings about sub-task sequences and nesting, its parentless tasks, its sub-tasks whose
    parent ID it does not define and must exist somewhere else in the file)."""
    out: tuple[list[Finding], list[Task], list[Task]] = _block_findings(doc)[:3]
    return out


def _block_findings(doc: TasksDoc) -> tuple[list[Finding], list[Task], list[Task], set[str]]:
    """block_findings and the set of the document's task IDs."""
    path = doc.path
    out: list[Finding] = []
    groups: dict[tuple[int, int], list[Task]] = {}
    parentless: list[Task] = []
    ids: set[str] = set()
    task_lines: set[int] = set()  # lines of heading tasks
    for task in doc.tasks:
        if task.kind == _KIND_HEADING:
            task_lines.add(task.line)
        ident = task.id
        if ident is None:
            continue
        if ident:
            ids.add(ident)
        if ident.startswith("T") or task.parent is None:
            parentless.append(task)
        else:
            key = (task.parent, ident.count("."))
            group = groups.get(key)
            if group is None:
                groups[key] = [task]
            else:
                group.append(task)
    seen: set[str] = set()
    for members in groups.values():
        if not _in_sequence([t.id for t in members if t.id is not None], seen):
            out.extend(sequence_findings(path, [(0, t) for t in members], seen))
    # nesting: a sub-task indented under a task whose number is not its parent's; the stack
    # of enclosing tasks starts afresh at every heading
    stack: list[Task] = []
    orphans: list[Task] = []
    plain_headings: list[float] = [h.line for h in doc.headings if h.line not in task_lines]
    plain_headings.append(float("inf"))  # a sentinel: no heading after the last task
    h = 0
    next_heading = plain_headings[0]
    for task in doc.tasks:
        if next_heading < task.line:
            stack = []
            while plain_headings[h] < task.line:
                h += 1
            next_heading = plain_headings[h]
        if task.kind == _KIND_HEADING:
            stack = [task]
            continue
        indent = task.indent
        while stack:
            top = stack[-1]
            if top.kind != _KIND_LIST or top.indent < indent:
                break
            stack.pop()
        holder = stack[-1] if stack else None
        ident = task.id
        pid = parent_id(ident) if ident else None
        if holder is not None and holder.kind == _KIND_HEADING and ident and pid is None:
            # `- [ ] 3.` after `## Task 2: …` is a sibling of the heading task, not its
            # child: the flat sub-tasks that follow (`- [ ] 3.1`) belong to it
            stack = []
            holder = None
        if (
            pid is not None
            and holder is not None
            and holder.id
            and holder.id != pid
            and indent > holder.indent
        ):
            out.append(
                Finding(
                    CODE,
                    path,
                    _id_span(task),
                    f"Sub-task {ident} is nested under task {holder.id}; renumber it to {holder.id}.x or move it under task {pid}",
                    related=(Related(path, _id_span(holder), f"task {holder.id}"),),
                )
            )
        elif pid is not None and pid not in ids and ident is not None and not ident.startswith("T"):
            orphans.append(task)
        stack.append(task)
    return out, parentless, orphans, ids


def global_findings(
    path: str,
    parentless: Iterable[tuple[int, Task]],
    orphans: Iterable[tuple[int, Task]],
    ids: Container[str],
) -> Iterator[Finding]:
    """Across the file: sequences of top-level tasks (and spec-kit T-numbers), and sub-tasks
    whose parent ID is defined nowhere. Items are (line offset, task) in document order."""
    groups: dict[tuple[str | None, ...] | tuple[None, int], list[tuple[int, Task]]] = {}
    for off, task in parentless:
        ident = task.id
        assert ident is not None  # only tasks with IDs are in sequences
        key = ("T",) if ident.startswith("T") else (None, ident.count("."))
        groups.setdefault(key, []).append((off, task))
    seen: set[str] = set()
    for members in groups.values():
        yield from sequence_findings(path, members, seen)
    for off, task in orphans:
        pid = parent_id(task.id or "")
        if pid not in ids:
            yield Finding(
                CODE,
                path,
                _id_span(task).shifted(off),
                f"Sub-task {task.id} has no parent task {pid}; add task {pid} or renumber it",
            )


def _id_span(task: Task) -> Span:
    """Where the ID of a task that has one is written."""
    span = task.id_span
    assert span is not None
    return span


def _expected(prev_id: str, num: int) -> str:
    if prev_id.startswith("T"):
        return f"T{num:0{len(prev_id) - 1}d}"
    head = prev_id.rsplit(".", 1)[0] + "." if "." in prev_id else ""
    return f"{head}{num}"

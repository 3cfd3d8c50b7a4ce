"""task-order: IDs out of sequence, or a sub-task ID not under its parent's number."""

from __future__ import annotations

from functools import lru_cache

from ..ids import parent_id
from ..model import Finding, Related, Severity, Span

CODE = "task-order"
DEFAULT = Severity.WARNING
SUMMARY = "Task IDs are out of sequence, or a sub-task is numbered for another parent."


@lru_cache(maxsize=65536)
def _number(ident: str) -> int | None:
    tail = ident.rsplit(".", 1)[-1]
    if tail.startswith("T"):
        tail = tail[1:]
    return int(tail) if tail.isdigit() else None


def check(ctx):
    for doc in ctx.tasks:
        local, parentless, orphans = block_findings(doc)
        yield from local
        ids = {t.id for t in doc.tasks if t.id}
        yield from global_findings(doc.path, [(0, t) for t in parentless], [(0, o) for o in orphans], ids)


def _shift(span, off: int):
    return span if off == 0 else Span(span.line + off, span.col, span.end_line + off, span.end_col)


def _sequence(path: str, members, seen: set[str]) -> list[Finding]:
    """Findings for one group of siblings, given as (line offset, task) in document order."""
    out: list[Finding] = []
    prev = None                     # (offset, task, number) of the previous sibling
    number = _number
    for off, task in members:
        ident = task.id
        if ident in seen:
            continue  # duplicate-task-id reports it
        seen.add(ident)
        num = number(ident)
        if prev is not None and num is not None:
            poff, ptask, pnum = prev
            if pnum is not None and num != pnum + 1:
                expected = _expected(ptask.id, pnum + 1)
                word = "comes after" if num <= pnum else "follows"
                out.append(Finding(
                    CODE, path, _shift(task.id_span, off),
                    f"Task {ident} {word} task {ptask.id}; expected {expected}",
                    related=(Related(path, _shift(ptask.id_span, poff), f"previous task {ptask.id}"),),
                    data={"expected": expected},
                ))
        prev = (off, task, num)
    return out


def block_findings(doc):
    """What a document (or one block of it, parsed on its own) says by itself:
    (findings about sub-task sequences and nesting, its parentless tasks, its sub-tasks whose
    parent ID it does not define and must exist somewhere else in the file)."""
    out: list[Finding] = []
    groups: dict[tuple, list] = {}
    parentless = []
    for task in doc.tasks:
        if task.id is None:
            continue
        if task.id.startswith("T") or task.parent is None:
            parentless.append(task)
        else:
            groups.setdefault((task.parent, task.id.count(".")), []).append((0, task))
    seen: set[str] = set()
    for members in groups.values():
        out.extend(_sequence(doc.path, members, seen))
    # nesting: a sub-task indented under a task whose number is not its parent's; the stack
    # of enclosing tasks starts afresh at every heading
    stack: list = []
    orphans = []
    ids = {t.id for t in doc.tasks if t.id}
    plain_headings = [h.line for h in doc.headings]
    task_lines = {t.line for t in doc.tasks if t.kind == "heading"}
    plain_headings = [n for n in plain_headings if n not in task_lines]
    h = 0
    for task in doc.tasks:
        while h < len(plain_headings) and plain_headings[h] < task.line:
            stack = []
            h += 1
        if task.kind == "heading":
            stack = [task]
            continue
        while stack and stack[-1].kind == "list" and stack[-1].indent >= task.indent:
            stack.pop()
        holder = stack[-1] if stack else None
        pid = parent_id(task.id) if task.id else None
        if holder is not None and holder.kind == "heading" and task.id and pid is None:
            # `- [ ] 3.` after `## Task 2: …` is a sibling of the heading task, not its
            # child: the flat sub-tasks that follow (`- [ ] 3.1`) belong to it
            stack = []
            holder = None
        if pid is not None and holder is not None and holder.id and holder.id != pid and task.indent > holder.indent:
            out.append(Finding(
                CODE, doc.path, task.id_span,
                f"Sub-task {task.id} is nested under task {holder.id}; renumber it to {holder.id}.x or move it under task {pid}",
                related=(Related(doc.path, holder.id_span, f"task {holder.id}"),),
            ))
        elif pid is not None and pid not in ids and not task.id.startswith("T"):
            orphans.append(task)
        stack.append(task)
    return out, parentless, orphans


def global_findings(path: str, parentless, orphans, ids: set[str]):
    """Across the file: sequences of top-level tasks (and spec-kit T-numbers), and sub-tasks
    whose parent ID is defined nowhere. Items are (line offset, task) in document order."""
    groups: dict[tuple, list] = {}
    for off, task in parentless:
        key = ("T",) if task.id.startswith("T") else (None, task.id.count("."))
        groups.setdefault(key, []).append((off, task))
    seen: set[str] = set()
    for members in groups.values():
        yield from _sequence(path, members, seen)
    for off, task in orphans:
        pid = parent_id(task.id)
        if pid not in ids:
            yield Finding(
                CODE, path, _shift(task.id_span, off),
                f"Sub-task {task.id} has no parent task {pid}; add task {pid} or renumber it",
            )


def _expected(prev_id: str, num: int) -> str:
    if prev_id.startswith("T"):
        return f"T{num:0{len(prev_id) - 1}d}"
    head = prev_id.rsplit(".", 1)[0] + "." if "." in prev_id else ""
    return f"{head}{num}"

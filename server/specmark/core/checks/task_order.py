"""task-order: IDs out of sequence, or a sub-task ID not under its parent's number."""

from __future__ import annotations

from ..ids import parent_id
from ..model import Finding, Related, Severity, Span

CODE = "task-order"
DEFAULT = Severity.WARNING
SUMMARY = "Task IDs are out of sequence, or a sub-task is numbered for another parent."


def _number(ident: str) -> int | None:
    tail = ident.rsplit(".", 1)[-1]
    if tail.startswith("T"):
        tail = tail[1:]
    return int(tail) if tail.isdigit() else None


def check(ctx):
    for doc in ctx.tasks:
        yield from findings(doc.path, [(0, t) for t in doc.tasks])


def _shift(span, off: int):
    return span if off == 0 else Span(span.line + off, span.col, span.end_line + off, span.end_col)


def findings(path: str, entries):
    """Over (line offset, task) pairs in document order (tasks of blocks parsed on their own;
    a parent index is only meaningful together with its block's offset)."""
    seen: set[str] = set()
    # 1. sequence among siblings (same parent), and spec-kit T-numbers across the file
    groups: dict[object, list] = {}
    for off, task in entries:
        if task.id is None:
            continue
        if task.id.startswith("T"):
            key = ("T",)
        elif task.parent is None:
            key = (None, task.id.count("."))
        else:
            key = (off, task.parent, task.id.count("."))
        groups.setdefault(key, []).append((off, task))
    for members in groups.values():
        prev = None
        for off, task in members:
            if task.id in seen:
                continue  # duplicate-task-id reports it
            seen.add(task.id)
            num = _number(task.id)
            if prev is not None and num is not None:
                poff, ptask = prev
                pnum = _number(ptask.id)
                if pnum is not None and num != pnum + 1:
                    expected = _expected(ptask.id, pnum + 1)
                    word = "comes after" if num <= pnum else "follows"
                    yield Finding(
                        CODE, path, _shift(task.id_span, off),
                        f"Task {task.id} {word} task {ptask.id}; expected {expected}",
                        related=(Related(path, _shift(ptask.id_span, poff), f"previous task {ptask.id}"),),
                        data={"expected": expected},
                    )
            prev = (off, task)
    # 2. nesting: a sub-task indented under a task whose number is not its parent's
    stack: list = []
    ids = {t.id for _off, t in entries if t.id}
    for off, task in entries:
        if task.kind == "heading":
            stack = [(off, task)]
            continue
        while stack and stack[-1][1].kind == "list" and stack[-1][1].indent >= task.indent:
            stack.pop()
        holder_off, holder = stack[-1] if stack else (0, None)
        pid = parent_id(task.id) if task.id else None
        if holder is not None and holder.kind == "heading" and task.id and pid is None:
            # `- [ ] 3.` after `## Task 2: …` is a sibling of the heading task, not its
            # child: the flat sub-tasks that follow (`- [ ] 3.1`) belong to it
            stack = []
            holder = None
        if pid is not None and holder is not None and holder.id and holder.id != pid and task.indent > holder.indent:
            yield Finding(
                CODE, path, _shift(task.id_span, off),
                f"Sub-task {task.id} is nested under task {holder.id}; renumber it to {holder.id}.x or move it under task {pid}",
                related=(Related(path, _shift(holder.id_span, holder_off), f"task {holder.id}"),),
            )
        elif pid is not None and pid not in ids and not task.id.startswith("T"):
            yield Finding(
                CODE, path, _shift(task.id_span, off),
                f"Sub-task {task.id} has no parent task {pid}; add task {pid} or renumber it",
            )
        stack.append((off, task))


def _expected(prev_id: str, num: int) -> str:
    if prev_id.startswith("T"):
        return f"T{num:0{len(prev_id) - 1}d}"
    head = prev_id.rsplit(".", 1)[0] + "." if "." in prev_id else ""
    return f"{head}{num}"

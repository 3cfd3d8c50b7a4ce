"""task-order: IDs out of sequence, or a sub-task ID not under its parent's number."""

from __future__ import annotations

from ..ids import parent_id
from ..model import Finding, Related, Severity

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
        seen: set[str] = set()
        # 1. sequence among siblings (same parent), and spec-kit T-numbers across the file
        groups: dict[object, list] = {}
        for task in doc.tasks:
            if task.id is None:
                continue
            key = ("T",) if task.id.startswith("T") else (task.parent, task.id.count("."))
            groups.setdefault(key, []).append(task)
        for members in groups.values():
            prev = None
            for task in members:
                if task.id in seen:
                    continue  # duplicate-task-id reports it
                seen.add(task.id)
                num = _number(task.id)
                if prev is not None and num is not None:
                    pnum = _number(prev.id)
                    if pnum is not None and num != pnum + 1:
                        expected = _expected(prev.id, pnum + 1)
                        word = "comes after" if num <= pnum else "follows"
                        yield Finding(
                            CODE, doc.path, task.id_span,
                            f"Task {task.id} {word} task {prev.id}; expected {expected}",
                            related=(Related(doc.path, prev.id_span, f"previous task {prev.id}"),),
                            data={"expected": expected},
                        )
                prev = task
        # 2. nesting: a sub-task indented under a task whose number is not its parent's
        stack: list = []
        ids = {t.id for t in doc.tasks if t.id}
        for task in doc.tasks:
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
                yield Finding(
                    CODE, doc.path, task.id_span,
                    f"Sub-task {task.id} is nested under task {holder.id}; renumber it to {holder.id}.x or move it under task {pid}",
                    related=(Related(doc.path, holder.id_span, f"task {holder.id}"),),
                )
            elif pid is not None and pid not in ids and not task.id.startswith("T"):
                yield Finding(
                    CODE, doc.path, task.id_span,
                    f"Sub-task {task.id} has no parent task {pid}; add task {pid} or renumber it",
                )
            stack.append(task)


def _expected(prev_id: str, num: int) -> str:
    if prev_id.startswith("T"):
        return f"T{num:0{len(prev_id) - 1}d}"
    head = prev_id.rsplit(".", 1)[0] + "." if "." in prev_id else ""
    return f"{head}{num}"

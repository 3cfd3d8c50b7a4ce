"""status-mismatch: a done parent with an open sub-task, or all sub-tasks done under an open parent."""

from __future__ import annotations

from ..model import Finding, Related, Severity, Span, Status, TaskKind

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..model import Task, TasksDoc
    from . import CheckContext

_KIND_LIST = TaskKind.LIST  # (a class attribute of an enum costs a lookup)
CODE = "status-mismatch"
DEFAULT = Severity.INFORMATION
SUMMARY = "A parent's checkbox disagrees with its sub-tasks."


def _checkbox(doc: TasksDoc, task: Task) -> Span:
    """The task's whole checkbox, `[x]`, where the finding is shown (the glyph alone is one
    character, hard to see and to hover)."""
    g = task.glyph_span
    assert g is not None  # a checkbox task (a heading task has no checkbox)
    line = doc.lines[g.line] if 0 <= g.line < len(doc.lines) else ""
    if g.col > 0 and line[g.col - 1 : g.col] == "[" and line[g.end_col : g.end_col + 1] == "]":
        return Span.on_line(g.line, g.col - 1, g.end_col + 1)
    return g


def check(ctx: CheckContext) -> Iterator[Finding]:
    for doc in ctx.tasks:
        for task in doc.tasks:
            if task.kind != _KIND_LIST or not task.children or task.glyph_span is None:
                continue
            kids = [doc.tasks[i] for i in task.children if doc.tasks[i].status is not None]
            required = [k for k in kids if not k.optional]
            if not required:
                continue
            if task.status is Status.DONE:
                open_kids = [k for k in required if k.status is not Status.DONE]
                if open_kids:
                    k = open_kids[0]
                    yield Finding(
                        CODE,
                        doc.path,
                        _checkbox(doc, task),
                        f"{task.label} is done but {len(open_kids)} of its sub-tasks {'is' if len(open_kids) == 1 else 'are'} not "
                        f"({k.label.lower()} first); reopen it or finish the sub-tasks",
                        related=(Related(doc.path, k.glyph_span or k.title_span, f"{k.label} is not done"),),
                        data={"target": "todo"},
                    )
            elif all(k.status is Status.DONE for k in required):
                yield Finding(
                    CODE,
                    doc.path,
                    _checkbox(doc, task),
                    (
                        f"The only required sub-task of {task.label.lower()} is done; mark it done"
                        if len(required) == 1
                        else f"All {len(required)} required sub-tasks of {task.label.lower()} are done; mark it done"
                    ),
                    data={"target": "done"},
                )

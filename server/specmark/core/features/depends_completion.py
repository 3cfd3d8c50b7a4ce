"""Completion of task IDs where a plan names its dependencies: after the label of a
`_Depends:` line (`_Depends: 1.2, |`) and inside a `"tasks"` array of the dependency graph's
JSON (`"tasks": ["2.1", "|`). Entries reuse `CompletionEntry` (kind "task")."""

from __future__ import annotations

import re

from ..ids import id_key
from ..model import Span, Task, TasksDoc
from ..refs import match_depends
from .completion import CompletionEntry

_PARTIAL = re.compile(r"[A-Za-z0-9.]*$")
_TASKS_ARRAY = re.compile(r'"tasks"\s*:\s*\[(?P<body>[^\]]*)$', re.I)
_STATUS = {
    "todo": "to do",
    "done": "done",
    "in-progress": "in progress",
    "queued": "queued",
    "blocked": "blocked",
}


def complete_task_ids(
    doc: TasksDoc, line: int, col: int, limit: int | None = None
) -> list[CompletionEntry] | None:
    """Task-ID entries at (line, col) of the whole parsed tasks document `doc`, or None when
    the position is neither on a `_Depends:` line nor inside a graph wave's `"tasks"` array."""
    lines = doc.lines
    if not (0 <= line < len(lines)):
        return None
    text = lines[line]
    col = max(0, min(col, len(text)))
    before = text[:col]
    prefix = _PARTIAL.search(before).group(0)  # type: ignore[union-attr]
    start = col - len(prefix)
    quote = ""
    dep = match_depends(text)
    if dep is not None and col >= dep:
        if start > dep and before[start - 1] not in " \t,，、;；:_*":
            return None
        listed = set(re.findall(r"[A-Za-z]*\d+[A-Za-z]?(?:\.\d+[A-Za-z]?)*", text[dep:start] + text[col:]))
        owner = doc.task_containing(line)
        if owner is not None and owner.id:
            listed.add(owner.id)  # a task does not depend on itself
    else:
        fence = _graph_fence(doc, line)
        if fence is None:
            return None
        chunk = "\n".join(lines[fence:line]) + "\n" + before if line > fence else before
        m = _TASKS_ARRAY.search(chunk)
        if m is None:
            return None
        body = m.group("body")
        inside = body.count('"') % 2 == 1  # the cursor is inside a string
        if inside:
            if start == 0 or before[start - 1] != '"':
                return None
        else:
            quote = '"'
        listed = set(re.findall(r'"([^"]*)"', body))
    replace = Span.on_line(line, start, col)
    out: list[CompletionEntry] = []
    want = prefix.upper()
    for t in sorted((t for t in doc.tasks if t.id), key=lambda t: id_key(t.id or "")):
        ident = t.id or ""
        if ident in listed or (want and not ident.upper().startswith(want)):
            continue
        if limit is not None and len(out) >= limit:
            break
        out.append(
            CompletionEntry(
                label=ident,
                kind="task",
                detail=f"{t.title} ({_status(t)})",
                sort_text="".join(f"{n:06d}" if isinstance(n, int) else str(n) for n in _flat(id_key(ident))),
                replace=replace,
                insert_text=f"{quote}{ident}{quote}",
                filter_text=f"{quote}{ident}" if quote else ident,
            )
        )
    return out


def _flat(key: tuple) -> list:  # type: ignore[type-arg]
    out: list = []  # type: ignore[type-arg]
    for k in key:
        if isinstance(k, tuple):
            out.extend(_flat(k))
        else:
            out.append(k)
    return out


def _status(t: Task) -> str:
    return _STATUS.get(t.status.value, t.status.value) if t.status is not None else "heading"


def _graph_fence(doc: TasksDoc, line: int) -> int | None:
    """The first line inside the dependency graph's JSON fence holding `line`, or None."""
    from ..deps import plan_of

    g = plan_of(doc).graph
    if g is None or g.fence is None:
        return None
    first, last = g.fence
    return first + 1 if first < line < last or (first < line and last == first) else None

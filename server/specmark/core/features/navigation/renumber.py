"""Renumber tasks: a source action that rewrites task IDs to a clean sequence (1., 1.1, 1.2, 2.,
…, following the task tree; T001, T002, … for spec-kit plans) and updates the `_Depends:_`
references to them, in one edit.

Only the digits of each ID change: bold markers, the trailing dot (`1.`, `1\\.`), headings
(`#### 12. Title`) and everything else on the line stay as written. Tasks without an ID keep
having none.
"""

from __future__ import annotations

import re

from ... import deps
from ...config import Config
from ...ids import parent_id
from ...model import RefKind, Span, Task, TaskKind, TasksDoc
from ..edits import Action, Edit

KIND = "source.renumberTasks"
TITLE = "Renumber tasks"

_NUMERIC = re.compile(r"^\d+[A-Za-z]?(?:\.\d+)*$")
_SPEC_KIT = re.compile(r"^T(\d+)$")


def renumber_actions(doc: TasksDoc, config: Config | None = None) -> list[Action]:
    """The "Renumber tasks" action, or nothing when the IDs already form a clean sequence."""
    edits = renumber_edits(doc)
    if not edits:
        return []
    return [Action(TITLE, KIND, edits)]


def new_ids(doc: TasksDoc) -> dict[int, str]:
    """Task index → its ID in a clean sequence (only tasks that have an ID)."""
    out: dict[int, str] = {}
    kit = [(t, m) for t in doc.tasks if t.id and (m := _SPEC_KIT.match(t.id))]
    if kit:
        width = max(3, max(len(m.group(1)) for _t, m in kit))
        for n, (t, _m) in enumerate(kit, 1):
            out[t.index] = f"T{n:0{width}d}"
        return out
    counters: dict[int | None, int] = {}
    latest: dict[str, int] = {}  # ID → the latest task with it (duplicate IDs: the nearest wins)
    for t in doc.tasks:
        if not t.id or not _NUMERIC.match(t.id):
            continue
        anchor = _id_parent(t.id, latest)
        if anchor is None:
            anchor = _numbered_ancestor(doc, t, out)
        latest[t.id] = t.index
        counters[anchor] = counters.get(anchor, 0) + 1
        n = counters[anchor]
        out[t.index] = f"{out[anchor]}.{n}" if anchor is not None else str(n)
    return out


def _id_parent(ident: str, latest: dict[str, int]) -> int | None:
    """The nearest task above whose ID is a prefix of `ident` (2.1 → the latest task 2)."""
    pid = parent_id(ident)
    while pid is not None:
        if pid in latest:
            return latest[pid]
        pid = parent_id(pid)
    return None


def _numbered_ancestor(doc: TasksDoc, task: Task, numbered: dict[int, str]) -> int | None:
    p = task.parent
    while p is not None:
        if p in numbered:
            return p
        p = doc.tasks[p].parent
    return None


def _core(written: str) -> str:
    """The ID part of the written ID text (without a trailing `.` or `\\.`)."""
    if written.endswith("\\."):
        return written[:-2]
    if written.endswith("."):
        return written[:-1]
    return written


def renumber_edits(doc: TasksDoc) -> list[Edit]:
    mapping = new_ids(doc)
    edits: list[Edit] = []
    old_to_new: dict[str, str] = {}
    for t in doc.tasks:
        new = mapping.get(t.index)
        if new is None or t.id is None or t.id_span is None:
            continue
        old_to_new.setdefault(t.id, new)
        if new == t.id:
            continue
        sp = t.id_span
        written = doc.lines[sp.line][sp.col : sp.end_col]
        core = _core(written)
        text = new
        if t.kind == TaskKind.LIST and new[:1].isdigit() and "." not in new and core == written:
            text += "."  # a top-level list task needs its dot ("3.1" → "4.")
        edits.append(Edit(doc.path, Span.on_line(sp.line, sp.col, sp.col + len(core)), text))
    for t in doc.tasks:
        for dep in t.depends:
            for item in dep.items:
                ends = []
                if item.kind is RefKind.ID:
                    ends = [(item.start, item.start_span)]
                elif item.kind is RefKind.RANGE:
                    ends = [(item.start, item.start_span), (item.end, item.end_span)]
                for ident, at in ends:
                    if ident is None or at is None or ident not in old_to_new or old_to_new[ident] == ident:
                        continue
                    written = doc.lines[at.line][at.col : at.end_col]
                    core = _core(written)
                    edits.append(
                        Edit(doc.path, Span.on_line(at.line, at.col, at.col + len(core)), old_to_new[ident])
                    )
    # the IDs of the dependency graph (waves, arrows) and those only core/deps.py reads
    done = {e.span.line * 1_000_000 + e.span.col for e in edits}
    for tok in deps.id_tokens(doc)[0]:
        sp = tok.span
        new = old_to_new.get(tok.id)
        if new is None or new == tok.id or sp.line * 1_000_000 + sp.col in done:
            continue
        written = doc.lines[sp.line][sp.col : sp.end_col]
        core = _core(written)
        if core != tok.id:
            continue
        edits.append(Edit(doc.path, Span.on_line(sp.line, sp.col, sp.col + len(core)), new))
    return edits

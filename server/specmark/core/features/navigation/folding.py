"""Folding ranges: each task with its sub-tasks and detail lines; each requirement section."""

from __future__ import annotations

from ...analysis import SpecResult
from ...model import Record
from ...tasks import subtree_end
from .common import requirements_doc, tasks_doc


class Fold(Record, frozen=True):
    start: int  # first line (stays visible)
    end: int  # last line folded


def folding_ranges(result: SpecResult | None, path: str) -> list[Fold]:
    out: set[Fold] = set()
    doc = tasks_doc(result, path)
    if doc is not None:
        for task in doc.tasks:
            end = subtree_end(doc, task)
            if end > task.line:
                out.add(Fold(task.line, end))
    req = requirements_doc(result, path)
    if req is not None:
        for r in req.requirements:
            end = max([r.end_line] + [c.line for c in r.criteria])
            if end > r.line:
                out.add(Fold(r.line, end))
    return sorted(out, key=lambda f: (f.start, -f.end))

"""Inlay hints (off unless `inlay-hints = true`): after each referenced ID, the short title of
its requirement — once per run of IDs of the same requirement on a line (after the last one)."""

from __future__ import annotations

from ...analysis import SpecResult
from ...model import Record
from .common import find_requirement, requirement_tokens, short, tasks_doc

MAX_LABEL = 32


class Hint(Record, frozen=True):
    line: int
    col: int  # the hint sits before this column (just after the ID)
    label: str
    tooltip: str


def inlay_hints(
    result: SpecResult | None, path: str, start_line: int = 0, end_line: int | None = None
) -> list[Hint]:
    doc = tasks_doc(result, path)
    if doc is None or result is None or result.requirements is None:
        return []
    last = end_line if end_line is not None else len(doc.lines) - 1
    pending: list[Hint] = []
    for tok in requirement_tokens(doc):
        if tok.part == "all" or not (start_line <= tok.span.line <= last):
            continue
        ident = result.resolver.canonical(tok.raw)
        req, crit = find_requirement(result, ident) if ident else (None, None)
        if req is None:
            continue
        if req.title:
            label = short(req.title, MAX_LABEL)
        elif crit is not None and crit.text:
            label = short(crit.text, MAX_LABEL)
        else:
            continue
        tooltip = f"{ident}: {crit.text}" if crit is not None else f"Requirement {req.id}: {req.title}"
        hint = Hint(tok.span.line, tok.span.end_col, label, tooltip)
        if pending and pending[-1].line == hint.line and pending[-1].label == label:
            pending[-1] = hint  # the same requirement again: show it once, after the last ID
        else:
            pending.append(hint)
    return sorted(pending, key=lambda h: (h.line, h.col))

"""Plain-data edits and actions returned by features (the server turns them into LSP edits)."""

from __future__ import annotations

from ..model import Record, Span, factory


class Edit(Record, frozen=True):
    path: str
    span: Span
    new_text: str


class Action(Record):
    title: str
    kind: str  # "quickfix", "refactor.rewrite", "source"
    edits: list[Edit] = factory(list)
    fixes: tuple[str, ...] = ()  # codes of the findings it fixes
    fix_lines: tuple[int, ...] = ()  # lines of those findings (to attach the diagnostics)
    preferred: bool = False

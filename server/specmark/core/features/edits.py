"""Plain-data edits and actions returned by features (the server turns them into LSP edits)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Span


@dataclass(frozen=True)
class Edit:
    path: str
    span: Span
    new_text: str


@dataclass
class Action:
    title: str
    kind: str  # "quickfix", "refactor.rewrite", "source"
    edits: list[Edit] = field(default_factory=list)
    fixes: tuple[str, ...] = ()  # codes of the findings it fixes
    fix_lines: tuple[int, ...] = ()  # lines of those findings (to attach the diagnostics)
    preferred: bool = False

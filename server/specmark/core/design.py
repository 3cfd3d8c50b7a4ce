"""design.md: the requirement references it makes, for rename and find references.

Kiro's design documents end their Correctness Properties with `**Validates: Requirements 1.1,
5.5**`; some write `_Requirements: 2.3_` lines like tasks.md does. Both are read here with the
same label and list grammar as tasks.md (refs.py), outside code and HTML blocks, and an inline
`**Validates: …**` at the end of a line counts too. Nothing else of design.md is modelled.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import blocks
from .model import RefLine, Span
from .refs import find_inline_validates, match_ref_line, parse_list
from .text import split_lines


@dataclass(frozen=True)
class DesignDoc:
    path: str
    lines: list[str]
    refs: tuple[RefLine, ...]


def parse_design(text_or_lines, path: str, labels: tuple[str, ...] = ()) -> DesignDoc:
    lines = split_lines(text_or_lines) if isinstance(text_or_lines, str) else list(text_or_lines)
    code = blocks.code_lines(lines)
    refs: list[RefLine] = []
    for n, line in enumerate(lines):
        if n in code or (":" not in line and "\uff1a" not in line):
            continue
        o = 1 if n == 0 and line.startswith("\ufeff") else 0   # positions count a BOM
        text = line[o:]
        found = match_ref_line(text, labels)
        inline = False
        if found is None:
            hit = find_inline_validates(text, 0)
            if hit is None:
                continue
            found, inline = hit[:5], True
        label, ls, le, bs, be = found
        items, placeholder = parse_list(text[bs:be], n, bs + o)
        refs.append(RefLine(n, label, Span(n, ls + o, n, le + o), Span(n, bs + o, n, be + o), tuple(items),
                            placeholder, inline=inline))
    return DesignDoc(path, lines, tuple(refs))

"""design.md: the requirement references it makes (checked, renamed, found as references).

Kiro's design documents end their Correctness Properties with `**Validates: Requirements 1.1,
5.5**`; some write `_Requirements: 2.3_` lines like tasks.md does. Both are read here with the
same label and list grammar as tasks.md (refs.py), outside code and HTML blocks, and an inline
`**Validates: …**` at the end of a line counts too. A design also uses a label such as
`**Requirements**:` or `**Requirements:** The API must …` as the title of a section of
constraints: a line whose label is not a Validates-style label (vocab.LEAD_LABELS) is a
reference only when it cites something (an ID, a range, "All") or names a placeholder; an
empty or all-prose one is left alone. The reference checks (unknown-requirement,
malformed-reference, placeholder-requirements) read them; they never count as coverage (tasks
cover requirements, a design only cites them). Nothing else of design.md is modelled.
"""

from __future__ import annotations

import os

from . import blocks
from .model import Record, RefKind, RefLine, Span
from .refs import find_inline_validates, match_ref_line, parse_list
from .text import split_lines
from .vocab import LEAD_LABELS

DESIGN_NAME = "design.md"
# the checks that read design.md's references (they report a design's citations as a task's)
DESIGN_CODES = frozenset({"unknown-requirement", "malformed-reference", "placeholder-requirements"})
_LEAD = frozenset(label.lower() for label in LEAD_LABELS)


class DesignDoc(Record, frozen=True):
    path: str
    lines: list[str]
    refs: tuple[RefLine, ...]

    @property
    def label(self) -> str:
        """How findings name the document ("design.md")."""
        return os.path.basename(self.path)


def parse_design(text_or_lines: str | list[str], path: str, labels: tuple[str, ...] = ()) -> DesignDoc:
    lines = split_lines(text_or_lines) if isinstance(text_or_lines, str) else list(text_or_lines)
    code = blocks.code_lines(lines)
    refs: list[RefLine] = []
    for n, line in enumerate(lines):
        if n in code or (":" not in line and "\uff1a" not in line):
            continue
        o = 1 if n == 0 and line.startswith("\ufeff") else 0  # positions count a BOM
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
        if (
            label.lower() not in _LEAD
            and not placeholder
            and all(item.kind is RefKind.MALFORMED for item in items)
        ):
            continue  # the title of a section of constraints, not a reference
        refs.append(
            RefLine(
                n,
                label,
                Span(n, ls + o, n, le + o),
                Span(n, bs + o, n, be + o),
                tuple(items),
                placeholder,
                inline=inline,
            )
        )
    return DesignDoc(path, lines, tuple(refs))

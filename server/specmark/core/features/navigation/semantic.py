"""Semantic tokens (full document).

The legend uses standard LSP token types, so every theme colours them:

| token type   | what                                                               |
|--------------|--------------------------------------------------------------------|
| `namespace`  | task IDs (`2.1`, `T003`, heading tasks) and `_Depends:_` task IDs  |
| `keyword`    | status glyphs between the brackets (`x`, ` `, `-`, `~`)            |
| `enumMember` | requirement references (IDs, range ends, `[US1]` labels, "All")   |
| `property`   | reference labels (`_Requirements:`, `Validates:`, `要件:`)          |

Modifiers: `declaration` on task IDs and on requirement IDs in the requirements document;
`deprecated` on references to IDs that are not defined.
"""

from __future__ import annotations

from ...analysis import SpecResult
from ...model import Record, Span
from .common import depends_tokens, requirement_tokens, requirements_doc, tasks_doc

TOKEN_TYPES = ("namespace", "keyword", "enumMember", "property")
TOKEN_MODIFIERS = ("declaration", "deprecated")


class Token(Record, frozen=True):
    line: int
    col: int
    end_col: int
    type: str
    modifiers: tuple[str, ...] = ()


def semantic_tokens(result: SpecResult | None, path: str) -> list[Token]:
    out: list[Token] = []
    doc = tasks_doc(result, path)
    if doc is not None and result is not None:
        for task in doc.tasks:
            if task.glyph_span is not None:
                out.append(_tok(task.glyph_span, "keyword"))
            if task.id_span is not None:
                out.append(_tok(task.id_span, "namespace", ("declaration",)))
            for ref in task.refs:
                if ref.label_span.end_col > ref.label_span.col:
                    out.append(_tok(ref.label_span, "property"))
        for tok in requirement_tokens(doc):
            known = tok.part == "all" or result.resolver.canonical(tok.raw) is not None
            out.append(_tok(tok.span, "enumMember", () if known else ("deprecated",)))
        for tok in depends_tokens(doc):
            out.append(_tok(tok.span, "namespace"))
    req = requirements_doc(result, path)
    if req is not None:
        for r in req.requirements:
            if r.id_span.end_col > r.id_span.col:
                out.append(_tok(r.id_span, "enumMember", ("declaration",)))
            for c in r.criteria:
                if not c.derived:
                    out.append(
                        _tok(
                            Span.on_line(c.line, c.span.col, c.span.col + len(c.id)),
                            "enumMember",
                            ("declaration",),
                        )
                    )
    return _clean(out)


def _tok(span: Span, type_: str, mods: tuple[str, ...] = ()) -> Token:
    return Token(span.line, span.col, span.end_col, type_, mods)


def _clean(tokens: list[Token]) -> list[Token]:
    """Sorted, single-line, non-empty, non-overlapping (the first of two overlapping wins)."""
    out: list[Token] = []
    for t in sorted(tokens, key=lambda t: (t.line, t.col, -t.end_col)):
        if t.end_col <= t.col:
            continue
        if out and out[-1].line == t.line and t.col < out[-1].end_col:
            continue
        out.append(t)
    return out

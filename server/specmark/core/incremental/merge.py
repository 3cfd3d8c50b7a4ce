"""Putting blocks back together: findings and tasks moved from block coordinates to the
document's, and a coverage made of the blocks' covered IDs."""

from __future__ import annotations

from collections.abc import Sequence

from ..coverage import Coverage
from ..model import DependsLine, Finding, Heading, Related, Task


def shift_finding(f: Finding, off: int) -> Finding:
    """`f` moved down `off` lines (its related locations in the same document too)."""
    if off == 0:
        return f
    path, related = f.path, f.related
    if related:  # a related location elsewhere stays the same object
        related = tuple(
            r if r.path != path else Related(path, r.span.shifted(off), r.message) for r in related
        )
    return Finding(f.code, path, f.span.shifted(off), f.message, f.severity, related, f.data)


def shift_tasks(tasks: Sequence[Task], off: int, base: int) -> list[Task]:
    """Copies of a block's tasks moved down `off` lines, their indices (parent, children) by
    `base`: enough for the execution-order checks (requirement references are not moved)."""
    out = []
    for t in tasks:
        deps = [DependsLine(d.line + off, d.items) for d in t.depends] if t.depends else []
        out.append(
            Task(
                t.index + base,
                t.line + off,
                t.kind,
                t.indent,
                t.status,
                t.glyph,
                t.glyph_span.shifted(off) if t.glyph_span is not None else None,
                t.optional,
                t.id,
                t.id_span.shifted(off) if t.id_span is not None else None,
                t.title,
                t.title_span.shifted(off),
                t.labels,
                t.story,
                t.story_span,
                t.section,
                t.end_line + off,
                t.parent + base if t.parent is not None else None,
                [c + base for c in t.children],
                t.refs,
                deps,
            )
        )
    return out


def shift_headings(headings: Sequence[Heading], off: int) -> list[Heading]:
    return [Heading(h.line + off, h.level, h.text) for h in headings] if off else list(headings)


def merged_coverage(covered: set[str], whole: bool) -> Coverage:
    """A Coverage with IDs only (task indices are per block): enough for uncovered checks."""
    cov = Coverage()
    cov.by_id = dict.fromkeys(covered, ())  # type: ignore[arg-type]  # no task indices
    cov.whole_spec = [-1] if whole else []
    return cov

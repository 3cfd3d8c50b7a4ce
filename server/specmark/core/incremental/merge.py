"""Putting blocks back together: findings and tasks moved from block coordinates to the
document's, and a coverage made of the blocks' covered IDs."""

from __future__ import annotations

from collections.abc import Sequence

from ..coverage import Coverage
from ..model import BadCheckbox, DependsLine, Finding, Heading, RefItem, RefLine, Related, Span, Task


def shift_finding(f: Finding, off: int) -> Finding:
    """`f` moved down `off` lines (its related locations in the same document too).

    On the hot path of an edit that inserts or deletes a line: every finding below it moves.
    A related location elsewhere (another document) stays the same object, and so does the
    related tuple when it holds none in this document (the usual case: "did you mean" points
    into requirements.md)."""
    if off == 0:
        return f
    path, related = f.path, f.related
    for r in related:
        if r.path == path:
            related = tuple(
                r if r.path != path else Related(path, r.span.shifted(off), r.message) for r in related
            )
            break
    s = f.span
    return Finding(
        f.code, path, _span((s[0] + off, s[1], s[2] + off, s[3])), f.message, f.severity, related, f.data
    )


def _span(values: tuple[int, int, int, int]) -> Span:
    """A Span made from a tuple without the named tuple's Python-level `__new__`."""
    return tuple.__new__(Span, values)


def shift_tasks(tasks: Sequence[Task], off: int, base: int) -> list[Task]:
    """Copies of a block's tasks moved down `off` lines, their indices (parent, children) by
    `base`: enough for the execution-order checks (requirement references are not moved)."""
    return [
        _moved(t, off, base, t.refs, [DependsLine(d.line + off, d.items) for d in t.depends]) for t in tasks
    ]


def _moved(t: Task, off: int, base: int, refs: list[RefLine], depends: list[DependsLine]) -> Task:
    """`t` moved down `off` lines with its own spans, its indices by `base`, with `refs` and
    `depends` (moved by the caller, as far as it needs them)."""
    return Task(
        t.index + base,
        t.line + off,
        t.kind,
        t.indent,
        t.status,
        t.glyph,
        _shift_span(t.glyph_span, off),
        t.optional,
        t.id,
        _shift_span(t.id_span, off),
        t.title,
        t.title_span.shifted(off),
        t.labels,
        t.story,
        _shift_span(t.story_span, off),
        t.section,
        t.end_line + off,
        t.parent + base if t.parent is not None else None,
        [c + base for c in t.children],
        refs,
        depends,
    )


def _shift_item(item: RefItem, off: int) -> RefItem:
    start_span, end_span = item.start_span, item.end_span
    return RefItem(
        item.kind,
        item.text,
        item.span.shifted(off),
        item.start,
        start_span.shifted(off) if start_span is not None else None,
        item.end,
        end_span.shifted(off) if end_span is not None else None,
    )


def _shift_span(span: Span | None, off: int) -> Span | None:
    return span.shifted(off) if span is not None else None


def place_tasks(tasks: Sequence[Task], off: int, base: int) -> list[Task]:
    """Copies of a block's tasks as a parse of the whole document gives them: moved down `off`
    lines with every span (requirement references and `_Depends:` items included), their
    indices (parent, children) by `base`."""
    if off == 0 and base == 0:
        return list(tasks)
    out = []
    for t in tasks:
        refs = [
            RefLine(
                r.line + off,
                r.label,
                r.label_span.shifted(off),
                r.list_span.shifted(off),
                tuple(_shift_item(i, off) for i in r.items) if off else r.items,
                r.placeholder,
                r.inline,
            )
            for r in t.refs
        ]
        deps = [
            DependsLine(d.line + off, tuple(_shift_item(i, off) for i in d.items) if off else d.items)
            for d in t.depends
        ]
        out.append(_moved(t, off, base, refs, deps))
    return out


def shift_bad_checkboxes(bad: Sequence[BadCheckbox], off: int) -> list[BadCheckbox]:
    return [BadCheckbox(b.line + off, b.span.shifted(off), b.inner) for b in bad] if off else list(bad)


def shift_headings(headings: Sequence[Heading], off: int) -> list[Heading]:
    return [Heading(h.line + off, h.level, h.text) for h in headings] if off else list(headings)


def placed_coverage(cov: Coverage, base: int) -> tuple[list[tuple[str, list[int]]], list[int]]:
    """A block's coverage (task indices relative to the block) with its indices moved by `base`:
    (ID, task indices) pairs in the block's order, and the whole-spec tasks."""
    return [(k, [i + base for i in v]) for k, v in cov.by_id.items()], [i + base for i in cov.whole_spec]


def merged_coverage(covered: frozenset[str] | set[str], whole: bool) -> Coverage:
    """A Coverage with IDs only (task indices are per block): enough for uncovered checks."""
    cov = Coverage()
    cov.by_id = dict.fromkeys(covered, ())  # type: ignore[arg-type]  # no task indices
    cov.whole_spec = [-1] if whole else []
    return cov

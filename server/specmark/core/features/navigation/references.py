"""Find references: from a requirement or criterion (a reference to it in a tasks document, or
its heading / criterion line in the requirements document) to every task reference that cites
it, in every tasks document of the spec — directly, through a range, through its requirement
(a whole-requirement reference covers each criterion), through one of its criteria (for a
requirement) or through "All". From a task (its line, or a `_Depends:_` reference to it): the
`_Depends:_` references to it."""

from __future__ import annotations

from ...analysis import SpecResult
from ...design import DesignDoc
from .common import (
    citation_span,
    citing_items,
    covered_ids_of,
    depends_tokens,
    find_task,
    target_at,
    task_line_span,
)
from .definition import Location


def references(
    result: SpecResult | None,
    path: str,
    line: int,
    col: int,
    include_declaration: bool = True,
    design: DesignDoc | None = None,
) -> list[Location] | None:
    """None when the position is not on something that can be referenced. With the spec's
    design.md, its `**Validates: …**` citations of a requirement are references too."""
    target = target_at(result, path, line, col)
    if target is None or result is None:
        return None
    if target.kind in ("task", "depends"):
        if not target.ident:
            return None
        return task_references(result, target.ident, path, include_declaration)
    if target.ident is None:
        return None
    return requirement_references(result, target.ident, include_declaration, design)


def requirement_references(
    result: SpecResult, ident: str, include_declaration: bool = True, design: DesignDoc | None = None
) -> list[Location]:
    out: list[Location] = []
    if include_declaration and result.requirements is not None:
        hit = result.resolver.lookup(ident)
        if hit is not None:
            out.append(Location(result.requirements.path, hit.span))
    seen = set()
    for p, _task, _item, span in citing_items(result, ident):
        key = (p, span)
        if key not in seen:
            seen.add(key)
            out.append(Location(p, span))
    if design is not None:
        ids = covered_ids_of(result, ident)
        for ref in design.refs:
            for item in ref.items:
                cited = citation_span(result.resolver, item, ident, ids)
                if cited is not None:
                    out.append(Location(design.path, cited))
    return out


def task_references(
    result: SpecResult, ident: str, prefer: str, include_declaration: bool = True
) -> list[Location]:
    out: list[Location] = []
    if include_declaration:
        found = find_task(result, ident, prefer)
        if found is not None:
            doc, task = found
            out.append(Location(doc.path, task_line_span(doc, task)))
    for doc in result.tasks:
        for tok in depends_tokens(doc):
            if tok.raw == ident:
                out.append(Location(doc.path, tok.span))
    return out

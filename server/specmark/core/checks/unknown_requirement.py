"""unknown-requirement: a referenced ID (or a range end) that the requirements document lacks."""

from __future__ import annotations

import os

from ..coverage import task_ref_items
from ..model import Finding, RefKind, Related, Severity
from ..requirements import unrecognised_definitions

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..model import Span
    from . import CheckContext

CODE = "unknown-requirement"
DEFAULT = Severity.ERROR
SUMMARY = "A referenced requirement ID is not defined in the requirements document."


def check(ctx: CheckContext) -> Iterator[Finding]:
    req_doc = ctx.requirements
    if req_doc is None or not req_doc.requirements:
        return
    index = ctx.resolver.index
    known_kind = RefKind.ID
    # IDs the document writes in a shape the parser does not read: reported once, by
    # unrecognised-requirements, not here at every reference
    unread = {i.upper() for _n, i, _s in unrecognised_definitions(req_doc)}
    for doc in ctx.tasks:
        for task in doc.tasks:
            refs = task.refs
            if not refs and not task.story:
                continue  # no reference items (task_ref_items would be empty)
            # task_ref_items(task), its common case without the call
            for item in refs[0].items if len(refs) == 1 and not task.story else task_ref_items(task):
                if item.kind is known_kind and item.start in index:
                    continue  # a known ID: resolve() would report nothing unknown
                for ident, span in ctx.resolver.resolve(item).unknown:
                    if not unread or ident.upper() not in unread:
                        yield _finding(ctx, doc.path, task.label, ident, span)
    for design in ctx.design:
        for ref in design.refs:
            for item in ref.items:
                for ident, span in ctx.resolver.resolve(item).unknown:
                    if not unread or ident.upper() not in unread:
                        yield _finding(ctx, design.path, design.label, ident, span)


def _finding(ctx: CheckContext, path: str, who: str, ident: str, span: Span) -> Finding:
    """`who` (a task, design.md) cites `ident`, which the requirements document lacks."""
    req_doc = ctx.requirements
    assert req_doc is not None  # an ID is unknown only to a requirements document
    name = os.path.basename(req_doc.path)
    sugg = ctx.resolver.suggestions(ident)
    related = []
    for s in sugg[:1]:
        target = ctx.resolver.lookup(s)
        if target is not None:
            related.append(Related(req_doc.path, target.span, f"did you mean {s}?"))
    hint = f"; did you mean {_either(sugg)}?" if sugg else f"; add it to {name} or fix the ID"
    return Finding(
        CODE,
        path,
        span,
        f"{who} references {_what(ident)} {ident}, which {name} does not define{hint}",
        related=tuple(related),
        data={"id": ident, "suggestions": sugg},
    )


def _what(ident: str) -> str:
    if ident.startswith("US"):
        return "user story"
    return "criterion" if "." in ident else "requirement"


def _either(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} or {ids[-1]}"

"""duplicate-requirement-id: the same requirement ID defined twice."""

from __future__ import annotations

from ..model import Finding, Related, Severity

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..model import Requirement
    from . import CheckContext

CODE = "duplicate-requirement-id"
DEFAULT = Severity.ERROR
SUMMARY = "The same requirement ID is defined twice."


def check(ctx: CheckContext) -> Iterator[Finding]:
    req_doc = ctx.requirements
    if req_doc is None:
        return
    first: dict[str, Requirement] = {}
    for req in req_doc.requirements:
        prev = first.get(req.id)
        if prev is None:
            first[req.id] = req
            continue
        yield Finding(
            CODE,
            req_doc.path,
            req.id_span,
            f"Requirement {req.id} is already defined on line {prev.line + 1}; renumber one of them "
            f"(references to {req.id} are ambiguous)",
            related=(Related(req_doc.path, prev.id_span, f"first definition of {req.id}"),),
        )

"""duplicate-requirement-id: the same requirement ID defined twice."""

from __future__ import annotations

from ..model import Finding, Related, Severity

CODE = "duplicate-requirement-id"
DEFAULT = Severity.ERROR
SUMMARY = "The same requirement ID is defined twice."


def check(ctx):
    req_doc = ctx.requirements
    if req_doc is None:
        return
    first: dict[str, object] = {}
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

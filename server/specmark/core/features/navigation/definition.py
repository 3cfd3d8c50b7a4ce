"""Go to definition: a requirement reference → the requirement or criterion in the requirements
document (each end of a range to its own target; "All" to the document); a `_Depends:_` task
reference → the task."""

from __future__ import annotations

from ...analysis import SpecResult
from ...model import Record, Span
from .common import find_task, target_at, task_line_span


class Location(Record, frozen=True):
    path: str
    span: Span


def definition(result: SpecResult | None, path: str, line: int, col: int) -> list[Location]:
    target = target_at(result, path, line, col)
    if target is None or result is None or target.token is None:
        return []
    if target.kind == "depends":
        found = find_task(result, target.ident or "", path)
        if found is None:
            return []
        doc, task = found
        return [Location(doc.path, task_line_span(doc, task))]
    req_doc = result.requirements
    if req_doc is None:
        return []
    if target.token.part == "all":
        return [Location(req_doc.path, Span.on_line(0, 0, 0))]
    if target.criterion is not None:
        return [Location(req_doc.path, target.criterion.span)]
    if target.requirement is not None:
        return [Location(req_doc.path, target.requirement.span)]
    return []

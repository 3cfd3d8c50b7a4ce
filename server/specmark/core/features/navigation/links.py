"""Document links: each requirement reference → its line in the requirements document; each
`_Depends:_` task reference → the task's line. Targets carry a `#L<line>` fragment (1-based)."""

from __future__ import annotations

from ...analysis import SpecResult
from ...model import Record, Span
from .common import depends_tokens, find_requirement, find_task, requirement_tokens, short, tasks_doc


class Link(Record, frozen=True):
    span: Span
    path: str  # the target document
    line: int  # the target line (0-based)
    tooltip: str


def document_links(result: SpecResult | None, path: str) -> list[Link]:
    doc = tasks_doc(result, path)
    if doc is None or result is None:
        return []
    out: list[Link] = []
    req_doc = result.requirements
    if req_doc is not None:
        for tok in requirement_tokens(doc):
            if tok.part == "all":
                continue
            ident = result.resolver.canonical(tok.raw)
            req, crit = find_requirement(result, ident) if ident else (None, None)
            if crit is not None:
                out.append(Link(tok.span, req_doc.path, crit.line, short(f"{crit.id}: {crit.text}", 100)))
            elif req is not None:
                out.append(
                    Link(
                        tok.span,
                        req_doc.path,
                        req.line,
                        short(f"{req.id}: {req.title}" if req.title else req.id, 100),
                    )
                )
    for tok in depends_tokens(doc):
        found = find_task(result, tok.raw, path)
        if found is not None:
            tdoc, task = found
            out.append(Link(tok.span, tdoc.path, task.line, short(f"Task {task.id} {task.title}", 100)))
    return sorted(out, key=lambda k: (k.span.line, k.span.col))

"""unrecognised-requirements: the requirements document is written in a shape specmark does not
read, so references into it cannot be checked. Reported once, on the requirements document; the
unknown-requirement findings its unread IDs would cause are not reported (see
requirements.unrecognised_definitions)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..model import Finding, Severity, Span
from ..requirements import unrecognised_definitions
from . import CheckContext

CODE = "unrecognised-requirements"
DEFAULT = Severity.WARNING
SUMMARY = "The requirements document defines IDs in a shape specmark does not read."

_SEE = 'see "Requirements documents" in docs/conventions.md for the shapes specmark reads'


def check(ctx: CheckContext) -> Iterator[Finding]:
    req_doc = ctx.requirements
    # no tasks document (the coverage has one entry per tasks document): nothing cites it,
    # nothing is left unchecked
    if req_doc is None or not (ctx.tasks or ctx.coverage):
        return
    name = os.path.basename(req_doc.path)
    found = unrecognised_definitions(req_doc)
    if found:
        shapes = list(dict.fromkeys(shape for _n, _i, shape in found))
        examples = ", ".join(f"line {n + 1} `{_excerpt(req_doc.lines[n])}`" for n, _i, _s in found[:3])
        count = len(found)
        lines = "line looks" if count == 1 else "lines look"
        first = found[0][0]
        yield Finding(
            CODE,
            req_doc.path,
            _line_span(req_doc.lines, first),
            f"{name}: {count} {lines} like requirement definitions in a shape specmark does not read "
            f"({', '.join(shapes)}: {examples}); references to "
            f"{'its ID' if count == 1 else 'their IDs'} are not checked; {_SEE}",
            data={"lines": [n for n, _i, _s in found], "ids": [i for _n, i, _s in found]},
        )
        return
    if req_doc.requirements or not any(line.strip() for line in req_doc.lines):
        return
    yield Finding(
        CODE,
        req_doc.path,
        _line_span(req_doc.lines, _first_text(req_doc.lines)),
        f"{name} defines no requirement that specmark can read (no `### Requirement N` heading, "
        f"no `- **FR-001**:` item, no `1.1 WHEN …` clause), so references to it are not checked; {_SEE}",
    )


def _excerpt(line: str, width: int = 40) -> str:
    text = line.strip().replace("`", "'")
    return text if len(text) <= width else text[: width - 1] + "…"


def _first_text(lines: list[str]) -> int:
    return next((n for n, line in enumerate(lines) if line.strip()), 0)


def _line_span(lines: list[str], n: int) -> Span:
    line = lines[n] if n < len(lines) else ""
    start = len(line) - len(line.lstrip())
    return Span.on_line(n, start, len(line.rstrip()))

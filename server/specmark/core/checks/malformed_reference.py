"""malformed-reference: a reference token that is neither an ID, a range nor known free text.

Without a requirements document (or one that defines no requirement) there is nothing a
reference could trace to, so free text is not judged: such a spec may cite its requirements
by name, and specmark cannot tell a name from a mistake (unknown-requirement is silent there
too). A reference by the name of a section of the requirements document (`Security NFR`,
`Non-Functional Requirements (Performance, Usability)` where the document has those headings)
is not reported either: it names something that exists, which has no ID to cite.
Placeholders are placeholder-requirements' business either way."""

from __future__ import annotations

import re

from ..model import Finding, RefKind, Requirement, RequirementsDoc, Severity
from ..refs import is_placeholder
from ..text import lazy
from ..vocab import SECTION_WORDS, alternation

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterator

    from . import CheckContext

CODE = "malformed-reference"
DEFAULT = Severity.WARNING
SUMMARY = "A reference token is neither a requirement ID, a range nor 'All'."

_HEADING = lazy(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$")
_NOISE = lazy(r"[*_`]+|^(?:\d+(?:\.\d+)*\.?|[A-Z]+-\d+:?)[ \t]+", re.I)
_SECTION = lazy(rf"(?<!\w)(?:{alternation(SECTION_WORDS)})(?!\w)", re.I)
_PARTS = lazy(r"[()（）,，、;；/]")
_JOINED = lazy(r" and | & |と|和|及")
# (requirements document, its section names): one entry
_last: list[object] = [None, frozenset()]


def section_names(req_doc: RequirementsDoc | None) -> frozenset[str]:
    """The requirements document's headings, folded (`## 3. Security` is "security")."""
    if req_doc is None:
        return frozenset()
    if _last[0] is req_doc:
        return _last[1]  # type: ignore[return-value]
    from ..requirements import by_section, code_of

    parts = by_section(req_doc, "section-names", _names)
    if parts is None:
        found = _names(tuple(req_doc.lines), code_of(req_doc), req_doc.requirements)
    else:
        found = frozenset().union(*(names for _a, names in parts))
    _last[0], _last[1] = req_doc, found
    return found


def _names(lines: tuple[str, ...], code: frozenset[int], reqs: list[Requirement]) -> frozenset[str]:
    # a requirement's own heading is cited by its ID (and retitling it must not re-check every
    # block of tasks.md in the server: core/incremental/ keys blocks on these names)
    skip = code | {req.line for req in reqs}
    names: set[str] = set()
    for n, line in enumerate(lines):
        if line.lstrip(" ").startswith("#") and n not in skip:
            m = _HEADING.match(line)
            if m:
                name = _fold(_NOISE.sub("", m.group(1)))
                if name:
                    names.add(name)
    return frozenset(names)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def names_a_section(text: str, names: frozenset[str]) -> bool:
    """`text` names sections of the requirements document: all of it, or each of its parts once
    words such as "NFR" or "Non-Functional Requirements" are dropped, is a heading (or the
    start of one: "Monitoring" for "Monitoring and Observability")."""
    if not names:
        return False
    if _fold(text) in names:
        return True
    parts = [_fold(p) for p in _PARTS.split(_SECTION.sub(" ", text))]
    parts = [p for p in parts if p]
    return bool(parts) and all(
        _is_section(p, names) or all(_is_section(_fold(q), names) for q in _JOINED.split(p)) for p in parts
    )


def _is_section(name: str, names: frozenset[str]) -> bool:
    return name in names or (len(name) >= 3 and any(n.startswith(name + " ") for n in names))


def check(ctx: CheckContext) -> Iterator[Finding]:
    req_doc = ctx.requirements
    if req_doc is None or not req_doc.requirements:
        return
    malformed = RefKind.MALFORMED
    names = None
    for path, who, refs, _task in ctx.unusual_citing():  # the lines that list something odd
        for ref in refs:
            for item in ref.items:
                if item.kind is malformed and not is_placeholder(item.text):
                    if names is None:
                        names = section_names(req_doc)
                    if names_a_section(item.text, names):
                        continue
                    yield Finding(
                        CODE,
                        path,
                        item.span,
                        f"{who}: {item.text!r} is not a requirement ID; write IDs such as `1.2`, "
                        f"ranges such as `1.1-1.4`, or `All`",
                    )

"""The requirements-document parser: requirements.md, bugfix.md and spec-kit's spec.md.

The accepted shapes, with examples, are documented in docs/conventions.md ("Requirements
documents"); the localised words (requirement, acceptance criteria, user story headings) come
from core/vocab.py.

- Kiro / cc-sdd / spec-workflow: `### Requirement N[: Title]` (any heading level, localised:
  `### 需求 1：`, `### 要件27C:`, `### Требование 2`, `### Requisito 3`), `### REQ-001: Title`,
  `### FR-1: Title`, and cc-sdd's `### 1. Overview` / `### 2 Feature: …` when the next heading
  (or a bold label) is an Acceptance Criteria one; `#### Acceptance Criteria` or a bold label
  `**受け入れ条件:**`; criterion IDs `N.M` are derived from the position of top-level numbered
  items, or written (`- 1.1 text`, `- **FR1.1**: text`, `- AC-6.1: text`, `- AC1: text`).
- Requirements as bold labels or ID bullets outside headings: `**FR-1: Title**`,
  `- **FR-001**: text`, `- **NFR2.3**: text` (a dotted ID is a criterion of its parent).
- bugfix.md: written criterion IDs `1.1 WHEN …` under the Current/Expected/Unchanged headings.
- spec-kit spec.md: `### User Story N - Title` (US N, localised), `**FR-001**`, `**SC-001**`.

`unrecognised_definitions` lists the lines that look like requirement definitions but were not
read as one (the unrecognised-requirements check reports them once).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import namedtuple
from itertools import compress, count, islice
from operator import methodcaller

from . import blocks
from .model import Criterion, Flavor, Record, Requirement, RequirementKind, RequirementsDoc, Span
from .refs import normalise_id
from .text import indent_width, lazy, split_lines
from .vocab import (
    ACCEPTANCE_HEADINGS,
    REQUIREMENT_HEADING_WORDS,
    STORY_PRIORITY_WORDS,
    USER_STORY_WORDS,
    alternation,
)

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TypeVar

    T = TypeVar("T")

_span = tuple.__new__  # _span(Span, (line, col, line, end_col)): Span.on_line without its call
_HEADING = lazy(r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t#]*$")
_REQ_HEADING = lazy(
    rf"^(?P<word>{alternation(REQUIREMENT_HEADING_WORDS)})[ \t]*(?P<id>\d+[A-Za-z]?)\b\.?"
    r"(?:[ \t]*(?:[:：.\-–—][ \t]*)?(?P<title>.*))?$",
    re.I,
    needs_digit=True,
)
_PREFIXED_HEADING = lazy(
    r"^(?:\*\*|__)?(?P<id>(?:REQ|NFR|FR|BR)-?\d+[A-Z]?(?:\.\d+)*|R\d+)(?![\w.])(?:\*\*|__)?"
    r"(?:[ \t]*(?:[:：.\-–—][ \t]*)?(?P<title>.*))?$",
    re.I,
    needs_digit=True,
)
_NUMERIC_HEADING = lazy(
    r"^(?P<id>\d+[A-Za-z]?)(?:\.(?!\d)|(?=[ \t]))[ \t]*(?:[:：\-–—][ \t]*)?(?P<title>.*)$", needs_digit=True
)
_PRIORITY = alternation(STORY_PRIORITY_WORDS)
_STORY_HEADING = lazy(
    rf"^(?:{alternation(USER_STORY_WORDS)})[ \t]*(?P<id>\d+)\b"
    r"(?:[ \t]*[-–—:：][ \t]*(?P<title>.*?))?"
    rf"(?:[ \t]*[(（](?:{_PRIORITY})[^)）]*[)）])?[ \t]*$",
    re.I,
    needs_digit=True,
)
_AC_WORDS = alternation(ACCEPTANCE_HEADINGS)
_AC_HEADING = lazy(rf"^(?:{_AC_WORDS})\b", re.I)
# a bold (or plain, with a colon) label standing for the Acceptance Criteria heading
_AC_LABEL = lazy(
    r"^[ \t]*(?:[-*+][ \t]+)?(?P<o>[*_]{1,2})?"
    rf"(?:{_AC_WORDS})(?:[ \t]*[(（][^)）]*[)）])?"
    r"[ \t]*(?P<c1>[:：])?[ \t]*(?P<c>[*_]{1,2})?[ \t]*(?P<c2>[:：])?[ \t]*$",
    re.I,
)
_AC_LABEL_ENDS = (":", "：", "*", "_")  # what a line _is_ac_label accepts ends with
_ORDERED = lazy(r"^(?P<indent>[ \t]*)(?P<num>\d{1,9})[.)](?:[ \t]+(?P<text>.*)|$)")
# a written definition: `- **FR1.1**: text`, `**FR-1: Title**`, `- AC-6.1: text`, `- 1.1 text`
_DEF = lazy(
    r"^(?P<lead>[ \t]*(?:[-*+][ \t]+)?)(?P<o>\*\*|__)?"
    r"(?P<id>(?P<prefix>(?:REQ|NFR|FR|SC|BR|AC|R)-?)?\d+[A-Za-z]?(?:\.\d+)*)(?P<rest>.*)$"
)
_DEF_CLOSED = lazy(r"^[ \t]*[:：.)]?[ \t]*(?:\*\*|__)[ \t]*[:：.\-–—]?[ \t]*(?P<text>.*)$")
_DEF_TITLED = lazy(
    r"^[ \t]*[:：.\-–—][ \t]*(?P<title>[^*_]+?)[ \t]*(?:\*\*|__)[ \t]*[:：]?[ \t]*(?P<text>.*)$"
)
_DEF_PLAIN = lazy(r"^(?:[ \t]*[:：)]|\.)?[ \t]+(?P<text>\S.*)$")
_DEF_COLON = lazy(r"^[ \t]*[:：][ \t]*(?P<text>\S.*)$")
_DEF_FIRST = frozenset("-*+_0123456789RFNSBAQ")  # what _DEF can see first after the indentation
_BUGFIX = lazy(
    r"^[ \t]*(?:[-*+][ \t]+)?(?P<id>[1-9]\d*\.\d+)[ \t]+(?P<text>(?:WHEN|IF|WHILE|WHERE|THE|GIVEN)\b.*)$",
    needs_digit=True,
)
_BUGFIX_FIRST = "-*+123456789"  # what _BUGFIX can see first after the indentation
_CLEAN_TITLE = lazy(r"^[\s*_`]+|[\s*_`]+$")


class _Def(Record):
    """A written definition line, read by `_definition`."""

    raw: str
    ident: str
    col: int
    end: int
    title: str
    text: str
    label: bool  # bold paragraph label `**FR-1: Title**` (no bullet)
    bullet: bool


def _definition(line: str) -> _Def | None:
    """The written definition on `line`, or None. An ID needs a prefix (FR, NFR, AC, REQ, R …)
    or a dot (1.1) to be one; without bold, a prefixed ID needs a colon after it."""
    m = _DEF.match(line)
    if m is None:
        return None
    raw, rest, bold = m.group("id"), m.group("rest"), m.group("o")
    prefix = m.group("prefix")
    if not prefix and "." not in raw:
        return None
    if rest[:1].isalnum() or rest[:1] == "-" or (rest[:1] == "." and rest[1:2].isdigit()):
        return None
    bullet = bool(m.group("lead").strip())
    title = ""
    if bold:
        cm = _DEF_CLOSED.match(rest)
        if cm is not None and bold in rest:
            text = cm.group("text")
        else:
            tm = _DEF_TITLED.match(rest) if bold in rest else None
            if tm is None:
                return None
            title, text = tm.group("title"), tm.group("text")
    else:
        dm = _DEF_COLON.match(rest) if prefix else _DEF_PLAIN.match(rest)
        if dm is None or (prefix and not bullet):
            return None
        text = dm.group("text")
    text = text.strip()
    ident = normalise_id(raw)
    return _Def(
        raw, ident, m.start("id"), m.end("id"), title.strip(), text, bool(bold) and not bullet, bullet
    )


def parse_requirements(
    text: str | list[str], path: str = "requirements.md", flavor: str = Flavor.KIRO
) -> RequirementsDoc:
    lines, off, code = _prepared(split_lines(text) if isinstance(text, str) else list(text))
    return RequirementsDoc(path=path, lines=lines, requirements=_read(lines, off, code), flavor=flavor)


class _Reads:
    """What a section's parse read beyond its own lines (see parse_requirements_by_section)."""

    __slots__ = ("portable", "open_level")

    def __init__(self) -> None:
        self.portable = True  # no state shared across sections (bugfix groups, dotted groups)
        self.open_level = 7  # the lowest level whose Acceptance Criteria look-ahead ran off the end


def _read(lines: list[str], off: int, code: frozenset[int], reads: _Reads | None = None) -> list[Requirement]:
    """The requirements of `lines` (a BOM already removed from line 0: `off` 1 shifts its
    columns); `reads`, when given, learns what the parse read beyond `lines`."""
    reqs: list[Requirement] = []
    by_id: dict[str, Requirement] = {}
    current: Requirement | None = None
    current_level = 0
    from_label = False  # the current section opened with a bold label, not a heading
    in_ac = False
    current_has_ac = False
    ac_level = 0
    base_indent: int | None = None
    bugfix_groups: dict[str, Requirement] = {}
    last_heading: tuple[int, str, int] | None = None  # line, text, level
    # the requirement whose derived criteria were counted last, how many it had, and the length
    # of its criteria list then
    counted: Requirement | None = None
    counted_n = counted_len = 0

    def col(n: int, c: int) -> int:
        return c + off if n == 0 else c

    def close(at: int) -> None:
        nonlocal current
        if current is not None:
            end = at - 1
            while end > current.line and not lines[end].strip():
                end -= 1
            current.end_line = max(end, current.end_line)
        current = None

    def add(req: Requirement) -> None:
        reqs.append(req)
        by_id.setdefault(req.id.upper(), req)

    def criterion(req: Requirement, ident: str, text: str, n: int, start: int, written: bool) -> None:
        line = lines[n]
        req.criteria.append(
            Criterion(
                ident,
                req.id,
                text,
                _span(Span, (n, col(n, start), n, col(n, len(line.rstrip())))),
                n,
                derived=not written,
            )
        )
        req.end_line = max(req.end_line, n)

    for n, line in enumerate(lines):
        if not line or n in code:
            continue
        # cheap necessary conditions first: most lines are criteria, prose or blank
        hm = _HEADING.match(line) if "#" in line else None
        if hm:
            level = len(hm.group("hashes"))
            htext = hm.group("text")
            last_heading = (n, htext, level)
            text_col = hm.start("text")
            rm = _REQ_HEADING.match(htext) or _PREFIXED_HEADING.match(htext)
            # (_NUMERIC_HEADING needs a digit first: the look-ahead only for such a heading)
            if rm is None and htext[:1].isdigit() and _next_heading_is_ac(lines, n):
                # cc-sdd also allows "### 1. Overview" and "### 2 Feature: …": a bare number is a
                # requirement when the next heading (or bold label) is its Acceptance Criteria
                rm = _NUMERIC_HEADING.match(htext)
            sm = None if rm else _STORY_HEADING.match(htext)
            if rm or sm:
                close(n)
                m = rm or sm
                assert m is not None
                raw_id = m.group("id")
                if sm:
                    ident = f"US{raw_id}"
                    kind = RequirementKind.STORY
                else:
                    ident = normalise_id(raw_id)
                    kind = RequirementKind.REQUIREMENT
                title = _CLEAN_TITLE.sub("", (m.group("title") or ""))
                id_col = text_col + m.start("id")
                current = Requirement(
                    id=ident,
                    title=title,
                    line=n,
                    span=_span(Span, (n, col(n, text_col), n, col(n, len(line.rstrip())))),
                    id_span=_span(Span, (n, col(n, id_col), n, col(n, id_col + len(raw_id)))),
                    end_line=n,
                    kind=kind,
                )
                add(current)
                current_level = level
                from_label = False
                has_ac = _has_ac_heading(lines, n, level)
                if has_ac is None and reads is not None:
                    reads.open_level = min(reads.open_level, level)
                current_has_ac = bool(has_ac)
                in_ac = False
                base_indent = None
                continue
            if current is not None and from_label and _AC_HEADING.match(htext):
                in_ac = True  # a bold-label requirement's Acceptance Criteria heading
                ac_level = level
                base_indent = None
                continue
            if current is not None and level <= current_level:
                close(n)
                in_ac = False
                continue
            if current is not None:
                if _AC_HEADING.match(htext):
                    in_ac = True
                    ac_level = level
                    base_indent = None
                elif in_ac and level <= ac_level:
                    in_ac = False
            continue
        lead = line.lstrip(" \t")[:1]
        # a numbered item ("1. WHEN …", the commonest line): neither an Acceptance Criteria
        # label (no such word starts with a digit) nor a written definition (after the digits
        # _ORDERED wants "." or ")" and a blank or the end, _DEF a prefix or a dotted ID)
        om = _ORDERED.match(line) if lead.isdigit() else None
        if (
            om is None
            and current is not None
            and current.kind in (RequirementKind.REQUIREMENT, RequirementKind.STORY)
            and _is_ac_label(line)
        ):
            in_ac = True  # `**Acceptance Criteria:**` in place of the heading
            ac_level = current_level + 1
            base_indent = None
            continue
        # written definitions: `- **FR-001**: text`, `**FR-1: Title**`, `- 1.1 text`, `- AC1: …`
        dm = _definition(line) if om is None and lead in _DEF_FIRST else None
        if dm is not None and _take_definition(dm, current):
            ident = dm.ident
            dotted = "." in ident
            is_ac = ident.startswith("AC")
            if (
                current is not None
                and current.kind in (RequirementKind.REQUIREMENT, RequirementKind.FUNCTIONAL)
                and (dotted or is_ac)
            ):
                if is_ac and not dotted:
                    # `- AC1: …` under requirement 1: its first criterion, 1.1 (as `R1-AC1` says)
                    ident = f"{current.id}.{ident[3:]}"
                written = ident == dm.raw
                criterion(current, ident, dm.text or dm.title, n, dm.col, written)
                continue
            if dotted and not is_ac:
                # a dotted ID outside a section: a criterion of the requirement its parent names
                if reads is not None:
                    reads.portable = False
                group_id = ident.rsplit(".", 1)[0]
                group = by_id.get(group_id.upper())
                if group is None:
                    close(n)
                    hl = n
                    group = Requirement(
                        id=group_id,
                        title="",
                        line=hl,
                        span=_span(Span, (hl, col(hl, dm.col), hl, col(hl, dm.end))),
                        id_span=_span(Span, (hl, col(hl, dm.col), hl, col(hl, dm.col))),
                        end_line=n,
                        kind=RequirementKind.SUCCESS
                        if group_id.startswith("SC")
                        else RequirementKind.FUNCTIONAL,
                    )
                    add(group)
                criterion(group, ident, dm.text or dm.title, n, dm.col, ident == dm.raw)
                continue
            if not dotted and not is_ac:
                close(n)
                kind = RequirementKind.SUCCESS if ident.startswith("SC") else RequirementKind.FUNCTIONAL
                if ident[:1].isdigit() or ident.startswith("REQ"):
                    kind = RequirementKind.REQUIREMENT  # `**REQ-1: Title**`, `**R1: Title**`
                title = dm.title or dm.text
                req = Requirement(
                    id=ident,
                    title=title,
                    line=n,
                    span=_span(
                        Span, (n, col(n, len(line) - len(line.lstrip())), n, col(n, len(line.rstrip())))
                    ),
                    id_span=_span(Span, (n, col(n, dm.col), n, col(n, dm.end))),
                    end_line=n,
                    kind=kind,
                    body=dm.text,
                )
                add(req)
                current = req
                current_level = (last_heading[2] if last_heading else 0) + 1
                from_label = True
                current_has_ac = False
                in_ac = False
                base_indent = None
                continue
        # a numbered item is never a written criterion ID either: after the same digits
        # _BUGFIX wants "." and a digit; so one regex, not three, for most lines of a
        # requirements document
        fm = (
            _BUGFIX.match(line)
            if om is None and lead in _BUGFIX_FIRST and lead and not _in_requirement(current)
            else None
        )
        if fm:
            if reads is not None:
                reads.portable = False
            ident = fm.group("id")
            group = ident.split(".")[0]
            bug = bugfix_groups.get(group)
            if bug is None:
                title = last_heading[1] if last_heading else f"Group {group}"
                hl = last_heading[0] if last_heading else n
                bug = Requirement(
                    id=group,
                    title=_CLEAN_TITLE.sub("", title),
                    line=hl,
                    span=_span(Span, (hl, 0, hl, len(lines[hl]))),
                    id_span=_span(Span, (hl, 0, hl, 0)),
                    end_line=n,
                    kind=RequirementKind.BUGFIX_GROUP,
                )
                bugfix_groups[group] = bug
                reqs.append(bug)
            criterion(bug, ident, fm.group("text").strip(), n, fm.start("id"), True)
            continue
        if current is None or current.kind not in ("requirement", "story"):
            continue
        if om and (in_ac or (current.kind == RequirementKind.REQUIREMENT and not current_has_ac)):
            ind = indent_width(om.group("indent"))
            if base_indent is None:
                base_indent = ind
            if ind <= base_indent + 1:
                # written IDs are not counted; the count is kept while only this branch adds
                # criteria to the requirement (its list grows by one each time)
                crit = current.criteria
                if counted is not current or counted_len != len(crit):
                    counted, counted_n = current, sum(1 for c in crit if c.derived)
                counted_n += 1
                counted_len = len(crit) + 1
                ordinal = counted_n
                text_part = (om.group("text") or "").strip()
                current.criteria.append(
                    Criterion(
                        id=f"{current.id}.{ordinal}",
                        requirement=current.id,
                        text=text_part,
                        span=_span(Span, (n, col(n, ind), n, col(n, len(line.rstrip())))),
                        line=n,
                    )
                )
                continue
        if not current.criteria and line.strip() and not current.body:
            current.body = line.strip()
    close(len(lines))
    for req in bugfix_groups.values():
        req.end_line = max(c.line for c in req.criteria)
    return reqs


# ---- the server's parse: section by section, unchanged sections reused -------------------------

# lines list (by identity) → its code lines: parse_requirements computed them, the checks that
# read a requirements document's lines ask again (code_of)
_CODE: dict[int, tuple[list[str], frozenset[int]]] = {}
# (section lines, their code lines, the BOM offset) → (requirements relative to the
# section, what the parse read beyond it)
_SectionKey = tuple[tuple[str, ...], frozenset[int], int]
_SECTIONS: dict[_SectionKey, tuple[list[Requirement], _Reads]] = {}
# a line starting with "#" → _cut_level(line)
_CUT_LEVELS: dict[str, int] = {}
_STARTS_A_HEADING = methodcaller("startswith", "#")
# section lines → (their code lines, whether the section ends outside any fence or HTML block)
_SECTION_CODE: dict[tuple[str, ...], tuple[frozenset[int], bool]] = {}
# path → (section key, first line) → the section's requirements moved there, for the last
# version of that document only (what its next version reuses)
_PLACED: dict[str, dict[tuple[_SectionKey, int], list[Requirement]]] = {}
_SECTIONS_MAX = 1024  # or three times the sections of the document at hand
# lines list (by identity) of a document parsed by section → (lines, [(first line, section key)])
_SECTIONED: dict[int, tuple[list[str], list[tuple[int, _SectionKey]]]] = {}
# (what, section key) → what was derived from the section alone (by_section)
_DERIVED: dict[tuple[str, _SectionKey], Any] = {}


class _SectionRead(namedtuple("_SectionRead", ("start", "end", "key", "rel", "closed", "read", "placed"))):
    """A section as parse_requirements_by_section read it in the last version of its document."""

    __slots__ = ()
    start: int
    end: int
    key: _SectionKey
    rel: frozenset[int]  # its code lines, relative to it
    closed: bool  # it ends outside any fence or HTML block
    read: tuple[list[Requirement], _Reads] | None  # _SECTIONS[key]
    placed: list[Requirement] | None  # its requirements moved to `start` (None: not yet)


class _LastRead(
    namedtuple("_LastRead", ("text", "off", "starts", "levels", "records", "out", "bounds", "keys", "code"))
):
    """The last version of a document parse_requirements_by_section read by section."""

    __slots__ = ()
    text: Sequence[str]  # its lines (a copy of a list)
    off: int  # the byte-order mark's offset
    starts: list[int]  # the sections' first lines
    levels: list[int]  # their headings' levels
    records: list[_SectionRead]  # the sections
    out: list[Requirement]  # the requirements read (placed)
    bounds: list[int]  # where each section's requirements start in `out` (and the end)
    keys: list[tuple[int, _SectionKey]]  # (first line, section key)
    code: frozenset[int]  # the code lines


# path → the last version parse_requirements_by_section read by section
_LAST_READ: dict[str, _LastRead] = {}


def code_of(doc: RequirementsDoc) -> frozenset[int]:
    """blocks.code_lines(doc.lines), computed once per parsed document."""
    hit = _CODE.get(id(doc.lines))
    if hit is not None and hit[0] is doc.lines:
        return hit[1]
    code = blocks.code_lines(doc.lines)
    _remember_code(doc.lines, code)
    return code


def _prepared(lines: list[str]) -> tuple[list[str], int, frozenset[int]]:
    """The lines without a leading byte-order mark (removed in place), the column offset that
    mark gives the first line (1 or 0), and the code lines (remembered for `code_of`)."""
    lines, off = _unmarked(lines)
    code = blocks.code_lines(lines)
    _remember_code(lines, code)
    return lines, off, code


def _unmarked(lines: list[str]) -> tuple[list[str], int]:
    """The lines without a leading byte-order mark (removed in place), and the column offset
    that mark gives the first line (1 or 0)."""
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
        return lines, 1
    return lines, 0


def _remember_code(lines: list[str], code: frozenset[int]) -> None:
    if len(_CODE) >= 64:
        _CODE.clear()
    _CODE[id(lines)] = (lines, code)


def parse_requirements_by_section(
    text: Sequence[str], path: str = "requirements.md", flavor: str = Flavor.KIRO
) -> RequirementsDoc:
    """parse_requirements, equal in every field, for a document edited a little at a time: the
    document is cut at its `# Requirement N` headings (any level, at column 0) into sections,
    each parsed on its own and memoised by its lines, so an edit re-parses the section it
    touched. Where a section's reading depends on another one (bugfix groups, dotted IDs
    outside a requirement, an Acceptance Criteria look-ahead that a following section could
    answer), the whole document is parsed as one."""
    lines, off = _unmarked(list(text))
    n_lines = len(lines)
    # the last version of this document read by section, if the lines that changed since lie
    # between a part at its start and a part at its end that are the same (document.common_ends:
    # by chunk identity for the server's Lines): the sections within those parts are taken as
    # they were, without slicing, hashing or looking up their lines
    # (a list may be changed in place by the caller: a copy of it is kept)
    version = tuple(text) if isinstance(text, list) else text
    last = _LAST_READ.pop(path, None)
    head = tail = shift = 0  # lines [0, head) and [tail, n_lines) are the last version's
    if last is not None and last.off != off:
        last = None
    if last is not None:
        from .document import common_ends

        head, same_end = common_ends(last.text, version)
        shift = n_lines - len(last.text)
        tail = n_lines - same_end
        if not head:
            last = None  # nothing in common before the change: read every section
    # candidate cuts: requirement headings at column 0. Their code lines come per section
    # (memoised); a cut holds when the section before it ends outside any fence or HTML block
    # (then the heading starts a block of its own in the whole document too, and each
    # section's code lines are the document's); else the document is read whole.
    if last is not None:
        # the cuts before and after the changed lines are the last version's
        k = bisect_left(last.starts, head)
        j = bisect_left(last.starts, tail - shift)
        starts, levels = last.starts[:k], last.levels[:k]
        _cuts(lines, head, tail, starts, levels)
        starts += [a + shift for a in last.starts[j:]]
        levels += last.levels[j:]
    else:
        starts, levels = [0], [0]
        _cuts(lines, 1, n_lines, starts, levels)

    def whole() -> RequirementsDoc:
        code = blocks.code_lines(lines)
        _remember_code(lines, code)
        return RequirementsDoc(path=path, lines=lines, requirements=_read(lines, off, code), flavor=flavor)

    if len(starts) < 3:
        return whole()
    if len(_SECTIONS) >= max(_SECTIONS_MAX, 3 * len(starts)):
        _SECTIONS.clear()
    if len(_SECTION_CODE) >= max(_SECTIONS_MAX, 3 * len(starts)):
        _SECTION_CODE.clear()
    if len(_PLACED) >= 64 and path not in _PLACED:
        _PLACED.clear()
    placed_before = _PLACED.get(path, {})
    placed_now: dict[tuple[_SectionKey, int], list[Requirement]] = {}
    ends = starts[1:] + [n_lines]
    out: list[Requirement] = []
    keys: list[tuple[int, _SectionKey]] = []
    code: set[int] = set()
    records: list[_SectionRead] = []
    bounds = [0]  # where each section's requirements start in `out`
    n_sections = len(starts)
    # the sections wholly before the changed lines (but the last of them: the cut after it may
    # be new), and those wholly after them when no line was inserted or deleted (else they
    # moved: their requirements are moved below), are the last version's, checked then
    first = last_kept = 0
    if last is not None:
        first = max(0, bisect_left(starts, head) - 1)
        keep_from = bisect_left(starts, tail) if not shift else n_sections
        last_kept = len(last.records) - (n_sections - keep_from)
        out = last.out[: last.bounds[first]]
        keys = last.keys[:first]
        records = last.records[:first]
        bounds = last.bounds[: first + 1]
        code = {c for c in last.code if c < starts[first]}
    else:
        keep_from = n_sections
    by_start = {r.start: r for r in last.records[first:last_kept]} if last is not None else {}
    for i in range(first, keep_from):
        a, b = starts[i], ends[i]
        record = None
        if last is not None:
            if b <= head:
                record = by_start.get(a)
            elif a >= tail and a - shift:
                record = by_start.get(a - shift)
                if record is not None and shift:
                    record = record._replace(placed=None)  # moved
            if record is not None and record.end + (a - record.start) != b:
                record = None
        if record is None:
            section = tuple(lines[a:b])
            got = _SECTION_CODE.get(section)
            if got is None:
                rel = blocks.code_lines(list(section))
                # a heading after the section's last line: code there means a block left open
                closed = len(section) not in blocks.code_lines([*section, "# probe"])
                got = _SECTION_CODE[section] = (rel, closed)
            rel, closed = got
            key = (section, rel, off if a == 0 else 0)
            hit = _SECTIONS.get(key)
            if hit is None and closed:
                reads = _Reads()
                hit = _SECTIONS[key] = (_read(list(section), key[2], rel, reads), reads)
            record = _SectionRead(a, b, key, rel, closed, hit, None)
        elif record.start != a:
            record = record._replace(start=a, end=b)
        rel, closed, key = record.rel, record.closed, record.key
        if not closed and i + 1 < n_sections:
            return whole()
        if rel:
            code.update(a + n for n in rel)
        keys.append((a, key))
        hit = record.read
        if hit is None:
            reads = _Reads()
            hit = _SECTIONS[key] = (_read(list(key[0]), key[2], rel, reads), reads)
            record = record._replace(read=hit)
        reqs, reads = hit
        if not reads.portable or (i + 1 < n_sections and levels[i + 1] > reads.open_level):
            return whole()
        if a:
            placed = record.placed
            if placed is None:
                placed = placed_before.get((key, a))
                if placed is None:
                    placed = [_moved(r, a) for r in reqs]
                record = record._replace(placed=placed)
            placed_now[(key, a)] = reqs = placed
        records.append(record)
        out.extend(reqs)
        bounds.append(len(out))
    if keep_from < n_sections:
        assert last is not None
        moved_by = len(out) - last.bounds[last_kept]
        out.extend(last.out[last.bounds[last_kept] :])
        keys.extend(last.keys[last_kept:])
        records.extend(last.records[last_kept:])
        bounds.extend(x + moved_by for x in last.bounds[last_kept + 1 :])
        code.update(c for c in last.code if c >= starts[keep_from])
    if len(_LAST_READ) >= 64:
        _LAST_READ.clear()
    frozen_code = frozenset(code)
    _LAST_READ[path] = _LastRead(version, off, starts, levels, records, out, bounds, keys, frozen_code)
    _remember_code(lines, frozen_code)
    _PLACED[path] = placed_now
    if len(_SECTIONED) >= 64:
        _SECTIONED.clear()
    _SECTIONED[id(lines)] = (lines, keys)
    return RequirementsDoc(path=path, lines=lines, requirements=list(out), flavor=flavor)


def _cuts(lines: list[str], lo: int, hi: int, starts: list[int], levels: list[int]) -> None:
    """The requirement headings among lines [lo, hi) (line 0 never cuts) appended to `starts`
    and their levels to `levels`: the lines starting with "#" found at C speed, each one's
    reading memoised by its text."""
    if len(_CUT_LEVELS) >= 4096:
        _CUT_LEVELS.clear()
    for n in compress(count(lo), map(_STARTS_A_HEADING, islice(lines, lo, hi))):
        if n:
            line = lines[n]
            level = _CUT_LEVELS.get(line)
            if level is None:
                level = _CUT_LEVELS[line] = _cut_level(line)
            if level:
                starts.append(n)
                levels.append(level)


def _cut_level(line: str) -> int:
    """The level of a requirement heading (where parse_requirements_by_section may cut), else 0."""
    hm = _HEADING.match(line)
    if hm is not None:
        htext = hm.group("text")
        if _REQ_HEADING.match(htext) and not _AC_HEADING.match(htext):
            return len(hm.group("hashes"))
    return 0


def by_section(
    doc: RequirementsDoc,
    what: str,
    derive: Callable[[tuple[str, ...], frozenset[int], list[Requirement]], T],
) -> list[tuple[int, T]] | None:
    """(first line, derive(lines, code lines, requirements)) for each section of a document
    parse_requirements_by_section read section by section (all three relative to the section),
    memoised per section and `what`: a pass over the document as the sum of its sections, so
    an edit pays for the section it touched. None for a document read whole."""
    info = _SECTIONED.get(id(doc.lines))
    if info is None or info[0] is not doc.lines:
        return None
    if len(_DERIVED) >= max(2 * _SECTIONS_MAX, 6 * len(info[1])):
        _DERIVED.clear()
    out: list[tuple[int, T]] = []
    for a, key in info[1]:
        got = _DERIVED.get((what, key))
        if got is None:
            hit = _SECTIONS.get(key)
            reqs = hit[0] if hit is not None else _read(list(key[0]), key[2], key[1])
            got = _DERIVED[(what, key)] = derive(key[0], key[1], reqs)
        out.append((a, got))
    return out


def _moved(req: Requirement, by: int) -> Requirement:
    return req._replace(
        line=req.line + by,
        span=req.span.shifted(by),
        id_span=req.id_span.shifted(by),
        end_line=req.end_line + by,
        criteria=[c._replace(span=c.span.shifted(by), line=c.line + by) for c in req.criteria],
    )


def _in_requirement(current: Requirement | None) -> bool:
    return current is not None and current.kind == RequirementKind.REQUIREMENT


def _take_definition(dm: _Def, current: Requirement | None) -> bool:
    """Whether a written definition is read as one where it stands. An unprefixed dotted ID
    (`- 1.1 text`) only inside the requirement it belongs to (`1.1` under requirement 1); an
    unprefixed one outside a section is left to the bugfix reading (`1.1 WHEN …`)."""
    ident = dm.ident
    if ident[:1].isdigit():
        # and not beside derived criteria: `   - 1.1 note` under `1. WHEN …` is a note
        return (
            current is not None
            and current.kind == RequirementKind.REQUIREMENT
            and ident.rsplit(".", 1)[0].upper() == current.id.upper()
            and not any(c.derived for c in current.criteria)
        )
    return True


def _is_ac_label(line: str) -> bool:
    # a label ends in its colon or its closing emphasis (blanks after it aside): a line ending
    # otherwise (prose, a user story) is none, without the regex (or its 0.8 ms compile)
    if line.rstrip(" \t\n")[-1:] not in _AC_LABEL_ENDS:
        return False
    m = _AC_LABEL.match(line)
    if m is None:
        return False
    if m.group("o") or m.group("c"):
        return bool(m.group("o")) and bool(m.group("c"))
    return bool(m.group("c1") or m.group("c2"))


def _has_ac_heading(lines: list[str], start: int, level: int) -> bool | None:
    """Whether the section of the heading at `start` has an Acceptance Criteria heading (or a
    bold Acceptance Criteria label); None (no) when the look-ahead reached the end of `lines`."""
    for line in islice(lines, start + 1, None):  # no copy of the rest of the document
        hm = _HEADING.match(line) if "#" in line else None
        if hm:
            if _AC_HEADING.match(hm.group("text")):
                return True
            if len(hm.group("hashes")) <= level:
                return False
        elif _is_ac_label(line):
            return True
    return None


def _next_heading_is_ac(lines: list[str], start: int) -> bool:
    for line in islice(lines, start + 1, None):
        hm = _HEADING.match(line) if "#" in line else None
        if hm:
            return bool(_AC_HEADING.match(hm.group("text")))
        if _is_ac_label(line):
            return True
    return False


# ---- lines that look like requirement definitions but were not read as one ----------------------

# only the prefixes requirement IDs use (FR-1, NFR-2.3, AC-1, R1.1 …) or dotted numbers: other
# prefixed tokens (C1, CP-1, E2E) name findings, properties or tests as often as requirements
_ANY_ID = r"(?:(?:REQ|NFR|FR|SC|BR|AC|US|R)-?\d+[A-Za-z]?(?:\.\d+)*|\d+[A-Za-z]?(?:\.\d+)+)"
_LOOKS_ITEM = lazy(
    r"^[ \t]*(?:[-*+][ \t]+)?(?P<o>\*\*|__)?(?P<id>" + _ANY_ID + r")\.?(?![\w.])"
    r"(?P<rest>[ \t]*(?:\*\*|__)?[ \t]*[:：]|(?(o)[ \t]*(?:\*\*|__))|[ \t]+[^\s|])",
    needs_digit=True,
)
_LOOKS_ROW = lazy(
    r"^[ \t]*\|[ \t]*(?:\*\*|__)?(?P<id>" + _ANY_ID + r")(?:\*\*|__)?[ \t]*\|", needs_digit=True
)
_LOOKS_HEADING = lazy(
    r"^ {0,3}#{2,6}[ \t]+(?:\*\*|__)?(?P<id>(?:REQ|NFR|FR|SC|BR|AC|R)-?\d+[A-Z]?(?:\.\d+)*)\b",
    needs_digit=True,
)
# a spec-kit user story in words specmark does not know: `### Benutzergeschichte 1 - Titel
# (Priorität: P1)` (the template's priority in parentheses gives it away)
_LOOKS_STORY = lazy(
    r"^ {0,3}#{2,6}[ \t]+[^\d#(（]{2,40}?[ \t]*(?P<n>\d{1,3})[ \t]*[-–—:：][^()（）]*"
    r"[(（][^)）]*\bP\d\b[^)）]*[)）][ \t]*$",
    needs_digit=True,
)
_LOOKS_FIRST = frozenset("-*+_|#0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UNRECOGNISED: dict[int, tuple[RequirementsDoc, tuple[tuple[int, str, str], ...]]] = {}


def _is_dotted_number(ident: str) -> bool:
    return ident[:1].isdigit() and "." in ident


def unrecognised_definitions(doc: RequirementsDoc) -> tuple[tuple[int, str, str], ...]:
    """(line, ID, shape) of every line outside code that looks like a requirement definition (an
    ID-shaped token starting a bullet, a bold label, a table row or a heading) but defines nothing
    in `doc`: the shapes the parser does not read. A line naming an ID the document defines is a
    mention (a traceability table); an unprefixed dotted number (`- 1.1 …`) counts only in a
    document where no requirement was read at all, and never in a table (version histories).
    Memoised on the document object (and per section, for a document parsed by section)."""
    hit = _UNRECOGNISED.get(id(doc))
    if hit is not None and hit[0] is doc:
        return hit[1]
    parts = by_section(doc, "lookalikes", _lookalikes)
    if parts is None:
        found = _lookalikes(tuple(doc.lines), code_of(doc), doc.requirements)
    else:
        found = tuple((n + a, ident, shape) for a, part in parts for n, ident, shape in part)
    defined = set(map(str.upper, doc.index())) if found else set()
    out = []
    for n, ident, shape in found:
        if ident.upper() in defined:
            continue  # a table or list that mentions defined IDs (traceability, summaries)
        if _is_dotted_number(ident) and (doc.requirements or shape == "table row" or ident[:1] == "0"):
            # `- 1.1 …`, `| 1.0 | Initial draft |` beside requirements that were read: version
            # history, decimals, section numbers as often as an unread definition
            continue
        out.append((n, ident, shape))
    result = tuple(out)
    if len(_UNRECOGNISED) >= 32:
        _UNRECOGNISED.clear()
    _UNRECOGNISED[id(doc)] = (doc, result)
    return result


def _lookalikes(
    lines: tuple[str, ...], code: frozenset[int], reqs: list[Requirement]
) -> tuple[tuple[int, str, str], ...]:
    """(line, ID, shape) of the lines that look like definitions, not yet filtered by what the
    whole document defines (unrecognised_definitions does that)."""
    parsed = set()
    for req in reqs:
        parsed.add(req.line)
        parsed.update(c.line for c in req.criteria)
    out = []
    for n, line in enumerate(lines):
        lead = line.lstrip(" \t")[:1]
        if lead not in _LOOKS_FIRST or n in parsed or n in code:
            continue
        shape = ""
        if lead == "#":
            m = _LOOKS_HEADING.match(line)
            shape = "heading"
            if m is None:
                sm = _LOOKS_STORY.match(line)
                if sm is not None:
                    out.append((n, f"US{int(sm.group('n'))}", "user story heading"))
                continue
        elif lead == "|":
            m = _LOOKS_ROW.match(line)
            shape = "table row"
        else:
            m = _LOOKS_ITEM.match(line)
            if m is not None:
                bullet = lead in "-*+" and line.lstrip(" \t")[1:2] in (" ", "\t")
                bold = bool(m.group("o"))
                shape = ("bold " if bold else "") + ("ID bullet" if bullet else "ID label")
                colon = ":" in m.group("rest") or "：" in m.group("rest")
                if not colon and not bold and (not bullet or not _is_dotted_number(m.group("id"))):
                    m = None  # `1.1 Some text` in a paragraph, `- FR-1 covers …`: prose as often as not
        if m is None:
            continue
        out.append((n, normalise_id(m.group("id")), shape))
    return tuple(out)

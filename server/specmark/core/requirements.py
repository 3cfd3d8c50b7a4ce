"""The requirements-document parser: requirements.md, bugfix.md and spec-kit's spec.md.

- Kiro / cc-sdd / spec-workflow: `### Requirement N[: Title]` (also `### 需求 1`, `### 要件27C:`,
  `### REQ-001: Title`, and cc-sdd's `### 1. Overview` / `### 2 Feature: …` when the next
  heading is an Acceptance Criteria heading) with `#### Acceptance Criteria`; criterion IDs `N.M` are derived from
  the position of top-level numbered items (never written in the file).
- bugfix.md: written criterion IDs `1.1 WHEN …` under the Current/Expected/Unchanged headings.
- spec-kit spec.md: `### User Story N - Title` (US N), `**FR-001**`, `**SC-001**`.
"""

from __future__ import annotations

import re
from itertools import islice

from . import blocks
from .model import Criterion, Requirement, RequirementsDoc, Span
from .refs import normalise_id
from .text import indent_width, lazy, split_lines

_HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t#]*$")
_REQ_HEADING = re.compile(
    r"^(?P<word>Requirement|Req\.?|要件|需求|要求|요구사항)[ \t]*(?P<id>\d+[A-Za-z]?)\b\.?"
    r"(?:[ \t]*(?:[:：.\-–—][ \t]*)?(?P<title>.*))?$",
    re.I,
)
_PREFIXED_HEADING = lazy(r"^\**(?P<id>(?:REQ|NFR|FR)-\d+)\**(?:[ \t]*[:：.\-–—][ \t]*(?P<title>.*))?$", re.I)
_NUMERIC_HEADING = lazy(
    r"^(?P<id>\d+[A-Za-z]?)(?:\.(?!\d)|(?=[ \t]))[ \t]*(?:[:：\-–—][ \t]*)?(?P<title>.*)$"
)
_STORY_HEADING = re.compile(
    r"^User Story[ \t]+(?P<id>\d+)(?:[ \t]*[-–—:：][ \t]*(?P<title>.*?))?(?:[ \t]*\(Priority:[^)]*\))?[ \t]*$",
    re.I,
)
_AC_HEADING = re.compile(
    r"^(?:Acceptance Criteria|Acceptance Scenarios|受入基準|受け入れ基準|受入条件|验收标准|驗收標準|验收准则|验收条件|수용 기준|인수 기준)\b",
    re.I,
)
_ORDERED = re.compile(r"^(?P<indent>[ \t]*)(?P<num>\d{1,9})[.)](?:[ \t]+(?P<text>.*)|$)")
_BOLD_ID = lazy(
    r"^[ \t]*[-*+][ \t]+\*\*(?P<id>(?:FR|SC|NFR|REQ)-\d+)\*\*[ \t]*[:：]?[ \t]*(?P<text>.*)$", re.I
)
_BUGFIX = lazy(
    r"^[ \t]*(?:[-*+][ \t]+)?(?P<id>[1-9]\d*\.\d+)[ \t]+(?P<text>(?:WHEN|IF|WHILE|WHERE|THE|GIVEN)\b.*)$"
)
_BUGFIX_FIRST = "-*+123456789"  # what _BUGFIX can see first after the indentation
_CLEAN_TITLE = re.compile(r"^[\s*_`]+|[\s*_`]+$")


def parse_requirements(text: str, path: str = "requirements.md", flavor: str = "kiro") -> RequirementsDoc:
    lines = split_lines(text) if isinstance(text, str) else list(text)
    off = 0
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
        off = 1
    code = blocks.code_lines(lines)
    reqs: list[Requirement] = []
    current: Requirement | None = None
    current_level = 0
    in_ac = False
    current_has_ac = False
    ac_level = 0
    base_indent: int | None = None
    bugfix_groups: dict[str, Requirement] = {}
    last_heading: tuple[int, str, int] | None = None  # line, text, level

    def col(n: int, c: int) -> int:
        return c + off if n == 0 else c

    def close(at: int) -> None:
        nonlocal current
        if current is not None:
            end = at - 1
            while end > current.line and not lines[end].strip():
                end -= 1
            current.end_line = end
        current = None

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
            if rm is None and _next_heading_is_ac(lines, n):
                # cc-sdd also allows "### 1. Overview" and "### 2 Feature: …": a bare number is a
                # requirement when the next heading is its Acceptance Criteria heading
                rm = _NUMERIC_HEADING.match(htext)
            sm = None if rm else _STORY_HEADING.match(htext)
            if rm or sm:
                close(n)
                m = rm or sm
                raw_id = m.group("id")
                if sm:
                    ident = f"US{raw_id}"
                    kind = "story"
                else:
                    ident = normalise_id(raw_id)
                    kind = "requirement"
                title = _CLEAN_TITLE.sub("", (m.group("title") or ""))
                id_col = text_col + m.start("id")
                current = Requirement(
                    id=ident,
                    title=title,
                    line=n,
                    span=Span.on_line(n, col(n, text_col), col(n, len(line.rstrip()))),
                    id_span=Span.on_line(n, col(n, id_col), col(n, id_col + len(raw_id))),
                    end_line=n,
                    kind=kind,
                )
                reqs.append(current)
                current_level = level
                current_has_ac = _has_ac_heading(lines, n, level)
                in_ac = False
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
        # spec-kit bold IDs: - **FR-001**: text
        bm = _BOLD_ID.match(line) if "**" in line and "-" in line else None
        if bm:
            close(n)
            ident = normalise_id(bm.group("id"))
            kind = "success" if ident.startswith("SC") else "functional"
            id_col = bm.start("id")
            reqs.append(
                Requirement(
                    id=ident,
                    title=bm.group("text").strip(),
                    line=n,
                    span=Span.on_line(n, col(n, len(line) - len(line.lstrip())), col(n, len(line.rstrip()))),
                    id_span=Span.on_line(n, col(n, id_col), col(n, bm.end("id"))),
                    end_line=n,
                    kind=kind,
                    body=bm.group("text").strip(),
                )
            )
            continue
        lead = line.lstrip(" \t")[:1]  # a criterion starts with a digit, maybe after a bullet
        om = _ORDERED.match(line) if lead.isdigit() else None
        # a numbered item ("1. WHEN …", the common criterion) is never a written criterion ID:
        # after the same digits _ORDERED wants "." or ")" and a blank or the end, _BUGFIX "."
        # and a digit; so one regex, not two, for most lines of a requirements document
        fm = _BUGFIX.match(line) if om is None and lead in _BUGFIX_FIRST and lead else None
        if fm and current is not None and current.kind == "requirement":
            # a criterion ID written inside a requirement section ("1.1 WHEN …" under
            # "### Requirement 1"): the requirement's own criterion, not a bugfix group
            if fm.group("id").split(".")[0].upper() == current.id.upper():
                current.criteria.append(
                    Criterion(
                        fm.group("id"),
                        current.id,
                        fm.group("text").strip(),
                        Span.on_line(n, col(n, fm.start("id")), col(n, len(line.rstrip()))),
                        n,
                        derived=False,
                    )
                )
                continue
            fm = None
        if fm:
            ident = fm.group("id")
            group = ident.split(".")[0]
            req = bugfix_groups.get(group)
            if req is None:
                title = last_heading[1] if last_heading else f"Group {group}"
                hl = last_heading[0] if last_heading else n
                req = Requirement(
                    id=group,
                    title=_CLEAN_TITLE.sub("", title),
                    line=hl,
                    span=Span.on_line(hl, 0, len(lines[hl])),
                    id_span=Span.on_line(hl, 0, 0),
                    end_line=n,
                    kind="bugfix-group",
                )
                bugfix_groups[group] = req
                reqs.append(req)
            req.criteria.append(
                Criterion(
                    ident,
                    group,
                    fm.group("text").strip(),
                    Span.on_line(n, col(n, fm.start("id")), col(n, len(line.rstrip()))),
                    n,
                    derived=False,
                )
            )
            req.end_line = max(req.end_line, n)
            continue
        if current is None or current.kind not in ("requirement", "story"):
            continue
        if om and (in_ac or (current.kind == "requirement" and not current_has_ac)):
            ind = indent_width(om.group("indent"))
            if base_indent is None:
                base_indent = ind
            if ind <= base_indent + 1:
                ordinal = len(current.criteria) + 1
                text_part = (om.group("text") or "").strip()
                current.criteria.append(
                    Criterion(
                        id=f"{current.id}.{ordinal}",
                        requirement=current.id,
                        text=text_part,
                        span=Span.on_line(n, col(n, ind), col(n, len(line.rstrip()))),
                        line=n,
                    )
                )
                continue
        if not current.criteria and line.strip() and not current.body:
            current.body = line.strip()
    close(len(lines))
    for req in bugfix_groups.values():
        req.end_line = max(c.line for c in req.criteria)
    return RequirementsDoc(path=path, lines=lines, requirements=reqs, flavor=flavor)


def _has_ac_heading(lines: list[str], start: int, level: int) -> bool:
    """Whether the section of the heading at `start` has an Acceptance Criteria heading."""
    for line in islice(lines, start + 1, None):  # no copy of the rest of the document
        hm = _HEADING.match(line) if "#" in line else None
        if hm:
            if _AC_HEADING.match(hm.group("text")):
                return True
            if len(hm.group("hashes")) <= level:
                return False
    return False


def _next_heading_is_ac(lines: list[str], start: int) -> bool:
    for line in islice(lines, start + 1, None):
        hm = _HEADING.match(line) if "#" in line else None
        if hm:
            return bool(_AC_HEADING.match(hm.group("text")))
    return False

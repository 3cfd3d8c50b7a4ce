"""Reference lines (`_Requirements: 1.1, 2.3_` and friends) and their tokens.

The grammar (docs/conventions.md, "Reference lines"):

- A reference line is a label from vocab.REFERENCE_LABELS (or the configuration) at the start of
  a line or list item, with any emphasis around it (`_`, `*`, `**`, `__`, escaped `\\_`), the
  colon inside or outside the emphasis, ASCII or full-width (`_Requirements:_ 1.1`,
  `_Requirements_: 1.1`, `**Requirements**: 1.1`, `_要件：1.1_`, `- Requirements: 1.1`).
- Its list is split at `,，、;；` outside brackets, so `design (2.1, 2.5)` stays one item.
- Each item is judged tolerantly, IDs first: markup around an ID (`4.3**`) and a trailing
  comment (`4.3 (engine)`, `1.1 - login`) are ignored; a range is two IDs joined by `-–—〜~..to`;
  `2全体`, `2.x` cite requirement 2 as a whole; `R1-AC1` is criterion 1.1; IDs joined by
  "and"/"&"/"及び" are each cited; `REQ-1 (FR-1.1, FR-1.4)` cites all three.
- An item that is not an ID keeps the IDs it contains: a parenthesised list of IDs and
  strongly-shaped IDs (`FR-1.2`, `Requirement 3`) are cited, and the prose around them is not
  reported (silence beats a false finding). Only an item with no ID at all is free text:
  a whole-spec phrase (`All`, `All requirements`, `全要件`), a placeholder, or malformed.

Annotation lines (`_Leverage:_`, `_Prompt:_`, `_Depends:_`, `_Boundary:_`, `_Details:_`, …) are
never references; `_Depends:_` is parsed as a list of task IDs.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import RefItem, RefKind, Span
from .text import lazy
from .vocab import (
    ALL_PHRASES,
    ALL_RESTRICTING,
    ALL_WORDS,
    ANNOTATION_LABELS,
    ID_CONNECTIVES,
    LEAD_LABELS,
    REFERENCE_LABELS,
    REQUIREMENT_WORDS,
    WEAK_LABELS,
    WHOLE_SUFFIXES,
    alternation,
    words,
)

DEFAULT_LABELS = words(REFERENCE_LABELS)
_LEAD_LABELS = frozenset(label.lower() for label in LEAD_LABELS)
_WEAK_LABELS = frozenset(label.lower() for label in WEAK_LABELS)

# "all requirements" free text: a whole-spec reference (see vocab.ALL_PHRASES)
_COMMENT = r"(?:[ \t]*(?:\(.*|（.*|\[.*)|[ \t]+[-–—:：][ \t]+.*|[ \t]*[:：].*)"
_ALL = lazy(
    rf"^(?:(?:{alternation(ALL_PHRASES)})"
    rf"(?:{_COMMENT}|(?![ \t]*(?:{alternation(ALL_RESTRICTING)})\b)[ \t]*[^\s(（\[].*)?"
    rf"|(?:{alternation(ALL_WORDS)})[.。]?{_COMMENT}?)$",
    re.I,
)
_PLACEHOLDER = lazy(
    r"^(?:\[[^\]]*\]|\{\{[^}]*\}\}|<[^>]*>|TBD|TBA|TODO|N/?A|X\.X|X\.Y|\?+|…|\.\.\.|[-–—]+)$",
    re.I,
)
# one requirement ID, with the words that may stand before it and the markup around it
_WORDS = alternation(REQUIREMENT_WORDS)
_PREFIX = rf"(?:(?:{_WORDS})[ \t]*)?"
_MARK = r"[*_`\\]*"
_ID = (
    r"(?:R\d+[ \t]*-[ \t]*AC-?\d+"  # R1-AC1: criterion 1 of requirement 1
    r"|(?:REQ|FR|NFR|SC|US|AC|BR)-?\d+(?:\.\d+)*"
    r"|R?\d+[A-Z]?(?:\.\d+)*(?:\.[x*])?\.?)"  # 2.x: requirement 2 as a whole
)
_WHOLE = rf"(?:[ \t]*(?:{alternation(WHOLE_SUFFIXES)}))?"
_NOTE = (
    r"(?P<note>[ \t]*(?:\([^)]*\)?|（[^）]*）?|\[[^\]]*\]?)|[ \t]+[-–—:：][ \t]+\D.*|[ \t]*[:：][ \t]*\D.*)?"
)
_RANGE_SEP = r"(?:-|–|—|〜|～|~|\.\.|to)"
# "and" before the last ID of a list ("1, 2, and 3")
_AND = rf"(?:(?:{alternation(tuple(w for w in ID_CONNECTIVES if w.isalpha()))})[ \t]+)?"
_TOKEN = lazy(
    rf"^{_AND}{_MARK}{_PREFIX}(?P<a>{_ID}){_WHOLE}{_MARK}"
    rf"(?:[ \t]*{_RANGE_SEP}[ \t]*{_MARK}{_PREFIX}(?P<b>{_ID}|AC-?\d+){_WHOLE}{_MARK})?"
    rf"{_NOTE}{_MARK}[ \t]*$",
    re.I,
)
_SPLIT = lazy(r"[,，、;；]")
_OPENERS = "([（【"
_CLOSERS = ")]）】"
# an ID in free text: only shapes that cannot be prose (a prefixed ID, `Requirement 3`)
_STRONG_ID = lazy(
    rf"(?<![\w.-])(?:(?:{_WORDS})[ \t]*(?P<w>\d+[A-Z]?(?:\.\d+)*){_WHOLE}"
    r"|(?P<p>R\d+[ \t]*-[ \t]*AC-?\d+|(?:REQ|FR|NFR|AC|US|SC|BR)-\d+(?:\.\d+)*|US\d+))(?![\w-]|\.\d)",
    re.I,
)
_R_AC = lazy(r"^R(\d+)[ \t]*-[ \t]*AC-?(\d+)$", re.I)
_AC_ONLY = lazy(r"^AC-?(\d+)$", re.I)
_WILDCARD = lazy(r"\.[x*]$", re.I)
_GROUP = lazy(r"[(（\[【](?P<body>[^()（）\[\]【】]*)[)）\]】]")
# what joins IDs in one item ("1.1 and 1.2", "1.1 & 2.3"): words need blanks around them
_CONNECTIVE_SPLIT = lazy(
    rf"([ \t]+(?:{alternation(ID_CONNECTIVES)})[ \t]+|[ \t]*(?:&|/|\+|及び|および|和|与|與|및)[ \t]*)", re.I
)


_PREFIXED_ID = lazy(r"^(REQ|FR|NFR|SC|US|AC|BR)-?(\d+(?:\.\d+)*)$", re.I)
_R_PREFIX = lazy(r"^R\d", re.I)
_LOWER = lazy(r"[a-z]")


@lru_cache(maxsize=65536)
def normalise_id(raw: str) -> str:
    raw = raw.strip().rstrip(".")
    m = _PREFIXED_ID.match(raw)
    if m:
        prefix = m.group(1).upper()
        sep = "" if prefix == "US" else "-"
        return f"{prefix}{sep}{m.group(2)}"
    if _R_PREFIX.match(raw):
        raw = raw[1:]
    return raw.upper() if _LOWER.search(raw) else raw


def _labels_pattern(labels: tuple[str, ...]) -> str:
    alt = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    # - _Requirements: 1.1_   - **Requirements:** 1.1   **Validates: Requirements 1.1**
    # - _Requirements:_ 1.1   _Requirements_: 1.1   **Requirements**: 1.1   \_Requirements: 1.1
    pattern = (
        r"^(?P<lead>[ \t]*(?:>[ \t]?)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?)"
        r"(?P<open>(?:\\?[_*]){1,3})?"
        rf"(?P<label>{alt})"
        r"(?P<mid>(?P<shut>(?:\\?[_*]){1,3})?[ \t]*[:：](?:\\?[_*]){0,3})"
    )
    return pattern


@lru_cache(maxsize=64)
def label_regex(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    return re.compile(_labels_pattern(DEFAULT_LABELS + tuple(extra)), re.I)


_ANNOTATION = lazy(_labels_pattern(ANNOTATION_LABELS), re.I)
_DEPENDS = lazy(
    r"^[ \t]*(?:[-*+][ \t]+)?(?:_{1,2}|\*{1,2})?(?:Depends(?: on)?|Dependencies)(?:\*\*)?[ \t]*[:：](?:\*\*)?",
    re.I,
)
_INLINE_VALIDATES = lazy(
    r"(?P<open>\*\*|__|_|\*)(?P<label>Validates|Requirements)[ \t]*[:：][ \t]*(?P<body>[^*_]*?)(?P=open)",
    re.I,
)


# the common list, plain IDs separated by commas ("1.1, 1.2"): tokenised by one regex. Nothing
# here can be a placeholder, "All", a range or a prefixed ID, and normalise_id keeps such an ID
# as it is, so the result equals the general path below (tests/core/test_fast_paths.py)
_SIMPLE_LIST = lazy(r"[ \t]*[0-9]+(?:\.[0-9]+)*(?:[ \t]*,[ \t]*[0-9]+(?:\.[0-9]+)*)*[ \t]*")
_SIMPLE_ID = lazy(r"[0-9]+(?:\.[0-9]+)*")
_ID_KIND = RefKind.ID
_new_span = tuple.__new__


def parse_list(text: str, line: int, col: int, task_ids: bool = False) -> tuple[list[RefItem], str | None]:
    """Tokens of a reference list that starts at (`line`, `col`); returns (items, placeholder).
    With `task_ids` (a `_Depends:_` list) an ID's span keeps a trailing dot, as a task's own
    ID span does (`1.` is how a plan writes task 1); a requirement ID's span stops before it."""
    tokens = _SIMPLE_TOKENS.get(text)
    if tokens is None:
        if not _SIMPLE_LIST.fullmatch(text):
            return _parse_list_general(text, line, col, task_ids)
        # the list's (ID, column in it): a plan repeats its lists ("1.1, 1.2") from task to task
        tokens = tuple((m.group(), m.start()) for m in _SIMPLE_ID.finditer(text))
        if len(_SIMPLE_TOKENS) >= 4096:
            _SIMPLE_TOKENS.clear()
        _SIMPLE_TOKENS[text] = tokens
    items = []
    for token, start in tokens:
        s = col + start
        span = _new_span(Span, (line, s, line, s + len(token)))
        items.append(_new_span(RefItem, (_ID_KIND, token, span, token, span, None, None)))
    return items, None


# a simple list's text → its (ID, column in the text) pairs (parse_list)
_SIMPLE_TOKENS: dict[str, tuple[tuple[str, int], ...]] = {}


def _parse_list_general(
    text: str, line: int, col: int, task_ids: bool = False
) -> tuple[list[RefItem], str | None]:
    stripped = text.strip()
    if not stripped:
        return [], ""
    lead = len(text) - len(text.lstrip())
    inner = _unwrap(stripped)
    if inner is not None:  # `[需求 1.1, 1.2]`: a bracketed list, not a placeholder
        return _parse_list_general(inner, line, col + lead + 1, task_ids)
    if _PLACEHOLDER.match(stripped):
        return [], stripped
    if _ALL.match(stripped) and not _TOKEN.match(stripped):
        return [
            RefItem(RefKind.ALL, stripped, Span.on_line(line, col + lead, col + lead + len(stripped)))
        ], None
    items: list[RefItem] = []
    for start, end in _pieces(text):
        piece = text[start:end]
        token = piece.strip()
        if token:
            t_col = col + start + len(piece) - len(piece.lstrip())
            items.extend(_judge(token, line, t_col, task_ids))
    return items, None


def _unwrap(token: str) -> str | None:
    """The inside of a token wrapped in one pair of brackets that holds a digit, else None."""
    if len(token) < 3 or token[0] not in _OPENERS or token[-1] != _CLOSERS[_OPENERS.index(token[0])]:
        return None
    inner = token[1:-1]
    depth = 0
    for ch in inner:  # `(a) and (b)` is not one pair
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth -= 1
            if depth < 0:
                return None
    return inner if any(ch.isdigit() for ch in inner) else None


def _pieces(text: str) -> list[tuple[int, int]]:
    """(start, end) of the items of a list: split at separators outside brackets."""
    if not any(ch in _OPENERS for ch in text):
        out = []
        pos = 0
        for piece in _SPLIT.split(text):
            out.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        return out
    out = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ",，、;；":
            out.append((start, i))
            start = i + 1
    out.append((start, len(text)))
    return out


def _judge(token: str, line: int, t_col: int, task_ids: bool) -> list[RefItem]:
    """The items of one list item: an ID or a range (with markup and a comment around it), IDs
    inside free text, or one whole-spec, placeholder or malformed item."""
    span = Span.on_line(line, t_col, t_col + len(token))
    m = _TOKEN.match(token)
    if m is not None:
        items = [_item(m, token, span, line, t_col, task_ids)]
        note = m.group("note")
        if note and any(ch.isdigit() for ch in note):  # `REQ-1 (FR-1.1, FR-1.4)`
            items.extend(_ids_in_text(token, m.start("note"), m.end("note"), line, t_col, task_ids))
        return items
    inner = _unwrap(token)
    if inner is not None:  # `(1.1)`, `[2.3]`
        inner_items, _ = _parse_list_general(inner, line, t_col + 1, task_ids)
        if any(i.kind is not RefKind.MALFORMED for i in inner_items):
            return inner_items
    if _PLACEHOLDER.match(token):
        return [RefItem(RefKind.MALFORMED, token, span)]
    if _ALL.match(token.strip("*_`")):  # `*All*`
        return [RefItem(RefKind.ALL, token, span)]
    joined = _joined_ids(token, line, t_col, task_ids)
    if joined:
        return joined
    found = _ids_in_text(token, 0, len(token), line, t_col, task_ids)
    if found:  # the IDs of a free-text item count; the prose around them is not reported
        return found
    return [RefItem(RefKind.MALFORMED, token, span)]


def _item(m: re.Match[str], token: str, span: Span, line: int, t_col: int, task_ids: bool) -> RefItem:
    a_raw = m.group("a")
    a = _ref_id(a_raw)
    # an ID's span stops before a trailing dot ("1.2." cites 1.2) and a wildcard ("2.x"): a
    # rename or a quick fix rewrites the ID and keeps them
    a_span = Span.on_line(line, t_col + m.start("a"), t_col + m.start("a") + _id_len(a_raw, task_ids))
    b_raw = m.group("b")
    if not b_raw:
        return RefItem(RefKind.ID, token, span, a, a_span)
    ac = _AC_ONLY.match(b_raw)
    r_ac = _R_AC.match(a_raw)
    b = f"{int(r_ac.group(1))}.{int(ac.group(1))}" if ac and r_ac else _ref_id(b_raw)
    b_span = Span.on_line(line, t_col + m.start("b"), t_col + m.start("b") + _id_len(b_raw, task_ids))
    return RefItem(RefKind.RANGE, token, span, a, a_span, b, b_span)


@lru_cache(maxsize=4096)
def _ref_id(raw: str) -> str:
    """The normalised ID a reference token names: `R1-AC2` is 1.2, `2.x` is 2."""
    r_ac = _R_AC.match(raw)
    if r_ac:
        return f"{int(r_ac.group(1))}.{int(r_ac.group(2))}"
    return normalise_id(_WILDCARD.sub("", raw))


def _id_len(raw: str, keep_dot: bool) -> int:
    n = len(raw)
    if _WILDCARD.search(raw):
        return n - 2
    return n - 1 if not keep_dot and raw.endswith(".") else n


def _plain_id(line: int, col: int, raw: str, task_ids: bool) -> RefItem:
    span = Span.on_line(line, col, col + len(raw))
    id_span = Span.on_line(line, col, col + _id_len(raw, task_ids))
    return RefItem(RefKind.ID, raw, span, _ref_id(raw), id_span)


def _joined_ids(token: str, line: int, t_col: int, task_ids: bool) -> list[RefItem]:
    """`1.1 and 1.2`, `1.1 & 2.3`: every part an ID or a range, else nothing."""
    parts = _CONNECTIVE_SPLIT.split(token)
    if len(parts) < 2:
        return []
    out: list[RefItem] = []
    pos = 0
    for i, part in enumerate(parts):
        if i % 2 == 0:
            p = part.strip()
            m = _TOKEN.match(p) if p else None
            if m is None or m.group("note"):
                return []
            p_col = t_col + pos + len(part) - len(part.lstrip())
            out.append(_item(m, p, Span.on_line(line, p_col, p_col + len(p)), line, p_col, task_ids))
        pos += len(part)
    return out


def _ids_in_text(token: str, start: int, end: int, line: int, t_col: int, task_ids: bool) -> list[RefItem]:
    """IDs in free text: bracketed lists of nothing but IDs (`design (2.1, 2.5)`) and IDs whose
    shape cannot be prose (`FR-1.2`, `Requirement 3`) elsewhere."""
    out: list[tuple[int, RefItem]] = []
    taken: list[tuple[int, int]] = []
    for g in _GROUP.finditer(token, start, end):
        body_start = g.start() + 1
        items, placeholder = _parse_list_general(g.group("body"), line, t_col + body_start, task_ids)
        if items and placeholder is None and all(i.kind in (RefKind.ID, RefKind.RANGE) for i in items):
            out.extend((i.span.col, i) for i in items)
            taken.append(g.span())
    for s in _STRONG_ID.finditer(token, start, end):
        if any(a <= s.start() < b for a, b in taken):
            continue
        grp = "w" if s.group("w") else "p"
        raw = s.group(grp)
        out.append((t_col + s.start(grp), _plain_id(line, t_col + s.start(grp), raw, task_ids)))
    out.sort(key=lambda pair: pair[0])
    return [item for _, item in out]


_REQ_WORD = lazy(r"^[ \t]*(?:Requirements?|要件|需求)\b[ \t]*", re.I)
_MARKS = "*_\\ \t"


def match_ref_line(
    text: str, extra_labels: tuple[str, ...] = (), loose: bool = False
) -> tuple[str, int, int, int, int] | None:
    """(label, label_start, label_end, list_start, list_end) of a reference line, or None.

    A label without emphasis (`- Requirements: …`), a section label with the colon outside
    its emphasis (`**Requirements**:`) and a label that is also an everyday word
    (vocab.WEAK_LABELS) make a reference line only when the list cites something (an ID, a
    range, "All") or is a placeholder: otherwise the line is prose or the title of a list of
    constraints. With `loose` (completion, while the list is being typed) that condition is
    not asked."""
    m = label_regex(extra_labels).match(text)
    if not m:
        return None
    body = text[m.end() :]
    stripped = body.lstrip(" \t")
    list_start = len(text) - len(stripped)
    body = stripped
    # closing emphasis at the end of the line ("_", "**", "*", also on an unclosed line): IDs
    # never end in markup, so any run of it is dropped
    list_end = len(text.rstrip())
    while list_end > list_start and text[list_end - 1] in _MARKS:
        list_end -= 1
    # `**Validates: Requirements 1.1**`: skip the word "Requirements"
    label, ls, le = m.group("label"), m.start("label"), m.end("label")
    folded = label.lower()
    if folded in _LEAD_LABELS:
        w = _REQ_WORD.match(body)
        if w:
            list_start += w.end()
    list_end = max(list_start, list_end)
    if (
        not loose
        and (not m.group("open") or m.group("shut") or folded in _WEAK_LABELS)
        and not _cites(text[list_start:list_end])
    ):
        return None
    return label, ls, le, list_start, list_end


def _cites(listed: str) -> bool:
    """The list names an ID, a range or "All", or is a placeholder."""
    if not any(ch.isdigit() for ch in listed) and not listed.strip():
        return False
    items, placeholder = parse_list(listed, 0, 0)
    return bool(placeholder) or any(item.kind is not RefKind.MALFORMED for item in items)


def is_annotation(text: str) -> bool:
    return bool(_ANNOTATION.match(text))


def match_depends(text: str) -> int | None:
    """Column where the task list of a `_Depends:_` line starts, or None."""
    m = _DEPENDS.match(text)
    return m.end() if m else None


def find_inline_validates(text: str, start: int) -> tuple[str, int, int, int, int, int] | None:
    """`**Validates: Requirements 2.1**` written at the end of a task line."""
    # the pattern needs an emphasis mark and a colon at or after `start`: most titles have neither
    if (text.find(":", start) < 0 and text.find("\uff1a", start) < 0) or (
        text.find("_", start) < 0 and text.find("*", start) < 0
    ):
        return None
    m = _INLINE_VALIDATES.search(text, start)
    if not m:
        return None
    body_start = m.start("body")
    body = m.group("body")
    w = _REQ_WORD.match(body)
    if w:
        body_start += w.end()
    body_end = m.end("body")
    while body_end > body_start and text[body_end - 1] in " \t":
        body_end -= 1
    return m.group("label"), m.start("label"), m.end("label"), body_start, body_end, m.start()


def is_placeholder(token: str) -> bool:
    return bool(_PLACEHOLDER.match(token.strip()))

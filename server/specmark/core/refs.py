"""Reference lines (`_Requirements: 1.1, 2.3_` and friends) and their tokens.

Recognised labels: Requirements/Requirement, Validates, Implements, 需求, 要件, 요구사항 and any
extra labels from the configuration. Annotation lines (`_Leverage:_`, `_Prompt:_`,
`_Depends:_`, `_Boundary:_`, `_Details:_`, …) are never references; `_Depends:_` is parsed as a
list of task IDs.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import RefItem, RefKind, Span
from .text import lazy
from .vocab import ANNOTATION_LABELS

DEFAULT_LABELS = (
    "Requirements",
    "Requirement",
    "Reqs",
    "Validates",
    "Implements",
    "Covers",
    "需求",
    "要件",
    "要求",
    "요구사항",
)

# "all requirements" free text: a whole-spec reference
_ALL = lazy(
    r"^(?:all\b.*|every requirement.*|全要件.*|全ての要件.*|すべての要件.*|所有需求.*|全部需求.*|全部要求.*|모든 요구사항.*)$",
    re.I,
)
_PLACEHOLDER = lazy(
    r"^(?:\[[^\]]*\]|\{\{[^}]*\}\}|<[^>]*>|TBD|TBA|TODO|N/?A|X\.X|X\.Y|\?+|…|\.\.\.|-+)$",
    re.I,
)
# one requirement ID, with the words that may stand before it
_PREFIX = r"(?:(?:Requirements?|Req\.?|要件|需求|要求|요구사항)\s*)?"
_ID = r"(?:(?:REQ|FR|NFR|SC|US|AC|BR)-?\d+(?:\.\d+)*|R?\d+[A-Z]?(?:\.\d+)*\.?)"
_TOKEN = lazy(
    rf"^{_PREFIX}(?P<a>{_ID})"
    rf"(?:\s*(?:-|–|—|〜|～|~|\.\.|to)\s*{_PREFIX}(?P<b>{_ID}))?"
    r"(?P<note>\s*(?:\([^)]*\)?|（[^）]*）?))?\s*$",
    re.I,
)
_SPLIT = lazy(r"[,，、;；]")


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


def _labels_pattern(labels: tuple[str, ...], compiled: bool = True):
    alt = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    # - _Requirements: 1.1_   - **Requirements:** 1.1   **Validates: Requirements 1.1**
    pattern = (
        r"^(?P<lead>[ \t]*(?:>[ \t]?)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?)"
        r"(?P<open>_{1,2}|\*{1,2})?"
        rf"(?P<label>{alt})"
        r"(?P<mid>(?:\*\*|__)?[ \t]*[:：](?:\*\*|__)?)"
    )
    return re.compile(pattern, re.I) if compiled else pattern


@lru_cache(maxsize=64)
def label_regex(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    return _labels_pattern(DEFAULT_LABELS + tuple(extra))


_ANNOTATION = lazy(_labels_pattern(ANNOTATION_LABELS, compiled=False), re.I)
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
_SIMPLE_LIST = re.compile(r"[ \t]*[0-9]+(?:\.[0-9]+)*(?:[ \t]*,[ \t]*[0-9]+(?:\.[0-9]+)*)*[ \t]*")
_SIMPLE_ID = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_ID_KIND = RefKind.ID
_new_span = tuple.__new__


def parse_list(text: str, line: int, col: int, task_ids: bool = False) -> tuple[list[RefItem], str | None]:
    """Tokens of a reference list that starts at (`line`, `col`); returns (items, placeholder).
    With `task_ids` (a `_Depends:_` list) an ID's span keeps a trailing dot, as a task's own
    ID span does (`1.` is how a plan writes task 1); a requirement ID's span stops before it."""
    if _SIMPLE_LIST.fullmatch(text):
        items = []
        for m in _SIMPLE_ID.finditer(text):
            token = m.group()
            s = col + m.start()
            span = _new_span(Span, (line, s, line, s + len(token)))
            items.append(_new_span(RefItem, (_ID_KIND, token, span, token, span, None, None)))
        return items, None
    return _parse_list_general(text, line, col, task_ids)


def _parse_list_general(
    text: str, line: int, col: int, task_ids: bool = False
) -> tuple[list[RefItem], str | None]:
    stripped = text.strip()
    if not stripped:
        return [], ""
    if _PLACEHOLDER.match(stripped):
        return [], stripped
    if _ALL.match(stripped):
        lead = len(text) - len(text.lstrip())
        return [
            RefItem(RefKind.ALL, stripped, Span.on_line(line, col + lead, col + lead + len(stripped)))
        ], None
    items: list[RefItem] = []
    pos = 0
    pieces = _SPLIT.split(text)
    for piece in pieces:
        start = pos
        pos += len(piece) + 1
        token = piece.strip()
        if not token:
            continue
        lead = len(piece) - len(piece.lstrip())
        t_col = col + start + lead
        span = Span.on_line(line, t_col, t_col + len(token))
        if _PLACEHOLDER.match(token):
            items.append(RefItem(RefKind.MALFORMED, token, span))
            continue
        if _ALL.match(token):
            items.append(RefItem(RefKind.ALL, token, span))
            continue
        m = _TOKEN.match(token)
        if not m:
            items.append(RefItem(RefKind.MALFORMED, token, span))
            continue
        # an ID's span stops before a trailing dot ("1.2." cites 1.2): a rename or a quick fix
        # rewrites the ID and keeps the dot
        a_span = Span.on_line(line, t_col + m.start("a"), t_col + _id_end(m, "a", task_ids))
        a = normalise_id(m.group("a"))
        if m.group("b"):
            b_span = Span.on_line(line, t_col + m.start("b"), t_col + _id_end(m, "b", task_ids))
            items.append(RefItem(RefKind.RANGE, token, span, a, a_span, normalise_id(m.group("b")), b_span))
        else:
            items.append(RefItem(RefKind.ID, token, span, a, a_span))
    return items, None


def _id_end(m: re.Match, group: str, keep_dot: bool) -> int:
    end = m.end(group)
    return end - 1 if not keep_dot and m.group(group).endswith(".") else end


_REQ_WORD = lazy(r"^[ \t]*(?:Requirements?|要件|需求)\b[ \t]*", re.I)


def match_ref_line(text: str, extra_labels: tuple[str, ...] = ()):
    """(label, label_start, label_end, list_start, list_end) of a reference line, or None."""
    m = label_regex(extra_labels).match(text)
    if not m:
        return None
    opener = m.group("open")
    body = text[m.end() :]
    stripped = body.lstrip(" \t")
    list_start = len(text) - len(stripped)
    body = stripped
    list_end = len(text.rstrip())
    # closing emphasis: "_", "**", "*" at the end of the line (also "_" on an unclosed line)
    if opener:
        for closer in ("**", "__", "_", "*"):
            if text.endswith(closer, 0, list_end) and list_end - len(closer) >= list_start:
                list_end -= len(closer)
                break
    # `**Validates: Requirements 1.1**`: skip the word "Requirements"
    label, ls, le = m.group("label"), m.start("label"), m.end("label")
    if label.lower() in ("validates", "implements", "covers"):
        w = _REQ_WORD.match(body)
        if w:
            list_start += w.end()
    return label, ls, le, list_start, max(list_start, list_end)


def is_annotation(text: str) -> bool:
    return bool(_ANNOTATION.match(text))


def match_depends(text: str) -> int | None:
    """Column where the task list of a `_Depends:_` line starts, or None."""
    m = _DEPENDS.match(text)
    return m.end() if m else None


def find_inline_validates(text: str, start: int):
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

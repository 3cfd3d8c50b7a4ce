"""Completion of requirement IDs on reference lines, and of the `_Requirements:_` line itself."""

from __future__ import annotations

import re
from functools import lru_cache

from ..ids import id_key
from ..model import Criterion, Record, Requirement, RequirementsDoc, Span, TasksDoc
from ..refs import match_ref_line

_TOKEN_CHARS = re.compile(r"[A-Za-z0-9.\-]*$")
_EMPTY_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<bullet>[-*+])[ \t]+(?P<typed>_?[A-Za-z]*)$")
_SEPARATORS = ",，、;； \t:："


class CompletionEntry(Record):
    label: str
    kind: str  # "requirement" | "criterion" | "snippet"
    detail: str
    sort_text: str
    replace: Span
    insert_text: str
    snippet: str | None = None
    documentation: str | None = None  # filled by `describe` (completionItem/resolve)
    filter_text: str | None = None


def _context(line_text: str, col: int, labels: tuple[str, ...]) -> tuple[str, int, int] | None:
    m = match_ref_line(line_text, labels, loose=True)  # the list is being typed
    if m is None:
        return None
    _label, _ls, _le, list_start, _list_end = m
    if col < list_start - 1:
        return None
    before = line_text[:col]
    # the cursor must sit after the label, a separator or a partial ID
    m_prefix = _TOKEN_CHARS.search(before)  # (it always matches, if only the empty string)
    prefix = m_prefix.group(0) if m_prefix else ""
    start = col - len(prefix)
    if start > list_start and before[start - 1] not in _SEPARATORS:
        return None
    return prefix, start, list_start


def _listed_ids(line_text: str, list_start: int, current: tuple[int, int]) -> set[str]:
    out = set()
    for m in re.finditer(r"[A-Za-z]*-?\d+[A-Za-z]?(?:\.\d+)*", line_text[list_start:]):
        s = list_start + m.start()
        if s == current[0]:
            continue
        out.add(m.group(0).upper() if m.group(0)[0].isalpha() else m.group(0))
    return out


def complete(
    tasks: TasksDoc | None,
    req: RequirementsDoc | None,
    lines: list[str],
    line: int,
    col: int,
    labels: tuple[str, ...] = (),
    limit: int | None = None,
) -> list[CompletionEntry] | None:
    """Completion entries at (line, col), or None when the position is not a completion context.

    IDs come in `sort_text` order; with `limit`, only the first `limit` entries are built (ask
    for one more than you show to know whether the list was cut)."""
    if not (0 <= line < len(lines)):
        return None
    text = lines[line]
    col = max(0, min(col, len(text)))
    ctx = _context(text, col, labels)
    if ctx is not None:
        if req is None:
            return []
        prefix, start, list_start = ctx
        listed = _listed_ids(text, list_start, (start, col))
        replace = Span.on_line(line, start, col)
        out: list[CompletionEntry] = []
        want = prefix.upper()
        for sort_text, ident, upper, kind, detail in _candidates(req):
            if ident in listed:
                continue
            if want and not upper.startswith(want):
                continue  # typing `2.` narrows to requirement 2's criteria
            if limit is not None and len(out) >= limit:
                break
            out.append(
                CompletionEntry(
                    label=ident,
                    kind=kind,
                    detail=detail,
                    sort_text=sort_text,
                    replace=replace,
                    insert_text=ident,
                    filter_text=ident,
                )
            )
        return out
    # an empty (or half-typed) bullet under a task: offer the whole _Requirements: _ line
    m = _EMPTY_BULLET.match(text[:col]) if col == len(text.rstrip()) or col == len(text) else None
    if m and tasks is not None and tasks.task_containing(line) is not None:
        typed = m.group("typed")
        if typed and not "_requirements".startswith(typed.lower()):
            return None
        start = m.start("typed")
        return [
            CompletionEntry(
                label="_Requirements: _",
                kind="snippet",
                detail="reference requirements from this task",
                sort_text="0",
                replace=Span.on_line(line, start, col),
                insert_text="_Requirements: _",
                snippet="_Requirements: ${1}_$0",
                filter_text="_Requirements",
            )
        ]
    return None


_CANDIDATES: dict[str, tuple[RequirementsDoc, list[tuple[str, str, str, str, str]]]] = {}


def _candidates(req: RequirementsDoc) -> list[tuple[str, str, str, str, str]]:
    """Every requirement and criterion of `req` as (sort_text, id, ID upper-cased, kind, detail),
    sorted by sort_text (stable: the document's order among equal keys). Computed once per
    parsed requirements document: parsed documents are never mutated, a new version is a new
    object (the cache holds the one it was computed from and compares identity)."""
    hit = _CANDIDATES.get(req.path)
    if hit is not None and hit[0] is req:
        return hit[1]
    out = []
    for r in req.requirements:
        ids: list[Requirement | Criterion] = [r, *r.criteria]
        for item in ids:
            ident = item.id
            is_req = isinstance(item, Requirement)
            detail = r.title or (f"Requirement {r.id}" if is_req else "")
            out.append(
                (
                    _sort_text(ident),
                    ident,
                    ident.upper(),
                    "requirement" if is_req else "criterion",
                    detail if is_req else f"{r.id}: {r.title}" if r.title else f"Requirement {r.id}",
                )
            )
    out.sort(key=lambda c: c[0])
    if len(_CANDIDATES) >= 64:
        _CANDIDATES.clear()
    _CANDIDATES[req.path] = (req, out)
    return out


@lru_cache(maxsize=65536)
def _sort_text(ident: str) -> str:
    key = id_key(ident)
    parts = []
    for p in key:
        if isinstance(p, tuple):
            parts.append(f"{p[0]:06d}{p[1]}")
        elif isinstance(p, int):
            parts.append(f"{p:06d}")
        else:
            parts.append(str(p))
    return ".".join(parts)


def describe(req: RequirementsDoc | None, ident: str) -> str | None:
    """Markdown documentation of a requirement or criterion (completion resolve, hover)."""
    if req is None:
        return None
    for r in req.requirements:
        if r.id == ident:
            head = f"**Requirement {r.id}**" + (f": {r.title}" if r.title else "")
            body = f"\n\n{r.body}" if r.body else ""
            crit = "".join(f"\n{i + 1}. {c.text}" for i, c in enumerate(r.criteria[:20]))
            more = f"\n\n… {len(r.criteria) - 20} more criteria" if len(r.criteria) > 20 else ""
            return head + body + ("\n" + crit if crit else "") + more
        for c in r.criteria:
            if c.id == ident:
                title = f" — {r.title}" if r.title else ""
                return f"**{c.id}** (Requirement {r.id}{title})\n\n{c.text}"
    return None

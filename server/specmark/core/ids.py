"""Identifiers of requirements and tasks: normalising and ordering.

IDs compare as tuples of integers (`5.10` follows `5.9`), with letter suffixes (`27C`) and
prefixed IDs (`REQ-001`, `FR-001`, `US1`, `T001`) ordered after plain numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import lazy

_PART = lazy(r"(\d+)([A-Za-z]*)")
_PREFIXED = lazy(r"^([A-Za-z]+)-?(\d+)(?:\.(\d+))?$")


@lru_cache(maxsize=65536)
def id_key(ident: str) -> tuple[int | str | tuple[int, str], ...]:
    """Sort key: numeric parts as integers, prefixed IDs after numeric ones."""
    m = _PREFIXED.match(ident)
    if m and not ident[0].isdigit():
        tail = (int(m.group(3)),) if m.group(3) else ()
        return (1, m.group(1).upper(), int(m.group(2))) + tail
    parts = []
    for piece in ident.split("."):
        pm = _PART.fullmatch(piece)
        if pm is None:
            return (2, ident)
        parts.append((int(pm.group(1)), pm.group(2).upper()))
    return (0,) + tuple(parts)


MAX_DEPTH = 32  # an ID with more dots has no parent (see parent_id)


def parent_id(ident: str) -> str | None:
    """`2.1` → `2`; `2` → None; `27C.4` → `27C`.

    IDs nested deeper than MAX_DEPTH have no parent: walking up the ancestors of a
    pathological ID ("1.1.1…" on a 1 MB line) would cost quadratic time and memory."""
    if "." not in ident or ident.count(".") > MAX_DEPTH:
        return None
    return ident.rsplit(".", 1)[0]


def last_number(ident: str) -> int | None:
    m = re.search(r"(\d+)[A-Za-z]*$", ident)
    return int(m.group(1)) if m else None

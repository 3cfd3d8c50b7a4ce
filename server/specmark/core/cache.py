"""One value per slot, kept while the key it was computed from still holds.

The language server caches what it derives from documents (a parse, an analysis, a resolver)
per path or per spec folder: one entry per slot, replaced when its inputs change. A key has
two parts: objects compared by identity (`same`: a parsed document, a config; immutable
inputs whose identity stands for their value, and whose own equality would be deep or wrong)
and plain values compared by equality (`equal`: a version stamp, a flavor, a tuple of IDs).

    parsed = KeyedCache()
    doc = parsed.get(path, equal=(version,))
    if doc is None:
        doc = parsed.put(path, parse(text), equal=(version,))

A value of None is never a hit (`get` cannot tell it from a miss): slots hold results only.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class KeyedCache(Generic[V]):
    """slot → (identity key, equality key, value); at most one entry per slot."""

    __slots__ = ("_slots",)

    def __init__(self) -> None:
        self._slots: dict[Hashable, tuple[tuple[object, ...], tuple[object, ...], V]] = {}

    def __repr__(self) -> str:
        return f"KeyedCache({len(self._slots)} slots)"

    def get(self, slot: Hashable, same: tuple[object, ...] = (), equal: tuple[object, ...] = ()) -> V | None:
        """The value of `slot` if it was put with the same objects (`is`, in order) and equal
        values (`==`), else None."""
        hit = self._slots.get(slot)
        if hit is None or len(hit[0]) != len(same) or hit[1] != equal:
            return None
        for a, b in zip(hit[0], same, strict=True):
            if a is not b:
                return None
        return hit[2]

    def put(
        self, slot: Hashable, value: V, same: tuple[object, ...] = (), equal: tuple[object, ...] = ()
    ) -> V:
        """Keep `value` for `slot` under this key (replacing what the slot held); returns it."""
        self._slots[slot] = (same, equal, value)
        return value

    def cached(
        self,
        slot: Hashable,
        compute: Callable[[], V],
        same: tuple[object, ...] = (),
        equal: tuple[object, ...] = (),
    ) -> V:
        """`get`, or `compute()` then `put` on a miss."""
        hit = self.get(slot, same, equal)
        if hit is not None:
            return hit
        return self.put(slot, compute(), same, equal)

    def pop(self, slot: Hashable) -> None:
        self._slots.pop(slot, None)

    def clear(self) -> None:
        self._slots.clear()

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, slot: object) -> bool:
        return slot in self._slots

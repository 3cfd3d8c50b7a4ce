"""An open document as a list of lines, edited incrementally with LSP line semantics.

Only CRLF, CR and LF end a line (as in LSP; `str.splitlines` would also split on U+2028,
form feeds and the like, and shift every position after them). Each line keeps its own
terminator so the text round-trips byte for byte. An edit costs work proportional to the
lines it touches, never a rebuild of the text: the lines live in `Lines`, a tuple of chunks
that versions share, so an edit copies one chunk and the chunk references — not the 100,000
references of a 100,000-line document (copying those costs about 5 ms here, because every
line object is touched).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, chain, compress, count
from operator import ne

from .model import Record

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import overload

_BREAK = re.compile(r"\r\n|\r|\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


def join_surrogates(text: str) -> str:
    """A high and a low surrogate that arrived in separate edits (JSON lets a client send lone
    ones) are one character in the client's UTF-16 text: make them one code point here too, or
    a column between them would land inside the client's surrogate pair."""
    if text.isascii() or _SURROGATE.search(text) is None:  # isascii: a flag, no scan
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def split_keepends(text: str) -> list[str]:
    """Lines with their terminators; the last line has none (it may be empty)."""
    out: list[str] = []
    pos = 0
    for m in _BREAK.finditer(text):
        out.append(text[pos : m.end()])
        pos = m.end()
    out.append(text[pos:])
    return out


_CHUNK = 512


class Lines(Sequence[str]):
    """An immutable sequence of strings kept as chunks of up to 2 × 512 lines.

    `replace` returns a new Lines that shares every untouched chunk with this one; indexing
    costs a bisect, slices return tuples. Versions that share chunks can be compared a chunk
    at a time by identity (`common_ends`)."""

    __slots__ = ("_chunks", "_offs", "_n")

    def __init__(self, items: Iterable[str] = ()) -> None:
        items = tuple(items)
        self._set(tuple(items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)))

    def _set(self, chunks: tuple[tuple[str, ...], ...]) -> None:
        self._chunks = chunks
        self._offs = [0, *accumulate(map(len, chunks))]
        self._n = self._offs[-1]

    @classmethod
    def _of(cls, chunks: tuple[tuple[str, ...], ...]) -> Lines:
        out = cls.__new__(cls)
        out._set(chunks)
        return out

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self._chunks)

    if TYPE_CHECKING:

        @overload
        def __getitem__(self, i: int) -> str: ...
        @overload
        def __getitem__(self, i: slice) -> tuple[str, ...]: ...

    def __getitem__(self, i: int | slice) -> str | tuple[str, ...]:
        if isinstance(i, slice):
            a, b, step = i.indices(self._n)
            if step != 1:
                return tuple(self)[i]
            if a >= b:
                return ()
            offs, chunks = self._offs, self._chunks
            j = bisect_right(offs, a) - 1
            off = offs[j]
            if b <= off + len(chunks[j]):
                return chunks[j][a - off : b - off]
            parts = [chunks[j][a - off :]]
            j += 1
            while offs[j + 1] < b:
                parts.append(chunks[j])
                j += 1
            parts.append(chunks[j][: b - offs[j]])
            return tuple(chain.from_iterable(parts))
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("line index out of range")
        j = bisect_right(self._offs, i) - 1
        return self._chunks[j][i - self._offs[j]]

    def get(self, i: int, default: str = "") -> str:
        """Item `i` counted from the start, or `default` outside the sequence (a negative `i`
        too): the one-bisect lookup for hot loops (`Document.line`)."""
        if 0 <= i < self._n:
            offs = self._offs
            j = bisect_right(offs, i) - 1
            return self._chunks[j][i - offs[j]]
        return default

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Lines):
            return self._chunks is other._chunks or (self._n == other._n and tuple(self) == tuple(other))
        if isinstance(other, (tuple, list)):
            return len(other) == self._n and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Lines({list(self)!r})"

    def replace(self, lo: int, hi: int, new: Iterable[str]) -> Lines:
        """A copy with lines [lo, hi) replaced by `new`."""
        chunks, offs = self._chunks, self._offs
        new = tuple(new)
        if not chunks:
            return Lines(new)
        j0 = max(0, min(bisect_right(offs, lo) - 1, len(chunks) - 1))
        j1 = max(j0, min(bisect_right(offs, hi - 1) - 1, len(chunks) - 1)) if hi > lo else j0
        if j1 + 1 < len(chunks) and len(chunks[j1]) - (hi - offs[j1]) + len(new) < _CHUNK // 4:
            j1 += 1  # a small remainder joins the next chunk, so chunks do not dwindle
        base = offs[j0]
        merged = tuple(chain.from_iterable(chunks[j0 : j1 + 1]))
        mid = merged[: lo - base] + new + merged[hi - base :]
        if len(mid) > 2 * _CHUNK:
            pieces = tuple(mid[i : i + _CHUNK] for i in range(0, len(mid), _CHUNK))
        else:
            pieces = (mid,) if mid else ()
        return Lines._of(chunks[:j0] + pieces + chunks[j1 + 1 :])


def common_ends(old: Sequence[str], new: Sequence[str]) -> tuple[int, int]:
    """(lines both start with, lines both end with), not overlapping. Versions of one Lines
    share their untouched chunks: those are skipped by identity, then the lines between are
    compared one by one at C speed. The answer for the last two Lines compared is kept (the
    engine and the diagnostics converter both ask for each edit)."""
    global _last_ends
    n_old, n_new = len(old), len(new)
    limit = min(n_old, n_new)
    p = s = 0
    if isinstance(old, Lines) and isinstance(new, Lines):
        last = _last_ends
        if last is not None and last[0] is old and last[1] is new:
            return last[2]
        oc, nc = old._chunks, new._chunks
        lim = min(len(oc), len(nc))
        j = 0
        while j < lim and oc[j] is nc[j]:
            j += 1
        if j == len(oc) == len(nc):
            return n_old, 0
        k = 0
        while k < lim - j and oc[-1 - k] is nc[-1 - k]:
            k += 1
        p, s = old._offs[j], n_old - old._offs[len(oc) - k]
        # the lines between the shared chunks: where they first differ is where both prefixes
        # end, unless one is a prefix of the other (then the prefix may run on into the end)
        a, b = old[p : n_old - s], new[p : n_new - s]
        first = _first_difference(a, b)
        if first < min(len(a), len(b)):
            ends = (p + first, s + _first_difference(a[first:][::-1], b[first:][::-1]))
            _last_ends = (old, new, ends)
            return ends
    for step in (4096, 256, 16, 1):
        while p + step <= limit and old[p : p + step] == new[p : p + step]:
            p += step
    room = limit - p
    s = min(s, room)  # the longest prefix first; the suffix takes what is left
    for step in (4096, 256, 16, 1):
        while s + step <= room and old[n_old - s - step : n_old - s] == new[n_new - s - step : n_new - s]:
            s += step
    return p, s


def _first_difference(a: Sequence[str], b: Sequence[str]) -> int:
    """The first index at which `a` and `b` differ, or the length of the shorter."""
    return next(compress(count(), map(ne, a, b)), min(len(a), len(b)))


_last_ends: tuple[Lines, Lines, tuple[int, int]] | None = None  # common_ends' last answer for Lines


def _body(line: str) -> str:
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith(("\n", "\r")):
        return line[:-1]
    return line


class Document(Record, frozen=True):
    uri: str
    version: int | None
    raw: Lines  # lines with terminators (a tuple or list is converted)
    bodies: Lines = Lines()  # the same lines without terminators (derived)

    def __post_init__(self) -> None:
        if not isinstance(self.raw, Lines):
            object.__setattr__(self, "raw", Lines(self.raw))
        if not isinstance(self.bodies, Lines) or len(self.bodies) != len(self.raw):
            object.__setattr__(self, "bodies", Lines(_body(line) for line in self.raw))

    @classmethod
    def from_text(cls, uri: str, text: str, version: int | None = None) -> Document:
        text = join_surrogates(text)
        if "\r" in text:
            return cls(uri, version, Lines(split_keepends(text)))
        # the common case, only "\n" breaks: both line lists at C speed (a 100,000-line
        # document: ~15 ms instead of ~90 ms through split_keepends and _body)
        bodies = text.split("\n")
        raw = [line + "\n" for line in bodies]
        raw[-1] = bodies[-1]
        return cls(uri, version, Lines(raw), Lines(bodies))

    def with_version(self, version: int | None) -> Document:
        return Document(self.uri, version, self.raw, self.bodies)

    @property
    def text(self) -> str:
        return "".join(self.raw)

    @property
    def lines(self) -> list[str]:
        """Lines without terminators (what the parsers and positions use)."""
        return list(self.bodies)

    def line(self, n: int) -> str:
        return self.bodies.get(n)

    def clamp(self, line: int, col: int) -> tuple[int, int]:
        """A valid (line, col) for any position: past the end clamps to the end."""
        if line < 0:
            return 0, 0
        if line >= len(self.raw):
            last = len(self.raw) - 1
            return last, len(self.bodies[last])
        return line, max(0, min(col, len(self.bodies[line])))

    def edit(
        self, start: tuple[int, int], end: tuple[int, int], new_text: str, version: int | None
    ) -> Document:
        """Replace [start, end) (code-point positions, clamped) with `new_text`."""
        (sl, sc), (el, ec) = self.clamp(*start), self.clamp(*end)
        if (el, ec) < (sl, sc):
            (sl, sc), (el, ec) = (el, ec), (sl, sc)
        last = self.raw[el]
        last_body = _body(last)
        terminator = last[len(last_body) :]
        merged = self.raw[sl][:sc] + new_text + last_body[ec:] + terminator
        lo = sl
        # "a\r" + "\n…" would join into one CRLF break: re-split from the previous line
        if sl > 0 and merged.startswith("\n") and self.raw[sl - 1].endswith("\r"):
            lo = sl - 1
            merged = self.raw[lo] + merged
        new_lines = split_keepends(join_surrogates(merged))
        if terminator:
            new_lines.pop()  # the empty start of the next line, which already exists
        raw = self.raw.replace(lo, el + 1, new_lines)
        bodies = self.bodies.replace(lo, el + 1, [_body(x) for x in new_lines])
        return Document(self.uri, version, raw, bodies)

"""An open document as a list of lines, edited incrementally with LSP line semantics.

Only CRLF, CR and LF end a line (as in LSP; `str.splitlines` would also split on U+2028,
form feeds and the like, and shift every position after them). Each line keeps its own
terminator so the text round-trips byte for byte. An edit costs work proportional to the
lines it touches (plus a copy of the list of references), never a rebuild of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BREAK = re.compile(r"\r\n|\r|\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


def join_surrogates(text: str) -> str:
    """A high and a low surrogate that arrived in separate edits (JSON lets a client send lone
    ones) are one character in the client's UTF-16 text: make them one code point here too, or
    a column between them would land inside the client's surrogate pair."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def split_keepends(text: str) -> list[str]:
    """Lines with their terminators; the last line has none (it may be empty)."""
    out: list[str] = []
    pos = 0
    for m in _BREAK.finditer(text):
        out.append(text[pos:m.end()])
        pos = m.end()
    out.append(text[pos:])
    return out


def _body(line: str) -> str:
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith(("\n", "\r")):
        return line[:-1]
    return line


@dataclass(frozen=True)
class Document:
    uri: str
    version: int | None
    raw: tuple[str, ...]          # lines with terminators
    bodies: tuple[str, ...] = ()  # the same lines without terminators (derived)

    def __post_init__(self) -> None:
        if len(self.bodies) != len(self.raw):
            object.__setattr__(self, "bodies", tuple(_body(line) for line in self.raw))

    @classmethod
    def from_text(cls, uri: str, text: str, version: int | None = None) -> "Document":
        return cls(uri, version, tuple(split_keepends(join_surrogates(text))))

    def with_version(self, version: int | None) -> "Document":
        return Document(self.uri, version, self.raw, self.bodies)

    @property
    def text(self) -> str:
        return "".join(self.raw)

    @property
    def lines(self) -> list[str]:
        """Lines without terminators (what the parsers and positions use)."""
        return list(self.bodies)

    def line(self, n: int) -> str:
        return self.bodies[n] if 0 <= n < len(self.bodies) else ""

    def clamp(self, line: int, col: int) -> tuple[int, int]:
        """A valid (line, col) for any position: past the end clamps to the end."""
        if line < 0:
            return 0, 0
        if line >= len(self.raw):
            last = len(self.raw) - 1
            return last, len(self.bodies[last])
        return line, max(0, min(col, len(self.bodies[line])))

    def edit(self, start: tuple[int, int], end: tuple[int, int], new_text: str, version: int | None) -> "Document":
        """Replace [start, end) (code-point positions, clamped) with `new_text`."""
        (sl, sc), (el, ec) = self.clamp(*start), self.clamp(*end)
        if (el, ec) < (sl, sc):
            (sl, sc), (el, ec) = (el, ec), (sl, sc)
        last = self.raw[el]
        last_body = _body(last)
        terminator = last[len(last_body):]
        merged = self.raw[sl][:sc] + new_text + last_body[ec:] + terminator
        lo = sl
        # "a\r" + "\n…" would join into one CRLF break: re-split from the previous line
        if sl > 0 and merged.startswith("\n") and self.raw[sl - 1].endswith("\r"):
            lo = sl - 1
            merged = self.raw[lo] + merged
        new_lines = split_keepends(join_surrogates(merged))
        if terminator:
            new_lines.pop()  # the empty start of the next line, which already exists
        raw = self.raw[:lo] + tuple(new_lines) + self.raw[el + 1:]
        bodies = self.bodies[:lo] + tuple(_body(x) for x in new_lines) + self.bodies[el + 1:]
        return Document(self.uri, version, raw, bodies)

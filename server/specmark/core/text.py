"""Splitting text into lines and converting columns between encodings.

Columns inside the core are Unicode code points (Python string indices). The CLI prints
them 1-based; the language server converts them to the negotiated LSP encoding.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class LazyPattern:
    """A regular expression compiled on first use.

    Compiling a pattern costs 0.1-1.5 ms of pure Python (`re._compiler`); `specmark check`
    needs only some of the core's patterns for a given document, so the ones that most runs
    never reach are declared with `lazy(...)`. After the first call, `match`, `search` … are
    the compiled pattern's own methods (instance attributes), so calls cost the same.
    """

    __slots__ = ("pattern", "flags", "__dict__")

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags

    def _compile(self) -> re.Pattern[str]:
        compiled = re.compile(self.pattern, self.flags)
        for name in ("match", "search", "fullmatch", "finditer", "findall", "split", "sub", "subn"):
            setattr(self, name, getattr(compiled, name))
        self.__dict__["compiled"] = compiled
        return compiled

    def __getattr__(self, name: str) -> Any:  # only for what is not set yet
        compiled = self.__dict__.get("compiled") or self._compile()
        return getattr(compiled, name)


class _DigitPattern(LazyPattern):
    """A LazyPattern every match of which holds a decimal digit (`\\d`): until it is compiled,
    `match`, `search` and `fullmatch` on a text without a digit answer None without compiling
    it (headings such as `## Introduction` meet a dozen ID-shaped patterns, 0.1-0.6 ms each to
    compile, that cannot match them). tests/core/test_lazy_patterns.py proves the claim from
    each pattern's parse tree."""

    __slots__ = ()

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        if _DIGIT.search(string) is None:
            return None
        return self.__getattr__("match")(string, *args)  # type: ignore[no-any-return]

    def search(self, string: str, *args: int) -> re.Match[str] | None:
        if _DIGIT.search(string) is None:
            return None
        return self.__getattr__("search")(string, *args)  # type: ignore[no-any-return]

    def fullmatch(self, string: str, *args: int) -> re.Match[str] | None:
        if _DIGIT.search(string) is None:
            return None
        return self.__getattr__("fullmatch")(string, *args)  # type: ignore[no-any-return]


def lazy(pattern: str, flags: int = 0, needs_digit: bool = False) -> LazyPattern:
    """`pattern` compiled on first use; `needs_digit`: every match holds a decimal digit."""
    return _DigitPattern(pattern, flags) if needs_digit else LazyPattern(pattern, flags)


_DIGIT = LazyPattern(r"\d")
_LINE_BREAK = lazy(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Lines without their terminators; CRLF, CR and LF all end a line (as in LSP).

    A text ending in a line break has a final empty line, so the result always has
    `text.count(breaks) + 1` entries and every LSP position maps to one of them.
    """
    if "\r" not in text:
        return text.split("\n")  # the same lines, ten times faster than the regex
    lines: list[str] = _LINE_BREAK.split(text)
    return lines


def line_starts(text: str) -> list[int]:
    """Offset of the first character of each line in `text`."""
    starts = [0]
    for m in _LINE_BREAK.finditer(text):
        starts.append(m.end())
    return starts


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def utf16_len(s: str) -> int:
    """Length of `s` in UTF-16 code units."""
    n = len(s)
    if s.isascii():
        return n
    return n + sum(1 for ch in s if ord(ch) > 0xFFFF)


def col_to_utf16(line: str, col: int) -> int:
    if col >= 0 and line.isascii():  # O(1): no copy of the prefix (per token on a 1 MB line)
        return min(col, len(line))
    return utf16_len(line[:col])


def _col_from_units(line: str, units: int, width: Callable[[str], int]) -> int:
    """Code-point column for a column in code units; clamps past the end and rounds down
    inside a character (never splits a surrogate pair or a UTF-8 sequence)."""
    if line.isascii():
        return max(0, min(units, len(line)))
    count = 0
    for i, ch in enumerate(line):
        if count >= units:
            return i
        count += width(ch)
        if count > units:
            return i
    return len(line)


def _utf16_width(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def _utf8_width(ch: str) -> int:
    return len(ch.encode("utf-8", "surrogatepass"))


def col_from_utf16(line: str, units: int) -> int:
    return _col_from_units(line, units, _utf16_width)


def col_to_utf8(line: str, col: int) -> int:
    if col >= 0 and line.isascii():
        return min(col, len(line))
    return len(line[:col].encode("utf-8", "surrogatepass"))


def col_from_utf8(line: str, units: int) -> int:
    return _col_from_units(line, units, _utf8_width)


def indent_width(text: str) -> int:
    """Columns of leading whitespace, with tabs to the next multiple of 4 (CommonMark)."""
    width = 0
    for ch in text:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - (width % 4)
        else:
            break
    return width

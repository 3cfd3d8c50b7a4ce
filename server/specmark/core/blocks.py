"""Which lines are code: fenced code, indented code and HTML blocks (never tasks there).

markdown-it-py decides, but parsing a whole 10,000-line document with it costs about 0.6 s,
so the document is cut into top-level chunks at points where no block can be open (a blank
line followed by an unindented line, outside any fence or multi-line HTML block) and only
the chunks that contain something that *could* be code are handed to markdown-it-py. Chunk
results are memoised by their text, so an edit re-parses only the chunk it touches.

`tests/test_blocks.py` checks, with hypothesis, that the chunked answer equals a
markdown-it-py parse of the whole document.
"""

from __future__ import annotations

import re
from functools import lru_cache

_FENCE = re.compile(r"^[ \t]*(?:[-*+]\s+|\d{1,9}[.)]\s+|>\s?)*(`{3,}|~{3,})")
_HTML_MULTI_START = re.compile(r"^[ \t]*(?:>\s?)*<(?:!--|\?|![A-Za-z]|!\[CDATA\[|(?:pre|script|style|textarea)(?:[\s>]|$))", re.I)
_HTML_MULTI_END = {
    "<!--": "-->",
    "<?": "?>",
    "<![CDATA[": "]]>",
    "<!": ">",
}
_SUSPICIOUS_LINE = re.compile(
    r"^[ \t]*(?:[-*+]|\d{1,9}[.)])?[ \t]*(?:`{3}|~{3})"   # fence marker, maybe after a list marker
    r"|^[ \t]*(?:[-*+]|\d{1,9}[.)])?[ \t]*<"               # HTML (block start) anywhere near the start
    r"|^[ \t]*>"                                           # blockquote: nested structure
    r"|^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]*$"                # an empty list item
    r"|^[ \t]*(?:[-*+]|\d{1,9}[.)])(?: {5,}|\t)"           # a list item starting with indented code
)


def _indent_width(line: str) -> int:
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - (width % 4)
        else:
            break
    return width


def chunk_bounds(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) line ranges of top-level chunks that can be parsed independently."""
    bounds: list[tuple[int, int]] = []
    start = 0
    fence: str | None = None          # the fence marker that is open
    html_end: str | None = None       # the terminator of an open multi-line HTML block
    prev_blank = False
    for i, line in enumerate(lines):
        blank = not line.strip()
        if (
            i > start
            and prev_blank
            and not blank
            and fence is None
            and html_end is None
            and line[0] not in " \t"
        ):
            bounds.append((start, i))
            start = i
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) <= {fence[0]}:
                fence = None
        elif html_end is not None:
            if html_end in line:
                html_end = None
        else:
            m = _FENCE.match(line)
            if m:
                marker = m.group(1)
                rest = line[m.end():]
                if not (marker[0] == "`" and "`" in rest):
                    fence = marker
            else:
                hm = _HTML_MULTI_START.match(line)
                if hm:
                    html_end = _html_terminator(line[hm.start():].lstrip(" \t>"))
                    if html_end in line[hm.end():]:
                        html_end = None
        prev_blank = blank
    bounds.append((start, len(lines)))
    return bounds


def _html_terminator(tag_text: str) -> str:
    for opener, closer in _HTML_MULTI_END.items():
        if tag_text.startswith(opener):
            return closer
    name = re.match(r"<([A-Za-z]+)", tag_text)
    return f"</{name.group(1).lower()}>" if name else ">"


_ENDS_BLOCK = re.compile(r"^ {0,3}(?:#|(?:[-*_=][ \t]*)+$)")


def _chunk_is_suspicious(chunk: tuple[str, ...]) -> bool:
    # indented code can only start where a paragraph cannot continue: at the start, after a
    # blank line, after a heading or a thematic break / setext underline
    prev_ends = True
    for line in chunk:
        if _SUSPICIOUS_LINE.match(line):
            return True
        blank = not line.strip()
        if prev_ends and not blank and _indent_width(line) >= 4:
            return True
        prev_ends = blank or bool(_ENDS_BLOCK.match(line))
    return False


_MD = None


def _markdown():
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark")
        md.disable(["inline"], ignoreInvalid=True)
        _MD = md
    return _MD


_CODE_TOKENS = frozenset({"fence", "code_block", "html_block"})


def markdown_code_lines(text: str) -> frozenset[int]:
    """Lines (0-based) inside fenced code, indented code or HTML blocks, per markdown-it-py."""
    out: set[int] = set()
    for tok in _markdown().parse(text):
        if tok.type in _CODE_TOKENS and tok.map:
            start, end = tok.map
            if tok.type == "fence":
                # the fence lines themselves are code too: "```" can never be a task
                out.update(range(start, end))
            else:
                out.update(range(start, end))
    return frozenset(out)


@lru_cache(maxsize=4096)
def _chunk_code_lines(chunk: tuple[str, ...]) -> frozenset[int]:
    if not _chunk_is_suspicious(chunk):
        return frozenset()
    return markdown_code_lines("\n".join(chunk))


def code_lines(lines: list[str]) -> frozenset[int]:
    """All code/HTML lines of a document, computed chunk by chunk (memoised)."""
    out: set[int] = set()
    for start, end in chunk_bounds(lines):
        rel = _chunk_code_lines(tuple(lines[start:end]))
        if rel:
            out.update(start + r for r in rel)
    return frozenset(out)

"""Which lines are code: fenced code, indented code and HTML blocks (never tasks there).

markdown-it-py decides, but parsing a whole 10,000-line document with it costs about 0.6 s,
so the document is cut into top-level chunks at points where no block can be open (a blank
line followed by an unindented line, outside any fence or multi-line HTML block) and only
the chunks that contain something that *could* be code are handed to markdown-it-py. Chunk
results are memoised by their text, so an edit re-parses only the chunk it touches.

`tests/core/test_properties.py` checks, with hypothesis, that the chunked answer equals a
markdown-it-py parse of the whole document.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import indent_width, lazy

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_FENCE = lazy(r"^[ \t]*(?:[-*+]\s+|\d{1,9}[.)]\s+|>\s?)*(`{3,}|~{3,})")
_HTML_MULTI_START = lazy(
    r"^[ \t]*(?:>\s?)*<(?:!--|\?|![A-Za-z]|!\[CDATA\[|(?:pre|script|style|textarea)(?:[\s>]|$))", re.I
)
_HTML_MULTI_END = {
    "<!--": "-->",
    "<?": "?>",
    "<![CDATA[": "]]>",
    "<!": ">",
}
_MARKER = lazy(r"[-*+]|\d{1,9}[.)]")
_DEEP = 7  # nesting (about indent / 2 + markers) to parse with care
_CHECKBOX_START = lazy(r"^\[[^\]]{0,3}\](?!:)")


_ONE_MARKER = lazy(r"(?:[-*+]|\d{1,9}[.)])(?: +|$)")


def chunk_bounds(
    lines: Sequence[str], begin: int = 0, resync: Callable[[int], bool] | None = None
) -> list[tuple[int, int]]:
    """[start, end) line ranges of top-level chunks that can be parsed independently.

    `begin` must be a chunk start (nothing is open there). With `resync` (a function telling
    whether a line is a chunk start of the previous version, past the edited lines), the scan
    stops at the first chunk start it shares with that version: from there on nothing differs,
    and the result ends with `(start, None)` for the caller to splice the old chunks after it.
    """
    if begin == 0 and resync is None and lines:
        return _whole_document_bounds(lines, "\n".join(lines))[0]
    return _scan_bounds(lines, begin, begin, begin > 0 and not lines[begin - 1].strip(" \t"), [], resync)


# A chunk start where nothing can be open: a blank line (spaces and tabs only), then a line
# that starts with something else (not empty, not indented). The blank line is found from the
# line break before it (a literal first character lets the regex engine skip ahead: five times
# faster than `^` with re.M), so a blank first line is a case of its own.
_PLAIN_CHUNK_START = lazy(r"\n[ \t]*\n(?=[^ \t\n])")


def _whole_document_bounds(lines: Sequence[str], text: str) -> tuple[list[tuple[int, int]], list[int] | None]:
    """chunk_bounds(lines) (from the start, no resync), `text` being "\\n".join(lines), and the
    offsets in `text` of the first chunks' starts (those the regex found; None when a line
    holds a line break of its own).

    A fence or an HTML block can open only on a line holding "```", "~~~" or "<": up to the
    first such line nothing is open, so the chunk starts there are just the blank lines followed
    by an unindented line, which one regex scan over the text finds at C speed (a plan or a
    requirements document often has no such line at all). The per-line scan takes over at that
    line, in the state it would have reached by itself: the last chunk start, nothing open, and
    whether the line before is blank. `tests/core/test_fast_paths.py` compares the answers
    with the per-line scan alone.
    """
    n = len(lines)
    if text.count("\n") != n - 1:  # a line holding a "\n" of its own: no offsets to count
        return _scan_bounds(lines, 0, 0, False, [], None), None
    stop = len(text)
    for trigger in ("```", "~~~", "<"):
        at = text.find(trigger)
        if 0 <= at < stop:
            stop = at
    if stop < len(text):
        line_start = text.rfind("\n", 0, stop) + 1
        first_open = text.count("\n", 0, line_start)  # the line that may open something
    else:
        line_start, first_open = len(text), n
    bounds: list[tuple[int, int]] = []
    offsets = [0]
    start = 0
    if first_open > 1 and not lines[0].strip(" \t") and lines[1][:1] not in ("", " ", "\t"):
        bounds.append((0, 1))
        offsets.append(len(lines[0]) + 1)
        start = 1
    line = pos = 0
    count = text.count
    # endpos: the lookahead cannot see the line that may open something, whose own start
    # is the scan's business
    for m in _PLAIN_CHUNK_START.finditer(text, 0, line_start):
        end = m.end()
        line += count("\n", pos, end)
        pos = end
        bounds.append((start, line))
        offsets.append(end)
        start = line
    if first_open == n:
        bounds.append((start, n))
        return bounds, offsets
    prev_blank = first_open > 0 and not lines[first_open - 1].strip(" \t")
    return _scan_bounds(lines, first_open, start, prev_blank, bounds, None), offsets


def _scan_bounds(
    lines: Sequence[str],
    begin: int,
    start: int,
    prev_blank: bool,
    bounds: list[tuple[int, int]],
    resync: Callable[[int], bool] | None,
) -> list[tuple[int, int]]:
    """chunk_bounds' per-line scan from line `begin`, nothing open there, the current chunk
    starting at `start`, `bounds` holding the chunks before it."""
    fence: str | None = None  # the fence marker that is open
    html_end: str | None = None  # the terminator of an open multi-line HTML block
    for i in range(begin, len(lines)):
        line = lines[i]
        blank = not line.strip(" \t")
        if (
            prev_blank
            and not blank
            and i > start
            and fence is None
            and html_end is None
            and line[0] not in " \t"
        ):
            bounds.append((start, i))
            start = i
            if resync is not None and resync(i):
                bounds.append((i, None))  # type: ignore[arg-type]  # the documented end marker
                return bounds
        if fence is not None:
            stripped = line.strip(" \t")
            if indent_width(line) < 4 and stripped.startswith(fence) and set(stripped) <= {fence[0]}:
                fence = None
        elif html_end is not None:
            if html_end in line:
                html_end = None
        elif blank:
            pass  # opens nothing
        else:
            # a fence needs three backticks or tildes, an HTML block a "<": most lines have neither
            m = _FENCE.match(line) if ("```" in line or "~~~" in line) else None
            if m:
                marker = m.group(1)
                rest = line[m.end() :]
                if not (marker[0] == "`" and "`" in rest):
                    fence = marker
            elif "<" in line:
                hm = _HTML_MULTI_START.match(line)
                if hm:
                    html_end = _html_terminator(line[hm.start() :].lstrip(" \t>"))
                    if html_end in line[hm.end() :]:
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


_LEAD = lazy(r"([ \t]*)((?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))*)")
_QUOTE_AFTER_MARKER = lazy(r"[ \t]*(?:[-*+]|\d{1,9}[.)])?[ \t]*>")
_CODE_AFTER_MARKER = lazy(r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(?:[-*+]|\d{1,9}[.)])(?: {5}|[ ]{0,4}\t)")


# The lines of the two fast paths of _chunk_is_suspicious (none matches a line break): a line
# of a chunk with nothing indented (a requirements document, prose) …
_FLAT_LINE = r"(?:   |  | |)(?:(?:[-*+]|\d{1,9}[.)]) )?(?:[A-Za-z#]|[_*]+[A-Za-z]|\[[^\]\n]{0,3}\])"
# … and a list item nested by two spaces (a plan). Written for speed (a regex engine tries the
# literal alternatives much faster than ` {0,3}` or `(?: {0,2}| {4})`): the same lines as
# `\n {0,3}(?:(?:[-*+]|\d{1,9}[.)]) )?(?:[A-Za-z#]|[_*]+[A-Za-z]|\[[^\]\n]{0,3}\])` and
# `\n(?: {0,2}| {4})- (?:[A-Za-z]|[_*]+[A-Za-z]|\[[^\]\n]{0,3}\])` (ca8fb3b's patterns).
_NESTED_ITEM = r"(?:    |  | |)- (?:[A-Za-z]|[_*]+[A-Za-z]|\[[^\]\n]{0,3}\])"
_FLAT_LINES = lazy("\n" + _FLAT_LINE)
_NESTED_ITEMS = lazy("\n" + _NESTED_ITEM)
# A line break followed by a line that is neither empty nor of that shape (re.M: `$` is before
# a line break too)
_NOT_FLAT = lazy(r"\n(?!" + _FLAT_LINE + "|$)", re.M)
_NOT_NESTED = lazy(r"\n(?!" + _NESTED_ITEM + "|$)", re.M)
# … or an empty line followed by an indented one (_every_chunk_plain: one scan for both)
_NOT_NESTED_OR_GAP = lazy(r"\n(?!" + _NESTED_ITEM + r"|\n(?!    )|\Z)")


def _chunk_is_suspicious(chunk: tuple[str, ...]) -> bool:
    """Whether the chunk may contain code or HTML; False only when it surely does not.

    Indented code can start only where no paragraph is open: at the start, after a blank
    line, or after any line that is not plainly paragraph text (a heading, a thematic break,
    a link reference definition, a list item holding one of those, …).

    One regex match per line splits it into indentation, list markers and content; the rest
    is string tests: this runs on every line of every document.

    Most chunks of a plan are plain list items nested by two spaces, and that is clear at a
    glance: when every line is empty or `- ` at column 0-2 or 4 followed by plain text (a
    letter, emphasis and a letter, or a checkbox), no line is a link reference definition and
    no line at column 4 follows an empty line, none of the conditions below can hold, and one
    regex scan over the whole chunk (C speed) replaces the line-by-line scan. The same for
    chunks with nothing indented (requirements documents). `tests/core/test_fast_paths.py`
    compares the answers with the scan of ca8fb3b.
    """
    joined = "\n" + "\n".join(chunk)  # every line starts after a "\n"
    if "\n    " not in joined:
        # nothing indented: only the first conditions below matter. Each line is empty, or
        # indented by at most 3, at most one marker and one space, then a letter, a heading,
        # emphasis and a letter, or a checkbox (a requirements document, prose)
        if len(chunk) - chunk.count("") == len(_FLAT_LINES.findall(joined)):
            return False
    elif (
        "]:" not in joined
        and "\n\n    " not in joined
        and not joined.startswith("\n    ")
        and len(chunk) - chunk.count("") == len(_NESTED_ITEMS.findall(joined))
    ):
        return False
    prev_open = False  # the previous line leaves a paragraph open
    in_ref = False  # inside a possible link reference definition (until a blank line)
    items_end = -1  # list items of the line that opened the open paragraph: content
    items_at: tuple[int, ...] = ()  # column (-1: none) and marker columns
    lead = _LEAD.match
    for line in chunk:
        if not line:  # an empty line closes everything
            prev_open = in_ref = False
            items_end = -1
            continue
        m = lead(line)
        ws, run = m.group(1, 2)
        rest = line[m.end() :]
        if not rest:
            if run:  # an empty list item
                return True
            # blanks only: closes everything, unless deep enough to count as nesting
            if indent_width(line) >= 2 * _DEEP:
                return True
            prev_open = in_ref = False
            items_end = -1
            continue
        # fences, HTML, blockquotes, list items starting with code
        c0 = rest[0]
        if c0 in "<>" or (c0 in "`~" and rest[:3] in ("```", "~~~")):
            return True
        if ">" in line and _QUOTE_AFTER_MARKER.match(line):
            return True
        if "\t" in line:
            tabs = "\t" in ws or "\t" in run
            indent = indent_width(line) if "\t" in ws else len(ws)
        else:
            tabs = False
            indent = len(ws)
        lr = len(run)
        # code after a marker needs five spaces or a tab after it, all inside `run`
        if lr and (tabs or "     " in run) and _CODE_AFTER_MARKER.match(line):
            return True
        # deep nesting (markdown-it-py may stop parsing at maxNesting): a marker takes at least
        # one character and a space, so count them only near the limit
        if (
            indent + lr >= 2 * _DEEP - 1
            and indent // 2 + (lr + 1) // 2 >= _DEEP
            and indent // 2 + len(_MARKER.findall(run)) >= _DEEP
        ):
            return True
        if in_ref or "]:" in line:
            in_ref = True
            plain = False
        elif c0 in "*_":  # emphasis such as _Requirements: …_ or **Validates: …**
            plain = rest.lstrip("*_")[:1].isalpha()
        else:
            plain = c0.isalpha() or (c0 == "[" and _CHECKBOX_START.match(rest) is not None)
        if indent >= 4:
            # an indented line is safe only as plain text continuing an open paragraph …
            if not (prev_open and plain) or tabs:
                return True
            # … and, when it starts a list item, only inside the open item (at or past its
            # content column) or as a sibling of one of its items (at a marker column):
            # otherwise it may close the items and be code at an outer level
            if lr and (items_end < 0 or not (indent >= items_end or indent in items_at)):
                return True
        if plain:
            if lr and not tabs:
                base = len(ws)
                items_end = base + lr
                if " " in run.rstrip(" "):  # more than one marker
                    items_at = tuple(base + mm.start() for mm in _ONE_MARKER.finditer(run))
                else:
                    items_at = (base,)
        else:
            items_end = -1
        prev_open = plain
    return False


_MD: MarkdownIt | None = None


def _markdown() -> MarkdownIt:
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark")
        md.disable(["inline"], ignoreInvalid=True)
        _MD = md
    return _MD


_CODE_TOKENS = frozenset({"fence", "code_block", "html_block"})


def _code_of(tokens: Sequence[Token]) -> set[int]:
    out: set[int] = set()
    for tok in tokens:
        if tok.type in _CODE_TOKENS and tok.map:
            # for fences the fence lines themselves are code too: "```" is never a task
            out.update(range(*tok.map))
    return out


def markdown_code_lines(text: str) -> frozenset[int]:
    """Lines (0-based) inside fenced code, indented code or HTML blocks, per markdown-it-py."""
    return frozenset(_code_of(_markdown().parse(text)))


_PROBE = "x"
CLOSED, RUNS_ON, SWALLOWS_REST = 0, 1, 2


@lru_cache(maxsize=65536)  # more than the chunks of a 100,000-line document: no thrashing
def chunk_code_lines(chunk: tuple[str, ...], last: bool) -> tuple[frozenset[int], int]:
    """(code lines of the chunk, what happens after its end).

    A chunk followed by another one (it ends in a blank line) is parsed with a probe line
    appended. A probe that comes out as a top-level paragraph proves nothing is left open.
    A probe inside code means a fence or an HTML block runs on (the chunker was wrong about
    where it closes): the caller merges the chunk with the next one. A probe that vanishes
    means markdown-it-py hit its nesting limit and skipped the rest of the document: the
    caller merges every remaining chunk.
    """
    if not _chunk_is_suspicious(chunk):
        return frozenset(), CLOSED
    n = len(chunk)
    if last or not n or chunk[-1].strip(" \t"):
        return markdown_code_lines("\n".join(chunk)), CLOSED
    tokens = _markdown().parse("\n".join(chunk + (_PROBE,)))
    found = _code_of(tokens)
    rel = frozenset(i for i in found if i < n)
    if n in found:
        return rel, RUNS_ON
    if any(t.type == "paragraph_open" and t.level == 0 and t.map and t.map[0] == n for t in tokens):
        return rel, CLOSED
    return rel, SWALLOWS_REST


def _surely_plain(text: str, lo: int, e: int, refs: bool, gaps: bool) -> bool:
    """True when one of the two fast paths of _chunk_is_suspicious returns False for the
    chunk whose `joined` is text[lo:e] (its lines, each after a "\\n"; no line holds a line
    break of its own), testing it in place: no tuple of lines, no joined copy.

    "Every non-empty line is of the shape" is "no line break is followed by a line that is
    neither empty nor of the shape". `refs` and `gaps`: whether the whole text has "]:" and
    "\\n\\n    " at all (when it does not, no chunk has them). False says nothing.
    """
    if text.find("\n    ", lo, e) < 0:  # nothing indented
        return _NOT_FLAT.search(text, lo, e) is None
    return (
        not (refs and text.find("]:", lo, e) >= 0)
        and not (gaps and text.find("\n\n    ", lo, e) >= 0)
        and not text.startswith("\n    ", lo, e)
        and _NOT_NESTED.search(text, lo, e) is None
    )


def effective_chunks(
    lines: Sequence[str],
    bounds: Sequence[tuple[int, int]] | None = None,
    plain: Sequence[bool] | None = None,
) -> list[tuple[int, int, frozenset[int]]]:
    """Chunks as markdown-it-py sees them: (start, end, code lines relative to start).

    Chunks that a fence or HTML block runs across are merged, so each range can be parsed
    on its own with the same result as in the whole document. `plain[i]` True says chunk i
    is surely not suspicious (no code in it, nothing left open after it).
    """
    out: list[tuple[int, int, frozenset[int]]] = []
    if bounds is None:
        bounds = chunk_bounds(lines)
    i = 0
    while i < len(bounds):
        start, end = bounds[i]
        if plain is not None and plain[i]:
            # what chunk_code_lines says when the chunk is not suspicious
            out.append((start, end, frozenset()))
            i += 1
            continue
        while True:
            rel, after = chunk_code_lines(tuple(lines[start:end]), i + 1 >= len(bounds))
            if after == CLOSED or i + 1 >= len(bounds):
                break
            # parse it together with the next chunk (or with all the rest)
            i = i + 1 if after == RUNS_ON else len(bounds) - 1
            end = bounds[i][1]
        out.append((start, end, rel))
        i += 1
    return out


def code_lines(lines: list[str]) -> frozenset[int]:
    """All code/HTML lines of a document, computed chunk by chunk (memoised)."""
    if not lines:
        return frozenset()
    text = "\n".join(lines)
    if "\n    " not in text and _NOT_FLAT.search(text) is None and _NOT_FLAT.match("\n" + lines[0]) is None:
        # nothing indented and every line empty or flat (a requirements document, prose): each
        # chunk, wherever the chunks fall, takes _chunk_is_suspicious's flat fast path
        return frozenset()
    if _every_chunk_plain(lines, text):
        return frozenset()
    out: set[int] = set()
    for start, _end, rel in document_chunks(lines, text):
        if rel:
            out.update(start + r for r in rel)
    return frozenset(out)


def _every_chunk_plain(lines: list[str], text: str) -> bool:
    """Whether every chunk of the document surely holds no code (_surely_plain), told without
    cutting it into chunks (`text` is "\\n".join(lines)). True only when every line is empty
    or a plan's nested list item (_NESTED_ITEM) except a few (headings, prose) whose chunks
    each pass _surely_plain, nothing is a link reference definition and no empty line is
    followed by an indented one. Such lines open no fence and no HTML block, so the chunk
    starts are the blank lines followed by an unindented line; a chunk without any of the
    few lines passes the nested-item test (only the first chunk can start indented) or, with
    nothing indented, the flat one (a nested item indented less than four is flat). False
    says nothing. `tests/core/test_fast_paths.py` compares the answers with the chunk by chunk
    way.
    """
    n = len(lines)
    if lines[0].startswith("    ") or "]:" in text or text.count("\n") != n - 1:
        return False
    joined = "\n" + text  # line k starts after the k-th line break of `joined`
    checked: set[int] = set()  # first lines of the chunks found plain
    k = pos = 0
    for hits, m in enumerate(_NOT_NESTED_OR_GAP.finditer(joined)):
        at = m.start()
        if hits >= 64 or joined.startswith("\n\n", at):
            return False  # not a plan of nested items, or indented after an empty line
        k += joined.count("\n", pos, at)
        pos = at
        # the chunk holding line k: from the chunk start at or above it to the next one
        s, lo = k, at
        while s > 0 and not (lines[s][:1] not in ("", " ", "\t") and not lines[s - 1].strip(" \t")):
            s -= 1
            lo -= len(lines[s]) + 1
        if s in checked:
            continue
        e, hi = k + 1, at + len(lines[k]) + 1
        while e < n and not (lines[e][:1] not in ("", " ", "\t") and not lines[e - 1].strip(" \t")):
            hi += len(lines[e]) + 1
            e += 1
        if not _surely_plain(joined, lo, hi, False, False):
            return False
        checked.add(s)
    return True


def document_chunks(lines: Sequence[str], text: str | None = None) -> list[tuple[int, int, frozenset[int]]]:
    """effective_chunks of a whole document: (start, end, code lines relative to start).

    Most chunks of a plan or a requirements document are plainly not code. Telling so on the
    document's joined text (_surely_plain: a few C-speed searches per chunk) costs a fraction
    of making each chunk's tuple of lines, hashing it for the memo and joining it again for
    _chunk_is_suspicious; the other chunks go the memoised way. `text`: "\\n".join(lines), when
    the caller has it.
    """
    if not lines:
        return []
    if text is None:
        text = "\n".join(lines)
    bounds, offsets = _whole_document_bounds(lines, text)
    plain = None
    if offsets is not None:
        # the chunk starts the regex did not find (past a line that may open a fence or HTML)
        pos, line = offsets[-1], bounds[len(offsets) - 1][0]
        for start, _end in bounds[len(offsets) :]:
            pos += sum(map(len, lines[line:start])) + (start - line)
            offsets.append(pos)
            line = start
        offsets.append(len(text) + 1)
        refs, gaps = "]:" in text, "\n\n    " in text
        # chunk i is text[offsets[i]:offsets[i + 1] - 1]; its `joined` starts one character
        # before, at the line break ending the chunk before it. The first chunk has none: it
        # goes the memoised way.
        plain = [False] + [
            _surely_plain(text, offsets[i] - 1, offsets[i + 1] - 1, refs, gaps) for i in range(1, len(bounds))
        ]
    return effective_chunks(lines, bounds, plain)

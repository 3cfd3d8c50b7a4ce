"""The fast paths of `specmark check` (issue #4) give the same answers as the code they replaced.

Each oracle below is the implementation before the optimisation, verbatim (blocks.py, tasks.py
at ca8fb3b): hypothesis compares them on random lines built from the characters and shapes the
prefilters look at (markers, blanks, tabs, `>`, `<`, fences, brackets, colons, emphasis).
A comment above each oracle names the function it is the oracle of; the oracles repeat their
functions on purpose and stay apart from them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import shared_corpus
from specmark.core import blocks, refs, tasks
from specmark.core.blocks import (
    _CHECKBOX_START,
    _CODE_AFTER_MARKER,
    _DEEP,
    _FENCE,
    _HTML_MULTI_START,
    _LEAD,
    _MARKER,
    _ONE_MARKER,
    _QUOTE_AFTER_MARKER,
    _html_terminator,
)
from specmark.core.config import Config
from specmark.core.coverage import Resolver, compute_coverage, task_ref_items
from specmark.core.model import Record, Span
from specmark.core.refs import find_inline_validates, is_annotation, match_depends, match_ref_line
from specmark.core.tasks import (
    _CHECKBOX,
    _HEADING,
    _LABEL,
    _LIST_ITEM,
    _NOTE_LABEL,
    _TASK_ID,
    LineInfo,
    heading_info,
)
from specmark.core.text import indent_width, split_lines

SETTINGS = settings(max_examples=300, deadline=None)

# every Markdown file of the shared corpus (tests/shared_corpus.py; one of its files is GB18030,
# read with replacement characters) and of the repository's examples
_REPO = Path(__file__).resolve().parents[2]
CORPUS_DOCUMENTS = sorted([*shared_corpus.CORPUS.glob("*/*.md"), *(_REPO / "examples").glob("**/*.md")])

# --- random lines -------------------------------------------------------------------------------

INDENT = ["", " ", "  ", "    ", "      ", "\t", " \t", "  \t"]
MARKERS = [
    "",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "12) ",
    "1234567890. ",
    "- - ",
    "-     ",
    "-  \t",
    "-\t",
    "1.      ",
    "> ",
    ">",
    "- > ",
    "->",
    "-",
    "1.",
]
PIECES = [
    "",
    " ",
    "  ",
    "\t",
    "<",
    "<div>",
    "<!--",
    "-->",
    "```",
    "~~~",
    "``",
    "[ ]",
    "[x]",
    "[X]",
    "[-]",
    "[ x]",
    "[]",
    "[y]",
    "[^1]",
    "[a]:",
    "]:",
    "*",
    "**",
    "_",
    "__",
    "\\*",
    ":",
    "\uff1a",
    "1.1",
    "2.",
    "T001",
    "27C.4",
    " [P]",
    " [US1]",
    " (P)",
    "Title",
    "タスク",
    "#",
    "## ",
    "Task 3: ",
    "_Requirements:",
    "**Validates:",
    " Requirements",
    "_Depends:",
    "_Leverage:",
    "要件:",
    "x",
    "\u00a0",
    "\x0c",
    ">",
    "-",
]
line_st = st.builds(
    lambda i, m, rest: i + m + "".join(rest),
    st.sampled_from(INDENT),
    st.sampled_from(MARKERS),
    st.lists(st.sampled_from(PIECES), max_size=5),
)
chunk_st = st.lists(line_st, min_size=1, max_size=12).map(tuple)


# --- oracles: the code before the optimisation -----------------------------------------------------


# oracle of blocks._chunk_is_suspicious
def old_chunk_is_suspicious(chunk: tuple[str, ...]) -> bool:
    """Whether the chunk may contain code or HTML; False only when it surely does not.

    Indented code can start only where no paragraph is open: at the start, after a blank
    line, or after any line that is not plainly paragraph text (a heading, a thematic break,
    a link reference definition, a list item holding one of those, …).

    One regex match per line splits it into indentation, list markers and content; the rest
    is string tests: this runs on every line of every document.
    """
    prev_open = False  # the previous line leaves a paragraph open
    in_ref = False  # inside a possible link reference definition (until a blank line)
    items = None  # list columns of the line that opened the open paragraph
    for line in chunk:
        m = _LEAD.match(line)
        ws, run = m.group(1), m.group(2)
        rest = line[m.end() :]
        # fences, HTML, blockquotes, empty list items, list items starting with code
        if rest[:3] in ("```", "~~~") or rest[:1] in ("<", ">") or (run and not rest):
            return True
        if ">" in line and _QUOTE_AFTER_MARKER.match(line):
            return True
        if run and _CODE_AFTER_MARKER.match(line):
            return True
        indent = len(ws) if "\t" not in ws else indent_width(line)
        # a marker takes at least one character and a space: count them only near the limit
        if indent // 2 + (len(run) + 1) // 2 >= _DEEP and indent // 2 + len(_MARKER.findall(run)) >= _DEEP:
            return True  # deep nesting: markdown-it-py may stop parsing (maxNesting)
        blank = not rest
        in_ref = not blank and (in_ref or "]:" in line)
        if blank or in_ref:
            plain = False
        elif rest[0] in "*_":  # emphasis such as _Requirements: …_ or **Validates: …**
            plain = rest.lstrip("*_")[:1].isalpha()
        else:
            plain = rest[0].isalpha() or bool(_CHECKBOX_START.match(rest))
        if blank or "\t" in ws or "\t" in run:
            cols = None
        elif run:
            base = len(ws)
            marker = run.rstrip(" ")
            if " " not in marker:  # one marker, the usual case
                cols = ((base,), base + len(run))
            else:
                cols = (tuple(base + mm.start() for mm in _ONE_MARKER.finditer(run)), base + len(run))
        else:
            cols = ((), len(ws))
        if not blank and indent >= 4:
            # an indented line is safe only as plain text continuing an open paragraph …
            if not (prev_open and plain):
                return True
            # … and, when it starts a list item, only inside the open item (at or past its
            # content column) or as a sibling of one of its items (at a marker column):
            # otherwise it may close the items and be code at an outer level
            if cols is not None and cols[0]:
                if items is None or not (indent >= items[1] or indent in items[0]):
                    return True
            elif cols is None:
                return True
        if plain and cols is not None and cols[0]:
            items = cols
        elif not plain:
            items = None
        prev_open = plain
    return False


# oracle of blocks.chunk_bounds
def old_chunk_bounds(lines, begin: int = 0, resync=None) -> list[tuple[int, int]]:
    """[start, end) line ranges of top-level chunks that can be parsed independently.

    `begin` must be a chunk start (nothing is open there). With `resync` (a function telling
    whether a line is a chunk start of the previous version, past the edited lines), the scan
    stops at the first chunk start it shares with that version: from there on nothing differs,
    and the result ends with `(start, None)` for the caller to splice the old chunks after it.
    """
    bounds: list[tuple[int, int]] = []
    start = begin
    fence: str | None = None  # the fence marker that is open
    html_end: str | None = None  # the terminator of an open multi-line HTML block
    prev_blank = begin > 0 and not lines[begin - 1].strip(" \t")
    for i in range(begin, len(lines)):
        line = lines[i]
        blank = not line.strip(" \t")
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
            if resync is not None and resync(i):
                bounds.append((i, None))
                return bounds
        if fence is not None:
            stripped = line.strip(" \t")
            if indent_width(line) < 4 and stripped.startswith(fence) and set(stripped) <= {fence[0]}:
                fence = None
        elif html_end is not None:
            if html_end in line:
                html_end = None
        else:
            m = _FENCE.match(line)
            if m:
                marker = m.group(1)
                rest = line[m.end() :]
                if not (marker[0] == "`" and "`" in rest):
                    fence = marker
            else:
                hm = _HTML_MULTI_START.match(line)
                if hm:
                    html_end = _html_terminator(line[hm.start() :].lstrip(" \t>"))
                    if html_end in line[hm.end() :]:
                        html_end = None
        prev_blank = blank
    bounds.append((start, len(lines)))
    return bounds


# oracle of blocks.code_lines
def old_code_lines(lines: list[str]) -> frozenset[int]:
    """blocks.code_lines before the whole-text fast paths (2378abb): every chunk of the
    per-line chunk_bounds scan goes through the memoised chunk_code_lines."""
    out: set[int] = set()
    for start, _end, rel in blocks.effective_chunks(lines, old_chunk_bounds(lines)):
        if rel:
            out.update(start + r for r in rel)
    return frozenset(out)


# oracle of tasks.classify_line (with _old_other and _old_task_body below)
def old_classify_line(text: str, glyphs: str, labels: tuple[str, ...]) -> LineInfo:
    """What one line is, with columns relative to the line. Pure and memoised."""
    if not text.strip():
        return LineInfo("blank", 0, ())
    indent = indent_width(text)
    stripped = text.lstrip()
    first = stripped[0]
    if first == "#":
        m = _HEADING.match(text)
        if m:
            return heading_info(m, indent)  # headings have no fast path
    if first in "-*+>" or first.isdigit():
        m = _CHECKBOX.match(text)
        if m:
            inner = m.group("inner")
            after = m.group("after")
            glyph_col = m.start("inner")
            if len(inner) == 1 and inner in glyphs:
                opt = ""
                rest_col = m.start("after")
                if after.startswith("\\*"):
                    opt = "\\*"
                elif after.startswith("*") and not after.startswith("**"):
                    opt = "*"
                rest_col += len(opt)
                rest = text[rest_col:]
                if rest and rest[0] not in " \t":
                    return _old_other(text, indent)  # "[x]foo" or "[ ](link)": not a task
                return LineInfo("task", indent, (inner, glyph_col, opt) + _old_task_body(text, rest_col))
            # [ x], [], [xx], [y] on a task-looking line (not a link, not a footnote)
            if (
                (not after or after[0] in " \t*")
                and not after.startswith("(")
                and not inner.startswith("^")
                and not _NOTE_LABEL.fullmatch(inner)
            ):
                bracket_start = glyph_col - 1
                return LineInfo("bad-checkbox", indent, (inner, bracket_start, m.end("inner") + 1))
    ref = match_ref_line(text, labels)
    if ref is not None:
        return LineInfo("ref", indent, ref)
    dep = match_depends(text)
    if dep is not None:
        return LineInfo("depends", indent, (dep,))
    if is_annotation(text):
        return LineInfo("annotation", indent, ())
    return _old_other(text, indent)


# part of the oracle of tasks.classify_line: tasks._other
def _old_other(text: str, indent: int) -> LineInfo:
    if _LIST_ITEM.match(text):
        return LineInfo("item", indent, ())
    return LineInfo("text", indent, ())


# part of the oracle of tasks.classify_line: its task-body reading
def _old_task_body(text: str, col: int) -> tuple:
    """(id, id_start, id_end, title, title_start, labels) from the text after the checkbox."""
    while col < len(text) and text[col] in " \t":
        col += 1
    ident = None
    id_start = id_end = col
    m = _TASK_ID.match(text, col)
    if m:
        raw = m.group("id")
        ident = raw.replace("\\", "").rstrip(".")
        id_start = m.start("id")
        id_end = m.start("id") + len(raw)
        col = m.end()
    labels: list[str] = []
    story_col = -1
    while True:
        lm = _LABEL.match(text, col)
        if not lm:
            break
        label = lm.group("sq") or lm.group("par")
        if label.startswith("US") and story_col < 0:
            story_col = lm.start("sq")
        labels.append(label)
        col = lm.end()
    while col < len(text) and text[col] in " \t":
        col += 1
    title = text[col:].rstrip()
    return (ident, id_start, id_end, title, col, tuple(labels), story_col)


# --- the comparisons ----------------------------------------------------------------------------------


@SETTINGS
@given(chunk_st)
@example(("-     Title",))  # code after a marker: five spaces …
@example(("-  \tTitle",))  # … or a tab
@example(("- Title", "    - Sub", "      text", "    \tx"))
@example(("Title", "    - x", "  ```"))
@example(("- a", "->b"))
@example(("- - >x",))
def test_chunk_is_suspicious_equals_the_old_scan(chunk):
    assert blocks._chunk_is_suspicious(chunk) == old_chunk_is_suspicious(chunk)


PLAN_LINES = [
    "",
    "",
    "- [ ] 1. Title",
    "  - [ ] 1.1 Sub",
    "    - detail",
    "    - _Requirements: 1.1_",
    "   - x",
    " - x",
    "    x",
    "  ",
    "    ",
    "- [a]: /u",
    "     - x",
    "\t- x",
    "- - x",
    "-",
    "    - ```",
    "    - <b>",
    "    - **Validates: Requirements 1.1**",
    "  - [x]* 1.2 Opt",
    "    - [ ] 1.1.1 Deep",
    "      - x",
    "Text",
    "    - 1. x",
    "  - *x",
    "  - * x",
    "    - [b]:x",
    "    - Ünïcode",
    "    - 日本",
    "  -  x",
    "1. WHEN x",
    "10) x",
    "1.5 x",
    "### Requirement 1",
    "#x",
    "   ### h",
    " 1. x",
    "**User Story:** x",
    "* item",
    "*emph*",
    "- # h",
    "1.",
    "1. ",
    "- ",
    "   x",
    "   - > q",
    "1. ```",
    "~~~",
    "<div>",
    "> q",
]


@SETTINGS
@given(st.lists(st.sampled_from(PLAN_LINES), min_size=1, max_size=14).map(tuple))
def test_chunk_is_suspicious_on_plan_shapes_equals_the_old_scan(chunk):
    """The fast path for plans of nested list items, and the near misses it must refuse."""
    assert blocks._chunk_is_suspicious(chunk) == old_chunk_is_suspicious(chunk)


@SETTINGS
@given(st.lists(line_st, max_size=25))
def test_chunk_bounds_equal_the_old_scan(lines):
    assert blocks.chunk_bounds(lines) == old_chunk_bounds(lines)


# documents where nothing can open a fence or HTML block (the whole-text chunk_bounds path),
# or where that happens late, with blank lines of every kind between plan-shaped lines
BLANKS = ["", "", " ", "\t", "  \t ", "\u00a0", "\x0c"]
plain_doc_st = st.lists(
    st.sampled_from(
        [line for line in PLAN_LINES if "<" not in line and "```" not in line and "~~~" not in line] + BLANKS
    ),
    max_size=40,
)
doc_st = st.one_of(
    plain_doc_st,
    st.builds(lambda a, b: a + b, plain_doc_st, st.lists(line_st, max_size=8)),
    st.lists(st.sampled_from(PLAN_LINES + BLANKS), max_size=40),
)


@SETTINGS
@given(doc_st)
@example(["", "x"])  # a blank first line
@example(["", "x", "<div>", "", "y"])
@example([" ", "x", "", "```", "", "y", "```", "", "z"])
@example(["x", "", "y\nz", "", "w"])  # a line holding a line break of its own: the per-line scan
def test_chunk_bounds_on_plain_documents_equal_the_old_scan(lines):
    assert blocks.chunk_bounds(lines) == old_chunk_bounds(lines)


@SETTINGS
@given(doc_st)
@example(["", "x", "    code"])
@example(["- a", "    - b", "", "    - c", "", "d"])
@example(["x", "", "- a", "    - [b]: c", "", "y"])
# _every_chunk_plain: a plan of nested items with headings and prose between them
@example(["# Plan", "", "## Tasks", "", "- [ ] 1. a", "  - [ ] 1.1 b", "    - c", "", "- [ ] 2. d"])
@example(["# Plan", "- [ ] 1. a", "    - c", "", "x"])  # a heading in a chunk with indented lines
@example(["- [ ] 1. a", "  - [ ] 1.1 b", "", "    - c"])  # indented after an empty line
@example(["    - a", "", "- b"])  # an indented first line
@example(["- a", "    - b", "", "Text", "    more"])
def test_code_lines_equal_the_chunk_by_chunk_answer(lines):
    """code_lines tells plain chunks on the joined text (_surely_plain): the same answer as
    parsing every chunk the memoised way, and a chunk it calls plain is never suspicious."""
    assert blocks.code_lines(lines) == old_code_lines(lines)
    text = "\n".join(lines)
    if not lines or text.count("\n") != len(lines) - 1:
        return
    pos = 0
    for i, (a, b) in enumerate(old_chunk_bounds(lines)):
        end = pos + len("\n".join(lines[a:b]))
        if i and blocks._surely_plain(text, pos - 1, end, True, True):
            assert not old_chunk_is_suspicious(tuple(lines[a:b]))
        pos = end + 1


OLD_FLAT_LINE = re.compile(r"\n {0,3}(?:(?:[-*+]|\d{1,9}[.)]) )?(?:[A-Za-z#]|[_*]+[A-Za-z]|\[[^\]\n]{0,3}\])")
OLD_NESTED_ITEM = re.compile(r"\n(?: {0,2}| {4})- (?:[A-Za-z]|[_*]+[A-Za-z]|\[[^\]\n]{0,3}\])")


@SETTINGS
@given(st.one_of(line_st, st.sampled_from(PLAN_LINES)))
@example("   - x")
@example("    - x")
@example("     - x")
@example("**_x")
def test_the_line_shapes_equal_the_old_patterns(line):
    """blocks' line shapes are written for speed: they accept the same lines as before."""
    assert bool(blocks._FLAT_LINES.match("\n" + line)) == bool(OLD_FLAT_LINE.match("\n" + line))
    assert bool(blocks._NESTED_ITEMS.match("\n" + line)) == bool(OLD_NESTED_ITEM.match("\n" + line))


def test_chunk_bounds_and_code_lines_on_the_corpus_equal_the_old_answers():
    # without the corpus (a fresh clone) the examples alone; tests/core/test_corpus.py says why
    assert len(CORPUS_DOCUMENTS) >= (20 if shared_corpus.CORPUS.is_dir() else 5)
    for path in CORPUS_DOCUMENTS:
        lines = split_lines(path.read_text(encoding="utf-8", errors="replace"))
        assert blocks.chunk_bounds(lines) == old_chunk_bounds(lines), path
        assert blocks.code_lines(lines) == old_code_lines(lines), path


@SETTINGS
@given(line_st, st.sampled_from([(), ("Covers",), ("Req",)]))
def test_classify_line_equals_the_old_classifier(line, labels):
    glyphs = "".join(sorted(Config().status_glyphs))
    assert tasks.classify_line.__wrapped__(line, glyphs, labels) == old_classify_line(line, glyphs, labels)


# plan-shaped lines: the shapes the one-regex paths of tasks._common_shape take, and near misses
TASK_PIECES = [
    "",
    " ",
    "  ",
    "\t",
    "1",
    "1.",
    "1.1",
    "1.1.",
    "12.3.4",
    "2a.1",
    "T001",
    "T12",
    "Test",
    "Title",
    "title",
    "*",
    "**",
    "\\",
    "\\*",
    "[P]",
    "(P)",
    "[US1]",
    "(",
    "[",
    "]",
    ":",
    "_",
    "x",
    "\u00a0",
    "\x0c",
    "\r",
    "タスク",
]
GLYPHS = [" ", "x", "X", "-", "~", "y", "[", "]", "", "xx"]
plan_line_st = st.builds(
    lambda indent, bullet, glyph, opt, ws, rest: f"{indent}{bullet}[{glyph}]{opt}{ws}{''.join(rest)}",
    st.sampled_from(["", " ", "  ", "    ", "\t", " \t", "> "]),
    st.sampled_from(["- ", "* ", "+ ", "1. ", "-  ", "-\t", "-"]),
    st.sampled_from(GLYPHS),
    st.sampled_from(["", "*", "**", "\\*"]),
    st.sampled_from(["", " ", "  ", "\t"]),
    st.lists(st.sampled_from(TASK_PIECES), max_size=6),
)
ref_line_st = st.builds(
    lambda indent, bullet, open_, label, mid, body, close: (
        f"{indent}{bullet}{open_}{label}{mid}{''.join(body)}{close}"
    ),
    st.sampled_from(["", "  ", "    ", "\t", "> "]),
    st.sampled_from(["- ", "* ", "1. ", "", "-  "]),
    st.sampled_from(["_", "__", "*", "**", ""]),
    st.sampled_from(["Requirements", "requirements", "Requirement", "Req"]),
    st.sampled_from([": ", ":", ":  ", "：", "**: ", ":\t"]),
    st.lists(
        st.sampled_from(["1", "1.1", ", ", ",", " ", ".", "2.3", "All", "_", "*", "-", "x"]), max_size=6
    ),
    st.sampled_from(["_", "__", "*", "**", "", " ", "_ ", "_\t"]),
)


@SETTINGS
@given(
    st.one_of(plan_line_st, ref_line_st, line_st),
    st.sampled_from(["x- ~", "x", " X"]),
    st.sampled_from([(), ("Covers",), ("Requirements:",)]),
)
@example("- [ ] 1. Migrate the search store", "x- ~", ())
@example("  - [ ]* 2.2 Test the issue reporter", "x- ~", ())
@example("    - _Requirements: 1.5, 1.6_", "x- ~", ())
@example("- [x] T001 Setup", "x- ~", ())
def test_common_shapes_equal_the_general_classifier(line, glyphs, labels):
    """tasks._common_shape (one regex for a plain task or reference line) answers as the general
    path does, or not at all; and the memoised classify_line equals the old classifier."""
    glyphs = "".join(sorted(glyphs))
    fast = tasks._common_shape(line, glyphs, labels)
    if fast is not None:
        assert fast == tasks._classify(line, glyphs, labels)
    assert tasks.classify_line.__wrapped__(line, glyphs, labels) == old_classify_line(line, glyphs, labels)


@SETTINGS
@given(
    st.one_of(plan_line_st, ref_line_st, line_st, st.text(alphabet=" \t\u3000-*+>1.x_`~<(P)US", max_size=12)),
    st.sampled_from(["x- ~", "x", " X"]),
    st.sampled_from([(), ("Covers",), ("Requirements:",)]),
)
@example("    - Keep the public interface small", "x", ())
@example(" \u3000", "x", ())
def test_lines_without_brackets_hashes_or_colons_carry_nothing(line, glyphs, labels):
    """parse_tasks skips lines with no "[", "#", ":" or "：" without classifying them: such a
    line is blank, a list item or text (nothing to read), and blank exactly when it is all
    whitespace (which tells whether it is the line above a checkbox)."""
    glyphs = "".join(sorted(glyphs))
    if any(c in line for c in "[#:\uff1a") or not line:
        return
    kind = tasks.classify_line.__wrapped__(line, glyphs, labels).kind
    assert kind in ("blank", "item", "text")
    assert (kind == "blank") == line.isspace()


def test_common_shapes_take_the_plan_lines_of_the_benchmark():
    """The fast path is taken where it matters (else the test above would pass vacuously)."""
    glyphs = "".join(sorted(Config().status_glyphs))
    for line in (
        "- [ ] 1. Migrate the search store",
        "  - [ ]* 2.2 Test the issue reporter",
        "    - [x] 1.1.1 Wire the billing renderer",
        "- [-] Untitled thing",
        "    - _Requirements: 1.5, 1.6_",
        "  - _Requirements: 12_",
    ):
        assert tasks._common_shape(line, glyphs, ()) is not None, line


LIST_PIECES = [
    "1",
    "1.1",
    "12.30",
    "0",
    " ",
    "  ",
    "\t",
    ",",
    ", ",
    "，",
    ";",
    ".",
    "-",
    "1-2",
    "R1",
    "REQ-1",
    "a",
    "A",
    "All",
    "TBD",
    "...",
    "１",
    "٣",
    "(x)",
    "\u00a0",
]


@SETTINGS
@given(st.lists(st.sampled_from(LIST_PIECES), max_size=9).map("".join), st.integers(0, 5), st.integers(0, 40))
def test_parse_list_fast_path_equals_the_general_path(text, line, col):
    assert refs.parse_list(text, line, col) == refs._parse_list_general(text, line, col)


def test_parse_list_fast_path_examples():
    items, placeholder = refs.parse_list(" 1.1,2.3 ,  10 ", 4, 20)
    assert placeholder is None
    assert [(i.kind.value, i.text, i.span, i.start, i.start_span, i.end) for i in items] == [
        ("id", "1.1", Span(4, 21, 4, 24), "1.1", Span(4, 21, 4, 24), None),
        ("id", "2.3", Span(4, 25, 4, 28), "2.3", Span(4, 25, 4, 28), None),
        ("id", "10", Span(4, 32, 4, 34), "10", Span(4, 32, 4, 34), None),
    ]
    # not plain: the general path (trailing dot, empty item, range, non-ASCII digits)
    for text in ("1.1.", "1.1,,1.2", "1.1-1.3", "١.١", "1.1, "):
        assert refs.parse_list(text, 0, 0) == refs._parse_list_general(text, 0, 0)


def test_find_inline_validates_needs_a_colon_and_an_emphasis_mark():
    line = "- [ ] 2.1 Do it **Validates: Requirements 2.1**"
    assert find_inline_validates(line, 10) is not None
    assert find_inline_validates("- [ ] 2.1 Do it Validates: Requirements 2.1", 10) is None
    assert find_inline_validates("- [ ] 2.1 Do it **Validates Requirements 2.1**", 10) is None
    assert find_inline_validates("- [ ] 2.1 Do it _Requirements：2.1_", 10) is not None  # full-width colon


REQS = """# Requirements
### Requirement 1: A
#### Acceptance Criteria
1. WHEN a THEN b
2. WHEN c THEN d
### Requirement 2: B
#### Acceptance Criteria
1. WHEN e THEN f
"""


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            ["1", "1.1", "1.2", "1.3", "2", "2.1", "r1.1", "REQ-1", "1.1-2.1", "All", "x", "1.1.", "US1"]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_coverage_fast_path_equals_resolving_every_item(ids):
    from specmark.core.requirements import parse_requirements
    from specmark.core.tasks import parse_tasks

    text = (
        "- [ ] 1. Task\n  - [ ] 1.1 Sub\n    - _Requirements: " + ", ".join(ids) + "_\n- [ ] 2. Other [US1]\n"
    )
    doc = parse_tasks(text)
    resolver = Resolver(parse_requirements(REQS))
    got = compute_coverage([doc], resolver)["tasks.md"]
    by_id: dict = {}
    whole: list = []
    for task in doc.tasks:
        for item in task_ref_items(task):
            res = resolver.resolve(item)
            if res.whole_spec:
                whole.append(task.index)
            for target in res.targets:
                lst = by_id.setdefault(target, [])
                if not lst or lst[-1] != task.index:
                    lst.append(task.index)
    assert got.by_id == by_id and got.whole_spec == whole


# --- requirements: a numbered item is never a written criterion ID ---------------------------------

NUMBERED_PIECES = [
    "1",
    "12",
    "0",
    "123456789",
    "1234567890",
    "٣",
    ".",
    ")",
    " ",
    "\t",
    "1.1",
    ".5",
    "WHEN",
    "THE",
    "x",
    "- ",
    "* ",
    "",
]


@SETTINGS
@given(
    st.sampled_from(["", " ", "   ", "\t", "    "]), st.lists(st.sampled_from(NUMBERED_PIECES), max_size=6)
)
@example("", ["1", ".", " ", "WHEN"])
@example("", ["1", ".", "1", " ", "WHEN"])
@example("  ", ["1", ")", "1", " ", "THE"])
def test_a_numbered_item_is_never_a_written_criterion_id(indent, pieces):
    """parse_requirements skips _BUGFIX on a line that _ORDERED matches (one regex, not two,
    per criterion line): that is right only if no line matches both."""
    from specmark.core.requirements import _BUGFIX, _ORDERED

    line = indent + "".join(pieces)
    assert not (_ORDERED.match(line) and _BUGFIX.match(line))


# --- task-order: the old block_findings (2378abb) as the oracle --------------------------------------


# oracle of checks.task_order.sequence_findings
def old_order_sequence(path, members, seen):
    from specmark.core.checks.task_order import CODE, _expected, sequence_number
    from specmark.core.model import Finding, Related

    out = []
    prev = None
    number = sequence_number
    for off, task in members:
        ident = task.id
        if ident in seen:
            continue
        seen.add(ident)
        num = number(ident)
        if prev is not None and num is not None:
            poff, ptask, pnum = prev
            if pnum is not None and num != pnum + 1:
                expected = _expected(ptask.id, pnum + 1)
                word = "comes after" if num <= pnum else "follows"
                out.append(
                    Finding(
                        CODE,
                        path,
                        task.id_span.shifted(off),
                        f"Task {ident} {word} task {ptask.id}; expected {expected}",
                        related=(Related(path, ptask.id_span.shifted(poff), f"previous task {ptask.id}"),),
                        data={"expected": expected},
                    )
                )
        prev = (off, task, num)
    return out


# oracle of checks.task_order.block_findings
def old_order_block_findings(doc):
    from specmark.core.checks.task_order import CODE
    from specmark.core.ids import parent_id
    from specmark.core.model import Finding, Related

    out = []
    groups = {}
    parentless = []
    for task in doc.tasks:
        if task.id is None:
            continue
        if task.id.startswith("T") or task.parent is None:
            parentless.append(task)
        else:
            groups.setdefault((task.parent, task.id.count(".")), []).append((0, task))
    seen = set()
    for members in groups.values():
        out.extend(old_order_sequence(doc.path, members, seen))
    stack = []
    orphans = []
    ids = {t.id for t in doc.tasks if t.id}
    plain_headings = [h.line for h in doc.headings]
    task_lines = {t.line for t in doc.tasks if t.kind == "heading"}
    plain_headings = [n for n in plain_headings if n not in task_lines]
    h = 0
    for task in doc.tasks:
        while h < len(plain_headings) and plain_headings[h] < task.line:
            stack = []
            h += 1
        if task.kind == "heading":
            stack = [task]
            continue
        while stack and stack[-1].kind == "list" and stack[-1].indent >= task.indent:
            stack.pop()
        holder = stack[-1] if stack else None
        pid = parent_id(task.id) if task.id else None
        if holder is not None and holder.kind == "heading" and task.id and pid is None:
            stack = []
            holder = None
        if (
            pid is not None
            and holder is not None
            and holder.id
            and holder.id != pid
            and task.indent > holder.indent
        ):
            out.append(
                Finding(
                    CODE,
                    doc.path,
                    task.id_span,
                    f"Sub-task {task.id} is nested under task {holder.id}; renumber it to {holder.id}.x or move it under task {pid}",
                    related=(Related(doc.path, holder.id_span, f"task {holder.id}"),),
                )
            )
        elif pid is not None and pid not in ids and not task.id.startswith("T"):
            orphans.append(task)
        stack.append(task)
    return out, parentless, orphans


# oracle of checks.task_order.check (block_findings + global_findings)
def old_order_check(doc):
    from specmark.core.checks.task_order import global_findings

    local, parentless, orphans = old_order_block_findings(doc)
    ids = {t.id for t in doc.tasks if t.id}
    return local + list(
        global_findings(doc.path, [(0, t) for t in parentless], [(0, o) for o in orphans], ids)
    )


ORDER_IDS = [
    "1.",
    "2.",
    "3.",
    "10.",
    "1.1",
    "1.2",
    "1.3",
    "1.01",
    "1.02",
    "1.10",
    "1.9",
    "2.1",
    "2.2",
    "2.3",
    "3.1",
    "1.1.1",
    "1.1.2",
    "2.1.1",
    "T001",
    "T002",
    "T010",
    "1",
    "2",
    "27C.1",
    "27C.2",
    "",
]
order_line_st = st.one_of(
    st.builds(
        lambda indent, ident: f"{indent}- [ ] {ident} Title".replace("  Title", " Title"),
        st.sampled_from(["", "", "  ", "  ", "    ", "\t"]),
        st.sampled_from(ORDER_IDS),
    ),
    st.sampled_from(["## Phase 1", "## Task 3: Heading task", "### 2. Group", "", "Text", "  - detail"]),
)


def _order_findings(doc):
    from types import SimpleNamespace

    from specmark.core.checks import task_order

    return list(task_order.check(SimpleNamespace(tasks=[doc])))


@SETTINGS
@given(st.lists(order_line_st, max_size=30))
@example(["- [ ] 1. A", "  - [ ] 1.1 B", "  - [ ] 1.2 C", "  - [ ] 1.3 D"])  # in order: the fast path
@example(["- [ ] 1. A", "  - [ ] 1.1 B", "  - [ ] 1.3 C", "  - [ ] 1.2 D"])
@example(["- [ ] 1. A", "  - [ ] 1.01 B", "  - [ ] 1.02 C", "- [ ] 2. E", "  - [ ] 1.02 F"])
@example(
    ["- [ ] 1. A", "  - [ ] 1.1 B", "- [ ] 2. C", "  - [ ] 1.1 D", "  - [ ] 1.2 E"]
)  # seen in another group
@example(["- [ ] 1. A", "  - [ ] 1.2 B", "- [ ] 1. C", "  - [ ] 1.1 D", "  - [ ] 1.2 E", "  - [ ] 1.3 F"])
@example(["- [ ] T001 A", "- [ ] T002 B", "- [ ] T010 C"])
def test_task_order_equals_the_old_check(lines):
    """task_order's fast path for siblings in sequence (_in_sequence) and its one-pass grouping
    report what the old code did, in the same order."""
    from specmark.core.checks import task_order

    doc = tasks.parse_tasks("\n".join(lines))
    assert task_order.block_findings(doc) == old_order_block_findings(doc)
    assert _order_findings(doc) == old_order_check(doc)


def test_task_order_fast_path_is_taken_for_siblings_in_sequence():
    """(else the tests above would pass vacuously: the loop gives the same answers)"""
    from specmark.core.checks.task_order import _in_sequence

    seen = {"9.1"}
    assert _in_sequence(["1.1", "1.2", "1.3"], seen) and seen == {"9.1", "1.1", "1.2", "1.3"}
    assert (
        _in_sequence(["1", "2"], set())
        and _in_sequence(["27C.9", "27C.10"], set())
        and _in_sequence(["5.1"], set())
    )
    assert not _in_sequence(["1.1", "1.3"], set()) and not _in_sequence(["1.2", "1.1"], set())
    assert not _in_sequence(["T001", "T002"], set())  # the loop's business
    seen = {"1.2"}
    assert not _in_sequence(["1.1", "1.2"], seen) and seen == {"1.2"}


def test_task_order_on_the_corpus_equals_the_old_check():
    from specmark.core.checks import task_order

    plans = [p for p in CORPUS_DOCUMENTS if p.name == "tasks.md"]
    assert plans
    for path in plans:
        doc = tasks.parse_tasks(path.read_text(encoding="utf-8", errors="replace"), str(path))
        assert task_order.block_findings(doc) == old_order_block_findings(doc), path
        assert _order_findings(doc) == old_order_check(doc), path


# --- every record behaves as the dataclass declared with the same fields ------------------------------


def _record_classes() -> list[type]:
    """Every subclass of model.Record (found with `__subclasses__()`, once every module of the
    package is imported: a new record is tested without a list to keep)."""
    import importlib
    import pkgutil

    import specmark
    from specmark.core.model import Record

    for info in pkgutil.walk_packages(specmark.__path__, "specmark."):
        if info.name != "specmark.__main__":
            importlib.import_module(info.name)
    found, todo = set(), list(Record.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("specmark."):
            found.add(cls)
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


RECORD_CLASSES = _record_classes()


def _twin(cls):
    """The same fields and defaults, declared as a @dataclass (methods generated by dataclasses)."""
    import dataclasses

    from specmark.core.model import _Factory

    specs = []
    for name in cls._fields:
        if name not in cls._defaults:
            specs.append((name, object))
        elif isinstance(cls._defaults[name], _Factory):
            specs.append((name, object, dataclasses.field(default_factory=cls._defaults[name].make)))
        else:
            specs.append((name, object, dataclasses.field(default=cls._defaults[name])))
    namespace = {"__post_init__": cls.__post_init__} if hasattr(cls, "__post_init__") else None
    twin = dataclasses.make_dataclass(
        cls.__name__, specs, frozen=cls._frozen, eq=cls._eq, namespace=namespace
    )
    twin.__qualname__ = cls.__qualname__
    return twin


def test_check_path_does_not_import_dataclasses_or_pathlib():
    """`specmark check` start-up: neither module is imported (about 25 ms of it)."""
    from imported import imported_after

    code = (
        "import specmark.cli, specmark.core.project, specmark.output.findings, specmark.core.tasks, "
        "specmark.core.requirements, specmark.core.checks"
    )
    assert imported_after(code, ["dataclasses", "pathlib", "inspect", "typing"]) == []


def test_the_records_are_found():
    names = {cls.__name__ for cls in RECORD_CLASSES}
    assert {"Task", "Finding", "Config", "CheckContext", "SpecResult", "DesignDoc", "AgentSpec"} <= names
    assert len(names) >= 24, sorted(names)


def _assert_frozen(record: object, name: str, message: str) -> None:
    """Setting or deleting field `name` of `record` raises AttributeError."""
    for attempt in (lambda: setattr(record, name, 1), lambda: delattr(record, name)):
        try:
            attempt()
        except AttributeError:
            pass
        else:
            raise AssertionError(message)


def _by_value(value):
    """`value`, or for an object compared by identity (a record with `eq=False`, such as
    State's Config, or a plain class such as its KeyedCaches), its class and its fields'
    values: the factories made fresh objects alike field for field."""
    if isinstance(value, Record) and not value._eq:
        return (type(value), tuple(_by_value(getattr(value, n)) for n in value._fields))
    if type(value).__eq__ is object.__eq__ and hasattr(type(value), "__slots__"):
        return (type(value), tuple(_by_value(getattr(value, n)) for n in type(value).__slots__))
    return value


@pytest.mark.parametrize("cls", RECORD_CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
@settings(max_examples=25, deadline=None)
@given(st.data())
def test_records_behave_as_generated_dataclasses(cls, data):
    import dataclasses
    import inspect

    assert not dataclasses.is_dataclass(cls)
    twin = _twin(cls)
    names = list(cls._fields)
    assert names and list(inspect.signature(cls).parameters) == names
    assert cls.__match_args__ == twin.__match_args__
    values = st.one_of(
        st.integers(-2, 2), st.sampled_from(["", "a", "1.1"]), st.none(), st.just(Span(0, 1, 0, 2))
    )
    args = {}
    for n in names:
        if n not in cls._defaults or data.draw(st.booleans()):
            args[n] = data.draw(values)
    try:
        a = cls(**args)
    except Exception as exc:  # refused by __post_init__ (Document of no lines): so is the twin
        assert hasattr(cls, "__post_init__")
        try:
            twin(**args)
        except type(exc):
            return
        raise AssertionError("the twin accepted what the record refused") from exc
    b = twin(**args)
    # defaults (a fresh object from each factory), repr, equality
    # a default that is itself a record compared by identity (`eq=False`, e.g. State's Config):
    # fresh objects from the same factory, alike field for field
    assert [_by_value(getattr(a, n)) for n in names] == [_by_value(getattr(b, n)) for n in names]
    for n in names:
        if n not in args and type(getattr(a, n)) in (list, dict):
            assert getattr(a, n) is not getattr(cls(**args), n)
    assert repr(a) == repr(b)
    assert a != b
    other_args = dict(args, **{names[0]: data.draw(values)})
    if cls._eq:
        assert a == cls(**args) and (a == cls(**other_args)) == (b == twin(**other_args))
    else:
        assert a == a and a != cls(**args) and hash(a) == object.__hash__(a)
    # hashing and frozen fields
    if cls._frozen:
        if cls._eq:
            assert hash(a) == hash(b)
        _assert_frozen(a, names[0], "a frozen record accepted an assignment")
        _assert_frozen(b, names[0], "the twin is not frozen")
    else:
        assert (cls.__hash__ is None) == (twin.__hash__ is None)
        setattr(a, names[-1], 5)
        assert getattr(a, names[-1]) == 5
        setattr(a, names[-1], getattr(b, names[-1]))
    assert not hasattr(a, "__dict__")
    # _replace is dataclasses.replace
    changed = a._replace(**{names[0]: 7})
    assert repr(changed) == repr(dataclasses.replace(b, **{names[0]: 7}))
    assert type(changed) is cls and getattr(a, names[0]) == args.get(names[0], getattr(b, names[0]))

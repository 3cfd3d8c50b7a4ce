"""The tasks.md parser.

Task lines are recognised line by line (GFM task lists know neither `[-]`, `[~]` nor the
optional marker in `[ ]*`), never inside code or HTML blocks (see blocks.py). Hierarchy
comes from the IDs first (`2.1` is a child of `2.` even when both sit at column 0), from
indentation second. Each line's classification is memoised by its text, so re-analysing
an edited document costs little more than the lines that changed.
"""

from __future__ import annotations

import re
from collections import namedtuple
from functools import lru_cache

from . import blocks
from .config import Config
from .ids import parent_id
from .model import BadCheckbox, DependsLine, Flavor, Heading, RefLine, Span, Status, Task, TaskKind, TasksDoc
from .refs import find_inline_validates, is_annotation, match_depends, match_ref_line, parse_list
from .text import indent_width, lazy, split_lines
from .vocab import ACCEPTANCE_HEADINGS, CRITERIA_WORDS, PHASE_WORDS, TASK_HEADING_WORDS, alternation, words

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from typing import Any

    # a heading carrying a number: line, offset, level, section, number, number column,
    # title column, title
    Numbered = tuple[int, int, int, str | None, str, int, int, str]

_KIND_HEADING, _KIND_LIST = TaskKind.HEADING, TaskKind.LIST  # (a class attribute of an enum costs a lookup)
_CHECKBOX = lazy(
    r"^(?P<indent>[ \t]*)(?P<bq>(?:>[ \t]?)*)(?P<bullet>[-*+]|\d{1,9}[.)])[ \t]+"
    r"\[(?P<inner>[^\]\n]{0,3})\](?P<after>.*)$"
)
# spec-kit `T001` and numbered IDs, both with a suffix for a task inserted after the fact
# (`T076a`, `T158-1`, `T031-MIN`, `2.1v`): the suffix makes it another ID, not the next number;
# also T-numbers per phase (`T0-001`, `T3-012`)
_TASK_ID = lazy(
    r"(?P<b1>\*\*)?(?P<id>T\d{3,}(?:[a-z]|-\d+|-[A-Z]{2,})?|T\d{1,2}-\d{3,}|\d+[A-Za-z]?(?:\.\d+)+[a-z]?(?:\\?\.)?|\d+[A-Za-z]?\\?\.)(?P<b2>\*\*)?(?=[ \t]|$)"
)
# _CHECKBOX that also reads what follows the checkbox of a task (one match instead of three): the
# optional marker (`*`, `\*`), the blanks after it (the ID starts after all of them: the
# ID cannot start with a blank, so the greedy `[ \t]*` never gives any back)
# and the ID if there is one. `after` is the same group as in _CHECKBOX.
_TASK_LINE = lazy(
    _CHECKBOX.pattern[: -len("(?P<after>.*)$")]
    + r"(?P<after>(?P<opt>\\\*|\*(?!\*))?(?P<ws>[ \t]*)(?P<ident>"
    + _TASK_ID.pattern
    + ")?.*)$"
)
# labels after the ID: spec-kit [P], [US1] (also [US1/2], [US1/US2]: the first story is the
# task's), [Story 1]; cc-sdd (P)
_LABEL = lazy(r"[ \t]*(?:\[(?P<sq>P|US\d+(?:/(?:US)?\d+)*|Story[ \t]*\d+)\]|\((?P<par>P)\))")
_HEADING = lazy(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?[ \t#]*$")
_HEADING_TASK = lazy(
    r"^(?:(?P<word>"
    + alternation(TASK_HEADING_WORDS)
    + r")[ \t]*(?P<wid>\d+(?:\.\d+)*)\.?|(?P<id>\d+(?:\.\d+)*)\.)(?:[ \t]*[:：\-–][ \t]*|[ \t]+)(?P<title>\S.*)$",
    re.I,
    needs_digit=True,
)
# a heading that carries a number for the tasks under it (not a task by itself): `## Phase 2:
# Title`, `## 1.0 Section`, `### 1.1 Bug 1: …`. It becomes the parent (a heading task) when the
# first task under it is numbered under it (`- [ ] 2.1`, `### Task 2.1:`); a phase followed by
# plan-wide numbers (`- [ ] 4.`) stays a plain heading.
_NUMBERED_HEADING = lazy(
    r"^(?:(?:"
    + alternation(PHASE_WORDS)
    + r")[ \t]*(?P<phase>\d+)(?!\d|\.\d)|(?P<zero>\d+)\.0(?!\d|\.\d)|(?P<bare>\d+(?:\.\d+)+)(?!\d|\.\d)"
    # the Chinese/Japanese ordinal: 第2阶段, 第 2 フェーズ
    r"|第[ \t]*(?P<ordinal>\d+)[ \t]*(?:" + alternation(PHASE_WORDS) + r"|期|部分|部))"
    r"(?:[ \t]*[:：\-–—.][ \t]*|[ \t]+|$)(?P<title>.*)$",
    re.I,
    needs_digit=True,
)
# what a bracket after a list bullet may be that is no checkbox: spec-kit's template notes
# `- [P] tasks = different files`, `- [US*] label maps …`, `- [Story] label …`
# a heading or label over the plan's criteria (vocab.CRITERIA_WORDS, acceptance headings)
_CRITERIA = lazy(alternation(CRITERIA_WORDS, words(ACCEPTANCE_HEADINGS)), re.I)
_NOTE_LABEL = lazy(r"P|US.?|ID", re.I)
_LIST_ITEM = lazy(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")


_SKIP_KINDS = frozenset(("blank", "text", "item", "annotation"))
_DETAIL_KINDS = frozenset(("ref", "depends"))
_span = tuple.__new__  # _span(Span, (line, col, line, end_col)): Span.on_line without its call


class LineInfo(namedtuple("LineInfo", ("kind", "indent", "data"))):
    """What one line of a tasks document is: its kind, its indentation and the kind's data
    (columns relative to the line): TaskData, RefData, DependsData, BadCheckboxData,
    HeadingData, HeadingTaskData, or () for the kinds that carry nothing."""

    __slots__ = ()
    kind: (
        str  # task | bad-checkbox | heading | heading-task | ref | depends | annotation | item | text | blank
    )
    indent: int
    data: Any  # one of the records below, by kind


# the data of each kind of line; built with `_info` (tuple.__new__) on the hot path
TaskData = namedtuple(
    "TaskData",
    (
        "glyph",
        "glyph_col",
        "optional",
        "id",
        "id_start",
        "id_end",
        "title",
        "title_col",
        "labels",
        "story_col",
    ),
)
TaskData.__doc__ = """A task line: its glyph, the optional marker, the ID (None: none), the title,
the labels ([P], US1 …) and the column of the story label (-1: none)."""
RefData = namedtuple("RefData", ("label", "label_start", "label_end", "body_start", "body_end"))
RefData.__doc__ = "A reference line (refs.match_ref_line): the label and the list after it."
DependsData = namedtuple("DependsData", ("start",))
DependsData.__doc__ = "A `_Depends:` line: where its list starts."
BadCheckboxData = namedtuple("BadCheckboxData", ("inner", "start", "end"))
BadCheckboxData.__doc__ = "A checkbox that is none (`[ x]`, `[]`): its inside, the brackets' columns."
HeadingData = namedtuple("HeadingData", ("level", "text", "number", "number_col", "title_col", "title"))
HeadingData.__doc__ = """A heading; `number` and the rest are None unless it carries a number for
the tasks under it (`## Phase 2: …`)."""
HeadingTaskData = namedtuple(
    "HeadingTaskData", ("level", "text", "id", "id_start", "id_end", "title_col", "title")
)
HeadingTaskData.__doc__ = "A heading that is a task (`## Task 2: …`, `## 2. …`)."

_BLANK = LineInfo("blank", 0, ())
_info = tuple.__new__  # _info(LineInfo, (kind, indent, data)) without the namedtuple's Python __new__


def glyph_key(cfg: Config) -> str:
    """The configured status glyphs as one string (part of classify_line's memo key)."""
    glyphs = cfg.status_glyphs
    hit = _glyph_keys.get(id(glyphs))
    if hit is not None and hit[0] is glyphs:
        return hit[1]
    key = "".join(sorted(glyphs))
    if len(_glyph_keys) >= 64:
        _glyph_keys.clear()
    _glyph_keys[id(glyphs)] = (glyphs, key)  # the table kept alive: its id stays its own
    return key


_glyph_keys: dict[int, tuple[object, str]] = {}  # id(status glyph table) → (table, glyph_key)


# The two commonest lines of a plan, each recognised by one regex (most lines of a generated
# tasks.md are one or the other): a task with a plain ID and title, and a `_Requirements:_` line
# of plain IDs. Anything else, and any near miss (tabs, blockquotes, ordered-list bullets, bold
# IDs, labels such as [P] or (P), other glyphs, extra reference labels …), takes the general
# path; `tests/core/test_fast_paths.py` checks that both give the same answer.
_PLAIN_TASK = lazy(
    r"(?P<indent> *)[-*+] \[(?P<glyph>[^\]\n])\](?P<opt>\*?) "
    r"(?:(?P<id>\d+(?:\.\d+)+\.?|\d+\.) )?(?P<title>(?!T\d{3})[^ \t\[(0-9*\\][^\[(]*)"
)
_PLAIN_REF = lazy(r"(?P<indent> *)[-*+] _Requirements: (?P<body>[0-9](?:[0-9., ]*[0-9])?)_")


def _common_shape(text: str, glyphs: str, labels: tuple[str, ...]) -> LineInfo | None:
    """The LineInfo of a plain task or reference line (as `_classify` gives it), else None."""
    c = text[:1]
    if c != " " and c not in "-*+":
        return None
    m = _PLAIN_TASK.fullmatch(text) if "[" in text else None  # (a reference line has no "[")
    if m is not None:
        indent, glyph, opt, raw, title = m.groups()
        if glyph not in glyphs:
            return None
        n = len(indent)
        # every piece before the ID is of fixed width: `- [x]`, the optional marker, one blank;
        # one blank after the ID, then the title
        col = n + 6 + len(opt)
        if raw is None:
            data = (glyph, n + 3, opt, None, col, col, title.rstrip(), col, (), -1)
        else:
            end = col + len(raw)
            data = (glyph, n + 3, opt, raw.rstrip("."), col, end, title.rstrip(), end + 1, (), -1)
        return _info(LineInfo, ("task", n, _info(TaskData, data)))
    if not labels:  # an extra label could be the longer match (the general path sorts by length)
        m = _PLAIN_REF.fullmatch(text)
        if m is not None:
            ls = len(m.group("indent")) + 3
            return _info(
                LineInfo,
                ("ref", ls - 3, _info(RefData, ("Requirements", ls, ls + 12, ls + 14, m.end("body")))),
            )
    return None


@lru_cache(maxsize=200_000)
def classify_line(text: str, glyphs: str, labels: tuple[str, ...]) -> LineInfo:
    """What one line is, with columns relative to the line. Pure and memoised."""
    info = _common_shape(text, glyphs, labels)
    return _classify(text, glyphs, labels) if info is None else info


def _classify(text: str, glyphs: str, labels: tuple[str, ...]) -> LineInfo:
    stripped = text.lstrip()
    if not stripped:
        return _BLANK
    spaces = text.lstrip(" ")
    indent = indent_width(text) if spaces[0] == "\t" else len(text) - len(spaces)
    first = stripped[0]
    if first == "#":
        m = _HEADING.match(text)
        if m:
            return heading_info(m, indent)
    if (first in "-*+>" or first.isdigit()) and "[" in text:
        m = _TASK_LINE.match(text)
        if m:
            inner, after = m.group("inner", "after")
            glyph_col = m.start("inner")
            if len(inner) == 1 and inner in glyphs:
                opt = m.group("opt") or ""
                if m.end("ws") == m.start("ws") and m.end("ws") < len(text):
                    return _other(text, indent)  # "[x]foo" or "[ ](link)": not a task
                raw = m.group("id")
                if raw is None:
                    ident = None
                    id_start = id_end = col = m.end("ws")
                else:
                    ident = raw.replace("\\", "").rstrip(".")
                    id_start = m.start("id")
                    id_end = id_start + len(raw)
                    col = m.end("ident")
                return _info(
                    LineInfo,
                    (
                        "task",
                        indent,
                        _info(
                            TaskData, (inner, glyph_col, opt) + _task_rest(text, col, ident, id_start, id_end)
                        ),
                    ),
                )
            # [ x], [], [xx], [y] on a task-looking line (not a link, not a footnote)
            if (
                (not after or after[0] in " \t*")
                and not after.startswith("(")
                and not inner.startswith("^")
                and not _NOTE_LABEL.fullmatch(inner)
            ):
                bracket_start = glyph_col - 1
                return _info(
                    LineInfo,
                    (
                        "bad-checkbox",
                        indent,
                        _info(BadCheckboxData, (inner, bracket_start, m.end("inner") + 1)),
                    ),
                )
    if ":" in text or "\uff1a" in text:  # reference, depends and annotation labels end in a colon
        ref = match_ref_line(text, labels)
        if ref is not None:
            return _info(LineInfo, ("ref", indent, _info(RefData, ref)))
        dep = match_depends(text)
        if dep is not None:
            return _info(LineInfo, ("depends", indent, _info(DependsData, (dep,))))
        if is_annotation(text):
            return _info(LineInfo, ("annotation", indent, ()))
    return _other(text, indent)


def heading_info(m: re.Match[str], indent: int) -> LineInfo:
    """The LineInfo of a heading line (`m`: its _HEADING match): a heading task ("heading-task",
    HeadingTaskData), a heading carrying a number for the tasks under it ("heading",
    HeadingData with a number) or a plain heading ("heading", HeadingData, number None)."""
    htext = m.group("text") or ""
    level = len(m.group("hashes"))
    base = m.start("text")
    hm = _HEADING_TASK.match(htext)
    if hm:
        ident = hm.group("wid") or hm.group("id")
        id_col = base + (hm.start("wid") if hm.group("wid") else hm.start("id"))
        title_col = base + hm.start("title")
        return _info(
            LineInfo,
            (
                "heading-task",
                indent,
                _info(
                    HeadingTaskData,
                    (level, htext, ident, id_col, id_col + len(ident), title_col, hm.group("title")),
                ),
            ),
        )
    nm = _NUMBERED_HEADING.match(htext)
    if nm:
        group = next(g for g in ("phase", "zero", "bare", "ordinal") if nm.group(g))
        number = nm.group(group)
        title = nm.group("title").strip()
        return _info(
            LineInfo,
            (
                "heading",
                indent,
                _info(
                    HeadingData,
                    (level, htext, number, base + nm.start(group), base + nm.start("title"), title),
                ),
            ),
        )
    return _info(LineInfo, ("heading", indent, _info(HeadingData, (level, htext, None, None, None, None))))


def _other(text: str, indent: int) -> LineInfo:
    first = text.lstrip()[:1]
    if (first in "-*+" or first.isdigit()) and _LIST_ITEM.match(text):
        return _info(LineInfo, ("item", indent, ()))
    return _info(LineInfo, ("text", indent, ()))


def _task_rest(
    text: str, col: int, ident: str | None, id_start: int, id_end: int
) -> tuple[str | None, int, int, str, int, tuple[str, ...], int]:
    """(id, id_start, id_end, title, title_start, labels, story_col): the labels and the title
    that follow the ID (or the blanks after the checkbox) at `col`."""
    labels: list[str] = []
    story_col = -1
    if text.find("[", col) >= 0 or text.find("(", col) >= 0:  # labels are [P], [US1], (P)
        while True:
            lm = _LABEL.match(text, col)
            if not lm:
                break
            label = lm.group("sq") or lm.group("par")
            if label.startswith("US") and story_col < 0:
                story_col = lm.start("sq")
            labels.append(label)
            col = lm.end()
    rest = text[col:]
    title = rest.lstrip(" \t")
    col += len(rest) - len(title)
    return (ident, id_start, id_end, title.rstrip(), col, tuple(labels), story_col)


def parse_tasks(
    text: str | list[str] | tuple[str, ...],
    path: str = "tasks.md",
    config: Config | None = None,
    flavor: str = Flavor.KIRO,
    section: str | None = None,
    code: frozenset[int] | None = None,
) -> TasksDoc:
    """Parse a tasks document (a text or its lines). `section` is the heading in force
    before the first line, `code` its code lines when the caller knows them (both for parsing
    one block of a document on its own)."""
    cfg = config or Config()
    lines = split_lines(text) if isinstance(text, str) else list(text)
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
        bom = True
    else:
        bom = False
    if code is None:
        code = blocks.code_lines(lines)
    glyphs = glyph_key(cfg)
    labels = cfg.reference_labels
    tasks: list[Task] = []
    bad: list[BadCheckbox] = []
    headings: list[Heading] = []
    stack: list[Task] = []  # tasks of the current section, for attaching details
    by_id: dict[str, Task] = {}
    off = 1 if bom else 0  # columns on line 0 shift by the BOM we removed
    status_of = cfg.status_glyphs.get
    todo = Status.TODO
    _DETAIL = _DETAIL_KINDS
    # A task's own block ends before the next task or heading, its blank tail trimmed: the
    # task still waiting for its end, closed when the next one (or a heading) comes
    pending: Task | None = None
    numbered: list[Numbered] = []  # headings carrying a number, until the first task after them
    above = -1

    for n, line in enumerate(lines):
        if not line or n in code:
            continue
        if "[" not in line and ":" not in line and "#" not in line and "\uff1a" not in line:
            # no checkbox, heading or label (what _classify looks for first): blank, a list
            # item or text, which carry nothing (most lines of a plan: details)
            if not line.isspace():
                above = n
            continue
        info = classify_line(line, glyphs, labels)
        kind = info.kind
        if kind != "blank" and (kind != "task" or info.data.id is not None):
            above = n  # the last line that is not blank and not an unnumbered task
        if kind in _SKIP_KINDS:
            continue
        o = off if n == 0 else 0  # columns on line 0 shift by the BOM
        if kind == "task":
            glyph, glyph_col, opt, ident, id_s, id_e, title, title_s, tlabels, story_col = (
                info.data
            )  # TaskData
            if numbered:
                stack = _promote(numbered, ident, lines, n, tasks, by_id, stack)
                numbered = []
            if ident is None and _is_criterion(lines, above, section, info.indent, stack):
                # a criterion of the plan (`## Success Criteria`), not a task: it ends the
                # block of the task before it, and its details belong to nothing
                if pending is not None:
                    pending.end_line = _block_end(lines, pending.line, n)
                    pending = None
                stack = []
                continue
            story = None
            story_span = None
            if tlabels:
                story = next((lab for lab in tlabels if lab.startswith("US")), None)
                if story:
                    story = story.split("/", 1)[0]  # [US1/2]: the first story is the task's
                    story_span = _span(Span, (n, story_col + o, n, story_col + len(story) + o))
            # positional arguments (cheaper than keywords and factories): Task(index, line, kind,
            # indent, status, glyph, glyph_span, optional, id, id_span, title, title_span, labels,
            # story, story_span, section, end_line, parent, children, refs, depends)
            task = Task(
                len(tasks),
                n,
                _KIND_LIST,
                info.indent,
                status_of(glyph, todo),
                glyph,
                _span(Span, (n, glyph_col + o, n, glyph_col + 1 + o)),
                opt,
                ident,
                _span(Span, (n, id_s + o, n, id_e + o)) if ident else None,
                title,
                _span(Span, (n, title_s + o, n, title_s + len(title) + o)),
                tlabels,
                story,
                story_span,
                section,
                n,
                None,
                [],
                [],
                [],
            )
            if pending is not None:  # _block_end, inlined (once per task)
                end = n - 1
                start = pending.line
                while end > start and not lines[end].strip():
                    end -= 1
                pending.end_line = end
            pending = task
            indent = info.indent
            while stack and stack[-1].kind == _KIND_LIST and stack[-1].indent >= indent:
                stack.pop()
            _link(task, tasks, by_id, stack)
            tasks.append(task)
            stack.append(task)
            # (it needs a colon after the title's start: most task lines have none at all)
            inline = find_inline_validates(line, title_s) if ":" in line or "\uff1a" in line else None
            if inline:
                label, ls, le, bs, be, _ = inline
                task.refs.append(_ref_line(line, n, o, label, ls, le, bs, be, inline=True))
            continue
        if kind in _DETAIL:
            # detail lines: references and depends attach to the task whose block holds them
            if not stack:
                continue
            owner = stack[-1]  # most often the task just above (_owner's first look)
            if owner.indent >= info.indent and owner.kind != _KIND_HEADING:
                owner = _owner(stack, info.indent) or owner  # (never None: the stack holds a task)
            if kind == "ref":
                label, ls, le, bs, be = info.data  # RefData
                owner.refs.append(_ref_line(line, n, o, label, ls, le, bs, be))
            else:
                start = info.data.start
                body = line[start:].rstrip().rstrip("_*").rstrip()
                items, _ = parse_list(body, n, start + o, task_ids=True)
                owner.depends.append(DependsLine(n, tuple(items)))
            continue
        if kind == "bad-checkbox":
            inner, s, e = info.data  # BadCheckboxData
            bad.append(BadCheckbox(n, _span(Span, (n, s + o, n, e + o)), inner))
            continue
        # a heading (or a heading task): it ends the pending task's block
        if pending is not None:
            pending.end_line = _block_end(lines, pending.line, n)
            pending = None
        if kind == "heading":
            heading = info.data
            level, htext = heading.level, heading.text
            headings.append(Heading(n, level, htext))
            section = htext
            stack = []
            # a heading carrying a number: the parent of the tasks numbered under it
            # (`## 2.0 Build` then `### 2.1 Bug 1:` then `- [ ] 2.1.1`: both, outermost first)
            number = heading.number
            if number is not None:
                numbered = [c for c in numbered if c[2] < level and number.startswith(c[4] + ".")]
                numbered.append(
                    (n, o, level, section, number, heading.number_col, heading.title_col, heading.title)
                )
            else:
                numbered = []
            continue
        if kind == "heading-task":
            level, htext, ident, id_s, id_e, title_s, title = info.data  # HeadingTaskData
            if numbered:
                stack = _promote(numbered, ident, lines, n, tasks, by_id, stack)
                numbered = []
            headings.append(Heading(n, level, htext))
            section = htext
            task = _heading_task(tasks, by_id, n, o, ident, id_s, id_e, title, title_s, section, n)
            stack = [task]
            pending = task
            continue

    if pending is not None:
        pending.end_line = _block_end(lines, pending.line, len(lines))
    return TasksDoc(path=path, lines=lines, tasks=tasks, bad_checkboxes=bad, headings=headings, flavor=flavor)


def _ref_line(
    line: str, n: int, o: int, label: str, ls: int, le: int, bs: int, be: int, inline: bool = False
) -> RefLine:
    """The reference line at line `n`: its label at columns ls–le, its list at bs–be (shifted by
    `o`); `inline` when written in the task's own line."""
    items, placeholder = parse_list(line[bs:be], n, bs + o)
    return RefLine(
        n,
        label,
        _span(Span, (n, ls + o, n, le + o)),
        _span(Span, (n, bs + o, n, be + o)),
        tuple(items),
        placeholder,
        inline,
    )


def _is_criterion(lines: list[str], above: int, section: str | None, indent: int, stack: list[Task]) -> bool:
    """An unnumbered checkbox outside any task (no enclosing task on `stack` at its `indent`)
    under a criteria heading (`## Success Criteria`) or right under a criteria label line
    (`**Definition of Done**:`, `above` being that line's index)."""
    for t in stack:
        if t.kind == _KIND_HEADING or t.indent < indent:
            return False
    if section is not None and _CRITERIA.search(section):
        return True
    if above < 0:
        return False
    label = lines[above].strip().strip("*_ \t")
    return len(label) <= 80 and label.endswith((":", "：")) and _CRITERIA.search(label) is not None


def _promote(
    numbered: list[Numbered],
    ident: str | None,
    lines: list[str],
    n: int,
    tasks: list[Task],
    by_id: dict[str, Task],
    stack: list[Task],
) -> list[Task]:
    """The first task (at line `n`, ID `ident`) after headings carrying a number: each whose
    number the task is numbered under (`2.1` after `## Phase 2`) becomes a heading task (a
    parent) inserted before it, outermost first; returns the stack of enclosing tasks."""
    for hline, o, _level, section, number, num_col, title_col, title in numbered:
        if not ident or not ident.startswith(number + ".") or number in by_id:
            continue
        end = _block_end(lines, hline, n)
        task = _heading_task(
            tasks, by_id, hline, o, number, num_col, num_col + len(number), title, title_col, section, end
        )
        stack = [task]
    return stack


def _heading_task(
    tasks: list[Task],
    by_id: dict[str, Task],
    n: int,
    o: int,
    ident: str,
    id_s: int,
    id_e: int,
    title: str,
    title_s: int,
    section: str | None,
    end_line: int,
) -> Task:
    """A task written as a heading (line `n`, columns shifted by `o`), linked and appended."""
    task = Task(
        index=len(tasks),
        line=n,
        kind=_KIND_HEADING,
        indent=-1,
        status=None,
        glyph="",
        glyph_span=None,
        optional="",
        id=ident,
        id_span=_span(Span, (n, id_s + o, n, id_e + o)),
        title=title,
        title_span=_span(Span, (n, title_s + o, n, title_s + len(title) + o)),
        section=section,
        end_line=end_line,
    )
    _link(task, tasks, by_id, [])
    tasks.append(task)
    return task


def _owner(stack: list[Task], indent: int) -> Task | None:
    if not stack:
        return None
    for task in reversed(stack):
        if task.kind == _KIND_HEADING or task.indent < indent:
            return task
    return stack[-1]


def _link(task: Task, tasks: list[Task], by_id: dict[str, Task], stack: list[Task]) -> None:
    """Set the parent: by ID first (2.1 → 2), by indentation second."""
    parent: Task | None = None
    if task.id is not None:
        pid = parent_id(task.id)
        while pid is not None:
            parent = by_id.get(pid)
            if parent is not None:
                break
            pid = parent_id(pid)
        if parent is None and stack:
            # a nested task whose ID has no parent ID ("1." nested under a heading group)
            cand = stack[-1]
            if (
                cand.kind == "list"
                and cand.indent < task.indent
                and (cand.id is None or "." in (task.id or ""))
            ):
                parent = cand
            elif cand.kind == "heading" and cand.id is None:
                parent = None
        by_id.setdefault(task.id, task)
    elif stack:
        cand = stack[-1]
        if cand.kind == "heading" or cand.indent < task.indent:
            parent = cand
    if parent is not None:
        task.parent = parent.index
        parent.children.append(task.index)


def _block_end(lines: list[str], line: int, stop: int) -> int:
    """The last line of a task's own block: the line before `stop` (the next task or heading,
    or the end), its blank tail trimmed, never before the task's line."""
    end = stop - 1
    while end > line and not lines[end].strip():
        end -= 1
    return end


def subtree_end(doc: TasksDoc, task: Task) -> int:
    """Last line of a task together with all its descendants."""
    end = task.end_line
    todo = list(task.children)
    while todo:
        child = doc.tasks[todo.pop()]
        end = max(end, child.end_line)
        todo.extend(child.children)
    return end


# the heading of a plan's dependency-graph section (core/deps.py reads the section)
_GRAPH_HEADING = lazy(r"dependency[ \t-]*graph|dependencies|execution[ \t]+order|依存", re.I)


def graph_heading(text: str) -> bool:
    """Whether a heading opens the dependency-graph section."""
    return bool(_GRAPH_HEADING.search(text))


def has_dependencies(doc: TasksDoc) -> bool:
    """Whether the plan has anything core/deps.py reads: a `_Depends:` line or a
    dependency-graph section. Without either, the dependency checks have nothing to report
    and `specmark check` need not import deps.py."""
    return any(t.depends for t in doc.tasks) or any(graph_heading(h.text) for h in doc.headings)

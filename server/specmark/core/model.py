"""The data model: plain, immutable-by-convention records with exact source ranges.

Lines and columns are 0-based; columns count Unicode code points; `end_col` is exclusive.
"""

from __future__ import annotations

from collections import namedtuple
from enum import Enum

_set = object.__setattr__  # how a frozen record's __init__ sets its fields
_FACTORY = object()  # "not given": __init__ makes a fresh list/dict for the field


class _Record:
    """Base of the model's records: plain classes with `__slots__` and hand-written methods.

    Each record names its fields, in order, in `_fields` (as a namedtuple does) and writes
    `__init__`, `__eq__` and, when frozen, `__hash__` as dataclasses would generate them;
    `_replace(**changes)` is `dataclasses.replace`. They are not dataclasses: importing
    `dataclasses` (which imports `inspect`, `ast`, `dis`, `tokenize` …) and running the
    decorator on every class cost `specmark check` about 25 ms of its start-up.
    tests/core/test_fast_paths.py compares every record with a generated dataclass twin; add
    a field to `_fields`, `__slots__`, `__init__` and `__eq__` (and `__hash__`) together.
    """

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _frozen = False

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({args})"

    def _replace(self, **changes):
        """A copy with some fields changed (`dataclasses.replace`)."""
        values = {name: getattr(self, name) for name in self._fields}
        values.update(changes)
        return self.__class__(**values)


class _Frozen(_Record):
    """A record whose fields cannot be assigned after `__init__` (which uses `_set`)."""

    __slots__ = ()
    _frozen = True

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r} of a frozen {self.__class__.__name__}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r} of a frozen {self.__class__.__name__}")


# The tuples are collections.namedtuple classes rather than typing.NamedTuple: `specmark check`
# then never imports typing (a few ms of its start-up); they behave the same.


class Span(namedtuple("Span", ("line", "col", "end_line", "end_col"))):
    """A range: 0-based lines, code-point columns, end exclusive (a tuple: cheap to make)."""

    __slots__ = ()
    line: int
    col: int
    end_line: int
    end_col: int

    @classmethod
    def on_line(cls, line: int, col: int, end_col: int) -> Span:
        return cls(line, col, line, end_col)

    def shifted(self, lines: int) -> Span:
        """The same range `lines` lines further down (up when negative)."""
        if lines == 0:
            return self
        return Span(self.line + lines, self.col, self.end_line + lines, self.end_col)

    def contains(self, line: int, col: int) -> bool:
        if line < self.line or line > self.end_line:
            return False
        if line == self.line and col < self.col:
            return False
        if line == self.end_line and col > self.end_col:
            return False
        return True


class Status(str, Enum):
    TODO = "todo"
    DONE = "done"
    IN_PROGRESS = "in-progress"
    QUEUED = "queued"
    BLOCKED = "blocked"

    @property
    def is_done(self) -> bool:
        return self is Status.DONE


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


class RefKind(str, Enum):
    ID = "id"  # 1.1, 27C, REQ-001
    RANGE = "range"  # 1.1-1.6, 要件1〜6
    ALL = "all"  # All, 全要件: a whole-spec reference
    MALFORMED = "malformed"


class RefItem(
    namedtuple(
        "RefItem",
        ("kind", "text", "span", "start", "start_span", "end", "end_span"),
        defaults=(None, None, None, None),
    )
):
    """One token of a reference line."""

    __slots__ = ()
    kind: RefKind
    text: str
    span: Span
    start: str | None  # normalised ID (ID and RANGE); the last four default to None
    start_span: Span | None
    end: str | None  # RANGE only
    end_span: Span | None


class RefLine(_Frozen):
    """A `_Requirements: ..._`-style line (or an inline `**Validates: ...**`)."""

    line: int
    label: str
    label_span: Span
    list_span: Span  # where the IDs are written (may be empty)
    items: tuple[RefItem, ...]
    placeholder: str | None  # the placeholder text, if the list is one
    inline: bool  # written on the task line itself
    _fields = ("line", "label", "label_span", "list_span", "items", "placeholder", "inline")
    __slots__ = _fields

    def __init__(self, line, label, label_span, list_span, items, placeholder=None, inline=False) -> None:
        _set(self, "line", line)
        _set(self, "label", label)
        _set(self, "label_span", label_span)
        _set(self, "list_span", list_span)
        _set(self, "items", items)
        _set(self, "placeholder", placeholder)
        _set(self, "inline", inline)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.line,
                self.label,
                self.label_span,
                self.list_span,
                self.items,
                self.placeholder,
                self.inline,
            ) == (
                other.line,
                other.label,
                other.label_span,
                other.list_span,
                other.items,
                other.placeholder,
                other.inline,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash(
            (
                self.line,
                self.label,
                self.label_span,
                self.list_span,
                self.items,
                self.placeholder,
                self.inline,
            )
        )


class DependsLine(_Frozen):
    """`_Depends: 1.2, 2.3_`: references to other tasks."""

    line: int
    items: tuple[RefItem, ...]
    _fields = ("line", "items")
    __slots__ = _fields

    def __init__(self, line, items) -> None:
        _set(self, "line", line)
        _set(self, "items", items)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.line, self.items) == (other.line, other.items)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.line, self.items))


class Task(_Record):
    index: int
    line: int
    kind: str  # "list" or "heading"
    indent: int  # columns of leading whitespace (tab = 4)
    status: Status | None  # None for heading tasks (derived from children)
    glyph: str  # the character between the brackets ("" for headings)
    glyph_span: Span | None  # where that character is
    optional: str  # "", "*" or "\\*"
    id: str | None  # normalised: "2", "2.1", "T001"
    id_span: Span | None
    title: str
    title_span: Span
    labels: tuple[str, ...]  # spec-kit [P], [US1]; cc-sdd (P)
    story: str | None  # "US1" from a [US1] label
    story_span: Span | None
    section: str | None  # text of the nearest heading above
    end_line: int  # last line of the task's own block (details)
    parent: int | None
    children: list[int]
    refs: list[RefLine]
    depends: list[DependsLine]
    _fields = (
        "index",
        "line",
        "kind",
        "indent",
        "status",
        "glyph",
        "glyph_span",
        "optional",
        "id",
        "id_span",
        "title",
        "title_span",
        "labels",
        "story",
        "story_span",
        "section",
        "end_line",
        "parent",
        "children",
        "refs",
        "depends",
    )
    __slots__ = _fields

    def __init__(
        self,
        index,
        line,
        kind,
        indent,
        status,
        glyph,
        glyph_span,
        optional,
        id,
        id_span,
        title,
        title_span,
        labels=(),
        story=None,
        story_span=None,
        section=None,
        end_line=0,
        parent=None,
        children=_FACTORY,
        refs=_FACTORY,
        depends=_FACTORY,
    ) -> None:
        self.index = index
        self.line = line
        self.kind = kind
        self.indent = indent
        self.status = status
        self.glyph = glyph
        self.glyph_span = glyph_span
        self.optional = optional
        self.id = id
        self.id_span = id_span
        self.title = title
        self.title_span = title_span
        self.labels = labels
        self.story = story
        self.story_span = story_span
        self.section = section
        self.end_line = end_line
        self.parent = parent
        self.children = list() if children is _FACTORY else children
        self.refs = list() if refs is _FACTORY else refs
        self.depends = list() if depends is _FACTORY else depends

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.index,
                self.line,
                self.kind,
                self.indent,
                self.status,
                self.glyph,
                self.glyph_span,
                self.optional,
                self.id,
                self.id_span,
                self.title,
                self.title_span,
                self.labels,
                self.story,
                self.story_span,
                self.section,
                self.end_line,
                self.parent,
                self.children,
                self.refs,
                self.depends,
            ) == (
                other.index,
                other.line,
                other.kind,
                other.indent,
                other.status,
                other.glyph,
                other.glyph_span,
                other.optional,
                other.id,
                other.id_span,
                other.title,
                other.title_span,
                other.labels,
                other.story,
                other.story_span,
                other.section,
                other.end_line,
                other.parent,
                other.children,
                other.refs,
                other.depends,
            )
        return NotImplemented

    @property
    def label(self) -> str:
        if self.id:
            return f"Task {self.id}"
        # no line number: a block of tasks.md is parsed on its own and its findings are moved
        # to where the block is (the diagnostic itself says where the task is)
        return f"Task '{_short(self.title)}'" if self.title.strip() else "An untitled task"

    @property
    def is_leaf(self) -> bool:
        return not self.children


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


class BadCheckbox(_Frozen):
    line: int
    span: Span  # the whole bracket, e.g. "[ x]"
    inner: str
    _fields = ("line", "span", "inner")
    __slots__ = _fields

    def __init__(self, line, span, inner) -> None:
        _set(self, "line", line)
        _set(self, "span", span)
        _set(self, "inner", inner)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.line, self.span, self.inner) == (other.line, other.span, other.inner)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.line, self.span, self.inner))


class Heading(_Frozen):
    line: int
    level: int
    text: str
    _fields = ("line", "level", "text")
    __slots__ = _fields

    def __init__(self, line, level, text) -> None:
        _set(self, "line", line)
        _set(self, "level", level)
        _set(self, "text", text)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.line, self.level, self.text) == (other.line, other.level, other.text)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.line, self.level, self.text))


class TasksDoc(_Record):
    path: str
    lines: list[str]
    tasks: list[Task]
    bad_checkboxes: list[BadCheckbox]
    headings: list[Heading]
    flavor: str
    _fields = ("path", "lines", "tasks", "bad_checkboxes", "headings", "flavor")
    __slots__ = _fields

    def __init__(self, path, lines, tasks, bad_checkboxes, headings, flavor="kiro") -> None:
        self.path = path
        self.lines = lines
        self.tasks = tasks
        self.bad_checkboxes = bad_checkboxes
        self.headings = headings
        self.flavor = flavor

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.path, self.lines, self.tasks, self.bad_checkboxes, self.headings, self.flavor) == (
                other.path,
                other.lines,
                other.tasks,
                other.bad_checkboxes,
                other.headings,
                other.flavor,
            )
        return NotImplemented

    def task_at_line(self, line: int) -> Task | None:
        for t in self.tasks:
            if t.line == line:
                return t
        return None

    def descendants(self, task: Task) -> list[Task]:
        """The task's sub-tasks, breadth first."""
        out: list[Task] = []
        todo = list(task.children)
        while todo:
            child = self.tasks[todo.pop(0)]
            out.append(child)
            todo.extend(child.children)
        return out

    def task_containing(self, line: int) -> Task | None:
        """The innermost task whose block (its line and details) contains `line`."""
        best = None
        for t in self.tasks:
            if t.line > line:
                break
            if t.line <= line <= t.end_line:
                best = t
        return best


class Criterion(_Record):
    id: str  # "1.3" (derived by position) or "2.1" (bugfix, written)
    requirement: str  # "1"
    text: str
    span: Span  # the list item's first line
    line: int
    derived: bool  # True: the ID is not written in the file
    _fields = ("id", "requirement", "text", "span", "line", "derived")
    __slots__ = _fields

    def __init__(self, id, requirement, text, span, line, derived=True) -> None:
        self.id = id
        self.requirement = requirement
        self.text = text
        self.span = span
        self.line = line
        self.derived = derived

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.id, self.requirement, self.text, self.span, self.line, self.derived) == (
                other.id,
                other.requirement,
                other.text,
                other.span,
                other.line,
                other.derived,
            )
        return NotImplemented


class Requirement(_Record):
    id: str  # "1", "27C", "REQ-001", "FR-001", "US1"
    title: str
    line: int
    span: Span  # the heading (or bold ID) line
    id_span: Span  # where the ID is written
    end_line: int  # last line of the section
    kind: str  # requirement | story | functional | success | bugfix-group
    criteria: list[Criterion]
    body: str  # user story / description text
    _fields = ("id", "title", "line", "span", "id_span", "end_line", "kind", "criteria", "body")
    __slots__ = _fields

    def __init__(
        self, id, title, line, span, id_span, end_line, kind="requirement", criteria=_FACTORY, body=""
    ) -> None:
        self.id = id
        self.title = title
        self.line = line
        self.span = span
        self.id_span = id_span
        self.end_line = end_line
        self.kind = kind
        self.criteria = list() if criteria is _FACTORY else criteria
        self.body = body

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.id,
                self.title,
                self.line,
                self.span,
                self.id_span,
                self.end_line,
                self.kind,
                self.criteria,
                self.body,
            ) == (
                other.id,
                other.title,
                other.line,
                other.span,
                other.id_span,
                other.end_line,
                other.kind,
                other.criteria,
                other.body,
            )
        return NotImplemented

    @property
    def display(self) -> str:
        return f"{self.id}: {self.title}" if self.title else self.id


class RequirementsDoc(_Record):
    path: str
    lines: list[str]
    requirements: list[Requirement]
    flavor: str
    _fields = ("path", "lines", "requirements", "flavor")
    __slots__ = _fields

    def __init__(self, path, lines, requirements, flavor="kiro") -> None:
        self.path = path
        self.lines = lines
        self.requirements = requirements
        self.flavor = flavor

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.path, self.lines, self.requirements, self.flavor) == (
                other.path,
                other.lines,
                other.requirements,
                other.flavor,
            )
        return NotImplemented

    def index(self) -> dict[str, Requirement | Criterion]:
        out: dict[str, Requirement | Criterion] = {}
        for r in self.requirements:
            out.setdefault(r.id, r)
            for c in r.criteria:
                out.setdefault(c.id, c)
        return out


class Related(_Frozen):
    path: str
    span: Span
    message: str
    _fields = ("path", "span", "message")
    __slots__ = _fields

    def __init__(self, path, span, message) -> None:
        _set(self, "path", path)
        _set(self, "span", span)
        _set(self, "message", message)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.path, self.span, self.message) == (other.path, other.span, other.message)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.path, self.span, self.message))


class Finding(_Frozen):
    code: str
    path: str
    span: Span
    message: str
    severity: Severity
    related: tuple[Related, ...]
    data: dict | None  # machine-readable hints for quick fixes (e.g. suggestions)
    _fields = ("code", "path", "span", "message", "severity", "related", "data")
    __slots__ = _fields

    def __init__(self, code, path, span, message, severity=Severity.WARNING, related=(), data=None) -> None:
        _set(self, "code", code)
        _set(self, "path", path)
        _set(self, "span", span)
        _set(self, "message", message)
        _set(self, "severity", severity)
        _set(self, "related", related)
        _set(self, "data", data)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (
                self.code,
                self.path,
                self.span,
                self.message,
                self.severity,
                self.related,
                self.data,
            ) == (
                other.code,
                other.path,
                other.span,
                other.message,
                other.severity,
                other.related,
                other.data,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.code, self.path, self.span, self.message, self.severity, self.related, self.data))

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.col, self.code, self.message)

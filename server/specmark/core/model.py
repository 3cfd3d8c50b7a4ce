"""The data model: plain, immutable-by-convention dataclasses with exact source ranges.

Lines and columns are 0-based; columns count Unicode code points; `end_col` is exclusive.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from enum import Enum

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
    def on_line(cls, line: int, col: int, end_col: int) -> "Span":
        return cls(line, col, line, end_col)

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
    ID = "id"            # 1.1, 27C, REQ-001
    RANGE = "range"      # 1.1-1.6, 要件1〜6
    ALL = "all"          # All, 全要件: a whole-spec reference
    MALFORMED = "malformed"


class RefItem(namedtuple("RefItem", ("kind", "text", "span", "start", "start_span", "end", "end_span"),
                         defaults=(None, None, None, None))):
    """One token of a reference line."""

    __slots__ = ()
    kind: RefKind
    text: str
    span: Span
    start: str | None                 # normalised ID (ID and RANGE); the last four default to None
    start_span: Span | None
    end: str | None                   # RANGE only
    end_span: Span | None


@dataclass(frozen=True, slots=True)
class RefLine:
    """A `_Requirements: ..._`-style line (or an inline `**Validates: ...**`)."""

    line: int
    label: str
    label_span: Span
    list_span: Span                   # where the IDs are written (may be empty)
    items: tuple[RefItem, ...]
    placeholder: str | None = None    # the placeholder text, if the list is one
    inline: bool = False              # written on the task line itself


@dataclass(frozen=True, slots=True)
class DependsLine:
    """`_Depends: 1.2, 2.3_`: references to other tasks."""

    line: int
    items: tuple[RefItem, ...]


@dataclass(slots=True)
class Task:
    index: int
    line: int
    kind: str                          # "list" or "heading"
    indent: int                        # columns of leading whitespace (tab = 4)
    status: Status | None              # None for heading tasks (derived from children)
    glyph: str                         # the character between the brackets ("" for headings)
    glyph_span: Span | None            # where that character is
    optional: str                      # "", "*" or "\\*"
    id: str | None                     # normalised: "2", "2.1", "T001"
    id_span: Span | None
    title: str
    title_span: Span
    labels: tuple[str, ...] = ()      # spec-kit [P], [US1]; cc-sdd (P)
    story: str | None = None           # "US1" from a [US1] label
    story_span: Span | None = None
    section: str | None = None         # text of the nearest heading above
    end_line: int = 0                  # last line of the task's own block (details)
    parent: int | None = None
    children: list[int] = field(default_factory=list)
    refs: list[RefLine] = field(default_factory=list)
    depends: list[DependsLine] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.id:
            return f"Task {self.id}"
        return f"Task '{_short(self.title)}'" if self.title.strip() else f"The task on line {self.line + 1}"

    @property
    def is_leaf(self) -> bool:
        return not self.children


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class BadCheckbox:
    line: int
    span: Span                          # the whole bracket, e.g. "[ x]"
    inner: str


@dataclass(frozen=True, slots=True)
class Heading:
    line: int
    level: int
    text: str


@dataclass(slots=True)
class TasksDoc:
    path: str
    lines: list[str]
    tasks: list[Task]
    bad_checkboxes: list[BadCheckbox]
    headings: list[Heading]
    flavor: str = "kiro"

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


@dataclass(slots=True)
class Criterion:
    id: str                 # "1.3" (derived by position) or "2.1" (bugfix, written)
    requirement: str        # "1"
    text: str
    span: Span              # the list item's first line
    line: int
    derived: bool = True    # True: the ID is not written in the file


@dataclass(slots=True)
class Requirement:
    id: str                  # "1", "27C", "REQ-001", "FR-001", "US1"
    title: str
    line: int
    span: Span               # the heading (or bold ID) line
    id_span: Span            # where the ID is written
    end_line: int            # last line of the section
    kind: str = "requirement"   # requirement | story | functional | success | bugfix-group
    criteria: list[Criterion] = field(default_factory=list)
    body: str = ""           # user story / description text

    @property
    def display(self) -> str:
        return f"{self.id}: {self.title}" if self.title else self.id


@dataclass(slots=True)
class RequirementsDoc:
    path: str
    lines: list[str]
    requirements: list[Requirement]
    flavor: str = "kiro"

    def index(self) -> dict[str, "Requirement | Criterion"]:
        out: dict[str, Requirement | Criterion] = {}
        for r in self.requirements:
            out.setdefault(r.id, r)
            for c in r.criteria:
                out.setdefault(c.id, c)
        return out


@dataclass(frozen=True, slots=True)
class Related:
    path: str
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    path: str
    span: Span
    message: str
    severity: Severity = Severity.WARNING
    related: tuple[Related, ...] = ()
    data: dict | None = None     # machine-readable hints for quick fixes (e.g. suggestions)

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.col, self.code, self.message)

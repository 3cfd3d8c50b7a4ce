"""The data model: records with exact source ranges, and `Record`, the base of every record.

Lines and columns are 0-based; columns count Unicode code points; `end_col` is exclusive.
A record declares its fields once, as class annotations with optional defaults; `Record`
generates the rest (see its docstring). Small immutable values that are unpacked or indexed
(`Span`, `RefItem`) are `collections.namedtuple`s.
"""

from __future__ import annotations

from collections import namedtuple
from enum import Enum
from operator import attrgetter

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar, TypeVar

    from typing_extensions import dataclass_transform

    _T = TypeVar("_T")
    _R = TypeVar("_R", bound="Record")
else:

    def dataclass_transform(**_options):
        """PEP 681: tells type checkers that `Record` subclasses get dataclass-like
        constructors (typing.dataclass_transform, 3.11+); nothing at run time."""
        return lambda cls: cls


class _Factory:
    """A field's default made afresh for each record (`field(default_factory=make)`)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], object]) -> None:
        self.make = make

    def __repr__(self) -> str:
        return f"factory({self.make!r})"


if TYPE_CHECKING:

    def factory(make: Callable[[], _T]) -> _T:
        """`children: list[int] = factory(list)`: a fresh `make()` for each record."""
        ...

else:
    factory = _Factory


_set = object.__setattr__  # how a frozen record's field is set outside __init__


class _Probe:
    __slots__ = ("slot",)


# a __slots__ member's descriptor (types.MemberDescriptorType, without importing types)
_SLOT: type[Any] = type(_Probe.__dict__["slot"])
_MISSING = object()  # the default of a factory field in the generated __init__


def _is_classvar(annotation: object) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return text.startswith(("ClassVar", "typing.ClassVar"))


class _RecordMeta(type):
    """Builds each `Record` subclass from its annotated fields, as `@dataclass(slots=True)` does.

    The fields are the class's annotations (read as strings, never evaluated; `ClassVar`s are
    not fields), after those of its record bases; a value in the class body is the field's
    default (`factory(list)` for a fresh mutable one). The class gets `__slots__` (a slot per
    new field, plus any it names itself), `_fields`, `_defaults`, `__match_args__`, and, unless
    it writes its own, `__init__` (which ends by calling `__post_init__()` when the class has
    one), `__eq__`, `__hash__` and (frozen) `__setattr__`/`__delattr__`.
    `__init__` is compiled from source once per class (as namedtuple and dataclasses do): it is
    as fast as a hand-written one.
    """

    def __new__(
        mcs,
        name: str,
        bases: tuple[type, ...],
        ns: dict[str, Any],
        frozen: bool | None = None,
        eq: bool | None = None,
    ) -> _RecordMeta:
        fields: list[str] = []
        defaults: dict[str, object] = {}
        for base in reversed(bases):
            for field in getattr(base, "_fields", ()):
                if field not in fields:
                    fields.append(field)
            defaults.update(getattr(base, "_defaults", {}))
        if frozen is None:
            frozen = any(getattr(base, "_frozen", False) for base in bases)
        if eq is None:
            eq = all(getattr(base, "_eq", True) for base in bases)
        own = [n for n, a in ns.get("__annotations__", {}).items() if not _is_classvar(a)]
        for field in own:
            if field in ns:
                defaults[field] = ns.pop(field)
            if field not in fields:
                fields.append(field)
        after = ""
        for field in fields:
            if field in defaults:
                after = field
            elif after:
                raise TypeError(f"{name}: field {field!r} without a default follows {after!r}, which has one")
        inherited = {
            slot for base in bases for klass in base.__mro__ for slot in getattr(klass, "__slots__", ())
        }
        ns["__slots__"] = tuple(f for f in own if f not in inherited) + tuple(ns.get("__slots__", ()))
        ns["_fields"] = tuple(fields)
        ns["_defaults"] = defaults
        ns["_frozen"] = frozen
        ns["_eq"] = eq
        ns.setdefault("__match_args__", tuple(fields))
        if fields:  # not Record itself
            qualname = ns.get("__qualname__", name)
            post_init = "__post_init__" in ns or any(hasattr(base, "__post_init__") for base in bases)
            init = _make_init(qualname, ns.get("__module__"), fields, defaults, frozen, post_init)
            ns.setdefault("__init__", init)
            if eq:
                ns.setdefault("__eq__", _make_eq(fields))
            if "__hash__" not in ns:  # as dataclasses: by value when frozen, none when mutable
                ns["__hash__"] = _make_hash(fields) if eq and frozen else None if eq else object.__hash__
            if frozen:
                ns.setdefault("__setattr__", _frozen_setattr)
                ns.setdefault("__delattr__", _frozen_delattr)
        cls = super().__new__(mcs, name, bases, ns)
        if fields and frozen and cls.__dict__.get("__init__") is init:
            # the generated __init__ sets each field through its slot's descriptor (what
            # object.__setattr__ finds after a lookup by name): a third faster
            env = init.__globals__
            for field in fields:
                slot = getattr(cls, field, None)
                env[f"_set_{field}"] = (
                    slot.__set__
                    if isinstance(slot, _SLOT)
                    else (lambda self, value, _n=field: _set(self, _n, value))
                )
        return cls

    def __init__(
        cls,
        name: str,
        bases: tuple[type, ...],
        ns: dict[str, Any],
        frozen: bool | None = None,
        eq: bool | None = None,
    ) -> None:
        super().__init__(name, bases, ns)


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise AttributeError(f"cannot assign to field {name!r} of a frozen {self.__class__.__name__}")


def _frozen_delattr(self: object, name: str) -> None:
    raise AttributeError(f"cannot delete field {name!r} of a frozen {self.__class__.__name__}")


def _make_init(
    qualname: str,
    module: str | None,
    fields: list[str],
    defaults: dict[str, object],
    frozen: bool,
    post_init: bool,
) -> Callable[..., None]:
    """`__init__` from source, as dataclasses and namedtuple build theirs."""
    env: dict[str, Any] = {"_set": _set, "_MISSING": _MISSING}
    params, body = [], []
    for field in fields:
        value = field
        default = defaults.get(field, _MISSING)
        if default is _MISSING:
            params.append(field)
        elif isinstance(default, _Factory):
            env[f"_make_{field}"] = default.make
            params.append(f"{field}=_MISSING")
            value = f"_make_{field}() if {field} is _MISSING else {field}"
        else:
            env[f"_default_{field}"] = default
            params.append(f"{field}=_default_{field}")
        body.append(f"_set_{field}(self, {value})" if frozen else f"self.{field} = {value}")
    if post_init:
        body.append("self.__post_init__()")
    exec(f"def __init__(self, {', '.join(params)}) -> None:\n    " + "\n    ".join(body), env)
    init: Callable[..., None] = env["__init__"]
    init.__qualname__ = f"{qualname}.__init__"
    if module is not None:
        init.__module__ = module
    return init


def _make_eq(fields: list[str]) -> Callable[[object, object], bool]:
    values = attrgetter(*fields)

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(values(self) == values(other))
        return NotImplemented

    return __eq__


def _make_hash(fields: list[str]) -> Callable[[object], int]:
    if len(fields) == 1:  # attrgetter of one name gives the value, not a 1-tuple
        one = attrgetter(fields[0])
        return lambda self: hash((one(self),))
    values = attrgetter(*fields)
    return lambda self: hash(values(self))


@dataclass_transform(eq_default=True, frozen_default=False, field_specifiers=())
class Record(metaclass=_RecordMeta):
    """Base of every record: declare the fields once, as annotations with optional defaults.

        class Heading(Record, frozen=True):
            line: int
            text: str = ""
            children: list[int] = factory(list)

    The class gets what `@dataclass(slots=True)` would generate (see `_RecordMeta`):
    `__init__`, `__eq__` (same class, equal fields), `__hash__` (from the fields when frozen,
    none when mutable, identity with `eq=False`), `__repr__`, and `_replace(**changes)`
    (`dataclasses.replace`). `frozen=True` forbids assigning fields after `__init__`. They are
    not dataclasses: importing `dataclasses` (which imports `inspect`, `ast`, `dis` …) costs
    `specmark check` about 25 ms of its start-up. tests/core/test_fast_paths.py compares every
    record class with a dataclass built from the same fields.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, object]] = {}
    _frozen: ClassVar[bool] = False
    _eq: ClassVar[bool] = True

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({args})"

    def _replace(self: _R, **changes: Any) -> _R:
        """A copy with some fields changed (`dataclasses.replace`)."""
        values = {name: getattr(self, name) for name in self._fields}
        values.update(changes)
        return self.__class__(**values)


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


class Vocab(str, Enum):
    """Base of every fixed vocabulary of the model (statuses, severities, flavors, kinds …).

    A member is its string: equal to it, hashed as it, written by `json.dumps`, `str()` and
    f-strings as it (`str.__format__`: a plain `(str, Enum)` formats as `Status.DONE` from
    Python 3.11 on), so values from outside (a test, a client) compare equal to members.
    """

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(self, spec)


class Flavor(Vocab):
    """The spec convention a folder follows (core/discovery.py, analysis.detect_flavor)."""

    KIRO = "kiro"  # .kiro/specs (also cc-sdd)
    SPEC_KIT = "spec-kit"  # specs/NNN-name with spec.md, or T001-style task IDs
    SPEC_WORKFLOW = "spec-workflow"  # .spec-workflow/specs
    OPENSPEC = "openspec"  # openspec/changes/<change>


class DocKind(Vocab):
    """Which document of a spec folder a file is (the server's `State.kind_of`)."""

    TASKS = "tasks"
    REQUIREMENTS = "requirements"
    DESIGN = "design"  # only its requirement references are read (core/design.py)


class TaskKind(Vocab):
    LIST = "list"  # a checkbox list item
    HEADING = "heading"  # a heading task (`## Task 3: …`) or a heading carrying its number


class RequirementKind(Vocab):
    REQUIREMENT = "requirement"
    STORY = "story"  # spec-kit user story (US1)
    FUNCTIONAL = "functional"  # spec-kit FR-001
    SUCCESS = "success"  # spec-kit SC-001
    BUGFIX_GROUP = "bugfix-group"  # bugfix.md's groups of numbered clauses


class Status(Vocab):
    TODO = "todo"
    DONE = "done"
    IN_PROGRESS = "in-progress"
    QUEUED = "queued"
    BLOCKED = "blocked"

    @property
    def is_done(self) -> bool:
        return self is Status.DONE


class Severity(Vocab):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


class RefKind(Vocab):
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


class RefLine(Record, frozen=True):
    """A `_Requirements: ..._`-style line (or an inline `**Validates: ...**`)."""

    line: int
    label: str
    label_span: Span
    list_span: Span  # where the IDs are written (may be empty)
    items: tuple[RefItem, ...]
    placeholder: str | None = None  # the placeholder text, if the list is one
    inline: bool = False  # written on the task line itself


class DependsLine(Record, frozen=True):
    """`_Depends: 1.2, 2.3_`: references to other tasks."""

    line: int
    items: tuple[RefItem, ...]


class Task(Record):
    index: int
    line: int
    kind: TaskKind
    indent: int  # columns of leading whitespace (tab = 4)
    status: Status | None  # None for heading tasks (derived from children)
    glyph: str  # the character between the brackets ("" for headings)
    glyph_span: Span | None  # where that character is
    optional: str  # "", "*" or "\\*"
    id: str | None  # normalised: "2", "2.1", "T001"
    id_span: Span | None
    title: str
    title_span: Span
    labels: tuple[str, ...] = ()  # spec-kit [P], [US1]; cc-sdd (P)
    story: str | None = None  # "US1" from a [US1] label
    story_span: Span | None = None
    section: str | None = None  # text of the nearest heading above
    end_line: int = 0  # last line of the task's own block (details)
    parent: int | None = None
    children: list[int] = factory(list)
    refs: list[RefLine] = factory(list)
    depends: list[DependsLine] = factory(list)

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


class BadCheckbox(Record, frozen=True):
    line: int
    span: Span  # the whole bracket, e.g. "[ x]"
    inner: str


class Heading(Record, frozen=True):
    line: int
    level: int
    text: str


class TasksDoc(Record):
    path: str
    lines: list[str]
    tasks: list[Task]
    bad_checkboxes: list[BadCheckbox]
    headings: list[Heading]
    flavor: str = Flavor.KIRO  # a Flavor (passed through as a string by some callers)

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


class Criterion(Record):
    id: str  # "1.3" (derived by position) or "2.1" (bugfix, written)
    requirement: str  # "1"
    text: str
    span: Span  # the list item's first line
    line: int
    derived: bool = True  # True: the ID is not written in the file


class Requirement(Record):
    id: str  # "1", "27C", "REQ-001", "FR-001", "US1"
    title: str
    line: int
    span: Span  # the heading (or bold ID) line
    id_span: Span  # where the ID is written
    end_line: int  # last line of the section
    kind: RequirementKind = RequirementKind.REQUIREMENT
    criteria: list[Criterion] = factory(list)
    body: str = ""  # user story / description text

    @property
    def display(self) -> str:
        return f"{self.id}: {self.title}" if self.title else self.id


class RequirementsDoc(Record):
    path: str
    lines: list[str]
    requirements: list[Requirement]
    flavor: str = Flavor.KIRO  # a Flavor (passed through as a string by some callers)

    def index(self) -> dict[str, Requirement | Criterion]:
        """ID → its requirement or criterion (the first one defining it), in document order;
        made once per document object (the parse's result, not changed afterwards): the
        resolver, the server's engine and the checks each ask for it. Not to be modified."""
        hit = _INDEXES.get(id(self))
        if hit is not None and hit[0] is self and hit[1] is self.requirements:
            return hit[2]
        out: dict[str, Requirement | Criterion] = {}
        for r in self.requirements:
            out.setdefault(r.id, r)
            for c in r.criteria:
                out.setdefault(c.id, c)
        if len(_INDEXES) >= 16:
            _INDEXES.clear()
        _INDEXES[id(self)] = (self, self.requirements, out)
        return out


# RequirementsDoc.index's last answers: id(document) → (document, its requirements, index)
_INDEXES: dict[int, tuple[RequirementsDoc, list[Requirement], dict[str, Requirement | Criterion]]] = {}


class Related(Record, frozen=True):
    path: str
    span: Span
    message: str


class Finding(Record, frozen=True):
    code: str
    path: str
    span: Span
    message: str
    severity: Severity = Severity.WARNING
    related: tuple[Related, ...] = ()
    data: dict[str, Any] | None = None  # machine-readable hints for quick fixes (e.g. suggestions)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.line, self.span.col, self.code, self.message)

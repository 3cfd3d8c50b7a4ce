"""Shared by the navigation features: reference tokens, what is under the cursor, who covers what.

Everything here is plain data over a `SpecResult`: spans are core spans (0-based lines,
code-point columns), paths are the documents' paths as the analysis knows them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from ... import deps
from ...analysis import SpecResult
from ...coverage import story_item
from ...ids import id_key
from ...model import (
    Criterion,
    Record,
    RefItem,
    RefKind,
    Requirement,
    RequirementKind,
    RequirementsDoc,
    Span,
    Status,
    Task,
    TasksDoc,
)

TYPE_CHECKING = False  # not `typing`'s: no import at run time
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from ...coverage import Resolver

STATUS_WORDS = {
    Status.TODO: "to do",
    Status.DONE: "done",
    Status.IN_PROGRESS: "in progress",
    Status.QUEUED: "queued",
    Status.BLOCKED: "blocked",
}


class RefToken(Record, frozen=True):
    """One written ID of a reference: an ID, one end of a range, "All", or a `[US1]` label."""

    path: str
    task: Task | None  # None for a reference in design.md
    item: RefItem
    raw: str  # the normalised ID as written ("1.1", "REQ-002"); the text for "All"
    span: Span  # where it is written
    part: str  # "id" | "start" | "end" | "all" | "story"
    depends: bool = False  # a `_Depends:_` task reference instead of a requirement reference


class Target(Record, frozen=True):
    """What the cursor is on."""

    kind: str  # "reference" | "depends" | "task" | "requirement" | "criterion"
    path: str
    span: Span  # the token, the task line or the requirement/criterion line
    ident: str | None = None  # canonical requirement/criterion ID, or the task ID
    token: RefToken | None = None
    task: Task | None = None
    requirement: Requirement | None = None
    criterion: Criterion | None = None


# ---- documents of a result --------------------------------------------------------------------


def tasks_doc(result: SpecResult | None, path: str) -> TasksDoc | None:
    if result is None:
        return None
    return next((d for d in result.tasks if d.path == path), None)


def requirements_doc(result: SpecResult | None, path: str) -> RequirementsDoc | None:
    if result is None or result.requirements is None:
        return None
    return result.requirements if result.requirements.path == path else None


def line_span(lines: list[str], line: int) -> Span:
    text = lines[line] if 0 <= line < len(lines) else ""
    return Span.on_line(line, 0, len(text))


def task_line_span(doc: TasksDoc, task: Task) -> Span:
    """The task line from its checkbox (or heading text) to the end of the title."""
    start = task.glyph_span.col - 1 if task.glyph_span is not None else (task.id_span or task.title_span).col
    return Span.on_line(task.line, max(0, start), max(task.title_span.end_col, start))


# ---- tokens -------------------------------------------------------------------------------------


def item_tokens(path: str, task: Task | None, item: RefItem, depends: bool = False) -> Iterator[RefToken]:
    if item.kind is RefKind.ID and item.start is not None:
        yield RefToken(path, task, item, item.start, item.start_span or item.span, "id", depends)
    elif item.kind is RefKind.RANGE:
        if item.start is not None:
            yield RefToken(path, task, item, item.start, item.start_span or item.span, "start", depends)
        if item.end is not None:
            yield RefToken(path, task, item, item.end, item.end_span or item.span, "end", depends)
    elif item.kind is RefKind.ALL and not depends:
        yield RefToken(path, task, item, item.text, item.span, "all", depends)


def requirement_items(task: Task) -> Iterator[RefItem]:
    for ref in task.refs:
        yield from ref.items
    if task.story and task.story_span is not None:
        yield story_item(task.story, task.story_span)


def requirement_tokens(doc: TasksDoc) -> Iterator[RefToken]:
    """Every requirement reference of a tasks document, in document order per task."""
    for task in doc.tasks:
        for ref in task.refs:
            for item in ref.items:
                yield from item_tokens(doc.path, task, item)
        if task.story and task.story_span is not None:
            item = story_item(task.story, task.story_span)
            yield RefToken(doc.path, task, item, task.story, task.story_span, "story")


def depends_tokens(doc: TasksDoc) -> Iterator[RefToken]:
    """Every task ID named as a dependency: `_Depends:` lines (ranges included), the waves of
    the dependency graph and its arrows (core/deps.py)."""
    seen: set[tuple[int, int]] = set()
    for task in doc.tasks:
        for dep in task.depends:
            for item in dep.items:
                for tok in item_tokens(doc.path, task, item, depends=True):
                    seen.add(tok.span[:2])
                    yield tok
    yield from _graph_tokens(doc, deps.id_tokens(doc)[0], seen)


def _graph_tokens(
    doc: TasksDoc, toks: Iterable[deps.IdToken], seen: set[tuple[int, int]]
) -> Iterator[RefToken]:
    """The tokens of core/deps.py that do not start where a `_Depends:` item does."""
    for t in toks:
        if t.span[:2] not in seen:
            item = RefItem(RefKind.ID, t.id, t.span, t.id, t.span)
            yield RefToken(doc.path, t.task, item, t.id, t.span, "id", True)


def tokens_on_line(doc: TasksDoc, line: int) -> list[RefToken]:
    out: list[RefToken] = []
    for task in doc.tasks:
        if task.line > line:
            break
        for ref in task.refs:
            if ref.line == line:
                for item in ref.items:
                    out.extend(item_tokens(doc.path, task, item))
        if task.story and task.story_span is not None and task.line == line:
            out.append(
                RefToken(
                    doc.path,
                    task,
                    story_item(task.story, task.story_span),
                    task.story,
                    task.story_span,
                    "story",
                )
            )
        for dep in task.depends:
            if dep.line == line:
                for item in dep.items:
                    out.extend(item_tokens(doc.path, task, item, depends=True))
    graph = deps.id_tokens(doc)[1].get(line)
    if graph:
        out.extend(_graph_tokens(doc, graph, {t.span[:2] for t in out}))
    return out


# ---- what is at a position ------------------------------------------------------------------------


def target_at(result: SpecResult | None, path: str, line: int, col: int) -> Target | None:
    """The reference, task, requirement or criterion at (line, col) of `path`, if any (in
    design.md: a requirement reference of its `**Validates: …**` lines, with no task)."""
    if result is None:
        return None
    design = result.design
    if design is not None and design.path == path:
        for ref in design.refs:
            if ref.line == line:
                for item in ref.items:
                    for tok in item_tokens(path, None, item):
                        if tok.span.contains(line, col):
                            ident = None if tok.part == "all" else result.resolver.canonical(tok.raw)
                            req, crit = find_requirement(result, ident) if ident else (None, None)
                            return Target("reference", path, tok.span, ident, tok, None, req, crit)
        return None
    doc = tasks_doc(result, path)
    if doc is not None:
        for tok in tokens_on_line(doc, line):
            if tok.span.contains(line, col):
                if tok.depends:
                    return Target("depends", path, tok.span, tok.raw, tok, tok.task)
                ident = None if tok.part == "all" else result.resolver.canonical(tok.raw)
                req, crit = find_requirement(result, ident) if ident else (None, None)
                return Target("reference", path, tok.span, ident, tok, tok.task, req, crit)
        task = doc.task_at_line(line)
        if task is not None:
            return Target("task", path, task_line_span(doc, task), task.id, task=task)
        return None
    req_doc = requirements_doc(result, path)
    if req_doc is not None:
        for r in req_doc.requirements:
            if r.line == line and r.kind != RequirementKind.BUGFIX_GROUP:
                return Target("requirement", path, r.span, r.id, requirement=r)
            for c in r.criteria:
                if c.line == line:
                    return Target("criterion", path, c.span, c.id, requirement=r, criterion=c)
            if r.line == line:  # a bugfix group's heading
                return Target("requirement", path, r.span, r.id, requirement=r)
    return None


def find_requirement(result: SpecResult, ident: str | None) -> tuple[Requirement | None, Criterion | None]:
    if not ident or result.requirements is None:
        return None, None
    hit = result.resolver.lookup(ident)
    if isinstance(hit, Requirement):
        return hit, None
    if isinstance(hit, Criterion):
        return _owner_of(result.requirements, hit), hit
    return None, None


_OWNERS: tuple[RequirementsDoc | None, dict[int, Requirement]] = (
    None,
    {},
)  # (requirements document, id(criterion) → its requirement)


def _owner_of(req_doc: RequirementsDoc, crit: Criterion) -> Requirement | None:
    """The requirement whose criteria hold `crit` — from a map built once per document (a
    scan with `crit in r.criteria` per reference was quadratic: 9 s of document links for
    5,000 references to a requirement with 10,000 criteria)."""
    global _OWNERS
    doc, owners = _OWNERS
    if doc is not req_doc:
        owners = {id(c): r for r in req_doc.requirements for c in r.criteria}
        _OWNERS = (req_doc, owners)
    return owners.get(id(crit))


def find_task(result: SpecResult, ident: str, prefer: str | None = None) -> tuple[TasksDoc, Task] | None:
    docs = sorted(result.tasks, key=lambda d: d.path != prefer)
    for doc in docs:
        for t in doc.tasks:
            if t.id is not None and t.id == ident:
                return doc, t
    return None


# ---- status and coverage --------------------------------------------------------------------------


def descendants(doc: TasksDoc, task: Task) -> list[Task]:
    return doc.descendants(task)


def subtask_progress(doc: TasksDoc, task: Task) -> tuple[int, int]:
    """(done, total) over the task's sub-tasks that have a checkbox."""
    subs = [t for t in descendants(doc, task) if t.status is not None]
    return sum(1 for t in subs if t.status is Status.DONE), len(subs)


def effective_status(doc: TasksDoc, task: Task) -> Status | None:
    """A task's status; a heading task's is derived from its sub-tasks."""
    if task.status is not None:
        return task.status
    done, total = subtask_progress(doc, task)
    if total == 0:
        return None
    if done == total:
        return Status.DONE
    subs = [t.status for t in descendants(doc, task) if t.status is not None]
    if done or Status.IN_PROGRESS in subs:
        return Status.IN_PROGRESS
    return Status.TODO


def status_word(status: Status | None) -> str:
    return STATUS_WORDS.get(status, "no checkbox") if status is not None else "no checkbox"


def is_done(doc: TasksDoc, task: Task) -> bool:
    return effective_status(doc, task) is Status.DONE


def covered_ids_of(result: SpecResult, ident: str) -> set[str]:
    """The IDs whose citation covers `ident`: itself, its requirement, its criteria."""
    ids = {ident}
    req, crit = find_requirement(result, ident)
    if crit is not None and req is not None:
        ids.add(req.id)
    elif req is not None:
        ids.update(c.id for c in req.criteria)
    return ids


def covering_tasks(result: SpecResult, ident: str) -> list[tuple[TasksDoc, Task]]:
    """Tasks that cover a requirement (directly or through one of its criteria) or a criterion
    (directly or through its requirement), plus whole-spec ("All") references."""
    ids = covered_ids_of(result, ident)
    out: list[tuple[TasksDoc, Task]] = []
    for doc in result.tasks:
        cov = result.coverage.get(doc.path)
        if cov is None:
            continue
        idx: set[int] = set(cov.whole_spec)
        for i in ids:
            idx.update(cov.by_id.get(i, ()))
        out.extend((doc, doc.tasks[i]) for i in sorted(idx))
    return out


def coverage_phrase(pairs: list[tuple[TasksDoc, Task]]) -> str:
    if not pairs:
        return "not covered"
    done = sum(1 for doc, t in pairs if is_done(doc, t))
    noun = "task" if len(pairs) == 1 else "tasks"
    return f"covered by {len(pairs)} {noun} ({done} done)"


def task_name(task: Task) -> str:
    return f"{task.id} {task.title}".strip() if task.id else task.title


_INLINE: MarkdownIt | None = None


@functools.lru_cache(maxsize=4096)
def plain_text(text: str) -> str:
    """Markdown inline text as a reader sees it: `**User Story:** As a [user](u)` →
    `User Story: As a user` (emphasis, code spans, links, images and escapes; inline HTML is
    dropped). For outlines and lists that show text, not Markdown."""
    global _INLINE
    if not any(c in text for c in "*_`[]<>!\\&"):
        return text
    if _INLINE is None:
        from markdown_it import MarkdownIt

        _INLINE = MarkdownIt("commonmark")
    out: list[str] = []

    def walk(tokens: Sequence[Token]) -> None:
        for tok in tokens:
            if tok.type in ("text", "code_inline"):
                out.append(tok.content)
            elif tok.type in ("softbreak", "hardbreak"):
                out.append(" ")
            elif tok.children:
                walk(tok.children)

    walk(_INLINE.parseInline(text))
    return "".join(out)


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def citing_items(result: SpecResult, ident: str) -> list[tuple[str, Task, RefItem, Span]]:
    """Every reference item that cites `ident` (directly, through its requirement or its
    criteria, through a range, or "All"), with the span to show: the ID itself when it is
    written, else the whole token."""
    ids = covered_ids_of(result, ident)
    out = []
    for doc in result.tasks:
        for task in doc.tasks:
            for item in requirement_items(task):
                span = citation_span(result.resolver, item, ident, ids)
                if span is not None:
                    out.append((doc.path, task, item, span))
    return out


def citation_span(resolver: Resolver, item: RefItem, ident: str, ids: set[str]) -> Span | None:
    """Where `item` cites `ident` — directly or through one of `ids` (covered_ids_of), through a
    range, or "All" — as the span to show: the ID itself when it is written, a range end, else
    the whole token. None when it does not cite it."""
    res = resolver.resolve(item)
    if res.whole_spec:
        return item.span
    if not ids.intersection(res.targets):
        return None
    if item.kind is RefKind.RANGE:
        if resolver.canonical(item.start or "") == ident and item.start_span is not None:
            return item.start_span
        if resolver.canonical(item.end or "") == ident and item.end_span is not None:
            return item.end_span
        return item.span
    return item.start_span if item.start_span is not None else item.span


def sort_ids(ids: Iterable[str]) -> list[str]:
    return sorted(ids, key=id_key)

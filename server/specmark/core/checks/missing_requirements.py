"""missing-requirements: a task that needs a requirement reference has none."""

from __future__ import annotations

import bisect
import re

from ..config import Config
from ..model import Finding, Severity, Task, TaskKind
from ..tasks import classify_line, glyph_key
from ..text import lazy
from ..vocab import ACCEPTANCE_HEADINGS, CHECKLIST_WORDS, CRITERIA_WORDS, USER_STORY_WORDS, alternation, words

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from ..model import Task, TasksDoc
    from . import CheckContext

_KIND_HEADING, _KIND_LIST = TaskKind.HEADING, TaskKind.LIST  # (a class attribute of an enum costs a lookup)
CODE = "missing-requirements"
DEFAULT = Severity.WARNING
SUMMARY = "A leaf task carries no requirement reference."

_STORY_SECTION = lazy(r"(?:" + alternation(USER_STORY_WORDS) + r")[ \t]*(\d+)", re.I)
# a heading or a label line over a checklist: `## Success Criteria`, `**Acceptance Criteria**:`
_CHECKLIST = lazy(alternation(CHECKLIST_WORDS, words(CRITERIA_WORDS) + words(ACCEPTANCE_HEADINGS)), re.I)


def _has_refs(doc: TasksDoc, task: Task) -> bool:
    """The task or one of its ancestors carries a reference (sub-steps inherit)."""
    cur: Task | None = task
    while cur is not None:
        if cur.refs or cur.story:
            return True
        cur = doc.tasks[cur.parent] if cur.parent is not None else None
    return False


def _story_at(doc: TasksDoc) -> Callable[[int], str | None]:
    """A function: line → the N of the `User Story N` phase that line is in (or None).

    The phase is the nearest heading above that names a user story, or one that encloses it:
    tasks under `### Tests` inside `## Phase 3: User Story 1` belong to story 1 too.
    """
    lines: list[int] = []
    stories: list[str | None] = []
    stack: list[tuple[int, str | None]] = []
    for h in doc.headings:
        while stack and stack[-1][0] >= h.level:
            stack.pop()
        m = _STORY_SECTION.search(h.text)
        story = m.group(1) if m else (stack[-1][1] if stack else None)
        stack.append((h.level, story))
        lines.append(h.line)
        stories.append(story)

    def at(line: int) -> str | None:
        i = bisect.bisect_right(lines, line) - 1
        return stories[i] if i >= 0 else None

    return at


def _exempt(config: Config, doc: TasksDoc, task: Task) -> bool:
    """A checkpoint (or another exempt title), a step of one, or a task in such a section."""
    if task.section and config.exempt(task.section.lstrip("0123456789.:： \t")):
        return True
    cur: Task | None = task
    while cur is not None:
        if config.exempt(cur.title):
            return True
        cur = doc.tasks[cur.parent] if cur.parent is not None else None
    return False


def is_checklist_item(
    doc: TasksDoc, task: Task, config: Config | None = None, memo: dict[int, bool] | None = None
) -> bool:
    """An unnumbered checkbox of a checklist, not a unit of work: under a heading such as
    `## Success Criteria` or `### Checklist`, or right under a label line such as
    `**Acceptance Criteria**:` (walking up over the checklist's other unnumbered items).
    The walk reads lines as the parser does (`config`: its status glyphs), so it never passes
    a numbered task or a heading, where a block of the incremental engine may start. `memo`
    (line → verdict of the walk from there), shared over one document's tasks, keeps a long
    run of unnumbered items linear."""
    if task.id is not None or task.kind != _KIND_LIST:
        return False
    if task.section and _CHECKLIST.search(task.section):
        return True
    memo = {} if memo is None else memo
    cfg = config or Config()
    glyphs, labels = glyph_key(cfg), cfg.reference_labels
    lines = doc.lines
    n = task.line - 1
    walked = []
    verdict = False
    while n >= 0:
        hit = memo.get(n)
        if hit is not None:
            verdict = hit
            break
        line = lines[n]
        info = classify_line(line, glyphs, labels) if line.strip() else None
        if info is not None and not (info.kind == "task" and info.data.id is None):
            label = line.strip().strip("*_ \t")
            verdict = (
                len(label) <= 80
                and label.rstrip("*_ \t").endswith((":", "："))
                and _CHECKLIST.search(label) is not None
            )
            break
        walked.append(n)
        n -= 1
    for k in walked:
        memo[k] = verdict
    return verdict


def candidates(ctx: CheckContext, doc: TasksDoc) -> Iterator[tuple[Task, Finding]]:
    """(task, finding) for each task of `doc` that needs a reference and has none, in
    document order, before the file-wide rules of `check` (ctx: a CheckContext)."""
    mode = ctx.require_mode
    config = ctx.config
    example = None
    memo: dict[int, bool] = {}
    for task in doc.tasks:
        if task.kind == _KIND_HEADING or (mode == "leaf" and not task.is_leaf):
            continue
        if _has_refs(doc, task) or _exempt(config, doc, task) or is_checklist_item(doc, task, config, memo):
            continue
        if example is None:
            example = _example(ctx)
        yield (
            task,
            Finding(
                CODE,
                doc.path,
                task.id_span or task.title_span,
                f"{task.label} has no _Requirements:_ line; add one, e.g. `_Requirements: {example}_`",
            ),
        )


def is_loose(task: Task) -> bool:
    """An unnumbered checkbox outside any task: in a plan whose tasks are numbered, a note or
    a checklist item (prerequisites, success metrics), not a unit of work."""
    return task.id is None and task.parent is None


def cites(task: Task) -> bool:
    return bool(task.refs or task.story)


def collapsed(first: Finding, count: int) -> Finding:
    """One finding for a plan in which no task cites a requirement: on its first task."""
    example = first.message.rsplit("e.g. ", 1)[-1]
    return first._replace(
        message=f"No task in this plan cites a requirement ({count} tasks without one); "
        f"add a _Requirements:_ line to each, e.g. {example}",
        data={"tasks": count},
    )


def finish(findings: list[Finding], loose: list[Finding], numbered: bool, any_cites: bool) -> list[Finding]:
    """The file-wide rules over a document's candidates (`findings` for numbered or nested tasks,
    `loose` for unnumbered tasks outside any task): loose checkboxes do not count in a plan with
    numbered tasks; a plan in which no task cites anything gets one finding, not one per task."""
    out = sorted(findings + ([] if numbered else loose), key=Finding.sort_key)
    if len(out) > 1 and not any_cites:
        return [collapsed(out[0], len(out))]
    return out


def check(ctx: CheckContext) -> Iterator[Finding]:
    mode = ctx.require_mode
    if mode == "none":
        return
    for doc in ctx.tasks:
        if mode == "story":
            story_at = _story_at(doc)
            for task in doc.tasks:
                if task.kind == _KIND_HEADING or ctx.config.exempt(task.title):
                    continue
                number = story_at(task.line)
                if number and not task.story:
                    yield Finding(
                        CODE,
                        doc.path,
                        task.id_span or task.title_span,
                        f"{task.label} is in the User Story {number} phase but has no story label; "
                        f"add [US{number}] after the task ID",
                        data={"story": f"US{number}"},
                    )
            continue
        findings: list[Finding] = []
        loose: list[Finding] = []
        for task, finding in candidates(ctx, doc):
            (loose if is_loose(task) else findings).append(finding)
        numbered = any(t.id for t in doc.tasks)
        yield from finish(findings, loose, numbered, any(cites(t) for t in doc.tasks))


def _example(ctx: CheckContext) -> str:
    req = ctx.requirements
    if req and req.requirements:
        first = req.requirements[0]
        return first.criteria[0].id if first.criteria else first.id
    return "1.1"

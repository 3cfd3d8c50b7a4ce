"""Document symbols (a hierarchical outline) and workspace symbols (fuzzy-matched).

- tasks document: the task tree; name = ID + title, detail = status (and sub-task progress);
  then the waves of the dependency graph ("Wave 1", detail = its task IDs);
- requirements document: each requirement (name "Requirement 1: Title", "User Story 1: …",
  "FR-001: …") with its criteria as children (name = criterion ID, detail = its text).

Workspace symbols: every task and requirement of every spec, matched like marksman does — the
query's characters (spaces ignored, case-insensitive) must appear in order in the name;
contiguous runs, word starts and early matches rank first.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ...analysis import SpecResult
from ...model import Record, Requirement, RequirementKind, Span, Task, TasksDoc, factory
from ...tasks import subtree_end
from .common import (
    effective_status,
    plain_text,
    requirements_doc,
    short,
    status_word,
    subtask_progress,
    task_line_span,
    task_name,
    tasks_doc,
)


class Symbol(Record):
    name: str
    detail: str
    kind: str  # "task" | "requirement" | "story" | "criterion"
    span: Span  # the whole block (task with its sub-tasks, requirement section)
    selection: Span  # the ID or heading line
    children: list[Symbol] = factory(list)


class WorkspaceSymbol(Record):
    name: str
    kind: str
    path: str
    span: Span
    container: str
    score: int = 0


def document_symbols(result: SpecResult | None, path: str) -> list[Symbol]:
    doc = tasks_doc(result, path)
    if doc is not None:
        return _task_symbols(doc) + _wave_symbols(doc)
    req = requirements_doc(result, path)
    if req is not None:
        return [_requirement_symbol(req.lines, r) for r in req.requirements]
    return []


def _end_col(lines: list[str], line: int) -> int:
    return len(lines[line]) if 0 <= line < len(lines) else 0


def _task_detail(doc: TasksDoc, task: Task) -> str:
    detail = status_word(effective_status(doc, task))
    done, total = subtask_progress(doc, task)
    if total:
        detail += f" · {done}/{total}"
    if task.optional:
        detail += " · optional"
    return detail


MAX_DEPTH = 64  # tasks nested deeper are listed beside their ancestor at this depth


def _task_symbols(doc: TasksDoc) -> list[Symbol]:
    # (symbol, depth, the list it sits in); the depth cap keeps the outline (and every
    # recursion over it: _fit, the LSP conversion, JSON) bounded on a 2,000-deep list
    built: dict[int, tuple[Symbol, int, list[Symbol]]] = {}
    roots: list[Symbol] = []
    for task in doc.tasks:
        end = subtree_end(doc, task)
        sel = task_line_span(doc, task)
        sym = Symbol(
            name=plain_text(task_name(task)) or f"(task on line {task.line + 1})",
            detail=_task_detail(doc, task),
            kind="task",
            span=Span(task.line, 0, end, _end_col(doc.lines, end)),
            selection=sel,
        )
        parent = built.get(task.parent) if task.parent is not None else None
        if parent is None:
            depth, siblings = 0, roots
        elif parent[1] < MAX_DEPTH:
            depth, siblings = parent[1] + 1, parent[0].children
        else:
            depth, siblings = parent[1], parent[2]
        siblings.append(sym)
        built[task.index] = (sym, depth, siblings)
    _fit(roots)
    return roots


def _wave_symbols(doc: TasksDoc) -> list[Symbol]:
    """The dependency graph's waves (core/deps.py), each spanning its JSON object."""
    from ...deps import plan_of

    g = plan_of(doc).graph
    if g is None or not g.waves:
        return []
    out = []
    for w in g.waves:
        ends = [wt.span for wt in w.tasks]
        end = max(ends, key=lambda s: (s.end_line, s.end_col)) if ends else w.span
        out.append(
            Symbol(
                name=f"Wave {w.label}",
                detail=short(", ".join(wt.id for wt in w.tasks), 80) or "(no tasks)",
                kind="wave",
                span=Span(w.span.line, w.span.col, end.end_line, end.end_col),
                selection=w.span,
            )
        )
    return out


def _fit(symbols: list[Symbol]) -> None:
    """Clients reject a child range outside its parent's: widen parents where needed."""
    for s in symbols:
        _fit(s.children)
        for c in s.children:
            if (c.span.end_line, c.span.end_col) > (s.span.end_line, s.span.end_col):
                s.span = Span(s.span.line, s.span.col, c.span.end_line, c.span.end_col)


def requirement_name(r: Requirement) -> str:
    if r.kind == RequirementKind.STORY:
        word = "User Story " + r.id[2:]
    elif r.kind in (RequirementKind.FUNCTIONAL, RequirementKind.SUCCESS) or not r.id[:1].isdigit():
        word = r.id
    elif r.kind == RequirementKind.BUGFIX_GROUP:
        word = f"Group {r.id}"
    else:
        word = f"Requirement {r.id}"
    return f"{word}: {plain_text(r.title)}" if r.title else word


def _requirement_symbol(lines: list[str], r: Requirement) -> Symbol:
    end = max([r.end_line, r.line] + [c.line for c in r.criteria])
    kids = [
        Symbol(
            c.id,
            short(plain_text(c.text), 80),
            "criterion",
            Span.on_line(c.line, 0, _end_col(lines, c.line)),
            c.span,
        )
        for c in r.criteria
    ]
    sel = r.span if r.span.end_col > r.span.col else Span.on_line(r.line, 0, _end_col(lines, r.line))
    return Symbol(
        requirement_name(r),
        short(plain_text(r.body), 80) if r.body else "",
        "story" if r.kind == RequirementKind.STORY else "requirement",
        Span(r.line, 0, end, _end_col(lines, end)),
        sel,
        kids,
    )


# ---- workspace symbols ------------------------------------------------------------------------


def fuzzy_score(query: str, text: str) -> int | None:
    """A score (higher is better) when `query`'s characters appear in order in `text`, else None."""
    q = "".join(query.split()).lower()
    if not q:
        return 0
    t = text.lower()
    score = 0
    pos = 0
    prev = -2
    for ch in q:
        i = t.find(ch, pos)
        if i < 0:
            return None
        if i == prev + 1:
            score += 5  # contiguous
        if i == 0 or not t[i - 1].isalnum():
            score += 3  # a word start
        score -= min(i - pos, 10) // 3  # gaps cost a little
        prev = i
        pos = i + 1
    if t.startswith(q):
        score += 10
    return score - len(t) // 40


def workspace_symbols(
    results: Iterable[tuple[str, SpecResult]], query: str, limit: int = 500
) -> list[WorkspaceSymbol]:
    """Every task and requirement of every (spec name, result) matching `query`, best first."""
    out: list[WorkspaceSymbol] = []
    seen: set[tuple[str, int]] = set()

    def score_of(path: str, line: int, name: str) -> int | None:
        """The match score of the symbol named `name` at `line` of `path`, once per place."""
        if not name or (path, line) in seen:
            return None
        score = fuzzy_score(query, name)
        if score is not None:
            seen.add((path, line))
        return score

    for spec_name, result in results:
        for doc in result.tasks:
            where = f"{spec_name} · {os.path.basename(doc.path)}"
            for task in doc.tasks:
                name = task_name(task)
                score = score_of(doc.path, task.line, name)
                if score is not None:
                    out.append(
                        WorkspaceSymbol(name, "task", doc.path, task_line_span(doc, task), where, score)
                    )
        req = result.requirements
        if req is not None:
            where = f"{spec_name} · {os.path.basename(req.path)}"
            for r in req.requirements:
                name = requirement_name(r)
                score = score_of(req.path, r.line, name)
                if score is not None:
                    kind = "story" if r.kind == RequirementKind.STORY else "requirement"
                    out.append(WorkspaceSymbol(name, kind, req.path, r.span, where, score))
    out.sort(key=lambda s: (-s.score, s.container, s.span.line))
    return out[:limit]

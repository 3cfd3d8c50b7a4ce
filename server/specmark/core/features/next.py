"""The task to work on next, and everything an agent needs to do it (`specmark next`, MCP).

Plain data in, plain data out: a spec's parsed documents (a `SpecResult`, checks not needed)
give the units of work in plan order, which of them are ready (their declared dependencies
done), and for one task a *brief*: its details, the full text of the requirements and
criteria it cites, the design.md sections citing the same IDs, the files its details name and
its parent chain. The JSON shape is documented in docs/agents.md (`SCHEMA_VERSION`).
"""

from __future__ import annotations

import os
import re

from .. import deps
from ..design import DesignDoc
from ..model import Criterion, Requirement, Status, Task, TaskKind, TasksDoc

TYPE_CHECKING = False  # typing and analysis are not imported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

    from ..analysis import SpecResult
    from ..model import RefItem

    Json = dict[str, Any]  # a JSON object of the records (docs/agents.md)
    Index = dict[str, list[tuple[TasksDoc, Task]]]

SCHEMA_VERSION = 1
NEXT_SCHEMA = "specmark.next/1"

# --- which tasks are units of work, and which are ready ------------------------------------


# units of work and their completeness: core/deps.py decides (next only presents its answer)
is_unit = deps.is_unit
_complete = deps.complete


def ancestors(doc: TasksDoc, task: Task) -> list[Task]:
    """The parent chain, outermost first."""
    out: list[Task] = []
    seen = set()
    cur = task.parent
    while cur is not None and cur not in seen:
        seen.add(cur)
        parent = doc.tasks[cur]
        out.append(parent)
        cur = parent.parent
    out.reverse()
    return out


_INDEX: list[Any] = [(), None]  # (the docs, held so their identities stay theirs; their index)


def _task_index(docs: list[TasksDoc]) -> Index:
    """Task ID → the tasks with it. Parsed documents are memoised by text, so the same
    objects come back while the files do not change; the index is kept for them."""
    held = _INDEX[0]
    cached: Index | None = _INDEX[1]
    if cached is not None and len(held) == len(docs) and all(a is b for a, b in zip(held, docs, strict=True)):
        return cached
    index: Index = {}
    for doc in docs:
        for t in doc.tasks:
            if t.id:
                index.setdefault(t.id, []).append((doc, t))
    _INDEX[0], _INDEX[1] = tuple(docs), index
    return index


def dependencies(doc: TasksDoc, task: Task) -> list[str]:
    """The task IDs it (or a parent of it) depends on: `_Depends:` lines and the arrows of a
    dependency-graph section (core/deps.py reads both), in order, once each."""
    plan = deps.plan_of(doc)
    lineage = [*ancestors(doc, task), task]
    mine = {t.id for t in lineage if t.id}
    out: list[str] = []
    for owner in lineage:
        for ref in plan.depends.get(owner.index, ()):
            if ref.id not in out and ref.id not in mine:
                out.append(ref.id)
    g = plan.graph
    if g is not None and g.edges:
        for before, after in g.edges:
            if after.id in mine and before.id not in out and before.id not in mine:
                out.append(before.id)
    return out


def ready_units(
    docs: list[TasksDoc],
) -> tuple[list[tuple[TasksDoc, Task]], list[tuple[TasksDoc, Task, list[deps.Blocker]]]]:
    """(ready, waiting): the open units of work that may start now, in plan order, and the
    others with what holds each back (core/deps.py's ready set: `_Depends:`, graph waves and
    arrows, `[P]`/`(P)` runs, plan order otherwise; a unit marked blocked is never ready)."""
    rs = deps.ready_set(docs)
    return rs.ready, rs.blocked


def _waiting_on(blockers: tuple[deps.Blocker, ...] | list[deps.Blocker]) -> list[str]:
    """What a waiting unit waits on, as task IDs (its own blocked status: "blocked")."""
    out: list[str] = []
    for b in blockers:
        label = b.id or "blocked"
        if label not in out:
            out.append(label)
    return out


# --- addressing a task --------------------------------------------------------------------


def task_ref(docs: list[TasksDoc], doc: TasksDoc, task: Task) -> str:
    """How `specmark set` names this task: its ID when no other task has it, else `@LINE`
    (1-based), prefixed by the file name when the spec has several tasks documents."""
    if task.id and len(_task_index(docs).get(task.id, ())) == 1:
        return task.id
    where = f"@{task.line + 1}"
    return os.path.basename(doc.path) + where if len(docs) > 1 else where


class LookupError_(Exception):
    """A task reference that names no task, or several."""


_AT = re.compile(r"^(?P<file>[^@]*)@(?P<line>\d+)$")


def find_task(docs: list[TasksDoc], ref: str) -> tuple[TasksDoc, Task]:
    """The task `ref` names (an ID, or `@LINE` / `FILE@LINE`); raises LookupError_ with a
    message saying what to do otherwise."""
    ref = ref.strip()
    m = _AT.match(ref)
    if m:
        line = int(m.group("line")) - 1
        name = m.group("file")
        cands = [d for d in docs if not name or os.path.basename(d.path) == name]
        if not cands:
            raise LookupError_(f"no tasks document named {name!r} in this spec")
        if len(cands) > 1:
            raise LookupError_(f"{ref!r} is ambiguous: the spec has several tasks documents; write FILE@LINE")
        t = cands[0].task_at_line(line)
        if t is None:
            raise LookupError_(f"no task on line {line + 1} of {os.path.basename(cands[0].path)}")
        return cands[0], t
    want = ref.rstrip(".")
    hits = [(d, t) for d in docs for t in d.tasks if t.id == want]
    if not hits:
        up = want.upper()
        hits = [(d, t) for d in docs for t in d.tasks if t.id and t.id.upper() == up]
    if not hits:
        ids = [t.id for d in docs for t in d.tasks if t.id]
        near = ""
        if ids:
            import difflib

            close = difflib.get_close_matches(want, ids, n=3, cutoff=0.5)
            near = f" (did you mean {', '.join(close)}?)" if close else ""
        raise LookupError_(f"no task with ID {ref!r}{near}; `specmark next --all-ready` lists them")
    if len(hits) > 1:
        where = ", ".join(f"{os.path.basename(d.path)}@{t.line + 1}" for d, t in hits)
        raise LookupError_(
            f"task ID {ref!r} is ambiguous: {len(hits)} tasks have it ({where}); name one by line, e.g. @{hits[0][1].line + 1}"
        )
    return hits[0]


# --- the brief ----------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_FILE_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?[_*]*(?:Leverage|Files?|Paths?|Location|Module|Source)[_*]*\s*[:：]\s*(?P<rest>.*)$",
    re.I,
)
_TICKED = re.compile(r"`([^`\s]+)`")
_PATHLIKE = re.compile(r"^(?:[\w.@~-]+/)+[\w.@*-]*$|^\.?[\w@-][\w.@-]*\.[A-Za-z][A-Za-z0-9]{0,9}$")


def detail_lines(doc: TasksDoc, task: Task) -> list[int]:
    """The lines of the task's own block after its line, its sub-tasks' blocks excluded."""
    if task.kind == TaskKind.HEADING:
        return []
    return [n for n in range(task.line + 1, task.end_line + 1) if doc.lines[n].strip()]


# a code span without a slash is a file name only with one of these extensions (`session.id`,
# `e.g` and `Store.create` are not files)
_FILE_EXTENSIONS = frozenset(
    "py pyi ts tsx js jsx mjs cjs md mdx json jsonc yaml yml toml ini cfg conf env txt csv go rs "
    "java kt kts scala rb php cs fs c h cc cpp hpp m mm swift sql sh bash zsh ps1 css scss sass "
    "less html htm vue svelte astro xml proto graphql gql dart ex exs erl lua tf hcl lock gradle "
    "dockerfile makefile r jl zig nim".split()
)


def _clean_path(token: str, labelled: bool = False) -> str | None:
    token = token.strip().strip("`*_\"'").strip()
    token = token.rstrip(".,;:)")
    if not token or " " in token or "://" in token or not _PATHLIKE.match(token):
        return None
    if not labelled and "/" not in token and token.rsplit(".", 1)[-1].lower() not in _FILE_EXTENSIONS:
        return None
    return token


def files_named(lines: list[str]) -> list[str]:
    """Paths the details name: `_Leverage: a, b_`, `File: x`, and `code spans` shaped like paths."""
    out: list[str] = []
    for line in lines:
        m = _FILE_LABEL.match(line)
        if m:
            for piece in re.split(r"[,;、]", m.group("rest").rstrip().rstrip("_*")):
                p = _clean_path(piece.split(" (")[0], labelled=True)
                if p and p not in out:
                    out.append(p)
        for tick in _TICKED.findall(line):
            p = _clean_path(tick)
            if p and p not in out:
                out.append(p)
    return out


def _block_text(lines: list[str], start: int, end: int) -> str:
    """Lines start..end (inclusive), blank tail dropped, common indentation removed."""
    chunk = list(lines[start : end + 1])
    while chunk and not chunk[-1].strip():
        chunk.pop()
    if not chunk:
        return ""
    import textwrap

    return textwrap.dedent("\n".join(chunk))


def criterion_text(lines: list[str], crit: Criterion, req: Requirement) -> str:
    """A criterion's whole text: its list item and its continuation lines."""
    if not lines:
        return crit.text
    nxt = [c.line for c in req.criteria if c.line > crit.line]
    end = (min(nxt) - 1) if nxt else req.end_line
    end = min(end, len(lines) - 1)
    chunk = [line.strip() for line in lines[crit.line : end + 1]]
    while chunk and not chunk[-1]:
        chunk.pop()
    if not chunk:
        return crit.text
    chunk[0] = _BULLET.sub("", chunk[0], count=1)
    return "\n".join(chunk) or crit.text


def _requirement_of(result: SpecResult, crit_id: str) -> tuple[Requirement, Criterion] | None:
    req_doc = result.requirements
    if req_doc is None:
        return None
    for r in req_doc.requirements:
        for c in r.criteria:
            if c.id == crit_id:
                return r, c
    return None


def cited(result: SpecResult, items: list[RefItem]) -> tuple[list[str], list[str], bool]:
    """(IDs resolved, in citing order; IDs unknown; whole-spec reference present)."""
    resolver = result.resolver
    ids: list[str] = []
    unknown: list[str] = []
    whole = False
    for item in items:
        res = resolver.resolve(item)
        whole = whole or res.whole_spec
        for t in res.targets:
            if t not in ids:
                ids.append(t)
        for u, _span in res.unknown:
            if u not in unknown:
                unknown.append(u)
    if whole and result.requirements is not None:
        for r in result.requirements.requirements:
            if r.id not in ids:
                ids.append(r.id)
    return ids, unknown, whole


def requirement_entries(result: SpecResult, ids: list[str]) -> list[Json]:
    """The full text of each cited requirement (with its criteria) or criterion."""
    req_doc = result.requirements
    if req_doc is None:
        return []
    lines = req_doc.lines
    path = req_doc.path
    out: list[Json] = []
    for ident in ids:
        hit = result.resolver.lookup(ident)
        if isinstance(hit, Requirement):
            out.append(
                {
                    "id": hit.id,
                    "kind": "requirement",
                    "title": hit.title,
                    "text": hit.body,
                    "criteria": [{"id": c.id, "text": criterion_text(lines, c, hit)} for c in hit.criteria],
                    "path": path,
                    "line": hit.line + 1,
                }
            )
        elif isinstance(hit, Criterion):
            owner = _requirement_of(result, hit.id)
            req = owner[0] if owner else None
            out.append(
                {
                    "id": hit.id,
                    "kind": "criterion",
                    "requirement": hit.requirement,
                    "requirementTitle": req.title if req else "",
                    "text": criterion_text(lines, hit, req) if req else hit.text,
                    "path": path,
                    "line": hit.line + 1,
                }
            )
    return out


def _expand(result: SpecResult, ids: list[str]) -> set[str]:
    """IDs plus the criteria of the requirements among them and the requirements of the criteria."""
    out = set(ids)
    for ident in ids:
        hit = result.resolver.lookup(ident)
        if isinstance(hit, Requirement):
            out.update(c.id for c in hit.criteria)
        elif isinstance(hit, Criterion):
            out.add(hit.requirement)
    return out


def _design_headings(design: DesignDoc) -> list[tuple[int, int, str]]:
    from .. import blocks

    code = blocks.code_lines(design.lines)
    out = []
    for n, line in enumerate(design.lines):
        if n in code:
            continue
        s = line.lstrip("\ufeff")
        if s.startswith("#"):
            hashes = len(s) - len(s.lstrip("#"))
            if hashes <= 6 and (len(s) == hashes or s[hashes] in " \t"):
                out.append((n, hashes, s[hashes:].strip().rstrip("#").strip()))
    return out


def design_sections(result: SpecResult, ids: list[str]) -> list[Json]:
    """The design.md sections whose `**Validates: …**` (or `_Requirements:_`) lines cite one of
    `ids` (a requirement and its criteria count as the same), each with its whole text."""
    design = result.design
    if not isinstance(design, DesignDoc) or not ids or not design.refs:
        return []
    want = _expand(result, ids)
    headings = _design_headings(design)
    out: list[Json] = []
    seen: set[int] = set()
    for ref in design.refs:
        targets: list[str] = []
        for item in ref.items:
            res = result.resolver.resolve(item)
            targets.extend(res.targets)
        if not (_expand(result, targets) & want):
            continue
        hits = sorted({t for t in targets if t in want} or _expand(result, targets) & want)
        above = [h for h in headings if h[0] <= ref.line]
        if above:
            start, level, title = above[-1]
        else:
            start, level, title = 0, 0, ""
        if start in seen:
            for entry in out:
                if entry["line"] == start + 1:
                    entry["cites"] = sorted(set(entry["cites"]) | set(hits))
            continue
        seen.add(start)
        end = len(design.lines) - 1
        for n, lv, _t in headings:
            if n > start and (level == 0 or lv <= level):
                end = n - 1
                break
        out.append(
            {
                "heading": title,
                "path": design.path,
                "line": start + 1,
                "cites": hits,
                "text": _block_text(design.lines, start, end),
            }
        )
    return out


def task_summary(docs: list[TasksDoc], doc: TasksDoc, task: Task) -> Json:
    """A task in four fields (ref, ID, title, status), as `next` lists related tasks."""
    return {
        "ref": task_ref(docs, doc, task),
        "id": task.id,
        "title": task.title,
        "status": _status(doc, task),
    }


def _status(doc: TasksDoc, task: Task) -> str:
    if task.status is not None:
        return task.status.value
    return Status.DONE.value if _complete(doc, task) else Status.TODO.value


def task_brief(result: SpecResult, doc: TasksDoc, task: Task) -> Json:
    """Everything about one task, JSON-ready (the `task` object of docs/agents.md)."""
    docs = result.tasks
    details = [doc.lines[n].strip() for n in detail_lines(doc, task)]
    items = [item for ref in task.refs for item in ref.items]
    if task.story and task.story_span is not None:
        from ..coverage import story_item

        items.append(story_item(task.story, task.story_span))
    ids, unknown, whole = cited(result, items)
    index = _task_index(docs)
    deps = []
    for ident in dependencies(doc, task):
        hits = index.get(ident, [])
        if hits:
            d, t = hits[0]
            deps.append(task_summary(docs, d, t))
        else:
            deps.append({"ref": ident, "id": ident, "title": None, "status": "unknown"})
    return {
        "ref": task_ref(docs, doc, task),
        "id": task.id,
        "title": task.title,
        "status": _status(doc, task),
        "optional": bool(task.optional),
        "labels": list(task.labels),
        "section": task.section,
        "path": doc.path,
        "line": task.line + 1,
        "details": details,
        "requirements": requirement_entries(result, ids),
        "unresolved": unknown,
        "citesAll": whole,
        "design": design_sections(result, ids),
        "files": files_named([task.title, *details]),  # spec-kit names them in the title
        "parents": [task_summary(docs, doc, p) for p in ancestors(doc, task)],
        "subtasks": [task_summary(docs, doc, doc.tasks[c]) for c in task.children],
        "dependsOn": deps,
    }


def count_progress(docs: list[TasksDoc]) -> tuple[int, int]:
    """(done, total) over the tasks with a checkbox (as `specmark status` counts them)."""
    done = total = 0
    for d in docs:
        for t in d.tasks:
            if t.status is None:
                continue
            total += 1
            if t.status is Status.DONE:
                done += 1
    return done, total


def has_work_in_progress(docs: list[TasksDoc]) -> bool:
    return any(t.status is Status.IN_PROGRESS for d in docs for t in d.tasks)


def plan_next(result: SpecResult, all_ready: bool = False) -> Json:
    """The `next` answer for one analysed spec (without the spec block, added by the caller):
    state `found` (a task is ready), `complete` (nothing left) or `waiting` (every open task
    waits on a dependency or is blocked)."""
    docs = result.tasks
    ready, waiting = ready_units(docs)
    done, total = count_progress(docs)
    out: Json = {"progress": {"done": done, "total": total}}
    if ready:
        first = ready[0]
        if all_ready:
            # parallel agents: what nobody has started yet (in progress: listed apart)
            fresh = [(d, t) for d, t in ready if t.status is not Status.IN_PROGRESS]
            out["state"] = "found"
            out["task"] = task_brief(result, *first)
            out["ready"] = [task_brief(result, d, t) for d, t in fresh]
            out["inProgress"] = [task_summary(docs, d, t) for d, t in ready if t.status is Status.IN_PROGRESS]
        else:
            out["state"] = "found"
            out["task"] = task_brief(result, *first)
    else:
        out["state"] = "waiting" if waiting else "complete"
        out["task"] = None
        if all_ready:
            out["ready"] = []
            out["inProgress"] = []
    if waiting and not ready:
        out["waiting"] = [
            {**task_summary(docs, d, t), "waitingOn": _waiting_on(bs)} for d, t, bs in waiting[:20]
        ]
    return out

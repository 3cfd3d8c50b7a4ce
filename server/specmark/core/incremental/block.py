"""One block of a tasks document, parsed and checked on its own (lines relative to its start).

A block is built in two steps, memoised apart by the analyzer: its *shape* (`shape_block`: the
parse, task-order inside it, its IDs and sequences: what does not read the requirements
document) and its *check* (`check_block`: the local checks, coverage and missing-requirements
candidates: what does).
"""

from __future__ import annotations

from typing import Any

from ..checks import (
    RULES,
    CheckContext,
    Rule,
    active_rules,
    missing_requirements,
    run_checks,
    run_rules,
    task_order,
)
from ..config import Config
from ..coverage import Resolver, compute_coverage
from ..ids import parent_id
from ..model import Finding, Record, RequirementsDoc, Severity, Status, Task, TasksDoc, factory
from ..tasks import has_dependencies, parse_tasks
from .scopes import LOCAL_CODES


class Block(Record, eq=False):
    start: int
    end: int
    doc: TasksDoc  # parsed on its own: lines relative to `start`
    local: tuple[Finding, ...]  # findings of the local checks, relative
    covered: frozenset[str]
    whole: bool
    wanted: frozenset[str]  # parent IDs its sub-tasks refer to (must not be defined earlier)
    ids: tuple[str, ...]  # task IDs in order
    id_set: frozenset[str]
    local_ids: frozenset[str]  # IDs of tasks with a parent (must not occur in other blocks)
    parentless: tuple[Task, ...]  # tasks without a parent (task-order across the file)
    orphans: tuple[Task, ...]  # sub-tasks whose parent ID must exist somewhere
    need: frozenset[str] = frozenset()  # wanted | local_ids: must not be defined by another block
    both: frozenset[str] = frozenset()  # id_set & need
    first: dict[tuple[Any, ...], Task] = factory(dict)  # sequence group → its first parentless task here
    last_of: dict[tuple[Any, ...], Task] = factory(dict)  # sequence group → its last parentless task here
    inner: tuple[Finding, ...] = ()  # task-order findings between this block's own parentless tasks
    done: tuple[tuple[str, int], ...] = ()  # (done glyph, how many tasks use it): the document's x/X habit
    missing: tuple[Finding, ...] = ()  # missing-requirements candidates (relative, severity set)
    loose: tuple[Finding, ...] = ()  # … of unnumbered tasks outside any task
    cites: bool = False  # a task of the block cites a requirement (or a story)
    deps: bool = False  # has `_Depends:` lines or a dependency-graph heading (DEPS_CODES)
    dsig: tuple[Any, ...] | None = None  # deps_signature, made on first use (`signature()`)
    code: frozenset[int] = frozenset()  # its code lines (as the partition found them)

    def signature(self) -> tuple[Any, ...]:
        """What the execution-order checks read of the block (deps_signature), made when first
        asked: only a plan with dependency information asks."""
        if self.dsig is None:
            self.dsig = deps_signature(tuple(self.doc.lines), self.doc)
        return self.dsig


def sequence_group(task: Task) -> tuple[Any, ...]:
    """The sibling sequence a parentless task belongs to (as in task_order.global_findings)."""
    ident = task.id or ""
    return ("T",) if ident.startswith("T") else (None, ident.count("."))


def out_of_sequence(prev: Task, task: Task) -> bool:
    """Whether parentless `task` does not follow `prev` in its sequence."""
    num = task_order.sequence_number(task.id)
    pnum = task_order.sequence_number(prev.id)
    return num is not None and pnum is not None and num != pnum + 1


def shape_block(
    lines: tuple[str, ...], section: str | None, code: frozenset[int], path: str, cfg: Config, flavor: str
) -> Block:
    """The part of a block that does not read the requirements: the parse, task-order inside
    it, its IDs and sequences (kept apart, so a new requirement ID costs the checks, not the
    parse). `local` holds the task-order findings only; nothing is covered. `code`: the
    block's code lines, as the partition found them in the whole document."""
    doc = parse_tasks(lines, path, cfg, flavor, section=section, code=code)
    order_local, parentless, orphans = task_order.block_findings(doc)
    severity = cfg.severity_of(task_order.CODE, RULES[task_order.CODE].default)
    local = tuple(f._replace(severity=severity) for f in order_local) if severity is not None else ()
    # IDs whose tasks this block's sub-tasks would attach to: if one of them is defined in
    # an earlier block, the whole document links differently (first definition wins)
    wanted = set()
    for t in doc.tasks:
        pid = parent_id(t.id) if t.id else None
        while pid is not None:
            wanted.add(pid)
            pid = parent_id(pid)
    ids = tuple(t.id for t in doc.tasks if t.id)
    id_set = frozenset(ids)
    local_ids = frozenset(t.id for t in doc.tasks if t.id and t.parent is not None)
    need = frozenset(wanted) | local_ids
    first: dict[tuple[Any, ...], Task] = {}
    last_of: dict[tuple[Any, ...], Task] = {}
    inner: list[Finding] = []
    for t in parentless:
        if task_order.sequence_number(t.id) is None:
            continue  # outside the sequence (task_order.sequence_findings skips it too)
        g = sequence_group(t)
        prev = last_of.get(g)
        if prev is None:
            first[g] = t
        else:
            inner.extend(task_order.sequence_findings(path, [(0, prev), (0, t)], set()))
        last_of[g] = t
    done: dict[str, int] = {}
    for t in doc.tasks:
        if t.status is Status.DONE and t.glyph:
            done[t.glyph] = done.get(t.glyph, 0) + 1
    return Block(
        0,
        len(lines),
        doc,
        local,
        frozenset(),
        False,
        frozenset(wanted),
        ids,
        id_set,
        local_ids,
        tuple(parentless),
        tuple(orphans),
        need,
        id_set & need,
        first,
        last_of,
        tuple(inner),
        tuple(sorted(done.items())),
        deps=has_dependencies(doc),
        code=code,
    )


def local_rules(cfg: Config) -> list[tuple[Rule, Severity]]:
    """The rules check_block runs on every block (LOCAL_CODES as `cfg` sets them)."""
    return active_rules(cfg, within=LOCAL_CODES)


def check_block(
    shape: Block,
    path: str,
    cfg: Config,
    flavor: str,
    req_doc: RequirementsDoc | None,
    resolver: Resolver,
    rules: list[tuple[Rule, Severity]] | None = None,
) -> Block:
    """`shape` with what depends on the requirements document: the local checks (`rules`:
    local_rules(cfg), made once for many blocks), the coverage and the missing-requirements
    candidates."""
    ctx = CheckContext(cfg, flavor, [shape.doc], req_doc, resolver)
    local = run_rules(ctx, local_rules(cfg) if rules is None else rules)
    local.extend(shape.local)
    missing: list[Finding] = []
    loose: list[Finding] = []
    severity = cfg.severity_of(missing_requirements.CODE, RULES[missing_requirements.CODE].default)
    mode = ctx.require_mode
    if mode == "story":  # the story check reads only the block's own headings
        local.extend(run_checks(ctx, within=(missing_requirements.CODE,)))
    elif severity is not None and mode != "none":
        for task, f in missing_requirements.candidates(ctx, shape.doc):
            f = f._replace(severity=severity)
            (loose if missing_requirements.is_loose(task) else missing).append(f)
    cites = any(missing_requirements.cites(t) for t in shape.doc.tasks)
    cov = compute_coverage([shape.doc], resolver)[path]
    return shape._replace(
        local=tuple(local),
        covered=frozenset(cov.by_id),
        whole=bool(cov.whole_spec),
        missing=tuple(missing),
        loose=tuple(loose),
        cites=cites,
    )


def deps_signature(lines: tuple[str, ...], doc: TasksDoc) -> tuple[Any, ...]:
    """What the execution-order checks read of a block (relative to its start): its tasks' IDs,
    places, statuses, hierarchy and `_Depends:` lines, its headings, and, in a section of the
    dependency graph, every line (the JSON and the arrows). Blocks with equal signatures at the
    same places give the same findings."""
    tasks = tuple(
        (
            t.id if t.id is not None else t.title,
            t.line,
            t.id_span,
            t.glyph_span,
            t.status,
            t.optional,
            t.parent,
            tuple(t.children),
            t.kind,
            tuple(lines[d.line] for d in t.depends),
        )
        for t in doc.tasks
    )
    heads = tuple((h.line, h.level, h.text) for h in doc.headings)
    # a section (of the graph, maybe), or lines that could be arrows of it: the text itself
    graph = (
        lines
        if heads
        or not doc.tasks
        or any(">" in x or "→" in x or "pend" in x or "`" in x or "~" in x or '"' in x for x in lines)
        else ()
    )
    return (tasks, heads, graph)

"""Incremental analysis of a tasks document: an edit costs the block it touches.

A tasks document is cut into *blocks*: runs of markdown chunks (blocks.chunk_bounds) that
hold one top-level task family (a top-level task, its sub-tasks and their details) or one
heading section with heading tasks. Everything a check says about a task depends only on
its family — except the checks that compare IDs across the file (duplicate-task-id,
task-order), which run over all tasks without re-parsing them, and coverage, which is merged
from per-block sets. Each block is parsed and checked on its own, memoised by its text and
context; an edit re-parses only the blocks whose text changed, the rest is reused.

When a document does something a block cannot see on its own — a sub-task whose parent task
sits in an earlier, unrelated block, or spec-kit story phases (which depend on the heading
hierarchy) — the analysis falls back to parsing the whole document, so the result is always
exactly `analysis.analyze_docs` on the full text (tests/core/test_incremental.py checks that
with hypothesis over random edit sequences).
"""

from __future__ import annotations

import bisect
import itertools
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from . import blocks, deps
from .checks import (
    FAMILIES,
    RULES,
    CheckContext,
    duplicate_task_id,
    malformed_reference,
    missing_requirements,
    run_checks,
    task_order,
    unknown_requirement,
)
from .config import Config
from .coverage import Coverage, Resolver, compute_coverage
from .document import Lines, common_ends
from .ids import parent_id
from .model import DependsLine, Finding, Heading, Related, Status, Task, TasksDoc
from .requirements import unrecognised_definitions
from .tasks import _glyph_key, classify_line, parse_tasks

# partly per block: duplicate-task-id and task-order compare IDs across the file;
# missing-requirements has file-wide rules (missing_requirements.finish)
GLOBAL_CODES = frozenset({duplicate_task_id.CODE, task_order.CODE, missing_requirements.CODE})
# read only the requirements document and what is covered: checked once per spec, not per block
SPEC_CODES = (
    frozenset({"uncovered-requirement", "duplicate-requirement-id", "unrecognised-requirements"})
    | FAMILIES["wording"]
)
# reported per document by core/openspec.py, never per spec or block
DOCUMENT_CODES = FAMILIES["openspec"]
# execution order (core/deps.py): read the whole document's plan, run on a whole parse when a
# block has `_Depends:` lines or a dependency-graph heading (otherwise they have nothing to say)
DEPS_CODES = frozenset({"unknown-dependency", "dependency-cycle", "dependency-not-done", "graph-mismatch"})
LOCAL_CODES = frozenset(RULES) - GLOBAL_CODES - SPEC_CODES - DOCUMENT_CODES - DEPS_CODES


def shift_finding(f: Finding, off: int) -> Finding:
    if off == 0:
        return f
    related = tuple(
        Related(r.path, r.span.shifted(off) if r.path == f.path else r.span, r.message) for r in f.related
    )
    return f._replace(span=f.span.shifted(off), related=related)


@dataclass(frozen=True)
class ChunkInfo:
    starts_family: bool  # begins with a top-level ID'd task, a heading or a heading task
    opens_heading_task: bool  # its last heading is a heading task (`## Task 1: …`, `## 1. …`)
    has_heading: bool
    last_heading: str | None
    # a heading carrying a number still waits for its first task at the chunk's end (True), a
    # task or another heading came after it (False), or the chunk has neither (None)
    pending_number: bool | None = None


@dataclass(eq=False)
class Block:
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
    parentless: tuple  # tasks without a parent (task-order across the file)
    orphans: tuple  # sub-tasks whose parent ID must exist somewhere
    need: frozenset[str] = frozenset()  # wanted | local_ids: must not be defined by another block
    both: frozenset[str] = frozenset()  # id_set & need
    first: dict = field(default_factory=dict)  # sequence group → its first parentless task here
    last_of: dict = field(default_factory=dict)  # sequence group → its last parentless task here
    inner: tuple[Finding, ...] = ()  # task-order findings between this block's own parentless tasks
    done: tuple = ()  # (done glyph, how many tasks use it): the document's x/X habit
    missing: tuple[Finding, ...] = ()  # missing-requirements candidates (relative, severity set)
    loose: tuple[Finding, ...] = ()  # … of unnumbered tasks outside any task
    cites: bool = False  # a task of the block cites a requirement (or a story)
    deps: bool = False  # has `_Depends:` lines or a dependency-graph heading (DEPS_CODES)
    dsig: tuple = ()  # what the execution-order checks read of it (equal: same findings)


def _group(task) -> tuple:
    """The sibling sequence a parentless task belongs to (as in task_order.global_findings)."""
    return ("T",) if task.id.startswith("T") else (None, task.id.count("."))


def _out_of_sequence(prev, task) -> bool:
    num = task_order._number(task.id)
    pnum = task_order._number(prev.id)
    return num is not None and pnum is not None and num != pnum + 1


class Placed(NamedTuple):
    """A block at its place in the current version of the document."""

    start: int
    end: int
    block: Block

    @property
    def doc(self) -> TasksDoc:
        return self.block.doc

    @property
    def covered(self) -> frozenset[str]:
        return self.block.covered

    @property
    def whole(self) -> bool:
        return self.block.whole


# partition state at the top: (section heading in force, heading task open, a heading carrying a
# number waiting for its first task: that task decides whether the heading is a parent)
_START = (None, False, False)


class TasksAnalyzer:
    """Keeps the blocks of one tasks document between versions, and indexes over them.

    The blocks are three parallel lists (start line, Block, partition state at the start). An
    edit re-partitions from the block before the first changed line until a block start of
    the previous version, past the changed lines, where the partition state is the same
    again; those blocks are replaced, the starts after them shift. The indexes (task IDs,
    covered requirements, which blocks have findings, …) change by the blocks that left
    and came. Only the shift of the following starts — one list comprehension, skipped when
    the edit keeps the line count — is proportional to the document.
    """

    def __init__(self, path: str, cache_size: int = 512):
        self.path = path
        self._chunks: OrderedDict = OrderedDict()
        self._blocks: OrderedDict = OrderedDict()
        self._shapes: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self._ctx: tuple | None = None  # (cfg, flavor, req_doc, resolver) of the structures
        self._lines: tuple[str, ...] | None = None
        self._starts: list[int] = []
        self._blks: list[Block] = []
        self._states: list[tuple] = []
        self._ok = False  # the last analyze() gave a result
        self._shifted: dict = {}  # (block id, start, kind) → findings moved there
        self._req_tokens: dict[tuple, int] = {}  # what blocks read of a requirements document → token
        self._req_seen: tuple | None = None  # (requirements document, its token)
        self._respanned: dict = {}  # (finding id, span) → (finding, the finding re-spanned)
        self._req_next = itertools.count()
        self._deps_memo: tuple | None = None  # (text, config, flavor) → execution-order findings
        self._merged_memo: dict = {}  # (block id, start, first index) → (block, tasks, headings)
        self._reset_indexes()

    def _reset_indexes(self) -> None:
        self._idc: dict[str, int] = {}  # task ID → occurrences in the file
        self._dups: set[str] = set()  # IDs that occur more than once
        self._def: dict[str, int] = {}  # ID → blocks defining it
        self._need: dict[str, int] = {}  # ID → blocks whose sub-tasks need it
        self._both: dict[str, int] = {}  # ID → blocks doing both
        self._suspect: set[str] = set()  # IDs defined by one block and needed by another
        self._cov: dict[str, int] = {}  # covered ID → blocks covering it
        self._whole = 0  # blocks with a whole-spec reference
        self._cites = 0  # blocks with a task citing a requirement
        self._deps = 0  # blocks with dependency information
        self._done: dict[str, int] = {}  # done glyph → tasks using it
        # indexes (positions in the lists) of blocks with something to say
        self._flag: set[int] = set()  # local findings
        self._seq: set[int] = set()  # task-order findings between their own parentless tasks
        self._orph: set[int] = set()  # sub-tasks whose parent is not in the block
        self._xbad: set[int] = set()  # a first parentless task out of sequence with an earlier block
        self._miss: set[int] = set()  # missing-requirements candidates

    # ---- views for the server ------------------------------------------------------------------------
    @property
    def last(self) -> list[Placed]:
        """The blocks of the last analysed version (empty when it fell back)."""
        if not self._ok:
            return []
        ends = self._starts[1:] + [len(self._lines)]
        return [Placed(s, e, b) for s, e, b in zip(self._starts, ends, self._blks, strict=False)]

    @property
    def last_ok(self) -> bool:
        """Whether the last analyze() gave a result (else the caller used the whole document)."""
        return self._ok

    def done_habit(self) -> str | None:
        """features.toggle.done_habit over the whole document, from the index: the most used
        done glyph, a tie going to the one that sorts first (X)."""
        if not self._done:
            return None
        return max(sorted(self._done), key=self._done.__getitem__)

    def block_at(self, line: int) -> Placed | None:
        if not self._ok or not self._starts:
            return None
        j = bisect.bisect_right(self._starts, line) - 1
        if j < 0:
            return None
        end = self._starts[j + 1] if j + 1 < len(self._starts) else len(self._lines)
        return Placed(self._starts[j], end, self._blks[j]) if line < end else None

    def partition(self, lines: Sequence[str], cfg: Config) -> list[tuple[int, int, str | None]]:
        """Block ranges [start, end) with the section heading in force at each start (from scratch)."""
        regions, _ = self._repartition(tuple(lines), 0, _START, len(lines), 0, cfg)
        return [(a, b, state[0]) for a, b, state in regions]

    # ---- chunks and blocks ----------------------------------------------------------------------
    def _chunk_info(
        self, chunk: tuple[str, ...], code: frozenset[int], glyphs: str, labels: tuple[str, ...]
    ) -> ChunkInfo:
        key = (chunk, code, glyphs, labels)
        hit = self._chunks.get(key)
        if hit is not None:
            self._chunks.move_to_end(key)
            return hit
        starts = False
        opens = False
        has_heading = False
        last_heading = None
        pend = None
        first = True
        for i, line in enumerate(chunk):
            if i in code or not line.strip():
                continue
            info = classify_line(line, glyphs, labels)
            if first:
                first = False
                if info.kind in ("heading", "heading-task"):
                    starts = True
                elif info.kind == "task":
                    ident = info.data[3]
                    starts = info.indent == 0 and ident is not None and "." not in ident
            if info.kind == "heading":
                # a heading carrying a number may become the parent of the tasks under it
                # (tasks.parse_tasks): keep them in its block, as for a heading task
                has_heading, last_heading, opens = True, info.data[1], len(info.data) > 2
                pend = len(info.data) > 2
            elif info.kind == "heading-task":
                has_heading, last_heading, opens, pend = True, info.data[1], True, False
            elif info.kind == "task":
                pend = False
        out = ChunkInfo(starts, opens, has_heading, last_heading, pend)
        self._put(self._chunks, key, out)
        return out

    def _put(self, cache: OrderedDict, key, value) -> None:
        """Memoise, least recently used out first: at most `cache_size` entries, or two per
        block of the document when it has more (its own blocks, and the versions edits and
        undos go back and forth between). About 6 KB an entry: bounded memory."""
        cache[key] = value
        if len(cache) > max(self._cache_size, 2 * len(self._starts)):
            cache.popitem(last=False)

    def _repartition(
        self, lines: tuple[str, ...], begin: int, state: tuple, unchanged: int, delta: int, cfg: Config
    ):
        """Blocks from `begin` (a block start, partition `state` there) on: ([(start, end, state)],
        index of the old block where they join the previous version), or (None, 0) when the
        region cannot be cut off (a fence or HTML block runs past it: re-partition everything).

        The scan stops at a chunk start past `unchanged` (the first line of the unchanged tail)
        that was a block start of the previous version (its start − `delta`) with the same
        partition state: from there on both versions cut the same blocks."""
        glyphs, labels = _glyph_key(cfg), cfg.reference_labels
        old_starts = self._starts
        n = len(lines)
        section, heading_task_open, pending = state
        start, start_state = begin, state
        out: list[tuple[int, int, tuple]] = []

        def resync(line: int) -> bool:
            if line <= unchanged:
                return False
            j = bisect.bisect_left(old_starts, line - delta)
            return j < len(old_starts) and old_starts[j] == line - delta

        scan_from = begin
        while True:
            raw = blocks.chunk_bounds(lines, scan_from, resync)
            at = raw.pop()[0] if raw and raw[-1][1] is None else None
            eff = _effective_chunks(lines, raw, at is None)
            if eff is None:
                return None, 0
            for a, b, code in eff:
                info = self._chunk_info(lines[a:b], code, glyphs, labels)
                if (
                    a > start
                    and info.starts_family
                    and not pending
                    and (not heading_task_open or info.has_heading and _first_is_heading(lines, a))
                ):
                    out.append((start, a, start_state))
                    start, start_state = a, (section, heading_task_open, pending)
                if info.has_heading:
                    section = info.last_heading
                    heading_task_open = info.opens_heading_task
                if info.pending_number is not None:
                    pending = info.pending_number
            if at is None:
                out.append((start, n, start_state))
                return out, len(old_starts)
            k = bisect.bisect_left(old_starts, at - delta)
            if self._states[k] == (section, heading_task_open, pending):
                # the old block at `at` starts a block here too: the same chunk, the same state
                out.append((start, at, start_state))
                return out, k
            scan_from = at

    def _requirements_token(self, req_doc) -> int:
        """A small number for what a block's analysis reads of the requirements document: its
        path, its IDs in order with their kinds, the example ID a missing-reference finding
        suggests, its section names (a reference by name, malformed-reference). Typing in a requirement or a criterion keeps it, so no block of tasks.md is
        analysed again; a new or removed ID changes it. Where the IDs are (their spans) is read
        by one thing only, the "did you mean" location of unknown-requirement findings, and
        `_respan` sets that at the end of each analysis."""
        if self._req_seen is not None and self._req_seen[0] is req_doc:
            return self._req_seen[1]
        if req_doc is None:
            sig: tuple = (None,)
        else:
            index = req_doc.index()
            first = req_doc.requirements[0] if req_doc.requirements else None
            example = (first.criteria[0].id if first.criteria else first.id) if first else None
            # the IDs written in shapes the parser does not read: unknown-requirement skips them
            unread = tuple(i for _n, i, _s in unrecognised_definitions(req_doc))
            # the section names a reference by name may cite (malformed-reference)
            sections = malformed_reference.section_names(req_doc)
            sig = (req_doc.path, example, tuple((k, type(v)) for k, v in index.items()), unread, sections)
        token = self._req_tokens.get(sig)
        if token is None:
            if len(self._req_tokens) >= 64:
                self._req_tokens.clear()
            token = self._req_tokens[sig] = next(self._req_next)  # never reused
        self._req_seen = (req_doc, token)
        return token

    def _block(
        self,
        lines: tuple[str, ...],
        section: str | None,
        cfg: Config,
        flavor: str,
        req_doc,
        resolver: Resolver,
    ) -> Block:
        key = (lines, section, id(cfg), flavor, self._requirements_token(req_doc))
        hit = self._blocks.get(key)
        if hit is not None:
            self._blocks.move_to_end(key)
            return hit[0]
        shape = self._shape(lines, section, cfg, flavor)
        # what depends on the requirements document: the local checks and the coverage
        ctx = CheckContext(cfg, flavor, [shape.doc], req_doc, resolver)
        local = list(run_checks(ctx, within=LOCAL_CODES))
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
        cov = compute_coverage([shape.doc], resolver)[self.path]
        block = replace(
            shape,
            local=tuple(local),
            covered=frozenset(cov.by_id),
            whole=bool(cov.whole_spec),
            missing=tuple(missing),
            loose=tuple(loose),
            cites=cites,
        )
        self._put(self._blocks, key, (block, None))
        return block

    def _shape(self, lines: tuple[str, ...], section: str | None, cfg: Config, flavor: str) -> Block:
        """The part of a block that does not read the requirements: the parse, task-order inside
        it, its IDs and sequences (kept apart, so a new requirement ID costs the checks, not the
        parse). `local` holds the task-order findings only; nothing is covered."""
        key = (lines, section, id(cfg), flavor)
        hit = self._shapes.get(key)
        if hit is not None:
            self._shapes.move_to_end(key)
            return hit
        doc = parse_tasks(list(lines), self.path, cfg, flavor, section=section)
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
        first: dict = {}
        last_of: dict = {}
        inner: list[Finding] = []
        for t in parentless:
            if task_order._number(t.id) is None:
                continue  # outside the sequence (task_order._sequence skips it too)
            g = _group(t)
            prev = last_of.get(g)
            if prev is None:
                first[g] = t
            else:
                inner.extend(task_order._sequence(self.path, [(0, prev), (0, t)], set()))
            last_of[g] = t
        done: dict[str, int] = {}
        for t in doc.tasks:
            if t.status is Status.DONE and t.glyph:
                done[t.glyph] = done.get(t.glyph, 0) + 1
        shape = Block(
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
            deps=any(t.depends for t in doc.tasks) or any(deps.graph_heading(h.text) for h in doc.headings),
            dsig=_deps_signature(lines, doc),
        )
        self._put(self._shapes, key, shape)
        return shape

    # ---- the indexes --------------------------------------------------------------------------------
    def _count(self, b: Block, sign: int) -> None:
        idc, dups = self._idc, self._dups
        for x in b.ids:
            c = idc.get(x, 0) + sign
            if c > 0:
                idc[x] = c
            else:
                idc.pop(x, None)
            if c > 1:
                dups.add(x)
            else:
                dups.discard(x)
        for counts, keys in (
            (self._def, b.id_set),
            (self._need, b.need),
            (self._both, b.both),
            (self._cov, b.covered),
        ):
            for x in keys:
                c = counts.get(x, 0) + sign
                if c > 0:
                    counts[x] = c
                else:
                    counts.pop(x, None)
        for x in b.id_set | b.need:
            d, n = self._def.get(x, 0), self._need.get(x, 0)
            if d and n and not (d == 1 and n == 1 and self._both.get(x, 0) == 1):
                self._suspect.add(x)
            else:
                self._suspect.discard(x)
        self._whole += sign if b.whole else 0
        self._cites += sign if b.cites else 0
        self._deps += sign if b.deps else 0
        for glyph, n in b.done:
            c = self._done.get(glyph, 0) + sign * n
            if c > 0:
                self._done[glyph] = c
            else:
                self._done.pop(glyph, None)

    def _pred(self, j: int, g: tuple) -> int | None:
        blks = self._blks
        for i in range(j - 1, -1, -1):
            if g in blks[i].last_of:
                return i
        return None

    def _succ(self, j: int, g: tuple) -> int | None:
        blks = self._blks
        for i in range(j, len(blks)):
            if g in blks[i].first:
                return i
        return None

    def _mark(self, j: int) -> None:
        b = self._blks[j]
        for marks, on in (
            (self._flag, b.local),
            (self._seq, b.inner),
            (self._orph, b.orphans),
            (self._miss, b.missing or b.loose),
        ):
            if on:
                marks.add(j)
            else:
                marks.discard(j)

    def _mark_sequence(self, j: int) -> None:
        b = self._blks[j]
        for g, t in b.first.items():
            i = self._pred(j, g)
            if i is not None and _out_of_sequence(self._blks[i].last_of[g], t):
                self._xbad.add(j)
                return
        self._xbad.discard(j)

    def _rebuild(self, lines: Sequence[str], cfg: Config, flavor: str, req_doc, resolver: Resolver) -> None:
        self._starts, self._blks, self._states = [], [], []
        flat = lines if isinstance(lines, tuple) else tuple(lines)  # a whole scan: index a tuple
        regions, _ = self._repartition(flat, 0, _START, len(flat), 0, cfg)
        self._reset_indexes()
        self._starts = [a for a, _b, _s in regions]
        self._states = [s for _a, _b, s in regions]
        self._blks = [self._block(flat[a:b], s[0], cfg, flavor, req_doc, resolver) for a, b, s in regions]
        last_in: dict[tuple, int] = {}
        for j, b in enumerate(self._blks):
            self._count(b, 1)
            self._mark(j)
            for g, t in b.first.items():
                i = last_in.get(g)
                if i is not None and _out_of_sequence(self._blks[i].last_of[g], t):
                    self._xbad.add(j)
            for g in b.last_of:
                last_in[g] = j
        self._lines = lines

    def _update(self, new: tuple[str, ...], cfg: Config, flavor: str, req_doc, resolver: Resolver) -> None:
        old = self._lines
        p, s = common_ends(old, new)
        if p == len(old) == len(new):
            self._lines = new
            return
        delta = len(new) - len(old)
        starts = self._starts
        # from the block before the one holding the line before the change: whether that
        # block still starts a block is decided by the chunks before it
        i = max(0, bisect.bisect_right(starts, max(0, p - 1)) - 2)
        regions, k = self._repartition(new, starts[i], self._states[i], len(new) - s, delta, cfg)
        if regions is None:
            self._rebuild(new, cfg, flavor, req_doc, resolver)
            return
        added = [self._block(new[a:b], st[0], cfg, flavor, req_doc, resolver) for a, b, st in regions]
        removed = self._blks[i:k]
        m = len(added)
        for b in removed:
            self._count(b, -1)
        for b in added:
            self._count(b, 1)
        starts[i:k] = [a for a, _b, _s in regions]
        if delta:
            starts[i + m :] = [x + delta for x in starts[i + m :]]
        self._blks[i:k] = added
        self._states[i:k] = [st for _a, _b, st in regions]
        shift = m - (k - i)
        for marks in (self._flag, self._seq, self._orph, self._xbad, self._miss):
            if marks:
                moved = {j if j < i else j + shift for j in marks if not i <= j < k}
                marks.clear()
                marks.update(moved)
        for j in range(i, i + m):
            self._mark(j)
            self._mark_sequence(j)
        groups = set()
        for b in removed:
            groups.update(b.first)
        for b in added:
            groups.update(b.first)
        for g in groups:
            j = self._succ(i + m, g)
            if j is not None:
                self._mark_sequence(j)
        self._lines = new

    def _valid(self) -> bool:
        """No block's sub-task attaches to a task of an earlier block, and no sub-task ID occurs
        in another block (only a whole parse is exact then). The indexes say when that cannot
        happen; the exact answer walks the blocks."""
        if not self._suspect:
            return True
        seen_ids: set[str] = set()
        for b in self._blks:
            if not (seen_ids.isdisjoint(b.wanted) and seen_ids.isdisjoint(b.local_ids)):
                return False
            seen_ids |= b.id_set
        later: set[str] = set()
        for b in reversed(self._blks):
            if b.local_ids and not later.isdisjoint(b.local_ids):
                return False
            later |= b.id_set
        return True

    # ---- analysis ---------------------------------------------------------------------------------
    def _at(self, previous: dict, block: Block, start: int, what: str) -> tuple[Finding, ...]:
        """A block's findings moved to its start, reused from the last version when it did not move."""
        key = (id(block), start, what)
        hit = previous.get(key)
        out = hit[1] if hit is not None else tuple(shift_finding(f, start) for f in getattr(block, what))
        self._shifted[key] = (block, out)  # the block keeps its id valid
        return out

    def analyze(self, lines: Sequence[str], cfg: Config, flavor: str, req_doc, resolver: Resolver):
        """(findings of this document, covered IDs, whole-spec flag), or None to fall back."""
        self._ok = False
        if flavor == "spec-kit":
            return None  # story phases depend on the whole heading hierarchy
        if not isinstance(lines, (tuple, Lines)):
            lines = tuple(lines)
        if lines and lines[0].startswith("\ufeff"):
            return None
        ctx = (cfg, flavor, self._requirements_token(req_doc))
        if self._lines is None or self._ctx != ctx:
            self._rebuild(lines, cfg, flavor, req_doc, resolver)
            self._ctx = ctx
        else:
            self._update(lines, cfg, flavor, req_doc, resolver)
        if not self._valid():
            return None  # a parent (or a sub-task ID) of another block: only a whole parse is exact
        if flavor == "kiro" and _looks_like_spec_kit(self._blks):
            return None  # analysis.detect_flavor would switch to spec-kit
        self._ok = True
        path, starts, blks = self.path, self._starts, self._blks
        findings: list[Finding] = []
        shifted, self._shifted = self._shifted, {}
        for j in self._flag:
            findings.extend(self._at(shifted, blks[j], starts[j], "local"))
        if self._miss:
            # missing-requirements: the file-wide rules over every block's candidates
            missing: list[Finding] = []
            loose: list[Finding] = []
            for j in self._miss:
                missing.extend(self._at(shifted, blks[j], starts[j], "missing"))
                loose.extend(self._at(shifted, blks[j], starts[j], "loose"))
            findings.extend(missing_requirements.finish(missing, loose, bool(self._idc), self._cites > 0))
        # the checks that compare IDs across the file, from the indexes
        severity = cfg.severity_of(duplicate_task_id.CODE, RULES[duplicate_task_id.CODE].default)
        if severity is not None and self._dups:
            dups = self._dups
            entries = [
                (starts[j], t)
                for j, b in enumerate(blks)
                if not b.id_set.isdisjoint(dups)
                for t in b.doc.tasks
                if t.id in dups
            ]
            findings.extend(f._replace(severity=severity) for f in duplicate_task_id.findings(path, entries))
        severity = cfg.severity_of(task_order.CODE, RULES[task_order.CODE].default)
        if severity is not None:
            order: list[Finding] = []
            orphans = [(starts[j], t) for j in self._orph for t in blks[j].orphans]
            if self._dups:
                # a repeated ID is skipped in its sequence: walk the whole sequence
                parentless = [(starts[j], t) for j, b in enumerate(blks) for t in b.parentless]
                order.extend(task_order.global_findings(path, parentless, orphans, self._idc))
            else:
                order.extend(task_order.global_findings(path, [], orphans, self._idc))
                for j in self._seq:
                    order.extend(self._at(shifted, blks[j], starts[j], "inner"))
                for j in self._xbad:
                    b = blks[j]
                    for g, t in b.first.items():
                        i = self._pred(j, g)
                        if i is not None:
                            order.extend(
                                task_order._sequence(
                                    path, [(starts[i], blks[i].last_of[g]), (starts[j], t)], set()
                                )
                            )
            findings.extend(f._replace(severity=severity) for f in order)
        if self._deps:
            findings.extend(self._deps_findings(lines, cfg, flavor, req_doc, resolver))
        if req_doc is not None:
            findings = self._respan(findings, req_doc, resolver)
        findings.sort(key=Finding.sort_key)
        return findings, set(self._cov), self._whole > 0

    def _deps_findings(self, lines, cfg: Config, flavor: str, req_doc, resolver: Resolver) -> list[Finding]:
        """The execution-order checks over the whole document, read from the blocks put back
        together (`_merged`: no re-parse); memoised for the last text."""
        key = (tuple(self._starts), tuple(b.dsig for b in self._blks), id(cfg), flavor)
        hit = self._deps_memo
        if hit is not None and hit[0] == key:
            return hit[1]
        doc = self._merged(tuple(lines), flavor)
        ctx = CheckContext(cfg, flavor, [doc], req_doc, resolver)
        out = run_checks(ctx, within=DEPS_CODES)
        self._deps_memo = (key, out)
        return out

    def merged_doc(self) -> TasksDoc | None:
        """The last analysed version as one TasksDoc put together from the blocks (tasks,
        hierarchy, `_Depends:` lines, headings; not its requirement references), or None when
        that analysis fell back. Cheap: shifted blocks are kept (see `_merged`)."""
        if not self._ok or self._lines is None or self._ctx is None:
            return None
        return self._merged(tuple(self._lines), self._ctx[1])

    def _merged(self, text: tuple[str, ...], flavor: str) -> TasksDoc:
        """The whole document's TasksDoc as far as the execution-order checks read it (tasks
        with their lines, spans, status, hierarchy and `_Depends:` lines; headings), from the
        blocks shifted to their place. A block's shifted tasks are kept while its place (start
        line, first task index) stays, so an edit re-shifts only what moved."""
        memo, self._merged_memo = self._merged_memo, {}
        tasks: list = []
        headings: list = []
        for start, b in zip(self._starts, self._blks, strict=False):
            key = (id(b), start, len(tasks))
            got = memo.get(key)
            if got is None:
                got = (
                    b,
                    _shift_tasks(b.doc.tasks, start, len(tasks)),
                    _shift_headings(b.doc.headings, start),
                )
            self._merged_memo[key] = got
            tasks.extend(got[1])
            headings.extend(got[2])
        return TasksDoc(self.path, list(text), tasks, [], headings, flavor)

    def _respan(self, findings: list[Finding], req_doc, resolver: Resolver) -> list[Finding]:
        """Point each "did you mean X?" location at X in the requirements document as it is now.

        Blocks are memoised on the requirement IDs only (see `_requirements_token`): typing in a
        criterion moves no ID but changes its span, so the few findings with such a location get
        it here (each re-spanned finding is kept while the span holds: diagnostics are memoised
        per finding object downstream)."""
        memo, self._respanned = self._respanned, {}
        code = unknown_requirement.CODE
        out = []
        for f in findings:
            if f.related and f.code == code and f.data and f.data.get("suggestions"):
                # unknown_requirement puts the first suggestion's location first
                target = resolver.lookup(f.data["suggestions"][0])
                first = f.related[0]
                if target is not None and first.path == req_doc.path and first.span != target.span:
                    key = (id(f), target.span)
                    hit = memo.get(key)
                    fixed = (
                        hit[1]
                        if hit is not None
                        else f._replace(
                            related=(Related(first.path, target.span, first.message),) + f.related[1:]
                        )
                    )
                    self._respanned[key] = (f, fixed)
                    f = fixed
            out.append(f)
        return out


def _deps_signature(lines: tuple[str, ...], doc: TasksDoc) -> tuple:
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


def _shift_tasks(tasks, off: int, base: int) -> list:
    """Copies of a block's tasks moved down `off` lines, their indices (parent, children) by
    `base`: enough for the execution-order checks (requirement references are not moved)."""
    out = []
    for t in tasks:
        deps = [DependsLine(d.line + off, d.items) for d in t.depends] if t.depends else []
        out.append(
            Task(
                t.index + base,
                t.line + off,
                t.kind,
                t.indent,
                t.status,
                t.glyph,
                t.glyph_span.shifted(off) if t.glyph_span is not None else None,
                t.optional,
                t.id,
                t.id_span.shifted(off) if t.id_span is not None else None,
                t.title,
                t.title_span.shifted(off),
                t.labels,
                t.story,
                t.story_span,
                t.section,
                t.end_line + off,
                t.parent + base if t.parent is not None else None,
                [c + base for c in t.children],
                t.refs,
                deps,
            )
        )
    return out


def _shift_headings(headings, off: int) -> list:
    return [Heading(h.line + off, h.level, h.text) for h in headings] if off else list(headings)


def _effective_chunks(lines: tuple[str, ...], bounds: list[tuple[int, int]], final: bool):
    """blocks.effective_chunks over some consecutive chunks; `final` when they run to the end of
    the document. None when a chunk runs on past the last of them (the caller re-partitions
    everything)."""
    out: list[tuple[int, int, frozenset[int]]] = []
    nb = len(bounds)
    i = 0
    while i < nb:
        start, end = bounds[i]
        while True:
            is_last = final and i + 1 >= nb
            rel, after = blocks._chunk_code_lines(lines[start:end], is_last)
            if after == blocks._CLOSED or is_last:
                break
            if i + 1 >= nb or (after == blocks._SWALLOWS_REST and not final):
                return None
            i = i + 1 if after == blocks._RUNS_ON else nb - 1
            end = bounds[i][1]
        out.append((start, end, rel))
        i += 1
    return out


def _looks_like_spec_kit(blks: Sequence[Block]) -> bool:
    count = 0
    for b in blks:
        for t in b.doc.tasks:
            if count >= 50:
                return False
            if t.id and t.id[0] == "T":
                return True
            count += 1
    return False


def _first_is_heading(lines: Sequence[str], a: int) -> bool:
    return lines[a].lstrip().startswith("#")


def merged_coverage(covered: set[str], whole: bool) -> Coverage:
    """A Coverage with IDs only (task indices are per block): enough for uncovered checks."""
    cov = Coverage()
    cov.by_id = dict.fromkeys(covered, ())
    cov.whole_spec = [-1] if whole else []
    return cov

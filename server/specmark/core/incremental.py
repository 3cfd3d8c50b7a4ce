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
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import NamedTuple, Sequence

from . import blocks
from .checks import CheckContext, RULES, run_checks
from .checks import duplicate_task_id, task_order
from .config import Config
from .coverage import Coverage, Resolver, compute_coverage
from .ids import parent_id
from .model import Finding, Related, Span, TasksDoc
from .tasks import _glyph_key, classify_line, parse_tasks

GLOBAL_CODES = frozenset({duplicate_task_id.CODE, task_order.CODE})   # partly per block
SPEC_CODES = frozenset({"uncovered-requirement", "duplicate-requirement-id"})
LOCAL_CODES = frozenset(RULES) - GLOBAL_CODES - SPEC_CODES


def shift_span(span: Span, off: int) -> Span:
    return span if off == 0 else Span(span.line + off, span.col, span.end_line + off, span.end_col)


def shift_finding(f: Finding, off: int) -> Finding:
    if off == 0:
        return f
    related = tuple(Related(r.path, shift_span(r.span, off) if r.path == f.path else r.span, r.message)
                    for r in f.related)
    return replace(f, span=shift_span(f.span, off), related=related)


@dataclass(frozen=True)
class ChunkInfo:
    starts_family: bool        # begins with a top-level ID'd task, a heading or a heading task
    opens_heading_task: bool   # its last heading is a heading task (`## Task 1: …`, `## 1. …`)
    has_heading: bool
    last_heading: str | None


@dataclass
class Block:
    start: int
    end: int
    doc: TasksDoc                  # parsed on its own: lines relative to `start`
    local: tuple[Finding, ...]     # findings of the local checks, relative
    covered: frozenset[str]
    whole: bool
    wanted: frozenset[str]         # parent IDs its sub-tasks refer to (must not be defined earlier)
    ids: tuple[str, ...]           # task IDs in order
    id_set: frozenset[str]
    local_ids: frozenset[str]      # IDs of tasks with a parent (must not occur in other blocks)
    parentless: tuple              # tasks without a parent (task-order across the file)
    orphans: tuple                 # sub-tasks whose parent ID must exist somewhere


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


class TasksAnalyzer:
    """Keeps the blocks of one tasks document between versions."""

    def __init__(self, path: str, cache_size: int = 20000):
        self.path = path
        self._chunks: OrderedDict = OrderedDict()
        self._blocks: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self.last: list[Placed] = []
        self._prev_lines: tuple[str, ...] | None = None
        self._prev_bounds: list[tuple[int, int]] = []

    # ---- chunk bounds, re-scanned only around the edited lines -------------------------------------
    def bounds(self, lines: Sequence[str]) -> list[tuple[int, int]]:
        old, old_bounds = self._prev_lines, self._prev_bounds
        lines = tuple(lines)
        if old is None or not old_bounds:
            new_bounds = blocks.chunk_bounds(lines)
        else:
            new_bounds = _rescan(old, old_bounds, lines)
        self._prev_lines, self._prev_bounds = lines, new_bounds
        return new_bounds

    # ---- chunks and blocks ----------------------------------------------------------------------
    def _chunk_info(self, chunk: tuple[str, ...], code: frozenset[int], glyphs: str, labels: tuple[str, ...]) -> ChunkInfo:
        key = (chunk, code, glyphs, labels)
        hit = self._chunks.get(key)
        if hit is not None:
            self._chunks.move_to_end(key)
            return hit
        starts = False
        opens = False
        has_heading = False
        last_heading = None
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
                has_heading, last_heading, opens = True, info.data[1], False
            elif info.kind == "heading-task":
                has_heading, last_heading, opens = True, info.data[1], True
        out = ChunkInfo(starts, opens, has_heading, last_heading)
        self._put(self._chunks, key, out)
        return out

    def _put(self, cache: OrderedDict, key, value) -> None:
        cache[key] = value
        if len(cache) > self._cache_size:
            cache.popitem(last=False)

    def partition(self, lines: Sequence[str], cfg: Config) -> list[tuple[int, int, str | None]]:
        """Block ranges [start, end) with the section heading in force at each start."""
        glyphs, labels = _glyph_key(cfg), cfg.reference_labels
        out: list[tuple[int, int, str | None]] = []
        section: str | None = None
        heading_task_open = False
        start = 0
        start_section: str | None = None
        for a, b, code in blocks.effective_chunks(lines, self.bounds(lines)):
            info = self._chunk_info(tuple(lines[a:b]), code, glyphs, labels)
            if a > start and info.starts_family and (not heading_task_open or info.has_heading and _first_is_heading(lines, a)):
                out.append((start, a, start_section))
                start, start_section = a, section
            if info.has_heading:
                section = info.last_heading
                heading_task_open = info.opens_heading_task
        out.append((start, len(lines), start_section))
        return out

    # ---- analysis ---------------------------------------------------------------------------------
    def _block(self, lines: tuple[str, ...], section: str | None, cfg: Config, flavor: str,
               req_doc, resolver: Resolver) -> Block:
        key = (lines, section, id(cfg), flavor, id(resolver))
        hit = self._blocks.get(key)
        if hit is not None:
            self._blocks.move_to_end(key)
            return hit[0]
        doc = parse_tasks(list(lines), self.path, cfg, flavor, section=section)
        ctx = CheckContext(cfg, flavor, [doc], req_doc, resolver)
        local = list(run_checks(ctx, select=LOCAL_CODES))
        order_local, parentless, orphans = task_order.block_findings(doc)
        severity = cfg.severity_of(task_order.CODE, RULES[task_order.CODE].default)
        if severity is not None:
            local.extend(replace(f, severity=severity) for f in order_local)
        cov = compute_coverage([doc], resolver)[self.path]
        # IDs whose tasks this block's sub-tasks would attach to: if one of them is defined in
        # an earlier block, the whole document links differently (first definition wins)
        wanted = set()
        for t in doc.tasks:
            pid = parent_id(t.id) if t.id else None
            while pid is not None:
                wanted.add(pid)
                pid = parent_id(pid)
        ids = tuple(t.id for t in doc.tasks if t.id)
        block = Block(0, len(lines), doc, tuple(local), frozenset(cov.by_id), bool(cov.whole_spec),
                      frozenset(wanted), ids, frozenset(ids),
                      frozenset(t.id for t in doc.tasks if t.id and t.parent is not None),
                      tuple(parentless), tuple(orphans))
        self._put(self._blocks, key, (block, resolver))   # keep the resolver alive with its id
        return block

    def analyze(self, lines: Sequence[str], cfg: Config, flavor: str, req_doc, resolver: Resolver):
        """(findings of this document, covered IDs, whole-spec flag), or None to fall back."""
        self.last = []
        if flavor == "spec-kit":
            return None   # story phases depend on the whole heading hierarchy
        if lines and lines[0].startswith("\ufeff"):
            return None
        parts = self.partition(lines, cfg)
        placed: list[Placed] = []
        seen_ids: set[str] = set()
        for start, end, section in parts:
            block = self._block(tuple(lines[start:end]), section, cfg, flavor, req_doc, resolver)
            if not (seen_ids.isdisjoint(block.wanted) and seen_ids.isdisjoint(block.local_ids)):
                return None   # a parent (or a sub-task ID) of an earlier block: only a whole parse is exact
            seen_ids |= block.id_set
            placed.append(Placed(start, end, block))
        later: set[str] = set()
        for _s, _e, block in reversed(placed):
            if block.local_ids and not later.isdisjoint(block.local_ids):
                return None
            later |= block.id_set
        if flavor == "kiro" and _looks_like_spec_kit(placed):
            return None   # analysis.detect_flavor would switch to spec-kit
        self.last = placed
        findings: list[Finding] = []
        for start, _end, b in placed:
            if b.local:
                findings.extend(shift_finding(f, start) for f in b.local)
        # the checks that compare IDs across the file, over all blocks without re-parsing them
        severity = cfg.severity_of(duplicate_task_id.CODE, RULES[duplicate_task_id.CODE].default)
        if severity is not None and sum(len(p.block.ids) for p in placed) != len(seen_ids):
            entries = [(p.start, t) for p in placed for t in p.doc.tasks]
            findings.extend(replace(f, severity=severity) for f in duplicate_task_id.findings(self.path, entries))
        severity = cfg.severity_of(task_order.CODE, RULES[task_order.CODE].default)
        if severity is not None:
            parentless = [(p.start, t) for p in placed for t in p.block.parentless]
            orphans = [(p.start, t) for p in placed for t in p.block.orphans]
            findings.extend(replace(f, severity=severity)
                            for f in task_order.global_findings(self.path, parentless, orphans, seen_ids))
        covered: set[str] = set()
        whole = False
        for b in placed:
            covered |= b.covered
            whole = whole or b.whole
        findings.sort(key=Finding.sort_key)
        return findings, covered, whole

    def block_at(self, line: int) -> Placed | None:
        for b in self.last:
            if b.start <= line < b.end:
                return b
        return None


def _rescan(old: tuple[str, ...], old_bounds: list[tuple[int, int]], new: tuple[str, ...]) -> list[tuple[int, int]]:
    """New chunk bounds from the old ones: scan from the chunk before the first changed line
    until a chunk start that both versions share past the last changed line."""
    n_old, n_new = len(old), len(new)
    limit = min(n_old, n_new)
    p = 0
    while p < limit and (old[p] is new[p] or old[p] == new[p]):
        p += 1
    if p == n_old == n_new:
        return old_bounds
    s = 0
    while s < limit - p and (old[n_old - 1 - s] is new[n_new - 1 - s] or old[n_old - 1 - s] == new[n_new - 1 - s]):
        s += 1
    delta = n_new - n_old
    starts = [a for a, _b in old_bounds]
    # the chunk holding the line before the first change: a change can make line p a start
    i = max(0, bisect.bisect_right(starts, max(0, p - 1)) - 1)
    begin = starts[i]
    old_starts = set(starts)
    first_unchanged_new = n_new - s

    def resync(line: int) -> bool:
        return line > first_unchanged_new and (line - delta) in old_starts

    head = old_bounds[:i]
    scanned = blocks.chunk_bounds(new, begin, resync)
    if scanned and scanned[-1][1] is None:
        at = scanned[-1][0] - delta
        j = bisect.bisect_left(starts, at)
        tail = [(a + delta, b + delta) for a, b in old_bounds[j:]]
        return head + scanned[:-1] + tail
    return head + scanned


def _looks_like_spec_kit(placed: list[Placed]) -> bool:
    count = 0
    for b in placed:
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

"""Cutting a tasks document into blocks: what each markdown chunk says about where a block
starts (ChunkInfo), and the scan that re-cuts a region of the document after an edit.

A block is a run of chunks (blocks.chunk_bounds) that holds one top-level task family or one
heading section with heading tasks. Whether a chunk starts a block depends on the chunk and
on the *partition state* before it (PartitionState): the section heading in force, whether a
heading task is open, whether a heading carrying a number still waits for its first task.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import NamedTuple

from .. import blocks
from ..model import Record
from ..tasks import classify_line


class PartitionState(NamedTuple):
    """The partition state at a block start."""

    section: str | None  # the section heading in force
    heading_task_open: bool  # a heading task (`## Task 1: …`) is open
    # a heading carrying a number waits for its first task: that task decides whether the
    # heading is a parent
    number_pending: bool


START = PartitionState(None, False, False)


class ChunkInfo(Record, frozen=True):
    starts_family: bool  # begins with a top-level ID'd task, a heading or a heading task
    opens_heading_task: bool  # its last heading is a heading task (`## Task 1: …`, `## 1. …`)
    has_heading: bool
    last_heading: str | None
    # a heading carrying a number still waits for its first task at the chunk's end (True), a
    # task or another heading came after it (False), or the chunk has neither (None)
    pending_number: bool | None = None


def chunk_info(
    chunk: tuple[str, ...], code: frozenset[int], glyphs: str, labels: tuple[str, ...]
) -> ChunkInfo:
    """What a chunk (its lines, its code lines) says about the partition."""
    starts = False
    opens = False
    has_heading = False
    last_heading = None
    pend = None
    first = True
    for i, line in enumerate(chunk):
        if not line.strip():
            continue
        if i in code:
            # a chunk that opens with code (a fence after a task's blank line) continues the
            # task before it: tasks.parse_tasks ends that task at the next task or heading
            first = False
            continue
        if "[" not in line and "#" not in line:
            first = False  # neither a task (a checkbox) nor a heading
            continue
        info = classify_line(line, glyphs, labels)
        kind = info.kind
        if first:
            first = False
            if kind in ("heading", "heading-task"):
                starts = True
            elif kind == "task":
                ident = info.data.id
                starts = info.indent == 0 and ident is not None and "." not in ident
        if kind == "heading":
            # a heading carrying a number may become the parent of the tasks under it
            # (tasks.parse_tasks): keep them in its block, as for a heading task
            numbered = info.data.number is not None
            has_heading, last_heading, opens, pend = True, info.data.text, numbered, numbered
        elif kind == "heading-task":
            has_heading, last_heading, opens, pend = True, info.data.text, True, False
        elif kind == "task":
            pend = False
    return ChunkInfo(starts, opens, has_heading, last_heading, pend)


# a block: [start, end), the partition state at its start, its code lines (relative to start)
Region = tuple[int, int, PartitionState, frozenset[int]]
_NO_CODE: frozenset[int] = frozenset()


def repartition(
    lines: tuple[str, ...],
    begin: int,
    state: PartitionState,
    unchanged: int,
    delta: int,
    old_starts: Sequence[int],
    old_states: Sequence[PartitionState],
    info_of: Callable[[tuple[str, ...], frozenset[int]], ChunkInfo],
) -> tuple[list[Region] | None, int]:
    """Blocks from `begin` (a block start, partition `state` there) on: ([(start, end, state,
    code lines)], index of the old block where they join the previous version), or (None, 0) when the
    region cannot be cut off (a fence or HTML block runs past it: re-partition everything).

    The scan stops at a chunk start past `unchanged` (the first line of the unchanged tail)
    that was a block start of the previous version (`old_starts`, at its start − `delta`) with
    the same partition state (`old_states`): from there on both versions cut the same blocks.
    `info_of(chunk, code lines)` gives a chunk's ChunkInfo (memoised by the caller)."""
    n = len(lines)
    section, heading_task_open, pending = state
    start, start_state = begin, state
    code_in: set[int] = set()  # code lines of the block being cut, relative to its start
    out: list[Region] = []

    def cut(end: int) -> None:
        out.append((start, end, start_state, frozenset(code_in) if code_in else _NO_CODE))
        code_in.clear()

    def resync(line: int) -> bool:
        if line <= unchanged:
            return False
        j = bisect.bisect_left(old_starts, line - delta)
        return j < len(old_starts) and old_starts[j] == line - delta

    scan_from = begin
    while True:
        at: int | None
        if scan_from == 0 and unchanged >= n:
            # the whole document, nothing to join: its chunks the fast way (blocks.code_lines')
            eff: list[tuple[int, int, frozenset[int]]] | None = blocks.document_chunks(lines)
            at = None
        else:
            raw = blocks.chunk_bounds(lines, scan_from, resync)
            at = raw.pop()[0] if raw and raw[-1][1] is None else None
            eff = effective_chunks(lines, raw, at is None)
        if eff is None:
            return None, 0
        for a, b, code in eff:
            info = info_of(lines[a:b], code)
            if (
                a > start
                and info.starts_family
                and not pending
                and (not heading_task_open or info.has_heading and _first_is_heading(lines, a))
            ):
                cut(a)
                start, start_state = a, PartitionState(section, heading_task_open, pending)
            if code:
                code_in.update(a - start + r for r in code)
            if info.has_heading:
                section = info.last_heading
                heading_task_open = info.opens_heading_task
            if info.pending_number is not None:
                pending = info.pending_number
        if at is None:
            cut(n)
            return out, len(old_starts)
        k = bisect.bisect_left(old_starts, at - delta)
        if old_states[k] == (section, heading_task_open, pending):
            # the old block at `at` starts a block here too: the same chunk, the same state
            cut(at)
            return out, k
        scan_from = at


def effective_chunks(
    lines: tuple[str, ...], bounds: list[tuple[int, int]], final: bool
) -> list[tuple[int, int, frozenset[int]]] | None:
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
            rel, after = blocks.chunk_code_lines(lines[start:end], is_last)
            if after == blocks.CLOSED or is_last:
                break
            if i + 1 >= nb or (after == blocks.SWALLOWS_REST and not final):
                return None
            i = i + 1 if after == blocks.RUNS_ON else nb - 1
            end = bounds[i][1]
        out.append((start, end, rel))
        i += 1
    return out


def _first_is_heading(lines: Sequence[str], a: int) -> bool:
    return lines[a].lstrip().startswith("#")

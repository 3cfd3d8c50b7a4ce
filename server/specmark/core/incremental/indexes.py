"""The file-wide indexes over a tasks document's blocks, updated by the blocks that leave and
come with each edit: task-ID counts (duplicates), which blocks define or need which IDs (when
a block's sub-task could attach to another block's task), covered requirement IDs, counters,
and which blocks (by position in the block list) have something to say."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..model import Record, factory
from .block import Block, out_of_sequence


def _add(counts: dict[str, int], key: str, n: int) -> None:
    c = counts.get(key, 0) + n
    if c > 0:
        counts[key] = c
    else:
        counts.pop(key, None)


class FileIndexes(Record):
    task_id_counts: dict[str, int] = factory(dict)  # task ID → occurrences in the file
    duplicate_ids: set[str] = factory(set)  # IDs that occur more than once
    defining_blocks: dict[str, int] = factory(dict)  # ID → blocks defining it
    needing_blocks: dict[str, int] = factory(dict)  # ID → blocks whose sub-tasks need it
    defining_and_needing_blocks: dict[str, int] = factory(dict)  # ID → blocks doing both
    suspect_ids: set[str] = factory(set)  # IDs defined by one block and needed by another
    covering_blocks: dict[str, int] = factory(dict)  # covered requirement ID → blocks
    whole_spec_blocks: int = 0  # blocks with a whole-spec reference
    citing_blocks: int = 0  # blocks with a task citing a requirement
    deps_blocks: int = 0  # blocks with dependency information
    done_glyphs: dict[str, int] = factory(dict)  # done glyph → tasks using it
    # positions (in the block list) of blocks with something to say
    with_local_findings: set[int] = factory(set)
    with_inner_order_findings: set[int] = factory(set)  # between their own parentless tasks
    with_orphans: set[int] = factory(set)  # sub-tasks whose parent is not in the block
    out_of_sequence: set[int] = factory(set)  # a first parentless task out of
    # sequence with the last one of an earlier block
    with_missing_candidates: set[int] = factory(set)  # missing-requirements candidates

    @classmethod
    def of(cls, blks: Sequence[Block]) -> FileIndexes:
        """The indexes of a whole list of blocks (what counting each in would give, counted
        at C speed: a document opens with thousands of blocks)."""
        ix = cls()
        ids, defining, needing, both, covering, done = (Counter[str]() for _ in range(6))
        last_in: dict[tuple[Any, ...], int] = {}
        for j, b in enumerate(blks):
            ids.update(b.ids)
            defining.update(b.id_set)
            needing.update(b.need)
            both.update(b.both)
            covering.update(b.covered)
            for glyph, n in b.done:
                done[glyph] += n
            ix.whole_spec_blocks += b.whole
            ix.citing_blocks += b.cites
            ix.deps_blocks += b.deps
            ix.mark(j, b)
            for g, t in b.first.items():
                i = last_in.get(g)
                if i is not None and out_of_sequence(blks[i].last_of[g], t):
                    ix.out_of_sequence.add(j)
            for g in b.last_of:
                last_in[g] = j
        ix.task_id_counts = dict(ids)
        ix.duplicate_ids = {x for x, c in ids.items() if c > 1}
        ix.defining_blocks = dict(defining)
        ix.needing_blocks = dict(needing)
        ix.defining_and_needing_blocks = dict(both)
        ix.covering_blocks = dict(covering)
        ix.done_glyphs = {g: n for g, n in done.items() if n > 0}
        ix.suspect_ids = {
            x
            for x, n in needing.items()
            if defining.get(x, 0) and not (defining[x] == 1 and n == 1 and both.get(x) == 1)
        }
        return ix

    def count(self, b: Block, sign: int) -> bool:
        """Count block `b` in (sign 1) or out (sign -1); whether an ID joined or left the
        covered ones (`covering_blocks`' keys)."""
        idc, dups = self.task_id_counts, self.duplicate_ids
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
        defining, needing, both = self.defining_blocks, self.needing_blocks, self.defining_and_needing_blocks
        for counts, keys in (
            (defining, b.id_set),
            (needing, b.need),
            (both, b.both),
        ):
            for x in keys:
                _add(counts, x, sign)
        covering, before = self.covering_blocks, len(self.covering_blocks)
        for x in b.covered:
            _add(covering, x, sign)
        for x in b.id_set | b.need:
            d, n = defining.get(x, 0), needing.get(x, 0)
            if d and n and not (d == 1 and n == 1 and both.get(x, 0) == 1):
                self.suspect_ids.add(x)
            else:
                self.suspect_ids.discard(x)
        self.whole_spec_blocks += sign if b.whole else 0
        self.citing_blocks += sign if b.cites else 0
        self.deps_blocks += sign if b.deps else 0
        for glyph, n in b.done:
            _add(self.done_glyphs, glyph, sign * n)
        return len(covering) != before  # a block adds or removes only: the keys changed

    def mark(self, j: int, b: Block) -> None:
        """Note which of the position marks block `b`, at position `j`, carries."""
        for marks, on in (
            (self.with_local_findings, b.local),
            (self.with_inner_order_findings, b.inner),
            (self.with_orphans, b.orphans),
            (self.with_missing_candidates, b.missing or b.loose),
        ):
            if on:
                marks.add(j)
            else:
                marks.discard(j)

    def mark_sequence(self, j: int, blks: Sequence[Block]) -> None:
        """Whether the block at `j` starts a sequence group out of order with an earlier block."""
        for g, t in blks[j].first.items():
            i = previous_in_group(blks, j, g)
            if i is not None and out_of_sequence(blks[i].last_of[g], t):
                self.out_of_sequence.add(j)
                return
        self.out_of_sequence.discard(j)

    def splice(self, i: int, k: int, m: int) -> None:
        """The blocks at positions [i, k) were replaced by `m` blocks: drop their marks and move
        the marks after them."""
        shift = m - (k - i)
        for marks in (
            self.with_local_findings,
            self.with_inner_order_findings,
            self.with_orphans,
            self.out_of_sequence,
            self.with_missing_candidates,
        ):
            if marks:
                moved = {j if j < i else j + shift for j in marks if not i <= j < k}
                marks.clear()
                marks.update(moved)

    def done_habit(self) -> str | None:
        """The most used done glyph, a tie going to the one that sorts first (X)."""
        if not self.done_glyphs:
            return None
        return max(sorted(self.done_glyphs), key=self.done_glyphs.__getitem__)


def previous_in_group(blks: Sequence[Block], j: int, g: tuple[Any, ...]) -> int | None:
    """The last block before position `j` with a parentless task of sequence group `g`."""
    for i in range(j - 1, -1, -1):
        if g in blks[i].last_of:
            return i
    return None


def next_in_group(blks: Sequence[Block], j: int, g: tuple[Any, ...]) -> int | None:
    """The first block at or after position `j` with a parentless task of sequence group `g`."""
    for i in range(j, len(blks)):
        if g in blks[i].first:
            return i
    return None

"""TasksAnalyzer: the blocks of one open tasks document kept between versions, re-cut around
each edit (partition.py), parsed and checked per block (block.py), with file-wide indexes
(indexes.py) from which the checks that compare IDs across the file are answered."""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import itertools
import operator
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress
from typing import Any, NamedTuple, TypeVar, cast

from ..checks import (
    RULES,
    CheckContext,
    Rule,
    duplicate_task_id,
    malformed_reference,
    missing_requirements,
    run_checks,
    task_order,
    unknown_requirement,
)
from ..closest import JUNK_FROM, matching_characters
from ..config import Config
from ..coverage import Coverage, Resolver, compute_coverage, task_ref_items
from ..document import Lines, common_ends
from ..ids import parent_id
from ..model import (
    Finding,
    Heading,
    RefKind,
    Related,
    Requirement,
    RequirementsDoc,
    Severity,
    Task,
    TasksDoc,
)
from ..requirements import unrecognised_definitions
from ..tasks import glyph_key
from .block import Block, check_block, local_rules, shape_block
from .indexes import FileIndexes, next_in_group, previous_in_group
from .merge import (
    place_tasks,
    placed_coverage,
    shift_bad_checkboxes,
    shift_finding,
    shift_headings,
    shift_tasks,
)
from .partition import START, ChunkInfo, PartitionState, Region, chunk_info, repartition
from .scopes import DEPS_CODES

_P = TypeVar("_P")

# whether a requirements document's index entry (its type) is a requirement (else a criterion)
_IS_REQUIREMENT = functools.partial(operator.is_, Requirement)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a whole document's objects are made.

    Every object the analysis of a whole document makes (a task, a reference, a span … several
    per line) outlives it, so the collector would only scan them again and again while they
    pile up (a third of the time of opening a 100,000-line plan). Afterwards they go straight
    to the oldest generation (gc.freeze then gc.unfreeze: list moves, no scan; else the first
    young collection would scan them all once), where full collections see them as usual."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


class _Inputs(NamedTuple):
    """What an analysis reads besides the document's lines."""

    cfg: Config
    flavor: str
    req_doc: RequirementsDoc | None
    resolver: Resolver


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
        # memos, least recently used out first (_put)
        # (chunk, code, glyphs, labels) → ChunkInfo
        self._chunk_memo: OrderedDict[Any, Any] = OrderedDict()
        # (lines, section, code, cfg, flavor, requirements token) → (Block, None)
        self._block_memo: OrderedDict[Any, Any] = OrderedDict()
        # (lines, section, code, cfg, flavor) → the block's shape (shape_block)
        self._shape_memo: OrderedDict[Any, Any] = OrderedDict()
        self._cache_size = cache_size
        # (cfg, flavor, requirements token) of the structures
        self._ctx: tuple[Config, str, int] | None = None
        self._lines: Sequence[str] | None = None  # a tuple or a document.Lines
        self._starts: list[int] = []
        self._blks: list[Block] = []
        self._states: list[PartitionState] = []
        self._ok = False  # the last analyze() gave a result
        # id(block) → (block, its start, {kind ("local", "missing" …): its findings moved there})
        self._moved: dict[int, tuple[Block, int, dict[str, tuple[Finding, ...]]]] = {}
        # what blocks read of a requirements document → token
        self._req_tokens: dict[tuple[Any, ...], int] = {}
        self._req_seen: tuple[RequirementsDoc | None, int] | None = None  # (requirements document, its token)
        self._req_sigs: dict[int, tuple[Any, ...]] = {}  # token → what it stands for
        self._last_resolver: Resolver | None = None  # the resolver of the last analysis
        self._parses = 0  # bumped whenever the blocks' parses may have changed (merged_doc)
        # merged_doc / whole_doc → (the version's key: _version_key, their last answer)
        self._of_last: dict[str, tuple[tuple[Sequence[str], str, int], TasksDoc]] = {}
        self._cited: dict[
            int, tuple[Block, tuple[frozenset[str], frozenset[str]] | None]
        ] = {}  # block id → its cited IDs
        # _citing_index: the blocks it was made of, and its three parts
        self._citing_blocks: list[Block] = []
        self._by_id: dict[str, set[int]] = {}
        self._by_upper: dict[str, set[int]] = {}
        self._irregular: set[int] = set()
        # (finding id, span) → (finding, the finding re-spanned)
        self._respanned: dict[tuple[int, Any], tuple[Finding, Finding]] = {}
        self._req_next = itertools.count()
        # (text, config, flavor) → execution-order findings
        self._deps_memo: tuple[tuple[Any, ...], list[Finding]] | None = None
        # (block's doc id, start, first index) → (block's doc, (its shifted tasks, its shifted headings))
        self._merged_memo: dict[tuple[int, int, int], tuple[TasksDoc, tuple[list[Task], list[Heading]]]] = {}
        # (block docs, starts, first task indices, the answer, first heading and bad checkbox
        # indices) whole_doc's last answer was made from
        self._whole_prev: (
            tuple[list[TasksDoc], list[int], list[int], TasksDoc, list[int], list[int]] | None
        ) = None
        # coverage's last answer: (blocks, first task indices, their coverages, the answer)
        self._cov_prev: tuple[list[Block], list[int], list[Coverage], Coverage] | None = None
        self.indexes = FileIndexes()
        self._covered: tuple[FileIndexes, frozenset[str]] | None = None  # _covered_ids' last answer
        self._covered_moved = False  # an ID joined or left the indexes' covered ones since
        self._rules: tuple[Config, list[tuple[Rule, Severity]]] | None = None  # local_rules of a config
        self.blocks_parsed = 0  # blocks parsed (not found in the memo) since the engine was made
        self.blocks_checked = 0  # blocks checked against a requirements document, likewise

    # ---- views -------------------------------------------------------------------------------
    @property
    def last(self) -> list[Placed]:
        """The blocks of the last analysed version (empty when it fell back)."""
        if not self._ok or self._lines is None:
            return []
        ends = self._starts[1:] + [len(self._lines)]
        return [Placed(s, e, b) for s, e, b in zip(self._starts, ends, self._blks, strict=False)]

    @property
    def last_ok(self) -> bool:
        """Whether the last analyze() gave a result (else the caller used the whole document)."""
        return self._ok

    @property
    def starts(self) -> tuple[int, ...]:
        """The block starts of the last analysed version (also when it fell back)."""
        return tuple(self._starts)

    @property
    def states(self) -> tuple[PartitionState, ...]:
        """The partition state at each block start."""
        return tuple(self._states)

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The blocks, parsed on their own (lines relative to their starts)."""
        return tuple(self._blks)

    def done_habit(self) -> str | None:
        """features.toggle.done_habit over the whole document, from the index: the most used
        done glyph, a tie going to the one that sorts first (X)."""
        return self.indexes.done_habit()

    def block_at(self, line: int) -> Placed | None:
        if not self._ok or not self._starts or self._lines is None:
            return None
        j = bisect.bisect_right(self._starts, line) - 1
        if j < 0:
            return None
        end = self._starts[j + 1] if j + 1 < len(self._starts) else len(self._lines)
        return Placed(self._starts[j], end, self._blks[j]) if line < end else None

    def partition(self, lines: Sequence[str], cfg: Config) -> list[tuple[int, int, str | None]]:
        """Block ranges [start, end) with the section heading in force at each start (from scratch)."""
        regions = self._repartition(tuple(lines), 0, START, len(lines), 0, cfg)[0] or []
        return [(a, b, state.section) for a, b, state, _code in regions]

    # ---- memos -------------------------------------------------------------------------------
    def _put(self, cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
        """Memoise, least recently used out first: at most `cache_size` entries, or two per
        block of the document when it has more (its own blocks, and the versions edits and
        undos go back and forth between). About 6 KB an entry: bounded memory."""
        cache[key] = value
        if len(cache) > max(self._cache_size, 2 * len(self._starts)):
            cache.popitem(last=False)

    @staticmethod
    def _get(cache: OrderedDict[Any, Any], key: Any) -> Any:
        """The memoised value of `key` (marked recently used), or None."""
        hit = cache.get(key)
        if hit is not None:
            cache.move_to_end(key)
        return hit

    def _chunk_info(
        self, chunk: tuple[str, ...], code: frozenset[int], glyphs: str, labels: tuple[str, ...]
    ) -> ChunkInfo:
        key = (chunk, code, glyphs, labels)
        hit: ChunkInfo | None = self._get(self._chunk_memo, key)
        if hit is not None:
            return hit
        out = chunk_info(chunk, code, glyphs, labels)
        self._put(self._chunk_memo, key, out)
        return out

    def _repartition(
        self,
        lines: tuple[str, ...],
        begin: int,
        state: PartitionState,
        unchanged: int,
        delta: int,
        cfg: Config,
        memoise: bool = True,
    ) -> tuple[list[Region] | None, int]:
        """partition.repartition against the current blocks, chunk infos memoised (not for a
        whole document: an edit re-reads a few chunks, each in microseconds)."""
        glyphs, labels = glyph_key(cfg), cfg.reference_labels

        def info_of(chunk: tuple[str, ...], code: frozenset[int]) -> ChunkInfo:
            if memoise:
                return self._chunk_info(chunk, code, glyphs, labels)
            return chunk_info(chunk, code, glyphs, labels)

        return repartition(lines, begin, state, unchanged, delta, self._starts, self._states, info_of)

    def _requirements_token(self, req_doc: RequirementsDoc | None) -> int:
        """A small number for what a block's analysis reads of the requirements document: its
        path, its IDs in order with their kinds, the example ID a missing-reference finding
        suggests, its section names (a reference by name, malformed-reference). Typing in a requirement or a criterion keeps it, so no block of tasks.md is
        analysed again; a new or removed ID changes it. Where the IDs are (their spans) is read
        by one thing only, the "did you mean" location of unknown-requirement findings, and
        `_respan` sets that at the end of each analysis."""
        seen = self._req_seen
        if seen is not None and seen[0] is req_doc:
            return seen[1]
        if req_doc is None:
            sig: tuple[Any, ...] = (None,)
        else:
            index = req_doc.index()
            first = req_doc.requirements[0] if req_doc.requirements else None
            example = (first.criteria[0].id if first.criteria else first.id) if first else None
            # the IDs written in shapes the parser does not read: unknown-requirement skips them
            unread = tuple(i for _n, i, _s in unrecognised_definitions(req_doc))
            # the section names a reference by name may cite (malformed-reference)
            sections = malformed_reference.section_names(req_doc)
            # the IDs, and those of them that are requirements (the others are criteria), made
            # at C speed: no tuple per ID (each would be a young object for the collector)
            requirements = frozenset(compress(index, map(_IS_REQUIREMENT, map(type, index.values()))))
            sig = (req_doc.path, example, tuple(index), requirements, unread, sections)
        token = self._req_tokens.get(sig)
        if token is None:
            if len(self._req_tokens) >= 64:
                self._req_tokens.clear()
                self._req_sigs.clear()
            token = self._req_tokens[sig] = next(self._req_next)  # never reused
            self._req_sigs[token] = sig
        self._req_seen = (req_doc, token)
        return token

    def _recheck(self, inputs: _Inputs, old: int, new: int) -> bool:
        """The requirements document changed what blocks read of it (token `old` → `new`): check
        again only the blocks whose reading of it changed, in place (the document's lines as
        last analysed). False when that cannot be told block by block (then everything is
        rebuilt): more changed than IDs and their kinds and the missing-reference example (the
        path, the IDs in unread shapes, the section names, whether it defines anything).

        A block is kept when every reference item of its tasks is a single ID (no range, "All",
        name or free text) and: a known ID still resolves to the same target; an unknown one is
        still unknown, its parent and that parent's criteria are unchanged, none of its
        unknown-requirement findings' suggestions changed, and no new ID is close enough to
        it to be suggested (difflib's cutoff, as Resolver.suggestions); and, when the example
        a missing-reference finding suggests changed, it has no such finding."""
        before, after = self._req_sigs.get(old), self._req_sigs.get(new)
        old_resolver = self._last_resolver
        if (
            before is None
            or after is None
            or old_resolver is None
            or before[0] is None
            or after[0] is None
            or before[0] != after[0]
            or before[4:] != after[4:]
            or bool(before[2]) != bool(after[2])
            or self._lines is None
        ):
            return False
        resolver = inputs.resolver
        was, now = old_resolver.index, resolver.index
        if len(old_resolver.upper) != len(was) or len(resolver.upper) != len(now):
            return False  # IDs that differ only in case: which one a lookup finds is too subtle
        # the IDs defined on one side only or with another kind: a requirement on one side
        # only (the signatures hold each index's IDs and its requirements' IDs)
        changed = was.keys() ^ now.keys()
        changed |= before[3] ^ after[3]
        changed_upper = {k.upper() for k in changed}
        parents_upper = {p.upper() for k in changed if (p := parent_id(k)) is not None}
        added = [k for k in changed if k in now]
        lines, starts, blks, ix = self._lines, self._starts, self._blks, self.indexes
        # the blocks that could read differently: those citing a changed ID, an ID the old
        # document did not define, or anything but single IDs, and (when the example a
        # missing-reference finding suggests, the first requirement's first ID, changed)
        # those with such findings; every other block cites only IDs defined before and
        # after, unchanged (what _still_reads_the_same says of it first)
        by_id, by_upper, irregular = self._citing_index()
        suspects = set(irregular)
        for k in changed_upper:
            suspects.update(by_upper.get(k, ()))
        for k in by_id.keys() - was.keys():
            suspects.update(by_id[k])
        example_changed = before[1] != after[1]
        if example_changed:
            suspects.update(ix.with_missing_candidates)
        for j in sorted(suspects):
            b = blks[j]
            if not (example_changed and (b.missing or b.loose)) and self._still_reads_the_same(
                b, old_resolver, changed_upper, parents_upper, added
            ):
                continue
            end = starts[j + 1] if j + 1 < len(starts) else len(lines)
            nb = self._block(tuple(lines[starts[j] : end]), self._states[j].section, b.code, inputs)
            self._covered_moved |= ix.count(b, -1)
            self._covered_moved |= ix.count(nb, 1)
            blks[j] = nb
            ix.mark(j, nb)
            self._cite(j, b, -1)
            self._cite(j, nb, 1)
        self._citing_blocks = list(blks)
        return True

    def _citing_index(self) -> tuple[dict[str, set[int]], dict[str, set[int]], set[int]]:
        """(cited ID → positions of the blocks citing it, the same by upper-cased ID, positions
        of the blocks citing anything but single IDs), kept while the blocks are those _recheck
        last left (a tasks.md edit in between: made again, from the blocks' memoised IDs)."""
        if self._citing_blocks != self._blks:  # Blocks compare by identity
            self._by_id, self._by_upper, self._irregular = {}, {}, set()
            for j, b in enumerate(self._blks):
                self._cite(j, b, 1)
            self._citing_blocks = list(self._blks)
        return self._by_id, self._by_upper, self._irregular

    def _cite(self, j: int, b: Block, sign: int) -> None:
        """Count block `b`, at position `j`, in (sign 1) or out (sign -1) of _citing_index."""
        found = self._cited_ids(b)
        if found is None:
            if sign > 0:
                self._irregular.add(j)
            else:
                self._irregular.discard(j)
            return
        for ids, index in ((found[0], self._by_id), (found[1], self._by_upper)):
            for k in ids:
                at = index.get(k)
                if sign > 0:
                    if at is None:
                        at = index[k] = set()
                    at.add(j)
                elif at is not None:
                    at.discard(j)
                    if not at:
                        del index[k]

    def _still_reads_the_same(
        self,
        b: Block,
        old_resolver: Resolver,
        changed_upper: set[str],
        parents_upper: set[str],
        added: list[str],
    ) -> bool:
        found = self._cited_ids(b)
        if found is None:
            return False
        cited, cited_upper = found
        if cited_upper.isdisjoint(changed_upper) and old_resolver.index.keys() >= cited:
            return True  # only known IDs, none of them changed
        for k in cited:
            ku = k.upper()
            if ku in changed_upper:
                return False
            if old_resolver.lookup(k) is not None:
                continue  # known before and after, to the same target
            p = parent_id(k)
            if p is not None and (p.upper() in changed_upper or p.upper() in parents_upper):
                return False  # its sibling suggestions may differ
            suggested = [
                f.data.get("suggestions") or []
                for f in b.local
                if f.code == unknown_requirement.CODE and f.data and f.data.get("id") == k
            ]
            if not suggested:
                return False  # not reported (an unread shape, a severity): do not guess why
            if any(s.upper() in changed_upper for sugg in suggested for s in sugg):
                return False
            if any(_close(k, c) for c in added):
                return False
        return True

    def _cited_ids(self, b: Block) -> tuple[frozenset[str], frozenset[str]] | None:
        """The IDs block `b`'s tasks cite (and upper-cased), or None when one of its reference
        items is not a single ID (a range, "All", a name, free text)."""
        hit = self._cited.get(id(b))
        if hit is not None and hit[0] is b:
            return hit[1]
        out: list[str] | None = []
        for t in b.doc.tasks:
            if not t.refs and not t.story:
                continue
            for item in task_ref_items(t):
                if item.kind is not RefKind.ID or not item.start:
                    out = None
                    break
                assert out is not None
                out.append(item.start)
            if out is None:
                break
        if len(self._cited) >= 4 * max(self._cache_size, len(self._blks)):
            self._cited.clear()
        found = (frozenset(out), frozenset(k.upper() for k in out)) if out is not None else None
        self._cited[id(b)] = (b, found)
        return found

    def _block(
        self,
        lines: tuple[str, ...],
        section: str | None,
        code: frozenset[int],
        inputs: _Inputs,
    ) -> Block:
        cfg, flavor, req_doc, resolver = inputs
        key = (lines, section, code, id(cfg), flavor, self._requirements_token(req_doc))
        hit = self._get(self._block_memo, key)
        if hit is not None:
            block: Block = hit[0]
            return block
        rules = self._rules
        if rules is None or rules[0] is not cfg:
            rules = self._rules = (cfg, local_rules(cfg))
        block = check_block(
            self._shape(lines, section, code, cfg, flavor),
            self.path,
            cfg,
            flavor,
            req_doc,
            resolver,
            rules[1],
        )
        self.blocks_checked += 1
        self._put(self._block_memo, key, (block, None))
        return block

    def _shape(
        self, lines: tuple[str, ...], section: str | None, code: frozenset[int], cfg: Config, flavor: str
    ) -> Block:
        key = (lines, section, code, id(cfg), flavor)
        hit: Block | None = self._get(self._shape_memo, key)
        if hit is not None:
            return hit
        shape = shape_block(lines, section, code, self.path, cfg, flavor)
        self.blocks_parsed += 1
        self._put(self._shape_memo, key, shape)
        return shape

    # ---- versions ------------------------------------------------------------------------------
    def _rebuild(
        self,
        lines: Sequence[str],
        inputs: _Inputs,
    ) -> None:
        """Cut and analyse the whole document (the collector paused: collector_paused)."""
        with collector_paused():
            self._starts, self._blks, self._states = [], [], []
            flat = lines if isinstance(lines, tuple) else tuple(lines)  # a whole scan: index a tuple
            regions = self._repartition(flat, 0, START, len(flat), 0, inputs.cfg, memoise=False)[0] or []
            self._starts = [r[0] for r in regions]
            self._states = [r[2] for r in regions]
            self._blks = [self._block(flat[a:b], s.section, code, inputs) for a, b, s, code in regions]
            self.indexes = FileIndexes.of(self._blks)
            self._lines = lines  # a Lines compares with its next version by chunk
            self._parses += 1

    def _update(
        self,
        lines: Sequence[str],
        inputs: _Inputs,
    ) -> None:
        old = self._lines
        assert old is not None
        new = cast("tuple[str, ...]", lines)  # a tuple or a Lines, whose slices are tuples
        p, s = common_ends(old, new)
        if p == len(old) == len(new):
            self._lines = new
            return
        delta = len(new) - len(old)
        starts = self._starts
        # from the block before the one holding the line before the change: whether that
        # block still starts a block is decided by the chunks before it
        i = max(0, bisect.bisect_right(starts, max(0, p - 1)) - 2)
        regions, k = self._repartition(new, starts[i], self._states[i], len(new) - s, delta, inputs.cfg)
        if regions is None:
            self._rebuild(new, inputs)
            return
        added = [self._block(new[a:b], st.section, code, inputs) for a, b, st, code in regions]
        removed = self._blks[i:k]
        m = len(added)
        ix = self.indexes
        for b in removed:
            self._covered_moved |= ix.count(b, -1)
        for b in added:
            self._covered_moved |= ix.count(b, 1)
        starts[i:k] = [r[0] for r in regions]
        if delta:
            starts[i + m :] = [x + delta for x in starts[i + m :]]
        self._blks[i:k] = added
        self._states[i:k] = [r[2] for r in regions]
        ix.splice(i, k, m)
        blks = self._blks
        for j in range(i, i + m):
            ix.mark(j, blks[j])
            ix.mark_sequence(j, blks)
        groups: set[tuple[Any, ...]] = set()
        for b in removed:
            groups.update(b.first)
        for b in added:
            groups.update(b.first)
        for g in groups:
            at = next_in_group(blks, i + m, g)
            if at is not None:
                ix.mark_sequence(at, blks)
        self._lines = new
        self._parses += 1

    def _valid(self) -> bool:
        """No block's sub-task attaches to a task of an earlier block, and no sub-task ID occurs
        in another block (only a whole parse is exact then). The indexes say when that cannot
        happen; the exact answer walks the blocks."""
        if not self.indexes.suspect_ids:
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
    def _gather(self, positions: Iterable[int], *kinds: tuple[str, list[Finding]]) -> None:
        """For each (kind, out) of `kinds`: the findings of that kind of the blocks at
        `positions` moved to their starts, appended to `out` in block order. Each block's moved
        findings are kept while it stays at its start (`_moved`), so a block that neither
        changed nor moved costs one lookup (an edit gathers every block with findings,
        hundreds in a large plan)."""
        blks, starts, kept = self._blks, self._starts, self._moved
        for j in positions:
            block = blks[j]
            hit = None
            for what, out in kinds:
                mine: tuple[Finding, ...] = getattr(block, what)
                if not mine:
                    continue
                if hit is None:
                    start = starts[j]
                    hit = kept.get(id(block))
                    if hit is None or hit[0] is not block or hit[1] != start:
                        hit = kept[id(block)] = (block, start, {})  # the block keeps its id valid
                moved = hit[2].get(what)
                if moved is None:
                    moved = hit[2][what] = tuple([shift_finding(f, hit[1]) for f in mine])
                out.extend(moved)

    def _forget_moved(self) -> None:
        """Drop the moved findings of blocks no longer in the document (when they pile up)."""
        if len(self._moved) > 2 * len(self._blks) + 64:
            current = {id(b): b for b in self._blks}
            self._moved = {k: v for k, v in self._moved.items() if current.get(k) is v[0]}

    def analyze(
        self,
        lines: Sequence[str],
        cfg: Config,
        flavor: str,
        req_doc: RequirementsDoc | None,
        resolver: Resolver,
    ) -> tuple[list[Finding], frozenset[str], bool] | None:
        """(findings of this document, covered IDs, whole-spec flag), or None to fall back."""
        self._ok = False
        if flavor == "spec-kit":
            return None  # story phases depend on the whole heading hierarchy
        if not isinstance(lines, (tuple, Lines)):
            lines = tuple(lines)
        if lines and lines[0].startswith("\ufeff"):
            return None
        ctx = (cfg, flavor, self._requirements_token(req_doc))
        prev, self._ctx = self._ctx, ctx
        inputs = _Inputs(cfg, flavor, req_doc, resolver)
        if (
            self._lines is None
            or prev is None
            or prev[:2] != ctx[:2]
            or (prev[2] != ctx[2] and not self._recheck(inputs, prev[2], ctx[2]))
        ):
            self._rebuild(lines, inputs)
        else:
            self._update(lines, inputs)
        self._last_resolver = resolver
        if not self._valid():
            return None  # a parent (or a sub-task ID) of another block: only a whole parse is exact
        if flavor == "kiro" and _looks_like_spec_kit(self._blks):
            return None  # analysis.detect_flavor would switch to spec-kit
        self._ok = True
        path, starts, blks, ix = self.path, self._starts, self._blks, self.indexes
        findings: list[Finding] = []
        self._forget_moved()
        self._gather(ix.with_local_findings, ("local", findings))
        if ix.with_missing_candidates:
            # missing-requirements: the file-wide rules over every block's candidates
            missing: list[Finding] = []
            loose: list[Finding] = []
            self._gather(ix.with_missing_candidates, ("missing", missing), ("loose", loose))
            findings.extend(
                missing_requirements.finish(missing, loose, bool(ix.task_id_counts), ix.citing_blocks > 0)
            )
        # the checks that compare IDs across the file, from the indexes
        severity = cfg.severity_of(duplicate_task_id.CODE, RULES[duplicate_task_id.CODE].default)
        dups = ix.duplicate_ids
        if severity is not None and dups:
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
            orphans = [(starts[j], t) for j in ix.with_orphans for t in blks[j].orphans]
            if dups:
                # a repeated ID is skipped in its sequence: walk the whole sequence
                parentless = [(starts[j], t) for j, b in enumerate(blks) for t in b.parentless]
                order.extend(task_order.global_findings(path, parentless, orphans, ix.task_id_counts))
            else:
                order.extend(task_order.global_findings(path, [], orphans, ix.task_id_counts))
                self._gather(ix.with_inner_order_findings, ("inner", order))
                for j in ix.out_of_sequence:
                    b = blks[j]
                    for g, t in b.first.items():
                        i = previous_in_group(blks, j, g)
                        if i is not None:
                            order.extend(
                                task_order.sequence_findings(
                                    path, [(starts[i], blks[i].last_of[g]), (starts[j], t)], set()
                                )
                            )
            findings.extend(f._replace(severity=severity) for f in order)
        if ix.deps_blocks:
            findings.extend(self._deps_findings(lines, inputs))
        if req_doc is not None:
            findings = self._respan(findings, req_doc, resolver)
        findings.sort(key=Finding.sort_key)
        return findings, self._covered_ids(), ix.whole_spec_blocks > 0

    def _covered_ids(self) -> frozenset[str]:
        """The requirement IDs the document covers: the same object while no ID joined or
        left the index (the state compares it with the last one before re-running the
        spec-wide checks)."""
        ix, last = self.indexes, self._covered
        if last is not None and last[0] is ix and not self._covered_moved:
            return last[1]
        ids = frozenset(ix.covering_blocks)
        self._covered, self._covered_moved = (ix, ids), False
        return ids

    def _deps_findings(
        self,
        lines: Sequence[str],
        inputs: _Inputs,
    ) -> list[Finding]:
        """The execution-order checks over the whole document, read from the blocks put back
        together (`_merged`: no re-parse); memoised for the last text."""
        cfg, flavor, req_doc, resolver = inputs
        key = (tuple(self._starts), tuple(b.signature() for b in self._blks), id(cfg), flavor)
        hit = self._deps_memo
        if hit is not None and hit[0] == key:
            return hit[1]
        doc = self._merged(tuple(lines), flavor)
        ctx = CheckContext(cfg, flavor, [doc], req_doc, resolver)
        out: list[Finding] = run_checks(ctx, within=DEPS_CODES)
        self._deps_memo = (key, out)
        return out

    def merged_doc(self) -> TasksDoc | None:
        """The last analysed version as one TasksDoc put together from the blocks (tasks,
        hierarchy, `_Depends:` lines, headings; not its requirement references), or None when
        that analysis fell back. Cheap: shifted blocks are kept (see `_merged`)."""
        return self._of_last_version("merged", lambda lines, flavor: self._merged(tuple(lines), flavor))

    def _of_last_version(self, what: str, build: Callable[[Sequence[str], str], TasksDoc]) -> TasksDoc | None:
        """`build(lines, flavor)` of the last analysed version, kept under `what` while the
        version and its parses are the same (a requirements edit re-checks, never re-parses);
        None when that analysis fell back."""
        if not self._ok or self._lines is None or self._ctx is None:
            return None
        key = (self._lines, self._ctx[1], self._parses)
        last = self._of_last.get(what)
        if last is not None and last[0][0] is key[0] and last[0][1:] == key[1:]:
            return last[1]
        doc = build(key[0], key[1])
        self._of_last[what] = (key, doc)
        return doc

    def _place_blocks(
        self,
        memo: dict[tuple[int, int, int], tuple[TasksDoc, _P]],
        place: Callable[[TasksDoc, int, int], _P],
    ) -> tuple[dict[tuple[int, int, int], tuple[TasksDoc, _P]], list[_P]]:
        """`place(block's doc, start line, first task index)` for each block in order, and the
        memo for the next call. A block's result is kept while its place (start line, first
        task index) stays, so an edit re-places only what moved."""
        fresh: dict[tuple[int, int, int], tuple[TasksDoc, _P]] = {}
        out: list[_P] = []
        first = 0
        # the first call for a document copies every task: kept, like the blocks
        with collector_paused() if not memo else contextlib.nullcontext():
            for start, b in zip(self._starts, self._blks, strict=False):
                # on the parse, not the block: a block checked again (requirements changed) keeps it
                key = (id(b.doc), start, first)
                got = memo.get(key)
                if got is None:
                    got = (b.doc, place(b.doc, start, first))  # the doc keeps its id valid
                fresh[key] = got
                out.append(got[1])
                first += len(b.doc.tasks)
        return fresh, out

    def whole_doc(self) -> TasksDoc | None:
        """The last analysed version as the TasksDoc `tasks.parse_tasks` gives for the whole
        text (tasks with every span, requirement references and `_Depends:` items included,
        in document coordinates; headings; bad checkboxes), put together from the blocks, or
        None when that analysis fell back. Made from the previous answer: the blocks that
        kept their parse and place (start line, first task index) at both ends are sliced
        from it, only the ones between are placed again."""
        return self._of_last_version("whole", self._whole)

    def _whole(self, lines: Sequence[str], flavor: str) -> TasksDoc:
        docs = [b.doc for b in self._blks]
        starts = list(self._starts)
        bases = list(itertools.accumulate((len(d.tasks) for d in docs), initial=0))
        prev = self._whole_prev
        if prev is None or prev[3].flavor != flavor:
            p = s = 0
            prev_docs: list[TasksDoc] = []
        else:
            prev_docs, prev_starts, prev_bases, prev_doc, prev_heads, prev_bad = prev
            p, s = _common_ends(prev_docs, prev_starts, prev_bases, docs, starts, bases)
        tasks: list[Task] = []
        headings: list[Heading] = []
        bad: list[Any] = []
        # the first call copies every task, and a line inserted or deleted every task below
        # it: they are kept, like the blocks, so the collector is paused (collector_paused);
        # a keystroke re-places a block or two, left to the collector as usual
        many = bases[len(docs) - s] - bases[p] > 1000
        with collector_paused() if many else contextlib.nullcontext():
            for j in range(p, len(docs) - s):
                d, start = docs[j], starts[j]
                tasks.extend(place_tasks(d.tasks, start, bases[j]))
                headings.extend(shift_headings(d.headings, start))
                bad.extend(shift_bad_checkboxes(d.bad_checkboxes, start))
        heads = list(itertools.accumulate((len(d.headings) for d in docs), initial=0))
        bads = list(itertools.accumulate((len(d.bad_checkboxes) for d in docs), initial=0))
        if p or s:
            n = len(prev_docs)
            tasks = prev_doc.tasks[: prev_bases[p]] + tasks + prev_doc.tasks[prev_bases[n - s] :]
            headings = prev_doc.headings[: prev_heads[p]] + headings + prev_doc.headings[prev_heads[n - s] :]
            bad = prev_doc.bad_checkboxes[: prev_bad[p]] + bad + prev_doc.bad_checkboxes[prev_bad[n - s] :]
        doc = TasksDoc(self.path, list(lines), tasks, bad, headings, flavor)
        self._whole_prev = (docs, starts, bases, doc, heads, bads)
        return doc

    def coverage(self) -> Coverage | None:
        """The last analysed version's coverage with task indices, as
        `coverage.compute_coverage` gives it for `whole_doc()` (and the requirements of the
        last analysis), or None when that analysis fell back. Made from the previous answer:
        only the IDs covered in the blocks that changed (or whose first task index moved) are
        written again."""
        resolver = self._last_resolver
        if not self._ok or resolver is None:
            return None
        blks = list(self._blks)
        bases = list(itertools.accumulate((len(b.doc.tasks) for b in blks), initial=0))
        prev = self._cov_prev
        if (
            prev is not None
            and len(prev[0]) == len(blks)
            and prev[1] == bases
            and all(x is y for x, y in zip(prev[0], blks, strict=True))
        ):
            return prev[3]
        if prev is None:
            p = s = 0
            prev_blks: list[Block] = []
            prev_bases: list[int] = [0]
            prev_covs: list[Coverage] = []
            old = Coverage()
        else:
            prev_blks, prev_bases, prev_covs, old = prev
            p, s = _common_ends(prev_blks, prev_bases, prev_bases, blks, bases, bases)
        n_old, n = len(prev_blks), len(blks)
        known = {id(b): c for b, c in zip(prev_blks[p : n_old - s], prev_covs[p : n_old - s], strict=True)}
        mid = [
            c if (c := known.get(id(b))) is not None else compute_coverage([b.doc], resolver)[self.path]
            for b in blks[p : n - s]
        ]
        covs = prev_covs[:p] + mid + prev_covs[n_old - s :]
        lo, hi = bases[p], prev_bases[n_old - s]
        adds: dict[str, list[int]] = {}
        spec: list[int] = []
        for j, cov in enumerate(mid, p):
            if cov.by_id or cov.whole_spec:
                pairs, whole = placed_coverage(cov, bases[j])
                for k, v in pairs:
                    adds.setdefault(k, []).extend(v)
                spec.extend(whole)
        touched = set(adds).union(*(c.by_id for c in prev_covs[p : n_old - s]))
        by_id = dict(old.by_id)
        for k in touched:
            lst = _spliced(old.by_id.get(k, []), lo, hi, adds.get(k, []))
            if lst:
                by_id[k] = lst
            else:
                by_id.pop(k, None)
        out = Coverage(by_id, _spliced(old.whole_spec, lo, hi, spec))
        self._cov_prev = (blks, bases, covs, out)
        return out

    def _merged(self, text: tuple[str, ...], flavor: str) -> TasksDoc:
        """The whole document's TasksDoc as far as the execution-order checks read it (tasks
        with their lines, spans, status, hierarchy and `_Depends:` lines; headings), from the
        blocks shifted to their place (kept per block: `_place_blocks`)."""
        self._merged_memo, parts = self._place_blocks(
            self._merged_memo,
            lambda doc, start, first: (
                shift_tasks(doc.tasks, start, first),
                shift_headings(doc.headings, start),
            ),
        )
        tasks: list[Task] = []
        headings: list[Heading] = []
        for got in parts:
            tasks.extend(got[0])
            headings.extend(got[1])
        return TasksDoc(self.path, list(text), tasks, [], headings, flavor)

    def _respan(self, findings: list[Finding], req_doc: RequirementsDoc, resolver: Resolver) -> list[Finding]:
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


def _common_ends(
    prev: Sequence[Any],
    prev_starts: Sequence[int],
    prev_bases: Sequence[int],
    cur: Sequence[Any],
    starts: Sequence[int],
    bases: Sequence[int],
) -> tuple[int, int]:
    """How many blocks at the start and at the end of two versions are the same object at the
    same start line and first task index (not overlapping). `starts` and `bases` may have one
    entry more than the blocks (the total): it is not compared."""
    n, m = len(prev), len(cur)

    def run(same: Iterator[bool]) -> int:
        flags = list(same)
        try:
            return flags.index(False)
        except ValueError:
            return len(flags)

    p = min(
        run(map(operator.is_, prev, cur)),
        run(map(operator.eq, prev_starts[:n], starts[:m])),
        run(map(operator.eq, prev_bases[:n], bases[:m])),
    )
    s = min(
        run(map(operator.is_, reversed(prev), reversed(cur))),
        run(map(operator.eq, reversed(prev_starts[:n]), reversed(starts[:m]))),
        run(map(operator.eq, reversed(prev_bases[:n]), reversed(bases[:m]))),
    )
    return p, min(s, min(n, m) - p)


def _spliced(lst: list[int], lo: int, hi: int, middle: list[int]) -> list[int]:
    """Sorted task indices `lst` with those in [lo, hi) replaced by `middle` (the indices after
    `hi` stay: blocks kept at the end keep their first task index, see _common_ends)."""
    a, b = bisect.bisect_left(lst, lo), bisect.bisect_left(lst, hi)
    return lst[:a] + middle + lst[b:]


def _close(ident: str, candidate: str) -> bool:
    """Whether difflib.get_close_matches(ident, […, candidate, …]) could pick `candidate`."""
    total = len(ident) + len(candidate)
    if not total or 2.0 * min(len(ident), len(candidate)) / total < 0.6:  # real_quick_ratio
        return not total  # two empty strings match
    if len(ident) < JUNK_FROM:
        return 2.0 * matching_characters(candidate, ident) / total >= 0.6
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, candidate, ident)
    return m.quick_ratio() >= 0.6 and m.ratio() >= 0.6


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

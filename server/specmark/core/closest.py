"""difflib.get_close_matches over one fixed list of strings, with the same answers, faster when
it is asked often over many short strings (the "did you mean" IDs of a requirements document).

difflib scores every candidate; here an index of (character, how many) → candidates bounds
each one's ratio by difflib's own quick_ratio (characters in common), and the exact ratio is
computed from the best bound down only until no remaining candidate can enter the top n. The
candidates holding every character of the word, then those lacking one, come from a few set
intersections; usually they settle the answer (the criteria of a renamed requirement: `8.1`
→ `98.1`, `8x.1`, `89.1`). Otherwise every candidate is counted through the index at C speed.
The ratio itself is difflib's matching-blocks sum, taken with str.find on these short strings.
The index of a list that differs little from a recent one (a requirements document one edit
later) is derived from that one's.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from collections.abc import Set as AbstractSet

# the last few matchers made: a new one over nearly the same strings starts from their index
_RECENT: list[CloseMatches] = []


class CloseMatches:
    __slots__ = (
        "_items",
        "_set",
        "_minlen",
        "_having",
        "_answers",
        "_anchor",
        "_removed",
        "_added",
        "_lengths",
        "_having_added",
    )

    def __init__(self, possibilities: Sequence[str]) -> None:
        self._items = list(possibilities)
        self._set = frozenset(self._items)
        self._minlen = min(map(len, self._items), default=0)
        # (char, k) → the candidates with at least k of that character
        self._having: dict[tuple[str, int], frozenset[str]] = {}
        self._answers: dict[tuple[str, int, float], list[str]] = {}  # the same question, asked again
        # a matcher over nearly the same strings (one whose index entries are made from the
        # strings themselves), and the strings it has that this one lacks, and the other way
        # round: an entry of this one's index is derived from its entry, when first asked for
        self._anchor: CloseMatches | None = None
        self._removed: frozenset[str] = frozenset()
        self._added: frozenset[str] = frozenset()
        self._lengths: dict[int, frozenset[str]] | None = None  # _root_lengths
        self._having_added: dict[tuple[str, int], frozenset[str]] = {}  # _extra
        if len(self._set) == len(self._items):  # duplicates: difflib counts each; keep it simple
            for other in _RECENT:
                anchor = other._anchor or other
                removed, added = anchor._set - self._set, self._set - anchor._set
                if len(removed) + len(added) <= len(self._set) // 8:
                    self._anchor, self._removed, self._added = anchor, removed, added
                    break
            _RECENT.insert(0, self)
            del _RECENT[3:]

    def _with(self, ch: str, k: int) -> frozenset[str]:
        hit = self._having.get((ch, k))
        if hit is None:
            anchor = self._anchor
            if anchor is not None:
                hit = anchor._with(ch, k)
                if self._removed or self._added:
                    hit = (hit - self._removed) | {x for x in self._added if x.count(ch) >= k}
            else:
                hit = frozenset(x for x in self._set if x.count(ch) >= k)
            self._having[(ch, k)] = hit
        return hit

    def _root_lengths(self) -> dict[int, frozenset[str]]:
        """The anchor's strings (this one's when it has no anchor) by length."""
        root = self._anchor or self
        if root._lengths is None:
            groups: dict[int, list[str]] = {}
            for x in root._set:
                groups.setdefault(len(x), []).append(x)
            root._lengths = {k: frozenset(v) for k, v in groups.items()}
        return root._lengths

    def get(self, word: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        """difflib.get_close_matches(word, possibilities, n, cutoff), the same list."""
        hit = self._answers.get((word, n, cutoff))
        if hit is None:
            hit = self._answers[(word, n, cutoff)] = self._get(word, n, cutoff)
        return list(hit)

    def _extra(self, ch: str, k: int) -> frozenset[str]:
        """`_with` of the strings the anchor lacks (`_added`: a few)."""
        hit = self._having_added.get((ch, k))
        if hit is None:
            hit = self._having_added[(ch, k)] = frozenset(x for x in self._added if x.count(ch) >= k)
        return hit

    def _root(self, ch: str, k: int) -> frozenset[str]:
        """The anchor's index entry (this one's when it has no anchor): `_with` of the
        anchor's strings, which differ from this one's by `_removed` and `_added`."""
        anchor = self._anchor
        return anchor._with(ch, k) if anchor is not None else self._with(ch, k)

    def _get(self, word: str, n: int, cutoff: float) -> list[str]:
        if not word or cutoff <= 0.0 or n <= 0 or cutoff > 1.0 or len(self._set) != len(self._items):
            import difflib

            return difflib.get_close_matches(word, self._items, n, cutoff)  # and its errors
        lw = len(word)
        if lw >= JUNK_FROM:
            ratio = _difflib_ratio(word)
        else:

            def ratio(x: str) -> float:
                return 2.0 * matching_characters(x, word) / (len(x) + lw)

        best: list[tuple[float, str]] = []  # the n best (score, candidate) so far (a min-heap)
        wanted = {ch: word.count(ch) for ch in set(word)}
        # first the candidates holding every character of the word (as often), then those
        # lacking one: usually the answer, found by intersecting a few sets of the index (the
        # anchor's, then this one's strings that it lacks taken out and those it lacks added).
        # difflib's quick_ratio bounds the ratio of a candidate with c characters in common at
        # 2 c / (lw + its length) <= 2 c / (lw + c); once the n-th best so far beats the bound
        # of the next level, nothing else can enter (a tie could: it would go to the greater
        # candidate).
        removed, added = self._removed, self._added
        having = {ch: self._root(ch, m) for ch, m in wanted.items()}
        full = _intersection(having.values())
        extra: dict[str, frozenset[str]] = {}
        if removed or added:
            extra = {ch: self._extra(ch, m) for ch, m in wanted.items()}
            full = (full - removed) | _intersection(extra.values())
        _consider(best, full, lw, lw, n, cutoff, ratio, word, _subsequence if lw < JUNK_FROM else None)
        if _settled(best, lw - 1, lw, n, cutoff):
            return [x for _score, x in sorted(best, reverse=True)]
        # those lacking one character, a length at a time (the bound falls as the length grows):
        # each set of the word's characters but one, intersected with the strings of the length
        lacking = []
        lacking_added: set[str] = set()  # of the strings the anchor lacks
        for ch, m in wanted.items():
            others = [v for c, v in having.items() if c != ch]
            if m > 1:
                others.append(self._root(ch, m - 1))
            lacking.append(others)
            if added:
                others = [v for c, v in extra.items() if c != ch]
                if m > 1:
                    others.append(self._extra(ch, m - 1))
                lacking_added |= _intersection(others) if others else added
        lacking_added -= full
        by_length = self._root_lengths()
        in_order = _subsequence_but_one if lw < JUNK_FROM else None
        seen = set(full)  # the candidates taken so far
        longest = max(max(by_length, default=0), max(map(len, lacking_added), default=0))
        for length in range(max(lw - 1, 1), longest + 1):
            bound = 2.0 * (lw - 1) / (lw + length)
            if bound < cutoff or (len(best) == n and bound < best[0][0]):
                break  # longer ones bound lower still
            of_length = by_length.get(length, frozenset())
            near: set[str] = set()
            for others in lacking:
                near |= _intersection([*others, of_length])
            near -= seen
            if removed or lacking_added:
                near -= removed
                near.update(x for x in lacking_added if len(x) == length)
            _consider(best, near, lw - 1, lw, n, cutoff, ratio, word, in_order)
            seen |= near
        if _settled(best, lw - 2, lw, n, cutoff):
            return [x for _score, x in sorted(best, reverse=True)]
        from collections import Counter

        # the others (and the longer ones lacking one character, if the loop above stopped),
        # by characters in common, most first; difflib's quick_ratio, 2 * common / (both
        # lengths), bounds the ratio: once a group's best bound (its shortest possible
        # candidate) is below the n-th best score, so are the groups after it. Within a group,
        # shortest (best bound) first, and of equal bounds the greatest candidate first: ties
        # go to the greater one (get_close_matches takes the n largest (score, candidate)).
        counts: Counter[str] = Counter()
        for ch, m in wanted.items():
            for k in range(1, m + 1):
                counts.update(self._with(ch, k))
        minlen = self._minlen
        ranked = counts.most_common()
        i, total = 0, len(ranked)
        while i < total:
            common = ranked[i][1]
            if len(best) == n and 2.0 * common / (lw + max(common, minlen)) < best[0][0]:
                break
            j = i + 1
            while j < total and ranked[j][1] == common:
                j += 1
            i, group = j, {x for x, _c in ranked[i:j]} - seen
            _consider(best, group, common, lw, n, cutoff, ratio)
        return [x for _score, x in sorted(best, reverse=True)]


def _intersection(sets: Iterable[frozenset[str]]) -> frozenset[str]:
    ordered = sorted(sets, key=len)
    return ordered[0].intersection(*ordered[1:])


def _settled(best: list[tuple[float, str]], common: int, lw: int, n: int, cutoff: float) -> bool:
    """Whether no candidate with at most `common` characters in common with the word can
    enter the n best (score, candidate) `best`."""
    bound = 2.0 * common / (lw + common) if common > 0 else 0.0
    return bound < cutoff or (len(best) == n and best[0][0] > bound)


def _consider(
    best: list[tuple[float, str]],
    candidates: AbstractSet[str],
    common: int,
    lw: int,
    n: int,
    cutoff: float,
    ratio: Callable[[str], float],
    word: str | None = None,
    in_order: Callable[[str, str], bool] | None = None,
) -> None:
    """Candidates with `common` characters in common with the word into the heap `best` of
    the n best (score, candidate): by the bound of their ratio, best first, and of equal
    bounds the greatest first (ties go to the greater candidate: get_close_matches takes the
    n largest (score, candidate)), until no bound left can enter. The bound is quick_ratio's,
    2 * common / (both lengths); given `word` and `in_order(word, x)`, whether x holds
    `common` characters of the word in their order, a candidate about to be scored that does
    not is put back with the bound of one character fewer (difflib's matching blocks are a
    common subsequence)."""
    from bisect import bisect_right, insort
    from heapq import heappush, heapreplace

    # by quick_ratio's bound: shortest first, of equal lengths the greatest first
    group = sorted(candidates, reverse=True)
    group.sort(key=len)
    lengths = list(map(len, group))
    demoted: list[tuple[float, str]] = []  # found out of order: their lower bounds, ascending
    i, total = 0, len(group)
    while i < total or demoted:
        if i < total:
            x = group[i]
            q = 2.0 * common / (lw + len(x))
            quick = not demoted or (q, x) > demoted[-1]
        else:
            quick = False
        if not quick:
            q, x = demoted[-1]
        # (q, x) is the greatest bound left: the others bound no higher
        if q < cutoff or (len(best) == n and q < best[0][0]):
            break
        if quick:
            i += 1
        else:
            demoted.pop()
        if len(best) == n and (q, x) < best[0]:
            if quick:  # so would the rest of its length (the same bound, smaller)
                i = bisect_right(lengths, len(x), i)
            continue  # at best a tie it would lose
        if quick and word is not None and in_order is not None and not in_order(word, x):
            insort(demoted, (2.0 * (common - 1) / (lw + len(x)), x))
            continue
        r = ratio(x)
        if r >= cutoff:
            if len(best) < n:
                heappush(best, (r, x))
            elif (r, x) > best[0]:
                heapreplace(best, (r, x))


def _subsequence(word: str, x: str) -> bool:
    """Whether the characters of `word` occur in `x` in the same order."""
    at = 0
    for ch in word:
        at = x.find(ch, at) + 1
        if not at:
            return False
    return True


def _subsequence_but_one(word: str, x: str) -> bool:
    """Whether the characters of `word` but one occur in `x` in the same order: the longest
    prefix of `word` found in x from the left (each end as early as it can be), and the
    suffixes found from the right (each start as late as it can be), meet for some left out
    character."""
    ends = [0]  # ends[i]: x[: ends[i]] holds word[:i]
    at = 0
    for ch in word:
        at = x.find(ch, at) + 1
        if not at:
            break
        ends.append(at)
    start = len(x)  # x[start:] holds word[d + 1 :]
    for d in range(len(word) - 1, -1, -1):
        if d < len(ends) and ends[d] <= start:
            return True  # word[:d] then word[d + 1 :]
        start = x.rfind(word[d], 0, start)
        if start < 0:
            return False
    return False


# difflib treats the popular characters of a sequence of 200 or more as junk (autojunk)
JUNK_FROM = 200


def _difflib_ratio(word: str) -> Callable[[str], float]:
    import difflib

    s = difflib.SequenceMatcher()
    s.set_seq2(word)

    def ratio(x: str) -> float:
        s.set_seq1(x)
        return s.ratio()

    return ratio


def matching_characters(a: str, b: str) -> int:
    """How many characters difflib.SequenceMatcher(None, a, b) matches, b shorter than 200
    (no junk): its longest common block (the longest, then the earliest in a, then in b:
    find_longest_match's choice), then the same on each side of it, summed."""
    total = 0
    todo = [(a, b)]
    while todo:
        a, b = todo.pop()
        la, lb = len(a), len(b)
        k = min(la, lb)
        if not k or (k == 1 and a not in b and b not in a):
            continue
        while k:
            for i in range(la - k + 1):
                j = b.find(a[i : i + k])
                if j >= 0:
                    total += k
                    if i and j:
                        todo.append((a[:i], b[:j]))
                    if i + k < la and j + k < lb:
                        todo.append((a[i + k :], b[j + k :]))
                    k = 0
                    break
            else:
                k -= 1
    return total

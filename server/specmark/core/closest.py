"""difflib.get_close_matches over one fixed list of strings, with the same answers, faster when
it is asked often over many short strings (the "did you mean" IDs of a requirements document).

difflib scores every candidate; here the candidates are first counted through an index of
(character, how many) → candidates, which gives each one difflib's own quick_ratio (an upper
bound of its ratio) at C speed, and the exact ratio is computed from the best bound down only
until no remaining candidate can enter the top n. The index of a list that differs little from
a recent one (a requirements document one edit later) is derived from that one's.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Sequence

# the last few matchers made: a new one over nearly the same strings starts from their index
_RECENT: list[CloseMatches] = []


class CloseMatches:
    __slots__ = ("_items", "_set", "_minlen", "_having", "_answers")

    def __init__(self, possibilities: Sequence[str]) -> None:
        self._items = list(possibilities)
        self._set = frozenset(self._items)
        self._minlen = min(map(len, self._items), default=0)
        # (char, k) → the candidates with at least k of that character
        self._having: dict[tuple[str, int], frozenset[str]] = {}
        self._answers: dict[tuple[str, int, float], list[str]] = {}  # the same question, asked again
        if len(self._set) == len(self._items):  # duplicates: difflib counts each; keep it simple
            for other in _RECENT:
                removed, added = other._set - self._set, self._set - other._set
                if len(removed) + len(added) <= len(self._set) // 8:
                    for (ch, k), having in other._having.items():
                        self._having[(ch, k)] = (having - removed) | {x for x in added if x.count(ch) >= k}
                    break
            _RECENT.insert(0, self)
            del _RECENT[3:]

    def _with(self, ch: str, k: int) -> frozenset[str]:
        hit = self._having.get((ch, k))
        if hit is None:
            hit = self._having[(ch, k)] = frozenset(x for x in self._set if x.count(ch) >= k)
        return hit

    def get(self, word: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        """difflib.get_close_matches(word, possibilities, n, cutoff), the same list."""
        hit = self._answers.get((word, n, cutoff))
        if hit is None:
            hit = self._answers[(word, n, cutoff)] = self._get(word, n, cutoff)
        return list(hit)

    def _get(self, word: str, n: int, cutoff: float) -> list[str]:
        import difflib

        if not word or cutoff <= 0.0 or n <= 0 or cutoff > 1.0 or len(self._set) != len(self._items):
            return difflib.get_close_matches(word, self._items, n, cutoff)  # and its errors
        from collections import Counter
        from heapq import heappush, heapreplace

        counts: Counter[str] = Counter()
        for ch, m in Counter(word).items():
            for k in range(1, m + 1):
                counts.update(self._with(ch, k))
        lw, minlen = len(word), self._minlen
        s = difflib.SequenceMatcher()
        s.set_seq2(word)
        best: list[tuple[float, str]] = []  # the n best (score, candidate) so far (a min-heap)
        # by characters in common, most first; difflib's quick_ratio, 2 * common / (both
        # lengths), bounds the ratio: once a group's best bound (its shortest possible
        # candidate) is below the n-th best score, so are the groups after it. Within a group,
        # shortest (best bound) first, and of equal bounds the greatest candidate first: ties
        # go to the greater one (get_close_matches takes the n largest (score, candidate)).
        ranked = counts.most_common()
        i, total = 0, len(ranked)
        while i < total:
            common = ranked[i][1]
            if len(best) == n and 2.0 * common / (lw + max(common, minlen)) < best[0][0]:
                break
            j = i + 1
            while j < total and ranked[j][1] == common:
                j += 1
            group = sorted((x for x, _c in ranked[i:j]), reverse=True)
            group.sort(key=len)
            i = j
            for x in group:
                q = 2.0 * common / (lw + len(x))
                if q < cutoff or (len(best) == n and q < best[0][0]):
                    break  # longer ones bound lower still
                if len(best) == n and (q, x) < best[0]:
                    continue  # at best a tie it would lose
                s.set_seq1(x)
                r = s.ratio()
                if r >= cutoff:
                    if len(best) < n:
                        heappush(best, (r, x))
                    elif (r, x) > best[0]:
                        heapreplace(best, (r, x))
        return [x for _score, x in sorted(best, reverse=True)]

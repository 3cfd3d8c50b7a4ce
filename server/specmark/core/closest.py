"""difflib.get_close_matches over one fixed list of strings, with the same answers, faster when
it is asked often over many short strings (the "did you mean" IDs of a requirements document).

difflib scores every candidate; here the candidates are first counted through an index of
(character, how many) → candidates, which gives each one difflib's own quick_ratio (an upper
bound of its ratio) at C speed, and the exact ratio is computed from the best bound down only
until no remaining candidate can enter the top n.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Sequence


class CloseMatches:
    __slots__ = ("_items", "_lens", "_having", "_answers")

    def __init__(self, possibilities: Sequence[str]) -> None:
        self._items = list(possibilities)
        self._lens = [len(x) for x in self._items]
        self._having: dict[tuple[str, int], list[int]] = {}  # (char, k) → candidates with ≥ k of it
        self._answers: dict[tuple[str, int, float], list[str]] = {}  # the same question, asked again

    def _with(self, ch: str, k: int) -> list[int]:
        hit = self._having.get((ch, k))
        if hit is None:
            hit = self._having[(ch, k)] = [i for i, x in enumerate(self._items) if x.count(ch) >= k]
        return hit

    def get(self, word: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        """difflib.get_close_matches(word, possibilities, n, cutoff), the same list."""
        hit = self._answers.get((word, n, cutoff))
        if hit is None:
            hit = self._answers[(word, n, cutoff)] = self._get(word, n, cutoff)
        return list(hit)

    def _get(self, word: str, n: int, cutoff: float) -> list[str]:
        import difflib

        if not word or cutoff <= 0.0 or n <= 0 or cutoff > 1.0:
            return difflib.get_close_matches(word, self._items, n, cutoff)  # and its errors
        from collections import Counter
        from heapq import heappush, heappushpop, nlargest

        counts: Counter[int] = Counter()
        for ch, m in Counter(word).items():
            for k in range(1, m + 1):
                counts.update(self._with(ch, k))
        lw, lens, items = len(word), self._lens, self._items
        # difflib's quick_ratio: 2 * (characters in common, as multisets) / (both lengths)
        ranked = [(q, i) for i, common in counts.items() if (q := 2.0 * common / (lw + lens[i])) >= cutoff]
        ranked.sort(key=lambda qi: qi[0], reverse=True)
        s = difflib.SequenceMatcher()
        s.set_seq2(word)
        result: list[tuple[float, str]] = []
        best: list[float] = []  # the n best scores so far (a min-heap)
        for q, i in ranked:
            if len(best) == n and q < best[0]:
                break  # its ratio is at most q: it cannot enter the top n
            x = items[i]
            s.set_seq1(x)
            r = s.ratio()
            if r >= cutoff:
                result.append((r, x))
                if len(best) < n:
                    heappush(best, r)
                else:
                    heappushpop(best, r)
        return [x for _score, x in nlargest(n, result)]

"""core/closest.py answers as difflib.get_close_matches does (hypothesis)."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from specmark.core.closest import CloseMatches

IDS = st.text(alphabet="0123456789.XAB-", min_size=0, max_size=6)


@given(st.lists(IDS, max_size=60), IDS, st.integers(1, 4), st.sampled_from([0.0, 0.3, 0.6, 0.8, 1.0]))
def test_same_as_difflib_on_id_like_strings(possibilities, word, n, cutoff):
    assert CloseMatches(possibilities).get(word, n, cutoff) == difflib.get_close_matches(
        word, possibilities, n, cutoff
    )


@given(st.lists(st.text(max_size=8), max_size=30), st.lists(st.text(max_size=8), min_size=1, max_size=5))
def test_same_as_difflib_on_any_text_asked_repeatedly(possibilities, words):
    matcher = CloseMatches(possibilities)
    for word in words:
        assert matcher.get(word) == difflib.get_close_matches(word, possibilities)


def test_the_ids_of_a_large_document():
    ids = [f"{r}" for r in range(1, 142)] + [f"{r}.{c}" for r in range(1, 142) for c in range(1, 11)]
    matcher = CloseMatches(ids)
    for word in ("8.1", "7.14", "8X.3", "142", "1.11", "99.99", "REQ-1"):
        assert matcher.get(word) == difflib.get_close_matches(word, ids)


@given(
    st.lists(IDS, min_size=8, max_size=60, unique=True),
    st.lists(st.tuples(st.integers(0, 59), IDS), max_size=4),
    st.lists(IDS, min_size=1, max_size=4),
)
def test_a_matcher_derived_from_a_recent_one_answers_the_same(possibilities, renames, words):
    first = CloseMatches(possibilities)
    for word in words:
        first.get(word)  # builds part of the index the next one starts from
    changed = list(possibilities)
    for at, new in renames:
        if at < len(changed) and new not in changed:
            changed[at] = new
    second = CloseMatches(changed)
    for word in words + ["1.1", "8.1"]:
        assert second.get(word) == difflib.get_close_matches(word, changed)


@given(st.text(alphabet="ab.1", max_size=12), st.text(alphabet="ab.1", max_size=12))
def test_matched_characters_as_difflib_counts_them(a, b):
    from specmark.core.closest import matching_characters

    expected = sum(m.size for m in difflib.SequenceMatcher(None, a, b).get_matching_blocks())
    assert matching_characters(a, b) == expected


@given(st.integers(1, 141), st.sampled_from(["x", "X", "0", ".1", "-A"]), st.integers(0, 12))
def test_a_renamed_requirement_s_criteria(renamed, suffix, criterion):
    # the words asked when a requirement heading is retyped: its criteria, no longer defined
    ids = [f"{r}" for r in range(1, 142)] + [f"{r}.{c}" for r in range(1, 142) for c in range(1, 11)]
    ids = [
        f"{renamed}{suffix}" + x[len(str(renamed)) :] if x.split(".")[0] == str(renamed) else x for x in ids
    ]
    matcher = CloseMatches(ids)
    word = f"{renamed}.{criterion}" if criterion else f"{renamed}"
    assert matcher.get(word) == difflib.get_close_matches(word, ids)


@given(
    st.lists(IDS, min_size=8, max_size=60, unique=True),
    st.lists(st.lists(st.tuples(st.integers(0, 59), IDS), max_size=3), min_size=2, max_size=4),
    st.lists(IDS, min_size=1, max_size=4),
)
def test_matchers_derived_one_from_another_answer_the_same(possibilities, edits, words):
    # a requirements document edited several times: each matcher starts from the last one's
    # index, entries derived when first asked for
    changed = list(possibilities)
    for renames in edits:
        for at, new in renames:
            if at < len(changed) and new not in changed:
                changed[at] = new
        matcher = CloseMatches(changed)
        for word in words:
            assert matcher.get(word) == difflib.get_close_matches(word, changed)


@given(st.text(alphabet="ab1.", max_size=7), st.text(alphabet="ab1.", max_size=9))
def test_a_subsequence_but_one_character(word, x):
    from specmark.core.closest import _subsequence_but_one

    def subsequence(w: str) -> bool:
        it = iter(x)
        return all(ch in it for ch in w)

    expected = bool(word) and any(subsequence(word[:d] + word[d + 1 :]) for d in range(len(word)))
    assert _subsequence_but_one(word, x) == expected

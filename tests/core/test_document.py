"""The server's document store: incremental edits equal editing the text (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from specmark.core.document import Document
from specmark.core.text import split_lines

PIECES = st.sampled_from(["a", "- [ ] 1. x", "\n", "\r", "\r\n", "😀", "é", " ", "\u2028", "\x00", "\ufeff"])
TEXT = st.lists(PIECES, max_size=20).map("".join)


def _offset(text: str, line: int, col: int) -> int:
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    return starts[line] + col


@settings(max_examples=400, deadline=None)
@given(
    TEXT,
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), TEXT),
        max_size=8,
    ),
)
def test_edit_sequences_equal_text_edits(text, edits):
    doc = Document.from_text("file:///t.md", text, 1)
    for version, (a, b, c, d, new) in enumerate(edits, start=2):
        lines = split_lines(text)
        sl, sc = doc.clamp(a, b)
        el, ec = doc.clamp(c, d)
        if (el, ec) < (sl, sc):
            (sl, sc), (el, ec) = (el, ec), (sl, sc)
        expected = text[: _offset(text, sl, sc)] + new + text[_offset(text, el, ec) :]
        doc = doc.edit((a, b), (c, d), new, version)
        text = expected
        assert doc.text == text
        assert list(doc.bodies) == split_lines(text) == doc.lines
        assert doc.version == version
        assert len(lines) >= 1


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_document_opened_holds_its_text_line_by_line(text):
    """Document.from_text: the split of a text with "\\r" breaks and the fast one of a text with
    "\\n" breaks only give the lines split_lines gives, their terminators kept in `raw`."""
    doc = Document.from_text("u", text)
    assert doc.text == text and "".join(doc.raw) == text
    assert list(doc.bodies) == split_lines(text) == doc.lines


def test_crlf_joined_by_deleting_between_cr_and_lf():
    doc = Document.from_text("u", "a\rX\nb")
    doc = doc.edit((1, 0), (1, 1), "", 2)
    assert doc.text == "a\r\nb" and doc.lines == ["a", "b"]


def test_positions_past_the_end_clamp():
    doc = Document.from_text("u", "one\ntwo")
    assert doc.clamp(9, 9) == (1, 3)
    assert doc.clamp(-1, 5) == (0, 0)
    assert doc.edit((5, 0), (6, 0), "!", 2).text == "one\ntwo!"


# ---- Lines: the chunked line store ---------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 3000),
    st.lists(st.tuples(st.integers(0, 3100), st.integers(0, 700), st.integers(0, 1200)), max_size=12),
    st.data(),
)
def test_lines_replace_slice_and_common_ends_equal_a_list(n, edits, data):
    """Chunked edits (chunks of 512 lines, split above 1,024, small remainders merged) behave
    as list edits; slices across chunk borders and common_ends agree with a plain scan."""
    from specmark.core.document import Lines, common_ends

    model = [f"l{i}" for i in range(n)]
    lines = Lines(model)
    for k, (lo, span, count) in enumerate(edits):
        lo = min(lo, len(model))
        hi = min(len(model), lo + span)
        new = [f"e{k}.{j}" for j in range(count)]
        before, before_model = lines, list(model)
        model[lo:hi] = new
        lines = lines.replace(lo, hi, new)
        assert list(lines) == model and len(lines) == len(model)
        assert all(len(c) <= 1024 for c in lines._chunks) and all(lines._chunks)
        a = data.draw(st.integers(-5, len(model) + 5))
        b = data.draw(st.integers(-5, len(model) + 5))
        assert lines[a:b] == tuple(model[a:b])
        if model:
            i = data.draw(st.integers(-len(model), len(model) - 1))
            assert lines[i] == model[i]
        g = data.draw(st.integers(-3, len(model) + 3))
        assert lines.get(g, "-") == (model[g] if 0 <= g < len(model) else "-")
        p, s = common_ends(before, lines)
        exp_p = 0
        while exp_p < min(len(model), len(before_model)) and model[exp_p] == before_model[exp_p]:
            exp_p += 1
        assert p == exp_p
        assert p + s <= min(len(model), len(before_model))
        assert before_model[len(before_model) - s :] == model[len(model) - s :] if s else True
        if p + s < min(len(model), len(before_model)):  # s is the longest suffix that fits
            assert before_model[len(before_model) - s - 1] != model[len(model) - s - 1]


def test_common_ends_with_repeated_lines_equals_a_plain_scan():
    """common_ends on versions of one Lines whose lines repeat (blank lines, the same task line):
    the shared chunks are skipped and the lines between compared at C speed, yet the answer is
    a plain scan's: the longest prefix, then the longest suffix that fits (an inserted blank
    line before a blank line is found after it), also when asked again (the kept answer)."""
    import random

    from specmark.core.document import Lines, common_ends

    def plain(old: list[str], new: list[str]) -> tuple[int, int]:
        limit = min(len(old), len(new))
        p = 0
        while p < limit and old[p] == new[p]:
            p += 1
        s = 0
        while s < limit - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
            s += 1
        return p, s

    rng = random.Random(3)
    for _ in range(300):
        alphabet = rng.choice([[""], ["", "- [ ] 1. Task"], ["", "x", "y"]])
        model = [rng.choice(alphabet) for _ in range(rng.choice([0, 1, 5, 50, 1500, 3000]))]
        before = lines = Lines(model)
        before_model = list(model)
        for _ in range(rng.randint(1, 3)):
            lo = rng.randint(0, len(model))
            hi = min(len(model), lo + rng.choice([0, 1, 3, 2000]))
            new = [rng.choice(alphabet) for _ in range(rng.choice([0, 1, 2, 5]))]
            lines = lines.replace(lo, hi, new)
            model[lo:hi] = new
        assert common_ends(before, lines) == plain(before_model, model)
        assert common_ends(before, lines) == plain(before_model, model)

"""`core.text.lazy(…, needs_digit=True)`: every such pattern of the core cannot match without a
decimal digit (proved from the pattern's parse tree), so answering None to a text without
one, without compiling the pattern, is what the compiled pattern would answer."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import specmark.core
from specmark.core.text import LazyPattern, lazy

try:  # Python 3.11+
    from re import _constants as C
    from re import _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]


def _needs_digit(items) -> bool:
    """Every match of the sequence `items` (a parsed pattern) holds a decimal digit."""
    return any(_item_needs_digit(op, av) for op, av in items)


def _is_digit_member(op, av) -> bool:
    if op is C.LITERAL:
        return chr(av).isdecimal()
    if op is C.RANGE:
        return all(chr(c).isdecimal() for c in range(av[0], av[1] + 1))
    if op is C.CATEGORY:
        return av is C.CATEGORY_DIGIT
    return False  # NEGATE and anything else


def _item_needs_digit(op, av) -> bool:
    if op is C.LITERAL:
        return chr(av).isdecimal()
    if op is C.IN:
        return bool(av) and all(_is_digit_member(o, a) for o, a in av)
    if op is C.SUBPATTERN:
        return _needs_digit(av[-1])
    if op is C.BRANCH:
        return all(_needs_digit(branch) for branch in av[1])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, _high, body = av
        return low >= 1 and _needs_digit(body)
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _needs_digit(av)
    if op is C.GROUPREF_EXISTS:
        _group, yes, no = av
        return _needs_digit(yes) and no is not None and _needs_digit(no)
    return False  # anchors, lookarounds, back-references, categories outside a class …


def proved(pattern: str, flags: int = 0) -> bool:
    return _needs_digit(sre_parse.parse(pattern, flags))


def digit_patterns() -> list[tuple[str, LazyPattern]]:
    out = []
    for info in pkgutil.walk_packages(specmark.core.__path__, "specmark.core."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, LazyPattern) and type(value) is not LazyPattern:
                out.append((f"{info.name}.{name}", value))
    return out


DIGIT_PATTERNS = digit_patterns()


def test_the_guarded_patterns_are_found():
    names = {name.rsplit(".", 1)[1] for name, _ in DIGIT_PATTERNS}
    assert {"_REQ_HEADING", "_STORY_HEADING", "_HEADING_TASK", "_NUMBERED_HEADING"} <= names


@pytest.mark.parametrize("name,pattern", DIGIT_PATTERNS, ids=[n for n, _ in DIGIT_PATTERNS])
def test_every_guarded_pattern_needs_a_digit(name, pattern):
    assert proved(pattern.pattern, pattern.flags), f"{name} can match without a digit"


@pytest.mark.parametrize(
    "pattern,expected",
    [
        (r"\d", True),
        (r"a\d+b", True),
        (r"[0-9]", True),
        (r"(?:x|\d)", False),
        (r"\d?", False),
        (r"\d*", False),
        (r"(?=\d)", False),
        (r"[\d.]", False),
        (r"[^a]", False),
        (r"(?:REQ|R)-?\d+|\d+\.", True),
        (r"(?P<o>\*)?(?(o)\d|x)", False),
        (r"(?P<o>\*)?(?(o)\d|\d)", True),
    ],
)
def test_the_proof_itself(pattern, expected):
    assert proved(pattern) is expected


TEXTS = st.text(alphabet=st.sampled_from("#*_ -.:：|\tReqFRUS1２٣ abcXYZ（)"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DIGIT_PATTERNS), TEXTS, st.sampled_from(["match", "search", "fullmatch"]))
def test_guarded_patterns_answer_as_compiled(named, text, method):
    _name, pattern = named
    fresh = lazy(pattern.pattern, pattern.flags, needs_digit=True)
    compiled = re.compile(pattern.pattern, pattern.flags)
    got, want = getattr(fresh, method)(text), getattr(compiled, method)(text)
    assert (got is None) == (want is None)
    if got is not None:
        assert got.span() == want.span() and got.groups() == want.groups()


def test_a_text_without_a_digit_does_not_compile():
    p = lazy(r"^(?:Requirement|Требование)[ \t]*(?P<id>\d+)", re.I, needs_digit=True)
    assert p.match("Introduction") is None and p.search("Requirements") is None
    assert "compiled" not in p.__dict__
    m = p.match("Requirement 7")
    assert m is not None and m.group("id") == "7" and "compiled" in p.__dict__
    assert p.match("Требование ٣").group("id") == "٣"  # any decimal digit, as `\d`

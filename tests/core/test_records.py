"""model.Record: what the metaclass builds from a class body (every real record is compared with
a dataclass twin in test_fast_paths.py; these are the rules a new record class meets)."""

from __future__ import annotations

import json
from typing import ClassVar

import pytest

from specmark.core.model import Flavor, Record, Severity, Status, Vocab, factory


class Point(Record, frozen=True):
    LIMIT: ClassVar[int] = 10  # a class constant, not a field
    x: int
    y: int = 0


class Bag(Record):
    name: str
    items: list[int] = factory(list)


class Labelled(Bag):
    label: str = ""


class Normalised(Record):
    text: str

    def __post_init__(self) -> None:
        self.text = self.text.strip()


def test_fields_come_from_the_annotations_in_order_without_class_constants():
    assert Point._fields == ("x", "y") and Point.__slots__ == ("x", "y")
    assert Point.LIMIT == 10 and Point(1).x == 1 and Point(1).y == 0
    assert Point.__match_args__ == ("x", "y")


def test_a_factory_default_is_fresh_for_each_record():
    a, b = Bag("a"), Bag("b")
    a.items.append(1)
    assert b.items == [] and Bag("c", [2]).items == [2]


def test_a_subclass_adds_fields_after_its_bases():
    r = Labelled("n", [1], "l")
    assert Labelled._fields == ("name", "items", "label") and Labelled.__slots__ == ("label",)
    assert r == Labelled(name="n", items=[1], label="l") and r != Bag("n", [1])
    assert repr(r) == "Labelled(name='n', items=[1], label='l')"


def test_frozen_records_refuse_assignment_and_hash_by_value():
    p = Point(1, 2)
    with pytest.raises(AttributeError):
        p.x = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del p.x  # type: ignore[misc]
    assert hash(p) == hash(Point(1, 2)) and p._replace(y=5) == Point(1, 5)
    assert Bag.__hash__ is None  # mutable with value equality: unhashable, as dataclasses


def test_no_instance_dict():
    with pytest.raises(AttributeError):
        Point(1).z = 1  # type: ignore[attr-defined]


def test_post_init_runs_after_the_fields_are_set():
    assert Normalised("  a  ").text == "a"


def test_a_field_without_a_default_after_one_with_is_refused():
    with pytest.raises(TypeError, match="without a default"):

        class Broken(Record):
            a: int = 0
            b: int


def test_vocabulary_members_are_their_strings():
    assert Flavor.SPEC_KIT == "spec-kit" and hash(Flavor.SPEC_KIT) == hash("spec-kit")
    assert f"{Status.IN_PROGRESS}" == str(Status.IN_PROGRESS) == "in-progress"
    assert f"[{Severity.ERROR:>8}]" == "[   error]"
    assert json.dumps({Flavor.KIRO: [Status.DONE]}) == '{"kiro": ["done"]}'
    assert all(issubclass(v, Vocab) for v in (Status, Severity, Flavor))

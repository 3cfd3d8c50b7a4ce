"""core/cache.py: one value per slot, kept while its key holds (identity parts by `is`,
value parts by `==`)."""

from specmark.core.cache import KeyedCache


def test_hit_needs_the_same_objects_and_equal_values():
    cache: KeyedCache[str] = KeyedCache()
    doc, twin = ["a"], ["a"]  # equal, not the same object
    cache.put("p", "parsed", same=(doc,), equal=(1, "kiro"))
    assert cache.get("p", same=(doc,), equal=(1, "kiro")) == "parsed"
    assert cache.get("p", same=(twin,), equal=(1, "kiro")) is None  # identity, not equality
    assert cache.get("p", same=(doc,), equal=(2, "kiro")) is None
    assert cache.get("p", same=(doc, doc), equal=(1, "kiro")) is None  # a longer key
    assert cache.get("p") is None
    assert cache.get("other", same=(doc,), equal=(1, "kiro")) is None


def test_equal_values_may_be_new_objects():
    cache: KeyedCache[int] = KeyedCache()
    cache.put("f", 7, equal=(("open", 3, 12345),))
    assert cache.get("f", equal=(("open", 3, 12345),)) == 7  # a fresh tuple, equal


def test_one_entry_per_slot_replaced_on_put():
    cache: KeyedCache[str] = KeyedCache()
    cache.put("p", "v1", equal=(1,))
    cache.put("p", "v2", equal=(2,))
    assert len(cache) == 1
    assert cache.get("p", equal=(1,)) is None
    assert cache.get("p", equal=(2,)) == "v2"


def test_cached_computes_only_on_a_miss():
    cache: KeyedCache[list[int]] = KeyedCache()
    calls = []

    def compute():
        calls.append(1)
        return [len(calls)]

    key = object()
    first = cache.cached("r", compute, same=(key,))
    assert cache.cached("r", compute, same=(key,)) is first
    assert len(calls) == 1
    assert cache.cached("r", compute, same=(object(),)) == [2]


def test_pop_and_clear():
    cache: KeyedCache[str] = KeyedCache()
    cache.put("a", "x")
    cache.put("b", "y")
    cache.pop("a")
    cache.pop("missing")  # no error
    assert "a" not in cache and "b" in cache
    cache.clear()
    assert len(cache) == 0

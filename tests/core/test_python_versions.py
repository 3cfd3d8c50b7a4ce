"""The package runs on every Python it claims (3.10+): no regex syntax newer than 3.10.

Python 3.11 added possessive quantifiers (`*+`, `++`, `?+`, `{m,n}+`) and atomic groups
(`(?>…)`); on 3.10 a pattern using them raises `re.error: multiple repeat` when it is compiled,
at import for most of the core's patterns. This test finds them on any version, so that a
change is caught before CI's 3.10 run.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys

import specmark
from specmark.core.text import LazyPattern


def _module_patterns() -> list[tuple[str, str, int]]:
    """(where, pattern, flags) of every compiled or lazy pattern at module level."""
    out = []
    for info in pkgutil.walk_packages(specmark.__path__, "specmark."):
        if info.name.endswith("__main__") or info.name.startswith("specmark.agents.mcp"):
            continue  # __main__ runs the CLI; the MCP server needs the optional extra
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, (re.Pattern, LazyPattern)) and isinstance(value.pattern, str):
                out.append((f"{info.name}.{name}", value.pattern, value.flags))
    return out


def _newer_than_310(pattern: str, flags: int) -> list[str]:
    if sys.version_info < (3, 11):
        try:
            re.compile(pattern, flags)
        except re.error as exc:
            return [str(exc)]
        return []
    from re import _constants, _parser

    newer = {_constants.POSSESSIVE_REPEAT, _constants.ATOMIC_GROUP}
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, _parser.SubPattern):
            for op, arg in node:
                if op in newer:
                    found.append(str(op))
                walk(arg)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)

    walk(_parser.parse(pattern, flags & ~re.UNICODE))
    return found


def test_the_walk_sees_possessive_quantifiers_and_atomic_groups():
    if sys.version_info >= (3, 11):
        assert _newer_than_310(r"a[ \t]*+(?>b)", 0) == ["POSSESSIVE_REPEAT", "ATOMIC_GROUP"]
    else:
        assert _newer_than_310(r"a[ \t]*+", 0)
    assert _newer_than_310(r"a[*+]+\?+(?:b)", 0) == []


def test_no_pattern_needs_python_311():
    patterns = _module_patterns()
    assert len(patterns) > 50  # the walk reached the core's modules
    bad = {where: found for where, pattern, flags in patterns if (found := _newer_than_310(pattern, flags))}
    assert not bad, f"regex syntax that Python 3.10 rejects: {bad}"

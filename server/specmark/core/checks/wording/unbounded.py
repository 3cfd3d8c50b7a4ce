"""wording-unbounded: an absolute or an unbounded time (always, 100%, immediately, in real time …) with no measurable bound. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-unbounded.md)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Finding, Severity
from . import findings

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from .. import CheckContext

CODE = "wording-unbounded"
DEFAULT = Severity.INFORMATION
SUMMARY = (
    "An absolute or an unbounded time (always, 100%, immediately, in real time …) with no measurable bound."
)
IN_FAMILY = True  # `wording = true` turns it on


def check(ctx: CheckContext) -> Iterator[Finding]:
    return findings(ctx, CODE)

"""wording-unbounded: an absolute or an unbounded time (always, 100%, immediately, in real time …) with no measurable bound. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-unbounded.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "wording-unbounded"
DEFAULT = Severity.INFORMATION
SUMMARY = (
    "An absolute or an unbounded time (always, 100%, immediately, in real time …) with no measurable bound."
)
IN_FAMILY = True  # `wording = true` turns it on

"""wording-vague: a vague or subjective term (fast, user-friendly, appropriate, robust …) that no test can check. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-vague.md)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Finding, Severity
from . import findings

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from .. import CheckContext

CODE = "wording-vague"
DEFAULT = Severity.INFORMATION
SUMMARY = "A vague or subjective term (fast, user-friendly, appropriate, robust …) that no test can check."
IN_FAMILY = True  # `wording = true` turns it on


def check(ctx: CheckContext) -> Iterator[Finding]:
    return findings(ctx, CODE)

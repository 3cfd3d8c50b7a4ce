"""wording-negative: a double negative after SHALL NOT (SHALL NOT fail to …) whose positive form is plain. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-negative.md)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Finding, Severity
from . import findings

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from .. import CheckContext

CODE = "wording-negative"
DEFAULT = Severity.INFORMATION
SUMMARY = "A double negative after SHALL NOT (SHALL NOT fail to …) whose positive form is plain."
IN_FAMILY = True  # `wording = true` turns it on


def check(ctx: CheckContext) -> Iterator[Finding]:
    return findings(ctx, CODE)

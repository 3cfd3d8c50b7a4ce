"""wording-open-ended: an open-ended clause (including but not limited to, and so on, etc.) that leaves the requirement's scope open. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-open-ended.md)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Finding, Severity
from . import findings

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from .. import CheckContext

CODE = "wording-open-ended"
DEFAULT = Severity.INFORMATION
SUMMARY = "An open-ended clause (including but not limited to, and so on, etc.) that leaves the requirement's scope open."
IN_FAMILY = True  # `wording = true` turns it on


def check(ctx: CheckContext) -> Iterator[Finding]:
    return findings(ctx, CODE)

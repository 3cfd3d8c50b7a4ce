"""wording-tbd: tBD, TBC, TODO or ??? left in a criterion. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-tbd.md)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Finding, Severity
from . import findings

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from .. import CheckContext

CODE = "wording-tbd"
DEFAULT = Severity.INFORMATION
SUMMARY = "TBD, TBC, TODO or ??? left in a criterion."
IN_FAMILY = True  # `wording = true` turns it on


def check(ctx: CheckContext) -> Iterator[Finding]:
    return findings(ctx, CODE)

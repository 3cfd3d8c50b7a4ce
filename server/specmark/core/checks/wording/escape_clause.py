"""wording-escape-clause: an escape clause (as far as possible, where practical, if necessary …) that lets the requirement be met by doing nothing. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-escape-clause.md)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Finding, Severity
from . import findings

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from .. import CheckContext

CODE = "wording-escape-clause"
DEFAULT = Severity.INFORMATION
SUMMARY = "An escape clause (as far as possible, where practical, if necessary …) that lets the requirement be met by doing nothing."
IN_FAMILY = True  # `wording = true` turns it on


def check(ctx: CheckContext) -> Iterator[Finding]:
    return findings(ctx, CODE)

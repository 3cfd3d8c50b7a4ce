"""wording-tbd: tBD, TBC, TODO or ??? left in a criterion. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-tbd.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "wording-tbd"
DEFAULT = Severity.INFORMATION
SUMMARY = "TBD, TBC, TODO or ??? left in a criterion."
IN_FAMILY = True  # `wording = true` turns it on

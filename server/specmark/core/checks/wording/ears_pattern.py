"""wording-ears-pattern: an EARS criterion whose clauses are out of order (a WHEN/IF/WHILE/WHERE after SHALL, or WHILE after WHEN). Part of the opt-in wording family
(see __init__.py; docs/rules/wording-ears-pattern.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "wording-ears-pattern"
DEFAULT = Severity.INFORMATION
SUMMARY = "An EARS criterion whose clauses are out of order (a WHEN/IF/WHILE/WHERE after SHALL, or WHILE after WHEN)."
IN_FAMILY = True  # `wording = true` turns it on

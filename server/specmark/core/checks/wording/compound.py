"""wording-compound: two requirements in one: a second SHALL/MUST in one criterion, or and/or. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-compound.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "wording-compound"
DEFAULT = Severity.INFORMATION
SUMMARY = "Two requirements in one: a second SHALL/MUST in one criterion, or and/or."
IN_FAMILY = True  # `wording = true` turns it on

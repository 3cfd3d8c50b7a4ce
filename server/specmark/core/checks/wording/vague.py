"""wording-vague: a vague or subjective term (fast, user-friendly, appropriate, robust …) that no test can check. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-vague.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "wording-vague"
DEFAULT = Severity.INFORMATION
SUMMARY = "A vague or subjective term (fast, user-friendly, appropriate, robust …) that no test can check."
IN_FAMILY = True  # `wording = true` turns it on

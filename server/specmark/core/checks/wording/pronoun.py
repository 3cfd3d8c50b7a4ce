"""wording-pronoun: a pronoun (it, they, this …) as the subject of SHALL, with no antecedent in the criterion. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-pronoun.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "wording-pronoun"
DEFAULT = Severity.INFORMATION
SUMMARY = "A pronoun (it, they, this …) as the subject of SHALL, with no antecedent in the criterion."
IN_FAMILY = True  # `wording = true` turns it on

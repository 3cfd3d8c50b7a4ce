"""wording-escape-clause: an escape clause (as far as possible, where practical, if necessary …) that lets the requirement be met by doing nothing. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-escape-clause.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "wording-escape-clause"
DEFAULT = Severity.INFORMATION
SUMMARY = "An escape clause (as far as possible, where practical, if necessary …) that lets the requirement be met by doing nothing."
IN_FAMILY = True  # `wording = true` turns it on

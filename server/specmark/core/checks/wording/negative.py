"""wording-negative: a double negative after SHALL NOT (SHALL NOT fail to …) whose positive form is plain. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-negative.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "wording-negative"
DEFAULT = Severity.INFORMATION
SUMMARY = "A double negative after SHALL NOT (SHALL NOT fail to …) whose positive form is plain."
IN_FAMILY = True  # `wording = true` turns it on

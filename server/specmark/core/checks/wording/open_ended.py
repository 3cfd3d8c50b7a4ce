"""wording-open-ended: an open-ended clause (including but not limited to, and so on, etc.) that leaves the requirement's scope open. Part of the opt-in wording family
(see __init__.py; docs/rules/wording-open-ended.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "wording-open-ended"
DEFAULT = Severity.INFORMATION
SUMMARY = "An open-ended clause (including but not limited to, and so on, etc.) that leaves the requirement's scope open."
IN_FAMILY = True  # `wording = true` turns it on

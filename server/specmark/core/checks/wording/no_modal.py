"""wording-no-modal: a criterion or requirement statement with no binding modal (SHALL, MUST), or only a weak one (should, may, can). Part of the opt-in wording family
(see __init__.py; docs/rules/wording-no-modal.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "wording-no-modal"
DEFAULT = Severity.INFORMATION
SUMMARY = "A criterion or requirement statement with no binding modal (SHALL, MUST), or only a weak one (should, may, can)."
IN_FAMILY = True  # `wording = true` turns it on

"""openspec-purpose: a capability spec's Purpose that is a placeholder (TBD, TODO, the sentence archive writes) or shorter than 50 characters.

An OpenSpec document rule: core/openspec.py reads the capability specs, delta specs and
proposals and reports it (docs/rules/openspec-purpose.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "openspec-purpose"
DEFAULT = Severity.WARNING
SUMMARY = "A capability spec's Purpose that is a placeholder (TBD, TODO, the sentence archive writes) or shorter than 50 characters."

"""openspec-shall: a requirement whose statement has no SHALL or MUST (an error when it has no statement at all).

An OpenSpec document rule: core/openspec.py reads the capability specs, delta specs and
proposals and reports it (docs/rules/openspec-shall.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "openspec-shall"
DEFAULT = Severity.WARNING
SUMMARY = "A requirement whose statement has no SHALL or MUST (an error when it has no statement at all)."

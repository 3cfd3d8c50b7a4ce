"""openspec-scenario: a requirement without a `#### Scenario:` block (or with scenarios written as bullets or at another header level).

An OpenSpec document rule: core/openspec.py reads the capability specs, delta specs and
proposals and reports it (docs/rules/openspec-scenario.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "openspec-scenario"
DEFAULT = Severity.ERROR
SUMMARY = "A requirement without a `#### Scenario:` block (or with scenarios written as bullets or at another header level)."

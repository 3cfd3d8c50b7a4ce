"""openspec-duplicate-requirement: the same requirement name twice in a spec, in one delta section, or in two conflicting delta sections.

An OpenSpec document rule: core/openspec.py reads the capability specs, delta specs and
proposals and reports it (docs/rules/openspec-duplicate-requirement.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "openspec-duplicate-requirement"
DEFAULT = Severity.ERROR
SUMMARY = (
    "The same requirement name twice in a spec, in one delta section, or in two conflicting delta sections."
)

"""openspec-no-deltas: a change with no delta specs (no specs/<capability>/spec.md with ADDED/MODIFIED/REMOVED/RENAMED requirements).

An OpenSpec document rule: core/openspec.py reads the capability specs, delta specs and
proposals and reports it (docs/rules/openspec-no-deltas.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "openspec-no-deltas"
DEFAULT = Severity.ERROR
SUMMARY = "A change with no delta specs (no specs/<capability>/spec.md with ADDED/MODIFIED/REMOVED/RENAMED requirements)."

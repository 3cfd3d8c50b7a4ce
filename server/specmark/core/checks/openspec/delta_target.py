"""openspec-delta-target: a MODIFIED, REMOVED or RENAMED requirement that the base spec does not have, or an ADDED one it already has.

An OpenSpec document rule: core/openspec.py reads the capability specs, delta specs and
proposals and reports it (docs/rules/openspec-delta-target.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "openspec-delta-target"
DEFAULT = Severity.ERROR
SUMMARY = "A MODIFIED, REMOVED or RENAMED requirement that the base spec does not have, or an ADDED one it already has."

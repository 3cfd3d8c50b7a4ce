"""openspec-requirement-length: a requirement statement longer than 500 characters.

An OpenSpec document rule: core/openspec.py reads the capability specs, delta specs and
proposals and reports it (docs/rules/openspec-requirement-length.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "openspec-requirement-length"
DEFAULT = Severity.INFORMATION
SUMMARY = "A requirement statement longer than 500 characters."

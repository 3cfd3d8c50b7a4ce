"""openspec-rename: a RENAMED FROM: line without its TO: line (or the reverse), or a rename that collides with another delta.

An OpenSpec document rule: core/openspec.py reads the capability specs, delta specs and
proposals and reports it (docs/rules/openspec-rename.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "openspec-rename"
DEFAULT = Severity.ERROR
SUMMARY = "A RENAMED FROM: line without its TO: line (or the reverse), or a rename that collides with another delta."

"""openspec-task-numbering: a task N.M under the group heading `## K.` with N different from K.

An OpenSpec document rule: core/openspec.py reads the capability specs, delta specs and
proposals and reports it (docs/rules/openspec-task-numbering.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "openspec-task-numbering"
DEFAULT = Severity.WARNING
SUMMARY = "A task N.M under the group heading `## K.` with N different from K."

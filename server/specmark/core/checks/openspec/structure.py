"""openspec-structure: the document is not in the shape OpenSpec reads: a missing ## Purpose or ## Requirements, a delta header in a main spec, a requirement outside its section, a delta spec without delta sections.

An OpenSpec document rule: core/openspec.py reads the capability specs, delta specs and
proposals and reports it (docs/rules/openspec-structure.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "openspec-structure"
DEFAULT = Severity.ERROR
SUMMARY = "The document is not in the shape OpenSpec reads: a missing ## Purpose or ## Requirements, a delta header in a main spec, a requirement outside its section, a delta spec without delta sections."

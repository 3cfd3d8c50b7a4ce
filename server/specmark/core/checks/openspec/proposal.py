"""openspec-proposal: a proposal.md without ## Why (50–1,000 characters) or ## What Changes, or a change with more than 10 deltas (what `openspec archive` warns about; opt-in).

An OpenSpec document rule: core/openspec.py reads the capability specs, delta specs and
proposals and reports it (docs/rules/openspec-proposal.md)."""

from __future__ import annotations

from ...model import Severity

CODE = "openspec-proposal"
DEFAULT = Severity.WARNING
SUMMARY = "A proposal.md without ## Why (50–1,000 characters) or ## What Changes, or a change with more than 10 deltas (what `openspec archive` warns about; opt-in)."

OPT_IN = True  # off unless given a severity or selected: `openspec validate` does not apply it

"""Every check code, as plain data: what settings and `--select` are validated against.

config.py validates severity tables against these codes, and the check modules import
config.py (through tasks.py), so the codes cannot come from loading the checks without an
import cycle. `checks/__init__.py` registers one rule per code here;
tests/core/test_rule_docs.py fails when the two lists disagree.
"""

from __future__ import annotations

CODES = frozenset(
    {
        "missing-requirements",
        "placeholder-requirements",
        "unknown-requirement",
        "malformed-reference",
        "duplicate-task-id",
        "task-order",
        "status-mismatch",
        "invalid-checkbox",
        "uncovered-requirement",
        "duplicate-requirement-id",
        "unrecognised-requirements",
        "unknown-dependency",
        "dependency-cycle",
        "dependency-not-done",
        "graph-mismatch",
        # the opt-in wording family (checks/wording/)
        "wording-no-modal",
        "wording-ears-pattern",
        "wording-vague",
        "wording-escape-clause",
        "wording-open-ended",
        "wording-compound",
        "wording-unbounded",
        "wording-pronoun",
        "wording-tbd",
        "wording-negative",
        # OpenSpec's `openspec validate --strict` rules (checks/openspec/)
        "openspec-structure",
        "openspec-scenario",
        "openspec-shall",
        "openspec-duplicate-requirement",
        "openspec-rename",
        "openspec-delta-target",
        "openspec-purpose",
        "openspec-no-deltas",
        "openspec-task-numbering",
        "openspec-requirement-length",
        "openspec-proposal",
    }
)

"""Which check codes the incremental engine runs where: per block, from file-wide indexes,
once per spec, per document, or on the whole plan."""

from __future__ import annotations

from ..checks import FAMILIES, RULES, duplicate_task_id, missing_requirements, task_order

# partly per block: duplicate-task-id and task-order compare IDs across the file;
# missing-requirements has file-wide rules (missing_requirements.finish)
GLOBAL_CODES = frozenset({duplicate_task_id.CODE, task_order.CODE, missing_requirements.CODE})
# read only the requirements document and what is covered: checked once per spec, not per block
SPEC_CODES = (
    frozenset({"uncovered-requirement", "duplicate-requirement-id", "unrecognised-requirements"})
    | FAMILIES["wording"]
)
# reported per document by core/openspec.py, never per spec or block
DOCUMENT_CODES = FAMILIES["openspec"]
# execution order (core/deps.py): read the whole document's plan, run on a whole parse when a
# block has `_Depends:` lines or a dependency-graph heading (otherwise they have nothing to say)
DEPS_CODES = frozenset({"unknown-dependency", "dependency-cycle", "dependency-not-done", "graph-mismatch"})
# checked on each block on its own
LOCAL_CODES = frozenset(RULES) - GLOBAL_CODES - SPEC_CODES - DOCUMENT_CODES - DEPS_CODES

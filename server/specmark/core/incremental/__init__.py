"""Incremental analysis of a tasks document: an edit costs the block it touches.

A tasks document is cut into *blocks*: runs of markdown chunks (blocks.chunk_bounds) that
hold one top-level task family (a top-level task, its sub-tasks and their details) or one
heading section with heading tasks. Everything a check says about a task depends only on
its family — except the checks that compare IDs across the file (duplicate-task-id,
task-order), which run over all tasks without re-parsing them, and coverage, which is merged
from per-block sets. Each block is parsed and checked on its own, memoised by its text and
context; an edit re-parses only the blocks whose text changed, the rest is reused.

When a document does something a block cannot see on its own — a sub-task whose parent task
sits in an earlier, unrelated block, or spec-kit story phases (which depend on the heading
hierarchy) — the analysis falls back to parsing the whole document, so the result is always
exactly `analysis.analyze_docs` on the full text (tests/core/test_incremental.py checks that
with hypothesis over random edit sequences).

The parts: scopes.py (which checks run where), partition.py (cutting the document into
blocks), block.py (a block parsed and checked), indexes.py (the file-wide indexes over the
blocks), merge.py (blocks back in document coordinates), analyzer.py (TasksAnalyzer, which
keeps them between versions).
"""

from .analyzer import Placed, TasksAnalyzer
from .block import Block
from .indexes import FileIndexes
from .merge import merged_coverage, shift_finding
from .partition import ChunkInfo, PartitionState
from .scopes import DEPS_CODES, DOCUMENT_CODES, GLOBAL_CODES, LOCAL_CODES, SPEC_CODES

__all__ = [
    "DEPS_CODES",
    "DOCUMENT_CODES",
    "GLOBAL_CODES",
    "LOCAL_CODES",
    "SPEC_CODES",
    "Block",
    "ChunkInfo",
    "FileIndexes",
    "PartitionState",
    "Placed",
    "TasksAnalyzer",
    "merged_coverage",
    "shift_finding",
]

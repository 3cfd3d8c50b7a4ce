"""No navigation feature raises on any input: documents assembled from real corpus lines and
fragments of reference syntax, queried at arbitrary positions (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shared_corpus
from specmark.core.analysis import analyze
from specmark.core.features.navigation.codelens import code_lenses
from specmark.core.features.navigation.definition import definition
from specmark.core.features.navigation.folding import folding_ranges
from specmark.core.features.navigation.hover import hover
from specmark.core.features.navigation.inlay import inlay_hints
from specmark.core.features.navigation.links import document_links
from specmark.core.features.navigation.references import references
from specmark.core.features.navigation.rename import RenameError, prepare_rename, rename
from specmark.core.features.navigation.renumber import renumber_actions
from specmark.core.features.navigation.semantic import semantic_tokens
from specmark.core.features.navigation.symbols import document_symbols, workspace_symbols

CORPUS = shared_corpus.CORPUS  # optional here: its lines only add fragments


def _corpus_lines(name: str) -> list[str]:
    out: list[str] = []
    if CORPUS.is_dir():
        for p in sorted(CORPUS.glob(f"*/{name}")):
            out.extend(p.read_text(encoding="utf-8").split("\n")[:120])
    return out


FRAGMENTS = [
    "- [ ] 1. Task",
    "- [x] 1.1 Sub",
    "  - [ ]* 2.3 Opt",
    "#### 12. Heading task",
    "- [ ] T001 [P] [US1] Kit",
    "  - _Requirements: 1.1, 2-3, 9.9, All_",
    "  - _Requirements: REQ-001, req-2_",
    "  - _Depends: 1.1-1.3, 4._",
    "  - _Requirements: [TBD]_",
    "**Validates: Requirements 1.1**",
    "### Requirement 1: A",
    "### 要件2: B",
    "#### Acceptance Criteria",
    "1. WHEN x THE system SHALL y",
    "2. THE system SHALL z",
    "### REQ-003: C",
    "### User Story 1 - S (Priority: P1)",
    "- **FR-001**: The system MUST",
    "1.1 WHEN bug THEN crash",
    "```",
    "",
    "  - _需求: 所有需求_",
    "😀 [x] 1. emoji",
    "- [ ] 1\\. escaped",
]
TASK_LINES = st.lists(st.sampled_from(_corpus_lines("tasks.md") + FRAGMENTS), max_size=40)
REQ_LINES = st.lists(st.sampled_from(_corpus_lines("requirements.md") + FRAGMENTS), max_size=40)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    TASK_LINES,
    REQ_LINES,
    st.lists(st.tuples(st.integers(-2, 45), st.integers(-2, 90)), min_size=1, max_size=6),
    st.text(max_size=8),
)
def test_no_feature_raises(task_lines, req_lines, positions, name):
    tasks, req = "\n".join(task_lines), "\n".join(req_lines)
    res = analyze({"tasks.md": tasks}, ("requirements.md", req))
    for path in ("tasks.md", "requirements.md"):
        code_lenses(res, path)
        document_symbols(res, path)
        folding_ranges(res, path)
        inlay_hints(res, path)
        document_links(res, path)
        semantic_tokens(res, path)
        for line, col in positions:
            hover(res, path, line, col)
            definition(res, path, line, col)
            references(res, path, line, col)
            try:
                if prepare_rename(res, path, line, col) is not None:
                    rename(res, path, line, col, name or "7")
            except RenameError:
                pass
    workspace_symbols([("s", res)], name)
    for doc in res.tasks:
        renumber_actions(doc)

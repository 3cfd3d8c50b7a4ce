"""core/features/block_view.py: answers computed on one block of a plan (lines counted from the
block's first line) come back in document lines, equal to the answers on the whole document."""

from __future__ import annotations

from specmark.core.analysis import analyze_docs
from specmark.core.config import Config
from specmark.core.features.block_view import completion_at, line_actions, toggle_at
from specmark.core.features.completion import complete
from specmark.core.features.quickfix import quick_fixes
from specmark.core.features.toggle import toggle, toggle_actions
from specmark.core.requirements import parse_requirements
from specmark.core.tasks import parse_tasks

REQ = parse_requirements(
    "# Requirements\n\n### Requirement 1: Login\n\n#### Acceptance Criteria\n\n"
    "1. WHEN a user logs in THEN the system SHALL greet them\n"
    "2. WHEN a user logs out THEN the system SHALL say goodbye\n"
)
PLAN = [
    "# Tasks",
    "",
    "- [ ] 1. First",
    "  - _Requirements: 1.1_",
    "",
    "- [ ] 2. Second",
    "  - [x] 2.1 Only sub-task",
    "    - _Requirements: 1.2_",
    "  - _Requirements: 1._",
]
OFF = 5  # the block of task 2
CFG = Config()


def _block():
    return parse_tasks(PLAN[OFF:], config=CFG)


def _whole():
    return parse_tasks(PLAN, config=CFG)


def test_toggle_at_gives_the_whole_documents_edit():
    edit, why = toggle_at(_block(), OFF, 6, CFG, None)
    assert why == "" and edit == toggle(_whole(), 6, CFG)
    assert edit is not None and edit.span.line == 6
    none, why = toggle_at(_block(), OFF, 8, CFG, None)
    assert none is None and "line 9" in why  # messages count document lines from 1


def test_line_actions_move_fixes_and_toggles_to_document_lines():
    whole = _whole()
    findings = [f for f in analyze_docs([whole], REQ, CFG).findings if f.span.line >= OFF]
    assert {f.code for f in findings} >= {"status-mismatch"}
    got = line_actions(_block(), OFF, findings, 5, 5, 0, CFG, {"1", "1.1", "1.2"}, "\n", None, 50)
    want = quick_fixes(whole, [f for f in findings if f.span.line == 5], 5, 5, CFG, {"1", "1.1", "1.2"}, "\n")
    want += toggle_actions(whole, 5, 5, CFG)
    assert [(a.title, a.edits, a.fix_lines) for a in got] == [(a.title, a.edits, a.fix_lines) for a in want]
    assert got and all(e.span.line >= OFF for a in got for e in a.edits)


def test_completion_at_replaces_a_span_on_the_document_line():
    line, col = 8, len(PLAN[8]) - 1  # after `1.`
    got = completion_at(_block(), OFF, REQ, line, col, (), None)
    want = complete(_whole(), REQ, PLAN, line, col)
    assert got and got == want
    assert {e.replace.line for e in got} == {line}

"""Hover, go to definition and find references, from strings (core/features/navigation)."""

from __future__ import annotations

from demo_spec import LOGIN_REQUIREMENTS as REQ
from demo_spec import LOGIN_TASKS as TASKS
from specmark.core.analysis import analyze
from specmark.core.features.navigation.definition import Location, definition
from specmark.core.features.navigation.hover import hover
from specmark.core.features.navigation.references import references
from specmark.core.model import Span


def spec(tasks=TASKS, req=REQ, **files):
    return analyze({"tasks.md": tasks, **files}, ("requirements.md", req) if req is not None else None)


def col(text: str, line: int, needle: str, nth: int = 0) -> int:
    row = text.split("\n")[line]
    at = -1
    for _ in range(nth + 1):
        at = row.index(needle, at + 1)
    return at


# ---- hover ---------------------------------------------------------------------------------------


def test_hover_criterion_reference_has_title_text_and_coverage():
    h = hover(spec(), "tasks.md", 3, col(TASKS, 3, "1.1") + 1)
    assert h is not None
    assert h.span == Span.on_line(3, 19, 22)
    assert "Requirement 1 — Login" in h.markdown
    assert "WHEN valid THE system SHALL start a session" in h.markdown
    assert h.markdown.endswith("Covered by 1 task (0 done)")


def test_hover_each_end_of_a_range():
    res = spec()
    start = hover(res, "tasks.md", 11, col(TASKS, 11, "2.1"))
    end = hover(res, "tasks.md", 11, col(TASKS, 11, "2.2") + 2)
    assert "end the session" in start.markdown and start.span.col == col(TASKS, 11, "2.1")
    assert "clear the cookie" in end.markdown and end.span.col == col(TASKS, 11, "2.2")
    # 2.2 is covered by the range of 3.1 (done) and by 3.2 (not done)
    assert end.markdown.endswith("Covered by 2 tasks (1 done)")


def test_hover_whole_requirement_reference_counts_tasks_through_its_criteria():
    h = hover(spec(), "tasks.md", 6, col(TASKS, 6, "3_"))
    assert "**Requirement 3**: Audit" in h.markdown
    assert h.markdown.endswith("Covered by 2 tasks (1 done)")


def test_hover_unknown_reference_suggests():
    h = hover(spec(), "tasks.md", 13, col(TASKS, 13, "9.9"))
    assert "**9.9** is not defined in `requirements.md`" in h.markdown


def test_hover_task_line_status_progress_and_resolved_refs():
    res = spec()
    h = hover(res, "tasks.md", 9, 8)
    assert h.markdown.splitlines()[0] == "**Task 3** Log out"
    assert "Status: to do · 1 of 2 sub-tasks done" in h.markdown
    h = hover(res, "tasks.md", 12, 10)
    assert "*(optional)*" in h.markdown
    assert "- `2.2` — Logout: THE system SHALL clear the cookie" in h.markdown
    assert "- `3.2` — Audit: THE system SHALL log logouts" in h.markdown
    assert "- `9.9` — not defined" in h.markdown
    assert "- `3.1` End the session (done)" in h.markdown


def test_hover_range_item_on_task_line_lists_count():
    h = hover(spec(), "tasks.md", 10, 10)
    assert "`2.1-2.2` — 2 IDs: 2.1, 2.2" in h.markdown


def test_hover_requirement_heading_and_criterion_list_covering_tasks():
    res = spec()
    h = hover(res, "requirements.md", 4, 8)
    assert h.markdown.startswith("**Requirement 1**: Login")
    assert "1. WHEN valid" not in h.markdown  # the heading hover stays short
    assert "Covered by 2 tasks (1 done):" in h.markdown
    assert "- [ ] 1 Build the login form (to do)" in h.markdown
    assert "- [x] 2 Lock accounts (done)" in h.markdown
    h = hover(res, "requirements.md", 26, 3)
    assert "**3.2**" in h.markdown and "log logouts" in h.markdown
    # 3.2 directly (task 3.2) and through the whole-requirement reference "3" (task 2)
    assert "- [x] 2 Lock accounts (done)" in h.markdown and "3.2 Clear the cookie" in h.markdown


def test_hover_uncovered_and_nothing():
    req = REQ + "\n### Requirement 4: Export\n\n#### Acceptance Criteria\n\n1. THE system SHALL export\n"
    res = spec(req=req)
    h = hover(res, "requirements.md", 28, 5)
    assert h.markdown.endswith("Not covered by any task")
    assert hover(res, "tasks.md", 0, 3) is None
    assert hover(res, "requirements.md", 1, 0) is None
    assert hover(None, "tasks.md", 3, 20) is None


def test_hover_whole_spec_reference_and_missing_requirements_document():
    tasks = "- [ ] 1. All\n  - _Requirements: All requirements_\n"
    h = hover(spec(tasks), "tasks.md", 1, 22)
    assert "whole-spec reference" in h.markdown and "all 3 requirements" in h.markdown
    h = hover(spec(tasks=TASKS, req=None), "tasks.md", 3, 20)
    assert "no requirements document" in h.markdown


def test_hover_heading_task_status_is_derived():
    tasks = "#### 12. Keys\n\n- [x] 12.1 Generate\n  - _Requirements: 1.1_\n- [x] 12.2 Publish\n  - _Requirements: 1.2_\n"
    h = hover(spec(tasks), "tasks.md", 0, 6)
    assert "Status: done · 2 of 2 sub-tasks done" in h.markdown


# ---- definition ----------------------------------------------------------------------------------


def test_definition_of_criterion_requirement_range_ends_and_depends():
    res = spec()
    assert definition(res, "tasks.md", 3, 20) == [Location("requirements.md", Span.on_line(10, 0, 46))]
    assert definition(res, "tasks.md", 6, 24)[0].span.line == 21  # "3" → the heading
    assert definition(res, "tasks.md", 11, col(TASKS, 11, "2.1"))[0].span.line == 18
    assert definition(res, "tasks.md", 11, col(TASKS, 11, "2.2"))[0].span.line == 19
    assert definition(res, "tasks.md", 7, col(TASKS, 7, "1."))[0] == Location(
        "tasks.md", Span.on_line(2, 2, 29)
    )
    assert definition(res, "tasks.md", 14, col(TASKS, 14, "3.1"))[0].span.line == 10
    assert definition(res, "tasks.md", 13, col(TASKS, 13, "9.9")) == []  # unknown
    assert definition(res, "tasks.md", 2, 10) == []  # not a reference


def test_definition_of_a_story_label_goes_to_the_user_story():
    spec_md = "# Spec\n\n### User Story 1 - Browse (Priority: P1)\n\nAs a user I browse.\n"
    tasks = "- [ ] T001 [P] [US1] Build the list\n"
    res = analyze({"tasks.md": tasks}, ("spec.md", spec_md))
    assert definition(res, "tasks.md", 0, tasks.index("US1") + 1) == [
        Location("spec.md", res.requirements.requirements[0].span)
    ]


# ---- references ----------------------------------------------------------------------------------


def test_references_of_requirement_include_criteria_refs_and_declaration():
    locs = references(spec(), "requirements.md", 4, 0)
    assert locs[0] == Location("requirements.md", Span.on_line(4, 4, 24))
    assert [(loc.span.line, loc.span.col) for loc in locs[1:]] == [(3, 19), (3, 24), (6, 19)]
    assert len(references(spec(), "requirements.md", 4, 0, include_declaration=False)) == 3


def test_references_of_criterion_through_range_and_whole_requirement():
    res = spec()
    # criterion 2.2 from its reference on 3.2's line: the range end of 3.1 and 3.2's own
    locs = references(res, "tasks.md", 13, col(TASKS, 13, "2.2"), include_declaration=False)
    assert [(loc.span.line, loc.span.col) for loc in locs] == [
        (11, col(TASKS, 11, "2.2")),
        (13, col(TASKS, 13, "2.2")),
    ]
    # criterion 3.1: only through the whole-requirement reference "3" of task 2
    locs = references(res, "requirements.md", 25, 0, include_declaration=False)
    assert [(loc.span.line, loc.span.col) for loc in locs] == [(6, 24)]


def test_references_through_a_range_that_does_not_name_the_criterion():
    tasks = "- [ ] 1. All of login\n  - _Requirements: 1.1-1.3_\n"
    res = spec(tasks)
    locs = references(res, "requirements.md", 11, 0, include_declaration=False)  # 1.2
    assert locs == [Location("tasks.md", Span.on_line(1, 19, 26))]  # the whole range token


def test_references_across_tasks_documents_and_all():
    other = "- [ ] 9. Everything\n  - _Requirements: All_\n"
    res = analyze({"tasks.md": TASKS, "more/tasks.md": other}, ("requirements.md", REQ))
    paths = {loc.path for loc in references(res, "requirements.md", 11, 0)}
    assert paths == {"requirements.md", "tasks.md", "more/tasks.md"}


def test_references_of_a_task_are_its_depends():
    res = spec()
    locs = references(res, "tasks.md", 2, 5)
    assert locs == [
        Location("tasks.md", Span.on_line(2, 2, 29)),
        Location("tasks.md", Span.on_line(7, 14, 16)),
    ]
    assert references(res, "tasks.md", 0, 0) is None
    assert references(res, "tasks.md", 13, col(TASKS, 13, "9.9")) is None

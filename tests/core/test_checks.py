"""Every check, positive and negative, with exact ranges (0-based, code points) and messages."""

from __future__ import annotations

import pytest
from specstrings import config, md, of, rng, run, text_at

from specmark.core.analysis import analyze
from specmark.core.checks import CODES, FAMILIES, OPT_IN, RULES
from specmark.core.model import Severity

REQ = """
    # Requirements
    ### Requirement 1: Login
    #### Acceptance Criteria
    1. WHEN a user signs in THEN the system SHALL start a session
    2. WHEN the password is wrong THEN the system SHALL refuse
    ### Requirement 2: Logout
    #### Acceptance Criteria
    1. WHEN the user logs out THEN the system SHALL end the session
"""

COVERING = "  - _Requirements: 1.1, 1.2, 2.1_"


def test_the_codes_and_default_severities():
    assert {
        code: rule.default
        for code, rule in RULES.items()
        if code not in OPT_IN and code not in FAMILIES["openspec"]
    } == {
        "missing-requirements": Severity.WARNING,
        "placeholder-requirements": Severity.WARNING,
        "unknown-requirement": Severity.ERROR,
        "malformed-reference": Severity.WARNING,
        "duplicate-task-id": Severity.ERROR,
        "task-order": Severity.WARNING,
        "status-mismatch": Severity.INFORMATION,
        "invalid-checkbox": Severity.WARNING,
        "uncovered-requirement": Severity.WARNING,
        "duplicate-requirement-id": Severity.ERROR,
        "unrecognised-requirements": Severity.WARNING,
        "unknown-dependency": Severity.ERROR,
        "dependency-cycle": Severity.ERROR,
        "dependency-not-done": Severity.WARNING,
        "graph-mismatch": Severity.WARNING,
    }
    # the opt-in wording family: information when turned on (tests/core/test_wording.py)
    assert {code: rule.default for code, rule in RULES.items() if code in FAMILIES["wording"]} == {
        code: Severity.INFORMATION for code in FAMILIES["wording"]
    }
    assert set(OPT_IN) == FAMILIES["wording"] | {"openspec-proposal"}
    assert len(FAMILIES["wording"]) == 10
    assert len(FAMILIES["openspec"]) == 11  # tests/core/test_openspec.py
    assert CODES == set(RULES)
    for rule in RULES.values():
        assert rule.url.endswith(f"/docs/rules/{rule.code}.md")


def test_a_clean_spec_has_no_findings():
    tasks = """
        - [ ] 1. Sign in
          - [x] 1.1 Session
            - _Requirements: 1.1, 1.2_
          - [ ] 1.2 Sign out
            - _Requirements: 2.1_
        - [ ] 2. Checkpoint - all tests pass
    """
    assert run(tasks, REQ) == []


# --- missing-requirements --------------------------------------------------------------------------


def test_missing_requirements_on_a_leaf():
    tasks = f"""
        - [ ] 1. Covered
        {COVERING}
        - [ ] 2. Not covered
    """
    (f,) = of(run(tasks, REQ), "missing-requirements")
    assert rng(f.span) == (2, 6, 2, 8)
    assert text_at(tasks, f.span) == "2."
    assert f.message == "Task 2 has no _Requirements:_ line; add one, e.g. `_Requirements: 1.1_`"
    assert f.severity is Severity.WARNING and f.path == "tasks.md"


def test_missing_requirements_on_a_task_without_id_marks_the_title():
    (f,) = of(run("- [ ] Write the docs\n", REQ), "missing-requirements")
    assert rng(f.span) == (0, 6, 0, 20)
    assert f.message.startswith("Task 'Write the docs' has no _Requirements:_ line")


def test_missing_requirements_example_without_requirements_document():
    (f,) = run("- [ ] 1. Alone\n", select=["missing-requirements"])
    assert f.message.endswith("e.g. `_Requirements: 1.1_`")
    req = "### REQ-001: Navigation\n#### Acceptance Criteria\n1. WHEN x THEN y\n"
    (f,) = run("- [ ] 1. Alone\n", req, select=["missing-requirements"])
    assert f.message.endswith("e.g. `_Requirements: REQ-001.1_`")


def test_missing_requirements_negatives():
    tasks = """
        - [ ] 1. Parent without refs (not a leaf)
          - [ ] 1.1 Child with refs
            - _Requirements: 1.1_
        - [ ] 2. Parent with refs
          - _Requirements: 1.2_
          - [ ] 2.1 Child inherits its parent's references
        - [ ] 3. Property test
          - **Validates: Requirements 2.1**
        - [ ] 4. Checkpoint - Core classification working
        - [ ] 5. Final checkpoint - Ensure all tests pass
        - [ ] 6. Placeholder reference (reported as placeholder instead)
          - _Requirements: TBD_
        - [ ] 7. Whole spec
          - _Requirements: All requirements_
        ## Task 8: A heading task is never a leaf task that needs references
    """
    assert of(run(tasks, REQ), "missing-requirements") == []


def test_require_references_all_checks_parents_too():
    tasks = """
        - [ ] 1. Parent
          - [ ] 1.1 Child
            - _Requirements: 1.1_
    """
    assert of(run(tasks, REQ), "missing-requirements") == []
    (f,) = of(run(tasks, REQ, cfg=config('require-references = "all"')), "missing-requirements")
    assert rng(f.span) == (0, 6, 0, 8)


def test_require_references_none():
    assert (
        run(
            "- [ ] 1. Anything\n",
            REQ,
            cfg=config('require-references = "none"'),
            select=["missing-requirements"],
        )
        == []
    )


def test_custom_exempt_titles_replace_the_default():
    cfg = config('exempt-titles = ["^docs?:"]')
    tasks = "- [ ] 1. Docs: write the README\n- [ ] 2. Checkpoint - tests\n"
    found = of(run(tasks, REQ, cfg=cfg), "missing-requirements")
    assert [rng(f.span) for f in found] == [(1, 6, 1, 8)]


def test_openspec_requires_no_references():
    tasks = "## 1. Section\n\n- [ ] 1.1 Do it\n- [ ] 1.2 And this\n"
    assert of(run(tasks, flavor="openspec"), "missing-requirements") == []
    # unless the project asks for them
    found = of(
        run(tasks, flavor="openspec", cfg=config('require-references = "leaf"')), "missing-requirements"
    )
    # (no task cites anything: one finding for the plan, on its first task)
    assert [(rng(f.span), f.data) for f in found] == [((2, 6, 2, 9), {"tasks": 2})]


SPEC_KIT_TASKS = """
    # Tasks: Character pages

    ## Phase 1: Setup (Shared Infrastructure)

    - [ ] T001 Create project structure
    - [ ] T002 [P] Configure linting

    ## Phase 3: User Story 1 - Browse Characters (Priority: P1)

    ### Tests for User Story 1

    - [X] T003 [P] [US1] Contract test
    - [ ] T004 [P] Missing story label under a sub-heading of the phase

    ### Implementation

    - [ ] T005 Missing story label too

    ## Phase 4: User Story 2 - Edit (Priority: P2)

    - [x] T006 [US2] Edit form

    ## Phase 5: Polish & Cross-Cutting Concerns

    - [ ] T007 [P] Documentation updates
"""

SPEC_KIT_SPEC = """
    # Feature Specification
    ### User Story 1 - Browse Characters (Priority: P1)
    ### User Story 2 - Edit (Priority: P2)
    ### Functional Requirements
    - **FR-001**: System MUST list characters
"""


def test_spec_kit_story_phase_tasks_need_a_story_label():
    found = run(SPEC_KIT_TASKS, SPEC_KIT_SPEC, req_path="spec.md")
    missing = of(found, "missing-requirements")
    assert [(rng(f.span), f.message, f.data) for f in missing] == [
        (
            (12, 6, 12, 10),
            "Task T004 is in the User Story 1 phase but has no story label; add [US1] after the task ID",
            {"story": "US1"},
        ),
        (
            (16, 6, 16, 10),
            "Task T005 is in the User Story 1 phase but has no story label; add [US1] after the task ID",
            {"story": "US1"},
        ),
    ]
    # setup and polish tasks need no label; FR items are not checked unless a task cites one
    assert of(found, "uncovered-requirement") == []
    assert found == missing


def test_spec_kit_is_detected_from_t_ids_even_without_spec_md():
    result = analyze({"tasks.md": md("## Phase 3: User Story 1\n\n- [ ] T010 No label\n")}, None)
    assert result.flavor == "spec-kit"
    (f,) = result.findings
    assert f.code == "missing-requirements" and f.data == {"story": "US1"}


# --- placeholder-requirements ------------------------------------------------------------------------


def test_placeholder_list():
    tasks = """
        - [ ] 1. Template leftovers
          - _Requirements: [requirement IDs]_
    """
    (f,) = of(run(tasks, REQ), "placeholder-requirements")
    assert rng(f.span) == (1, 19, 1, 36)
    assert text_at(tasks, f.span) == "[requirement IDs]"
    assert f.message == (
        "Task 1: the Requirements line lists [requirement IDs]; "
        "replace it with requirement IDs such as `1.1, 2.3`"
    )


def test_placeholder_empty_list_marks_the_label():
    tasks = """
        - [ ] 1. Empty
          - _Requirements:_
    """
    (f,) = of(run(tasks, REQ), "placeholder-requirements")
    assert rng(f.span) == (1, 5, 1, 17)
    assert text_at(tasks, f.span) == "Requirements"
    assert "lists nothing" in f.message


@pytest.mark.parametrize("body", ["TBD", "{{REQUIREMENT_IDS}}", "N/A", "X.X"])
def test_placeholder_forms(body):
    (f,) = of(run(f"- [ ] 1. T\n  - _Requirements: {body}_\n", REQ), "placeholder-requirements")
    assert f.message.startswith(f"Task 1: the Requirements line lists {body};")


def test_placeholder_token_among_ids():
    tasks = """
        - [ ] 1. Half done
          - _Requirements: 1.1, TBD_
    """
    found = run(tasks, REQ)
    (f,) = of(found, "placeholder-requirements")
    assert rng(f.span) == (1, 24, 1, 27)
    assert f.message == "Task 1: 'TBD' is a placeholder; replace it with a requirement ID"
    assert of(found, "malformed-reference") == []


def test_no_placeholder_on_real_ids():
    assert of(run(f"- [ ] 1. T\n{COVERING}\n", REQ), "placeholder-requirements") == []


# --- unknown-requirement -----------------------------------------------------------------------------


def test_unknown_criterion_with_did_you_mean():
    tasks = """
        - [ ] 1. Sign in
          - _Requirements: 1.1, 1.3_
    """
    (f,) = of(run(tasks, REQ), "unknown-requirement")
    assert rng(f.span) == (1, 24, 1, 27)
    assert text_at(tasks, f.span) == "1.3"
    assert f.message == (
        "Task 1 references criterion 1.3, which requirements.md does not define; did you mean 1.2 or 1.1?"
    )
    assert f.severity is Severity.ERROR
    assert f.data == {"id": "1.3", "suggestions": ["1.2", "1.1"]}
    (rel,) = f.related
    assert rel.path == "requirements.md" and rel.message == "did you mean 1.2?"
    assert rng(rel.span) == (4, 0, 4, 58)


def test_unknown_requirement_without_suggestion():
    (f,) = of(run("- [ ] 1. T\n  - _Requirements: 9_\n", REQ), "unknown-requirement")
    assert rng(f.span) == (1, 19, 1, 20)
    assert f.message == (
        "Task 1 references requirement 9, which requirements.md does not define; "
        "add it to requirements.md or fix the ID"
    )
    assert f.related == ()


def test_unknown_range_end():
    tasks = "- [ ] 1. T\n  - _Requirements: 1.1-1.5_\n"
    (f,) = of(run(tasks, REQ), "unknown-requirement")
    assert rng(f.span) == (1, 23, 1, 26)
    assert "criterion 1.5" in f.message


def test_unknown_written_with_a_word_marks_only_the_id():
    tasks = "- [ ] 1. T\n  - _Requirements: Requirement 7 (Export)_\n"
    (f,) = of(run(tasks, REQ), "unknown-requirement")
    assert rng(f.span) == (1, 31, 1, 32)


def test_unknown_user_story_label():
    tasks = "## Phase 3: User Story 9\n\n- [ ] T010 [US9] Something\n"
    (f,) = of(run(tasks, SPEC_KIT_SPEC, req_path="spec.md"), "unknown-requirement")
    assert rng(f.span) == (2, 12, 2, 15)
    assert f.message.startswith("Task T010 references user story US9, which spec.md does not define")


def test_known_references_of_every_shape():
    tasks = """
        - [ ] 1. T
          - _Requirements: 1.1, 2, Requirement 1.2, 要件2.1, R1.1, 1.1-1.2, 1–2, All_
    """
    assert of(run(tasks, REQ), "unknown-requirement") == []


def test_prefixed_ids_match_case_insensitively():
    req = "### REQ-001: Navigation\n#### Acceptance Criteria\n1. WHEN x THEN y\n"
    assert of(run("- [ ] 1. T\n  - _Requirements: req-001, REQ-001.1_\n", req), "unknown-requirement") == []


def test_no_requirements_document_means_no_unknown_ids():
    assert of(run("- [ ] 1. T\n  - _Requirements: 99.9_\n"), "unknown-requirement") == []
    # nor a requirements document in which nothing was recognised
    assert of(run("- [ ] 1. T\n  - _Requirements: 99.9_\n", "# Notes\n"), "unknown-requirement") == []


# --- malformed-reference ------------------------------------------------------------------------------


def test_malformed_reference():
    tasks = """
        - [ ] 1. T
          - _Requirements: 1.1, Security NFR_
    """
    (f,) = of(run(tasks, REQ), "malformed-reference")
    assert rng(f.span) == (1, 24, 1, 36)
    assert text_at(tasks, f.span) == "Security NFR"
    assert f.message == (
        "Task 1: 'Security NFR' is not a requirement ID; write IDs such as `1.2`, "
        "ranges such as `1.1-1.4`, or `All`"
    )
    assert f.severity is Severity.WARNING


@pytest.mark.parametrize(
    "body", ["All", "全要件", "所有需求", "All requirements validation", "TBD", "1.1-1.2"]
)
def test_not_malformed(body):
    assert of(run(f"- [ ] 1. T\n  - _Requirements: {body}_\n", REQ), "malformed-reference") == []


# --- duplicate-task-id -----------------------------------------------------------------------------


def test_duplicate_task_id():
    tasks = """
        - [ ] 1. First
          - _Requirements: 1.1_
        - [ ] 2. Second
          - _Requirements: 1.2_
        - [ ] 2. Second again
          - _Requirements: 2.1_
    """
    found = run(tasks, REQ)
    (f,) = of(found, "duplicate-task-id")
    assert rng(f.span) == (4, 6, 4, 8)
    assert f.message == "Task ID 2 is already used on line 3; renumber one of them"
    assert f.severity is Severity.ERROR
    (rel,) = f.related
    assert rng(rel.span) == (2, 6, 2, 8) and rel.message == "first use of 2"
    assert of(found, "task-order") == []  # not reported twice


def test_same_id_in_two_task_files_is_fine():
    result = analyze(
        {"a/tasks.md": "- [ ] 1. A\n", "b/tasks.md": "- [ ] 1. B\n"}, None, select=["duplicate-task-id"]
    )
    assert result.findings == []


def test_tasks_without_ids_are_never_duplicates():
    assert of(run("- [ ] Same title\n- [ ] Same title\n"), "duplicate-task-id") == []


# --- task-order ------------------------------------------------------------------------------------


def test_task_order_gap():
    tasks = "- [ ] 1. One\n- [ ] 3. Three\n"
    (f,) = of(run(tasks), "task-order")
    assert rng(f.span) == (1, 6, 1, 8)
    assert f.message == "Task 3 follows task 1; expected 2"
    assert f.data == {"expected": "2"}
    assert rng(f.related[0].span) == (0, 6, 0, 8)


def test_task_order_backwards():
    (f,) = of(run("- [ ] 2. Two\n- [ ] 1. One\n"), "task-order")
    assert f.message == "Task 1 comes after task 2; expected 3"


@pytest.mark.parametrize(
    "tasks, span, message",
    [
        pytest.param(
            """
            - [ ] 1. One
              - [ ] 1.1 a
              - [ ] 1.3 c
            """,
            (2, 8, 2, 11),
            "Task 1.3 follows task 1.1; expected 1.2",
            id="sub-tasks",
        ),
        pytest.param(
            "## Phase 1\n- [ ] T002 a\n## Phase 2\n- [ ] T001 c\n",
            (3, 6, 3, 10),
            "Task T001 comes after task T002; expected T003",
            id="spec-kit-across-phases",
        ),
        pytest.param(
            """
            - [ ] 1. One
              - [ ] 2.1 Belongs to task 2
            - [ ] 2. Two
            """,
            (1, 8, 1, 11),
            "Sub-task 2.1 is nested under task 1; renumber it to 1.x or move it under task 2",
            id="nested-under-the-wrong-parent",
        ),
        pytest.param(
            "- [ ] 1. One\n- [ ] 3.1 Orphan\n",
            (1, 6, 1, 9),
            "Sub-task 3.1 has no parent task 3; add task 3 or renumber it",
            id="sub-task-without-parent",
        ),
    ],
)
def test_task_order_one_finding(tasks, span, message):
    (f,) = of(run(tasks), "task-order")
    assert rng(f.span) == span
    assert f.message == message


def test_task_order_spec_kit_gaps_are_not_reported():
    # T-numbers are names cited across the file: dropped or skipped tasks leave gaps
    tasks = (
        "## Phase 1\n- [ ] T001 a\n- [X] SKIP: T002 (not needed)\n## Phase 2\n- [ ] T003 c\n- [ ] T007 d\n"
    )
    assert of(run(tasks), "task-order") == []


def test_task_order_negatives():
    tasks = """
        ## Task 1: Heading form
        - [ ] 1.1 a
        - [ ] 1.2 b
        ## Task 2: Next
        - [ ] 2.1 a
        - [ ] 3. Flat parent
        - [ ] 3.1 flat child
        - [ ] 3.2 flat child
        - [ ] 3.2.1 third level
        - [ ] 4. Last
        - [ ] Untitled tasks do not count
    """
    assert of(run(tasks), "task-order") == []


# --- status-mismatch -------------------------------------------------------------------------------


def test_done_parent_with_open_sub_task():
    tasks = """
        - [x] 1. Parent
          - [x] 1.1 done
          - [ ] 1.2 open
          - [-] 1.3 in progress
    """
    (f,) = of(run(tasks), "status-mismatch")
    assert rng(f.span) == (0, 2, 0, 5)  # the whole checkbox, [x]
    assert f.message == (
        "Task 1 is done but 2 of its sub-tasks are not (task 1.2 first); reopen it or finish the sub-tasks"
    )
    assert f.severity is Severity.INFORMATION
    assert f.data == {"target": "todo"}
    assert rng(f.related[0].span) == (2, 5, 2, 6)


def test_open_parent_with_all_sub_tasks_done():
    tasks = """
        - [ ] 1. Parent
          - [x] 1.1 done
          - [X] 1.2 done
          - [ ]* 1.3 optional, ignored
        - [-] 2. In progress
        - [x] 2.1 done (flat)
    """
    found = of(run(tasks), "status-mismatch")
    assert [(rng(f.span), f.message, f.data["target"]) for f in found] == [
        ((0, 2, 0, 5), "All 2 required sub-tasks of task 1 are done; mark it done", "done"),
        ((4, 2, 4, 5), "The only required sub-task of task 2 is done; mark it done", "done"),
    ]


def test_status_mismatch_negatives():
    tasks = """
        - [x] 1. Done, only optional sub-tasks open
          - [x] 1.1 done
          - [ ]* 1.2 optional
        - [ ] 2. Open, one sub-task open
          - [x] 2.1 done
          - [ ] 2.2 open
        - [ ] 3. Only optional sub-tasks
          - [x]* 3.1 optional
        ## Task 4: Heading tasks have no checkbox
        - [x] 4.1 done
    """
    assert of(run(tasks), "status-mismatch") == []


# --- invalid-checkbox -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, bracket, fix",
    [
        ("- [ x] 1. Task", "[ x]", "[x]"),
        ("- [X ] 1. Task", "[X ]", "[x]"),
        ("- [] 1. Task", "[]", "[ ]"),
        ("- [y] 1. Task", "[y]", "[ ]"),
        ("- [xx] 1. Task", "[xx]", "[ ]"),
        ("- [/]* 1.1 Task", "[/]", "[ ]"),
    ],
)
def test_invalid_checkbox(line, bracket, fix):
    (f,) = of(run(line + "\n"), "invalid-checkbox")
    start = line.index("[")
    assert rng(f.span) == (0, start, 0, start + len(bracket))
    assert f.message == (
        f"{bracket} is not a checkbox; write {fix} (known status glyphs: ' ' '-' 'X' 'x' '~'), "
        f"or add the glyph to status-glyphs in .specmark.toml"
    )
    assert f.data == {"replacement": fix}


@pytest.mark.parametrize(
    "line",
    [
        "- [link](https://example.com) text",
        "- [^1] footnote",
        "- [ ](x) an empty link",
        "- [abcd] four characters are not a checkbox",
        "Text with [ x] inside",
    ],
)
def test_not_invalid_checkbox(line):
    assert of(run(line + "\n"), "invalid-checkbox") == []


def test_configured_glyph_is_not_invalid():
    cfg = config('[status-glyphs]\n"/" = "in-progress"\n')
    assert of(run("- [/] 1. Task\n", cfg=cfg), "invalid-checkbox") == []
    (f,) = of(run("- [?] 1. Task\n", cfg=cfg), "invalid-checkbox")
    assert "known status glyphs: ' ' '-' '/' 'X' 'x' '~'" in f.message


# --- uncovered-requirement ------------------------------------------------------------------------


def test_uncovered_requirement_and_criterion():
    tasks = "- [ ] 1. T\n  - _Requirements: 1.1_\n"
    found = of(run(tasks, REQ), "uncovered-requirement")
    assert [(f.path, rng(f.span), f.message, f.data) for f in found] == [
        (
            "requirements.md",
            (4, 0, 4, 58),
            "Criterion 1.2 is not covered by any task; reference it from a task's _Requirements:_ line",
            {"id": "1.2"},
        ),
        (
            "requirements.md",
            (5, 16, 5, 17),
            "Requirement 2 (Logout) is not covered by any task; reference it (or its criteria) from tasks.md",
            {"id": "2"},
        ),
    ]
    assert found[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    "refs", ["1, 2", "1.1-1.2, 2.1", "Requirement 1, Requirement 2", "All", "全要件", "1–2"]
)
def test_covered_by_whole_requirements_ranges_and_all(refs):
    assert of(run(f"- [ ] 1. T\n  - _Requirements: {refs}_\n", REQ), "uncovered-requirement") == []


def test_all_in_one_tasks_file_covers_everything():
    result = analyze(
        {"a/tasks.md": "- [ ] 1. A\n  - _Requirements: All_\n", "b/tasks.md": "- [ ] 1. B\n"},
        ("requirements.md", md(REQ)),
        select=["uncovered-requirement"],
    )
    assert result.findings == []


def test_no_tasks_document_means_no_uncovered_findings():
    assert run(None, REQ) == []


def test_uncovered_user_story():
    tasks = "## Phase 3: User Story 1\n\n- [ ] T010 [US1] Browse\n"
    (f,) = of(run(tasks, SPEC_KIT_SPEC, req_path="spec.md"), "uncovered-requirement")
    assert rng(f.span) == (2, 15, 2, 16)
    assert (
        f.message
        == "User story US2 (Edit) is not covered by any task; reference it (or its criteria) from tasks.md"
    )


def test_functional_requirements_checked_once_a_task_cites_one():
    tasks = "## Phase 3: User Story 1\n\n- [ ] T010 [US1] Browse\n  - _Requirements: FR-002_\n"
    spec = SPEC_KIT_SPEC + "    - **FR-002**: System MUST edit\n"
    found = of(run(tasks, spec, req_path="spec.md"), "uncovered-requirement")
    assert [f.data["id"] for f in found] == ["US2", "FR-001"]
    assert rng(found[1].span) == (4, 4, 4, 10)


def test_uncovered_bugfix_group_marks_its_heading():
    bugfix = """
        ### Current Behavior (Defect)
        1.1 WHEN x THEN the system fails
        ### Expected Behavior (Correct)
        2.1 WHEN x THEN the system SHALL work
    """
    (f,) = of(
        run("- [ ] 1. Fix\n  - _Requirements: 1.1_\n", bugfix, req_path="bugfix.md"), "uncovered-requirement"
    )
    assert rng(f.span) == (2, 0, 2, 31)
    assert f.message.startswith("Requirement 2 (Expected Behavior (Correct)) is not covered")


# --- duplicate-requirement-id ---------------------------------------------------------------------


def test_duplicate_requirement_id():
    req = """
        ### Requirement 4: First
        1. a
        ### Requirement 4: Copy-pasted
        1. b
    """
    (f,) = of(run(None, req), "duplicate-requirement-id")
    assert f.path == "requirements.md"
    assert rng(f.span) == (2, 16, 2, 17)
    assert f.message == (
        "Requirement 4 is already defined on line 1; renumber one of them (references to 4 are ambiguous)"
    )
    assert f.severity is Severity.ERROR
    assert rng(f.related[0].span) == (0, 16, 0, 17)


def test_duplicate_requirement_id_negatives():
    bugfix = "### Current\n1.1 WHEN a THEN b\n1.2 WHEN c THEN d\n### Expected\n2.1 WHEN a THEN b\n"
    assert run(None, bugfix, req_path="bugfix.md", select=["duplicate-requirement-id"]) == []
    assert run(None, REQ, select=["duplicate-requirement-id"]) == []
    assert run(None, SPEC_KIT_SPEC, req_path="spec.md", select=["duplicate-requirement-id"]) == []
    written = "### Requirement 1: Login\n#### Acceptance Criteria\n1.1 WHEN a THEN b\n1.2 WHEN c THEN d\n"
    assert run("- [ ] 1. T\n  - _Requirements: 1.1, 1.2_\n", written) == []


# --- severities, select, ignore ---------------------------------------------------------------------

BROKEN = "- [ ] 1. T\n  - _Requirements: 9.9_\n- [ ] 3. Gap\n"


def test_severity_override_and_off():
    cfg = config("""
        [severity]
        unknown-requirement = "warning"
        task-order = "off"
        missing-requirements = "hint"
    """)
    found = run(BROKEN, REQ, cfg=cfg)
    assert {(f.code, f.severity) for f in found} == {
        ("unknown-requirement", Severity.WARNING),
        ("missing-requirements", Severity.HINT),
        ("uncovered-requirement", Severity.WARNING),
    }


def test_select_and_ignore():
    assert {f.code for f in run(BROKEN, REQ, select=["task-order"])} == {"task-order"}
    codes = {f.code for f in run(BROKEN, REQ, ignore=["task-order", "uncovered-requirement"])}
    assert codes == {"unknown-requirement", "missing-requirements"}


def test_findings_are_sorted_by_path_and_position():
    found = run(BROKEN, REQ)
    assert found == sorted(found, key=lambda f: f.sort_key())


# --- design.md: its references are checked like a task's, and never cover anything ----------------

DESIGN = """
    # Design

    ### Property 1: Sessions

    **Validates: Requirements 1.2, 1.7**

    **Validates: Requirements TBD**

    ```
    **Validates: Requirements 9.9**
    ```

    - _Requirements: 1.1, foo bar_
    Some prose ending in **Validates: Requirements 1-4**
"""


def design_findings(tasks: str, design: str = DESIGN):
    return analyze(
        {"tasks.md": md(tasks)}, ("requirements.md", md(REQ)), design=("design.md", md(design))
    ).findings


def test_design_references_are_checked_with_exact_spans():
    found = [
        f for f in design_findings("- [ ] 1. T\n  - _Requirements: 1.1, 1.2_\n") if f.path == "design.md"
    ]
    unknown = of(found, "unknown-requirement")
    assert [(rng(f.span), text_at(DESIGN, f.span)) for f in unknown] == [
        ((4, 31, 4, 34), "1.7"),
        ((13, 49, 13, 50), "4"),
    ]
    assert unknown[0].message == (
        "design.md references criterion 1.7, which requirements.md does not define; did you mean 1.2 or 1.1?"
    )
    assert unknown[0].related and unknown[0].related[0].path == "requirements.md"
    (ph,) = of(found, "placeholder-requirements")
    assert text_at(DESIGN, ph.span) == "TBD" and ph.message.startswith(
        "design.md: the Validates line lists TBD"
    )
    assert ph.data is None  # nothing for a quick fix to read back
    (bad,) = of(found, "malformed-reference")
    assert text_at(DESIGN, bad.span) == "foo bar" and bad.message.startswith("design.md: 'foo bar' is not")
    # the fenced line (9.9) is code, not a reference
    assert all(f.span.line != 9 for f in found)
    assert {f.code for f in found} == {
        "unknown-requirement",
        "placeholder-requirements",
        "malformed-reference",
    }


def test_design_references_never_cover_a_requirement():
    """Only tasks cover requirements: the design citing 1.1 leaves it uncovered."""
    tasks = "- [ ] 1. T\n  - _Requirements: 1.2_\n"
    with_design = of(design_findings(tasks, "**Validates: Requirements 1.1, 2**\n"), "uncovered-requirement")
    without = of(run(tasks, REQ), "uncovered-requirement")
    assert with_design == without and len(without) == 2  # criterion 1.1 and requirement 2


def test_a_design_without_references_or_requirements_adds_nothing():
    tasks = "- [ ] 1. T\n  - _Requirements: 1.1, 1.2_\n"
    assert design_findings(tasks, "# Design\n\nNo references here: 1.9.\n") == design_findings(tasks, "")
    only_design = analyze({"tasks.md": md(tasks)}, None, design=("design.md", md(DESIGN))).findings
    assert not of(only_design, "unknown-requirement")  # nothing to resolve against


# --- plans in their own numbering scheme (task-order stays silent) --------------------------------


@pytest.mark.parametrize(
    "tasks",
    [
        # OpenSpec / Kiro phases carrying the number of the tasks under them
        """
        ## Phase 1: Setup
        - [ ] 1.1 a
        - [ ] 1.2 b
        ## Phase 2: Build
        - [ ] 2.1 c
        - [ ] 2.2 d
        """,
        # section numbers N.0 and bug headings without a trailing dot
        """
        ## 1.0 Setup
        - [ ] 1.1 a
        ## 2.0 Fixes
        ### 2.1 Bug 1: crash
        - [ ] 2.1.1 reproduce
        - [ ] 2.1.2 fix
        ### 2.2 Bug 2: slow
        - [ ] 2.2.1 profile
        """,
        # task headings numbered per phase, major/sub-task words
        """
        ## Phase 1
        ### Task 1.1: Parse
        ### Task 1.2: Check
        ## Phase 2
        ### Task 2.1: Render
        ## Major Task 3: Ship
        ### Sub-task 3.1: Package
        - [ ] Build the wheel
        """,
        # phases over plan-wide numbers
        """
        ## Phase 1
        - [ ] 1. a
        - [ ] 2. b
        ## Phase 2
        - [ ] 3. c
          - [ ] 3.1 c1
        """,
        # IDs inserted after the fact
        """
        - [ ] T075 a
        - [ ] T076 b
        - [ ] T076a c
        - [ ] T077 d
        - [ ] 2. e
          - [ ] 2.1 f
          - [ ] 2.1v g
          - [ ] 2.2 h
        """,
    ],
)
def test_task_order_is_silent_on_consistent_schemes(tasks):
    assert of(run(tasks), "task-order") == []


def test_task_order_still_reports_gaps_under_a_phase():
    tasks = "## Phase 1: Setup\n- [ ] 1.1 a\n- [ ] 1.3 c\n"
    (f,) = of(run(tasks), "task-order")
    assert f.message == "Task 1.3 follows task 1.1; expected 1.2"


def test_missing_requirements_under_a_phase_heading():
    tasks = """
        ## Phase 1: Setup
        - [ ] 1.1 Covered
          - _Requirements: 1.1_
        - [ ] 1.2 Not covered
    """
    (f,) = of(run(tasks, REQ), "missing-requirements")
    assert f.message.startswith("Task 1.2 has no _Requirements:_ line")


# --- checkboxes that are not work items -------------------------------------------------------------


def test_checklists_after_the_plan_are_not_tasks_that_need_references():
    tasks = """
        - [ ] 1. Build it
          - _Requirements: 1.1_

        ## Success Criteria
        - [ ] Users can sign up
        - [ ] Overall success metrics are met

        ### ARM64最適化チェックリスト
        - [ ] Cache-line alignment
    """
    assert of(run(tasks, REQ), "missing-requirements") == []


def test_prerequisites_and_loose_notes_in_a_numbered_plan_are_not_tasks():
    tasks = """
        ## Prerequisites
        - [ ] The database is running

        - [ ] 1. Build it
          - _Requirements: 1.1_
        - [ ] A loose reminder outside any task
    """
    assert of(run(tasks, REQ), "missing-requirements") == []


def test_checkboxes_under_an_acceptance_criteria_label_are_not_tasks():
    tasks = """
        ### Task 1: Ground truth
        - _Requirements: 1.1_

        ### Task 2: Baseline

        **驗收標準**:
        - [x] Record the timings
        - [x] Write the report

        **Acceptance Criteria**:
        - [ ] Numbers are reproducible
    """
    assert of(run(tasks, REQ), "missing-requirements") == []


def test_an_unnumbered_plan_still_needs_references():
    # with no numbered task anywhere, unnumbered checkboxes are the tasks
    tasks = """
        - [ ] Write the parser
          - _Requirements: 1.1_
        - [ ] Write the docs
    """
    (f,) = of(run(tasks, REQ), "missing-requirements")
    assert f.message.startswith("Task 'Write the docs' has no _Requirements:_ line")


def test_steps_of_a_checkpoint_need_no_references():
    tasks = """
        - [ ] 1. Build
          - _Requirements: 1.1_
        - [ ] 2. Checkpoint intermediário
          - [ ] 2.1 `npx tsc --noEmit` passes
          - [ ] 2.2 `npm run build` passes
        - [ ] 3. 检查点 - 确保测试通过
        ## Checkpoint: all green
        - [ ] Run the suite
    """
    assert of(run(tasks, REQ), "missing-requirements") == []


def test_a_plan_that_cites_nothing_gets_one_finding():
    tasks = """
        ## Task 1: Search service
        - [ ] Implement the search
        - [ ] Highlight matches
        ## Task 2: Search bar
        - [ ] Floating bar
    """
    found = of(run(tasks, REQ), "missing-requirements")
    assert [(rng(f.span), f.data) for f in found] == [((1, 6, 1, 26), {"tasks": 3})]
    assert found[0].message == (
        "No task in this plan cites a requirement (3 tasks without one); "
        "add a _Requirements:_ line to each, e.g. `_Requirements: 1.1_`"
    )


# --- localised user stories (spec-kit) ------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    ["### ユーザーストーリー 1 - 一覧", "### 用户故事 1 — 浏览", "### 使用者故事 1 - 查看 (優先級: P1)"],
)
def test_story_labels_resolve_to_localised_story_headings(heading):
    spec = f"# Spec\n{heading}\n### Functional Requirements\n- **FR-001**: System MUST list\n"
    tasks = "## Phase 3: User Story 1\n- [ ] T010 [US1] List\n- [ ] T010a [US1] Filter\n"
    found = run(tasks, spec, req_path="spec.md", flavor="spec-kit")
    assert of(found, "unknown-requirement") == [] and of(found, "missing-requirements") == []


def test_story_phase_headings_in_other_languages_need_story_labels():
    spec = "# Spec\n### 用户故事 1 — 浏览\n"
    tasks = "## 阶段 3: 用户故事 1\n- [ ] T010 No label\n"
    (f,) = of(run(tasks, spec, req_path="spec.md", flavor="spec-kit"), "missing-requirements")
    assert f.data == {"story": "US1"}


# --- unrecognised-requirements --------------------------------------------------------------------

UNREAD_REQ = """
    # Requirements
    ## Functional
    | ID | Requirement |
    |----|-------------|
    | FR-1.1 | Users can sign up |
    | FR-1.2 | Users can log in |
    | FR-2.1 | Users can log out |
"""

UNREAD_TASKS = """
    - [ ] 1. Sign-up
      - _Requirements: FR-1.1, FR-1.2_
    - [ ] 2. Logout
      - _Requirements: FR-2.1, FR-9.9_
"""


def test_unrecognised_requirements_one_finding_instead_of_a_flood():
    found = run(UNREAD_TASKS, UNREAD_REQ)
    (f,) = of(found, "unrecognised-requirements")
    assert f.path == "requirements.md"
    assert text_at(UNREAD_REQ, f.span) == "| FR-1.1 | Users can sign up |"
    assert f.message == (
        "requirements.md: 3 lines look like requirement definitions in a shape specmark does not read "
        "(table row: line 5 `| FR-1.1 | Users can sign up |`, line 6 `| FR-1.2 | Users can log in |`, "
        "line 7 `| FR-2.1 | Users can log out |`); references to their IDs are not checked; "
        'see "Requirements documents" in docs/conventions.md for the shapes specmark reads'
    )
    assert f.data["ids"] == ["FR-1.1", "FR-1.2", "FR-2.1"]
    # no reference is reported unknown: the document defines nothing specmark reads
    assert of(found, "unknown-requirement") == []


def test_unrecognised_requirements_leaves_ids_the_document_lacks_to_unknown_requirement():
    req = (
        UNREAD_REQ
        + """
    ### Requirement 1: Accounts
    #### Acceptance Criteria
    1. WHEN a THEN b
    """
    )
    found = run(UNREAD_TASKS + "  - _Requirements: 1.1, 1.7_\n", req)
    assert len(of(found, "unrecognised-requirements")) == 1
    assert [x.data["id"] for x in of(found, "unknown-requirement")] == ["FR-9.9", "1.7"]


def test_unrecognised_requirements_when_nothing_is_read():
    req = """
        # Requirements
        The system lets users sign up, log in and log out.
    """
    (f,) = of(run(UNREAD_TASKS, req), "unrecognised-requirements")
    assert (f.span.line, f.message.split(" (")[0]) == (
        0,
        "requirements.md defines no requirement that specmark can read",
    )


@pytest.mark.parametrize(
    "req",
    [
        REQ,
        # bold-ID bullets, bold labels, written IDs: read, so nothing to say
        "## Functional\n- **FR1.1**: Users can sign up\n- **FR1.2**: log in\n**FR-2: Logout**\n- FR-2.1: out\n",
        # IDs that are not requirement IDs: audit findings, properties, tests, prose
        "### Requirement 1\n1. WHEN a THEN b\n| C1 | overflow |\n- **CP-1 - Determinism**: x\n- E2E checks: y\n"
        "- FR-1 covers the login page\n1.1 Purpose of this document\n",
        # tables and lists that mention defined IDs; version histories and decimals
        "### Requirement 1\n1. WHEN a THEN b\n## Traceability\n| 1.1 | Task 2 |\n| R1 | x |\n"
        "## History\n| 1.0 | Initial draft |\n| 2.1 | Second |\n- 2.5 seconds is the timeout\n- 0.5: ratio\n",
        "### FR-1: A\n- FR-1.1: a\n## Summary\n| FR-1.1 | covered by task 2 |\n- **FR-1**: see above\n",
    ],
)
def test_unrecognised_requirements_negative(req):
    assert of(run(UNREAD_TASKS, req), "unrecognised-requirements") == []


def test_unrecognised_requirements_needs_a_tasks_document():
    assert of(run(None, UNREAD_REQ), "unrecognised-requirements") == []


def test_references_resolve_into_every_requirements_shape():
    """The definition side of other ID shapes meets refs.py's reading of the references:
    `R1-AC1` is criterion 1.1 (`- AC1:` under requirement 1), `FR4.1` is `FR-4.1`,
    `REQ-2 (FR-2.1, FR-2.4)` names a requirement and two of its written criteria."""
    req = """
        ### Requirement 1: Login
        #### Acceptance Criteria
        - AC1: WHEN a THEN b
        - AC2: WHEN c THEN d
        ### REQ-2: Accounts
        - FR-2.1: sign up
        - FR-2.4: delete
        ### 3. 検索
        **受け入れ条件:**
        - 3.1 x
        - 3.2 y
        ## Functional
        - **FR4.1**: one
        - **NFR5.1**: two
        **FR-6: Title**
        - FR-6.1: a
    """
    tasks = """
        - [ ] 1. a
          - _Requirements: R1-AC1, R1-AC2_
        - [ ] 2. b
          - _Requirements: REQ-2 (FR-2.1, FR-2.4)_
        - [ ] 3. c
          - _Requirements: 3.1, 3.2, FR4.1, NFR-5.1, FR-6.1, R1-AC3_
    """
    found = run(tasks, req)
    assert [(f.code, f.data["id"]) for f in found] == [("unknown-requirement", "1.3")]
    # nothing cites requirement 3's second criterion: reported, at its line
    (f,) = of(run(tasks.replace("3.1, 3.2, ", "3.1, "), req), "uncovered-requirement")
    assert (f.data["id"], f.span.line) == ("3.2", 10)


def test_a_suffixed_id_is_skipped_not_a_break_in_the_sequence():
    tasks = "- [ ] 1. a\n  - [ ] 1.1 b\n  - [ ] 1.1a c\n  - [ ] 1.3 d\n- [ ] T005 e\n- [ ] T005a f\n- [ ] T004 g\n"
    found = of(run(tasks), "task-order")
    assert [f.message for f in found] == [
        "Task 1.3 follows task 1.1; expected 1.2",
        "Task T004 comes after task T005; expected T006",
    ]


def test_unrecognised_requirements_names_written_ids_under_unread_headings():
    req = """
        ## 要件
        ### 1. ファイル名 glob マッチング
        - 1.1 ユーザーが glob を指定したとき、…
        - 1.2 指定されていないならば、…
    """
    (f,) = of(run("- [ ] 1. a\n  - _Requirements: 1.1, 1.2_\n", req), "unrecognised-requirements")
    assert f.span.line == 2
    assert f.message.startswith("requirements.md: 2 lines look like requirement definitions")
    assert "(ID bullet: line 3 `- 1.1 ユーザーが glob を指定したとき、…`, line 4" in f.message


def test_unrecognised_requirements_names_user_stories_in_unknown_words():
    """spec-kit story headings in a language specmark has no words for: one finding, and the
    [USn] labels citing them are not reported one by one."""
    spec = """
        ## User Scenarios
        ### Benutzergeschichte 1 - Anmelden (Priorität: P1)
        ### Benutzergeschichte 2 - Abmelden (Priorität: P2)
        ## Requirements
        - **FR-001**: System MUST sign users in
    """
    tasks = """
        ## Phase 3: User Story 1
        - [ ] T010 [US1] Sign-in form
        - [ ] T011 [US2] Sign-out button
        - [ ] T012 [US3] Not a story of the spec
    """
    found = run(tasks, spec, flavor="spec-kit", req_path="spec.md")
    (f,) = of(found, "unrecognised-requirements")
    assert f.span.line == 1 and "(user story heading: line 2 `### Benutzergeschichte 1" in f.message
    assert [x.data["id"] for x in of(found, "unknown-requirement")] == ["US3"]
    # a story read in known words is not reported
    known = spec.replace("Benutzergeschichte", "User Story")
    assert of(run(tasks, known, flavor="spec-kit", req_path="spec.md"), "unrecognised-requirements") == []


@pytest.mark.parametrize(
    "heading",
    [
        "### ユーザーストーリー 1 - ログイン (優先度: P1)",
        "### 用户故事 1 — 登录 (优先级: P1)",
        "### 使用者故事 1 - 查看 (優先級: P1)",
    ],
)
def test_story_labels_resolve_and_others_stay_unknown(heading):
    spec = f"## シナリオ\n{heading}\n"
    tasks = "- [ ] T001 [US1] 画面\n- [ ] T002 [US2] 別の画面\n"
    found = run(tasks, spec, flavor="spec-kit", req_path="spec.md")
    assert [f.data["id"] for f in of(found, "unknown-requirement")] == ["US2"]
    assert of(found, "unrecognised-requirements") == []

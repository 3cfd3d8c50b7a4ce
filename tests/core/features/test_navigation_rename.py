"""Rename a requirement ID, and renumber tasks, from strings: edits applied byte for byte."""

from __future__ import annotations

import pytest

from specmark.core.analysis import analyze
from specmark.core.features.navigation.rename import RenameError, prepare_rename, rename
from specmark.core.features.navigation.renumber import KIND, TITLE, renumber_actions
from specmark.core.tasks import parse_tasks

REQ = """# Requirements

### Requirement 1: Login

#### Acceptance Criteria

1. WHEN valid THE system SHALL start a session
2. WHEN wrong THE system SHALL show an error

### Requirement 2: Logout

#### Acceptance Criteria

1. THE system SHALL end the session
2. THE system SHALL clear the cookie

### Requirement 3: Audit

#### Acceptance Criteria

1. THE system SHALL log logins
2. THE system SHALL log logouts
"""

TASKS = """# Plan

- [ ] 1. Login
  - _Requirements: 1.1, 1.2_
- [ ] 2. Audit and logout
  - _Requirements: 3, 2.1-2.2, 3.1-3.2_
- [ ] 3. Extra
  - _Requirements: 1-3_
  - **Validates: Requirements 3.2**
"""


def apply(text: str, edits, path: str) -> str:
    """Apply core edits (code-point columns) to `text`, last first."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    spans = sorted(
        (
            (starts[e.span.line] + e.span.col, starts[e.span.end_line] + e.span.end_col, e.new_text)
            for e in edits
            if e.path == path
        ),
        reverse=True,
    )
    for s, e, new in spans:
        text = text[:s] + new + text[e:]
    return text


def spec(tasks=TASKS, req=REQ, req_path="requirements.md"):
    return analyze({"tasks.md": tasks}, (req_path, req))


def test_prepare_rename_on_heading_and_on_reference():
    res = spec()
    t = prepare_rename(res, "requirements.md", 16, 2)
    assert (t.placeholder, t.span.line, t.span.col, t.span.end_col) == ("3", 16, 16, 17)
    t = prepare_rename(res, "tasks.md", 5, TASKS.split("\n")[5].index("3,"))
    assert t.placeholder == "3" and t.span.col == TASKS.split("\n")[5].index("3,")
    assert prepare_rename(res, "tasks.md", 0, 0) is None


def test_prepare_rename_refuses_derived_criteria_tasks_and_all():
    res = spec()
    with pytest.raises(RenameError, match="Criterion 1.1 cannot be renamed: criterion IDs are derived"):
        prepare_rename(res, "tasks.md", 3, 20)
    with pytest.raises(RenameError, match="derived from their position"):
        prepare_rename(res, "requirements.md", 6, 0)
    all_tasks = "- [ ] 1. X\n  - _Requirements: All requirements_\n"
    with pytest.raises(RenameError, match="whole-spec reference"):
        prepare_rename(spec(all_tasks), "tasks.md", 1, 22)


def test_rename_requirement_3_to_4_rewrites_heading_criteria_refs_and_range_ends():
    res = spec()
    edits = rename(res, "requirements.md", 16, 16, "4")
    assert apply(REQ, edits, "requirements.md") == REQ.replace(
        "### Requirement 3: Audit", "### Requirement 4: Audit"
    )
    assert apply(TASKS, edits, "tasks.md") == TASKS.replace(
        "_Requirements: 3, 2.1-2.2, 3.1-3.2_", "_Requirements: 4, 2.1-2.2, 4.1-4.2_"
    ).replace("_Requirements: 1-3_", "_Requirements: 1-4_").replace(
        "Requirements 3.2**", "Requirements 4.2**"
    )


def test_rename_from_a_reference_and_with_a_leading_word():
    res = spec()
    edits = rename(res, "tasks.md", 5, TASKS.split("\n")[5].index("3,"), "Requirement 7")
    assert "### Requirement 7: Audit" in apply(REQ, edits, "requirements.md")
    assert "_Requirements: 7, 2.1-2.2, 7.1-7.2_" in apply(TASKS, edits, "tasks.md")


def test_rename_refuses_an_existing_id_and_a_bad_shape():
    res = spec()
    with pytest.raises(RenameError, match=r"Requirement 2 already exists \(line 10 of requirements.md\)"):
        rename(res, "requirements.md", 16, 16, "2")
    with pytest.raises(RenameError, match="not a requirement ID"):
        rename(res, "requirements.md", 16, 16, "three")
    assert rename(res, "requirements.md", 16, 16, "3") == []


def test_rename_keeps_the_meaning_of_a_range_that_would_grow():
    # 1-3 covers 1, 2, 3; renaming 3 to 5 while 4 exists would make "1-5" cover 4 as well
    req = REQ + "\n### Requirement 4: Export\n\n#### Acceptance Criteria\n\n1. THE system SHALL export\n"
    tasks = "- [ ] 1. Everything\n  - _Requirements: 1-3, 4.1_\n"
    edits = rename(spec(tasks, req), "requirements.md", 16, 16, "5")
    assert apply(tasks, edits, "tasks.md") == "- [ ] 1. Everything\n  - _Requirements: 1, 2, 5, 4.1_\n"


def test_rename_a_range_that_would_shrink_keeps_its_ids():
    # 2.1-2.2 stays a range when 2 becomes 9 (both ends move together)
    tasks = "- [ ] 1. Logout\n  - _Requirements: 2.1-2.2_\n"
    edits = rename(spec(tasks), "requirements.md", 9, 16, "9")
    assert apply(tasks, edits, "tasks.md") == "- [ ] 1. Logout\n  - _Requirements: 9.1-9.2_\n"


@pytest.mark.parametrize(
    "req_path, req, tasks, at, new, written, old, renamed, taken, refusal",
    [
        pytest.param(
            "requirements.md",
            "## Requirements\n\n### REQ-001: Nav\n\n#### Acceptance Criteria\n\n1. WHEN x THEN y\n\n### REQ-002: Chat\n\n1. WHEN a THEN b\n",
            "- [x] 1. Route\n  - _Requirements: REQ-001, REQ-002_\n- [x] 2. More\n  - _Requirements: REQ-001.1_\n",
            ("tasks.md", 1, 20),
            "7",  # digits only: the prefix and width are kept
            "### REQ-007: Nav",
            "REQ-001",
            "REQ-007",
            "REQ-002",
            "REQ-002 already exists",
            id="prefixed-ids-spec-workflow",
        ),
        pytest.param(
            "spec.md",
            "# Spec\n\n### User Story 1 - Browse (Priority: P1)\n\nAs a user.\n\n### User Story 2 - View (Priority: P2)\n",
            "- [ ] T001 [P] [US1] Build the list\n- [ ] T002 [US2] View\n- [ ] T003 [US1] Filter\n",
            ("spec.md", 2, 5),
            "US5",
            "### User Story 5 - Browse (Priority: P1)",
            "[US1]",
            "[US5]",
            "2",
            "User story US2 already exists",
            id="user-story-spec-kit",
        ),
    ],
)
def test_rename_keeps_the_shape_of_the_id(
    req_path, req, tasks, at, new, written, old, renamed, taken, refusal
):
    res = spec(tasks, req, req_path)
    assert prepare_rename(res, *at).placeholder == old.strip("[]")
    edits = rename(res, *at, new)
    assert written in apply(req, edits, req_path)
    assert apply(tasks, edits, "tasks.md") == tasks.replace(old, renamed)
    with pytest.raises(RenameError, match=refusal):
        rename(res, *at, taken)


def test_rename_written_bugfix_criterion():
    bugfix = "# Bugfix\n\n## Current Behavior\n\n1.1 WHEN x THEN the system crashes\n\n## Expected Behavior\n\n2.1 WHEN x THEN the system SHALL work\n"
    tasks = "- [ ] 1. Fix\n  - _Requirements: 1.1, 2.1_\n"
    res = analyze({"tasks.md": tasks}, ("bugfix.md", bugfix))
    with pytest.raises(RenameError, match="rename those instead"):
        prepare_rename(res, "bugfix.md", 2, 3)
    edits = rename(res, "bugfix.md", 8, 0, "2.4")
    assert "2.4 WHEN x THEN the system SHALL work" in apply(bugfix, edits, "bugfix.md")
    assert "_Requirements: 1.1, 2.4_" in apply(tasks, edits, "tasks.md")


# ---- renumber tasks ------------------------------------------------------------------------------


def renumbered(text: str) -> str:
    doc = parse_tasks(text)
    actions = renumber_actions(doc)
    if not actions:
        return text
    assert actions[0].title == TITLE and actions[0].kind == KIND
    return apply(text, actions[0].edits, doc.path)


def test_renumber_clean_sequence_and_depends():
    text = (
        "# Plan\n\n- [ ] 1. A\n  - [ ] 1.1 a\n  - [x] 1.3 b\n- [ ] 5. B\n  - [ ] 5.2 c\n"
        "    - _Depends: 1.3, 5._\n- [ ] 7. C\n"
    )
    assert renumbered(text) == (
        "# Plan\n\n- [ ] 1. A\n  - [ ] 1.1 a\n  - [x] 1.2 b\n- [ ] 2. B\n  - [ ] 2.1 c\n"
        "    - _Depends: 1.2, 2._\n- [ ] 3. C\n"
    )


def test_renumber_keeps_bold_escaped_dots_headings_and_crlf():
    text = "#### 12. Keys\r\n\r\n- [x] 12.1 Gen\r\n- [x] **12.4** Pub\r\n- [ ] 14\\. Next\r\n"
    assert renumbered(text) == "#### 1. Keys\r\n\r\n- [x] 1.1 Gen\r\n- [x] **1.2** Pub\r\n- [ ] 2\\. Next\r\n"


def test_renumber_a_top_level_task_written_with_a_sub_id():
    # 3.1 without a task 3 is a top-level task: it becomes "2." (a top-level ID needs its dot)
    assert renumbered("- [ ] 1. A\n- [ ] 3.1 B\n") == "- [ ] 1. A\n- [ ] 2. B\n"


def test_renumber_duplicate_ids_follow_the_nearest_parent():
    text = "- [x] 1. Summary\n- [x] 2. Summary\n\n### 1. Detail\n\n- [x] 1.1 d\n- [x] 1.2 e\n"
    assert (
        renumbered(text)
        == "- [x] 1. Summary\n- [x] 2. Summary\n\n### 3. Detail\n\n- [x] 3.1 d\n- [x] 3.2 e\n"
    )


def test_renumber_spec_kit_ids_in_document_order():
    text = "- [x] T001 Setup\n- [ ] T003 [P] [US1] Test\n- [ ] T010 Impl\n"
    assert renumbered(text) == "- [x] T001 Setup\n- [ ] T002 [P] [US1] Test\n- [ ] T003 Impl\n"


def test_renumber_offers_nothing_for_a_clean_plan():
    doc = parse_tasks("- [ ] 1. A\n  - [ ] 1.1 a\n- [ ] 2. B\n- [ ] Untitled task without ID\n")
    assert renumber_actions(doc) == []


# ---- design.md -------------------------------------------------------------------------------------

DESIGN = """# Design

## Correctness Properties

### Property 1: Sessions

*For any* login, a session starts.

**Validates: Requirements 3.1, 1.2**

### Property 2: Audit trail
**Validates: Requirements 2.1-3.2**

- _Requirements: 3_
- A sentence that mentions requirement 3 without a label stays as it is

```
**Validates: Requirements 3.1**
```
"""


def test_parse_design_reads_validates_and_requirements_lines_outside_code():
    from specmark.core.design import parse_design

    design = parse_design(DESIGN, "design.md")
    assert [(r.line, [i.text for i in r.items]) for r in design.refs] == [
        (8, ["3.1", "1.2"]),
        (11, ["2.1-3.2"]),
        (13, ["3"]),
    ]
    item = design.refs[0].items[0]
    assert DESIGN.split("\n")[8][item.start_span.col : item.start_span.end_col] == "3.1"


def test_rename_requirement_3_rewrites_design_md_too():
    from specmark.core.design import parse_design

    edits = rename(spec(), "requirements.md", 16, 16, "4", parse_design(DESIGN, "design.md"))
    assert apply(DESIGN, edits, "design.md") == DESIGN.replace(
        "Requirements 3.1, 1.2**", "Requirements 4.1, 1.2**"
    ).replace("Requirements 2.1-3.2**", "Requirements 2.1-4.2**").replace(
        "_Requirements: 3_", "_Requirements: 4_"
    )
    # the fenced example is not a reference
    assert apply(DESIGN, edits, "design.md").endswith("```\n**Validates: Requirements 3.1**\n```\n")


def test_references_include_design_md_citations():
    from specmark.core.design import parse_design
    from specmark.core.features.navigation.references import references

    design = parse_design(DESIGN, "design.md")
    found = references(spec(), "requirements.md", 16, 16, False, design)
    in_design = [
        (loc.span.line, DESIGN.split("\n")[loc.span.line][loc.span.col : loc.span.end_col])
        for loc in found
        if loc.path == "design.md"
    ]
    assert in_design == [(8, "3.1"), (11, "2.1-3.2"), (13, "3")]  # a range: the whole token, as in tasks.md
    # without design.md: only tasks.md
    assert all(loc.path != "design.md" for loc in references(spec(), "requirements.md", 16, 16, False))


DEPS = """- [ ] 1. Login
  - _Requirements: 1.1_
- [ ] 2. Audit
  - _Requirements: 3.1_
  - _Depends: 1_
- [ ] 3. Extra
  - [ ] 3.1 Sub
    - _Requirements: 2.1_

## Task Dependency Graph

```json
{"waves": [{"id": 0, "tasks": ["1"]}, {"id": 1, "tasks": ["2", "3.1"]}]}
```
"""


def test_rename_a_task_rewrites_its_line_depends_and_the_graph():
    res = spec(DEPS)
    t = prepare_rename(res, "tasks.md", 0, 7)
    assert (t.placeholder, t.span.line, t.span.col, t.span.end_col) == ("1", 0, 6, 7)
    edits = rename(res, "tasks.md", 0, 7, "4")
    got = apply(DEPS, edits, "tasks.md")
    assert got == DEPS.replace("- [ ] 1. Login", "- [ ] 4. Login").replace(
        "_Depends: 1_", "_Depends: 4_"
    ).replace('"tasks": ["1"]', '"tasks": ["4"]')
    # from the dependency: the same edit
    col = DEPS.split("\n")[4].index("1_")
    assert prepare_rename(res, "tasks.md", 4, col).placeholder == "1"
    assert apply(DEPS, rename(res, "tasks.md", 4, col, "4"), "tasks.md") == got


def test_task_rename_refuses_parents_clashes_and_other_shapes():
    res = spec(DEPS)
    with pytest.raises(RenameError, match="Renumber tasks"):
        prepare_rename(res, "tasks.md", 5, 7)  # task 3 has sub-task 3.1
    with pytest.raises(RenameError, match="already exists"):
        rename(res, "tasks.md", 0, 7, "2")
    with pytest.raises(RenameError, match="not a task ID like 1"):
        rename(res, "tasks.md", 0, 7, "T001")

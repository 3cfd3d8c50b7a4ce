"""The tasks.md parser: task lines, statuses, optional markers, IDs, labels, heading tasks,
hierarchy, and lines that are never tasks (code, HTML). Ranges are 0-based, in code points."""

from __future__ import annotations

import pytest
from specstrings import config, md, rng, tasks_doc, text_at

from specmark.core.analysis import effective_config
from specmark.core.config import Config
from specmark.core.model import RefKind, Status
from specmark.core.tasks import parse_tasks, subtree_end


def only(doc):
    assert len(doc.tasks) == 1, [t.title for t in doc.tasks]
    return doc.tasks[0]


# --- status glyphs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "glyph, status",
    [
        (" ", Status.TODO),
        ("x", Status.DONE),
        ("X", Status.DONE),
        ("-", Status.IN_PROGRESS),
        ("~", Status.QUEUED),
    ],
)
def test_status_glyphs(glyph, status):
    task = only(tasks_doc(f"- [{glyph}] 1. Title\n"))
    assert task.status is status
    assert task.glyph == glyph
    assert rng(task.glyph_span) == (0, 3, 0, 4)
    assert task.kind == "list"


def test_configured_glyph_is_a_status_and_removed_glyph_is_not():
    cfg = config("""
        [status-glyphs]
        "/" = "in-progress"
        "~" = "off"
    """)
    doc = tasks_doc("- [/] 1. Slash\n- [~] 2. Tilde\n", cfg)
    assert [t.id for t in doc.tasks] == ["1"]
    assert doc.tasks[0].status is Status.IN_PROGRESS
    # a glyph that is no longer known is an invalid checkbox, not a task
    assert [(b.inner, rng(b.span)) for b in doc.bad_checkboxes] == [("~", (1, 2, 1, 5))]


def test_spec_workflow_reads_tilde_as_blocked():
    cfg = effective_config(Config(), "spec-workflow")
    assert only(parse_tasks("- [~] 1. Waiting\n", config=cfg)).status is Status.BLOCKED
    # Kiro reads it as queued; other flavors keep the default
    assert (
        only(parse_tasks("- [~] 1. Waiting\n", config=effective_config(Config(), "kiro"))).status
        is Status.QUEUED
    )


def test_spec_workflow_keeps_an_explicit_tilde_setting():
    cfg = effective_config(config('[status-glyphs]\n"~" = "in-progress"\n'), "spec-workflow")
    assert cfg.status_glyphs["~"] is Status.IN_PROGRESS


# --- optional marker -------------------------------------------------------------------------


def test_optional_marker_star():
    task = only(parse_tasks("  - [ ]* 2.2 Write unit tests\n"))
    assert task.optional == "*"
    assert task.id == "2.2"
    assert rng(task.id_span) == (0, 9, 0, 12)
    assert rng(task.title_span) == (0, 13, 0, 29)
    assert task.title == "Write unit tests"


def test_optional_marker_escaped_star():
    text = "- [x]\\* 2.3 Escaped by a formatter\n"
    task = only(parse_tasks(text))
    assert task.optional == "\\*"
    assert task.status is Status.DONE
    assert rng(task.id_span) == (0, 8, 0, 11)
    assert task.title == "Escaped by a formatter"


def test_bold_after_checkbox_is_not_the_optional_marker():
    task = only(tasks_doc("- [ ] **Step 1: Write the test**\n"))
    assert task.optional == ""
    assert task.id is None
    assert task.title == "**Step 1: Write the test**"


# --- IDs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, ident, id_range",
    [
        ("- [ ] 1. Top level", "1", (0, 6, 0, 8)),  # the span includes the trailing dot
        ("- [ ] 1.1 Sub-task", "1.1", (0, 6, 0, 9)),
        ("- [ ] 1.1.1 Third level", "1.1.1", (0, 6, 0, 11)),
        ("- [ ] 2.1. Trailing dot (spec-workflow)", "2.1", (0, 6, 0, 10)),
        ("- [ ] 3\\. Escaped dot", "3", (0, 6, 0, 9)),
        ("- [ ] 27C. Suffixed", "27C", (0, 6, 0, 10)),
        ("- [ ] **4.** Bold ID", "4", (0, 8, 0, 10)),
        ("- [ ] T001 Spec-kit", "T001", (0, 6, 0, 10)),
    ],
)
def test_task_ids(line, ident, id_range):
    task = only(parse_tasks(line + "\n"))
    assert task.id == ident
    assert rng(task.id_span) == id_range


def test_number_without_dot_is_title_not_id():
    task = only(tasks_doc("- [ ] 2024 roadmap\n"))
    assert task.id is None
    assert task.title == "2024 roadmap"
    assert rng(task.title_span) == (0, 6, 0, 18)
    assert task.label == "Task '2024 roadmap'"


def test_task_without_id():
    task = only(tasks_doc("- [ ] Set up the project\n"))
    assert task.id is None and task.id_span is None
    assert task.title == "Set up the project"
    assert rng(task.title_span) == (0, 6, 0, 24)


def test_spec_kit_labels_and_story():
    text = "- [ ] T012 [P] [US1] Create User model in src/models/user.py\n"
    task = only(parse_tasks(text))
    assert task.id == "T012"
    assert task.labels == ("P", "US1")
    assert task.story == "US1"
    assert rng(task.story_span) == (0, 16, 0, 19)
    assert text[16:19] == "US1"
    assert task.title == "Create User model in src/models/user.py"
    assert rng(task.title_span) == (0, 21, 0, 60)


def test_cc_sdd_parallel_mark():
    task = only(tasks_doc("- [ ] 2.1 (P) Build background worker\n"))
    assert task.labels == ("P",)
    assert task.story is None
    assert task.title == "Build background worker"


@pytest.mark.parametrize("bullet", ["*", "+", "1.", "3)"])
def test_other_list_markers(bullet):
    task = only(parse_tasks(f"{bullet} [x] 5. Done\n"))
    assert task.id == "5" and task.status is Status.DONE


def test_task_in_blockquote():
    task = only(parse_tasks("> - [ ] 1. Quoted\n"))
    assert rng(task.id_span) == (0, 8, 0, 10)


@pytest.mark.parametrize(
    "line",
    [
        "- [x]foo",  # no space after the bracket
        "- [ ](https://example.com) a link",
        "- [link](x) text",
        "[ ] 1. not a list item",
    ],
)
def test_not_tasks(line):
    doc = parse_tasks(line + "\n")
    assert doc.tasks == []
    assert doc.bad_checkboxes == []


# --- heading tasks -----------------------------------------------------------------------------


def test_heading_task_kiro_2026():
    text = md("""
        ## Task 1: Backend API
        - [ ] 1.1 Remove the catch-all route
        - [x] 1.2 Add tests
    """)
    doc = parse_tasks(text)
    head, a, b = doc.tasks
    assert head.kind == "heading" and head.status is None and head.glyph_span is None
    assert head.id == "1"
    assert rng(head.id_span) == (0, 8, 0, 9)
    assert head.title == "Backend API"
    assert rng(head.title_span) == (0, 11, 0, 22)
    assert head.children == [a.index, b.index]
    assert a.parent == head.index and b.parent == head.index


def test_heading_task_openspec_section():
    text = md("""
        ## 1. The update skill

        - [x] 1.1 Create the template
        - [ ] 1.2 Write the instructions

        ## 2. Docs

        - [ ] 2.1 Add a row
    """)
    doc = parse_tasks(text, flavor="openspec")
    h1, t11, t12, h2, t21 = doc.tasks
    assert (h1.kind, h1.id, h1.title) == ("heading", "1", "The update skill")
    assert rng(h1.id_span) == (0, 3, 0, 4)
    assert h1.children == [t11.index, t12.index]
    assert (h2.kind, h2.id) == ("heading", "2")
    assert t21.parent == h2.index


def test_plain_heading_is_not_a_task():
    doc = tasks_doc("""
        # Implementation Plan
        ## Phase 1: Setup
        ### Requirement 1
    """)
    assert doc.tasks == []
    assert [h.text for h in doc.headings] == ["Implementation Plan", "Phase 1: Setup", "Requirement 1"]


# --- hierarchy ---------------------------------------------------------------------------------


def test_hierarchy_from_ids_when_flat():
    doc = tasks_doc("""
        - [ ] 2. Parent at column 0
        - [x] 2.1 Flat child
        - [ ] 2.2 Another flat child
        - [ ] 3. Next parent
    """)
    p, c1, c2, nxt = doc.tasks
    assert p.children == [1, 2]
    assert c1.parent == 0 and c2.parent == 0
    assert nxt.parent is None and p.parent is None
    assert not p.is_leaf and c1.is_leaf


def test_hierarchy_from_ids_beats_indentation():
    doc = tasks_doc("""
        - [ ] 1. One
          - [ ] 2.1 Indented under 1 but numbered for 2
        - [ ] 2. Two
    """)
    one, sub, two = doc.tasks
    # 2 comes after 2.1, so there is no task 2 yet: indentation decides
    assert sub.parent == one.index
    assert two.children == []


def test_three_levels_by_id():
    doc = tasks_doc("""
        - [ ] 1. A
        - [ ] 1.1 B
        - [ ] 1.1.1 C
    """)
    a, b, c = doc.tasks
    assert c.parent == b.index and b.parent == a.index


def test_hierarchy_from_indentation_without_ids():
    doc = tasks_doc("""
        - [ ] Parent
          - [ ] Child
            - [ ] Grandchild
          - [ ] Second child
        - [ ] Sibling
    """)
    parent, child, grand, second, sibling = doc.tasks
    assert parent.children == [child.index, second.index]
    assert child.children == [grand.index]
    assert sibling.parent is None


def test_indentation_with_four_spaces_and_tabs():
    text = "- [ ] 7. Parent\n    - [ ] 7.1 Four spaces\n\t- [ ] 7.2 Tab\n- [ ] 8. Next\n"
    doc = parse_tasks(text)
    parent, a, b, nxt = doc.tasks
    assert parent.children == [a.index, b.index]
    assert (a.indent, b.indent) == (4, 4)
    assert rng(b.id_span) == (2, 7, 2, 10)


def test_details_and_end_lines():
    doc = tasks_doc("""
        - [ ] 1. Parent
          - Create the directory structure

          - _Requirements: 1.1_

        - [ ] 1.1 Child
          - detail

        ## Notes
    """)
    parent, child = doc.tasks
    assert parent.end_line == 3  # trailing blank lines are not part of the block
    assert child.end_line == 6
    assert subtree_end(doc, parent) == 6
    assert doc.task_containing(2) is parent
    assert doc.task_containing(6) is child
    assert doc.task_at_line(5) is child


def test_runs_of_blank_lines_do_not_break_blocks():
    doc = tasks_doc("""
        - [x] 1. Task



          - _需求: 1.1_



        - [x] 2. Next
    """)
    assert [len(t.refs) for t in doc.tasks] == [1, 0]


# --- never a task: code and HTML ---------------------------------------------------------------


def test_no_task_inside_fenced_code():
    doc = tasks_doc("""
        - [ ] 1. Real
        ```markdown
        - [ ] 7. Fake
        ```
        ~~~
        - [x] 8. Also fake
        ~~~
        - [ ] 2. Real again
    """)
    assert [t.id for t in doc.tasks] == ["1", "2"]


def test_unclosed_fence_hides_the_rest():
    doc = tasks_doc("""
        - [ ] 1. Real
        ```
        - [ ] 2. Inside an unclosed fence
    """)
    assert [t.id for t in doc.tasks] == ["1"]


def test_fence_inside_list_item():
    doc = tasks_doc("""
        - [ ] 1. Real
          ```
          - [ ] 9. Fake, in the item's code
          ```
        - [ ] 2. Real
    """)
    assert [t.id for t in doc.tasks] == ["1", "2"]


def test_no_task_in_indented_code():
    doc = tasks_doc("""
        Example:

            - [ ] 7. Fake in indented code

        - [ ] 1. Real
    """)
    assert [t.id for t in doc.tasks] == ["1"]


def test_indented_task_under_a_task_is_not_code():
    doc = tasks_doc("""
        - [ ] 1. Real
            - [ ] 1.1 Four spaces deeper: a nested list, not code
    """)
    assert [t.id for t in doc.tasks] == ["1", "1.1"]


@pytest.mark.parametrize(
    "block",
    [
        "<div>\n- [ ] 7. Fake in an HTML block\n</div>\n",
        "<!--\n- [ ] 7. Fake in a comment\n-->\n",
        "<details>\n<summary>Old plan</summary>\n\n- [ ] 7. Fake? no: a blank line ends a <details> block\n</details>\n",
    ],
)
def test_html_blocks(block):
    doc = parse_tasks(block + "\n- [ ] 1. Real\n")
    ids = [t.id for t in doc.tasks]
    if "blank line ends" in block:
        assert ids == ["7", "1"]
    else:
        assert ids == ["1"]


def test_bad_checkbox_in_code_is_ignored():
    doc = tasks_doc("""
        ```
        - [ x] 1. not reported
        ```
    """)
    assert doc.bad_checkboxes == []


# --- line endings, BOM, columns in code points --------------------------------------------------


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_line_endings(eol):
    text = eol.join(["- [ ] 1. One", "  - _Requirements: 1.1_", "- [x] 2. Two", ""])
    doc = parse_tasks(text)
    assert [(t.id, t.line) for t in doc.tasks] == [("1", 0), ("2", 2)]
    assert doc.tasks[0].title == "One"
    assert rng(doc.tasks[0].refs[0].items[0].span) == (1, 19, 1, 22)


def test_mixed_line_endings():
    doc = parse_tasks("- [ ] 1. One\r\n- [ ] 2. Two\r- [ ] 3. Three\n")
    assert [(t.id, t.line) for t in doc.tasks] == [("1", 0), ("2", 1), ("3", 2)]


def test_bom_shifts_columns_on_the_first_line_only():
    doc = parse_tasks("\ufeff- [ ] 1. One\n- [ ] 2. Two\n")
    one, two = doc.tasks
    assert rng(one.glyph_span) == (0, 4, 0, 5)  # the BOM is one code point of the text
    assert rng(one.id_span) == (0, 7, 0, 9)
    assert rng(two.id_span) == (1, 6, 1, 8)
    assert doc.lines[0] == "- [ ] 1. One"


def test_columns_are_code_points_with_cjk_and_emoji():
    text = "- [ ] 1. 日本語 🎉 タスク\n  - _要件: 1.1, 2.3_\n"
    doc = parse_tasks(text)
    task = doc.tasks[0]
    assert task.title == "日本語 🎉 タスク"
    assert rng(task.title_span) == (0, 9, 0, 18)  # 🎉 is one code point (two UTF-16 units)
    items = task.refs[0].items
    assert [rng(i.span) for i in items] == [(1, 9, 1, 12), (1, 14, 1, 17)]
    assert [text_at(text, i.span) for i in items] == ["1.1", "2.3"]


def test_emoji_before_reference_on_inline_validates():
    text = "- [ ] 1.1 Rocket 🚀 **Validates: Requirements 2.1**\n"
    ref = parse_tasks(text).tasks[0].refs[0]
    assert ref.inline
    assert rng(ref.items[0].span) == (0, 45, 0, 48)
    assert text[45:48] == "2.1"


# --- depends lines -------------------------------------------------------------------------------


def test_depends_line_is_not_a_reference():
    doc = tasks_doc("""
        - [ ] 2.1 Build the worker
          - _Depends: 1.2, 2.3_
    """)
    task = doc.tasks[0]
    assert task.refs == []
    (dep,) = task.depends
    assert [(i.start, rng(i.span)) for i in dep.items] == [("1.2", (1, 14, 1, 17)), ("2.3", (1, 19, 1, 22))]
    assert all(i.kind is RefKind.ID for i in dep.items)


# --- headings carrying a number, suffixed IDs, labels ----------------------------------------------


def shape(doc):
    return [
        (t.line, t.kind, t.id, doc.tasks[t.parent].id if t.parent is not None else None) for t in doc.tasks
    ]


def test_a_phase_heading_is_the_parent_of_the_tasks_numbered_under_it():
    doc = tasks_doc(
        """
        ## Phase 1: Setup

        - [ ] 1.1 Create the folder
        - [ ] 1.2 Add the config

        ## Phase 2 - Build
        - [ ] 2.1 Write the code
        """
    )
    assert shape(doc) == [
        (0, "heading", "1", None),
        (2, "list", "1.1", "1"),
        (3, "list", "1.2", "1"),
        (5, "heading", "2", None),
        (6, "list", "2.1", "2"),
    ]
    phase = doc.tasks[0]
    assert text_at(md("## Phase 1: Setup\n"), phase.id_span) == "1"
    assert phase.title == "Setup" and phase.status is None


@pytest.mark.parametrize(
    "heading",
    [
        "## Phase 3",
        "## フェーズ3: 実装",
        "## 阶段 3：实现",
        "## 第3阶段：实现",
        "## 第 3 フェーズ",
        "## Fase 3 - Implementação",
        "## Stage 3. Ship",
    ],
)
def test_phase_words_in_several_languages(heading):
    doc = tasks_doc(f"{heading}\n- [ ] 3.1 Do it\n")
    assert shape(doc) == [(0, "heading", "3", None), (1, "list", "3.1", "3")]


def test_a_phase_followed_by_plan_wide_numbers_stays_a_heading():
    # Kiro plans often number tasks across phases: `## Phase 2` then `- [ ] 4.`
    doc = tasks_doc(
        """
        ## Phase 1: Base
        - [ ] 1. First
        - [ ] 2. Second
        ## Phase 2: More
        - [ ] 3. Third
          - [ ] 3.1 Its step
        """
    )
    assert shape(doc) == [
        (1, "list", "1", None),
        (2, "list", "2", None),
        (4, "list", "3", None),
        (5, "list", "3.1", "3"),
    ]


def test_dotted_phases_never_become_parents_of_other_numbers():
    doc = tasks_doc("## Phase 3.1: Setup\n- [ ] T001 a\n## Phase 3.2: Tests\n- [ ] T002 b\n")
    assert [t.kind for t in doc.tasks] == ["list", "list"]


def test_section_numbers_n_0_and_bare_n_m_headings():
    doc = tasks_doc(
        """
        ## 1.0 Setup
        - [ ] 1.1 Do a
        ## 2.0 Fixes
        ### 2.1 Bug 1: crash on start
        - [ ] 2.1.1 Reproduce
        ### 2.2 Bug 2: slow
        - [ ] 2.2.1 Profile
        """
    )
    assert shape(doc) == [
        (0, "heading", "1", None),
        (1, "list", "1.1", "1"),
        (2, "heading", "2", None),
        (3, "heading", "2.1", "2"),
        (4, "list", "2.1.1", "2.1"),
        (5, "heading", "2.2", "2"),
        (6, "list", "2.2.1", "2.2"),
    ]


def test_task_headings_numbered_per_phase_and_major_and_sub_task_words():
    doc = tasks_doc(
        """
        ## Phase 1
        ### Task 1.1: Parse
        ### Task 1.2: Check
        ## Major Task 2: Ship
        ### Sub-task 2.1: Package
        - [ ] Build the wheel
        """
    )
    assert shape(doc) == [
        (0, "heading", "1", None),
        (1, "heading", "1.1", "1"),
        (2, "heading", "1.2", "1"),
        (3, "heading", "2", None),
        (4, "heading", "2.1", "2"),
        (5, "list", None, "2.1"),
    ]


def test_a_numbered_heading_without_tasks_under_it_is_a_plain_heading():
    doc = tasks_doc("## Phase 1: Notes\nSome prose.\n## 2.0 Later\n")
    assert doc.tasks == [] and [h.text for h in doc.headings] == ["Phase 1: Notes", "2.0 Later"]


@pytest.mark.parametrize(
    "ident", ["T076a", "T104b", "T158-1", "T031-MIN", "T0-001", "T12-104", "2.1v", "1.2a"]
)
def test_ids_with_a_suffix_are_ids_and_their_story_label_is_seen(ident):
    task = only(tasks_doc(f"- [ ] {ident} [P] [US1] Inserted later\n"))
    assert task.id == ident
    assert task.labels == ("P", "US1") and task.story == "US1"
    assert task.title == "Inserted later"


def test_a_story_label_for_two_stories_names_the_first():
    task = only(tasks_doc("- [ ] T010 [US1/2] Shared work\n"))
    assert task.story == "US1" and task.labels == ("US1/2",)
    assert text_at(md("- [ ] T010 [US1/2] Shared work\n"), task.story_span) == "US1"


def test_spec_kit_template_notes_are_not_checkboxes():
    doc = tasks_doc(
        """
        ## Notes
        - [P] tasks = different files, no dependencies
        - [US*] label maps task to a user story
        - [Story] label maps task to specific user story
        """
    )
    assert doc.tasks == [] and doc.bad_checkboxes == []
    # a near miss of a status glyph still is one
    assert [b.inner for b in tasks_doc("- [xx] 1. Typo\n").bad_checkboxes] == ["xx"]


def test_bold_t_numbers_per_phase():
    task = only(tasks_doc("- [X] **T0-001** `OPS` **Check the environment**\n"))
    assert task.id == "T0-001" and task.title == "`OPS` **Check the environment**"


def test_criteria_of_the_plan_are_not_tasks():
    doc = tasks_doc(
        """
        - [x] 1. Build it
          - _Requirements: 1.1_

        ## Success Criteria

        - [ ] Users can sign up
        - [ ] Latency under 200 ms

        **Definition of Done**:
        - [ ] Reviewed
        """
    )
    assert [t.id for t in doc.tasks] == ["1"]
    assert doc.tasks[0].end_line == 1  # the criteria do not extend task 1's block


@pytest.mark.parametrize(
    "text",
    [
        # a checklist is ticked as work is checked: its items stay tasks
        "## Implementation Checklist\n- [ ] Create the model\n",
        # criteria inside a task are that task's progress
        "### Task 1: Baseline\n**Acceptance Criteria**:\n- [ ] Numbers recorded\n",
        "- [ ] 1. Build\n  - [ ] Acceptance Criteria: a sub-step\n",
        # numbered items under a criteria heading are tasks
        "## Success Criteria\n- [ ] 1. Measure sign-ups\n",
    ],
)
def test_checkboxes_that_stay_tasks(text):
    assert tasks_doc(text).tasks

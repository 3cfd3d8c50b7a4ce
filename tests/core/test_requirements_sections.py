"""requirements.parse_requirements_by_section (the server's parse, section by section, memoised)
equals parse_requirements on the same lines after any sequence of edits (hypothesis)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specmark.core.checks.malformed_reference import section_names
from specmark.core.requirements import (
    code_of,
    parse_requirements,
    parse_requirements_by_section,
    unrecognised_definitions,
)
from specmark.core.text import split_lines

PROFILE = dict(
    max_examples=int(os.environ.get("SPECMARK_INCREMENTAL_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

LINES = st.sampled_from(
    [
        "",
        "",
        "",
        "\ufeff# Requirements",
        "# Requirements Document",
        "## Introduction",
        "Some prose.",
        "### Requirement 1: Login",
        "### Requirement 2: Logout",
        "### Requirement 2: Duplicate",
        "## Requirement 3",
        "#### Requirement 4: deeper",
        "### Requirement 7x: suffixed",
        "### 要件 5：日本語",
        "### REQ-001: Prefixed",
        "### FR-2: Functional",
        "### 1. Overview",
        "### 2 Feature: numbered",
        "### User Story 1 - Sign in (Priority: P1)",
        "#### Acceptance Criteria",
        "**Acceptance Criteria:**",
        "**User Story:** As a user, I want things",
        "1. WHEN a THE s SHALL b",
        "2. THE s SHALL c",
        "   1. nested item",
        "- 1.1 written criterion",
        "- **FR1.1**: text",
        "- AC-6.1: text",
        "- AC1: first",
        "**FR-1: Bold label**",
        "- **FR-001**: System MUST work",
        "- **SC-001**: measurable",
        "1.1 WHEN bug THE s SHALL x",
        "2.1 WHEN other THE s SHALL y",
        "## Current Behavior",
        "| FR-9.9 | unread |",
        "- 3.2 a dotted note",
        "```",
        "```markdown",
        "    ### Requirement 8: indented code",
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "# Appendix",
        "## Glossary",
    ]
)

EDITS = st.lists(st.tuples(st.integers(0, 45), st.integers(0, 3), st.lists(LINES, max_size=4)), max_size=8)


@settings(**PROFILE)
@given(st.lists(LINES, max_size=40), EDITS)
def test_by_section_equals_the_whole_parse(lines, edits):
    for at, delete, insert in [(0, 0, [])] + edits:
        at = min(at, len(lines))
        lines = lines[:at] + insert + lines[at + delete :]
        got = parse_requirements_by_section(lines, "requirements.md", "kiro")
        whole = parse_requirements(list(lines), "requirements.md", "kiro")
        assert got == whole
        assert code_of(got) == code_of(whole)
        # what the checks derive from it section by section equals the same over the whole
        assert unrecognised_definitions(got) == unrecognised_definitions(whole)
        assert section_names(got) == section_names(whole)


@settings(**PROFILE)
@given(st.lists(LINES, max_size=40), EDITS)
def test_by_section_equals_the_whole_parse_of_an_edited_document(lines, edits):
    # the server's way: a Document edited range by range, its lines (chunks shared between
    # versions) parsed again after each edit; sections before and after the edit are reused
    from specmark.core.document import Document

    doc = Document.from_text("file:///r.md", "\n".join(lines))
    for at, delete, insert in [(0, 0, [])] + edits:
        at = min(at, len(doc.bodies) - 1)
        end = min(at + delete, len(doc.bodies) - 1)
        doc = doc.edit((at, 0), (end, 0), "".join(x + "\n" for x in insert), None)
        got = parse_requirements_by_section(doc.bodies, "edited.md", "kiro")
        whole = parse_requirements(list(doc.bodies), "edited.md", "kiro")
        assert got == whole
        assert code_of(got) == code_of(whole)
        assert unrecognised_definitions(got) == unrecognised_definitions(whole)


def test_sections_after_an_inserted_line_are_reused_moved():
    from specmark.core.document import Document

    doc = Document.from_text("file:///r.md", "\n".join(_document(6)))
    first = parse_requirements_by_section(doc.bodies, "moved.md")
    row = doc.bodies.index("### Requirement 3: R3") + 1
    doc = doc.edit((row, 0), (row, 0), "More story.\n", None)
    after = parse_requirements_by_section(doc.bodies, "moved.md")
    assert after == parse_requirements(list(doc.bodies), "moved.md")
    assert after.requirements[:2] == first.requirements[:2]
    assert [r.line for r in after.requirements[3:]] == [r.line + 1 for r in first.requirements[3:]]


def _document(n: int) -> list[str]:
    out = ["# Requirements Document", "", "## Introduction", "", "Prose.", ""]
    for r in range(1, n + 1):
        out += [f"### Requirement {r}: R{r}", "", f"**User Story:** As a user, I want {r}", ""]
        out += ["#### Acceptance Criteria", ""]
        out += [f"{c}. WHEN event {c} THE system SHALL act" for c in range(1, 4)] + [""]
    return out


def test_an_edit_reparses_only_its_section():
    lines = _document(5)
    before = parse_requirements_by_section(lines)
    row = lines.index("### Requirement 3: R3") + 6
    lines[row] += " quickly"
    after = parse_requirements_by_section(lines)
    assert after == parse_requirements(list(lines))
    kept = [a is b for a, b in zip(before.requirements, after.requirements, strict=True)]
    assert kept == [True, True, False, True, True]
    assert after.requirements[2].criteria[0].text.endswith("quickly")


def test_a_line_inserted_moves_the_sections_below():
    lines = _document(4)
    parse_requirements_by_section(lines)
    lines.insert(lines.index("### Requirement 2: R2") + 1, "More story.")
    after = parse_requirements_by_section(lines)
    assert after == parse_requirements(list(lines))
    assert after.requirements[3].line == lines.index("### Requirement 4: R4")


def test_a_heading_in_a_fence_does_not_cut_a_section():
    text = "### Requirement 1: A\n\n```\n### Requirement 2: B\n```\n\n1. THE s SHALL x\n\n### Requirement 3: C\n\n1. THE s SHALL y\n"
    lines = split_lines(text)
    got = parse_requirements_by_section(lines)
    assert got == parse_requirements(text)
    assert [r.id for r in got.requirements] == ["1", "3"]


def test_a_look_ahead_a_later_section_answers_parses_the_whole_document():
    # requirement 3 (level 2) has no Acceptance Criteria heading of its own before requirement 4
    # (level 4); the whole parse looks past that heading and finds one, so its numbered items
    # are not criteria
    text = (
        "### Requirement 1: A\n\n1. THE s SHALL a\n\n## Requirement 3\n\n1. WHEN a THE s SHALL b\n\n"
        "#### Requirement 4: deeper\n\n#### Acceptance Criteria\n\n1. THE s SHALL c\n"
    )
    got = parse_requirements_by_section(split_lines(text))
    assert got == parse_requirements(text)
    assert [len(r.criteria) for r in got.requirements] == [1, 0, 0]


def test_bugfix_groups_across_sections_parse_the_whole_document():
    text = (
        "### Requirement 1: A\n\n1. THE s SHALL a\n\n## Current Behavior\n\n1.1 WHEN x THE s SHALL y\n\n"
        "### Requirement 2: B\n\n1. THE s SHALL b\n\n## Expected Behavior\n\n1.2 WHEN x THE s SHALL z\n\n"
        "### Requirement 3: C\n"
    )
    got = parse_requirements_by_section(split_lines(text))
    assert got == parse_requirements(text)
    assert [len(r.criteria) for r in got.requirements if r.kind == "bugfix-group"] == [2]


def test_corpus_requirements_by_section_equal_the_whole_parse(corpus):
    compared = 0
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        for name in ("requirements.md", "bugfix.md", "spec.md"):
            if not (folder / name).is_file():
                continue
            lines = split_lines((folder / name).read_text(encoding="utf-8", errors="replace"))
            got, whole = parse_requirements_by_section(lines), parse_requirements(list(lines))
            assert got == whole, folder.name
            assert unrecognised_definitions(got) == unrecognised_definitions(whole), folder.name
            assert section_names(got) == section_names(whole), folder.name
            compared += 1
    assert compared >= 10, f"only {compared} corpus requirements documents compared"


def test_an_html_block_left_open_does_not_cut_a_section():
    text = "### Requirement 1: A\n\n1. THE s SHALL x\n<div>\n### Requirement 2: B\n\n1. THE s SHALL y\n\n### Requirement 3: C\n"
    lines = split_lines(text)
    got = parse_requirements_by_section(lines)
    assert got == parse_requirements(text)
    assert code_of(got) == code_of(parse_requirements(text))
    assert [r.id for r in got.requirements] == ["1", "3"]

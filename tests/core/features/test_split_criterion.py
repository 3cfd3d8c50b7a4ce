"""The "Split criterion" action of wording-compound, byte-exact, with the references of
tasks.md and design.md renumbered so that nothing they cite changes meaning."""

from __future__ import annotations

from specmark.core.analysis import analyze
from specmark.core.config import Config
from specmark.core.design import parse_design
from specmark.core.features.split_criterion import citing_documents, split_action
from specmark.core.text import split_lines

REQS = """### Requirement 1: Sign in

#### Acceptance Criteria

1. WHEN a user signs in, THE system SHALL start a session
2. WHEN the tour is dismissed, THE system SHALL record progress and SHALL offer to resume
3. THE system SHALL log every sign-in
4. THE system SHALL lock the account after five failures

### Requirement 2: Sign out

#### Acceptance Criteria

1. THE system SHALL end the session
"""
TASKS = """- [ ] 1. Sign in
  - _Requirements: 1.1, 1.2_
- [ ] 2. Logging
  - _Requirements: 1.3, 1.4, 2.1_
- [ ] 3. Everything
  - _Requirements: 1.1-1.3_
"""
DESIGN = "**Validates: Requirements 1.2, 1.4**\n"


def apply(text: str, edits) -> str:
    lines = split_lines(text)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for e in sorted(edits, key=lambda e: (e.span.line, e.span.col), reverse=True):
        a = offsets[e.span.line] + e.span.col
        b = offsets[e.span.end_line] + e.span.end_col
        text = text[:a] + e.new_text + text[b:]
    return text


def test_split_renumbers_the_list_and_every_reference():
    result = analyze({"tasks.md": TASKS}, ("requirements.md", REQS), Config(wording=True))
    (finding,) = [f for f in result.findings if f.code == "wording-compound"]
    design = parse_design(DESIGN, "design.md")
    action = split_action(result.requirements, finding, citing_documents(result.tasks, design))
    assert action is not None and action.title == "Split criterion 1.2 into two criteria"
    by_path = {}
    for e in action.edits:
        by_path.setdefault(e.path, []).append(e)
    assert apply(REQS, by_path["requirements.md"]) == REQS.replace(
        "2. WHEN the tour is dismissed, THE system SHALL record progress and SHALL offer to resume\n"
        "3. THE system SHALL log every sign-in\n"
        "4. THE system SHALL lock",
        "2. WHEN the tour is dismissed, THE system SHALL record progress\n"
        "3. WHEN the tour is dismissed, THE system SHALL offer to resume\n"
        "4. THE system SHALL log every sign-in\n"
        "5. THE system SHALL lock",
    )
    assert apply(TASKS, by_path["tasks.md"]) == TASKS.replace("1.1, 1.2_", "1.1, 1.2, 1.3_").replace(
        "1.3, 1.4, 2.1", "1.4, 1.5, 2.1"
    ).replace("1.1-1.3", "1.1-1.4")
    assert apply(DESIGN, by_path["design.md"]) == "**Validates: Requirements 1.2, 1.3, 1.5**\n"

    # afterwards: the compound finding is gone and every reference still resolves
    after = analyze(
        {"tasks.md": apply(TASKS, by_path["tasks.md"])},
        ("requirements.md", apply(REQS, by_path["requirements.md"])),
        Config(wording=True),
    )
    assert [f.code for f in after.findings if f.code in ("wording-compound", "unknown-requirement")] == []


def test_a_second_modal_with_its_own_subject_starts_the_new_criterion():
    reqs = REQS.replace(
        "2. WHEN the tour is dismissed, THE system SHALL record progress and SHALL offer to resume",
        "2. WHEN a pod starts THEN the plugin SHALL report devices and the pod SHALL be admitted",
    )
    result = analyze({}, ("requirements.md", reqs), Config(wording=True))
    (finding,) = [f for f in result.findings if f.code == "wording-compound"]
    action = split_action(result.requirements, finding, [])
    assert action is not None
    assert (
        "2. WHEN a pod starts THEN the plugin SHALL report devices\n3. The pod SHALL be admitted\n"
        in apply(reqs, action.edits)
    )


def test_not_offered_for_and_or_or_written_ids():
    reqs = REQS.replace(
        "3. THE system SHALL log every sign-in", "3. THE system SHALL log sign-ins and/or sign-outs"
    )
    result = analyze({}, ("requirements.md", reqs), Config(wording=True))
    andor = [f for f in result.findings if f.data.get("term") == "and/or"]
    assert andor and split_action(result.requirements, andor[0], []) is None
    bugfix = "## Expected Behavior\n\n2.1 WHEN x THEN the system SHALL keep a and SHALL log b\n"
    result = analyze({}, ("bugfix.md", bugfix), Config(wording=True))
    (finding,) = [f for f in result.findings if f.code == "wording-compound"]
    assert split_action(result.requirements, finding, []) is None

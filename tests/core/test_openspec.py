"""OpenSpec capability specs, deltas and changes from strings: each openspec-* rule, positive and
negative, with its line (the parity with the real CLI is tests/openspec/)."""

from __future__ import annotations

from pathlib import Path

from specmark.core.config import Config
from specmark.core.openspec import (
    Delta,
    base_requirements,
    openspec_findings,
    task_numbering,
    validate_delta,
    validate_spec,
)

HEAD = "# Auth\n\n## Purpose\n\nAuthentication of the web application's users, by password and by single sign-on.\n\n"
REQ = (
    "### Requirement: Password sign-in\nThe system SHALL let a user sign in with a password.\n\n"
    "#### Scenario: Valid\n- **WHEN** valid credentials\n- **THEN** a session starts\n"
)


def issues(found) -> list[tuple[str, int | None]]:
    return [(i.code, None if i.line is None else i.line + 1) for i in found]


def test_a_clean_spec_has_no_findings():
    assert validate_spec(HEAD + "## Requirements\n\n" + REQ) == []


def test_missing_sections_stop_there():
    assert issues(validate_spec("# Auth\n\n## Requirements\n\n" + REQ)) == [("openspec-structure", None)]
    got = validate_spec(HEAD + "## Stuff\n\n" + REQ)
    assert issues(got) == [("openspec-structure", None)] and "Requirements section" in got[0].message


def test_delta_header_and_requirement_outside_the_section():
    text = (
        HEAD + "## ADDED Requirements\n\n" + REQ + "\n## Requirements\n\n" + REQ.replace("Password", "Other")
    )
    assert issues(validate_spec(text)) == [("openspec-structure", 7), ("openspec-structure", 9)]


def test_scenarios_and_shall():
    text = (
        HEAD
        + "## Requirements\n\n"
        + (
            "### Requirement: Timeout\nSessions end after 30 minutes.\n\n#### Scenario: Idle\n- **WHEN** idle\n\n"
            "### Requirement: Lockout\nThe system SHALL lock accounts.\n\n- **Scenario: five**\n- **WHEN** x\n\n"
            "### Requirement: Empty\nThe system SHALL log.\n\n#### Scenario: nothing\n\n"
        )
    )
    got = validate_spec(text)
    assert issues(got) == [
        ("openspec-shall", 9),
        ("openspec-scenario", 18),  # on the bullet written as a scenario
        ("openspec-scenario", 21),  # a scenario header with no steps does not count
    ]
    assert got[0].severity.value == "warning" and "should contain SHALL or MUST" in got[0].message
    assert "level-4 headers" in got[1].message


def test_shall_only_in_the_header_is_an_error():
    text = (
        HEAD + "## Requirements\n\n### Requirement: The system SHALL log\n\n#### Scenario: x\n- **WHEN** y\n"
    )
    (got,) = validate_spec(text)
    assert (
        got.code == "openspec-shall"
        and got.severity.value == "error"
        and "not only in the header" in got.message
    )


def test_duplicate_names_and_fenced_code_is_ignored():
    text = HEAD + "## Requirements\n\n" + REQ + "\n```md\n### Requirement: Password sign-in\n```\n\n" + REQ
    assert issues(validate_spec(text)) == [("openspec-duplicate-requirement", 20)]


def test_purpose_placeholder_and_brief():
    assert issues(validate_spec("# A\n\n## Purpose\n\nTBD\n\n## Requirements\n\n" + REQ)) == [
        ("openspec-purpose", 5)
    ]
    assert issues(validate_spec("# A\n\n## Purpose\n\nShort.\n\n## Requirements\n\n" + REQ)) == [
        ("openspec-purpose", 3)
    ]
    spanish = "# A\n\n## Purpose\n\nTodo el sistema de autenticación de la aplicación web, por contraseña.\n\n## Requirements\n\n"
    assert validate_spec(spanish + REQ) == []  # "Todo" is a word, not the marker


DELTA = """## ADDED Requirements

### Requirement: Single sign-on
The system SHALL offer SSO.

#### Scenario: SSO
- **WHEN** a user picks SSO
- **THEN** the provider is asked

## MODIFIED Requirements

### Requirement: Password signin
The system SHALL let a user sign in within 1 s.

#### Scenario: Fast
- **WHEN** valid credentials
- **THEN** a session starts within 1 s

## REMOVED Requirements

- `### Requirement: Legacy login`

## RENAMED Requirements

- FROM: `### Requirement: Password sign-in`
- TO: `### Requirement: Sign-in with a password`
- FROM: `### Requirement: Orphan`
"""


def test_delta_against_its_base():
    base = base_requirements(HEAD + "## Requirements\n\n" + REQ)
    delta = Delta(DELTA)
    assert (len(delta.added), len(delta.modified), len(delta.removed), len(delta.renamed)) == (1, 1, 1, 1)
    got = validate_delta(delta, base)
    assert issues(got) == [
        ("openspec-rename", 27),  # FROM: Orphan, no TO:
        ("openspec-delta-target", 12),  # MODIFIED Password signin
        ("openspec-delta-target", 21),  # REMOVED Legacy login
    ]
    assert 'did you mean "Password sign-in"?' in got[1].message
    # the finding sits on the name
    assert DELTA.splitlines()[11][got[1].col : got[1].end_col] == "Password signin"


def test_delta_without_a_base_checks_only_itself():
    got = validate_delta(Delta(DELTA), None)
    assert [i.code for i in got] == ["openspec-rename"]


def test_delta_conflicts_and_empty_sections():
    text = (
        "### Requirement: Stray\nx\n\n## ADDED Requirements\n\n"
        + REQ
        + "\n"
        + REQ
        + "\n## REMOVED Requirements\n\n- `### Requirement: Password sign-in`\n"
    )
    codes = [(i.code, i.line + 1 if i.line is not None else None) for i in validate_delta(Delta(text), None)]
    assert ("openspec-structure", 1) in codes  # the stray requirement above every section
    assert ("openspec-duplicate-requirement", 13) in codes  # twice in ADDED
    assert ("openspec-duplicate-requirement", 6) in codes  # in ADDED and REMOVED
    assert (
        sum(1 for c, _ in codes if c == "openspec-duplicate-requirement") == 2
    )  # twice ADDED, ADDED+REMOVED
    assert issues(validate_delta(Delta("## ADDED Requirements\n\nnothing\n"), None)) == [
        ("openspec-structure", 1)
    ]
    assert issues(validate_delta(Delta("# Notes\n\nno sections\n"), None)) == [("openspec-structure", None)]


def test_task_numbering():
    text = "## 1. SSO\n\n- [ ] 1.1 Add\n- [ ] 2.2 Wire\n\n## 2. Docs\n\n- [x] 2.1 Document\n- [ ] 02.3 Zero-padded\n"
    assert issues(task_numbering(text)) == [("openspec-task-numbering", 4)]
    assert task_numbering("## Phase 1\n\n- [ ] 2.1 x\n") == []  # no numbered groups: nothing to compare


def write(root: Path, files: dict[str, str]) -> Path:
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return root / "openspec"


def test_changes_on_disk(tmp_path):
    root = write(
        tmp_path,
        {
            "openspec/specs/auth/spec.md": HEAD + "## Requirements\n\n" + REQ,
            "openspec/changes/no-deltas/proposal.md": "# x\n\n## Why\n\nBecause.\n\n## What Changes\n\n- y\n",
            "openspec/changes/skip/proposal.md": "# x\n",
            "openspec/changes/skip/.openspec.yaml": "schema: spec-driven\nskip_specs: true\n",
            "openspec/changes/archive/2025-01-01-old/proposal.md": "# old, never read\n",
            "openspec/changes/ok/specs/auth/spec.md": "## ADDED Requirements\n\n"
            + REQ.replace("Password", "Other"),
        },
    )
    found = openspec_findings(str(root), Config())
    assert [(Path(f.path).relative_to(tmp_path).as_posix(), f.code) for f in found] == [
        ("openspec/changes/no-deltas/proposal.md", "openspec-no-deltas")
    ]
    # opt-in: the proposal rules run when selected
    picked = openspec_findings(str(root), Config(), ["openspec-proposal"])
    assert sorted((Path(f.path).parent.name, f.message[:30]) for f in picked) == [
        ("no-deltas", "Why section must be at least 5"),
        ("skip", "Change must have a What Change"),
        ("skip", "Change must have a Why section"),
    ]

"""OpenSpec editor features from strings: symbols, hover, definition and references between a
delta and its base spec, completion of base names, the scenario code actions, rename."""

from __future__ import annotations

from pathlib import Path

from specmark.core.features import openspec_nav as nav

BASE = """# Auth

## Purpose

Authentication of the web application's users, by password and by single sign-on.

## Requirements

### Requirement: Password sign-in
The system SHALL let a user sign in with a password.

#### Scenario: Valid
- **WHEN** valid credentials
- **THEN** a session starts

### Requirement: Rate limit
The system SHALL slow down repeated sign-ins.

- **Scenario: Five failures** the account is locked
"""
DELTA = """## MODIFIED Requirements

### Requirement: Password sign-in
The system SHALL let a user sign in with a password within 1 s.

#### Scenario: Fast
- **WHEN** valid credentials
- **THEN** a session starts within 1 s

## REMOVED Requirements

### Requirement: Rate limit
"""


def workspace(tmp_path: Path):
    base = tmp_path / "openspec" / "specs" / "auth" / "spec.md"
    delta = tmp_path / "openspec" / "changes" / "faster" / "specs" / "auth" / "spec.md"
    for path, text in ((base, BASE), (delta, DELTA)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def read(p):
        try:
            return Path(p).read_text(encoding="utf-8")
        except OSError:
            return None

    return str(base), str(delta), read


def test_symbols(tmp_path):
    base, delta, _read = workspace(tmp_path)
    syms = nav.symbols(base, BASE)
    assert [(s.name, [c.name for c in s.children]) for s in syms] == [
        ("Password sign-in", ["Valid"]),
        ("Rate limit", []),
    ]
    assert (syms[0].selection.line, syms[0].selection.col) == (8, 17)
    dsyms = nav.symbols(delta, DELTA)
    assert [(s.name, [c.name for c in s.children]) for s in dsyms] == [
        ("MODIFIED Requirements", ["Password sign-in"]),
        ("REMOVED Requirements", ["Rate limit"]),
    ]


def test_hover_on_a_modified_requirement_shows_the_base_and_the_change(tmp_path):
    base, delta, read = workspace(tmp_path)
    md, span = nav.hover(delta, DELTA, 2, 20, read)
    assert (span.line, span.col, span.end_col) == (2, 17, 33)
    assert "The system SHALL let a user sign in with a password." in md
    assert "within 1 s" in md.split("This delta changes it to:")[1]
    assert "Scenarios added: Fast" in md and "Scenarios dropped: Valid" in md


def test_definition_and_references(tmp_path):
    base, delta, read = workspace(tmp_path)
    target = nav.definition(delta, DELTA, 11, 20, read)
    assert (target.path, target.line, target.name) == (base, 15, "Rate limit")
    refs = nav.references(base, BASE, 8, 20, read)
    assert [(r.path, r.line) for r in refs] == [(base, 8), (delta, 2)]


def test_completion_of_base_names_only_where_a_base_name_goes(tmp_path):
    base, delta, read = workspace(tmp_path)
    text = DELTA + "\n## RENAMED Requirements\n\n- FROM: `### Requirement: \n"
    line = len(text.splitlines()) - 1
    got = nav.completion(delta, text, line, len(text.splitlines()[line]), read)
    assert [n for n, _ in got] == ["Password sign-in", "Rate limit"]
    added = "## ADDED Requirements\n\n### Requirement: \n"
    assert nav.completion(delta, added, 2, 17, read) is None


def test_scenario_code_actions(tmp_path):
    base, _delta, _read = workspace(tmp_path)
    acts = nav.code_actions(base, BASE, 15, 18)
    assert [a.title for a in acts] == [
        "Add a scenario to “Rate limit”",
        "Write the scenario as `#### Scenario:`",
    ] or [a.title for a in acts] == [
        "Write the scenario as `#### Scenario:`",
        "Add a scenario to “Rate limit”",
    ]
    fix = next(a for a in acts if a.title.startswith("Write"))
    assert fix.edits[0].new_text == "#### Scenario: Five failures\n- the account is locked"
    add = next(a for a in acts if a.title.startswith("Add"))
    assert add.edits[0].span.line == 18 and "#### Scenario: Name" in add.edits[0].new_text


def test_rename_updates_the_deltas(tmp_path):
    base, delta, read = workspace(tmp_path)
    edits = nav.rename_edits(base, BASE, 15, 20, "Sign-in throttling", read)
    assert [(e.path, e.span.line, e.span.col, e.new_text) for e in edits] == [
        (base, 15, 17, "Sign-in throttling"),
        (delta, 11, 17, "Sign-in throttling"),
    ]

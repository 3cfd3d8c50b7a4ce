"""Live diagnostics through the real server: appear, clear, versions, cross-file updates."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from conftest import DEMO, change, codes, diagnostics_at, open_doc


async def settled(client, uri: str, want: list[str]):
    """The last diagnostics published for `uri`, once their codes are `want` (or after 6 s)."""
    for _ in range(300):
        if codes(client.diagnostics.get(uri, [])) == want:
            break
        await asyncio.sleep(0.02)
    return client.diagnostics[uri]


async def test_clean_plan_has_no_diagnostics(client):
    uri = open_doc(client, DEMO / "tasks.md")
    diags = await diagnostics_at(client, uri, 1)
    assert list(diags) == []


async def test_diagnostic_appears_and_clears_as_lines_are_typed(client):
    uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, uri, 1)
    # line 4 is "  - _Requirements: 1.1, 1.2_"; turn 1.2 into 1.9 (unknown)
    change(client, uri, 2, 4, 26, 4, 27, "9")
    diags = await diagnostics_at(client, uri, 2)
    assert codes(diags) == ["unknown-requirement"]
    d = diags[0]
    assert d.source == "specmark"
    assert d.range.start == types.Position(line=4, character=24) and d.range.end == types.Position(
        line=4, character=27
    )
    assert "did you mean" in d.message
    assert d.code_description.href.endswith("docs/rules/unknown-requirement.md")
    # and back
    change(client, uri, 3, 4, 26, 4, 27, "2")
    diags = await diagnostics_at(client, uri, 3)
    assert list(diags) == []


async def test_deleting_the_reference_line_flags_the_task(client):
    uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, uri, 1)
    change(client, uri, 2, 7, 0, 8, 0, "")  # delete "  - _Requirements: 1.3_"
    diags = await diagnostics_at(client, uri, 2)
    assert codes(diags) == ["missing-requirements"]
    assert diags[0].range.start == types.Position(line=6, character=6)


async def test_unsaved_requirements_change_updates_tasks(client):
    tasks_uri = open_doc(client, DEMO / "tasks.md")
    req_uri = open_doc(client, DEMO / "requirements.md")
    await diagnostics_at(client, tasks_uri, 1)
    await diagnostics_at(client, req_uri, 1)
    # remove criterion 3 of requirement 1 (line 17) in the open, unsaved requirements.md
    text = (DEMO / "requirements.md").read_text(encoding="utf-8").splitlines()
    assert text[16].startswith("3. THE system SHALL lock")
    change(client, req_uri, 2, 16, 0, 17, 0, "")
    await diagnostics_at(client, tasks_uri, None)
    diags = await settled(client, tasks_uri, ["unknown-requirement"])
    assert codes(diags) == ["unknown-requirement"]
    assert "1.3" in diags[0].message


async def test_uncovered_requirement_reverse_update(client):
    tasks_uri = open_doc(client, DEMO / "tasks.md")
    req_uri = open_doc(client, DEMO / "requirements.md")
    await diagnostics_at(client, req_uri, 1)
    # drop the reference to 1.3 from tasks.md → criterion 1.3 becomes uncovered
    change(client, tasks_uri, 2, 7, 19, 7, 22, "1.1")
    diags = await settled(client, req_uri, ["uncovered-requirement"])
    assert codes(diags) == ["uncovered-requirement"]
    assert diags[0].range.start.line == 16


async def test_published_only_when_changed(client):
    uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, uri, 1)
    before = len([p for p in client.publishes if p.uri == uri])
    change(client, uri, 2, 2, 10, 2, 10, " ")  # an edit that changes no finding
    await asyncio.sleep(0.5)
    after = [p for p in client.publishes if p.uri == uri]
    # an unchanged empty list is not re-sent
    assert len(after) == before


PHASED_PLAN = """# Implementation Plan

## Phase 1: Sign in

- [ ] 1.1 Build the login form
  - _Requirements: 1.1, 1.2_
- [x] 1.2 Lock accounts
  - _Requirements: 1.3_

## Phase 2: Sign out

- [ ] 2.1 End the session
  - _Requirements: 2.1_
- [ ] 2.1a Clear the cookie
  - _Requirements: 2.2_
- [ ] 2.2 Checkpoint - all tests pass
  - [ ] Run the suite

## Success Criteria

- [P] tasks = different files
- [ ] Users can sign in and out
"""


async def test_a_phased_plan_with_a_checklist_is_clean_and_stays_exact_as_typed(client):
    # the server (incremental, block by block) says what the CLI says: nothing here is wrong
    uri = open_doc(client, DEMO / "tasks.md", PHASED_PLAN)
    assert list(await diagnostics_at(client, uri, 1)) == []
    # renumber 2.2 to 2.4 (line 15, "- [ ] 2.2 Checkpoint"): a gap in its phase
    change(client, uri, 2, 15, 8, 15, 9, "4")
    diags = await diagnostics_at(client, uri, 2)
    assert codes(diags) == ["task-order"]
    assert diags[0].message == "Task 2.4 follows task 2.1; expected 2.2"


async def test_requirements_in_an_unread_shape_one_finding_not_a_flood(client):
    """A table row defining FR-9.1 (a shape specmark does not read) in the open requirements.md,
    cited from tasks.md: one unrecognised-requirements warning on requirements.md, no
    unknown-requirement on tasks.md — what `specmark check` says of the same files."""
    tasks_uri = open_doc(client, DEMO / "tasks.md")
    req_uri = open_doc(client, DEMO / "requirements.md")
    await diagnostics_at(client, tasks_uri, 1)
    await diagnostics_at(client, req_uri, 1)
    lines = (DEMO / "requirements.md").read_text(encoding="utf-8").split("\n")
    end = len(lines) - 1
    change(
        client, req_uri, 2, end, len(lines[end]), end, len(lines[end]), "\n\n| FR-9.1 | Users can export |\n"
    )
    # line 4 is "  - _Requirements: 1.1, 1.2_": cite FR-9.1 too
    change(client, tasks_uri, 2, 4, 27, 4, 27, ", FR-9.1")
    for _ in range(300):
        if (
            codes(client.diagnostics.get(req_uri, [])) == ["unrecognised-requirements"]
            and client.versions.get(tasks_uri) == 2
        ):
            break
        await asyncio.sleep(0.02)
    (d,) = client.diagnostics[req_uri]
    assert d.code == "unrecognised-requirements" and d.range.start.line == end + 2
    assert "table row" in d.message
    assert list(client.diagnostics[tasks_uri]) == []


async def test_a_large_plan_analysed_whole_then_edited(client):
    """A plan of 20,000 lines or more gets its first diagnostics from the whole-document
    analysis and its incremental engine afterwards (State.whole_first_lines): the findings are
    those of the engine, at open and after edits, whether or not the engine is built yet."""
    lines = ["# Implementation Plan", ""]
    for t in range(1, 2_001):
        lines += [f"- [ ] {t}. Task {t}", "  - Do it", f"  - _Requirements: {1 + t % 2}.1_", ""]
    lines += ["- [ ] 2001. Last", "  - _Requirements: 1.9_"]  # unknown
    lines += [""] * (20_000 - len(lines))
    uri = open_doc(client, DEMO / "tasks.md", "\n".join(lines))
    diags = await diagnostics_at(client, uri, 1, timeout=30)
    assert codes(diags) == ["unknown-requirement"]
    assert diags[0].range.start.line == 8_003
    # at once (the engine may not be built yet), and later: a second unknown ID, then both fixed
    change(client, uri, 2, 4, 19, 4, 20, "9")  # task 1's `_Requirements: 2.1_` → 9.1
    diags = await diagnostics_at(client, uri, 2, timeout=30)
    assert codes(diags) == ["unknown-requirement", "unknown-requirement"]
    await asyncio.sleep(0.5)
    change(client, uri, 3, 4, 19, 4, 20, "2")
    change(client, uri, 4, 8_003, 19, 8_003, 22, "1.2")
    diags = await diagnostics_at(client, uri, 4, timeout=30)
    assert list(diags) == []
    assert not [m.message for m in client.log_messages if "failed" in m.message]

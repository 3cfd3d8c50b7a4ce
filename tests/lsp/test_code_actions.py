"""Code actions and the toggle command, applied and compared byte for byte."""

from __future__ import annotations

from lsprotocol import types

from conftest import DEMO, actions_at, apply_text_edits, diagnostics_at, edits_of, open_doc


def by_title(actions, title):
    found = [a for a in actions if a.title == title]
    assert found, f"no action {title!r} in {[a.title for a in actions]}"
    return found[0]


async def test_toggle_done_and_back(client):
    text = (DEMO / "tasks.md").read_text(encoding="utf-8")
    uri = open_doc(client, DEMO / "tasks.md", text)
    await diagnostics_at(client, uri, 1)
    actions = await actions_at(client, uri, 2, col=12)
    action = by_title(actions, "Mark task 1 done")
    new = apply_text_edits(text, edits_of(action.edit, uri))
    assert new == text.replace("- [ ] 1. Build", "- [x] 1. Build", 1)
    titles = [a.title for a in actions]
    assert "Mark task 1 in progress" in titles
    actions = await actions_at(client, uri, 6)
    action = by_title(actions, "Mark task 2 not done")
    assert apply_text_edits(text, edits_of(action.edit, uri)) == text.replace(
        "- [x] 2. Lock", "- [ ] 2. Lock", 1
    )


async def test_versioned_document_changes_for_clients_that_support_them(client):
    uri = open_doc(client, DEMO / "tasks.md", version=7)
    await diagnostics_at(client, uri, 7)
    actions = await actions_at(client, uri, 2)
    edit = by_title(actions, "Mark task 1 done").edit
    if client.preset == "visual-studio-code":
        assert edit.document_changes and edit.document_changes[0].text_document.version == 7
    else:
        assert edit.changes or edit.document_changes


CRLF_EMOJI = (
    "# Plan\r\n\r\n"
    "- [ ] 1. Ship the 😀 emoji feature 🚀\r\n"
    "  - _Requirements: 1.1_\r\n"
    "- [ ]* 2. Optional polish\r\n"
    "  - _Requirements: 1.2_\r\n"
    "- [ ]\\* 3. Escaped optional\r\n"
    "  - _Requirements: 2.1_\r\n"
)


async def test_toggle_keeps_every_other_byte_crlf_emoji_optional(client):
    path = DEMO / "tasks.md"
    uri = open_doc(client, path, CRLF_EMOJI)
    await diagnostics_at(client, uri, 1)
    expected = {
        2: CRLF_EMOJI.replace("- [ ] 1. Ship", "- [x] 1. Ship"),
        4: CRLF_EMOJI.replace("- [ ]* 2.", "- [x]* 2."),
        6: CRLF_EMOJI.replace("- [ ]\\* 3.", "- [x]\\* 3."),
    }
    for line, want in expected.items():
        actions = await actions_at(client, uri, line, col=20)
        done = [
            a
            for a in actions
            if a.title.startswith("Mark task")
            and a.title.endswith(" done")
            and "not" not in a.title
            and "sub-tasks" not in a.title
        ]
        got = apply_text_edits(CRLF_EMOJI, edits_of(done[0].edit, uri))
        assert got.encode("utf-8") == want.encode("utf-8")


async def test_selection_sets_all_tasks_to_one_state(client):
    text = (DEMO / "tasks.md").read_text(encoding="utf-8")
    uri = open_doc(client, DEMO / "tasks.md", text)
    await diagnostics_at(client, uri, 1)
    actions = await actions_at(client, uri, 2, end_line=12, end_col=5)
    action = by_title(actions, "Mark 5 tasks done")
    new = apply_text_edits(text, edits_of(action.edit, uri))
    assert new.count("[x]") == 5 and "[ ]" not in new
    assert "- [x]* 3.2 Clear the cookie" in new


async def test_parent_and_subtasks_done(client):
    text = (DEMO / "tasks.md").read_text(encoding="utf-8")
    uri = open_doc(client, DEMO / "tasks.md", text)
    await diagnostics_at(client, uri, 1)
    actions = await actions_at(client, uri, 9)
    action = by_title(actions, "Mark task 3 and its 2 sub-tasks done")
    new = apply_text_edits(text, edits_of(action.edit, uri))
    assert "- [x] 3. Log out" in new and "- [x] 3.1" in new and "- [x]* 3.2" in new


async def test_quick_fix_missing_requirements_inserts_line(client):
    text = "# Plan\n\n- [ ] 1. Build it\n  - Some detail\n\n- [ ] 2. Other\n  - _Requirements: 1.1_\n"
    uri = open_doc(client, DEMO / "tasks.md", text)
    diags = await diagnostics_at(client, uri, 1)
    assert [d.code for d in diags] == ["missing-requirements"]
    actions = await actions_at(client, uri, 2, diags=diags)
    fix = by_title(actions, "Add a _Requirements:_ line to task 1")
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert [d.code for d in fix.diagnostics] == ["missing-requirements"]
    new = apply_text_edits(text, edits_of(fix.edit, uri))
    assert (
        new
        == "# Plan\n\n- [ ] 1. Build it\n  - Some detail\n  - _Requirements: _\n\n- [ ] 2. Other\n  - _Requirements: 1.1_\n"
    )


async def test_quick_fix_unknown_requirement(client):
    text = "- [ ] 1. Build it\n  - _Requirements: 1.7_\n"
    uri = open_doc(client, DEMO / "tasks.md", text)
    diags = await diagnostics_at(client, uri, 1)
    unknown = [d for d in diags if d.code == "unknown-requirement"]
    assert unknown
    actions = await actions_at(client, uri, 1, diags=unknown)
    fix = by_title(actions, "Change to 1.3")
    assert apply_text_edits(text, edits_of(fix.edit, uri)) == text.replace("1.7", "1.3")


async def test_quick_fix_placeholder_and_status_mismatch(client):
    text = (
        "- [ ] 1. Implement Requirement 1.2 handling\n  - _Requirements: [requirement IDs]_\n"
        "- [ ] 2. Parent\n  - [x] 2.1 Child\n    - _Requirements: 2.1_\n"
    )
    uri = open_doc(client, DEMO / "tasks.md", text)
    diags = await diagnostics_at(client, uri, 1)
    assert sorted(d.code for d in diags) == ["placeholder-requirements", "status-mismatch"]
    actions = await actions_at(client, uri, 1, diags=diags)
    fix = by_title(actions, "Replace the placeholder with 1.2")
    assert apply_text_edits(text, edits_of(fix.edit, uri)).splitlines()[1] == "  - _Requirements: 1.2_"
    actions = await actions_at(client, uri, 2, diags=diags)
    fix = by_title(actions, "Mark task 2 done to match its sub-tasks")
    assert apply_text_edits(text, edits_of(fix.edit, uri)).splitlines()[2] == "- [x] 2. Parent"


async def test_toggle_command_goes_through_apply_edit(client):
    text = (DEMO / "tasks.md").read_text(encoding="utf-8")
    uri = open_doc(client, DEMO / "tasks.md", text)
    await diagnostics_at(client, uri, 1)
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="specmark.toggleTask", arguments=[uri, 12])
    )
    assert result["applied"] is True
    assert len(client.applied_edits) == 1
    new = apply_text_edits(text, edits_of(client.applied_edits[0], uri))
    assert "- [x]* 3.2 Clear the cookie" in new
    assert new.replace("- [x]* 3.2", "- [ ]* 3.2") == text


async def test_toggle_command_bad_arguments_answer_without_crashing(client):
    uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, uri, 1)
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="specmark.toggleTask", arguments=["not-a-uri"])
    )
    assert result["applied"] is False
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="specmark.toggleTask", arguments=[uri, 1])
    )
    assert result["applied"] is False and "no task" in result["reason"]
    assert client.applied_edits == []
    # the server still answers
    actions = await actions_at(client, uri, 2)
    assert actions

"""The opt-in wording family through the real server: switched on and off through the editor's
settings (workspace/didChangeConfiguration, as VS Code sends it), exact ranges, typing in a
criterion, and the hover on a flagged word."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from conftest import DEMO, actions_at, change, codes, diagnostics_at, open_doc


async def _until(client, uri, want, tries=300):
    for _ in range(tries):
        got = client.diagnostics.get(uri, [])
        if want(got):
            return got
        await asyncio.sleep(0.02)
    raise AssertionError(
        f"diagnostics never matched: {[(d.code, d.range.start) for d in client.diagnostics.get(uri, [])]}"
    )


def _wording(diags):
    return [
        (d.code, d.range.start.line, d.range.start.character, d.range.end.character)
        for d in diags
        if str(d.code).startswith("wording-")
    ]


async def test_wording_switched_on_and_off_through_settings(client):
    lines = (DEMO / "requirements.md").read_text(encoding="utf-8").splitlines()
    assert lines[15] == "2. WHEN the credentials are wrong THE system SHALL show an error"
    lines[15] = "2. WHEN the credentials are wrong THE system SHALL show an appropriate error"
    text = "\n".join(lines) + "\n"
    open_doc(client, DEMO / "tasks.md")
    req_uri = open_doc(client, DEMO / "requirements.md", text)
    assert _wording(await diagnostics_at(client, req_uri, 1)) == []

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"specmark": {"wording": True}})
    )
    col = lines[15].index("appropriate")
    got = await _until(client, req_uri, lambda d: _wording(d))
    assert _wording(got) == [("wording-vague", 15, col, col + len("appropriate"))]
    assert [d.severity for d in got if d.code == "wording-vague"] == [types.DiagnosticSeverity.Information]

    # typing a vague word into criterion 3 (line 16) reports it; the first one stays
    assert lines[16] == "3. THE system SHALL lock the account after five failures"
    end = len(lines[16])
    change(client, req_uri, 2, 16, end, 16, end, " quickly")
    got = await _until(client, req_uri, lambda d: len(_wording(d)) == 2)
    assert _wording(got) == [
        ("wording-vague", 15, col, col + len("appropriate")),
        ("wording-vague", 16, end + 1, end + 1 + len("quickly")),
    ]

    # the hover on the flagged word explains the rule
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=req_uri),
            position=types.Position(line=15, character=col + 2),
        )
    )
    assert hover is not None and "**wording-vague**" in hover.contents.value

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"specmark": {"wording": False}})
    )
    got = await _until(client, req_uri, lambda d: not _wording(d))
    assert codes(got) == [c for c in codes(got) if not c.startswith("wording-")]


async def test_split_compound_criterion_action_rewrites_the_references(client):
    lines = (DEMO / "requirements.md").read_text(encoding="utf-8").splitlines()
    assert lines[14] == "1. WHEN the user submits valid credentials THE system SHALL start a session"
    lines[14] += " and SHALL remember the device"
    req_uri = open_doc(client, DEMO / "requirements.md", "\n".join(lines) + "\n")
    tasks_uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, req_uri, 1)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"specmark": {"wording": True}})
    )
    await _until(client, req_uri, lambda d: any(x.code == "wording-compound" for x in d))
    actions = await actions_at(client, req_uri, 14, only=["refactor"])  # as VS Code's Refactor menu
    (action,) = [a for a in actions if a.title.startswith("Split criterion 1.1")]
    assert action.kind == "refactor.rewrite"
    changes = action.edit.changes or {
        dc.text_document.uri: dc.edits for dc in action.edit.document_changes or []
    }
    req_edits = sorted((e.range.start.line, e.new_text) for e in changes[req_uri])
    assert req_edits[0] == (
        14,
        "WHEN the user submits valid credentials THE system SHALL start a session\n"
        "2. WHEN the user submits valid credentials THE system SHALL remember the device",
    )
    assert (15, "3") in req_edits and (16, "4") in req_edits
    tasks_text = (DEMO / "tasks.md").read_text(encoding="utf-8")
    assert "1.1" in tasks_text and tasks_uri in changes

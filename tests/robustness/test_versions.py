"""A toggle computed for one version of a document is never applied to a newer text.

Through the real server: code actions and `specmark.toggleTask` send versioned
`documentChanges` (when the client supports them), carrying the version the edit was computed
for; the client below refuses an edit whose version is not its document's current one, as
editors do. Clients without `documentChanges` support get unversioned `changes` (the LSP has
no other way to say it), so the guarantee needs a client that supports them.

(The client's text model counts UTF-16 units; the Emacs preset negotiates UTF-32, so every
edited column here lies before the emoji, where both agree.)
"""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types
from rbhelpers import (
    EDITING_SERVER,
    HERE,
    code_actions,
    diagnostics_at,
    model_change,
    model_open,
    session,
)

DEMO = HERE.parent / "lsp" / "workspace" / ".kiro" / "specs" / "demo"
TEXT = (
    "# Plan\r\n\r\n- [ ] 1. First 😀 task\r\n  - _Requirements: 1.1_\r\n- [x]* 2. Second\r\n"
    "  - _Requirements: 1.2_\r\n- [ ] 3. Third\r\n  - _Requirements: 2.1_\r\n"
)


def toggle_action(actions, line: int):
    found = [
        a
        for a in actions or []
        if a.title.startswith("Mark task") and a.title.endswith("done") and "sub-tasks" not in a.title
    ]
    assert found, [a.title for a in actions or []]
    return found[0]


async def roundtrip(client, uri):
    """A request answered after every notification sent before it (didChange is handled in order)."""
    await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


def only_glyph_changed(before: str, after: str, line: int) -> None:
    a, b = before.split("\r\n"), after.split("\r\n")
    assert len(a) == len(b)
    changed = [i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]
    assert changed == [line], (changed, line)
    diff = [i for i, (x, y) in enumerate(zip(a[line], b[line], strict=False)) if x != y]
    assert len(diff) == 1 and a[line][diff[0] - 1] == "[" and a[line][diff[0] + 1] == "]", (a[line], b[line])


@pytest.mark.parametrize("preset", ["visual-studio-code", "emacs"])
async def test_code_action_and_command_edits_carry_their_version(preset):
    async with session(preset, config=EDITING_SERVER) as client:
        uri = model_open(client, DEMO / "tasks.md", TEXT)
        await diagnostics_at(client, uri, 1)

        # a code action computed at version 1 says so
        action = toggle_action(await code_actions(client, uri, 2), 2)
        (dc,) = action.edit.document_changes
        assert dc.text_document.uri == uri and dc.text_document.version == 1

        # the user types: the text moves on, the old edit no longer matches
        v2 = model_change(client, uri, (0, 0), (0, 0), "Intro\r\n")
        await roundtrip(client, uri)
        assert dc.text_document.version != client.texts[uri][0]
        before = client.texts[uri][1]
        result = client.protocol.fm.features[types.WORKSPACE_APPLY_EDIT](
            types.ApplyWorkspaceEditParams(edit=action.edit)
        )
        assert result.applied is False and "version 2" in result.failure_reason
        assert client.texts[uri][1] == before  # nothing applied to the newer text

        # the same action asked again is for version 2 and toggles the task, now on line 3
        action = toggle_action(await code_actions(client, uri, 3), 3)
        (dc,) = action.edit.document_changes
        assert dc.text_document.version == v2
        assert client.protocol.fm.features[types.WORKSPACE_APPLY_EDIT](
            types.ApplyWorkspaceEditParams(edit=action.edit)
        ).applied
        only_glyph_changed(before, client.texts[uri][1], 3)
        # (the client does not tell the server about edits it applies itself: send them on)
        text_now = client.texts[uri][1]
        client.texts[uri][1] = before
        edit = dc.edits[0]
        v3 = model_change(
            client,
            uri,
            (edit.range.start.line, edit.range.start.character),
            (edit.range.end.line, edit.range.end.character),
            edit.new_text,
        )
        assert client.texts[uri][1] == text_now
        await roundtrip(client, uri)

        # specmark.toggleTask: the server's applyEdit carries the current version and is applied
        got = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="specmark.toggleTask", arguments=[uri, 5])
        )
        assert got["applied"] is True, got
        params, reason = client.apply_log[-1]
        (dc,) = params.edit.document_changes
        assert dc.text_document.version == v3 and reason is None
        only_glyph_changed(text_now, client.texts[uri][1], 5)

        # the user types while the server's applyEdit request is in flight: the edit is for
        # the version before, the client refuses it, the command says it was not applied
        def type_first(c, _params):
            c.before_apply = None
            model_change(c, uri, (0, 0), (0, 0), "More intro\r\n")

        text_before = client.texts[uri][1]
        client.before_apply = type_first
        got = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="specmark.toggleTask", arguments=[uri, 7])
        )
        params, reason = client.apply_log[-1]
        (dc,) = params.edit.document_changes
        assert dc.text_document.version == v3 and client.texts[uri][0] == v3 + 1
        assert reason is not None and got["applied"] is False, (got, reason)
        # the client's text is the typed line plus the old text: no glyph was written anywhere
        assert client.texts[uri][1] == "More intro\r\n" + text_before
        await roundtrip(client, uri)
        assert client.texts[uri][1] == "More intro\r\n" + text_before


async def test_clients_without_document_changes_get_unversioned_edits():
    """Neovim's preset declares no `documentChanges`: the edit cannot carry a version, so the
    server sends `changes`, computed on the newest text it has."""
    async with session("neovim", config=EDITING_SERVER) as client:
        uri = model_open(client, DEMO / "tasks.md", TEXT)
        await asyncio.sleep(0)
        action = toggle_action(await code_actions(client, uri, 2), 2)
        assert action.edit.document_changes is None and list(action.edit.changes) == [uri]

"""Pull diagnostics, configuration, position encodings and bad input through the real server."""

from __future__ import annotations

import asyncio

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient, client_capabilities

from conftest import (
    DEMO,
    SERVER,
    WORKSPACE,
    actions_at,
    change,
    codes,
    complete,
    diagnostics_at,
    open_doc,
    start,
)

# ---- pull diagnostics ---------------------------------------------------------------------------


@pytest_lsp.fixture(config=SERVER)
async def pull_client(lsp_client: LanguageClient):
    await start(lsp_client, "neovim@0.11", init_options={"diagnosticMode": "auto"})
    yield lsp_client
    await lsp_client.shutdown_session()


async def test_pull_diagnostics_with_result_ids(pull_client):
    client = pull_client
    assert client.capabilities is not None
    uri = open_doc(client, DEMO / "tasks.md")
    change(client, uri, 2, 4, 26, 4, 27, "9")
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert report.kind == "full"
    assert codes(report.items) == ["unknown-requirement"]
    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id
        )
    )
    assert again.kind == "unchanged" and again.result_id == report.result_id
    # a pull client never gets pushed diagnostics (VS Code would show them twice)
    await asyncio.sleep(0.3)
    assert uri not in client.diagnostics


# ---- configuration --------------------------------------------------------------------------------


@pytest_lsp.fixture(config=SERVER)
async def configured_client(lsp_client: LanguageClient):
    lsp_client.set_configuration(
        {"severity": {"missing-requirements": "error", "bogus-code": "high"}}, section="specmark"
    )
    await start(lsp_client, "visual-studio-code")
    yield lsp_client
    await lsp_client.shutdown_session()


async def test_workspace_configuration_applies_and_bad_keys_are_reported(configured_client):
    client = configured_client
    text = "- [ ] 1. No refs here\n"
    uri = open_doc(client, DEMO / "tasks.md", text)
    diags = await diagnostics_at(client, uri, 1)
    assert codes(diags) == ["missing-requirements"]
    assert diags[0].severity == types.DiagnosticSeverity.Error
    for _ in range(100):
        if client.messages:
            break
        await asyncio.sleep(0.02)
    assert any(
        "severity.bogus-code" in m.message and m.type == types.MessageType.Warning for m in client.messages
    )


# ---- position encodings ------------------------------------------------------------------------

EMOJI = "- [ ] 1. 😀 café 🚀 launch\n  - _Requirements: 9.9_\n"


@pytest.mark.parametrize(
    "preset,expected",
    [
        ("visual-studio-code", 21),  # utf-16: "  - _Requirements: " = 19 units
        ("neovim@0.11", 19),
    ],
)
async def test_ranges_in_negotiated_encoding(preset, expected):
    config = SERVER
    client = await config.start()
    try:
        await start(client, preset)
        uri = open_doc(client, DEMO / "tasks.md", EMOJI)
        diags = await diagnostics_at(client, uri, 1)
        unknown = [d for d in diags if d.code == "unknown-requirement"][0]
        assert unknown.range.start == types.Position(line=1, character=19)
        assert unknown.range.end == types.Position(line=1, character=22)
        # the first line has emoji: a hover-free check through completion position mapping
        missing = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(
                    start=types.Position(line=0, character=expected),
                    end=types.Position(line=0, character=expected),
                ),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        assert any(a.title == "Mark task 1 done" for a in missing)
    finally:
        await client.shutdown_session()
        await client.stop()


# ---- bad input ----------------------------------------------------------------------------------


async def test_requests_for_unopened_or_unknown_documents(client):
    uri = (WORKSPACE / "nope" / "tasks.md").as_uri()
    result = await complete(client, uri, 0, 0)
    assert result is None
    actions = await actions_at(client, uri, 0)
    assert actions is None


async def test_positions_past_the_end_and_bad_changes(client):
    uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, uri, 1)
    result = await complete(client, uri, 999, 999)
    assert result is None or result.items == []
    actions = await actions_at(client, uri, 2, col=500, end_col=900)
    assert any(a.title == "Mark task 1 done" for a in actions)
    # a change whose range lies past the end is clamped, a version gap is accepted
    change(client, uri, 9, 500, 0, 600, 0, "\n- [ ] 4. Appended\n")
    # didChange / didClose for documents that were never opened
    change(client, (WORKSPACE / "ghost.md").as_uri(), 3, 0, 0, 0, 0, "x")
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=(WORKSPACE / "ghost.md").as_uri())
        )
    )
    diags = await diagnostics_at(client, uri, 9)
    assert codes(diags) == ["missing-requirements"]
    assert diags[0].range.start.line == 15


async def test_unknown_command_and_method_get_errors_and_server_goes_on(client):
    with pytest.raises(JsonRpcException):
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="specmark.nope", arguments=[])
        )
    with pytest.raises(JsonRpcException):
        await client.protocol.send_request_async("specmark/doesNotExist", {})
    uri = open_doc(client, DEMO / "tasks.md")
    assert (await diagnostics_at(client, uri, 1)) is not None


async def test_nul_bytes_and_control_characters_are_analysed(client):
    text = (
        "- [ ] 1. Has a \x00 NUL and \x1b escape\n  - _Requirements: 1.1_\n- [ ] 2. \u2028 line separator\n"
    )
    uri = open_doc(client, DEMO / "tasks.md", text)
    diags = await diagnostics_at(client, uri, 1)
    assert codes(diags) == ["missing-requirements"]
    assert diags[0].range.start.line == 2  # U+2028 does not end a line in LSP


async def test_progress_request(client):
    uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, uri, 1)
    result = await client.protocol.send_request_async("specmark/progress", {"uri": uri})
    assert result.total == 5 and result.done == 1
    assert result.criteriaTotal == 5 and result.criteriaCovered == 5


async def test_pull_client_is_asked_to_refresh_when_another_file_changes():
    client = await SERVER.start()
    try:
        caps = client_capabilities("neovim@0.11")
        caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
        await client.initialize_session(
            types.InitializeParams(
                capabilities=caps,
                root_uri=WORKSPACE.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=WORKSPACE.as_uri(), name="ws")],
            )
        )
        tasks_uri = open_doc(client, DEMO / "tasks.md")
        req_uri = open_doc(client, DEMO / "requirements.md")
        first = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=tasks_uri))
        )
        assert list(first.items) == []
        before = client.diagnostic_refresh_count
        change(client, req_uri, 2, 16, 0, 17, 0, "")  # delete criterion 1.3
        for _ in range(300):
            if client.diagnostic_refresh_count > before:
                break
            await asyncio.sleep(0.02)
        assert client.diagnostic_refresh_count > before
        again = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=tasks_uri), previous_result_id=first.result_id
            )
        )
        assert again.kind == "full" and codes(again.items) == ["unknown-requirement"]
    finally:
        await client.shutdown_session()
        await client.stop()

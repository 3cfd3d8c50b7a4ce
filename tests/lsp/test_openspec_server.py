"""OpenSpec documents in the real server: capability specs, delta specs and proposals get the
openspec-* diagnostics live, and a delta's findings follow unsaved edits of its base spec."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from conftest import SERVER, actions_at, change, complete, diagnostics_at, open_doc, start

WS = Path(__file__).resolve().parents[1] / "openspec" / "workspaces" / "rules"
BASE = WS / "openspec" / "specs" / "auth" / "spec.md"
DELTA = WS / "openspec" / "changes" / "bad-deltas" / "specs" / "auth" / "spec.md"
PROPOSAL = WS / "openspec" / "changes" / "no-deltas" / "proposal.md"


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    await start(lsp_client, "visual-studio-code", workspace=WS)
    yield lsp_client
    await lsp_client.shutdown_session()


def rows(diags):
    return sorted((d.code, d.range.start.line + 1) for d in diags)


async def test_capability_spec_delta_and_proposal_diagnostics(client):
    base_uri = open_doc(client, BASE)
    got = rows(await diagnostics_at(client, base_uri, 1))
    assert got == [
        ("openspec-duplicate-requirement", 29),
        ("openspec-scenario", 26),
        ("openspec-shall", 16),
    ]
    delta_uri = open_doc(client, DELTA)
    got = await diagnostics_at(client, delta_uri, 1)
    target = [d for d in got if d.code == "openspec-delta-target"]
    assert [(d.range.start.line, d.range.start.character) for d in target] == [(17, 17), (26, 17)]
    assert DELTA.read_text(encoding="utf-8").splitlines()[17][17:31] == "Does not exist"
    proposal_uri = open_doc(client, PROPOSAL)
    assert [d.code for d in await diagnostics_at(client, proposal_uri, 1)] == ["openspec-no-deltas"]


async def test_a_delta_follows_its_unsaved_base_spec(client):
    base_text = BASE.read_text(encoding="utf-8")
    base_uri = open_doc(client, BASE)
    delta_uri = open_doc(client, DELTA)
    await diagnostics_at(client, base_uri, 1)
    got = await diagnostics_at(client, delta_uri, 1)
    assert sum(d.code == "openspec-delta-target" for d in got) == 2
    # the base spec gains "Does not exist" (unsaved): the MODIFIED delta now names a real requirement
    end = len(base_text.splitlines())
    change(
        client,
        base_uri,
        2,
        end,
        0,
        end,
        0,
        "\n### Requirement: Does not exist\nThe system SHALL exist.\n\n#### Scenario: x\n- **WHEN** y\n- **THEN** z\n",
    )
    for _ in range(300):
        now = client.diagnostics.get(delta_uri, [])
        if sum(d.code == "openspec-delta-target" for d in now) == 1:
            break
        await asyncio.sleep(0.02)
    now = client.diagnostics[delta_uri]
    assert [(d.code, d.range.start.line) for d in now if d.code == "openspec-delta-target"] == [
        ("openspec-delta-target", 26)
    ]
    assert all(d.severity is not None for d in now)
    assert types.DiagnosticSeverity.Error in {d.severity for d in now}


async def test_navigation_between_a_delta_and_its_base(client):
    base_uri = open_doc(client, BASE)
    delta_uri = open_doc(client, DELTA)
    await diagnostics_at(client, delta_uri, 1)
    at = types.TextDocumentIdentifier(uri=delta_uri)
    # hover on a REMOVED name that the base spec lacks, then definition of a RENAMED FROM name
    lines = DELTA.read_text(encoding="utf-8").splitlines()
    frm = next(i for i, line in enumerate(lines) if "FROM: `### Requirement: Password sign-in" in line)
    col = lines[frm].index("Password")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=at, position=types.Position(line=frm, character=col + 2))
    )
    assert hover is not None and "The system SHALL let a user sign in" in hover.contents.value
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=at, position=types.Position(line=frm, character=col + 2))
    )
    assert [(loc.uri, loc.range.start.line) for loc in found] == [(base_uri, 8)]
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=base_uri),
            position=types.Position(line=8, character=20),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert sorted((r.uri, r.range.start.line) for r in refs) == sorted([(base_uri, 8), (delta_uri, frm)])
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=base_uri))
    )
    assert [s.name for s in symbols][:2] == ["Password sign-in", "Session timeout"]
    actions = await actions_at(client, base_uri, 25)
    assert [a.title for a in actions] == ["Write the scenario as `#### Scenario:`"]


async def test_completion_of_base_names_in_a_delta(client):
    text = "## MODIFIED Requirements\n\n### Requirement: Pass\n"
    uri = open_doc(client, DELTA, text)
    got = await complete(client, uri, 2, 21)
    items = got.items if hasattr(got, "items") else got
    assert "Password sign-in" in [i.label for i in items]
    pick = next(i for i in items if i.label == "Password sign-in")
    assert (pick.text_edit.range.start.character, pick.text_edit.range.end.character) == (17, 21)


async def test_renaming_a_base_requirement_updates_its_deltas(client):
    base_uri = open_doc(client, BASE)
    delta_uri = open_doc(client, DELTA)
    await diagnostics_at(client, base_uri, 1)
    base_lines = BASE.read_text(encoding="utf-8").splitlines()
    assert base_lines[8] == "### Requirement: Password sign-in"
    at = types.TextDocumentIdentifier(uri=base_uri)
    prep = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=at, position=types.Position(line=8, character=20))
    )
    assert prep is not None and prep.placeholder == "Password sign-in"
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=at,
            position=types.Position(line=8, character=20),
            new_name="Sign-in with a password",
        )
    )
    changes = edit.changes or {dc.text_document.uri: dc.edits for dc in edit.document_changes or []}
    delta_lines = DELTA.read_text(encoding="utf-8").splitlines()
    frm = next(i for i, line in enumerate(delta_lines) if "FROM: `### Requirement: Password sign-in" in line)
    assert [(e.range.start.line, e.range.start.character, e.new_text) for e in changes[base_uri]] == [
        (8, 17, "Sign-in with a password")
    ]
    assert [(e.range.start.line, e.new_text) for e in changes[delta_uri]] == [
        (frm, "Sign-in with a password")
    ]

"""The language server follows `specmark set`: the CLI rewrites tasks.md on disk, the editor
reports the change (workspace/didChangeWatchedFiles, and for an open unmodified buffer the
reloaded text), and the server's lenses and diagnostics follow."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from conftest import SERVER, codes, diagnostics_at, open_doc

REQS = """\
# Requirements Document

### Requirement 1: Sign in

#### Acceptance Criteria

1. WHEN a user signs in, THE Auth_Service SHALL start a session
2. WHEN a password is wrong, THE Auth_Service SHALL refuse the sign-in
"""

TASKS = """\
# Implementation Plan

- [x] 1. Implement sign-in
  - [x] 1.1 Start a session
    - _Requirements: 1.1_
  - [ ] 1.2 Refuse wrong passwords
    - _Requirements: 1.2_
"""


@pytest_lsp.fixture(config=SERVER)
async def lsp(lsp_client: LanguageClient, tmp_path):
    spec = tmp_path / ".kiro" / "specs" / "login"
    spec.mkdir(parents=True)
    (spec / "requirements.md").write_text(REQS, encoding="utf-8")
    (spec / "tasks.md").write_text(TASKS, encoding="utf-8")
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")],
            initialization_options={"diagnosticMode": "push"},
        )
    )
    lsp_client.spec = spec  # type: ignore[attr-defined]
    yield lsp_client
    await lsp_client.shutdown_session()


def specmark_set(*args: str) -> None:
    out = subprocess.run([sys.executable, "-m", "specmark", "set", *args], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def watched(client: LanguageClient, uri: str) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)]
        )
    )


async def lens_titles(client: LanguageClient, uri: str) -> list[str]:
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return [lens.command.title for lens in lenses]


async def test_tasks_on_disk_changed_by_set(lsp):
    """tasks.md is not open: the server reads it again when told it changed."""
    req_uri = open_doc(lsp, lsp.spec / "requirements.md")
    await diagnostics_at(lsp, req_uri, 1)
    assert await lens_titles(lsp, req_uri) == ["covered by 2 tasks (1 done)"]
    specmark_set("1.2", "done", str(lsp.spec))
    watched(lsp, (lsp.spec / "tasks.md").as_uri())
    for _ in range(200):
        titles = await lens_titles(lsp, req_uri)
        if titles[0].endswith("(2 done)"):
            break
        await asyncio.sleep(0.02)
    assert titles == ["covered by 2 tasks (2 done)"]


async def test_open_tasks_diagnostics_follow_set(lsp):
    """tasks.md is open and unmodified: the editor reloads what `set` wrote; the
    status-mismatch of task 1 (done with 1.2 open) goes away."""
    path = lsp.spec / "tasks.md"
    uri = open_doc(lsp, path)
    diags = await diagnostics_at(lsp, uri, 1)
    assert "status-mismatch" in codes(diags)
    specmark_set("1.2", "done", str(lsp.spec))
    watched(lsp, uri)
    lsp.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangeWholeDocument(text=path.read_text(encoding="utf-8"))
            ],
        )
    )
    diags = await diagnostics_at(lsp, uri, 2)
    assert "status-mismatch" not in codes(diags)

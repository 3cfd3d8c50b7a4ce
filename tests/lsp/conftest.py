"""End-to-end fixtures: a real `python -m specmark serve` process driven by pytest-lsp."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

HERE = Path(__file__).resolve().parent
WORKSPACE = HERE / "workspace"
DEMO = WORKSPACE / ".kiro" / "specs" / "demo"


def make_client() -> LanguageClient:
    """pytest-lsp's client, plus: diagnostics versions recorded, applyEdit and
    registerCapability answered (pytest-lsp has no default handlers for those)."""
    from pygls.protocol import default_converter
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

    client = LanguageClient(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)

    def publish(c: LanguageClient, params: types.PublishDiagnosticsParams):
        c.diagnostics[params.uri] = params.diagnostics
        c.versions[params.uri] = params.version
        c.publishes.append(params)

    def apply_edit(c: LanguageClient, params: types.ApplyWorkspaceEditParams):
        c.applied_edits.append(params.edit)
        return types.ApplyWorkspaceEditResult(applied=True)

    def register(c: LanguageClient, params: types.RegistrationParams):
        c.registrations.extend(params.registrations)

    def refreshed(c: LanguageClient, params):
        c.refreshes.append(params)

    for method in (
        types.WORKSPACE_CODE_LENS_REFRESH,
        types.WORKSPACE_SEMANTIC_TOKENS_REFRESH,
        types.WORKSPACE_INLAY_HINT_REFRESH,
    ):
        features.setdefault(method, refreshed)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.WORKSPACE_APPLY_EDIT] = apply_edit
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    register_lsp_features(client, features)
    client.versions = {}
    client.publishes = []
    client.applied_edits = []
    client.registrations = []
    client.refreshes = []
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "specmark", "serve"],
    server_env={**os.environ, "PYTHONUNBUFFERED": "1"},
    client_factory=make_client,
)

PRESETS = ["visual-studio-code", "neovim"]


async def start(client: LanguageClient, preset: str, workspace: Path = WORKSPACE, init_options=None) -> None:
    caps = client_capabilities(preset)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
            initialization_options=init_options or {"diagnosticMode": "push"},
        )
    )


@pytest_lsp.fixture(config=SERVER, params=PRESETS)
async def client(lsp_client: LanguageClient, request):
    await start(lsp_client, request.param)
    lsp_client.preset = request.param  # type: ignore[attr-defined]
    yield lsp_client
    await lsp_client.shutdown_session()


def open_doc(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id="markdown",
                version=version,
                text=text if text is not None else path.read_text(encoding="utf-8"),
            )
        )
    )
    return uri


def change(
    client: LanguageClient,
    uri: str,
    version: int,
    line: int,
    col: int,
    end_line: int,
    end_col: int,
    text: str,
) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=line, character=col),
                        end=types.Position(line=end_line, character=end_col),
                    ),
                    text=text,
                )
            ],
        )
    )


async def complete(client: LanguageClient, uri: str, line: int, character: int):
    """textDocument/completion at (line, character)."""
    return await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
        )
    )


async def actions_at(client, uri, line, end_line=None, col=0, end_col=None, diags=(), only=None):
    """textDocument/codeAction over (line, col)–(end_line, end_col), an empty range by default,
    with `diags` as the context's diagnostics and `only` as its kinds."""
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=line, character=col),
                end=types.Position(
                    line=end_line if end_line is not None else line,
                    character=end_col if end_col is not None else col,
                ),
            ),
            context=types.CodeActionContext(diagnostics=list(diags), only=only),
        )
    )


async def renumber_action(client: LanguageClient, uri: str) -> types.CodeAction:
    """The "Renumber tasks" source action of a document, once the server offers it (the
    document's analysis may still be running)."""
    actions: list = []
    for _ in range(100):
        actions = await actions_at(client, uri, 0, only=[types.CodeActionKind.Source])
        if actions and any(a.title == "Renumber tasks" for a in actions):
            break
        await asyncio.sleep(0.05)
    return next(a for a in actions if a.title == "Renumber tasks")


async def diagnostics_at(client: LanguageClient, uri: str, version: int | None, timeout: float = 10.0):
    """The diagnostics published for `uri` at `version` (waits for them)."""

    async def wait():
        while True:
            params = client.diagnostics.get(uri)
            got_version = client.versions.get(uri)
            if params is not None and (version is None or got_version == version):
                return params
            await asyncio.sleep(0.01)

    return await asyncio.wait_for(wait(), timeout)


def codes(diags) -> list[str]:
    return sorted(str(d.code) for d in diags)


def apply_text_edits(text: str, edits) -> str:
    """Apply LSP TextEdits (UTF-16 positions, LSP line breaks) to a text, last first."""
    import re

    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def offset(pos):
        line_start = starts[pos.line]
        line_end = starts[pos.line + 1] if pos.line + 1 < len(starts) else len(text)
        line = text[line_start:line_end].rstrip("\r\n")
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return line_start + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return line_start + len(line)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for s, e, new in spans:
        text = text[:s] + new + text[e:]
    return text


def edits_of(edit: types.WorkspaceEdit, uri: str):
    if edit.document_changes:
        return [e for dc in edit.document_changes if dc.text_document.uri == uri for e in dc.edits]
    return list((edit.changes or {}).get(uri, []))

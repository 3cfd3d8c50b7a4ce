"""What the server registers and advertises: every LSP method it handles (lsp/server.py's
`register`, the one place they are wired) and the capabilities of its initialize result, in
push and in pull mode, pinned as an editor reads them off the wire."""

from __future__ import annotations

import pytest
from lsprotocol import types
from wire import VSCODE_CAPS, Wire

from specmark.lsp.server import create_server

ALWAYS = {
    "initialize",
    "initialized",
    "workspace/didChangeConfiguration",
    "workspace/didChangeWatchedFiles",
    "workspace/didChangeWorkspaceFolders",
    "textDocument/didOpen",
    "textDocument/didChange",
    "textDocument/didClose",
    "textDocument/didSave",
    "textDocument/completion",
    "completionItem/resolve",
    "textDocument/codeAction",
    "specmark/progress",
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/prepareRename",
    "textDocument/rename",
    "textDocument/codeLens",
    "textDocument/documentSymbol",
    "workspace/symbol",
    "textDocument/foldingRange",
    "textDocument/inlayHint",
    "textDocument/documentLink",
    "textDocument/semanticTokens/full",
}
PULL = {"textDocument/diagnostic", "workspace/diagnostic"}
COMMANDS = ["specmark.toggleTask", "specmark.showReferences"]

CAPABILITIES = {
    "positionEncoding": "utf-16",
    "textDocumentSync": {"openClose": True, "change": 2, "save": {"includeText": False}},
    "completionProvider": {"triggerCharacters": [":", ",", " ", "."], "resolveProvider": True},
    "hoverProvider": True,
    "definitionProvider": True,
    "referencesProvider": True,
    "documentSymbolProvider": True,
    "codeActionProvider": {"codeActionKinds": ["quickfix", "refactor.rewrite", "source"]},
    "codeLensProvider": {"resolveProvider": False},
    "documentLinkProvider": {"resolveProvider": False},
    "workspaceSymbolProvider": {"resolveProvider": False},
    "renameProvider": True,
    "foldingRangeProvider": True,
    "executeCommandProvider": {"commands": COMMANDS},
    "semanticTokensProvider": {
        "legend": {
            "tokenTypes": ["namespace", "keyword", "enumMember", "property"],
            "tokenModifiers": ["declaration", "deprecated"],
        },
        "full": True,
    },
    "inlayHintProvider": {"resolveProvider": False},
    "workspace": {"workspaceFolders": {"supported": True, "changeNotifications": True}, "fileOperations": {}},
}
DIAGNOSTIC_PROVIDER = {"identifier": "specmark", "interFileDependencies": True, "workspaceDiagnostics": True}


def _initialize(server, mode: str) -> None:
    server.protocol.fm.features[types.INITIALIZE](
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), initialization_options={"diagnosticMode": mode}
        )
    )


@pytest.mark.parametrize("mode", ["push", "pull"])
def test_registered_methods_and_commands(mode):
    server = create_server()
    fm = server.protocol.fm
    assert set(fm.features) == ALWAYS
    _initialize(server, mode)
    assert set(fm.features) == (ALWAYS | PULL if mode == "pull" else ALWAYS)
    assert list(fm.commands) == COMMANDS


@pytest.mark.parametrize("mode", ["push", "pull"])
def test_initialize_result_and_dynamic_registration(tmp_path, mode):
    wire = Wire(tmp_path, caps=VSCODE_CAPS, init_options={"diagnosticMode": mode})
    try:
        result = wire.initialize_result
        expected = dict(CAPABILITIES)
        if mode == "pull":
            expected["diagnosticProvider"] = DIAGNOSTIC_PROVIDER
        assert result["capabilities"] == expected
        assert result["serverInfo"]["name"] == "specmark"
        # the file watchers: registered once the client said it can (didChangeWatchedFiles)
        got = wire.wait(lambda m: m.get("method") == "client/registerCapability")["params"]
        assert [(r["id"], r["method"]) for r in got["registrations"]] == [
            ("specmark-watch", "workspace/didChangeWatchedFiles")
        ]
        globs = [w["globPattern"] for w in got["registrations"][0]["registerOptions"]["watchers"]]
        assert globs == ["**/*.md", "**/.specmark.toml", "**/pyproject.toml"]
    finally:
        wire.close()

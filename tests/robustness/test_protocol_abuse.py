"""Protocol abuse through the real server: every request gets an answer (a result, an empty
result or a JSON-RPC error — never silence, never an internal error), the server keeps
serving, and it exits cleanly.

Extends test_quick_checks.py and tests/lsp/test_protocol.py (which cover a burst of
1,000 typed keystrokes, a few malformed params, exit without shutdown, shutdown with a
command in flight, unknown command/method): here every navigation request is sent for
unopened, non-file and garbage URIs and at out-of-range, negative and malformed positions;
malformed frames; abusive didChange sequences checked against the client's text; a burst of
1,000 random edits with 300 requests, a third of them cancelled; shutdown during analysis;
requests after shutdown; exit without shutdown; end of input.
"""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

import pytest
from lsprotocol import types
from rbhelpers import (
    RawServer,
    apply_lsp_edit,
    change,
    diagnostic_keys,
    diagnostics_at,
    exercise,
    expected_diagnostics,
    frame,
    logged_errors,
    memory_mb,
    open_doc,
    server_pid,
    session,
    units_of,
)

NAV = [
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/prepareRename",
    "textDocument/rename",
    "textDocument/documentSymbol",
    "textDocument/foldingRange",
    "textDocument/semanticTokens/full",
    "textDocument/codeLens",
    "textDocument/inlayHint",
    "textDocument/documentLink",
    "textDocument/completion",
    "textDocument/codeAction",
    "specmark/progress",
    "textDocument/diagnostic",
    "workspace/symbol",
    "completionItem/resolve",
]
TASKS = "# Plan\n\n- [ ] 1. First 😀\n  - _Requirements: 1.1, 9.9_\n- [x] 2. Second\n  - _Depends: 1_\n"
REQ = "### Requirement 1: A\n\n#### Acceptance Criteria\n\n1. THE system SHALL a\n"
BAD_ANSWERS = ("Error in server", "InvalidStateError", "dictionary changed size", "RecursionError")


def workspace(root: Path) -> Path:
    folder = root / ".kiro" / "specs" / "demo"
    folder.mkdir(parents=True)
    (folder / "tasks.md").write_text(TASKS, encoding="utf-8")
    (folder / "requirements.md").write_text(REQ, encoding="utf-8")
    return folder


def params_for(method: str, uri, line, char) -> dict:
    """Well-formed params of `method` (positions as given, even when out of range)."""
    pos = {"line": line, "character": char}
    doc = {"textDocument": {"uri": uri}}
    return {
        "textDocument/references": {**doc, "position": pos, "context": {"includeDeclaration": True}},
        "textDocument/rename": {**doc, "position": pos, "newName": "7"},
        "textDocument/inlayHint": {**doc, "range": {"start": pos, "end": pos}},
        "textDocument/codeAction": {
            **doc,
            "range": {"start": pos, "end": pos},
            "context": {"diagnostics": []},
        },
        "textDocument/documentSymbol": doc,
        "textDocument/foldingRange": doc,
        "textDocument/semanticTokens/full": doc,
        "textDocument/codeLens": doc,
        "textDocument/documentLink": doc,
        "textDocument/diagnostic": doc,
        "specmark/progress": {"uri": uri},
        "workspace/symbol": {"query": str(uri)[:3]},
        "completionItem/resolve": {"label": "1.1", "data": {"uri": uri, "id": "1.1"}},
    }.get(method, {**doc, "position": pos})


def answers(raw: RawServer, ids, timeout=60) -> list[dict]:
    return [raw.response(i, timeout) for i in ids]


def answered(got: dict, *codes: int) -> bool:
    """A result, or one of the expected errors: RequestFailed (a refused rename) always, and
    MethodNotFound for textDocument/diagnostic (registered for pull clients only)."""
    return (
        "result" in got
        or got["error"]["code"] in (-32803, *codes)
        or (got["error"]["code"] == -32601 and "textDocument/diagnostic" in got["error"]["message"])
    )


def check_server_health(raw: RawServer) -> None:
    for bad in BAD_ANSWERS:
        assert bad not in raw.stderr, raw.stderr[-3000:]
    popups = [m for m in raw.notifications("window/showMessage") if m["params"]["type"] == 1]
    assert not popups, popups  # nothing here is worth an error pop-up in the user's editor


def test_every_request_on_unopened_garbage_and_out_of_range_input(tmp_path):
    folder = workspace(tmp_path)
    raw = RawServer(cwd=tmp_path)
    try:
        # a request before `initialize` is answered too
        got = raw.call(
            "textDocument/hover", params_for("textDocument/hover", (folder / "tasks.md").as_uri(), 0, 0)
        )
        assert "result" in got or got["error"]["code"] == -32002
        raw.initialize(
            tmp_path,
            {"textDocument": {"hover": {}}, "workspace": {"workspaceEdit": {"documentChanges": True}}},
        )
        assert "result" in raw.call("initialize", {"processId": None, "rootUri": None, "capabilities": {}})

        uris = [
            (folder / "nope" / "tasks.md").as_uri(),  # does not exist
            (folder / "tasks.md").as_uri(),  # on disk, not open
            "untitled:Untitled-1",
            "http://example.com/tasks.md",
            tmp_path.as_uri(),
            "not a uri",
            "",
            (folder / "tasks.md").as_uri() + "?x#frag",
            "file:///dev/zero",
            "file:///proc/self/mem",
        ]
        positions = [(0, 0), (3, 26), (10**9, 10**9), (2**31 - 1, 2**31 - 1)]
        ids = [raw.request(m, params_for(m, u, ln, ch)) for m in NAV for u in uris for ln, ch in positions]
        for got in answers(raw, ids):
            assert answered(got), got

        # negative, fractional, textual and missing positions; params of the wrong shape
        garbage = [params_for(m, uris[1], -1, 0) for m in NAV[:5]] + [
            params_for(m, uris[1], 0, -5) for m in NAV[:5]
        ]
        garbage += [params_for(m, uris[1], 1.5, "0") for m in NAV[:5]]
        garbage += [
            {"textDocument": {"uri": uris[1]}},
            {"textDocument": None},
            {"textDocument": {"uri": 5}},
            [1, 2],
            "params",
            None,
            {},
            {"position": {"line": 0, "character": 0}},
        ]
        ids = [raw.request(m, g) for m in NAV for g in garbage]
        for got in answers(raw, ids):
            assert answered(got, -32602), got

        # now the document is open: positions past its end are clamped
        raw.open(uris[1], TASKS)
        ids = [
            raw.request(m, params_for(m, uris[1], ln, ch))
            for m in NAV
            for ln, ch in [(0, 10**6), (3, 2**31 - 1), (10**6, 0), (2, 17), (2, 18)]
        ]
        for got in answers(raw, ids):
            assert answered(got), got

        # commands with every kind of wrong argument
        task_uri = uris[1]
        commands = [
            ("specmark.toggleTask", a)
            for a in (
                [],
                [task_uri],
                [task_uri, -1],
                [task_uri, 10**9],
                [task_uri, 1.5],
                [task_uri, True],
                [123, 0],
                [None, None],
                [uris[0], 2],
                [(folder / "requirements.md").as_uri(), 0],
                ["untitled:x", 0],
                [task_uri, 2, "extra", {"x": 1}],
            )
        ]
        commands += [
            ("specmark.showReferences", a)
            for a in (
                [],
                [1, 2, 3],
                [task_uri, {"line": "x"}, "not a list"],
                [task_uri, {"line": 0, "character": 0}, [{"uri": 5}, {"range": None}, 7]],
            )
        ]
        commands += [("specmark.nope", []), ("", None), ("editor.action.showReferences", [])]
        ids = [raw.request("workspace/executeCommand", {"command": c, "arguments": a}) for c, a in commands]
        for (command, args), got in zip(commands, answers(raw, ids), strict=False):
            if command == "specmark.toggleTask" and "result" in got and got["result"]:
                # the raw client refuses every workspace/applyEdit: nothing is ever applied
                assert got["result"]["applied"] is False, (args, got)
            elif "error" in got:
                assert got["error"]["code"] in (-32601, -32602, -32603, -32803), (command, args, got)

        # notifications nobody should send: none of them is answered, none stops the server
        raw.notify("specmark/unknownNotification", {"x": 1})
        raw.notify("$/cancelRequest", {"id": 123456})
        raw.notify("$/cancelRequest", {"id": None})
        raw.notify("$/setTrace", {"value": "verbose"})
        raw.notify("textDocument/didSave", {"textDocument": {"uri": uris[0]}})
        raw.notify("textDocument/didClose", {"textDocument": {"uri": "untitled:never-opened"}})
        raw.notify(
            "workspace/didChangeWatchedFiles",
            {"changes": [{"uri": "not a uri", "type": 2}, {"uri": tmp_path.as_uri(), "type": 3}]},
        )
        raw.notify(
            "workspace/didChangeConfiguration", {"settings": {"specmark": {"max-files": -1, "severity": 5}}}
        )
        raw.notify("workspace/didChangeConfiguration", {"settings": "garbage"})
        raw.notify(
            "workspace/didChangeWorkspaceFolders",
            {
                "event": {
                    "added": [{"uri": (tmp_path / "missing").as_uri(), "name": "x"}],
                    "removed": [{"uri": "file:///nowhere", "name": "y"}],
                }
            },
        )

        # frames that are not JSON-RPC requests at all
        for body in (
            b"{not json",
            b"[1, 2, 3]",
            b"42",
            b"null",
            b'"text"',
            b'{"jsonrpc": "2.0", "id": 99, "result": 1}',
            b'{"jsonrpc": "2.0", "id": 98, "error": {"code": 1, "message": "x"}}',
            "é".encode("latin-1"),
            b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": 1}}',
        ):
            raw.send_bytes(frame(body))
        raw.send_bytes(frame(b'{"id": 7, "method": "textDocument/hover", "params": {}}'))
        assert raw.response(7)["error"]["code"] == -32600  # not JSON-RPC 2.0: InvalidRequest

        # still serving, and right
        pub = raw.wait_notification(
            "textDocument/publishDiagnostics", lambda m: m["params"]["uri"] == task_uri
        )
        assert sorted(d["code"] for d in pub["params"]["diagnostics"]) == [
            e[0] for e in expected_diagnostics(folder / "tasks.md", {folder / "tasks.md": TASKS})
        ]
        got = raw.call("textDocument/hover", params_for("textDocument/hover", task_uri, 3, 20))
        assert "1.1" in got["result"]["contents"]["value"]

        # shutdown: later requests are refused with InvalidRequest, exit ends the process with 0
        assert raw.call("shutdown", None)["result"] is None
        got = raw.call("textDocument/hover", params_for("textDocument/hover", task_uri, 3, 20), timeout=10)
        assert got["error"]["code"] == -32600
        raw.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": task_uri, "version": 2}, "contentChanges": [{"text": ""}]},
        )
        raw.notify("exit")
        assert raw.wait(15) == 0
        check_server_health(raw)
    finally:
        raw.kill()


def test_unknown_methods_commands_and_did_close_of_unknown_documents(tmp_path):
    """Unknown request methods get MethodNotFound, unknown commands an error naming them, and
    both are logged (window/logMessage, not a pop-up); unknown notifications are ignored.
    didClose of documents the server never opened (on disk, missing, untitled, not a URI, no
    URI) and a second didClose change nothing: the open document keeps its text and findings."""
    folder = workspace(tmp_path)
    raw = RawServer(cwd=tmp_path)
    try:
        raw.initialize(tmp_path, {"workspace": {"workspaceEdit": {"documentChanges": True}}})
        uri = (folder / "tasks.md").as_uri()
        edited = TASKS.replace("9.9", "7.7")  # the editor's text differs from the disk's
        raw.open(uri, edited)
        methods = [
            "specmark/doesNotExist",
            "textDocument/unknownFeature",
            "workspace/nope",
            "$/unknownRequest",
            "",
            "initialize2",
            "textdocument/hover",
        ]
        for method in methods:
            got = raw.call(method, {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
            assert got["error"]["code"] == -32601 and method in got["error"]["message"], (method, got)
        commands = ["specmark.nope", "", "editor.action.showReferences", "specmark.toggletask"]
        for command in commands:
            got = raw.call("workspace/executeCommand", {"command": command, "arguments": [uri, 2]})
            assert got["error"]["code"] in (-32601, -32602) and repr(command) in got["error"]["message"], got
        for method in ("specmark/unknownNotification", "$/unknownNotification", "textDocument/didSomething"):
            raw.notify(method, {"textDocument": {"uri": uri}})
        closes = [
            (folder / "requirements.md").as_uri(),
            (folder / "missing.md").as_uri(),
            "untitled:Untitled-9",
            "not a uri",
            "",
            "file:///dev/null",
        ]
        for other in closes:
            raw.notify("textDocument/didClose", {"textDocument": {"uri": other}})
        for params in ({"textDocument": {}}, {"textDocument": None}, {}, None):
            raw.notify("textDocument/didClose", params)
        # still serving, from the editor's text (7.7 is what it cites, not the disk's 9.9)
        got = raw.call("textDocument/hover", params_for("textDocument/hover", uri, 3, 26))
        assert "7.7" in got["result"]["contents"]["value"], got
        assert "result" in raw.call("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
        logged = " ".join(m["params"]["message"] for m in raw.notifications("window/logMessage"))
        for name in methods[:4] + commands[:1]:
            assert name in logged, (name, logged)
        # the open document closed twice, then opened again: analysed afresh
        raw.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        raw.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        raw.open(uri, "- [ ] 1. Reopened\n")
        raw.wait_notification(
            "textDocument/publishDiagnostics",
            lambda m: (
                m["params"]["uri"] == uri
                and [d["code"] for d in m["params"]["diagnostics"]] == ["missing-requirements"]
            ),
        )
        assert raw.shutdown_and_exit() == 0
        check_server_health(raw)
    finally:
        raw.kill()


def test_exit_without_shutdown_and_end_of_input_while_busy(tmp_path):
    big = "".join(
        f"- [ ] {k}. Task {k}\n  - _Requirements: 1.{k}_\n" for k in range(1, 5_001)
    )  # ~1 s of analysis
    uri = (workspace(tmp_path) / "tasks.md").as_uri()

    def busy() -> RawServer:
        raw = RawServer(cwd=tmp_path)
        raw.initialize(tmp_path)
        raw.open(uri, big)
        raw.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
        return raw

    # exit without shutdown, while the server analyses: exit code 1 (the LSP's answer), promptly
    raw = busy()
    t0 = time.perf_counter()
    raw.notify("exit")
    assert raw.wait(30) == 1
    assert time.perf_counter() - t0 < 30
    check_server_health(raw)

    # the editor dies: end of input without shutdown or exit ends the server too
    raw = busy()
    t0 = time.perf_counter()
    raw.proc.stdin.close()
    assert raw.wait(30) in (0, 1)
    assert time.perf_counter() - t0 < 30

    # end of input in the middle of a message (the header promises more than comes)
    raw = RawServer(cwd=tmp_path)
    raw.initialize(tmp_path)
    raw.send_bytes(b'Content-Length: 5000\r\n\r\n{"jsonrpc": "2.0", "id": 1, "method": "textDo')
    raw.proc.stdin.close()
    assert raw.wait(30) in (0, 1)
    check_server_health(raw)


def test_shutdown_while_analysis_and_requests_are_in_flight(tmp_path):
    big = "".join(
        f"- [ ] {k}. Task {k}\n  - _Requirements: 1.{k}_\n" for k in range(1, 5_001)
    )  # ~1 s of analysis
    uri = (workspace(tmp_path) / "tasks.md").as_uri()
    raw = RawServer(cwd=tmp_path)
    try:
        raw.initialize(tmp_path, {"workspace": {"workspaceEdit": {"documentChanges": True}}})
        raw.open(uri, big)
        pending = [raw.request(m, params_for(m, uri, 500, 8)) for m in NAV]
        pending.append(
            raw.request("workspace/executeCommand", {"command": "specmark.toggleTask", "arguments": [uri, 0]})
        )
        t0 = time.perf_counter()
        shutdown = raw.request("shutdown", None)
        assert raw.response(shutdown, 60).get("result", "missing") is None
        for got in answers(raw, pending, 60):  # every earlier request got its answer
            assert answered(got, -32800), got  # (or was cancelled by the shutdown)
        raw.notify("exit")
        assert raw.wait(30) == 0
        assert time.perf_counter() - t0 < 60
        check_server_health(raw)
    finally:
        raw.kill()


# ---- didChange abuse, checked against the client's text --------------------------------------------


@pytest.mark.parametrize("preset,encoding", [("visual-studio-code", "utf-16"), ("neovim", "utf-8")])
async def test_did_change_abuse_keeps_the_servers_text_equal_to_the_clients(tmp_path, preset, encoding):
    folder = workspace(tmp_path)
    path = folder / "tasks.md"
    async with session(preset, tmp_path) as client:
        assert client.init_result.capabilities.position_encoding == encoding
        uri = open_doc(client, path, TASKS)
        text, version = TASKS, 1

        def send(changes, new_version):
            nonlocal text, version
            content = []
            for change in changes:
                if change[0] is None:
                    text = change[1]
                    content.append(types.TextDocumentContentChangeWholeDocument(text=change[1]))
                else:
                    (sl, sc), (el, ec), new = change
                    text = apply_lsp_edit(text, (sl, sc), (el, ec), new, encoding)
                    content.append(
                        types.TextDocumentContentChangePartial(
                            range=types.Range(
                                start=types.Position(line=sl, character=sc),
                                end=types.Position(line=el, character=ec),
                            ),
                            text=new,
                        )
                    )
            version = new_version
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=new_version),
                    content_changes=content,
                )
            )

        async def check():
            # diagnostics are published only when they change: ask with a request that follows
            got = await client.text_document_document_symbol_async(
                types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
            assert got is not None
            await asyncio.sleep(0.05)
            diags = await diagnostics_at(client, uri, None)
            assert diagnostic_keys(diags) == expected_diagnostics(path, {path: text}, encoding), text

        send([((3, 30), (2, 5), "reversed ")], 2)  # end before start
        send([((40, 0), (50, 7), "\n- [ ] 3. Past the end\n")], 3)  # a range past the end
        send([((2, 9), (2, 9), "A"), ((2, 10), (2, 10), "B"), ((0, 0), (0, 0), "X")], 4)  # applied in order
        send([(None, "- [ ] 1. Replaced\r\n  - _Requirements: 1.1_\r\n"), ((1, 26), (1, 26), ", 7.7")], 5)
        send([((0, 16), (0, 16), "\r"), ((1, 0), (1, 0), "\n")], 6)  # a CR and then an LF: one CRLF
        send([((0, 2**31 - 1), (2**31 - 1, 2**31 - 1), "😀 tail")], 3)  # version going backwards
        send([((0, 9), (0, 10), "é😀")], 2**31 - 1)  # the largest version there is
        await check()
        # inside a character (UTF-16: between a surrogate pair; UTF-8: inside its bytes)
        line0 = text.split("\r\n")[0].split("\n")[0]
        inside = units_of(line0, line0.index("😀"), encoding) + 1
        send([((0, inside), (0, inside), "!")], 2**31 - 1)
        await check()
        # close, then changes for the closed document are ignored; reopening starts afresh
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=9),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text="- [ ] 1. ghost\n")],
            )
        )
        uri = open_doc(client, path, TASKS, version=1)
        text = TASKS
        open_doc(client, path, "- [ ] 5. Opened twice\n", version=1)  # didOpen again: the newer text wins
        text = "- [ ] 5. Opened twice\n"
        await check()
        assert not logged_errors(client)


# ---- a burst of 1,000 random edits, 300 requests, a third of them cancelled ------------------------


async def test_burst_of_random_edits_with_requests_and_cancellations(tmp_path):
    folder = workspace(tmp_path)
    path = folder / "tasks.md"
    rnd = random.Random(7)
    pieces = [
        "- [ ] 3. New task\n",
        "  - _Requirements: 1.1_\n",
        "x",
        "😀",
        "\r\n",
        "\n",
        "[x]",
        "9.9, ",
        "",
        "é",
    ]
    async with session("visual-studio-code", tmp_path) as client:
        uri = open_doc(client, path, TASKS)
        text = TASKS
        futures, cancelled = [], []
        t0 = time.perf_counter()
        for version in range(2, 1002):
            lines = text.split("\n")
            line = rnd.randrange(len(lines))
            col = rnd.randrange(len(lines[line]) + 1)
            end = (line, min(len(lines[line]), col + rnd.randrange(3)))
            new = rnd.choice(pieces)
            start = (line, units_of(lines[line], col))
            end = (end[0], units_of(lines[line], end[1]))
            text = apply_lsp_edit(text, start, end, new)
            change(client, uri, version, *start, *end, new)
            if version % 10 in (0, 3, 7):
                method = rnd.choice(NAV[:14])
                msg_id = f"burst-{version}"
                futures.append(
                    asyncio.ensure_future(
                        client.protocol.send_request_async(
                            method, params_for_typed(method, uri, line, col), msg_id=msg_id
                        )
                    )
                )
                if version % 10 == 0:
                    client.protocol.notify("$/cancelRequest", types.CancelParams(id=msg_id))
                    cancelled.append(msg_id)
        assert len(futures) == 300 and len(cancelled) == 100
        results = await asyncio.wait_for(asyncio.gather(*futures, return_exceptions=True), 120)
        for r in results:
            if isinstance(r, BaseException):
                assert getattr(r, "code", None) in (-32800, -32803), repr(r)  # cancelled, refused rename
        await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        diags = await diagnostics_at(client, uri, None, timeout=60)
        await asyncio.sleep(0.2)
        diags = client.diagnostics[uri]
        assert diagnostic_keys(diags) == expected_diagnostics(path, {path: text})
        elapsed = time.perf_counter() - t0
        assert elapsed < 90, elapsed
        _rss, peak = memory_mb(server_pid(client))
        assert peak < 500, peak
        assert not logged_errors(client)


def params_for_typed(method: str, uri: str, line: int, col: int):
    doc = types.TextDocumentIdentifier(uri=uri)
    pos = types.Position(line=line, character=col)
    rng = types.Range(start=pos, end=pos)
    return {
        "textDocument/hover": lambda: types.HoverParams(text_document=doc, position=pos),
        "textDocument/definition": lambda: types.DefinitionParams(text_document=doc, position=pos),
        "textDocument/references": lambda: types.ReferenceParams(
            text_document=doc, position=pos, context=types.ReferenceContext(include_declaration=True)
        ),
        "textDocument/prepareRename": lambda: types.PrepareRenameParams(text_document=doc, position=pos),
        "textDocument/rename": lambda: types.RenameParams(text_document=doc, position=pos, new_name="8"),
        "textDocument/documentSymbol": lambda: types.DocumentSymbolParams(text_document=doc),
        "textDocument/foldingRange": lambda: types.FoldingRangeParams(text_document=doc),
        "textDocument/semanticTokens/full": lambda: types.SemanticTokensParams(text_document=doc),
        "textDocument/codeLens": lambda: types.CodeLensParams(text_document=doc),
        "textDocument/inlayHint": lambda: types.InlayHintParams(text_document=doc, range=rng),
        "textDocument/documentLink": lambda: types.DocumentLinkParams(text_document=doc),
        "textDocument/completion": lambda: types.CompletionParams(text_document=doc, position=pos),
        "textDocument/codeAction": lambda: types.CodeActionParams(
            text_document=doc, range=rng, context=types.CodeActionContext(diagnostics=[])
        ),
        "specmark/progress": lambda: {"uri": uri},
    }[method]()


# ---- the typed client under each preset: unopened documents, positions far past the end ---------------


@pytest.mark.parametrize("preset", ["visual-studio-code", "neovim"])
async def test_navigation_requests_on_unopened_documents_and_far_positions(tmp_path, preset):
    folder = workspace(tmp_path)
    async with session(preset, tmp_path) as client:
        on_disk = (folder / "tasks.md").as_uri()
        missing = (folder / "missing" / "tasks.md").as_uri()
        far = [(0, 2**31 - 1), (2**31 - 1, 0), (10**6, 10**6), (3, 25)]
        assert await exercise(client, missing, far) > 0  # unopened, not on disk
        assert await exercise(client, on_disk, far) > 0  # unopened, read from disk
        uri = open_doc(client, folder / "tasks.md", TASKS)
        await diagnostics_at(client, uri, 1)
        assert await exercise(client, uri, far + [(2, 15), (2, 16)]) > 0

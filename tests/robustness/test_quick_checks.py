"""Quick checks of the real server: a burst of 1,000 edits, a 1 MB line and lone surrogates,
malformed params, exit without shutdown and shutdown with a command in flight (the thorough
versions are in test_hostile.py and test_protocol_abuse.py): it answers, logs, and goes on."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from rbhelpers import HERE, change, code_actions, codes, diagnostics_at, frame, harness, open_doc, session

DEMO = HERE.parent / "lsp" / "workspace" / ".kiro" / "specs" / "demo"
PRESETS = harness.PRESETS


@pytest.mark.parametrize("preset", PRESETS)
async def test_burst_of_changes_without_waiting_ends_on_the_newest_version(preset):
    async with session(preset, harness.WORKSPACE) as client:
        await _burst(client)


async def _burst(client) -> None:
    text = "- [ ] 1. Burst\n  - _Requirements: 1.1_\n"
    uri = open_doc(client, DEMO / "tasks.md", text)
    await diagnostics_at(client, uri, 1)
    for v in range(2, 1002):
        # type "x" then delete it, 500 times; the last version leaves one extra "x"
        if v % 2 == 0:
            change(client, uri, v, 0, 14, 0, 14, "x")
        else:
            change(client, uri, v, 0, 14, 0, 15, "")
    change(client, uri, 1002, 1, 19, 1, 22, "7.7")
    diags = await diagnostics_at(client, uri, 1002, timeout=60)
    assert codes(diags) == ["unknown-requirement"]
    # the server still answers requests right away
    t0 = time.perf_counter()
    actions = await code_actions(client, uri, 0)
    assert actions and time.perf_counter() - t0 < 10


@pytest.mark.parametrize("preset", PRESETS)
async def test_one_megabyte_line_and_lone_surrogates(preset):
    async with session(preset, harness.WORKSPACE) as client:
        await _long_line_and_surrogates(client)


async def _long_line_and_surrogates(client) -> None:
    long_line = "- [ ] 1. " + ("long " * 210_000) + "\n  - _Requirements: 1.1_\n"
    uri = open_doc(client, DEMO / "tasks.md", long_line)
    diags = await diagnostics_at(client, uri, 1, timeout=60)
    assert codes(diags) == []
    text = "- [ ] 1. lone \ud800 surrogate\n  - _Requirements: 9.9_\n"
    uri2 = open_doc(client, DEMO / "tasks.md", text, version=5)
    diags = await diagnostics_at(client, uri2, 5, timeout=30)
    assert codes(diags) == ["unknown-requirement"]


def _read_messages(data: bytes) -> list[dict]:
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            break
        length = int(
            [h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")][0].split(b":")[1]
        )
        out.append(json.loads(rest[:length]))
        data = rest[length:]
    return out


def _run_raw(messages: list[dict], timeout: float = 30) -> tuple[int, list[dict], str]:
    proc = subprocess.run(
        [sys.executable, "-m", "specmark", "serve"],
        input=b"".join(frame(m) for m in messages),
        capture_output=True,
        timeout=timeout,
    )
    return proc.returncode, _read_messages(proc.stdout), proc.stderr.decode("utf-8", "replace")


INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"processId": None, "rootUri": None, "capabilities": {}},
}
INITIALIZED = {"jsonrpc": "2.0", "method": "initialized", "params": {}}


def _did_open(uri: str, text: str) -> dict:
    doc = {"uri": uri, "languageId": "markdown", "version": 1, "text": text}
    return {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": doc}}


def test_malformed_params_get_json_rpc_errors_and_the_server_goes_on():
    uri = (DEMO / "tasks.md").as_uri()
    code, msgs, err = _run_raw(
        [
            INIT,
            INITIALIZED,
            {"jsonrpc": "2.0", "id": 2, "method": "textDocument/completion", "params": {"textDocument": 5}},
            {"jsonrpc": "2.0", "id": 3, "method": "textDocument/codeAction", "params": None},
            {"jsonrpc": "2.0", "id": 4, "method": "specmark/unknown", "params": {}},
            _did_open(uri, "- [ ] 1. x\n"),
            {
                "jsonrpc": "2.0",
                "id": 5,
                "method": "textDocument/completion",
                "params": {"textDocument": {"uri": uri}, "position": {"line": -3, "character": -9}},
            },
            {
                "jsonrpc": "2.0",
                "id": 6,
                "method": "workspace/executeCommand",
                "params": {"command": "specmark.toggleTask", "arguments": [uri, "zero"]},
            },
            {"jsonrpc": "2.0", "id": 7, "method": "shutdown"},
            {"jsonrpc": "2.0", "method": "exit"},
        ]
    )
    by_id = {m.get("id"): m for m in msgs if "id" in m and "method" not in m}
    assert "error" in by_id[2] and by_id[2]["error"]["code"] in (-32602, -32603)
    assert "error" in by_id[3]
    assert by_id[4]["error"]["code"] == -32601
    assert "result" in by_id[5] or "error" in by_id[5]
    assert by_id[6]["result"]["applied"] is False or "error" in by_id[6]
    assert by_id[7]["result"] is None
    assert code == 0, err
    assert "Traceback" not in err


def test_exit_without_shutdown_ends_the_process():
    code, msgs, err = _run_raw([INIT, INITIALIZED, {"jsonrpc": "2.0", "method": "exit"}])
    assert code in (0, 1)
    assert any(m.get("id") == 1 and "result" in m for m in msgs)


def test_shutdown_while_a_command_is_in_flight():
    uri = (DEMO / "tasks.md").as_uri()
    code, msgs, err = _run_raw(
        [
            INIT,
            INITIALIZED,
            _did_open(uri, "- [ ] 1. x\n"),
            # the command awaits workspace/applyEdit, which this client never answers
            {
                "jsonrpc": "2.0",
                "id": 2,
                "method": "workspace/executeCommand",
                "params": {"command": "specmark.toggleTask", "arguments": [uri, 0]},
            },
            {"jsonrpc": "2.0", "id": 3, "method": "shutdown"},
            {"jsonrpc": "2.0", "method": "exit"},
        ]
    )
    by_id = {m.get("id"): m for m in msgs if "id" in m and "method" not in m}
    assert by_id[3].get("result", "missing") is None, by_id.get(3)
    assert "dictionary changed size" not in err

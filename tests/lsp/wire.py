"""A real `specmark serve` process driven with raw JSON, exactly as editors write it.

pytest-lsp's client sends lsprotocol objects through cattrs; editors send plain JSON (kinds and
enums are strings). These tests write the JSON themselves, keep every message the server sends
and its stderr, and answer the server's own requests the way VS Code does by default.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

VSCODE_CAPS = {
    "general": {"positionEncodings": ["utf-16"]},
    "window": {"workDoneProgress": True},
    "workspace": {
        "applyEdit": True,
        "configuration": True,
        "workspaceEdit": {"documentChanges": True},
        "didChangeWatchedFiles": {"dynamicRegistration": True},
    },
    "textDocument": {
        "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
        "codeAction": {
            "codeActionLiteralSupport": {
                "codeActionKind": {
                    "valueSet": [
                        "",
                        "quickfix",
                        "refactor",
                        "refactor.extract",
                        "refactor.inline",
                        "refactor.rewrite",
                        "source",
                        "source.organizeImports",
                    ]
                }
            },
            "isPreferredSupport": True,
        },
        "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
    },
}


def serve(cwd: Path, stderr=subprocess.PIPE, no_fast_paths: bool = False) -> subprocess.Popen:
    """`python -m specmark serve` in `cwd`, over pipes; `no_fast_paths`: pygls's own code paths
    (SPECMARK_NO_FAST_PATHS=1, lsp/protocol.py)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("SPECMARK_NO_FAST_PATHS", None)
    if no_fast_paths:
        env["SPECMARK_NO_FAST_PATHS"] = "1"
    return subprocess.Popen(
        [sys.executable, "-m", "specmark", "serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        cwd=cwd,
        env=env,
    )


def read_frames(stream):
    """The bodies of the messages on `stream` (LSP base protocol: headers, a blank line, then
    Content-Length bytes), until it ends."""
    while True:
        length = None
        while True:
            line = stream.readline()
            if not line:
                return
            if line == b"\r\n":
                break
            key, _, value = line.partition(b":")
            if key.strip().lower() == b"content-length":
                length = int(value)
        yield stream.read(length)


def send_frame(stream, obj) -> None:
    """Write `obj` as one message, as editors do (`json.dumps`, a Content-Length header)."""
    body = json.dumps(obj).encode()
    stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stream.flush()


class Wire:
    def __init__(self, root: Path, caps: dict | None = None, init_options: dict | None = None):
        self.proc = serve(root, stderr=subprocess.PIPE)
        self.messages: list[dict] = []
        self.stderr = b""
        self._cond = threading.Condition()
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()
        self.initialize_result = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": "ws"}],
                "initializationOptions": init_options or {"diagnosticMode": "push"},
                "capabilities": caps or VSCODE_CAPS,
            },
        )
        self.notify("initialized", {})

    def _read_err(self) -> None:
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            with self._cond:
                self.stderr += chunk

    def _read(self) -> None:
        for body in read_frames(self.proc.stdout):
            msg = json.loads(body)
            if "method" in msg and "id" in msg:
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": self._answer(msg)})
            with self._cond:
                self.messages.append(msg)
                self._cond.notify_all()

    def _answer(self, msg: dict):
        if msg["method"] == "workspace/configuration":
            return [None for _ in msg["params"]["items"]]
        if msg["method"] == "workspace/applyEdit":
            return {"applied": True}
        return None

    def send(self, obj: dict) -> None:
        send_frame(self.proc.stdin, obj)

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params, timeout: float = 30.0):
        self._next += 1
        msg_id = self._next
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        answer = self.wait(lambda m: m.get("id") == msg_id and "method" not in m, timeout)
        assert "error" not in answer, answer
        return answer["result"]

    def wait(self, predicate, timeout: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for msg in self.messages:
                    if predicate(msg):
                        return msg
                left = deadline - time.monotonic()
                assert left > 0, "no such message from the server"
                self._cond.wait(min(left, 0.1))

    def received(self, method: str) -> list[dict]:
        with self._cond:
            return [m["params"] for m in self.messages if m.get("method") == method]

    def open(self, path: Path, text: str | None = None, version: int = 1) -> str:
        uri = path.as_uri()
        if text is None:
            text = path.read_text(encoding="utf-8")
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}},
        )
        return uri

    def diagnostics(self, uri: str, version: int = 1) -> list[dict]:
        msg = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            )
        )
        return msg["params"]["diagnostics"]

    def code_actions(self, uri: str, line: int, col: int = 0, only=None, diagnostics=()) -> list[dict]:
        context: dict = {"diagnostics": list(diagnostics), "triggerKind": 1}
        if only is not None:
            context["only"] = only
        pos = {"line": line, "character": col}
        return (
            self.request(
                "textDocument/codeAction",
                {"textDocument": {"uri": uri}, "range": {"start": pos, "end": pos}, "context": context},
            )
            or []
        )

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                self.proc.wait(10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(10)

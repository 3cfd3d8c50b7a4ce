"""A minimal language-server client over stdio for the benchmark (bench/run.py).

It speaks JSON-RPC with Content-Length framing directly (no pygls), so that the client's own
cost stays out of the timings: every message is stamped when its body has been read, before it
is decoded. It answers the requests servers send (configuration, progress, registrations) with
empty results, and records every publishDiagnostics.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

perf = time.perf_counter


class BenchError(RuntimeError):
    pass


def uri(path: str | os.PathLike) -> str:
    return Path(path).resolve().as_uri()


def rss_kb(pid: int) -> int | None:
    """Resident set size of a process in kB (Linux /proc, else `ps`), or None."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        out = subprocess.run(["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True, timeout=5)
        return int(out.stdout.strip() or 0) or None
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


class Server:
    """One language server process, driven as an editor would."""

    def __init__(self, name: str, argv: list[str], log_path: str, timeout: float = 120.0):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self.timeout = timeout
        self.proc: asyncio.subprocess.Process | None = None
        self.incremental = True
        self._ids = 0
        self._pending: dict[int, asyncio.Future] = {}
        self._barriers: set[int] = set()
        self.diags: dict[str, tuple[float, int | None, int]] = {}  # uri → (t, version, count)
        self._diag_waiters: list[tuple[str, int | None, float, asyncio.Future]] = []
        self._reader: asyncio.Task | None = None

    async def start(self) -> None:
        self._err = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        kw: dict = {}
        if sys.platform != "win32":
            kw["start_new_session"] = True
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=self._err,
            limit=1 << 26,
            **kw,
        )
        self._reader = asyncio.ensure_future(self._read_loop())

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def rss_kb(self) -> int | None:
        return rss_kb(self.pid)

    # ---- wire
    def _write(self, msg: dict) -> float:
        assert self.proc is not None and self.proc.stdin is not None
        body = json.dumps(msg, separators=(",", ":")).encode()
        t = perf()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        return t

    async def _read_loop(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        out = self.proc.stdout
        try:
            while True:
                length = 0
                while True:
                    line = await out.readline()
                    if not line:
                        raise EOFError
                    if line in (b"\r\n", b"\n"):
                        break
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                body = await out.readexactly(length)
                t = perf()
                self._dispatch(t, json.loads(body))
        except (EOFError, asyncio.IncompleteReadError, ConnectionError):
            err = BenchError(f"{self.name} server closed its output (log: {self.log_path})")
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(err)
            for *_, fut in self._diag_waiters:
                if not fut.done():
                    fut.set_exception(err)

    def _dispatch(self, t: float, msg: dict) -> None:
        method = msg.get("method")
        if method is None:  # a response
            fut = self._pending.pop(msg.get("id"), None)  # type: ignore[arg-type]
            if fut is not None and not fut.done():
                if msg.get("id") in self._barriers:  # any answer will do (below)
                    self._barriers.discard(msg["id"])
                    fut.set_result((t, None))
                elif "error" in msg:
                    fut.set_exception(BenchError(f"{self.name}: {msg['error']}"))
                else:
                    fut.set_result((t, msg.get("result")))
            return
        params = msg.get("params") or {}
        if "id" in msg:  # a request from the server
            result: object = None
            if method == "workspace/configuration":
                result = [None for _ in params.get("items", [])]
            elif method == "workspace/applyEdit":
                result = {"applied": False}
            self._write({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            return
        if method == "textDocument/publishDiagnostics":
            u, version, n = params["uri"], params.get("version"), len(params.get("diagnostics", []))
            self.diags[u] = (t, version, n)
            keep = []
            for w in self._diag_waiters:
                wu, wv, after, fut = w
                if fut.done():
                    continue
                if wu == u and (wv is None or wv == version) and t >= after:
                    fut.set_result((t, n))
                else:
                    keep.append(w)
            self._diag_waiters = keep

    # ---- requests and notifications
    def notify(self, method: str, params: dict | None) -> float:
        msg: dict = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        return self._write(msg)

    def send_request(self, method: str, params: dict | None) -> tuple[float, asyncio.Future]:
        self._ids += 1
        fut: asyncio.Future = asyncio.get_running_loop().create_future()
        self._pending[self._ids] = fut
        msg: dict = {"jsonrpc": "2.0", "id": self._ids, "method": method}
        if params is not None:
            msg["params"] = params
        return self._write(msg), fut

    async def wait(self, fut: asyncio.Future, what: str, timeout: float | None = None):
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout or self.timeout)
        except asyncio.TimeoutError:
            raise BenchError(f"{self.name}: no {what} within {timeout or self.timeout:.0f} s") from None

    async def request(self, method: str, params: dict | None) -> tuple[float, object]:
        """(seconds from write to response, result)."""
        t0, fut = self.send_request(method, params)
        t, result = await self.wait(fut, f"response to {method}")
        return t - t0, result

    def barrier(self) -> asyncio.Future:
        """A request no server implements: its answer (MethodNotFound) comes once the server
        has handled every message sent before it, and costs nothing itself."""
        _t, fut = self.send_request("specmarkBench/barrier", {})
        self._barriers.add(self._ids)
        return fut

    def expect_diagnostics(self, doc_uri: str, version: int | None, after: float = 0.0) -> asyncio.Future:
        """A future for the next publishDiagnostics of `doc_uri` (with `version` unless None)
        that arrives after `after`; resolves to (arrival time, number of diagnostics)."""
        fut: asyncio.Future = asyncio.get_running_loop().create_future()
        self._diag_waiters.append((doc_uri, version, after, fut))
        return fut

    # ---- the LSP conversation
    async def initialize(self, root: str) -> None:
        caps = {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {
                "synchronization": {"didSave": True},
                "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
            },
            "workspace": {"configuration": True, "workspaceFolders": True},
            "window": {"workDoneProgress": True},
        }
        root_uri = uri(root)
        _dt, result = await self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root_uri,
                "capabilities": caps,
                "workspaceFolders": [{"uri": root_uri, "name": os.path.basename(root)}],
            },
        )
        caps_got = result.get("capabilities", {}) if isinstance(result, dict) else {}
        sync = caps_got.get("textDocumentSync")
        kind = sync.get("change") if isinstance(sync, dict) else sync
        self.incremental = kind == 2
        self.notify("initialized", {})

    def open(self, path: str, text: str, version: int = 1) -> float:
        return self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri(path), "languageId": "markdown", "version": version, "text": text}},
        )

    def change(self, path: str, version: int, text: str, edit: tuple[int, int, int, int, str]) -> float:
        """Send one edit (start line, start col, end line, end col, new text): as a range if the
        server syncs incrementally, else the whole new `text` (as an editor does)."""
        ident = {"uri": uri(path), "version": version}
        if self.incremental:
            sl, sc, el, ec, new = edit
            change: dict = {
                "range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}},
                "text": new,
            }
        else:
            change = {"text": text}
        return self.notify("textDocument/didChange", {"textDocument": ident, "contentChanges": [change]})

    async def stop(self) -> None:
        if self.proc is None:
            return
        try:
            if self.proc.returncode is None:
                _t, fut = self.send_request("shutdown", None)
                try:
                    await asyncio.wait_for(fut, 2.0)
                except (asyncio.TimeoutError, BenchError):
                    pass
                self.notify("exit", None)
                if self.proc.stdin is not None:
                    self.proc.stdin.close()
                try:
                    await asyncio.wait_for(self.proc.wait(), 2.0)
                except asyncio.TimeoutError:
                    self._kill(signal.SIGTERM)
                    try:
                        await asyncio.wait_for(self.proc.wait(), 3.0)
                    except asyncio.TimeoutError:
                        self._kill(signal.SIGKILL)
                        await self.proc.wait()
        except (ConnectionError, RuntimeError):
            self._kill(signal.SIGKILL)
        finally:
            if self._reader is not None:
                self._reader.cancel()
            self._err.close()

    def _kill(self, sig: int) -> None:
        assert self.proc is not None
        try:
            if sys.platform != "win32":
                os.killpg(self.proc.pid, sig)
            else:
                self.proc.kill()
        except (ProcessLookupError, PermissionError):
            pass

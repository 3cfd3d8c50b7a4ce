"""Helpers of the robustness suite (tests/robustness): the pytest-lsp harness of tests/lsp,
a raw JSON-RPC client for abuse the typed client cannot send, the CLI as a subprocess with
its peak memory, an in-process server for fuzzing the real handlers, and an LSP text model
(what the client holds) to check every range and edit the server returns against.

This module has a unique name (not `conftest`) so it can be imported from the test modules
of this folder whatever else pytest collected in the same session.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from lsprotocol import types

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

# ---- the pytest-lsp harness of tests/lsp (one definition of the client) -------------------------

_spec = importlib.util.spec_from_file_location("specmark_lsp_harness", REPO / "tests" / "lsp" / "conftest.py")
harness = importlib.util.module_from_spec(_spec)
sys.modules["specmark_lsp_harness"] = harness
_spec.loader.exec_module(harness)

SERVER = harness.SERVER
make_client = harness.make_client
start = harness.start
open_doc = harness.open_doc
change = harness.change
diagnostics_at = harness.diagnostics_at
codes = harness.codes
edits_of = harness.edits_of


def editing_client():
    """tests/lsp's client, plus a model of the documents it holds (`texts`: uri → [version,
    text]) and a workspace/applyEdit handler that behaves like an editor: a versioned edit
    whose version is not the document's current one is refused, anything else is applied to
    the model. `before_apply(client, params)` runs first (to type while the request is in flight)."""
    client = make_client()
    client.texts = {}
    client.before_apply = None
    client.apply_log = []

    def apply_edit(params: types.ApplyWorkspaceEditParams):
        if client.before_apply is not None:
            client.before_apply(client, params)
        edit = params.edit
        reason = None
        if edit.document_changes:
            for dc in edit.document_changes:
                version, _text = client.texts.get(dc.text_document.uri, (None, None))
                if dc.text_document.version is not None and dc.text_document.version != version:
                    reason = f"{dc.text_document.uri} is at version {version}, the edit is for {dc.text_document.version}"
            if reason is None:
                for dc in edit.document_changes:
                    version, text = client.texts[dc.text_document.uri]
                    client.texts[dc.text_document.uri] = [version, apply_text_edits(text, dc.edits)]
        else:
            for uri, edits in (edit.changes or {}).items():
                version, text = client.texts[uri]
                client.texts[uri] = [version, apply_text_edits(text, edits)]
        client.apply_log.append((params, reason))
        client.applied_edits.append(edit)
        return types.ApplyWorkspaceEditResult(applied=reason is None, failure_reason=reason)

    client.protocol.fm._features[types.WORKSPACE_APPLY_EDIT] = apply_edit
    return client


EDITING_SERVER = harness.ClientServerConfig(
    server_command=SERVER.server_command, server_env=SERVER.server_env, client_factory=editing_client
)


def model_open(client, path: Path, text: str, version: int = 1) -> str:
    uri = open_doc(client, path, text, version)
    client.texts[uri] = [version, utf16_text(text)]
    return uri


def model_change(client, uri: str, start: tuple[int, int], end: tuple[int, int], text: str) -> int:
    """Edit the client's copy and tell the server (didChange with the next version)."""
    version, current = client.texts[uri]
    version += 1
    client.texts[uri] = [version, apply_lsp_edit(current, start, end, text)]
    change(client, uri, version, start[0], start[1], end[0], end[1], text)
    return version


@contextlib.asynccontextmanager
async def session(
    preset: str = "visual-studio-code",
    workspace: Path | None = None,
    init_options=None,
    configuration: dict | None = None,
    capabilities=None,
    config=None,
):
    """A real `specmark serve` process, initialised with `preset`'s capabilities."""
    client = await (config or SERVER).start()
    try:
        if configuration is not None:
            client.set_configuration(configuration, section="specmark")
        caps = capabilities or harness.client_capabilities(preset)
        client.init_result = await client.initialize_session(
            types.InitializeParams(
                capabilities=caps,
                root_uri=workspace.as_uri() if workspace else None,
                workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="ws")]
                if workspace
                else None,
                initialization_options=init_options or {"diagnosticMode": "push"},
            )
        )
        yield client
        if client._server is not None and client._server.returncode is None:
            await asyncio.wait_for(client.shutdown_session(), 60)
    finally:
        # after a failure the server is still running: stop() alone would wait for it forever
        server = client._server
        if server is not None and server.returncode is None:
            try:
                await asyncio.wait_for(client.shutdown_session(), 10)
            except BaseException:  # noqa: BLE001 - the test's own error is the one to report
                pass
        if server is not None and server.returncode is None:
            server.kill()
        await asyncio.wait_for(client.stop(), 30)


def server_pid(client) -> int:
    return client._server.pid


def memory_mb(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) of a process in MB, from /proc/<pid>/status."""
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


async def wait_for(predicate, timeout: float = 30.0, interval: float = 0.02):
    """Poll `predicate` until it returns something truthy (or fail after `timeout` seconds)."""

    async def loop():
        while True:
            got = predicate()
            if got:
                return got
            await asyncio.sleep(interval)

    return await asyncio.wait_for(loop(), timeout)


# ---- the CLI as a subprocess ----------------------------------------------------------------------


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    def json(self):
        return json.loads(self.stdout)


def run_cli(args: list[str], cwd: Path | str, timeout: float = 60.0, env: dict | None = None) -> CliResult:
    """`python -m specmark <args>`: exit code, output, wall time and peak RSS. (The peak is
    VmHWM polled every 5 ms: wait4's ru_maxrss would include this process's RSS, which the
    child inherits until it execs.)"""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "specmark", *args],
            cwd=cwd,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        peak = 0.0
        while True:
            try:
                if time.perf_counter() - t0 > 0.05:  # after the exec
                    peak = max(peak, memory_mb(proc.pid)[1])
            except (OSError, ValueError):
                pass
            pid, status, _usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise AssertionError(f"specmark {' '.join(args)} did not finish in {timeout} s")
            time.sleep(0.005)
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return CliResult(
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            elapsed,
            peak,
        )


def cli_findings(workspace: Path) -> Counter:
    """`specmark check --format json` over `workspace`, counted as `published_findings` counts:
    (file name, code, line, column, message)."""
    got = run_cli(["check", "--format", "json", "."], cwd=workspace, timeout=60)
    assert got.code in (0, 1), got.stderr
    return Counter(
        (Path(f["path"]).name, f["code"], f["line"], f["column"], f["message"]) for f in got.json()
    )


def numbered_requirements(requirements: int, criteria: int) -> str:
    """A requirements.md of `requirements` requirements with `criteria` EARS criteria each."""
    return "# Requirements\n\n" + "".join(
        f"### Requirement {n}: R{n}\n\n#### Acceptance Criteria\n\n"
        + "".join(f"{m}. WHEN x{m} THEN the system SHALL y{m}\n" for m in range(1, criteria + 1))
        + "\n"
        for n in range(1, requirements + 1)
    )


class ShapesAgree:
    """Tests of one Kiro spec written from strings (a subclass, named Test…, sets `documents`:
    file name → text, and `expected`: the (file name, code, line) of every finding): the CLI
    reports exactly the expected findings, and the server publishes what the CLI reports."""

    documents: dict[str, str] = {}
    expected: set[tuple[str, str, int]] = set()

    @pytest.fixture(scope="class")
    @classmethod
    def workspace(cls, tmp_path_factory) -> tuple[Path, list[Path]]:
        root = tmp_path_factory.mktemp("shapes")
        spec = root / ".kiro" / "specs" / "shapes"
        spec.mkdir(parents=True)
        for name, text in cls.documents.items():
            (spec / name).write_text(text, encoding="utf-8")
        return root, [spec / name for name in cls.documents]

    def test_the_cli_reports_only_the_expected_findings(self, workspace):
        root, _files = workspace
        assert {(name, code, line) for name, code, line, _col, _msg in cli_findings(root)} == self.expected

    @pytest.mark.parametrize("preset", ["emacs", "visual-studio-code"])
    async def test_the_server_says_what_the_cli_says(self, preset, workspace):
        root, files = workspace
        cli = cli_findings(root)
        async with session(preset, root) as client:
            assert await published_findings(client, files) == cli
        assert len(cli) == len(self.expected)


async def code_actions(client, uri: str, line: int) -> list:
    """The code actions at the start of `line`, without diagnostics in the context."""
    at = types.Position(line=line, character=0)
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=at, end=at),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )


# ---- a raw JSON-RPC client over stdio (for messages the typed client refuses to build) ------------


def frame(obj) -> bytes:
    body = json.dumps(obj).encode("utf-8") if not isinstance(obj, bytes) else obj
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


class RawServer:
    """`specmark serve` driven with hand-written JSON: send anything, read every message."""

    def __init__(self, cwd: Path | str | None = None, prefix: list[str] = (), env: dict | None = None):
        self.proc = subprocess.Popen(
            [*prefix, sys.executable, "-m", "specmark", "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
        )
        self.messages: list[dict] = []
        self._cond = threading.Condition()
        self._stderr: list[bytes] = []
        self._next_id = 1000
        self.eof = False
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(
            target=lambda: self._stderr.extend(iter(lambda: self.proc.stderr.read(4096), b"")), daemon=True
        ).start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    with self._cond:
                        self.eof = True
                        self._cond.notify_all()
                    return
                if line in (b"\r\n", b"\n"):
                    break
                key, _, value = line.decode("ascii", "replace").partition(":")
                if key.strip().lower() == "content-length":
                    length = int(value.strip())
            body = stream.read(length or 0)
            try:
                msg = json.loads(body)
            except ValueError:
                msg = {"unparsable": body.decode("utf-8", "replace")}
            if isinstance(msg, dict) and "method" in msg and "id" in msg:
                self._answer_server_request(msg)
            with self._cond:
                self.messages.append(msg)
                self._cond.notify_all()

    def _answer_server_request(self, msg: dict) -> None:
        """Answer the server's own requests like a minimal client (configuration: no settings)."""
        result = None
        if msg["method"] == "workspace/configuration":
            result = [None for _ in msg.get("params", {}).get("items", [])]
        elif msg["method"] == "workspace/applyEdit":
            result = {"applied": False, "failureReason": "raw test client"}
        try:
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
        except OSError:
            pass

    def send(self, obj) -> None:
        self.proc.stdin.write(frame(obj))
        self.proc.stdin.flush()

    def send_bytes(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def notify(self, method: str, params=None) -> None:
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def open(self, uri: str, text: str) -> None:
        """textDocument/didOpen of a Markdown document at version 1."""
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
        )

    def request(self, method: str, params=None, *, msg_id=None, omit_params: bool = False):
        if msg_id is None:
            self._next_id += 1
            msg_id = self._next_id
        msg = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if not omit_params:
            msg["params"] = params
        self.send(msg)
        return msg_id

    def response(self, msg_id, timeout: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for m in self.messages:
                    if isinstance(m, dict) and m.get("id") == msg_id and "method" not in m:
                        return m
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    raise AssertionError(
                        f"no response to {msg_id!r} in {timeout} s; stderr:\n{self.stderr[-3000:]}"
                    )
                self._cond.wait(min(left, 0.1))

    def call(self, method: str, params=None, timeout: float = 30.0) -> dict:
        return self.response(self.request(method, params), timeout)

    def notifications(self, method: str) -> list[dict]:
        with self._cond:
            return [
                m
                for m in self.messages
                if isinstance(m, dict) and m.get("method") == method and "id" not in m
            ]

    def wait_notification(self, method: str, predicate=lambda m: True, timeout: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for m in self.messages:
                    if isinstance(m, dict) and m.get("method") == method and "id" not in m and predicate(m):
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"no {method} notification in {timeout} s; stderr:\n{self.stderr[-3000:]}"
                    )
                self._cond.wait(min(left, 0.1))

    def initialize(self, root: Path | None = None, capabilities: dict | None = None) -> dict:
        params = {
            "processId": None,
            "rootUri": root.as_uri() if root else None,
            "capabilities": capabilities or {},
            "initializationOptions": {"diagnosticMode": "push"},
        }
        if root:
            params["workspaceFolders"] = [{"uri": root.as_uri(), "name": "ws"}]
        got = self.call("initialize", params)
        self.notify("initialized", {})
        return got

    def shutdown_and_exit(self, timeout: float = 30.0) -> int:
        got = self.call("shutdown", None, timeout)
        assert "result" in got and got["result"] is None, got
        self.notify("exit")
        return self.wait(timeout)

    def wait(self, timeout: float = 30.0) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


# ---- the client's text model: LSP lines, UTF-16 positions -----------------------------------------

BREAK = re.compile(r"\r\n|\r|\n")


def lsp_lines(text: str) -> list[str]:
    """The lines a client sees (without terminators); only CRLF, CR and LF end a line."""
    return BREAK.split(text)


def code_point_column(text_line: str, units: int) -> int:
    """A UTF-16 column back to code points."""
    count = 0
    for i, ch in enumerate(text_line):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text_line)


async def published_findings(client, files, key=lambda path: path.name):
    """Open `files` (their bytes as UTF-8, line endings kept), wait until the server has stopped
    publishing, and count its diagnostics as the CLI's JSON reports findings:
    (key(path), code, 1-based line, 1-based code-point column, message)."""
    enc = client.init_result.capabilities.position_encoding
    uris = {open_doc(client, p, p.read_bytes().decode("utf-8")): p for p in files}
    for uri in uris:
        await diagnostics_at(client, uri, 1, timeout=30)
    # opening a spec's other documents re-publishes; wait until nothing moves any more
    count = -1
    while count != len(client.publishes):
        count = len(client.publishes)
        await asyncio.sleep(0.5)
    found: Counter = Counter()
    for uri, path in uris.items():
        lines = lsp_lines(path.read_bytes().decode("utf-8"))
        for d in client.diagnostics[uri]:
            col = d.range.start.character
            if enc == "utf-16":
                col = code_point_column(lines[d.range.start.line], col)
            found[(key(path), d.code, d.range.start.line + 1, col + 1, d.message)] += 1
    return found


def utf16_units(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def unit_width(ch: str, encoding: str = "utf-16") -> int:
    if encoding == "utf-8":
        return len(ch.encode("utf-8", "surrogatepass"))
    if encoding == "utf-32":
        return 1
    return 2 if ord(ch) > 0xFFFF else 1


def offset_at(text: str, line: int, char: int, encoding: str = "utf-16") -> int:
    """Offset of an LSP position (in `encoding`'s units), clamped as the spec says: a line past
    the end is the end of the text, a character past the end of its line is the line's end,
    and a position inside a character rounds down to the character's start."""
    starts = [0] + [m.end() for m in BREAK.finditer(text)]
    if line >= len(starts):
        return len(text)
    begin = starts[line]
    body = lsp_lines(text)[line]
    units = 0
    for i, ch in enumerate(body):
        width = unit_width(ch, encoding)
        if units + width > char:
            return begin + i
        units += width
    return begin + len(body)


def units_of(line: str, col: int, encoding: str = "utf-16") -> int:
    """A code-point column of `line` in `encoding`'s units."""
    return sum(unit_width(ch, encoding) for ch in line[:col])


def utf16_text(text: str) -> str:
    """The text as a UTF-16 client holds it, back in Python: a high and a low surrogate next
    to each other are one character (lone ones stay lone)."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def apply_lsp_edit(
    text: str, start: tuple[int, int], end: tuple[int, int], new_text: str, encoding: str = "utf-16"
) -> str:
    a, b = offset_at(text, *start, encoding), offset_at(text, *end, encoding)
    if b < a:
        a, b = b, a
    return utf16_text(text[:a] + new_text + text[b:])


def expected_diagnostics(path: Path, texts: dict, encoding: str = "utf-16") -> list[tuple]:
    """What the analysis core says about the spec of `path` given the documents' texts
    (`texts`: path → text; the other documents of the folder are read from disk), as
    (code, start line, start char, end line, end char) in `encoding`, for `path`."""
    from specmark.core.analysis import analyze

    folder = path.parent
    tasks = {
        str(p): texts.get(p, p.read_text(encoding="utf-8") if p.exists() else "")
        for p in [folder / "tasks.md"]
        if p in texts or p.exists()
    }
    req = folder / "requirements.md"
    req_text = texts.get(req, req.read_text(encoding="utf-8") if req.exists() else None)
    result = analyze(tasks, (str(req), req_text) if req_text is not None else None)
    lines = lsp_lines(texts[path] if path in texts else path.read_text(encoding="utf-8"))
    out = []
    for f in result.findings:
        if f.path == str(path):
            s = f.span
            out.append(
                (
                    f.code,
                    s.line,
                    units_of(lines[s.line], s.col, encoding),
                    s.end_line,
                    units_of(lines[s.end_line], s.end_col, encoding),
                )
            )
    return sorted(out)


def diagnostic_keys(diags) -> list[tuple]:
    return sorted(
        (str(d.code), d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)
        for d in diags
    )


def apply_text_edits(text: str, edits) -> str:
    """LSP TextEdits of one document, applied as a client does (all against the same text)."""
    spans = []
    for e in edits:
        a = offset_at(text, e.range.start.line, e.range.start.character)
        b = offset_at(text, e.range.end.line, e.range.end.character)
        spans.append((a, b, e.new_text))
    spans.sort(reverse=True)
    for i in range(1, len(spans)):
        assert spans[i][1] <= spans[i - 1][0], f"overlapping edits {spans}"
    for a, b, new in spans:
        text = text[:a] + new + text[b:]
    return utf16_text(text)


def check_position(text: str, line: int, char: int, what="position") -> None:
    """A position (UTF-16) lies inside the text and never inside a surrogate pair."""
    lines = lsp_lines(text)
    assert 0 <= line < len(lines), f"{what}: line {line} outside 0..{len(lines) - 1}"
    units = lines[line].encode("utf-16-le", "surrogatepass")
    n = len(units) // 2
    assert 0 <= char <= n, f"{what}: character {char} outside 0..{n} on line {line}: {lines[line]!r}"
    if 0 < char < n:
        hi = int.from_bytes(units[2 * char - 2 : 2 * char], "little")
        lo = int.from_bytes(units[2 * char : 2 * char + 2], "little")
        assert not (0xD800 <= hi <= 0xDBFF and 0xDC00 <= lo <= 0xDFFF), (
            f"{what}: character {char} splits a surrogate pair on line {line}: {lines[line]!r}"
        )


def check_range(text: str, rng, what="range") -> None:
    check_position(text, rng.start.line, rng.start.character, what + ".start")
    check_position(text, rng.end.line, rng.end.character, what + ".end")
    assert (rng.start.line, rng.start.character) <= (rng.end.line, rng.end.character), (
        f"{what}: reversed {rng}"
    )


# ---- the real server object in-process (handlers called directly, no transport) -----------------

_SERVERS: dict = {}


def in_process_server(preset: str = "visual-studio-code", slot: int = 0):
    """A SpecmarkServer that is not started, with an empty State: handlers run synchronously
    against it, with `preset`'s client capabilities; analysis is never scheduled on an event
    loop. The server object is made once per (preset, slot) (that costs 150 ms); its state is new."""
    from specmark.lsp.convert import Codec
    from specmark.lsp.state import State

    server = _SERVERS.get((preset, slot))
    if server is None:
        from pytest_lsp import client_capabilities

        from specmark.lsp.client import ClientDescription
        from specmark.lsp.server import create_server

        server = _SERVERS[(preset, slot)] = create_server()
        server.client = ClientDescription(client_capabilities(preset))
        server.codec = Codec("utf-16")
        server.configured = False  # schedule() only marks documents dirty
        server.log = lambda *a, **k: None  # no transport to log to
    server.state = State()
    server._dirty.clear()
    return server


# ---- every request of the server at given positions ----------------------------------------------

LONG = os.environ.get("SPECMARK_FUZZ", "").lower() == "long"


class Phases:
    """Wall time of a test's phases, printed (see them with `pytest -s`; docs/reliability.md)."""

    def __init__(self, name: str):
        self.name, self.t0, self.seen = name, time.perf_counter(), []

    def __call__(self, phase: str) -> float:
        now = time.perf_counter()
        self.seen.append((phase, now - self.t0))
        print(f"[timing] {self.name}: {phase} {now - self.t0:.2f} s", file=sys.stderr)
        self.t0 = now
        return self.seen[-1][1]


async def exercise(client, uri: str, positions, timeout: float = 60.0, whole: bool = True) -> int:
    """Send every document request the server handles (at each position for the positional
    ones), all at once, and wait for every answer. Returns the number of answers; a JSON-RPC
    error other than RequestFailed (a refused rename) fails, and so do a hang, a dead server
    and a traceback in the server's log. `whole=False` leaves out the requests that answer for
    the whole document (symbols, semantic tokens, links: tens of seconds on the largest
    documents, so the CI profile sends them only with SPECMARK_FUZZ=long)."""
    doc = types.TextDocumentIdentifier(uri=uri)
    everything = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=10**6, character=0)
    )
    calls = [
        client.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc)),
        client.text_document_code_lens_async(types.CodeLensParams(text_document=doc)),
        client.text_document_inlay_hint_async(types.InlayHintParams(text_document=doc, range=everything)),
        client.protocol.send_request_async("specmark/progress", {"uri": uri}),
    ]
    if whole or LONG:
        calls += [
            client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc)),
            client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=doc)),
            client.text_document_document_link_async(types.DocumentLinkParams(text_document=doc)),
        ]
    for line, char in positions:
        pos = types.Position(line=line, character=char)
        rng = types.Range(start=pos, end=pos)
        calls += [
            client.text_document_hover_async(types.HoverParams(text_document=doc, position=pos)),
            client.text_document_definition_async(types.DefinitionParams(text_document=doc, position=pos)),
            client.text_document_references_async(
                types.ReferenceParams(
                    text_document=doc, position=pos, context=types.ReferenceContext(include_declaration=True)
                )
            ),
            client.text_document_prepare_rename_async(
                types.PrepareRenameParams(text_document=doc, position=pos)
            ),
            client.text_document_rename_async(
                types.RenameParams(text_document=doc, position=pos, new_name="42")
            ),
            client.text_document_completion_async(types.CompletionParams(text_document=doc, position=pos)),
            client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=doc, range=rng, context=types.CodeActionContext(diagnostics=[])
                )
            ),
        ]

    async def answered(call):
        try:
            await call
        except Exception as exc:  # noqa: BLE001 - a JSON-RPC error is an answer; which one is checked
            return getattr(exc, "code", None) or repr(exc)
        return None

    got = await asyncio.wait_for(asyncio.gather(*(answered(c) for c in calls)), timeout)
    errors = [e for e in got if e is not None and e != -32803]  # RequestFailed: a refused rename
    assert not errors, errors
    assert not logged_errors(client), logged_errors(client)
    return len(got)


def logged_errors(client) -> list[str]:
    """Logged tracebacks: a handler that raised (and was caught by the server's guard) logs
    "specmark: <handler> failed:" with its traceback. (Refused renames are logged at error
    level too, with their reason: those are answers, not failures.)"""
    return [
        m.message
        for m in client.log_messages
        if m.type == types.MessageType.Error and ("Traceback" in m.message or " failed:" in m.message)
    ]

#!/usr/bin/env python3
"""Drive specmark's and rumdl's language servers over stdio as an editor would, and time them.

    python bench/lsp_latency.py [--quick] [--sizes 300 1000 10000 100000]
        [--edits 40] [--completions 50] [--cold 5] [--workspace 500] [--json out.json]

One run measures, on the same generated documents (bench/gen.py, seeded):

* edit -> fresh diagnostics: single-character edits at random (seeded) lines, each timed from
  the moment the didChange bytes are written to the moment the publishDiagnostics *of that
  version* for tasks.md arrives (the arrival is stamped when its body has been read, before
  the client decodes it). Every edit changes the server's findings, because specmark publishes
  only lists that changed:
    - specmark: insert `9` after a reference (`1.2` -> `1.29`, unknown-requirement), then
      delete it again (the diagnostic goes away): incremental didChange (its sync kind);
    - rumdl: append a space to a task title line (MD009 trailing-spaces), then delete it:
      rumdl announces textDocumentSync = Full, so the client sends the whole text, like
      an editor does; rumdl pushes versioned publishDiagnostics after every change.
* completion (specmark only) at reference lines, cursor right after `_Requirements: `: the
  whole list of 100 requirements + 1,000 criteria. Timed request -> response bytes.
* cold start: spawn -> initialize -> initialized -> didOpen -> first diagnostics of a
  300-line tasks.md (specmark also gets requirements.md opened).
* workspace of N specs (specmark only): initialize with the workspace folder, time from
  `initialized` to the `$/progress` end of token "specmark-index", while completion requests
  are sent every 100 ms, and the server's VmRSS is sampled from /proc/<pid>/status.

Every loop is bounded in count and in time; servers are shut down cleanly
(shutdown/exit) and killed (their own process group) if they do not stop.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from lsprotocol import types as T
from pygls.io_ import run_async
from pygls.lsp.client import LanguageClient

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402
import snapshot  # noqa: E402

VENV_BIN = os.path.dirname(sys.executable)
perf = time.perf_counter
log = logging.getLogger("bench")

REF_LINE = re.compile(r"^(\s*- _Requirements: )(\d+)\.(\d+)(?=[,_])")
TASK_LINE = re.compile(r"^\s*- \[[ xX]\]\*? \S.*\S$")


class BenchError(RuntimeError):
    pass


# ---- statistics ------------------------------------------------------------------------------


def pct(xs, p):
    """Percentile with linear interpolation (p in 0..100)."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = (len(s) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def ms(x):
    return "-" if x is None or x != x else (f"{x * 1000:.1f}" if x < 10 else f"{x * 1000:.0f}")


def ratio(a, b):
    return "-" if not a or not b or a != a or b != b else f"{a / b:.2f}x"


# ---- one server process ----------------------------------------------------------------------

HANDLED = "specmarkBench/handled"
_HANDLED_BODY = json.dumps({"jsonrpc": "2.0", "method": HANDLED, "params": None}).encode()


class _StampedReader:
    """The server's stdout, as pygls' read loop sees it. Remembers when the last message body
    was read, and answers the responses to the benchmark's own requests (ids "bench-N") itself:
    their results are parsed with plain json.loads and handed over as they are, and pygls is
    given a no-op notification instead (pygls' client turns a 1,100-item completion list into
    namedtuples in about a second, which would only eat the time budget)."""

    def __init__(self, reader: asyncio.StreamReader, pending: dict):
        self.reader = reader
        self.pending = pending
        self.last = 0.0

    async def readline(self):
        return await self.reader.readline()

    async def readexactly(self, n):
        data = await self.reader.readexactly(n)
        self.last = perf()
        if b'"bench-' in data:
            msg = json.loads(data)
            fut = self.pending.pop(msg.get("id"), None) if "method" not in msg else None
            if fut is not None:
                if not fut.done():
                    if "error" in msg:
                        fut.set_exception(BenchError(f"error response: {msg['error']}"))
                    else:
                        fut.set_result((self.last, msg.get("result")))
                return _HANDLED_BODY
        return data


def rss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Session:
    """A language server subprocess driven by pygls' LanguageClient (stdio)."""

    def __init__(self, name: str, argv: list[str], log_path: str):
        self.name = name
        self.argv = argv
        self.env = ENV.get(name)
        self.log_path = log_path
        self.proc: asyncio.subprocess.Process | None = None
        self.client = LanguageClient("specmark-bench", "1.0")
        self.diags: list[tuple[float, str, int | None, int]] = []  # (t, uri, version, count)
        self.waiters: dict[tuple[str, int | None], asyncio.Future] = {}
        self.progress: list[tuple[float, object, str]] = []  # (t, token, kind)
        self.progress_waiters: dict[tuple[object, str], asyncio.Future] = {}
        self.pending: dict[str, asyncio.Future] = {}  # bench request id → future
        self.last_message = 0.0
        self.sync_kind = T.TextDocumentSyncKind.Incremental
        self.capabilities: T.ServerCapabilities | None = None
        self._dead: asyncio.Future | None = None
        self._tasks: list[asyncio.Task] = []
        self._ids = 0
        self.t_spawn = 0.0
        self._register()

    # -- handlers for what servers send
    def _register(self):
        c = self.client

        @c.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _diagnostics(ls, p: T.PublishDiagnosticsParams):
            t = self.reader.last
            self.diags.append((t, p.uri, p.version, len(p.diagnostics)))
            for key in ((p.uri, p.version), (p.uri, None)):
                fut = self.waiters.pop(key, None)
                if fut is not None and not fut.done():
                    fut.set_result((t, p))

        @c.feature(T.PROGRESS)
        def _progress(ls, p: T.ProgressParams):
            t = self.reader.last
            value = p.value
            kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", "")
            self.progress.append((t, p.token, kind))
            fut = self.progress_waiters.pop((p.token, kind), None)
            if fut is not None and not fut.done():
                fut.set_result(t)

        # what servers send that needs no more than an answer: None
        for method in (
            HANDLED,
            T.WINDOW_WORK_DONE_PROGRESS_CREATE,
            T.CLIENT_REGISTER_CAPABILITY,
            T.CLIENT_UNREGISTER_CAPABILITY,
            T.WORKSPACE_DIAGNOSTIC_REFRESH,
            T.WINDOW_SHOW_MESSAGE_REQUEST,
        ):
            c.feature(method)(_answer_none)

        @c.feature(T.WORKSPACE_CONFIGURATION)
        def _configuration(ls, p: T.ConfigurationParams):
            return [None for _ in p.items]

        @c.feature(T.WORKSPACE_APPLY_EDIT)
        def _apply(ls, _p):
            return T.ApplyWorkspaceEditResult(applied=False)

        @c.feature(T.WINDOW_LOG_MESSAGE)
        def _log(ls, p):
            log.debug("%s log: %s", self.name, p.message[:300])

        @c.feature(T.WINDOW_SHOW_MESSAGE)
        def _show(ls, p):
            log.info("%s says: %s", self.name, p.message[:300])

    # -- lifecycle
    async def start(self):
        self._stderr = open(self.log_path, "ab")
        self.t_spawn = perf()
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=self._stderr,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            env=self.env,
        )
        proto = self.client.protocol
        proto.set_writer(self.proc.stdin)
        self.reader = _StampedReader(self.proc.stdout, self.pending)
        loop = asyncio.get_running_loop()
        self._dead = loop.create_future()
        self._tasks.append(
            asyncio.create_task(
                run_async(stop_event=self.client._stop_event, reader=self.reader, protocol=proto, logger=log)
            )
        )
        self._tasks.append(asyncio.create_task(self._watch()))

    async def _watch(self):
        code = await self.proc.wait()
        if self._dead is not None and not self._dead.done():
            self._dead.set_result(code)
        for fut in [*self.client.protocol._request_futures.values(), *self.pending.values()]:
            if not fut.done():
                fut.set_exception(BenchError(f"{self.name} exited with {code}"))

    @property
    def pid(self) -> int:
        return self.proc.pid

    async def _await(self, fut, timeout: float, what: str):
        """Wait for `fut`, failing fast if the server dies, and after `timeout` seconds."""
        dead = self._dead
        done, _ = await asyncio.wait({fut, dead}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if fut in done:
            return fut.result()
        if dead in done:
            raise BenchError(
                f"{self.name} exited (code {dead.result()}) while waiting for {what}; see {self.log_path}"
            )
        raise BenchError(f"{self.name}: no {what} within {timeout:.0f} s")

    async def initialize(self, root: str, timeout: float = 60.0):
        caps = T.ClientCapabilities(
            window=T.WindowClientCapabilities(work_done_progress=True),
            workspace=T.WorkspaceClientCapabilities(workspace_folders=True),
            text_document=T.TextDocumentClientCapabilities(
                synchronization=T.TextDocumentSyncClientCapabilities(did_save=True),
                publish_diagnostics=T.PublishDiagnosticsClientCapabilities(version_support=True),
                completion=T.CompletionClientCapabilities(
                    completion_item=T.ClientCompletionItemOptions(snippet_support=True)
                ),
                hover=T.HoverClientCapabilities(content_format=[T.MarkupKind.Markdown]),
            ),
        )
        uri = path_uri(root)
        fut = asyncio.wrap_future(
            self.client.protocol.send_request(
                T.INITIALIZE,
                T.InitializeParams(
                    process_id=os.getpid(),
                    capabilities=caps,
                    root_uri=uri,
                    workspace_folders=[T.WorkspaceFolder(uri=uri, name=os.path.basename(root))],
                ),
            )
        )
        result: T.InitializeResult = await self._await(fut, timeout, "initialize response")
        self.capabilities = result.capabilities
        sync = result.capabilities.text_document_sync
        kind = sync.change if isinstance(sync, T.TextDocumentSyncOptions) else sync
        self.sync_kind = kind if kind is not None else T.TextDocumentSyncKind.Full
        return result

    def initialized(self) -> float:
        t = perf()
        self.client.initialized(T.InitializedParams())
        return t

    def open(self, path: str, text: str, version: int = 1) -> float:
        t = perf()
        self.client.text_document_did_open(
            T.DidOpenTextDocumentParams(
                T.TextDocumentItem(uri=path_uri(path), language_id="markdown", version=version, text=text)
            )
        )
        return t

    def expect_diagnostics(self, uri: str, version: int | None) -> asyncio.Future:
        fut = asyncio.get_running_loop().create_future()
        self.waiters[(uri, version)] = fut
        return fut

    def expect_progress(self, token, kind: str) -> asyncio.Future:
        fut = asyncio.get_running_loop().create_future()
        self.progress_waiters[(token, kind)] = fut
        return fut

    # -- raw, pre-encoded messages, so that client-side encoding is not timed
    def _frame(self, payload: dict) -> bytes:
        body = json.dumps(payload, separators=(",", ":")).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    async def timed_notify(self, method: str, params: dict, wait: asyncio.Future, timeout: float, what: str):
        frame = self._frame({"jsonrpc": "2.0", "method": method, "params": params})
        t0 = perf()
        self.proc.stdin.write(frame)
        await self.proc.stdin.drain()
        t1, payload = await self._await(wait, timeout, what)
        return t1 - t0, payload

    def _request(self, method: str, params: dict | None):
        """Write a request (pre-encoded); returns (future of (arrival time, result), t_sent)."""
        self._ids += 1
        msg_id = f"bench-{self._ids}"
        fut = asyncio.get_running_loop().create_future()
        self.pending[msg_id] = fut
        payload = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if params is not None:
            payload["params"] = params
        frame = self._frame(payload)
        t0 = perf()
        self.proc.stdin.write(frame)
        return fut, t0

    async def timed_request(self, method: str, params: dict, timeout: float):
        fut, t0 = self._request(method, params)
        await self.proc.stdin.drain()
        t_rx, result = await self._await(fut, timeout, f"{method} response")
        return t_rx - t0, result, t_rx

    async def settle(self, quiet: float = 0.5, limit: float = 30.0):
        """Wait until the server has sent nothing for `quiet` seconds (at most `limit`)."""
        end = perf() + limit
        seen = (len(self.diags), len(self.progress), self.reader.last)
        quiet_since = perf()
        while perf() < end:
            await asyncio.sleep(0.05)
            now = (len(self.diags), len(self.progress), self.reader.last)
            if now != seen:
                seen, quiet_since = now, perf()
            elif perf() - quiet_since >= quiet:
                return

    async def stop(self):
        """shutdown + exit (both without `params`: rumdl rejects `"params": null`), then
        close stdin; SIGTERM after 2 s, SIGKILL after 3 s (rumdl 0.3.0 ignores `exit`)."""
        if self.proc is None:
            return
        try:
            if self.proc.returncode is None:
                fut, _ = self._request(T.SHUTDOWN, None)
                await self._await(fut, 10, "shutdown response")
                self.proc.stdin.write(self._frame({"jsonrpc": "2.0", "method": T.EXIT}))
                await self.proc.stdin.drain()
                self.proc.stdin.close()
                await asyncio.wait_for(self.proc.wait(), 2)
        except Exception as exc:  # noqa: BLE001 - then stop it by force
            log.info("%s did not exit by itself (%s); terminating it", self.name, exc or type(exc).__name__)
            if self.proc.returncode is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGTERM)
                    await asyncio.wait_for(self.proc.wait(), 1)
                except (ProcessLookupError, asyncio.TimeoutError):
                    pass
        finally:
            self.kill()
            self.client._stop_event.set()
            for task in self._tasks:
                if not task.done():
                    task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            self._stderr.close()
            if self.proc.returncode is None:
                try:
                    await asyncio.wait_for(self.proc.wait(), 5)
                except asyncio.TimeoutError:
                    pass

    def kill(self):
        if self.proc is not None and self.proc.returncode is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: only what it started
            except ProcessLookupError:
                pass


def _answer_none(ls, _p):
    return None


def _die_with_parent():
    """In the child: get SIGKILL if the benchmark dies (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
    except Exception:  # noqa: BLE001 - best effort
        pass


def path_uri(path: str) -> str:
    return "file://" + os.path.abspath(path)


# ---- the edit scripts --------------------------------------------------------------------------


def specmark_edits(lines: list[str], rng: random.Random, pairs: int, n_crit: int):
    """(line, col) where inserting '9' turns a known criterion into an unknown one."""
    rows = [i for i, t in enumerate(lines) if (m := REF_LINE.match(t)) and int(m.group(3)) <= n_crit]
    picks = rng.sample(rows, min(pairs, len(rows)))
    return [(i, REF_LINE.match(lines[i]).end()) for i in picks]


def rumdl_edits(lines: list[str], rng: random.Random, pairs: int):
    """(line, col) at the end of task title lines: a trailing space is MD009."""
    rows = [i for i, t in enumerate(lines) if TASK_LINE.match(t)]
    picks = rng.sample(rows, min(pairs, len(rows)))
    return [(i, len(lines[i])) for i in picks]


def _items(result) -> list:
    """Completion items of a CompletionList / CompletionItem[] (pygls gives JSON objects as
    namedtuples named Object)."""
    if isinstance(result, dict):
        return list(result.get("items") or [])
    if hasattr(result, "_fields"):
        return list(result.items) if "items" in result._fields else []
    return list(result or [])


def change_params(
    session: Session, uri: str, version: int, lines: list[str], line: int, col: int, insert: str | None
):
    """Apply the edit to `lines` and return didChange params in the server's sync kind."""
    old = lines[line]
    if insert is not None:
        lines[line] = old[:col] + insert + old[col:]
        rng_ = {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}
        text = insert
    else:
        lines[line] = old[:col] + old[col + 1 :]
        rng_ = {"start": {"line": line, "character": col}, "end": {"line": line, "character": col + 1}}
        text = ""
    if session.sync_kind == T.TextDocumentSyncKind.Incremental:
        change = {"range": rng_, "text": text}
    else:
        change = {"text": "\n".join(lines) + "\n"}
    return {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}


# ---- measurements ------------------------------------------------------------------------------


class _Editing:
    """One server on one generated spec, for the interleaved edit measurement."""

    def __init__(self, server: str, argv: list[str], folder: str, size: int, args, logs: str):
        self.server, self.folder, self.size, self.args = server, folder, size, args
        self.tasks_path = os.path.join(folder, "tasks.md")
        self.req_path = os.path.join(folder, "requirements.md")
        with open(self.tasks_path, encoding="utf-8") as fh:
            self.text = fh.read()
        self.lines = self.text.split("\n")[:-1]
        self.uri = path_uri(self.tasks_path)
        self.s = Session(server, argv, os.path.join(logs, f"{server}-{size}.log"))
        self.out: dict = {
            "server": server,
            "size": size,
            "edits": [],
            "edit_kind": [],
            "warmup_edits": [],
            "completion": [],
        }
        self.rng = random.Random(args.seed * 31 + size)
        self.version = 1
        self.spent = 0.0  # wall seconds spent on this server's edits (its time budget)
        self.failed = False

    def fail(self, exc: Exception):
        self.out["error"] = str(exc)
        self.failed = True
        log.error("%s", exc)

    async def open(self):
        s, args = self.s, self.args
        await s.start()
        await s.initialize(self.folder)
        s.initialized()
        if self.server == "specmark":
            with open(self.req_path, encoding="utf-8") as fh:
                s.open(self.req_path, fh.read())
        first = s.expect_diagnostics(self.uri, None)
        t_open = s.open(self.tasks_path, self.text)
        t_first, _ = await s._await(first, args.open_timeout, "first diagnostics")
        self.out["open_to_first_diagnostics"] = t_first - t_open
        self.out["sync"] = "incremental" if s.sync_kind == T.TextDocumentSyncKind.Incremental else "full"
        await s.settle(0.5, 30)
        pairs = max(1, args.edits // 2) + args.warmup
        if self.server == "specmark":
            self.spots, self.char = specmark_edits(self.lines, self.rng, pairs, args.criteria), "9"
        else:
            self.spots, self.char = rumdl_edits(self.lines, self.rng, pairs), " "

    async def edit_pair(self, n: int):
        """Insert the character at spot n, then delete it; each waits for its diagnostics."""
        if n >= len(self.spots):
            return
        if self.spent > self.args.budget:
            self.out.setdefault(
                "note", f"stopped after {len(self.out['edits'])} edits: time budget {self.args.budget:.0f} s"
            )
            return
        t0 = perf()
        line, col = self.spots[n]
        for insert in (self.char, None):
            self.version += 1
            params = change_params(self.s, self.uri, self.version, self.lines, line, col, insert)
            wait = self.s.expect_diagnostics(self.uri, self.version)
            dt, _ = await self.s.timed_notify(
                T.TEXT_DOCUMENT_DID_CHANGE,
                params,
                wait,
                self.args.edit_timeout,
                f"diagnostics for version {self.version}",
            )
            if n < self.args.warmup:  # the first pairs after opening: one-time costs, kept apart
                self.out["warmup_edits"].append(dt)
                continue
            self.out["edits"].append(dt)
            self.out["edit_kind"].append("insert" if insert else "delete")
        self.spent += perf() - t0

    async def completions(self):
        args, lines = self.args, self.lines
        await self.s.settle(0.3, 10)
        rows = [i for i, t in enumerate(lines) if REF_LINE.match(t)]
        deadline = perf() + args.budget
        for i in [self.rng.choice(rows) for _ in range(args.completions)]:
            if perf() > deadline:
                self.out["note"] = f"completions stopped after {len(self.out['completion'])}: time budget"
                break
            col = REF_LINE.match(lines[i]).end(1)
            dt, result, _ = await self.s.timed_request(
                T.TEXT_DOCUMENT_COMPLETION,
                {"textDocument": {"uri": self.uri}, "position": {"line": i, "character": col}},
                args.edit_timeout,
            )
            self.out["completion"].append(dt)
            self.out["completion_items"] = len(_items(result))


async def measure_size(servers: dict[str, list[str]], folder: str, size: int, args, logs: str) -> dict:
    """Both servers on the same spec, alive together; their edit pairs alternate (specmark pair,
    rumdl pair, specmark pair, …) so that a change in machine load affects both alike."""
    runs = [_Editing(name, argv, folder, size, args, logs) for name, argv in servers.items()]
    try:
        for r in runs:
            try:
                await r.open()
            except BenchError as exc:
                r.fail(exc)
        pairs = max(1, args.edits // 2) + args.warmup
        for n in range(pairs):
            for r in runs:
                if not r.failed:
                    try:
                        await r.edit_pair(n)
                    except BenchError as exc:
                        r.fail(exc)
        for r in runs:
            if r.server == "specmark" and args.completions and not r.failed:
                try:
                    await r.completions()
                except BenchError as exc:
                    r.fail(exc)
            if r.s.proc is not None:
                r.out["rss_kb"] = rss_kb(r.s.pid)
    finally:
        for r in runs:
            await r.s.stop()
    return {r.server: r.out for r in runs}


async def cold_start(server: str, argv: list[str], folder: str, logs: str, timeout: float, n: int) -> dict:
    tasks_path = os.path.join(folder, "tasks.md")
    req_path = os.path.join(folder, "requirements.md")
    with open(tasks_path, encoding="utf-8") as fh:
        text = fh.read()
    with open(req_path, encoding="utf-8") as fh:
        req_text = fh.read()
    runs, init, errors = [], [], []
    for _k in range(n):
        s = Session(server, argv, os.path.join(logs, f"{server}-cold.log"))
        try:
            t0 = perf()
            await s.start()
            await s.initialize(folder, timeout)
            init.append(perf() - t0)
            s.initialized()
            if server == "specmark":
                s.open(req_path, req_text)
            first = s.expect_diagnostics(path_uri(tasks_path), None)
            s.open(tasks_path, text)
            t1, _ = await s._await(first, timeout, "first diagnostics")
            runs.append(t1 - t0)
        except BenchError as exc:
            errors.append(str(exc))
            log.error("%s", exc)
        finally:
            await s.stop()
    return {"server": server, "runs": runs, "initialize": init, "errors": errors}


async def workspace_index(argv: list[str], root: str, n_specs: int, logs: str, timeout: float) -> dict:
    out: dict = {"specs": n_specs, "requests": [], "requests_before_end": 0, "rss_kb": []}
    s = Session("specmark", argv, os.path.join(logs, "specmark-workspace.log"))
    token = "specmark-index"
    try:
        await s.start()
        await s.initialize(root)
        out["hover_provider"] = bool(s.capabilities.hover_provider)
        spec = os.path.join(root, ".kiro", "specs", "spec-001")
        tasks_path = os.path.join(spec, "tasks.md")
        with open(tasks_path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")[:-1]
        ref_row = next(i for i, t in enumerate(lines) if REF_LINE.match(t))
        col = REF_LINE.match(lines[ref_row]).end(1)
        begin = s.expect_progress(token, "begin")
        end = s.expect_progress(token, "end")
        t0 = s.initialized()
        # an editor restores an open tab right away
        with open(os.path.join(spec, "requirements.md"), encoding="utf-8") as fh:
            s.open(os.path.join(spec, "requirements.md"), fh.read())
        s.open(tasks_path, "\n".join(lines) + "\n")
        limit = perf() + timeout
        pid = s.pid
        doc = {"uri": path_uri(tasks_path)}
        methods = [
            (
                T.TEXT_DOCUMENT_COMPLETION,
                {"textDocument": doc, "position": {"line": ref_row, "character": col}},
            )
        ]
        if out["hover_provider"]:  # hover on the first requirement ID of the line
            methods.append(
                (
                    T.TEXT_DOCUMENT_HOVER,
                    {"textDocument": doc, "position": {"line": ref_row, "character": col + 1}},
                )
            )
        out["by_method"] = {m: [] for m, _ in methods}
        arrivals = []
        # while indexing: a request every 100 ms (completion, hover, completion, …; each waited
        # for), RSS every 50 ms
        while not end.done() and perf() < limit:
            method, params = methods[len(arrivals) % len(methods)]
            req = asyncio.ensure_future(s.timed_request(method, params, max(1.0, limit - perf())))
            while not req.done() and perf() < limit:
                out["rss_kb"].append(rss_kb(pid))
                await asyncio.wait({req}, timeout=0.05)
            if not req.done():
                req.cancel()
                break
            dt, _result, t_rx = req.result()
            out["requests"].append(dt)
            out["by_method"][method].append(dt)
            arrivals.append(t_rx)
            for _ in range(2):
                out["rss_kb"].append(rss_kb(pid))
                await asyncio.wait({end}, timeout=0.05)
        if end.done():
            out["requests_before_end"] = sum(1 for t in arrivals if t < end.result())
        if begin.done():
            out["begin"] = begin.result() - t0
        if end.done():
            out["indexed"] = end.result() - t0
        else:
            out["error"] = f"no $/progress end for {token!r} within {timeout:.0f} s"
        await asyncio.sleep(0.3)
        out["rss_after_kb"] = rss_kb(pid)
        out["rss_kb"] = [x for x in out["rss_kb"] if x]
    except BenchError as exc:
        out["error"] = str(exc)
        log.error("%s", exc)
    finally:
        await s.stop()
    return out


# ---- report -------------------------------------------------------------------------------------


def machine() -> dict:
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "?")
    except OSError:
        pass
    mem = run(["free", "-h"]).splitlines()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": run(["nproc"]),
        "cpu": cpu,
        "loadavg_start": os.getloadavg()[0],
        "mem": mem[1].split()[1] if len(mem) > 1 else "?",
        "python": platform.python_version(),
        "rumdl": run([args_rumdl(), "--version"]),
        "kernel": platform.release(),
    }


def args_rumdl():
    return ARGS.rumdl


def report(res: dict) -> str:
    out = []
    m = res["machine"]
    out.append(
        f"# specmark LSP latency, {m['date']}: nproc {m['nproc']}, {m['cpu']}, {m['mem']} RAM, "
        f"Python {m['python']}, {m['rumdl']}, load average {m['loadavg_start']:.1f} -> {res.get('loadavg_end', 0):.1f}, "
        f"specmark {m['specmark']}"
    )
    out.append("")
    out.append("edit -> fresh diagnostics (ms; specmark incremental sync, rumdl full sync)")
    out.append(
        "| tasks.md lines | specmark p50 | specmark p95 | rumdl p50 | rumdl p95 | p50 ratio | p95 ratio | edits s/r |"
    )
    out.append("|---:|---:|---:|---:|---:|---:|---:|---|")
    for size in res["sizes"]:
        sm, rd = res["edit"].get(f"specmark-{size}", {}), res["edit"].get(f"rumdl-{size}", {})
        a, b = sm.get("edits", []), rd.get("edits", [])
        out.append(
            f"| {size:,} | {ms(pct(a, 50))} | {ms(pct(a, 95))} | {ms(pct(b, 50))} | {ms(pct(b, 95))} | "
            f"{ratio(pct(a, 50), pct(b, 50))} | {ratio(pct(a, 95), pct(b, 95))} | {len(a)}/{len(b)} |"
        )
    notes = [
        f"{k}: {v.get('error') or v.get('note')}"
        for k, v in res["edit"].items()
        if v.get("error") or v.get("note")
    ]
    out += [f"  note: {n}" for n in notes]
    out.append("")
    out.append(
        "edit details (ms): specmark insert/delete p50; the first (warm-up, untimed) edit after opening; "
        "didOpen -> first diagnostics; server RSS at the end"
    )
    out.append(
        "| tasks.md lines | specmark insert p50 | specmark delete p50 | specmark first edit | rumdl first edit "
        "| specmark open | rumdl open | specmark RSS | rumdl RSS |"
    )
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in res["sizes"]:
        sm, rd = res["edit"].get(f"specmark-{size}", {}), res["edit"].get(f"rumdl-{size}", {})
        ins = [d for d, k in zip(sm.get("edits", []), sm.get("edit_kind", []), strict=False) if k == "insert"]
        dele = [
            d for d, k in zip(sm.get("edits", []), sm.get("edit_kind", []), strict=False) if k == "delete"
        ]
        first = lambda r: r["warmup_edits"][0] if r.get("warmup_edits") else None  # noqa: E731
        out.append(
            f"| {size:,} | {ms(pct(ins, 50))} | {ms(pct(dele, 50))} | {ms(first(sm))} | {ms(first(rd))} | "
            f"{ms(sm.get('open_to_first_diagnostics'))} | "
            f"{ms(rd.get('open_to_first_diagnostics'))} | {mb(sm.get('rss_kb'))} | {mb(rd.get('rss_kb'))} |"
        )
    out.append("")
    out.append("completion at a reference line (specmark; 100 requirements + 1,000 criteria offered)")
    out.append("| tasks.md lines | p50 ms | p95 ms | max ms | n | items |")
    out.append("|---:|---:|---:|---:|---:|---:|")
    for size in res["sizes"]:
        sm = res["edit"].get(f"specmark-{size}", {})
        c = sm.get("completion", [])
        out.append(
            f"| {size:,} | {ms(pct(c, 50))} | {ms(pct(c, 95))} | {ms(max(c) if c else None)} | {len(c)} | "
            f"{sm.get('completion_items', '-')} |"
        )
    out.append("")
    out.append("cold start: spawn -> first diagnostics, 300-line tasks.md (ms)")
    out.append("| server | median | min | max | initialize response (median) | runs |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for name in ("specmark", "rumdl"):
        c = res["cold"].get(name, {})
        r = c.get("runs", [])
        out.append(
            f"| {name} | {ms(pct(r, 50))} | {ms(min(r) if r else None)} | {ms(max(r) if r else None)} | "
            f"{ms(pct(c.get('initialize', []), 50))} | {len(r)} |"
        )
    cs, cr = res["cold"].get("specmark", {}).get("runs", []), res["cold"].get("rumdl", {}).get("runs", [])
    out.append(f"  ratio specmark/rumdl (median): {ratio(pct(cs, 50), pct(cr, 50))}")
    w = res.get("workspace")
    if w:
        out.append("")
        out.append(
            f"workspace of {w['specs']} specs (specmark; requests: "
            f"{', '.join(f'{k} x{len(v)}' for k, v in w.get('by_method', {}).items())})"
        )
        r = w.get("requests", [])
        out.append(
            "| initialized -> progress begin | -> progress end | requests answered before end | "
            "request p50 / max while indexing | RSS peak | RSS after |"
        )
        out.append("|---:|---:|---:|---:|---:|---:|")
        out.append(
            f"| {ms(w.get('begin'))} ms | {ms(w.get('indexed'))} ms | {w.get('requests_before_end', 0)} of {len(r)} | "
            f"{ms(pct(r, 50))} / {ms(max(r) if r else None)} ms | {mb(max(w['rss_kb']) if w.get('rss_kb') else None)} | "
            f"{mb(w.get('rss_after_kb'))} |"
        )
        if w.get("error"):
            out.append(f"  note: {w['error']}")
    out.append("")
    out.append("targets")
    out += [
        f"  {'PASS' if ok else 'FAIL' if ok is not None else 'n/a '}  {what}: {got}"
        for what, got, ok in verdicts(res)
    ]
    return "\n".join(out)


def mb(kb):
    return "-" if not kb else f"{kb / 1024:.0f} MB"


def verdicts(res: dict):
    e = res["edit"]

    def p(key, q):
        return pct(e.get(key, {}).get("edits", []), q)

    out = []
    s10, r10 = p("specmark-10000", 50), p("rumdl-10000", 50)
    if s10 == s10:
        out.append(
            (
                "edit -> diagnostics, 10,000 lines, p50 <= rumdl/3 and <= 30 ms",
                f"{ms(s10)} ms vs rumdl {ms(r10)} ms ({ratio(s10, r10)})",
                s10 <= 30e-3 and (r10 == r10 and s10 <= r10 / 3),
            )
        )
    s3 = p("specmark-300", 50)
    out.append(
        ("edit -> diagnostics, 300 lines, p50 <= 5 ms", f"{ms(s3)} ms", s3 <= 5e-3 if s3 == s3 else None)
    )
    big, small = p("specmark-100000", 50), p("specmark-1000", 50)
    if big == big and small == small:
        out.append(
            (
                "growth 100,000 vs 1,000 lines, p50 <= 2x",
                f"{big / small:.1f}x ({ms(big)} / {ms(small)} ms)",
                big / small <= 2,
            )
        )
    comp = [(size, pct(e.get(f"specmark-{size}", {}).get("completion", []), 95)) for size in res["sizes"]]
    comp = [(size, c) for size, c in comp if c == c]
    if comp:
        worst = max(comp, key=lambda x: x[1])
        out.append(
            (
                "completion p95 <= 10 ms (worst size)",
                f"{ms(worst[1])} ms at {worst[0]:,} lines",
                worst[1] <= 10e-3,
            )
        )
    cs = pct(res["cold"].get("specmark", {}).get("runs", []), 50)
    out.append(
        (
            "cold start to first diagnostics, 300 lines, <= 1.2 s",
            f"{ms(cs)} ms",
            cs <= 1.2 if cs == cs else None,
        )
    )
    w = res.get("workspace")
    if w:
        idx = w.get("indexed")
        peak = max(w["rss_kb"]) if w.get("rss_kb") else None
        ok = (
            idx is not None
            and idx <= 3
            and w.get("requests_before_end", 0) > 0
            and peak is not None
            and peak <= 150 * 1024
        )
        answered = w.get("requests_before_end", 0)
        out.append(
            (
                f"workspace of {w['specs']} specs: indexed <= 3 s, requests answered meanwhile, RSS <= 150 MB",
                f"{ms(idx)} ms, {answered} answered before the end, RSS peak {mb(peak)}",
                ok if idx is not None else False,
            )
        )
    return out


# ---- main ---------------------------------------------------------------------------------------

ARGS: argparse.Namespace
ENV: dict[str, dict] = {}  # server name -> environment of its processes (specmark: the snapshot)


async def amain(args) -> dict:
    # SIGTERM (like Ctrl-C) cancels the run: every Session.stop() in a `finally` then runs
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
    data = args.data or tempfile.mkdtemp(prefix="specmark-bench-")
    res: dict = {}
    try:
        await _measure(args, data, res)
    finally:
        failed = (
            any(v.get("error") for v in res.get("edit", {}).values())
            or bool(res.get("workspace", {}).get("error"))
            or any(c.get("errors") for c in res.get("cold", {}).values())
            or "loadavg_end" not in res
        )
        if args.keep or args.data or failed:
            print(f"data and server logs kept in {data}", file=sys.stderr)
        else:
            shutil.rmtree(data, ignore_errors=True)
    return res


async def _measure(args, data: str, res: dict) -> None:
    logs = os.path.join(data, "logs")
    os.makedirs(logs, exist_ok=True)
    sizes = sorted(set(args.sizes) | {300})
    print(f"generating specs in {data} ...", file=sys.stderr)
    made = gen.generate(data, sizes, args.requirements, args.criteria, args.seed, args.workspace)
    env, label = snapshot.choose(args, os.path.join(data, "code"))
    ENV["specmark"] = env
    specmark = [args.specmark, "serve"]
    rumdl = [args.rumdl, "server"]
    res.update({"machine": machine(), "sizes": args.sizes, "edit": {}, "cold": {}, "args": vars(args).copy()})
    res["machine"]["specmark"] = label
    deadline = perf() + args.total_budget
    for size in args.sizes:
        if perf() > deadline:
            for name in ("specmark", "rumdl"):
                res["edit"][f"{name}-{size}"] = {"error": "skipped: total time budget exhausted"}
            continue
        print(f"  {size:,}-line tasks.md: specmark and rumdl, edits interleaved ...", file=sys.stderr)
        got = await measure_size({"specmark": specmark, "rumdl": rumdl}, made[size], size, args, logs)
        for name, r in got.items():
            res["edit"][f"{name}-{size}"] = r
            print(
                f"    {name}: edit p50 {ms(pct(r['edits'], 50))} ms, p95 {ms(pct(r['edits'], 95))} ms "
                f"({len(r['edits'])} edits)"
                + (f"; completion p50 {ms(pct(r['completion'], 50))} ms" if r.get("completion") else "")
                + (f"; {r.get('error') or r.get('note')}" if r.get("error") or r.get("note") else ""),
                file=sys.stderr,
            )
    if args.cold:
        print(f"  cold starts, specmark and rumdl alternating, x{args.cold} ...", file=sys.stderr)
        for _ in range(args.cold):
            for name, argv in (("specmark", specmark), ("rumdl", rumdl)):
                got = await cold_start(name, argv, made[300], logs, args.open_timeout, 1)
                acc = res["cold"].setdefault(
                    name, {"server": name, "runs": [], "initialize": [], "errors": []}
                )
                for key in ("runs", "initialize", "errors"):
                    acc[key] += got[key]
    if args.workspace:
        print(f"  specmark: workspace of {args.workspace} specs ...", file=sys.stderr)
        res["workspace"] = await workspace_index(
            specmark, made["workspace"], args.workspace, logs, args.ws_timeout
        )
    res["loadavg_end"] = os.getloadavg()[0]


def main(argv=None) -> int:
    global ARGS
    ap = argparse.ArgumentParser(
        description="edit->diagnostics, completion, cold start and workspace "
        "indexing latency of specmark vs rumdl, over stdio"
    )
    ap.add_argument(
        "--quick", action="store_true", help="smoke run: 300 and 1,000 lines, a few edits, 100 specs"
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 10000, 100000])
    ap.add_argument("--edits", type=int, default=40, help="edits per server and size (insert+delete pairs)")
    ap.add_argument(
        "--warmup", type=int, default=1, help="untimed insert+delete pairs first (reported apart)"
    )
    ap.add_argument("--completions", type=int, default=50)
    ap.add_argument("--cold", type=int, default=5, help="cold starts per server")
    ap.add_argument("--workspace", type=int, default=500, help="specs in the workspace test (0 = skip)")
    ap.add_argument("--requirements", type=int, default=100)
    ap.add_argument("--criteria", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--budget", type=float, default=120, help="seconds of edits (and of completions) per server and size"
    )
    ap.add_argument("--total-budget", type=float, default=1800, help="seconds for all edit measurements")
    ap.add_argument(
        "--edit-timeout", type=float, default=60, help="seconds to wait for one edit's diagnostics"
    )
    ap.add_argument(
        "--open-timeout", type=float, default=180, help="seconds to wait for the first diagnostics"
    )
    ap.add_argument("--ws-timeout", type=float, default=60, help="seconds to wait for the workspace index")
    ap.add_argument("--specmark", default=os.path.join(VENV_BIN, "specmark"))
    ap.add_argument("--rumdl", default=shutil.which("rumdl", path=VENV_BIN) or "rumdl")
    snapshot.add_arguments(ap)
    ap.add_argument("--data", help="generate the specs here and keep them (default: a temp dir, removed)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (specs and server logs)")
    ap.add_argument("--json", help="also write the raw results here")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.sizes = [s for s in args.sizes if s <= 1000] or [300]
        args.edits, args.completions, args.cold = (
            min(args.edits, 6),
            min(args.completions, 5),
            min(args.cold, 1),
        )
        args.workspace = min(args.workspace, 100)
        args.budget = min(args.budget, 20)
        args.open_timeout = min(args.open_timeout, 30)
        args.ws_timeout = min(args.ws_timeout, 30)
    ARGS = args
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("pygls").setLevel(logging.ERROR)
    try:
        res = asyncio.run(amain(args))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted; servers stopped", file=sys.stderr)
        return 130
    text = report(res)
    print(text)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(res, fh, indent=1, default=str)
    failed = [k for k, v in res["edit"].items() if v.get("error")]
    return 1 if failed or res.get("workspace", {}).get("error") else 0


if __name__ == "__main__":
    sys.exit(main())

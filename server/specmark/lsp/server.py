"""`specmark serve`: the server object, and `register` with its tables: the one place where
every LSP method is wired (including the pull-diagnostics methods registered by `initialize`
when the client pulls, and the file watchers registered dynamically once it is initialized)."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import sys
import threading
import traceback

from lsprotocol import types
from pygls import IS_WASM
from pygls.io_ import StdinAsyncReader, StdoutWriter, run_async
from pygls.lsp.server import LanguageServer

from .. import __version__
from . import logs
from .client import ClientDescription
from .convert import Codec, DiagnosticsJson, workspace_edit
from .handlers import code_actions, commands, completion, diagnostics, navigation, sync, workspace_diagnostics
from .handlers.navigation import (
    code_lens,
    definition,
    folding,
    hover,
    inlay_hints,
    links,
    references,
    rename,
    semantic_tokens,
    symbols,
)
from .handlers.navigation._util import guard
from .protocol import FAST_PATHS, SpecmarkProtocol
from .state import State, path_to_uri, uri_to_path
from .transport import PipeReader, widen_pipe

log = logging.getLogger("specmark")

WATCH_GLOBS = ["**/*.md", "**/.specmark.toml", "**/pyproject.toml"]


class SpecmarkServer(LanguageServer):
    def __init__(self):
        super().__init__(
            "specmark",
            __version__,
            protocol_cls=SpecmarkProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.state = State()
        self.state.on_unbuilt = self._build_engines_soon
        self.codec = Codec("utf-16")
        self.diagnostics_json = DiagnosticsJson(self.protocol._converter.unstructure)
        self.pull_mode = False
        self.client = ClientDescription()  # set in `initialize`
        self._dirty: set[str] = set()
        self._task: asyncio.Task | None = None
        self._build: asyncio.Task | None = None  # State.build_engines, scheduled
        self.configured = False  # analysis waits for the configuration (read in `initialized`)
        self._force_refresh = False  # settings changed: pull clients must re-pull every document
        # specmark.diagnostics.scope (handlers/workspace_diagnostics.py): "open" or "workspace"
        self.diagnostics_scope = "open"
        self.workspace_reported: set[str] = set()  # URIs of the last workspace/diagnostic answer

    def start_io(self, stdin=None, stdout=None):
        """pygls's stdio server, with stdin read on the event loop when it is a pipe or a socket
        (transport.py: no thread round trips per message); pygls's own reader otherwise, and
        with SPECMARK_NO_FAST_PATHS=1. A copy of pygls's `start_io` (see pygls_seam.py)."""
        if stdin is not None or IS_WASM or not FAST_PATHS:
            return super().start_io(stdin, stdout)
        stop_event = self._stop_event = threading.Event()
        stdout = stdout or sys.stdout.buffer
        widen_pipe(stdout)
        self.protocol.set_writer(StdoutWriter(stdout))
        try:
            asyncio.run(self._serve_stdin(sys.stdin.buffer, stop_event))
        except BrokenPipeError:
            logging.getLogger("pygls.server").error(
                "Connection to the client is lost! Shutting down the server."
            )
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    async def _serve_stdin(self, stdin, stop_event: threading.Event) -> None:
        reader = await PipeReader.connect(stdin) or StdinAsyncReader(stdin, self.thread_pool)
        await run_async(
            stop_event=stop_event,
            reader=reader,
            protocol=self.protocol,
            logger=logging.getLogger("pygls.server"),
            error_handler=self.report_server_error,
        )

    def report_server_error(self, error: Exception, source) -> None:
        """Out-of-band errors go to the log, not to a pop-up in the user's editor."""
        log.error("specmark: %s: %s", getattr(source, "__name__", source), error, extra={logs.SENT: True})
        try:
            self.window_log_message(
                types.LogMessageParams(type=types.MessageType.Error, message=f"specmark: {error}")
            )
        except Exception:  # noqa: BLE001
            pass

    # ---- helpers used by handlers --------------------------------------------------------------
    def log(self, message: str, level: types.MessageType = types.MessageType.Log) -> None:
        log.info(message, extra={logs.SENT: True})
        try:
            self.window_log_message(types.LogMessageParams(type=level, message=message))
        except Exception:  # noqa: BLE001 - logging must never fail a request
            pass

    def line_getter(self, path: str):
        doc = self.state.document(path)
        return doc.bodies.get if doc is not None else (lambda n: "")  # Document.line, one call less

    def workspace_edit(self, edits):
        """The LSP edit of core edits: open documents carry their version (when the client takes
        versioned edits); columns of documents that are not open are converted against their
        text on disk (a rename edits tasks documents the editor has not opened)."""
        return workspace_edit(
            edits, self.codec, self.state.document, self._uri_for, self.client.versioned_edits
        )

    def _uri_for(self, path: str) -> str:
        doc = self.state.docs.get(path)
        return doc.uri if doc is not None else path_to_uri(path)

    # ---- analysis scheduling: no debounce, newest version only ------------------------------------
    def schedule(self, path: str) -> None:
        self._dirty.add(path)
        if self.configured and (self._task is None or self._task.done()):
            self._task = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        # yield once so that changes already received are applied before analysing
        await asyncio.sleep(0)
        while self._dirty:
            batch = list(self._dirty)
            self._dirty.clear()
            try:
                self.refresh(batch)
            except Exception:  # noqa: BLE001 - never let one document take the server down
                self.log("specmark: analysis failed:\n" + traceback.format_exc(), types.MessageType.Error)
            await asyncio.sleep(0)

    def _build_engines_soon(self) -> None:
        """A plan was analysed whole (State.whole_first_lines): build its incremental engine once
        what is being answered is out and the messages that came meanwhile are handled."""
        if self._build is not None and not self._build.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # not serving: the next analysis builds it
        self._build = loop.create_task(self._build_engines())

    async def _build_engines(self) -> None:
        await asyncio.sleep(0.05)
        try:
            self.state.build_engines()
        except Exception:  # noqa: BLE001 - never let one document take the server down
            self.log("specmark: analysis failed:\n" + traceback.format_exc(), types.MessageType.Error)

    def report_disk_errors(self) -> None:
        """Spec documents on disk that could not be read or decoded (the CLI's
        unreadable-document finding): one window message per file version, as the file is not
        open and so has no diagnostics of its own."""
        errors, self.state.disk_errors[:] = list(self.state.disk_errors), []
        for path, message in errors:
            self.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error, message=f"specmark: cannot read {path}: {message}"
                )
            )

    def refresh(self, changed: list[str]) -> None:
        """Re-analyse the specs of `changed` and publish (or ask for a pull of) what changed."""
        try:
            self._refresh(changed)
        finally:
            self.report_disk_errors()

    def _refresh(self, changed: list[str]) -> None:
        affected: set[str] = set()
        for path in changed:
            for p in self.state.paths_of_result(path):
                if p in self.state.docs:
                    affected.add(p)
        others = affected - set(changed)
        if others:
            # lenses, inlay hints and semantic tokens of the other documents depend on this one
            asyncio.ensure_future(navigation.refresh_views(self))
        if self.pull_mode:
            force, self._force_refresh = self._force_refresh, False
            if (others or force) and self.client.diagnostic_refresh:
                asyncio.ensure_future(self._request_refresh())
            return
        # the edited documents first: that is where the user is looking
        for path in sorted(affected, key=lambda p: (p not in changed, p)):
            diagnostics.publish(self, path)
        workspace_diagnostics.refresh_closed(self, changed)

    async def _request_refresh(self) -> None:
        try:
            await self.workspace_diagnostic_refresh_async(None)
        except Exception as exc:  # noqa: BLE001
            self.log(f"workspace/diagnostic/refresh failed: {exc}")

    def clear_diagnostics(self, path: str) -> None:
        if self.diagnostics_scope == "workspace" and not self.pull_mode and path not in self.state.docs:
            if any(path in spec.paths for spec in self.state.specs.values()):
                return  # a spec document just closed: its findings stay (from disk, on refresh)
        prev = self.state.published.pop(path, None)
        self.diagnostics_json.forget(path)
        if prev is not None and not self.pull_mode:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=path_to_uri(path), diagnostics=[])
            )

    def reanalyse_all(self) -> None:
        self._force_refresh = True
        for path in list(self.state.docs):
            self.schedule(path)


def safe(default=None):
    """Handler wrapper: an exception becomes a log line and an empty result, never a crash."""

    def wrap(fn):
        if asyncio.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def run_async(ls, *args):
                try:
                    return await fn(ls, *args)
                except Exception:  # noqa: BLE001
                    ls.log(
                        f"specmark: {fn.__name__} failed:\n{traceback.format_exc()}", types.MessageType.Error
                    )
                    return default

            return run_async

        @functools.wraps(fn)
        def run(ls, *args):
            try:
                return fn(ls, *args)
            except Exception:  # noqa: BLE001
                ls.log(f"specmark: {fn.__name__} failed:\n{traceback.format_exc()}", types.MessageType.Error)
                return default

        return run

    return wrap


def create_server() -> SpecmarkServer:
    server = SpecmarkServer()
    register(server, FEATURES, COMMANDS)
    return server


# ---- every LSP method the server handles -------------------------------------------------------
# The tables (FEATURES, COMMANDS, PULL_FEATURES) are at the end of this section. A row is
# (method, options advertised in the initialize result or None, handler, wrapper); the wrapper
# turns an exception into a log line and an empty answer: `safe(default)`, or the navigation
# handlers' `guard(default)`, which lets a JSON-RPC error (a refused rename) reach the client.
# Lifecycle and workspace notifications are not wrapped.


def register(server: SpecmarkServer, features, commands=()) -> None:
    """Wire `features` and `commands` (tables below) into pygls's feature manager. Called at
    creation with the fixed tables, and by `initialize` with the ones that depend on the client
    (`PULL_FEATURES`): pygls computes the capabilities after the `initialize` handler has run,
    so a feature registered there is advertised too."""
    for method, options, handler, wrap in features:
        server.feature(method, options)(wrap(handler) if wrap is not None else handler)
    for name, handler, wrap in commands:
        server.command(name)(wrap(handler) if wrap is not None else handler)


def initialize(ls: SpecmarkServer, params: types.InitializeParams):
    ls.client = ClientDescription(params.capabilities, params.client_info)
    opts = params.initialization_options if isinstance(params.initialization_options, dict) else {}
    mode = str(opts.get("diagnosticMode", "auto"))
    ls.pull_mode = mode == "pull" or (mode == "auto" and ls.client.pull_diagnostics)
    if ls.pull_mode:
        register(ls, PULL_FEATURES)
    roots = []
    for folder in params.workspace_folders or []:
        roots.append(uri_to_path(folder.uri))
    if not roots and params.root_uri:
        roots.append(uri_to_path(params.root_uri))
    elif not roots and params.root_path:
        roots.append(params.root_path)
    ls.state.roots = roots
    settings = opts.get("settings") if isinstance(opts.get("settings"), dict) else None
    if settings is not None:
        section = settings.get("specmark", settings)
        ls.state.client_settings = workspace_diagnostics.take_scope(ls, section)


async def initialized(ls: SpecmarkServer, params: types.InitializedParams):
    ls.codec = Codec(ls.workspace.position_encoding)
    await _load_config(ls)
    ls.configured = True
    ls.reanalyse_all()
    await _register_watchers(ls)
    asyncio.ensure_future(_discover(ls))


async def did_change_configuration(ls: SpecmarkServer, params: types.DidChangeConfigurationParams):
    settings = params.settings
    scope = ls.diagnostics_scope
    if isinstance(settings, dict) and isinstance(settings.get("specmark"), dict):
        _apply_client_settings(ls, settings["specmark"])
    else:
        await _load_config(ls)
    ls.reanalyse_all()
    if ls.diagnostics_scope != scope or scope == "workspace":
        # severities may have changed too: the unopened documents' findings follow
        asyncio.ensure_future(workspace_diagnostics.push_all(ls, progress=ls.diagnostics_scope != scope))
    asyncio.ensure_future(navigation.refresh_views(ls))


async def did_change_watched_files(ls: SpecmarkServer, params: types.DidChangeWatchedFilesParams):
    reload_config = False
    for change in params.changes:
        path = uri_to_path(change.uri)
        ls.state.forget_disk(path)
        if path.endswith((".specmark.toml", "pyproject.toml")):
            reload_config = True
        ls.schedule(path)
    if reload_config:
        await _load_config(ls)
        ls.reanalyse_all()


async def did_change_folders(ls: SpecmarkServer, params: types.DidChangeWorkspaceFoldersParams):
    for f in params.event.removed:
        p = uri_to_path(f.uri)
        if p in ls.state.roots:
            ls.state.roots.remove(p)
    for f in params.event.added:
        ls.state.roots.append(uri_to_path(f.uri))
    asyncio.ensure_future(_discover(ls))


FEATURES: list[tuple] = [
    # lifecycle and workspace (this module)
    (types.INITIALIZE, None, initialize, None),
    (types.INITIALIZED, None, initialized, None),
    (types.WORKSPACE_DID_CHANGE_CONFIGURATION, None, did_change_configuration, None),
    (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, None, did_change_watched_files, None),
    (types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, None, did_change_folders, None),
    # document sync (handlers/sync.py; protocol.py keeps the documents)
    (types.TEXT_DOCUMENT_DID_OPEN, None, sync.did_open, safe()),
    (types.TEXT_DOCUMENT_DID_CHANGE, None, sync.did_change, safe()),
    (types.TEXT_DOCUMENT_DID_CLOSE, None, sync.did_close, safe()),
    (types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False), sync.did_save, safe()),
    # editing
    (
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=completion.TRIGGERS, resolve_provider=True),
        completion.completion,
        safe(),
    ),
    (types.COMPLETION_ITEM_RESOLVE, None, completion.resolve, safe()),
    (
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                types.CodeActionKind.RefactorRewrite,
                types.CodeActionKind.Source,
            ]
        ),
        code_actions.code_actions,
        safe(),
    ),
    ("specmark/progress", None, code_actions.progress, safe()),
    # navigation (handlers/navigation/, one module per feature)
    (types.TEXT_DOCUMENT_HOVER, None, hover.hover, guard()),
    (types.TEXT_DOCUMENT_DEFINITION, None, definition.definition, guard()),
    (types.TEXT_DOCUMENT_REFERENCES, None, references.references, guard()),
    (types.TEXT_DOCUMENT_PREPARE_RENAME, None, rename.prepare_rename, guard()),
    (types.TEXT_DOCUMENT_RENAME, None, rename.rename, guard()),
    (
        types.TEXT_DOCUMENT_CODE_LENS,
        types.CodeLensOptions(resolve_provider=False),
        code_lens.code_lens,
        guard([]),
    ),
    (types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, None, symbols.document_symbols, guard([])),
    (types.WORKSPACE_SYMBOL, None, symbols.workspace_symbols, guard([])),
    (types.TEXT_DOCUMENT_FOLDING_RANGE, None, folding.folding_ranges, guard([])),
    (types.TEXT_DOCUMENT_INLAY_HINT, None, inlay_hints.inlay_hints, guard([])),
    (
        types.TEXT_DOCUMENT_DOCUMENT_LINK,
        types.DocumentLinkOptions(resolve_provider=False),
        links.document_links,
        guard([]),
    ),
    (
        types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,
        semantic_tokens.LEGEND,
        semantic_tokens.semantic_tokens_full,
        guard(types.SemanticTokens(data=[])),
    ),
]

# workspace/executeCommand: (command, handler, wrapper)
COMMANDS = [
    (commands.TOGGLE_TASK, commands.toggle_task, safe({"applied": False})),
    (code_lens.SHOW_REFERENCES, code_lens.show_references, None),
]

# pull diagnostics: registered by `initialize` when the client pulls (diagnosticMode "pull", or
# "auto" and the client can); push clients get textDocument/publishDiagnostics instead
PULL_FEATURES: list[tuple] = [
    (
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier="specmark", inter_file_dependencies=True, workspace_diagnostics=True
        ),
        diagnostics.pull,
        safe(types.FullDocumentDiagnosticReport(items=[])),
    ),
    (
        types.WORKSPACE_DIAGNOSTIC,
        None,
        workspace_diagnostics.pull,
        safe(types.WorkspaceDiagnosticReport(items=[])),
    ),
]

# Dynamic registration (client/registerCapability), once the client is initialized and if it
# can: workspace/didChangeWatchedFiles for WATCH_GLOBS (`_register_watchers`).


def _apply_client_settings(ls: SpecmarkServer, settings: dict) -> None:
    errors = ls.state.load_config(workspace_diagnostics.take_scope(ls, settings))
    _report_config_errors(ls, errors)


def _report_config_errors(ls: SpecmarkServer, errors) -> None:
    if errors:
        text = "; ".join(str(e) for e in errors[:3]) + (
            f" (+{len(errors) - 3} more)" if len(errors) > 3 else ""
        )
        ls.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning, message=f"specmark: invalid settings, defaults kept: {text}"
            )
        )


async def _load_config(ls: SpecmarkServer) -> None:
    settings = None
    try:
        if ls.client.configuration:
            got = await ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="specmark")])
            )
            if got and isinstance(got[0], dict):
                settings = workspace_diagnostics.take_scope(ls, got[0])
    except Exception as exc:  # noqa: BLE001
        ls.log(f"workspace/configuration failed: {exc}")
    errors = ls.state.load_config(settings)
    _report_config_errors(ls, errors)


async def _register_watchers(ls: SpecmarkServer) -> None:
    if not ls.client.watched_files_registration:
        return
    try:
        await ls.client_register_capability_async(
            types.RegistrationParams(
                registrations=[
                    types.Registration(
                        id="specmark-watch",
                        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                        register_options=types.DidChangeWatchedFilesRegistrationOptions(
                            watchers=[types.FileSystemWatcher(glob_pattern=g) for g in WATCH_GLOBS]
                        ),
                    )
                ]
            )
        )
    except Exception as exc:  # noqa: BLE001
        ls.log(f"could not register file watchers: {exc}")


async def _discover(ls: SpecmarkServer) -> None:
    """Index the workspace's specs in the background, with work-done progress."""
    if not ls.state.roots:
        return
    token = None
    try:
        if ls.client.work_done_progress:
            token = "specmark-index"
            await ls.work_done_progress.create_async(token)
            ls.work_done_progress.begin(
                token, types.WorkDoneProgressBegin(title="specmark: indexing specs", percentage=0)
            )
    except Exception as exc:  # noqa: BLE001
        ls.log(f"progress not available: {exc}")
        token = None
    loop = asyncio.get_running_loop()
    try:
        count = await loop.run_in_executor(None, ls.state.discover)
    except Exception:  # noqa: BLE001
        ls.log("workspace discovery failed:\n" + traceback.format_exc(), types.MessageType.Error)
        count = 0
    if ls.state.discovery_note:
        ls.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning, message=f"specmark: {ls.state.discovery_note}"
            )
        )
    if token:
        ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message=f"{count} specs"))
    ls.log(f"specmark: indexed {count} specs")
    await workspace_diagnostics.push_all(ls)


def run(tcp: bool = False, host: str = "127.0.0.1", port: int = 2087, log_level: str = "warning") -> int:
    # The cyclic garbage collector's first generation runs every 700 net allocations: parsing a
    # large tasks.md allocates millions of objects that all stay alive, and each collection
    # walks the young ones again (opening a 100,000-line document: 4.6 -> 3.1 s, ~1.3 s of it
    # collections that found nothing). A larger first threshold, as mypy's build sets; the
    # garbage is still collected (reference counting frees everything outside cycles).
    gc.set_threshold(100_000, 20, 20)
    server = create_server()
    logs.setup(server, getattr(logging, log_level.upper(), logging.WARNING))
    if tcp:
        server.start_tcp(host, port)
    else:
        server.start_io()
    # the LSP: exit code 0 after a shutdown request, 1 without one (an `exit` alone, or the
    # editor gone); pygls 2.1.1 swallows its exit handler's SystemExit and always ended with 0
    return 0 if getattr(server.protocol, "_shutdown", False) else 1

"""The server's log records go to the editor as `window/logMessage`, with the matching type.

Editors show a server's stderr as errors (VS Code's output channel prints every stderr line as
`[error]`), so once the client is connected, records are sent to it instead: ERROR → Error,
WARNING → Warning, INFO → Info, DEBUG → Log. Before the connection, from a message sent while
sending one, or when sending fails, a record goes to stderr. A client cancelling a request that
was already answered, and a handler's deliberate error answer, are routine: pygls's records for
them are demoted to DEBUG.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading

from lsprotocol import types

SENT = "specmark_sent"  # a record's attribute: already sent to the client by SpecmarkServer.log

_ROUTINE = ("Cancel notification for unknown message id",)


def message_type(levelno: int) -> types.MessageType:
    if levelno >= logging.ERROR:
        return types.MessageType.Error
    if levelno >= logging.WARNING:
        return types.MessageType.Warning
    if levelno >= logging.INFO:
        return types.MessageType.Info
    return types.MessageType.Log


def demote_routine(record: logging.LogRecord) -> bool:
    """A logging filter: pygls's routine records become DEBUG records — a cancellation of a
    request already answered, and the traceback pygls logs when a handler answers with a
    deliberate JSON-RPC error (RequestFailed: "no requirement ID here to rename"); an
    unexpected exception (an internal error) keeps its level."""
    from pygls.exceptions import JsonRpcException, JsonRpcInternalError

    exc = record.exc_info[1] if record.exc_info else None
    deliberate = isinstance(exc, JsonRpcException) and not isinstance(exc, JsonRpcInternalError)
    if record.levelno > logging.DEBUG and (str(record.msg).startswith(_ROUTINE) or deliberate):
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
    return True


class ClientLogHandler(logging.Handler):
    def __init__(self, server, level: int = logging.WARNING, stream=None):
        super().__init__(level)
        self.server = server
        self.fallback = logging.StreamHandler(stream or sys.stderr)
        self.fallback.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        self.loop: asyncio.AbstractEventLoop | None = None
        self._busy = threading.local()

    def handle(self, record: logging.LogRecord) -> bool:
        # the level is checked again here: a filter may have demoted the record
        if record.levelno < self.level or getattr(record, SENT, False):
            return False
        return super().handle(record)

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._busy, "on", False) or getattr(self.server.protocol, "writer", None) is None:
            self.fallback.handle(record)
            return
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + self.fallback.formatter.formatException(record.exc_info)  # type: ignore[union-attr]
            name = record.name.split(".")[0]
            if not text.startswith(name + ":"):
                text = f"{name}: {text}"
            params = types.LogMessageParams(type=message_type(record.levelno), message=text)
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is None and self.loop is not None and not self.loop.is_closed():
                self.loop.call_soon_threadsafe(self._send, params, record)
            else:
                if running is not None:
                    self.loop = running
                self._send(params, record)
        except Exception:  # noqa: BLE001 - logging never fails the caller
            self.fallback.handle(record)

    def _send(self, params: types.LogMessageParams, record: logging.LogRecord) -> None:
        self._busy.on = True
        try:
            self.server.window_log_message(params)
        except Exception:  # noqa: BLE001
            self.fallback.handle(record)
        finally:
            self._busy.on = False


def setup(server, level: int) -> ClientLogHandler:
    """Route the `specmark` and `pygls` loggers to the client (see the module doc)."""
    handler = ClientLogHandler(server, level)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("pygls").setLevel(max(logging.WARNING, level))
    json_rpc = logging.getLogger("pygls.protocol.json_rpc")
    json_rpc.addFilter(demote_routine)
    # malformed messages are answered and logged in one line by SpecmarkProtocol
    json_rpc.addFilter(lambda record: not str(record.msg).startswith("Unable to deserialize message"))
    return handler

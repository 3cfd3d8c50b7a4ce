"""The protocol: document sync goes to specmark's own line-based store (not pygls's copy).

pygls's built-in didChange rebuilds the whole text and splits lines with `str.splitlines`
(which also breaks on U+2028, form feeds …, shifting later positions). specmark keeps its
documents as LSP lines (see core/document.py) and applies each change to the lines it
touches; the user handlers still run after the update, as in pygls.

The fast paths here copy pieces of pygls 2.1.1's JsonRPCProtocol; every pygls function they
copy and every private attribute they use is named in pygls_seam.py, which a test checks
against the installed pygls (ARCHITECTURE.md, "Upgrading pygls").
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import json
import logging
import os
import uuid

import attrs
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pygls.feature_manager import is_thread_function
from pygls.protocol import JsonRPCNotification, LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import RPCNotification, RPCRequest, RPCResponse

log = logging.getLogger("specmark")


IGNORED = "$/specmark/ignored"

# The hot results (completion lists, publishDiagnostics) are built as JSON text or JSON-ready
# dicts instead of lsprotocol objects that cattrs then unstructures: the same JSON, key for key
# and in the same order, at a fraction of the cost. SPECMARK_NO_FAST_PATHS=1 builds them the
# general way (tests/lsp/test_server_fast_paths.py compares both servers' bytes).
FAST_PATHS = os.environ.get("SPECMARK_NO_FAST_PATHS", "") in ("", "0")


class JsonResult:
    """A request result already encoded: the text `json.dumps` would make of what cattrs makes
    of the result (ASCII, default separators). Sent as it is."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    @property
    def value(self):
        """The result as JSON data (what the client gets; for tests and in-process callers)."""
        return json.loads(self.text)


class SpecmarkProtocol(LanguageServerProtocol):
    def structure_message(self, data):
        """Malformed params: answer the request with a JSON-RPC error (pygls 2.1.1 sends no
        response at all, so the client would wait forever) and drop a bad notification."""
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            method = data.get("method", "?") if isinstance(data, dict) else "?"
            if isinstance(data, dict) and "id" in data and "method" in data:
                error = types.ResponseError(
                    code=exc.code, message=f"invalid params for {method}: {_why(exc)}"
                )
                self._send_response(data["id"], error=error)
            log.warning("dropped a malformed %s message: %s", method, _why(exc))
            return JsonRPCNotification(method=IGNORED, params=None, jsonrpc="2.0")

    def _handle_notification(self, method_name: str, params) -> None:
        if method_name == IGNORED:
            return  # a malformed notification, already reported by structure_message
        super()._handle_notification(method_name, params)

    def _send_response(self, msg_id, result=None, error=None):
        if error is None and isinstance(result, JsonResult):
            # pygls's JsonRPCResponseMessage unstructures to {"id", "jsonrpc", "result"}
            self._result_types.pop(msg_id, None)
            self._send_body(
                f'{{"id": {json.dumps(msg_id)}, "jsonrpc": "{self.VERSION}", "result": {result.text}}}'
            )
            return
        super()._send_response(msg_id, result, error)

    def _send_body(self, body: str) -> None:
        """The second half of pygls 2.1.1's `_send_data`, for a body already encoded."""
        if self.writer is None:
            _pygls_log.error("Unable to send data, no available transport!")
            return
        try:
            _pygls_log.info("Sending data: %s", body)
            if self._include_headers:
                header = (
                    f"Content-Length: {len(body)}\r\n"
                    f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
                )
                body = header + body
            res = self.writer.write(body.encode(self.CHARSET))
            if inspect.isawaitable(res):
                asyncio.ensure_future(res)
        except BrokenPipeError:
            _pygls_log.exception("Error sending data. BrokenPipeError", exc_info=True)
            raise
        except Exception as error:  # noqa: BLE001 - as pygls: reported, not raised
            _pygls_log.exception("Error sending data", exc_info=True)
            self._server._report_server_error(error, JsonRpcInternalError)

    def publish_diagnostics_text(self, params: str) -> None:
        """textDocument/publishDiagnostics with its params already encoded by `json.dumps`:
        the body pygls's `notify` would send ({"params", "method", "jsonrpc"})."""
        self._send_body(
            f'{{"params": {params}, "method": "{types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS}", '
            f'"jsonrpc": "{self.VERSION}"}}'
        )

    def handle_message(self, message):
        """A request pygls 2.1.1 would drop without an answer (the client would wait forever)
        gets a JSON-RPC InvalidRequest error: one that arrives after `shutdown` (as the LSP
        says), or one without `"jsonrpc": "2.0"`."""
        get = message.get if isinstance(message, dict) else lambda key: getattr(message, key, None)
        method, msg_id = get("method"), get("id")
        if isinstance(method, str) and msg_id is not None and method != types.EXIT:
            why = None
            if self._shutdown:
                why = "the server is shutting down"
            elif get("jsonrpc") != self.VERSION:
                why = 'not a JSON-RPC 2.0 request ("jsonrpc": "2.0" is missing)'
            if why is not None:
                log.warning("answered %s with an error: %s", method, why)
                self._send_response(
                    msg_id,
                    error=types.ResponseError(
                        code=types.ErrorCodes.InvalidRequest, message=f"{method}: {why}"
                    ),
                )
                return None
        if not FAST_PATHS:
            return super().handle_message(message)
        # pygls's handle_message, with the message kind memoised per class (below)
        if message.jsonrpc != self.VERSION:
            _pygls_log.warning('Unknown message "%s"', message)
            return None
        if self._shutdown and getattr(message, "method", "") != types.EXIT:
            _pygls_log.warning("Server shutting down. No more requests!")
            return None
        ctx = contextvars.copy_context()
        kind = _kind_of(message)
        if kind == "request":
            _pygls_log.debug("Request %r received", message.method)
            ctx.run(self._handle_request, message.id, message.method, message.params)
        elif kind == "notification":
            _pygls_log.debug("Notification %r received", message.method)
            ctx.run(self._handle_notification, message.method, message.params)
        elif kind == "response":
            _pygls_log.debug("Response message received.")
            ctx.run(self._handle_response, message.id, message.result)
        else:
            _pygls_log.debug("Error message received.")
            ctx.run(self._handle_response, message.id, None, message.error)
        return None

    if FAST_PATHS:
        # Document sync calls the user handler directly when it is a plain function (ours are):
        # pygls runs a generator builtin through two futures, a uuid4 and a second dispatch.
        # Anything else (a coroutine, a thread handler) is run as pygls would run it.
        def _to_user(self, method: str, params) -> None:
            handler = self.fm.features.get(method)
            if handler is None:
                return
            if _plain(handler):
                handler(params)
            else:
                self._execute_handler(
                    str(uuid.uuid4()), handler, callback=self._check_handler_result, args=(params,)
                )

        @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
        def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
            self._to_user(types.TEXT_DOCUMENT_DID_OPEN, params)

        @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
        def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
            self._to_user(types.TEXT_DOCUMENT_DID_CHANGE, params)

        @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
        def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
            self._to_user(types.TEXT_DOCUMENT_DID_CLOSE, params)
    else:

        @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
        def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
            if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
                yield handler, (params,), None

        @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
        def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
            if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
                yield handler, (params,), None

        @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
        def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
            if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
                yield handler, (params,), None

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args):
        # pygls 2.1.1 (#606): cancelling futures while iterating the live dict can fail with
        # "dictionary changed size during iteration"; cancel from a snapshot first.
        for msg_id, future in list(self._request_futures.items()):
            if msg_id != self.msg_id and not future.done():
                future.cancel()
        yield from super().lsp_shutdown(*args)


_pygls_log = logging.getLogger("pygls.protocol.json_rpc")


def _plain(handler) -> bool:
    """What pygls's _execute_handler would simply call (not a coroutine, thread or generator)."""
    return not (
        asyncio.iscoroutinefunction(handler)
        or is_thread_function(handler)
        or inspect.isgeneratorfunction(handler)
    )


_KINDS: dict[type, str] = {}


def _kind_of(message) -> str:
    """pygls's `isinstance(message, RPCRequest / RPCNotification / RPCResponse)`: checks against
    runtime-checkable Protocols, which cost ~30 µs each on Python 3.11 (typing recomputes the
    protocol's attributes on every call). For an attrs message (what structure_message makes)
    the answer depends on its class only, since every field is set: ask once per class."""
    cls = type(message)
    kind = _KINDS.get(cls)
    if kind is None:
        if isinstance(message, RPCRequest):
            kind = "request"
        elif isinstance(message, RPCNotification):
            kind = "notification"
        elif isinstance(message, RPCResponse):
            kind = "response"
        else:
            kind = "error"
        if attrs.has(cls):
            _KINDS[cls] = kind
    return kind


def _why(exc: BaseException) -> str:
    cause = exc.__cause__
    while cause is not None:
        inner = getattr(cause, "exceptions", None)  # an exception group: its first exception
        if not inner:
            break
        cause = inner[0]
    return str(cause or exc).splitlines()[0][:200]

"""What the navigation handlers share: the document, its analysis, spans → LSP locations."""

from __future__ import annotations

import functools
import traceback

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from ...state import path_to_uri, uri_to_path


class RequestFailed(JsonRpcException):
    """LSP `RequestFailed` (-32803): a valid request that cannot be honoured; the message says why."""

    CODE = -32803
    MESSAGE = "Request failed"


def guard(default=None):
    """An exception becomes a log line and `default`; JSON-RPC errors (a refused rename) go to the client."""

    def wrap(fn):
        @functools.wraps(fn)
        def run(ls, *args):
            try:
                return fn(ls, *args)
            except JsonRpcException:
                raise
            except Exception:  # noqa: BLE001 - a request must never take the server down
                ls.log(f"specmark: {fn.__name__} failed:\n{traceback.format_exc()}", types.MessageType.Error)
                return default

        return run

    return wrap


def context(ls, uri: str):
    """(path, document, analysis) of a tasks or requirements document, or None."""
    path = uri_to_path(uri)
    if ls.state.kind_of(path) is None:
        return None
    doc = ls.state.document(path)
    if doc is None:
        return None
    result = ls.state.result(path)
    if result is None:
        return None
    return path, doc, result


def openspec_context(ls, uri: str):
    """(path, document, read) of an OpenSpec capability spec, delta spec or proposal, or None;
    `read(path)` gives another document's text, open or on disk (core/features/openspec_nav.py)."""
    from ....core.openspec import document_kind

    path = uri_to_path(uri)
    if "openspec" not in path or document_kind(path) is None:
        return None
    doc = ls.state.document(path)
    if doc is None:
        return None

    def read(other: str) -> str | None:
        d = ls.state.document(other)
        return d.text if d is not None else None

    return path, doc, read


def spec_at(ls, params):
    """(path, document, analysis, line, column) of a request's position in a tasks or
    requirements document (`context`), or None."""
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, doc, result = ctx
    return (path, doc, result, *ls.codec.position(doc, params.position))


def openspec_at(ls, params):
    """(path, document, read, line, column) of a request's position in an OpenSpec document
    (`openspec_context`), or None."""
    ctx = openspec_context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, doc, read = ctx
    return (path, doc, read, *ls.codec.position(doc, params.position))


def uri_of(ls, path: str) -> str:
    doc = ls.state.docs.get(path)
    return doc.uri if doc is not None else path_to_uri(path)


def lsp_range(ls, path: str, span) -> types.Range:
    return ls.codec.range(ls.line_getter(path), span)


def location(ls, path: str, span) -> types.Location:
    return types.Location(uri=uri_of(ls, path), range=lsp_range(ls, path, span))

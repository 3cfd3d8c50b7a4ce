"""Diagnostics: push (publishDiagnostics, only when the list changed) or pull
(textDocument/diagnostic with result ids) — one mode per client, never both."""

from __future__ import annotations

import json

from lsprotocol import types

from .. import convert
from ..protocol import FAST_PATHS
from ..state import Published, path_to_uri, uri_to_path


def diagnostics_for(ls, path: str) -> tuple[list[types.Diagnostic], int | None]:
    doc = ls.state.document(path)
    if doc is None:
        return [], None
    findings = ls.state.findings(path).get(path, [])
    diags = [convert.diagnostic(f, ls.codec, doc.line, path_to_uri, ls.line_getter) for f in findings]
    return diags, doc.version


def publish(ls, path: str) -> None:
    """Push mode: publish (with the document version) only when the list changed."""
    if FAST_PATHS:
        return _publish_json(ls, path)
    diags, version = diagnostics_for(ls, path)
    key = convert.diagnostics_key(diags)
    prev = ls.state.published.get(path)
    if prev is not None and prev.key == key:
        return  # unchanged: the client already shows exactly this list
    ls.state.published[path] = Published(version, key, key)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(
            uri=path_to_uri(path) if path not in ls.state.docs else ls.state.docs[path].uri,
            diagnostics=diags,
            version=version,
        )
    )


def _publish_json(ls, path: str) -> None:
    """`publish` without lsprotocol objects: the same bytes, from the JSON text of each
    diagnostic (convert.DiagnosticsJson), joined as `json.dumps` joins them."""
    doc = ls.state.document(path)
    if doc is None:
        diags, key, version = [], convert.diagnostics_key([]), None
    else:
        findings = ls.state.findings(path).get(path, [])
        diags, key = ls.diagnostics_json.convert(
            path, findings, ls.codec, doc.bodies.get, path_to_uri, ls.line_getter, doc.bodies
        )
        version = doc.version
    prev = ls.state.published.get(path)
    if prev is not None and prev.key == key:
        return
    ls.state.published[path] = Published(version, key, key)
    uri = path_to_uri(path) if path not in ls.state.docs else ls.state.docs[path].uri
    tail = "" if version is None else f', "version": {json.dumps(version)}'
    ls.protocol.publish_diagnostics_text(
        f'{{"uri": {json.dumps(uri)}, "diagnostics": [{", ".join(diags)}]{tail}}}'
    )


def pull(ls, params: types.DocumentDiagnosticParams):
    path = uri_to_path(params.text_document.uri)
    diags, version = diagnostics_for(ls, path)
    ls.report_disk_errors()
    key = convert.diagnostics_key(diags)
    ls.state.published[path] = Published(version, key, key)
    if params.previous_result_id == key:
        return types.UnchangedDocumentDiagnosticReport(result_id=key)
    return types.FullDocumentDiagnosticReport(items=diags, result_id=key)

"""Document sync: didOpen / didChange / didClose / didSave → state, then re-analysis."""

from __future__ import annotations

from lsprotocol import types


def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:
    td = params.text_document
    path = ls.state.open(td.uri, td.text, td.version)
    ls.schedule(path)


def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:
    from ..state import uri_to_path

    path = uri_to_path(params.text_document.uri)
    doc = ls.state.docs.get(path)
    if doc is None:
        ls.log(f"didChange for a document that is not open: {params.text_document.uri}; ignored")
        return
    version = params.text_document.version
    if doc.version is not None and version is not None and version <= doc.version:
        ls.log(
            f"didChange with version {version} after {doc.version} for {params.text_document.uri}; applied anyway"
        )
    for change in params.content_changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            start = ls.codec.position(doc, change.range.start)
            end = ls.codec.position(doc, change.range.end)
            doc = doc.edit(start, end, change.text, version)
        else:
            doc = type(doc).from_text(doc.uri, change.text, version)
    if doc.version != version:
        doc = doc.with_version(version)
    ls.state.docs[path] = doc
    ls.schedule(path)


def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:
    path = ls.state.close(params.text_document.uri)
    ls.clear_diagnostics(path)
    ls.schedule(path)


def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:
    from ..state import uri_to_path

    ls.state.forget_disk(uri_to_path(params.text_document.uri))

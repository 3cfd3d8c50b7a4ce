"""The protocol: document sync goes to specmark's own line-based store (not pygls's copy).

pygls's built-in didChange rebuilds the whole text and splits lines with `str.splitlines`
(which also breaks on U+2028, form feeds …, shifting later positions). specmark keeps its
documents as LSP lines (see core/document.py) and applies each change to the lines it
touches; the user handlers still run after the update, as in pygls.
"""

from __future__ import annotations

import logging

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol, lsp_method

log = logging.getLogger("specmark")


class SpecmarkProtocol(LanguageServerProtocol):
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

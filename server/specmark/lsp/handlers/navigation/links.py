"""textDocument/documentLink → core/features/navigation/links.py (targets end in `#L<line>`)."""

from __future__ import annotations

from lsprotocol import types

from ....core.features.navigation.links import document_links as core_links
from ._util import context, uri_of


def document_links(ls, params: types.DocumentLinkParams):
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, doc, result = ctx
    tooltips = ls.client.link_tooltips
    return [
        types.DocumentLink(
            range=ls.codec.range(doc.line, link.span),
            target=f"{uri_of(ls, link.path)}#L{link.line + 1}",
            tooltip=link.tooltip if tooltips else None,
        )
        for link in core_links(result, path)
    ]

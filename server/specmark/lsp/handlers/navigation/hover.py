"""textDocument/hover → core/features/navigation/hover.py"""

from __future__ import annotations

from lsprotocol import types

from ....core.features import openspec_nav
from ....core.features.navigation.hover import hover as core_hover
from ._util import context, openspec_context


def hover(ls, params: types.HoverParams):
    os_ctx = openspec_context(ls, params.text_document.uri)
    if os_ctx is not None:
        path, doc, read = os_ctx
        line, col = ls.codec.position(doc, params.position)
        found = openspec_nav.hover(path, doc.text, line, col, read)
        if found is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=found[0]),
            range=ls.codec.range(doc.line, found[1]),
        )
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, doc, result = ctx
    line, col = ls.codec.position(doc, params.position)
    info = core_hover(result, path, line, col)
    if info is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=info.markdown),
        range=ls.codec.range(doc.line, info.span),
    )

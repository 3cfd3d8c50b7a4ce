"""textDocument/hover → core/features/navigation/hover.py"""

from __future__ import annotations

from lsprotocol import types

from ....core.features import openspec_nav
from ....core.features.navigation.hover import hover as core_hover
from ._util import openspec_at, spec_at


def hover(ls, params: types.HoverParams):
    at = openspec_at(ls, params)
    if at is not None:
        path, doc, read, line, col = at
        found = openspec_nav.hover(path, doc.text, line, col, read)
        if found is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=found[0]),
            range=ls.codec.range(doc.line, found[1]),
        )
    at = spec_at(ls, params)
    if at is None:
        return None
    path, doc, result, line, col = at
    info = core_hover(result, path, line, col)
    if info is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=info.markdown),
        range=ls.codec.range(doc.line, info.span),
    )

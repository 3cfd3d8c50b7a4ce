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
        return _markdown(ls, doc, *found) if found is not None else None
    at = spec_at(ls, params)
    if at is None:
        return None
    path, doc, result, line, col = at
    info = core_hover(result, path, line, col)
    return _markdown(ls, doc, info.markdown, info.span) if info is not None else None


def _markdown(ls, doc, text: str, span) -> types.Hover:
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
        range=ls.codec.range(doc.line, span),
    )

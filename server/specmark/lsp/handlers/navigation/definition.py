"""textDocument/definition → core/features/navigation/definition.py"""

from __future__ import annotations

from lsprotocol import types

from ....core.features import openspec_nav
from ....core.features.navigation.definition import definition as core_definition
from ....core.model import Span
from ._util import context, location, openspec_context


def definition(ls, params: types.DefinitionParams):
    os_ctx = openspec_context(ls, params.text_document.uri)
    if os_ctx is not None:
        path, doc, read = os_ctx
        line, col = ls.codec.position(doc, params.position)
        target = openspec_nav.definition(path, doc.text, line, col, read)
        if target is None:
            return None
        return [location(ls, target.path, Span(target.line, target.col, target.line, target.end))]
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, doc, result = ctx
    line, col = ls.codec.position(doc, params.position)
    found = core_definition(result, path, line, col)
    return [location(ls, loc.path, loc.span) for loc in found] or None

"""textDocument/definition → core/features/navigation/definition.py"""

from __future__ import annotations

from lsprotocol import types

from ....core.features.navigation.definition import definition as core_definition
from ._util import context, location


def definition(ls, params: types.DefinitionParams):
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, doc, result = ctx
    line, col = ls.codec.position(doc, params.position)
    found = core_definition(result, path, line, col)
    return [location(ls, loc.path, loc.span) for loc in found] or None

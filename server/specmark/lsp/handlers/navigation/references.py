"""textDocument/references → core/features/navigation/references.py"""

from __future__ import annotations

from lsprotocol import types

from ....core.features.navigation.references import references as core_references
from ._util import context, location


def references(ls, params: types.ReferenceParams):
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, doc, result = ctx
    line, col = ls.codec.position(doc, params.position)
    include = bool(params.context.include_declaration) if params.context else True
    found = core_references(result, path, line, col, include, ls.state.design_of(path))
    if found is None:
        return None
    return [location(ls, loc.path, loc.span) for loc in found]

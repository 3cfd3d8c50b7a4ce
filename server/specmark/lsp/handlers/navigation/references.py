"""textDocument/references → core/features/navigation/references.py"""

from __future__ import annotations

from lsprotocol import types

from ....core.features import openspec_nav
from ....core.features.navigation.references import references as core_references
from ....core.model import Span
from ._util import location, openspec_at, spec_at


def references(ls, params: types.ReferenceParams):
    at = openspec_at(ls, params)
    if at is not None:
        path, doc, read, line, col = at
        include = bool(params.context.include_declaration) if params.context else True
        refs = openspec_nav.references(path, doc.text, line, col, read, include)
        return [location(ls, r.path, Span(r.line, r.col, r.line, r.end)) for r in refs] or None
    at = spec_at(ls, params)
    if at is None:
        return None
    path, doc, result, line, col = at
    include = bool(params.context.include_declaration) if params.context else True
    found = core_references(result, path, line, col, include, ls.state.design_of(path))
    if found is None:
        return None
    return [location(ls, loc.path, loc.span) for loc in found]

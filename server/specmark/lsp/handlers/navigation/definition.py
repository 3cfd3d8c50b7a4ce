"""textDocument/definition → core/features/navigation/definition.py"""

from __future__ import annotations

from lsprotocol import types

from ....core.features import openspec_nav
from ....core.features.navigation.definition import definition as core_definition
from ....core.model import Span
from ._util import location, openspec_at, spec_at


def definition(ls, params: types.DefinitionParams):
    at = openspec_at(ls, params)
    if at is not None:
        path, doc, read, line, col = at
        target = openspec_nav.definition(path, doc.text, line, col, read)
        if target is None:
            return None
        return [location(ls, target.path, Span(target.line, target.col, target.line, target.end))]
    at = spec_at(ls, params)
    if at is None:
        return None
    path, doc, result, line, col = at
    found = core_definition(result, path, line, col)
    return [location(ls, loc.path, loc.span) for loc in found] or None

"""textDocument/documentSymbol and workspace/symbol → core/features/navigation/symbols.py"""

from __future__ import annotations

import os

from lsprotocol import types

from ....core.features import openspec_nav
from ....core.features.navigation.symbols import Symbol
from ....core.features.navigation.symbols import document_symbols as core_symbols
from ....core.features.navigation.symbols import workspace_symbols as core_ws
from ._util import context, location, openspec_context

KIND = {
    "section": types.SymbolKind.Namespace,
    "scenario": types.SymbolKind.Event,
    "task": types.SymbolKind.Event,
    "wave": types.SymbolKind.Array,
    "requirement": types.SymbolKind.Module,
    "story": types.SymbolKind.Module,
    "criterion": types.SymbolKind.EnumMember,
}


def _convert(ls, doc, sym) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=sym.name or "(untitled)",
        detail=sym.detail or None,
        kind=KIND.get(sym.kind, types.SymbolKind.String),
        range=ls.codec.range(doc.line, sym.span),
        selection_range=ls.codec.range(doc.line, sym.selection),
        children=[_convert(ls, doc, c) for c in sym.children] or None,
    )


def _flatten(ls, path, doc, syms, container=None, out=None):
    out = [] if out is None else out
    for s in syms:
        out.append(
            types.SymbolInformation(
                name=s.name or "(untitled)",
                kind=KIND.get(s.kind, types.SymbolKind.String),
                location=location(ls, path, s.selection),
                container_name=container,
            )
        )
        _flatten(ls, path, doc, s.children, s.name, out)
    return out


def document_symbols(ls, params: types.DocumentSymbolParams):
    os_ctx = openspec_context(ls, params.text_document.uri)
    if os_ctx is not None:
        path, doc, _read = os_ctx
        syms: list[openspec_nav.OsSymbol] | list[Symbol] = openspec_nav.symbols(path, doc.text)
    else:
        ctx = context(ls, params.text_document.uri)
        if ctx is None:
            return None
        path, doc, result = ctx
        syms = core_symbols(result, path)
    if ls.client.hierarchical_symbols:
        return [_convert(ls, doc, s) for s in syms]
    return _flatten(ls, path, doc, syms)


def _spec_results(ls):
    """(spec name, analysis) of every discovered spec and of every open spec document."""
    seen: set[str] = set()
    paths: list[str] = []
    for spec in list(ls.state.specs.values()):
        first = (spec.tasks_paths or [spec.requirements_path])[0]
        if first:
            paths.append(first)
    paths.extend(p for p in list(ls.state.docs) if ls.state.kind_of(p) is not None)
    for p in paths:
        folder = os.path.dirname(p)
        if folder in seen:
            continue
        seen.add(folder)
        result = ls.state.result(p)
        if result is not None:
            yield os.path.basename(folder), result


def workspace_symbols(ls, params: types.WorkspaceSymbolParams):
    out = []
    for sym in core_ws(_spec_results(ls), params.query or ""):
        out.append(
            types.SymbolInformation(
                name=sym.name,
                kind=KIND.get(sym.kind, types.SymbolKind.String),
                location=location(ls, sym.path, sym.span),
                container_name=sym.container,
            )
        )
    return out

"""textDocument/prepareRename and textDocument/rename → core/features/navigation/rename.py.

A refused rename answers with a RequestFailed error whose message says why (the new ID
exists, criterion IDs are derived from their position, …); editors show that message.
"""

from __future__ import annotations

from lsprotocol import types

from ....core.features import openspec_nav
from ....core.features.navigation.rename import RenameError
from ....core.features.navigation.rename import prepare_rename as core_prepare
from ....core.features.navigation.rename import rename as core_rename
from ....core.model import Span
from ._util import RequestFailed, context, openspec_context


def prepare_rename(ls, params: types.PrepareRenameParams):
    os_ctx = openspec_context(ls, params.text_document.uri)
    if os_ctx is not None:
        path, doc, _read = os_ctx
        line, col = ls.codec.position(doc, params.position)
        ref = openspec_nav.name_at(path, doc.text, line, col)
        if ref is None:
            return None
        return types.PrepareRenamePlaceholder(
            range=ls.codec.range(doc.line, Span(ref.line, ref.col, ref.line, ref.end)), placeholder=ref.name
        )
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, doc, result = ctx
    line, col = ls.codec.position(doc, params.position)
    try:
        target = core_prepare(result, path, line, col)
    except RenameError as exc:
        raise RequestFailed(str(exc)) from None
    if target is None:
        return None
    return types.PrepareRenamePlaceholder(
        range=ls.codec.range(doc.line, target.span), placeholder=target.placeholder
    )


def rename(ls, params: types.RenameParams):
    os_ctx = openspec_context(ls, params.text_document.uri)
    if os_ctx is not None:
        path, doc, read = os_ctx
        line, col = ls.codec.position(doc, params.position)
        edits = openspec_nav.rename_edits(path, doc.text, line, col, params.new_name, read)
        if edits is None:
            raise RequestFailed("There is no requirement name here that its base spec defines")
        return ls.workspace_edit(edits)
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, doc, result = ctx
    line, col = ls.codec.position(doc, params.position)
    try:
        edits = core_rename(result, path, line, col, params.new_name, ls.state.design_of(path))
    except RenameError as exc:
        raise RequestFailed(str(exc)) from None
    return ls.workspace_edit(edits)

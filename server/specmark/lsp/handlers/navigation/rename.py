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
from ._util import RequestFailed, openspec_at, spec_at


def prepare_rename(ls, params: types.PrepareRenameParams):
    at = openspec_at(ls, params)
    if at is not None:
        path, doc, _read, line, col = at
        ref = openspec_nav.name_at(path, doc.text, line, col)
        if ref is None:
            return None
        return types.PrepareRenamePlaceholder(
            range=ls.codec.range(doc.line, Span(ref.line, ref.col, ref.line, ref.end)), placeholder=ref.name
        )
    at = spec_at(ls, params)
    if at is None:
        return None
    path, doc, result, line, col = at
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
    at = openspec_at(ls, params)
    if at is not None:
        path, doc, read, line, col = at
        edits = openspec_nav.rename_edits(path, doc.text, line, col, params.new_name, read)
        if edits is None:
            raise RequestFailed("There is no requirement name here that its base spec defines")
        return ls.workspace_edit(edits)
    at = spec_at(ls, params)
    if at is None:
        return None
    path, doc, result, line, col = at
    try:
        edits = core_rename(result, path, line, col, params.new_name, ls.state.design_of(path))
    except RenameError as exc:
        raise RequestFailed(str(exc)) from None
    return ls.workspace_edit(edits)

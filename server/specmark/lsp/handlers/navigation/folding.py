"""textDocument/foldingRange → core/features/navigation/folding.py"""

from __future__ import annotations

from lsprotocol import types

from ....core.features.navigation.folding import folding_ranges as core_folding
from ._util import context


def folding_ranges(ls, params: types.FoldingRangeParams):
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, _doc, result = ctx
    return [types.FoldingRange(start_line=f.start, end_line=f.end) for f in core_folding(result, path)]

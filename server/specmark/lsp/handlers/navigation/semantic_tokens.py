"""textDocument/semanticTokens/full → core/features/navigation/semantic.py (legend documented there
and in docs/features.md)."""

from __future__ import annotations

from lsprotocol import types

from ....core.features.navigation.semantic import TOKEN_MODIFIERS, TOKEN_TYPES
from ....core.features.navigation.semantic import semantic_tokens as core_tokens
from ._util import context

LEGEND = types.SemanticTokensLegend(token_types=list(TOKEN_TYPES), token_modifiers=list(TOKEN_MODIFIERS))
_TYPE = {t: i for i, t in enumerate(TOKEN_TYPES)}
_MOD = {m: 1 << i for i, m in enumerate(TOKEN_MODIFIERS)}


def semantic_tokens_full(ls, params: types.SemanticTokensParams):
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return types.SemanticTokens(data=[])
    path, doc, result = ctx
    data: list[int] = []
    prev_line = prev_start = 0
    for tok in core_tokens(result, path):
        text = doc.line(tok.line)
        start = ls.codec.to_client(text, tok.col)
        length = ls.codec.to_client(text, tok.end_col) - start
        if length <= 0:
            continue
        delta_line = tok.line - prev_line
        delta_start = start - prev_start if delta_line == 0 else start
        mods = 0
        for m in tok.modifiers:
            mods |= _MOD.get(m, 0)
        data += [delta_line, delta_start, length, _TYPE[tok.type], mods]
        prev_line, prev_start = tok.line, start
    return types.SemanticTokens(data=data)

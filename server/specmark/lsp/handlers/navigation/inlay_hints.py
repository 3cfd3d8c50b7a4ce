"""textDocument/inlayHint → core/features/navigation/inlay.py (only with `inlay-hints = true`)."""

from __future__ import annotations

from lsprotocol import types

from ....core.features.navigation.inlay import inlay_hints as core_hints
from ._util import context


def inlay_hints(ls, params: types.InlayHintParams):
    if not ls.state.config.inlay_hints:
        return []
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, doc, result = ctx
    start = params.range.start.line if params.range else 0
    end = params.range.end.line if params.range else None
    out = []
    for h in core_hints(result, path, start, end):
        line = doc.line(h.line)
        out.append(
            types.InlayHint(
                position=types.Position(line=h.line, character=ls.codec.to_client(line, h.col)),
                label=h.label,
                padding_left=True,
                tooltip=h.tooltip,
            )
        )
    return out

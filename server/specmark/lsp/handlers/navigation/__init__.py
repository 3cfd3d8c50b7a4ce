"""Navigation features of the language server, one module per feature; `register(server)` adds
them all. Each handler is a thin adapter over core/features/navigation/.

| LSP method                         | module             |
|------------------------------------|--------------------|
| textDocument/hover                 | hover.py           |
| textDocument/definition            | definition.py      |
| textDocument/references            | references.py      |
| textDocument/prepareRename, rename | rename.py          |
| textDocument/codeLens (+ command `specmark.showReferences`) | code_lens.py |
| textDocument/documentSymbol, workspace/symbol | symbols.py |
| textDocument/foldingRange          | folding.py         |
| textDocument/inlayHint             | inlay_hints.py     |
| textDocument/documentLink          | links.py           |
| textDocument/semanticTokens/full   | semantic_tokens.py |

The "Renumber tasks" source action is core/features/navigation/renumber.py's
`renumber_actions(doc, config)`, offered by handlers/code_actions.py (pygls allows one
textDocument/codeAction handler).
"""

from __future__ import annotations

from lsprotocol import types

from . import (
    code_lens,
    definition,
    folding,
    hover,
    inlay_hints,
    links,
    references,
    rename,
    semantic_tokens,
    symbols,
)
from ._util import guard


def register(server) -> None:
    server.feature(types.TEXT_DOCUMENT_HOVER)(guard()(hover.hover))
    server.feature(types.TEXT_DOCUMENT_DEFINITION)(guard()(definition.definition))
    server.feature(types.TEXT_DOCUMENT_REFERENCES)(guard()(references.references))
    server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)(guard()(rename.prepare_rename))
    server.feature(types.TEXT_DOCUMENT_RENAME)(guard()(rename.rename))
    server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))(
        guard([])(code_lens.code_lens)
    )
    server.command(code_lens.SHOW_REFERENCES)(code_lens.show_references)
    server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)(guard([])(symbols.document_symbols))
    server.feature(types.WORKSPACE_SYMBOL)(guard([])(symbols.workspace_symbols))
    server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)(guard([])(folding.folding_ranges))
    server.feature(types.TEXT_DOCUMENT_INLAY_HINT)(guard([])(inlay_hints.inlay_hints))
    server.feature(types.TEXT_DOCUMENT_DOCUMENT_LINK, types.DocumentLinkOptions(resolve_provider=False))(
        guard([])(links.document_links)
    )
    server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, semantic_tokens.LEGEND)(
        guard(types.SemanticTokens(data=[]))(semantic_tokens.semantic_tokens_full)
    )


async def refresh_views(ls) -> None:
    """Ask the client to re-request code lenses, inlay hints and semantic tokens — for when a
    document changed that other open documents' views depend on (an edit in tasks.md changes
    the coverage lenses of requirements.md). Only what the client says it can refresh; run it
    with `asyncio.ensure_future`, never in a task that may be cancelled (pygls#621)."""
    for supported, what, send in (
        (ls.client.code_lens_refresh, "code_lens", ls.workspace_code_lens_refresh_async),
        (ls.client.inlay_hint_refresh, "inlay_hint", ls.workspace_inlay_hint_refresh_async),
        (ls.client.semantic_tokens_refresh, "semantic_tokens", ls.workspace_semantic_tokens_refresh_async),
    ):
        if supported:
            try:
                await send(None)
            except Exception as exc:  # noqa: BLE001
                ls.log(f"{what} refresh failed: {exc}")

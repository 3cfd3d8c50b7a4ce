"""Navigation features of the language server, one module per feature (hover, definition,
references, rename, code_lens, symbols, folding, inlay_hints, links, semantic_tokens), each a
thin adapter over core/features/navigation/; lsp/server.py registers them with the rest.

The "Renumber tasks" source action is core/features/navigation/renumber.py's
`renumber_actions(doc, config)`, offered by handlers/code_actions.py (pygls allows one
textDocument/codeAction handler).
"""

from __future__ import annotations


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

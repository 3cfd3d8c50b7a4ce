"""What the client said about itself in `initialize`: the one place that reads its capabilities.

Handlers ask `ls.client.<member>` (a plain bool or string) instead of walking
`ClientCapabilities`, whose every level may be None.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types

_VS_CODE_NAMES = ("visual studio code", "vscode", "vscodium", "code - oss", "code-server", "cursor")


def _get(obj: Any, dotted: str) -> Any:
    """`obj.a.b.c` for "a.b.c", None as soon as a level is missing."""
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


class ClientDescription:
    """The client's capabilities that the server acts on, as named members (False when the
    client did not say)."""

    def __init__(
        self, caps: types.ClientCapabilities | None = None, info: types.ClientInfo | None = None
    ) -> None:
        def flag(dotted: str) -> bool:
            return bool(_get(caps, dotted))

        self.name: str = (info.name if info is not None else "") or ""
        # completion items may be snippets
        self.snippets = flag("text_document.completion.completion_item.snippet_support")
        # workspace edits as versioned documentChanges
        self.versioned_edits = flag("workspace.workspace_edit.document_changes")
        # textDocument/diagnostic (pull diagnostics) and workspace/diagnostic/refresh
        self.pull_diagnostics = _get(caps, "text_document.diagnostic") is not None
        self.diagnostic_refresh = flag("workspace.diagnostics.refresh_support")
        self.code_lens_refresh = flag("workspace.code_lens.refresh_support")
        self.inlay_hint_refresh = flag("workspace.inlay_hint.refresh_support")
        self.semantic_tokens_refresh = flag("workspace.semantic_tokens.refresh_support")
        self.configuration = flag("workspace.configuration")  # workspace/configuration
        self.watched_files_registration = flag("workspace.did_change_watched_files.dynamic_registration")
        self.work_done_progress = flag("window.work_done_progress")
        self.show_document = flag("window.show_document.support")
        self.hierarchical_symbols = flag("text_document.document_symbol.hierarchical_document_symbol_support")
        self.link_tooltips = flag("text_document.document_link.tooltip_support")
        parser = _get(caps, "general.markdown.parser")
        self.markdown_parser: str | None = parser if isinstance(parser, str) else None

    @property
    def is_vs_code(self) -> bool:
        """VS Code or one of its forks (VSCodium, Cursor, …): by name, or when the client is unnamed,
        by vscode-languageclient's Markdown parser ("marked" in `general.markdown.parser`)."""
        name = self.name.lower()
        if name:
            return any(k in name for k in _VS_CODE_NAMES)
        return self.markdown_parser == "marked"

    def __repr__(self) -> str:
        on = [k for k, v in vars(self).items() if v is True]
        return f"ClientDescription({self.name!r}, {', '.join(on)})"

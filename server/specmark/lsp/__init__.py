"""The language server: translation between LSP (pygls/lsprotocol) and the analysis core."""

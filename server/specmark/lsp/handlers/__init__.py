"""One module per LSP feature; each is a thin adapter over core/features. Registered in server.py."""

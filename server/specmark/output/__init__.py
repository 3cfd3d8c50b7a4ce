"""Output formats of `specmark check` and `specmark status` (no LSP imports here either)."""

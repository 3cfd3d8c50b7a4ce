"""Editor features as plain functions over the model (no LSP types): one module per feature."""

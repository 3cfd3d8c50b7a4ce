"""Navigation features over the model, one module per feature (no LSP types):

hover, definition, references, rename, renumber (tasks), codelens, symbols (document and
workspace), folding, inlay, links, semantic (tokens). `common` holds what they share: the
reference tokens of a tasks document, what is under the cursor, who covers what.
"""

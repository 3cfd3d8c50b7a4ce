"""The analysis core: model, parsers, checks, config, discovery and editor features.

Nothing in this package imports pygls or lsprotocol (a test enforces it): `specmark check`
must not pay their import cost, and every feature is unit-testable from strings.
"""

"""Agents as users: `specmark next`, `specmark set` and the MCP server (`specmark mcp`).

workspace.py finds and loads a spec (parsed, not checked), setstatus.py changes one status
glyph on disk safely (lock, hash precondition, atomic write, verification), commands.py wires
both into the command line and mcp_server.py serves them over the Model Context Protocol.
"""

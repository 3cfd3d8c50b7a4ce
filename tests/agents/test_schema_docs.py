"""docs/agents.md shows the JSON Schemas the commands follow, verbatim, and its copy-paste
client configurations are valid JSON/TOML."""

from __future__ import annotations

import json
import re

import jsonschema

from specmark.agents import schema


def test_docs_show_the_schemas(repo_root):
    text = (repo_root / "docs" / "agents.md").read_text(encoding="utf-8")
    assert schema.docs_markdown() in text
    for s in (schema.NEXT, schema.SET):
        jsonschema.Draft202012Validator.check_schema(s)


def test_docs_configurations_parse(repo_root):
    from specmark.core.config import _tomllib

    text = (repo_root / "docs" / "agents.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(json|toml)\n(.*?)```", text, re.S)
    configs = [
        json.loads(body)
        for kind, body in blocks
        if kind == "json" and "mcpServers" in body or '"servers"' in body
    ]
    assert len(configs) == 4  # Claude Code, Kiro, Cursor, VS Code
    for conf in configs:
        server = (conf.get("mcpServers") or conf["servers"])["specmark"]
        assert server["command"] == "specmark" and server["args"][0] == "mcp"
    toml = [body for kind, body in blocks if kind == "toml"]
    assert _tomllib().loads(toml[0])["mcp_servers"]["specmark"]["args"] == ["mcp"]

"""JSON Schemas (draft 2020-12) of what `specmark next` / `specmark set` print with
`--format json` and what the MCP tools return. docs/agents.md shows them verbatim
(tests/agents/test_schema_docs.py keeps the two equal); the version is in each record's
`schema` field and changes only when a field is removed or changes meaning."""

from __future__ import annotations

_STR_OR_NULL = {"type": ["string", "null"]}
_STATUS = {"enum": ["todo", "done", "in-progress", "queued", "blocked", "unknown"]}

TASK_SUMMARY: dict = {
    "type": "object",
    "required": ["ref", "id", "title", "status"],
    "properties": {
        "ref": {"type": "string", "description": "how `set` names the task: its ID, or @LINE"},
        "id": _STR_OR_NULL,
        "title": _STR_OR_NULL,
        "status": _STATUS,
    },
}

REQUIREMENT = {
    "type": "object",
    "required": ["id", "kind", "text", "path", "line"],
    "properties": {
        "id": {"type": "string"},
        "kind": {"enum": ["requirement", "criterion"]},
        "title": {"type": "string", "description": "requirement only"},
        "requirement": {"type": "string", "description": "criterion only: its requirement's ID"},
        "requirementTitle": {"type": "string", "description": "criterion only"},
        "text": {"type": "string", "description": "the full text (a requirement: its user story)"},
        "criteria": {
            "type": "array",
            "description": "requirement only: its criteria, full text",
            "items": {
                "type": "object",
                "required": ["id", "text"],
                "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
            },
        },
        "path": {"type": "string"},
        "line": {"type": "integer", "minimum": 1},
    },
}

DESIGN_SECTION = {
    "type": "object",
    "required": ["heading", "path", "line", "cites", "text"],
    "properties": {
        "heading": {"type": "string"},
        "path": {"type": "string"},
        "line": {"type": "integer", "minimum": 1},
        "cites": {"type": "array", "items": {"type": "string"}},
        "text": {"type": "string", "description": "the whole section, its heading included"},
    },
}

TASK = {
    "type": "object",
    "required": [
        "ref",
        "id",
        "title",
        "status",
        "optional",
        "labels",
        "path",
        "line",
        "details",
        "requirements",
        "unresolved",
        "citesAll",
        "design",
        "files",
        "parents",
        "subtasks",
        "dependsOn",
    ],
    "properties": {
        "ref": {"type": "string", "description": "pass this to `specmark set` / set_task_status"},
        "id": _STR_OR_NULL,
        "title": {"type": "string"},
        "status": _STATUS,
        "optional": {"type": "boolean", "description": "a Kiro optional task (`- [ ]*`)"},
        "labels": {"type": "array", "items": {"type": "string"}, "description": "[P], (P), [US1] …"},
        "section": _STR_OR_NULL,
        "path": {"type": "string", "description": "the tasks document"},
        "line": {"type": "integer", "minimum": 1},
        "details": {"type": "array", "items": {"type": "string"}, "description": "its detail lines"},
        "requirements": {"type": "array", "items": {"$ref": "#/$defs/requirement"}},
        "unresolved": {"type": "array", "items": {"type": "string"}, "description": "cited IDs not found"},
        "citesAll": {"type": "boolean", "description": "cites the whole spec (All)"},
        "design": {"type": "array", "items": {"$ref": "#/$defs/designSection"}},
        "files": {"type": "array", "items": {"type": "string"}},
        "parents": {
            "type": "array",
            "items": {"$ref": "#/$defs/taskSummary"},
            "description": "outermost first",
        },
        "subtasks": {"type": "array", "items": {"$ref": "#/$defs/taskSummary"}},
        "dependsOn": {"type": "array", "items": {"$ref": "#/$defs/taskSummary"}},
    },
}

# what the records refer to with {"$ref": "#/$defs/…"} (a schema using them carries DEFS)
DEFS = {
    "task": TASK,
    "taskSummary": TASK_SUMMARY,
    "requirement": REQUIREMENT,
    "designSection": DESIGN_SECTION,
}

PROGRESS = {
    "type": "object",
    "required": ["done", "total"],
    "properties": {"done": {"type": "integer", "minimum": 0}, "total": {"type": "integer", "minimum": 0}},
}

NEXT = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://specmark.dev/schemas/next-1.json",
    "title": "specmark next (specmark.next/1)",
    "type": "object",
    "required": ["schema", "spec", "tasksFiles", "warnings", "progress", "state", "task"],
    "properties": {
        "schema": {"const": "specmark.next/1"},
        "spec": {
            "type": "object",
            "required": ["name", "folder", "flavor", "chosen", "others"],
            "properties": {
                "name": {"type": "string"},
                "folder": {"type": "string"},
                "flavor": {"type": "string"},
                "chosen": {"type": "string", "description": "why this spec: --spec, the only one, …"},
                "others": {"type": "array", "items": {"type": "string"}},
            },
        },
        "tasksFiles": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "sha256"],
                "properties": {"path": {"type": "string"}, "sha256": {"type": "string"}},
            },
            "description": "pass a sha256 to `set --expect-hash`",
        },
        "warnings": {
            "type": "array",
            "items": {"type": "string"},
            "description": "documents that could not be read (requirements, design): left out of the answer",
        },
        "progress": PROGRESS,
        "state": {
            "enum": ["found", "complete", "waiting"],
            "description": "found: `task` is set; complete: nothing left; waiting: every open task waits",
        },
        "task": {"oneOf": [{"$ref": "#/$defs/task"}, {"type": "null"}]},
        "ready": {
            "type": "array",
            "items": {"$ref": "#/$defs/task"},
            "description": "--all-ready: every task that could start now",
        },
        "inProgress": {
            "type": "array",
            "items": {"$ref": "#/$defs/taskSummary"},
            "description": "--all-ready",
        },
        "waiting": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["ref", "id", "title", "status", "waitingOn"],
                "properties": {
                    **TASK_SUMMARY["properties"],
                    "waitingOn": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
    "$defs": DEFS,
}

SET = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://specmark.dev/schemas/set-1.json",
    "title": "specmark set (specmark.set/1)",
    "type": "object",
    "required": [
        "schema",
        "spec",
        "path",
        "ref",
        "id",
        "title",
        "line",
        "from",
        "to",
        "glyphBefore",
        "glyphAfter",
        "changed",
        "hashBefore",
        "sha256",
        "progressBefore",
        "progress",
        "warnings",
    ],
    "properties": {
        "schema": {"const": "specmark.set/1"},
        "spec": {"type": "string"},
        "path": {"type": "string"},
        "ref": {"type": "string"},
        "id": _STR_OR_NULL,
        "title": {"type": "string"},
        "line": {"type": "integer", "minimum": 1},
        "from": _STATUS,
        "to": {"enum": ["todo", "done", "in-progress"]},
        "glyphBefore": {"type": "string"},
        "glyphAfter": {"type": "string"},
        "changed": {"type": "boolean", "description": "false: the task already had that status"},
        "hashBefore": {"type": "string"},
        "sha256": {"type": "string", "description": "the file's SHA-256 now"},
        "progressBefore": PROGRESS,
        "progress": PROGRESS,
        "warnings": {"type": "array", "items": {"type": "string"}},
    },
}


def docs_markdown() -> str:
    """The schemas as docs/agents.md shows them (tests/agents/test_schema_docs.py)."""
    import json
    import re

    def dump(schema: dict) -> str:
        text = json.dumps(schema, indent=2, ensure_ascii=False)
        # arrays of plain values on one line
        return re.sub(
            r"\[\n\s+([^\[\]{}]*?)\n\s*\]",
            lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",\n")) + "]",
            text,
        )

    out = []
    for title, schema in (("`specmark.next/1`", NEXT), ("`specmark.set/1`", SET)):
        out.append(f"### {title}\n\n```json\n{dump(schema)}\n```\n")
    return "\n".join(out)

"""`specmark mcp`: the Model Context Protocol server (stdio), on the official SDK (`mcp` 2.x).

Tools: list_specs, spec_status, next_task, get_task, get_requirement, check (read-only) and
set_task_status (idempotent, not destructive: it only ever changes one status glyph). The
server is rooted at its working folder (or --root): a `path` argument is resolved inside it,
and one that leaves it (`..`, an absolute path elsewhere, a symbolic link pointing out) is
refused; so is a spec document that links out. Every refusal is a tool error whose message
says what to do; nothing raises out of a tool. Files are read again on every call (an agent
or an editor changes them between calls); parsing is memoised by text.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from .. import __version__
from . import schema
from .workspace import AgentError

INSTRUCTIONS = """specmark reads spec-driven development plans (tasks.md with requirements.md and
design.md: Kiro, cc-sdd, spec-workflow, spec-kit, OpenSpec). The loop: next_task → implement the
task → set_task_status(ref, "done", expected_hash) → check. next_task returns the task with the
full text of the requirements it cites and the design sections citing them; pass its `ref` and
the tasks file's sha256 to set_task_status."""

READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)
STATUS_EDIT = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)

SpecArg = Annotated[
    str | None,
    Field(description="the spec's name (its folder name, see list_specs); default: as next_task chooses"),
]
PathArg = Annotated[
    str,
    Field(description="a folder or tasks.md inside the server's root, relative to it (default: the root)"),
]


def _obj(properties: dict, required: list[str], defs: bool = False) -> dict:
    out = {"type": "object", "properties": properties, "required": required}
    if defs:
        out["$defs"] = schema.DEFS
    return out


SPEC_ENTRY = _obj(
    {
        "name": {"type": "string"},
        "folder": {"type": "string"},
        "flavor": {"type": "string"},
        "tasks": {"type": "array", "items": {"type": "string"}},
        "requirements": {"type": ["string", "null"]},
        "design": {"type": ["string", "null"]},
        "progress": schema.PROGRESS,
    },
    ["name", "folder", "flavor", "tasks", "progress"],
)
FINDING = _obj(
    {
        "code": {"type": "string"},
        "severity": {"type": "string"},
        "path": {"type": "string"},
        "line": {"type": "integer"},
        "column": {"type": "integer"},
        "message": {"type": "string"},
    },
    ["code", "severity", "path", "line", "column", "message"],
)
OUTPUT_SCHEMAS = {
    "list_specs": _obj(
        {"root": {"type": "string"}, "specs": {"type": "array", "items": SPEC_ENTRY}}, ["specs"]
    ),
    "spec_status": _obj(
        {"spec": {"type": "string"}, "folder": {"type": "string"}, "progress": {"type": "object"}},
        ["spec", "progress"],
    ),
    "next_task": schema.NEXT,
    "get_task": _obj(
        {"spec": {"type": "string"}, "sha256": {"type": "string"}, "task": {"$ref": "#/$defs/task"}},
        ["spec", "sha256", "task"],
        defs=True,
    ),
    "get_requirement": _obj(
        {
            "spec": {"type": "string"},
            "requirement": {"$ref": "#/$defs/requirement"},
            "coveredBy": {"type": "array", "items": {"$ref": "#/$defs/taskSummary"}},
        },
        ["spec", "requirement", "coveredBy"],
        defs=True,
    ),
    "check": _obj(
        {
            "findings": {"type": "array", "items": FINDING},
            "errors": {"type": "array", "items": {"type": "string"}},
            "counts": {"type": "object"},
        },
        ["findings", "errors", "counts"],
    ),
    "set_task_status": schema.SET,
}


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class Root:
    def __init__(self, root: str):
        self.root = os.path.realpath(root)

    def resolve(self, path: str | None) -> str:
        """An absolute path inside the root, or a ToolError."""
        raw = (path or ".").strip() or "."
        if "\x00" in raw:
            raise ToolError("the path contains a NUL character")
        parts = raw.replace("\\", "/").split("/")
        if ".." in parts:
            raise ToolError(f"{raw!r}: '..' is not allowed; give a path inside {self.root}")
        full = raw if os.path.isabs(raw) else os.path.join(self.root, raw)
        real = os.path.realpath(full)
        if not _inside(real, self.root):
            raise ToolError(
                f"{raw!r} is outside the server's root {self.root} (or a link out of it); "
                "the server reads and edits only files inside its root"
            )
        if not os.path.exists(real):
            raise ToolError(f"{raw!r}: no such file or folder inside {self.root}")
        return full if os.path.isabs(raw) else os.path.normpath(full)

    def check_files(self, paths) -> None:
        for p in paths:
            if p and not _inside(os.path.realpath(p), self.root):
                raise ToolError(f"{p} links outside the server's root {self.root}; not read")


def build_server(root: str) -> MCPServer:
    from ..core.features.next import NEXT_SCHEMA, LookupError_, count_progress, find_task, task_brief
    from . import setstatus
    from .commands import next_record
    from .workspace import choose_spec, find_specs, load_spec

    where = Root(root)
    app = MCPServer(name="specmark", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")

    def specs_at(path: str | None):
        try:
            specs, config = find_specs(where.resolve(path))
        except AgentError as exc:
            raise ToolError(str(exc)) from None
        for s in specs:
            where.check_files(s.paths)
        return specs, config

    def chosen(path: str | None, spec: str | None):
        specs, config = specs_at(path)
        try:
            return choose_spec(specs, spec, config)
        except AgentError as exc:
            raise ToolError(str(exc)) from None

    def guard(fn):
        """AgentError → a tool error with its message (the SDK would mask other exceptions)."""

        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except AgentError as exc:
                raise ToolError(str(exc)) from None
            except OSError as exc:
                raise ToolError(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None
            except ToolError:
                raise
            except Exception as exc:  # noqa: BLE001 - a bug: say what, keep serving
                import traceback

                traceback.print_exc()  # stderr: the client's server log
                raise ToolError(
                    f"specmark failed on this call ({type(exc).__name__}: {exc}). "
                    "This is a bug in specmark: please report it with the spec that caused it"
                ) from None

        run.__name__ = fn.__name__
        run.__doc__ = fn.__doc__
        run.__annotations__ = fn.__annotations__
        run.__wrapped__ = fn  # type: ignore[attr-defined]
        return run

    def as_tool(annotations: ToolAnnotations) -> Callable[[Callable[..., Any]], Any]:
        """Register a function as a tool with structured output, its errors guarded."""
        return lambda fn: app.tool(annotations=annotations, structured_output=True)(guard(fn))

    @as_tool(READ_ONLY)
    def list_specs(path: PathArg = ".") -> dict[str, Any]:
        """The spec folders under the root (or `path`): name, flavor, documents, task progress."""
        specs, config = specs_at(path)
        out = []
        for s in specs:
            result = load_spec(s, config)
            done, total = count_progress(result.tasks)
            out.append(
                {
                    "name": s.name,
                    "folder": s.folder,
                    "flavor": result.flavor,
                    "tasks": s.tasks_paths,
                    "requirements": s.requirements_path,
                    "design": s.design_path,
                    "progress": {"done": done, "total": total},
                }
            )
        return {"root": where.root, "specs": out}

    @as_tool(READ_ONLY)
    def spec_status(spec: SpecArg = None, path: PathArg = ".") -> dict[str, Any]:
        """Task progress (done, in progress, open …) and requirement coverage of one spec."""
        from ..core.features.progress import spec_progress
        from ..core.project import check_paths

        s, _r, _why = chosen(path, spec)
        result = check_paths([s.folder])
        if not result.specs:
            raise ToolError(
                f"{s.name}: cannot read the spec: " + "; ".join(e.message for e in result.read_errors)
            )
        return {"spec": s.name, "folder": s.folder, "progress": spec_progress(result.specs[0][1]).as_dict()}

    @as_tool(READ_ONLY)
    def next_task(spec: SpecArg = None, all_ready: bool = False, path: PathArg = ".") -> dict[str, Any]:
        """The task to work on next: the first not-done unit of work in plan order whose
        dependencies are done, with its details, the full text of the requirements it cites,
        the design sections citing them, the files it names and its parent chain. state is
        found, complete (nothing left) or waiting. all_ready: every task that could start now."""
        record = next_record(where.resolve(path), spec, all_ready, specs_config=specs_at(path))
        assert record["schema"] == NEXT_SCHEMA
        return record

    @as_tool(READ_ONLY)
    def get_task(
        ref: Annotated[str, Field(description="a task ID (2.1, T003) or @LINE")],
        spec: SpecArg = None,
        path: PathArg = ".",
    ) -> dict[str, Any]:
        """One task with everything next_task gives for it."""
        s, result, _why = chosen(path, spec)
        try:
            doc, task = find_task(result.tasks, ref)
        except LookupError_ as exc:
            raise ToolError(str(exc)) from None
        return {"spec": s.name, "sha256": result.hashes[doc.path], "task": task_brief(result, doc, task)}

    @as_tool(READ_ONLY)
    def get_requirement(
        id: Annotated[str, Field(description="a requirement or criterion ID: 1, 1.2, FR-001, REQ-3 …")],
        spec: SpecArg = None,
        path: PathArg = ".",
    ) -> dict[str, Any]:
        """A requirement (with its criteria) or a criterion, full text, and the tasks citing it."""
        from ..core.coverage import compute_coverage
        from ..core.features.next import requirement_entries, task_summary

        s, result, _why = chosen(path, spec)
        if result.requirements is None:
            raise ToolError(f"spec {s.name} has no requirements document")
        hit = result.resolver.lookup(id.strip().rstrip("."))
        if hit is None:
            near = result.resolver.suggestions(id.strip())
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            raise ToolError(f"no requirement or criterion {id!r} in spec {s.name}{hint}")
        entry = requirement_entries(result, [hit.id])[0]
        covered = []
        coverage = compute_coverage(result.tasks, result.resolver)
        requirement = getattr(hit, "requirement", None)
        for doc in result.tasks:
            for i in coverage[doc.path].tasks_for(hit.id, requirement):
                covered.append(task_summary(result.tasks, doc, doc.tasks[i]))
        return {"spec": s.name, "requirement": entry, "coveredBy": covered}

    @as_tool(READ_ONLY)
    def check(spec: SpecArg = None, path: PathArg = ".") -> dict[str, Any]:
        """specmark's findings (traceability, task and reference checks) for one spec, or for
        every spec under `path` when `spec` is not given."""
        from ..core.project import check_paths

        specs, _config = specs_at(path)
        if spec is not None:
            s, _r, _why = chosen(path, spec)
            targets = [s.folder]
        else:
            targets = [where.resolve(path)]
        result = check_paths(targets)
        findings = sorted((f for _s, r in result.specs for f in r.findings), key=lambda f: f.sort_key())
        counts: dict[str, int] = {}
        for f in findings:
            counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
        return {
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "path": f.path,
                    "line": f.span.line + 1,
                    "column": f.span.col + 1,
                    "message": f.message,
                }
                for f in findings
            ],
            "errors": [f"{e.path}: {e.message}" for e in result.read_errors],
            "counts": counts,
        }

    @as_tool(STATUS_EDIT)
    def set_task_status(
        ref: Annotated[str, Field(description="the task's ref from next_task / get_task (an ID or @LINE)")],
        status: Annotated[Literal["done", "open", "in-progress"], Field(description="the new status")],
        expected_hash: Annotated[
            str | None,
            Field(
                description="the tasks file's sha256 as last read (next_task's tasksFiles); refused if it changed"
            ),
        ] = None,
        spec: SpecArg = None,
        path: PathArg = ".",
    ) -> dict[str, Any]:
        """Set one task's checkbox (only its status glyph changes, nothing else in the file).
        Idempotent: setting the status it has writes nothing. Returns the file's new sha256
        and the plan's progress before and after; warns when a parent is marked done while
        sub-tasks are open (they are not changed)."""
        specs, config = specs_at(path)
        return setstatus.set_task_status(
            where.resolve(path), ref, status, spec, expected_hash, specs_config=(specs, config)
        )

    for name, out_schema in OUTPUT_SCHEMAS.items():
        tool = app._tool_manager.get_tool(name)
        assert tool is not None
        tool.__dict__["output_schema"] = out_schema  # the documented schema, not "any object"
    return app


def serve(root: str | None) -> int:
    path = os.path.abspath(root or ".")
    if not os.path.isdir(path):
        import sys

        print(f"specmark: error: --root {root}: not a folder", file=sys.stderr)
        return 2
    build_server(path).run("stdio")
    return 0

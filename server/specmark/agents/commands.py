"""The agent commands of the command line: next, set (done, start) and mcp.

cli.py declares the sub-commands; their arguments and handlers are here, imported only when
one of them runs (`specmark check` never loads this module).

Exit codes: next — 0 a task found, 1 nothing to do now (the plan is complete, or every open
task waits on a dependency), 2 an error. set — 0 written (or already so), 2 refused (unknown
or ambiguous ID, a status the convention lacks, a read-only or non-UTF-8 file), 3 the file
changed since it was read (`--expect-hash`).
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_NOTHING, EXIT_REFUSED, EXIT_STALE = 0, 1, 2, 3


def add_arguments(name: str, p: argparse.ArgumentParser) -> None:
    if name == "next":
        p.epilog = (
            "exit codes: 0 a task was found; 1 nothing to do now (the plan is complete, or every "
            "open task waits on a dependency); 2 an error. See docs/agents.md."
        )
        p.add_argument("path", nargs="?", default=".", help="project, spec folder or tasks.md (default: .)")
        p.add_argument("--spec", default=None, metavar="NAME", help="the spec (folder name) to work on")
        p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
        p.add_argument("--all-ready", action="store_true", help="every task that could start now")
        p.add_argument("--config", default=None)
        return
    if name in ("set", "done", "start"):
        p.add_argument("id", metavar="ID", help="task ID, or @LINE for a task without a unique ID")
        p.epilog = (
            "exit codes: 0 written (or already so); 2 refused, nothing written; 3 the file "
            "changed since it was read (--expect-hash). See docs/agents.md."
        )
        if name == "set":
            p.add_argument(
                "status",
                metavar="STATUS",
                choices=["done", "open", "in-progress"],
                help="done, open or in-progress",
            )
        p.add_argument("path", nargs="?", default=".", help="project, spec folder or tasks.md (default: .)")
        p.add_argument("--spec", default=None, metavar="NAME")
        p.add_argument(
            "--expect-hash",
            default=None,
            metavar="SHA256",
            help="refuse (exit 3) unless tasks.md still has this SHA-256 (as `next` reported it)",
        )
        p.add_argument("--format", choices=["text", "json"], default="text")
        p.add_argument("--config", default=None)
        return
    if name == "mcp":
        p.add_argument("--root", default=None, help="the folder the server may read and edit (default: .)")
        return


def next_record(
    path: str, spec_name: str | None, all_ready: bool, config_file: str | None = None, specs_config=None
) -> dict:
    """The `specmark.next/1` record (also the MCP `next_task` result)."""
    from ..core.features.next import NEXT_SCHEMA, plan_next
    from .workspace import choose_spec, find_specs

    specs, config = specs_config if specs_config is not None else find_specs(path, config_file)
    if specs_config is None:
        warn_config(config)
    spec, result, why = choose_spec(specs, spec_name, config)
    body = plan_next(result, all_ready)
    record = {
        "schema": NEXT_SCHEMA,
        "spec": {
            "name": spec.name,
            "folder": spec.folder,
            "flavor": result.flavor,
            "chosen": why,
            "others": [s.name for s in specs if s is not spec],
        },
        "tasksFiles": [{"path": d.path, "sha256": result.hashes[d.path]} for d in result.tasks],
        "warnings": list(result.problems),
    }
    record.update(body)
    return record


def _os_error(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


def warn_config(config) -> None:
    """Print the configuration's warnings to stderr."""
    from .workspace import config_warnings

    for w in config_warnings(config):
        print(f"specmark: warning: {w} (default kept)", file=sys.stderr)


def cmd_next(args) -> int:
    from ..output import next as out
    from .workspace import AgentError

    try:
        record = next_record(args.path, args.spec, args.all_ready, args.config)
    except AgentError as exc:
        print(f"specmark: error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except OSError as exc:  # a file that vanished or became unreadable meanwhile
        print(f"specmark: error: {_os_error(exc)}", file=sys.stderr)
        return EXIT_REFUSED
    for w in record["warnings"]:
        print(f"specmark: warning: {w}", file=sys.stderr)
    render = {"text": out.render_text, "json": out.render_json, "markdown": out.render_markdown}[args.format]
    print(render(record))
    return EXIT_OK if record["state"] == "found" else EXIT_NOTHING


def cmd_set(args) -> int:
    import json

    from .setstatus import HashMismatch, print_warnings, render_set_text, set_task_status
    from .workspace import AgentError

    status = {"done": "done", "start": "in-progress"}.get(args.command) or args.status
    try:
        record = set_task_status(args.path, args.id, status, args.spec, args.expect_hash, args.config)
    except HashMismatch as exc:
        print(f"specmark: error: {exc}", file=sys.stderr)
        return EXIT_STALE
    except AgentError as exc:
        print(f"specmark: error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except OSError as exc:  # reading or locking the file failed: nothing was written
        print(f"specmark: error: {_os_error(exc)}; the file is unchanged", file=sys.stderr)
        return EXIT_REFUSED
    print_warnings(record)
    print(
        json.dumps(record, ensure_ascii=False, indent=2) if args.format == "json" else render_set_text(record)
    )
    return EXIT_OK


def cmd_mcp(args) -> int:
    try:
        from .mcp_server import serve
    except ImportError as exc:
        if "mcp" not in str(exc):
            raise
        print(
            'specmark: error: `specmark mcp` needs the MCP SDK: pip install "specmark[mcp]"',
            file=sys.stderr,
        )
        return EXIT_REFUSED
    return serve(args.root)

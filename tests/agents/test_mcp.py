"""`specmark mcp` end to end: the SDK's own stdio client spawns the server and calls each tool."""

from __future__ import annotations

import hashlib
import json
import sys

import jsonschema
import pytest
from agentspecs import DESIGN, KIRO_TASKS, write_spec

from specmark.agents import schema

mcp = pytest.importorskip("mcp")

from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

TOOLS = {"list_specs", "spec_status", "next_task", "get_task", "get_requirement", "check", "set_task_status"}


def server(root, *extra: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable, args=["-m", "specmark", "mcp", *extra], cwd=str(root)
    )


async def call(session, name: str, args: dict) -> tuple[bool, dict | str]:
    res = await session.call_tool(name, args)
    if res.is_error:
        return True, " ".join(c.text for c in res.content if hasattr(c, "text"))
    return False, res.structured_content


async def test_every_tool(tmp_path):
    root = tmp_path / "proj"
    path = write_spec(root, "auth", KIRO_TASKS, design=DESIGN)
    (tmp_path / "outside.md").write_text("- [ ] 1. Not yours\n")
    async with stdio_client(server(root)) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        tools = {t.name: t for t in (await s.list_tools()).tools}
        assert set(tools) == TOOLS
        for name, tool in tools.items():
            assert tool.input_schema["type"] == "object" and tool.output_schema["type"] == "object"
            ann = tool.annotations
            if name == "set_task_status":
                assert (ann.read_only_hint, ann.destructive_hint, ann.idempotent_hint) == (False, False, True)
            else:
                assert ann.read_only_hint is True
        assert tools["next_task"].output_schema == schema.NEXT

        err, specs = await call(s, "list_specs", {})
        assert not err and [x["name"] for x in specs["specs"]] == ["auth"]
        assert specs["specs"][0]["progress"] == {"done": 1, "total": 5}

        err, status = await call(s, "spec_status", {"spec": "auth"})
        assert not err and status["progress"]["done"] == 1 and status["progress"]["criteriaTotal"] == 3

        err, rec = await call(s, "next_task", {})
        assert not err
        jsonschema.validate(rec, schema.NEXT)
        assert rec["task"]["ref"] == "2.1" and rec["task"]["design"]
        sha = rec["tasksFiles"][0]["sha256"]

        err, got = await call(s, "get_task", {"ref": "2.2"})
        assert not err and got["task"]["optional"] and got["sha256"] == sha

        err, req = await call(s, "get_requirement", {"id": "1.2"})
        assert not err and req["requirement"]["text"].startswith("WHEN a user submits a wrong password")
        assert [t["ref"] for t in req["coveredBy"]] == ["2.1", "2.2"]

        err, found = await call(s, "check", {})
        assert not err and found["errors"] == []
        assert all({"code", "severity", "path", "line", "message"} <= set(f) for f in found["findings"])

        before = path.read_bytes()
        err, out = await call(s, "set_task_status", {"ref": "2.1", "status": "done", "expected_hash": sha})
        assert not err
        jsonschema.validate(out, schema.SET)
        after = path.read_bytes()
        assert after == before.replace(b"- [ ] 2.1", b"- [x] 2.1")
        assert out["sha256"] == hashlib.sha256(after).hexdigest() and out["progress"]["done"] == 2

        # the old hash is now stale: refused, file untouched
        err, msg = await call(s, "set_task_status", {"ref": "2.2", "status": "done", "expected_hash": sha})
        assert err and "changed since it was read" in msg and path.read_bytes() == after

        # bad arguments and unknown IDs: tool errors with a message, the server keeps serving
        for args, words in [
            ({"ref": "2.1", "status": "finished"}, "status"),
            ({"ref": "9.9", "status": "done"}, "no task with ID"),
            ({"status": "done"}, "ref"),
        ]:
            err, msg = await call(s, "set_task_status", args)
            assert err and words in msg, msg
        err, msg = await call(s, "get_requirement", {"id": "7.7"})
        assert err and "no requirement or criterion" in msg
        err, msg = await call(s, "next_task", {"spec": "nope"})
        assert err and "no spec named 'nope'" in msg

        # outside the root: '..', an absolute path elsewhere, a symbolic link out
        (root / "link").symlink_to(tmp_path)
        for bad in ["..", "../outside.md", str(tmp_path), "link", "link/outside.md"]:
            err, msg = await call(s, "next_task", {"path": bad})
            assert err and ("outside the server's root" in msg or "'..' is not allowed" in msg), (bad, msg)
        assert path.read_bytes() == after
        err, _ = await call(s, "list_specs", {})
        assert not err


async def test_root_option_and_link_out(tmp_path):
    root = tmp_path / "proj"
    write_spec(root, "auth", KIRO_TASKS)
    elsewhere = write_spec(tmp_path / "other", "x", KIRO_TASKS)
    linked = root / ".kiro" / "specs" / "linked"
    linked.mkdir(parents=True)
    (linked / "tasks.md").symlink_to(elsewhere)
    async with stdio_client(server(tmp_path, "--root", str(root))) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        err, specs = await call(s, "list_specs", {})
        # the linked spec's document points out of the root: never read
        assert not err and [x["name"] for x in specs["specs"]] == ["auth"]
        err, msg = await call(
            s, "set_task_status", {"ref": "3", "status": "done", "path": ".kiro/specs/linked"}
        )
        assert err and "symbolic link out" in msg, msg
    assert "- [ ] 3." in elsewhere.read_text()


def test_missing_sdk_names_the_extra(tmp_path):
    import subprocess

    code = "import sys; sys.modules['mcp'] = None; from specmark import cli; sys.exit(cli.main(['mcp']))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 2 and 'pip install "specmark[mcp]"' in out.stderr, out.stderr


def _json(obj) -> str:
    return json.dumps(obj, sort_keys=True)

"""The whole plan of the example spec run to completion by an agent that only has the CLI, and
by one that only has `specmark mcp`: next → start → done until nothing is left, every step
changing exactly one glyph, and `specmark status` then showing the plan complete."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from specmark import cli


def one_glyph_apart(a: bytes, b: bytes) -> None:
    assert len(a) == len(b)
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    assert len(diff) == 1, diff


def main_json(capsys, *args: str) -> tuple[int, dict]:
    code = cli.main([*args, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


@pytest.fixture
def example(repo_root, tmp_path):
    dest = tmp_path / "user-login"
    shutil.copytree(repo_root / "examples" / "user-login", dest)
    return dest


def test_cli_agent_runs_the_example_plan(example, capsys):
    tasks = example / "tasks.md"
    snapshots = [tasks.read_bytes()]
    steps = []
    for _ in range(100):
        code, rec = main_json(capsys, "next", str(example))
        if code == 1:
            assert rec["state"] == "complete"
            break
        assert code == 0
        task = rec["task"]
        sha = rec["tasksFiles"][0]["sha256"]
        steps.append(task["ref"])
        code, setrec = main_json(capsys, "start", task["ref"], str(example), "--expect-hash", sha)
        assert code == 0 and setrec["changed"]
        snapshots.append(tasks.read_bytes())
        code, setrec = main_json(capsys, "done", task["ref"], str(example), "--expect-hash", setrec["sha256"])
        assert code == 0 and setrec["changed"]
        snapshots.append(tasks.read_bytes())
    else:
        pytest.fail("the plan never completed")
    for a, b in zip(snapshots, snapshots[1:], strict=False):
        one_glyph_apart(a, b)
    # the duplicate task 5 is named by line; parents close once their sub-tasks are done
    assert steps == ["2.2", "2.3", "2", "3.2", "5.1", "@33", "@42", "6", "7"]
    code, status = main_json(capsys, "status", str(example))
    assert (status[0]["done"], status[0]["total"], status[0]["open"]) == (13, 13, 0)
    cli.main(["status", str(example)])
    assert "13/13 done (100%)" in capsys.readouterr().out


async def test_mcp_agent_runs_the_example_plan(example):
    pytest.importorskip("mcp")
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    tasks = example / "tasks.md"
    snapshots = [tasks.read_bytes()]
    params = StdioServerParameters(command=sys.executable, args=["-m", "specmark", "mcp"], cwd=str(example))
    async with stdio_client(params) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        for _ in range(100):
            res = await s.call_tool("next_task", {})
            assert not res.is_error
            rec = res.structured_content
            if rec["state"] == "complete":
                break
            sha = rec["tasksFiles"][0]["sha256"]
            for status in ("in-progress", "done"):
                res = await s.call_tool(
                    "set_task_status", {"ref": rec["task"]["ref"], "status": status, "expected_hash": sha}
                )
                assert not res.is_error, res.content
                sha = res.structured_content["sha256"]
                snapshots.append(tasks.read_bytes())
        else:
            pytest.fail("the plan never completed")
        res = await s.call_tool("spec_status", {})
        progress = res.structured_content["progress"]
        assert progress["done"] == progress["total"] == 13
    for a, b in zip(snapshots, snapshots[1:], strict=False):
        one_glyph_apart(a, b)
    assert len(snapshots) == 1 + 2 * 9

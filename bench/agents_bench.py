#!/usr/bin/env python3
"""Time the agent commands: `specmark next`, `specmark set` (whole processes) on the 10,000-line
benchmark plan, and MCP tool calls on a warm `specmark mcp` server.

    python bench/agents_bench.py [--runs 15] [--calls 200] [--lines 10000] [--json out.json]

`next` and `set` are timed from spawn to exit (output to /dev/null), one warm-up run first;
`set` alternates done/open on one task so that every run writes the file; the child's own
CPU time (user+sys, from wait4) is reported beside the wall time: on a loaded machine the
wall time grows while the CPU time does not. The MCP round trip
is the time from `tools/call` sent to result received through the SDK's stdio client, after
20 warm-up calls: next_task, get_task and set_task_status (alternating) on the example spec
and on the benchmark plan. Targets: next and set under 150 ms (median), a warm MCP call under
20 ms (median, the example spec).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECMARK = os.path.join(os.path.dirname(sys.executable), "specmark")
TARGET_CLI_MS = 150.0
TARGET_MCP_MS = 20.0


CPU: dict[str, list[float]] = {}  # command → the child's user+sys ms per run


def wall(argv: list[str], name: str | None = None) -> float:
    """Milliseconds from spawn to exit; the child's own CPU time goes to CPU[name] (wait4),
    which tells a loaded machine (wall >> CPU) from a slow command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, ru = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} exited {code}")
    if name:
        CPU.setdefault(name, []).append((ru.ru_utime + ru.ru_stime) * 1000)
    return elapsed * 1000


def stats(ms: list[float]) -> dict:
    ordered = sorted(ms)
    return {
        "runs": len(ms),
        "median": statistics.median(ms),
        "min": ordered[0],
        "p90": ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))],
    }


def bench_cli(folder: str, runs: int) -> dict:
    out = {}
    wall([SPECMARK, "next", folder])
    out["next"] = stats([wall([SPECMARK, "next", folder], "next") for _ in range(runs)])
    out["next --format json"] = stats(
        [wall([SPECMARK, "next", folder, "--format", "json"], "next --format json") for _ in range(runs)]
    )
    ms = []
    wall([SPECMARK, "set", "1", "done", folder])
    for i in range(runs):
        ms.append(wall([SPECMARK, "set", "1", "open" if i % 2 == 0 else "done", folder], "set"))
    out["set"] = stats(ms)
    for name, row in out.items():
        row["cpu"] = statistics.median(CPU[name])
    return out


async def bench_mcp(root: str, calls: int, ref: str) -> dict:
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(command=SPECMARK, args=["mcp"], cwd=root)
    out: dict = {}
    async with stdio_client(params) as (r, w), ClientSession(r, w) as s:
        await s.initialize()

        async def timed(name: str, args_for) -> dict:
            for i in range(20):
                res = await s.call_tool(name, args_for(i))
                assert not res.is_error, res.content
            ms = []
            for i in range(calls):
                t0 = time.perf_counter()
                res = await s.call_tool(name, args_for(i))
                ms.append((time.perf_counter() - t0) * 1000)
                assert not res.is_error, res.content
            return stats(ms)

        out["next_task"] = await timed("next_task", lambda i: {})
        out["get_task"] = await timed("get_task", lambda i: {"ref": ref})
        out["set_task_status"] = await timed(
            "set_task_status", lambda i: {"ref": ref, "status": "done" if i % 2 else "open"}
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--lines", type=int, default=10000)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    import anyio

    tmp = tempfile.mkdtemp(prefix="specmark-agents-bench-")
    try:
        subprocess.run(
            [sys.executable, os.path.join(REPO, "bench", "gen.py"), tmp, "--lines", str(args.lines)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        plan = os.path.join(tmp, ".kiro", "specs", f"bench-{args.lines}")
        example = os.path.join(tmp, "user-login")
        shutil.copytree(os.path.join(REPO, "examples", "user-login"), example)
        results = {
            "cli": bench_cli(plan, args.runs),
            "mcp example": anyio.run(bench_mcp, example, args.calls, "2.3"),
            "mcp plan": anyio.run(bench_mcp, plan, max(20, args.calls // 4), "1"),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"| what ({args.lines:,}-line plan; MCP: warm server) | median ms | min | p90 | CPU ms | runs |")
    print("|---|---|---|---|---|---|")
    for group, rows in results.items():
        for name, s in rows.items():
            cpu = f"{s['cpu']:.1f}" if "cpu" in s else ""
            print(
                f"| {group}: {name} | {s['median']:.1f} | {s['min']:.1f} | {s['p90']:.1f} | {cpu} | {s['runs']} |"
            )
    ok = True
    for name in ("next", "set"):
        m = results["cli"][name]["median"]
        good = m < TARGET_CLI_MS
        ok &= good
        print(f"{'PASS' if good else 'FAIL'}: specmark {name} {m:.1f} ms (target < {TARGET_CLI_MS:.0f} ms)")
    m = max(s["median"] for s in results["mcp example"].values())
    good = m < TARGET_MCP_MS
    ok &= good
    print(
        f"{'PASS' if good else 'FAIL'}: MCP tool call, warm, example spec: {m:.1f} ms (target < {TARGET_MCP_MS:.0f} ms)"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Edit latency of the execution-order checks on a large plan with a dependency graph.

    python bench/deps_bench.py [--lines 10000] [--edits 21]

Generates the seeded `bench-N` plan (gen.py), appends a `## Task Dependency Graph` whose JSON
waves list every leaf task (50 per wave), and times the incremental engine (the server's
`TasksAnalyzer.analyze`, in process: no protocol) for three keystrokes: in a task title far
from the graph, on a `_Depends:` line, and inside the JSON block. Prints a Markdown table and
PASS/FAIL against the server's edit target (p50 <= 30 ms on 10,000 lines); exit 1 on FAIL.
The plan's statuses are gen.py's random ones, so dependency-not-done has hundreds of findings
to report on every analysis: a worst case, not a typical plan.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_MS = 30.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=21)
    args = ap.parse_args()
    from specmark.core.analysis import _parse_requirements_cached
    from specmark.core.config import Config
    from specmark.core.coverage import Resolver
    from specmark.core.incremental import TasksAnalyzer

    with tempfile.TemporaryDirectory() as tmp:
        here = os.path.dirname(os.path.abspath(__file__))
        subprocess.run(
            [sys.executable, os.path.join(here, "gen.py"), tmp, "--lines", str(args.lines)],
            check=True,
            capture_output=True,
        )
        folder = os.path.join(tmp, ".kiro", "specs", f"bench-{args.lines}")
        with open(os.path.join(folder, "tasks.md"), encoding="utf-8") as f:
            lines = f.read().split("\n")
        with open(os.path.join(folder, "requirements.md"), encoding="utf-8") as f:
            req = _parse_requirements_cached(f.read(), "requirements.md", "kiro")
    leaves = []
    depends_at = None
    for line in lines:
        m = re.match(r"\s*- \[.\]\*? (\d+\.\d+) ", line)
        if m:
            leaves.append(m.group(1))
    # one _Depends: line, under the 100th leaf task, on the leaf before it
    for n, line in enumerate(lines):
        if re.match(rf"\s*- \[.\]\*? {re.escape(leaves[100])} ", line):
            lines.insert(n + 1, f"    - _Depends: {leaves[99]}_")
            depends_at = n + 1
            break
    waves = [leaves[k : k + 50] for k in range(0, len(leaves), 50)]
    graph = ["", "## Task Dependency Graph", "", "```json", '{"waves": [']
    graph += [
        '  {"id": ' + str(i) + ', "tasks": [' + ", ".join(f'"{t}"' for t in w) + "]},"
        for i, w in enumerate(waves)
    ]
    graph[-1] = graph[-1].rstrip(",")
    graph += ["]}", "```", ""]
    plan = lines + graph
    json_at = len(plan) - 6
    title_at = len(lines) // 2
    while not plan[title_at].lstrip().startswith("- ["):
        title_at += 1
    cfg, resolver = Config(), Resolver(req)
    rows = []
    for name, at in (("task title", title_at), ("_Depends: line", depends_at), ("inside the JSON", json_at)):
        engine = TasksAnalyzer("tasks.md")
        engine.analyze(tuple(plan), cfg, "kiro", req, resolver)
        cur = list(plan)
        times: list[float] = []
        cpu: list[float] = []
        for k in range(args.edits):
            cur = list(cur)
            # a keystroke that keeps the text valid: a space before the line's end, then none
            base = plan[at]
            cur[at] = base[:-1] + " " + base[-1] if k % 2 == 0 else base
            t, c = time.perf_counter(), time.process_time()
            got = engine.analyze(tuple(cur), cfg, "kiro", req, resolver)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert got is not None, "the engine fell back to a whole-document analysis"
        rows.append((name, statistics.median(times), max(times), statistics.median(cpu)))
    print(
        f"| keystroke ({args.lines:,} lines, {len(waves)} waves, {len(leaves)} leaves) | p50 ms | max ms | CPU p50 ms |"
    )
    print("|---|---|---|---|")
    for name, p50, worst, cpu50 in rows:
        print(f"| {name} | {p50:.1f} | {worst:.1f} | {cpu50:.1f} |")
    failed = [name for name, p50, _w, _c in rows if p50 > TARGET_MS]
    for name, p50, _w, _c in rows:
        print(
            f"{'PASS' if p50 <= TARGET_MS else 'FAIL'}  {name}: p50 {p50:.1f} ms (target <= {TARGET_MS:.0f} ms)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

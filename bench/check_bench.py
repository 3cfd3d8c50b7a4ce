#!/usr/bin/env python3
"""Time `specmark check <folder>` beside `rumdl check --no-cache <tasks.md>`, whole processes.

    python bench/check_bench.py [--quick] [--runs 10] [--lines 10000] [--json out.json]

hyperfine-like: for each size (default: the 10,000-line spec from bench/gen.py), one warm-up
run of each command, then `--runs` timed runs of each, interleaved (specmark, rumdl, specmark,
…) so that a change in machine load hits both alike. Wall time from spawn to exit, plus the
child's own CPU time (user+sys) and peak RSS from wait4(). Output goes to /dev/null.
Target: specmark's median <= 3x rumdl's median, in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402
import snapshot  # noqa: E402

VENV_BIN = os.path.dirname(sys.executable)
TARGET = 3.0


def run_once(argv: list[str], timeout: float, ok_codes=(0, 1), env: dict | None = None) -> dict:
    """Run argv with output to /dev/null; wall seconds, the child's CPU seconds, exit code.

    (wait4's ru_maxrss is not reported: after fork/exec it starts from the parent's peak RSS.)"""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        _pid, status, ru = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode not in ok_codes:
        raise RuntimeError(
            f"{' '.join(argv)} exited with {proc.returncode} (timeout {timeout:.0f} s?)\n{err[-2000:]}"
        )
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "code": proc.returncode}


def summary(runs: list[dict]) -> dict:
    walls = [r["wall"] for r in runs]
    return {
        "n": len(walls),
        "median": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "mean": statistics.fmean(walls),
        "stdev": statistics.stdev(walls) if len(walls) > 1 else 0.0,
        "cpu_median": statistics.median(r["cpu"] for r in runs),
        "walls": walls,
    }


def findings_line(argv: list[str], timeout: float, env: dict | None = None) -> str:
    out = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    lines = [ln for ln in (out.stdout + out.stderr).splitlines() if ln.strip()]
    return lines[-1] if lines else f"(no output, exit {out.returncode})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 runs, 1,000-line spec")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--lines", type=int, nargs="+", default=[10000], help="tasks.md sizes (default 10000)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per run")
    ap.add_argument("--specmark", default=os.path.join(VENV_BIN, "specmark"))
    ap.add_argument("--rumdl", default=shutil.which("rumdl", path=VENV_BIN) or "rumdl")
    snapshot.add_arguments(ap)
    ap.add_argument("--data", help="generate the specs here and keep them (default: a temp dir)")
    ap.add_argument("--json", help="also write the raw results here")
    a = ap.parse_args(argv)
    if a.quick:
        a.runs, a.warmup = min(a.runs, 3), min(a.warmup, 1)
        a.lines = [min(n, 1000) for n in a.lines]
    data = a.data or tempfile.mkdtemp(prefix="specmark-check-bench-")
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "python": platform.python_version(),
        "nproc": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
        "sizes": {},
    }
    try:
        made = gen.generate(data, sorted(set(a.lines)))
        env, results["specmark"] = snapshot.choose(a, os.path.join(data, "code"))
        envs = {"specmark check": env, "rumdl check --no-cache": None}
        for n in a.lines:
            folder = made[n]
            tasks = os.path.join(folder, "tasks.md")
            cmds = {
                "specmark check": [a.specmark, "check", folder],
                "rumdl check --no-cache": [a.rumdl, "check", "--no-cache", tasks],
            }
            print(
                f"{n:,}-line tasks.md: "
                + "; ".join(f"{k} -> {findings_line(v, a.timeout, envs[k])}" for k, v in cmds.items()),
                file=sys.stderr,
            )
            runs: dict[str, list[dict]] = {k: [] for k in cmds}
            for _ in range(a.warmup):
                for name, argv_ in cmds.items():
                    run_once(argv_, a.timeout, env=envs[name])
            for _ in range(a.runs):
                for name, argv_ in cmds.items():
                    runs[name].append(run_once(argv_, a.timeout, env=envs[name]))
            results["sizes"][n] = {name: summary(r) for name, r in runs.items()}
    finally:
        if not a.data:
            shutil.rmtree(data, ignore_errors=True)
    results["loadavg_end"] = os.getloadavg()

    print(
        f"# whole-process check, {results['date']}, nproc {results['nproc']}, Python {results['python']}, "
        f"load average {results['loadavg_start'][0]:.1f} -> {results['loadavg_end'][0]:.1f}, "
        f"specmark {results['specmark']}"
    )
    print(
        "| tasks.md lines | command | runs | median ms | min ms | mean ± sd ms | CPU (user+sys) median ms |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|")
    status = 0
    for n, by in results["sizes"].items():
        for name, s in by.items():
            print(
                f"| {n:,} | `{name}` | {s['n']} | {s['median'] * 1e3:.0f} | {s['min'] * 1e3:.0f} | "
                f"{s['mean'] * 1e3:.0f} ± {s['stdev'] * 1e3:.0f} | {s['cpu_median'] * 1e3:.0f} |"
            )
    for n, by in results["sizes"].items():
        sm, rd = by["specmark check"], by["rumdl check --no-cache"]
        r_med, r_min, r_cpu = (
            sm["median"] / rd["median"],
            sm["min"] / rd["min"],
            sm["cpu_median"] / rd["cpu_median"],
        )
        verdict = "PASS" if r_med <= TARGET else "FAIL"
        if n != 10000:
            verdict = "info"
        else:
            status |= r_med > TARGET
        print(
            f"{verdict}  {n:,} lines: specmark/rumdl = {r_med:.2f}x (median), {r_min:.2f}x (min), "
            f"{r_cpu:.2f}x (CPU); target <= {TARGET:.0f}x on 10,000 lines"
        )
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(results, fh, indent=1)
    return 1 if status else 0


if __name__ == "__main__":
    sys.exit(main())

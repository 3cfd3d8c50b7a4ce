#!/usr/bin/env python3
"""specmark's benchmark: every performance target, beside rumdl where rumdl does the same work.

    pip install -e ".[bench]"
    python bench/run.py            # or: python -m bench     (about 5 minutes)
    python bench/run.py --quick    # smaller documents, fewer repetitions (under a minute)
    python bench/run.py --only check-spec edit-findings

prints one table: scenario, target, specmark, rumdl, ratio, PASS/FAIL. Documents are generated
(bench/gen.py, seeded) in a temporary folder. The language servers are driven over stdio as an
editor drives them (bench/lsp_client.py); `specmark check` and `rumdl check --no-cache` are timed
as whole processes. Exit status: 0 if every target passed, 1 if one failed, 2 if the harness did.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402
from lsp_client import BenchError, Server, perf, uri  # noqa: E402

REF = re.compile(r"^(\s*- _Requirements: )(\d+\.\d+)")
DETAIL = re.compile(r"^    - [A-Z]")
TASK = re.compile(r"^\s*- \[[ xX]\]")
CRITERION = re.compile(r"^\d+\. WHEN ")


@dataclass
class Row:
    name: str
    scenario: str
    target: str
    specmark: str = "-"
    rumdl: str = "-"
    ratio: str = "-"
    verdict: str = "-"
    note: str = ""


@dataclass
class Sizes:
    plan: int  # the plan with hundreds of findings
    findings: int
    huge: int  # didOpen / RSS
    req_reqs: int  # requirements in the requirements.md scenario (141 -> 2,404 lines)
    repo: int  # specs in the repository
    rss_plan: int  # lines of the ~1,000-task plan
    rss_edits: int
    edits: int  # timed edits per edit scenario (p50)
    runs: int  # process runs of `check`
    opens: int


FULL = Sizes(10000, 260, 100000, 141, 200, 4540, 10000, 30, 10, 3)
QUICK = Sizes(1000, 30, 5000, 20, 10, 600, 300, 8, 3, 1)


def p50(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def fms(x: float | None) -> str:
    if x is None or x != x:
        return "-"
    x *= 1000
    return f"{x:.1f} ms" if x < 100 else f"{x:.0f} ms"


def fmb(kb: int | None) -> str:
    return "-" if not kb else f"{kb / 1024:.0f} MB"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


@dataclass
class Bench:
    args: argparse.Namespace
    sizes: Sizes
    tmp: str
    specmark: list[str]
    rumdl: str | None
    rows: list[Row] = field(default_factory=list)
    n_server: int = 0

    # ---- helpers
    def server(self, name: str) -> Server:
        self.n_server += 1
        log = os.path.join(self.tmp, f"{name}-{self.n_server}.log")
        argv = self.specmark + ["serve"] if name == "specmark" else [str(self.rumdl), "server"]
        return Server(name, argv, log, timeout=self.args.timeout)

    async def started(self, name: str, root: str) -> Server:
        s = self.server(name)
        await s.start()
        await s.initialize(root)
        return s

    async def open_wait(self, s: Server, path: str, text: str) -> float:
        fut = s.expect_diagnostics(uri(path), 1)
        t0 = s.open(path, text)
        t, _n = await s.wait(fut, f"diagnostics of {os.path.basename(path)}")
        return t - t0

    def folder(self, name: str) -> str:
        return os.path.join(self.tmp, name, ".kiro", "specs", name)

    @contextlib.asynccontextmanager
    async def servers_on(self, folder: str, path: str, text: str) -> AsyncIterator[dict[str, Server]]:
        """specmark, and rumdl when there is one, started on `folder` with `path` open; stopped
        at the end."""
        servers = {"specmark": await self.started("specmark", folder)}
        try:
            if self.rumdl:
                servers["rumdl"] = await self.started("rumdl", folder)
            for s in servers.values():
                await self.open_wait(s, path, text)
            yield servers
        finally:
            for s in servers.values():
                await s.stop()

    # ---- edit scenarios
    async def edit_pairs(
        self,
        servers: dict[str, Server],
        path: str,
        lines: list[str],
        edits: list[tuple],
        wait: str,
        version: int = 1,
    ) -> dict[str, list[float]]:
        """Apply `edits` (LSP ranges with their new text: start row, start col, end row, end col,
        text) to `lines` one by one, and send each to every server, as versions after `version`;
        time each to the diagnostics of its version (`wait`="diagnostics"), to the answer of a
        no-op request sent right after it ("barrier"), or to the answer of a hover sent right
        after it ("hover"); the last two for specmark only.

        Each server types the whole sequence in its own phase, the next keystroke as soon as the
        previous one was handled: alternating servers edit by edit would leave one idle while the
        other works (rumdl takes 30-700 ms an edit), and on a virtual machine whose host reclaims
        idle memory, any process's first request after a pause costs milliseconds more (the
        `idle` row measures it). `lines` ends as the last edit leaves it."""
        times: dict[str, list[float]] = {n: [] for n in servers}
        start = list(lines)
        if wait == "hover":
            hover_at = next((i, m.end(1)) for i, ln in enumerate(lines) if (m := REF.match(ln)))
        for name, s in servers.items():
            lines[:] = start
            v = version
            for change in edits:
                r0, c0, r1, c1, ins = change
                lines[r0 : r1 + 1] = (lines[r0][:c0] + ins + lines[r1][c1:]).split("\n")
                text = "" if s.incremental else "\n".join(lines)
                v += 1
                if wait == "hover" and name == "specmark":
                    t0 = s.change(path, v, text, change)
                    _t, fut = s.send_request(
                        "textDocument/hover",
                        {
                            "textDocument": {"uri": uri(path)},
                            "position": {"line": hover_at[0], "character": hover_at[1]},
                        },
                    )
                    t, _r = await s.wait(fut, "hover")
                elif wait == "barrier" and name == "specmark":
                    t0 = s.change(path, v, text, change)
                    t, _r = await s.wait(s.barrier(), "the barrier's answer")
                else:
                    fut = s.expect_diagnostics(uri(path), v)
                    t0 = s.change(path, v, text, change)
                    t, _n = await s.wait(fut, f"diagnostics of version {v}")
                times[name].append(t - t0)
        return times

    async def scenario_edits(self) -> None:
        """edit-findings, edit-shift on the plan with hundreds of findings; edit-quiet on the
        largest plan."""
        z = self.sizes
        folder = self.folder("plan")
        req = gen.requirements_md(100, 10, random.Random(1))
        tasks = gen.tasks_md(z.plan, 100, 10, random.Random(7), findings=z.findings)
        gen.write(os.path.join(folder, "requirements.md"), req)
        gen.write(os.path.join(folder, "tasks.md"), tasks)
        path = os.path.join(folder, "tasks.md")
        want = {"edit-findings", "edit-shift", "edit-quiet"} & set(self.only)
        async with self.servers_on(folder, path, tasks) as servers:
            n_found = servers["specmark"].diags[uri(path)][2]
            rng = random.Random(11)
            lines = tasks.split("\n")
            refs = [i for i, ln in enumerate(lines) if REF.match(ln)]
            if "edit-findings" in want:
                edits: list[tuple] = []
                for _ in range(z.edits // 2 + 1):  # `1.2` -> `1.29` (unknown), then back
                    row = rng.choice(refs)
                    m = REF.match(lines[row])
                    assert m is not None
                    end = m.end(2)
                    edits += [(row, end, row, end, "9"), (row, end, row, end + 1, "")]
                times = await self.edit_pairs(servers, path, lines, edits, "diagnostics")
                self.add_edit_row(
                    "edit-findings",
                    f"keystroke that changes the findings, {z.plan:,}-line plan, {n_found} findings, p50",
                    times,
                    5.0,
                    6.0,
                )
            if "edit-shift" in want:
                times = await self.shift_edits(servers, path, lines)
                self.add_edit_row(
                    "edit-shift",
                    f"line inserted/deleted above all {n_found} findings, {z.plan:,}-line plan, p50",
                    times,
                    5.0,
                    6.0,
                )
        if "edit-quiet" in want:
            await self.quiet_edits()

    async def shift_edits(self, servers: dict[str, Server], path: str, lines: list[str]):
        """Insert an empty line before `## Tasks` (every finding moves down), then delete it."""
        row = lines.index("## Tasks")
        edits = [
            (row, 0, row, 0, "\n") if i % 2 == 0 else (row, 0, row + 1, 0, "")
            for i in range(self.sizes.edits)
        ]
        times = await self.edit_pairs(servers, path, lines, edits, "diagnostics", version=1000)
        if len(lines) and lines[row] == "" and self.sizes.edits % 2:
            del lines[row]
        return times

    async def quiet_edits(self) -> None:
        z = self.sizes
        folder = self.folder("huge")
        path = os.path.join(folder, "tasks.md")
        tasks = self.huge_plan(folder)
        async with self.servers_on(folder, path, tasks) as servers:
            lines = tasks.split("\n")
            rows = [i for i, ln in enumerate(lines) if DETAIL.match(ln)]
            rng = random.Random(5)
            edits: list[tuple] = []
            for _ in range(z.edits // 2 + 1):  # a letter typed into a task's detail, then deleted
                row = rng.choice(rows)
                edits += [(row, 8, row, 8, "x"), (row, 8, row, 9, "")]
            times = await self.edit_pairs(servers, path, lines, edits, "barrier")
            hovers = await self.edit_pairs(
                {"specmark": servers["specmark"]}, path, lines, edits[: max(2, z.edits // 6)], "hover", 10_000
            )
            paused = edits[: 2 * max(1, z.edits // 8)]  # whole pairs: the text ends as it was
            idle = await self.after_pause(servers["specmark"], path, paused)
        sm = p50(times["specmark"])
        rd = p50(times.get("rumdl", []))
        self.rows.append(
            Row(
                "edit-quiet",
                f"keystroke that changes nothing visible, {z.huge:,}-line plan → handled, p50",
                "≤ 3 ms",
                fms(sm),
                fms(rd),
                f"{sm / rd:.2f}" if rd == rd and rd else "-",
                verdict(sm <= 0.003),
                "rumdl: its (unchanged) diagnostics republished",
            )
        )
        self.rows.append(
            Row(
                "edit-quiet",
                f"the same keystroke, then a hover on a reference in that plan → answered, p50 of {len(hovers['specmark'])}",
                "(none)",
                fms(p50(hovers["specmark"])),
            )
        )
        self.rows.append(
            Row(
                "edit-quiet",
                f"the same keystroke after a 300 ms pause, p50 of {len(paused)} "
                "(the machine's idle cost: a no-op request back to back "
                f"{fms(idle['noop'])}, after a 300 ms pause {fms(idle['noop-paused'])})",
                "(none)",
                fms(idle["keystroke-paused"]),
            )
        )

    async def after_pause(self, s: Server, path: str, edits: list[tuple]) -> dict[str, float]:
        """The machine's cost of a pause: a no-op request sent back to back and after 300 ms
        idle, and the same quiet keystrokes after 300 ms idle (p50s, seconds)."""
        out: dict[str, list[float]] = {"noop": [], "noop-paused": [], "keystroke-paused": []}
        for _ in range(len(edits)):
            t0, fut = perf(), s.barrier()
            t, _r = await s.wait(fut, "the barrier's answer")
            out["noop"].append(t - t0)
            await asyncio.sleep(0.3)
            t0, fut = perf(), s.barrier()
            t, _r = await s.wait(fut, "the barrier's answer")
            out["noop-paused"].append(t - t0)
        for i, change in enumerate(edits):
            await asyncio.sleep(0.3)
            t0 = s.change(path, 20_000 + i, "", change)
            t, _r = await s.wait(s.barrier(), "the barrier's answer")
            out["keystroke-paused"].append(t - t0)
        return {k: p50(v) for k, v in out.items()}

    def huge_plan(self, folder: str) -> str:
        tasks_path = os.path.join(folder, "tasks.md")
        if not os.path.exists(tasks_path):
            gen.write(os.path.join(folder, "requirements.md"), gen.requirements_md(100, 10, random.Random(1)))
            gen.write(tasks_path, gen.tasks_md(self.sizes.huge, 100, 10, random.Random(13)))
        with open(tasks_path, encoding="utf-8") as fh:
            return fh.read()

    def add_edit_row(self, name: str, scenario: str, times: dict, ms_max: float, rumdl_div: float) -> None:
        sm = p50(times["specmark"])
        rd = p50(times.get("rumdl", []))
        ok = sm <= ms_max / 1000 and (rd != rd or sm <= rd / rumdl_div)
        self.rows.append(
            Row(
                name,
                scenario,
                f"≤ {ms_max:g} ms and ≤ 1/{rumdl_div:g} of rumdl",
                fms(sm),
                fms(rd),
                f"{sm / rd:.2f}" if rd == rd and rd else "-",
                verdict(ok),
            )
        )

    # ---- didOpen and memory of the huge plan
    async def scenario_open(self) -> None:
        z = self.sizes
        folder = self.folder("huge")
        path = os.path.join(folder, "tasks.md")
        tasks = self.huge_plan(folder)
        opened: dict[str, list[float]] = {"specmark": [], "rumdl": []}
        rss: dict[str, int | None] = {"specmark": None, "rumdl": None}
        names = ["specmark"] + (["rumdl"] if self.rumdl else [])
        for _ in range(z.opens):
            for name in names:
                s = await self.started(name, folder)
                try:
                    opened[name].append(await self.open_wait(s, path, tasks))
                    await asyncio.sleep(0.5)
                    rss[name] = s.rss_kb()
                finally:
                    await s.stop()
        sm, rd = p50(opened["specmark"]), p50(opened["rumdl"])
        self.rows.append(
            Row(
                "open",
                f"didOpen → first diagnostics, {z.huge:,}-line plan, median of {z.opens}",
                "≤ rumdl",
                fms(sm),
                fms(rd),
                f"{sm / rd:.2f}" if rd == rd else "-",
                verdict(rd != rd or sm <= rd),
            )
        )
        a, b = rss["specmark"], rss["rumdl"]
        self.rows.append(
            Row(
                "rss-open",
                f"RSS with the {z.huge:,}-line plan open",
                "≤ rumdl",
                fmb(a),
                fmb(b),
                f"{a / b:.2f}" if a and b else "-",
                verdict(a is not None and (b is None or a <= b)),
            )
        )

    # ---- typing in requirements.md
    async def scenario_requirements(self) -> None:
        z = self.sizes
        folder = self.folder("reqs")
        req = gen.requirements_md(z.req_reqs, 10, random.Random(3))
        tasks = gen.tasks_md(z.plan, z.req_reqs, 10, random.Random(17))
        rpath, tpath = os.path.join(folder, "requirements.md"), os.path.join(folder, "tasks.md")
        gen.write(rpath, req)
        gen.write(tpath, tasks)
        s = await self.started("specmark", folder)
        body: list[float] = []
        heading: list[float] = []
        renamed: list[float] = []  # `7:` -> `7x:`: ~30 references become unknown
        restored: list[float] = []  # and back
        try:
            await self.open_wait(s, rpath, req)
            await self.open_wait(s, tpath, tasks)
            lines = req.split("\n")
            crit = [i for i, ln in enumerate(lines) if CRITERION.match(ln)]
            heads = [i for i, ln in enumerate(lines) if ln.startswith("### Requirement ")]
            rng = random.Random(23)
            v = 1
            for i in range(z.edits):
                # a letter typed into an acceptance criterion, then deleted → hover in tasks.md
                row = rng.choice(crit)
                for ins, n_del in (("x", 0), ("", 1)):
                    v += 1
                    t0 = s.change(rpath, v, "", (row, 10, row, 10 + n_del, ins))
                    t, _r = await s.wait(s.barrier(), "the barrier's answer")
                    body.append(t - t0)
                # `### Requirement 7:` -> `### Requirement 7x:` → tasks.md's findings change
                row = heads[(i * 7) % len(heads)]
                col = lines[row].index(":")
                for ins, n_del in (("x", 0), ("", 1)):
                    v += 1
                    fut = s.expect_diagnostics(uri(tpath), None, after=perf())
                    t0 = s.change(rpath, v, "", (row, col, row, col + n_del, ins))
                    t, _n = await s.wait(fut, "tasks.md diagnostics after a heading edit")
                    heading.append(t - t0)
                    (renamed if ins else restored).append(t - t0)
        finally:
            await s.stop()
        n_lines = req.count("\n")
        halves = f" (renamed {fms(p50(renamed))}, back {fms(p50(restored))})"
        for name, what, xs in (
            ("reqs-body", "an acceptance criterion → handled (tasks.md diagnostics current)", body),
            ("reqs-heading", "a requirement heading → tasks.md diagnostics republished" + halves, heading),
        ):
            sm = p50(xs)
            self.rows.append(
                Row(
                    name,
                    f"keystroke in a {n_lines:,}-line requirements.md, {what}, p50",
                    "≤ 5 ms",
                    fms(sm),
                    verdict=verdict(sm <= 0.005),
                )
            )

    # ---- memory over many edits
    async def scenario_rss_edits(self) -> None:
        z = self.sizes
        folder = self.folder("rss")
        req = gen.requirements_md(100, 10, random.Random(1))
        tasks = gen.tasks_md(z.rss_plan, 100, 10, random.Random(19))
        path = os.path.join(folder, "tasks.md")
        gen.write(os.path.join(folder, "requirements.md"), req)
        gen.write(path, tasks)
        n_tasks = sum(1 for ln in tasks.split("\n") if TASK.match(ln))
        s = await self.started("specmark", folder)
        samples: list[int | None] = []
        try:
            await self.open_wait(s, os.path.join(folder, "requirements.md"), req)
            await self.open_wait(s, path, tasks)
            lines = tasks.split("\n")
            refs = [i for i, ln in enumerate(lines) if REF.match(ln)]
            rng = random.Random(29)
            v = 1
            first = max(1, z.rss_edits // 10)
            for i in range(z.rss_edits // 2):
                row = rng.choice(refs)
                m = REF.match(lines[row])
                assert m is not None
                for change in ((row, m.end(2), row, m.end(2), "9"), (row, m.end(2), row, m.end(2) + 1, "")):
                    v += 1
                    fut = s.expect_diagnostics(uri(path), v)
                    s.change(path, v, "", change)
                    await s.wait(fut, f"diagnostics of version {v}")
                if 2 * (i + 1) == first:
                    samples.append(s.rss_kb())
            samples.append(s.rss_kb())
        finally:
            await s.stop()
        a, b = samples[0], samples[-1]
        grow = (b - a) if a and b else None
        self.rows.append(
            Row(
                "rss-edits",
                f"RSS growth from edit {z.rss_edits // 10:,} to {z.rss_edits:,}, {n_tasks:,}-task plan",
                "≤ 5 MB",
                "-" if grow is None else f"+{grow / 1024:.1f} MB ({fmb(a)} → {fmb(b)})",
                verdict=verdict(grow is not None and grow <= 5 * 1024),
            )
        )

    # ---- whole processes
    def time_processes(self, argvs: dict[str, list[str]], runs: int) -> dict[str, list[tuple[float, float]]]:
        out: dict[str, list[tuple[float, float]]] = {n: [] for n in argvs}
        for i in range(runs + 1):  # the first round warms the file cache, not counted
            for name, argv in argvs.items():
                wall, cpu = run_process(argv, self.args.timeout)
                if i:
                    out[name].append((wall, cpu))
        return out

    def check_row(
        self, name: str, scenario: str, target: str, limit: float, path: str, rumdl_path: str
    ) -> None:
        """Times `specmark check path` beside `rumdl check --no-cache rumdl_path`: a row that
        passes when specmark's median wall time is at most `limit` times rumdl's."""
        argvs = {"specmark": self.specmark + ["check", path]}
        if self.rumdl:
            argvs["rumdl"] = [self.rumdl, "check", "--no-cache", rumdl_path]
        got = self.time_processes(argvs, self.sizes.runs)
        sm = p50([w for w, _ in got["specmark"]])
        rd = p50([w for w, _ in got.get("rumdl", [])])
        cpu_s = p50([c for _, c in got["specmark"]])
        cpu_r = p50([c for _, c in got.get("rumdl", [])])
        r = sm / rd if rd == rd else float("nan")
        self.rows.append(
            Row(
                name,
                scenario,
                target,
                fms(sm),
                fms(rd),
                f"{r:.2f}" if r == r else "-",
                verdict(r != r or r <= limit),
                f"CPU {fms(cpu_s)} vs {fms(cpu_r)}" if cpu_r == cpu_r else "",
            )
        )

    def scenario_check_spec(self) -> None:
        folder = self.folder("small")
        gen.small_spec(folder, 300, seed=1)
        self.check_row(
            "check-spec",
            f"`specmark check` of one 300-line spec, process wall, median of {self.sizes.runs}",
            "≤ 4× rumdl",
            4.0,
            folder,
            folder,
        )

    def scenario_check_repo(self) -> None:
        z = self.sizes
        root = os.path.join(self.tmp, "repo")
        base = gen.repository(root, z.repo, 300)
        self.check_row(
            "check-repo",
            f"`specmark check` of a repository of {z.repo} specs × 300 lines, median of {z.runs}",
            "≤ 1.5× rumdl",
            1.5,
            root,
            base,
        )

    # ---- driver
    @property
    def only(self) -> list[str]:
        return self.args.only or SCENARIOS

    async def run(self) -> None:
        want = set(self.only)
        if "check-spec" in want:
            self.scenario_check_spec()
        if "check-repo" in want:
            self.scenario_check_repo()
        if want & {"edit-findings", "edit-shift", "edit-quiet"}:
            await self.scenario_edits()
        if "reqs" in want:
            await self.scenario_requirements()
        if "open" in want:
            await self.scenario_open()
        if "rss-edits" in want:
            await self.scenario_rss_edits()


SCENARIOS = [
    "check-spec",
    "check-repo",
    "edit-findings",
    "edit-shift",
    "edit-quiet",
    "reqs",
    "open",
    "rss-edits",
]


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_process(argv: list[str], timeout: float) -> tuple[float, float]:
    """(wall seconds, the child's CPU seconds) of one run with output discarded."""
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise BenchError(f"{' '.join(argv)} took more than {timeout:.0f} s") from None
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise BenchError(f"{' '.join(argv)} exited with {proc.returncode}:\n{err.decode()[-2000:]}")
    return wall, _children_cpu() - cpu0


def find_specmark() -> list[str]:
    """The `specmark` command installed beside this Python (what users and editors run), else
    `python -m specmark`."""
    script = os.path.join(sysconfig.get_path("scripts"), "specmark")
    if os.path.exists(script) or os.path.exists(script + ".exe"):
        return [script]
    return [sys.executable, "-m", "specmark"]


def find_rumdl(explicit: str | None) -> str | None:
    if explicit:
        return None if explicit == "none" else explicit
    scripts = sysconfig.get_path("scripts")
    for cand in (os.path.join(scripts, "rumdl"), shutil.which("rumdl")):
        if cand and os.path.exists(cand):
            return cand
    return None


def revision() -> str:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        out = subprocess.run(
            ["git", "-C", here, "describe", "--always", "--dirty"], capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or "?"
    except OSError:
        return "?"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def table(rows: list[Row]) -> str:
    out = [
        "| scenario | target | specmark | rumdl | ratio | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        note = f" ({r.note})" if r.note else ""
        out.append(
            f"| {r.scenario}{note} | {r.target} | {r.specmark} | {r.rumdl} | {r.ratio} | {r.verdict} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small documents, few repetitions (a smoke run)")
    ap.add_argument("--only", nargs="+", choices=SCENARIOS, help="run only these scenarios")
    ap.add_argument("--rumdl", help="the rumdl binary ('none': without rumdl); default: found beside Python")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds for any one wait")
    ap.add_argument("--keep", action="store_true", help="keep the generated documents and server logs")
    args = ap.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    rumdl = find_rumdl(args.rumdl)
    tmp = tempfile.mkdtemp(prefix="specmark-bench-")
    bench = Bench(args, sizes, tmp, find_specmark(), rumdl)
    rumdl_version = "not found"
    if rumdl:
        rumdl_version = subprocess.run([rumdl, "--version"], capture_output=True, text=True).stdout.strip()
    # the bytecode caches, as `pip install` writes them (a PYTHONDONTWRITEBYTECODE environment
    # would otherwise make every process compile specmark's sources again)
    import compileall

    import specmark

    compileall.compile_dir(os.path.dirname(specmark.__file__), quiet=1)
    started = datetime.datetime.now(datetime.timezone.utc)
    print(f"specmark {revision()} · {rumdl_version} · {machine()}", flush=True)
    failed = False
    try:
        asyncio.run(bench.run())
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        failed = True
    finally:
        if args.keep or failed:
            print(f"documents and server logs kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    took = (datetime.datetime.now(datetime.timezone.utc) - started).total_seconds()
    print(f"\n{started:%Y-%m-%d %H:%M} UTC, {'quick' if args.quick else 'full'} run, {took:.0f} s\n")
    print(table(bench.rows))
    if failed:
        return 2
    return 0 if all(r.verdict != "FAIL" for r in bench.rows) else 1


if __name__ == "__main__":
    sys.exit(main())

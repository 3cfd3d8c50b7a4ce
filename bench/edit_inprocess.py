#!/usr/bin/env python3
"""Where an edit's time goes in the server, in process: edit-findings, edit-shift, reqs-heading.

    python bench/edit_inprocess.py [--edits 200] [--profile findings|shift|heading]

Builds run.py's plan (10,000 lines, 260 findings, gen.py, seeded), runs the language server
object in this process with its output written to a sink (no pipe, no client), applies the
benchmark's keystrokes (an unknown ID typed into a `_Requirements:` line and deleted again;
an empty line inserted above every finding and deleted again; in run.py's requirements.md
scenario, `### Requirement 7:` made `### Requirement 7x:` and back, each half timed apart,
as tasks.md's ~30 findings on requirement 7 appear and go) and times `refresh` (analysis,
conversion, the publishDiagnostics text written) for each, with the time spent in the engine
(`TasksAnalyzer.analyze`), the rest of `State.findings` and the conversion
(`DiagnosticsJson.convert`) beside it. p50 of each, in ms. `--profile` prints cProfile's
heaviest functions for one kind of edit. The garbage collector is set as `specmark serve`
sets it. The digest of every message written lets two versions of the code be compared
byte for byte (`PYTHONPATH=<other checkout>/server python bench/edit_inprocess.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import hashlib
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402
from run import FULL, REF  # noqa: E402


class Sink:
    """The server's writer: every message hashed, nothing kept."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.messages = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.messages += 1

    def close(self) -> None:
        pass


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--edits", type=int, default=200, help="edits of each kind (even)")
    ap.add_argument("--profile", choices=["findings", "shift", "heading"], help="cProfile this kind of edit")
    args = ap.parse_args()

    from specmark.core.incremental.analyzer import TasksAnalyzer
    from specmark.lsp.convert import DiagnosticsJson
    from specmark.lsp.server import SpecmarkServer
    from specmark.lsp.state import State

    spent: dict[str, float] = defaultdict(float)

    def timed(cls: type, name: str) -> None:
        inner = getattr(cls, name)

        def wrapper(*a, **k):
            t0 = time.perf_counter()
            try:
                return inner(*a, **k)
            finally:
                spent[name] += time.perf_counter() - t0

        setattr(cls, name, wrapper)

    timed(TasksAnalyzer, "analyze")
    timed(State, "findings")
    timed(DiagnosticsJson, "convert")

    # a fixed folder name: the messages (and their digest) name the documents' URIs
    root = os.path.join(tempfile.gettempdir(), "specmark-edit-inprocess")
    folder = os.path.join(root, ".kiro", "specs", "plan")
    tasks = gen.tasks_md(FULL.plan, 100, 10, random.Random(7), findings=FULL.findings)
    gen.write(os.path.join(folder, "requirements.md"), gen.requirements_md(100, 10, random.Random(1)))
    gen.write(os.path.join(folder, "tasks.md"), tasks)
    path = os.path.join(folder, "tasks.md")

    gc.set_threshold(100_000, 20, 20)  # as `specmark serve`
    server = SpecmarkServer()
    sink = Sink()
    server.protocol.set_writer(sink)
    server.configured = True
    server.state.roots = [root]
    server.state.load_config({})
    server.state.open("file://" + path, tasks, 1)
    server.refresh([path])

    # run.py's requirements.md scenario beside it: a requirement heading edited in a 2,400-line
    # requirements.md (`### Requirement 7:` -> `### Requirement 7x:` and back), tasks.md's
    # diagnostics republished
    reqs = os.path.join(root, ".kiro", "specs", "reqs")
    req_text = gen.requirements_md(FULL.req_reqs, 10, random.Random(3))
    rpath, tpath = os.path.join(reqs, "requirements.md"), os.path.join(reqs, "tasks.md")
    gen.write(rpath, req_text)
    reqs_tasks = gen.tasks_md(FULL.plan, FULL.req_reqs, 10, random.Random(17))
    gen.write(tpath, reqs_tasks)

    lines = tasks.split("\n")
    rng = random.Random(11)
    refs = [i for i, line in enumerate(lines) if REF.match(line)]
    edits: list[tuple[str, str, tuple[int, int], tuple[int, int], str]] = []
    for _ in range(args.edits // 2):
        row = rng.choice(refs)
        m = REF.match(lines[row])
        assert m is not None
        end = m.end(2)
        edits += [
            ("findings", path, (row, end), (row, end), "9"),
            ("findings", path, (row, end), (row, end + 1), ""),
        ]
    row = lines.index("## Tasks")
    for i in range(args.edits):
        edits.append(
            ("shift", path, (row, 0), (row, 0), "\n")
            if i % 2 == 0
            else ("shift", path, (row, 0), (row + 1, 0), "")
        )
    req_lines = req_text.split("\n")
    heads = [i for i, line in enumerate(req_lines) if line.startswith("### Requirement ")]
    for i in range(args.edits // 2):
        row = heads[(i * 7) % len(heads)]
        col = req_lines[row].index(":")
        edits += [
            ("heading", rpath, (row, col), (row, col), "x"),
            ("heading", rpath, (row, col), (row, col + 1), ""),
        ]

    profile = cProfile.Profile()
    times: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))

    async def drive() -> None:  # refresh schedules the other documents' views on the loop
        for p, text in ((rpath, req_text), (tpath, reqs_tasks)):
            server.state.open("file://" + p, text, 1)
            server.refresh([p])
        versions = {path: 1, rpath: 1}
        for kind, p, start, end, text in edits:
            versions[p] += 1
            server.state.docs[p] = server.state.docs[p].edit(start, end, text, versions[p])
            spent.clear()
            profiling = args.profile == kind
            t0 = time.perf_counter()
            if profiling:
                profile.enable()
            server.refresh([p])
            if profiling:
                profile.disable()
            took = time.perf_counter() - t0
            await asyncio.sleep(0)
            if kind == "heading":
                kind += " x" if text else " -x"
            row_times = times[kind]
            row_times["refresh"].append(took)
            row_times["engine"].append(spent["analyze"])
            row_times["state beyond the engine"].append(spent["findings"] - spent["analyze"])
            row_times["conversion"].append(spent["convert"])
            row_times["the rest (publish)"].append(took - spent["findings"] - spent["convert"])

    asyncio.run(drive())

    names = {
        "findings": "keystroke that changes the findings",
        "shift": "line inserted/deleted above them",
        "heading x": "requirement heading: `7:` -> `7x:` (~30 findings appear)",
        "heading -x": "requirement heading: `7x:` -> `7:` (they go)",
    }
    print(f"{FULL.plan:,}-line plan, {FULL.findings} findings, {args.edits} edits of each kind, p50 in ms")
    print("| edit | refresh | engine | state beyond the engine | conversion | the rest (publish) |")
    print("|---|---|---|---|---|---|")
    for kind, row_times in times.items():
        cells = " | ".join(f"{statistics.median(v) * 1000:.2f}" for v in row_times.values())
        print(f"| {names[kind]} | {cells} |")
    print(f"\n{sink.messages} messages, sha256 {sink.digest.hexdigest()[:16]}")
    if args.profile:
        print()
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())

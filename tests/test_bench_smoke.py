"""The benchmark harness (bench/run.py) runs and prints its table: the cheapest scenario of the
quick mode, once. Not a timing: the targets live in the benchmark, never in tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def test_quick_check_scenario_prints_the_table(tmp_path):
    out = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--only", "check-spec"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,  # no reliance on the working directory
    )
    assert out.returncode in (0, 1), out.stderr  # 1: a target missed; 2 would be the harness failing
    lines = out.stdout.splitlines()
    assert "| scenario | target | specmark | rumdl | ratio | verdict |" in lines
    row = next(ln for ln in lines if "300-line spec" in ln)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1] == "≤ 4× rumdl"
    assert cells[2].endswith(" ms")  # specmark was measured
    assert cells[5] in ("PASS", "FAIL")

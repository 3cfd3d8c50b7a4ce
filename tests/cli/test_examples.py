"""`specmark check examples/` shows every kind of finding; the bugfix example is clean.

The list of findings is pinned here so that the comments in examples/user-login/tasks.md and
the docs that quote the example stay true."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from specmark.core.checks import CODES, FAMILIES, OPT_IN


def check(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "specmark", "check", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_examples_report_every_code(repo_root: Path):
    proc = check(repo_root, "--format", "json", "examples/")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    found = json.loads(proc.stdout)
    # the opt-in families are off; the examples hold no OpenSpec folder
    assert {f["code"] for f in found} == set(CODES) - set(OPT_IN) - FAMILIES["openspec"]
    got = [(f["code"], Path(f["path"]).as_posix(), f["line"]) for f in found]
    assert got == [
        ("unrecognised-requirements", "examples/order-history/requirements.md", 6),
        ("unknown-requirement", "examples/user-login/design.md", 28),
        ("uncovered-requirement", "examples/user-login/requirements.md", 22),
        ("uncovered-requirement", "examples/user-login/requirements.md", 31),
        ("duplicate-requirement-id", "examples/user-login/requirements.md", 43),
        ("dependency-cycle", "examples/user-login/tasks.md", 14),
        ("unknown-requirement", "examples/user-login/tasks.md", 20),
        ("status-mismatch", "examples/user-login/tasks.md", 23),
        ("dependency-not-done", "examples/user-login/tasks.md", 27),
        ("malformed-reference", "examples/user-login/tasks.md", 30),
        ("task-order", "examples/user-login/tasks.md", 33),
        ("unknown-dependency", "examples/user-login/tasks.md", 37),
        ("invalid-checkbox", "examples/user-login/tasks.md", 39),
        ("duplicate-task-id", "examples/user-login/tasks.md", 42),
        ("placeholder-requirements", "examples/user-login/tasks.md", 44),
        ("missing-requirements", "examples/user-login/tasks.md", 47),
        ("graph-mismatch", "examples/user-login/tasks.md", 50),
    ]


def test_every_finding_in_the_example_is_announced_by_a_comment(repo_root: Path):
    """Each finding on a tasks.md or design.md line sits under an HTML comment that names its code."""
    lines = (repo_root / "examples" / "user-login" / "tasks.md").read_text(encoding="utf-8").splitlines()
    found = json.loads(check(repo_root, "--format", "json", "examples/user-login").stdout)
    design = (repo_root / "examples" / "user-login" / "design.md").read_text(encoding="utf-8").splitlines()
    for f in found:
        of = lines if f["path"].endswith("tasks.md") else design if f["path"].endswith("design.md") else None
        if of is not None:
            above = "\n".join(of[max(0, f["line"] - 4) : f["line"] - 1])
            assert f"<!-- {f['code']}:" in above, f


def test_clean_example_passes(repo_root: Path):
    proc = check(repo_root, "examples/session-timeout-fix")
    assert proc.returncode == 0
    assert proc.stdout == "All checks passed (1 spec checked).\n"

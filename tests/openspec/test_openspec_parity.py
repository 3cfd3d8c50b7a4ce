"""Parity with the real OpenSpec CLI (`openspec validate --all --strict --json`, npm
@fission-ai/openspec 1.13, installed by `bash editors/install-deps.sh install_openspec`):

- every problem OpenSpec reports, specmark reports too, in the same file and, where OpenSpec
  gives one, on the same line;
- specmark's openspec-* findings fall only on files OpenSpec does not call valid.

Run on a workspace of our own with one mistake of every kind (tests/openspec/workspaces/rules)
and on the OpenSpec folders of the shared corpus, recreated in OpenSpec's layout.
The deliberate differences are listed in docs/conventions.md ("OpenSpec").
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
OPENSPEC = os.environ.get("SPECMARK_OPENSPEC") or "/opt/specmark-editors/openspec/node_modules/.bin/openspec"
CI = os.environ.get("CI") == "true"


def _openspec() -> str:
    found = OPENSPEC if os.path.isfile(OPENSPEC) else shutil.which("openspec")
    if found is None:
        why = f"the OpenSpec CLI is not installed ({OPENSPEC}); bash editors/install-deps.sh install_openspec"
        if CI:
            pytest.fail(why)
        pytest.skip(why)
    return found


def openspec_issues(workspace: Path) -> list[tuple[str, int | None, str, str]]:
    """(file relative to the workspace, 1-based line or None, level, message) of every issue."""
    env = {**os.environ, "OPENSPEC_TELEMETRY": "0", "DO_NOT_TRACK": "1", "NO_COLOR": "1"}
    proc = subprocess.run(
        [_openspec(), "validate", "--all", "--strict", "--json", "--no-interactive"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    report = json.loads(proc.stdout)
    out = []
    for item in report["items"]:
        base = f"openspec/specs/{item['id']}" if item["type"] == "spec" else f"openspec/changes/{item['id']}"
        for issue in item["issues"]:
            path = issue["path"]
            if item["type"] == "spec":
                where = f"{base}/spec.md"
            elif path == "file":
                where = base  # the change as a whole
            elif path.endswith("spec.md") and path != "tasks.md":
                where = f"{base}/specs/{path}"
            else:
                where = f"{base}/{path}"
            out.append((where, issue.get("line"), issue["level"], issue["message"]))
    return out


def specmark_findings(workspace: Path) -> list[tuple[str, int, str, str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "specmark", "check", "--format", "json", "."],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return [
        (f["path"].replace(os.sep, "/"), f["line"], f["code"], f["message"]) for f in json.loads(proc.stdout)
    ]


def assert_parity(workspace: Path) -> int:
    theirs = openspec_issues(workspace)
    ours = specmark_findings(workspace)
    missing = []
    for where, line, level, message in theirs:
        hit = [
            f
            for f in ours
            if (f[0] == where or f[0].startswith(where + "/")) and (line is None or f[1] == line)
        ]
        if not hit:
            missing.append((where, line, level, message[:120]))
    assert missing == [], "OpenSpec reports what specmark does not:\n" + "\n".join(map(str, missing))
    flagged = {where for where, *_ in theirs}
    extra = [
        f
        for f in ours
        if f[2].startswith("openspec-") and not any(f[0] == w or f[0].startswith(w + "/") for w in flagged)
    ]
    assert extra == [], "specmark reports on what OpenSpec calls valid:\n" + "\n".join(map(str, extra))
    return len(theirs)


def test_parity_on_a_workspace_with_every_mistake():
    assert assert_parity(HERE / "workspaces" / "rules") >= 14


def test_parity_on_the_corpus_openspec_folders(corpus, tmp_path):
    """The corpus's OpenSpec capability specs and changes, each put back where OpenSpec looks."""
    sources = {}
    for line in (corpus / "SOURCES.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 3 and not line.startswith("#") and cols[2].startswith("openspec/"):
            sources[cols[0]] = cols[2].split("{")[0].rstrip("/")
    assert sources, "no OpenSpec folder in the corpus"
    for folder, original in sources.items():
        shutil.copytree(corpus / folder, tmp_path / original)
    assert assert_parity(tmp_path) >= 10


def _counts(workspace: Path) -> tuple[dict, dict]:
    env = {**os.environ, "OPENSPEC_TELEMETRY": "0", "DO_NOT_TRACK": "1", "NO_COLOR": "1"}
    theirs = json.loads(
        subprocess.run(
            [_openspec(), "list", "--json"],
            cwd=workspace,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        ).stdout
    )
    ours = json.loads(
        subprocess.run(
            [sys.executable, "-m", "specmark", "status", "--format", "json", "openspec/changes"],
            cwd=workspace,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    )
    return (
        {c["name"]: (c["completedTasks"], c["totalTasks"]) for c in theirs["changes"]},
        {s["spec"]: (s["done"], s["total"]) for s in ours},
    )


def test_task_counts_equal_openspec_list(corpus, tmp_path):
    for line in (corpus / "SOURCES.tsv").read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 3 and cols[2].startswith("openspec/changes/"):
            shutil.copytree(corpus / cols[0], tmp_path / cols[2].split("{")[0].rstrip("/"))
    shutil.copytree(
        HERE / "workspaces" / "rules" / "openspec" / "changes" / "add-sso",
        tmp_path / "openspec/changes/add-sso",
    )
    theirs, ours = _counts(tmp_path)
    assert len(theirs) >= 4
    assert {name: ours.get(name) for name in theirs} == theirs

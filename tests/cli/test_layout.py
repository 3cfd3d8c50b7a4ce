"""`specmark check` on folders that are laid out in ways specmark does not read: one spec-layout
finding per folder, in every format; spec-kit checklists are not specs; archived OpenSpec
changes are skipped unless `include-archived = true`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_cli import REQUIREMENTS, specmark, write

PLAN = "- [ ] 1. Sign in\n  - _Requirements: 1.1, 1.2_\n- [ ] 2. Sign out\n  - _Requirements: 2.1_\n"
TASK_MD = os.path.join(".kiro", "specs", "login", "task.md")
MESSAGE = (
    'a plan named task.md: specmark reads the tasks of a spec from tasks.md; rename it (or add "task.md" '
    "to tasks-documents)"
)


@pytest.fixture()
def misnamed(tmp_path: Path) -> Path:
    write(tmp_path, ".kiro/specs/login/requirements.md", REQUIREMENTS)
    write(tmp_path, ".kiro/specs/login/task.md", PLAN)
    return tmp_path


def test_a_misnamed_plan_is_said_once_in_text(misnamed: Path):
    proc = specmark("check", cwd=misnamed)
    assert proc.returncode == 0, proc.stderr  # a warning: not silent, not a failure
    assert proc.stdout.splitlines() == [
        f"{TASK_MD}:1:1: warning[spec-layout] {MESSAGE}",
        "Found 1 finding (1 warning) in 1 spec.",
    ]


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_a_misnamed_plan_is_in_every_format(misnamed: Path, fmt: str):
    proc = specmark("check", "--format", fmt, cwd=misnamed)
    assert proc.returncode == 0, proc.stderr
    if fmt == "json":
        assert [(f["path"], f["code"], f["message"]) for f in json.loads(proc.stdout)] == [
            (TASK_MD, "spec-layout", MESSAGE)
        ]
    elif fmt == "github":
        assert proc.stdout.splitlines() == [
            f"::warning file={TASK_MD},line=1,col=1,endLine=1,endColumn=1,title=spec-layout::{MESSAGE}"
        ]
    else:
        run = json.loads(proc.stdout)["runs"][0]
        assert [(r["ruleId"], r["message"]["text"]) for r in run["results"]] == [("spec-layout", MESSAGE)]
        assert "spec-layout" in [rule["id"] for rule in run["tool"]["driver"]["rules"]]


def test_configured_plan_name_is_read(misnamed: Path):
    write(misnamed, ".specmark.toml", 'tasks-documents = ["tasks.md", "task.md"]\n')
    proc = specmark("check", "--format", "json", cwd=misnamed)
    assert proc.returncode == 0 and json.loads(proc.stdout) == []


def test_spec_kit_checklists_and_archived_changes(tmp_path: Path):
    write(tmp_path, "specs/001-x/spec.md", "# Feature\n\n### User Story 1 - Sign in\n")
    write(tmp_path, "specs/001-x/tasks.md", "- [ ] T001 [US1] Sign in\n")
    write(
        tmp_path, "specs/001-x/checklists/requirements.md", "# Checklist\n\n- [x] No implementation details\n"
    )
    write(tmp_path, "openspec/changes/archive/2025-01-01-old/tasks.md", "- [ ] 1.1 Do\n")
    write(tmp_path, "openspec/archive/older/tasks.md", "- [ ] 1.1 Do\n")
    proc = specmark("status", "--format", "json", cwd=tmp_path)
    assert [row["spec"] for row in json.loads(proc.stdout)] == ["001-x"]
    write(tmp_path, ".specmark.toml", "include-archived = true\n")
    proc = specmark("status", "--format", "json", cwd=tmp_path)
    assert sorted(row["spec"] for row in json.loads(proc.stdout)) == ["001-x", "2025-01-01-old", "older"]
    write(tmp_path, ".specmark.toml", "include-archived = 1\n")
    proc = specmark("check", cwd=tmp_path)
    assert "include-archived: expected true or false (default kept)" in proc.stderr
    assert "older" not in proc.stdout

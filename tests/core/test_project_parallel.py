"""`specmark check` over many specs uses a process pool (core/project.py): the findings and read
errors are the same, in the same order, as checking the specs one by one."""

from __future__ import annotations

import os

import pytest

from specmark.core import project

REQUIREMENTS = """# Requirements Document

## Requirements

### Requirement 1: Login

#### Acceptance Criteria

1. WHEN a user logs in, THE system SHALL greet them
2. WHEN a user logs out, THE system SHALL say goodbye
"""

TASKS = """# Implementation Plan

- [ ] 1. Build the form {i}
  - _Requirements: 1.1, 1.{bad}_

- [x] 2. Done thing
  - Detail without a reference
"""


@pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2, reason="needs fork and 2 CPUs")
def test_parallel_check_gives_the_serial_findings_in_order(tmp_path):
    n = project.PARALLEL_MIN + 7
    root = tmp_path / ".kiro" / "specs"
    for i in range(n):
        folder = root / f"spec-{i:03d}"
        folder.mkdir(parents=True)
        (folder / "requirements.md").write_text(REQUIREMENTS)
        (folder / "tasks.md").write_text(TASKS.format(i=i, bad=i % 4 + 1))
    # one unreadable document: a read error (and its finding) from inside a worker
    (root / "spec-005" / "tasks.md").write_bytes(b"- [ ] 1. Caf\xe9\n")

    serial = project.check_paths([str(tmp_path)])
    parallel = project.check_paths([str(tmp_path)], findings_only=True)

    assert len(serial.specs) == n
    assert [s.folder for s, _ in parallel.specs] == [s.folder for s, _ in serial.specs]
    assert [r.findings for _, r in parallel.specs] == [r.findings for _, r in serial.specs]
    assert [(e.path, e.message, e.span) for e in parallel.read_errors] == [
        (e.path, e.message, e.span) for e in serial.read_errors
    ]
    assert serial.read_errors  # the unreadable document was seen
    codes = {f.code for _, r in serial.specs for f in r.findings}
    assert "unknown-requirement" in codes and any(f.related for _, r in serial.specs for f in r.findings)


@pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2, reason="needs fork and 2 CPUs")
def test_a_failing_child_has_its_share_checked_here(tmp_path):
    """A child that fails sends nothing; its specs are checked in the parent, which meets the
    same error as a serial check would (here: the last spec is no Spec)."""
    from specmark.core.config import Config
    from specmark.core.discovery import discover

    n = project.PARALLEL_MIN + 7
    root = tmp_path / ".kiro" / "specs"
    for i in range(n):
        folder = root / f"spec-{i:03d}"
        folder.mkdir(parents=True)
        (folder / "tasks.md").write_text(TASKS.format(i=i, bad=1))
    specs: list = discover(str(tmp_path), Config()).specs
    assert len(specs) == n
    with pytest.raises(AttributeError):
        project._check_in_parallel([*specs, None], Config(), None, ())
    child = project._fork_share([None], Config(), None, ())
    assert child is not None
    assert project._collect(*child) is None
    child = project._fork_share(specs[:2], Config(), None, ())
    assert child is not None
    assert [found is not None for found, _errors in project._collect(*child)] == [True, True]

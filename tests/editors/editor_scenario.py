"""What the real-editor tests play: a project holding a copy of a corpus spec, and the scenario
(the edits, and the findings, completions and actions they must bring), which is also the JSON
configuration of the editor drivers (tests/editors/nvim/init.lua, emacs/specmark-test.el).

The fixtures that hand these to the tests are in conftest.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import shared_corpus

REPO = Path(__file__).resolve().parents[2]
CORPUS = shared_corpus.CORPUS
SPEC_NAME = "github-issue-automation"
CORPUS_SPEC = CORPUS / "kirodotdev__Kiro__github-issue-automation"


def make_spec_project(tmp_path: Path) -> Path:
    """A project root holding the corpus spec copied to .kiro/specs/<name>/.

    The corpus is read in place from shared/corpus; the copy lives in tmp_path
    only (the server treats a file as a spec file only inside a spec folder).
    """
    shared_corpus.require_corpus()
    if not CORPUS_SPEC.is_dir():
        pytest.fail(f"the corpus at {CORPUS} has no {CORPUS_SPEC.name}")
    root = tmp_path / "project"
    spec = root / ".kiro" / "specs" / SPEC_NAME
    spec.mkdir(parents=True)
    for f in CORPUS_SPEC.iterdir():
        if f.suffix == ".md":
            dst = spec / f.name
            shutil.copyfile(f, dst)
            dst.chmod(0o644)  # the shared corpus is read-only
    (root / "README.md").write_text("# Not a spec\n\n- [ ] 1. Not a task of any spec\n")
    # a spec outside the usual spec folders, as `specmark check docs/user-login` reads it
    # (the README's example), and a design.md in a folder that is no spec
    plain = root / "docs" / "user-login"
    plain.mkdir(parents=True)
    for name in ("tasks.md", "requirements.md", "design.md"):
        shutil.copyfile(REPO / "examples" / "user-login" / name, plain / name)
    (root / "notes").mkdir()
    (root / "notes" / "design.md").write_text("# Design notes\n\nNot a spec.\n")
    return root


# The scenario both editor tests play on a copy of the corpus spec.
# Lines appended to tasks.md inside the editor (so didChange is exercised too):
SCENARIO_APPEND = [
    "",
    "- [ ] 90. Editor test: task without requirements",
    "",
    "- [ ] 91. Editor test: unknown requirement",
    "  - _Requirements: 99.9_",
    "",
    "- [?] 92. Editor test: invalid checkbox",
    "  - _Requirements: 1.1_",
    "",
    "- [ ] 93. Editor test: completion",
    "  - _Requirements: 1.1, _",
]


def make_scenario(spec_project: Path, tmp_path: Path) -> dict:
    """Editor-independent test scenario (also the JSON config of the editor drivers)."""
    tasks = spec_project / ".kiro" / "specs" / SPEC_NAME / "tasks.md"
    base = len(tasks.read_text().splitlines())  # the appended lines start after the last line
    completion_line = "  - _Requirements: 1.1, _"
    action_line = "  - [x] 2.1 Create data models module (`data_models.ts`)"
    toggle_line = "  - [ ]* 2.2 Write unit tests for data models"
    # diagnostic code -> 0-based line of the edited buffer that must carry it
    expect = {
        "missing-requirements": base + 1,
        "unknown-requirement": base + 4,
        "invalid-checkbox": base + 6,
    }
    return {
        "tasks": str(tasks),
        "outside": str(spec_project / "README.md"),
        "append": SCENARIO_APPEND,
        "expect_codes": sorted(expect),
        "expect_lines": expect,
        # ... and these LSP severities (1 = error) once the settings below are applied
        "expect_severity": {"missing-requirements": 1},
        # settings section "specmark": raise missing-requirements to error
        "settings": {"specmark": {"severity": {"missing-requirements": "error"}}},
        "completion": {"line": completion_line, "col": len(completion_line) - 1},
        "expect_labels": ["1.2", "2.1", "8.3"],
        "code_action": {
            "line": action_line,
            "title": "Mark task 2.1 not done",
            "expect": action_line.replace("[x]", "[ ]", 1),
        },
        "toggle_key": {"line": toggle_line, "expect": toggle_line.replace("[ ]", "[x]", 1)},
        # attached by the CLI's rule for a folder (it holds tasks.md / requirements.md)
        "plain_spec": [
            str(spec_project / "docs" / "user-login" / "tasks.md"),
            str(spec_project / "docs" / "user-login" / "design.md"),
        ],
        # a design.md whose folder holds no spec document: not attached
        "not_spec": str(spec_project / "notes" / "design.md"),
        # toggling a line that is not a task: the client tells the user the server's reason
        "toggle_nontask": {"line": "## Overview", "reason": "no task on line 3"},
        "timeout_ms": 30000,
        "out": str(tmp_path / "editor-result.json"),
    }

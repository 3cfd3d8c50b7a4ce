"""bench/corpus_report.py on a tiny corpus made here: counts per code and per 100 task lines,
the lines the parser did not read, malformed tokens that hold an ID, outliers, text and --json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REPORT = REPO / "bench" / "corpus_report.py"

REQ = """\
# Requirements

### Requirement 1: Sign in

#### Acceptance Criteria

1. THE system SHALL start a session
2. THE system SHALL refuse a wrong password
"""

TASKS = """\
- [ ] 1. Sign in
  - _Requirements: 1.1, 1.2_
- [ ] 2. Refuse
  - _Requirements: 1.9_
- [ ] 3. Audit
  - _Requirements: see 1.1-ish_
- [ ] 4. Log
  - _Requirements: 1.1_

| task | traces |
|---|---|
| Sign in | Requirements 1.1 |
```md
- [ ] 9. Not a task: in a code block
```
"""


def write(root: Path, rel: str, text: str) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    write(tmp_path, "alpha/requirements.md", REQ)
    write(tmp_path, "alpha/tasks.md", TASKS)
    for name in ("b1", "b2", "b3", "b4"):  # clean folders, so that alpha stands out
        write(tmp_path, f"{name}/requirements.md", REQ)
        write(
            tmp_path,
            f"{name}/tasks.md",
            "".join(f"- [ ] {i}. T\n  - _Requirements: 1.1, 1.2_\n" for i in range(1, 9)),
        )
    write(tmp_path, "gamma/task.md", TASKS)  # a plan under another name, no requirements
    write(tmp_path, "gamma/spec.md", REQ)
    return tmp_path


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPORT), *args], capture_output=True, text=True, encoding="utf-8", timeout=120
    )


def test_json_report(corpus: Path):
    proc = run(str(corpus), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    folders = {e["folder"]: e for e in report["folders"]}
    assert set(folders) == {"alpha", "b1", "b2", "b3", "b4", "gamma"}
    alpha = folders["alpha"]
    assert alpha["task_lines"] == 4
    assert alpha["by_code"]["unknown-requirement"] == 1  # 1.9
    assert alpha["by_code"]["malformed-reference"] == 1
    assert alpha["per_100_task_lines"]["unknown-requirement"] == 25.0
    assert alpha["malformed_with_ids"] == [["tasks.md", 6, "see 1.1-ish"]]
    unparsed = alpha["unparsed"]
    assert unparsed["references"] == [["tasks.md", 12, "| Sign in | Requirements 1.1 |"]]
    assert unparsed["tasks"] == []  # the fenced checkbox is code, not a missed task
    assert unparsed["definitions"] == []  # see test_unparsed_lines_whatever_the_parser_reads
    assert report["outliers"] == ["alpha"] and alpha["outlier"] and not folders["b1"]["outlier"]
    assert folders["b1"]["findings"] == 0 and folders["b1"]["density"] == 0.0
    gamma = folders["gamma"]
    assert gamma["flavor"] is None and "task.md" in gamma["layout"]
    assert report["totals"]["analysed"] == 5 and report["totals"]["task_lines"] == 4 + 4 * 8


def test_text_report(corpus: Path):
    proc = run(str(corpus), "--limit", "1")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("6 folders under ")
    assert "== alpha  [kiro] 4 task lines, 1 requirements," in out and "** OUTLIER **" in out
    assert (
        "reference-like lines not read as references: 1\n     tasks.md:12: | Sign in | Requirements 1.1 |"
        in out
    )
    assert "malformed tokens holding an ID: 1\n     tasks.md:6: 'see 1.1-ish'" in out
    assert (
        "== gamma  (no spec documents specmark reads; found spec.md, task.md)\n   layout: a plan named task.md"
        in out
    )
    assert out.rstrip().endswith("outliers (findings per 100 task lines above Q3 + 1.5 IQR): alpha")


def test_not_a_folder(tmp_path: Path):
    proc = run(str(tmp_path / "missing"))
    assert proc.returncode == 2 and "not a folder" in proc.stderr


def _report_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus_report", REPORT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_unparsed_lines_whatever_the_parser_reads():
    """The heuristics alone, on a result where the parser read one task, one reference line and
    one requirement with one criterion (plain records: independent of the parser's progress)."""
    from types import SimpleNamespace as NS

    report = _report_module()
    tasks_lines = [
        "- [ ] 1. Read",  # parsed
        "  - _Requirements: 1.1_",  # parsed
        "- [ ] 2. Missed task",
        "  - **Validates: Requirements 1.2**",
        "  - Handles 100 req/s",  # prose: not a reference
        "```",
        "- [ ] 3. In code",
        "```",
    ]
    req_lines = [
        "### Requirement 1: A",
        "1. THE system SHALL a",
        "### Requirement 2: B",
        "- **NFR-3**: fast",
        "Some prose 1.2",
    ]
    ref = NS(line=1)
    doc = NS(
        path="x/tasks.md", lines=tasks_lines, tasks=[NS(line=0, refs=[ref], depends=[])], bad_checkboxes=[]
    )
    crit = NS(line=1)
    req = NS(path="x/requirements.md", lines=req_lines, requirements=[NS(line=0, criteria=[crit])])
    got = report.unparsed(NS(tasks=[doc], requirements=req))
    assert got == {
        "tasks": [("tasks.md", 3, "- [ ] 2. Missed task")],
        "references": [("tasks.md", 4, "- **Validates: Requirements 1.2**")],
        "definitions": [
            ("requirements.md", 3, "### Requirement 2: B"),
            ("requirements.md", 4, "- **NFR-3**: fast"),
        ],
    }


def test_outliers_use_tukeys_fence():
    report = _report_module()
    assert report.outliers({"a": 0.0, "b": 5.0, "c": 6.0, "d": 7.0, "e": 80.0}) == {"e": 80.0}
    assert report.outliers({"a": 1.0, "b": 2.0, "c": 3.0}) == {}  # too few folders to say

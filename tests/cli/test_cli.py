"""The command line through a real subprocess: `python -m specmark check|status|rules`, every
output format, exit codes (0 clean or only warnings, 1 with an error-severity finding, 2 on a
usage or I/O error), --select/--ignore/--config, --version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from specmark.core.checks import RULES

REQUIREMENTS = """\
# Requirements Document

### Requirement 1: Sign in

#### Acceptance Criteria

1. WHEN a user submits valid credentials THEN the system SHALL start a session
2. WHEN the password is wrong THEN the system SHALL refuse

### Requirement 2: Sign out

#### Acceptance Criteria

1. WHEN the user signs out THEN the system SHALL end the session
"""

TASKS = """\
# Implementation Plan

- [ ] 1. Sign in 🔐
  - _Requirements: 1.1, 1.2_
- [ ] 2. Sign out 🚪 **Validates: Requirements 2.3**
"""
# the unknown ID sits after an astral emoji: UTF-16 columns would be one more than code points
BAD_LINE = TASKS.splitlines()[4]
BAD_COL = BAD_LINE.index("2.3") + 1


def specmark(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("CI", None)
    return subprocess.run(
        [sys.executable, "-m", "specmark", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=full_env,
    )


def write(root: Path, rel: str, text: str | bytes) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    write(tmp_path, ".kiro/specs/login/requirements.md", REQUIREMENTS)
    write(tmp_path, ".kiro/specs/login/tasks.md", TASKS)
    return tmp_path


@pytest.fixture()
def clean(tmp_path: Path) -> Path:
    write(
        tmp_path,
        "specs-here/ok/requirements.md",
        "### Requirement 1\n#### Acceptance Criteria\n1. WHEN x THEN y\n",
    )
    write(tmp_path, "specs-here/ok/tasks.md", "- [x] 1. Done\n  - _Requirements: 1.1_\n")
    return tmp_path


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


# --- check: formats -------------------------------------------------------------------------------


def test_check_text(project: Path):
    proc = specmark("check", cwd=project)
    assert proc.returncode == 1, proc.stderr
    req = os.path.join(".kiro", "specs", "login", "requirements.md")
    tasks = os.path.join(".kiro", "specs", "login", "tasks.md")
    assert proc.stdout.splitlines() == [
        f"{req}:10:17: warning[uncovered-requirement] Requirement 2 (Sign out) is not covered by any task; "
        "reference it (or its criteria) from tasks.md",
        f"{tasks}:5:{BAD_COL}: error[unknown-requirement] Task 2 references criterion 2.3, which requirements.md "
        "does not define; did you mean 2.1?",
        "Found 2 findings (1 error, 1 warning) in 1 spec.",
    ]
    assert proc.stderr == ""


def test_check_json(project: Path):
    proc = specmark("check", "--format", "json", cwd=project)
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert [d["code"] for d in data] == ["uncovered-requirement", "unknown-requirement"]
    unknown = data[1]
    assert unknown["path"] == os.path.join(".kiro", "specs", "login", "tasks.md")
    assert (unknown["line"], unknown["column"], unknown["end_line"], unknown["end_column"]) == (
        5,
        BAD_COL,
        5,
        BAD_COL + 3,
    )
    assert BAD_LINE[unknown["column"] - 1 : unknown["end_column"] - 1] == "2.3"  # code points, 1-based
    assert unknown["severity"] == "error"
    assert unknown["message"].startswith("Task 2 references criterion 2.3")
    assert unknown["url"].endswith("/docs/rules/unknown-requirement.md")
    assert unknown["related"][0]["line"] == 14
    for d in data:
        assert {"path", "line", "column", "end_line", "end_column", "code", "severity", "message"} <= set(d)


def test_check_json_clean_is_an_empty_list(clean: Path):
    proc = specmark("check", "--format", "json", cwd=clean)
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []


def test_check_github(project: Path):
    proc = specmark("check", "--format", "github", cwd=project)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    tasks = os.path.join(".kiro", "specs", "login", "tasks.md")
    assert lines[1] == (
        f"::error file={tasks},line=5,col={BAD_COL},endLine=5,endColumn={BAD_COL + 3},"
        "title=unknown-requirement::Task 2 references criterion 2.3, which requirements.md does not "
        "define; did you mean 2.1?"
    )
    assert lines[0].startswith("::warning file=") and "title=uncovered-requirement::" in lines[0]
    assert len(lines) == 2


def test_check_sarif(project: Path):
    proc = specmark("check", "--format", "sarif", cwd=project)
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    assert run["tool"]["driver"]["name"] == "specmark"
    assert sorted(r["id"] for r in run["tool"]["driver"]["rules"]) == sorted(RULES)
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("uncovered-requirement", "warning"),
        ("unknown-requirement", "error"),
    ]
    loc = results[1]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == ".kiro/specs/login/tasks.md"
    assert loc["region"] == {"startLine": 5, "startColumn": BAD_COL, "endLine": 5, "endColumn": BAD_COL + 3}


# --- check: exit codes ----------------------------------------------------------------------------


def test_clean_exit_0(clean: Path):
    proc = specmark("check", "specs-here", cwd=clean)
    assert proc.returncode == 0
    assert proc.stdout == "All checks passed (1 spec checked).\n"


def test_warnings_only_exit_0(project: Path):
    proc = specmark("check", "--ignore", "unknown-requirement", cwd=project)
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[-1] == "Found 1 finding (1 warning) in 1 spec."


def test_nonexistent_path_exit_2(project: Path):
    proc = specmark("check", "no-such-folder", cwd=project)
    assert proc.returncode == 2
    assert proc.stderr == "specmark: error: no-such-folder: no such file or directory\n"
    no_traceback(proc)


def test_non_utf8_file_exit_2_and_other_files_still_checked(project: Path):
    write(project, ".kiro/specs/broken/tasks.md", b"- [ ] 1. Caf\xe9 au lait\n")
    proc = specmark("check", cwd=project)
    assert proc.returncode == 2
    broken = os.path.join(".kiro", "specs", "broken", "tasks.md")
    assert proc.stderr == (
        f"specmark: error: {broken}: not valid UTF-8 (byte 0xe9 at offset 12); re-save the file as UTF-8\n"
    )
    no_traceback(proc)
    # the good spec was still checked and reported
    assert "error[unknown-requirement]" in proc.stdout
    # and the unreadable document is a finding too (tests/cli/test_unreadable.py)
    assert f"{broken}:1:13: error[unreadable-document]" in proc.stdout
    assert proc.stdout.splitlines()[-1] == (
        "Found 3 findings (2 errors, 1 warning) in 1 spec; 1 document could not be read (exit code 2)."
    )


def test_non_utf8_file_json_is_still_valid_json(project: Path):
    write(project, ".kiro/specs/broken/requirements.md", b"\xff\xfe### Requirement 1\n")
    proc = specmark("check", "--format", "json", cwd=project)
    assert proc.returncode == 2
    found = json.loads(proc.stdout)
    assert [f["code"] for f in found if f["path"].endswith("requirements.md")][:1] == ["unreadable-document"]
    assert len(found) == 3
    assert len(proc.stderr.splitlines()) == 1


def test_unknown_check_code_is_a_usage_error(project: Path):
    proc = specmark("check", "--select", "no-such-code", cwd=project)
    assert proc.returncode == 2
    assert "specmark: error: argument --select: unknown check code 'no-such-code'" in proc.stderr
    no_traceback(proc)


def test_unknown_option_is_a_usage_error(project: Path):
    proc = specmark("check", "--frobnicate", cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1].startswith("specmark: error: unrecognized arguments")


def test_missing_config_file_exit_2(project: Path):
    proc = specmark("check", "--config", "nope.toml", cwd=project)
    assert proc.returncode == 2
    assert proc.stderr == "specmark: error: nope.toml: no such config file\n"


def test_no_specs_found(tmp_path: Path):
    proc = specmark("check", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == "All checks passed (0 specs checked).\n"
    assert "no spec folders found" in proc.stderr


# --- check: select, ignore, config ------------------------------------------------------------------


def test_select(project: Path):
    proc = specmark("check", "--format", "json", "--select", "uncovered-requirement,task-order", cwd=project)
    assert [d["code"] for d in json.loads(proc.stdout)] == ["uncovered-requirement"]
    assert proc.returncode == 0


def test_ignore(project: Path):
    proc = specmark("check", "--format", "json", "--ignore", "uncovered-requirement", cwd=project)
    assert [d["code"] for d in json.loads(proc.stdout)] == ["unknown-requirement"]
    assert proc.returncode == 1


def test_explicit_config_changes_severity(project: Path):
    cfg = write(
        project, "alt.toml", '[severity]\nunknown-requirement = "warning"\nuncovered-requirement = "off"\n'
    )
    proc = specmark("check", "--format", "json", "--config", str(cfg), cwd=project)
    assert proc.returncode == 0
    assert [(d["code"], d["severity"]) for d in json.loads(proc.stdout)] == [
        ("unknown-requirement", "warning")
    ]


def test_project_config_is_found_and_bad_keys_reported(project: Path):
    write(
        project, ".specmark.toml", 'what = 1\n[severity]\nunknown-requirement = "hint"\ntypo-code = "error"\n'
    )
    proc = specmark("check", "--format", "json", cwd=project)
    assert proc.returncode == 0
    assert {d["code"]: d["severity"] for d in json.loads(proc.stdout)}["unknown-requirement"] == "hint"
    what, typo = proc.stderr.splitlines()
    assert what.startswith(
        "specmark: warning: .specmark.toml: what: unknown option; known options: exclude, "
    )
    assert typo.startswith(
        "specmark: warning: .specmark.toml: severity.typo-code: unknown check code; known codes: "
    )
    assert what.endswith("(default kept)") and typo.endswith("(default kept)")


def test_pyproject_tool_specmark(project: Path):
    write(
        project,
        "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.specmark]\nseverity = { unknown-requirement = "off" }\n',
    )
    proc = specmark("check", "--format", "json", cwd=project)
    assert proc.returncode == 0
    assert [d["code"] for d in json.loads(proc.stdout)] == ["uncovered-requirement"]


def test_check_a_single_file(project: Path):
    proc = specmark("check", "--format", "json", ".kiro/specs/login/tasks.md", cwd=project)
    assert proc.returncode == 1
    assert [d["code"] for d in json.loads(proc.stdout)] == ["uncovered-requirement", "unknown-requirement"]


# --- status -----------------------------------------------------------------------------------------


def test_status_text(project: Path):
    proc = specmark("status", cwd=project)
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        f"login  ({os.path.join('.kiro', 'specs', 'login')})",
        "  tasks         [····················] 0/2 done (0%) · 0 in progress · 2 open",
        "  ready now     1 · 1 waiting (2 on 1)",
        "  requirements  [#############·······] 2/3 covered (66%)",
        "  uncovered     2.1",
    ]


def test_status_json(project: Path):
    proc = specmark("status", "--format", "json", cwd=project)
    assert proc.returncode == 0
    (row,) = json.loads(proc.stdout)
    assert row["spec"] == "login"
    assert (row["total"], row["done"], row["open"]) == (2, 0, 2)
    assert (row["criteriaTotal"], row["criteriaCovered"], row["uncovered"]) == (3, 2, ["2.1"])
    assert row["hasRequirements"] is True
    # the ready set: without dependency information, plan order decides
    assert row["order"] == "plan order"
    path = os.path.join(".kiro", "specs", "login", "tasks.md")
    assert row["readyNow"] == [{"id": "1", "title": "Sign in 🔐", "path": path, "line": 3}]
    (waiting,) = row["waiting"]
    assert (waiting["id"], waiting["blockedBy"]) == ("2", [{"id": "1", "why": "order"}])


def test_status_ready_now_follows_dependencies(tmp_path: Path):
    write(
        tmp_path,
        "specs/p/tasks.md",
        "- [x] 1. A\n- [ ] 2. B\n  - _Depends: 3_\n- [ ] 3. C\n  - _Depends: 1_\n- [ ] 4. D\n",
    )
    proc = specmark("status", "--format", "json", "specs/p", cwd=tmp_path)
    (row,) = json.loads(proc.stdout)
    assert row["order"] == "dependencies"
    assert [e["id"] for e in row["readyNow"]] == ["3", "4"]
    assert [(e["id"], e["blockedBy"]) for e in row["waiting"]] == [("2", [{"id": "3", "why": "depends"}])]
    text = specmark("status", "specs/p", cwd=tmp_path).stdout
    assert "  ready now     3, 4 · 1 waiting (2 on 3)" in text.splitlines()


def test_status_markdown(project: Path):
    proc = specmark("status", "--format", "markdown", cwd=project)
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "| spec | tasks done | in progress | open | requirements covered | uncovered |",
        "|---|---|---|---|---|---|",
        "| login | 0/2 (0%) | 0 | 2 | 2/3 (66%) | 2.1 |",
    ]


def test_status_read_error_exit_2(project: Path):
    write(project, ".kiro/specs/broken/tasks.md", b"\xff")
    proc = specmark("status", "--format", "json", cwd=project)
    assert proc.returncode == 2
    assert [r["spec"] for r in json.loads(proc.stdout)] == ["login"]
    assert "not valid UTF-8" in proc.stderr
    no_traceback(proc)


def test_status_nonexistent_path_exit_2(tmp_path: Path):
    proc = specmark("status", "nowhere", cwd=tmp_path)
    assert proc.returncode == 2
    assert "nowhere: no such file or directory" in proc.stderr


# --- misc -------------------------------------------------------------------------------------------


def test_version(tmp_path: Path):
    from specmark import __version__

    proc = specmark("--version", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"specmark {__version__}"


def test_rules_lists_every_code(tmp_path: Path):
    proc = specmark("rules", cwd=tmp_path)
    assert proc.returncode == 0
    rows = {line.split()[0]: line for line in proc.stdout.splitlines()}
    assert list(rows) == list(RULES)
    assert " warning " in rows["missing-requirements"]
    assert "off (information)" in rows["wording-vague"]  # opt-in: off until turned on


def test_check_select_wording_runs_the_opt_in_family(tmp_path: Path):
    spec = tmp_path / ".kiro" / "specs" / "s"
    spec.mkdir(parents=True)
    (spec / "requirements.md").write_text(
        "### Requirement 1: Sign in\n\n#### Acceptance Criteria\n\n1. THE system SHALL respond quickly\n",
        encoding="utf-8",
    )
    (spec / "tasks.md").write_text("- [ ] 1. Sign in\n  - _Requirements: 1.1_\n", encoding="utf-8")
    assert specmark("check", cwd=tmp_path).stdout.startswith("All checks passed")
    proc = specmark("check", "--select", "wording", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = [(f["code"], f["line"], f["column"]) for f in json.loads(proc.stdout)]
    assert got == [("wording-vague", 5, 29)]
    (tmp_path / ".specmark.toml").write_text("wording = true\n", encoding="utf-8")
    assert "information[wording-vague]" in specmark("check", cwd=tmp_path).stdout


def test_no_command_prints_help_and_exits_2(tmp_path: Path):
    proc = specmark(cwd=tmp_path)
    assert proc.returncode == 2
    assert "usage: specmark" in proc.stdout


# --- the fast exit (cli.run ends one-shot commands with os._exit after flushing) ---------------------


def _many_findings(project: Path) -> None:
    # every task cites a criterion the requirements document does not define: one finding each
    many = "".join(f"- [ ] {n}. Task number {n}\n  - _Requirements: 1.{n + 10}_\n" for n in range(1, 3000))
    write(project, ".kiro/specs/login/tasks.md", many)


def test_fast_exit_flushes_all_output_through_a_pipe(project: Path, monkeypatch):
    """Everything `main` wrote reaches the pipe before the process ends: the whole JSON report
    (far more than one pipe buffer) equals the in-process rendering, and stderr's notes come too."""
    import contextlib
    import io

    from specmark.cli import main

    _many_findings(project)
    write(project, ".specmark.toml", "bogus-option = 1\n")
    proc = specmark("check", "--format", "json", str(project), cwd=project)
    no_traceback(proc)
    assert proc.returncode == 1 and len(proc.stdout) > 4 * 65536  # unknown-requirement errors
    assert "bogus-option: unknown option" in proc.stderr
    buf = io.StringIO()
    monkeypatch.chdir(project)  # paths are shown relative to the working folder
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", "--format", "json", str(project)])
    assert code == 1 and json.loads(proc.stdout) == json.loads(buf.getvalue())


def test_fast_exit_after_the_reader_went_away(project: Path):
    """`specmark check | head -c 10`: the reader closes the pipe early; no traceback, and the
    exit code still says what was found."""
    _many_findings(project)
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "specmark", "check", str(project)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    head = proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert len(head) == 10 and "Traceback" not in err and "Exception ignored" not in err
    assert code in (0, 1)  # 0: the write failed (BrokenPipeError) before the summary; never 120


def test_fast_exit_keeps_usage_errors_and_exit_codes(project: Path):
    assert specmark("check", str(project), cwd=project).returncode == 1
    assert specmark("check", str(project), "--ignore", "unknown-requirement", cwd=project).returncode == 0
    bad = specmark("check", "--select", "nope", cwd=project)
    assert bad.returncode == 2 and "unknown check code" in bad.stderr
    assert specmark("rules", cwd=project).stdout.startswith("missing-requirements")


def test_check_reads_design_md_references(project: Path):
    """design.md's `**Validates: Requirements …**` lines are checked like a task's references."""
    write(
        project,
        ".kiro/specs/login/design.md",
        "# Design\n\n**Validates: Requirements 1.1, 4.2**\n\n```\n**Validates: Requirements 9.9**\n```\n",
    )
    proc = specmark("check", "--select", "unknown-requirement", str(project), cwd=project)
    no_traceback(proc)
    lines = [ln for ln in proc.stdout.splitlines() if "design.md" in ln]
    assert lines == [
        ".kiro/specs/login/design.md:3:32: error[unknown-requirement] design.md references "
        "criterion 4.2, which requirements.md does not define; did you mean 1.2?"
    ]
    assert proc.returncode == 1


def test_unreadable_design_md_is_a_read_error(project: Path):
    write(project, ".kiro/specs/login/design.md", b"\xff\xfe not utf-8")
    proc = specmark("check", str(project), cwd=project)
    no_traceback(proc)
    assert proc.returncode == 2 and "design.md: not UTF-8 but UTF-16 (little-endian)" in proc.stderr
    assert "design.md:1:1: error[unreadable-document]" in proc.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("check",), ("check", "--format", "json"), ("status",), ("rules",)])
def test_output_that_cannot_be_written_is_one_line_and_exit_2(project: Path, args):
    """`specmark check > /dev/full`: the write fails (no space left on the device); one line
    says so and the exit code is 2 — no traceback, in main's print or in the final flush."""
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "specmark", *args, *([str(project)] if args[0] != "rules" else [])],
            cwd=project,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env={**os.environ, "NO_COLOR": "1"},
        )
    assert proc.returncode == 2
    assert (
        proc.stderr.strip().splitlines()[-1]
        == "specmark: error: cannot write the output: No space left on device"
    )
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert proc.stderr.count("cannot write the output") == 1


def test_serve_on_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "specmark", "serve", "--tcp", "--port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == (
        f"specmark: error: cannot listen on 127.0.0.1:{port}: the address is already in use; choose another --port"
    )
    no_traceback(proc)

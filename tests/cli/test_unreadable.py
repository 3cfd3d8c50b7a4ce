"""A spec document that cannot be read or decoded is a finding on that document in every output
format (text, json, github, sarif), the other documents are still checked, the text summary
agrees with the exit code (2), and the message says what was found (the offset of the first
byte that is not UTF-8, or a UTF-16/UTF-32 byte-order mark)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_cli import REQUIREMENTS, specmark, write

from specmark.core.project import UNREADABLE, ReadError, check_paths, describe_read_error, error_span

TASKS = """\
- [ ] 1. Sign in
  - _Requirements: 1.1, 1.2, 9.9_
- [ ] 2. Sign out
  - _Requirements: 2.1_
"""
# what some Chinese editors save: GB18030; the first byte that is not UTF-8 is after "# " (column 3)
DESIGN = "# 设计\n\n需求 1.1\n".encode("gb18030")
DESIGN_PATH = os.path.join(".kiro", "specs", "login", "design.md")
OFFSET = DESIGN.index("设".encode("gb18030"))
MESSAGE = (
    f"cannot read this document: not valid UTF-8 (byte 0x{DESIGN[OFFSET]:02x} at offset {OFFSET}); "
    "re-save the file as UTF-8"
)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    write(tmp_path, ".kiro/specs/login/requirements.md", REQUIREMENTS)
    write(tmp_path, ".kiro/specs/login/tasks.md", TASKS)
    write(tmp_path, ".kiro/specs/login/design.md", DESIGN)
    return tmp_path


def test_text_output_has_the_finding_and_a_summary_that_matches_exit_2(project: Path):
    proc = specmark("check", cwd=project)
    assert proc.returncode == 2
    out = proc.stdout.splitlines()
    assert f"{DESIGN_PATH}:1:3: error[{UNREADABLE}] {MESSAGE}" in out
    # the other documents were checked: the unknown 9.9 in tasks.md is still reported
    assert any("error[unknown-requirement]" in line and "9.9" in line for line in out)
    assert out[-1] == "Found 2 findings (2 errors) in 1 spec; 1 document could not be read (exit code 2)."
    assert "All checks passed" not in proc.stdout
    assert "Traceback" not in proc.stderr


def test_json_output_has_the_finding(project: Path):
    proc = specmark("check", "--format", "json", cwd=project)
    assert proc.returncode == 2
    found = json.loads(proc.stdout)
    (bad,) = [f for f in found if f["code"] == UNREADABLE]
    assert bad["path"] == DESIGN_PATH and bad["severity"] == "error" and bad["message"] == MESSAGE
    assert (bad["line"], bad["column"]) == (1, 3)
    assert any(f["code"] == "unknown-requirement" for f in found)


def test_github_output_has_the_finding(project: Path):
    proc = specmark("check", "--format", "github", cwd=project)
    assert proc.returncode == 2
    lines = [ln for ln in proc.stdout.splitlines() if f"title={UNREADABLE}" in ln]
    assert lines == [
        f"::error file={DESIGN_PATH},line=1,col=3,endLine=1,endColumn=4,title={UNREADABLE}::{MESSAGE}"
    ]


def test_sarif_output_has_the_finding_and_its_rule(project: Path):
    proc = specmark("check", "--format", "sarif", cwd=project)
    assert proc.returncode == 2
    run = json.loads(proc.stdout)["runs"][0]
    (bad,) = [r for r in run["results"] if r["ruleId"] == UNREADABLE]
    assert bad["level"] == "error" and bad["message"]["text"] == MESSAGE
    loc = bad["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == DESIGN_PATH.replace(os.sep, "/")
    assert loc["region"]["startLine"] == 1 and loc["region"]["startColumn"] == 3
    assert UNREADABLE in [rule["id"] for rule in run["tool"]["driver"]["rules"]]


def test_a_spec_whose_every_document_is_unreadable_still_reports_each(tmp_path: Path):
    write(tmp_path, ".kiro/specs/x/tasks.md", "- [ ] 1. Tâche\n".encode("latin-1"))
    write(tmp_path, ".kiro/specs/x/requirements.md", "# Exigences\n".encode("utf-16"))
    proc = specmark("check", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2
    got = {(os.path.basename(f["path"]), f["line"], f["column"]) for f in json.loads(proc.stdout)}
    assert got == {("tasks.md", 1, 11), ("requirements.md", 1, 1)}
    text = specmark("check", cwd=tmp_path)
    assert text.stdout.splitlines()[-1] == (
        "Found 2 findings (2 errors) in 0 specs; 2 documents could not be read (exit code 2)."
    )


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        ("# R\n".encode("utf-16-le"), None),  # no mark: NUL bytes are valid UTF-8, nothing to say
        (
            b"\xff\xfe#\x00",
            "not UTF-8 but UTF-16 (little-endian): the file starts with that byte-order mark (ff fe)",
        ),
        (
            b"\xfe\xff\x00#",
            "not UTF-8 but UTF-16 (big-endian): the file starts with that byte-order mark (fe ff)",
        ),
        (
            b"\xff\xfe\x00\x00#\x00\x00\x00",
            "not UTF-8 but UTF-32 (little-endian): the file starts with that byte-order mark (ff fe 00 00)",
        ),
        (b"ok\n\xef\xbb\xbfab\xe9", "not valid UTF-8 (byte 0xe9 at offset 8)"),
    ],
)
def test_what_was_detected(data: bytes, detected: str | None):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        assert describe_read_error(exc).startswith(detected)
    else:
        assert detected is None


def test_the_span_is_the_first_bad_byte():
    for data, span in [
        (b"abc\xe9", (0, 3)),
        (b"\xef\xbb\xbfabc\xe9", (0, 3)),  # the UTF-8 byte-order mark is not a column
        ("line\né\n".encode() + b"\x80", (2, 0)),
        ("é ü".encode() + b"\xc3", (0, 3)),
        (b"\xff\xfeabc", (0, 0)),
    ]:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            got = error_span(exc)
            assert (got.line, got.col) == span, data


def test_check_paths_keeps_the_span_on_document_errors_only(project: Path):
    res = check_paths([str(project / "no-such-folder"), str(project)])
    spans = {os.path.basename(e.path): e.span for e in res.read_errors}
    assert spans["no-such-folder"] is None  # not a document: stderr only, as before
    assert (spans["design.md"].line, spans["design.md"].col) == (0, 2)
    assert isinstance(res.read_errors[0], ReadError)


def test_the_summary_never_says_all_passed_beside_exit_2(tmp_path: Path):
    write(tmp_path, ".kiro/specs/ok/tasks.md", "- [ ] 1. Fine\n  - _Requirements: 1.1, 1.2, 2.1_\n")
    write(tmp_path, ".kiro/specs/ok/requirements.md", REQUIREMENTS)
    proc = specmark("check", ".", "no-such-folder", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout.splitlines()[-1] == (
        "No findings in 1 spec; 1 other path could not be read (exit code 2)."
    )
    write(tmp_path, ".kiro/specs/ok/design.md", b"\xff\xfe#")
    proc = specmark("check", ".", "no-such-folder", cwd=tmp_path)
    assert proc.stdout.splitlines()[-1] == (
        "Found 1 finding (1 error) in 1 spec; 1 document and 1 other path could not be read (exit code 2)."
    )

"""`specmark set` / `done` / `start`: one glyph changes, written safely, or a clear refusal."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys

import jsonschema
import pytest
from agentspecs import KIRO_TASKS, SPEC_KIT_SPEC, SPEC_KIT_TASKS, write_spec

from specmark import cli
from specmark.agents import schema


def run(capsys, *args: str):
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def one_glyph_apart(a: bytes, b: bytes) -> tuple[int, bytes, bytes]:
    assert len(a) == len(b), "the size changed"
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    assert len(diff) == 1, diff
    i = diff[0]
    return i, a[i : i + 1], b[i : i + 1]


@pytest.mark.parametrize("newline, bom", [("\n", False), ("\r\n", False), ("\r\n", True), ("\n", True)])
def test_set_changes_one_byte(tmp_path, capsys, newline, bom):
    path = write_spec(tmp_path, "auth", KIRO_TASKS, newline=newline, bom=bom)
    before = path.read_bytes()
    code, out, err = run(capsys, "set", "2.2", "done", str(tmp_path))
    assert code == 0, err
    after = path.read_bytes()
    i, old, new = one_glyph_apart(before, after)
    assert (old, new) == (b" ", b"x")
    assert after[i - 1 : i + 3] == b"[x]*"  # the optional marker stays
    assert hashlib.sha256(after).hexdigest() in out
    assert "1/5 → 2/5 tasks done" in out
    code, out, _ = run(capsys, "start", "2.1", str(tmp_path))
    assert code == 0 and "[ ] → [-]" in out
    _, old, new = one_glyph_apart(after, path.read_bytes())
    assert (old, new) == (b" ", b"-")
    code, out, _ = run(capsys, "set", "2.1", "open", str(tmp_path))
    assert code == 0 and path.read_bytes() == after


def test_json_record_and_idempotence(tmp_path, capsys):
    path = write_spec(tmp_path, "auth", KIRO_TASKS)
    code, out, _ = run(capsys, "done", "3", str(path), "--format", "json")
    rec = json.loads(out)
    jsonschema.validate(rec, schema.SET)
    assert rec["changed"] and rec["from"] == "todo" and rec["to"] == "done"
    assert rec["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    code, out, _ = run(capsys, "done", "3", str(path), "--format", "json")
    rec = json.loads(out)
    assert code == 0 and rec["changed"] is False and path.stat().st_mtime_ns == mtime


def test_keeps_mode_and_done_habit(tmp_path, capsys):
    path = write_spec(tmp_path, "auth", KIRO_TASKS.replace("- [x] 1.", "- [X] 1."))
    os.chmod(path, 0o640)
    run(capsys, "done", "3", str(tmp_path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "- [X] 3." in path.read_text()  # the file's own done glyph
    assert not [p for p in path.parent.iterdir() if "specmark-tmp" in p.name]


def test_hash_precondition(tmp_path, capsys):
    path = write_spec(tmp_path, "auth", KIRO_TASKS)
    good = hashlib.sha256(path.read_bytes()).hexdigest()
    code, _, err = run(capsys, "done", "3", str(tmp_path), "--expect-hash", "0" * 64)
    assert code == 3 and "changed since it was read" in err and good in err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == good
    code, out, _ = run(capsys, "done", "3", str(tmp_path), "--expect-hash", good.upper())
    assert code == 0 and hashlib.sha256(path.read_bytes()).hexdigest() in out


def test_unknown_and_duplicate_ids(tmp_path, capsys):
    text = KIRO_TASKS + "\n- [ ] 3. Again\n"
    path = write_spec(tmp_path, "auth", text)
    before = path.read_bytes()
    code, _, err = run(capsys, "done", "9", str(tmp_path))
    assert code == 2 and "no task with ID '9'" in err
    code, _, err = run(capsys, "done", "2.3", str(tmp_path))
    assert code == 2 and "did you mean" in err
    code, _, err = run(capsys, "done", "3", str(tmp_path))
    assert code == 2 and "ambiguous" in err and "@14" in err and "@17" in err
    assert path.read_bytes() == before
    code, out, _ = run(capsys, "done", "@17", str(tmp_path))
    assert code == 0 and path.read_text().endswith("- [x] 3. Again\n")


def test_status_the_convention_lacks(tmp_path, capsys):
    path = write_spec(tmp_path, "001-auth", SPEC_KIT_TASKS, reqs=SPEC_KIT_SPEC, kind="spec-kit")
    before = path.read_bytes()
    code, _, err = run(capsys, "start", "T002", str(tmp_path))
    assert code == 2 and "no in-progress checkbox" in err
    assert path.read_bytes() == before
    code, _, _ = run(capsys, "done", "T002", str(tmp_path))
    assert "- [x] T002" in path.read_text()  # the file's own habit (T001)


def test_heading_task_refused(tmp_path, capsys):
    from agentspecs import HEADING_TASKS

    write_spec(tmp_path, "auth", HEADING_TASKS)
    code, _, err = run(capsys, "done", "1", str(tmp_path))
    assert code == 2 and "heading task" in err


def test_parent_done_with_open_subtasks_warns(tmp_path, capsys):
    path = write_spec(tmp_path, "auth", KIRO_TASKS)
    code, out, err = run(capsys, "done", "2", str(tmp_path))
    assert code == 0 and "warning" in err and "2.1, 2.2" in err
    assert "- [ ] 2.1" in path.read_text() and "- [x] 2. " in path.read_text()


def test_read_only_file(tmp_path, capsys):
    path = write_spec(tmp_path, "auth", KIRO_TASKS)
    before = path.read_bytes()
    os.chmod(path, 0o444)
    try:
        code, _, err = run(capsys, "done", "3", str(tmp_path))
        assert code == 2 and "read-only" in err
        assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == 0o444
    finally:
        os.chmod(path, 0o644)


def test_not_utf8(tmp_path, capsys):
    path = write_spec(tmp_path, "auth", KIRO_TASKS)
    data = path.read_bytes().replace(b"Check credentials", b"Check cr\xe9dentials")
    path.write_bytes(data)
    code, _, err = run(capsys, "done", "3", str(tmp_path))
    assert code == 2 and "not valid UTF-8" in err and "0xe9" in err
    assert path.read_bytes() == data


def test_several_specs_need_spec(tmp_path, capsys):
    write_spec(tmp_path, "a", KIRO_TASKS)
    b = write_spec(tmp_path, "b", KIRO_TASKS)
    code, _, err = run(capsys, "done", "3", str(tmp_path))
    assert code == 2 and "--spec" in err
    code, _, _ = run(capsys, "done", "3", str(tmp_path), "--spec", "b")
    assert code == 0 and "- [x] 3." in b.read_text()


def test_symlinked_tasks_file_stays_a_link(tmp_path, capsys):
    real = write_spec(tmp_path / "real", "auth", KIRO_TASKS)
    folder = tmp_path / "proj" / ".kiro" / "specs" / "auth"
    folder.mkdir(parents=True)
    (folder / "tasks.md").symlink_to(real)
    code, _, err = run(capsys, "done", "3", str(folder / "tasks.md"))
    assert code == 0, err
    assert (folder / "tasks.md").is_symlink() and "- [x] 3." in real.read_text()


WRITER = """
import sys
from specmark.agents.setstatus import set_task_status
path, ids = sys.argv[1], sys.argv[2].split(",")
for ident in ids:
    set_task_status(path, ident, "done")
"""


def test_concurrent_writers_lose_nothing(tmp_path):
    n = 60
    tasks = "# Plan\n\n" + "".join(f"- [ ] {i}. Task {i}\n  - _Requirements: 1.1_\n" for i in range(1, n + 1))
    path = write_spec(tmp_path, "auth", tasks)
    odd = ",".join(str(i) for i in range(1, n + 1, 2))
    even = ",".join(str(i) for i in range(2, n + 1, 2))
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), ids], stderr=subprocess.PIPE)
        for ids in (odd, even)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    text = path.read_text()
    assert text.count("- [x]") == n and "- [ ]" not in text
    assert text == tasks.replace("- [ ]", "- [x]")


def test_a_failed_write_is_reported_and_leaves_the_file(tmp_path, capsys, monkeypatch):
    path = write_spec(tmp_path, "auth", KIRO_TASKS)
    before = path.read_bytes()
    from specmark.agents import setstatus

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(setstatus, "atomic_write", refuse)
    code, _, err = run(capsys, "done", "3", str(tmp_path))
    assert code == 2 and "Permission denied" in err and "unchanged" in err
    assert path.read_bytes() == before

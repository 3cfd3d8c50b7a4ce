"""`specmark next`: the task to work on next, on every convention, as text, Markdown and JSON
(validated against the documented schema)."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest
from agentspecs import (
    DEPENDS_TASKS,
    DESIGN,
    HEADING_TASKS,
    KIRO_TASKS,
    OPENSPEC_TASKS,
    SPEC_KIT_SPEC,
    SPEC_KIT_TASKS,
    write_spec,
)

from specmark import cli
from specmark.agents import schema


def run_next(capsys, *args: str):
    code = cli.main(["next", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def next_json(capsys, *args: str) -> tuple[int, dict]:
    code, out, err = run_next(capsys, *args, "--format", "json")
    assert err == "" or "warning" in err, err
    record = json.loads(out)
    jsonschema.validate(record, schema.NEXT)
    return code, record


def test_kiro_next_task_brief(tmp_path, capsys):
    write_spec(tmp_path, "auth", KIRO_TASKS, design=DESIGN)
    code, rec = next_json(capsys, str(tmp_path))
    assert code == 0 and rec["state"] == "found"
    task = rec["task"]
    assert (task["ref"], task["title"], task["status"]) == ("2.1", "Check credentials", "todo")
    assert [p["id"] for p in task["parents"]] == ["2"]
    assert task["files"] == ["src/auth/store.py", "src/auth/hash.py"]
    crit = {r["id"]: r for r in task["requirements"]}
    assert set(crit) == {"1.1", "1.2"}
    # the criterion's continuation line is part of its full text
    assert crit["1.2"]["text"].endswith("refuse the sign-in\nand show an error")
    assert crit["1.2"]["requirementTitle"] == "Sign in"
    assert [d["heading"] for d in task["design"]] == ["Property 1: Wrong passwords never start a session"]
    assert "**Validates: Requirements 1.2**" in task["design"][0]["text"]
    assert rec["progress"] == {"done": 1, "total": 5}
    assert rec["spec"]["name"] == "auth" and rec["spec"]["chosen"] == "the only spec"
    assert rec["tasksFiles"][0]["sha256"] and len(rec["tasksFiles"][0]["sha256"]) == 64


def test_text_and_markdown_formats(tmp_path, capsys):
    write_spec(tmp_path, "auth", KIRO_TASKS, design=DESIGN)
    code, out, _ = run_next(capsys, str(tmp_path))
    assert code == 0
    assert "Next: 2.1 Check credentials" in out and "spec auth" in out
    assert "1.2 (Sign in): WHEN a user submits a wrong password" in out
    code, out, _ = run_next(capsys, str(tmp_path), "--format", "markdown")
    assert out.startswith("# Next task in spec `auth`")
    assert "## Task 2.1: Check credentials" in out and "### Design" in out


def test_optional_task_and_parent_closing(tmp_path, capsys):
    text = KIRO_TASKS.replace("- [ ] 2.1", "- [x] 2.1")
    write_spec(tmp_path, "auth", text)
    _, rec = next_json(capsys, str(tmp_path))
    assert rec["task"]["ref"] == "2.2" and rec["task"]["optional"] is True
    text = text.replace("- [ ]* 2.2", "- [x]* 2.2")
    write_spec(tmp_path, "auth", text)
    _, rec = next_json(capsys, str(tmp_path))
    # every sub-task of 2 is done: closing 2 itself is the unit of work
    assert rec["task"]["ref"] == "2" and [s["status"] for s in rec["task"]["subtasks"]] == ["done", "done"]


@pytest.mark.parametrize("newline, bom", [("\r\n", False), ("\n", True), ("\r\n", True)])
def test_crlf_and_bom(tmp_path, capsys, newline, bom):
    write_spec(tmp_path, "auth", KIRO_TASKS, design=DESIGN, newline=newline, bom=bom)
    _, rec = next_json(capsys, str(tmp_path))
    assert rec["task"]["ref"] == "2.1"
    assert {r["id"] for r in rec["task"]["requirements"]} == {"1.1", "1.2"}


def test_spec_kit_parallel_group(tmp_path, capsys):
    write_spec(tmp_path, "001-auth", SPEC_KIT_TASKS, reqs=SPEC_KIT_SPEC, kind="spec-kit")
    _, rec = next_json(capsys, str(tmp_path))
    assert rec["spec"]["flavor"] == "spec-kit"
    assert rec["task"]["ref"] == "T002" and rec["task"]["files"] == [".ruff.toml"]
    _, rec = next_json(capsys, str(tmp_path), "--all-ready")
    # T002 and T003 are marked [P]: both can start; T004 follows them
    assert [t["ref"] for t in rec["ready"]] == ["T002", "T003"]


def test_openspec_heading_tasks(tmp_path, capsys):
    write_spec(tmp_path, "add-skill", OPENSPEC_TASKS, reqs=None, kind="openspec")
    _, rec = next_json(capsys, str(tmp_path))
    assert rec["task"]["ref"] == "1.2"
    assert rec["task"]["parents"] == [{"ref": "1", "id": "1", "title": "The update skill", "status": "todo"}]


def test_kiro_heading_tasks(tmp_path, capsys):
    write_spec(tmp_path, "auth", HEADING_TASKS)
    _, rec = next_json(capsys, str(tmp_path))
    assert rec["task"]["ref"] == "1.2"
    assert rec["task"]["requirements"][0]["id"] == "1.1"


def test_depends_and_all_ready(tmp_path, capsys):
    write_spec(tmp_path, "auth", DEPENDS_TASKS)
    _, rec = next_json(capsys, str(tmp_path), "--all-ready")
    # 2 waits on 1; 1 and 3 declare nothing to wait for
    assert [t["ref"] for t in rec["ready"]] == ["1", "3"]
    assert rec["task"]["ref"] == "1"
    write_spec(
        tmp_path, "auth", DEPENDS_TASKS.replace("- [ ] 1.", "- [-] 1.").replace("- [ ] 3.", "- [x] 3.")
    )
    code, rec = next_json(capsys, str(tmp_path), "--all-ready")
    assert code == 0 and rec["ready"] == [] and [t["ref"] for t in rec["inProgress"]] == ["1"]
    write_spec(tmp_path, "auth", DEPENDS_TASKS.replace("- [ ] 1.", "- [x] 1."))
    _, rec = next_json(capsys, str(tmp_path))
    assert rec["task"]["ref"] == "2"
    assert rec["task"]["dependsOn"] == [{"ref": "1", "id": "1", "title": "Database schema", "status": "done"}]


def test_waiting_and_complete_exit_codes(tmp_path, capsys):
    write_spec(
        tmp_path, "auth", DEPENDS_TASKS.replace("- [ ] 1.", "- [~] 1.").replace("- [ ] 3.", "- [x] 3.")
    )
    # 1 is queued (ready), so make it wait instead: 1 depends on 2
    text = DEPENDS_TASKS.replace("- [ ] 3.", "- [x] 3.").replace(
        "  - _Requirements: 1.1_\n- [ ] 2.", "  - _Depends: 2_\n  - _Requirements: 1.1_\n- [ ] 2."
    )
    write_spec(tmp_path, "auth", text)
    code, rec = next_json(capsys, str(tmp_path))
    assert code == 1 and rec["state"] == "waiting" and rec["task"] is None
    assert {w["ref"]: w["waitingOn"] for w in rec["waiting"]} == {"1": ["2"], "2": ["1"]}
    write_spec(tmp_path, "auth", DEPENDS_TASKS.replace("[ ]", "[x]"))
    code, rec = next_json(capsys, str(tmp_path))
    assert code == 1 and rec["state"] == "complete"
    code, out, _ = run_next(capsys, str(tmp_path))
    assert code == 1 and "Nothing left to do" in out


def test_several_specs(tmp_path, capsys):
    write_spec(tmp_path, "a-done", DEPENDS_TASKS.replace("[ ]", "[x]"))
    write_spec(tmp_path, "b-open", KIRO_TASKS)
    write_spec(tmp_path, "c-busy", DEPENDS_TASKS.replace("- [ ] 3.", "- [-] 3."))
    _, rec = next_json(capsys, str(tmp_path))
    assert rec["spec"]["name"] == "c-busy" and rec["spec"]["chosen"] == "has work in progress"
    assert rec["task"]["ref"] == "1"
    _, rec = next_json(capsys, str(tmp_path), "--spec", "b-open")
    assert rec["spec"]["chosen"] == "named with --spec" and rec["task"]["ref"] == "2.1"
    code, out, err = run_next(capsys, str(tmp_path), "--spec", "nope")
    assert code == 2 and "no spec named 'nope'" in err and "b-open" in err


def test_errors_exit_2(tmp_path, capsys):
    code, _, err = run_next(capsys, str(tmp_path / "missing"))
    assert code == 2 and "no such file or directory" in err
    code, _, err = run_next(capsys, str(tmp_path))
    assert code == 2 and "no spec with a tasks document" in err


def test_examples_and_test_workspace(repo_root, tmp_path, capsys):
    """Every spec shipped in examples/ and the language-server tests' workspace."""
    for folder in [*sorted((repo_root / "examples").iterdir()), repo_root / "tests/lsp/workspace"]:
        if not folder.is_dir():
            continue
        code, rec = next_json(capsys, str(folder))
        assert code in (0, 1), folder
        if code == 0:
            assert rec["task"]["status"] != "done"
    _, rec = next_json(capsys, str(repo_root / "examples" / "user-login"))
    task = rec["task"]
    assert task["ref"] == "2.2" and task["optional"]
    assert task["design"][0]["cites"] == ["1.2"]
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_unreadable_tasks_and_config_warning(tmp_path, capsys):
    path = write_spec(tmp_path, "auth", KIRO_TASKS)
    (tmp_path / ".specmark.toml").write_text('require-references = "sometimes"\n')
    code, out, err = run_next(capsys, str(tmp_path))
    assert code == 0 and "specmark: warning:" in err and "require-references" in err
    path.write_bytes(path.read_bytes().replace(b"Check credentials", b"Check cr\xe9dentials"))
    code, out, err = run_next(capsys, str(tmp_path))
    assert code == 2 and "not valid UTF-8" in err and out == ""


WAVES_TASKS = """\
# Implementation Plan

- [ ] 1. Database schema
  - _Requirements: 1.1_
- [ ] 2. API handlers
  - _Requirements: 1.2_
- [ ] 3. Sign-out button
  - _Requirements: 2.1_

## Task Dependency Graph

```json
{"waves": [{"id": 0, "tasks": ["1", "3"]}, {"id": 1, "tasks": ["2"]}]}
```
"""


def test_dependency_graph_waves(tmp_path, capsys):
    write_spec(tmp_path, "auth", WAVES_TASKS)
    _, rec = next_json(capsys, str(tmp_path), "--all-ready")
    assert [t["ref"] for t in rec["ready"]] == ["1", "3"]
    write_spec(tmp_path, "auth", WAVES_TASKS.replace("- [ ] 1.", "- [x] 1.").replace("- [ ] 3.", "- [-] 3."))
    code, rec = next_json(capsys, str(tmp_path))
    # 3 is in progress (resumed first); 2 waits on wave 0, where 3 is still open
    assert rec["task"]["ref"] == "3"
    _, rec = next_json(capsys, str(tmp_path), "--all-ready")
    assert rec["ready"] == [] and [t["ref"] for t in rec["inProgress"]] == ["3"]


def test_unreadable_requirements_do_not_stop_the_plan(tmp_path, capsys):
    path = write_spec(tmp_path, "auth", KIRO_TASKS, design=DESIGN)
    req = path.parent / "requirements.md"
    req.write_bytes(req.read_bytes() + b"\xff\n")
    code, out, err = run_next(capsys, str(tmp_path), "--format", "json")
    rec = json.loads(out)
    jsonschema.validate(rec, schema.NEXT)
    assert code == 0 and rec["task"]["ref"] == "2.1" and rec["task"]["requirements"] == []
    assert "not valid UTF-8" in rec["warnings"][0] and "specmark: warning:" in err
    code, out, err = run(capsys, "done", "2.1", str(tmp_path))
    assert code == 0 and "- [x] 2.1" in path.read_text()


def run(capsys, *args):
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_files_named_prefers_silence():
    from specmark.core.features.next import files_named

    lines = [
        "- _Leverage: src/a.py, lib/b (the old one)_",
        "- Store it with `SessionStore.create` and `session.id`, e.g. `e.g`",
        "- Edit `config/settings.yaml`, `README.md` and `https://example.com/x.py`",
        "- **File**: scripts/run.sh",
        "- File: none",
    ]
    assert files_named(lines) == ["src/a.py", "lib/b", "config/settings.yaml", "README.md", "scripts/run.sh"]

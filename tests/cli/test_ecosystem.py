"""specmark in the command-line ecosystem, with the real tools: the pre-commit hook
(.pre-commit-hooks.yaml, installed by pre-commit from a local clone into a git repository), the
composite GitHub Action's shell steps (action.yml, run the way the runner runs them), and
`pipx install .` / `uv tool install .` from a clone.

pre-commit, pipx and uv come with the test extra; a missing one skips its test, except under
CI=true, where it fails. Each test installs specmark into a fresh environment (network or a
package index is needed for its dependencies).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(900)

REQUIREMENTS = """# Requirements Document

## Requirements

### Requirement 1: Sign in

#### Acceptance Criteria

1. WHEN a user submits valid credentials THE system SHALL start a session
2. WHEN a user submits a wrong password THE system SHALL show an error
"""

TASKS_OK = """# Implementation Plan

- [ ] 1. Build the sign-in form
  - _Requirements: 1.1, 1.2_
"""

TASKS_BAD = TASKS_OK.replace("1.1, 1.2", "1.1, 1.2, 1.9")  # unknown-requirement: an error


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        msg = f"{name} is not installed (it is in the test extra: pip install -e '.[test]')"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return found


def _run(cmd, cwd: Path, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env or os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = _run(["git", *args], cwd, env or {**os.environ, **GIT_ENV})
    return proc


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> tuple[Path, str]:
    """A clone of this checkout as it is now (tracked and new files, not ignored ones), as one
    commit: (path, commit id)."""
    _tool("git")
    dest = tmp_path_factory.mktemp("clone") / "specmark"
    listed = _run(["git", "ls-files", "-co", "--exclude-standard", "-z"], REPO).stdout.split("\0")
    for rel in filter(None, listed):
        src = REPO / rel
        if src.is_file() and not src.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    assert (dest / ".pre-commit-hooks.yaml").is_file() and (dest / "action.yml").is_file()
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        proc = _git(dest, *args)
        assert proc.returncode == 0, proc.stderr
    sha = _git(dest, "rev-parse", "HEAD").stdout.strip()
    return dest, sha


def _spec(root: Path, name: str, tasks: str) -> Path:
    folder = root / ".kiro" / "specs" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "requirements.md").write_text(REQUIREMENTS)
    (folder / "tasks.md").write_text(tasks)
    return folder


# ---- pre-commit ---------------------------------------------------------------------------------


def test_pre_commit_hook_blocks_an_error_and_checks_only_changed_specs(clone, tmp_path):
    pre_commit = _tool("pre-commit")
    hook_repo, sha = clone
    project = tmp_path / "project"
    project.mkdir()
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    assert _git(project, "init", "-q", "-b", "main", env=env).returncode == 0
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {sha}\n    hooks:\n      - id: specmark\n"
    )
    install = _run([pre_commit, "install"], project, env)
    assert install.returncode == 0, install.stdout + install.stderr
    # an older spec with an error finding, committed without the hook: not checked again
    _spec(project, "legacy", TASKS_BAD)
    _git(project, "add", "-A", env=env)
    assert _git(project, "commit", "-q", "--no-verify", "-m", "legacy", env=env).returncode == 0

    # a change that brings an error: the commit is refused, the finding is shown
    login = _spec(project, "login", TASKS_BAD)
    _git(project, "add", "-A", env=env)
    blocked = _git(project, "commit", "-m", "login", env=env)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "unknown-requirement" in out and "login/tasks.md" in out, out
    assert "legacy" not in out, out  # only the specs of the changed files are checked
    assert _git(project, "rev-list", "--count", "HEAD", env=env).stdout.strip() == "1"

    # fixed: the commit goes through
    (login / "tasks.md").write_text(TASKS_OK)
    _git(project, "add", "-A", env=env)
    allowed = _git(project, "commit", "-m", "login", env=env)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "specmark" in allowed.stdout + allowed.stderr  # the hook ran (and passed)
    assert _git(project, "rev-list", "--count", "HEAD", env=env).stdout.strip() == "2"

    # only design.md changed: its spec is checked whole (not design.md read as a task list)
    (login / "design.md").write_text("# Design\n\n**Validates: Requirements 1.7**\n")
    _git(project, "add", "-A", env=env)
    blocked = _git(project, "commit", "-m", "design", env=env)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "design.md" in out and "unknown-requirement" in out, out
    assert "uncovered-requirement" not in out, out


# ---- the GitHub Action --------------------------------------------------------------------------

_EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def _expand(value: str, context: dict[str, str]) -> str:
    """GitHub's ${{ … }} substitution, for the expressions action.yml uses (any other fails)."""

    def one(m: re.Match) -> str:
        assert m.group(1) in context, f"action.yml uses an expression this test does not know: {m.group(0)}"
        return context[m.group(1)]

    return _EXPR.sub(one, value)


def _run_action(action: dict, inputs: dict[str, str], workspace: Path, runner_temp: Path) -> list:
    """Run the composite action's steps as the runner does: each `run` through
    `bash --noprofile --norc -eo pipefail FILE` with the step's env, GITHUB_OUTPUT / GITHUB_PATH
    files, paths added by earlier steps, and the working directory at the workspace."""
    values = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    values.update(inputs)
    context = {f"inputs.{k}": v for k, v in values.items()}
    context.update({"github.action_path": str(REPO), "runner.temp": str(runner_temp)})
    added_path: list[str] = []
    results = []
    for i, step in enumerate(action["runs"]["steps"]):
        assert step["shell"] == "bash" and "uses" not in step
        script = runner_temp / f"step{i}.sh"
        script.write_text(_expand(step["run"], context))
        output = runner_temp / f"output{i}"
        path_file = runner_temp / f"path{i}"
        output.write_text("")
        path_file.write_text("")
        env = {
            **os.environ,
            **{k: _expand(str(v), context) for k, v in step.get("env", {}).items()},
            "GITHUB_OUTPUT": str(output),
            "GITHUB_PATH": str(path_file),
            "GITHUB_WORKSPACE": str(workspace),
            "RUNNER_TEMP": str(runner_temp),
            "GITHUB_ACTIONS": "true",
        }
        env.pop("VIRTUAL_ENV", None)
        env["PATH"] = os.pathsep.join([*added_path, env["PATH"]])
        proc = _run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], workspace, env)
        added_path = [p for p in path_file.read_text().splitlines() if p] + added_path
        outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        results.append((step["name"], proc, outputs))
        if proc.returncode != 0:
            break
    return results


def test_action_steps_install_annotate_and_write_sarif(tmp_path):
    yaml = pytest.importorskip("yaml")
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    workspace = tmp_path / "ws"
    _spec(workspace, "login", TASKS_BAD)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()

    results = _run_action(action, {"sarif": "results/specmark.sarif"}, workspace, runner_temp)
    names = [r[0] for r in results]
    assert names == ["Install specmark", "Write SARIF", "Check specs"], [
        (n, p.returncode, p.stdout[-2000:], p.stderr[-2000:]) for n, p, _ in results
    ]
    install, sarif, check = results
    assert install[1].returncode == 0 and install[1].stdout.startswith("specmark "), install[1].stderr
    # SARIF written even though there are error findings, and named as the action's output
    assert sarif[1].returncode == 0, sarif[1].stderr
    assert sarif[2] == {"file": "results/specmark.sarif"}
    report = json.loads((workspace / "results" / "specmark.sarif").read_text())
    assert report["version"] == "2.1.0"
    assert any(r["ruleId"] == "unknown-requirement" for r in report["runs"][0]["results"])
    # annotations, and the step fails on an error finding
    assert check[1].returncode == 1, check[1].stderr
    assert re.search(
        r"^::error file=\.kiro/specs/login/tasks\.md,line=4,.*title=unknown-requirement::",
        check[1].stdout,
        re.M,
    ), check[1].stdout

    # fixed, and without SARIF: the step passes, no file is named
    (workspace / ".kiro" / "specs" / "login" / "tasks.md").write_text(TASKS_OK)
    again = _run_action(action, {"paths": ".kiro/specs"}, workspace, runner_temp)
    assert [r[1].returncode for r in again] == [0, 0, 0], [(n, p.stderr) for n, p, _ in again]
    assert again[1][2] == {"file": ""}
    assert "::error" not in again[2][1].stdout


# ---- pipx / uv ----------------------------------------------------------------------------------


def _check_installed(specmark: Path, tmp_path: Path) -> None:
    assert specmark.is_file(), specmark
    version = _run([specmark, "--version"], tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("specmark "), version.stderr
    spec = _spec(tmp_path / "p", "login", TASKS_BAD)
    proc = _run([specmark, "check", spec], tmp_path)
    assert proc.returncode == 1 and "unknown-requirement" in proc.stdout, proc.stdout + proc.stderr


def _install_and_check(cmd: list, src: Path, dirs: dict[str, str], tmp_path: Path, **env_vars: str) -> None:
    """Install with `cmd` in `src` (outside this virtual environment; `dirs`: the installer's
    variables naming folders, under tmp_path, with bin/ the one it links commands in), then
    check the installed command."""
    env = {**os.environ, **{k: str(tmp_path / v) for k, v in dirs.items()}, **env_vars}
    env.pop("VIRTUAL_ENV", None)
    proc = _run(cmd, src, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _check_installed(tmp_path / "bin" / "specmark", tmp_path)


def test_pipx_install_from_a_clone(clone, tmp_path):
    pipx = _tool("pipx")
    src, _ = clone
    dirs = {"PIPX_HOME": "pipx", "PIPX_BIN_DIR": "bin", "PIPX_MAN_DIR": "man"}
    _install_and_check([pipx, "install", "."], src, dirs, tmp_path)


def test_uv_tool_install_from_a_clone(clone, tmp_path):
    uv = _tool("uv")
    src, _ = clone
    dirs = {"UV_TOOL_DIR": "tools", "UV_TOOL_BIN_DIR": "bin"}
    cmd = [uv, "tool", "install", "--python", sys.executable, "."]
    _install_and_check(cmd, src, dirs, tmp_path, UV_PYTHON_DOWNLOADS="never")

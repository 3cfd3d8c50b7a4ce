"""Shared fixtures for the real-editor tests (tests/editors/test_*.py).

These tests start a real editor (Neovim, Emacs) as a subprocess with a hard
timeout; the editor starts the real specmark server with
``[sys.executable, "-m", "specmark", "serve"]``.  A missing editor skips the
test, except under CI=true where it fails (CI must install the editors with
``editors/install-deps.sh``).  The project and the scenario the editors play
are built by editor_scenario.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from editor_scenario import make_scenario, make_spec_project


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _require_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        msg = f"{name} not installed: run editors/install-deps.sh"
        if in_ci():
            pytest.fail(msg)
        pytest.skip(msg)
    return path


@pytest.fixture
def require_program():
    """require_program("nvim") -> path; skips (fails under CI=true) when missing."""
    return _require_program


@pytest.fixture(scope="session")
def server_cmd() -> list[str]:
    """The command the editors start the server with.

    SPECMARK_TEST_SERVER_CMD (a JSON list) overrides it, for debugging the
    editor plugins against another build of the server.
    """
    override = os.environ.get("SPECMARK_TEST_SERVER_CMD")
    cmd = json.loads(override) if override else [sys.executable, "-m", "specmark", "serve"]
    if override:
        return cmd
    probe = subprocess.run(cmd + ["--help"], capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        pytest.fail(
            f"{' '.join(cmd)} --help failed (rc={probe.returncode}); "
            f"is specmark installed in this interpreter?\n{probe.stderr[-2000:]}"
        )
    return cmd


@pytest.fixture
def editor_env(tmp_path: Path) -> dict[str, str]:
    """Environment with HOME and XDG dirs inside the test's tmp dir."""
    home = tmp_path / "editor-home"
    env = dict(os.environ)
    for var, sub in (
        ("HOME", "home"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        d = home / sub
        d.mkdir(parents=True, exist_ok=True)
        env[var] = str(d)
    # the editors start `python -m specmark`: make sure it is the one running pytest
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def _run_editor(
    cmd: list[str], env: dict[str, str], timeout: float, cwd: Path
) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            cmd,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"")[-4000:] if isinstance(e.stdout, bytes) else (e.stdout or "")[-4000:]
        err = (e.stderr or b"")[-4000:] if isinstance(e.stderr, bytes) else (e.stderr or "")[-4000:]
        pytest.fail(f"{cmd[0]} did not finish within {timeout}s\nstdout:\n{out}\nstderr:\n{err}")


@pytest.fixture
def run_editor():
    """run_editor(cmd, env, timeout, cwd): run with a hard timeout; fail the test on timeout."""
    return _run_editor


@pytest.fixture
def spec_project(tmp_path: Path) -> Path:
    """A project root holding a copy of the corpus spec (editor_scenario.make_spec_project)."""
    return make_spec_project(tmp_path)


@pytest.fixture
def scenario(spec_project: Path, tmp_path: Path) -> dict:
    """Editor-independent test scenario (also the JSON config of the editor drivers)."""
    return make_scenario(spec_project, tmp_path)

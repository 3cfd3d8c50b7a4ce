"""editors/install-deps.sh stops with a message, before installing anything, where it cannot work:
on a system without apt, and as a user other than root when packages are missing.

Runs the script with a PATH of stand-ins (no real apt-get or dpkg-query is reached)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "editors" / "install-deps.sh"
BASH = shutil.which("bash")

pytestmark = pytest.mark.skipif(BASH is None, reason="needs bash")


def _stand_in(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def _run(path: str, *functions: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BASH), str(SCRIPT), *functions],
        env={"PATH": path, "HOME": "/nonexistent"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_apt_it_says_so(tmp_path):
    proc = _run(str(tmp_path))  # an empty folder: no apt-get, no dpkg-query
    assert proc.returncode == 2, proc
    assert "needs apt-get and dpkg-query (Debian or Ubuntu)" in proc.stderr
    assert "editors/README.md" in proc.stderr
    assert proc.stdout == ""


def test_not_root_with_missing_packages_it_says_so(tmp_path):
    log = tmp_path / "apt-get.log"
    _stand_in(tmp_path, "apt-get", f'echo "$@" >> {log}')
    _stand_in(tmp_path, "dpkg-query", "exit 1")  # nothing installed
    _stand_in(tmp_path, "id", "echo 1000")  # not root
    proc = _run(f"{tmp_path}:/usr/bin:/bin", "install_neovim_emacs")
    assert proc.returncode == 2, proc
    assert "needs root to install Debian packages" in proc.stderr
    assert "installing neovim emacs-nox elpa-eglot elpa-markdown-mode" in proc.stdout
    assert not log.exists(), "apt-get ran although the script is not root"


def test_unknown_function_is_an_error(tmp_path):
    _stand_in(tmp_path, "apt-get", "exit 0")
    _stand_in(tmp_path, "dpkg-query", "exit 0")
    proc = _run(f"{tmp_path}:/usr/bin:/bin", "install_nothing")
    assert proc.returncode == 2
    assert "unknown function 'install_nothing'" in proc.stderr

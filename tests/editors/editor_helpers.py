"""Helpers shared by the real-editor tests (not fixtures: those live in conftest.py)."""

from __future__ import annotations

import subprocess


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

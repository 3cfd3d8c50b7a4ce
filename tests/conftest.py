"""Shared test fixtures: only where things are. Keep this file small."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository checkout (examples/ and docs/ live here; the shared corpus beside it)."""
    return REPO

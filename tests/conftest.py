"""Shared test fixtures: only where things are. Keep this file small."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared_corpus import require_corpus

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository checkout (examples/ and docs/ live here; the shared corpus beside it)."""
    return REPO


@pytest.fixture
def corpus() -> Path:
    """The shared corpus (../shared/corpus or $SPECMARK_CORPUS). Absent: the test is skipped
    with the path in the reason; under CI=true it fails (tests/shared_corpus.py)."""
    return require_corpus()

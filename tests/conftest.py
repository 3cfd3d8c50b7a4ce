"""Shared test fixtures: only where things are. Keep this file small."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The shared research folder sits beside the repository (also in CI, where the repository
# is a fresh clone with ../shared next to it). Corpus files are never copied into the repo.
CORPUS = REPO.parent / "shared" / "corpus"
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: expected it at {CORPUS} (a sibling of the repository)")
    return CORPUS

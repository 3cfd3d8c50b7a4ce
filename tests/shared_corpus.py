"""Where the shared corpus of real spec folders is, and which of its folders are not reviewed yet.

The corpus is other people's files and is never copied into the repository: it lives beside the
checkout, at ``../shared/corpus``, or wherever ``SPECMARK_CORPUS`` points (a git worktree, a CI
runner with another layout). Every test over it goes through this module and the ``corpus``
fixture of tests/conftest.py: when the folder is absent, those tests are skipped with a reason
naming the path; under ``CI=true`` its absence is a failure.

``tests/core/snapshots/PENDING.txt`` lists the folders whose findings have not been reviewed yet
(one name a line, ``#`` comments): the corpus tests report them as skipped ("not yet reviewed")
instead of comparing them; tests/core/test_corpus.py fails if a pending folder no longer exists
or if a folder has neither a reviewed snapshot nor a pending entry.

Imported by name (``from shared_corpus import …``): tests/ is on sys.path through its conftest.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SPECMARK_CORPUS") or REPO.parent / "shared" / "corpus").resolve()
SNAPSHOTS = REPO / "tests" / "core" / "snapshots"
PENDING_FILE = SNAPSHOTS / "PENDING.txt"
PENDING_REASON = "not yet reviewed (listed in tests/core/snapshots/PENDING.txt)"
MISSING = "<no corpus>"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing_reason() -> str:
    return f"no shared corpus at {CORPUS} (clone it beside the repository or set SPECMARK_CORPUS)"


def require_corpus() -> Path:
    """The corpus folder; skips the calling test when it is absent (fails under CI=true)."""
    if not CORPUS.is_dir():
        if in_ci():
            pytest.fail(missing_reason() + "; CI=true requires it")
        pytest.skip(missing_reason())
    return CORPUS


def folders() -> list[str]:
    """Every corpus folder's name, sorted; [] when the corpus is absent."""
    if not CORPUS.is_dir():
        return []
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def folder_params() -> list:
    """For ``@pytest.mark.parametrize``: the folder names, or one placeholder when the corpus is
    absent, so a test that also asks for the ``corpus`` fixture is skipped (or fails under
    CI=true) with the reason rather than silently collecting nothing."""
    return folders() or [pytest.param(MISSING, id="no-corpus")]


def pending() -> dict[str, int]:
    """The folders on the pending list → their line number in PENDING.txt."""
    out: dict[str, int] = {}
    if not PENDING_FILE.exists():
        return out
    for n, line in enumerate(PENDING_FILE.read_text(encoding="utf-8").splitlines(), 1):
        name = line.split("#", 1)[0].strip()
        if name:
            out[name] = n
    return out


def skip_if_pending(folder: str) -> None:
    if folder in pending():
        pytest.skip(f"{folder}: {PENDING_REASON}")


def reviewed_folders() -> list[str]:
    """The corpus folders not on the pending list."""
    waiting = pending()
    return [name for name in folders() if name not in waiting]

"""Freeze the specmark code under test for one benchmark run.

specmark is installed editable and other people edit `server/` while benchmarks run, so every
server spawned later would import whatever is on disk at that moment. `snapshot(dest)` copies
`server/specmark` once, byte-compiles it, and returns the environment (PYTHONPATH first, ahead
of the editable install) under which the running environment's `specmark` runs exactly that
copy, plus a label: git HEAD, "+dirty" if server/ had uncommitted changes, and a hash of the copied files.

    python bench/snapshot.py DIR      # copy server/specmark to DIR/specmark (for --code DIR)
"""

from __future__ import annotations

import compileall
import hashlib
import os
import shutil
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(REPO, "server", "specmark")


def revision() -> str:
    """HEAD of the repository, plus "+dirty" when server/ has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", REPO, "status", "--porcelain", "--", "server"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return (head or "?") + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "?"


def _tree_hash(root: str) -> str:
    h = hashlib.sha256()
    for folder, dirs, files in sorted(os.walk(root)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, name)
            h.update(os.path.relpath(path, root).encode())
            with open(path, "rb") as fh:
                h.update(fh.read())
    return h.hexdigest()[:10]


def snapshot(dest: str) -> tuple[dict, str]:
    """Copy server/specmark to dest/specmark; returns (env for subprocesses, label)."""
    label = revision()
    target = os.path.join(dest, "specmark")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    compileall.compile_dir(target, quiet=1)
    env = dict(os.environ)
    env["PYTHONPATH"] = dest + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env, f"{label} (snapshot {_tree_hash(target)})"


def live() -> tuple[dict, str]:
    """No snapshot: the working tree as it is whenever a process starts."""
    return dict(os.environ), f"{revision()} (live working tree)"


def existing(code: str) -> tuple[dict, str]:
    """Use a copy made earlier (a folder that holds specmark/), e.g. to compare two versions."""
    code = os.path.abspath(code)
    if not os.path.isfile(os.path.join(code, "specmark", "__init__.py")):
        raise SystemExit(f"{code}: no specmark/ package in it")
    env = dict(os.environ)
    env["PYTHONPATH"] = code + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env, f"code from {code} (snapshot {_tree_hash(os.path.join(code, 'specmark'))})"


def add_arguments(ap) -> None:
    """The options of an argparse parser that `choose` reads: --live and --code DIR."""
    ap.add_argument(
        "--live",
        action="store_true",
        help="run the working tree as it is at each spawn, not a snapshot taken at the start",
    )
    ap.add_argument(
        "--code",
        metavar="DIR",
        help="run the specmark package in DIR/specmark "
        "(made by bench/snapshot.py DIR) instead of a fresh snapshot",
    )


def choose(args, dest: str) -> tuple[dict, str]:
    """--code DIR, --live, or (default) a fresh snapshot in dest."""
    if getattr(args, "code", None):
        return existing(args.code)
    if getattr(args, "live", False):
        return live()
    return snapshot(dest)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="copy server/specmark to DIR/specmark, for --code DIR")
    ap.add_argument("dir")
    print(snapshot(ap.parse_args().dir)[1])

"""The pygls internals the fast paths copy or reach into (lsp/pygls_seam.py) are those of the
installed pygls. A failure here after a pygls upgrade is expected: follow ARCHITECTURE.md,
"Upgrading pygls", then record the new hashes in lsp/pygls_seam.py."""

from __future__ import annotations

import sys
from pathlib import Path

from specmark.lsp import pygls_seam
from specmark.lsp.server import create_server

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def test_installed_pygls_matches_the_seam():
    found = pygls_seam.problems(create_server())
    assert not found, "pygls changed under the fast paths (ARCHITECTURE.md, Upgrading pygls):\n" + "\n".join(
        found
    )


def test_pyproject_allows_only_patch_releases_of_the_checked_pygls():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    major, minor, _patch = pygls_seam.SUPPORTED.split(".")
    assert f"pygls>={pygls_seam.SUPPORTED},<{major}.{int(minor) + 1}" in deps


def test_a_changed_copy_is_reported(monkeypatch):
    target = "pygls.protocol.json_rpc:JsonRPCProtocol.handle_message"
    monkeypatch.setitem(
        pygls_seam.COPIED, target, ("000000000000", "protocol.SpecmarkProtocol.handle_message")
    )
    monkeypatch.setattr(pygls_seam, "PRIVATE", (*pygls_seam.PRIVATE, ("protocol", "_no_such_thing")))
    found = pygls_seam.problems(create_server())
    assert len(found) == 2
    assert (
        found[0].startswith(target + ": its source changed") and "SpecmarkProtocol.handle_message" in found[0]
    )
    assert found[1] == "protocol._no_such_thing: no such attribute any more"

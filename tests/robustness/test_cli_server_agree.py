"""The CLI and the server say the same thing about the same files: for every folder of the shared
corpus (real specs from public repositories), `specmark check --format json` and the
diagnostics the server publishes agree on (code, line, column, message).

CLI columns are 1-based code points; the server's are 0-based in the negotiated encoding:
Emacs's preset negotiates UTF-32 (code points), VS Code's UTF-16 (converted back here).
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from rbhelpers import published_findings, run_cli, session

from shared_corpus import require_corpus

SPEC_FILES = ("tasks.md", "requirements.md", "spec.md", "bugfix.md", "design.md")


def _utf8(folder: Path) -> bool:
    try:
        for f in folder.glob("*.md"):
            f.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.fixture(scope="module", params=["lf", "crlf"])
def corpus_workspace(tmp_path_factory, request) -> Path:
    """The corpus as `.kiro/specs/<name>/`; the "crlf" copy has every line break as CRLF.
    Every folder, reviewed or not (agreement is not a matter of review), except those with a
    document that is not UTF-8 (the CLI's unreadable-document is not a diagnostic)."""
    corpus = require_corpus()
    root = tmp_path_factory.mktemp(f"corpus-{request.param}")
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir() and _utf8(p)):
        shutil.copytree(folder, root / ".kiro" / "specs" / folder.name)
        if request.param == "crlf":
            for f in (root / ".kiro" / "specs" / folder.name).rglob("*.md"):
                f.write_bytes(f.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    return root


@pytest.fixture(scope="module")
def cli_findings(corpus_workspace) -> Counter:
    got = run_cli(["check", "--format", "json", "."], cwd=corpus_workspace, timeout=120)
    assert got.code in (0, 1), got.stderr
    assert not got.stderr.strip(), got.stderr
    found = got.json()
    assert len(found) >= 20
    return Counter(
        (str((corpus_workspace / f["path"]).resolve()), f["code"], f["line"], f["column"], f["message"])
        for f in found
        if f["code"] != "spec-layout"  # the CLI's word on the folder, not a document diagnostic
    )


@pytest.mark.parametrize("preset", ["emacs", "visual-studio-code"])
async def test_cli_and_server_report_the_same_findings(preset, corpus_workspace, cli_findings):
    if preset == "emacs" and corpus_workspace.name.startswith("corpus-crlf"):
        pytest.skip("one preset is enough for the CRLF copy")
    files = sorted(p for p in corpus_workspace.glob(".kiro/specs/*/*") if p.name in SPEC_FILES)
    assert len(files) >= 20
    async with session(preset, corpus_workspace) as client:
        enc = client.init_result.capabilities.position_encoding
        assert enc == ("utf-32" if preset == "emacs" else "utf-16")
        server = await published_findings(client, files, key=lambda path: str(path.resolve()))
    only_cli = cli_findings - server
    only_server = server - cli_findings
    assert not only_cli and not only_server, (sorted(only_cli)[:5], sorted(only_server)[:5])
    assert sum(server.values()) > 0

"""Workspace safety, through the CLI and the real server: the scan stays inside the root (no
symlink is followed, and spec documents linking out are not read), skips `.git`,
`node_modules`, `.venv` and excluded folders, caps files and file size and says so, stays
bounded on a big tree — and the server never writes a file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest
from lsprotocol import types
from rbhelpers import (
    Phases,
    diagnostics_at,
    exercise,
    logged_errors,
    memory_mb,
    open_doc,
    run_cli,
    server_pid,
    session,
    wait_for,
)

from shared_corpus import reviewed_folders

TASK = "- [ ] 1. {name}\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def indexed(client) -> int | None:
    """The server's "indexed N specs" log line, once its background discovery is done."""
    for m in client.log_messages:
        if m.message.startswith("specmark: indexed "):
            return int(m.message.split()[2])
    return None


async def all_symbols(client) -> list:
    return list(await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="")) or [])


# ---- symlinks, skipped folders --------------------------------------------------------------------


@pytest.fixture
def tangled(tmp_path) -> Path:
    ws, outside = tmp_path / "ws", tmp_path / "outside"
    write(outside / "spec" / "tasks.md", TASK.format(name="Outside task"))
    specs = ws / ".kiro" / "specs"
    write(specs / "real" / "tasks.md", TASK.format(name="Real task"))
    (specs / "outside").symlink_to(outside / "spec")  # a folder link out of the root
    (specs / "filelink").mkdir()
    (specs / "filelink" / "tasks.md").symlink_to(outside / "spec" / "tasks.md")  # a file link out of it
    (specs / "alias").symlink_to(specs / "real")  # a link inside: not a second spec
    (specs / "real" / "loop").symlink_to(ws)  # loops
    (ws / ".kiro" / "up").symlink_to("..")
    (ws / "x1").symlink_to("x2")
    (ws / "x2").symlink_to("x1")
    for skipped in ("node_modules/pkg", ".git", ".venv/lib", "vendor/lib", "build", "docs/old"):
        write(
            ws / skipped / ".kiro" / "specs" / "hidden" / "tasks.md", TASK.format(name=f"Skipped {skipped}")
        )
    write(ws / ".specmark.toml", 'exclude = ["vendor", "docs/old"]\n')
    return ws


async def test_scan_stays_in_the_root_and_skips_what_it_should(tangled):
    ws = tangled
    got = run_cli(["check", "--format", "json", "."], cwd=ws, timeout=30)
    assert got.code == 0 and got.seconds < 30, got
    assert {f["path"] for f in got.json()} == {".kiro/specs/real/tasks.md"}
    assert "filelink/tasks.md: a symbolic link out of the workspace; not followed" in got.stderr
    assert "Traceback" not in got.stderr

    async with session("visual-studio-code", ws) as client:
        count = await wait_for(lambda: indexed(client), 30)
        assert count == 1
        names = [s.name for s in await all_symbols(client)]
        assert any("Real task" in n for n in names)
        assert not [n for n in names if "Outside" in n or "Skipped" in n], names


# ---- caps: max-files and max-file-size ------------------------------------------------------------------


async def test_max_files_and_max_file_size_are_enforced_and_said(tmp_path):
    ws = tmp_path
    write(ws / ".specmark.toml", "max-files = 50\nmax-file-size = 2000\n")
    write(ws / ".kiro" / "specs" / "small" / "tasks.md", TASK.format(name="Small"))
    write(ws / ".kiro" / "specs" / "large" / "tasks.md", "- [ ] 1. Large\n" + "  detail line\n" * 200)
    for d in range(10):
        for f in range(20):
            write(ws / f"d{d:02}" / f"f{f:02}.txt", "x")
    write(ws / "zz" / ".kiro" / "specs" / "late" / "tasks.md", TASK.format(name="Past the cap"))

    got = run_cli(["check", "--format", "json", "."], cwd=ws, timeout=30)
    assert got.code == 2, got
    assert "note: stopped after 50 files under .; raise max-files in .specmark.toml" in got.stderr
    assert "error: .kiro/specs/large/tasks.md: file is 2,815 bytes, over max-file-size (2,000)" in got.stderr
    # the document left out is a finding on it too (every output format carries it)
    assert {(f["path"], f["code"]) for f in got.json()} == {
        (".kiro/specs/small/tasks.md", "missing-requirements"),
        (".kiro/specs/large/tasks.md", "unreadable-document"),
    }

    async with session("visual-studio-code", ws) as client:
        await wait_for(lambda: indexed(client) is not None, 30)
        warnings = [m.message for m in client.messages if m.type == types.MessageType.Warning]
        assert any("stopped after 50 files" in m and "raise max-files" in m for m in warnings), warnings
        # an open document is the editor's text: analysed whatever its size on disk
        uri = open_doc(client, ws / ".kiro" / "specs" / "large" / "tasks.md")
        assert [d.code for d in await diagnostics_at(client, uri, 1)] == ["missing-requirements"]


async def test_a_misnamed_plan_is_said_once_by_the_server(tmp_path):
    ws = tmp_path
    write(
        ws / ".kiro" / "specs" / "login" / "requirements.md",
        "# R\n\n### Requirement 1: A\n\n1. THE x SHALL y\n",
    )
    write(ws / ".kiro" / "specs" / "login" / "task.md", TASK.format(name="Misnamed"))
    write(ws / ".kiro" / "specs" / "early" / "bugfix.md", "# Bugfix\n")
    async with session("visual-studio-code", ws) as client:
        await wait_for(lambda: indexed(client) is not None, 30)
        said = [m.message for m in client.messages if "task.md" in m.message]
        assert len(said) == 1 and m_type(client, said[0]) == types.MessageType.Warning, client.messages
        assert "a plan named task.md: specmark reads the tasks of a spec from tasks.md" in said[0]
        assert not any("bugfix.md" in m.message for m in client.messages)  # information: CLI only


def m_type(client, message: str):
    return next(m.type for m in client.messages if m.message == message)


# ---- a big root -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_root(tmp_path_factory) -> Path:
    """30,000 small files in 300 folders, then 20 spec folders (after them in walk order)."""
    ws = tmp_path_factory.mktemp("big")
    for d in range(300):
        folder = ws / f"src{d:03}"
        folder.mkdir()
        for f in range(100):
            (folder / f"m{f:03}.md").write_bytes(b"# note\n")
    for i in range(20):
        write(ws / "zz" / ".kiro" / "specs" / f"s{i:02}" / "tasks.md", TASK.format(name=f"Spec {i}"))
    return ws


async def test_a_big_root_stays_bounded(big_root):
    ws = big_root
    phase = Phases("big root")
    got = run_cli(["check", "--format", "json", "."], cwd=ws, timeout=60)  # default max-files 20,000
    assert "note: stopped after 20000 files" in got.stderr
    assert got.seconds < 30 and got.peak_mb < 300, (got.seconds, got.peak_mb)
    phase("CLI, capped at 20,000 files")
    (ws / ".specmark.toml").write_text("max-files = 100000\n", encoding="utf-8")
    try:
        got = run_cli(["check", "--format", "json", "."], cwd=ws, timeout=60)
        assert got.code == 0 and "stopped after" not in got.stderr
        assert len({f["path"] for f in got.json()}) == 20
        assert got.seconds < 30 and got.peak_mb < 300, (got.seconds, got.peak_mb)
        phase("CLI, all 30,020 files")
    finally:
        (ws / ".specmark.toml").unlink()

    async with session("visual-studio-code", ws) as client:
        # discovery runs in the background: the server answers meanwhile
        uri = open_doc(client, ws / "zz" / ".kiro" / "specs" / "s00" / "tasks.md")
        t0 = time.perf_counter()
        await diagnostics_at(client, uri, 1, timeout=10)
        await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=0, character=7),
            )
        )
        assert time.perf_counter() - t0 < 5
        await wait_for(lambda: indexed(client) is not None, 60)
        phase("server discovery")
        assert any("stopped after 20000 files" in m.message for m in client.messages)
        _rss, peak = memory_mb(server_pid(client))
        assert peak < 300, peak


# ---- the server never writes files --------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, tuple]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            digest = hashlib.sha256(Path(p).read_bytes()).hexdigest() if os.path.isfile(p) else None
            out[os.path.relpath(p, root)] = (st.st_mtime_ns, st.st_size, digest)
    return out


def _all_utf8(folder) -> bool:
    try:
        for path in folder.rglob("*.md"):
            path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return False
    return True


async def test_the_server_never_writes_files(tmp_path, corpus):
    ws = tmp_path / "ws"
    # read as the editor would: UTF-8 (a folder with a file in another encoding is left out:
    # an editor would not send its bytes as they are), reviewed shapes
    utf8 = [name for name in reviewed_folders() if _all_utf8(corpus / name)]
    for name in utf8[:4]:
        shutil.copytree(corpus / name, ws / ".kiro" / "specs" / name)
    write(ws / ".specmark.toml", "inlay-hints = true\n")
    before = snapshot(ws)
    time.sleep(0.01)
    docs = sorted(
        p for p in ws.glob(".kiro/specs/*/*.md") if p.name in ("tasks.md", "requirements.md", "spec.md")
    )
    async with session("visual-studio-code", ws) as client:
        await wait_for(lambda: indexed(client) is not None, 30)
        commands = 0
        for path in docs:
            text = path.read_text(encoding="utf-8")
            uri = open_doc(client, path, text)
            await diagnostics_at(client, uri, 1, timeout=30)
            lines = text.split("\n")
            # every request, over the whole document, every line of it for the positional ones
            await exercise(
                client, uri, [(n, len(lines[n]) // 2) for n in range(0, len(lines), 3)], timeout=120
            )
            # every code action offered anywhere (the editor applies them; the server must not)
            for n in range(len(lines)):
                for only in (None, [types.CodeActionKind.Source]):
                    await client.text_document_code_action_async(
                        types.CodeActionParams(
                            text_document=types.TextDocumentIdentifier(uri=uri),
                            range=types.Range(
                                start=types.Position(line=n, character=0),
                                end=types.Position(line=n, character=0),
                            ),
                            context=types.CodeActionContext(
                                diagnostics=list(client.diagnostics.get(uri, [])), only=only
                            ),
                        )
                    )
            # every command: toggle every task line, and every code lens's command
            if path.name == "tasks.md":
                for n, line in enumerate(lines):
                    if "[" in line and "]" in line:
                        await client.workspace_execute_command_async(
                            types.ExecuteCommandParams(command="specmark.toggleTask", arguments=[uri, n])
                        )
                        commands += 1
            for lens in (
                await client.text_document_code_lens_async(
                    types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
                )
                or []
            ):
                if lens.command and lens.command.command:
                    await client.workspace_execute_command_async(
                        types.ExecuteCommandParams(
                            command="specmark.showReferences", arguments=list(lens.command.arguments or [])
                        )
                    )
                    commands += 1
            client.text_document_did_save(
                types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
            )
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=p.as_uri(), type=types.FileChangeType.Changed) for p in docs]
            )
        )
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await all_symbols(client)
        assert commands > 50 and len(client.applied_edits) > 50
        assert not logged_errors(client)
    assert snapshot(ws) == before

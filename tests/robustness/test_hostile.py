"""Hostile documents, each through the real server AND the CLI (a subprocess): answered with
diagnostics or a clear message, in bounded time and memory, without a crash.

One server process serves this module's documents (each in its own spec folder of a module
workspace), so its peak RSS (VmHWM) bounds every case at once. Bounds are stated per test:
seconds of wall time on this 2-core machine, and MB of resident memory.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import pytest_asyncio
from lsprotocol import types
from rbhelpers import (
    LONG,
    Phases,
    RawServer,
    apply_lsp_edit,
    change,
    check_range,
    code_actions,
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

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(900 if LONG else 120)]

SERVER_PEAK_MB = 1500  # the server's VmHWM after any of these documents
CLI_PEAK_MB = 1000  # the CLI's peak RSS on any of them
REQ = (
    "# Requirements\n\n### Requirement 1: Login\n\n#### Acceptance Criteria\n\n"
    "1. WHEN a user logs in THE system SHALL start a session\n2. THE system SHALL log out\n\n"
    "### Requirement 2: Other\n\n#### Acceptance Criteria\n\n1. THE system SHALL work\n"
)


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def server(ws):
    async with session("visual-studio-code", ws) as client:
        yield client
        _rss, peak = memory_mb(server_pid(client))
        assert peak < SERVER_PEAK_MB, f"server peak RSS {peak:.0f} MB"


def spec(ws: Path, name: str, tasks: str | bytes | None, req: str | bytes | None = REQ) -> Path:
    folder = ws / ".kiro" / "specs" / name
    folder.mkdir(parents=True, exist_ok=True)
    for fname, content in (("tasks.md", tasks), ("requirements.md", req)):
        if content is not None:
            data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
            (folder / fname).write_bytes(data)
    return folder


def cli_json(ws: Path, folder: Path, seconds: float):
    got = run_cli(["check", "--format", "json", str(folder.relative_to(ws))], cwd=ws, timeout=seconds)
    assert got.peak_mb < CLI_PEAK_MB, got.peak_mb
    assert "Traceback" not in got.stderr, got.stderr
    return got


def core_by_line(folder: Path, text: str) -> list[tuple[str, int]]:
    """What the analysis core says about `text` as the spec's tasks.md (for texts the CLI
    cannot read from disk)."""
    from specmark.core.analysis import analyze

    req = folder / "requirements.md"
    result = analyze(
        {str(folder / "tasks.md"): text},
        (str(req), req.read_text(encoding="utf-8")) if req.exists() else None,
    )
    return sorted((f.code, f.span.line) for f in result.findings if f.path.endswith("tasks.md"))


def by_line(findings) -> list[tuple[str, int]]:
    return sorted((f["code"], f["line"] - 1) for f in findings if f["path"].endswith("tasks.md"))


def server_by_line(diags) -> list[tuple[str, int]]:
    return sorted((str(d.code), d.range.start.line) for d in diags)


async def cli_then_server(server, ws, folder, docs: dict[str, str], seconds: float, codes=(1,), phase=None):
    """`specmark check` over `folder` (its exit code one of `codes`), then the server opening
    `docs` (file name → text, in order): the first one's diagnostics are the CLI's findings of
    tasks.md, by code and line. Returns when the server was started on them, their URIs and
    those diagnostics; `phase` (a Phases) marks the CLI and the first diagnostics."""
    cli = cli_json(ws, folder, seconds)
    assert cli.code in codes, cli.stderr
    if phase is not None:
        phase("CLI")
    t0 = time.perf_counter()
    uris = [open_doc(server, folder / name, text) for name, text in docs.items()]
    diags = await diagnostics_at(server, uris[0], 1, timeout=seconds)
    assert server_by_line(diags) == by_line(cli.json())
    if phase is not None:
        phase("didOpen → diagnostics")
    return t0, uris, diags


async def check_bounded(client, started: float, seconds: float) -> None:
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"{elapsed:.1f} s"
    _rss, peak = memory_mb(server_pid(client))
    assert peak < SERVER_PEAK_MB, f"server peak RSS {peak:.0f} MB"


async def close(client, uri: str) -> None:
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


# ---- NUL bytes, control characters, separators ------------------------------------------------------

CONTROL = (
    "".join(chr(c) for c in range(0x20) if chr(c) not in "\r\n")
    + "\x7f"
    + "".join(chr(c) for c in range(0x80, 0xA0))
    + "\u2028\u2029\ufeff\u200b\u202e"
)


async def test_nul_and_control_characters(server, ws):
    text = (
        "# Plan \x00\n\n"
        f"- [ ] 1. NUL \x00 and controls {CONTROL}\n  - _Requirements: 1.1, \x00, 9.9_\n"
        f"- [ ] 2. {CONTROL[::-1]}\n  - _Requirements: 1.\x002_\n"
        "- [\x00] 3. NUL glyph\n- [\x7f] 4. DEL glyph\n"
        f"{CONTROL}\n  - _Requirements: {CONTROL}_\n- [x] 5. after\n  - _Requirements: 2.1_\n"
    )
    folder = spec(ws, "control", text)
    t0, (uri,), diags = await cli_then_server(server, ws, folder, {"tasks.md": text}, 30, (0, 1))
    assert {"unknown-requirement", "invalid-checkbox"} <= {str(d.code) for d in diags}
    await exercise(server, uri, [(n, c) for n in range(13) for c in (0, 7, 40)])
    await check_bounded(server, t0, 30)
    await close(server, uri)


# ---- lone surrogates from the client; on disk they are invalid UTF-8 --------------------------------


async def test_lone_surrogates_from_the_client(server, ws):
    text = (
        "- [ ] 1. lone \ud800 high and \udfff low\n  - _Requirements: 1.1, \ud800, 1.\udc00_\n"
        "- [\ud800] 2. surrogate glyph\n## \udbff heading \udc00\n- [x] 3. pair 😀 \ud83d\n"
        "  - _Requirements: 2.1_\n"
    )
    folder = spec(ws, "surrogates", text)
    # the CLI reads files: lone surrogates on disk are not UTF-8, and it says so
    cli = cli_json(ws, folder, 30)
    assert cli.code == 2
    assert "surrogates/tasks.md: not valid UTF-8 (byte 0xed at offset" in cli.stderr
    t0 = time.perf_counter()
    uri = open_doc(server, folder / "tasks.md", text)
    diags = await diagnostics_at(server, uri, 1, timeout=30)
    assert server_by_line(diags) == core_by_line(folder, text) != []
    # a lone high surrogate completed by a second edit: the server holds one character, as
    # the client does, and every range stays outside the pair
    change(server, uri, 2, 4, 18, 4, 18, "\ude00")
    change(server, uri, 3, 2, 0, 2, 0, "\udbff")
    text = apply_lsp_edit(apply_lsp_edit(text, (4, 18), (4, 18), "\ude00"), (2, 0), (2, 0), "\udbff")
    assert text.split("\n")[4] == "- [x] 3. pair 😀 😀"
    diags = await diagnostics_at(server, uri, 3, timeout=30)
    assert server_by_line(diags) == core_by_line(folder, text)
    for d in diags:
        check_range(text, d.range, str(d.code))
    await exercise(server, uri, [(n, c) for n in range(7) for c in (0, 5, 15, 16, 17, 30)])
    symbols = await server.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    names = [s.name for s in symbols]
    assert any(n.endswith("pair 😀 😀") for n in names) and any("\ud800" in n for n in names), names
    await check_bounded(server, t0, 30)
    await close(server, uri)


# ---- invalid UTF-8 on disk ------------------------------------------------------------------------


async def test_invalid_utf8_on_disk(server, ws):
    bad = spec(ws, "badutf8", b"- [ ] 1. caf\xe9 latin-1\n  - _Requirements: 1.1_\n\xff\xfe\n")
    badreq = spec(
        ws,
        "badreq",
        "- [ ] 1. fine\n  - _Requirements: 1.1, 7.7_\n- [ ] 2. none\n",
        REQ.encode() + b"\n### Requirement 7: Broken \xc3\x28\n\n1. THE system SHALL x\n",
    )
    good = spec(ws, "goodspec", "- [ ] 1. No reference here\n")
    got = run_cli(
        [
            "check",
            "--format",
            "json",
            str(bad.relative_to(ws)),
            str(badreq.relative_to(ws)),
            str(good.relative_to(ws)),
        ],
        cwd=ws,
        timeout=30,
    )
    assert got.code == 2, got
    assert (
        "error: .kiro/specs/badutf8/tasks.md: not valid UTF-8 (byte 0xe9 at offset 12); re-save the file as UTF-8"
        in got.stderr
    )
    assert "badreq/requirements.md: not valid UTF-8" in got.stderr
    assert "Traceback" not in got.stderr
    found = {(Path(f["path"]).parent.name, f["code"]) for f in got.json()}
    assert ("goodspec", "missing-requirements") in found  # the other files are still checked
    assert ("badreq", "missing-requirements") in found  # its tasks.md too (without requirements)
    # the server reads a broken requirements.md with replacement characters, and goes on
    t0 = time.perf_counter()
    uri = open_doc(server, badreq / "tasks.md")
    diags = await diagnostics_at(server, uri, 1, timeout=30)
    assert server_by_line(diags) == [("missing-requirements", 2), ("unknown-requirement", 1)]
    # ... and says so once, as the CLI's unreadable-document finding does (the file is not open)
    raw = (badreq / "requirements.md").read_bytes()
    at = raw.index(b"\xc3\x28")
    line = raw.count(b"\n", 0, at) + 1
    said = [m.message for m in server.messages if "badreq" in m.message and "requirements.md" in m.message]
    assert said == [
        f"specmark: cannot read {badreq / 'requirements.md'}: line {line}: not valid "
        f"UTF-8 (byte 0xc3 at offset {at}); re-save the file as UTF-8 (until then it is read with replacement "
        "characters)"
    ], server.messages
    assert [m.type for m in server.messages if "badreq" in m.message] == [types.MessageType.Error]
    await exercise(server, uri, [(1, 20), (1, 25)])
    await check_bounded(server, t0, 30)
    await close(server, uri)


# ---- 1 MB lines ---------------------------------------------------------------------------------------


async def test_one_megabyte_lines(server, ws):
    mb = 1_000_000
    refs = ", ".join(["1.1", "1.2", "2.1"] * 70_000) + ", 9.9"  # 210,001 IDs, one unknown
    lines = [
        "- [ ] 1. A task with a megabyte of references",
        "  - _Requirements: " + refs + "_",
        "- [ ] " + "1." * (mb // 2) + " title",  # a 1 MB task ID (1.1.1.1…)
        "- [ ] 3. " + "[" * mb,
        "  - _Depends: " + "1-" * (mb // 2) + "_",
    ]
    assert all(len(line) >= 0.98 * mb for line in lines[1:])
    text = "\n".join(lines) + "\n"
    folder = spec(ws, "megaline", text)
    assert (folder / "tasks.md").stat().st_size < 5_000_000  # max-file-size
    phase = Phases("1 MB lines")
    t0, (uri,), _diags = await cli_then_server(server, ws, folder, {"tasks.md": text}, 60, phase=phase)
    # typing at the end of the 1 MB reference list (before its closing `_`)
    change(server, uri, 2, 1, len(lines[1]) - 1, 1, len(lines[1]) - 1, ", 8.8")
    diags = await diagnostics_at(server, uri, 2, timeout=60)
    assert server_by_line(diags).count(("unknown-requirement", 1)) == 2
    phase("keystroke → diagnostics")
    # (each request on the reference line answers for 70,000 citations: one position in CI)
    await exercise(
        server,
        uri,
        [(1, 20), (2, 999_999), (2, 10), (3, 1_000_005), (4, 500_000)]
        + ([(1, 500_000), (1, len(lines[1]))] if LONG else []),
        whole=False,
    )
    phase("every request")
    await check_bounded(server, t0, 60)
    await close(server, uri)


# ---- 10,000-deep nesting --------------------------------------------------------------------------------


async def test_ten_thousand_deep_nesting(server, ws):
    """10,000 levels of list markers, quotes and ordered items on one line each (markdown
    nesting), and a task tree 2,000 levels deep by indentation (4 MB: 10,000 levels that way
    would be 100 MB, over max-file-size)."""
    text = (
        "- " * 10_000
        + "[ ] 1. ten thousand list markers deep\n"
        + "> " * 10_000
        + "- [ ] 2. ten thousand quotes deep\n"
        + "1. " * 10_000
        + "[ ] 3. ten thousand ordered markers deep\n"
        + "".join("  " * k + f"- [ ] Deep task {k}\n" for k in range(2_000))
    )
    folder = spec(ws, "deep", text)
    phase = Phases("10,000-deep nesting")
    t0, (uri,), _diags = await cli_then_server(server, ws, folder, {"tasks.md": text}, 60, (0, 1), phase)
    await exercise(server, uri, [(0, 20_005), (1, 20_005), (3, 3), (1000, 2003), (2002, 4000)])
    phase("every request")
    symbols = await server.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    depth, level = 0, symbols
    while level:
        depth += 1
        level = [c for s in level for c in (s.children or [])]
    assert 60 <= depth <= 70  # the outline is capped (core/features/navigation/symbols.py)
    actions = await code_actions(server, uri, 3)
    subtree = [a for a in actions if "sub-tasks" in a.title]
    assert subtree and len(subtree[0].edit.document_changes[0].edits) == 2_000
    phase("symbols + subtree action")
    await check_bounded(server, t0, 90)
    await close(server, uri)


# ---- 100,000 task lines ------------------------------------------------------------------------------


async def test_hundred_thousand_task_lines(server, ws):
    """A tight list of 100,000 tasks: one markdown block, so every edit re-analyses all of it.
    The CI profile asks only what the incremental engine answers (code actions, completion);
    SPECMARK_FUZZ=long sends every request (navigation parses the whole document again)."""
    text = "# Plan\n\n" + "".join(
        f"- [x] {k}. T **Validates: Requirements 1.{1 + k % 2}**\n" for k in range(1, 100_001)
    )
    line = text.split("\n")[50_001]
    col = line.index("1.", line.index("Requirements")) + 2
    folder = spec(ws, "huge", text)
    phase = Phases("100,000 task lines")
    cli = cli_json(ws, folder, 90)
    assert cli.code == 0 and [f for f in cli.json() if f["path"].endswith("tasks.md")] == [], cli.stderr
    phase("CLI")
    t0 = time.perf_counter()
    uri = open_doc(server, folder / "tasks.md", text)
    await diagnostics_at(server, uri, 1, timeout=90)
    phase("didOpen → diagnostics")
    # one keystroke: task 50,000 cites an unknown criterion
    change(server, uri, 2, 50_001, col, 50_001, col + 1, "7")
    diags = await diagnostics_at(server, uri, 2, timeout=90)
    assert server_by_line(diags) == [("unknown-requirement", 50_001)]
    phase("keystroke → diagnostics")
    doc = types.TextDocumentIdentifier(uri=uri)
    at = types.Position(line=50_001, character=col)
    actions = await server.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc,
            range=types.Range(start=at, end=at),
            context=types.CodeActionContext(diagnostics=diags),
        )
    )
    assert any(a.title == "Mark task 50000 not done" for a in actions)
    await server.text_document_completion_async(types.CompletionParams(text_document=doc, position=at))
    phase("code action + completion")
    if LONG:
        await exercise(server, uri, [(50_001, col), (99_999, 5)], timeout=300)
        phase("every request")
    await check_bounded(server, t0, 300 if LONG else 90)
    await close(server, uri)


# ---- 10,000 acceptance criteria ------------------------------------------------------------------------


async def test_ten_thousand_criteria(server, ws):
    req = "### Requirement 1: Huge\n\n#### Acceptance Criteria\n\n" + "".join(
        f"{i}. WHEN c{i} THE system SHALL r{i}\n" for i in range(1, 10_001)
    )
    tasks = (
        "- [ ] 1. Everything\n  - _Requirements: All_\n- [ ] 2. A range\n  - _Requirements: 1.1-1.10000_\n"
        "- [ ] 3. Half of them\n  - _Requirements: "
        + ", ".join(f"1.{i}" for i in range(1, 10_001, 2))
        + "_\n"
        "- [ ] 4. Unknown ones\n  - _Requirements: 1.10001, 1.0, 1.1-1.99999_\n"
    )
    folder = spec(ws, "criteria", tasks, req)
    phase = Phases("10,000 criteria")
    docs = {"tasks.md": tasks, "requirements.md": req}
    t0, (t_uri, r_uri), _diags = await cli_then_server(server, ws, folder, docs, 60, phase=phase)
    await exercise(server, t_uri, [(3, 20), (5, 25), (7, 20)])
    phase("every request (tasks.md)")
    await exercise(server, r_uri, [(0, 5), (4, 1), (5_000, 1), (10_003, 1)])
    phase("every request (requirements.md)")
    lenses = await server.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=r_uri))
    )
    assert lenses and "covered by" in lenses[0].command.title
    await check_bounded(server, t0, 60)
    await close(server, t_uri)
    await close(server, r_uri)


# ---- a tasks.md that references itself --------------------------------------------------------------------

SELF = (
    "- [ ] 1. One depends on two\n  - _Depends: 2_\n  - _Requirements: 1_\n"
    "- [ ] 2. Two depends on one\n  - _Depends: 1, 2, 2.1_\n  - _Requirements: 2, 1.1_\n"
    "  - [ ] 2.1 Depends on its parent\n    - _Depends: 2, 2.1_\n"
    "- [ ] 3. A chain\n  - _Depends: 4_\n- [ ] 4. back\n  - _Depends: 3-4, 1-3_\n"
)


async def test_tasks_md_that_references_itself(tmp_path):
    """_Depends:_ cycles, and a configuration that makes tasks.md its own requirements document."""
    (tmp_path / ".specmark.toml").write_text('requirements-documents = ["tasks.md"]\n', encoding="utf-8")
    folder = spec(tmp_path, "selfref", SELF, None)
    cycles = spec(tmp_path, "cycles", SELF, REQ)
    (cycles / ".specmark.toml").write_text("", encoding="utf-8")  # the default configuration here
    got = run_cli(["check", "--format", "json", "."], cwd=tmp_path, timeout=30)
    assert got.code in (0, 1) and "Traceback" not in got.stderr, got.stderr
    paths = {Path(f["path"]).parent.name for f in got.json()}
    assert "selfref" in paths or got.json() == []
    async with session("visual-studio-code", tmp_path) as client:
        t0 = time.perf_counter()
        uri = open_doc(client, folder / "tasks.md", SELF)
        diags = await diagnostics_at(client, uri, 1, timeout=30)
        cli_self = [f for f in got.json() if Path(f["path"]).parent.name == "selfref"]
        assert server_by_line(diags) == by_line(cli_self)
        await exercise(client, uri, [(n, c) for n in range(13) for c in (2, 9, 14, 19)])
        change(client, uri, 2, 1, 13, 1, 14, "1")  # one now depends on itself
        await exercise(client, uri, [(1, 13), (0, 7)])
        assert time.perf_counter() - t0 < 30
        assert not logged_errors(client)


# ---- symbolic link loops --------------------------------------------------------------------------------


def _indexed(client) -> int | None:
    for m in client.log_messages:
        if m.message.startswith("specmark: indexed "):
            return int(m.message.split()[2])
    return None


async def test_symlink_loops_in_the_workspace(tmp_path):
    """Folder links back up the tree (a link bomb: 10 folders of 10 links to the root, 10^2k
    paths at depth k if followed), a folder linked to itself, a tasks.md linked to itself and
    two requirements.md linked to each other. The CLI names each looping document and checks
    the rest, also when a loop is given on the command line (Path.resolve raised RuntimeError
    there: a traceback); the server indexes each spec once and analyses an open document
    whose file is a loop from the editor's text. Bounds: 30 s and 300 MB for each."""
    ws = tmp_path
    specs = ws / ".kiro" / "specs"
    spec(ws, "real", "- [ ] 1. Real task\n  - _Requirements: 1.1, 9.9_\n")
    selfloop, pair = specs / "selfloop", specs / "pair"
    for folder in (selfloop, pair):
        folder.mkdir(parents=True)
    (selfloop / "tasks.md").symlink_to("tasks.md")
    (selfloop / "requirements.md").symlink_to("../pair/requirements.md")
    (pair / "requirements.md").symlink_to("../selfloop/requirements.md")
    (pair / "tasks.md").write_text("- [ ] 1. Pair task\n  - _Requirements: 1.1_\n", encoding="utf-8")
    (specs / "real" / "again").symlink_to("..")
    (ws / ".kiro" / "up").symlink_to("../..")
    (ws / "loopdir").symlink_to("loopdir")
    for d in range(10):
        for k in range(10):
            (ws / f"bomb{d}").mkdir(exist_ok=True)
            (ws / f"bomb{d}" / f"root{k}").symlink_to(ws)

    got = run_cli(["check", "--format", "json", "."], cwd=ws, timeout=30)
    assert got.code == 2 and got.seconds < 30 and got.peak_mb < 300, got
    assert "Traceback" not in got.stderr, got.stderr
    assert "error: .kiro/specs/selfloop/tasks.md: Too many levels of symbolic links" in got.stderr, got.stderr
    assert ".kiro/specs/pair/requirements.md: Too many levels of symbolic links" in got.stderr, got.stderr
    found = sorted((f["path"], f["code"]) for f in got.json())
    assert found == [
        (".kiro/specs/pair/requirements.md", "unreadable-document"),  # each looping document: a finding
        (".kiro/specs/real/requirements.md", "uncovered-requirement"),
        (".kiro/specs/real/requirements.md", "uncovered-requirement"),
        (".kiro/specs/real/tasks.md", "unknown-requirement"),
        (".kiro/specs/selfloop/requirements.md", "unreadable-document"),
        (".kiro/specs/selfloop/tasks.md", "unreadable-document"),
    ], found  # pair/tasks.md: checked, clean
    # loops named on the command line: a clear error each, the other path still checked
    got = run_cli(
        ["check", "--format", "json", "loopdir", ".kiro/specs/selfloop/tasks.md", ".kiro/specs/real"],
        cwd=ws,
        timeout=30,
    )
    assert got.code == 2 and "Traceback" not in got.stderr, got.stderr
    assert "error: loopdir: Too many levels of symbolic links" in got.stderr, got.stderr
    assert "error: .kiro/specs/selfloop/tasks.md: Too many levels of symbolic links" in got.stderr, got.stderr
    assert {f["path"] for f in got.json()} == {
        ".kiro/specs/real/tasks.md",
        ".kiro/specs/real/requirements.md",
    }

    async with session("visual-studio-code", ws) as client:
        t0 = time.perf_counter()
        assert await wait_for(lambda: _indexed(client), 30) == 3  # real, pair, selfloop: once each
        names = [
            s.name for s in await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="")) or []
        ]
        assert sorted(n for n in names if "task" in n) == ["1 Pair task", "1 Real task"], names
        text = "- [ ] 1. Opened from the editor\n  - _Requirements: 1.1_\n- [ ] 2. No reference\n"
        uri = open_doc(client, selfloop / "tasks.md", text)
        diags = await diagnostics_at(client, uri, 1, timeout=30)
        assert server_by_line(diags) == [("missing-requirements", 2)]  # its requirements.md loops: none read
        await exercise(client, uri, [(n, c) for n in range(3) for c in (0, 9, 20)])
        assert time.perf_counter() - t0 < 30
        _rss, peak = memory_mb(server_pid(client))
        assert peak < 300, peak
        assert not logged_errors(client)
    # a workspace root that is itself a loop: nothing to index, no crash
    raw = RawServer(cwd=ws)
    try:
        raw.initialize(ws / "loopdir")
        raw.wait_notification("window/logMessage", lambda m: "indexed 0 specs" in m["params"]["message"])
        assert raw.shutdown_and_exit() == 0
        assert "Traceback" not in raw.stderr, raw.stderr
    finally:
        raw.kill()


# ---- FIFOs and devices as spec documents -----------------------------------------------------------------


async def test_fifo_and_device_spec_documents(tmp_path):
    """A tasks.md and a requirements.md that are FIFOs (reading one blocks until a writer comes),
    a requirements.md that is a character device like /dev/zero (reading never ends; needs
    root for mknod), and such paths named on the command line: the CLI names each one and
    checks the rest, the server reads none of them and analyses open documents from the
    editor's text. Bounds: 30 s, 300 MB. (The regression of read_text refusing devices and
    FIFOs; named on the command line they were a "not a directory" note and the run passed.)"""
    ws = tmp_path
    fifo = spec(ws, "fifo", None, None)
    os.mkfifo(fifo / "tasks.md")
    os.mkfifo(fifo / "requirements.md")
    dev = spec(ws, "dev", "- [ ] 1. Device requirements\n  - _Requirements: 1.1_\n- [ ] 2. None\n", None)
    device = os.geteuid() == 0
    if device:
        os.mknod(dev / "requirements.md", 0o644 | stat.S_IFCHR, os.makedev(1, 5))  # what /dev/zero is
    else:
        os.mkfifo(dev / "requirements.md")
    spec(ws, "ok", "- [ ] 1. Fine\n  - _Requirements: 9.9_\n")
    (ws / "zero.md").symlink_to("/dev/zero")
    reason = "not a regular file (a device, pipe or socket); specmark reads only regular files"

    got = run_cli(["check", "--format", "json", "."], cwd=ws, timeout=30)
    assert got.code == 2 and got.seconds < 30 and got.peak_mb < 300, got
    assert "Traceback" not in got.stderr, got.stderr
    for name in ("fifo/tasks.md", "fifo/requirements.md", "dev/requirements.md"):
        assert f"error: .kiro/specs/{name}: {reason}" in got.stderr, got.stderr
    found = sorted((Path(f["path"]).parent.name, f["code"], f["line"]) for f in got.json())
    assert ("dev", "missing-requirements", 3) in found and ("ok", "unknown-requirement", 2) in found, found
    got = run_cli(
        ["check", "--format", "json", "zero.md", ".kiro/specs/fifo/tasks.md", ".kiro/specs/ok"],
        cwd=ws,
        timeout=30,
    )
    assert got.code == 2 and got.seconds < 30 and "Traceback" not in got.stderr, got
    assert (
        f"error: zero.md: {reason}" in got.stderr
        and f"error: .kiro/specs/fifo/tasks.md: {reason}" in got.stderr
    )
    assert {Path(f["path"]).parent.name for f in got.json()} == {"ok"}

    async with session("visual-studio-code", ws) as client:
        t0 = time.perf_counter()
        await wait_for(lambda: _indexed(client) is not None, 30)
        text = "- [ ] 1. From the editor\n  - _Requirements: 1.1_\n- [ ] 2. None\n"
        for folder in (fifo, dev):
            uri = open_doc(client, folder / "tasks.md", text)
            diags = await diagnostics_at(client, uri, 1, timeout=30)
            assert server_by_line(diags) == [("missing-requirements", 2)]  # no requirements read
            await exercise(client, uri, [(n, c) for n in range(3) for c in (0, 9, 20)])
        assert time.perf_counter() - t0 < 30
        _rss, peak = memory_mb(server_pid(client))
        assert peak < 300, peak
        assert not logged_errors(client)


# ---- a spec folder that cannot be read ------------------------------------------------------------------

NOBODY = 65534


def _can_drop_privileges() -> bool:
    return os.geteuid() == 0 and shutil.which("setpriv") is not None


async def test_unreadable_spec_folder():
    """chmod 000 on a spec folder and on a requirements file. As root chmod does not stop
    reads, so the CLI and the server then run as `nobody` (setpriv); as another user, as is."""
    if os.geteuid() == 0 and not _can_drop_privileges():
        pytest.skip("running as root without setpriv: chmod 000 would not stop reads")
    root = Path(tempfile.mkdtemp(prefix="specmark-unreadable-"))
    try:
        os.chmod(root, 0o755)
        spec(root, "readable", "- [ ] 1. Fine\n  - _Requirements: 1.1_\n")
        locked = spec(root, "locked", "- [ ] 1. Hidden\n")
        lockedreq = spec(
            root, "lockedreq", "- [ ] 1. Cites\n  - _Requirements: 1.1_\n- [ ] 2. Cites nothing\n"
        )
        for p in root.rglob("*"):
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
        os.chmod(locked, 0)
        os.chmod(lockedreq / "requirements.md", 0)
        prefix = (
            ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
            if os.geteuid() == 0
            else []
        )
        env = {**os.environ, "HOME": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
        proc = subprocess.run(
            prefix + [sys.executable, "-m", "specmark", "check", "--format", "json", "."],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2, proc
        assert "lockedreq/requirements.md: permission denied; make the file readable" in proc.stderr
        assert "error: .kiro/specs/locked: permission denied; cannot list this spec folder" in proc.stderr, (
            proc.stderr
        )
        assert "Traceback" not in proc.stderr
        found = {(Path(f["path"]).parent.name, f["code"]) for f in json.loads(proc.stdout)}
        assert ("lockedreq", "missing-requirements") in found  # its tasks.md is still checked
        # the server, as the same user: a document the editor has open in the unreadable
        # folder is still analysed (the editor sent its text); the unreadable file is skipped
        raw = RawServer(cwd=root, prefix=prefix, env=env)
        try:
            raw.initialize(root)
            uri = (locked / "tasks.md").as_uri()
            raw.open(uri, "- [ ] 1. Hidden\n")
            pub = raw.wait_notification(
                "textDocument/publishDiagnostics", lambda m: m["params"]["uri"] == uri
            )
            assert [d["code"] for d in pub["params"]["diagnostics"]] == ["missing-requirements"]
            uri2 = (lockedreq / "tasks.md").as_uri()
            raw.open(uri2, (lockedreq / "tasks.md").read_text(encoding="utf-8"))
            pub = raw.wait_notification(
                "textDocument/publishDiagnostics", lambda m: m["params"]["uri"] == uri2
            )
            # as the CLI: analysed without the requirements it cannot read, and the log says why
            assert [(d["code"], d["range"]["start"]["line"]) for d in pub["params"]["diagnostics"]] == [
                ("missing-requirements", 2)
            ]
            hover = raw.call(
                "textDocument/hover",
                {"textDocument": {"uri": uri2}, "position": {"line": 1, "character": 20}},
            )
            assert "error" not in hover
            assert raw.shutdown_and_exit() == 0
            # the server logs through window/logMessage once the client is connected (lsp/logs.py)
            logged = raw.stderr + "".join(
                m["params"]["message"] for m in raw.notifications("window/logMessage")
            )
            assert "lockedreq/requirements.md: permission denied" in logged, logged
            assert "Traceback" not in logged, logged
        finally:
            raw.kill()
    finally:
        for p in [root, *root.rglob("*")]:
            try:
                os.chmod(p, 0o755)
            except OSError:
                pass
        shutil.rmtree(root, ignore_errors=True)

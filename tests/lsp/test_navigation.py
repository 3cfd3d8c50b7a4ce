"""Navigation features through the real server (VS Code 1.65 and Neovim 0.11 presets), on a
hand-written demo spec and on real spec folders copied from the shared corpus: Kiro English,
Kiro Traditional Chinese, cc-sdd Japanese, spec-workflow (REQ-xxx) and spec-kit.

One server per preset for the whole module (module-scoped pytest-lsp fixture).
"""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient, client_capabilities

from conftest import PRESETS, SERVER, apply_text_edits, edits_of, renumber_action
from demo_spec import LOGIN_REQUIREMENTS as DEMO_REQ
from demo_spec import LOGIN_TASKS
from shared_corpus import require_corpus

pytestmark = pytest.mark.asyncio(loop_scope="module")

COPIES = {
    ".kiro/specs/kiro-en": "kirodotdev__Kiro__github-issue-automation",
    ".kiro/specs/kiro-zh": "chiisen__KIRO__todo-list",
    ".kiro/specs/cc-sdd-ja": "inakanou__ArchiTrack__user-authentication",
    ".spec-workflow/specs/rag": "kkg-labs__nooklet-fullstack__rag-test-interface",
    "specs/005-characters": "dougis-org__dnd-tracker__005-character-management-pages",
}

# the demo plan with a non-BMP title (UTF-16 columns) and no unknown reference
DEMO_TASKS = LOGIN_TASKS.replace("the login form", "the login form 😀").replace("3.2, 9.9_", "3.2_")


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    corpus = require_corpus()
    root = tmp_path_factory.mktemp("navws")
    demo = root / ".kiro" / "specs" / "demo"
    demo.mkdir(parents=True)
    (demo / "requirements.md").write_text(DEMO_REQ, encoding="utf-8")
    (demo / "tasks.md").write_text(DEMO_TASKS, encoding="utf-8")
    for rel, name in COPIES.items():
        shutil.copytree(corpus / name, root / rel)
    return root


@pytest_lsp.fixture(config=SERVER, params=PRESETS, scope="module")
async def nav(lsp_client: LanguageClient, request, ws):
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=ws.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=ws.as_uri(), name="ws")],
            initialization_options={"diagnosticMode": "push", "settings": {"specmark": {"inlayHints": True}}},
        )
    )
    lsp_client.preset = request.param  # type: ignore[attr-defined]
    lsp_client.caps = result.capabilities  # type: ignore[attr-defined]
    lsp_client.encoding = str(result.capabilities.position_encoding or "utf-16")  # type: ignore[attr-defined]
    lsp_client.ws = ws  # type: ignore[attr-defined]
    lsp_client.opened = set()  # type: ignore[attr-defined]
    yield lsp_client
    await lsp_client.shutdown_session()


# ---- helpers ----------------------------------------------------------------------------------


def units(client, text: str) -> int:
    if "8" in client.encoding:
        return len(text.encode("utf-8"))
    if "32" in client.encoding:
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def at(client, path: Path, line: int, needle: str, nth: int = 0, offset: int = 0) -> types.Position:
    """The client position of the `nth` `needle` on `line` (plus `offset` code points)."""
    row = lines_of(path)[line]
    col = -1
    for _ in range(nth + 1):
        col = row.index(needle, col + 1)
    return types.Position(line=line, character=units(client, row[: col + offset]))


def text_of(client, path: Path, rng: types.Range) -> str:
    """The text a client range covers (single line), in the negotiated encoding."""
    assert rng.start.line == rng.end.line
    row = lines_of(path)[rng.start.line]

    def col(u: int) -> int:
        for i in range(len(row) + 1):
            if units(client, row[:i]) >= u:
                return i
        return len(row)

    return row[col(rng.start.character) : col(rng.end.character)]


def line_of(client, path: Path, needle: str) -> int:
    return next(i for i, row in enumerate(lines_of(path)) if needle in row)


def open_file(client, path: Path) -> str:
    uri = path.as_uri()
    if uri not in client.opened:
        client.opened.add(uri)
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="markdown", version=1, text=path.read_text(encoding="utf-8")
                )
            )
        )
    return uri


def doc_id(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=path.as_uri())


def spec(client, rel: str) -> Path:
    return client.ws / (rel if "/" in rel else f".kiro/specs/{rel}")


async def hover_at(client, path: Path, pos: types.Position):
    return await client.text_document_hover_async(types.HoverParams(text_document=doc_id(path), position=pos))


async def rename_at(client, path: Path, pos: types.Position, new_name: str) -> types.WorkspaceEdit | None:
    return await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(path), position=pos, new_name=new_name)
    )


# ---- hover ---------------------------------------------------------------------------------------


async def test_hover_reference_task_and_requirement(nav):
    tasks, req = spec(nav, "demo") / "tasks.md", spec(nav, "demo") / "requirements.md"
    open_file(nav, tasks)
    h = await hover_at(nav, tasks, at(nav, tasks, 3, "1.2", offset=1))
    assert h.contents.kind == types.MarkupKind.Markdown
    assert "WHEN wrong THE system SHALL show an error" in h.contents.value
    assert h.contents.value.endswith("Covered by 1 task (0 done)")
    assert text_of(nav, tasks, h.range) == "1.2"
    # the far end of a range
    h = await hover_at(nav, tasks, at(nav, tasks, 11, "2.2"))
    assert "clear the cookie" in h.contents.value and "Covered by 2 tasks (1 done)" in h.contents.value
    # a task line (after an emoji: UTF-16 and UTF-8 columns differ from code points)
    h = await hover_at(nav, tasks, at(nav, tasks, 9, "Log out"))
    assert "Status: to do · 1 of 2 sub-tasks done" in h.contents.value
    h = await hover_at(nav, tasks, at(nav, tasks, 2, "form"))
    assert "- `1.1` — Login: WHEN valid THE system SHALL start a session" in h.contents.value
    # a requirement heading: the covering tasks with their status
    h = await hover_at(nav, req, at(nav, req, 4, "Login"))
    assert (
        "Covered by 2 tasks (1 done):" in h.contents.value
        and "- [x] 2 Lock accounts (done)" in h.contents.value
    )


async def test_hover_on_chinese_and_japanese_specs(nav):
    zh = spec(nav, "kiro-zh") / "tasks.md"
    line = line_of(nav, zh, "_需求: 1.1, 2.1, 3.1_")
    h = await hover_at(nav, zh, at(nav, zh, line, "2.1"))
    assert h is not None and text_of(nav, zh, h.range) == "2.1"
    assert "系統 SHALL 顯示所有待辦事項" in h.contents.value
    ja = spec(nav, "cc-sdd-ja") / "requirements.md"
    line = line_of(nav, ja, "### 要件4: ログイン")
    h = await hover_at(nav, ja, at(nav, ja, line, "ログイン"))
    assert h.contents.value.startswith("**Requirement 4**: ログイン") and "overed by" in h.contents.value


# ---- definition and references ---------------------------------------------------------------------


async def test_definition_of_reference_range_end_depends_req_and_story(nav):
    tasks, req = spec(nav, "demo") / "tasks.md", spec(nav, "demo") / "requirements.md"
    got = await nav.text_document_definition_async(
        types.DefinitionParams(text_document=doc_id(tasks), position=at(nav, tasks, 11, "2.2"))
    )
    assert got[0].uri == req.as_uri() and got[0].range.start.line == 19
    got = await nav.text_document_definition_async(
        types.DefinitionParams(text_document=doc_id(tasks), position=at(nav, tasks, 14, "3.1"))
    )
    assert got[0].uri == tasks.as_uri() and got[0].range.start.line == 10
    rag = spec(nav, ".spec-workflow/specs/rag")
    line = line_of(nav, rag / "tasks.md", "_Requirements: REQ-002, REQ-003_")
    got = await nav.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc_id(rag / "tasks.md"),
            position=at(nav, rag / "tasks.md", line, "REQ-003", offset=4),
        )
    )
    assert got[0].uri == (rag / "requirements.md").as_uri()
    assert lines_of(rag / "requirements.md")[got[0].range.start.line].startswith(
        "### REQ-003: Chat Interface"
    )
    kit = spec(nav, "specs/005-characters")
    line = line_of(nav, kit / "tasks.md", "T014 [US1]")
    got = await nav.text_document_definition_async(
        types.DefinitionParams(
            text_document=doc_id(kit / "tasks.md"), position=at(nav, kit / "tasks.md", line, "US1")
        )
    )
    assert lines_of(kit / "spec.md")[got[0].range.start.line].startswith(
        "### User Story 1 - Browse Characters"
    )


async def test_references_from_requirements_document_and_from_a_reference(nav):
    tasks, req = spec(nav, "demo") / "tasks.md", spec(nav, "demo") / "requirements.md"
    got = await nav.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(req),
            position=at(nav, req, 21, "3"),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert got[0].uri == req.as_uri() and got[0].range.start.line == 21
    assert [(loc.range.start.line, text_of(nav, tasks, loc.range)) for loc in got[1:]] == [
        (6, "3"),
        (13, "3.2"),
    ]
    # criterion 2.2 from a reference: the range end and the direct reference
    got = await nav.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(tasks),
            position=at(nav, tasks, 13, "2.2"),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert [(loc.range.start.line, text_of(nav, tasks, loc.range)) for loc in got] == [
        (11, "2.2"),
        (13, "2.2"),
    ]


async def test_references_on_chinese_spec_columns(nav):
    zh = spec(nav, "kiro-zh")
    req_line = line_of(nav, zh / "requirements.md", "### 需求 2")
    got = await nav.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(zh / "requirements.md"),
            position=types.Position(line=req_line, character=4),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    texts = [text_of(nav, zh / "tasks.md", loc.range) for loc in got]
    assert {loc.uri for loc in got} == {(zh / "tasks.md").as_uri()}
    # 2.x criteria, and the whole-spec reference "_需求: 所有需求的效能優化_"
    assert texts and all(t.startswith("2.") or t == "所有需求的效能優化" for t in texts)
    assert "所有需求的效能優化" in texts and len(texts) > 3


# ---- rename ----------------------------------------------------------------------------------------


async def test_prepare_rename_and_refusals(nav):
    tasks, req = spec(nav, "demo") / "tasks.md", spec(nav, "demo") / "requirements.md"
    got = await nav.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc_id(req), position=at(nav, req, 21, "Audit"))
    )
    assert got.placeholder == "3" and text_of(nav, req, got.range) == "3"
    with pytest.raises(JsonRpcException, match="Criterion 1.1 cannot be renamed: criterion IDs are derived"):
        await nav.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=doc_id(tasks), position=at(nav, tasks, 3, "1.1"))
        )
    with pytest.raises(
        JsonRpcException, match=r"Requirement 2 already exists \(line 15 of requirements.md\)"
    ):
        await rename_at(nav, req, at(nav, req, 21, "3"), "2")


async def test_rename_requirement_3_to_4_edits_heading_and_every_reference(nav):
    tasks, req = spec(nav, "demo") / "tasks.md", spec(nav, "demo") / "requirements.md"
    open_file(nav, req)  # tasks.md may or may not be open: columns must be right either way
    edit = await rename_at(nav, req, at(nav, req, 21, "3"), "4")
    assert apply_text_edits(DEMO_REQ, edits_of(edit, req.as_uri())) == DEMO_REQ.replace(
        "### Requirement 3: Audit", "### Requirement 4: Audit"
    )
    assert apply_text_edits(DEMO_TASKS, edits_of(edit, tasks.as_uri())) == DEMO_TASKS.replace(
        "_Requirements: 1.3, 3_", "_Requirements: 1.3, 4_"
    ).replace("_Requirements: 2.2, 3.2_", "_Requirements: 2.2, 4.2_")


async def test_rename_spec_workflow_prefixed_id_on_unopened_tasks(nav):
    rag = spec(nav, ".spec-workflow/specs/rag")
    req_text = (rag / "requirements.md").read_text(encoding="utf-8")
    tasks_text = (rag / "tasks.md").read_text(encoding="utf-8")
    line = line_of(nav, rag / "requirements.md", "### REQ-002:")
    edit = await rename_at(nav, rag / "requirements.md", types.Position(line=line, character=6), "REQ-009")
    new_req = apply_text_edits(req_text, edits_of(edit, (rag / "requirements.md").as_uri()))
    new_tasks = apply_text_edits(tasks_text, edits_of(edit, (rag / "tasks.md").as_uri()))
    assert new_req == req_text.replace("### REQ-002:", "### REQ-009:")
    assert new_tasks == tasks_text.replace("REQ-002", "REQ-009")
    assert tasks_text.count("REQ-002") >= 2


async def test_rename_rewrites_validates_lines_of_design_md(nav):
    """Kiro's design.md cites criteria in `**Validates: Requirements 1.1, 5.5**`: a rename of
    requirement 5 rewrites them (design.md is not open: columns come from the disk)."""
    en = spec(nav, "kiro-en")
    design_text = (en / "design.md").read_text(encoding="utf-8")
    line = line_of(nav, en / "requirements.md", "### Requirement 5:")
    edit = await rename_at(nav, en / "requirements.md", types.Position(line=line, character=16), "15")
    new_design = apply_text_edits(design_text, edits_of(edit, (en / "design.md").as_uri()))
    expected = re.sub(
        r"(\*\*Validates: Requirements [^*]*\*\*)",
        lambda m: re.sub(r"\b5\.(\d+)", r"15.\1", m.group(1)),
        design_text,
    )
    assert new_design == expected and new_design != design_text
    got = await nav.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(en / "requirements.md"),
            position=types.Position(line=line, character=16),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    cited = [
        text_of(nav, en / "design.md", loc.range) for loc in got if loc.uri == (en / "design.md").as_uri()
    ]
    assert cited and all(c.startswith("5.") for c in cited)


# ---- code lens -------------------------------------------------------------------------------------


async def test_code_lens_progress_and_coverage_with_show_references(nav):
    tasks, req = spec(nav, "demo") / "tasks.md", spec(nav, "demo") / "requirements.md"
    lenses = await nav.text_document_code_lens_async(types.CodeLensParams(text_document=doc_id(tasks)))
    assert [(lens.range.start.line, lens.command.title, lens.command.command) for lens in lenses] == [
        (0, "2/5 tasks done · 7/7 criteria covered", ""),
        (9, "1/2 done", ""),
        (2, "ready", ""),  # the plan declares dependencies (_Depends:): open units say if they may start
        (12, "ready", ""),
    ]
    lenses = await nav.text_document_code_lens_async(types.CodeLensParams(text_document=doc_id(req)))
    assert [lens.command.title for lens in lenses] == ["covered by 2 tasks (1 done)"] * 3
    cmd = lenses[1].command
    want = "editor.action.showReferences" if nav.preset == "visual-studio-code" else "specmark.showReferences"
    assert cmd.command == want
    uri, position, locations = cmd.arguments
    assert uri == req.as_uri() and position["line"] == 14
    assert [(loc["uri"], loc["range"]["start"]["line"]) for loc in locations] == [
        (tasks.as_uri(), 10),
        (tasks.as_uri(), 12),
    ]
    if nav.preset != "visual-studio-code":
        result = await nav.workspace_execute_command_async(
            types.ExecuteCommandParams(command=cmd.command, arguments=cmd.arguments)
        )
        assert len(result["locations"]) == 2
        assert nav.shown_documents and nav.shown_documents[-1].uri == tasks.as_uri()
        assert nav.shown_documents[-1].selection.start.line == 10


async def test_code_lens_on_japanese_and_spec_kit(nav):
    ja = spec(nav, "cc-sdd-ja")
    lenses = await nav.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc_id(ja / "requirements.md"))
    )
    assert len(lenses) >= 30 and all("covered" in lens.command.title for lens in lenses)
    kit = spec(nav, "specs/005-characters")
    lenses = await nav.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc_id(kit / "tasks.md"))
    )
    # five stories with eight acceptance scenarios between them, each covered through its [USn]
    assert lenses[0].command.title.endswith("tasks done · 8/8 criteria covered")


# ---- symbols, folding --------------------------------------------------------------------------------


async def test_document_symbols_tasks_and_requirements(nav):
    en = spec(nav, "kiro-en")
    syms = await nav.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc_id(en / "tasks.md"))
    )
    assert syms[0].name == "1 Set up project structure and dependencies"
    two = next(s for s in syms if s.name.startswith("2 "))
    assert two.detail == "to do · 1/2" and two.kind == types.SymbolKind.Event
    assert [c.name.split(" ")[0] for c in two.children] == ["2.1", "2.2"]
    kit = spec(nav, "specs/005-characters")
    syms = await nav.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc_id(kit / "spec.md"))
    )
    names = [s.name for s in syms]
    assert "User Story 1: Browse Characters" in names and any(n.startswith("FR-001: ") for n in names)


async def test_workspace_symbols_fuzzy_across_specs(nav):
    async def query(q):
        for _ in range(200):  # discovery runs in the background after `initialized`
            got = await nav.workspace_symbol_async(types.WorkspaceSymbolParams(query=q))
            if got and len({s.container_name.split(" · ")[0] for s in got}) >= 3:
                return got
            await asyncio.sleep(0.05)
        return got

    got = await query("req")
    containers = {s.container_name.split(" · ")[0] for s in got}
    assert {"demo", "kiro-en", "rag"} <= containers
    got = await nav.workspace_symbol_async(types.WorkspaceSymbolParams(query="REQ003"))
    assert got[0].name == "REQ-003: Chat Interface"
    assert got[0].location.uri == (spec(nav, ".spec-workflow/specs/rag") / "requirements.md").as_uri()


async def test_folding_ranges(nav):
    tasks = spec(nav, "demo") / "tasks.md"
    got = await nav.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc_id(tasks)))
    assert [(f.start_line, f.end_line) for f in got] == [(2, 3), (5, 7), (9, 14), (10, 11), (12, 14)]
    req = spec(nav, "kiro-en") / "requirements.md"
    got = await nav.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc_id(req)))
    assert len(got) >= 8


# ---- inlay hints, links, semantic tokens ------------------------------------------------------------


async def test_inlay_hints(nav):
    if nav.preset == "visual-studio-code":
        pytest.skip("VS Code 1.65 has no inlay hints")
    zh = spec(nav, "kiro-zh") / "tasks.md"
    n = len(lines_of(zh))
    got = await nav.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=doc_id(zh),
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=n, character=0)
            ),
        )
    )
    assert got
    for hint in got:
        row = lines_of(zh)[hint.position.line]
        before = text_of(
            nav,
            zh,
            types.Range(start=types.Position(line=hint.position.line, character=0), end=hint.position),
        )
        assert before[-1].isdigit() and row.startswith(before)  # right after an ID
    tasks = spec(nav, "demo") / "tasks.md"
    got = await nav.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=doc_id(tasks),
            range=types.Range(
                start=types.Position(line=3, character=0), end=types.Position(line=3, character=40)
            ),
        )
    )
    assert [(h.position.line, h.label) for h in got] == [(3, "Login")]


async def test_document_links(nav):
    tasks, req = spec(nav, "demo") / "tasks.md", spec(nav, "demo") / "requirements.md"
    got = await nav.text_document_document_link_async(types.DocumentLinkParams(text_document=doc_id(tasks)))
    first = got[0]
    assert text_of(nav, tasks, first.range) == "1.1" and first.target == f"{req.as_uri()}#L11"
    assert any(link.target == f"{tasks.as_uri()}#L3" for link in got)  # _Depends: 1._


async def test_semantic_tokens(nav):
    legend = nav.caps.semantic_tokens_provider.legend
    assert list(legend.token_types) == ["namespace", "keyword", "enumMember", "property"]
    ja = spec(nav, "cc-sdd-ja") / "tasks.md"
    got = await nav.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=doc_id(ja))
    )
    data = list(got.data)
    assert data and len(data) % 5 == 0
    line = start = 0
    decoded = []
    for i in range(0, len(data), 5):
        dl, ds, length, typ, _mods = data[i : i + 5]
        line += dl
        start = start + ds if dl == 0 else ds
        rng = types.Range(
            start=types.Position(line=line, character=start),
            end=types.Position(line=line, character=start + length),
        )
        decoded.append((legend.token_types[typ], text_of(nav, ja, rng)))
    assert ("namespace", "12.1") in decoded and ("keyword", "x") in decoded
    assert ("property", "Requirements") in decoded
    refs = [text for kind, text in decoded if kind == "enumMember"]
    assert refs and all(t[0].isdigit() or t in ("全要件",) for t in refs)


# ---- renumber tasks (offered by handlers/code_actions.py) --------------------------------------------

MESSY = "# Plan\n\n- [ ] 1. A\n  - [ ] 1.1 a\n  - [x] 1.3 b\n- [ ] 5. B\n  - [ ] 5.2 c 😀\n    - _Depends: 1.3, 5._\n"


async def test_renumber_tasks_source_action(nav):
    import specmark.lsp.handlers.code_actions as code_actions

    if "renumber_actions" not in Path(code_actions.__file__).read_text(encoding="utf-8"):
        pytest.skip("handlers/code_actions.py does not offer renumber_actions yet")
    tasks = spec(nav, "demo") / "tasks.md"
    uri = tasks.as_uri()
    open_file(nav, tasks)
    nav.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=50),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=MESSY)],
        )
    )
    try:
        action = await renumber_action(nav, uri)
        assert str(action.kind).startswith("source")
        assert apply_text_edits(MESSY, edits_of(action.edit, uri)) == (
            "# Plan\n\n- [ ] 1. A\n  - [ ] 1.1 a\n  - [x] 1.2 b\n- [ ] 2. B\n  - [ ] 2.1 c 😀\n    - _Depends: 1.2, 2._\n"
        )
    finally:
        nav.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=51),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=DEMO_TASKS)],
            )
        )


async def test_refresh_views_asks_only_for_what_the_client_supports():
    from types import SimpleNamespace

    from specmark.lsp.client import ClientDescription
    from specmark.lsp.handlers.navigation import refresh_views

    sent = []

    def sender(name):
        async def send(params):
            sent.append(name)

        return send

    ls = SimpleNamespace(
        client=ClientDescription(client_capabilities("visual-studio-code")),
        log=lambda msg: None,
        workspace_code_lens_refresh_async=sender("codeLens"),
        workspace_inlay_hint_refresh_async=sender("inlayHint"),
        workspace_semantic_tokens_refresh_async=sender("semanticTokens"),
    )
    await refresh_views(ls)
    assert sent == ["codeLens", "semanticTokens"]  # VS Code 1.65 has no inlay hints

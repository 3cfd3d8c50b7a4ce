"""design.md through the real server: its requirement references get diagnostics (unknown IDs,
placeholders, malformed tokens), kept up to date as design.md or requirements.md change, with
the "did you mean" quick fix; every other request on it is answered without a server error."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient, client_capabilities

from conftest import PRESETS, SERVER, change, codes, diagnostics_at, open_doc

pytestmark = pytest.mark.asyncio(loop_scope="module")

REQ = """# Requirements Document

### Requirement 1: Login

#### Acceptance Criteria

1. WHEN valid THE system SHALL start a session
2. WHEN wrong THE system SHALL show an error
"""
TASKS = "- [ ] 1. Login\n  - _Requirements: 1.1, 1.2_\n"
DESIGN = """# Design

## Correctness Properties

### Property 1: Sessions

*For any* valid login, a session starts.

**Validates: Requirements 1.2, 1.7**

### Property 2: Errors

**Validates: Requirements TBD**

```markdown
**Validates: Requirements 9.9**
```

- _Requirements: 1.1, foo bar_
"""
UNKNOWN_LINE = 8  # **Validates: Requirements 1.2, 1.7**


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("designws")
    spec = root / ".kiro" / "specs" / "login"
    spec.mkdir(parents=True)
    (spec / "requirements.md").write_text(REQ, encoding="utf-8")
    (spec / "tasks.md").write_text(TASKS, encoding="utf-8")
    (spec / "design.md").write_text(DESIGN, encoding="utf-8")
    return root


@pytest_lsp.fixture(config=SERVER, params=PRESETS, scope="module")
async def lsp(lsp_client: LanguageClient, request, ws):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=ws.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=ws.as_uri(), name="ws")],
            initialization_options={"diagnosticMode": "push"},
        )
    )
    lsp_client.spec = ws / ".kiro" / "specs" / "login"  # type: ignore[attr-defined]
    yield lsp_client
    await lsp_client.shutdown_session()


def rng(line: int, col: int, end_col: int) -> types.Range:
    return types.Range(
        start=types.Position(line=line, character=col), end=types.Position(line=line, character=end_col)
    )


async def until(predicate, timeout: float = 10.0):
    async def wait():
        while not predicate():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(wait(), timeout)


def close(client: LanguageClient, uri: str) -> None:
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


async def test_design_references_get_diagnostics_with_exact_ranges(lsp):
    uri = open_doc(lsp, lsp.spec / "design.md")
    diags = await diagnostics_at(lsp, uri, 1)
    by_code = {str(d.code): d for d in diags}
    assert codes(diags) == ["malformed-reference", "placeholder-requirements", "unknown-requirement"]
    unknown = by_code["unknown-requirement"]
    assert unknown.range == rng(UNKNOWN_LINE, 31, 34)
    assert unknown.message.startswith(
        "design.md references criterion 1.7, which requirements.md does not define"
    )
    assert unknown.code_description.href.endswith("docs/rules/unknown-requirement.md")
    assert by_code["placeholder-requirements"].range == rng(12, 26, 29)  # TBD
    assert by_code["malformed-reference"].range == rng(18, 22, 29)  # foo bar
    # the reference inside the code fence (9.9) is not read
    assert all(d.range.start.line != 15 for d in diags)
    close(lsp, uri)


async def test_quick_fix_changes_the_unknown_id_in_design_md(lsp):
    uri = open_doc(lsp, lsp.spec / "design.md")
    diags = await diagnostics_at(lsp, uri, 1)
    unknown = [d for d in diags if d.code == "unknown-requirement"]
    actions = await lsp.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=unknown[0].range,
            context=types.CodeActionContext(diagnostics=unknown),
        )
    )
    titles = [a.title for a in actions]
    assert titles[0] == "Change to 1.2" and "Change to 1.1" in titles
    first = actions[0]
    edits = first.edit.document_changes[0].edits if first.edit.document_changes else first.edit.changes[uri]
    assert [(e.range, e.new_text) for e in edits] == [(rng(UNKNOWN_LINE, 31, 34), "1.2")]
    assert list(first.diagnostics) == unknown
    close(lsp, uri)


async def test_design_diagnostics_follow_design_and_requirements_edits(lsp):
    design_uri = open_doc(lsp, lsp.spec / "design.md")
    req_uri = open_doc(lsp, lsp.spec / "requirements.md")
    assert "unknown-requirement" in codes(await diagnostics_at(lsp, design_uri, 1))
    # requirements.md gains criteria up to 1.7 (unsaved): the design's 1.7 is known now
    extra = "".join(f"{n}. THE system SHALL do {n}\n" for n in range(3, 8))
    change(lsp, req_uri, 2, 8, 0, 8, 0, extra)
    await until(lambda: "unknown-requirement" not in codes(lsp.diagnostics.get(design_uri, [])))
    # and design.md itself: 1.2 → 1.9 is unknown again
    change(lsp, design_uri, 2, UNKNOWN_LINE, 28, UNKNOWN_LINE, 29, "9")
    diags = await diagnostics_at(lsp, design_uri, 2)
    unknown = [d for d in diags if d.code == "unknown-requirement"]
    assert [d.range for d in unknown] == [rng(UNKNOWN_LINE, 26, 29)] and "1.9" in unknown[0].message
    # the requirements edit undone: 1.7 unknown again, next to 1.9
    change(lsp, req_uri, 3, 8, 0, 13, 0, "")
    await until(
        lambda: len([d for d in lsp.diagnostics.get(design_uri, []) if d.code == "unknown-requirement"]) == 2
    )
    close(lsp, design_uri)
    close(lsp, req_uri)


async def test_every_request_on_design_md_is_answered_without_a_server_error(lsp):
    uri = open_doc(lsp, lsp.spec / "design.md")
    await diagnostics_at(lsp, uri, 1)
    doc = types.TextDocumentIdentifier(uri=uri)
    logged = len(lsp.log_messages)
    for line, col in [(0, 0), (UNKNOWN_LINE, 27), (UNKNOWN_LINE, 32), (18, 22), (40, 0)]:
        pos = types.Position(line=line, character=col)
        await lsp.text_document_hover_async(types.HoverParams(text_document=doc, position=pos))
        await lsp.text_document_definition_async(types.DefinitionParams(text_document=doc, position=pos))
        await lsp.text_document_references_async(
            types.ReferenceParams(
                text_document=doc, position=pos, context=types.ReferenceContext(include_declaration=True)
            )
        )
        await lsp.text_document_completion_async(types.CompletionParams(text_document=doc, position=pos))
        await lsp.text_document_inlay_hint_async(
            types.InlayHintParams(text_document=doc, range=rng(line, 0, 0))
        )
        for rename in (
            lsp.text_document_prepare_rename_async(
                types.PrepareRenameParams(text_document=doc, position=pos)
            ),
            lsp.text_document_rename_async(types.RenameParams(text_document=doc, position=pos, new_name="7")),
        ):
            try:
                await rename
            except JsonRpcException as exc:  # a refused rename (derived criterion IDs) is an answer
                assert (
                    "Request failed" in str(exc)
                    or "cannot" in str(exc).lower()
                    or "rename" in str(exc).lower()
                ), exc
        await lsp.text_document_code_action_async(
            types.CodeActionParams(
                text_document=doc, range=rng(line, col, col), context=types.CodeActionContext(diagnostics=[])
            )
        )
    await lsp.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc))
    await lsp.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc))
    await lsp.text_document_code_lens_async(types.CodeLensParams(text_document=doc))
    await lsp.text_document_document_link_async(types.DocumentLinkParams(text_document=doc))
    await lsp.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=doc))
    await lsp.workspace_symbol_async(types.WorkspaceSymbolParams(query="1"))
    failures = [
        m.message for m in lsp.log_messages[logged:] if "failed" in m.message or "Traceback" in m.message
    ]
    assert not failures, failures[0]
    close(lsp, uri)


def pos(line: int, col: int) -> types.Position:
    return types.Position(line=line, character=col)


async def test_navigation_from_a_design_reference(lsp):
    """F12, hover, find references and completion work on design.md's citations too."""
    uri = open_doc(lsp, lsp.spec / "design.md")
    await diagnostics_at(lsp, uri, 1)
    doc = types.TextDocumentIdentifier(uri=uri)
    req_uri = (lsp.spec / "requirements.md").as_uri()
    tasks_uri = (lsp.spec / "tasks.md").as_uri()
    # on "1.2" of **Validates: Requirements 1.2, 1.7**
    got = await lsp.text_document_definition_async(
        types.DefinitionParams(text_document=doc, position=pos(UNKNOWN_LINE, 27))
    )
    locs = got if isinstance(got, list) else [got]
    assert [(loc.uri, loc.range.start.line) for loc in locs] == [(req_uri, 7)]  # "2. WHEN wrong …"
    hover = await lsp.text_document_hover_async(
        types.HoverParams(text_document=doc, position=pos(UNKNOWN_LINE, 27))
    )
    assert "WHEN wrong THE system SHALL show an error" in hover.contents.value
    assert hover.range == rng(UNKNOWN_LINE, 26, 29)
    unknown = await lsp.text_document_hover_async(
        types.HoverParams(text_document=doc, position=pos(UNKNOWN_LINE, 32))
    )
    assert "**1.7** is not defined in `requirements.md`" in unknown.contents.value
    refs = await lsp.text_document_references_async(
        types.ReferenceParams(
            text_document=doc,
            position=pos(UNKNOWN_LINE, 27),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert sorted((r.uri, r.range.start.line, r.range.start.character) for r in refs) == sorted(
        [(req_uri, 7, 0), (tasks_uri, 1, 24), (uri, UNKNOWN_LINE, 26)]
    )
    # nothing to navigate from prose or from the fenced line
    assert await lsp.text_document_definition_async(
        types.DefinitionParams(text_document=doc, position=pos(6, 3))
    ) in (None, [])
    assert (
        await lsp.text_document_hover_async(types.HoverParams(text_document=doc, position=pos(15, 28)))
        is None
    )
    close(lsp, uri)


async def test_completion_on_a_design_reference_line(lsp):
    uri = open_doc(lsp, lsp.spec / "design.md", DESIGN + "\n**Validates: Requirements 1.\n")
    await diagnostics_at(lsp, uri, 1)
    line = len(DESIGN.split("\n"))  # the added line
    got = await lsp.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos(line, 28))
    )
    labels = [i.label for i in got.items]
    assert labels == ["1.1", "1.2"]
    assert got.items[0].text_edit.range == rng(line, 26, 28)
    # prose is not a completion context
    none = await lsp.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos(6, 5))
    )
    assert none is None or not none.items
    close(lsp, uri)


async def test_design_findings_are_reused_while_design_and_requirements_stay(ws):
    """In-process: an edit in tasks.md re-checks neither the design nor the requirements; an
    edit in design.md does (the findings are the same objects until then)."""
    from specmark.lsp.state import State

    spec = ws / ".kiro" / "specs" / "login"
    state = State()
    paths = {
        name: state.open((spec / name).as_uri(), (spec / name).read_text(encoding="utf-8"), 1)
        for name in ("tasks.md", "requirements.md", "design.md")
    }
    design_path = paths["design.md"]
    first = state.findings(paths["tasks.md"])[design_path]
    assert [f.code for f in first].count("unknown-requirement") == 1
    doc = state.docs[paths["tasks.md"]]
    state.docs[paths["tasks.md"]] = doc.edit((0, 8), (0, 8), "x", 2)
    again = state.findings(paths["tasks.md"])[design_path]
    assert again == first and all(a is b for a, b in zip(again, first, strict=False))
    doc = state.docs[design_path]
    state.docs[design_path] = doc.edit((UNKNOWN_LINE, 33), (UNKNOWN_LINE, 34), "2", 2)  # 1.7 → 1.2
    after = state.findings(design_path)[design_path]
    assert "unknown-requirement" not in [f.code for f in after]

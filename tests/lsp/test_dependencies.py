"""Execution order in the editor, through the real server: diagnostics of the dependency
checks appearing and clearing as the graph is edited, task-ID completion on `_Depends:` lines
and in the graph's waves, hover / definition / references / renumbering across the graph, the
ready-or-blocked code lens and the waves in the outline."""

from __future__ import annotations

from lsprotocol import types

from conftest import DEMO, apply_text_edits, change, diagnostics_at, edits_of, open_doc, renumber_action

PLAN = """# Plan

- [x] 1. Schema
- [ ] 2. API
  - [ ] 2.1 Routes
    - _Depends: 1_
  - [ ] 2.2 Handlers
- [ ] 3. Checkpoint

## Task Dependency Graph

```json
{"waves": [{"id": 0, "tasks": ["1"]},
 {"id": 1, "tasks": ["2.1", "2.2"]}]}
```
"""
LINES = PLAN.split("\n")
WAVE1 = 13  # the line of wave 1


def doc_id(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def pos(line: int, text: str, offset: int = 0) -> types.Position:
    return types.Position(line=line, character=LINES[line].index(text) + offset)


async def opened(client) -> str:
    uri = open_doc(client, DEMO / "tasks.md", PLAN)
    await diagnostics_at(client, uri, 1)
    return uri


def order_codes(diags) -> list[tuple[str, int]]:
    mine = {"graph-mismatch", "unknown-dependency", "dependency-cycle", "dependency-not-done"}
    return sorted((str(d.code), d.range.start.line) for d in diags if str(d.code) in mine)


async def test_diagnostics_appear_and_clear_as_the_graph_is_edited(client):
    uri = await opened(client)
    diags = await diagnostics_at(client, uri, 1)
    # the checkpoint is in no wave
    assert order_codes(diags) == [("graph-mismatch", 7)]
    (gm,) = [d for d in diags if str(d.code) == "graph-mismatch"]
    assert gm.range.start.character == LINES[7].index("3.")
    # add it to wave 1: the finding goes
    at = LINES[WAVE1].index('"2.2"') + len('"2.2"')
    change(client, uri, 2, WAVE1, at, WAVE1, at, ', "3"')
    assert order_codes(await diagnostics_at(client, uri, 2)) == []
    # a dependency on a task that does not exist, then on a typo of the JSON
    col = LINES[5].index("1_")
    change(client, uri, 3, 5, col, 5, col + 1, "2.3")
    diags = await diagnostics_at(client, uri, 3)
    assert order_codes(diags) == [("unknown-dependency", 5)]
    (ud,) = [d for d in diags if str(d.code) == "unknown-dependency"]
    assert (ud.range.start.character, ud.range.end.character) == (col, col + 3)
    assert "did you mean 2.2" in ud.message
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc_id(uri),
            range=ud.range,
            context=types.CodeActionContext(diagnostics=[ud], only=[types.CodeActionKind.QuickFix]),
        )
    )
    fix = next(a for a in actions if a.title == "Change to 2.2")
    (edit,) = edits_of(fix.edit, uri)
    assert (edit.range.start.line, edit.range.start.character, edit.new_text) == (5, col, "2.2")
    change(client, uri, 4, 5, col, 5, col + 3, "1")
    change(client, uri, 5, WAVE1, 0, WAVE1, 1, "")  # drop the space before {: still JSON
    change(client, uri, 6, 12, LINES[12].index("},") + 1, 12, LINES[12].index("},") + 2, "")  # drop a comma
    diags = await diagnostics_at(client, uri, 6)
    # one finding where the parser stopped; the waves are ignored until the JSON parses again
    assert order_codes(diags) == [("graph-mismatch", WAVE1)]
    assert any("does not parse" in d.message for d in diags)


async def test_completion_of_task_ids(client):
    uri = await opened(client)
    # after "_Depends: 1" on line 5 type ", "
    end = LINES[5].index("1_") + 1
    change(client, uri, 2, 5, end, 5, end, ", ")
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(uri), position=types.Position(line=5, character=end + 2))
    )
    labels = [i.label for i in result.items]
    assert labels == ["2", "2.2", "3"]  # 1 is listed, 2.1 is the task itself
    assert result.items[0].kind == types.CompletionItemKind.Reference
    assert "API" in result.items[0].detail
    # inside the graph's "tasks" array of wave 0, after "1"
    at = LINES[12].index('"1"') + 3
    change(client, uri, 3, 12, at, 12, at, ", ")
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc_id(uri), position=types.Position(line=12, character=at + 2))
    )
    items = {i.label: i for i in result.items}
    assert "1" not in items and {"2", "2.1", "2.2", "3"} <= set(items)
    assert items["3"].text_edit.new_text == '"3"'


async def test_hover_definition_and_references_in_the_graph(client):
    uri = await opened(client)
    where = pos(WAVE1, '"2.2"', 1)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc_id(uri), position=where)
    )
    assert "**Task 2.2** Handlers" in hover.contents.value and "to do" in hover.contents.value
    locs = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc_id(uri), position=where)
    )
    locs = locs if isinstance(locs, list) else [locs]
    assert [loc.range.start.line for loc in locs] == [6]
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc_id(uri),
            position=pos(2, "1."),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert sorted((r.range.start.line, r.range.start.character) for r in refs) == [
        (2, 2),
        (5, LINES[5].index("1_")),
        (12, LINES[12].index('"1"') + 1),
    ]


async def test_renumber_rewrites_the_graph(client):
    messy = PLAN.replace("2.2", "2.5")
    uri = open_doc(client, DEMO / "tasks.md", messy)
    await diagnostics_at(client, uri, 1)
    action = await renumber_action(client, uri)
    assert apply_text_edits(messy, edits_of(action.edit, uri)) == PLAN


async def test_code_lens_says_ready_or_blocked_and_outline_shows_waves(client):
    uri = await opened(client)
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc_id(uri)))
    titles = {(lens.range.start.line, lens.command.title) for lens in lenses if lens.command}
    assert (4, "ready") in titles and (6, "ready") in titles
    assert (7, "waits for 2.1, 2.2") in titles
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc_id(uri))
    )
    waves = [s for s in symbols if s.name.startswith("Wave")]
    assert [(s.name, s.detail) for s in waves] == [("Wave 0", "1"), ("Wave 1", "2.1, 2.2")]


async def test_rename_a_task_rewrites_depends_and_the_graph(client):
    uri = await opened(client)
    at = pos(2, "1.", 0)  # "- [x] 1. Schema"
    prep = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=doc_id(uri), position=at)
    )
    assert prep is not None and prep.placeholder == "1"
    edit = await client.text_document_rename_async(
        types.RenameParams(text_document=doc_id(uri), position=at, new_name="0")
    )
    got = apply_text_edits(PLAN, edits_of(edit, uri))
    assert got == PLAN.replace("- [x] 1. Schema", "- [x] 0. Schema").replace(
        "_Depends: 1_", "_Depends: 0_"
    ).replace('"tasks": ["1"]', '"tasks": ["0"]')

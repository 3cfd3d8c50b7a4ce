"""Completion of requirement IDs through the real server."""

from __future__ import annotations

from lsprotocol import types

from conftest import DEMO, change, complete, diagnostics_at, open_doc


def _labels(result) -> list[str]:
    items = result.items if hasattr(result, "items") else result
    return [i.label for i in items]


async def test_ids_sorted_and_listed_ones_left_out(client):
    uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, uri, 1)
    # line 4: "  - _Requirements: 1.1, 1.2_" → type ", " after 1.2
    change(client, uri, 2, 4, 27, 4, 27, ", ")
    result = await complete(client, uri, 4, 29)
    labels = _labels(result)
    assert labels == ["1", "1.3", "2", "2.1", "2.2"]  # 1.1 and 1.2 are already on the line
    first = result.items[0]
    assert first.detail == "Login"
    crit = result.items[1]
    assert crit.text_edit.range.start == types.Position(line=4, character=29)
    # documentation comes with completionItem/resolve
    resolved = await client.completion_item_resolve_async(crit)
    assert resolved.documentation.kind == types.MarkupKind.Markdown
    assert "lock the account after five failures" in resolved.documentation.value


async def test_typing_a_requirement_number_and_dot_narrows(client):
    uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, uri, 1)
    change(client, uri, 2, 4, 27, 4, 27, ", 2.")
    result = await complete(client, uri, 4, 31)
    assert _labels(result) == ["2.1", "2.2"]
    assert result.items[0].text_edit.range.start == types.Position(line=4, character=29)


async def test_no_completion_outside_reference_lines(client):
    uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, uri, 1)
    result = await complete(client, uri, 3, 10)
    assert result is None or _labels(result) == []


async def test_empty_bullet_offers_the_requirements_line(client):
    uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, uri, 1)
    change(client, uri, 2, 7, 23, 7, 23, "\n  - ")
    result = await complete(client, uri, 8, 4)
    assert _labels(result) == ["_Requirements: _"]
    item = result.items[0]
    if client.preset == "visual-studio-code":
        assert item.insert_text_format == types.InsertTextFormat.Snippet
        assert item.text_edit.new_text == "_Requirements: ${1}_$0"


async def test_many_ids_are_capped_and_narrowed_by_what_is_typed(client):
    req = "# Requirements\n\n" + "".join(
        f"### Requirement {r}: Area {r}\n\n#### Acceptance Criteria\n\n1. THE s SHALL a\n2. THE s SHALL b\n3. THE s SHALL c\n\n"
        for r in range(1, 121)
    )
    open_doc(client, DEMO / "requirements.md", req)
    uri = open_doc(client, DEMO / "tasks.md")
    await diagnostics_at(client, uri, 1)
    change(client, uri, 2, 4, 27, 4, 27, ", ")
    result = await complete(client, uri, 4, 29)
    assert result.is_incomplete is True and len(result.items) == 100
    assert _labels(result)[:4] == ["1", "1.3", "2", "2.1"]
    change(client, uri, 3, 4, 29, 4, 29, "57")
    result = await complete(client, uri, 4, 31)
    assert _labels(result) == ["57", "57.1", "57.2", "57.3"] and result.is_incomplete is False

"""Completion of requirement IDs (documentation filled lazily in completionItem/resolve)."""

from __future__ import annotations

import json

from lsprotocol import types

from ...core.features.block_view import completion_at
from ...core.features.completion import complete, describe
from ..protocol import FAST_PATHS, JsonResult
from ..state import uri_to_path

TRIGGERS = [":", ",", " ", "."]
LIMIT = 100  # more items are cut, with isIncomplete: the client asks again as the user types


def completion(ls, params: types.CompletionParams):
    from .navigation._util import openspec_context

    os_ctx = openspec_context(ls, params.text_document.uri)
    if os_ctx is not None:
        return _openspec_completion(ls, params, *os_ctx)
    path = uri_to_path(params.text_document.uri)
    doc = ls.state.docs.get(path) or ls.state.document(path)
    kind = ls.state.kind_of(path)
    if doc is None or kind not in ("tasks", "design"):
        return None
    line, col = ls.codec.position(doc, params.position)
    req, _resolver = ls.state.requirements_of(path)
    entries = _task_ids(ls, path, doc, line, col) if kind == "tasks" else None
    if entries is None and kind == "design":  # IDs on **Validates: Requirements …** / _Requirements:_ lines
        entries = complete(None, req, doc.lines, line, col, ls.state.config.reference_labels, limit=LIMIT + 1)
    elif entries is None:  # requirement IDs, from the block the engine parsed
        tasks, at = ls.state.block_view(path, line, line)
        entries = (
            completion_at(tasks, at, req, line, col, ls.state.config.reference_labels, LIMIT + 1)
            if tasks is not None
            else None
        )
    if entries is None:
        return None
    snippets = ls.client.snippets
    incomplete = len(entries) > LIMIT
    entries = entries[:LIMIT]
    if FAST_PATHS:
        return JsonResult(_list_json(ls, doc, params.text_document.uri, entries, incomplete, snippets))
    ranges: dict = {}  # every entry replaces the same span: convert it once
    items = []
    for e in entries:
        text = e.snippet if (e.snippet and snippets) else e.insert_text
        rng = ranges.get(e.replace)
        if rng is None:  # every entry replaces the same span: convert it once
            rng = ranges[e.replace] = ls.codec.range(doc.line, e.replace)
        items.append(
            types.CompletionItem(
                label=e.label,
                kind=types.CompletionItemKind.Snippet
                if e.kind == "snippet"
                else types.CompletionItemKind.Module
                if e.kind == "requirement"
                else types.CompletionItemKind.Reference
                if e.kind == "task"
                else types.CompletionItemKind.EnumMember,
                detail=e.detail or None,
                sort_text=e.sort_text,
                filter_text=e.filter_text,
                text_edit=types.TextEdit(range=rng, new_text=text),
                insert_text_format=types.InsertTextFormat.Snippet if (e.snippet and snippets) else None,
                data={"uri": params.text_document.uri, "id": e.label}
                if e.kind not in ("snippet", "task")
                else None,
            )
        )
    return types.CompletionList(is_incomplete=incomplete, items=items)


_KIND = {
    "snippet": types.CompletionItemKind.Snippet.value,
    "requirement": types.CompletionItemKind.Module.value,
    "task": types.CompletionItemKind.Reference.value,
}
_CRITERION = types.CompletionItemKind.EnumMember.value
_SNIPPET_FORMAT = types.InsertTextFormat.Snippet.value


def _list_json(ls, doc, uri: str, entries, incomplete: bool, snippets: bool) -> str:
    """The CompletionList above as the text json.dumps makes of what cattrs makes of it: keys
    in lsprotocol's field order, None fields left out, default separators, ASCII. Each item is
    put together from pieces encoded once per distinct item (`_item_parts`) around the range
    and the URI of this request (tests/lsp/test_server_fast_paths.py compares the bytes)."""
    ranges: dict = {}
    items = []
    uri_json = json.dumps(uri)
    for e in entries:
        rng = ranges.get(e.replace)
        if rng is None:  # every entry replaces the same span: convert it once
            rng = ranges[e.replace] = json.dumps(ls.codec.range_json(doc.line, e.replace))
        snippet = bool(e.snippet and snippets)
        head, mid, tail = _item_parts(
            e.label,
            e.kind,
            e.detail,
            e.sort_text,
            e.filter_text,
            e.snippet if snippet else e.insert_text,
            snippet,
        )
        items.append(head + rng + mid + uri_json + tail if tail else head + rng + mid)
    return f'{{"isIncomplete": {"true" if incomplete else "false"}, "items": [{", ".join(items)}]}}'


_PARTS: dict[tuple, tuple[str, str, str | None]] = {}


def _item_parts(label: str, kind: str, detail: str, sort_text, filter_text, new_text: str, snippet: bool):
    """(text before the range, text between the range and the URI, text after the URI — None
    when the item has no `data`) of one completion item."""
    key = (label, kind, detail, sort_text, filter_text, new_text, snippet)
    parts = _PARTS.get(key)
    if parts is None:
        item = {"label": label, "kind": _KIND.get(kind, _CRITERION)}
        if detail:
            item["detail"] = detail
        if sort_text is not None:
            item["sortText"] = sort_text
        if filter_text is not None:
            item["filterText"] = filter_text
        if snippet:
            item["insertTextFormat"] = _SNIPPET_FORMAT
        head = json.dumps(item)[:-1] + ', "textEdit": {"range": '
        mid = f', "newText": {json.dumps(new_text)}}}'
        if kind not in ("snippet", "task"):
            parts = (head, mid + ', "data": {"uri": ', f', "id": {json.dumps(label)}}}}}')
        else:
            parts = (head, mid + "}", None)
        if len(_PARTS) >= 50_000:
            _PARTS.clear()
        _PARTS[key] = parts
    return parts


def _task_ids(ls, path: str, doc, line: int, col: int):
    """Task IDs on a `_Depends:` line or in a wave of the dependency graph (the whole parsed
    document: IDs come from every block), or None there is no such context."""
    text = doc.line(line)
    if "epend" not in text and text.lstrip()[:1] not in ('"', "{", "[", "]", "}"):
        return None  # neither a dependency line nor a line of a JSON block
    from ...core.features.depends_completion import complete_task_ids

    tasks = ls.state.whole_tasks(path)
    if tasks is None:
        return None
    return complete_task_ids(tasks, line, col, limit=LIMIT + 1)


def resolve(ls, item: types.CompletionItem) -> types.CompletionItem:
    data = item.data if isinstance(item.data, dict) else None
    if not data or "uri" not in data or "id" not in data:
        return item
    req, _resolver = ls.state.requirements_of(uri_to_path(str(data["uri"])))
    doc = describe(req, str(data["id"]))
    if doc:
        item.documentation = types.MarkupContent(kind=types.MarkupKind.Markdown, value=doc)
    return item


def _openspec_completion(ls, params, path, doc, read):
    """Base requirement names after `### Requirement:` in a delta's MODIFIED/REMOVED/RENAMED."""
    import re

    from ...core.features import openspec_nav
    from ...core.model import Span

    line, col = ls.codec.position(doc, params.position)
    names = openspec_nav.completion(path, doc.text, line, col, read)
    if names is None:
        return None
    typed = re.search(r"Requirement:\s*([^`]*)$", doc.line(line)[:col], re.I)
    start = col - len(typed.group(1)) if typed else col
    rng = ls.codec.range(doc.line, Span(line, start, line, col))
    return types.CompletionList(
        is_incomplete=False,
        items=[
            types.CompletionItem(
                label=name,
                kind=types.CompletionItemKind.Reference,
                detail=statement[:80] or None,
                text_edit=types.TextEdit(range=rng, new_text=name),
            )
            for name, statement in names
        ],
    )

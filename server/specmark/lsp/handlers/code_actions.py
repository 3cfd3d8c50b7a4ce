"""Code actions: toggle checkboxes (one task, a selection, a subtree) and quick fixes."""

from __future__ import annotations

from lsprotocol import types

from ...core.features.block_view import line_actions
from ...core.features.navigation.renumber import KIND as RENUMBER_KIND
from ...core.features.navigation.renumber import renumber_actions
from ...core.features.quickfix import fix_unknown_requirement
from ...core.features.split_criterion import citing_documents, split_action
from .. import convert
from ..state import path_to_uri, uri_to_path


def _eol(doc) -> str:
    first = doc.raw[0] if doc.raw else ""
    if first.endswith("\r\n"):
        return "\r\n"
    if first.endswith("\r"):
        return "\r"
    return "\n"


MAX_FIXED = 50  # findings offered quick fixes per request


def code_actions(ls, params: types.CodeActionParams):
    path = uri_to_path(params.text_document.uri)
    doc = ls.state.docs.get(path)
    kind = ls.state.kind_of(path)
    if doc is not None and "openspec" in path:
        from ...core.features import openspec_nav
        from ...core.openspec import document_kind

        if document_kind(path) is not None:
            start, _ = ls.codec.position(doc, params.range.start)
            end, _ = ls.codec.position(doc, params.range.end)
            found = openspec_nav.code_actions(path, doc.text, start, end, _eol(doc))
            return _to_lsp(ls, params, found, params.context.only if params.context else None)
    if doc is not None and kind == "requirements":
        return _requirements_actions(ls, params, path, doc)
    if doc is None or kind not in ("tasks", "design"):
        return None
    start, start_col = ls.codec.position(doc, params.range.start)
    end, end_col = ls.codec.position(doc, params.range.end)
    if end > start and end_col == 0:
        end -= 1  # a selection that ends at the start of a line does not include it
    only = params.context.only if params.context else None
    if kind == "design":
        # design.md: only the "did you mean" fixes of its unknown requirement IDs
        unknown = [
            f
            for f in ls.state.findings(path).get(path, [])
            if start <= f.span.line <= end and f.code == "unknown-requirement"
        ]
        design = ls.state.design_of(path)
        found = [a for f in unknown[:MAX_FIXED] for a in fix_unknown_requirement(design, f)] if design else []
        return _to_lsp(ls, params, found, only)
    wants_source = bool(only) and convert.kind_wanted(RENUMBER_KIND, only)
    # the lines of the request, from the block the incremental engine parsed (cheap on
    # large documents); the whole document only for the source action that needs it
    tasks, off = ls.state.block_view(path, start, end)
    if tasks is None:
        return None
    req, resolver = ls.state.requirements_of(path)
    known = set(resolver.index) if resolver else set()
    habit = ls.state.done_habit(path)  # of the whole document, not only of this block
    findings = ls.state.findings(path).get(path, [])
    found = line_actions(
        tasks, off, findings, start, end, start_col, ls.state.config, known, _eol(doc), habit, MAX_FIXED
    )
    if wants_source:
        full, _ = ls.state.block_view(path, 0, len(doc.bodies))
        if full is not None:
            found += renumber_actions(full, ls.state.config)
    return _to_lsp(ls, params, found, only)


def _requirements_actions(ls, params, path, doc):
    """requirements.md: "Split criterion" for the wording-compound findings in the range."""
    start, _ = ls.codec.position(doc, params.range.start)
    end, _ = ls.codec.position(doc, params.range.end)
    compound = [
        f
        for f in ls.state.findings(path).get(path, [])
        if f.code == "wording-compound" and start <= f.span.line <= end
    ]
    result = ls.state.result(path) if compound else None
    if result is None or result.requirements is None:
        return None
    citing = citing_documents(result.tasks, result.design)
    found = [
        a for f in compound[:MAX_FIXED] if (a := split_action(result.requirements, f, citing, _eol(doc)))
    ]
    return _to_lsp(ls, params, found, params.context.only if params.context else None)


def _to_lsp(ls, params, found, only):
    actions = []
    for action in found:
        kind = convert.KIND.get(action.kind, action.kind)
        if not convert.kind_wanted(kind, only):
            continue
        edit = ls.workspace_edit(action.edits)
        diags = []
        if action.fixes and params.context:
            diags = [
                d
                for d in params.context.diagnostics
                if d.code in action.fixes and d.range.start.line in action.fix_lines
            ]
        actions.append(convert.code_action(action, edit, diags))
    return actions or None


def progress(ls, params) -> dict | None:
    """Custom request `specmark/progress` {uri} → the plan's progress (status bars)."""
    from ...core.features.progress import spec_progress

    uri = params.get("uri") if isinstance(params, dict) else getattr(params, "uri", None)
    if not isinstance(uri, str):
        return None
    path = uri_to_path(uri)
    result = ls.state.progress_view(path)
    if result is None:
        return None
    tasks_path = path if ls.state.kind_of(path) == "tasks" else None
    out = spec_progress(result, tasks_path).as_dict()
    out["uri"] = path_to_uri(path)
    return out

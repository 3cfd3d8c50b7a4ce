"""`specmark.diagnostics.scope`: "open" (the default: findings of open documents) or "workspace"
(also every spec document of the workspace that is not open).

Workspace scope reports each unopened spec document (every document of the specs found by the
background discovery) from its text on disk:
- pull clients (VS Code): `workspace/diagnostic` (the capability is always declared to pull
  clients; with scope "open" the answer is empty), one report per document with a result id,
  "unchanged" when the client's previous id still holds;
- push clients: `publishDiagnostics` without a version, after the discovery (with work-done
  progress), after each analysis for the closed documents of the specs it touched (file
  watchers: changes made outside the editor), and again for a document that is closed.
Going back to "open" clears what was reported for unopened documents.
"""

from __future__ import annotations

import asyncio

from lsprotocol import types

from .. import convert
from ..state import path_to_uri
from . import diagnostics

SCOPES = ("open", "workspace")


def take_scope(ls, settings):
    """Read `diagnostics.scope` from the client's `specmark` settings and return the settings
    without it (the rest is the configuration of the checks). Not a dict: unchanged."""
    if not isinstance(settings, dict):
        return settings
    rest = dict(settings)
    section = rest.pop("diagnostics", None)
    scope = section.get("scope") if isinstance(section, dict) else None
    if scope is not None and scope not in SCOPES:
        ls.log(f"specmark.diagnostics.scope: {scope!r} is not one of {', '.join(SCOPES)}; 'open' is used")
    ls.diagnostics_scope = "workspace" if scope == "workspace" else "open"
    return rest


def closed_paths(ls, specs=None) -> list[str]:
    """The spec documents of the workspace that are not open, sorted."""
    specs = ls.state.specs.values() if specs is None else specs
    paths = {p for spec in specs for p in spec.paths}
    return sorted(p for p in paths if p not in ls.state.docs)


async def push_all(ls, progress: bool = True) -> None:
    """Push mode: publish every unopened spec document's findings (or clear them all when the
    scope is "open"), yielding between documents so that requests are still answered."""
    if ls.pull_mode:
        return
    if ls.diagnostics_scope != "workspace":
        clear_closed(ls)
        return
    paths = closed_paths(ls)
    token = None
    if progress and paths and _progress_supported(ls):
        token = "specmark-workspace-diagnostics"
        try:
            await ls.work_done_progress.create_async(token)
            ls.work_done_progress.begin(
                token, types.WorkDoneProgressBegin(title="specmark: checking the workspace", percentage=0)
            )
        except Exception as exc:  # noqa: BLE001 - progress is a courtesy
            ls.log(f"progress not available: {exc}")
            token = None
    for i, path in enumerate(paths):
        if path in ls.state.docs or ls.diagnostics_scope != "workspace":
            continue
        diagnostics.publish(ls, path)
        if token and i % 20 == 0:
            ls.work_done_progress.report(
                token,
                types.WorkDoneProgressReport(percentage=100 * i // len(paths), message=f"{i}/{len(paths)}"),
            )
        await asyncio.sleep(0)
    if token:
        ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message=f"{len(paths)} documents"))


def refresh_closed(ls, changed: list[str]) -> None:
    """Push mode, workspace scope: the closed documents of the specs of `changed`."""
    if ls.pull_mode or ls.diagnostics_scope != "workspace":
        return
    done = set()
    for path in changed:
        for p in ls.state.paths_of_result(path):
            if p not in ls.state.docs and p not in done:
                done.add(p)
                diagnostics.publish(ls, p)


def clear_closed(ls) -> None:
    for path in [p for p in ls.state.published if p not in ls.state.docs]:
        ls.clear_diagnostics(path)


def _progress_supported(ls) -> bool:
    return bool(ls.client.work_done_progress)


def pull(ls, params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
    """`workspace/diagnostic`: the unopened spec documents, with result ids."""
    previous = {p.uri: p.value for p in params.previous_result_ids or []}
    items: list = []
    if ls.diagnostics_scope != "workspace":
        # documents reported while the scope was "workspace": cleared once
        for uri in list(ls.workspace_reported):
            items.append(types.WorkspaceFullDocumentDiagnosticReport(uri=uri, items=[], version=None))
        ls.workspace_reported.clear()
        return types.WorkspaceDiagnosticReport(items=items)
    for path in closed_paths(ls):
        diags, _ = diagnostics.diagnostics_for(ls, path)
        key = convert.diagnostics_key(diags)
        uri = path_to_uri(path)
        ls.workspace_reported.add(uri)
        if previous.get(uri) == key:
            items.append(
                types.WorkspaceUnchangedDocumentDiagnosticReport(uri=uri, result_id=key, version=None)
            )
        else:
            items.append(
                types.WorkspaceFullDocumentDiagnosticReport(uri=uri, items=diags, version=None, result_id=key)
            )
    ls.report_disk_errors()
    return types.WorkspaceDiagnosticReport(items=items)

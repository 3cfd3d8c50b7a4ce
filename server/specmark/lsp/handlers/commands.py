"""workspace/executeCommand: specmark.toggleTask (uri, line) through workspace/applyEdit."""

from __future__ import annotations

from lsprotocol import types

from ...core.features.block_view import toggle_at
from ..state import uri_to_path

TOGGLE_TASK = "specmark.toggleTask"


async def toggle_task(ls, *args):
    if (
        len(args) < 2
        or not isinstance(args[0], str)
        or not isinstance(args[1], int)
        or isinstance(args[1], bool)
    ):
        ls.log(f"{TOGGLE_TASK}: expected arguments [uri, line], got {list(args)!r}")
        return {"applied": False, "reason": "expected arguments [uri: string, line: integer]"}
    uri, line = args[0], args[1]
    path = uri_to_path(uri)
    if ls.state.kind_of(path) != "tasks":
        return {"applied": False, "reason": f"{uri} is not a tasks document"}
    tasks, off = ls.state.block_view(path, line, line)
    if tasks is None:
        return {"applied": False, "reason": f"{uri} is not a tasks document"}
    edit, why = toggle_at(tasks, off, line, ls.state.config, ls.state.done_habit(path))
    if edit is None:
        return {"applied": False, "reason": why}
    ws_edit = ls.workspace_edit([edit])
    response = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=ws_edit, label="Toggle task")
    )
    return {"applied": bool(response.applied), "reason": response.failure_reason}

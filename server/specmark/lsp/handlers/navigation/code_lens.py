"""textDocument/codeLens → core/features/navigation/codelens.py, and the `specmark.showReferences`
command that coverage lenses run in clients other than VS Code.

A coverage lens ("covered by 3 tasks (2 done)") lists the covering tasks when clicked:
- VS Code-like clients (vscode-languageclient): `editor.action.showReferences` with
  [uri, position, locations] (the extension converts them to VS Code objects);
- other clients: `specmark.showReferences` with the same arguments, a server command that
  opens the first location with window/showDocument and returns the locations.
Progress lenses ("3/5 done", "24/40 tasks done · …") are labels: their command is "".
"""

from __future__ import annotations

from lsprotocol import types

from ....core.features.navigation.codelens import code_lenses
from ._util import context, location

SHOW_REFERENCES = "specmark.showReferences"
VSCODE_SHOW_REFERENCES = "editor.action.showReferences"


def code_lens(ls, params: types.CodeLensParams):
    ctx = context(ls, params.text_document.uri)
    if ctx is None:
        return None
    path, doc, result = ctx
    command_id = VSCODE_SHOW_REFERENCES if ls.client.is_vs_code else SHOW_REFERENCES
    out = []
    for lens in code_lenses(result, path):
        rng = ls.codec.range(doc.line, lens.span)
        if lens.locations:
            locs = [location(ls, loc.path, loc.span) for loc in lens.locations]
            args = [params.text_document.uri, rng.start, locs]
            cmd = types.Command(title=lens.title, command=command_id, arguments=args)
        else:
            cmd = types.Command(title=lens.title, command="")
        out.append(types.CodeLens(range=rng, command=cmd))
    return out


def _get(obj, key):
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def _position(obj) -> types.Position | None:
    line, char = _get(obj, "line"), _get(obj, "character")
    if isinstance(line, int) and isinstance(char, int):
        return types.Position(line=line, character=char)
    return None


async def show_references(ls, *args):
    """Arguments [uri, position, locations]; opens the first location (when the client can)
    and returns the locations."""
    locations = list(args[2]) if len(args) >= 3 and isinstance(args[2], (list, tuple)) else []
    if locations and ls.client.show_document:
        first = locations[0]
        uri, rng = _get(first, "uri"), _get(first, "range")
        start = _position(_get(rng, "start")) if rng is not None else None
        end = _position(_get(rng, "end")) if rng is not None else None
        if isinstance(uri, str):
            selection = types.Range(start=start, end=end) if start and end else None
            try:
                await ls.window_show_document_async(types.ShowDocumentParams(uri=uri, selection=selection))
            except Exception as exc:  # noqa: BLE001
                ls.log(f"{SHOW_REFERENCES}: window/showDocument failed: {exc}")
    return {"locations": [_plain(loc) for loc in locations]}


def _plain(obj):
    """JSON-able form of a location argument (dicts, namedtuples or attrs objects)."""
    if isinstance(obj, dict):
        return obj
    if hasattr(obj, "_asdict"):
        return {k: _plain(v) for k, v in obj._asdict().items()}
    if hasattr(obj, "__attrs_attrs__"):
        return {a.name: _plain(getattr(obj, a.name)) for a in obj.__attrs_attrs__}
    return obj

"""The seam between specmark's fast paths and pygls: every pygls internal they rely on, named.

The server runs on pygls, but a few of its steps are specmark's own cheaper copies of pygls's
code, correct only for the pygls they were copied from:

- protocol.py: `handle_message` (message kinds memoised), `_send_body` (the second half of
  `_send_data`), JSON results and publishDiagnostics sent as text in the bodies pygls would
  make, document sync dispatched without pygls's generator round trip, and three behaviour
  fixes (malformed params, requests after shutdown, the pygls#606 shutdown guard);
- server.py: `start_io` (pygls's, with transport.PipeReader as the stdin reader);
- transport.py: `PipeReader`, pygls's AsyncReader interface as `run_async` drives it;
- convert.DiagnosticsJson and handlers/completion.py: JSON text equal to what pygls's
  `_send_data` makes of the lsprotocol objects (cattrs, then `json.dumps` with its default
  separators). DiagnosticsJson writes a diagnostic's text itself: lsprotocol's `Diagnostic`,
  `DiagnosticRelatedInformation`, `Location`, `CodeDescription`, `Range`, `Position` fields in
  their order under their camelCase names, fields that are None left out, the severity as its
  number, as lsprotocol's cattrs hooks (`_hooks.register_hooks`) unstructure them; lsprotocol
  is pinned exactly in pyproject.toml, and those classes are in `COPIED` too.

`COPIED` names each pygls function whose code or output these repeat, with a hash of its source
as it was when checked; `PRIVATE` names the private attributes read or written; `SUPPORTED` is
the pygls release the copies were checked against (pyproject.toml's range allows its patch
releases). `problems()` lists what differs in the installed pygls, and
tests/lsp/test_pygls_seam.py fails with that list. ARCHITECTURE.md, "Upgrading pygls", says
what to check then. SPECMARK_NO_FAST_PATHS=1 runs pygls's own code instead of the copies
(tests/lsp/test_server_fast_paths.py compares both byte for byte).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
from typing import Any

SUPPORTED = "2.1.1"

# pygls (or lsprotocol) object (module:qualname) → (source hash when checked, what in specmark
# depends on it)
COPIED = {
    "pygls.protocol.json_rpc:JsonRPCProtocol.handle_message": (
        "d46f22474082",
        "protocol.SpecmarkProtocol.handle_message: a copy, with the message kind memoised",
    ),
    "pygls.protocol.json_rpc:JsonRPCProtocol._send_data": (
        "40e0a5bb7095",
        "protocol.SpecmarkProtocol._send_body: its second half (headers, encoding, errors)",
    ),
    "pygls.protocol.json_rpc:JsonRPCProtocol._send_response": (
        "b799bb966ca7",
        'protocol.JsonResult responses: the body {"id", "jsonrpc", "result"} in that order',
    ),
    "pygls.protocol.json_rpc:JsonRPCProtocol.notify": (
        "039d9533e960",
        'protocol.publish_diagnostics_text: the body {"params", "method", "jsonrpc"}',
    ),
    "pygls.protocol.json_rpc:JsonRPCProtocol._serialize_message": (
        "075c32e9ae36",
        "convert.DiagnosticsJson, completion JSON: cattrs's unstructure, then json.dumps",
    ),
    "pygls.protocol.json_rpc:JsonRPCProtocol._execute_handler": (
        "d08c9ac9995f",
        "protocol.SpecmarkProtocol._to_user: a plain handler is called as this would call it",
    ),
    "pygls.protocol.json_rpc:JsonRPCProtocol.structure_message": (
        "ac66b961a32a",
        "protocol.SpecmarkProtocol.structure_message: wraps it (malformed params answered)",
    ),
    "pygls.protocol.language_server:LanguageServerProtocol.lsp_text_document__did_open": (
        "6771d1483cdf",
        "protocol.py: replaced (documents live in core/document.py, not pygls's workspace)",
    ),
    "pygls.protocol.language_server:LanguageServerProtocol.lsp_text_document__did_change": (
        "81a0591b8fdf",
        "protocol.py: replaced (changes applied to specmark's lines)",
    ),
    "pygls.protocol.language_server:LanguageServerProtocol.lsp_text_document__did_close": (
        "1308de112576",
        "protocol.py: replaced",
    ),
    "pygls.protocol.language_server:LanguageServerProtocol.lsp_shutdown": (
        "86ec7ca1055c",
        "protocol.SpecmarkProtocol.lsp_shutdown: cancels from a snapshot first (pygls#606)",
    ),
    "pygls.lsp.server:LanguageServer.start_io": (
        "ebeccd50e33f",
        "server.SpecmarkServer.start_io: a copy, with transport.PipeReader on a pipe",
    ),
    "pygls.io_:run_async": (
        "f488270939ce",
        "transport.PipeReader: read through readline/readexactly as this reads",
    ),
    "pygls.io_:StdinAsyncReader": (
        "18997aaeb93a",
        "transport.PipeReader: returns what this returns (a line with its \\n, n bytes)",
    ),
    "pygls.io_:StdoutWriter": ("ce600abbc906", "server.start_io and transport.widen_pipe: its stream"),
    "pygls.feature_manager:is_thread_function": ("6cf049b03e47", "protocol._plain"),
    # what convert.DiagnosticsJson._entry writes as cattrs would unstructure it
    "lsprotocol.types:Diagnostic": ("4b0a38e8c3c2", "convert.DiagnosticsJson._entry: its fields, in order"),
    "lsprotocol.types:DiagnosticRelatedInformation": ("aeff0704123d", "convert.DiagnosticsJson._entry"),
    "lsprotocol.types:Location": ("ae67fe8791c3", "convert.DiagnosticsJson._entry"),
    "lsprotocol.types:CodeDescription": ("cf2001c369fc", "convert.DiagnosticsJson._entry"),
    "lsprotocol.types:DiagnosticSeverity": ("9b8a92beabb6", "convert._SEVERITY_JSON: the values"),
    "lsprotocol._hooks:register_hooks": (
        "ccc9623920d7",
        "convert.DiagnosticsJson._entry: None fields omitted, camelCase names, enums as values",
    ),
}

# private attributes specmark reads or writes: (object in a live server, attribute)
PRIVATE = (
    ("protocol", "_converter"),  # server.py: DiagnosticsJson's unstructure (data not plain JSON)
    ("protocol", "_result_types"),  # protocol._send_response
    ("protocol", "_request_futures"),  # protocol.lsp_shutdown
    ("protocol", "_include_headers"),  # protocol._send_body
    ("protocol", "_shutdown"),  # protocol.handle_message, server.run's exit code
    ("protocol", "_server"),  # protocol._send_body (_report_server_error)
    ("protocol", "_handle_request"),
    ("protocol", "_handle_notification"),
    ("protocol", "_handle_response"),
    ("protocol", "_execute_handler"),
    ("protocol", "_check_handler_result"),
    ("protocol", "_send_response"),
    ("protocol", "fm"),  # its `features` dict: protocol._to_user
    ("protocol", "writer"),
    ("protocol", "msg_id"),
    ("server", "_report_server_error"),
    ("server", "thread_pool"),
)

# pygls log records whose text logs.py recognises (demoted to DEBUG)
LOG_TEXTS = ("Cancel notification for unknown message id",)


def source_hash(target: str) -> str:
    """The first 12 hex digits of the SHA-256 of a pygls object's source ("module:qualname")."""
    module, _, qualname = target.partition(":")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:12]


def problems(server=None) -> list[str]:
    """What differs in the installed pygls from what the copies were checked against (empty
    when nothing does). `server`: a live SpecmarkServer, to look for the private attributes."""
    from importlib.metadata import version

    import pygls.protocol.json_rpc

    out = []
    installed = version("pygls")
    if installed != SUPPORTED:
        out.append(f"pygls {installed} is installed; the copies were checked against {SUPPORTED}")
    for target, (expected, where) in COPIED.items():
        try:
            got = source_hash(target)
        except (AttributeError, ImportError, OSError, TypeError) as exc:
            out.append(f"{target}: gone ({exc}); used by {where}")
            continue
        if got != expected:
            out.append(f"{target}: its source changed ({expected} -> {got}); compare with {where}")
    if server is not None:
        for owner, name in PRIVATE:
            if not hasattr(server.protocol if owner == "protocol" else server, name):
                out.append(f"{owner}.{name}: no such attribute any more")
    source = inspect.getsource(pygls.protocol.json_rpc)
    for text in LOG_TEXTS:
        if text not in source:
            out.append(f"pygls no longer logs {text!r} (logs.py demotes it)")
    return out


if __name__ == "__main__":  # python -m specmark.lsp.pygls_seam: what differs, and today's hashes
    for problem in problems():
        print("differs:", problem)
    for target in COPIED:
        print(f"{source_hash(target)}  {target}")

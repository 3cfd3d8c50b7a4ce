"""Core data ↔ LSP types: positions in the negotiated encoding, diagnostics, edits."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable

from lsprotocol import types

from ..core import text as textutil
from ..core.checks import RULES
from ..core.document import Document
from ..core.features.edits import Action, Edit
from ..core.model import Finding, Severity, Span

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


class Codec:
    """Column conversion between code points (core) and the client's encoding."""

    def __init__(self, encoding: str | None):
        enc = str(encoding or "utf-16").lower()
        self.encoding = "utf-8" if "8" in enc else "utf-32" if "32" in enc else "utf-16"

    def to_client(self, line: str, col: int) -> int:
        if self.encoding == "utf-32":
            return col
        if self.encoding == "utf-8":
            return textutil.col_to_utf8(line, col)
        return textutil.col_to_utf16(line, col)

    def from_client(self, line: str, units: int) -> int:
        if units < 0:
            return 0
        if self.encoding == "utf-32":
            return min(units, len(line))
        if self.encoding == "utf-8":
            return textutil.col_from_utf8(line, units)
        return textutil.col_from_utf16(line, units)

    def range(self, line_of: Callable[[int], str], span: Span) -> types.Range:
        start_line = line_of(span.line)
        end_line = start_line if span.end_line == span.line else line_of(span.end_line)
        return types.Range(
            start=types.Position(line=span.line, character=self.to_client(start_line, span.col)),
            end=types.Position(line=span.end_line, character=self.to_client(end_line, span.end_col)),
        )

    def range_json(self, line_of: Callable[[int], str], span: Span) -> dict:
        """`range` as the JSON cattrs makes of it (for results sent without lsprotocol objects)."""
        start_line = line_of(span.line)
        end_line = start_line if span.end_line == span.line else line_of(span.end_line)
        return {
            "start": {"line": span.line, "character": self.to_client(start_line, span.col)},
            "end": {"line": span.end_line, "character": self.to_client(end_line, span.end_col)},
        }

    def position(self, doc: Document, pos: types.Position) -> tuple[int, int]:
        """A client position as a clamped (line, code-point column)."""
        line, _ = doc.clamp(pos.line, 0)
        if pos.line > line:  # past the end of the document
            return line, len(doc.line(line))
        return line, self.from_client(doc.line(line), pos.character)


def diagnostic(
    f: Finding,
    codec: Codec,
    line_of: Callable[[int], str],
    uri_of: Callable[[str], str],
    lines_of_path: Callable[[str], Callable[[int], str]],
) -> types.Diagnostic:
    rule = RULES.get(f.code)
    related = None
    if f.related:
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=uri_of(r.path), range=codec.range(lines_of_path(r.path), r.span)),
                message=r.message,
            )
            for r in f.related
        ]
    return types.Diagnostic(
        range=codec.range(line_of, f.span),
        message=f.message,
        severity=SEVERITY[f.severity],
        code=f.code,
        code_description=types.CodeDescription(href=rule.url) if rule else None,
        source="specmark",
        related_information=related,
        data=f.data if f.data else None,
    )


def diagnostics_key(diags: Iterable[types.Diagnostic]) -> str:
    """A stable fingerprint of a diagnostics list (for result ids and change detection)."""
    h = hashlib.blake2b(digest_size=12)
    for d in diags:
        h.update(_key_piece(d))
    return h.hexdigest()


def _key_piece(d: types.Diagnostic) -> bytes:
    piece = (
        f"{d.range.start.line}:{d.range.start.character}:{d.range.end.line}:{d.range.end.character}|"
        f"{d.code}|{d.severity}|{d.message}"
    )
    # related locations too: "did you mean 1.3?" must follow its criterion when requirements.md moves
    for r in d.related_information or ():
        rr = r.location.range
        piece += (
            f"|{r.location.uri}:{rr.start.line}:{rr.start.character}:{rr.end.line}:{rr.end.character}"
            f"|{r.message}"
        )
    return (piece + "\n").encode("utf-8", "surrogatepass")


class DiagnosticsJson:
    """Findings of one document → publishDiagnostics' JSON text, memoised per finding.

    A finding's diagnostic depends on the finding's value and on the text of the line(s) its
    span and its related spans are on (UTF-16/UTF-8 columns), nothing else. Each conversion is
    made the general way (`diagnostic`, then the protocol's cattrs converter, then `json.dumps`
    as pygls does: pygls_seam.py), so the bytes are exactly what pygls would send.

    Two memos, both checked against the line texts:
    - by finding object: a finding the engine kept (its block unchanged and unmoved) gets the
      very text it got last time, nothing rebuilt (a keystroke keeps all findings but a few);
    - by the finding without its line number: a finding that only moved (lines inserted or
      deleted above it) gets its range rewritten, not converted again. The key holds only
      strings and integers (cheap to hash); the rest of the finding (severity, data, related
      locations) and the line texts are compared with those of the key's entries."""

    def __init__(self, unstructure: Callable[[object], dict]):
        self._unstructure = unstructure
        # path → (encoding, {finding key: [_Entry, …]}, {id(finding): (finding, _Entry, JSON, key piece)})
        self._memo: dict[str, tuple[str, dict, dict]] = {}

    def convert(
        self,
        path: str,
        findings: list[Finding],
        codec: Codec,
        line_of: Callable[[int], str],
        uri_of: Callable[[str], str],
        lines_of_path: Callable[[str], Callable[[int], str]],
    ) -> tuple[list[str], str]:
        """(each diagnostic as the JSON text `json.dumps` makes of it, `diagnostics_key` of
        the same list)."""
        memo = self._memo.get(path)
        if memo is None or memo[0] != codec.encoding:
            values: dict = {}
            ids: dict = {}
        else:
            _encoding, values, ids = memo
        kept: dict = {}  # the next call's `ids`: the findings of this one (their ids stay valid)
        out = []
        pieces = []  # diagnostics_key's pieces, hashed at once (the same digest)
        getters: dict[str, Callable[[int], str]] = {path: line_of}

        def lines_of(p: str) -> Callable[[int], str]:  # one lookup per document and call
            got = getters.get(p)
            if got is None:
                got = getters[p] = lines_of_path(p)
            return got

        for f in findings:
            span = f.span
            line = span.line
            end = span.end_line
            text = line_of(line)
            end_text = text if end == line else line_of(end)
            related = f.related
            texts: tuple[tuple[str, str], ...] = ()
            if related:
                for r in related:
                    get = lines_of(r.path)
                    texts += ((get(r.span.line), get(r.span.end_line)),)
            same_object = ids.get(id(f))
            if same_object is not None and same_object[0] is f:
                entry = same_object[1]
                if entry.text == text and entry.end_text == end_text and entry.related_texts == texts:
                    kept[id(f)] = same_object
                    out.append(same_object[2])
                    pieces.append(same_object[3])
                    continue
            key = (f.code, f.message, span.col, end - line, span.end_col)
            hit = None
            alike = values.get(key)
            for entry in alike or ():
                if (
                    entry.text == text
                    and entry.end_text == end_text
                    and entry.severity is f.severity
                    and (entry.data is f.data or repr(entry.data) == repr(f.data))
                    and entry.related_texts == texts
                    and entry.related == related
                ):
                    hit = entry
                    break
            if hit is None:
                hit = self._entry(f, codec, line_of, uri_of, lines_of, text, end_text, texts)
                if alike is None:
                    values[key] = [hit]
                else:
                    # findings alike but for their severity, data, related … or lines; the
                    # oldest goes (a line typed in makes a new entry at each keystroke)
                    if len(alike) >= 4:
                        del alike[0]
                    alike.append(hit)
            as_json = f'{{"range": {{"start": {{"line": {line}, {hit.json_mid}{end}{hit.json_tail}'
            piece = f"{line}{hit.key_mid}{end}{hit.key_tail}"
            kept[id(f)] = (f, hit, as_json, piece)
            out.append(as_json)
            pieces.append(piece)
        if len(values) > 2 * len(kept) + 64:  # keys of findings long gone: keep the current ones
            values = {}
            for _f, entry, _j, _p in kept.values():
                alike = values.setdefault(entry.key, [])
                if entry not in alike:
                    alike.append(entry)
        self._memo[path] = (codec.encoding, values, kept)
        h = hashlib.blake2b("".join(pieces).encode("utf-8", "surrogatepass"), digest_size=12)
        return out, h.hexdigest()

    def _entry(
        self,
        f: Finding,
        codec: Codec,
        line_of: Callable[[int], str],
        uri_of: Callable[[str], str],
        lines_of: Callable[[str], Callable[[int], str]],
        text: str,
        end_text: str,
        texts: tuple[tuple[str, str], ...],
    ) -> _Entry:
        """`f` converted the general way, its JSON text and key piece cut around the two line
        numbers."""
        diag = diagnostic(f, codec, line_of, uri_of, lines_of)
        as_json = self._unstructure(diag)
        rng = as_json.pop("range")
        rest = json.dumps(as_json)
        piece = _key_piece(diag).decode("utf-8", "surrogatepass")
        span = f.span
        return _Entry(
            (f.code, f.message, span.col, span.end_line - span.line, span.end_col),
            text,
            end_text,
            f.severity,
            f.data,
            f.related,
            texts,
            f'"character": {rng["start"]["character"]}}}, "end": {{"line": ',
            f', "character": {rng["end"]["character"]}}}}}' + (", " + rest[1:] if len(rest) > 2 else "}"),
            f":{rng['start']['character']}:",
            f":{rng['end']['character']}" + piece[piece.index("|") :],
        )

    def forget(self, path: str) -> None:
        self._memo.pop(path, None)


class _Entry:
    """A memoised diagnostic (DiagnosticsJson): what it was made from, and its JSON text and
    key piece around the two line numbers."""

    __slots__ = (
        "key",
        "text",
        "end_text",
        "severity",
        "data",
        "related",
        "related_texts",
        "json_mid",
        "json_tail",
        "key_mid",
        "key_tail",
    )

    def __init__(
        self,
        key,
        text,
        end_text,
        severity,
        data,
        related,
        related_texts,
        json_mid,
        json_tail,
        key_mid,
        key_tail,
    ):
        self.key = key
        self.text = text
        self.end_text = end_text
        self.severity = severity
        self.data = data
        self.related = related
        self.related_texts = related_texts
        self.json_mid = json_mid
        self.json_tail = json_tail
        self.key_mid = key_mid
        self.key_tail = key_tail


def workspace_edit(
    edits: list[Edit],
    codec: Codec,
    doc_for_path: Callable[[str], Document | None],
    uri_of: Callable[[str], str],
    versioned: bool,
) -> types.WorkspaceEdit:
    by_path: dict[str, list[Edit]] = {}
    for e in edits:
        by_path.setdefault(e.path, []).append(e)
    if versioned:
        changes = []
        for path, group in by_path.items():
            doc = doc_for_path(path)
            line_of = doc.line if doc else (lambda n: "")
            changes.append(
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=uri_of(path), version=doc.version if doc else None
                    ),
                    edits=[
                        types.TextEdit(range=codec.range(line_of, e.span), new_text=e.new_text) for e in group
                    ],
                )
            )
        return types.WorkspaceEdit(document_changes=changes)
    out = {}
    for path, group in by_path.items():
        doc = doc_for_path(path)
        line_of = doc.line if doc else (lambda n: "")
        out[uri_of(path)] = [
            types.TextEdit(range=codec.range(line_of, e.span), new_text=e.new_text) for e in group
        ]
    return types.WorkspaceEdit(changes=out)


KIND = {
    "quickfix": types.CodeActionKind.QuickFix,
    "refactor.rewrite": types.CodeActionKind.RefactorRewrite,
    "source": types.CodeActionKind.Source,
}


def kind_value(kind) -> str:
    """A code action kind as its wire string: an enum member or a plain string (clients send
    strings; lsprotocol keeps kinds it does not know as strings)."""
    return str(getattr(kind, "value", kind))


def kind_wanted(kind, only) -> bool:
    """Whether `kind` is asked for by a request's `context.only`, hierarchically as the LSP
    says: "refactor" asks for "refactor.rewrite", "quickfix" for "quickfix" (not "quick")."""
    if not only:
        return True
    kind = kind_value(kind)
    for wanted in only:
        wanted = kind_value(wanted)
        if wanted == "" or kind == wanted or kind.startswith(wanted + "."):
            return True
    return False


def code_action(action: Action, edit: types.WorkspaceEdit, diags: list[types.Diagnostic]) -> types.CodeAction:
    return types.CodeAction(
        title=action.title,
        kind=KIND.get(action.kind, action.kind),
        edit=edit,
        diagnostics=diags or None,
        is_preferred=action.preferred or None,
    )

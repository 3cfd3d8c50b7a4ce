"""Core data ↔ LSP types: positions in the negotiated encoding, diagnostics, edits."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from json.encoder import encode_basestring_ascii

from lsprotocol import types

from ..core import text as textutil
from ..core.checks import RULES
from ..core.document import Document, Lines, common_ends
from ..core.features.edits import Action, Edit
from ..core.model import Finding, Record, Related, Severity, Span

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


_NO_DIAGNOSTICS = diagnostics_key([])  # the key of an empty list, whoever makes it

# DiagnosticsJson's direct conversion: a severity as cattrs unstructures it (the enum's value),
# and as `_key_piece` formats it (an f-string of the enum member: its text differs by Python)
_SEVERITY_JSON = {s: json.dumps(v.value) for s, v in SEVERITY.items()}
_SEVERITY_KEY = {s: f"{v}" for s, v in SEVERITY.items()}
_string = encode_basestring_ascii  # what json.dumps (ensure_ascii, the default) makes of a str
_MIDDLES: dict[tuple[Severity, str], str] = {}  # (severity, code) → its fields after the message


def _middle(severity: Severity, code: str) -> str:
    """A diagnostic's JSON fields between "message" and the optional ones (severity, code,
    codeDescription when the code has a rule page, source), memoised."""
    rule = RULES.get(code)
    out = f', "severity": {_SEVERITY_JSON[severity]}, "code": {_string(code)}'
    if rule:
        out += f', "codeDescription": {{"href": {_string(rule.url)}}}'
    out += ', "source": "specmark"'
    if len(_MIDDLES) < 4096:
        _MIDDLES[(severity, code)] = out
    return out


_JSON_SCALARS = (str, int, float, bool, type(None))


def _plain(value: object) -> bool:
    """Whether `value` holds only JSON's own types (dict with str or int keys, list, tuple,
    str, int, float, bool, None; no subclasses such as enums), which cattrs gives unchanged to
    `json.dumps` (a tuple as a list: the same text)."""
    kind = type(value)
    if kind in _JSON_SCALARS:
        return True
    if kind is dict and isinstance(value, dict):
        return all((type(k) is str or type(k) is int) and _plain(v) for k, v in value.items())
    if (kind is list or kind is tuple) and isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return False


class DiagnosticsJson:
    """Findings of one document → publishDiagnostics' JSON text, memoised per finding.

    A finding's diagnostic depends on the finding's value and on the text of the line(s) its
    span and its related spans are on (UTF-16/UTF-8 columns), nothing else. Each conversion
    writes the JSON text that the general way makes (`diagnostic`, then the protocol's cattrs
    converter, then `json.dumps` as pygls does) directly from the finding, no lsprotocol object
    made (`_entry`; pygls_seam.py names what it imitates), so the bytes are exactly what pygls
    would send.

    What is reused, from the cheapest:
    - the ends of the list (given the document's lines): the findings before the first changed
      line that are the same objects as last time, and those after the last changed line that
      are last time's moved by the lines inserted or deleted (the engine keeps the finding
      objects of blocks an edit did not touch, and moves the ones below it), whose related
      locations are in unchanged documents: their text is last time's (with the new line
      numbers when they moved), found by comparing the two lists from each end, no line read;
    - by finding object: a kept finding elsewhere gets its last text, its line texts checked;
    - by the finding without its line number: a finding that only moved gets its range
      rewritten, not converted again. The key holds only strings and integers (cheap to
      hash); the rest of the finding (severity, data, related locations) and the line texts
      are compared with those of the key's entries."""

    def __init__(self, unstructure: Callable[[object], dict]):
        self._unstructure = unstructure
        self._memo: dict[str, _Converted] = {}  # path → its last conversion
        self._keys = itertools.count(1)

    def convert(
        self,
        path: str,
        findings: list[Finding],
        codec: Codec,
        line_of: Callable[[int], str],
        uri_of: Callable[[str], str],
        lines_of_path: Callable[[str], Callable[[int], str]],
        lines: Sequence[str] | None = None,
    ) -> tuple[list[str], str]:
        """(each diagnostic as the JSON text `json.dumps` makes of it, a key for the list).

        The key changes exactly when `diagnostics_key` of the list would (what it hashes, each
        diagnostic's key piece, is compared with last call's instead of hashed: the pieces
        reused are the same strings): last call's key when they are equal,
        `diagnostics_key([])` for an empty list, else a new one. `lines`: the document's lines
        (`line_of` reads them), which lets the ends of the list be reused without reading a
        line."""
        last = self._memo.get(path)
        if last is not None and last.encoding != codec.encoding:
            last = None
        values: dict = last.values if last is not None else {}
        getters: dict[str, Callable[[int], str]] = {path: line_of}
        others: dict[str, Lines | None] = {}  # the other documents' lines, as read this time

        def lines_of(p: str) -> Callable[[int], str]:  # one lookup per document and call
            got = getters.get(p)
            if got is None:
                got = getters[p] = lines_of_path(p)
                seq = getattr(got, "__self__", None)  # Lines.get: the same Lines, the same texts
                others[p] = seq if isinstance(seq, Lines) else None
            return got

        n = len(findings)
        i = j = delta = 0
        if last is not None and lines is not None and last.lines is not None:
            i, j, delta = self._kept_ends(path, last, findings, lines, lines_of, others)
        if i and last is not None:
            out, pieces, entries = last.outs[:i], last.pieces[:i], last.entries[:i]
        else:
            out, pieces, entries = [], [], []  # pieces: diagnostics_key's, hashed at once
        if i < n - j:
            index: dict[int, int] = {}
            if last is not None:  # the middle's findings kept as objects
                old = last.findings
                index = {id(f): k for k, f in enumerate(old[i : len(old) - j], i)}
            for f in findings[i : n - j]:
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
                k = index.get(id(f))
                if k is not None and last is not None and last.findings[k] is f:
                    entry = last.entries[k]
                    if entry.text == text and entry.end_text == end_text and entry.related_texts == texts:
                        out.append(last.outs[k])
                        pieces.append(last.pieces[k])
                        entries.append(entry)
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
                out.append(f'{{"range": {{"start": {{"line": {line}, {hit.json_mid}{end}{hit.json_tail}')
                pieces.append(f"{line}{hit.key_mid}{end}{hit.key_tail}")
                entries.append(hit)
        if j:
            assert last is not None
            m = len(last.findings)
            if delta == 0:
                out += last.outs[m - j :]
                pieces += last.pieces[m - j :]
                entries += last.entries[m - j :]
            else:  # moved: the same texts around new line numbers
                for f, hit in zip(findings[n - j :], last.entries[m - j :], strict=True):
                    line, end = f.span.line, f.span.end_line
                    out.append(f'{{"range": {{"start": {{"line": {line}, {hit.json_mid}{end}{hit.json_tail}')
                    pieces.append(f"{line}{hit.key_mid}{end}{hit.key_tail}")
                    entries.append(hit)
        if len(values) > 2 * n + 64:  # keys of findings long gone: keep the current ones
            values = {}
            for entry in entries:
                alike = values.setdefault(entry.key, [])
                if entry not in alike:
                    alike.append(entry)
        if last is not None:  # documents not read this time: as they were when last read
            for p, seq in last.others.items():
                others.setdefault(p, seq)
        if not out:
            list_key = _NO_DIAGNOSTICS
        elif last is not None and pieces == last.pieces:  # those reused compare by identity
            list_key = last.key
        else:
            list_key = f"#{next(self._keys)}"
        self._memo[path] = _Converted(
            codec.encoding, values, list(findings), entries, out, pieces, list_key, lines, others
        )
        return out, list_key

    @staticmethod
    def _kept_ends(
        path: str,
        last: _Converted,
        findings: list[Finding],
        lines: Sequence[str],
        lines_of: Callable[[str], Callable[[int], str]],
        others: dict[str, Lines | None],
    ) -> tuple[int, int, int]:
        """(how many findings at the start are last time's as they are, how many at the end are
        last time's moved by the lines inserted or deleted, how many lines that is)."""
        assert last.lines is not None
        p, s = common_ends(last.lines, lines)
        delta = len(lines) - len(last.lines)
        first = len(lines) - s  # the first line of the unchanged end
        same: dict[str, bool] = {}

        def related_kept(f: Finding) -> bool:
            for r in f.related:
                rp = r.path
                ok = same.get(rp)
                if ok is None:
                    lines_of(rp)
                    seq = others.get(rp)
                    ok = same[rp] = rp != path and seq is not None and seq is last.others.get(rp)
                if not ok:
                    return False
            return True

        old = last.findings
        n, m = len(findings), len(old)
        limit = min(n, m)
        i = 0
        while i < limit:
            f = findings[i]
            if f is not old[i] or f.span.end_line >= p or (f.related and not related_kept(f)):
                break
            i += 1
        j = 0
        while j < limit - i:
            f, g = findings[n - 1 - j], old[m - 1 - j]
            span = f.span
            if span.line < first:
                break
            if f is g:
                if delta:
                    break  # not moved with its line
            else:
                was = g.span
                if not (
                    was.line + delta == span.line
                    and was.end_line + delta == span.end_line
                    and was.col == span.col
                    and was.end_col == span.end_col
                    and f.code == g.code
                    and f.message == g.message
                    and f.path == g.path
                    and f.severity is g.severity
                    and f.data is g.data
                    and (f.related is g.related or f.related == g.related)
                ):
                    break
            if f.related and not related_kept(f):
                break
            j += 1
        return i, j, delta

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
        """`f` converted, its JSON text and key piece cut around the two line numbers.

        The JSON text is written directly, as cattrs and `json.dumps` would write `diagnostic(f)`
        (pygls_seam.py names what it imitates; tests/lsp/test_server_fast_paths.py compares
        both); a finding whose `data` holds anything but JSON's own types goes the general
        way (`_entry_general`)."""
        data = f.data
        if data and not _plain(data):
            return self._entry_general(f, codec, line_of, uri_of, lines_of, text, end_text, texts)
        span = f.span
        to_client = codec.to_client
        start = to_client(text, span.col)
        end = to_client(end_text, span.end_col)
        code, message = f.code, f.message
        severity = f.severity
        middle = _MIDDLES.get((severity, code))
        if middle is None:
            middle = _middle(severity, code)
        tail = f', "character": {end}}}}}, "message": {_string(message)}{middle}'
        piece = f":{end}|{code}|{_SEVERITY_KEY[severity]}|{message}"
        if f.related:
            infos = []
            for r, (r_text, r_end_text) in zip(f.related, texts, strict=True):
                rs = r.span
                uri = uri_of(r.path)
                r_start = to_client(r_text, rs.col)
                r_end = to_client(r_end_text, rs.end_col)  # r_text when on the same line
                infos.append(
                    f'{{"location": {{"uri": {_string(uri)}, "range": {{"start": {{"line": {rs.line}, '
                    f'"character": {r_start}}}, "end": {{"line": {rs.end_line}, "character": {r_end}}}}}}}, '
                    f'"message": {_string(r.message)}}}'
                )
                piece += f"|{uri}:{rs.line}:{r_start}:{rs.end_line}:{r_end}|{r.message}"
            tail += ', "relatedInformation": [' + ", ".join(infos) + "]"
        if data:
            tail += f', "data": {json.dumps(data)}'
        return _Entry.of(f, text, end_text, texts, start, tail + "}", piece + "\n")

    def _entry_general(
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
        """`_entry` the general way: `diagnostic`, the protocol's cattrs converter, `json.dumps`."""
        diag = diagnostic(f, codec, line_of, uri_of, lines_of)
        as_json = self._unstructure(diag)
        rng = as_json.pop("range")
        rest = json.dumps(as_json)
        piece = _key_piece(diag).decode("utf-8", "surrogatepass")
        end = rng["end"]["character"]
        return _Entry.of(
            f,
            text,
            end_text,
            texts,
            rng["start"]["character"],
            f', "character": {end}}}}}' + (", " + rest[1:] if len(rest) > 2 else "}"),
            f":{end}" + piece[piece.index("|") :],
        )

    def forget(self, path: str) -> None:
        self._memo.pop(path, None)


class _Entry(Record, eq=False):
    """A memoised diagnostic (DiagnosticsJson): what it was made from, and its JSON text and
    key piece around the two line numbers."""

    key: tuple
    text: str
    end_text: str
    severity: Severity
    data: object
    related: tuple[Related, ...]
    related_texts: tuple[tuple[str, str], ...]
    json_mid: str
    json_tail: str
    key_mid: str
    key_tail: str

    @classmethod
    def of(
        cls,
        f: Finding,
        text: str,
        end_text: str,
        related_texts: tuple[tuple[str, str], ...],
        start: int,
        json_tail: str,
        key_tail: str,
    ) -> _Entry:
        """`f`'s entry whose range starts at client column `start`; `json_tail` and `key_tail`
        follow the end line's number in the JSON text and the key piece."""
        span = f.span
        return cls(
            (f.code, f.message, span.col, span.end_line - span.line, span.end_col),
            text,
            end_text,
            f.severity,
            f.data,
            f.related,
            related_texts,
            f'"character": {start}}}, "end": {{"line": ',
            json_tail,
            f":{start}:",
            key_tail,
        )


class _Converted(Record, eq=False):
    """A document's last conversion (DiagnosticsJson): its findings and, in the same order,
    their entries, JSON texts and key pieces, the key it gave; the lines they were read from, and the other
    documents' lines their related locations were read from (None: not a Lines)."""

    encoding: str
    values: dict  # finding key → [_Entry, …]
    findings: list[Finding]
    entries: list[_Entry]
    outs: list[str]
    pieces: list[str]
    key: str
    lines: Sequence[str] | None
    others: dict[str, Lines | None]


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

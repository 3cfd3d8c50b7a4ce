"""The fast paths send exactly what the general path sends.

Completion lists and publishDiagnostics are built as JSON-ready dicts (handlers/completion.py,
convert.DiagnosticsJson) instead of lsprotocol objects unstructured by cattrs, completion
candidates are cached per requirements document (core/features/completion.py), converted
diagnostics are memoised per finding, and stdin is read on the event loop (transport.py).
Here two real servers get the same session, byte for byte: one as shipped, one with
SPECMARK_NO_FAST_PATHS=1 (lsprotocol objects through cattrs, pygls's dispatch and its
threaded stdin reader: everything as pygls does it). Every
completion response and every publishDiagnostics must be the same bytes (keys, key order,
escaping), after edits that move UTF-16/UTF-8 columns without changing the findings (the
memo must not serve a stale range), rename a requirement (the candidate cache must not
serve a stale detail) and add or remove findings with related information.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wire import read_frames, send_frame, serve

TITLES = ["Área", "Login 😀", "", "Ünïcode \u2028 sep", "Plain"]


def requirements_text() -> str:
    out = ["# Requirements Document", "", "## Requirements", ""]
    for r in range(1, 121):
        title = TITLES[r % len(TITLES)]
        out += [
            f"### Requirement {r}" + (f": {title} {r}" if title else ""),
            "",
            "#### Acceptance Criteria",
            "",
        ]
        out += [f"{i}. THE system SHALL do thing {r}.{i}" for i in (1, 2, 3)]
        out.append("")
    out += [
        "### Requirement 7: Duplicate seven",
        "",
        "#### Acceptance Criteria",
        "",
        "1. THE system SHALL x",
        "",
    ]
    return "\n".join(out)


TASKS = """# Implementation Plan

- [ ] 1. Build the form 😀
  - Render the fields
  - _Requirements: 1.1, 1.2_

- [x] 2. Lock accounts
  - _Requirements: 1.3, 99.9_

- [ ] 2. Duplicate id ü
  - _Requirements: 2.1_

- [ ] 3. Log out
  - [ ] 3.1 End the session
    - _Requirements: 2.2, 3.1_
  - [ ]* 3.2 Clear the cookie
    - _要件: 3.2_
"""


class Raw:
    """`specmark serve` over stdio, keeping every message's raw body."""

    def __init__(self, cwd: Path, fast: bool):
        self.proc = serve(cwd, stderr=subprocess.DEVNULL, no_fast_paths=not fast)
        self.bodies: list[tuple[dict, bytes]] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for body in read_frames(self.proc.stdout):
            msg = json.loads(body)
            if "method" in msg and "id" in msg:  # the server's own requests: no settings, nothing applied
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            with self._cond:
                self.bodies.append((msg, body))
                self._cond.notify_all()

    def send(self, obj) -> None:
        send_frame(self.proc.stdin, obj)

    def wait(self, predicate, timeout: float = 30.0) -> bytes:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for msg, body in self.bodies:
                    if predicate(msg):
                        return body
                left = deadline - time.monotonic()
                assert left > 0, "no such message from the server"
                self._cond.wait(min(left, 0.1))

    def publishes(self) -> list[bytes]:
        with self._cond:
            return [b for m, b in self.bodies if m.get("method") == "textDocument/publishDiagnostics"]

    def close(self) -> None:
        try:
            self.send({"jsonrpc": "2.0", "id": "bye", "method": "shutdown"})
            self.wait(lambda m: m.get("id") == "bye")
            self.send({"jsonrpc": "2.0", "method": "exit"})
            self.proc.wait(10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(10)


def _session(server: Raw, folder: Path, encoding: str, snippets: bool) -> dict[str, bytes]:
    """Drive one server; returns the raw body of every response, by request id."""
    tasks_uri, req_uri = (folder / "tasks.md").as_uri(), (folder / "requirements.md").as_uri()
    root = folder.parents[2]
    server.send(
        {
            "jsonrpc": "2.0",
            "id": "init",
            "method": "initialize",
            "params": {
                "processId": None,
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": "ws"}],
                "initializationOptions": {"diagnosticMode": "push"},
                "capabilities": {
                    "general": {"positionEncodings": [encoding]},
                    "textDocument": {
                        "publishDiagnostics": {"versionSupport": True},
                        "completion": {"completionItem": {"snippetSupport": snippets}},
                    },
                },
            },
        }
    )
    server.wait(lambda m: m.get("id") == "init")
    server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    texts = {req_uri: requirements_text(), tasks_uri: TASKS}
    versions = {req_uri: 1, tasks_uri: 1}
    for uri, text in texts.items():
        server.send(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}
                },
            }
        )
    server.wait(
        lambda m: (
            m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == tasks_uri
            and m["params"].get("version") == 1
        )
    )
    out: dict[str, bytes] = {}

    def units(s: str) -> int:
        return len(s.encode("utf-16-le")) // 2 if encoding == "utf-16" else len(s.encode("utf-8"))

    def edit(uri: str, line: int, col: int, end_col: int, new: str, join: bool = False) -> None:
        """Replace code points col..end_col of `line` (with `join`: from col to the end of the
        line break), then wait for the answer to a request: the server publishes the edit's
        diagnostics (if the list changed) before it reads on."""
        lines = texts[uri].split("\n")
        old = lines[line]
        if join:
            lines[line : line + 2] = [old[:col] + new + lines[line + 1]]
        else:
            lines[line] = old[:col] + new + old[end_col:]
        texts[uri] = "\n".join(lines)
        versions[uri] += 1
        version = versions[uri]
        server.send(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [
                        {
                            "range": {
                                "start": {"line": line, "character": units(old[:col])},
                                "end": (
                                    {"line": line + 1, "character": 0}
                                    if join
                                    else {"line": line, "character": units(old[:end_col])}
                                ),
                            },
                            "text": new,
                        }
                    ],
                },
            }
        )
        sync = f"sync-{uri[-15:]}-{version}"
        server.send(
            {
                "jsonrpc": "2.0",
                "id": sync,
                "method": "textDocument/foldingRange",
                "params": {"textDocument": {"uri": uri}},
            }
        )
        server.wait(lambda m: m.get("id") == sync)

    def complete(name: str, uri: str, line: int, col: int) -> None:
        text = texts[uri].split("\n")[line]
        server.send(
            {
                "jsonrpc": "2.0",
                "id": name,
                "method": "textDocument/completion",
                "params": {
                    "textDocument": {"uri": uri},
                    "position": {"line": line, "character": units(text[:col])},
                },
            }
        )
        out[name] = server.wait(lambda m: m.get("id") == name)

    lines = TASKS.split("\n")
    ref = lines.index("  - _Requirements: 1.1, 1.2_")
    end = len(lines[ref]) - 1
    edit(tasks_uri, ref, end, end, ", ")  # 1.1, 1.2, |
    complete("all", tasks_uri, ref, end + 2)  # 100 of 360 + 1, incomplete
    edit(tasks_uri, ref, end + 2, end + 2, "5")
    complete("narrowed", tasks_uri, ref, end + 3)  # 5, 5.1 … 59.3
    edit(tasks_uri, ref, end + 2, end + 3, "99.7")  # an unknown ID: a new finding
    edit(tasks_uri, ref, end + 2, end + 6, "")  # and gone again
    title = lines.index("- [ ] 1. Build the form 😀")
    # columns move in UTF-16/UTF-8 but not in code points: an emoji for a letter before a finding
    dup = lines.index("- [ ] 2. Duplicate id ü")
    edit(tasks_uri, dup, len(lines[dup]) - 1, len(lines[dup]), "😀")
    edit(tasks_uri, title, 9, 10, "é")
    jp = lines.index("    - _要件: 3.2_")  # UTF-16/UTF-8 columns ≠ code points
    edit(tasks_uri, jp, len(lines[jp]) - 1, len(lines[jp]) - 1, ", ")
    complete("after-kanji", tasks_uri, jp, len(lines[jp]) + 1)
    edit(tasks_uri, dup, 6, 7, "4")  # duplicate-task-id (related information) gone
    edit(tasks_uri, dup, 6, 7, "2")  # and back
    # lines inserted and deleted above every finding: the same findings, moved (the memo
    # rewrites their ranges), in tasks.md and in requirements.md (related information)
    edit(tasks_uri, 1, 0, 0, "\n")
    edit(tasks_uri, 1, 0, 0, "Some words 😀\n")
    edit(tasks_uri, 1, 0, 0, "", join=True)
    edit(tasks_uri, 1, 0, 0, "", join=True)
    edit(req_uri, 1, 0, 0, "\n\n")
    edit(req_uri, 1, 0, 0, "", join=True)
    edit(req_uri, 1, 0, 0, "", join=True)
    # rename requirement 1 and change an uncovered criterion's line (same finding, other columns)
    req_lines = texts[req_uri].split("\n")
    head = req_lines.index("### Requirement 1: Login 😀 1")
    edit(req_uri, head, len(req_lines[head]), len(req_lines[head]), " renamed ✓")
    crit = req_lines.index("3. THE system SHALL do thing 3.3")  # uncovered: same finding, other columns
    edit(req_uri, crit, 3, 4, "😀")
    # "99.9" in tasks.md: "did you mean 99.3?" points at that criterion's line (related
    # information in another document): same finding, other UTF-16/UTF-8 columns there
    target = req_lines.index("3. THE system SHALL do thing 99.3")
    edit(req_uri, target, 3, 4, "😀")
    edit(req_uri, target, 3, 4, "T")
    edit(tasks_uri, ref, end + 2, end + 2, "1")
    complete("renamed", tasks_uri, ref, end + 3)
    # the empty-bullet snippet, and nothing outside reference lines
    edit(
        tasks_uri,
        ref,
        len(texts[tasks_uri].split("\n")[ref]),
        len(texts[tasks_uri].split("\n")[ref]),
        "\n  - ",
    )
    complete("snippet", tasks_uri, ref + 1, 4)
    complete("none", tasks_uri, title, 3)
    return out


@pytest.mark.parametrize("encoding,snippets", [("utf-16", True), ("utf-8", False)])
def test_fast_paths_send_the_same_bytes_as_the_general_path(tmp_path, encoding, snippets):
    got = {}
    publishes = {}
    for fast in (True, False):
        folder = tmp_path / ("fast" if fast else "general") / ".kiro" / "specs" / "demo"
        folder.mkdir(parents=True)
        (folder / "requirements.md").write_text(requirements_text(), encoding="utf-8")
        (folder / "tasks.md").write_text(TASKS, encoding="utf-8")
        server = Raw(folder.parents[2], fast)
        try:
            got[fast] = _session(server, folder, encoding, snippets)
            server.close()
            publishes[fast] = [
                b.replace(b"/fast/", b"/X/").replace(b"/general/", b"/X/") for b in server.publishes()
            ]
        finally:
            if server.proc.poll() is None:
                server.proc.kill()
    fast, general = got[True], got[False]
    assert set(fast) == set(general)
    for name in fast:
        a = fast[name].replace(b"/fast/", b"/X/")
        b = general[name].replace(b"/general/", b"/X/")
        assert a == b, f"completion {name!r} differs"
    result = json.loads(fast["all"])["result"]
    assert result["isIncomplete"] is True and len(result["items"]) == 100
    assert json.loads(fast["none"])["result"] is None
    snippet = json.loads(fast["snippet"])["result"]["items"]
    assert [i["label"] for i in snippet] == ["_Requirements: _"]
    renamed = json.loads(fast["renamed"])["result"]["items"]
    assert renamed[0]["label"] == "1" and renamed[0]["detail"].endswith("renamed ✓")
    # the same publishDiagnostics, in the same order: a stale memo would change the bytes or
    # leave out a publish (a list whose columns moved would look unchanged)
    assert len(publishes[True]) == len(publishes[False])
    for n, (a, b) in enumerate(zip(publishes[True], publishes[False], strict=False)):
        assert a == b, f"publishDiagnostics #{n} differs"
    assert len(publishes[True]) >= 10
    versions = [
        (m["params"]["uri"].rsplit("/", 1)[1], m["params"]["version"])
        for m in map(json.loads, publishes[True])
    ]
    assert ("requirements.md", 3) in versions  # the criterion line whose columns moved was published again
    kanji = json.loads(fast["after-kanji"])["result"]["items"]
    assert kanji and kanji[0]["textEdit"]["range"]["start"]["character"] == (
        16 if encoding == "utf-16" else 20
    )


class _SameAsFresh:
    """Compares DiagnosticsJson.convert's answers with a memo-less conversion's, call after
    call: the same JSON texts, and a key that changes exactly when `diagnostics_key` does."""

    def __init__(self) -> None:
        self.last: tuple[str, str] | None = None

    def __call__(self, got: tuple[list[str], str], want: tuple[list[str], str], label: str) -> None:
        (out, key), (want_out, want_key) = got, want
        assert out == want_out, label
        if self.last is not None:
            assert (key == self.last[0]) == (want_key == self.last[1]), label
        self.last = (key, want_key)


def test_diagnostics_memo_equals_a_fresh_conversion():
    """convert.DiagnosticsJson, fed one list after another, gives what a memo-less conversion
    gives (the general path: lsprotocol objects, cattrs, json.dumps): findings that only moved,
    and findings that keep their key (code, message, columns) but change their severity, data,
    related location or the text of a line."""
    from pygls.protocol import default_converter

    from specmark.core.model import Finding, Related, Severity, Span
    from specmark.lsp import convert

    unstructure = default_converter().unstructure
    tasks, req = "/w/tasks.md", "/w/requirements.md"
    texts = {tasks: ["x" * 40] * 60, req: ["é😀 criterion"] * 20}

    def run(memo, findings, texts):
        def lines_of(p):
            return lambda n: texts[p][n] if 0 <= n < len(texts[p]) else ""

        return memo.convert(
            tasks, findings, convert.Codec("utf-16"), lines_of(tasks), lambda p: "file://" + p, lines_of
        )

    def general(findings, texts):
        def lines_of(p):
            return lambda n: texts[p][n] if 0 <= n < len(texts[p]) else ""

        diags = [
            convert.diagnostic(f, convert.Codec("utf-16"), lines_of(tasks), lambda p: "file://" + p, lines_of)
            for f in findings
        ]
        return [json.dumps(unstructure(d)) for d in diags], convert.diagnostics_key(diags)

    def f(line, severity=Severity.WARNING, data=None, related=(), col=2, lines=0):
        span = Span(line, col, line + lines, 5)
        return Finding("unknown-requirement", tasks, span, "unknown 7.14", severity, related, data)

    rel = (Related(req, Span(3, 1, 3, 4), "did you mean 7.10?"),)
    rel_moved = (Related(req, Span(4, 1, 4, 4), "did you mean 7.10?"),)
    rel_here = (Related(tasks, Span(8, 0, 8, 3), "first here"),)
    x, err = {"id": "7.14"}, Severity.ERROR
    steps = [
        [f(10, data=x, related=rel), f(12), f(20, related=rel_here), f(30, col=3)],
        [f(11, data=x, related=rel), f(13), f(21, related=rel_here), f(31, col=3)],  # moved down
        # the same keys (code, message, columns), other values
        [f(11, data={"id": "7.15"}, related=rel), f(13, err), f(21), f(31, col=3)],
        [f(11, data={"id": "7.15"}, related=rel_moved), f(13, err), f(21), f(21), f(31, col=3)],
        [f(11, data={1: True}, related=rel_moved), f(13), f(21), f(31, col=3)],
        [f(11, data={1: 1}, related=rel_moved), f(13), f(21), f(31, col=3)],  # == but other JSON
        # other texts on the lines of a finding: its start line, its end line
        [f(11, data={1: 1}, related=rel_moved), f(13), f(21), f(31, col=3), f(40, lines=1), f(50, lines=1)],
        [f(11, data={1: 1}, related=rel_moved), f(13), f(21), f(31, col=3), f(40, lines=1), f(50, lines=1)],
        [f(11, data={1: 1}, related=rel_moved), f(13), f(21), f(31, col=3)],  # other related texts
    ]
    memo, same = convert.DiagnosticsJson(unstructure), _SameAsFresh()
    for n, findings in enumerate(steps):
        if n == 7:  # the same columns are other UTF-16 units
            texts = {**texts, tasks: ["😀" * 40 if i in (41, 50) else t for i, t in enumerate(texts[tasks])]}
        if n == 8:
            texts = {**texts, req: ["😀" * 20] * 20}
        same(run(memo, findings, texts), general(findings, texts), f"step {n}")
    # the same finding objects again (the engine keeps those of unchanged blocks): the memo by
    # object must still notice the texts of their lines and related lines changing
    kept = [f(11, related=rel), f(13), f(40, lines=1), f(50, lines=1)]
    for n, change in enumerate([None, (tasks, 13), (tasks, 41), (req, 3), None, (tasks, 50)]):
        if change is not None:
            p, i = change
            texts = {**texts, p: [("é" + t) if j == i else t for j, t in enumerate(texts[p])]}
        same(run(memo, kept, texts), general(kept, texts), f"kept, step {n}")


def test_diagnostics_memo_ends_equal_a_fresh_conversion():
    """convert.DiagnosticsJson given the document's lines (as the server gives them) reuses the
    ends of the list without reading a line: only when right. Each step's lists of finding
    objects (kept, moved, or kept while their lines moved) and document versions (a keystroke,
    a line inserted above or below findings, the requirements document edited) must give what a
    memo-less conversion gives."""
    from pygls.protocol import default_converter

    from specmark.core.document import Lines
    from specmark.core.model import Finding, Related, Severity, Span
    from specmark.lsp import convert

    unstructure = default_converter().unstructure
    tasks, req = "/w/tasks.md", "/w/requirements.md"
    # lines alternately of one and two UTF-16 units a character: a range read on the wrong line
    # gets other columns
    docs = {tasks: Lines(["x😀"[i % 2] * 40 for i in range(60)]), req: Lines(["é😀 criterion"] * 20)}

    def run(memo, findings):
        current = dict(docs)
        return memo.convert(
            tasks,
            findings,
            convert.Codec("utf-16"),
            current[tasks].get,
            lambda p: "file://" + p,
            lambda p: current[p].get,
            current[tasks],
        )

    def general(findings):
        def lines_of(p):
            return docs[p].get

        diags = [
            convert.diagnostic(f, convert.Codec("utf-16"), lines_of(tasks), lambda p: "file://" + p, lines_of)
            for f in findings
        ]
        return [json.dumps(unstructure(d)) for d in diags], convert.diagnostics_key(diags)

    def f(line, related=(), lines=0, severity=Severity.WARNING):
        return Finding(
            "unknown-requirement", tasks, Span(line, 2, line + lines, 5), "unknown 7.14", severity, related
        )

    def moved(found, off):
        return [
            x._replace(span=x.span._replace(line=x.span.line + off, end_line=x.span.end_line + off))
            for x in found
        ]

    def edit(p, at, new, drop=0):
        docs[p] = docs[p].replace(at, at + drop, new)

    rel = (Related(req, Span(3, 1, 3, 4), "did you mean 7.10?"),)
    here = (Related(tasks, Span(45, 0, 45, 3), "first here"),)
    memo, same = convert.DiagnosticsJson(unstructure), _SameAsFresh()
    found = [f(10, rel), f(13), f(25, here), f(40, lines=1), f(50), f(55, rel)]
    same(run(memo, found), general(found), "first")
    steps = [
        lambda: edit(tasks, 13, ["😀x" * 20], 1),  # a keystroke under a kept finding
        lambda: edit(tasks, 41, ["😀x" * 20], 1),  # … under the end of a multi-line one
        lambda: edit(tasks, 45, ["😀x" * 20], 1),  # … under a related location in this document
        lambda: edit(req, 3, ["😀" * 20], 1),  # the requirements document
        lambda: (edit(req, 3, ["é" * 20], 1), edit(tasks, 0, ["é"], 1)),  # … and a line above all
        lambda: edit(tasks, 30, ["😀" * 40]),  # a line inserted, the findings below kept (wrong lines)
        lambda: edit(tasks, 0, []),  # nothing
        lambda: edit(tasks, 59, ["y"]),  # a line inserted below every finding
    ]
    for n, step in enumerate(steps):
        step()
        same(run(memo, found), general(found), f"kept, step {n}")
    for n, (at, off) in enumerate([(20, 1), (20, -1), (0, 2), (51, 1)]):
        edit(tasks, at, ["😀"] * off) if off > 0 else edit(tasks, at, [], -off)
        found = found[: sum(1 for x in found if x.span.line < at)] + moved(
            [x for x in found if x.span.line >= at], off
        )
        found = [x._replace(related=here) if x.related and x.related[0].path == tasks else x for x in found]
        same(run(memo, found), general(found), f"moved, step {n}")
    found = found[:2] + [found[2]._replace(severity=Severity.ERROR)] + found[3:]  # one changed in the middle
    same(run(memo, found), general(found), "changed")
    # moved, and changed otherwise: the last finding (the end of the list is compared first)
    other_rel = (Related(req, Span(5, 1, 5, 4), "did you mean 7.10?"),)
    for n, change in enumerate(
        [
            {"severity": Severity.ERROR},
            {"data": {"id": "7.14"}},
            {"message": "unknown 7.15"},
            {"related": other_rel},
            {"span": "one line more"},
            {"span": "one line less"},
            {"span": "another column"},
        ]
    ):
        edit(tasks, 0, ["z"])
        found = moved(found, 1)
        last = found[-1]
        if change.get("span") == "one line more":
            change = {"span": last.span._replace(end_line=last.span.end_line + 1)}
        elif change.get("span") == "one line less":
            change = {"span": last.span._replace(line=last.span.line - 1)}
        elif change.get("span") == "another column":
            change = {"span": last.span._replace(col=1)}
        found[-1] = last._replace(**change)
        same(run(memo, found), general(found), f"moved and changed, step {n}")


def _finding_strategies():
    from specmark.core.checks import RULES
    from specmark.core.model import Finding, Related, Severity, Span

    tasks, req, other = "/w/tasks.md", "/w/requirements.md", "/w/spec é/tasks 😀.md"
    # messages with anything a document can hold: escapes, astral characters, lone surrogates
    # (a client's JSON can send "\ud800"), line and paragraph separators
    text = st.text(st.characters(exclude_categories=()), max_size=12)
    spans = st.builds(
        lambda line, col, lines, end_col: Span(line, col, line + lines, end_col),
        st.integers(0, 9),
        st.integers(0, 14),
        st.integers(0, 2),
        st.integers(0, 14),
    )
    related = st.lists(st.builds(Related, st.sampled_from([tasks, req, other]), spans, text), max_size=3)
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | text
    plain = st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.tuples(inner, inner)
            | st.dictionaries(text | st.integers(), inner, max_size=3)
        ),
        max_leaves=8,
    )
    # not JSON's own types: cattrs unstructures them (enums to their value), then json.dumps
    odd = st.dictionaries(
        text | st.booleans(), st.sampled_from(list(Severity)) | plain, min_size=1, max_size=2
    ).filter(lambda d: not convert_plain(d))
    data = st.none() | st.just({}) | st.dictionaries(text, plain, max_size=3) | odd
    codes = st.sampled_from([*sorted(RULES), "not-a-rule", "code \u00e9"])
    findings = st.builds(
        Finding,
        codes,
        st.just(tasks),
        spans,
        text,
        st.sampled_from(list(Severity)),
        related.map(tuple),
        data,
    )
    lines = st.lists(st.text(st.sampled_from('aé😀\u2028\t\\"'), max_size=16), min_size=12, max_size=12)
    return tasks, req, other, findings, lines


def convert_plain(value) -> bool:
    from specmark.lsp import convert

    return convert._plain(value)


_TASKS, _REQ, _OTHER, _FINDINGS, _LINES = _finding_strategies()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_FINDINGS, max_size=6),
    st.fixed_dictionaries({_TASKS: _LINES, _REQ: _LINES, _OTHER: _LINES}),
    st.sampled_from(["utf-8", "utf-16", "utf-32"]),
)
def test_direct_diagnostic_json_equals_the_general_path(findings, texts, encoding):
    """DiagnosticsJson writes a new finding's JSON text and key piece itself (no lsprotocol
    objects, no cattrs): each must be what the general path makes of it (`diagnostic`, the
    pygls converter's unstructure, `json.dumps`; `_key_piece`), byte for byte, for every field:
    ranges in each encoding, every severity, codes with and without a rule page, related
    locations in this and other documents, data of every JSON type (and of others, which go
    the general way), unicode and lone surrogates everywhere."""
    from pygls.protocol import default_converter

    from specmark.lsp import convert

    unstructure = default_converter().unstructure
    codec = convert.Codec(encoding)

    def lines_of(p):
        return lambda n: texts[p][n] if 0 <= n < len(texts[p]) else ""

    def uri_of(p):
        return "file://" + p

    class Counted(convert.DiagnosticsJson):
        general = 0

        def _entry_general(self, *args):
            Counted.general += 1
            return super()._entry_general(*args)

    memo = Counted(unstructure)
    out, _key = memo.convert(_TASKS, findings, codec, lines_of(_TASKS), uri_of, lines_of)
    diags = [convert.diagnostic(f, codec, lines_of(_TASKS), uri_of, lines_of) for f in findings]
    assert out == [json.dumps(unstructure(d)) for d in diags]
    assert memo._memo[_TASKS].pieces == [
        convert._key_piece(d).decode("utf-8", "surrogatepass") for d in diags
    ]
    # the general way only for data cattrs would change (the alike memo may serve the rest)
    assert Counted.general <= sum(1 for f in findings if f.data and not convert_plain(f.data))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_SETPIPE_SZ is Linux's")
def test_stdout_pipe_is_widened(tmp_path):
    """transport.widen_pipe: a large publishDiagnostics goes into the pipe in one write."""
    import fcntl

    server = Raw(tmp_path, fast=True)
    try:
        server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
        server.wait(lambda m: m.get("id") == 1)
        with open("/proc/sys/fs/pipe-max-size") as fh:
            most = int(fh.read())
        if most >= 1 << 20:
            assert fcntl.fcntl(server.proc.stdout.fileno(), fcntl.F_GETPIPE_SZ) == 1 << 20
        server.close()
    finally:
        if server.proc.poll() is None:
            server.proc.kill()

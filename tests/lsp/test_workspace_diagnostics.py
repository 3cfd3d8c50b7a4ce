"""specmark.diagnostics.scope = "workspace": findings of spec documents that are not open, pushed
or pulled (workspace/diagnostic with result ids), kept current when files change on disk."""

from __future__ import annotations

import shutil

import pytest
from wire import VSCODE_CAPS, Wire

from conftest import DEMO

BAD = "# Plan\n\n- [ ] 1. Build it\n  - _Requirements: 1.9_\n"
GOOD = "# Plan\n\n- [ ] 1. Build it\n  - _Requirements: 1.1, 1.2, 1.3, 2.1, 2.2_\n"
WORKSPACE = {"specmark": {"diagnostics": {"scope": "workspace"}}}
PUSH_CAPS = {
    "general": {"positionEncodings": ["utf-16"]},
    "window": {"workDoneProgress": True},
    "workspace": {"applyEdit": True, "didChangeWatchedFiles": {"dynamicRegistration": True}},
    "textDocument": {"publishDiagnostics": {"versionSupport": True}},
}
PULL_CAPS = {**VSCODE_CAPS, "textDocument": {**VSCODE_CAPS["textDocument"], "diagnostic": {}}}


@pytest.fixture
def project(tmp_path):
    for name in ("one", "two"):
        folder = tmp_path / ".kiro" / "specs" / name
        folder.mkdir(parents=True)
        shutil.copy(DEMO / "requirements.md", folder / "requirements.md")
        (folder / "tasks.md").write_text(BAD if name == "two" else GOOD, encoding="utf-8")
    return tmp_path


def published(server: Wire, uri: str) -> list[dict]:
    return [p for p in server.received("textDocument/publishDiagnostics") if p["uri"] == uri]


def test_push_reports_unopened_documents_and_follows_disk(project):
    tasks = project / ".kiro" / "specs" / "two" / "tasks.md"
    uri = tasks.as_uri()
    server = Wire(project, PUSH_CAPS, {"diagnosticMode": "push", "settings": WORKSPACE})
    try:
        msg = server.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"]["diagnostics"]
            )
        )
        assert [d["code"] for d in msg["params"]["diagnostics"]] == ["unknown-requirement"]
        assert "version" not in msg["params"]  # from disk, not an open version
        # the first scan reports work-done progress
        server.wait(
            lambda m: (
                m.get("method") == "$/progress"
                and m["params"]["value"].get("title") == "specmark: checking the workspace"
            )
        )
        # changed outside the editor: the watcher's event brings the new findings
        tasks.write_text(GOOD, encoding="utf-8")
        server.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri, "type": 2}]})
        server.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"]["diagnostics"] == []
            )
        )
        # opened, edited, closed: the findings of the file on disk stay
        tasks.write_text(BAD, encoding="utf-8")
        server.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri, "type": 2}]})
        server.wait(lambda m: bool(published(server, uri)[-1]["diagnostics"]))
        server.open(tasks, BAD)
        server.code_actions(uri, 0)  # a round trip: opened and analysed
        count = len(published(server, uri))
        server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        server.code_actions((project / ".kiro" / "specs" / "one" / "tasks.md").as_uri(), 0)  # a round trip
        after = published(server, uri)[count:]
        assert all(p["diagnostics"] for p in after), after  # never cleared
        # back to "open": what was reported for unopened documents is cleared
        server.notify("workspace/didChangeConfiguration", {"settings": {"specmark": {}}})
        server.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"]["diagnostics"] == []
                and m is server.messages[-1]
            )
        )
    finally:
        server.close()


def test_default_scope_reports_open_documents_only(project):
    uri = (project / ".kiro" / "specs" / "two" / "tasks.md").as_uri()
    server = Wire(project, PUSH_CAPS, {"diagnosticMode": "push"})
    try:
        server.wait(lambda m: m.get("method") == "window/logMessage" and "indexed" in m["params"]["message"])
        other = project / ".kiro" / "specs" / "one" / "tasks.md"
        server.open(other)
        server.diagnostics(other.as_uri(), 1)
        assert published(server, uri) == []
    finally:
        server.close()


def test_pull_workspace_diagnostic_with_result_ids(project):
    tasks = project / ".kiro" / "specs" / "two" / "tasks.md"
    uri = tasks.as_uri()
    server = Wire(project, PULL_CAPS, {"diagnosticMode": "pull", "settings": WORKSPACE})
    try:
        server.wait(lambda m: m.get("method") == "window/logMessage" and "indexed" in m["params"]["message"])
        first = {
            r["uri"]: r for r in server.request("workspace/diagnostic", {"previousResultIds": []})["items"]
        }
        report = first[uri]
        assert report["kind"] == "full" and report["version"] is None
        assert [d["code"] for d in report["items"]] == ["unknown-requirement"]
        assert first[(project / ".kiro" / "specs" / "one" / "tasks.md").as_uri()]["items"] == []
        ids = [{"uri": u, "value": r["resultId"]} for u, r in first.items()]
        again = {
            r["uri"]: r for r in server.request("workspace/diagnostic", {"previousResultIds": ids})["items"]
        }
        assert {r["kind"] for r in again.values()} == {"unchanged"}, again
        # a change on disk: that document's report is full again, the others unchanged
        tasks.write_text(GOOD, encoding="utf-8")
        server.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri, "type": 2}]})
        server.code_actions(uri, 0)  # a round trip: the change is applied
        third = {
            r["uri"]: r for r in server.request("workspace/diagnostic", {"previousResultIds": ids})["items"]
        }
        assert third[uri]["kind"] == "full" and third[uri]["items"] == []
        # (its requirements.md too: its uncovered criteria are now covered); the other spec: unchanged
        assert third[uri.replace("tasks.md", "requirements.md")]["kind"] == "full"
        assert {r["kind"] for u, r in third.items() if "/one/" in u} == {"unchanged"}
        # an open document is left to textDocument/diagnostic
        server.open(tasks, GOOD)
        server.code_actions(uri, 0)
        fourth = server.request("workspace/diagnostic", {"previousResultIds": []})["items"]
        assert uri not in {r["uri"] for r in fourth}
    finally:
        server.close()

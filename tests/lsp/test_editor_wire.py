"""Bugs met in real editors, replayed through a real server with the JSON editors send.

Kinds, message types and every enum are plain strings/numbers on the wire (see wire.py).
"""

from __future__ import annotations

import shutil
import time

import pytest
from wire import Wire

from conftest import DEMO

TASKS = """# Implementation Plan

- [ ] 1. Build the login form
  - _Requirements: 1.1, 1.7_

- [ ] 2. Parent
  - [x] 2.1 Child
    - _Requirements: 2.1_

- [ ] 5. Sessions
  - [ ] 5.1 End the session
    - _Requirements: 2.1_
  - [ x] 5.2 Clear the cookie
    - _Requirements: 2.2_
"""


@pytest.fixture
def spec(tmp_path):
    folder = tmp_path / ".kiro" / "specs" / "demo"
    folder.mkdir(parents=True)
    shutil.copy(DEMO / "requirements.md", folder / "requirements.md")
    (folder / "tasks.md").write_text(TASKS, encoding="utf-8")
    return folder


@pytest.fixture
def wire(spec):
    server = Wire(spec.parents[2])
    yield server
    server.close()


def kinds_and_titles(actions):
    return sorted((a["kind"], a["title"]) for a in actions)


def diagnostics_on(wire, uri: str, line: int) -> list[dict]:
    """The diagnostics of `uri` that start on `line`."""
    return [d for d in wire.diagnostics(uri) if d["range"]["start"]["line"] == line]


# ---- 1. codeAction filtered by kind (context.only) -----------------------------------------------


def test_code_actions_filtered_by_kind_as_strings(wire, spec):
    uri = wire.open(spec / "tasks.md")
    on_line = diagnostics_on(wire, uri, 3)
    assert [d["code"] for d in on_line] == ["unknown-requirement"]
    every = wire.code_actions(uri, 3, col=25, diagnostics=on_line)
    fixes = [a for a in every if a["kind"] == "quickfix"]
    rewrites = [a for a in every if a["kind"] == "refactor.rewrite"]
    assert fixes and rewrites
    # VS Code's "Quick Fix…" link in a diagnostic's hover; Neovim's code_action({only={'quickfix'}})
    got = wire.code_actions(uri, 3, col=25, only=["quickfix"], diagnostics=on_line)
    assert kinds_and_titles(got) == kinds_and_titles(fixes)
    # the Refactor menu asks for the parent kind: "refactor" matches "refactor.rewrite"
    for only in (["refactor"], ["refactor.rewrite"]):
        got = wire.code_actions(uri, 3, col=25, only=only, diagnostics=on_line)
        assert kinds_and_titles(got) == kinds_and_titles(rewrites), only
    got = wire.code_actions(uri, 3, col=25, only=["quickfix", "refactor"], diagnostics=on_line)
    assert kinds_and_titles(got) == kinds_and_titles(every)
    # a prefix that is not a parent kind matches nothing ("refactor.re" is not "refactor.rewrite"'s)
    assert wire.code_actions(uri, 3, col=25, only=["refactor.re"]) == []
    assert wire.code_actions(uri, 3, col=25, only=["refactor.extract"]) == []
    assert wire.code_actions(uri, 3, col=25, only=["quick"]) == []


# ---- 3. a broken checkbox line acts on no other task ---------------------------------------------


def test_broken_checkbox_line_offers_nothing_for_another_task(wire, spec):
    uri = wire.open(spec / "tasks.md")
    broken = diagnostics_on(wire, uri, 12)
    assert [d["code"] for d in broken] == ["invalid-checkbox"]
    actions = wire.code_actions(uri, 12, col=10, diagnostics=broken)
    titles = [a["title"] for a in actions]
    assert titles == ["Replace with [x]"], titles
    # the toggle command says why nothing happened, naming the line's own problem
    result = wire.request(
        "workspace/executeCommand", {"command": "specmark.toggleTask", "arguments": [uri, 12]}
    )
    assert result["applied"] is False
    assert "line 13" in result["reason"] and "[ x]" in result["reason"]
    # nor does the broken task's detail line
    titles = [a["title"] for a in wire.code_actions(uri, 13, col=6)]
    assert not any("5.1" in t for t in titles), titles
    # a detail line of a real task still acts on that task
    titles = [a["title"] for a in wire.code_actions(uri, 11, col=6)]
    assert "Mark task 5.1 done" in titles


# ---- 5. logging: levels mapped, routine cancellations quiet, no internal names ----------------------


def test_logging_through_log_message_with_levels(wire, spec):
    uri = wire.open(spec / "tasks.md")
    wire.diagnostics(uri)
    # an editor cancels a request that was already answered: routine
    wire.notify("$/cancelRequest", {"id": 4242})
    # a malformed notification: a warning the user may want to see, without internal names
    wire.notify("textDocument/didChange", {"textDocument": {"uri": uri}, "contentChanges": "nope"})
    # a round trip after both, so that whatever they logged has been sent
    wire.code_actions(uri, 2)
    time.sleep(0.3)
    logs = wire.received("window/logMessage")
    text = "\n".join(m["message"] for m in logs)
    assert "$/specmark" not in text
    assert not any("Cancel notification" in m["message"] and m["type"] <= 2 for m in logs), logs
    warned = [m for m in logs if "textDocument/didChange" in m["message"]]
    assert warned and all(m["type"] == 2 for m in warned), logs  # 2 = Warning
    # nothing on stderr: VS Code logs every stderr line as an error
    assert b"WARNING" not in wire.stderr and b"Cancel notification" not in wire.stderr, wire.stderr
    assert b"$/specmark" not in wire.stderr


# ---- 6. smaller: status-mismatch covers the checkbox; the outline shows text, not Markdown --------


def test_status_mismatch_covers_the_checkbox(wire, spec):
    uri = wire.open(spec / "tasks.md")
    (diag,) = [d for d in wire.diagnostics(uri) if d["code"] == "status-mismatch"]
    assert diag["range"] == {"start": {"line": 5, "character": 2}, "end": {"line": 5, "character": 5}}
    assert TASKS.splitlines()[5][2:5] == "[ ]"


def test_outline_shows_plain_text(wire, spec):
    text = (
        "# Requirements Document\n\n## Requirements\n\n"
        "### Requirement 1: Sign in with `OAuth` and **SSO** now\n\n"
        "**User Story:** As a [user](https://example.com), I want _to_ sign in\n\n"
        "#### Acceptance Criteria\n\n"
        "1. WHEN the user submits **valid** credentials THE `Auth_Service` SHALL start a session\n"
    )
    (spec / "requirements.md").write_text(text, encoding="utf-8")
    uri = wire.open(spec / "requirements.md", text)
    wire.diagnostics(uri)
    (req,) = wire.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert req["name"] == "Requirement 1: Sign in with OAuth and SSO now"
    assert req["detail"] == "User Story: As a user, I want to sign in"
    assert req["children"][0]["detail"] == (
        "WHEN the user submits valid credentials THE Auth_Service SHALL start a session"
    )

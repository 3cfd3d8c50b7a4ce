"""Code lenses, symbols, folding, inlay hints, document links and semantic tokens, from strings."""

from __future__ import annotations

from specmark.core.analysis import analyze
from specmark.core.features.navigation.codelens import code_lenses
from specmark.core.features.navigation.folding import Fold, folding_ranges
from specmark.core.features.navigation.inlay import inlay_hints
from specmark.core.features.navigation.links import document_links
from specmark.core.features.navigation.semantic import TOKEN_TYPES, Token, semantic_tokens
from specmark.core.features.navigation.symbols import document_symbols, fuzzy_score, workspace_symbols
from specmark.core.model import Span

REQ = """# Requirements

### Requirement 1: Login

#### Acceptance Criteria

1. WHEN valid THE system SHALL start a session
2. WHEN wrong THE system SHALL show an error

### Requirement 2: Logout

#### Acceptance Criteria

1. THE system SHALL end the session
2. THE system SHALL clear the cookie

### Requirement 3: Export

#### Acceptance Criteria

1. THE system SHALL export
"""

TASKS = """# Plan

- [x] 1. Login
  - Render the form
  - _Requirements: 1.1, 1.2_
- [ ] 2. Logout
  - [x] 2.1 End the session
    - _Requirements: 2.1_
  - [ ]* 2.2 Clear the cookie
    - _Requirements: 2.2, 7.7_
    - _Depends: 2.1_
"""


def spec(tasks=TASKS, req=REQ):
    return analyze({"tasks.md": tasks}, ("requirements.md", req))


def test_code_lenses_in_tasks_document():
    lenses = code_lenses(spec(), "tasks.md")
    assert [(lens.span.line, lens.title, lens.kind) for lens in lenses] == [
        (0, "2/4 tasks done · 4/5 criteria covered", "plan"),
        (5, "1/2 done", "task"),
        (8, "ready", "order"),  # the plan declares dependencies: each open unit says if it may start
    ]
    assert all(not lens.locations for lens in lenses)


def test_code_lenses_in_requirements_document_list_covering_tasks():
    lenses = code_lenses(spec(), "requirements.md")
    assert [(lens.span.line, lens.title) for lens in lenses] == [
        (2, "covered by 1 task (1 done)"),
        (9, "covered by 2 tasks (1 done)"),
        (16, "not covered"),
    ]
    assert [(loc.path, loc.span.line) for loc in lenses[1].locations] == [("tasks.md", 6), ("tasks.md", 8)]


def test_code_lens_plan_without_requirements():
    res = analyze({"tasks.md": TASKS}, None)
    assert code_lenses(res, "tasks.md")[0].title == "2/4 tasks done"


def test_document_symbols_task_tree():
    syms = document_symbols(spec(), "tasks.md")
    assert [(s.name, s.detail, s.span.line, s.span.end_line) for s in syms] == [
        ("1 Login", "done", 2, 4),
        ("2 Logout", "to do · 1/2", 5, 10),
    ]
    kids = syms[1].children
    assert [(k.name, k.detail) for k in kids] == [
        ("2.1 End the session", "done"),
        ("2.2 Clear the cookie", "to do · optional"),
    ]
    assert kids[0].selection == Span.on_line(6, 4, 27)  # from the checkbox to the end of the title


def test_document_symbols_requirements_with_criteria():
    syms = document_symbols(spec(), "requirements.md")
    assert [s.name for s in syms] == [
        "Requirement 1: Login",
        "Requirement 2: Logout",
        "Requirement 3: Export",
    ]
    assert [(c.name, c.detail) for c in syms[0].children] == [
        ("1.1", "WHEN valid THE system SHALL start a session"),
        ("1.2", "WHEN wrong THE system SHALL show an error"),
    ]
    for s in syms:
        for c in s.children:
            assert s.span.line <= c.span.line <= s.span.end_line
        assert s.span.line == s.selection.line


def test_fuzzy_matching_is_a_subsequence_ranked_by_contiguity():
    assert fuzzy_score("lgn", "Login") is not None
    assert fuzzy_score("nlg", "Login") is None
    assert fuzzy_score("log", "Login") > fuzzy_score("log", "Clear the blog cookie")
    assert fuzzy_score("", "anything") == 0
    assert fuzzy_score("req 2", "Requirement 2: Logout") is not None


def test_workspace_symbols_across_specs():
    other = analyze({"b/tasks.md": "- [ ] 1. Logging pipeline\n"}, None)
    found = workspace_symbols([("a", spec()), ("b", other)], "log")
    names = [(s.name, s.container) for s in found]
    assert ("1 Logging pipeline", "b · tasks.md") in names
    assert ("Requirement 2: Logout", "a · requirements.md") in names
    assert ("2 Logout", "a · tasks.md") in names
    assert all("log" in s.name.lower() or "l" in s.name.lower() for s in found)
    everything = workspace_symbols([("a", spec())], "")
    assert len(everything) == 4 + 3


def test_folding_tasks_and_requirements():
    assert folding_ranges(spec(), "tasks.md") == [Fold(2, 4), Fold(5, 10), Fold(6, 7), Fold(8, 10)]
    assert folding_ranges(spec(), "requirements.md") == [Fold(2, 7), Fold(9, 14), Fold(16, 20)]


def test_inlay_hints_once_per_requirement_run():
    hints = inlay_hints(spec(), "tasks.md")
    assert [(h.line, h.col, h.label) for h in hints] == [
        (4, 27, "Login"),
        (7, 24, "Logout"),
        (9, 24, "Logout"),
    ]
    assert hints[0].tooltip == "1.2: WHEN wrong THE system SHALL show an error"
    assert inlay_hints(spec(), "tasks.md", 5, 8) == hints[1:2]
    assert inlay_hints(spec(), "requirements.md") == []


def test_document_links_to_requirements_and_tasks():
    links = document_links(spec(), "tasks.md")
    assert [(k.span.line, k.span.col, k.path, k.line) for k in links] == [
        (4, 19, "requirements.md", 6),
        (4, 24, "requirements.md", 7),
        (7, 21, "requirements.md", 13),
        (9, 21, "requirements.md", 14),
        (10, 16, "tasks.md", 6),
    ]
    assert links[0].tooltip.startswith("1.1: WHEN valid")


def test_semantic_tokens_legend_and_kinds():
    toks = semantic_tokens(spec(), "tasks.md")
    assert set(t.type for t in toks) <= set(TOKEN_TYPES)
    line4 = [t for t in toks if t.line == 4]
    assert line4 == [
        Token(4, 5, 17, "property"),
        Token(4, 19, 22, "enumMember"),
        Token(4, 24, 27, "enumMember"),
    ]
    line2 = [t for t in toks if t.line == 2]
    assert line2 == [Token(2, 3, 4, "keyword"), Token(2, 6, 8, "namespace", ("declaration",))]
    assert Token(9, 26, 29, "enumMember", ("deprecated",)) in toks  # 7.7 is not defined
    assert Token(10, 16, 19, "namespace") in toks  # _Depends: 2.1_
    # sorted and non-overlapping
    keys = [(t.line, t.col) for t in toks]
    assert keys == sorted(keys)
    req = semantic_tokens(spec(), "requirements.md")
    assert req[0] == Token(2, 16, 17, "enumMember", ("declaration",))

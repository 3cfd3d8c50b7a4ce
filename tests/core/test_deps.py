"""core/deps.py: dependency lines, graph shapes and the ready set, from strings."""

from __future__ import annotations

import pytest

from specmark.core.deps import Blocker, depends_tokens, plan_of, ready_set
from specmark.core.model import Span
from specmark.core.tasks import parse_tasks


def doc(text: str):
    return parse_tasks(text, "tasks.md")


def ids(entries):
    return [t.id for _d, t in entries]


def blocked(rs):
    return {t.id: [b.id for b in bs] for _d, t, bs in rs.blocked}


def test_depends_line_shapes():
    for line, want in [
        ("  - _Depends: 1.2, 2.1_", ["1.2", "2.1"]),
        ("  - _Depends:_ 1.2", ["1.2"]),
        ("  - **Dependencies**: 1.1, 1.2", ["1.1", "1.2"]),
        ("  - Depends on: T003", ["T003"]),
        ("  - _Depends: Task 3 and 4.1 (for the schema)_", ["3", "4.1"]),
        ("  - _Depends: None_", []),
        ("  - _Depends: the database work_", []),
    ]:
        d = doc(f"- [ ] 9. X\n{line}\n")
        assert [r.id for r in plan_of(d).depends.get(0, [])] == want, line


def test_depends_token_span_is_the_id():
    line = "  - _Depends: 1.2, T003_"
    (a, sa), (b, sb) = depends_tokens(line, line.index(":") + 1, 4)
    assert (a, line[sa.col : sa.end_col]) == ("1.2", "1.2")
    assert (b, line[sb.col : sb.end_col]) == ("T003", "T003")
    assert sa == Span(4, line.index("1.2"), 4, line.index("1.2") + 3)


GRAPH_SHAPES = [
    '{"waves": [{"id": 0, "tasks": ["1.1"]}, {"id": 1, "tasks": ["1.2"]}]}',
    '{"waves": [{"wave": 1, "tasks": ["1.1"]}, {"wave": 2, "tasks": ["1.2"], "name": "b"}]}',
    '{"waves": [{"wave": 1, "tasks": ["1.1"], "depends_on": []},\n'
    ' {"wave": 2, "description": "x", "tasks": ["1.2"], "depends_on": [1]}]}',
    '{"waves": [["1.1"], ["1.2"]]}',
]


def plan_text(graph: str, tag: str = "json", done: str = " ") -> str:
    return (
        f"# Tasks\n\n- [ ] 1. A\n  - [{done}] 1.1 First\n  - [ ] 1.2 Second\n\n"
        f"## Task Dependency Graph\n\n```{tag}\n{graph}\n```\n"
    )


def test_graph_shapes_give_two_waves():
    for shape in GRAPH_SHAPES:
        for tag in ("json", ""):
            p = plan_of(doc(plan_text(shape, tag)))
            assert p.graph is not None and p.graph.error is None, shape
            assert [[t.id for t in w.tasks] for w in p.waves] == [["1.1"], ["1.2"]], shape
            rs = ready_set([p.doc])
            assert ids(rs.ready) == ["1.1"]
            assert blocked(rs) == {"1.2": ["1.1"]}
            assert rs.blockers(p.doc.tasks[2]) == (Blocker("1.1", "wave"),)


def test_wave_task_span_is_the_id_inside_the_string():
    d = doc(plan_text('{"waves": [{"id": 0, "tasks": ["1.1", "1.2a"]}]}'))
    w = plan_of(d).waves[0]
    for wt in w.tasks:
        s = wt.span
        assert d.lines[s.line][s.col : s.end_col] == wt.id


def test_bad_json_is_one_error_with_its_position():
    d = doc(plan_text('{"waves": [{"id": 0 "tasks": ["1.1"]}]}'))
    g = plan_of(d).graph
    assert g.waves is None
    msg, span = g.error
    assert "delimiter" in msg and "line" in msg
    assert span.line == d.lines.index('{"waves": [{"id": 0 "tasks": ["1.1"]}]}')
    # no waves: nothing declared, plan order decides
    assert ids(ready_set([d]).ready) == ["1.1"]


def test_plain_text_edges():
    text = (
        "- [ ] 1. A\n- [ ] 2. B\n- [ ] 3. C\n- [ ] 5. E\n- [ ] 6. F\n\n## Dependency Graph\n\n"
        "T1 --> T2 --> T3\nTask 2 + Task 5 → Task 6\nE1 --> E2\nSetup → Foundation ready\n"
    )
    g = plan_of(doc(text)).graph
    assert [(a.id, b.id) for a, b in g.edges] == [("1", "2"), ("2", "3"), ("2", "6"), ("5", "6")]


def test_depends_on_sentence_in_a_dependencies_section():
    text = "- [ ] T001 A\n- [ ] T002 B\n\n## Dependencies\n\n- T002 depends on T001 (uses types)\n"
    g = plan_of(doc(text)).graph
    assert [(a.id, b.id) for a, b in g.edges] == [("T001", "T002")]


def test_ready_by_depends():
    d = doc(
        "- [x] 1. A\n- [ ] 2. B\n  - _Depends: 1_\n- [ ] 3. C\n  - _Depends: 2_\n- [ ] 4. D\n"
        "- [ ] 5. E\n  - _Depends: 9_\n"
    )
    rs = ready_set([d])
    assert ids(rs.ready) == ["2", "4", "5"]  # 9 is unknown: reported by a check, not blocking
    assert blocked(rs) == {"3": ["2"]}
    assert rs.mode == "dependencies"


def test_plan_order_without_dependency_information():
    d = doc("- [x] 1. A\n- [ ] 2. B (P)\n- [ ] 3. C (P)\n- [ ] 4. D\n- [ ] 5. E (P)\n")
    # (P) after the title marks a parallel task too
    rs = ready_set([d])
    assert ids(rs.ready) == ["2", "3"]
    d = doc("- [x] 1. A\n- [ ] 2. (P) B\n- [ ] 3. C\n")
    assert ids(ready_set([d]).ready) == ["2"]
    d = doc("- [x] T001 A\n- [ ] T002 [P] B\n- [ ] T003 [P] C\n- [ ] T004 D\n- [-] T005 E\n")
    rs = ready_set([d])
    assert ids(rs.ready) == ["T002", "T003"]
    assert blocked(rs) == {"T004": ["T002"], "T005": ["T002"]}
    assert rs.mode == "plan order"


@pytest.mark.parametrize(
    "text, ready, waiting",
    [
        pytest.param(
            "- [ ] 1. A\n  - [x] 1.1 a\n  - [ ] 1.2 b\n- [ ] 2. B\n  - _Depends: 1_\n",
            ["1.2"],
            {"2": ["1"]},
            id="blocked-status-and-parent-dependency",
        ),
        pytest.param(
            "- [ ] 1. A\n  - [ ] 1.1 a\n  - [ ] 1.2 b\n- [ ] 2. Checkpoint\n\n"
            '## Task Dependency Graph\n\n```json\n{"waves": [{"id": 0, "tasks": ["1.1"]}, {"id": 1, "tasks": ["1.2"]}]}\n```\n',
            ["1.1"],
            {"1.2": ["1.1"], "2": ["1.1", "1.2"]},
            id="task-in-no-wave-follows-the-waves-before-it",
        ),
        pytest.param(
            "- [ ] 1. A\n  - [ ] 1.1 a\n- [ ] 2. B\n  - [ ] 2.1 b\n\n"
            '## Task Dependency Graph\n\n```json\n{"waves": [{"wave": 1, "tasks": ["1"]}, {"wave": 2, "tasks": ["2"], "depends_on": [1]}]}\n```\n',
            ["1.1"],
            {"2.1": ["1"]},
            id="parent-in-a-wave-covers-its-subtasks",
        ),
    ],
)
def test_ready_and_blocked(text, ready, waiting):
    rs = ready_set([doc(text)])
    assert ids(rs.ready) == ready
    assert blocked(rs) == waiting


# ---- the checks -----------------------------------------------------------------------------


def findings(text: str, code: str):
    from specmark.core.analysis import analyze

    return analyze({"tasks.md": text}, None, select=[code]).findings


def at(text: str, f) -> str:
    s = f.span
    return text.split("\n")[s.line][s.col : s.end_col]


def test_unknown_dependency_in_depends_and_wave():
    text = (
        "- [ ] 1. A\n  - [ ] 1.1 a\n  - [ ] 1.2 b\n    - _Depends: 1.3_\n\n"
        '## Task Dependency Graph\n\n```json\n{"waves": [{"id": 0, "tasks": ["1.1", "1.9"]}, {"id": 1, "tasks": ["1.2"]}]}\n```\n'
    )
    fs = findings(text, "unknown-dependency")
    assert [at(text, f) for f in fs] == ["1.3", "1.9"]
    assert "did you mean" in fs[0].message and fs[0].data["suggestions"][0] in ("1.2", "1.1")
    ok = text.replace("1.3_", "1.1_").replace('"1.9"', '"1.1"')
    assert findings(ok, "unknown-dependency") == []


def test_unknown_dependency_ignores_words_and_suffixed_titles():
    text = "- [ ] 1. A\n  - [ ] 2.1v Verify\n- [ ] 2. B\n  - _Depends: None_\n  - _Depends: 2.1v_\n"
    assert findings(text, "unknown-dependency") == []


def test_dependency_cycle_names_the_whole_cycle():
    text = (
        "- [ ] 1. A\n  - _Depends: 3_\n- [ ] 2. B\n  - _Depends: 1_\n- [ ] 3. C\n  - _Depends: 2_\n- [ ] 4. D\n"
        "  - _Depends: 1_\n"
    )
    (f,) = findings(text, "dependency-cycle")
    assert "3 → 1 → 2 → 3" in f.message
    assert at(text, f) == "3" and f.span.line == 1
    assert len(f.related) == 2
    assert findings(
        text.replace("_Depends: 3_", "_Depends: 4_").replace("  - _Depends: 1_\n", "", 1), "dependency-cycle"
    )


def test_no_cycle_without_one():
    text = "- [ ] 1. A\n- [ ] 2. B\n  - _Depends: 1_\n- [ ] 3. C\n  - _Depends: 1, 2_\n"
    assert findings(text, "dependency-cycle") == []


def test_self_dependency_is_a_cycle():
    (f,) = findings("- [ ] 1. A\n  - _Depends: 1_\n", "dependency-cycle")
    assert "depends on itself" in f.message


def test_dependency_not_done():
    text = "- [ ] 1. A\n- [x] 2. B\n  - _Depends: 1_\n"
    (f,) = findings(text, "dependency-not-done")
    assert at(text, f) == "1" and f.span.line == 2
    assert findings(text.replace("- [ ] 1.", "- [x] 1."), "dependency-not-done") == []


def test_dependency_not_done_through_waves_skips_optional_tasks():
    text = (
        "- [ ] 1. A\n  - [ ] 1.1 a\n  - [ ]* 1.2 optional\n  - [x] 1.3 c\n\n"
        '## Task Dependency Graph\n\n```json\n{"waves": [["1.1", "1.2"], ["1.3"]]}\n```\n'
    )
    (f,) = findings(text, "dependency-not-done")
    assert at(text, f) == "1.3" and "1.1" in f.message and "1.2" not in f.message


def test_graph_mismatch_shapes():
    text = (
        "- [ ] 1. A\n  - [ ] 1.1 a\n  - [ ] 1.2 b\n    - _Depends: 1.3_\n  - [ ] 1.3 c\n- [ ] 2. Checkpoint\n"
        "- [ ] 3. C\n  - [ ] 3.1 c\n\n"
        "## Task Dependency Graph\n\n```json\n"
        '{"waves": [{"id": 0, "tasks": ["1.1", "1.2", "3", "3.1"]}, {"id": 1, "tasks": ["1.3", "1.1"]}]}\n```\n'
    )
    fs = findings(text, "graph-mismatch")
    msgs = sorted(f.message.split(";")[0] for f in fs)
    assert msgs == [
        "Task 1.1 is listed in wave 0 and wave 1",
        "Task 1.2 is in wave 0, which does not follow wave 1 of task 1.3 it depends on",
        "Task 2 is in no wave of the dependency graph",
        "Task 3 is listed in wave 0 along with its own sub-task 3.1",
    ]
    assert {at(text, f) for f in fs} == {"1.1", "1.2", "2.", "3"}


def test_graph_mismatch_leaves_optional_tasks_out_of_the_waves():
    # a graph that lists the required tasks and leaves the optional ones out (Kiro agents skip
    # `[ ]*` tasks unless asked): consistent; a required task left out is still reported
    text = (
        "- [ ] 1. A\n  - [x] 1.1 a\n  - [ ]* 1.2 optional\n  - [ ] 1.3 c\n\n"
        '## Task Dependency Graph\n\n```json\n{"waves": [["1.1"], ["1.3"]]}\n```\n'
    )
    assert findings(text, "graph-mismatch") == []
    (f,) = findings(text.replace("- [ ]* 1.2", "- [ ] 1.2"), "graph-mismatch")
    assert f.message.startswith("Task 1.2 is in no wave")


def test_graph_mismatch_json_error_once():
    text = plan_text('{"waves": [{"id": 0 "tasks": ["1.1"]},\n {"id": 1 "tasks": ["1.2"]}]}')
    (f,) = findings(text, "graph-mismatch")
    assert "does not parse" in f.message and "line" in f.message


def test_consistent_graph_is_silent():
    for shape in GRAPH_SHAPES:
        text = plan_text(shape)
        for code in ("graph-mismatch", "unknown-dependency", "dependency-cycle", "dependency-not-done"):
            assert findings(text, code) == [], (shape, code)


# ---- editor features over the graph -----------------------------------------------------------

FEATURE_PLAN = (
    "- [x] 1. Schema\n- [ ] 2. API\n  - [ ] 2.1 Routes\n    - _Depends: 1_\n  - [ ] 2.2 Handlers\n"
    "- [ ] 3. Checkpoint\n\n## Task Dependency Graph\n\n```json\n"
    '{"waves": [{"id": 0, "tasks": ["1"]},\n {"id": 1, "tasks": ["2.1", "2.2", ""]}]}\n```\n\n'
    "T2.1 --> 3\n2.2 --> 3\n"
)


def test_completion_on_depends_lines_and_in_waves():
    from specmark.core.features.depends_completion import complete_task_ids

    d = doc(FEATURE_PLAN)
    line = d.lines.index("    - _Depends: 1_")
    got = complete_task_ids(d, line, len("    - _Depends: "))
    assert [e.label for e in got] == ["2", "2.2", "3"]  # 1 listed, 2.1 is the task itself
    wave = next(n for n, t in enumerate(d.lines) if '"2.2", ""' in t)
    col = d.lines[wave].index('""') + 1
    got = complete_task_ids(d, wave, col)
    assert [e.label for e in got] == ["1", "2", "3"] and got[0].insert_text == "1"
    assert complete_task_ids(d, 0, 3) is None


def test_references_hover_and_renumber_include_the_graph():
    from specmark.core.analysis import analyze
    from specmark.core.features.navigation.hover import hover
    from specmark.core.features.navigation.references import references
    from specmark.core.features.navigation.renumber import renumber_edits

    text = FEATURE_PLAN.replace('"2.2", ""', '"2.2"')
    res = analyze({"tasks.md": text}, None)
    lines = text.split("\n")
    wave = next(n for n, t in enumerate(lines) if '"2.2"' in t)
    h = hover(res, "tasks.md", wave, lines[wave].index('"2.2"') + 1)
    assert h is not None and h.markdown.startswith("**Task 2.2** Handlers")
    refs = references(res, "tasks.md", 4, 5)
    assert {(r.span.line, r.span.col) for r in refs} == {
        (4, 4),
        (wave, lines[wave].index('"2.2"') + 1),
        (len(lines) - 2, 0),
    }
    messy = text.replace("2.2", "2.7")
    edits = renumber_edits(doc(messy))
    fixed = messy.split("\n")
    for e in sorted(edits, key=lambda e: (e.span.line, e.span.col), reverse=True):
        s = e.span
        fixed[s.line] = fixed[s.line][: s.col] + e.new_text + fixed[s.line][s.end_col :]
    assert "\n".join(fixed) == text


def test_symbols_show_waves_and_lenses_say_ready_or_blocked():
    from specmark.core.analysis import analyze
    from specmark.core.features.navigation.codelens import code_lenses
    from specmark.core.features.navigation.symbols import document_symbols

    res = analyze({"tasks.md": FEATURE_PLAN}, None)
    waves = [s for s in document_symbols(res, "tasks.md") if s.kind == "wave"]
    assert [(s.name, s.detail) for s in waves] == [("Wave 0", "1"), ("Wave 1", "2.1, 2.2")]
    lenses = {(lens.span.line, lens.title) for lens in code_lenses(res, "tasks.md") if lens.kind == "order"}
    assert lenses == {(2, "ready"), (4, "ready"), (5, "waits for 2.2, 2.1")}
    # plan order (no dependency information): no such lens
    res = analyze({"tasks.md": "- [ ] 1. A\n- [ ] 2. B\n"}, None)
    assert [lens for lens in code_lenses(res, "tasks.md") if lens.kind == "order"] == []


def test_an_optional_task_not_started_never_holds_a_wave_back():
    text = (
        "- [ ] 1. A\n  - [x] 1.1 a\n  - [ ]* 1.2 optional\n  - [ ] 1.3 c\n\n"
        '## Task Dependency Graph\n\n```json\n{"waves": [["1.1", "1.2"], ["1.3"]]}\n```\n'
    )
    rs = ready_set([doc(text)])
    assert ids(rs.ready) == ["1.2", "1.3"]
    # named by a _Depends: line, it does
    rs = ready_set([doc(text.replace("  - [ ] 1.3 c\n", "  - [ ] 1.3 c\n    - _Depends: 1.2_\n"))])
    assert ids(rs.ready) == ["1.2"]


def test_waves_of_titles_are_one_finding():
    text = plan_text(
        '{"waves": [{"id": 0, "tasks": ["Set up the schema", "Write the API"]}, {"id": 1, "tasks": ["1.2"]}]}'
    )
    (f,) = findings(text, "graph-mismatch")
    assert "do not list task IDs (2 of 3 entries" in f.message
    assert findings(text, "unknown-dependency") == []


def test_task_hover_says_its_wave_and_whether_it_may_start():
    from specmark.core.analysis import analyze
    from specmark.core.features.navigation.hover import hover

    res = analyze({"tasks.md": FEATURE_PLAN}, None)
    h = hover(res, "tasks.md", 5, 8)  # "- [ ] 3. Checkpoint": in no wave
    assert h is not None and "Waits for 2.2, 2.1" in h.markdown
    h = hover(res, "tasks.md", 2, 10)  # 2.1: wave 1, its dependency done
    assert h is not None
    assert "Depends on:\n- `1` Schema (done)" in h.markdown
    assert "Dependency graph: wave 1" in h.markdown and "Ready to start" in h.markdown


def test_has_dependencies_sees_what_plan_of_reads():
    """tasks.has_dependencies (the dependency checks' test before importing deps.py) is True for
    every plan in which plan_of finds `_Depends:` lines or a graph section: over the shared
    corpus, the repository's examples and the shapes above."""
    from pathlib import Path

    import shared_corpus
    from specmark.core.tasks import has_dependencies

    repo = Path(__file__).resolve().parents[2]
    paths = sorted([*shared_corpus.CORPUS.glob("*/tasks.md"), *(repo / "examples").glob("**/tasks.md")])
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    texts += ["- [ ] 1. A\n  - _Depends: 2_\n- [ ] 2. B\n", "- [ ] 1. A\n\n## Execution order\n\n1 -> 2\n"]
    seen = 0
    for text in texts:
        doc = parse_tasks(text)
        plan = plan_of(doc)
        if plan.depends or plan.graph is not None:
            assert has_dependencies(doc)
            seen += 1
        elif not has_dependencies(doc):
            assert not plan.waves and not plan.depends
    assert seen >= 2


def test_a_check_without_dependencies_does_not_import_deps(tmp_path):
    from imported import imported_after

    spec = tmp_path / ".kiro" / "specs" / "x"
    spec.mkdir(parents=True)
    (spec / "tasks.md").write_text("# Plan\n\n- [ ] 1. A\n  - [ ] 1.1 B\n")
    code = "from specmark.cli import main\nmain(['check', sys.argv[1]])"
    assert imported_after(code, ["specmark.core.deps"], str(tmp_path)) == []
    (spec / "tasks.md").write_text("# Plan\n\n- [ ] 1. A\n  - _Depends: 2_\n- [ ] 2. B\n")
    assert imported_after(code, ["specmark.core.deps"], str(tmp_path)) == ["specmark.core.deps"]

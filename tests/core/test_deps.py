"""core/deps.py: dependency lines, graph shapes and the ready set, from strings."""

from __future__ import annotations

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
    # (P) after the title is not a label position for tasks.py; [P] before it is
    rs = ready_set([d])
    assert ids(rs.ready) == ["2"]
    d = doc("- [x] T001 A\n- [ ] T002 [P] B\n- [ ] T003 [P] C\n- [ ] T004 D\n- [-] T005 E\n")
    rs = ready_set([d])
    assert ids(rs.ready) == ["T002", "T003"]
    assert blocked(rs) == {"T004": ["T002"], "T005": ["T002"]}
    assert rs.mode == "plan order"


def test_blocked_status_and_parent_dependency():
    d = doc("- [ ] 1. A\n  - [x] 1.1 a\n  - [ ] 1.2 b\n- [ ] 2. B\n  - _Depends: 1_\n")
    rs = ready_set([d])
    assert ids(rs.ready) == ["1.2"]
    assert blocked(rs) == {"2": ["1"]}


def test_task_in_no_wave_follows_the_waves_before_it():
    text = (
        "- [ ] 1. A\n  - [ ] 1.1 a\n  - [ ] 1.2 b\n- [ ] 2. Checkpoint\n\n"
        '## Task Dependency Graph\n\n```json\n{"waves": [{"id": 0, "tasks": ["1.1"]}, {"id": 1, "tasks": ["1.2"]}]}\n```\n'
    )
    rs = ready_set([doc(text)])
    assert ids(rs.ready) == ["1.1"]
    assert blocked(rs) == {"1.2": ["1.1"], "2": ["1.1", "1.2"]}


def test_parent_in_a_wave_covers_its_subtasks():
    text = (
        "- [ ] 1. A\n  - [ ] 1.1 a\n- [ ] 2. B\n  - [ ] 2.1 b\n\n"
        '## Task Dependency Graph\n\n```json\n{"waves": [{"wave": 1, "tasks": ["1"]}, {"wave": 2, "tasks": ["2"], "depends_on": [1]}]}\n```\n'
    )
    rs = ready_set([doc(text)])
    assert ids(rs.ready) == ["1.1"]
    assert blocked(rs) == {"2.1": ["1"]}

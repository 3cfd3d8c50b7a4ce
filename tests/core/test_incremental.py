"""The incremental analysis equals analysing the final text from scratch (hypothesis)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from specmark.core.analysis import analyze, analyze_docs
from specmark.core.config import Config
from specmark.core.coverage import Resolver
from specmark.core.features.toggle import done_habit
from specmark.core.incremental import GLOBAL_CODES, LOCAL_CODES, TasksAnalyzer
from specmark.core.requirements import parse_requirements
from specmark.core.tasks import parse_tasks

REQ_TEXT = (
    "### Requirement 1: A\n\n#### Acceptance Criteria\n\n1. WHEN a THE s SHALL b\n2. THE s SHALL c\n\n"
    "### Requirement 2: B\n\n#### Acceptance Criteria\n\n1. THE s SHALL d\n"
)
REQ = parse_requirements(REQ_TEXT, "requirements.md")
RESOLVER = Resolver(REQ)
CFG = Config()

LINES = st.sampled_from(
    [
        "",
        "",
        "",
        "# Plan",
        "## Tasks",
        "## Task 3: heading task",
        "## 2. Section",
        "### Phase 1",
        "- [ ] 1. Top",
        "- [x] 2. Top done",
        "- [ ] 3. Top",
        "- [-] 4. In progress",
        "- [ ] 10. Late",
        "- [ ] 1.1 Flat sub",
        "- [x] 2.1 Flat done",
        "- [ ] 2.2 Flat",
        "- [ ] 3.1 Sub",
        "- [ ]* 3.2 Optional",
        "- [X] 5. Upper done",
        "  - [X] 2.3 Upper nested done",
        "- [ ] ",
        "  - [ ]  ",
        "  - [ ] 1.1 Nested",
        "  - [x] 2.1 Nested done",
        "  - [ ] 3.1 Nested",
        "    - [ ] 3.1.1 Deep",
        "- [ ] No id task",
        "  - [ ] No id nested",
        "- [ ] 2. Duplicate two",
        "- [ x] bad box",
        "- [] empty",
        "  - _Requirements: 1.1_",
        "  - _Requirements: 1.1, 2.1_",
        "- _Requirements: 9.9_",
        "    - _Requirements: 1.2, 1.7_",
        "  - _Requirements: [requirement IDs]_",
        "  - _Requirements: All_",
        "  - _Requirements: foo bar_",
        "  - **Validates: Requirements 2.1**",
        "  - _Depends: 1.1_",
        "  - _Depends: 1, 3_",
        "  - _Depends: 9_",
        "  - **Dependencies**: 2",
        "## Task Dependency Graph",
        "```json",
        '{"waves": [{"id": 0, "tasks": ["1", "2.1"]},',
        ' {"id": 1, "tasks": ["3", "1.1", "9"], "depends_on": [0]}]}',
        '{"waves": [["1"], ["2"], ["1"]]}',
        '{"waves": [',
        "T1 --> T2 --> T3",
        "Task 2 + Task 3 → Task 10",
        "  - Detail text",
        "    more detail",
        "Plain paragraph",
        "```",
        "```md",
        "~~~",
        "    indented code",
        "<!-- comment",
        "-->",
        "<div>",
        "</div>",
        "> - [ ] 5. quoted",
        "- [ ] Checkpoint - tests pass",
        "  - _Requirements: 1, 2_",
        "  - _Requirements: 1.1-1.2_",
        # headings carrying a number (parents of the tasks numbered under them)
        "## Phase 2: Build",
        "## Phase 4: Later",
        "### Task 4.1: under a later phase",
        "## 1.0 Section",
        "### 1.1 Bug 1: crash",
        "### Task 2.1: per phase",
        "## Major Task 1: big",
        "- [ ] 1.1.1 Deep flat",
        "- [ ] 2.1v Suffixed",
        "- [ ] T076a [US1] Inserted",
        "- [ ] 2a. Suffixed top",
        "- [ ] 1.1a Suffixed flat",
        # checklists that are not work
        "## Success Criteria",
        "**Acceptance Criteria**:",
        "- [ ] Users can sign up",
        "- [P] tasks = different files",
    ]
)


def full(lines: list[str]):
    doc = parse_tasks(lines, "tasks.md", CFG, "kiro")
    result = analyze_docs([doc], REQ, CFG, "kiro")
    ours = [f for f in result.findings if f.path == "tasks.md"]
    cov = result.coverage["tasks.md"]
    return ours, set(cov.by_id), bool(cov.whole_spec)


def key(findings):
    return [(f.code, f.span, f.message, f.severity, f.related) for f in findings]


PROFILE = dict(
    max_examples=int(os.environ.get("SPECMARK_INCREMENTAL_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def edits_of(max_size: int):
    """Edits of a document: (line, lines deleted there, lines inserted there)."""
    return st.lists(
        st.tuples(st.integers(0, 45), st.integers(0, 3), st.lists(LINES, max_size=4)), max_size=max_size
    )


def edited(lines: list[str], edits: list) -> Iterator[list[str]]:
    """The document as first given, then after each edit in turn."""
    for at, delete, insert in [(0, 0, [])] + edits:
        at = min(at, len(lines))
        lines = lines[:at] + insert + lines[at + delete :]
        yield lines


@settings(**PROFILE)
@given(st.lists(LINES, max_size=40), edits_of(6))
def test_incremental_equals_from_scratch(start, edits):
    engine = TasksAnalyzer("tasks.md")
    for lines in edited(start, edits):
        got = engine.analyze(lines, CFG, "kiro", REQ, RESOLVER)
        expected, covered, whole = full(lines)
        if got is None:  # fell back: the caller does a full analysis
            continue
        findings, got_cov, got_whole = got
        assert key(findings) == key(expected)
        assert got_cov == covered and got_whole == whole
        assert engine.done_habit() == done_habit(parse_tasks(lines, "tasks.md", CFG, "kiro").tasks)


def test_codes_are_partitioned():
    from specmark.core.checks import RULES
    from specmark.core.incremental import DEPS_CODES, DOCUMENT_CODES, SPEC_CODES

    assert {"uncovered-requirement", "duplicate-requirement-id"} <= SPEC_CODES
    assert LOCAL_CODES | GLOBAL_CODES | SPEC_CODES | DOCUMENT_CODES | DEPS_CODES == set(RULES)
    assert not LOCAL_CODES & (GLOBAL_CODES | SPEC_CODES | DOCUMENT_CODES | DEPS_CODES)


def test_corpus_files_incremental_equals_full(corpus):
    compared = 0
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        if not (folder / "tasks.md").is_file():
            continue
        lines = (folder / "tasks.md").read_text(encoding="utf-8").split("\n")
        got = TasksAnalyzer("tasks.md").analyze(lines, CFG, "kiro", REQ, RESOLVER)
        if got is None:  # the engine fell back to the whole-document analysis
            continue
        assert key(got[0]) == key(full(lines)[0]), folder.name
        compared += 1
    assert compared >= 10, f"the incremental engine analysed only {compared} corpus tasks.md files"


def test_an_edit_reparses_only_its_block():
    lines = []
    for t in range(1, 51):
        lines += [f"- [ ] {t}. Task {t}", f"  - [ ] {t}.1 Sub", "    - _Requirements: 1.1_", ""]
    engine = TasksAnalyzer("tasks.md")
    engine.analyze(lines, CFG, "kiro", REQ, RESOLVER)
    before = engine.blocks_parsed
    lines[4 * 20 + 2] = "    - _Requirements: 1.9_"
    findings, _, _ = engine.analyze(lines, CFG, "kiro", REQ, RESOLVER)
    assert engine.blocks_parsed == before + 1  # one new block parsed, 49 reused
    assert [f.code for f in findings] == ["unknown-requirement"]
    assert findings[0].span.line == 82


@settings(**PROFILE)
@given(st.lists(LINES, max_size=40), edits_of(8))
def test_blocks_kept_across_edits_equal_a_fresh_partition(start, edits):
    """The engine re-partitions only around an edit; its blocks must be those of a fresh engine."""
    engine = TasksAnalyzer("tasks.md")
    for lines in edited(start, edits):
        engine.analyze(lines, CFG, "kiro", REQ, RESOLVER)
        fresh = TasksAnalyzer("tasks.md")
        fresh.analyze(lines, CFG, "kiro", REQ, RESOLVER)
        assert engine.starts == fresh.starts
        assert engine.states == fresh.states
        assert [b.doc.lines for b in engine.blocks] == [b.doc.lines for b in fresh.blocks]
        assert engine.indexes == fresh.indexes
        assert (
            engine.partition(lines, CFG)
            == [(p.start, p.end, s.section) for p, s in zip(fresh.last, fresh.states, strict=False)]
            or not fresh.last
        )


REQ_VARIANTS = [
    REQ,
    # the same IDs and spans, another description: the blocks are reused
    parse_requirements(
        "### Requirement 1: A\n\n#### Acceptance Criteria\n\n1. WHEN a THE s SHALL b\n2. THE s SHALL c\n\n"
        "### Requirement 2: B\n\n#### Acceptance Criteria\n\n1. THE s SHALL d\n".replace(
            "## Requirement 2: B", "## Requirement 2: C"
        ),
        "requirements.md",
    ),
    # a criterion more, a line moved, one requirement gone
    parse_requirements(
        "### Requirement 1: A\n\n#### Acceptance Criteria\n\n1. WHEN a THE s SHALL b\n2. THE s SHALL c\n3. THE s SHALL e\n",
        "requirements.md",
    ),
    parse_requirements(
        "\n### Requirement 2: B\n\n#### Acceptance Criteria\n\n1. THE s SHALL d\n\n### Requirement 1: A\n\n1. x\n",
        "requirements.md",
    ),
    # the same IDs as REQ, and IDs in a shape it does not read: unknown-requirement skips
    # those (unrecognised-requirements names them), so a block citing 9.9 is checked again
    parse_requirements(
        "### Requirement 1: A\n\n#### Acceptance Criteria\n\n1. WHEN a THE s SHALL b\n2. THE s SHALL c\n\n"
        "### Requirement 2: B\n\n#### Acceptance Criteria\n\n1. THE s SHALL d\n\n| FR-9.9 | unread |\n| REQ-7 | unread |\n",
        "requirements.md",
    ),
    # a requirement heading retyped (`### Requirement 2x:`): its ID and its criteria's change,
    # the blocks citing them are checked again, the others are kept
    parse_requirements(
        "### Requirement 1: A\n\n#### Acceptance Criteria\n\n1. WHEN a THE s SHALL b\n2. THE s SHALL c\n\n"
        "### Requirement 2x: B\n\n#### Acceptance Criteria\n\n1. THE s SHALL d\n",
        "requirements.md",
    ),
    # the first requirement retyped: the example a missing-reference finding suggests changes
    parse_requirements(
        "### Requirement 1x: A\n\n#### Acceptance Criteria\n\n1. WHEN a THE s SHALL b\n2. THE s SHALL c\n\n"
        "### Requirement 2: B\n\n#### Acceptance Criteria\n\n1. THE s SHALL d\n",
        "requirements.md",
    ),
    # a new requirement whose IDs are close to the unknown ones (9.9 → did you mean 9.1?)
    parse_requirements(
        "### Requirement 1: A\n\n#### Acceptance Criteria\n\n1. WHEN a THE s SHALL b\n2. THE s SHALL c\n\n"
        "### Requirement 2: B\n\n#### Acceptance Criteria\n\n1. THE s SHALL d\n\n"
        "### Requirement 9: C\n\n#### Acceptance Criteria\n\n1. THE s SHALL e\n",
        "requirements.md",
    ),
    None,
    # the same IDs as REQ, other spans: a longer criterion line, a description line before them
    parse_requirements(
        "### Requirement 1: A\n\nThe story.\n\n#### Acceptance Criteria\n\n1. WHEN a THE s SHALL b\n"
        "2. THE s SHALL c, and much more than before\n\n"
        "### Requirement 2: B\n\n#### Acceptance Criteria\n\n1. THE s SHALL d\n",
        "requirements.md",
    ),
]


@settings(**PROFILE)
@given(
    st.lists(LINES, max_size=30),
    st.lists(
        st.tuples(
            st.integers(0, 35),
            st.integers(0, 3),
            st.lists(LINES, max_size=3),
            st.integers(0, len(REQ_VARIANTS) - 1),
        ),
        max_size=6,
    ),
)
def test_requirements_edits_equal_from_scratch(lines, edits):
    """Blocks are reused across versions of the requirements document only while what they read
    of it (IDs, kinds) is the same; the "did you mean" locations follow the spans."""
    engine = TasksAnalyzer("tasks.md")
    for at, delete, insert, r in [(0, 0, [], 0)] + edits:
        at = min(at, len(lines))
        lines = lines[:at] + insert + lines[at + delete :]
        req = REQ_VARIANTS[r]
        resolver = Resolver(req)
        got = engine.analyze(lines, CFG, "kiro", req, resolver)
        doc = parse_tasks(lines, "tasks.md", CFG, "kiro")
        result = analyze_docs([doc], req, CFG, "kiro")
        if got is None:
            continue
        assert key(got[0]) == key([f for f in result.findings if f.path == "tasks.md"])
        assert got[1] == set(result.coverage["tasks.md"].by_id)
        assert engine.coverage() == result.coverage["tasks.md"]  # with the task indices


def _plan_citing_an_unknown_criterion() -> list[str]:
    lines = []
    for t in range(1, 21):
        lines += [f"- [ ] {t}. Task {t}", f"  - [ ] {t}.1 Sub", "    - _Requirements: 1.1, 1.9_", ""]
    return lines


def test_a_requirements_description_edit_reuses_every_block():
    lines = _plan_citing_an_unknown_criterion()
    engine = TasksAnalyzer("tasks.md")
    first, _, _ = engine.analyze(lines, CFG, "kiro", REQ_VARIANTS[0], Resolver(REQ_VARIANTS[0]))
    checked = engine.blocks_checked
    again, _, _ = engine.analyze(lines, CFG, "kiro", REQ_VARIANTS[1], Resolver(REQ_VARIANTS[1]))
    assert engine.blocks_checked == checked and key(again) == key(first)
    parsed = engine.blocks_parsed
    engine.analyze(lines, CFG, "kiro", REQ_VARIANTS[2], Resolver(REQ_VARIANTS[2]))
    assert engine.blocks_checked > checked  # another criterion: checked again …
    assert engine.blocks_parsed == parsed  # … but not parsed again


def test_a_criterion_edit_reuses_every_block_and_moves_the_did_you_mean_location():
    """Typing in a criterion changes its span, not its ID: no block is checked again, and the
    related location of "1.9 … did you mean 1.2?" points at criterion 1.2 where it is now."""
    lines = _plan_citing_an_unknown_criterion()
    engine = TasksAnalyzer("tasks.md")
    first, _, _ = engine.analyze(lines, CFG, "kiro", REQ_VARIANTS[0], Resolver(REQ_VARIANTS[0]))
    checked = engine.blocks_checked
    moved = REQ_VARIANTS[-1]
    again, _, _ = engine.analyze(lines, CFG, "kiro", moved, Resolver(moved))
    assert engine.blocks_checked == checked  # nothing checked again
    expected = [
        f
        for f in analyze_docs([parse_tasks(lines, "tasks.md", CFG, "kiro")], moved, CFG, "kiro").findings
        if f.path == "tasks.md"
    ]
    assert key(again) == key(expected) != key(first)
    related = {r.span for f in again for r in f.related}
    assert related == {moved.index()["1.2"].span} and related != {r.span for f in first for r in f.related}


def test_a_requirement_heading_edit_checks_only_the_blocks_citing_it():
    """`### Requirement 2:` → `### Requirement 2x:`: 2 and 2.1 are gone, 2X and 2X.1 new; only
    the block citing 2.1 is checked again, and the findings equal a fresh analysis."""
    lines = _plan_citing_an_unknown_criterion() + ["- [ ] 21. Task", "  - _Requirements: 2.1_"]
    engine = TasksAnalyzer("tasks.md")
    engine.analyze(lines, CFG, "kiro", REQ, Resolver(REQ))
    checked = engine.blocks_checked
    renamed = next(v for v in REQ_VARIANTS if v is not None and "2X.1" in v.index())
    got, _, _ = engine.analyze(lines, CFG, "kiro", renamed, Resolver(renamed))
    assert engine.blocks_checked == checked + 1
    doc = parse_tasks(lines, "tasks.md", CFG, "kiro")
    fresh = [f for f in analyze_docs([doc], renamed, CFG, "kiro").findings if f.path == "tasks.md"]
    assert key(got) == key(fresh)
    assert any("2.1" in f.message and "2X.1" in f.message for f in got)


def _requirements(*reqs: tuple[str, int]):
    text = "".join(
        f"### Requirement {r}: R\n\n#### Acceptance Criteria\n\n"
        + "".join(f"{c}. THE s SHALL x{c}\n" for c in range(1, n + 1))
        + "\n"
        for r, n in reqs
    )
    return parse_requirements(text, "requirements.md")


def _fresh_after(lines: list[str], before, after) -> tuple[list, list]:
    engine = TasksAnalyzer("tasks.md")
    engine.analyze(lines, CFG, "kiro", before, Resolver(before))
    got, _, _ = engine.analyze(lines, CFG, "kiro", after, Resolver(after))
    doc = parse_tasks(lines, "tasks.md", CFG, "kiro")
    return key(got), key(
        [f for f in analyze_docs([doc], after, CFG, "kiro").findings if f.path == "tasks.md"]
    )


def test_a_new_missing_reference_example_checks_again_only_the_blocks_that_suggest_it():
    """Requirement 1 → 1x: the example in "add one, e.g. `_Requirements: 1.1_`" becomes 1X.1;
    the block with a task without references is checked again, the others are kept."""
    lines = [
        "- [ ] 1. Cites",
        "  - _Requirements: 2.1_",
        "- [ ] 2. Cites nothing",
        "- [ ] 3. Cites",
        "  - _Requirements: 2.1_",
    ]
    renamed = next(v for v in REQ_VARIANTS if v is not None and "1X.1" in v.index())
    engine = TasksAnalyzer("tasks.md")
    engine.analyze(lines, CFG, "kiro", REQ, Resolver(REQ))
    checked = engine.blocks_checked
    got, _, _ = engine.analyze(lines, CFG, "kiro", renamed, Resolver(renamed))
    assert engine.blocks_checked == checked + 1
    doc = parse_tasks(lines, "tasks.md", CFG, "kiro")
    fresh = [f for f in analyze_docs([doc], renamed, CFG, "kiro").findings if f.path == "tasks.md"]
    assert key(got) == key(fresh)
    assert any("1X.1" in f.message for f in got)


def test_an_unknown_criterion_is_checked_again_when_its_siblings_change():
    """2.17 is unknown in both; requirement 2 gains criteria 2.2-2.5 (none spelled like 2.17):
    the "did you mean" siblings differ, so its block is checked again."""
    lines = ["- [ ] 1. Task", "  - _Requirements: 2.17_", "- [ ] 2. Other", "  - _Requirements: 1.1_"]
    got, fresh = _fresh_after(lines, _requirements(("1", 1), ("2", 1)), _requirements(("1", 1), ("2", 5)))
    assert got == fresh
    assert "2.5" in str(got)


def test_an_unknown_criterion_is_checked_again_when_a_new_id_is_spelled_like_it():
    """9.9 is unknown in both; a new requirement 19 brings 19.9, which difflib suggests."""
    lines = ["- [ ] 1. Task", "  - _Requirements: 9.9_", "- [ ] 2. Other", "  - _Requirements: 1.1_"]
    got, fresh = _fresh_after(lines, _requirements(("1", 1), ("2", 1)), _requirements(("1", 1), ("19", 9)))
    assert got == fresh
    assert "19.9" in str(got)


def test_ids_written_in_an_unread_shape_are_part_of_what_blocks_read():
    """Same IDs, but FR-9.9 now written in a table row (unrecognised-requirements): the block citing
    it is checked again and no longer reports it unknown, as a fresh analysis says."""
    lines = ["- [ ] 1. Task", "  - _Requirements: 1.1, FR-9.9_"]
    unread = REQ_VARIANTS[4]
    assert set(unread.index()) == set(REQ.index())
    engine = TasksAnalyzer("tasks.md")
    first, _, _ = engine.analyze(lines, CFG, "kiro", REQ, Resolver(REQ))
    again, _, _ = engine.analyze(lines, CFG, "kiro", unread, Resolver(unread))
    doc = parse_tasks(lines, "tasks.md", CFG, "kiro")
    assert [f.code for f in first] == ["unknown-requirement"]
    fresh = [f for f in analyze_docs([doc], unread, CFG, "kiro").findings if f.path == "tasks.md"]
    assert key(again) == key(fresh) == []


def test_a_heading_carrying_a_number_stays_in_the_block_of_its_first_task():
    # `### Task 3.1:` makes `## Phase 3` a parent (heading task 3), which task-order compares
    # with phase 1: a block cut between the two would miss it
    lines = ["## Phase 1: A", "- [ ] 1.1 a", "", "## Phase 3: C", "", "### Task 3.1: x", "- [ ] y"]
    got = TasksAnalyzer("tasks.md").analyze(lines, CFG, "kiro", REQ, RESOLVER)
    assert got is not None
    expected = full(lines)[0]
    assert key(got[0]) == key(expected)
    assert "Task 3 follows task 1; expected 2" in [f.message for f in expected]


def test_edits_inside_the_graph_and_on_depends_lines_equal_from_scratch():
    """The execution-order checks read the blocks put back together (no re-parse): typing in the
    JSON block, breaking and fixing it, and editing a `_Depends:` line give what a full
    analysis gives."""
    lines = [
        "- [x] 1. A",
        "- [ ] 2. B",
        "  - [ ] 2.1 b",
        "    - _Depends: 1_",
        "  - [x] 2.2 c",
        "- [ ] 3. Checkpoint",
        "",
        "## Task Dependency Graph",
        "",
        "```json",
        '{"waves": [{"id": 0, "tasks": ["1"]},',
        ' {"id": 1, "tasks": ["2.1", "2.2"]}]}',
        "```",
    ]
    engine = TasksAnalyzer("tasks.md")
    steps = [
        (11, ' {"id": 1, "tasks": ["2.1", "2.2", "3"]}]}'),
        (11, ' {"id": 1, "tasks": ["2.1" "2.2", "3"]}]}'),  # does not parse
        (11, ' {"id": 1, "tasks": ["2.1", "9", "3"]}]}'),
        (3, "    - _Depends: 2.2, 7_"),
        (5, "    - _Depends: 2.1_"),  # 2.2 (done) and 2.1 wait for each other
        (3, "    - _Depends: 1_"),
        (4, "  - [x] 2.2 c renamed"),
    ]
    seen = set()
    for line, text in [(0, lines[0])] + steps:
        lines = lines[:line] + [text] + lines[line + 1 :]
        got = engine.analyze(lines, CFG, "kiro", REQ, RESOLVER)
        assert got is not None
        expected, _cov, _whole = full(lines)
        assert key(got[0]) == key(expected)
        seen.update(f.code for f in expected)
    assert {"graph-mismatch", "unknown-dependency", "dependency-cycle", "dependency-not-done"} <= seen


def test_opening_a_document_leaves_the_garbage_collector_as_it_was():
    """The engine pauses the cyclic collector while it analyses a whole document
    (analyzer.collector_paused); afterwards it runs again, or stays off if it was off."""
    import gc

    lines = _plan_citing_an_unknown_criterion()
    assert gc.isenabled()
    TasksAnalyzer("tasks.md").analyze(lines, CFG, "kiro", REQ, RESOLVER)
    assert gc.isenabled()
    gc.disable()
    try:
        TasksAnalyzer("tasks.md").analyze(lines, CFG, "kiro", REQ, RESOLVER)
        assert not gc.isenabled()
    finally:
        gc.enable()

    class Broken:
        def __getattr__(self, name):
            raise RuntimeError("a resolver that breaks")

    with pytest.raises(RuntimeError):
        TasksAnalyzer("tasks.md").analyze(lines, CFG, "kiro", REQ, Broken())
    assert gc.isenabled()  # also when the analysis raised


def _doc_view(doc):
    """What the editor features read of a TasksDoc (every field, spans included)."""
    return (doc.path, doc.lines, doc.tasks, doc.bad_checkboxes, doc.headings, doc.flavor)


@settings(**PROFILE)
@given(st.lists(LINES, max_size=40), edits_of(6))
# a chunk opening with a fence before a heading continues the task above it (its end line)
@example(["- [ ] 1. Top", "", "```", "```", "# Plan"], [])
def test_whole_doc_and_coverage_equal_a_full_parse(start, edits):
    """whole_doc() and coverage() (what the server's hover, definition, references, symbols
    and code lenses read after an edit) equal parse_tasks + analyze_docs on the whole text."""
    engine = TasksAnalyzer("tasks.md")
    for lines in edited(start, edits):
        got = engine.analyze(lines, CFG, "kiro", REQ, RESOLVER)
        if got is None:
            assert engine.whole_doc() is None and engine.coverage() is None
            continue
        doc = parse_tasks(lines, "tasks.md", CFG, "kiro")
        result = analyze_docs([doc], REQ, CFG, "kiro")
        assert _doc_view(engine.whole_doc()) == _doc_view(doc)
        assert engine.coverage() == result.coverage["tasks.md"]


DESIGN_TEXT = "# Design\n\n## Login\n\n_Requirements: 1.1, 2.1, 3.1_\n"


def _result_view(result):
    """What the editor features read of a SpecResult (the findings' `data` included: it goes
    out with the published diagnostics and holds nothing positional)."""
    findings = sorted(
        ((f.path, f.span, f.code, f.message, f.severity, f.related, repr(f.data)) for f in result.findings),
        key=repr,
    )
    tasks = [_doc_view(d) for d in result.tasks]
    return (result.flavor, tasks, result.requirements, result.coverage, findings, result.design)


def _spec_folder(tmp: str) -> str:
    folder = os.path.join(tmp, ".kiro", "specs", "demo")
    os.makedirs(folder)
    for name, text in (("requirements.md", REQ_TEXT), ("design.md", DESIGN_TEXT)):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
            fh.write(text)
    return folder


@settings(**PROFILE)
@given(st.lists(LINES, max_size=40), edits_of(6))
def test_the_servers_spec_result_after_edits_equals_a_full_analysis(start, edits):
    """The server's analysis for requests (hover, definition, references, symbols, code lenses:
    State.result), put together from the engine after each edit, equals analysing the texts
    from scratch: tasks with every span, headings, bad checkboxes, coverage with task indices,
    findings, requirements, design."""
    from specmark.core.document import Document
    from specmark.lsp.state import State, path_to_uri

    with tempfile.TemporaryDirectory() as tmp:
        folder = _spec_folder(tmp)
        state = State()
        path = state.open(path_to_uri(os.path.join(folder, "tasks.md")), "", 0)
        req_path, design_path = (
            os.path.join(os.path.dirname(path), n) for n in ("requirements.md", "design.md")
        )
        for version, lines in enumerate(edited(start, edits), 1):
            text = "\n".join(lines)
            state.docs[path] = Document.from_text(state.docs[path].uri, text, version)
            state.findings(path)  # what didChange does
            got = state.result(path)
            expected = analyze(
                {path: text}, (req_path, REQ_TEXT), state.config, "kiro", design=(design_path, DESIGN_TEXT)
            )
            assert got is not None
            assert _result_view(got) == _result_view(expected)


@settings(**PROFILE)
@given(st.lists(LINES, max_size=40), edits_of(6), st.lists(st.booleans(), min_size=7, max_size=7))
def test_a_plan_analysed_whole_first_gives_the_findings_of_the_engine(start, edits, builds):
    """A plan opened large is analysed whole first (State.whole_first_lines) and its engine
    built later (State.build_engines: after some versions, or the next analysis builds it):
    every version gets the findings and the SpecResult of a State that builds the engine at
    once."""
    from specmark.core.document import Document
    from specmark.lsp.state import State, path_to_uri

    with tempfile.TemporaryDirectory() as tmp:
        folder = _spec_folder(tmp)
        uri = path_to_uri(os.path.join(folder, "tasks.md"))
        whole, engine = State(whole_first_lines=0), State()
        asked: list[int] = []
        whole.on_unbuilt = lambda: asked.append(1)
        path = whole.open(uri, "", 0)
        engine.open(uri, "", 0)
        for version, lines in enumerate(edited(start, edits), 1):
            text = "\n".join(lines)
            for state in (whole, engine):
                state.docs[path] = Document.from_text(uri, text, version)
            had = path in whole._analyzers
            got, expected = whole.findings(path), engine.findings(path)
            assert {p: fs for p, fs in got.items() if fs} == {p: fs for p, fs in expected.items() if fs}
            if not had and path in whole._analyzers and whole._analyzers[path].last_ok:
                assert path not in whole._parsed  # the whole parse let go when the engine came
            if version == 1:  # analysed whole, the engine left for later
                assert path in whole.unbuilt and path not in whole._analyzers and asked == [1]
            else:  # at most once: then the analysis builds the engine itself
                assert path in whole._analyzers and not whole.unbuilt
            result = whole.result(path)
            assert result is not None
            assert _result_view(result) == _result_view(engine.result(path))
            if builds[version - 1]:
                had = path in whole._analyzers
                whole.build_engines()
                assert not whole.unbuilt and path in whole._analyzers
                assert whole.findings(path) is got  # the version's findings stay
                if not had and whole._analyzers[path].last_ok:
                    assert path not in whole._parsed  # the whole parse let go


def test_a_request_after_an_edit_parses_no_whole_document():
    """State.result after an edit of tasks.md is put together from the engine's blocks: the
    whole tasks document is never parsed (the full parse took 344 ms at 100,000 lines)."""
    from specmark.lsp.state import State, path_to_uri

    lines = []
    for t in range(1, 41):
        lines += [f"- [ ] {t}. Task {t}", f"  - [ ] {t}.1 Sub", "    - _Requirements: 1.1, 9.9_", ""]
    with tempfile.TemporaryDirectory() as tmp:
        folder = _spec_folder(tmp)
        state = State()
        path = state.open(path_to_uri(os.path.join(folder, "tasks.md")), "\n".join(lines), 1)
        first = state.result(path)
        state.docs[path] = state.docs[path].edit((2, 21), (2, 21), "1", 2)  # 1.1 → 11.1
        second = state.result(path)
        assert first is not None and second is not None
        assert path not in state._parsed  # no parse_tasks over the whole document
        assert state._analyzers[path].last_ok
        # the edited reference, and a task further down, at their places in the document
        assert second.tasks[0].tasks[1].refs[0].items[0].text == "11.1"
        assert second.tasks[0].tasks[79].refs[0].line == 158
        assert first.coverage[path].by_id["1.1"] == list(range(1, 80, 2))
        assert second.coverage[path].by_id["1.1"] == list(range(3, 80, 2))

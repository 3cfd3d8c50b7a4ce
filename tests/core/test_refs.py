"""Reference lines and their tokens: labels, localised labels, inline Validates, annotation
lines that are never references, and every token shape (IDs, ranges, titles, "All")."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from specstrings import config, rng

from specmark.core.model import RefKind, Span
from specmark.core.refs import normalise_id, parse_list
from specmark.core.tasks import parse_tasks


def refs_of(detail: str, cfg=None):
    """The reference lines of a task whose second line is `detail`."""
    doc = parse_tasks(f"- [ ] 1. Task\n{detail}\n", config=cfg)
    return doc.tasks[0].refs


def items_of(detail: str):
    (ref,) = refs_of(detail)
    return ref.items


# --- labels ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "detail, label, label_range, list_range",
    [
        ("  - _Requirements: 1.1, 2.3_", "Requirements", (1, 5, 1, 17), (1, 19, 1, 27)),
        ("  - _Requirement: 1.1_", "Requirement", (1, 5, 1, 16), (1, 18, 1, 21)),
        ("  - **Requirements:** 1.1, 1.2", "Requirements", (1, 6, 1, 18), (1, 22, 1, 30)),
        ("**Requirements:** 1.1", "Requirements", (1, 2, 1, 14), (1, 18, 1, 21)),
        ("  - **Validates: Requirements 1.1, 5.5**", "Validates", (1, 6, 1, 15), (1, 30, 1, 38)),
        ("  - _需求: 1.1, 2.1_", "需求", (1, 5, 1, 7), (1, 9, 1, 17)),
        ("  - _要件: 1.1_", "要件", (1, 5, 1, 7), (1, 9, 1, 12)),
        ("  - _要件：1.1_", "要件", (1, 5, 1, 7), (1, 8, 1, 11)),  # full-width colon
        ("  - **Implements: R1.1–R1.5**", "Implements", (1, 6, 1, 16), (1, 18, 1, 27)),
        ("  - _Requirements: 1.1", "Requirements", (1, 5, 1, 17), (1, 19, 1, 22)),  # unclosed italic
    ],
)
def test_reference_labels(detail, label, label_range, list_range):
    """The list span starts at the first ID (after the colon and spaces) and ends before the
    closing emphasis."""
    (ref,) = refs_of(detail)
    assert ref.label == label
    assert rng(ref.label_span) == label_range
    assert rng(ref.list_span) == list_range
    assert not ref.inline


def test_validates_skips_the_word_requirements():
    items = items_of("  - **Validates: Requirements 1.1, 5.5**")
    assert [(i.start, rng(i.span)) for i in items] == [("1.1", (1, 30, 1, 33)), ("5.5", (1, 35, 1, 38))]


def test_inline_validates_at_the_end_of_a_task_line():
    text = "- [ ] 1.1 Do stuff **Validates: Requirements 2.1, 2.2**\n"
    task = parse_tasks(text).tasks[0]
    (ref,) = task.refs
    assert ref.inline and ref.label == "Validates"
    assert rng(ref.label_span) == (0, 21, 0, 30)
    assert [(i.start, rng(i.span)) for i in ref.items] == [("2.1", (0, 45, 0, 48)), ("2.2", (0, 50, 0, 53))]
    assert text[45:48] == "2.1" and text[50:53] == "2.2"


def test_inline_requirements_at_the_end_of_a_task_line():
    text = "- [ ] 2. Build it _Requirements: 3.1_\n"
    (ref,) = parse_tasks(text).tasks[0].refs
    assert ref.inline
    assert [(i.start, rng(i.span)) for i in ref.items] == [("3.1", (0, 33, 0, 36))]


def test_extra_label_from_configuration():
    cfg = config('reference-labels = ["Traces"]\n')
    (ref,) = refs_of("  - _Traces: 4.2_", cfg)
    assert ref.label == "Traces"
    assert [i.start for i in ref.items] == ["4.2"]
    assert refs_of("  - _Traces: 4.2_") == []


@pytest.mark.parametrize(
    "detail",
    [
        "  - _Leverage: src/types/base.ts, 1.1_",
        "  - _Prompt: Role: TypeScript Developer | Task: implement _Requirements: 1.1_ | Success: tests pass_",
        "  - _Depends: 1.2, 2.3_",
        "  - _Boundary: AuthService_",
        "  - _Details: design.md, Requirements: 5.5_",
        "  - _Blocked: waiting for the API key_",
        "  - _Completion Criteria:_",
        "  - File: src/types/feature.ts",
        "  - Purpose: Establish type safety",
        "  - Requirements are listed in requirements.md",  # no colon: prose
        "  - See the requirements: 1.1 is the important one",  # label not at the start
    ],
)
def test_annotation_and_prose_lines_are_never_references(detail):
    assert refs_of(detail) == []


def test_reference_inside_code_is_ignored():
    doc = parse_tasks("- [ ] 1. Task\n\n      _Requirements: 9.9_\n")
    assert doc.tasks[0].refs == []


# --- tokens ---------------------------------------------------------------------------------------


def tokens(body: str):
    items, placeholder = parse_list(body, 0, 0)
    assert placeholder is None
    return [(i.kind, i.start, i.end, rng(i.span), rng(i.start_span), rng(i.end_span)) for i in items]


ID, RANGE, ALL, BAD = RefKind.ID, RefKind.RANGE, RefKind.ALL, RefKind.MALFORMED


@pytest.mark.parametrize(
    "body, start, a_range",
    [
        ("1.1", "1.1", (0, 0, 0, 3)),
        ("1", "1", (0, 0, 0, 1)),
        ("5.10", "5.10", (0, 0, 0, 4)),
        ("27C", "27C", (0, 0, 0, 3)),
        ("27C.4", "27C.4", (0, 0, 0, 5)),
        ("REQ-001", "REQ-001", (0, 0, 0, 7)),
        ("req-001", "REQ-001", (0, 0, 0, 7)),
        ("FR-001", "FR-001", (0, 0, 0, 6)),
        ("SC-001", "SC-001", (0, 0, 0, 6)),
        ("US2", "US2", (0, 0, 0, 3)),
        ("R1.1", "1.1", (0, 0, 0, 4)),
        ("Requirement 1.2", "1.2", (0, 12, 0, 15)),
        ("Requirements 3", "3", (0, 13, 0, 14)),
        ("要件1.3", "1.3", (0, 2, 0, 5)),
        ("需求 2", "2", (0, 3, 0, 4)),
        ("要件1（記事登録）", "1", (0, 2, 0, 3)),
        ("Requirement 1 (Preview button)", "1", (0, 12, 0, 13)),
        ("4.4 (削除権限)", "4.4", (0, 0, 0, 3)),
    ],
)
def test_single_id_tokens(body, start, a_range):
    ((kind, got, end, span, a_span, b_span),) = tokens(body)
    assert kind is ID and got == start and end is None
    assert span == (0, 0, 0, len(body))  # the token covers its title too
    assert a_span == a_range  # the ID itself is where it is written
    assert b_span is None


@pytest.mark.parametrize(
    "body, a, b, a_range, b_range",
    [
        ("1.1-1.6", "1.1", "1.6", (0, 0, 0, 3), (0, 4, 0, 7)),
        ("1.1–1.7", "1.1", "1.7", (0, 0, 0, 3), (0, 4, 0, 7)),  # en dash
        ("1.1 — 1.7", "1.1", "1.7", (0, 0, 0, 3), (0, 6, 0, 9)),  # em dash with spaces
        ("要件1〜6", "1", "6", (0, 2, 0, 3), (0, 4, 0, 5)),  # wave dash
        ("1.1~1.3", "1.1", "1.3", (0, 0, 0, 3), (0, 4, 0, 7)),
        ("R1.1–R1.5", "1.1", "1.5", (0, 0, 0, 4), (0, 5, 0, 9)),
        ("REQ-001..REQ-003", "REQ-001", "REQ-003", (0, 0, 0, 7), (0, 9, 0, 16)),
        ("1 to 3", "1", "3", (0, 0, 0, 1), (0, 5, 0, 6)),
    ],
)
def test_range_tokens(body, a, b, a_range, b_range):
    ((kind, start, end, span, a_span, b_span),) = tokens(body)
    assert (kind, start, end) == (RANGE, a, b)
    assert span == (0, 0, 0, len(body))
    assert (a_span, b_span) == (a_range, b_range)


@pytest.mark.parametrize(
    "body",
    [
        "All",
        "all",
        "All requirements",
        "All requirements integrated",
        "All requirements (integration tests)",
        "All - final check",
        "ALL",
        "全要件",
        "全要件（統合）",
        "すべて",
        "全ての要件",
        "所有需求",
        "所有需求的效能優化",
        "Every requirement",
        "Todos os requisitos",
        "Все требования",
        "All.",
        "*All*",
        "**All requirements**",
    ],
)
def test_whole_spec_free_text(body):
    ((kind, start, end, span, _a, _b),) = tokens(body)
    assert kind is ALL and start is None
    assert span == (0, 0, 0, len(body))


def test_list_with_offsets_and_mixed_separators():
    line = "  - _Requirements: 1.1, 2.3、要件4，5.5; 6_"
    items = items_of(line)
    got = [(i.start, line[i.span.col : i.span.end_col]) for i in items]
    assert got == [("1.1", "1.1"), ("2.3", "2.3"), ("4", "要件4"), ("5.5", "5.5"), ("6", "6")]


def test_all_next_to_ids_is_a_whole_spec_item():
    items = items_of("  - _Requirements: 1.1, All_")
    assert [i.kind for i in items] == [ID, ALL]


@pytest.mark.parametrize(
    "body, bad",
    [
        ("1.1, foo bar", "foo bar"),
        ("All performance-related requirements", "All performance-related requirements"),
        ("All security requirements", "All security requirements"),
        ("All requirements for login", "All requirements for login"),
        ("All requirements related to billing", "All requirements related to billing"),
        ("All NFRs", "All NFRs"),
        ("SEC-001", "SEC-001"),
        (
            "1.1, Non-Functional Requirements (Performance, Usability)",
            "Non-Functional Requirements (Performance, Usability)",
        ),
        ("Node 18", "Node 18"),
        ("CP-1", "CP-1"),
        ("WCAG 2.1 Level AA compliance", "WCAG 2.1 Level AA compliance"),
        ("Design - Value Objects", "Design - Value Objects"),
    ],
)
def test_malformed_tokens(body, bad):
    items, _ = parse_list(body, 0, 0)
    malformed = [i for i in items if i.kind is BAD]
    assert [i.text for i in malformed] == [bad]
    start = body.index(bad)
    assert rng(malformed[0].span) == (0, start, 0, start + len(bad))


@pytest.mark.parametrize(
    "body, shown",
    [
        ("[requirement IDs]", "[requirement IDs]"),
        ("{{REQUIREMENT_IDS}}", "{{REQUIREMENT_IDS}}"),
        ("<IDs>", "<IDs>"),
        ("TBD", "TBD"),
        ("TODO", "TODO"),
        ("N/A", "N/A"),
        ("X.X", "X.X"),
        ("?", "?"),
        ("...", "..."),
        ("—", "—"),
        ("", ""),
    ],
)
def test_placeholder_lists(body, shown):
    items, placeholder = parse_list(f" {body}", 0, 10)
    assert items == [] and placeholder == shown


def test_placeholder_token_next_to_real_ids_is_an_item():
    items, placeholder = parse_list(" 1.1, TBD", 0, 0)
    assert placeholder is None
    assert [(i.kind, i.text, rng(i.span)) for i in items] == [
        (ID, "1.1", (0, 1, 0, 4)),
        (BAD, "TBD", (0, 6, 0, 9)),
    ]


@pytest.mark.parametrize(
    "raw, norm",
    [
        ("1.1", "1.1"),
        ("1.2.", "1.2"),
        ("27c", "27C"),
        ("req-7", "REQ-7"),
        ("REQ007", "REQ-007"),
        ("fr-001", "FR-001"),
        ("US-3", "US3"),
        ("r2.4", "2.4"),
    ],
)
def test_normalise_id(raw, norm):
    assert normalise_id(raw) == norm


def test_a_trailing_dot_is_not_part_of_a_requirement_ids_span():
    """`1.2.` cites 1.2: the ID's span stops before the dot, so a rename or a quick fix keeps it
    (in a `_Depends:_` list, `1.` is how a plan writes task 1, and the dot stays in the span)."""
    from specmark.core.refs import parse_list

    (item,), _ = parse_list("1.2.", 3, 10)
    assert (
        item.start == "1.2"
        and item.start_span == Span.on_line(3, 10, 13)
        and item.span == Span.on_line(3, 10, 14)
    )
    (rng_item,), _ = parse_list("1.1-1.3.", 0, 0)
    assert (rng_item.start_span, rng_item.end_span) == (Span.on_line(0, 0, 3), Span.on_line(0, 4, 7))
    (word,), _ = parse_list("Requirement 2.", 0, 0)
    assert word.start == "2" and word.start_span == Span.on_line(0, 12, 13)
    (task,), _ = parse_list("1.", 0, 0, task_ids=True)
    assert task.start_span == Span.on_line(0, 0, 2)


def test_the_unknown_id_quick_fix_keeps_a_trailing_dot():
    from specmark.core.analysis import analyze
    from specmark.core.config import Config
    from specmark.core.features.quickfix import quick_fixes

    req = "### Requirement 1: A\n\n#### Acceptance Criteria\n\n1. THE s SHALL a\n2. THE s SHALL b\n"
    tasks = "- [ ] 1. T\n  - _Requirements: 1.9._\n"
    result = analyze({"tasks.md": tasks}, ("requirements.md", req))
    (finding,) = [f for f in result.findings if f.code == "unknown-requirement"]
    assert finding.span == Span.on_line(1, 19, 22)
    actions = quick_fixes(result.tasks[0], result.findings, 1, 1, Config(), {"1", "1.1", "1.2"})
    (edit,) = actions[0].edits
    line = tasks.splitlines()[1]
    assert line[: edit.span.col] + edit.new_text + line[edit.span.end_col :] == "  - _Requirements: 1.2._"


# --- the tolerant grammar (issue #12): every ID of a line counts, whatever markup is around it ----


@pytest.mark.parametrize(
    "detail, label, ids",
    [
        # the emphasis on the label only, the colon inside or outside it
        ("  - _Requirements:_ 2.1, 2.2, 3.1", "Requirements", ["2.1", "2.2", "3.1"]),
        ("  - _Requirements_: 1.1, 1.2", "Requirements", ["1.1", "1.2"]),
        ("  - **Requirements**: 1.1", "Requirements", ["1.1"]),
        ("  - **Requirements:** 1.1", "Requirements", ["1.1"]),
        ("  - *Requirements*: 1.1", "Requirements", ["1.1"]),
        ("  - *Requirements:* 1.1", "Requirements", ["1.1"]),
        ("  - __Requirements__: 1.1", "Requirements", ["1.1"]),
        ("  - ***Requirements***: 1.1", "Requirements", ["1.1"]),
        ("  - _Requirements_：1.1", "Requirements", ["1.1"]),  # full-width colon outside
        # localised labels, also with the emphasis on the label only
        ("  - _要件:_ 2.1", "要件", ["2.1"]),
        ("  - **需求**：1.1, 1.2", "需求", ["1.1", "1.2"]),
        ("  - _Требования: 1.1, 2.3_", "Требования", ["1.1", "2.3"]),
        ("  - _Requisitos: 1.1_", "Requisitos", ["1.1"]),
        ("  - _Exigences : 1.1_", "Exigences", ["1.1"]),
        ("  - _Yêu cầu: 1.1_", "Yêu cầu", ["1.1"]),
        ("  - _요구사항: 3.2_", "요구사항", ["3.2"]),
        ("**對應需求**: 1, 2, 3, 5", "對應需求", ["1", "2", "3", "5"]),
        ("**對應需求**: [需求 1.1, 1.2, 1.3]", "對應需求", ["1.1", "1.2", "1.3"]),
        # escaped by an editor, no closing emphasis
        (r"  - \_Requirements: Requirement 1, Requirement 3", "Requirements", ["1", "3"]),
        (r"  - \_Requirements: 1.1, 2.1\_", "Requirements", ["1.1", "2.1"]),
        # a plain label in a detail bullet
        ("  - Requirements: REQ-1 (FR-1.1, FR-1.2)", "Requirements", ["REQ-1", "FR-1.1", "FR-1.2"]),
        ("  - Requirements: 1.1", "Requirements", ["1.1"]),
        # trailing markup and comments after the IDs
        (
            "  - **Validates: Requirements 4.3** (internal correctness of the engine)",
            "Validates",
            ["4.3"],
        ),
        ("  - _Requirements: 9.9 (idempotency snapshot), 10.4_", "Requirements", ["9.9", "10.4"]),
    ],
)
def test_tolerant_reference_lines(detail, label, ids):
    (ref,) = refs_of(detail)
    assert ref.label == label
    assert [i.start for i in ref.items] == ids
    assert all(i.kind is ID for i in ref.items)
    line = detail
    for item in ref.items:  # every ID's span is where it is written
        written = line[item.start_span.col : item.start_span.end_col]
        assert written.upper().lstrip("R") == item.start.upper() or written == item.start


@pytest.mark.parametrize(
    "detail",
    [
        "  - Requirements: Node and a database",  # a plain label followed by prose
        "  - Requirements:",  # the title of a list of constraints
        "**Requirements**:",
        "  - **Requirements**: see the design below",
        "  - Validates the input:",  # not a label
    ],
)
def test_section_labels_and_prose_are_not_reference_lines(detail):
    assert refs_of(detail) == []


def test_an_emphasised_empty_label_is_still_a_placeholder():
    (ref,) = refs_of("  - _Requirements: _")
    assert ref.items == () and ref.placeholder == ""


@pytest.mark.parametrize(
    "body, want",
    [
        # cc-sdd: requirement 2 as a whole
        ("2全体, 3全体", [(ID, "2", None, "2"), (ID, "3", None, "3")]),
        ("要件2全体", [(ID, "2", None, "2")]),
        # a wildcard criterion: the requirement as a whole
        ("5.x, 6.x", [(ID, "5", None, "5"), (ID, "6", None, "6")]),
        ("1.x–7.x", [(RANGE, "1", "7", "1")]),
        # R1-AC1: criterion 1 of requirement 1
        ("R1-AC1", [(ID, "1.1", None, "R1-AC1")]),
        ("R4-AC1〜AC6", [(RANGE, "4.1", "4.6", "R4-AC1")]),
        ("R2-AC3, R2-AC4", [(ID, "2.3", None, "R2-AC3"), (ID, "2.4", None, "R2-AC4")]),
        # a requirement and the criteria it names
        (
            "REQ-1 (FR-1.1, FR-1.4)",
            [(ID, "REQ-1", None, "REQ-1"), (ID, "FR-1.1", None, "FR-1.1"), (ID, "FR-1.4", None, "FR-1.4")],
        ),
        ("AC-6.1", [(ID, "AC-6.1", None, "AC-6.1")]),
        # separators inside parentheses do not split the item
        ("Expected behaviour from design (2.1, 2.5)", [(ID, "2.1", None, "2.1"), (ID, "2.5", None, "2.5")]),
        # IDs joined by words
        ("1.1 and 1.2", [(ID, "1.1", None, "1.1"), (ID, "1.2", None, "1.2")]),
        ("1.1 & 2.3", [(ID, "1.1", None, "1.1"), (ID, "2.3", None, "2.3")]),
        ("要件1及び2", [(ID, "1", None, "1"), (ID, "2", None, "2")]),
        ("1, 2, and 3", [(ID, "1", None, "1"), (ID, "2", None, "2"), (ID, "3", None, "3")]),
        ("1.1/1.2", [(ID, "1.1", None, "1.1"), (ID, "1.2", None, "1.2")]),
        ("5.*", [(ID, "5", None, "5")]),
        ("Требование 2", [(ID, "2", None, "2")]),
        # markup stuck to an ID, a comment after it
        ("4.3** (internal correctness)", [(ID, "4.3", None, "4.3")]),
        ("`1.2`", [(ID, "1.2", None, "1.2")]),
        ("1.1 - login form", [(ID, "1.1", None, "1.1")]),
        ("[1.1]", [(ID, "1.1", None, "1.1")]),
        ("(2.3)", [(ID, "2.3", None, "2.3")]),
        # free text with strongly shaped IDs: the IDs count, the prose is not reported
        ("Login flow per FR-2.1", [(ID, "FR-2.1", None, "FR-2.1")]),
        ("Requirement 1, Requirement 3", [(ID, "1", None, "1"), (ID, "3", None, "3")]),
        ("Requirement 2 (Preview), 3", [(ID, "2", None, "2"), (ID, "3", None, "3")]),
    ],
)
def test_tolerant_tokens(body, want):
    items, placeholder = parse_list(body, 0, 0)
    assert placeholder is None
    got = [(i.kind, i.start, i.end, body[i.start_span.col : i.start_span.end_col]) for i in items]
    assert got == want


@pytest.mark.parametrize(
    "body",
    [
        "OAuth 2.0 flow",  # a dotted number in prose is not an ID
        "Windows 10 support",
        "Design Section 2.3",
        "see (OAuth 2.0, TLS)",  # a parenthesised group that is not all IDs
        "P1-P10 全部属性",
    ],
)
def test_prose_with_numbers_stays_one_malformed_item(body):
    items, _ = parse_list(body, 0, 0)
    assert [(i.kind, i.text) for i in items] == [(BAD, body)]


def test_a_bracketed_placeholder_stays_a_placeholder():
    assert parse_list("[requirement IDs]", 0, 0) == ([], "[requirement IDs]")
    assert parse_list("[X.X]", 0, 0) == ([], "[X.X]")


def test_a_whole_spec_list_with_a_comment():
    (ref,) = refs_of("  - _Requirements: All requirements integrated_")
    assert [i.kind for i in ref.items] == [ALL]
    (ref,) = refs_of("  - _要件: 全要件_")
    assert [i.kind for i in ref.items] == [ALL]


@pytest.mark.parametrize(
    "detail, ids",
    [
        ("  - **验证：需求 1.3, 1.6**", ["1.3", "1.6"]),
        ("  - **驗證：需求 2.1**", ["2.1"]),
        ("  - **検証: 要件 3.2**", ["3.2"]),
    ],
)
def test_localised_validates_labels(detail, ids):
    (ref,) = refs_of(detail)
    assert [i.start for i in ref.items] == ids


@pytest.mark.parametrize(
    "detail",
    [
        "- 验证：对传入 key 计算 SHA-256，查询 `key_hash`",  # "validation: …" in prose
        "  - **Implements:** the Foo interface",
        "  - Requirements: Node 18 and PostgreSQL 15",
        "**Requirements**: Windows 10 or later",
    ],
)
def test_everyday_words_and_plain_labels_need_a_citation(detail):
    assert refs_of(detail) == []


def test_a_plain_label_with_a_placeholder_is_a_reference():
    (ref,) = refs_of("  - Requirements: TBD")
    assert ref.placeholder == "TBD"


def _label_shapes():
    from specmark.core.vocab import REFERENCE_LABELS, words

    for label in words(REFERENCE_LABELS):
        for mark in ("", "_", "*", "**", "__", "\\_"):
            for colon in (":", "："):
                if mark:
                    yield f"  - {mark}{label}{colon} 1.1, 2.3{mark}"  # colon inside, closed
                    yield f"  - {mark}{label}{colon}{mark} 1.1, 2.3"  # emphasis on the label only
                    yield f"  - {mark}{label}{mark}{colon} 1.1, 2.3"  # colon outside
                else:
                    yield f"  - {label}{colon} 1.1, 2.3"


@pytest.mark.parametrize("detail", list(_label_shapes()))
def test_every_label_in_every_emphasis_keeps_its_ids(detail):
    (ref,) = refs_of(detail)
    assert [(i.kind, i.start) for i in ref.items] == [(ID, "1.1"), (ID, "2.3")]
    assert detail[ref.list_span.col : ref.list_span.end_col] == "1.1, 2.3"


def test_bugfix_property_lines_are_annotations():
    assert refs_of("  - _Preservation: Requirements 3.1 — keep the search button_") == []
    assert refs_of("  - _Bug_Condition: isBugCondition(tab)_") == []


# --- the principle, property-tested: markup and comments never cost an ID ---------------------------

_ids = st.builds(lambda a, b: f"{a}.{b}" if b else str(a), st.integers(1, 30), st.integers(0, 12))
_marks = st.sampled_from(["", "*", "**", "_", "`"])
_words = st.sampled_from(["", "Requirement ", "Requirements ", "要件", "需求 "])
_comments = st.sampled_from(["", " (login form)", " （記事登録）", " - keeps the session", " [engine]"])
_seps = st.sampled_from([", ", ",", "、", "; ", "，"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_ids, _marks, _words, _comments), min_size=1, max_size=6), _seps, _marks)
def test_markup_and_comments_around_ids_never_lose_one(entries, sep, closer):
    body = sep.join(f"{mark}{word}{ident}{mark}{comment}" for ident, mark, word, comment in entries)
    detail = f"  - _Requirements: {body}{closer}"
    (ref,) = refs_of(detail)
    assert [(i.kind, i.start) for i in ref.items] == [(ID, ident) for ident, *_ in entries]
    for item, (ident, *_rest) in zip(ref.items, entries, strict=True):
        assert detail[item.start_span.col : item.start_span.end_col] == ident

"""Completion of requirement IDs (core/features/completion), from strings: the cap and the
per-document candidate cache give the same entries as building and sorting them all."""

from __future__ import annotations

from specmark.core.features.completion import complete
from specmark.core.requirements import parse_requirements
from specmark.core.tasks import parse_tasks


def _req(title_of_1: str = "Login") -> str:
    out = ["# Requirements Document", "", "## Requirements", ""]
    for r in range(1, 13):
        title = title_of_1 if r == 1 else ("" if r % 4 == 0 else f"Area {r}")
        out += [f"### Requirement {r}" + (f": {title}" if title else ""), "", "#### Acceptance Criteria", ""]
        out += [f"{i}. THE system SHALL do {r}.{i}" for i in range(1, 12)]
        out.append("")
    return "\n".join(out)


TASKS = "# Plan\n\n- [ ] 1. Build\n  - _Requirements: 1.1, 2.3, _\n"
LINE, COL = 3, len("  - _Requirements: 1.1, 2.3, ")


def _labels(entries) -> list[str]:
    return [e.label for e in entries]


def test_ids_in_id_order_without_the_listed_ones():
    req = parse_requirements(_req())
    tasks = parse_tasks(TASKS)
    got = complete(tasks, req, tasks.lines, LINE, COL)
    labels = _labels(got)
    assert labels[:4] == ["1", "1.2", "1.3", "1.4"]
    assert "1.1" not in labels and "2.3" not in labels
    assert labels.index("1.9") < labels.index("1.10") < labels.index("1.11") < labels.index("2")
    assert labels.index("9.11") < labels.index("10")  # 10 after 9, not after 1
    assert len(labels) == 12 * 12 - 2
    first = got[0]
    assert (first.kind, first.detail) == ("requirement", "Login")
    assert (got[1].kind, got[1].detail) == ("criterion", "1: Login")
    untitled = next(e for e in got if e.label == "4.1")
    assert untitled.detail == "Requirement 4"


def test_a_limit_gives_the_first_entries_of_the_whole_list():
    req = parse_requirements(_req())
    tasks = parse_tasks(TASKS)
    whole = complete(tasks, req, tasks.lines, LINE, COL)
    for limit in (0, 1, 5, 101, 500):
        capped = complete(tasks, req, tasks.lines, LINE, COL, limit=limit)
        assert [(e.label, e.detail, e.sort_text) for e in capped] == [
            (e.label, e.detail, e.sort_text) for e in whole[:limit]
        ]


def test_a_typed_prefix_narrows_case_insensitively():
    req = parse_requirements(_req().replace("### Requirement 12", "### Requirement 12A"))
    text = TASKS.replace("2.3, _", "2.3, 12a_")
    tasks = parse_tasks(text)
    got = complete(tasks, req, tasks.lines, LINE, COL + 3)
    assert _labels(got)[0] == "12A" and all(e.label.upper().startswith("12A") for e in got)


def test_a_new_version_of_the_requirements_is_not_served_from_the_cache():
    tasks = parse_tasks(TASKS)
    old = parse_requirements(_req("Login"))
    assert complete(tasks, old, tasks.lines, LINE, COL)[0].detail == "Login"
    new = parse_requirements(_req("Sign in"))  # same path, a new parse
    assert complete(tasks, new, tasks.lines, LINE, COL)[0].detail == "Sign in"
    assert complete(tasks, old, tasks.lines, LINE, COL)[0].detail == "Login"


def test_ids_complete_after_a_label_that_cites_nothing_yet():
    """A plain, section or everyday-word label is a reference line only once it cites something;
    while the list is being typed, completion still offers the IDs."""
    req = parse_requirements(_req())
    for line in ("  - Requirements: ", "  - **Requirements**: ", "  - **验证：需求 "):
        tasks = parse_tasks(f"# Plan\n\n- [ ] 1. Build\n{line}\n")
        got = complete(tasks, req, tasks.lines, 3, len(line))
        assert got and _labels(got)[:2] == ["1", "1.1"], line

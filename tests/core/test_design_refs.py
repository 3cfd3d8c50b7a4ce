"""design.md's requirement references: the same tolerant grammar as tasks.md, and the section
labels of a design (`**Requirements**:` over a list of constraints) that are not references."""

from __future__ import annotations

import pytest

from specmark.core.design import parse_design
from specmark.core.model import RefKind


def cited(text: str) -> list[list[str]]:
    return [[i.start for i in ref.items] for ref in parse_design(text, "design.md").refs]


@pytest.mark.parametrize(
    "text",
    [
        "**Requirements**:\n- Must run offline\n- Must support 10k users\n",
        "**Requirements:**\n\n- Latency below 100 ms\n",
        "- **Requirements**: the API must be idempotent\n",
        "**Requirements:** The service keeps working without the network.\n",
        "Requirements:\n1. Fast\n2. Safe\n",
    ],
)
def test_a_section_label_over_constraints_is_not_a_reference(text):
    assert parse_design(text, "design.md").refs == ()


@pytest.mark.parametrize(
    "text, ids",
    [
        ("**Validates: Requirements 4.3** (internal correctness of the engine)\n", [["4.3"]]),
        ("**Validates: Requirements 1.1, 5.5**\n", [["1.1", "5.5"]]),
        ("**對應需求**: [需求 1.1, 1.2]\n", [["1.1", "1.2"]]),
        ("**Requirements**: 2.1, 2.2\n", [["2.1", "2.2"]]),
        ("_Requirements:_ 3.1\n", [["3.1"]]),
        ("- Requirements: REQ-1 (FR-1.1, FR-1.4)\n", [["REQ-1", "FR-1.1", "FR-1.4"]]),
        ("### Property 1\n\nText. **Validates: Requirements 2.1**\n", [["2.1"]]),
    ],
)
def test_design_reference_lines(text, ids):
    assert cited(text) == ids


def test_a_validates_placeholder_in_a_design_is_kept():
    (ref,) = parse_design("**Validates: Requirements TBD**\n", "design.md").refs
    assert ref.placeholder == "TBD"


def test_free_text_after_a_validates_label_is_reported():
    (ref,) = parse_design("**Validates: All security requirements**\n", "design.md").refs
    assert [i.kind for i in ref.items] == [RefKind.MALFORMED]

"""malformed-reference on the free text of reference lines: a qualified "All" phrase and prose
are reported; a reference by the name of a section of the requirements document is not; a spec
without requirements has nothing to trace to, so its free text is not judged."""

from __future__ import annotations

import pytest

from specmark.core.analysis import analyze

REQ = """# Requirements Document

## Requirements

### Requirement 1: Sign in

#### Acceptance Criteria

1. WHEN a user signs in THEN the system SHALL start a session
2. WHEN a user signs out THEN the system SHALL end the session

## Non-Functional Requirements

### Performance

- Pages load in under a second

### Monitoring and Observability

- Every request is logged
"""


def malformed(refs: str, req: str | None = REQ) -> list[str]:
    tasks = f"- [ ] 1. Do it\n  - _Requirements: 1.1, 1.2, {refs}_\n"
    found = analyze({"tasks.md": tasks}, ("requirements.md", req) if req else None).findings
    return [f.message.split("'")[1] for f in found if f.code == "malformed-reference"]


@pytest.mark.parametrize(
    "refs",
    [
        "Non-Functional Requirements (Performance, Monitoring and Observability)",
        "Performance Non-Functional Requirements",
        "Performance NFR",
        "Monitoring NFR",  # the start of a heading
        "Non-Functional Performance & Monitoring",
        "Performance requirements",
    ],
)
def test_a_reference_by_section_name_is_not_malformed(refs):
    assert malformed(refs) == []


@pytest.mark.parametrize(
    "refs",
    [
        "All security requirements",
        "All performance-related requirements",
        "Security NFR",  # the document has no Security section
        "Design Section 2.3",
        "UX向上",
    ],
)
def test_free_text_that_names_nothing_is_malformed(refs):
    assert malformed(refs) == [refs]


def test_without_requirements_free_text_is_not_judged():
    assert malformed("Orquestração inteligente", req=None) == []
    assert malformed("Orquestração inteligente", req="# Requirements\n\nNothing here yet.\n") == []


def test_a_section_heading_inside_code_is_not_a_section():
    req = REQ + "\n```md\n### Security\n```\n"
    assert malformed("Security NFR", req=req) == ["Security NFR"]

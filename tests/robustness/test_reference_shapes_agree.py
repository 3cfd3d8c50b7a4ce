"""The reference-line shapes of the tolerant grammar (docs/conventions.md, "Reference lines"),
written from strings into one spec: `specmark check --format json` and the server's published
diagnostics agree on every finding, and the findings are the expected ones (the shapes that cite
valid IDs give none; the unknown ID, the qualified "All" phrase and the free text do). Every
criterion is covered through one of the shapes only (no task says "All"), so an ID a shape
lost would show as uncovered-requirement."""

from __future__ import annotations

from rbhelpers import ShapesAgree, numbered_requirements

REQ = numbered_requirements(7, 6)

TASKS = """# Tasks

- [ ] 1. Label emphasis only
  - _Requirements:_ 1.1, 1.2
- [ ] 2. Colon outside
  - _Requirements_: 1.3
- [ ] 3. Bold colon outside
  - **Requirements**: 1.4, 1.5
- [ ] 4. Escaped label
  - \\_Requirements: Requirement 2, Requirement 3
- [ ] 5. Trailing comment
  - **Validates: Requirements 1.6** (internal correctness of the engine)
- [ ] 6. Russian
  - _Требования: 4.1, 4.2_
- [ ] 7. cc-sdd whole requirement
  - _要件: 5全体, 6全体_
- [ ] 8. Parentheses
  - _Requirements: Expected behaviour from design (4.3, 4.4)_
- [ ] 9. R-AC shapes
  - _Requirements: R7-AC1, R4-AC5〜AC6_
- [ ] 10. Plain label
  - Requirements: Requirement 7 (criteria 7.2, 7.3)
- [ ] 11. Full-width colon
  - _要件：7.4、7.5_
- [ ] 12. Whole requirement again
  - _Requirements: 5全体_
- [ ] 13. Wildcard
  - _Requirements: 7.x_
- [ ] 14. Unknown inside markup
  - **Validates: Requirements 1.9** (not defined)
- [ ] 15. Qualified all
  - _Requirements: All security requirements_
- [ ] 16. Free text next to an ID
  - _Requirements: 7.6, Security NFR_
"""

DESIGN = """# Design

**Requirements**:
- Must run offline
- Must support 10k users

### Property 1

**Validates: Requirements 2.1, 8.1**

**Validates: All requirements integrated**
"""

EXPECTED = {
    ("tasks.md", "unknown-requirement", 30),
    ("tasks.md", "malformed-reference", 32),
    ("tasks.md", "malformed-reference", 34),
    ("design.md", "unknown-requirement", 9),
}


class TestReferenceShapes(ShapesAgree):
    documents = {"requirements.md": REQ, "tasks.md": TASKS, "design.md": DESIGN}
    expected = EXPECTED

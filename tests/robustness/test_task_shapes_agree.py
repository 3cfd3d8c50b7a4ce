"""The task-line shapes of the tolerant grammar (docs/conventions.md, "Task lines and
hierarchy"), written from strings into one spec: `specmark check --format json` and the server's
published diagnostics agree on every finding, and the findings are the expected ones: plans
numbered in their own scheme (phases carrying the number, `N.0` sections, bug headings, task
headings per phase, suffixed IDs) and checkboxes that are not work items give none; the one gap,
the one misplaced sub-task and the one task without a reference do. Every criterion is covered
through the tasks, so a task a shape lost would show as uncovered-requirement."""

from __future__ import annotations

from rbhelpers import ShapesAgree, numbered_requirements

REQ = numbered_requirements(5, 3)

TASKS = """# Tasks

## Prerequisites

- [ ] The database is running

## Phase 1: Foundation

- [x] 1.1 Create the schema
  - _Requirements: 1.1, 1.2_
- [x] 1.1a Seed the schema (inserted later)
  - _Requirements: 1.3_
- [ ] 1.2 Add the repository
  - _Requirements: 2.1_

## 2.0 Fixes

### 2.1 Bug 1: crash on start

- [ ] 2.1.1 Reproduce it
  - _Requirements: 2.2_
- [ ] 2.1.2 Fix it
  - _Requirements: 2.3_

### 2.2 Bug 2: slow search

- [ ] 2.2.1 Profile it
  - _Requirements: 3.1_

## Phase 3

### Task 3.1: Parse

- _Requirements: 3.2_

### Task 3.2: Check

- [ ] Write the checker
  - _Requirements: 3.3_
- [ ] Wire it in
  - _Requirements: 4.1_

## Major Task 4: Ship

### Sub-task 4.1: Package

**Acceptance Criteria**:
- [ ] The wheel installs
- [ ] The CLI starts

- _Requirements: 4.2, 4.3_

### Sub-task 4.3: Release

- _Requirements: 5.1_

## Phase 5: Wrap-up

- [ ] 5.1 Document it
  - _Requirements: 5.2, 5.3_
- [ ] 5.2 Checkpoint - all tests pass
  - [ ] 5.2.1 Run the suite
- [ ] 5.3 Tidy up
  - [ ] 6.1 Misplaced step
    - _Requirements: 5.3_
- [ ] 5.4 Untraced work

## Success Criteria

- [P] tasks = different files
- [ ] Users can sign in
"""

EXPECTED = {
    ("tasks.md", "task-order", 53),  # Task 4.3 follows task 4.1 (no 4.2)
    ("tasks.md", "task-order", 64),  # Sub-task 6.1 is nested under task 5.3
    ("tasks.md", "missing-requirements", 66),  # 5.4 cites nothing
}


class TestTaskShapes(ShapesAgree):
    documents = {"requirements.md": REQ, "tasks.md": TASKS}
    expected = EXPECTED

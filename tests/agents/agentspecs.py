"""Spec folders for the agent commands' tests, written from strings (one per convention)."""

from __future__ import annotations

import textwrap
from pathlib import Path

REQS = """\
# Requirements Document

### Requirement 1: Sign in

**User Story:** As a user, I want to sign in, so that I reach my projects.

#### Acceptance Criteria

1. WHEN a user submits valid credentials, THE Auth_Service SHALL start a session
2. WHEN a user submits a wrong password, THE Auth_Service SHALL refuse the sign-in
   and show an error

### Requirement 2: Sign out

#### Acceptance Criteria

1. WHEN a user signs out, THE Auth_Service SHALL end the session
"""

DESIGN = """\
# Design

## Overview

Sessions live in Redis.

## Correctness Properties

### Property 1: Wrong passwords never start a session

*For any* wrong password, no session exists.

**Validates: Requirements 1.2**

### Property 2: Sign-out ends the session

**Validates: Requirements 2.1**
"""

KIRO_TASKS = """\
# Implementation Plan

- [x] 1. Set up the module
  - Create `src/auth/` with the service skeleton
  - _Requirements: 1.1_

- [ ] 2. Implement sign-in
  - [ ] 2.1 Check credentials
    - _Leverage: src/auth/store.py, src/auth/hash.py_
    - _Requirements: 1.1, 1.2_
  - [ ]* 2.2 Property test for wrong passwords
    - _Requirements: 1.2_

- [ ] 3. Implement sign-out
  - _Requirements: 2.1_
"""

SPEC_KIT_TASKS = """\
# Tasks

## Phase 1: Setup

- [x] T001 Create the project structure
- [ ] T002 [P] Configure the linter in `.ruff.toml`
- [ ] T003 [P] Configure the formatter
- [ ] T004 Write the first model in `src/models/user.py`
"""

SPEC_KIT_SPEC = """\
# Feature Specification

## Requirements

- **FR-001**: System MUST let users sign in
- **FR-002**: System MUST let users sign out
"""

OPENSPEC_TASKS = """\
## 1. The update skill

- [x] 1.1 Create the template
- [ ] 1.2 Write the instructions

## 2. Docs

- [ ] 2.1 Add a row
"""

HEADING_TASKS = """\
# Implementation Plan

## Task 1: Backend API
- [x] 1.1 Remove the catch-all route
- [ ] 1.2 Add tests
  - _Requirements: 1.1_

## Task 2: Frontend
- [ ] 2.1 Add the sign-in form
  - _Requirements: 1.2_
"""

DEPENDS_TASKS = """\
# Implementation Plan

- [ ] 1. Database schema
  - _Requirements: 1.1_
- [ ] 2. API handlers
  - _Depends: 1_
  - _Requirements: 1.2_
- [ ] 3. Sign-out button
  - _Requirements: 2.1_
"""


def write_spec(
    root: Path,
    name: str,
    tasks: str,
    reqs: str | None = REQS,
    design: str | None = None,
    kind: str = "kiro",
    newline: str = "\n",
    bom: bool = False,
) -> Path:
    """A spec folder under `root` in the layout of `kind`; returns its tasks.md."""
    folder = {
        "kiro": root / ".kiro" / "specs" / name,
        "spec-kit": root / "specs" / name,
        "openspec": root / "openspec" / "changes" / name,
    }[kind]
    folder.mkdir(parents=True, exist_ok=True)

    def put(fname: str, text: str) -> Path:
        data = text.replace("\n", newline).encode("utf-8")
        path = folder / fname
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return path

    if reqs is not None:
        put("spec.md" if kind == "spec-kit" else "requirements.md", reqs)
    if design is not None:
        put("design.md", design)
    return put("tasks.md", tasks)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")

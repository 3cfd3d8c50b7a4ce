"""The hand-written demo spec shared by the navigation tests, from strings
(tests/core/features) and through the server (tests/lsp): a requirements document of three
requirements with numbered criteria, and a plan citing it (one unknown reference: 9.9).
Imported by name: tests/ is on sys.path through its conftest."""

LOGIN_REQUIREMENTS = """# Requirements Document

## Requirements

### Requirement 1: Login

**User Story:** As a user, I want to log in.

#### Acceptance Criteria

1. WHEN valid THE system SHALL start a session
2. WHEN wrong THE system SHALL show an error
3. THE system SHALL lock the account

### Requirement 2: Logout

#### Acceptance Criteria

1. WHEN clicked THE system SHALL end the session
2. THE system SHALL clear the cookie

### Requirement 3: Audit

#### Acceptance Criteria

1. THE system SHALL log logins
2. THE system SHALL log logouts
"""

LOGIN_TASKS = """# Implementation Plan

- [ ] 1. Build the login form
  - _Requirements: 1.1, 1.2_

- [x] 2. Lock accounts
  - _Requirements: 1.3, 3_
  - _Depends: 1._

- [ ] 3. Log out
  - [x] 3.1 End the session
    - _Requirements: 2.1-2.2_
  - [ ]* 3.2 Clear the cookie
    - _Requirements: 2.2, 3.2, 9.9_
    - _Depends: 3.1_
"""

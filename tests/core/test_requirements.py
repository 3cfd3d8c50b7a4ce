"""The requirements-document parser: Kiro / cc-sdd / spec-workflow requirements.md (also
localised), bugfix.md, spec-kit spec.md. Criterion IDs N.M come from the position of the
top-level numbered items under Acceptance Criteria."""

from __future__ import annotations

from specstrings import md, req_doc, rng

from specmark.core.ids import id_key
from specmark.core.requirements import parse_requirements


def ids(doc):
    return [(r.id, [c.id for c in r.criteria]) for r in doc.requirements]


def test_kiro_requirements_with_derived_criteria():
    text = md("""
        # Requirements Document

        ## Requirements

        ### Requirement 1

        **User Story:** As a user, I want to log in, so that I can work

        #### Acceptance Criteria

        1. WHEN the user submits THEN the system SHALL log in
        2. IF the password is wrong THEN the system SHALL refuse
           - a nested bullet is part of criterion 2
           1. so is a nested numbered item
        3. THE system SHALL lock after five attempts

        ### Requirement 2: Logout

        #### Acceptance Criteria

        1. WHEN the user logs out THEN the session SHALL end
    """)
    doc = parse_requirements(text)
    assert ids(doc) == [("1", ["1.1", "1.2", "1.3"]), ("2", ["2.1"])]
    r1, r2 = doc.requirements
    assert (r1.title, r2.title) == ("", "Logout")
    assert rng(r1.id_span) == (4, 16, 4, 17)
    assert rng(r1.span) == (4, 4, 4, 17)
    assert r1.body.startswith("**User Story:**")
    assert r1.end_line == 14 and r2.end_line == 20
    c = r1.criteria[2]
    assert (c.text, c.line, rng(c.span), c.derived) == (
        "THE system SHALL lock after five attempts",
        14,
        (14, 0, 14, 44),
        True,
    )
    assert rng(r2.id_span) == (16, 16, 16, 17)
    assert r2.display == "2: Logout"


def test_ten_criteria_sort_after_nine():
    items = "\n".join(f"{n}. WHEN {n} THEN it SHALL work" for n in range(1, 12))
    doc = parse_requirements(f"### Requirement 5\n#### Acceptance Criteria\n{items}\n")
    crit = [c.id for c in doc.requirements[0].criteria]
    assert crit[8:] == ["5.9", "5.10", "5.11"]
    assert sorted(crit, key=id_key) == crit
    assert id_key("5.10") > id_key("5.9") > id_key("5.1")


def test_criteria_ids_follow_position_not_the_written_number():
    doc = req_doc("""
        ### Requirement 3
        #### Acceptance Criteria
        1. first
        1. second (renderers renumber "1. 1. 1.")
        1. third
    """)
    assert ids(doc) == [("3", ["3.1", "3.2", "3.3"])]


def test_numbered_items_outside_acceptance_criteria_do_not_count():
    doc = req_doc("""
        ### Requirement 1: Roles
        #### Acceptance Criteria
        1. THE system SHALL have roles
        #### Predefined roles
        1. admin
        2. user
        ### Requirement 2: No criteria heading
        1. WHEN a THEN b
    """)
    # without an Acceptance Criteria heading, the requirement's numbered items are its criteria
    assert ids(doc) == [("1", ["1.1"]), ("2", ["2.1"])]


def test_requirement_heading_shapes():
    doc = req_doc("""
        ### Requirement 1: Titled
        ### Requirement 2 - Dashed
        ### Requirement 3. Dotted
        ### Req 4: Short
        #### Requirement 5
        ### REQ-006: Prefixed
        ### Requirement 16A: Suffixed
    """)
    assert [(r.id, r.title) for r in doc.requirements] == [
        ("1", "Titled"),
        ("2", "Dashed"),
        ("3", "Dotted"),
        ("4", "Short"),
        ("5", ""),
        ("REQ-006", "Prefixed"),
        ("16A", "Suffixed"),
    ]
    assert rng(doc.requirements[5].id_span) == (5, 4, 5, 11)
    assert rng(doc.requirements[6].id_span) == (6, 16, 6, 19)


def test_localised_headings():
    doc = req_doc("""
        ## 要件
        ### 要件1: 管理者によるユーザー招待
        #### 受入基準
        1. WHEN 管理者が招待する THEN 送信しなければならない
        2. 二つ目
        ### 要件27C: 英数字ID
        #### 受け入れ基準
        1. 一つ目
        ### 需求 3
        #### 驗收標準
        1. WHEN 使用者點擊 THEN 系統 SHALL 顯示
        ### 需求 4
        #### 验收标准
        1. WHEN x THEN y
    """)
    assert ids(doc) == [("1", ["1.1", "1.2"]), ("27C", ["27C.1"]), ("3", ["3.1"]), ("4", ["4.1"])]
    r1, r27, r3, _ = doc.requirements
    assert r1.title == "管理者によるユーザー招待"
    assert rng(r1.id_span) == (1, 6, 1, 7)
    assert rng(r27.id_span) == (5, 6, 5, 9)
    assert rng(r3.id_span) == (8, 7, 8, 8)


def test_spec_workflow_prefixed_ids():
    doc = req_doc("""
        ### REQ-001: Navigation Integration

        #### Acceptance Criteria

        1. WHEN the user opens the page THEN the system SHALL show the tab
        2. WHEN the user clicks THEN the system SHALL navigate
    """)
    assert ids(doc) == [("REQ-001", ["REQ-001.1", "REQ-001.2"])]
    assert doc.requirements[0].title == "Navigation Integration"


def test_bugfix_written_criterion_ids():
    text = md("""
        # Bugfix Requirements Document

        ## Bug Analysis

        ### Current Behavior (Defect)

        1.1 WHEN the token expires THEN the system logs the user out silently
        1.2 WHEN the refresh fails THEN the system shows nothing

        ### Expected Behavior (Correct)

        2.1 WHEN the token expires THEN the system SHALL refresh it

        ### Unchanged Behavior (Regression Prevention)

        3.1 WHEN the token is valid THEN the system SHALL CONTINUE TO accept it
    """)
    doc = parse_requirements(text, "bugfix.md")
    assert ids(doc) == [("1", ["1.1", "1.2"]), ("2", ["2.1"]), ("3", ["3.1"])]
    g1 = doc.requirements[0]
    assert g1.kind == "bugfix-group"
    assert g1.title == "Current Behavior (Defect)"
    c = g1.criteria[1]
    assert (c.derived, c.line, rng(c.span)) == (False, 7, (7, 0, 7, 56))


def test_spec_kit_spec_md():
    text = md("""
        # Feature Specification: Character Management

        ### User Story 1 - Browse Characters (Priority: P1)

        Users browse their characters.

        **Acceptance Scenarios**:

        1. **Given** a list, **When** I search, **Then** I see matches

        ### User Story 2 - Edit (Priority: P2)

        ### Functional Requirements

        - **FR-001**: System MUST list characters
        - **FR-002**: System MUST let users edit characters

        ### Measurable Outcomes

        - **SC-001**: 90% of users find a character in under 10 s
    """)
    doc = parse_requirements(text, "spec.md")
    assert [(r.id, r.kind, r.title) for r in doc.requirements] == [
        ("US1", "story", "Browse Characters"),
        ("US2", "story", "Edit"),
        ("FR-001", "functional", "System MUST list characters"),
        ("FR-002", "functional", "System MUST let users edit characters"),
        ("SC-001", "success", "90% of users find a character in under 10 s"),
    ]
    us1, _, fr1, _, sc1 = doc.requirements
    assert rng(us1.id_span) == (2, 15, 2, 16)
    assert rng(fr1.id_span) == (14, 4, 14, 10)
    assert rng(sc1.id_span) == (19, 4, 19, 10)
    assert us1.body == "Users browse their characters."


def test_headings_in_code_are_not_requirements():
    doc = req_doc("""
        ```markdown
        ### Requirement 9
        1. WHEN fake
        ```
        ### Requirement 1
        1. WHEN real
    """)
    assert ids(doc) == [("1", ["1.1"])]


def test_section_ends_at_a_heading_of_the_same_level():
    doc = req_doc("""
        ## Requirements
        ### Requirement 1
        #### Acceptance Criteria
        1. WHEN a
        ## Non-Functional Requirements
        1. fast
    """)
    assert ids(doc) == [("1", ["1.1"])]
    assert doc.requirements[0].end_line == 3


def test_duplicate_numbers_are_kept_first_wins_in_the_index():
    doc = req_doc("""
        ### Requirement 4: First
        1. a
        ### Requirement 4: Again
        1. b
    """)
    assert [r.title for r in doc.requirements] == ["First", "Again"]
    assert doc.index()["4"].title == "First"
    assert doc.index()["4.1"].text == "a"


def test_crlf_and_bom():
    text = "\ufeff### Requirement 1\r\n#### Acceptance Criteria\r\n1. WHEN x\r\n"
    doc = parse_requirements(text)
    assert ids(doc) == [("1", ["1.1"])]
    assert rng(doc.requirements[0].id_span) == (0, 17, 0, 18)  # the BOM is column 0
    assert rng(doc.requirements[0].criteria[0].span) == (2, 0, 2, 9)


def test_cc_sdd_numeric_headings_with_acceptance_criteria():
    """cc-sdd's template allows "1. Overview" and "2 Feature: …" as requirement headings."""
    doc = req_doc("""
        ## 1. Introduction
        Numbered document sections are not requirements.
        ## 2. Requirements
        ### 1. Overview
        #### Acceptance Criteria
        1. When x, the system shall y
        2. When z, the system shall w
        ### 2 Feature: Export
        #### Acceptance Criteria
        1. The system shall export
        ### 3.5 Not a requirement number
        #### Acceptance Criteria
        1. x
    """)
    assert [(r.id, r.title) for r in doc.requirements] == [("1", "Overview"), ("2", "Feature: Export")]
    assert ids(doc) == [("1", ["1.1", "1.2"]), ("2", ["2.1"])]
    assert rng(doc.requirements[0].id_span) == (3, 4, 3, 5)


def test_written_criterion_ids_inside_a_requirement_section():
    """`1.1 WHEN …` under `### Requirement 1` (IDs written out, as in Kiro's prework notes) are
    that requirement's criteria — not a bugfix group that would duplicate requirement 1."""
    doc = req_doc("""
        ### Requirement 1: Login
        #### Acceptance Criteria
        1.1 WHEN the user submits THEN the system SHALL log in
        1.2 WHEN the password is wrong THEN the system SHALL refuse
        2.1 WHEN this line names another requirement THEN it is ignored
        ### Requirement 2: Logout
        #### Acceptance Criteria
        1. WHEN the user logs out THEN the session SHALL end
    """)
    assert [(r.id, r.kind) for r in doc.requirements] == [("1", "requirement"), ("2", "requirement")]
    assert ids(doc) == [("1", ["1.1", "1.2"]), ("2", ["2.1"])]
    c = doc.requirements[0].criteria[1]
    assert (c.derived, rng(c.span)) == (False, (3, 0, 3, 59))


# --- the tolerant grammar: localised headings, bold labels, written IDs in other shapes ----------


def test_localised_requirement_and_acceptance_headings():
    doc = req_doc("""
        ### Требование 1: Вход
        #### Критерии приемки
        1. КОГДА пользователь входит, ТО система ДОЛЖНА …
        2. ЕСЛИ пароль неверен …
        ### Requisito 2: Login
        #### Critérios de Aceitação
        1. QUANDO …
        ### Exigence 3
        #### Critères d'acceptation
        1. QUAND …
        ### Yêu cầu 4: Đăng nhập
        #### Tiêu chí chấp nhận
        1. KHI …
        ### 需求 5：登录
        #### 验收标准
        1. WHEN …
        ### 要件 6
        #### 受け入れ基準
        1. WHEN …
    """)
    assert ids(doc) == [
        ("1", ["1.1", "1.2"]),
        ("2", ["2.1"]),
        ("3", ["3.1"]),
        ("4", ["4.1"]),
        ("5", ["5.1"]),
        ("6", ["6.1"]),
    ]
    assert [r.title for r in doc.requirements] == ["Вход", "Login", "", "Đăng nhập", "登录", ""]


def test_h2_requirement_headings():
    doc = req_doc("""
        ## Requirement 1: Login
        ### Acceptance Criteria
        1. WHEN a THEN b
        ## Requirement 2
        1. WHEN c THEN d
    """)
    assert ids(doc) == [("1", ["1.1"]), ("2", ["2.1"])]


def test_localised_user_story_headings():
    doc = req_doc("""
        ### ユーザーストーリー 1 - ログイン (優先度: P1)
        ### 用户故事 2 — 登录 (优先级: P2)
        ### 使用者故事 3 - 查看當前紀錄 (優先級: P1)
        ### User Story 4 - Export (Priority: P3)
        ### История 5 - not a story word
    """)
    assert [(r.kind, r.id, r.title) for r in doc.requirements] == [
        ("story", "US1", "ログイン"),
        ("story", "US2", "登录"),
        ("story", "US3", "查看當前紀錄"),
        ("story", "US4", "Export"),
    ]


def test_bold_acceptance_label_and_written_ids_cc_sdd():
    """cc-sdd written by hand: `### 1. Title`, a bold 受け入れ条件 label, `- 1.1 text` bullets."""
    doc = req_doc("""
        ## 要件
        ### 1. ファイル名 glob マッチング
        **目的:** CLI 利用者として…

        **受け入れ条件:**
        - 1.1 ユーザーが glob を指定したとき、…
        - 1.2 指定されていないならば、…

        **依存要件:** なし。

        ### 2. 正規表現による内容検索
        **受け入れ条件:**
        - 2.1 正規表現を指定したとき、…
        - 3.1 a criterion of another requirement is not this one's
    """)
    assert ids(doc) == [("1", ["1.1", "1.2"]), ("2", ["2.1"])]
    c = doc.requirements[0].criteria[1]
    assert (c.line, c.derived, rng(c.span)[:2]) == (6, False, (6, 2))


def test_bold_acceptance_labels_in_other_spellings():
    for label in (
        "**Acceptance Criteria:**",
        "**Acceptance Criteria**:",
        "Acceptance Criteria:",
        "__Критерии приемки__",
    ):
        doc = req_doc(f"""
            ### Requirement 1
            Some prose.
            1. a numbered item before the label is not a criterion
            {label}
            1. WHEN a THEN b
        """)
        assert ids(doc) == [("1", ["1.1"])], label
        assert doc.requirements[0].criteria[0].text == "WHEN a THEN b"


def test_acceptance_words_in_prose_are_not_a_label():
    doc = req_doc("""
        ### Requirement 1
        1. WHEN a THEN b
        Acceptance criteria are listed below
        2. WHEN c THEN d
    """)
    assert ids(doc) == [("1", ["1.1", "1.2"])]


def test_bold_id_bullets_group_under_their_parent():
    doc = req_doc("""
        ## Functional Requirements
        - **FR1.1**: Users can sign up
        - **FR1.2**: Users can log in
        ## Non-functional
        - **NFR2.3**: Pages load in 2 s
    """)
    assert [(r.kind, r.id, [c.id for c in r.criteria]) for r in doc.requirements] == [
        ("functional", "FR-1", ["FR-1.1", "FR-1.2"]),
        ("functional", "NFR-2", ["NFR-2.3"]),
    ]
    c = doc.requirements[0].criteria[0]
    assert c.text == "Users can sign up"
    # written as FR1.1, known as FR-1.1: not renamed in place (the written bytes differ)
    assert c.derived is True


def test_bold_id_bullets_under_a_requirement_heading():
    doc = req_doc("""
        ### 1. User management (FR1)
        **Acceptance Criteria:**
        - **FR1.1**: Users can sign up
        - **FR1.2:** Users can log in
    """)
    assert ids(doc) == [("1", ["FR-1.1", "FR-1.2"])]


def test_bold_paragraph_labels_with_prefixed_bullets():
    doc = req_doc("""
        ## Requirements
        **FR-1: Sign-up**
        - FR-1.1: Users can sign up with e-mail
        - FR-1.2: Users confirm their address

        **FR-2: Login**
        - FR-2.1: Users log in
    """)
    assert [(r.kind, r.id, r.title, [c.id for c in r.criteria]) for r in doc.requirements] == [
        ("functional", "FR-1", "Sign-up", ["FR-1.1", "FR-1.2"]),
        ("functional", "FR-2", "Login", ["FR-2.1"]),
    ]
    assert [c.derived for c in doc.requirements[0].criteria] == [False, False]
    assert rng(doc.requirements[1].id_span) == (5, 2, 5, 6)


def test_prefixed_bullets_under_req_headings():
    """`REQ-1 (FR-1.1, FR-1.4)` and `R1-AC1` in tasks: FR-1.x and AC bullets under REQ-N."""
    doc = req_doc("""
        ### REQ-1: Accounts
        - FR-1.1: sign up
        - FR-1.4: delete
        #### Acceptance Criteria
        - AC-1.1: WHEN x THEN y
        ### Requirement 2
        #### Acceptance Criteria
        - AC1: WHEN a THEN b
        - AC2: WHEN c THEN d
    """)
    assert ids(doc) == [("REQ-1", ["FR-1.1", "FR-1.4", "AC-1.1"]), ("2", ["2.1", "2.2"])]
    assert doc.requirements[1].criteria[0].text == "WHEN a THEN b"


def test_prefixed_ids_need_a_colon_or_bold():
    doc = req_doc("""
        ## Notes
        - FR-1 covers the login page
        - AC-2.1 is tested manually
        FR-3: a paragraph, not a bullet
    """)
    assert ids(doc) == []


def test_bugfix_documents_are_unchanged_by_written_ids():
    doc = req_doc(
        """
        ## Current Behavior (Defect)
        1.1 WHEN the map is undefined THEN the build fails
        ## Expected Behavior (Correct)
        2.1 WHEN the map is undefined THEN the build SHALL pass
        ## Unchanged Behavior (Regression Prevention)
        - 3.1 WHEN the map is defined THEN the system SHALL CONTINUE TO build
    """,
        "bugfix.md",
    )
    assert [(r.kind, r.id, [c.id for c in r.criteria]) for r in doc.requirements] == [
        ("bugfix-group", "1", ["1.1"]),
        ("bugfix-group", "2", ["2.1"]),
        ("bugfix-group", "3", ["3.1"]),
    ]


def test_written_ids_nested_under_derived_criteria_are_notes():
    doc = req_doc("""
        ### Requirement 1
        #### Acceptance Criteria
        1. WHEN a THEN b
           - 1.1 a note about the first criterion
        2. WHEN c THEN d
        - FR-1.9: a prefixed written ID does not shift the derived numbers
        3. WHEN e THEN f
    """)
    assert ids(doc) == [("1", ["1.1", "1.2", "FR-1.9", "1.3"])]


def test_written_ids_with_a_trailing_dot_under_numbered_requirements():
    """Russian cc-sdd style: `### 1. Title`, `#### Критерии Приемки`, `1.1. КОГДА …` paragraphs."""
    doc = req_doc("""
        ## Требования
        ### 1. Управление разрешениями
        **ID:** request-scope.1
        #### Критерии Приемки
        1.1. КОГДА пользователь одобряет, ТО система ДОЛЖНА сохранить

        1.2. КОГДА инструмент запрашивает, ТО …
        #### Функциональные тесты
        - `tests/functional/flow.spec.ts`
        ### 2. Инструмент
        #### Критерии Приемки
        2.1. КОГДА агент вызывает …
    """)
    assert ids(doc) == [("1", ["1.1", "1.2"]), ("2", ["2.1"])]
    assert doc.requirements[0].criteria[0].text.startswith("КОГДА")


def test_prefixed_requirement_headings_with_bold_id_criteria():
    doc = req_doc("""
        ## Functional Requirements
        ### FR1: Content Extraction
        - **FR1.1**: Extract readable content
        - **FR1.2**: Support semantic HTML5
        ### FR2 — 路由与外壳
        - **FR2.1** 路由表包含两棵互不重叠的树
        #### 1. Data Download
        - **FR3**: The system shall provide an endpoint
          - **FR3.1**: The endpoint shall be `POST /report`
    """)
    assert [(r.kind, r.id, r.title, [c.id for c in r.criteria]) for r in doc.requirements] == [
        ("requirement", "FR-1", "Content Extraction", ["FR-1.1", "FR-1.2"]),
        ("requirement", "FR-2", "路由与外壳", ["FR-2.1"]),
        ("functional", "FR-3", "The system shall provide an endpoint", ["FR-3.1"]),
    ]


def test_localised_words_of_more_languages():
    doc = req_doc("""
        ### Requisito 1: Registro
        #### Criteri di accettazione
        1. QUANDO …
        ### Persyaratan 2
        #### Kriteria Penerimaan
        1. KETIKA …
    """)
    assert ids(doc) == [("1", ["1.1"]), ("2", ["2.1"])]


def test_ids_inserted_after_the_fact_with_a_letter():
    """spec-kit `- **FR-002a**:` between FR-002 and FR-003 (also as a heading)."""
    doc = req_doc("""
        - **FR-002**: The program MUST validate
        - **FR-002a**: The program MUST reject out-of-range values
        - **FR-002b**: The program MUST reject decreasing values
        ### FR-004a: Inserted heading
    """)
    assert [r.id for r in doc.requirements] == ["FR-002", "FR-002A", "FR-002B", "FR-004A"]
    assert rng(doc.requirements[1].id_span) == (1, 4, 1, 11)


def test_prefixed_headings_with_a_blank_before_the_title():
    doc = req_doc("""
        ### REQ-001 User login
        1. WHEN a THEN b
        ### NFR-2 Performance
        ### R2D2 droid
        ### FR-12abc is not an ID
    """)
    assert [(r.id, r.title, [c.id for c in r.criteria]) for r in doc.requirements] == [
        ("REQ-001", "User login", ["REQ-001.1"]),
        ("NFR-2", "Performance", []),
    ]

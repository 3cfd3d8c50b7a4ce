"""The wording-* family from strings: each rule's hits and near misses, each language, exact
ranges, the opt-in switch, configured word lists, and the hover on a flagged word."""

from __future__ import annotations

import pytest

from specmark.core.analysis import analyze
from specmark.core.checks import FAMILIES, OPT_IN, RULES
from specmark.core.config import Config, load_config_text
from specmark.core.features.navigation.hover import hover

HEAD = "### Requirement 1: Sign in\n\n#### Acceptance Criteria\n\n"


def reqs(*criteria: str) -> str:
    return HEAD + "".join(f"{i}. {c}\n" for i, c in enumerate(criteria, 1))


def found(text: str, config: Config | None = None, select=("wording",), name="requirements.md"):
    """(code, 1-based line, the flagged text) of every wording finding."""
    result = analyze({}, (name, text), config or Config(), select=list(select) if select else None)
    lines = text.splitlines()
    return [
        (f.code, f.span.line + 1, lines[f.span.line][f.span.col : f.span.end_col])
        for f in result.findings
        if f.code.startswith("wording-")
    ]


def codes(text: str, **kw) -> list[str]:
    return [c for c, _, _ in found(text, **kw)]


# ---- the family is opt-in ---------------------------------------------------------------------

VAGUE = reqs("WHEN a user signs in THEN the system SHALL respond quickly")


def test_off_by_default():
    assert found(VAGUE, select=None) == []


def test_on_with_the_family_switch():
    cfg, errors = load_config_text("wording = true\n", ".specmark.toml")
    assert errors == []
    assert found(VAGUE, cfg, select=None) == [("wording-vague", 5, "quickly")]


def test_on_with_a_severity_or_a_selection():
    cfg, _ = load_config_text('[severity]\nwording-vague = "warning"\n', ".specmark.toml")
    result = analyze({}, ("requirements.md", VAGUE), cfg)
    assert [(f.code, f.severity.value) for f in result.findings] == [("wording-vague", "warning")]
    assert codes(VAGUE, select=["wording-vague"]) == ["wording-vague"]
    assert codes(VAGUE, select=["wording-tbd"]) == []


def test_family_default_severity_is_information():
    result = analyze({}, ("requirements.md", VAGUE), Config(wording=True))
    assert {f.severity.value for f in result.findings} == {"information"}
    assert FAMILIES["wording"] <= set(OPT_IN) and all(c in RULES for c in OPT_IN)
    assert all(OPT_IN[c] for c in FAMILIES["wording"])


def test_a_rule_turned_off_stays_off_in_the_family():
    cfg, _ = load_config_text('wording = true\n[severity]\nwording-vague = "off"\n', ".specmark.toml")
    assert found(VAGUE, cfg, select=None) == []


def test_configured_terms_extend_and_ignore():
    text = reqs("THE system SHALL render a snappy page", "THE system SHALL respond quickly")
    cfg, errors = load_config_text(
        'wording = true\n[wording-terms]\nvague = ["snappy"]\nignore = ["quickly"]\n', ".specmark.toml"
    )
    assert errors == []
    assert found(text, cfg, select=None) == [("wording-vague", 5, "snappy")]


def test_bad_wording_settings_are_reported():
    _cfg, errors = load_config_text(
        'wording = "yes"\n[wording-terms]\nnope = ["x"]\nvague = "x"\n', ".specmark.toml"
    )
    assert sorted(e.key for e in errors) == ["wording", "wording-terms.nope", "wording-terms.vague"]


# ---- each rule: hits and near misses ------------------------------------------------------------


@pytest.mark.parametrize(
    "criterion,expected",
    [
        ("The page should load in 2 s", [("wording-no-modal", "should")]),
        ("Users can export their data as CSV", [("wording-no-modal", "can")]),
        ("The system exports data as CSV", [("wording-no-modal", "The system exports data as CSV")]),
        ("THE system SHALL export data as CSV", []),
        ("THE system MUST export data as CSV", []),
        ("The export should be possible, and THE system SHALL export CSV", []),  # binding present
        ("Export formats:", []),  # introduces a list
    ],
)
def test_no_modal(criterion, expected):
    assert [(c, t) for c, _, t in found(reqs(criterion)) if c == "wording-no-modal"] == expected


@pytest.mark.parametrize(
    "criterion,expected",
    [
        ("THE system SHALL lock the account WHEN five attempts fail", ["WHEN"]),
        ("THE system SHALL refuse the file IF it is larger than 5 MB", ["IF"]),
        ("WHEN a user signs in, WHILE offline, THE system SHALL queue the request", ["WHILE"]),
        ("WHILE offline, WHEN a user signs in, THE system SHALL queue the request", []),
        ("WHEN a user signs in THEN the system SHALL start a session", []),  # Kiro's older form
        ("IF the token expired, THEN THE system SHALL refuse the request", []),
        ("WHERE SSO is enabled, THE system SHALL offer SSO sign-in", []),
        ("THE system SHALL display the error when the password is wrong", []),  # lowercase prose
        ("THE trigger SHALL run SELECT * FROM settings WHERE id = 1", []),  # SQL
        ("WHEN x, THE A SHALL do y; IF z, THEN THE A SHALL do w", []),  # two sentences: compound
    ],
)
def test_ears_pattern(criterion, expected):
    assert [t for c, _, t in found(reqs(criterion)) if c == "wording-ears-pattern"] == expected


def test_ears_pattern_only_for_ears_conventions():
    text = "**FR-001**: THE system MUST lock the account WHEN five attempts fail\n"
    spec = "### User Story 1 - Sign in\n\n" + "- " + text
    assert "wording-ears-pattern" not in codes(spec, name="spec.md")


@pytest.mark.parametrize(
    "criterion,terms",
    [
        ("THE system SHALL show an appropriate error message", ["appropriate"]),
        ("THE UI SHALL be user-friendly and intuitive", ["user-friendly", "intuitive"]),
        ("THE system SHALL be robust, fast and efficient", ["robust", "fast", "efficient"]),
        ("THE system SHALL call the FastAPI endpoint `fast_path`", []),  # inside words and code
        ("THE system SHALL serve breakfast menus", []),
        ('THE system SHALL show "Fast and easy!" as the banner', []),  # a quoted string
    ],
)
def test_vague(criterion, terms):
    assert [t for c, _, t in found(reqs(criterion)) if c == "wording-vague"] == terms


def test_escape_and_open_ended():
    text = reqs(
        "THE system SHALL cache results as far as possible",
        "THE system SHALL accept images (PNG, JPEG, etc.)",
        "THE system SHALL log events including but not limited to sign-ins",
        "THE system SHALL retry twice",
        "THE comment SHALL tell the user they can reopen the issue if needed",  # the user's option
    )
    assert found(text) == [
        ("wording-escape-clause", 5, "as far as possible"),
        ("wording-open-ended", 6, "etc."),
        ("wording-open-ended", 7, "including but not limited to"),
    ]


@pytest.mark.parametrize(
    "code, criteria, expected",
    [
        (
            "wording-compound",
            [
                "WHEN x, THE system SHALL record progress and SHALL NOT re-run steps",
                "THE system SHALL accept PNG and/or JPEG",
                "THE system SHALL record progress",
                'THE system SHALL reply "the name must be unique"',  # a quoted message
            ],
            [(5, "SHALL"), (6, "and/or")],
        ),
        (
            "wording-unbounded",
            [
                "THE system SHALL always respond",
                "THE system SHALL reply in a timely manner",
                "THE system SHALL reply within 200 ms",
                "THE system SHALL never store plain-text passwords",  # a prohibition: bounded
            ],
            [(5, "always"), (6, "in a timely manner")],
        ),
        (
            "wording-pronoun",
            [
                "It SHALL reject the request",
                "WHEN the helper runs THEN it SHALL log",  # the antecedent is in the WHEN clause
                "THE system SHALL reject it",
            ],
            [(5, "It")],
        ),
        (
            "wording-tbd",
            [
                "THE system SHALL time out after TBD seconds",
                "THE system SHALL ??? on failure",
                "THE list SHALL show todo items",  # a word, not a marker
                "THE design SHALL record the open point as TODO for the next release",  # a mention
            ],
            [(5, "TBD"), (6, "???")],
        ),
        (
            "wording-negative",
            ["THE system SHALL NOT fail to save the draft", "THE system SHALL NOT store passwords"],
            [(5, "SHALL NOT fail to")],
        ),
    ],
)
def test_rule_flags_its_terms(code, criteria, expected):
    assert [(ln, t) for c, ln, t in found(reqs(*criteria)) if c == code] == expected


# ---- languages ------------------------------------------------------------------------------------


def test_japanese_and_chinese():
    ja = "### 要件 1\n\n#### 受入基準\n\n1. WHEN 保存する THEN システムは適切なエラーを表示しなければならない\n2. システムは結果を表示してもよい\n"
    assert found(ja) == [("wording-vague", 5, "適切な"), ("wording-no-modal", 6, "してもよい")]
    zh = "### 需求 1\n\n#### 验收标准\n\n1. WHEN 保存失败 THEN 系统 SHALL 显示友好的提示\n2. 系统可以导出数据\n3. 系統 SHALL 提供品質報告,返回建議\n"
    assert found(zh) == [("wording-vague", 5, "友好的"), ("wording-no-modal", 6, "可以")]


def test_other_languages_get_only_the_language_neutral_rules():
    pt = reqs("THE sistema SHALL mostrar uma mensagem rápida TBD quando o usuário entra no sistema")
    assert codes(pt) == ["wording-tbd"]


def test_bugfix_current_behaviour_needs_no_modal():
    text = (
        "# Bugfix\n\n## Current Behavior (Defect)\n\n1.1 WHEN a user is idle THEN the system ends the session\n\n"
        "## Expected Behavior (Correct)\n\n2.1 WHEN a user is idle THEN the system keeps the session\n"
    )
    assert found(text, name="bugfix.md") == [
        ("wording-no-modal", 9, "WHEN a user is idle THEN the system keeps the session")
    ]


def test_given_when_then_scenarios_need_no_modal():
    text = (
        "### User Story 1 - Browse (Priority: P1)\n\nAs a player, I want a list.\n\n**Acceptance Scenarios**:\n\n"
        "1. **Given** the list page, **When** it loads, **Then** the UI shows the characters quickly\n"
    )
    assert found(text, name="spec.md") == [("wording-vague", 7, "quickly")]


def test_spec_kit_functional_requirements():
    text = (
        "## Requirements\n\n- **FR-001**: The system should list characters\n"
        "- **FR-002**: The system MUST list characters quickly\n- **SC-001**: 95% of pages load in 1 s\n"
    )
    assert found(text, name="spec.md") == [
        ("wording-no-modal", 3, "should"),
        ("wording-vague", 4, "quickly"),
    ]


# ---- hover ----------------------------------------------------------------------------------------


def test_hover_on_a_flagged_word_explains_the_rule():
    result = analyze({}, ("requirements.md", VAGUE), Config(wording=True))
    col = VAGUE.splitlines()[4].index("quickly") + 2
    info = hover(result, "requirements.md", 4, col)
    assert info is not None and info.markdown.startswith("**wording-vague**")
    assert "docs/rules/wording-vague.md" in info.markdown
    assert (info.span.line, info.span.col) == (4, col - 2)


def test_editing_one_criterion_reads_only_that_criterion_again():
    from specmark.core.checks.wording import hits

    criteria = [f"THE system SHALL export report {i} quickly" for i in range(50)]
    analyze({}, ("requirements.md", reqs(*criteria)), Config(wording=True))
    before = hits.cache_info()
    criteria[7] = "THE system SHALL export report 7 fast"
    result = analyze({}, ("requirements.md", reqs(*criteria)), Config(wording=True))
    after = hits.cache_info()
    assert after.misses - before.misses == 1
    assert [f.data["term"] for f in result.findings][6:9] == ["quickly", "fast", "quickly"]

"""Property tests (hypothesis).

(a) Parsing and analysis never raise on random documents built from a vocabulary of line
    shapes (tasks, references, fences, headings, HTML, CJK, emoji, tabs), joined with mixed
    CRLF / CR / LF line ends and an optional BOM; every span of the model and of every finding
    lies inside the document it points at.
(b) `blocks.code_lines(lines)` (chunked, memoised) equals `blocks.markdown_code_lines(text)`
    (markdown-it-py over the whole document). A counterexample is a bug in blocks.py: make its
    chunking/suspicion rules more conservative rather than weakening this test.

Profiles: "ci" (the default, about 800 examples in all) and "long", selected with
HYPOTHESIS_PROFILE=long (twenty times as many).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from specmark.core import blocks
from specmark.core.analysis import analyze
from specmark.core.config import Config
from specmark.core.model import Span
from specmark.core.text import split_lines

settings.register_profile(
    "ci",
    deadline=None,
    max_examples=100,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("long", parent=settings.get_profile("ci"), max_examples=2000)
_NAME = os.environ.get("HYPOTHESIS_PROFILE", "ci")
_NAME = _NAME if _NAME in ("ci", "long") else "ci"
PROFILE = settings.get_profile(_NAME)
SCALE = 20 if _NAME == "long" else 1
# the long profile runs for minutes: lift the per-test timeout of pyproject.toml for it
pytestmark = pytest.mark.timeout(0 if _NAME == "long" else 120)


def budget(ci_examples: int) -> settings:
    """Settings of the selected profile with this test's share of the example budget."""
    return settings(PROFILE, max_examples=ci_examples * SCALE)


# --- a vocabulary of line shapes ------------------------------------------------------------------

IDS = [
    "1",
    "1.1",
    "2.3",
    "5.10",
    "27C",
    "27C.4",
    "REQ-001",
    "FR-001",
    "SC-002",
    "US1",
    "9.9",
    "1.1-1.3",
    "1–2",
    "要件1〜3",
    "Requirement 1.2",
    "要件1（記事登録）",
    "All",
    "全要件",
    "TBD",
    "[IDs]",
    "foo bar",
    "",
]
TASK_IDS = ["1.", "1.1", "1.1.1", "2.", "2.1", "3\\.", "T001", "T002 [P] [US1]", "2.1 (P)", ""]
GLYPHS = [" ", "x", "X", "-", "~", " x", "", "y", "/"]
INDENTS = ["", "  ", "    ", "\t", "      ", " "]
TITLES = [
    "Set up the project",
    "日本語のタスク",
    "任务 🎉 emoji",
    "Checkpoint - tests pass",
    "a\u0301ccent",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 astral",
    "**Property 1: x**",
    "",
    "Validates: Requirements 1.1",
    "do it **Validates: Requirements 2.1, 2.2**",
]
LABELS = [
    "_Requirements: {}_",
    "**Requirements:** {}",
    "**Validates: Requirements {}**",
    "_需求: {}_",
    "_要件: {}_",
    "_Requirements: {}",
    "_Leverage: {}_",
    "_Depends: {}_",
    "_Prompt: Role: x | _Requirements: {}_ _",
]
FIXED = [
    "",
    " ",
    "```",
    "```python",
    "~~~",
    "    ```",
    "- ```",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "<details>",
    "> - [ ] 9. quoted",
    ">",
    "---",
    "===",
    "***",
    "- ",
    "-",
    "1.",
    "[a]: /url",
    "    indented code",
    "# Implementation Plan",
    "## Tasks",
    "## Phase 3: User Story 1 - Browse (Priority: P1)",
    "### Tests",
    "## Task 3: Heading task",
    "## 4. OpenSpec section",
    "#### Acceptance Criteria",
    "#### 受入基準",
    "#### 驗收標準",
    "### Requirement 1",
    "### Requirement 2: Title",
    "### 需求 3",
    "### 要件27C: 日本語",
    "### REQ-001: Prefixed",
    "### User Story 1 - Browse (Priority: P1)",
    "- **FR-001**: System MUST list",
    "- **SC-001**: 90% of users",
    "### Current Behavior (Defect)",
    "1.1 WHEN x THEN the system fails",
    "2.1 WHEN x THEN the system SHALL work",
    "1. WHEN a THEN b SHALL c",
    "10. THE system SHALL x",
    "   - nested bullet",
    "😀",
    "中文テキスト",
    "\u2028",
    "**Checkpoint**: done",
    "- [ ](link) not a task",
    "- [^1] footnote",
    "| a | b |",
]


@st.composite
def task_line(draw):
    indent = draw(st.sampled_from(INDENTS))
    glyph = draw(st.sampled_from(GLYPHS))
    opt = draw(st.sampled_from(["", "", "*", "\\*"]))
    ident = draw(st.sampled_from(TASK_IDS))
    title = draw(st.sampled_from(TITLES))
    bullet = draw(st.sampled_from(["-", "-", "*", "1."]))
    return f"{indent}{bullet} [{glyph}]{opt} {ident} {title}".rstrip()


@st.composite
def ref_line(draw):
    indent = draw(st.sampled_from(INDENTS))
    label = draw(st.sampled_from(LABELS))
    ids = draw(st.lists(st.sampled_from(IDS), min_size=0, max_size=4))
    sep = draw(st.sampled_from([", ", "，", "、", ","]))
    return f"{indent}- " + label.format(sep.join(ids))


noise = st.text(alphabet=" \t-*+>#`~<!0123456789.x[]:_要件\u00a0😀", max_size=12)
line = st.one_of(task_line(), ref_line(), st.sampled_from(FIXED), noise)
EOLS = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def document(draw):
    lines = draw(st.lists(line, max_size=40))
    out = []
    for text in lines:
        out.append(text)
        out.append(draw(EOLS))
    bom = "\ufeff" if draw(st.booleans()) and draw(st.booleans()) else ""
    return bom + "".join(out)


def _inside(text: str, span: Span) -> bool:
    lines = split_lines(text)
    if not (0 <= span.line <= span.end_line < len(lines)):
        return False
    if span.line == span.end_line and span.col > span.end_col:
        return False
    return 0 <= span.col <= len(lines[span.line]) and 0 <= span.end_col <= len(lines[span.end_line])


def _model_spans(result):
    for doc in result.tasks:
        for t in doc.tasks:
            yield doc.path, t.title_span
            for s in (t.glyph_span, t.id_span, t.story_span):
                if s is not None:
                    yield doc.path, s
            for ref in t.refs:
                yield doc.path, ref.label_span
                yield doc.path, ref.list_span
                for item in ref.items:
                    for s in (item.span, item.start_span, item.end_span):
                        if s is not None:
                            yield doc.path, s
            for dep in t.depends:
                for item in dep.items:
                    yield doc.path, item.span
        for bad in doc.bad_checkboxes:
            yield doc.path, bad.span
    if result.requirements is not None:
        path = result.requirements.path
        for r in result.requirements.requirements:
            yield path, r.span
            yield path, r.id_span
            for c in r.criteria:
                yield path, c.span


@budget(300)
@given(
    tasks=document(),
    reqs=document(),
    flavor=st.sampled_from(["kiro", "spec-workflow", "spec-kit", "openspec"]),
    req_name=st.sampled_from(["requirements.md", "bugfix.md", "spec.md"]),
    mode=st.sampled_from([None, "leaf", "all", "none"]),
)
@example(
    tasks="- [ ] 1. A\r\n\ufeff  - _Requirements: 1.1_\r",
    reqs="\ufeff### Requirement 1\n1. x\n",
    flavor="kiro",
    req_name="requirements.md",
    mode=None,
)
def test_analysis_never_raises_and_spans_stay_inside(tasks, reqs, flavor, req_name, mode):
    cfg = Config(require_references=mode)
    texts = {"spec/tasks.md": tasks}
    result = analyze(texts, (f"spec/{req_name}", reqs), cfg, flavor)
    docs = {"spec/tasks.md": tasks, f"spec/{req_name}": reqs}
    for path, span in _model_spans(result):
        assert _inside(docs[path], span), (path, span)
    for f in result.findings:
        assert f.path in docs
        assert _inside(docs[f.path], f.span), f
        assert f.message
        for rel in f.related:
            assert _inside(docs[rel.path], rel.span), (f, rel)
    # the task index is consistent
    for doc in result.tasks:
        for t in doc.tasks:
            assert doc.tasks[t.index] is t
            assert t.line <= t.end_line < len(doc.lines)
            if t.parent is not None:
                assert t.index in doc.tasks[t.parent].children


@budget(100)
@given(tasks=document())
def test_tasks_alone_and_requirements_alone(tasks):
    for result in (analyze({"tasks.md": tasks}, None), analyze({}, ("requirements.md", tasks))):
        for f in result.findings:
            assert _inside(tasks, f.span), f


# --- (b) chunked code detection equals a whole-document markdown-it-py parse ---------------------

BLOCK_LINES = FIXED + [
    "- [ ] 1. Task",
    "  - [x] 1.1 Sub",
    "    - [ ] 1.1.1 deep",
    "  - _Requirements: 1.1_",
    "      more text",
    "   ```",
    "````",
    "``` foo ` bar",
    "~~~~",
    "\tindented tab",
    "        eight",
    "<!-- one -->",
    "<pre>",
    "</pre>",
    "<script>",
    "</script>",
    "<?php",
    "?>",
    "<!DOCTYPE html>",
    "<![CDATA[",
    "]]>",
    "<custom-tag>",
    "  <div>",
    "> ```",
    "-     code in a list item",
    "-   \tcode",
    "- # heading in an item",
    "    # bar",
    "[foo]:",
    "http://x",
    "'title'",
    "- - x",
    "2024 was a year",
    "    2024",
    ">>>>>>>>>>>>>>>>>>>>>> deep quote",
    "- - - - - - - - - - - - - - - - - - - - - - - deep list",
    "\u00a0",
    "\x0c",
    "Foo bar",
    "\x00",
]
INDENT = st.sampled_from(["", " ", "  ", "   ", "    ", "     ", "\t", " \t", "        "])
MARKER = st.sampled_from(["", "", "- ", "* ", "1. ", "10) ", "> ", "- - ", "-\t", "1.     "])
block_line = st.one_of(
    st.sampled_from(BLOCK_LINES),
    st.builds(lambda a, b, c: a + b + c, INDENT, MARKER, st.sampled_from(BLOCK_LINES)),
    st.text(alphabet=" \t-*+>#`~<!0123456789.x[]:'\"/=_\u00a0", max_size=10),
)


@budget(400)
@given(st.lists(block_line, max_size=30))
# counterexamples hypothesis found in earlier versions of blocks.py
@example(["```", "    ```", "", "- [ ] 1. Task"])  # a fence is not closed by 4 spaces
@example(["```", ""])  # unclosed fence at the end
@example(["- - - - - - - - - - - - - - - - - - - - - - - x", "", "- ```"])  # markdown-it maxNesting
@example(["   - nested", "    # bar"])  # heading after an item: then code
@example(["[foo]:", "http://x", "    code"])  # link reference definition
@example(["- # h", "      code"])  # indented code after a heading in an item
@example(["-   \tcode"])  # a tab after the list marker
@example(["Foo", "\u00a0", "<custom-tag>"])  # NBSP is not a blank line
@example(["- - >```"])  # blockquote after two list markers
def test_chunked_code_lines_equal_whole_document(lines):
    assert blocks.code_lines(lines) == blocks.markdown_code_lines("\n".join(lines))


@budget(50)
@given(st.lists(block_line, max_size=30), st.lists(block_line, min_size=1, max_size=5), st.integers(0, 30))
def test_code_lines_after_an_edit_equal_a_fresh_parse(lines, inserted, at):
    """Memoised chunks from the document before an edit never leak into the answer after it."""
    blocks.code_lines(lines)
    at = min(at, len(lines))
    edited = lines[:at] + inserted + lines[at:]
    assert blocks.code_lines(edited) == blocks.markdown_code_lines("\n".join(edited))


FLAT_LINES = [
    "",
    "# Requirements Document",
    "### Requirement 1: Login",
    "**User Story:** As a user, I want `<b>` so that",
    "1. WHEN a user logs in THE system SHALL greet them ```",
    "- [ ] 1. A task",
    "   - _Requirements: 1.1_",
    "  2) x <div>",
    "[x] done",
    "Plain prose with ~~~ inside",
]
NEAR_FLAT = [
    "    code",
    "   ",
    "<div>",
    "```",
    "~~~",
    "> quote",
    "- ```",
    "\t- x",
    "1.     code",
    "[a]: /url",
]


@budget(300)
@given(st.lists(st.one_of(st.sampled_from(FLAT_LINES), st.sampled_from(FLAT_LINES + NEAR_FLAT)), max_size=25))
def test_code_lines_of_flat_documents_equal_whole_document(lines):
    """code_lines' shortcut for a document whose lines are all empty or flat (nothing indented,
    as in a requirements document) gives markdown-it-py's answer, and so do its near misses."""
    assert blocks.code_lines(lines) == blocks.markdown_code_lines("\n".join(lines))

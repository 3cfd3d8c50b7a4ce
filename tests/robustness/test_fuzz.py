"""Property tests (hypothesis) of the server's document store, incremental analysis, editor
features and checkbox edits, on hostile documents edited at random.

The real handlers of lsp/handlers/ run in-process against a SpecmarkServer that is not started
(rbhelpers.in_process_server): didOpen/didChange go through sync.py exactly as in `specmark
serve`, positions arrive in UTF-16 units and are converted by lsp/convert.Codec. Every
property is checked against a model of what the client holds (rbhelpers.apply_lsp_edit).

Profiles: the default (CI) runs about 1,000 examples in all; SPECMARK_FUZZ=long runs 100 times
as many (about 100,000). See docs/reliability.md for the measured figures.
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from lsprotocol.converters import get_converter
from rbhelpers import (
    apply_lsp_edit,
    apply_text_edits,
    check_position,
    check_range,
    in_process_server,
    lsp_lines,
    utf16_text,
    utf16_units,
)

from specmark.core.analysis import analyze
from specmark.core.config import Config
from specmark.core.features.toggle import glyph_for, toggle
from specmark.core.model import Status
from specmark.core.tasks import parse_tasks
from specmark.lsp.convert import Codec
from specmark.lsp.handlers import code_actions, completion, diagnostics, sync
from specmark.lsp.handlers.navigation import (
    code_lens,
    definition,
    folding,
    hover,
    inlay_hints,
    links,
    references,
    rename,
    semantic_tokens,
    symbols,
)
from specmark.lsp.handlers.navigation._util import RequestFailed
from specmark.lsp.protocol import JsonResult

LONG = os.environ.get("SPECMARK_FUZZ", "").lower() == "long"
SCALE = 100 if LONG else 1
pytestmark = pytest.mark.timeout(0 if LONG else 170)


def budget(ci_examples: int) -> settings:
    return settings(
        max_examples=ci_examples * SCALE,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


FOLDER = "/nonexistent-specmark-fuzz/.kiro/specs/demo"
TASKS = f"{FOLDER}/tasks.md"
REQS = f"{FOLDER}/requirements.md"
DESIGN = f"{FOLDER}/design.md"
URI = {TASKS: "file://" + TASKS, REQS: "file://" + REQS, DESIGN: "file://" + DESIGN}

# ---- hostile vocabulary --------------------------------------------------------------------------

HOSTILE = [
    "\x00",
    "\ud800",
    "\udfff",
    "\ud83d",
    "\ude00",
    "😀",
    "👨‍👩‍👧",
    "e\u0301",
    "日本語",
    "１．１",
    "\u2028",
    "\u0085",
    "\x0b",
    "\x0c",
    "\ufeff",
    "\t",
    "\x1b[31m",
    "\u202e",
    "\ufffd",
    "𝔘",
    "[",
    "]",
    "`",
    "_",
    "*",
]
TASK_IDS = ["1.", "1.1", "2.", "2.1", "1.1.1", "10.", "3\\.", "T001", "2.1 (P)", "**1.2**", ""]
BOXES = ["[ ]", "[x]", "[X]", "[-]", "[~]", "[ x]", "[]", "[😀]"]
TITLES = [
    "Set up",
    "日本語のタスク",
    "任务 🎉",
    "Checkpoint - tests pass",
    "a\u0301ccent",
    "𝔘𝔫𝔦 astral",
    "lone \ud800 surrogate",
    "NUL \x00 inside",
    "do it **Validates: Requirements 2.1**",
    "",
]
REF_IDS = [
    "1.1",
    "1.2",
    "2.1",
    "9.9",
    "1.1-1.3",
    "1–2",
    "All",
    "REQ-001",
    "要件1",
    "[TBD]",
    "😀",
    "1.\ud800",
    "",
]
LABELS = [
    "_Requirements: {}_",
    "**Requirements:** {}",
    "_需求: {}_",
    "_Depends: {}_",
    "_Requirements: {}",
    "**Validates: Requirements {}**",
]
FIXED = [
    "",
    " ",
    "```",
    "```md",
    "~~~",
    "    code",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "> - [ ] 9. quoted",
    "# Implementation Plan",
    "## Tasks",
    "## Task 3: Heading task",
    "## 2. Section",
    "---",
    "- ",
    "1.",
    "### Requirement 1: A",
    "### Requirement 2",
    "#### Acceptance Criteria",
    "1. WHEN a THE system SHALL b",
    "2. THE system SHALL c",
    "### REQ-001: Prefixed",
    "- **FR-001**: System MUST",
    "😀",
    "中文",
    "\u2028",
    "- [ ](link)",
    "| a | b |",
    "\t- [ ] 1.1 tabbed",
]


@st.composite
def task_line(draw):
    return (
        draw(st.sampled_from(["", "  ", "    ", "\t", " "]))
        + draw(st.sampled_from(["-", "*", "+", "1.", "2)"]))
        + " "
        + draw(st.sampled_from(BOXES))
        + draw(st.sampled_from(["", "", "*", "\\*"]))
        + " "
        + draw(st.sampled_from(TASK_IDS))
        + " "
        + draw(st.sampled_from(TITLES))
    )


@st.composite
def ref_line(draw):
    ids = draw(st.lists(st.sampled_from(REF_IDS), max_size=4))
    return (
        draw(st.sampled_from(["  ", "", "    "]))
        + "- "
        + draw(st.sampled_from(LABELS)).format(draw(st.sampled_from([", ", "、", ","])).join(ids))
    )


noise = st.lists(st.sampled_from(HOSTILE + list(" -.#>0123456789x")), max_size=8).map("".join)
LINE = st.one_of(task_line(), ref_line(), st.sampled_from(FIXED), noise)
EOL = st.sampled_from(["\n", "\n", "\r\n", "\r"])


@st.composite
def document(draw, max_lines=30):
    lines = draw(st.lists(LINE, max_size=max_lines))
    text = "".join(line + draw(EOL) for line in lines)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no final line break
    if draw(st.integers(0, 7)) == 0:
        text = "\ufeff" + text
    return text


PIECE = st.one_of(LINE, EOL, st.sampled_from(HOSTILE))
NEW_TEXT = st.lists(PIECE, max_size=4).map("".join)
COORD = st.one_of(st.integers(0, 40), st.integers(0, 40), st.just(2**31 - 1))


@st.composite
def lsp_change(draw):
    """(document, start, end, text) in client units, or (document, None, None, text) for a full replace."""
    path = draw(st.sampled_from([TASKS, TASKS, TASKS, REQS]))
    if draw(st.integers(0, 15)) == 0:
        return path, None, None, draw(document(10))
    start = (draw(COORD), draw(COORD))
    if draw(st.booleans()):
        end = start  # an insertion
    else:
        end = (min(start[0] + draw(st.integers(0, 3)), 2**31 - 1), draw(COORD))
    return path, start, end, draw(NEW_TEXT)


# ---- driving the in-process server --------------------------------------------------------------


def open_docs(ls, texts: dict[str, str]) -> None:
    for path, text in texts.items():
        sync.did_open(
            ls,
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=URI[path], language_id="markdown", version=1, text=text
                )
            ),
        )


def send_change(ls, path, start, end, text, version) -> None:
    if start is None:
        change = types.TextDocumentContentChangeWholeDocument(text=text)
    else:
        change = types.TextDocumentContentChangePartial(
            range=types.Range(
                start=types.Position(line=start[0], character=start[1]),
                end=types.Position(line=end[0], character=end[1]),
            ),
            text=text,
        )
    sync.did_change(
        ls,
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI[path], version=version),
            content_changes=[change],
        ),
    )


def finding_key(findings):
    return [(f.path, f.code, f.span, f.message, f.severity, f.related, repr(f.data)) for f in findings]


def state_findings(ls, paths=(TASKS, REQS)) -> dict[str, list]:
    out = {}
    for path in paths:
        out[path] = finding_key(ls.state.findings(path).get(path, []))
    return out


def without_data(keys: dict[str, list]) -> dict[str, list]:
    return {path: [k[:-1] for k in found] for path, found in keys.items()}


def full_analysis(texts: dict[str, str]) -> dict[str, list]:
    """analysis.analyze on the texts as they are: no incremental engine, no memo of earlier
    versions. Compared without `data`: the incremental engine's findings carry block-relative
    task indexes there (opaque to clients, unused by the quick fixes)."""
    result = analyze({TASKS: texts[TASKS]}, (REQS, texts[REQS]), Config(), "kiro")
    return without_data({path: finding_key(result.findings_for(path)) for path in (TASKS, REQS)})


def tdi(path):
    return types.TextDocumentIdentifier(uri=URI[path])


def pos(p):
    return types.Position(line=p[0], character=p[1])


def check_views(ls, texts: dict[str, str], probes, paths=(TASKS, REQS)) -> None:
    """Every range any handler returns lies inside its document and never splits a pair."""
    for path in paths:
        text = texts[path]
        diags, version = diagnostics.diagnostics_for(ls, path)
        assert version == ls.state.docs[path].version
        for d in diags:
            check_range(text, d.range, f"diagnostic {d.code}")
            for rel in d.related_information or []:
                check_range(texts[_path(rel.location.uri)], rel.location.range, "related")
        for lens in code_lens.code_lens(ls, types.CodeLensParams(text_document=tdi(path))) or []:
            check_range(text, lens.range, "code lens")
            for arg in (lens.command.arguments or [])[2:3]:
                for loc in arg:
                    check_range(texts[_path(loc.uri)], loc.range, "lens location")
        _check_symbols(
            text, symbols.document_symbols(ls, types.DocumentSymbolParams(text_document=tdi(path))) or []
        )
        n = len(lsp_lines(text))
        for f in folding.folding_ranges(ls, types.FoldingRangeParams(text_document=tdi(path))) or []:
            assert 0 <= f.start_line <= f.end_line < n, f
        for h in (
            inlay_hints.inlay_hints(
                ls,
                types.InlayHintParams(
                    text_document=tdi(path), range=types.Range(start=pos((0, 0)), end=pos((n, 0)))
                ),
            )
            or []
        ):
            check_position(text, h.position.line, h.position.character, "inlay hint")
        for link in links.document_links(ls, types.DocumentLinkParams(text_document=tdi(path))) or []:
            check_range(text, link.range, "document link")
        data = semantic_tokens.semantic_tokens_full(
            ls, types.SemanticTokensParams(text_document=tdi(path))
        ).data
        line = char = 0
        for i in range(0, len(data), 5):
            dl, dc, length = data[i : i + 3]
            line, char = line + dl, (char + dc if dl == 0 else dc)
            check_position(text, line, char, "semantic token")
            check_position(text, line, char + length, "semantic token end")
        for p in probes:
            _check_at(ls, texts, path, p)


def _path(uri: str) -> str:
    return uri[len("file://") :]


def _check_symbols(text, syms) -> None:
    for s in syms:
        if isinstance(s, types.DocumentSymbol):
            check_range(text, s.range, "symbol")
            check_range(text, s.selection_range, "symbol selection")
            _check_symbols(text, s.children or [])
        else:
            check_range(text, s.location.range, "symbol information")


def _check_at(ls, texts, path, p) -> None:
    text = texts[path]
    got = hover.hover(ls, types.HoverParams(text_document=tdi(path), position=pos(p)))
    if got is not None and got.range is not None:
        check_range(text, got.range, "hover")
    for loc in (
        definition.definition(ls, types.DefinitionParams(text_document=tdi(path), position=pos(p))) or []
    ):
        check_range(texts[_path(loc.uri)], loc.range, "definition")
    for loc in (
        references.references(
            ls,
            types.ReferenceParams(
                text_document=tdi(path),
                position=pos(p),
                context=types.ReferenceContext(include_declaration=True),
            ),
        )
        or []
    ):
        check_range(texts[_path(loc.uri)], loc.range, "reference")
    try:
        target = rename.prepare_rename(
            ls, types.PrepareRenameParams(text_document=tdi(path), position=pos(p))
        )
        if target is not None:
            check_range(text, target.range, "prepare rename")
            edit = rename.rename(
                ls, types.RenameParams(text_document=tdi(path), position=pos(p), new_name="7")
            )
            for dc in edit.document_changes or []:
                for e in dc.edits:
                    check_range(texts[_path(dc.text_document.uri)], e.range, "rename edit")
    except RequestFailed:
        pass
    items = completion.completion(ls, types.CompletionParams(text_document=tdi(path), position=pos(p)))
    if isinstance(items, JsonResult):  # the fast path: already what cattrs would send
        items = get_converter().structure(items.value, types.CompletionList)
    for item in items.items if items else []:
        check_range(text, item.text_edit.range, "completion replace range")
        r = item.text_edit.range
        assert r.start.line == r.end.line == min(p[0], len(lsp_lines(text)) - 1), (item, p)
    diags, _ = diagnostics.diagnostics_for(ls, path)
    for only in (None, [types.CodeActionKind.Source]):
        actions = code_actions.code_actions(
            ls,
            types.CodeActionParams(
                text_document=tdi(path),
                range=types.Range(start=pos(p), end=pos((min(p[0] + 2, 2**31 - 1), p[1]))),
                context=types.CodeActionContext(diagnostics=diags, only=only),
            ),
        )
        for action in actions or []:
            for dc in action.edit.document_changes:
                assert dc.text_document.version == ls.state.docs[_path(dc.text_document.uri)].version
                target = texts[_path(dc.text_document.uri)]
                for e in dc.edits:
                    check_range(target, e.range, f"code action {action.title!r}")
                apply_text_edits(target, dc.edits)  # no overlapping edits


# ---- 1. incremental edits == from scratch, and every range inside the document ---------------------


@budget(400)
@given(
    tasks=document(),
    reqs=document(20),
    changes=st.lists(lsp_change(), max_size=8),
    probes=st.lists(st.tuples(COORD, COORD), min_size=1, max_size=3),
)
@example(
    tasks="\ufeff- [ ] 1. Task\r\n  - _Requirements: 1.1_\r\n",
    reqs="### Requirement 1\n1. THE s SHALL x\n",
    changes=[],
    probes=[(0, 4)],
)
@example(tasks="- [ ] 1. a\r", reqs="", changes=[(TASKS, (1, 0), (1, 0), "\n- [x] 2. b")], probes=[(0, 0)])
@example(
    tasks="\n- [ ] 1. Set up\n\n- [ ] 1. Set up\n  - _Requirements: _\n- [ ]  \n",
    reqs="\ufeff",
    changes=[],
    probes=[(0, 0)],
)  # an untitled task in a later block: its label once carried a block-relative line
@example(
    tasks="- [ ] 1. 😀\n",
    reqs="",
    changes=[(TASKS, (0, 10), (0, 10), "\ud83d"), (TASKS, (0, 11), (0, 11), "\ude00")],
    probes=[(0, 11)],
)
def test_edits_through_the_server_equal_a_fresh_state(tasks, reqs, changes, probes):
    ls = in_process_server()
    open_docs(ls, {TASKS: tasks, REQS: reqs})
    texts = {TASKS: utf16_text(tasks), REQS: utf16_text(reqs)}
    for path in texts:
        assert ls.state.docs[path].text == texts[path]
    state_findings(ls)
    for version, (path, start, end, new) in enumerate(changes, start=2):
        send_change(ls, path, start, end, new, version)
        texts[path] = utf16_text(new) if start is None else apply_lsp_edit(texts[path], start, end, new)
        doc = ls.state.docs[path]
        assert doc.text == texts[path], (start, end, new)
        assert list(doc.bodies) == lsp_lines(texts[path])
        assert doc.version == version
        state_findings(ls)  # analyse every version, as the server does
    got = state_findings(ls)
    fresh = in_process_server(slot=1)
    open_docs(fresh, texts)
    assert got == state_findings(fresh)
    assert without_data(got) == full_analysis(texts)
    check_views(ls, texts, probes)


@st.composite
def design_document(draw):
    """design.md: prose, headings, code fences and reference lines (Validates / _Requirements:_)."""
    lines = draw(
        st.lists(
            st.one_of(
                ref_line(),
                st.sampled_from(
                    FIXED
                    + [
                        "*For any* x, y holds.",
                        "## Correctness Properties",
                        "### Property 1: P",
                        "Prose ending in **Validates: Requirements 1.1, 9.9**",
                    ]
                ),
                noise,
            ),
            max_size=20,
        )
    )
    return "".join(line + draw(EOL) for line in lines)


@st.composite
def design_change(draw):
    path = draw(st.sampled_from([DESIGN, DESIGN, TASKS, REQS]))
    if draw(st.integers(0, 15)) == 0:
        return path, None, None, draw(design_document() if path == DESIGN else document(10))
    start = (draw(COORD), draw(COORD))
    end = start if draw(st.booleans()) else (min(start[0] + draw(st.integers(0, 3)), 2**31 - 1), draw(COORD))
    return path, start, end, draw(NEW_TEXT)


@budget(150)
@given(
    tasks=document(15),
    reqs=document(20),
    design=design_document(),
    changes=st.lists(design_change(), max_size=6),
    probes=st.lists(st.tuples(COORD, COORD), min_size=1, max_size=3),
)
@example(
    tasks="- [ ] 1. T\n  - _Requirements: 1.1_\n",
    reqs="### Requirement 1: A\n\n1. THE s SHALL x\n",
    design="**Validates: Requirements 1.2., TBD**\n",
    changes=[(REQS, (2, 16), (2, 16), "\n2. THE s SHALL y")],
    probes=[(0, 27)],
)
def test_design_edits_through_the_server_equal_a_fresh_state(tasks, reqs, design, changes, probes):
    """design.md open beside tasks.md and requirements.md, all three edited at random: the
    server's findings for each equal a fresh server's and analysis.analyze's, and every range
    any handler returns on design.md lies inside it."""
    paths = (TASKS, REQS, DESIGN)
    ls = in_process_server()
    open_docs(ls, {TASKS: tasks, REQS: reqs, DESIGN: design})
    texts = {TASKS: utf16_text(tasks), REQS: utf16_text(reqs), DESIGN: utf16_text(design)}
    state_findings(ls, paths)
    for version, (path, start, end, new) in enumerate(changes, start=2):
        send_change(ls, path, start, end, new, version)
        texts[path] = utf16_text(new) if start is None else apply_lsp_edit(texts[path], start, end, new)
        assert ls.state.docs[path].text == texts[path]
        state_findings(ls, paths)
    got = state_findings(ls, paths)
    fresh = in_process_server(slot=1)
    open_docs(fresh, texts)
    assert got == state_findings(fresh, paths)
    result = analyze(
        {TASKS: texts[TASKS]}, (REQS, texts[REQS]), Config(), "kiro", design=(DESIGN, texts[DESIGN])
    )
    assert without_data(got) == without_data({p: finding_key(result.findings_for(p)) for p in paths})
    check_views(ls, texts, probes, paths=(DESIGN,))


# ---- 2. toggles: one glyph changes; toggling twice restores the exact bytes -----------------------

TOGGLE_LINE = st.one_of(
    task_line(),
    st.builds(
        lambda ind, box, opt, ident, title: f"{ind}- {box}{opt} {ident} {title}",
        st.sampled_from(["", "  ", "    "]),
        st.sampled_from(["[ ]", "[x]", "[X]", "[-]", "[~]"]),
        st.sampled_from(["", "*", "\\*"]),
        st.sampled_from(["1.", "1.1", "2.", "2.1", "2.1.1", ""]),
        st.sampled_from(["emoji 😀 👨‍👩‍👧", "日本語", "plain", "tab\there", "**bold**", "`code`"]),
    ),
    ref_line(),
    st.sampled_from(["", "```", "    code", "## Tasks"]),
)


@st.composite
def toggle_document(draw):
    eol = draw(st.sampled_from(["\n", "\r\n", "\r", None]))
    lines = draw(st.lists(TOGGLE_LINE, min_size=1, max_size=25))
    return "".join(line + (eol or draw(EOL)) for line in lines)


GLYPHS = set(Config().status_glyphs)


def one_glyph_changed(before: str, after: str) -> tuple[int, str, str]:
    """The single code point that differs (the texts have the same length), checked to be a
    status glyph between brackets on both sides."""
    assert len(before) == len(after), (before, after)
    diff = [i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b]
    assert len(diff) == 1, diff
    i = diff[0]
    assert before[i - 1] == "[" and before[i + 1] == "]", before[i - 3 : i + 4]
    assert before[i] in GLYPHS and after[i] in GLYPHS, (before[i], after[i])
    return i, before[i], after[i]


def restored_or_habit(text: str, twice: str, cfg: Config) -> bool:
    """Toggling twice gives the exact bytes back — except that a done glyph comes back in the
    document's habit (glyph_for: the most common done glyph of the other tasks, else `x`):
    after the first toggle the task no longer says which one it had. A not-done state other
    than `[ ]` (in progress, queued) comes back as `[ ]`."""
    if twice == text:
        return True
    i, old, new = one_glyph_changed(text, twice)
    if old in ("x", "X"):
        middle = twice[:i] + " " + twice[i + 1 :]
        return new == glyph_for(Status.DONE, parse_tasks(middle, "tasks.md", cfg), cfg)
    return old != " " and new == " "


@budget(250)
@given(toggle_document())
@example("- [ ] 1. x\r\n  - [x]* 1.1 😀 y\r\n")
@example("- [x]\\* 2. 日本語\r- [ ] 2.1 z\r")
def test_core_toggle_changes_only_the_glyph_and_twice_restores(text):
    cfg = Config()
    doc = parse_tasks(text, "tasks.md", cfg)
    for task in doc.tasks:
        edit = toggle(doc, task.line, cfg)
        if edit is None:
            assert task.glyph_span is None
            continue
        assert edit.span.line == edit.span.end_line == task.line and edit.span.end_col == edit.span.col + 1
        once = apply_lsp_edit(text, *_utf16(doc.lines, edit.span), edit.new_text)
        one_glyph_changed(text, once)
        again_doc = parse_tasks(once, "tasks.md", cfg)
        back = toggle(again_doc, task.line, cfg)
        assert back is not None
        twice = apply_lsp_edit(once, *_utf16(again_doc.lines, back.span), back.new_text)
        assert restored_or_habit(text, twice, cfg)
        if task.glyph == " ":
            assert twice == text


def _utf16(lines, span):
    codec = Codec("utf-16")
    return (
        (span.line, codec.to_client(lines[span.line], span.col)),
        (span.end_line, codec.to_client(lines[span.end_line], span.end_col)),
    )


TOGGLE_TITLE = re.compile(r"Mark task .* (not )?done")


def _toggles(actions):
    return [a for a in actions if TOGGLE_TITLE.fullmatch(a.title) and "sub-tasks" not in a.title]


@budget(200)
@given(toggle_document(), st.lists(st.integers(0, 30), min_size=1, max_size=4))
@example(
    "\n- [X] 1. Set up\n\n- [X] 1. emoji 😀 👨\u200d👩\u200d👧\n", [1]
)  # long profile: the habit of one block
def test_toggle_code_actions_through_the_server(text, lines):
    """The code actions the server offers on a line edit only glyphs; applying the toggle and
    then the server's toggle on the new text gives the original bytes back."""
    text = utf16_text(text)
    ls = in_process_server()
    sync.did_open(
        ls,
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=URI[TASKS], language_id="markdown", version=1, text=text)
        ),
    )
    version = 1

    def apply(edits):
        nonlocal version, text
        version += 1
        text = apply_text_edits(text, edits)
        sync.did_change(
            ls,
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=URI[TASKS], version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                    for e in sorted(
                        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
                    )
                ],
            ),
        )
        assert ls.state.docs[TASKS].text == text

    for line in lines:
        actions = _actions_at(ls, line)
        for action in actions:
            if action.kind != types.CodeActionKind.RefactorRewrite:
                continue
            (dc,) = action.edit.document_changes
            assert dc.text_document.version == version
            after = apply_text_edits(text, dc.edits)
            assert len(after) == len(text)
            for i in (i for i, (a, b) in enumerate(zip(text, after, strict=False)) if a != b):
                assert text[i - 1] == "[" and text[i + 1] == "]" and after[i] in GLYPHS
        toggles = _toggles(actions)
        if not toggles:
            continue
        before = text
        (dc,) = toggles[0].edit.document_changes
        apply(dc.edits)
        i, old, _new = one_glyph_changed(before, text)
        back = _toggles(_actions_at(ls, dc.edits[0].range.start.line))
        assert back, f"no toggle back on line {dc.edits[0].range.start.line}"
        (dc2,) = back[0].edit.document_changes
        assert dc2.text_document.version == version
        apply(dc2.edits)
        assert restored_or_habit(before, text, Config())
        if old == " ":
            assert text == before


def _actions_at(ls, line: int):
    diags, _ = diagnostics.diagnostics_for(ls, TASKS)
    return (
        code_actions.code_actions(
            ls,
            types.CodeActionParams(
                text_document=tdi(TASKS),
                range=types.Range(start=pos((line, 0)), end=pos((line, 0))),
                context=types.CodeActionContext(diagnostics=diags),
            ),
        )
        or []
    )


# ---- 3. position encodings: conversions round-trip and never split a character -----------------------


@budget(150)
@given(st.lists(st.sampled_from(HOSTILE + ["a", "é", " "]), max_size=20).map("".join), st.integers(0, 45))
@example("a😀b", 2)
@example("\ud83d\ude00", 1)
def test_codec_round_trips_and_rounds_down_inside_a_character(line, units):
    line = utf16_text(line)  # what the document store holds (core/document.join_surrogates)
    for enc in ("utf-16", "utf-8", "utf-32"):
        codec = Codec(enc)
        for col in range(len(line) + 1):
            assert codec.from_client(line, codec.to_client(line, col)) == col
        col = codec.from_client(line, units)
        assert 0 <= col <= len(line)
        assert codec.to_client(line, col) <= max(units, 0) or col == 0
    check_position(line, 0, Codec("utf-16").to_client(line, Codec("utf-16").from_client(line, units)))
    assert Codec("utf-16").to_client(line, len(line)) == utf16_units(line)

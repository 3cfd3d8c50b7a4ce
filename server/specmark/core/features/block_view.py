"""Code actions, completion and the toggle command on the block of a tasks document that holds
the lines asked about.

The server answers these from the block the incremental engine parsed (`State.block_view`:
the block's TasksDoc, whose lines count from the block's first line, and that line's number
in the document), which keeps them cheap on large documents. These functions take and give
document lines: the block's coordinates never leave this module.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..config import Config
from ..incremental import shift_finding
from ..model import Finding, RequirementsDoc, Span, TasksDoc
from .completion import CompletionEntry, complete
from .edits import Action, Edit
from .quickfix import quick_fixes
from .toggle import toggle, toggle_actions, why_no_toggle


def _moved(action: Action, off: int) -> Action:
    if off:
        action.edits = [Edit(e.path, e.span.shifted(off), e.new_text) for e in action.edits]
        action.fix_lines = tuple(n + off for n in action.fix_lines)
    return action


def line_actions(
    block: TasksDoc,
    off: int,
    findings: Sequence[Finding],
    start: int,
    end: int,
    start_col: int,
    config: Config,
    known: set[str],
    eol: str,
    habit: str | None,
    max_fixed: int,
) -> list[Action]:
    """The quick fixes of `findings` on lines start..end (at most `max_fixed` findings, the ones
    nearest the cursor at (start, start_col)), then the checkbox toggles of those lines."""
    near = [shift_finding(f, -off) for f in findings if start <= f.span.line <= end]
    if len(near) > max_fixed:
        # a line citing 100,000 unknown IDs would otherwise be answered with 300,000 actions
        # (seconds of work and a response of hundreds of MB)
        at = (start - off, start_col)
        near.sort(
            key=lambda f: (
                abs(f.span.line - at[0]),
                0 if f.span.col <= at[1] <= f.span.end_col else abs(f.span.col - at[1]),
            )
        )
        near = near[:max_fixed]
    fixes = quick_fixes(block, near, start - off, end - off, config, known, eol, habit)
    toggles = toggle_actions(block, start - off, end - off, config, habit)
    return [_moved(a, off) for a in fixes + toggles]


def completion_at(
    block: TasksDoc,
    off: int,
    req: RequirementsDoc | None,
    line: int,
    col: int,
    labels: tuple[str, ...],
    limit: int | None,
) -> list[CompletionEntry] | None:
    """`completion.complete` at document position (line, col); the entries' `replace` spans are
    document lines."""
    entries = complete(block, req, block.lines, line - off, col, labels, limit=limit)
    if not off or not entries:
        return entries
    moved: dict[Span, Span] = {}  # every entry replaces the same span: move it once
    out = []
    for e in entries:
        span = moved.get(e.replace)
        if span is None:
            span = moved[e.replace] = e.replace.shifted(off)
        out.append(e._replace(replace=span))
    return out


def toggle_at(
    block: TasksDoc, off: int, line: int, config: Config, habit: str | None
) -> tuple[Edit | None, str]:
    """(the edit that toggles the task on document `line`, "") or (None, why there is none)."""
    edit = toggle(block, line - off, config, habit)
    if edit is None:
        return None, why_no_toggle(block, line - off, off)
    return Edit(edit.path, edit.span.shifted(off), edit.new_text), ""

"""Rename a requirement ID: the heading and every reference to it in every tasks document of
the spec and in its design.md (`**Validates: Requirements …**`), in one edit. Renaming requirement 3 to 4 also rewrites criterion references
(3.2 → 4.2) and range ends (2-3 → 2-4); a range whose meaning would change (another ID now
falls between its ends) is written out as a list instead.

A task ID (on its line or where a dependency names it) is renamed by rename_task.py.

Refused, with a message that says why: a new ID that already exists, a new ID of the wrong
shape, criterion IDs derived from their position (rename the requirement instead), bugfix
groups (their IDs are only written in their criteria), whole-spec references.
"""

from __future__ import annotations

import os
import re

from ...analysis import SpecResult
from ...design import DesignDoc
from ...ids import id_key
from ...model import Criterion, Record, RefKind, Requirement, RequirementKind, Span
from ...refs import normalise_id
from ..edits import Edit
from .common import requirement_items, sort_ids, target_at
from .rename_task import TaskRenameError, prepare_task_rename, rename_task

TYPE_CHECKING = False  # not `typing`'s: no import at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ...coverage import Resolver
    from ...model import RefItem


class RenameError(ValueError):
    """The position cannot be renamed, or not to that name; the message says why."""


class RenameTarget(Record, frozen=True):
    span: Span  # what the editor highlights for the rename
    placeholder: str  # the current ID
    requirement: Requirement | None  # the requirement renamed (None for a written criterion)
    criterion: Criterion | None = None


_NUMERIC = re.compile(r"^\d+[A-Z]?$")
_PREFIXED = re.compile(r"^(REQ|NFR|FR|SC)-(\d+)$")
_STORY = re.compile(r"^US(\d+)$")
_CRITERION = re.compile(r"^\d+[A-Z]?\.\d+$")
_LEADING_WORD = re.compile(
    r"^(?:(?:Requirement|Req\.?|User Story|Story)[ \t]+|(?:要件|需求|要求|요구사항)[ \t]*)", re.I
)


def prepare_rename(result: SpecResult | None, path: str, line: int, col: int) -> RenameTarget | None:
    """What a rename at (line, col) would rename; None when nothing is there; RenameError when
    something is there that cannot be renamed."""
    target = target_at(result, path, line, col)
    if target is None or result is None:
        return None
    if target.kind in ("task", "depends"):
        if not target.ident:
            return None
        try:
            span = prepare_task_rename(result, target.ident, path)
        except TaskRenameError as exc:
            raise RenameError(str(exc)) from None
        if target.kind == "depends":
            span = target.span
        return RenameTarget(span, target.ident, None)
    req_name = (
        os.path.basename(result.requirements.path) if result.requirements else "the requirements document"
    )
    if target.kind == "reference":
        tok = target.token
        assert tok is not None
        if tok.part == "all":
            raise RenameError(f'"{tok.raw}" is a whole-spec reference, not a requirement ID')
        if target.ident is None:
            raise RenameError(f"{tok.raw} is not defined in {req_name}: there is nothing to rename")
        span = tok.span
    else:
        span = target.span
    req, crit = target.requirement, target.criterion
    if crit is not None:
        if crit.derived:
            raise RenameError(
                f"Criterion {crit.id} cannot be renamed: criterion IDs are derived from their position under "
                f"Requirement {crit.requirement} (they are not written in {req_name}). Rename Requirement "
                f"{crit.requirement} instead, or reorder its criteria"
            )
        if target.kind == "criterion":
            span = Span.on_line(crit.line, crit.span.col, crit.span.col + len(crit.id))
        return RenameTarget(span, crit.id, None, crit)
    if req is None:
        return None
    if req.kind == RequirementKind.BUGFIX_GROUP:
        raise RenameError(
            f"Group {req.id} of {req_name} has no written ID of its own: its IDs are written in "
            f"its criteria ({req.id}.1, …); rename those instead"
        )
    if target.kind == "requirement":
        span = req.id_span
    return RenameTarget(span, req.id, req)


def normalise_new_id(old: str, new_name: str) -> str:
    """The new ID in the form of the old one; RenameError when it cannot be one."""
    raw = _LEADING_WORD.sub("", new_name.strip()).strip().strip("*_`").strip()
    if not raw:
        raise RenameError("The new ID is empty")
    pm = _PREFIXED.match(old)
    if _STORY.match(old):
        shape, digits = _STORY, f"US{raw}"
        advice = "is not a user story ID: use US<number>, such as US4"
    elif pm:
        shape, digits = _PREFIXED, f"{pm.group(1)}-{raw.zfill(len(pm.group(2)))}"
        advice = f"is not an ID like {old}: use {pm.group(1)}-<number>"
    elif _CRITERION.match(old):
        shape, digits = _CRITERION, raw
        advice = f"is not a criterion ID like {old}: use <group>.<number>, such as 2.3"
    else:
        shape, digits = _NUMERIC, raw
        advice = f"is not a requirement ID like {old}: use a number (optionally with a letter, such as 27C)"
    new = normalise_id(digits if raw.isdigit() else raw)  # bare digits take the old ID's form
    if not shape.match(new):
        raise RenameError(f"{new_name!r} {advice}")
    return new


def rename(
    result: SpecResult | None, path: str, line: int, col: int, new_name: str, design: DesignDoc | None = None
) -> list[Edit]:
    """The edits that rename the requirement (or written criterion) at (line, col) to `new_name`,
    in the requirements document, every tasks document of the spec and its design.md."""
    target = target_at(result, path, line, col)
    if result is not None and target is not None and target.kind in ("task", "depends") and target.ident:
        try:
            return rename_task(result, target.ident, path, new_name)
        except TaskRenameError as exc:
            raise RenameError(str(exc)) from None
    rt = prepare_rename(result, path, line, col)
    if rt is None or result is None or result.requirements is None:
        raise RenameError("There is no requirement ID here to rename")
    old = rt.placeholder
    new = normalise_new_id(old, new_name)
    if new == old:
        return []
    req_doc = result.requirements
    resolver = result.resolver

    def mapped(ident: str) -> str | None:
        if ident == old:
            return new
        if rt.requirement is not None and ident.upper().startswith(old.upper() + "."):
            return new + ident[len(old) :]
        return None

    # collisions: the new ID, and (for a requirement) the criteria it brings along
    what = (
        "User story"
        if rt.requirement is not None and rt.requirement.kind == RequirementKind.STORY
        else "Criterion"
        if rt.criterion is not None
        else "Requirement"
    )
    clash = resolver.lookup(new)
    if clash is not None:
        raise RenameError(
            f"{what} {clash.id} already exists (line {clash.line + 1} of "
            f"{os.path.basename(req_doc.path)}); choose an ID that is not used"
        )
    for ident in list(resolver.index):
        m = mapped(ident)
        if m is not None and m != new and resolver.lookup(m) is not None and mapped(m) is None:
            raise RenameError(f"{m} already exists in {os.path.basename(req_doc.path)}; choose another ID")

    edits: list[Edit] = []
    # the declaration
    if rt.criterion is not None:
        c = rt.criterion
        edits.append(Edit(req_doc.path, Span.on_line(c.line, c.span.col, c.span.col + len(c.id)), new))
    else:
        req = rt.requirement
        assert req is not None
        written = req_doc.lines[req.id_span.line][req.id_span.col : req.id_span.end_col]
        heading_text = (
            new[2:] if req.kind == RequirementKind.STORY and not written.upper().startswith("US") else new
        )
        edits.append(Edit(req_doc.path, req.id_span, heading_text))

    new_order = sorted({(mapped(i) or i) for i in resolver.index}, key=id_key)

    def rewrite(doc_path: str, lines: list[str], items: Iterable[RefItem]) -> None:
        for item in items:
            if item.kind is RefKind.ID and item.start:
                m = mapped(resolver.canonical(item.start) or item.start)
                if m is not None and item.start_span is not None:
                    edits.append(Edit(doc_path, item.start_span, _written(lines, item.start_span, m)))
            elif item.kind is RefKind.RANGE and item.start and item.end:
                edits.extend(_range_edits(doc_path, lines, item, resolver, mapped, new_order))

    for doc in result.tasks:
        for task in doc.tasks:
            rewrite(doc.path, doc.lines, requirement_items(task))
    if design is not None:
        for ref in design.refs:
            rewrite(design.path, design.lines, ref.items)
    return edits


def _written(lines: list[str], span: Span, new: str) -> str:
    """`new` in the written style of the token at `span` (a trailing dot, an R prefix)."""
    text = lines[span.line][span.col : span.end_col] if 0 <= span.line < len(lines) else ""
    out = new
    if text[:1] in "Rr" and text[1:2].isdigit() and new[:1].isdigit():
        out = text[0] + out
    if text.endswith(".") and not out.endswith("."):
        out += "."
    return out


def _between(ordered: list[str], a: str, b: str) -> list[str]:
    """Resolver.between over an arbitrary ordered ID list."""
    ka, kb = id_key(a), id_key(b)
    if ka > kb:
        ka, kb = kb, ka
    depth = a.count(".")
    same_depth = depth == b.count(".")
    return [i for i in ordered if ka <= id_key(i) <= kb and (not same_depth or i.count(".") == depth)]


def _range_edits(
    path: str,
    lines: list[str],
    item: RefItem,
    resolver: Resolver,
    mapped: Callable[[str], str | None],
    new_order: list[str],
) -> list[Edit]:
    start, end = item.start or "", item.end or ""  # (a range has both ends)
    a = resolver.canonical(start) or start
    b = resolver.canonical(end) or end
    ma, mb = mapped(a), mapped(b)
    known = resolver.canonical(start) is not None and resolver.canonical(end) is not None
    if known:
        old_targets = resolver.between(a, b)
        expected = {(mapped(t) or t) for t in old_targets}
        if set(_between(new_order, ma or a, mb or b)) != expected:
            # the ends would now enclose other IDs (or lose some): list the IDs instead
            span = (
                Span.on_line(item.start_span.line, item.start_span.col, item.end_span.end_col)
                if item.start_span is not None and item.end_span is not None
                else item.span
            )
            return [Edit(path, span, ", ".join(sort_ids(expected)))]
    out = []
    if ma is not None and item.start_span is not None:
        out.append(Edit(path, item.start_span, _written(lines, item.start_span, ma)))
    if mb is not None and item.end_span is not None:
        out.append(Edit(path, item.end_span, _written(lines, item.end_span, mb)))
    return out

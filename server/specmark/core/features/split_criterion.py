"""Split a compound criterion (a wording-compound finding on a second SHALL/MUST) into two
criteria, and keep every reference valid.

`2. WHEN x, THE system SHALL a and SHALL b` becomes `2. WHEN x, THE system SHALL a` and
`3. WHEN x, THE system SHALL b` (the condition and subject are repeated when the second modal
has none of its own; a second modal with its own subject starts the new criterion). The list
numbers written after it move down by one. Criterion IDs are derived from their position, so
in every tasks document and design.md of the spec: a reference to a later criterion of the same
requirement moves with it (1.3 → 1.4), a reference to the split criterion names both halves
(1.2 → 1.2, 1.3), and range ends follow (1.1-1.3 → 1.1-1.4). Only the digits change.

Offered for derived criterion IDs (Kiro / cc-sdd / spec-workflow numbered lists); written IDs
(bugfix.md's `2.1 WHEN …`) are not split.
"""

from __future__ import annotations

import re

from ..model import Criterion, Finding, RefKind, RefLine, RequirementsDoc, Span, TasksDoc
from .edits import Action, Edit

TYPE_CHECKING = False  # not `typing`'s: no import at run time
if TYPE_CHECKING:
    from ..design import DesignDoc

    # (path, reference lines, document lines) of a document that cites requirements
    Citing = tuple[str, list[RefLine], list[str]]

KIND = "refactor.rewrite"
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<num>\d{1,9})(?P<sep>[.)])(?P<gap>[ \t]+)")
_SEPARATOR = re.compile(r"(?:\s*[,;]\s*and\s+|\s*[,;]\s+|\s+and\s+)$", re.I)
_LAST_NUMBER = re.compile(r"(\d+)(?=\D*$)")


def _criterion_at(req: RequirementsDoc, line: int) -> tuple[str, list[Criterion], int] | None:
    for r in req.requirements:
        for i, c in enumerate(r.criteria):
            if c.line == line:
                return r.id, r.criteria, i
    return None


def _halves(text: str, second: int) -> tuple[str, str] | None:
    """The two criteria of `text` split at the second modal starting at offset `second`."""
    before = text[:second]
    sep = _SEPARATOR.search(before)
    if sep is not None:
        first = before[: sep.start()].rstrip()
        rest = text[second:]
        first_modal = re.search(r"(?<![\w-])(SHALL|MUST)(?![\w-])", first, re.I)
        if first_modal is None:
            return None
        return first, before[: first_modal.start()] + rest  # repeat the condition and subject
    # the second modal has its own subject: split at the last clause break before it
    cut = max(before.rfind("; "), before.rfind(", and "), before.rfind(" and "))
    if cut <= 0:
        return None
    first = before[:cut].rstrip(" ,;")
    rest = text[cut:].lstrip(" ,;")
    if rest.lower().startswith("and "):
        rest = rest[4:]
    return first, rest[:1].upper() + rest[1:]


def split_action(
    req: RequirementsDoc, finding: Finding, citing: list[Citing], eol: str = "\n"
) -> Action | None:
    """The "Split into two criteria" action for a wording-compound finding on a second modal.
    `citing`: (path, reference lines, document lines) of every tasks document and design.md of
    the spec (`citing_documents`)."""
    term = (finding.data or {}).get("term", "")
    if finding.code != "wording-compound" or term.lower() not in ("shall", "must"):
        return None
    found = _criterion_at(req, finding.span.line)
    if found is None:
        return None
    rid, criteria, index = found
    crit = criteria[index]
    if not crit.derived:
        return None
    line = req.lines[crit.line]
    item = _ITEM.match(line)
    col = line.find(crit.text)
    if item is None or col < 0:
        return None
    halves = _halves(crit.text, finding.span.col - col)
    if halves is None:
        return None
    first, second = halves
    indent, num, sep, gap = item.group("indent"), int(item.group("num")), item.group("sep"), item.group("gap")
    numbered = [_ITEM.match(req.lines[c.line]) for c in criteria]
    nums = [int(m.group("num")) for m in numbered if m is not None]
    sequential = len(nums) == len(numbered) and nums == list(range(nums[0], nums[0] + len(criteria)))
    new_num = num + 1 if sequential else num
    edits = [
        Edit(
            req.path,
            Span.on_line(crit.line, col, col + len(crit.text)),
            f"{first}{eol}{indent}{new_num}{sep}{gap}{second}",
        )
    ]
    if sequential:
        for c, m in zip(criteria[index + 1 :], numbered[index + 1 :], strict=True):
            assert m is not None
            edits.append(
                Edit(
                    req.path, Span.on_line(c.line, m.start("num"), m.end("num")), str(int(m.group("num")) + 1)
                )
            )
    position = index + 1  # the split criterion is rid.position
    edits += _reference_edits(rid, position, citing)
    return Action(
        f"Split criterion {crit.id} into two criteria",
        KIND,
        edits,
        (finding.code,),
        (finding.span.line,),
    )


def _criterion_number(ident: str | None, rid: str) -> int | None:
    if not ident or "." not in ident:
        return None
    head, _, tail = ident.rpartition(".")
    return int(tail) if head == rid and tail.isdigit() else None


def _bumped(written: str) -> str:
    return _LAST_NUMBER.sub(lambda m: str(int(m.group(1)) + 1), written, count=1)


def citing_documents(tasks_docs: list[TasksDoc], design: DesignDoc | None) -> list[Citing]:
    """(path, reference lines, lines) of the spec's tasks documents and design.md."""
    out = [(doc.path, [ref for task in doc.tasks for ref in task.refs], doc.lines) for doc in tasks_docs]
    if design is not None:
        out.append((design.path, list(design.refs), design.lines))
    return out


def _reference_edits(rid: str, position: int, citing: list[Citing]) -> list[Edit]:
    out = []
    for path, refs, lines in citing:
        for ref in refs:
            for item in ref.items:
                if item.kind is RefKind.ID:
                    n = _criterion_number(item.start, rid)
                    if n is None or n < position:
                        continue
                    span = item.start_span or item.span
                    written = lines[span.line][span.col : span.end_col]
                    if n == position:
                        out.append(Edit(path, span, f"{written}, {_bumped(written)}"))
                    else:
                        out.append(Edit(path, span, _bumped(written)))
                elif item.kind is RefKind.RANGE:
                    a, b = _criterion_number(item.start, rid), _criterion_number(item.end, rid)
                    if a is not None and a > position and item.start_span is not None:
                        span = item.start_span
                        out.append(Edit(path, span, _bumped(lines[span.line][span.col : span.end_col])))
                    if b is not None and b >= position and item.end_span is not None:
                        span = item.end_span
                        out.append(Edit(path, span, _bumped(lines[span.line][span.col : span.end_col])))
    return out

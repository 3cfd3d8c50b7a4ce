"""Editor features on OpenSpec documents (core/openspec.py reads them): requirements are named,
and a delta's requirement is its base spec's requirement of the same name.

- symbols: the requirements with their scenarios (a delta's grouped under their section);
- hover on a requirement name in a delta: the base requirement's statement and scenarios (for
  MODIFIED, what the delta changes: the statement before and after, scenarios added or dropped);
- definition: from a delta's requirement to the base one; references: from a base requirement
  to every delta that names it, in every change;
- completion of the base spec's requirement names after `### Requirement:` in a MODIFIED,
  REMOVED or RENAMED section, and after `FROM:`;
- code actions: add a `#### Scenario:` skeleton to a requirement without one; turn a scenario
  written as a bullet (`- **Scenario: x**`) or under another header level into `#### Scenario: x`;
- rename of a requirement in a base spec: its header and every delta that names it.

`read(path)` gives another document's text (open in the editor, else on disk), or None.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from ..model import Record, Span, factory
from ..openspec import (
    _REQUIREMENT,
    Block,
    Delta,
    DocumentKind,
    base_requirements,
    change_folders,
    delta_files,
    document_kind,
    fence_mask,
    normalise_name,
    split_text,
)
from .edits import Action, Edit

Reader = Callable[[str], "str | None"]  # another document's text (open, else on disk), or None

_NAME_LINE = re.compile(
    r"^(?P<lead>\s*(?:[-*+]\s*)?(?:(?:FROM|TO):\s*)?`?###\s*Requirement:\s*)(?P<name>.+?)(?P<tail>`?\s*)$",
    re.I,
)
_WRONG_SCENARIO = re.compile(
    r"^(?P<indent>\s*)(?:[-*+]\s*\*\*Scenario:?\s*(?P<a>.*?)\*\*\s*:?\s*(?P<rest>.*)|(?P<hashes>#{1,3}|#{5,6})\s*Scenario:?\s*(?P<b>.*))$",
    re.I,
)


class NamedRef(Record):
    """A requirement name written in an OpenSpec document."""

    path: str
    line: int
    col: int
    end: int
    name: str
    section: str | None  # "ADDED", "MODIFIED", "REMOVED", "RENAMED" in a delta; None in a spec
    side: str | None = None  # "FROM" / "TO" in RENAMED


class OsSymbol(Record):
    name: str
    detail: str
    kind: str  # "requirement" | "scenario" | "section"
    span: Span
    selection: Span
    children: list[OsSymbol] = factory(list)


def names_in(path: str, text: str) -> list[NamedRef]:
    """Every requirement name written in the document, with its section."""
    lines = split_text(text)
    mask = fence_mask(lines)
    out = []
    section = None
    for i, line in enumerate(lines):
        if mask[i]:
            continue
        if line.startswith("## "):
            m = re.match(r"^##\s+(ADDED|MODIFIED|REMOVED|RENAMED)\s+Requirements\s*$", line, re.I)
            section = m.group(1).upper() if m else None
            continue
        m = _NAME_LINE.match(line)
        if m is None:
            continue
        side = None
        stripped = line.lstrip(" -*+")
        if stripped.upper().startswith("FROM:"):
            side = "FROM"
        elif stripped.upper().startswith("TO:"):
            side = "TO"
        name = normalise_name(m.group("name"))
        col = m.start("name")
        out.append(NamedRef(path, i, col, col + len(name), name, section, side))
    return out


def _base_path(root: str, capability: str) -> str:
    return os.path.join(root, "specs", *capability.split("/"), "spec.md")


def name_at(path: str, text: str, line: int, col: int) -> NamedRef | None:
    for ref in names_in(path, text):
        if ref.line == line and ref.col <= col <= ref.end:
            return ref
    return None


def _block_span(block: Block) -> Span:
    last = block.line + len(block.lines) - 1
    return Span(block.line, 0, last, len(block.lines[-1]))


def symbols(path: str, text: str) -> list[OsSymbol]:
    kind = document_kind(path)
    if kind is None or kind[0] == DocumentKind.PROPOSAL:
        return []
    lines = split_text(text)

    def req_symbol(block: Block) -> OsSymbol:
        sel = Span(block.line, block.name_col, block.line, block.name_col + len(block.name))
        kids = [
            OsSymbol(
                name,
                "scenario",
                "scenario",
                Span(line, 0, line, len(lines[line])),
                Span(line, 0, line, len(lines[line])),
            )
            for line, name, _body in block.scenarios()
        ]
        statement = block.text().split("\n")[0]
        return OsSymbol(block.name, statement[:80], "requirement", _block_span(block), sel, kids)

    if kind[0] == DocumentKind.SPEC:
        return [req_symbol(b) for b in base_requirements(text).values()]
    delta = Delta(text)
    out = []
    for op, start in sorted(delta.present.items(), key=lambda kv: kv[1]):
        section_end = next(e for s, _t, e in delta.sections if s == start)
        children: list[OsSymbol] = []
        if op in ("ADDED", "MODIFIED"):
            children = [
                req_symbol(b)
                for b in (delta.added if op == "ADDED" else delta.modified)
                if start < b.line < section_end
            ]
        elif op == "REMOVED":
            children = [
                OsSymbol(
                    n,
                    "removed",
                    "requirement",
                    Span(ln, 0, ln, len(lines[ln])),
                    Span(ln, 0, ln, len(lines[ln])),
                )
                for ln, n in delta.removed
                if start < ln < section_end
            ]
        else:
            children = [
                OsSymbol(
                    f"{frm} → {to}",
                    "renamed",
                    "requirement",
                    Span(fl, 0, tl, len(lines[tl])),
                    Span(fl, 0, fl, len(lines[fl])),
                )
                for fl, frm, tl, to in delta.renamed
                if start < fl < section_end
            ]
        last = max(section_end - 1, start)
        out.append(
            OsSymbol(
                f"{op} Requirements",
                f"{len(children)}",
                "section",
                Span(start, 0, last, len(lines[last]) if last < len(lines) else 0),
                Span(start, 0, start, len(lines[start])),
                children,
            )
        )
    return out


def hover(path: str, text: str, line: int, col: int, read: Reader) -> tuple[str, Span] | None:
    """Markdown for a requirement name in a delta: the base requirement (and for MODIFIED, what
    changes)."""
    kind = document_kind(path)
    ref = name_at(path, text, line, col)
    if kind is None or ref is None:
        return None
    span = Span(ref.line, ref.col, ref.line, ref.end)
    if kind[0] == DocumentKind.SPEC:
        users = references_of(path, ref.name, read)
        changes = sorted(
            {os.path.basename(os.path.dirname(os.path.dirname(os.path.dirname(u.path)))) for u in users}
        )
        where = ", ".join(changes) if changes else "no open change"
        return f"**Requirement: {ref.name}**\n\nChanged by: {where}", span
    if kind[0] != DocumentKind.DELTA:
        return None
    base_text = read(_base_path(kind[1], kind[2]))
    base = base_requirements(base_text) if base_text is not None else {}
    lookup = ref.name
    block = base.get(lookup)
    if block is None:
        if ref.section == "ADDED" or ref.side == "TO":
            return f"**Requirement: {ref.name}** — new in `{kind[2]}`", span
        return f"**Requirement: {ref.name}** — not in the base spec `openspec/specs/{kind[2]}/spec.md`", span
    statement = block.text()
    scenarios = [name for _l, name, _b in block.scenarios()]
    md = [f"**Requirement: {block.name}** (`openspec/specs/{kind[2]}/spec.md`)", "", statement]
    if scenarios:
        md += ["", "Scenarios: " + ", ".join(scenarios)]
    if ref.section == "MODIFIED":
        mine = next((b for b in Delta(text).modified if b.line == ref.line), None)
        if mine is not None:
            new = mine.text()
            ours = [name for _l, name, _b in mine.scenarios()]
            md += [
                "",
                "---",
                "",
                "**This delta changes it to:**",
                "",
                new if new != statement else "(statement unchanged)",
            ]
            added = [s for s in ours if s not in scenarios]
            dropped = [s for s in scenarios if s not in ours]
            if added:
                md.append("\nScenarios added: " + ", ".join(added))
            if dropped:
                md.append("\nScenarios dropped: " + ", ".join(dropped))
    return "\n".join(md), span


def definition(path: str, text: str, line: int, col: int, read: Reader) -> NamedRef | None:
    """The base requirement's header for a name in a delta."""
    kind = document_kind(path)
    ref = name_at(path, text, line, col)
    if kind is None or ref is None or kind[0] != DocumentKind.DELTA:
        return None
    base_path = _base_path(kind[1], kind[2])
    base_text = read(base_path)
    if base_text is None:
        return None
    for other in names_in(base_path, base_text):
        if other.name == ref.name and other.section is None:
            return other
    return None


def references_of(base_path: str, name: str, read: Reader) -> list[NamedRef]:
    """Every delta, in every change, that names the base requirement `name` (archive excluded)."""
    kind = document_kind(base_path)
    if kind is None or kind[0] != DocumentKind.SPEC:
        return []
    root, capability = kind[1], kind[2]
    out = []
    for change in change_folders(root):
        for delta_path in delta_files(change):
            if document_kind(delta_path) != (DocumentKind.DELTA, root, capability):
                continue
            text = read(delta_path)
            if text is None:
                continue
            out += [
                r
                for r in names_in(delta_path, text)
                if r.name == name and r.section != "ADDED" and r.side != "TO"
            ]
    return out


def references(
    path: str, text: str, line: int, col: int, read: Reader, include_declaration: bool = True
) -> list[NamedRef]:
    kind = document_kind(path)
    ref = name_at(path, text, line, col)
    if kind is None or ref is None:
        return []
    if kind[0] == DocumentKind.DELTA:
        target = definition(path, text, line, col, read)
        if target is None:
            return [ref]
        base_path, name = target.path, target.name
    else:
        base_path, name = path, ref.name
        target = ref
    out = references_of(base_path, name, read)
    return ([target] if include_declaration else []) + out


def completion(path: str, text: str, line: int, col: int, read: Reader) -> list[tuple[str, str]] | None:
    """(name, statement) of the base requirements, after `### Requirement:` in a MODIFIED,
    REMOVED or RENAMED section (or after `FROM:`)."""
    kind = document_kind(path)
    if kind is None or kind[0] != DocumentKind.DELTA:
        return None
    lines = split_text(text)
    if line >= len(lines):
        return None
    before = lines[line][:col]
    if not re.search(r"###\s*Requirement:\s*[^`]*$", before, re.I):
        return None
    section = None
    for i in range(line, -1, -1):
        m = re.match(r"^##\s+(ADDED|MODIFIED|REMOVED|RENAMED)\s+Requirements\s*$", lines[i], re.I)
        if m:
            section = m.group(1).upper()
            break
        if lines[i].startswith("## "):
            break
    if section not in ("MODIFIED", "REMOVED", "RENAMED") or (
        section == "RENAMED" and "TO:" in before.upper()
    ):
        return None
    base_text = read(_base_path(kind[1], kind[2]))
    if base_text is None:
        return []
    return [(b.name, b.text().split("\n")[0]) for b in base_requirements(base_text).values()]


def code_actions(path: str, text: str, first: int, last: int, eol: str = "\n") -> list[Action]:
    """Add a scenario skeleton / fix a scenario header's form, on the lines first..last."""
    kind = document_kind(path)
    if kind is None or kind[0] == DocumentKind.PROPOSAL:
        return []
    lines = split_text(text)
    mask = fence_mask(lines)
    out = []
    for i in range(first, min(last, len(lines) - 1) + 1):
        if mask[i]:
            continue
        m = _WRONG_SCENARIO.match(lines[i])
        if m and re.search(r"scenario", lines[i], re.I) and not lines[i].startswith("#### "):
            name = (m.group("a") or m.group("b") or "").strip().rstrip(":").strip() or "Name"
            rest = (m.group("rest") or "").strip()
            new = f"#### Scenario: {name}"
            if rest:
                new += f"{eol}- {rest}"
            out.append(
                Action(
                    "Write the scenario as `#### Scenario:`",
                    "quickfix",
                    [Edit(path, Span(i, 0, i, len(lines[i])), new)],
                    ("openspec-scenario",),
                    (i,),
                    preferred=True,
                )
            )
        r = _REQUIREMENT.match(lines[i])
        if r is None:
            continue
        j = i + 1
        while j < len(lines) and not (lines[j].startswith("### ") or lines[j].startswith("## ")):
            j += 1
        body = lines[i + 1 : j]
        if any(b.startswith("#### ") for b in body):
            continue
        end = j - 1
        while end > i and not lines[end].strip():
            end -= 1
        skeleton = f"{eol}{eol}#### Scenario: Name{eol}- **WHEN** condition{eol}- **THEN** outcome"
        out.append(
            Action(
                f"Add a scenario to “{normalise_name(r.group(1))}”",
                "quickfix",
                [Edit(path, Span(end, len(lines[end]), end, len(lines[end])), skeleton)],
                ("openspec-scenario",),
                (i,),
            )
        )
    return out


def rename_edits(path: str, text: str, line: int, col: int, new_name: str, read: Reader) -> list[Edit] | None:
    """Renaming a requirement in a base spec: its header and every delta that names it."""
    kind = document_kind(path)
    ref = name_at(path, text, line, col)
    if kind is None or ref is None:
        return None
    if kind[0] == DocumentKind.DELTA:
        target = definition(path, text, line, col, read)
        if target is None:
            return None
        base_path, ref = target.path, target
    else:
        base_path = path
    new = new_name.strip()
    if not new:
        return None
    edits = [Edit(base_path, Span(ref.line, ref.col, ref.line, ref.end), new)]
    for other in references_of(base_path, ref.name, read):
        edits.append(Edit(other.path, Span(other.line, other.col, other.line, other.end), new))
    return edits

"""OpenSpec capability specs, change proposals and delta specs: parsed and validated with the
rules of `openspec validate --strict` (@fission-ai/openspec 1.13), as plain findings.

- a capability spec `openspec/specs/<capability>/spec.md`: `## Purpose`, `## Requirements`,
  `### Requirement: <name>` blocks with a SHALL/MUST statement and `#### Scenario: <name>`
  blocks;
- a change `openspec/changes/<change>/`: `proposal.md` (`## Why`, `## What Changes`) and delta
  specs `specs/<capability>/spec.md` with `## ADDED|MODIFIED|REMOVED|RENAMED Requirements`
  (`- FROM: ### Requirement: old` / `- TO: ### Requirement: new` pairs). A delta names the
  base spec's requirement of the same name.

The parsing follows OpenSpec's own (src/core/parsers: requirement-blocks, requirement-text,
spec-structure, markdown-parser): the same header patterns, the same fenced-code mask, names
compared after trimming a trailing `#` run. Messages are OpenSpec's where its wording is
good. Each finding's code is one of the `openspec-*` rules (core/checks/openspec/).
"""

from __future__ import annotations

import os
import re

from .model import Finding, Record, Severity, Span, Vocab

TYPE_CHECKING = False  # not `typing`'s: no import at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .config import Config

MIN_WHY = 50
MAX_WHY = 1000
MIN_PURPOSE = 50
MAX_REQUIREMENT_TEXT = 500
MAX_DELTAS = 10
PURPOSE_PLACEHOLDER = ("TBD - created by archiving change ", ". Update Purpose after archive.")

_FENCE_OPEN = re.compile(r"^\s*(`{3,}|~{3,})")
_FENCE_CLOSE = re.compile(r"^\s*(`{3,}|~{3,})\s*$")
_HEADER = re.compile(r"^(#{1,6})\s+(.+)$")
_H2 = re.compile(r"^(##)\s+(.+)$")
_REQUIREMENT = re.compile(r"^###\s*Requirement:\s*(.+)\s*$", re.I)
_REQUIREMENTS_SECTION = re.compile(r"^##\s+Requirements\s*$", re.I)
_DELTA_HEADER = re.compile(r"^##\s+(ADDED|MODIFIED|REMOVED|RENAMED)\s+Requirements\s*$", re.I)
_SCENARIO = re.compile(r"^####\s+")
_SCENARIO_BODY_END = re.compile(r"^#{1,4}\s")
_METADATA = re.compile(r"^\*\*[^*]+\*\*:")
_ANY_HEADER = re.compile(r"^#{1,6}\s")
_SHALL = re.compile(r"\b(SHALL|MUST)\b")
_REMOVED_BULLET = re.compile(r"^\s*[-*+]\s*`?###\s*Requirement:\s*(.+?)`?\s*$")
_FROM = re.compile(r"^\s*[-*+]?\s*FROM:\s*`?###\s*Requirement:\s*(.+?)`?\s*$")
_TO = re.compile(r"^\s*[-*+]?\s*TO:\s*`?###\s*Requirement:\s*(.+?)`?\s*$")
_WRONG_SCENARIO = re.compile(r"^\s*(?:[-*+]\s*\*\*Scenario\b|#{1,3}\s*Scenario\b|#{5,6}\s*Scenario\b)", re.I)
_MARKER = re.compile(r"^(?:TBD|TODO)(?![\w])")
_MARKER_PUNCT = re.compile(r"^(?:TBD|TODO)(?![\w])(?=[ \t]*(?:$|\n|[:\-\u2013\u2014.,;()\[\]{}]))", re.I)


def normalise_name(name: str) -> str:
    return re.sub(r"[ \t]+#+[ \t]*$", "", name).strip()


def fold_name(name: str) -> str:
    return re.sub(r"\s+", " ", normalise_name(name).lower())


def fence_mask(lines: list[str]) -> list[bool]:
    """OpenSpec's code-fence mask: True on the fence lines and everything between them."""
    mask = [False] * len(lines)
    active: tuple[str, int] | None = None
    for i, line in enumerate(lines):
        if active is None:
            m = _FENCE_OPEN.match(line)
            if m:
                active = (m.group(1)[0], len(m.group(1)))
                mask[i] = True
            continue
        mask[i] = True
        m = _FENCE_CLOSE.match(line)
        if m and m.group(1)[0] == active[0] and len(m.group(1)) >= active[1]:
            active = None
    return mask


def split_text(text: str) -> list[str]:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


class Block(Record):
    """A `### Requirement: name` block: its header line (0-based), name and lines (header first)."""

    line: int
    name: str
    lines: list[str]
    name_col: int

    @property
    def body(self) -> list[str]:
        return self.lines[1:]

    def text(self) -> str:
        """The requirement statement (OpenSpec's extractRequirementBody)."""
        body = self.body
        mask = fence_mask(body)
        captured: list[str] = []
        metadata: list[str] = []
        for i, line in enumerate(body):
            if mask[i]:
                continue
            if _ANY_HEADER.match(line):
                break
            t = line.strip()
            if not t:
                continue
            (metadata if _METADATA.match(t) else captured).append(t)
        return "\n".join(captured) if captured else "\n".join(metadata)

    def scenarios(self) -> list[tuple[int, str, str]]:
        """(line, name, body) of each `#### Scenario` (OpenSpec counts a level-4 header)."""
        body = self.body
        mask = fence_mask(body)
        out = []
        for i, line in enumerate(body):
            if mask[i] or not _SCENARIO.match(line):
                continue
            end = i + 1
            while end < len(body) and (mask[end] or not _SCENARIO_BODY_END.match(body[end])):
                end += 1
            name = re.sub(r"^Scenario:\s*", "", _SCENARIO.sub("", line), flags=re.I)
            out.append((self.line + 1 + i, normalise_name(name), "\n".join(body[i + 1 : end])))
        return out

    def wrong_scenario_line(self) -> int | None:
        """A scenario written in another form (a bullet, `### Scenario`): the first such line."""
        mask = fence_mask(self.body)
        for i, line in enumerate(self.body):
            if not mask[i] and _WRONG_SCENARIO.match(line) and not _SCENARIO.match(line):
                return self.line + 1 + i
        return None


def _blocks(lines: list[str], mask: list[bool], start: int, end: int) -> list[Block]:
    """The requirement blocks between lines start and end (a block ends at the next requirement
    header or `## ` header)."""
    out = []
    i = start
    while i < end:
        m = None if mask[i] else _REQUIREMENT.match(lines[i])
        if m is None:
            i += 1
            continue
        j = i + 1
        while j < end and (mask[j] or not (_REQUIREMENT.match(lines[j]) or lines[j].startswith("## "))):
            j += 1
        while j > i + 1 and not lines[j - 1].strip():
            j -= 1
        out.append(
            Block(
                i,
                normalise_name(m.group(1)),
                lines[i:j],
                m.start(1) + len(m.group(1)) - len(m.group(1).lstrip()),
            )
        )
        i = j
    return out


def _sections(lines: list[str], mask: list[bool]) -> list[tuple[int, str, int]]:
    """(header line, title, end line) of every `## ` section."""
    heads = [
        (i, m.group(2).strip()) for i, line in enumerate(lines) if not mask[i] and (m := _H2.match(line))
    ]
    return [(i, t, heads[k + 1][0] if k + 1 < len(heads) else len(lines)) for k, (i, t) in enumerate(heads)]


def _section_content(lines: list[str], mask: list[bool], title: str) -> tuple[int, str] | None:
    """(header line, content) of the first header of any level titled `title` (OpenSpec's
    findSection), content up to the next header of the same or a higher level."""
    for i, line in enumerate(lines):
        if mask[i]:
            continue
        m = _HEADER.match(line)
        if m and m.group(2).strip().lower() == title.lower():
            level = len(m.group(1))
            out = []
            for j in range(i + 1, len(lines)):
                h = None if mask[j] else re.match(r"^(#{1,6})\s+", lines[j])
                if h and len(h.group(1)) <= level:
                    break
                out.append(lines[j])
            return i, "\n".join(out).strip()
    return None


# ---- findings -------------------------------------------------------------------------------------


class Issue(Record):
    code: str
    severity: Severity
    line: int | None
    message: str
    col: int = 0
    end_col: int | None = None

    def finding(self, path: str, lines: list[str]) -> Finding:
        line = self.line if self.line is not None else 0
        text = lines[line] if line < len(lines) else ""
        end = self.end_col if self.end_col is not None else len(text)
        return Finding(
            self.code,
            path,
            Span(line, self.col, line, max(end, self.col)),
            self.message,
            severity=self.severity,
        )


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFORMATION


def _shall_message(prefix: str, name: str, guidance: bool) -> str:
    base = f"{prefix} {'should' if guidance else 'must'} contain SHALL or MUST"
    suffix = " (RFC 2119 best practice for English specs)" if guidance else ""
    if _SHALL.search(name):
        return (
            f"{base} in the requirement body, not only in the header. Move the SHALL/MUST statement to the line "
            f'immediately after the "### Requirement: ..." header.{suffix}'
        )
    return base + suffix


def _requirement_rules(block: Block, what: str, strict_text: bool) -> list[Issue]:
    """SHALL/MUST and scenario rules of one requirement block (`what`: 'Requirement', 'ADDED' …)."""
    out = []
    label = f'{what} "{block.name}"'
    text = block.text()
    if not text:
        msg = (
            _shall_message(label, block.name, False)
            if _SHALL.search(block.name)
            else f"{label} is missing requirement text"
        )
        out.append(Issue("openspec-shall", E, block.line, msg))
    elif not _SHALL.search(text):
        out.append(Issue("openspec-shall", W, block.line, _shall_message(label, block.name, True)))
    scenarios = block.scenarios()
    if strict_text and len(text) > MAX_REQUIREMENT_TEXT:
        out.append(
            Issue(
                "openspec-requirement-length",
                INFO,
                block.line,
                f"Requirement text is very long (>{MAX_REQUIREMENT_TEXT} characters). Consider breaking it down.",
            )
        )
    if not [s for s in scenarios if s[2].strip()]:
        wrong = block.wrong_scenario_line()
        empty = any(not s[2].strip() for s in scenarios)
        hint = (
            ' (a scenario header with no body under it does not count; add its steps, e.g. "- **WHEN** ..." '
            'and "- **THEN** ...")'
            if empty
            else ""
        )
        if wrong is not None:
            out.append(
                Issue(
                    "openspec-scenario",
                    E,
                    wrong,
                    f'{label}: scenarios must use level-4 headers ("#### Scenario: <name>"), not "{block_line(block, wrong).strip()}"',
                )
            )
        elif what == "Requirement":
            out.append(
                Issue(
                    "openspec-scenario",
                    W,
                    block.line,
                    "Requirement must have at least one scenario. Scenarios must use level-4 headers: "
                    '"#### Scenario: <name>" followed by "- **WHEN** ..." and "- **THEN** ..."',
                )
            )
        else:
            out.append(
                Issue("openspec-scenario", E, block.line, f"{label} must include at least one scenario{hint}")
            )
    return out


def block_line(block: Block, line: int) -> str:
    return block.lines[line - block.line]


def validate_spec(text: str) -> list[Issue]:
    """A capability spec (openspec/specs/<capability>/spec.md)."""
    lines = split_text(text)
    mask = fence_mask(lines)
    out: list[Issue] = []
    purpose = _section_content(lines, mask, "Purpose")
    requirements_at = next(
        (i for i, line in enumerate(lines) if not mask[i] and _REQUIREMENTS_SECTION.match(line)), None
    )
    # OpenSpec stops at a missing section (its parser throws): one finding, nothing else
    if purpose is None or not purpose[1]:
        return [
            Issue(
                "openspec-structure",
                E,
                purpose[0] if purpose else None,
                'Spec must have a Purpose section. Expected headers: "## Purpose" and "## Requirements"',
            )
        ]
    if _section_content(lines, mask, "Requirements") is None:
        return [
            Issue(
                "openspec-structure",
                E,
                None,
                'Spec must have a Requirements section. Expected headers: "## Purpose" and "## Requirements"',
            )
        ]
    end = len(lines)
    if requirements_at is not None:
        end = next(
            (i for i in range(requirements_at + 1, len(lines)) if not mask[i] and lines[i].startswith("## ")),
            len(lines),
        )
    seen: dict[str, int] = {}
    for i, line in enumerate(lines):
        if mask[i] or not line.strip():
            continue
        if _DELTA_HEADER.match(line):
            out.append(
                Issue(
                    "openspec-structure",
                    E,
                    i,
                    f'Main spec contains delta header "{line.strip()}". Delta headers are only valid inside '
                    "openspec/changes/<name>/specs/<capability-path>/spec.md and truncate the parsed ## Requirements section.",
                )
            )
            continue
        m = _REQUIREMENT.match(line)
        if m is None:
            continue
        if requirements_at is None or not (requirements_at < i < end):
            out.append(
                Issue(
                    "openspec-structure",
                    E,
                    i,
                    f'Requirement header "{line.strip()}" appears outside the main ## Requirements section. Main specs '
                    "only parse requirements inside that section, so this requirement is currently invisible to "
                    "validate, list, and archive.",
                )
            )
            continue
        name = normalise_name(m.group(1))
        if name in seen:
            out.append(
                Issue(
                    "openspec-duplicate-requirement",
                    E,
                    i,
                    f'Requirement header "{line.strip()}" duplicates the requirement declared on line {seen[name] + 1}. '
                    "Requirement names must be unique so spec updates cannot discard one block while updating another.",
                )
            )
        else:
            seen[name] = i
    if True:
        prose = purpose[1]
        placeholder = (
            _MARKER.match(prose)
            or _MARKER_PUNCT.match(prose)
            or (PURPOSE_PLACEHOLDER[0] in prose and PURPOSE_PLACEHOLDER[1] in prose)
        )
        if placeholder:
            first = next((k for k in range(purpose[0] + 1, len(lines)) if lines[k].strip()), purpose[0])
            out.append(
                Issue(
                    "openspec-purpose",
                    W,
                    first,
                    "Purpose section is still a placeholder rather than a Purpose anyone wrote; replace it with what "
                    "this capability is for",
                )
            )
        elif len(purpose[1]) < MIN_PURPOSE:
            out.append(
                Issue(
                    "openspec-purpose",
                    W,
                    purpose[0],
                    f"Purpose section is too brief (less than {MIN_PURPOSE} characters)",
                )
            )
    blocks = _blocks(lines, mask, requirements_at + 1, end) if requirements_at is not None else []
    if requirements_at is not None and not blocks:
        out.append(Issue("openspec-structure", E, requirements_at, "Spec must have at least one requirement"))
    for block in blocks:
        out += _requirement_rules(block, "Requirement", True)
    return out


class Delta:
    """A delta spec, parsed: blocks per section, removed names, rename pairs, and what was off."""

    def __init__(self, text: str) -> None:
        self.lines = lines = split_text(text)
        mask = fence_mask(lines)
        self.sections = _sections(lines, mask)
        self.present: dict[str, int] = {}
        self.added: list[Block] = []
        self.modified: list[Block] = []
        self.removed: list[tuple[int, str]] = []
        self.renamed: list[tuple[int, str, int, str]] = []  # from line, from, to line, to
        self.unpaired: list[tuple[int, str, str]] = []  # line, side, name
        self.orphans: list[tuple[int, str, str | None]] = []
        for start, title, end in self.sections:
            op = title.lower()
            if op == "added requirements":
                self.present.setdefault("ADDED", start)
                self.added += _blocks(lines, mask, start + 1, end)
            elif op == "modified requirements":
                self.present.setdefault("MODIFIED", start)
                self.modified += _blocks(lines, mask, start + 1, end)
            elif op == "removed requirements":
                self.present.setdefault("REMOVED", start)
                for i in range(start + 1, end):
                    if mask[i]:
                        continue
                    m = _REQUIREMENT.match(lines[i]) or _REMOVED_BULLET.match(lines[i])
                    if m:
                        self.removed.append((i, normalise_name(m.group(1))))
            elif op == "renamed requirements":
                self.present.setdefault("RENAMED", start)
                pending = None
                for i in range(start + 1, end):
                    if mask[i]:
                        continue
                    f, t = _FROM.match(lines[i]), _TO.match(lines[i])
                    if f:
                        if pending:
                            self.unpaired.append((pending[0], "FROM", pending[1]))
                        pending = (i, normalise_name(f.group(1)))
                    elif t:
                        if pending is None:
                            self.unpaired.append((i, "TO", normalise_name(t.group(1))))
                            continue
                        self.renamed.append((pending[0], pending[1], i, normalise_name(t.group(1))))
                        pending = None
                if pending:
                    self.unpaired.append((pending[0], "FROM", pending[1]))
        section = None
        for i, line in enumerate(lines):
            if mask[i]:
                continue
            m = _H2.match(line)
            if m:
                section = m.group(2).strip()
                continue
            if section is not None and section.lower() in (
                "added requirements",
                "modified requirements",
                "removed requirements",
                "renamed requirements",
            ):
                continue
            r = _REQUIREMENT.match(line)
            if r:
                self.orphans.append((i, normalise_name(r.group(1)), section))

    @property
    def count(self) -> int:
        return len(self.added) + len(self.modified) + len(self.removed) + len(self.renamed)


def base_requirements(text: str) -> dict[str, Block]:
    """The requirement blocks of a capability spec's `## Requirements` section, by name."""
    lines = split_text(text)
    mask = fence_mask(lines)
    at = next((i for i, line in enumerate(lines) if not mask[i] and _REQUIREMENTS_SECTION.match(line)), None)
    if at is None:
        return {}
    end = next(
        (i for i in range(at + 1, len(lines)) if not mask[i] and lines[i].startswith("## ")), len(lines)
    )
    out: dict[str, Block] = {}
    for b in _blocks(lines, mask, at + 1, end):
        out.setdefault(b.name, b)  # a duplicate name: the first block (openspec-duplicate-requirement)
    return out


def validate_delta(delta: Delta, base: dict[str, Block] | None) -> list[Issue]:
    """A delta spec; `base`: the capability spec's requirements (None when it has no base spec)."""
    out: list[Issue] = []
    for line, side, name in delta.unpaired:
        other = "TO" if side == "FROM" else "FROM"
        out.append(
            Issue(
                "openspec-rename",
                E,
                line,
                f'RENAMED {side}: "{name}" has no matching {other}: line. Write each rename as a FROM: line followed '
                f"immediately by its TO: line.",
            )
        )
    for line, name, section in delta.orphans:
        where = f'under "## {section}"' if section else 'above the first "## " section'
        out.append(
            Issue(
                "openspec-structure",
                W,
                line,
                f'Requirement "{name}" is {where}, which is not a delta section, so it is ignored. Move it under '
                '"## ADDED Requirements", "## MODIFIED Requirements", "## REMOVED Requirements", or "## RENAMED Requirements".',
            )
        )
    if delta.count == 0:
        if delta.present:
            headers = [
                f"## {op} Requirements"
                for op in ("ADDED", "MODIFIED", "REMOVED", "RENAMED")
                if op in delta.present
            ]
            out.append(
                Issue(
                    "openspec-structure",
                    E,
                    min(delta.present.values()),
                    f"Delta sections {_list(headers)} were found, but no requirement entries parsed. Ensure each section "
                    'includes at least one "### Requirement:" block (REMOVED may use bullet list syntax).',
                )
            )
        else:
            out.append(
                Issue(
                    "openspec-structure",
                    E,
                    None,
                    'No delta sections found. Add headers such as "## ADDED Requirements" or move non-delta notes outside specs/.',
                )
            )
    names: dict[str, dict[str, int]] = {op: {} for op in ("ADDED", "MODIFIED", "REMOVED")}
    for op, blocks in (("ADDED", delta.added), ("MODIFIED", delta.modified)):
        for block in blocks:
            if block.name in names[op]:
                out.append(
                    Issue(
                        "openspec-duplicate-requirement",
                        E,
                        block.line,
                        f'Duplicate requirement in {op}: "{block.name}"',
                    )
                )
            else:
                names[op][block.name] = block.line
            out += _requirement_rules(block, op, False)
    for line, name in delta.removed:
        if name in names["REMOVED"]:
            out.append(
                Issue(
                    "openspec-duplicate-requirement", E, line, f'Duplicate requirement in REMOVED: "{name}"'
                )
            )
        else:
            names["REMOVED"][name] = line
    froms: dict[str, int] = {}
    tos: dict[str, int] = {}
    for fline, frm, tline, to in delta.renamed:
        if frm in froms:
            out.append(
                Issue("openspec-duplicate-requirement", E, fline, f'Duplicate FROM in RENAMED: "{frm}"')
            )
        froms.setdefault(frm, fline)
        if to in tos:
            out.append(Issue("openspec-duplicate-requirement", E, tline, f'Duplicate TO in RENAMED: "{to}"'))
        tos.setdefault(to, tline)
    for n, line in names["MODIFIED"].items():
        for other in ("REMOVED", "ADDED"):
            if n in names[other]:
                out.append(
                    Issue(
                        "openspec-duplicate-requirement",
                        E,
                        line,
                        f'Requirement present in both MODIFIED and {other}: "{n}"',
                    )
                )
    for n, line in names["ADDED"].items():
        if n in names["REMOVED"]:
            out.append(
                Issue(
                    "openspec-duplicate-requirement",
                    E,
                    line,
                    f'Requirement present in both ADDED and REMOVED: "{n}"',
                )
            )
    for fline, frm, tline, to in delta.renamed:
        if frm in names["MODIFIED"]:
            out.append(
                Issue(
                    "openspec-rename",
                    E,
                    names["MODIFIED"][frm],
                    f'MODIFIED references old name from RENAMED. Use new header for "{to}"',
                )
            )
        if to in names["ADDED"]:
            out.append(Issue("openspec-rename", E, tline, f'RENAMED TO collides with ADDED for "{to}"'))
        if any(fold_name(r) == fold_name(frm) for r in names["REMOVED"]):
            out.append(
                Issue(
                    "openspec-rename", E, fline, f'Requirement present in both RENAMED and REMOVED: "{frm}"'
                )
            )
    if base is not None:
        out += _against_base(delta, base)
    return out


def _against_base(delta: Delta, base: dict[str, Block]) -> list[Issue]:
    """What archive would refuse: a MODIFIED/REMOVED/RENAMED FROM naming a requirement the base
    spec lacks, an ADDED or RENAMED TO naming one it already has."""
    out = []
    renamed_to = {to for _, _, _, to in delta.renamed}
    for fline, frm, tline, to in delta.renamed:
        if frm not in base:
            out.append(
                Issue(
                    "openspec-delta-target",
                    E,
                    fline,
                    f'RENAMED FROM "{frm}": the base spec has no requirement of that name',
                    *_name_cols(delta.lines[fline], frm),
                )
            )
        if to in base:
            out.append(
                Issue(
                    "openspec-delta-target",
                    E,
                    tline,
                    f'RENAMED TO "{to}": the base spec already has a requirement of that name',
                    *_name_cols(delta.lines[tline], to),
                )
            )
    for block in delta.modified:
        if block.name not in base and block.name not in renamed_to:
            out.append(
                Issue(
                    "openspec-delta-target",
                    E,
                    block.line,
                    f'MODIFIED "{block.name}": the base spec has no requirement of that name'
                    + _did_you_mean(block.name, base),
                    *_name_cols(delta.lines[block.line], block.name),
                )
            )
    for line, name in delta.removed:
        if name not in base:
            out.append(
                Issue(
                    "openspec-delta-target",
                    E,
                    line,
                    f'REMOVED "{name}": the base spec has no requirement of that name'
                    + _did_you_mean(name, base),
                    *_name_cols(delta.lines[line], name),
                )
            )
    for block in delta.added:
        if block.name in base:
            out.append(
                Issue(
                    "openspec-delta-target",
                    E,
                    block.line,
                    f'ADDED "{block.name}": the base spec already has this requirement; use MODIFIED to change it',
                    *_name_cols(delta.lines[block.line], block.name),
                )
            )
    return out


def _name_cols(line: str, name: str) -> tuple[int, int | None]:
    at = line.rfind(name)
    return (at, at + len(name)) if at >= 0 else (0, None)


def _did_you_mean(name: str, base: dict[str, Block]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(base), n=1, cutoff=0.75)
    if not close:
        folded = {fold_name(n): n for n in base}
        hit = folded.get(fold_name(name))
        close = [hit] if hit else []
    return f'; did you mean "{close[0]}"?' if close else ""


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _missing_section(name: str, found: tuple[int, str] | None) -> Issue:
    """The error for a proposal without section `name` (`found`: its header line and empty content)."""
    return Issue(
        "openspec-proposal",
        E,
        found[0] if found else None,
        f'Change must have a {name} section. Expected headers: "## Why" and "## What Changes"',
    )


def validate_proposal(text: str, n_deltas: int) -> list[Issue]:
    """The rules `openspec archive` applies to a change's proposal.md (`## Why` of 50–1,000
    characters, `## What Changes`, at most 10 deltas); `openspec validate` does not, so the
    openspec-proposal rule is opt-in."""
    lines = split_text(text)
    mask = fence_mask(lines)
    out: list[Issue] = []
    why = _section_content(lines, mask, "Why")
    what = _section_content(lines, mask, "What Changes")
    if why is None or not why[1]:
        out.append(_missing_section("Why", why))
    elif len(why[1]) < MIN_WHY:
        out.append(
            Issue("openspec-proposal", E, why[0], f"Why section must be at least {MIN_WHY} characters")
        )
    elif len(why[1]) > MAX_WHY:
        out.append(
            Issue("openspec-proposal", E, why[0], f"Why section should not exceed {MAX_WHY} characters")
        )
    if what is None or not what[1]:
        out.append(_missing_section("What Changes", what))
    if n_deltas > MAX_DELTAS:
        out.append(
            Issue(
                "openspec-proposal", W, None, f"Consider splitting changes with more than {MAX_DELTAS} deltas"
            )
        )
    return out


NO_DELTAS = (
    "Change must have at least one delta. No deltas found. Ensure your change has a specs/ directory with "
    "capability folders (e.g. specs/http-server/spec.md) containing .md files that use delta headers "
    "(## ADDED/MODIFIED/REMOVED/RENAMED Requirements) and that each requirement includes at least one "
    '"#### Scenario:" block. If this change intentionally modifies no specs, set "skip_specs: true" in the '
    "change's .openspec.yaml instead."
)


# ---- on disk ----------------------------------------------------------------------------------------


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def openspec_root(path: str) -> str | None:
    """The `openspec` folder at or above `path` (or just below it), if any."""
    path = os.path.abspath(path)
    here = path if os.path.isdir(path) else os.path.dirname(path)
    if os.path.isdir(os.path.join(here, "openspec")):
        return os.path.join(here, "openspec")
    while True:
        if os.path.basename(here) == "openspec":
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def delta_files(change_dir: str) -> list[str]:
    """specs/**/spec.md of a change, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(change_dir, "specs")):
        dirnames.sort()
        if "spec.md" in filenames and os.path.abspath(dirpath) != os.path.abspath(
            os.path.join(change_dir, "specs")
        ):
            out.append(os.path.join(dirpath, "spec.md"))
    return sorted(out)


def check_documents(root: str, skip_archive: bool = True) -> list[Finding]:
    """Every finding of the OpenSpec rules under an `openspec/` folder: its capability specs and
    each change's proposal.md and delta specs (archived changes skipped)."""
    out: list[Finding] = []
    specs_dir = os.path.join(root, "specs")
    bases: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(specs_dir):
        dirnames.sort()
        if "spec.md" in filenames:
            path = os.path.join(dirpath, "spec.md")
            text = _read(path)
            if text is None:
                continue
            bases[os.path.relpath(dirpath, specs_dir).replace(os.sep, "/")] = text
            out += [i.finding(path, split_text(text)) for i in validate_spec(text)]
    for change in change_folders(root, skip_archive):
        out += check_change(change, bases)
    return out


def change_folders(root: str, skip_archive: bool = True) -> list[str]:
    """The change folders of the `openspec/` folder `root`, by name (`changes/archive` skipped)."""
    changes = os.path.join(root, "changes")
    try:
        names = sorted(os.listdir(changes))
    except OSError:
        return []
    return [
        os.path.join(changes, name)
        for name in names
        if os.path.isdir(os.path.join(changes, name)) and not (skip_archive and name == "archive")
    ]


def delta_issues(delta: Delta, base_text: str | None, capability: str) -> list[Issue]:
    """A delta spec's issues against its base spec's text (None: the capability has no base)."""
    issues = validate_delta(delta, base_requirements(base_text) if base_text is not None else None)
    if (
        base_text is not None
        and not any(i.severity is E for i in issues)
        and _structurally_invalid(base_text)
    ):
        issues.append(
            Issue(
                "openspec-delta-target",
                INFO,
                None,
                f"Archive would refuse this delta: the base spec openspec/specs/{capability}/spec.md is structurally "
                "invalid (see its openspec-structure / openspec-duplicate-requirement findings); fix it first",
            )
        )
    return issues


def check_change(change: str, bases: dict[str, str]) -> list[Finding]:
    out: list[Finding] = []
    total = 0
    files = delta_files(change)
    for path in files:
        text = _read(path)
        if text is None:
            continue
        delta = Delta(text)
        total += delta.count
        cap = os.path.relpath(os.path.dirname(path), os.path.join(change, "specs")).replace(os.sep, "/")
        issues = delta_issues(delta, bases.get(cap), cap)
        out += [i.finding(path, delta.lines) for i in issues]
    proposal = os.path.join(change, "proposal.md")
    text = _read(proposal)
    if text is not None:
        out += [i.finding(proposal, split_text(text)) for i in validate_proposal(text, total)]
    root_spec = os.path.join(change, "specs", "spec.md")
    if os.path.isfile(root_spec):
        out.append(
            Issue(
                "openspec-structure",
                E,
                None,
                "Delta spec found at specs/spec.md. Delta specs must live under a capability path "
                "(e.g. specs/<capability-path>/spec.md) — a file at the specs/ root is ignored when the change is "
                "applied or archived.",
            ).finding(root_spec, [""])
        )
    elif total == 0 and not _skip_specs(change):
        where = next(
            (
                os.path.join(change, n)
                for n in ("proposal.md", "tasks.md", "design.md")
                if os.path.isfile(os.path.join(change, n))
            ),
            None,
        )
        if where is not None:
            out.append(Issue("openspec-no-deltas", E, None, NO_DELTAS).finding(where, [""]))
    tasks = os.path.join(change, "tasks.md")
    text = _read(tasks)
    if text is not None:
        out += [i.finding(tasks, split_text(text)) for i in task_numbering(text)]
    return out


def _structurally_invalid(text: str) -> bool:
    return any(
        i.code in ("openspec-structure", "openspec-duplicate-requirement") and i.severity is E
        for i in validate_spec(text)
    )


def _skip_specs(change: str) -> bool:
    text = _read(os.path.join(change, ".openspec.yaml")) or ""
    return re.search(r"^skip_specs:\s*true\s*$", text, re.M) is not None


_LEVEL_TWO = re.compile(r"^ {0,3}##(?!#)(?:[ \t]+|[ \t]*$)")
_GROUP = re.compile(r"^ {0,3}##[ \t]+(\d+)\.(?:[ \t]|$)")
_TASK_LINE = re.compile(r"^\s*[-*]\s*\[[\sxX]\]\s*(.*)")
_TASK_ID = re.compile(r"^(\d+(?:\.\d+)+(?:[A-Za-z]+)?)(?=\s|$)")


def task_numbering(text: str) -> list[Issue]:
    """OpenSpec's task-numbering warning: a task `N.M` under `## K.` with N ≠ K (duplicate IDs
    are duplicate-task-id's)."""
    lines = split_text(text)
    if not any(_GROUP.match(line) for line in lines):
        return []
    out = []
    group = None
    for i, line in enumerate(lines):
        if _LEVEL_TWO.match(line):
            m = _GROUP.match(line)
            group = m.group(1) if m else None
        if group is None:
            continue
        t = _TASK_LINE.match(line)
        ident = _TASK_ID.match(t.group(1)) if t else None
        if ident is None:
            continue
        head = ident.group(1).split(".")[0]
        if (head.lstrip("0") or "0") != (group.lstrip("0") or "0"):
            at = line.index(ident.group(1))
            out.append(
                Issue(
                    "openspec-task-numbering",
                    W,
                    i,
                    f'Task "{ident.group(1)}" is under group {group}, but its leading number points to group {head}. '
                    f"Move it to group {head} or renumber it.",
                    at,
                    at + len(ident.group(1)),
                )
            )
    return out


def openspec_findings(
    root: str,
    config: Config,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    within: str | None = None,
) -> list[Finding]:
    """The openspec-* findings under the `openspec/` folder `root` (only those in `within`, a
    file or folder, when given), with the configured severities and the user's selection."""
    from .checks import expand_codes

    chosen = set(expand_codes(select)) if select else None
    dropped = set(expand_codes(ignore))
    inside = os.path.abspath(within) if within else None
    found = [
        f
        for f in check_documents(root, skip_archive=True)
        if not (chosen is not None and f.code not in chosen)
        and f.code not in dropped
        and (inside is None or f.path == inside or f.path.startswith(inside + os.sep))
    ]
    return _configured(found, config, chosen is not None)


def _configured(found: list[Finding], config: Config, selected: bool = False) -> list[Finding]:
    """The findings of the rules that are on, with the configured severities."""
    from .checks import enabled

    out = []
    for f in found:
        if not enabled(f.code, config, selected):
            continue
        if f.code in config.severity:
            severity = config.severity[f.code]
            if severity is None:
                continue
            f = Finding(f.code, f.path, f.span, f.message, severity, f.related, f.data)
        out.append(f)
    return out


def capability_count(root: str, within: str | None = None) -> int:
    """How many capability specs (openspec/specs/**/spec.md) lie under `within` (or anywhere)."""
    n = 0
    inside = os.path.abspath(within) if within else None
    for dirpath, _dirnames, filenames in os.walk(os.path.join(root, "specs")):
        path = os.path.join(dirpath, "spec.md")
        if "spec.md" in filenames and (inside is None or path == inside or path.startswith(inside + os.sep)):
            n += 1
    return n


# ---- one document (the language server) ----------------------------------------------------------


class DocumentKind(Vocab):
    """What an OpenSpec document is (`document_kind`)."""

    SPEC = "spec"  # openspec/specs/<capability>/spec.md
    DELTA = "delta"  # openspec/changes/<change>/specs/<capability>/spec.md
    PROPOSAL = "proposal"  # openspec/changes/<change>/proposal.md


def document_kind(path: str) -> tuple[DocumentKind, str, str] | None:
    """("spec" | "delta" | "proposal", the openspec/ root, the capability or change) of an
    OpenSpec document, or None: openspec/specs/<cap>/spec.md, openspec/changes/<change>/specs/
    <cap>/spec.md, openspec/changes/<change>/proposal.md (archived changes are not read)."""
    parts = os.path.abspath(path).split(os.sep)
    if "openspec" not in parts:
        return None
    i = len(parts) - 1 - parts[::-1].index("openspec")
    root = os.sep.join(parts[: i + 1])
    rest = parts[i + 1 :]
    name = rest[-1] if rest else ""
    if len(rest) >= 3 and rest[0] == "specs" and name == "spec.md":
        return DocumentKind.SPEC, root, "/".join(rest[1:-1])
    if len(rest) >= 3 and rest[0] == "changes" and rest[1] != "archive":
        if len(rest) == 3 and name == "proposal.md":
            return DocumentKind.PROPOSAL, root, rest[1]
        if len(rest) >= 5 and rest[2] == "specs" and name == "spec.md":
            return DocumentKind.DELTA, root, "/".join(rest[3:-1])
    return None


def document_findings(
    path: str, text: str, read: Callable[[str], str | None], config: Config
) -> list[Finding]:
    """The openspec-* findings of one open document. `read(path)`: another document's text (the
    open one, else the file on disk; None when there is none)."""
    found = document_kind(path)
    if found is None:
        return []
    kind, root, name = found
    lines = split_text(text)
    if kind == DocumentKind.SPEC:
        issues = validate_spec(text)
    elif kind == DocumentKind.DELTA:
        base_text = read(os.path.join(root, "specs", *name.split("/"), "spec.md"))
        issues = delta_issues(Delta(text), base_text, name)
    else:
        change = os.path.dirname(path)
        total = sum(Delta(read(p) or "").count for p in delta_files(change))
        issues = validate_proposal(text, total)
        if (
            total == 0
            and not _skip_specs(change)
            and not os.path.isfile(os.path.join(change, "specs", "spec.md"))
        ):
            issues.append(Issue("openspec-no-deltas", E, None, NO_DELTAS))
    out = _configured([i.finding(path, lines) for i in issues], config)
    out.sort(key=lambda f: f.sort_key())
    return out

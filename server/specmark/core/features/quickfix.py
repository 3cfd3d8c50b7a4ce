"""Quick fixes for findings: each returns Actions with plain edits."""

from __future__ import annotations

import re

from ..config import Config
from ..model import Finding, Span, Status, Task, TasksDoc
from .edits import Action, Edit
from .toggle import set_status

_MENTIONED_ID = re.compile(r"(?:Requirements?|要件|需求|Req\.?)\s*(\d+[A-Z]?(?:\.\d+)*)|\((\d+\.\d+)\)")


def _fix(title: str, edit: Edit, finding: Finding, preferred: bool = True) -> Action:
    """The quick fix titled `title` that makes `edit` for `finding`."""
    return Action(title, "quickfix", [edit], (finding.code,), (finding.span.line,), preferred=preferred)


def _detail_indent(doc: TasksDoc, task: Task) -> str:
    for n in range(task.line + 1, task.end_line + 1):
        line = doc.lines[n]
        m = re.match(r"^([ \t]*)[-*+][ \t]", line)
        if m:
            return str(m.group(1))
    base = doc.lines[task.line][: len(doc.lines[task.line]) - len(doc.lines[task.line].lstrip())]
    return base + "  "


def fix_missing_requirements(doc: TasksDoc, finding: Finding, eol: str) -> Action | None:
    task = doc.task_at_line(finding.span.line)
    if task is None:
        return None
    end = task.end_line
    indent = _detail_indent(doc, task)
    at = Span.on_line(end, len(doc.lines[end]), len(doc.lines[end]))
    edit = Edit(doc.path, at, f"{eol}{indent}- _Requirements: _")
    return _fix(f"Add a _Requirements:_ line to {task.label.lower()}", edit, finding)


def fix_unknown_requirement(doc: TasksDoc, finding: Finding) -> list[Action]:
    out = []
    for i, sugg in enumerate((finding.data or {}).get("suggestions", [])[:3]):
        out.append(_fix(f"Change to {sugg}", Edit(doc.path, finding.span, sugg), finding, preferred=i == 0))
    return out


def fix_placeholder(doc: TasksDoc, finding: Finding, known: set[str]) -> Action | None:
    task = doc.task_containing(finding.span.line)
    if task is None:
        return None
    ref = next((r for r in task.refs if r.line == finding.span.line), None)
    if ref is None:
        return None
    text = " ".join(doc.lines[task.line : task.end_line + 1])
    ids = []
    for m in _MENTIONED_ID.finditer(text):
        ident = m.group(1) or m.group(2)
        if ident in known and ident not in ids:
            ids.append(ident)
    if ref.placeholder is not None:
        span = ref.list_span
        new = ", ".join(ids)
    else:
        span = finding.span
        new = ", ".join(ids) if ids else ""
    if ids:
        title = f"Replace the placeholder with {', '.join(ids)}"
    else:
        title = "Remove the placeholder"
    return _fix(title, Edit(doc.path, span, new), finding, preferred=False)


def fix_status_mismatch(
    doc: TasksDoc, finding: Finding, config: Config, habit: str | None = None
) -> Action | None:
    task = doc.task_at_line(finding.span.line)
    if task is None:
        return None
    target = Status.DONE if (finding.data or {}).get("target") == "done" else Status.TODO
    edit = set_status(doc, task, target, config, habit)
    if edit is None:
        return None
    word = "done" if target is Status.DONE else "not done"
    return _fix(f"Mark {task.label.lower()} {word} to match its sub-tasks", edit, finding)


def fix_invalid_checkbox(doc: TasksDoc, finding: Finding) -> Action | None:
    repl = (finding.data or {}).get("replacement")
    if not repl:
        return None
    return _fix(f"Replace with {repl}", Edit(doc.path, finding.span, repl), finding)


def quick_fixes(
    doc: TasksDoc,
    findings: list[Finding],
    start_line: int,
    end_line: int,
    config: Config,
    known_ids: set[str],
    eol: str = "\n",
    habit: str | None = None,
) -> list[Action]:
    out: list[Action] = []
    for f in findings:
        if f.path != doc.path or not (start_line <= f.span.line <= end_line):
            continue
        if f.code == "missing-requirements" and not (f.data or {}).get("story"):
            a = fix_missing_requirements(doc, f, eol)
            if a:
                out.append(a)
        elif f.code in ("unknown-requirement", "unknown-dependency"):
            out.extend(fix_unknown_requirement(doc, f))
        elif f.code == "placeholder-requirements":
            a = fix_placeholder(doc, f, known_ids)
            if a:
                out.append(a)
        elif f.code == "status-mismatch":
            a = fix_status_mismatch(doc, f, config, habit)
            if a:
                out.append(a)
        elif f.code == "invalid-checkbox":
            a = fix_invalid_checkbox(doc, f)
            if a:
                out.append(a)
    return out

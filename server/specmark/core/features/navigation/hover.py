"""Hover: a reference (each end of a range too), a task line, a requirement or criterion.

- On a requirement reference: the requirement's title, the criterion's text and
  "covered by N tasks (M done)".
- On a task line: its status, sub-task progress ("3 of 5 sub-tasks done") and its references
  resolved to titles (and its `_Depends:_` tasks).
- On a requirement heading or criterion in the requirements document: the tasks that cover it,
  with their status.
"""

from __future__ import annotations

import os

from ...analysis import SpecResult
from ...checks import RULES
from ...model import Record, RefItem, RefKind, Span
from ..completion import describe
from .common import (
    Target,
    coverage_phrase,
    covering_tasks,
    effective_status,
    find_requirement,
    find_task,
    requirement_items,
    short,
    status_word,
    subtask_progress,
    target_at,
    task_name,
    tasks_doc,
)

MAX_LISTED = 25


class HoverInfo(Record):
    markdown: str
    span: Span


def hover(result: SpecResult | None, path: str, line: int, col: int) -> HoverInfo | None:
    wording = _wording_at(result, path, line, col)
    if wording is not None:
        return wording
    target = target_at(result, path, line, col)
    if target is None or result is None:
        return None
    if target.kind == "reference":
        text = _reference(result, target)
    elif target.kind == "depends":
        text = _depends(result, target)
    elif target.kind == "task":
        text = _task(result, target)
    else:
        text = _requirement(result, target)
    return HoverInfo(text, target.span) if text else None


def _wording_at(result: SpecResult | None, path: str, line: int, col: int) -> HoverInfo | None:
    """On a word a wording-* rule flagged: what the rule asks for, and its page."""
    if result is None:
        return None
    for f in result.findings:
        s = f.span
        if f.code.startswith("wording-") and f.path == path and s.line == line and s.col <= col <= s.end_col:
            rule = RULES[f.code]
            return HoverInfo(
                f"**{f.code}**: {rule.summary}\n\n{_cap(f.message)}\n\n[{f.code}]({rule.url})", s
            )
    return None


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _reference(result: SpecResult, target: Target) -> str:
    tok = target.token
    assert tok is not None
    if tok.part == "all":
        req = result.requirements
        if req is None:
            return f"**{tok.raw}**: a whole-spec reference (no requirements document found)"
        n_crit = sum(len(r.criteria) for r in req.requirements)
        return (
            f"**{tok.raw}**: a whole-spec reference — covers all {len(req.requirements)} requirements"
            f" ({n_crit} criteria) of `{os.path.basename(req.path)}`"
        )
    if result.requirements is None:
        return f"**{tok.raw}**: no requirements document found for this spec"
    if target.ident is None:
        sugg = result.resolver.suggestions(tok.raw)
        hint = f" — did you mean {', '.join(sugg)}?" if sugg else ""
        return f"**{tok.raw}** is not defined in `{os.path.basename(result.requirements.path)}`{hint}"
    body = describe(result.requirements, target.ident) or f"**{target.ident}**"
    pairs = covering_tasks(result, target.ident)
    return f"{body}\n\n---\n\n{_cap(coverage_phrase(pairs))}"


def _depends(result: SpecResult, target: Target) -> str:
    ident = target.ident or ""
    found = find_task(result, ident, target.path)
    if found is None:
        return f"**Task {ident}** is not defined in this plan"
    doc, task = found
    status = status_word(effective_status(doc, task))
    return f"**Task {task.id}** {task.title}\n\nStatus: {status}"


def _describe_item(result: SpecResult, item: RefItem) -> str:
    if item.kind is RefKind.ALL:
        return f"`{item.text}` — every requirement"
    if item.kind is RefKind.MALFORMED:
        return f"`{item.text}` — not a requirement ID"
    if item.kind is RefKind.RANGE:
        res = result.resolver.resolve(item)
        if res.unknown:
            return f"`{item.text}` — unknown: {', '.join(u for u, _ in res.unknown)}"
        return f"`{item.text}` — {len(res.targets)} IDs: {short(', '.join(res.targets), 80)}"
    ident = result.resolver.canonical(item.start or "")
    if ident is None:
        return f"`{item.start}` — not defined"
    req, crit = find_requirement(result, ident)
    if crit is not None:
        title = f"{req.title}: " if req is not None and req.title else ""
        return f"`{ident}` — {short(title + crit.text, 90)}"
    if req is not None:
        return f"`{ident}` — {short(req.title or req.body or 'Requirement ' + req.id, 90)}"
    return f"`{ident}`"


def _task(result: SpecResult, target: Target) -> str:
    doc = tasks_doc(result, target.path)
    task = target.task
    assert doc is not None and task is not None
    head = f"**Task {task.id}** {task.title}" if task.id else f"**{task.title}**"
    if task.optional:
        head += " *(optional)*"
    status = effective_status(doc, task)
    lines = [head, "", f"Status: {status_word(status)}"]
    done, total = subtask_progress(doc, task)
    if total:
        noun = "sub-task" if total == 1 else "sub-tasks"
        lines[-1] += f" · {done} of {total} {noun} done"
    items = list(requirement_items(task))
    if items:
        lines += ["", "Requirements:"]
        lines += [f"- {_describe_item(result, item)}" for item in items[:MAX_LISTED]]
        if len(items) > MAX_LISTED:
            lines.append(f"- … {len(items) - MAX_LISTED} more")
    from ... import deps as order

    plan = order.plan_of(doc)
    named = [r.id for r in plan.depends.get(task.index, ())]
    if named:
        lines += ["", "Depends on:"]
        for ident in named[:MAX_LISTED]:
            found = find_task(result, ident, doc.path)
            if found is None:
                lines.append(f"- `{ident}` — not defined")
            else:
                ddoc, dtask = found
                lines.append(
                    f"- `{dtask.id}` {short(dtask.title, 70)} ({status_word(effective_status(ddoc, dtask))})"
                )
    if plan.waves and task.id:
        at = plan.order().own_wave[task.index] if task.index < len(plan.order().own_wave) else None
        if at is not None:
            lines += ["", f"Dependency graph: wave {plan.waves[at].label}"]
    rs = order.ready_set(result.tasks)
    if rs.mode == "dependencies":
        blockers = rs.blockers(task)
        if blockers == ():
            lines += ["", "Ready to start"]
        elif blockers:
            ids = [b.id for b in blockers if b.id]
            lines += [
                "",
                f"Waits for {', '.join(ids[:5])}{' …' if len(ids) > 5 else ''}" if ids else "Marked blocked",
            ]
    return "\n".join(lines)


def _requirement(result: SpecResult, target: Target) -> str:
    ident = target.ident or ""
    body = describe(result.requirements, ident) or f"**{ident}**"
    if target.kind == "requirement":
        # keep the heading hover short: the title and the story, not every criterion
        body = body.split("\n\n1. ")[0].split("\n1. ")[0]
    pairs = covering_tasks(result, ident)
    if not pairs:
        return f"{body}\n\n---\n\nNot covered by any task"
    several = len(result.tasks) > 1
    lines = [body, "", "---", "", _cap(coverage_phrase(pairs)) + ":", ""]
    for doc, task in pairs[:MAX_LISTED]:
        status = effective_status(doc, task)
        box = "x" if status is not None and status.is_done else " "
        where = f" — {os.path.basename(doc.path)}" if several else ""
        lines.append(f"- [{box}] {short(task_name(task), 80)} ({status_word(status)}){where}")
    if len(pairs) > MAX_LISTED:
        lines.append(f"- … {len(pairs) - MAX_LISTED} more")
    return "\n".join(lines)

"""Checkbox edits: toggle one task, set several, set a parent from its sub-tasks.

An edit replaces exactly one character — the status glyph between the brackets — so the
optional `*`, indentation, IDs, line endings and everything else stay byte for byte.
"""

from __future__ import annotations

from ..config import Config
from ..model import BadCheckbox, Flavor, Status, Task, TasksDoc
from .edits import Action, Edit

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterable


def done_habit(tasks: Iterable[Task]) -> str | None:
    """The most common done glyph (x or X) of `tasks` (a tie goes to X), or None."""
    done = [t.glyph for t in tasks if t.status is Status.DONE and t.glyph]
    return max(sorted(set(done)), key=done.count) if done else None


def glyph_for(status: Status, doc: TasksDoc, config: Config, habit: str | None = None) -> str | None:
    """The glyph that writes `status` in this document's convention. `habit`: the document's
    done glyph when `doc` is only part of it (the server's block view)."""
    if status is Status.DONE:
        habit = habit or done_habit(doc.tasks)
        if habit:
            return habit  # the document's own habit: x or X
        return "X" if doc.flavor == Flavor.SPEC_KIT else "x"
    if status is Status.TODO:
        return " "
    for glyph, meaning in config.status_glyphs.items():
        if meaning is status:
            return glyph
    return None


def set_status(
    doc: TasksDoc, task: Task, status: Status, config: Config, habit: str | None = None
) -> Edit | None:
    if task.glyph_span is None:
        return None
    glyph = glyph_for(status, doc, config, habit)
    if glyph is None or glyph == task.glyph:
        return None
    return Edit(doc.path, task.glyph_span, glyph)


def toggle_target(task: Task) -> Status:
    return Status.TODO if task.status is Status.DONE else Status.DONE


def broken_checkbox(doc: TasksDoc, line: int) -> BadCheckbox | None:
    """The malformed checkbox (`- [ x] …`) on `line`, or None."""
    for bad in doc.bad_checkboxes:
        if bad.line == line:
            return bad
    return None


def why_no_toggle(doc: TasksDoc, line: int, offset: int = 0) -> str:
    """Why there is nothing to toggle on `line`, for the user. `offset`: the line number of
    `doc`'s first line in the document (the server's block view); messages count from 1."""
    bad = broken_checkbox(doc, line)
    shown = line + offset + 1
    if bad is not None:
        return (
            f"the checkbox on line {shown} is malformed ([{bad.inner}]): "
            "write [ ] or [x] (quick fix: Replace with …)"
        )
    return f"no task on line {shown}"


def toggle(doc: TasksDoc, line: int, config: Config, habit: str | None = None) -> Edit | None:
    """The edit that toggles the task on `line` (done ↔ not done), or None if none is there."""
    task = doc.task_at_line(line)
    if task is None or task.glyph_span is None:
        return None
    return set_status(doc, task, toggle_target(task), config, habit)


def _name(task: Task) -> str:
    return f"task {task.id}" if task.id else f"task '{task.title[:30]}'"


def descendants(doc: TasksDoc, task: Task) -> list[Task]:
    return doc.descendants(task)


def uses_in_progress(doc: TasksDoc, config: Config) -> bool:
    """Offer "Mark in progress" only where the convention has an in-progress glyph."""
    return doc.flavor in (Flavor.KIRO, Flavor.SPEC_WORKFLOW) and any(
        m is Status.IN_PROGRESS for m in config.status_glyphs.values()
    )


def toggle_actions(
    doc: TasksDoc, start_line: int, end_line: int, config: Config, habit: str | None = None
) -> list[Action]:
    tasks = [t for t in doc.tasks if start_line <= t.line <= end_line and t.glyph_span is not None]
    if not tasks:
        # the cursor on a detail line: act on the task whose block holds it; never from a line
        # that looks like a task of its own (a malformed checkbox) or its details: that would
        # act on another task than the one the user sees
        holder = doc.task_containing(start_line)
        if holder is None or holder.glyph_span is None:
            return []
        if any(holder.line < bad.line <= start_line for bad in doc.bad_checkboxes):
            return []  # the line is, or is under, a malformed checkbox: not the holder's
        tasks = [holder]
    actions: list[Action] = []
    if len(tasks) == 1:
        task = tasks[0]
        if task.status is Status.DONE:
            edit = set_status(doc, task, Status.TODO, config, habit)
            if edit:
                actions.append(Action(f"Mark {_name(task)} not done", "refactor.rewrite", [edit]))
        else:
            edit = set_status(doc, task, Status.DONE, config, habit)
            if edit:
                actions.append(Action(f"Mark {_name(task)} done", "refactor.rewrite", [edit]))
            if task.status is not Status.IN_PROGRESS and uses_in_progress(doc, config):
                edit = set_status(doc, task, Status.IN_PROGRESS, config, habit)
                if edit:
                    actions.append(Action(f"Mark {_name(task)} in progress", "refactor.rewrite", [edit]))
        subtree = [t for t in descendants(doc, task) if t.glyph_span is not None]
        if subtree:
            everything = [task] + subtree
            if any(t.status is not Status.DONE for t in everything):
                edits = [e for t in everything if (e := set_status(doc, t, Status.DONE, config, habit))]
                actions.append(
                    Action(
                        f"Mark {_name(task)} and its {len(subtree)} sub-tasks done", "refactor.rewrite", edits
                    )
                )
        return actions
    # several task lines: one action sets all of them to one state (markdown.nvim behaviour)
    target = Status.DONE if any(t.status is not Status.DONE for t in tasks) else Status.TODO
    edits = [e for t in tasks if (e := set_status(doc, t, target, config, habit))]
    word = "done" if target is Status.DONE else "not done"
    actions.append(Action(f"Mark {len(tasks)} tasks {word}", "refactor.rewrite", edits))
    return actions

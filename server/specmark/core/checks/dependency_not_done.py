"""dependency-not-done: a task is marked done while a task it depends on is not."""

from __future__ import annotations

from ..model import Finding, Related, Severity, Span, Status, Task, TasksDoc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from . import CheckContext

CODE = "dependency-not-done"
DEFAULT = Severity.WARNING
SUMMARY = "A task is marked done while a task it depends on (or an earlier wave's task) is not."


def check(ctx: CheckContext) -> Iterator[Finding]:
    from ..deps import complete, plans, task_lineage

    for plan in plans(ctx.tasks):
        waves = plan.waves
        if not plan.depends and not waves:
            continue
        doc = plan.doc
        waves_of = plan.wave_of() if waves else {}
        listed: dict[str, Span] = {}
        for w in waves:
            for wt in w.tasks:
                listed.setdefault(wt.id, wt.span)
        for t in doc.tasks:
            if t.status is not Status.DONE or t.glyph_span is None:
                continue
            own = plan.depends.get(t.index, ())
            mine = {o.id for o in task_lineage(doc, t) if o.id} if own else set()
            # its own _Depends: (not its parents': a finished sub-task may precede them)
            for r in own:
                dep = plan.by_id.get(r.id)
                if dep is None or r.id in mine or complete(doc, dep):
                    continue
                assert dep.id_span is not None  # a task with an ID knows where it is written
                yield Finding(
                    CODE,
                    doc.path,
                    r.span,
                    f"{t.label} is marked done, but task {r.id} it depends on is not",
                    related=(Related(doc.path, dep.id_span, f"task {r.id} ({_status(doc, dep)})"),),
                )
            if not waves or t.children or not t.id or t.id not in waves_of:
                continue
            order = plan.order()
            open_ = order.pending(t, settle=True, limit=4)
            if open_:
                names = ", ".join(open_[:3]) + (" …" if len(open_) > 3 else "")
                wi = waves_of[t.id]
                assert t.id_span is not None  # a task with an ID knows where it is written
                yield Finding(
                    CODE,
                    doc.path,
                    listed.get(t.id) or t.id_span,
                    f"{t.label} (wave {waves[wi].label}) is marked done, but tasks of an earlier wave "
                    f"are not: {names}",
                    related=tuple(
                        Related(doc.path, listed[i], f"task {i}, not done") for i in open_[:3] if i in listed
                    ),
                )


def _status(doc: TasksDoc, task: Task) -> str:
    if task.status is not None:
        return str(task.status.value)
    return "open"

"""graph-mismatch: the dependency graph and the plan disagree (or the graph does not parse)."""

from __future__ import annotations

from ..model import Finding, Related, Severity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..deps import Wave, WaveTask
    from . import CheckContext

CODE = "graph-mismatch"
DEFAULT = Severity.WARNING
SUMMARY = "The dependency graph and the plan disagree, or the graph's JSON does not parse."


def check(ctx: CheckContext) -> Iterator[Finding]:
    from ..deps import earlier_waves, plans, task_lineage

    for plan in plans(ctx.tasks):
        g = plan.graph  # None without headings
        if g is None:
            continue
        doc = plan.doc
        if g.error is not None:
            msg, span = g.error
            yield Finding(CODE, doc.path, span, msg)
            continue
        waves = plan.waves
        if not waves:
            continue
        first: dict[str, tuple[Wave, WaveTask]] = {}
        for w in waves:
            for wt in w.tasks:
                prev = first.get(wt.id)
                if prev is None:
                    first[wt.id] = (w, wt)
                    continue
                pw, pwt = prev
                where = (
                    "again in the same wave"
                    if pw.index == w.index
                    else f"in wave {pw.label} and wave {w.label}"
                )
                yield Finding(
                    CODE,
                    doc.path,
                    wt.span,
                    f"Task {wt.id} is listed {where}; list it once",
                    related=(Related(doc.path, pwt.span, f"first listed in wave {pw.label}"),),
                )
        by_id = plan.by_id
        # a parent listed with its own sub-tasks
        for ident, (w, wt) in first.items():
            t = by_id.get(ident)
            if t is None or not t.children:
                continue
            subs = [d.id for d in doc.descendants(t) if d.id in first]
            if subs:
                sw, swt = first[subs[0]]
                yield Finding(
                    CODE,
                    doc.path,
                    wt.span,
                    f"Task {ident} is listed in wave {w.label} along with its own sub-task"
                    f"{'s' if len(subs) > 1 else ''} {', '.join(subs[:3])}{' …' if len(subs) > 3 else ''}; "
                    "list either the parent or its sub-tasks",
                    related=(Related(doc.path, swt.span, f"sub-task {subs[0]} in wave {sw.label}"),),
                )
        # a leaf task in no wave (nor any parent of it); an optional task (`[ ]*`) may be left
        # out: agents skip optional tasks unless asked, so a graph that omits them is consistent
        lineage = plan.order().lineage_ids
        for t in doc.tasks:
            if t.children or t.status is None or not t.id or t.id_span is None or t.optional:
                continue
            if any(i in first for i in lineage[t.index]):
                continue
            yield Finding(
                CODE,
                doc.path,
                t.id_span,
                f"{t.label} is in no wave of the dependency graph; agents that run the waves will "
                "skip it or run it last — add it to the wave it belongs to",
                related=(Related(doc.path, waves[-1].span, f"the last wave ({waves[-1].label})"),),
            )
        # a wave that puts a task before one of its _Depends:
        waves_of = {ident: w.index for ident, (w, _wt) in first.items()}
        for index, refs in plan.depends.items():
            t = doc.tasks[index]
            if not t.id or t.id not in first:
                continue
            tw, twt = first[t.id]
            before = set(earlier_waves(waves, tw.index))
            for r in refs:
                dep = by_id.get(r.id)
                if dep is None:
                    continue
                dw = next((waves_of[o.id] for o in task_lineage(doc, dep) if o.id in waves_of), None)
                if dw is None or dw in before:
                    continue
                yield Finding(
                    CODE,
                    doc.path,
                    twt.span,
                    f"Task {t.id} is in wave {tw.label}, which does not follow wave {waves[dw].label} "
                    f"of task {r.id} it depends on; move one of them",
                    related=(Related(doc.path, r.span, f"task {t.id} depends on {r.id}"),),
                )

"""unknown-dependency: a `_Depends:` line or a wave of the dependency graph names a task ID
that the plan does not define."""

from __future__ import annotations

from ..model import Finding, Related, Severity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from . import CheckContext

CODE = "unknown-dependency"
DEFAULT = Severity.ERROR
SUMMARY = "A dependency line or a dependency-graph wave names a task the plan does not define."


def check(ctx: CheckContext) -> Iterator[Finding]:
    from ..deps import plans, suggestions

    for plan in plans(ctx.tasks):
        if not plan.depends and not plan.waves:
            continue
        doc = plan.doc
        known = plan.known
        named = []
        for index, refs in plan.depends.items():
            who = doc.tasks[index].label
            for r in refs:
                if r.id not in known:
                    named.append((r.id, r.span, f"{who} depends on task {r.id}"))
        for w in plan.waves:
            for wt in w.tasks:
                if wt.id not in known:
                    named.append(
                        (wt.id, wt.span, f"Wave {w.label} of the dependency graph lists task {wt.id}")
                    )
        for ident, span, what in named:
            sugg = suggestions(ident, plan.by_id)
            related: tuple[Related, ...] = ()
            if sugg:
                target = plan.by_id[sugg[0]]
                assert target.id_span is not None  # a task with an ID knows where it is written
                related = (Related(doc.path, target.id_span, f"did you mean {sugg[0]}?"),)
                hint = f"; did you mean {_either(sugg)}?"
            else:
                hint = "; fix the ID or add the task"
            yield Finding(
                CODE,
                doc.path,
                span,
                f"{what}, which this plan does not define{hint}",
                related=related,
                data={"id": ident, "suggestions": sugg},
            )


def _either(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} or {ids[-1]}"

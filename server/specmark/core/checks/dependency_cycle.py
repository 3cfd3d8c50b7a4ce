"""dependency-cycle: tasks that depend on each other in a cycle (`_Depends:`, graph arrows), or
waves whose `depends_on` form one."""

from __future__ import annotations

from ..model import Finding, Related, Severity, Span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..deps import Wave
    from . import CheckContext

CODE = "dependency-cycle"
DEFAULT = Severity.ERROR
SUMMARY = "Tasks (or dependency-graph waves) depend on each other in a cycle."


def check(ctx: CheckContext) -> Iterator[Finding]:
    from ..deps import edges_of, plans

    for plan in plans(ctx.tasks):
        if not plan.declared:
            continue
        doc = plan.doc
        where: dict[tuple[str, str], Span] = {}
        succ: dict[str, list[str]] = {}
        for a, b, span in edges_of(plan):
            if (a, b) not in where:
                where[(a, b)] = span
                succ.setdefault(a, []).append(b)
        for cycle in _cycles(succ):
            # the cycle as written: b depends on a for each arrow a → b
            pairs = [(cycle[i], cycle[(i + 1) % len(cycle)]) for i in range(len(cycle))]
            spans = [where[p] for p in pairs]
            first = min(range(len(spans)), key=lambda i: (spans[i].line, spans[i].col))
            pairs = pairs[first:] + pairs[:first]
            spans = spans[first:] + spans[:first]
            ring = " → ".join([p[0] for p in pairs] + [pairs[0][0]])
            if len(pairs) == 1:
                msg = f"Task {pairs[0][1]} depends on itself"
            else:
                msg = f"Tasks depend on each other in a cycle: {ring} (each waits for the one before it)"
            yield Finding(
                CODE,
                doc.path,
                spans[0],
                msg + "; remove one of these dependencies",
                related=tuple(
                    Related(doc.path, s, f"task {b} depends on {a}")
                    for (a, b), s in zip(pairs, spans, strict=True)
                )[1:],
                data={"cycle": [p[0] for p in pairs]},
            )
        yield from _wave_cycles(doc.path, plan.waves)


def _cycles(succ: dict[str, list[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with a cycle (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(succ):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on.add(v)
            nxt = succ.get(v, [])
            if i < len(nxt):
                work.append((v, i + 1))
                w = nxt[i]
                if w not in index:
                    work.append((w, 0))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                members = set(comp)
                if len(comp) > 1 or v in succ.get(v, []):
                    out.append(_ring(min(comp), succ, members))
    return out


def _ring(start: str, succ: dict[str, list[str]], members: set[str]) -> list[str]:
    """A shortest cycle through `start` inside its component (breadth first)."""
    if start in succ.get(start, []):
        return [start]
    prev: dict[str, str] = {}
    todo = [start]
    while todo:
        nxt_level = []
        for v in todo:
            for w in succ.get(v, []):
                if w not in members:
                    continue
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(prev[path[-1]])
                    return path[::-1]
                if w not in prev:
                    prev[w] = v
                    nxt_level.append(w)
        todo = nxt_level
    return [start]


def _wave_cycles(path: str, waves: tuple[Wave, ...]) -> list[Finding]:
    by_label = {str(w.label): w for w in waves}
    succ: dict[str, list[str]] = {}
    for w in waves:
        for a in w.after or ():
            if str(a) in by_label:
                succ.setdefault(str(a), []).append(str(w.label))
    out = []
    for cycle in _cycles(succ):
        ws = [by_label[c] for c in cycle]
        ring = " → ".join(str(c) for c in [*cycle, cycle[0]])
        out.append(
            Finding(
                CODE,
                path,
                ws[0].span,
                f"Waves of the dependency graph depend on each other in a cycle: {ring}; fix their depends_on",
                related=tuple(Related(path, w.span, f"wave {w.label}") for w in ws[1:]),
            )
        )
    return out

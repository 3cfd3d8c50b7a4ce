"""Execution order of a plan: dependencies, parallel markers and dependency-graph waves.

Read from a parsed `TasksDoc` and its raw lines (tasks.py finds the `_Depends:` lines; the
tokens and the graph are read here):

- detail lines `_Depends: 1.2, 2.1_`, `_Depends:_ 1.2`, `**Dependencies**: 1.1, 1.2`,
  `Depends on: T003` (a token that is not a task ID — "None", a note — is ignored);
- a `## Task Dependency Graph` section (any heading with "Dependency Graph" or
  "Dependencies"): its fenced JSON block of waves (Kiro: `{"waves": [{"id": 0, "tasks":
  ["2.1"]}]}`, `"wave"` for `"id"`, `"name"`/`"description"`, `"depends_on"` between waves,
  the compact `{"waves": [["1"], ["2"]]}`) and plain-text arrows (`T1 --> T2 --> T3`,
  `Task 2 + Task 5 → Task 6`, `T005 depends on T002`) whose every node is a task of the plan;
- `(P)` / `[P]` labels (tasks.py puts them in `Task.labels`).

`plan_of(doc)` gives the `Plan` of one document (memoised per parsed document), `plans(docs)`
the plans of the documents that have tasks;
`ready_set(docs)` decides which units of work are ready and which are blocked, and by what.
"""

from __future__ import annotations

import re

from .model import Record, Span, Status, Task, TasksDoc
from .refs import match_depends
from .tasks import graph_heading
from .text import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import Any

    Entry = tuple[TasksDoc, Task]
    BlockedEntry = tuple[TasksDoc, Task, list["Blocker"]]

# ---- the model ------------------------------------------------------------------------------


class DepRef(Record, frozen=True):
    """One task ID named as a dependency: where it is written and how (`depends`: a detail
    line; `edge`: a plain-text arrow of the graph section)."""

    id: str
    span: Span
    via: str


class WaveTask(Record, frozen=True):
    """A task ID inside a wave's `tasks` array (span: the ID inside the JSON string)."""

    id: str
    span: Span


class Wave(Record, frozen=True):
    """One wave: its position, its label (`id`/`wave` value, else the position), where it
    starts, its tasks, and `after`: the labels of the waves it depends on (`depends_on`), or
    None when it does not say (then it follows every earlier wave)."""

    index: int
    label: str
    span: Span
    tasks: tuple[WaveTask, ...]
    after: tuple[str, ...] | None


class Graph(Record, frozen=True):
    """The dependency-graph section: its heading line, the (first, last) lines of its JSON
    fence (or None), the waves (None without a readable JSON block), a JSON error as
    (message, Span) or None, and the plain-text edges as (before DepRef, after DepRef)."""

    heading: int
    fence: tuple[int, int] | None
    waves: tuple[Wave, ...] | None
    error: tuple[str, Span] | None
    edges: tuple[tuple[DepRef, DepRef], ...]


class Plan:
    """What one tasks document says about execution order."""

    __slots__ = ("doc", "graph", "depends", "by_id", "known", "_wave_of", "_order")

    def __init__(self, doc: TasksDoc, graph: Graph | None, depends: dict[int, list[DepRef]]) -> None:
        self.doc = doc
        self.graph: Graph | None = graph
        self.depends: dict[int, list[DepRef]] = depends  # task index → its `_Depends:` IDs
        self.by_id: dict[str, Task] = {}
        for t in doc.tasks:
            if t.id and t.id not in self.by_id:
                self.by_id[t.id] = t
        self.known = set(self.by_id) | _written_ids(doc)
        self._wave_of: dict[str, int] | None = None
        self._order: WaveOrder | None = None

    @property
    def waves(self) -> tuple[Wave, ...]:
        g = self.graph
        return g.waves if g is not None and g.waves else ()

    @property
    def declared(self) -> bool:
        """Whether the document declares any order (dependencies, graph edges or waves)."""
        g = self.graph
        return bool(self.depends) or (g is not None and (bool(g.waves) or bool(g.edges)))

    def wave_of(self) -> dict[str, int]:
        """Task ID → index of the first wave listing it (computed once)."""
        if self._wave_of is None:
            out: dict[str, int] = {}
            for w in self.waves:
                for wt in w.tasks:
                    out.setdefault(wt.id, w.index)
            self._wave_of = out
        return self._wave_of

    def order(self) -> WaveOrder:
        """What the waves say about each task, computed once per plan."""
        if self._order is None:
            self._order = WaveOrder(self)
        return self._order


# ---- task-ID tokens -------------------------------------------------------------------------

_TASK_TOKEN = lazy(
    r"(?<![\w.])(?:(?:Task|Tasks|タスク)[ \t]*)?(?P<id>T\d+|\d+[A-Za-z]?(?:\.\d+[A-Za-z]?)*)\.?(?![\w.])",
    re.I,
)
_SPLIT = lazy(r"[,，、;；]|\band\b|&|\+")
_PAREN = lazy(r"\([^)]*\)|（[^）]*）|`[^`]*`")


def normalise_task_id(raw: str) -> str:
    """`t003` → `T003`, `1.2.` → `1.2`, `Task 3` → `3`."""
    s = raw.strip().strip("*_`\"'").strip()
    if s[:4].lower() == "task":
        s = s[4:].lstrip(" \t:#")
    s = s.rstrip(".")
    return s.upper() if s[:1] in "tT" else s


def depends_tokens(line: str, start: int, lineno: int) -> list[tuple[str, Span]]:
    """The task IDs on a `_Depends:` line from column `start`: comma (or "and") separated
    pieces that are exactly one task ID (optionally "Task N"); anything else is skipped."""
    end = len(line.rstrip())
    while end > start and line[end - 1] in "_*":
        end -= 1
    body = _PAREN.sub(lambda m: " " * len(m.group()), line[start:end])
    out: list[tuple[str, Span]] = []
    pos = 0
    for piece in _SPLIT.split(body):
        p0 = pos
        pos += len(piece) + 1
        text = piece.strip(" \t*_`")
        if not text:
            continue
        m = _TASK_TOKEN.fullmatch(text)
        if m is None:
            continue
        col = start + p0 + piece.index(text) + m.start("id")
        ident = m.group("id")
        out.append((normalise_task_id(ident), Span(lineno, col, lineno, col + len(ident))))
    # a range "1.1-1.3" is not read: which IDs lie between is the plan's business
    return out


def _written_ids(doc: TasksDoc) -> set[str]:
    """IDs written at the start of a task's title that the parser did not take as IDs
    (`- [ ] 2.1v Verify …`): named by a dependency, they are not unknown."""
    out = set()
    for t in doc.tasks:
        if t.id is None and t.title:
            m = _TASK_TOKEN.match(t.title.split(" ", 1)[0])
            if m and m.group().rstrip(".") == t.title.split(" ", 1)[0].rstrip("."):
                out.add(normalise_task_id(m.group("id")))
    return out


# ---- the graph section ----------------------------------------------------------------------

_FENCE = lazy(r"^[ \t]{0,3}(?P<mark>`{3,}|~{3,})[ \t]*(?P<info>[^`\s]*)")
_ARROW = lazy(r"[ \t]*(?:-{1,2}>|={1,2}>|→|⟶|➔|->)[ \t]*")
_DEPENDS_ON = lazy(r"^(?P<a>.+?)[ \t]+(?:depends[ \t]+on|requires|after)[ \t]+(?P<b>.+?)$", re.I)
_LEAD = lazy(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?")


def _section_of(doc: TasksDoc) -> tuple[int, int] | None:
    """(heading line, end line exclusive) of the dependency-graph section, or None."""
    heads = doc.headings
    for i, h in enumerate(heads):
        if graph_heading(h.text):
            end = len(doc.lines)
            for h2 in heads[i + 1 :]:
                if h2.level <= h.level:
                    end = h2.line
                    break
            return h.line, end
    return None


_GRAPHS: dict[tuple[int, tuple[str, ...]], Graph | None] = {}  # (heading line, section) → Graph


def parse_graph(doc: TasksDoc) -> Graph | None:
    """The dependency-graph section of `doc` (memoised by its text and place)."""
    sec = _section_of(doc)
    if sec is None:
        return None
    head, end = sec
    key = (head, tuple(doc.lines[head:end]))
    if key in _GRAPHS:
        return _GRAPHS[key]
    graph = _parse_graph(doc.lines, head, end)
    if len(_GRAPHS) > 32:
        _GRAPHS.clear()
    _GRAPHS[key] = graph
    return graph


def _parse_graph(lines: list[str], head: int, end: int) -> Graph | None:
    fence = None
    waves = None
    error = None
    edges: list[tuple[DepRef, DepRef]] = []
    n = head + 1
    while n < end:
        line = lines[n]
        m = _FENCE.match(line)
        if m is None:
            edges.extend(_text_edges(line, n))
            n += 1
            continue
        mark = m.group("mark")
        close = n + 1
        while close < len(lines):
            s = lines[close].strip()
            if s.startswith(mark[0] * len(mark)) and not s.strip(mark[0]):
                break
            close += 1
        info = m.group("info").lower()
        body_first = n + 1
        body_last = min(close, len(lines)) - 1
        text = "\n".join(lines[body_first : body_last + 1])
        if fence is None and info in ("json", "jsonc", "") and text.lstrip().startswith(("{", "[")):
            fence = (n, min(close, len(lines) - 1))
            waves, error = _parse_waves(text, body_first)
        elif info in ("", "text", "txt", "plain", "mermaid"):
            for k in range(body_first, body_last + 1):
                edges.extend(_text_edges(lines[k], k))
        n = close + 1
    if fence is None and not edges:
        return None
    return Graph(head, fence, waves, error, tuple(edges))


def _node_ids(text: str, line: str, lineno: int, base: int) -> list[DepRef] | None:
    """The task IDs of one node of an arrow chain (`Task 2 + Task 5`), or None when any part
    of it is not a task ID."""
    out = []
    pos = 0
    for piece in _SPLIT.split(text):
        p0 = pos
        pos += len(piece) + 1
        t = _PAREN.sub(lambda m: " " * len(m.group()), piece).strip()
        if not t:
            return None
        m = _TASK_TOKEN.fullmatch(t.strip("*`"))
        if m is None:
            return None
        inner = t.strip("*`")
        col = base + p0 + piece.index(t) + t.index(inner) + m.start("id")
        ident = m.group("id")
        out.append(DepRef(normalise_task_id(ident), Span(lineno, col, lineno, col + len(ident)), "edge"))
    return out or None


def _text_edges(line: str, lineno: int) -> list[tuple[DepRef, DepRef]]:
    """(before, after) pairs of `A --> B --> C` (every node a task ID) or `A depends on B`."""
    lead = _LEAD.match(line)
    start = lead.end() if lead else 0
    body = line[start:].rstrip()
    if not body:
        return []
    if _ARROW.search(body):
        parts = []
        pos = 0
        for m in _ARROW.finditer(body):
            parts.append((body[pos : m.start()], pos))
            pos = m.end()
        parts.append((body[pos:], pos))
        chain = []
        for text, off in parts:
            ids = _node_ids(text, line, lineno, start + off)
            if ids is None:
                return []
            chain.append(ids)
        return [(a, b) for i in range(len(chain) - 1) for a in chain[i] for b in chain[i + 1]]
    m = _DEPENDS_ON.match(body)
    if m:
        after = _node_ids(m.group("a"), line, lineno, start + m.start("a"))
        before = _node_ids(m.group("b"), line, lineno, start + m.start("b"))
        if after and before:
            return [(b, a) for a in after for b in before]
    return []


# JSON with positions: json.loads validates (and words the error); this walks the valid text
_WS = lazy(r"[ \t\r\n]*")
_STR = lazy(r'"(?:[^"\\\n]|\\.)*"')
_NUM = lazy(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


class _Node(Record, frozen=True):
    """A JSON value of the graph's fence, with its offsets in the text."""

    kind: str  # "obj", "arr", "str", "num" or "lit"
    value: Any  # str; (key node, value node) pairs for "obj"; nodes for "arr"
    start: int
    end: int


def _walk(text: str, i: int) -> tuple[_Node, int]:
    i = _WS.match(text, i).end()
    c = text[i]
    if c == "{":
        start = i
        pairs: list[tuple[str, _Node]] = []
        i = _WS.match(text, i + 1).end()
        if text[i] == "}":
            return _Node("obj", pairs, start, i + 1), i + 1
        while True:
            i = _WS.match(text, i).end()
            m = _STR.match(text, i)
            key = _unquote(m.group())
            i = _WS.match(text, m.end()).end() + 1  # the colon
            val, i = _walk(text, i)
            pairs.append((key, val))
            i = _WS.match(text, i).end()
            if text[i] == "}":
                return _Node("obj", pairs, start, i + 1), i + 1
            i += 1  # the comma
    if c == "[":
        start = i
        items: list[_Node] = []
        i = _WS.match(text, i + 1).end()
        if text[i] == "]":
            return _Node("arr", items, start, i + 1), i + 1
        while True:
            val, i = _walk(text, i)
            items.append(val)
            i = _WS.match(text, i).end()
            if text[i] == "]":
                return _Node("arr", items, start, i + 1), i + 1
            i += 1
    if c == '"':
        m = _STR.match(text, i)
        return _Node("str", _unquote(m.group()), i + 1, m.end() - 1), m.end()
    m = _NUM.match(text, i)
    if m:
        return _Node("num", m.group(), i, m.end()), m.end()
    for word in ("true", "false", "null"):
        if text.startswith(word, i):
            return _Node("lit", word, i, i + len(word)), i + len(word)
    raise ValueError(i)


def _unquote(s: str) -> str:
    if "\\" not in s:
        return s[1:-1]
    import json

    out: str = json.loads(s)
    return out


def _parse_waves(text: str, first_line: int) -> tuple[tuple[Wave, ...] | None, tuple[str, Span] | None]:
    import json

    starts = [0]
    for k, ch in enumerate(text):
        if ch == "\n":
            starts.append(k + 1)

    def pos(off: int) -> tuple[int, int]:
        import bisect

        ln = bisect.bisect_right(starts, off) - 1
        return first_line + ln, off - starts[ln]

    def span(a: int, b: int) -> Span:
        la, ca = pos(a)
        lb, cb = pos(b)
        return Span(la, ca, lb, cb)

    try:
        json.loads(text)
    except ValueError as e:
        off = getattr(e, "pos", 0) or 0
        msg = getattr(e, "msg", str(e))
        line, col = pos(min(off, len(text)))
        return None, (
            f"The dependency graph's JSON does not parse: {msg} (line {line + 1}, column {col + 1}); "
            "its waves are ignored until it does",
            Span(line, col, line, col + 1),
        )
    try:
        root, _ = _walk(text, 0)
    except (ValueError, IndexError, AttributeError):
        return None, None
    if root.kind == "obj":
        arr = next((v for k, v in root.value if k.lower() == "waves"), None)
    else:
        arr = root
    if arr is None or arr.kind != "arr":
        return None, None
    waves = []
    for index, w in enumerate(arr.value):
        label = str(index)
        after = None
        tasks_node = None
        if w.kind == "arr":
            tasks_node = w
        elif w.kind == "obj":
            for k, v in w.value:
                kl = k.lower()
                if kl in ("id", "wave") and v.kind in ("num", "str"):
                    label = v.value
                elif kl == "tasks":
                    tasks_node = v
                elif kl in ("depends_on", "dependson", "depends", "after") and v.kind == "arr":
                    after = tuple(x.value for x in v.value if x.kind in ("num", "str"))
        else:
            continue
        tasks = []
        if tasks_node is not None and tasks_node.kind == "arr":
            for x in tasks_node.value:
                if x.kind not in ("str", "num"):
                    continue
                raw = x.value
                ident = normalise_task_id(raw)
                if not ident:
                    continue
                lead = raw.find(ident) if raw.find(ident) >= 0 else 0
                tasks.append(WaveTask(ident, span(x.start + lead, x.start + lead + len(ident))))
        waves.append(Wave(index, label, span(w.start, w.start + 1), tuple(tasks), after))
    listed = [wt for w in waves for wt in w.tasks]
    odd = [wt for wt in listed if not _TASK_TOKEN.fullmatch(wt.id)]
    if listed and 2 * len(odd) > len(listed):
        # most entries are not task IDs (titles, names): a shape we do not read, said once
        return None, (
            f"The dependency graph's waves do not list task IDs ({len(odd)} of {len(listed)} "
            f'entries, such as {odd[0].id!r}); write the plan\'s IDs ("2.1") so its order can be checked',
            odd[0].span,
        )
    return tuple(waves), None


# ---- the plan of a document -----------------------------------------------------------------

_PLANS: dict[int, tuple[TasksDoc, Plan]] = {}  # id(doc) → (doc, Plan): parsed documents are memoised by text


def plan_of(doc: TasksDoc) -> Plan:
    hit = _PLANS.get(id(doc))
    if hit is not None and hit[0] is doc:
        return hit[1]
    depends: dict[int, list[DepRef]] = {}
    for t in doc.tasks:
        for dl in t.depends:
            line = doc.lines[dl.line]
            start = match_depends(line)
            if start is None:
                continue
            for ident, span in depends_tokens(line, start, dl.line):
                depends.setdefault(t.index, []).append(DepRef(ident, span, "depends"))
    graph = parse_graph(doc) if doc.headings else None
    plan = Plan(doc, graph, depends)
    if depends:
        resolve = _resolver(plan.known)
        for refs in depends.values():
            for i, r in enumerate(refs):
                alt = resolve(r)
                if alt is not None and alt is not r:
                    refs[i] = alt
    if graph is not None and graph.edges:
        plan.graph = graph._replace(edges=_resolve_edges(graph.edges, plan.known))
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[id(doc)] = (doc, plan)
    return plan


def plans(docs: Iterable[TasksDoc]) -> Iterator[Plan]:
    """The plan of each document that has tasks, in order (`plan.doc` is the document)."""
    for doc in docs:
        if doc.tasks:
            yield plan_of(doc)


def _resolver(known: set[str]) -> Callable[[DepRef], DepRef | None]:
    """`T1` is `T001`, or `1`, when the plan has no task `T1`; None for an ID of no task."""
    numbers: dict[int, str] = {}
    for k in known:
        if k[:1] == "T" and k[1:].isdigit():
            numbers.setdefault(int(k[1:]), k)

    def resolve(ref: DepRef) -> DepRef | None:
        if ref.id in known:
            return ref
        if ref.id[:1] == "T" and ref.id[1:].isdigit():
            alt = numbers.get(int(ref.id[1:])) or (ref.id[1:] if ref.id[1:] in known else None)
            if alt is not None:
                return ref._replace(id=alt)
        return None

    return resolve


def _resolve_edges(
    edges: tuple[tuple[DepRef, DepRef], ...], known: set[str]
) -> tuple[tuple[DepRef, DepRef], ...]:
    """Arrows whose nodes are all tasks of the plan (`T1` is `T001` or `1` when the plan has
    no `T1`); an arrow naming anything else is not read."""
    resolve = _resolver(known)
    out = []
    for a, b in edges:
        ra, rb = resolve(a), resolve(b)
        if ra is not None and rb is not None:
            out.append((ra, rb))
    return tuple(out)


# ---- the ready set --------------------------------------------------------------------------


class Blocker(Record, frozen=True):
    """What holds a task back: a task ID (or "" for the task's own status) and why —
    `depends` (its `_Depends:`), `graph` (an arrow of the graph), `wave` (a task of an
    earlier wave), `order` (an earlier open task, in a plan without dependencies) or
    `status` (marked blocked)."""

    id: str
    why: str


class ReadySet:
    """`ready`: the open units of work that may start now, in plan order, each as (doc, task);
    `blocked`: the other open units, each as (doc, task, [Blocker, …]); `mode`: what decided
    — "dependencies" (the plan declares them) or "plan order" (it does not)."""

    __slots__ = ("ready", "blocked", "mode", "_by_task")

    def __init__(self, ready: list[Entry], blocked: list[BlockedEntry], mode: str) -> None:
        self.ready = ready
        self.blocked = blocked
        self.mode = mode
        self._by_task: dict[int, tuple[Blocker, ...]] = {id(t): () for _d, t in ready}
        for _d, t, bs in blocked:
            self._by_task[id(t)] = tuple(bs)

    def blockers(self, task: Task) -> tuple[Blocker, ...] | None:
        """() when `task` is ready, its blockers when blocked, None when it is no open unit."""
        return self._by_task.get(id(task))


_TRAILING_P = lazy(r"[ \t](?:\(P\)|\[P\])$")


def is_parallel(task: Task) -> bool:
    """Marked to run in parallel: `[P]` / `(P)` before the title (a label) or after it."""
    return "P" in task.labels or bool(_TRAILING_P.search(task.title))


def is_unit(doc: TasksDoc, task: Task) -> bool:
    """A task one works on: a leaf with a checkbox, or a parent whose sub-tasks are all done."""
    if task.status is None or task.glyph_span is None:
        return False
    return all(complete(doc, doc.tasks[c]) for c in task.children)


def complete(doc: TasksDoc, task: Task) -> bool:
    """Done: checked, or (a heading task) every sub-task complete."""
    if task.status is not None:
        return task.status is Status.DONE
    return all(complete(doc, doc.tasks[c]) for c in task.children)


def task_lineage(doc: TasksDoc, task: Task) -> list[Task]:
    """`task` and its parents, innermost first."""
    out = [task]
    seen = {task.index}
    cur = task.parent
    while cur is not None and cur not in seen:
        seen.add(cur)
        out.append(doc.tasks[cur])
        cur = doc.tasks[cur].parent
    return out


def wave_index(plan: Plan, task: Task, waves_of: dict[str, int] | None = None) -> int | None:
    """The wave `task` runs in: its own, else its nearest listed parent's; None if neither is
    listed."""
    waves_of = plan.wave_of() if waves_of is None else waves_of
    for t in task_lineage(plan.doc, task):
        if t.id and t.id in waves_of:
            return waves_of[t.id]
    return None


def earlier_waves(waves: tuple[Wave, ...], index: int) -> list[int]:
    """The waves wave `index` must follow: its `depends_on` (transitively) when it says, else
    every wave before it (and what those follow)."""
    by_label = {str(w.label): w.index for w in waves}
    out: set[int] = set()
    todo = [index]
    while todo:
        w = waves[todo.pop()]
        explicit = w.after is not None
        prev = (
            [by_label[str(a)] for a in (w.after or ()) if str(a) in by_label] if explicit else range(w.index)
        )
        for p in prev:
            if p not in out and p != index:
                out.add(p)
                # a wave without depends_on follows the waves before it: already here when we
                # came from such a wave (they are before it too), to be added otherwise
                if explicit or waves[p].after is not None:
                    todo.append(p)
    return sorted(out)


MAX_WAVE_BLOCKERS = 10  # per task: the first open tasks of the earlier waves, in wave order
MAX_LINEAGE = 8  # room kept per wave for a task's own parents among those


class WaveOrder:
    """A plan's waves, indexed once: each task's wave (its own, its nearest listed parent's, or
    for a task in no wave the last wave of the tasks before it in the plan, marked "after"),
    the waves each wave follows, and each wave's tasks that are not complete / not settled."""

    __slots__ = ("plan", "wave", "follows", "open", "unsettled", "heads", "lineage_ids", "own_wave")

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        doc = plan.doc
        waves = plan.waves
        waves_of = plan.wave_of()
        self.wave: list[tuple[int, bool] | None] = []  # per task index: (wave, in no wave)
        self.lineage_ids: list[tuple[str, ...]] = []  # per task index: its ID and its parents'
        self.own_wave: list[int | None] = []  # per task index: its own or nearest parent's wave
        last = -1
        tasks = doc.tasks
        for t in tasks:
            # parents come before their sub-tasks: their entries are already there
            p = t.parent
            if p is not None and p < t.index:
                ids = self.lineage_ids[p] + (t.id,) if t.id else self.lineage_ids[p]
                w = waves_of.get(t.id) if t.id else None
                if w is None:
                    w = self.own_wave[p]
            else:
                ids = (t.id,) if t.id else ()
                w = waves_of.get(t.id) if t.id else None
                if p is not None:  # a parent after its sub-task (never from the parser): walk
                    ids = tuple(o.id for o in task_lineage(doc, t) if o.id)
                    w = wave_index(plan, t, waves_of)
            self.lineage_ids.append(ids)
            self.own_wave.append(w)
            self.wave.append((w, False) if w is not None else ((last, True) if last >= 0 else None))
            if t.id and t.id in waves_of:
                last = max(last, waves_of[t.id])
        self.follows: dict[int, list[int]] = {}
        self.heads: dict[tuple[tuple[int, bool], bool, int], list[str]] = {}
        self.open: list[list[str]] = []
        self.unsettled: list[list[str]] = []
        for wave in waves:
            op: list[str] = []
            un: list[str] = []
            for wt in wave.tasks:
                listed = plan.by_id.get(wt.id)
                if listed is None:
                    continue
                if not complete(doc, listed):
                    op.append(wt.id)
                    if not settled(doc, listed):
                        un.append(wt.id)
            self.open.append(op)
            self.unsettled.append(un)

    def before(self, task: Task) -> list[int]:
        """The waves `task` must follow."""
        if task.index >= len(self.wave):
            return []
        at = self.wave[task.index]
        if at is None:
            return []
        w, after = at
        if after:
            return list(range(w + 1))
        hit = self.follows.get(w)
        if hit is None:
            hit = self.follows[w] = earlier_waves(self.plan.waves, w)
        return hit

    def pending(self, task: Task, settle: bool = False, limit: int = MAX_WAVE_BLOCKERS) -> list[str]:
        """Up to `limit` tasks of the waves `task` must follow that are not complete (with
        `settle`: not settled), its own lineage left out."""
        at = self.wave[task.index] if task.index < len(self.wave) else None
        if at is None:
            return []
        # the first entries are the same for every task of a wave: kept per wave, with room for
        # the task's own lineage (left out below)
        mine = self.lineage_ids[task.index]
        key = (at, settle, limit)
        head = self.heads.get(key)
        if head is None:
            head = self.heads[key] = self._scan(task, settle, limit + MAX_LINEAGE, ())
        out = [i for i in head if i not in mine][:limit]
        if len(out) < limit and len(head) >= limit + MAX_LINEAGE:
            out = self._scan(task, settle, limit, mine)  # the lineage took more room than kept
        return out

    def _scan(self, task: Task, settle: bool, limit: int, mine: tuple[str, ...]) -> list[str]:
        lists = self.unsettled if settle else self.open
        out: list[str] = []
        seen: set[str] = set()
        for k in self.before(task):
            for ident in lists[k]:
                if ident not in mine and ident not in seen:
                    seen.add(ident)
                    out.append(ident)
                    if len(out) >= limit:
                        return out
        return out


_READY: list[tuple[tuple[TasksDoc, ...], ReadySet]] = []  # the last answer, for the same documents


def ready_set(docs: list[TasksDoc]) -> ReadySet:
    """Which open units of work of a spec (its tasks documents, in order) are ready now, and
    which are blocked by what.

    A unit (a leaf task with a checkbox, or a parent whose sub-tasks are done) that is not
    done is ready when it is not marked blocked and
    - every task it or a parent of it depends on (`_Depends:`, graph arrows) is done, and
    - every task of the waves its wave must follow is done or optional and not started (a
      task in no wave follows the waves of the tasks before it in the plan);
    a dependency on a parent task means its whole subtree. IDs no task has are ignored (the
    unknown-dependency check reports them). Without any dependency information in the spec,
    plan order decides: the first open unit is ready, with the parallel-marked (`[P]`, `(P)`)
    units right after it when it is one too.
    """
    if (
        _READY
        and len(_READY[0][0]) == len(docs)
        and all(a is b for a, b in zip(_READY[0][0], docs, strict=True))
    ):
        return _READY[0][1]  # parsed documents are never changed: a new version is a new object
    rs = _ready_set(docs)
    _READY[:] = [(tuple(docs), rs)]
    return rs


def _ready_set(docs: list[TasksDoc]) -> ReadySet:
    plans = [plan_of(d) for d in docs]
    index: dict[str, list[tuple[TasksDoc, Task]]] = {}
    for d in docs:
        for t in d.tasks:
            if t.id:
                index.setdefault(t.id, []).append((d, t))

    def done(ident: str) -> bool | None:
        hits = index.get(ident)
        if not hits:
            return None
        return all(complete(d, t) for d, t in hits)

    units = [(p, t) for p in plans for t in p.doc.tasks if t.status is not Status.DONE and is_unit(p.doc, t)]
    declared = any(p.depends or p.waves for p in plans)
    ready: list[Entry] = []
    blocked: list[BlockedEntry] = []
    first = None
    run = False  # plan order: still in the parallel run that starts with the first open unit
    for p, t in units:
        bs: list[Blocker] = []
        if t.status is Status.BLOCKED:
            bs.append(Blocker("", "status"))
        seen: set[str] = set()
        mine = {o.id for o in task_lineage(p.doc, t) if o.id}
        for owner in task_lineage(p.doc, t):
            for ref in p.depends.get(owner.index, ()):
                if ref.id not in seen and ref.id not in mine:
                    seen.add(ref.id)
                    if done(ref.id) is False:
                        bs.append(Blocker(ref.id, "depends"))
        g = p.graph
        if g is not None and g.edges:
            for a, b in g.edges:
                if b.id in mine and a.id not in seen and a.id not in mine:
                    seen.add(a.id)
                    if done(a.id) is False:
                        bs.append(Blocker(a.id, "graph"))
        if p.waves:
            bs.extend(_wave_blockers(p, t, p.waves, done, seen))
        if not declared and t.status is not Status.BLOCKED:
            if first is None:
                first = t
                run = is_parallel(t)
            elif run and is_parallel(t):
                pass
            else:
                run = False
                bs.append(Blocker(first.id or f"@{first.line + 1}", "order"))
        if bs:
            blocked.append((p.doc, t, bs))
        else:
            ready.append((p.doc, t))
    return ReadySet(ready, blocked, "dependencies" if declared else "plan order")


def _wave_blockers(
    plan: Plan, task: Task, waves: tuple[Wave, ...], done: Callable[[str], bool | None], seen: set[str]
) -> list[Blocker]:
    out = []
    for ident in plan.order().pending(task, settle=True):
        if ident not in seen:
            seen.add(ident)
            out.append(Blocker(ident, "wave"))
    return out


# ---- what the checks read -------------------------------------------------------------------


def settled(doc: TasksDoc, task: Task) -> bool:
    """Complete, or optional and not started (an optional task never holds a wave back)."""
    if task.optional and task.status is Status.TODO:
        return True
    if task.status is not None:
        return task.status is Status.DONE
    return all(settled(doc, doc.tasks[c]) for c in task.children)


def suggestions(ident: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """Task IDs near an unknown one: siblings by number first, then by spelling."""
    import difflib

    from .ids import parent_id

    pid = parent_id(ident)
    out: list[str] = []
    if pid:
        sibs = [k for k in known if parent_id(k) == pid]
        try:
            n = int("".join(ch for ch in ident.rsplit(".", 1)[-1] if ch.isdigit()) or 0)
            sibs.sort(
                key=lambda k: abs(int("".join(ch for ch in k.rsplit(".", 1)[-1] if ch.isdigit()) or 0) - n)
            )
        except ValueError:
            pass
        out.extend(sibs[:limit])
    for cand in difflib.get_close_matches(ident, sorted(known), n=limit, cutoff=0.6):
        if cand not in out:
            out.append(cand)
    return out[:limit]


def edges_of(plan: Plan) -> list[tuple[str, str, Span]]:
    """(dependency, dependent, where the dependency is written) for every `_Depends:` ID and
    graph arrow between tasks of the plan."""
    out = []
    for index, refs in plan.depends.items():
        t = plan.doc.tasks[index]
        if not t.id:
            continue
        for r in refs:
            if r.id in plan.by_id:
                out.append((r.id, t.id, r.span))
    g = plan.graph
    if g is not None:
        for a, b in g.edges:
            out.append((a.id, b.id, a.span))
    return out


# ---- where task IDs are named (navigation, renumbering) -------------------------------------


class IdToken(Record, frozen=True):
    """A task ID named by the plan's dependency information: on a `_Depends:` line (`task`:
    the task whose line it is), in a wave's `tasks` array or a graph arrow (`task`: None).
    `via`: "depends", "wave" or "edge"."""

    id: str
    span: Span
    via: str
    task: Task | None


_TOKENS: dict[int, tuple[Plan, list[IdToken], dict[int, list[IdToken]]]] = {}


def id_tokens(doc: TasksDoc) -> tuple[list[IdToken], dict[int, list[IdToken]]]:
    """Every task ID the dependency information names, in document order, and the same by line.
    Graph arrows count only where the ID is written as the plan writes it (not `T1` for `1`)."""
    plan = plan_of(doc)
    hit = _TOKENS.get(id(doc))
    if hit is not None and hit[0] is plan:
        return hit[1], hit[2]
    out: list[IdToken] = []
    for index, refs in plan.depends.items():
        t = doc.tasks[index]
        out.extend(IdToken(r.id, r.span, "depends", t) for r in refs)
    for w in plan.waves:
        out.extend(IdToken(wt.id, wt.span, "wave", None) for wt in w.tasks)
    g = plan.graph
    if g is not None:
        for a, b in g.edges:
            for r in (a, b):
                s = r.span
                if doc.lines[s.line][s.col : s.end_col] == r.id:
                    out.append(IdToken(r.id, s, "edge", None))
    seen: set[Span] = set()
    uniq = []
    for tok in sorted(out, key=lambda x: (x.span.line, x.span.col)):
        if tok.span not in seen:
            seen.add(tok.span)
            uniq.append(tok)
    by_line: dict[int, list[IdToken]] = {}
    for tok in uniq:
        by_line.setdefault(tok.span.line, []).append(tok)
    if len(_TOKENS) > 64:
        _TOKENS.clear()
    _TOKENS[id(doc)] = (plan, uniq, by_line)
    return uniq, by_line

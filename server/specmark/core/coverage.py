"""Resolving references against a requirements document, and who covers what.

A reference to a requirement covers its criteria; a range covers every ID between its ends
(in ID order, within the kind of its ends); a whole-spec reference ("All", "全要件") covers
everything. spec-kit `[USn]` labels are references to user stories.
"""

from __future__ import annotations

from .ids import id_key, parent_id
from .model import (
    Criterion,
    Record,
    RefItem,
    RefKind,
    Requirement,
    RequirementsDoc,
    Span,
    Task,
    TasksDoc,
    factory,
)

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Sequence

    from .closest import CloseMatches


class Resolved(Record):
    targets: list[str] = factory(list)  # IDs covered
    unknown: list[tuple[str, Span]] = factory(list)  # IDs not defined
    whole_spec: bool = False


class Coverage(Record):
    """Index from requirement/criterion ID to the tasks that cover it."""

    by_id: dict[str, list[int]] = factory(dict)  # id → task indices
    whole_spec: list[int] = factory(list)  # tasks with an "All" reference

    def tasks_for(self, ident: str, requirement: str | None = None) -> list[int]:
        """Tasks that cover `ident` directly, through its requirement, or through "All"."""
        out = list(self.by_id.get(ident, ()))
        if requirement and requirement != ident:
            out.extend(self.by_id.get(requirement, ()))
        out.extend(self.whole_spec)
        return sorted(set(out))


# ID → ids.id_key(ID): a requirements document's IDs are sorted again after every edit
_ID_KEYS: dict[str, tuple[object, ...]] = {}


class Resolver:
    def __init__(self, req_doc: RequirementsDoc | None):
        self.doc = req_doc
        self.index: dict[str, Requirement | Criterion] = req_doc.index() if req_doc else {}
        self._ordered: list[str] | None = None
        self._upper: dict[str, str] | None = None
        self._close: CloseMatches | None = None

    # built on first use: a spec whose references are all exact IDs needs neither
    @property
    def ordered(self) -> list[str]:
        """The IDs in ID order (for ranges and suggestions)."""
        if self._ordered is None:
            keys = _ID_KEYS
            if len(keys) > 65536:
                keys.clear()
            for ident in self.index:
                if ident not in keys:
                    keys[ident] = id_key(ident)
            self._ordered = sorted(self.index, key=keys.__getitem__)
        return self._ordered

    @property
    def upper(self) -> dict[str, str]:
        """Upper-cased ID → ID (for case-insensitive lookups)."""
        if self._upper is None:
            self._upper = dict(zip(map(str.upper, self.index), self.index, strict=True))  # the last wins
        return self._upper

    def lookup(self, ident: str) -> Requirement | Criterion | None:
        hit = self.index.get(ident)
        if hit is None:
            key = self.upper.get(ident.upper())
            hit = self.index.get(key) if key else None
        return hit

    def canonical(self, ident: str) -> str | None:
        hit = self.lookup(ident)
        return hit.id if hit is not None else None

    def resolve(self, item: RefItem) -> Resolved:
        res = Resolved()
        if item.kind is RefKind.ALL:
            res.whole_spec = True
            return res
        if item.kind is RefKind.ID:
            found = self.canonical(item.start or "")
            if found:
                res.targets.append(found)
            else:
                res.unknown.append((item.start or "", item.start_span or item.span))
            return res
        if item.kind is RefKind.RANGE:
            a = self.canonical(item.start or "")
            b = self.canonical(item.end or "")
            if a is None:
                res.unknown.append((item.start or "", item.start_span or item.span))
            if b is None:
                res.unknown.append((item.end or "", item.end_span or item.span))
            if a and b:
                res.targets.extend(self.between(a, b))
        return res

    def between(self, a: str, b: str) -> list[str]:
        ka, kb = id_key(a), id_key(b)
        if ka > kb:
            ka, kb = kb, ka
        depth = a.count(".")
        same_depth = depth == b.count(".")
        out = []
        for ident in self.ordered:
            k = id_key(ident)
            if ka <= k <= kb and (not same_depth or ident.count(".") == depth):
                out.append(ident)
        return out

    def suggestions(self, ident: str, limit: int = 3) -> list[str]:
        """Nearest existing IDs for an unknown one: siblings first, then by spelling."""
        out: list[str] = []
        parent = parent_id(ident)
        if parent and parent in self.index:
            req = self.index[parent]
            if isinstance(req, Requirement) and req.criteria:
                # the closest criterion numbers of the same requirement
                want = id_key(ident)
                crit = sorted(req.criteria, key=lambda c: abs(_num(c.id) - _num(ident)) if want else 0)
                out.extend(c.id for c in crit[:limit])
        if len(out) >= limit:
            return out[:limit]  # spelling matches would only come after these
        if self._close is None:  # only when the siblings are not enough: not at start-up
            from .closest import CloseMatches

            # in the index's order: the answers do not depend on it (no duplicates, ties
            # broken by the candidate), and sorting the IDs is not needed
            self._close = CloseMatches(list(self.index))
        # difflib.get_close_matches(ident, self.ordered, n=limit, cutoff=0.6), indexed
        for cand in self._close.get(ident, limit, 0.6):
            if cand not in out:
                out.append(cand)
        return out[:limit]


def _num(ident: str) -> int:
    tail = ident.rsplit(".", 1)[-1]
    digits = "".join(ch for ch in tail if ch.isdigit())
    return int(digits) if digits else 0


def story_item(story: str, span: Span) -> RefItem:
    return RefItem(RefKind.ID, story, span, story, span)


def compute_coverage(tasks_docs: list[TasksDoc], resolver: Resolver) -> dict[str, Coverage]:
    """Coverage per tasks document path (tasks of different files keep their own indices)."""
    out: dict[str, Coverage] = {}
    index = resolver.index
    for doc in tasks_docs:
        cov = Coverage()
        for task in doc.tasks:
            refs = task.refs
            if not refs and not task.story:
                continue  # no reference items
            # task_ref_items(task), its common case without the call
            for item in refs[0].items if len(refs) == 1 and not task.story else task_ref_items(task):
                if item.kind is _ID:
                    hit = index.get(item.start or "")
                    if hit is not None:  # the common case, as resolve() would say: one known target
                        lst = cov.by_id.setdefault(hit.id, [])
                        if not lst or lst[-1] != task.index:
                            lst.append(task.index)
                        continue
                res = resolver.resolve(item)
                if res.whole_spec:
                    cov.whole_spec.append(task.index)
                for target in res.targets:
                    lst = cov.by_id.setdefault(target, [])
                    if not lst or lst[-1] != task.index:
                        lst.append(task.index)
        out[doc.path] = cov
    return out


_ID = RefKind.ID


def task_ref_items(task: Task) -> Sequence[RefItem]:
    """The reference items of a task: its reference lines' items, then its story label's."""
    refs = task.refs
    if len(refs) == 1 and not task.story:
        return refs[0].items  # the common case: one line, no list to make
    items = [item for ref in refs for item in ref.items]
    if task.story and task.story_span is not None:
        items.append(story_item(task.story, task.story_span))
    return items

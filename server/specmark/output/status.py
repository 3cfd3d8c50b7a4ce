"""`specmark status` output: text, json, markdown."""

from __future__ import annotations

import json

from ..core.features.progress import Progress, bar
from .findings import display_path


def _pct(a: int, b: int) -> str:
    return f"{(100 * a // b) if b else 0}%"


def _uncovered(p: Progress, limit: int = 12) -> str:
    ids = p.uncovered[:limit]
    more = f" … (+{len(p.uncovered) - limit})" if len(p.uncovered) > limit else ""
    return ", ".join(ids) + more


def _name(e: dict) -> str:
    return e["id"] or f"line {e['line']}"


def _ready(p: Progress, limit: int = 8) -> str:
    """`2.2, 2.3 · 4 waiting (3.2 on 2.3)`: the ready units, then how many wait and the first's blocker."""
    ready = p.ready or []
    waiting = p.waiting or []
    if ready:
        text = ", ".join(_name(e) for e in ready[:limit])
        if len(ready) > limit:
            text += f" … (+{len(ready) - limit})"
    else:
        text = "nothing"
    if waiting:
        first = waiting[0]
        on = [b["id"] for b in first["blockedBy"] if b["id"]]
        why = f"{_name(first)} on {', '.join(on[:3])}" if on else f"{_name(first)} marked blocked"
        text += f" · {len(waiting)} waiting ({why})"
    return text


def render_text(rows: list[tuple[str, str, Progress]]) -> str:
    out = []
    for name, folder, p in rows:
        out.append(f"{name}  ({display_path(folder)})")
        out.append(
            f"  tasks         {bar(p.done, p.total)} {p.done}/{p.total} done ({_pct(p.done, p.total)})"
            f" · {p.in_progress} in progress · {p.open + p.queued + p.blocked} open"
        )
        if p.ready is not None and (p.ready or p.waiting):
            out.append(f"  ready now     {_ready(p)}")
        if p.has_requirements:
            out.append(
                f"  requirements  {bar(p.units_covered, p.units_total)} {p.units_covered}/{p.units_total} covered"
                f" ({_pct(p.units_covered, p.units_total)})"
            )
            if p.uncovered:
                out.append(f"  uncovered     {_uncovered(p)}")
        else:
            out.append("  requirements  (no requirements document)")
    return "\n".join(out)


def render_json(rows: list[tuple[str, str, Progress]]) -> str:
    def row(name: str, folder: str, p: Progress) -> dict:
        out = {"spec": name, "folder": display_path(folder), **p.as_dict()}
        for key in ("readyNow", "waiting"):
            if out.get(key):
                out[key] = [{**e, "path": display_path(e["path"])} for e in out[key]]
        return out

    return json.dumps(
        [row(name, folder, p) for name, folder, p in rows],
        ensure_ascii=False,
        indent=2,
    )


def render_markdown(rows: list[tuple[str, str, Progress]]) -> str:
    out = [
        "| spec | tasks done | in progress | open | requirements covered | uncovered |",
        "|---|---|---|---|---|---|",
    ]
    for name, _folder, p in rows:
        req = (
            f"{p.units_covered}/{p.units_total} ({_pct(p.units_covered, p.units_total)})"
            if p.has_requirements
            else "—"
        )
        out.append(
            f"| {name} | {p.done}/{p.total} ({_pct(p.done, p.total)}) | {p.in_progress} | "
            f"{p.open + p.queued + p.blocked} | {req} | {_uncovered(p) or '—'} |"
        )
    return "\n".join(out)

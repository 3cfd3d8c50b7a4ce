"""`specmark next` output: text (for people and agents) and Markdown (to paste into a prompt).
JSON is the record itself (docs/agents.md)."""

from __future__ import annotations


def render_json(record: dict) -> str:
    import json

    return json.dumps(record, ensure_ascii=False, indent=2)


def _where(spec: dict) -> str:
    return f"spec {spec['name']} ({spec['folder']}; {spec['chosen']})"


def _named(task: dict) -> str:
    """`2.1 Build the parser`: a task (or parent, waiting task) by ID, or by its reference."""
    return f"{task['id'] or task['ref']} {task['title']}"


def _parents(task: dict) -> str:
    return " › ".join(_named(p) for p in task["parents"])


def _depends(task: dict) -> str:
    return ", ".join(f"{d['id']} ({d['status']})" for d in task["dependsOn"])


def _task_text(task: dict, out: list[str], heading: str = "Next") -> None:
    star = " (optional)" if task["optional"] else ""
    out.append(f"{heading}: {_named(task)}{star}")
    out.append(f"  status: {task['status']} · {task['path']}:{task['line']} · set with: {task['ref']}")
    if task["parents"]:
        out.append("  parents: " + _parents(task))
    if task["dependsOn"]:
        out.append("  depends on: " + _depends(task))
    if task["details"]:
        out.append("  details:")
        out.extend(f"    {d}" for d in task["details"])
    if task["files"]:
        out.append("  files: " + ", ".join(task["files"]))
    if task["requirements"]:
        out.append("  requirements:")
        for r in task["requirements"]:
            if r["kind"] == "criterion":
                out.append(
                    f"    {r['id']} ({r['requirementTitle'] or 'requirement ' + r['requirement']}): {r['text']}"
                )
            else:
                out.append(f"    {r['id']} {r['title']}: {r['text']}".rstrip())
                out.extend(f"      {c['id']} {c['text']}" for c in r["criteria"])
    if task["unresolved"]:
        out.append("  unknown requirement IDs: " + ", ".join(task["unresolved"]))
    for sec in task["design"]:
        out.append(f"  design ({sec['path']}:{sec['line']}, cites {', '.join(sec['cites'])}):")
        out.extend(f"    {line}" for line in sec["text"].splitlines())


def render_text(record: dict) -> str:
    out: list[str] = []
    spec = record["spec"]
    prog = record["progress"]
    out.append(f"{_where(spec)} · {prog['done']}/{prog['total']} tasks done")
    if record["state"] == "complete":
        out.append("Nothing left to do: every task is done.")
    elif record["state"] == "waiting":
        out.append("No task is ready: every open task waits on a dependency or is blocked.")
        for w in record.get("waiting", []):
            on = ", ".join(w["waitingOn"]) or w["status"]
            out.append(f"  {_named(w)} (waiting on {on})")
    elif "ready" in record:
        if record["inProgress"]:
            out.append("in progress: " + ", ".join(_named(t) for t in record["inProgress"]))
        out.append(f"{len(record['ready'])} task(s) ready to start:")
        for task in record["ready"]:
            out.append("")
            _task_text(task, out, "Ready")
    else:
        _task_text(record["task"], out)
    return "\n".join(out)


def _task_md(task: dict, out: list[str]) -> None:
    star = " *(optional)*" if task["optional"] else ""
    out.append(f"## Task {task['id'] or task['ref']}: {task['title']}{star}")
    out.append("")
    out.append(f"- Status: {task['status']}")
    out.append(f"- Location: `{task['path']}` line {task['line']} (set with `{task['ref']}`)")
    if task["parents"]:
        out.append("- Part of: " + _parents(task))
    if task["dependsOn"]:
        out.append("- Depends on: " + _depends(task))
    if task["files"]:
        out.append("- Files: " + ", ".join(f"`{f}`" for f in task["files"]))
    if task["details"]:
        out += ["", "### Details", ""]
        out.extend(task["details"])
    if task["requirements"] or task["unresolved"]:
        out += ["", "### Requirements", ""]
        for r in task["requirements"]:
            if r["kind"] == "criterion":
                out.append(f"- **{r['id']}** ({r['requirementTitle']}): {r['text']}")
            else:
                out.append(f"- **{r['id']} {r['title']}**: {r['text']}".rstrip(": "))
                out.extend(f"  - **{c['id']}**: {c['text']}" for c in r["criteria"])
        if task["unresolved"]:
            out.append(f"- Unknown IDs (not in the requirements): {', '.join(task['unresolved'])}")
    if task["design"]:
        out += ["", "### Design", ""]
        for sec in task["design"]:
            out.append(f"From `{sec['path']}` line {sec['line']}:")
            out += ["", sec["text"], ""]


def render_markdown(record: dict) -> str:
    spec = record["spec"]
    prog = record["progress"]
    out = [f"# Next task in spec `{spec['name']}`", ""]
    out.append(
        f"Spec folder `{spec['folder']}` ({spec['chosen']}); {prog['done']}/{prog['total']} tasks done."
    )
    out.append("")
    if record["state"] == "complete":
        out.append("Nothing left to do: every task is done.")
    elif record["state"] == "waiting":
        out.append("No task is ready: every open task waits on a dependency or is blocked.")
    else:
        for task in record.get("ready") or [record["task"]]:
            _task_md(task, out)
            out.append("")
    return "\n".join(out).rstrip() + "\n"

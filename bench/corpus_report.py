"""A review report over a folder of real spec folders (the shared corpus, or a project): what
specmark found, and what it may have missed.

    python bench/corpus_report.py ../shared/corpus [--json] [--limit N] [--folder NAME]

Per spec folder:
- the findings per code, in total and per 100 task lines (the checkbox tasks parsed);
- lines that look like tasks (a checkbox), references (a label-ish word such as Requirements,
  Validates, 要件, Требования followed by an ID-ish token) or requirement definitions (a heading
  or bold/bullet ID such as `### Requirement 3`, `- **FR1.1**:`, `REQ-2`) but were not parsed
  as such — where the parser may be blind;
- malformed-reference tokens that contain an ID-shaped substring (`_ 2.1`, `4.3** (…)`): a
  reference the grammar should have read;
- whether its finding density is an outlier among the folders (above Q3 + 1.5 × IQR of the
  findings per 100 task lines).

A corpus folder (a folder of spec folders, with an optional SOURCES.tsv naming where each was
copied from) is read one sub-folder per spec, with the convention of its original place; any
other folder is read as `specmark check` reads it (discovery). The heuristics are deliberately
wide: the lists are for a human to read, not findings.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import sys

# ---- what looks like a task, a reference, a requirement definition ---------------------------------

CHECKBOX = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\\?\[[^\]\n]{0,3}\]")
ID_TOKEN = r"(?:[A-Z]{1,6}-?\d+(?:[.-]\d+)*[a-z]?|\d+(?:\.\d+)+[A-Za-z]?|\d+[A-Z]?)"
ID_SHAPED = re.compile(r"(?<![\w.])" + ID_TOKEN + r"(?![\w])")
LABEL_WORD = re.compile(
    r"(?i)(?:\b(?:requirements?|reqs?|refs?|references?|validates?|covers?|traces?(?: to)?|satisfies|"
    r"acceptance criteria|user stor(?:y|ies)|stor(?:y|ies)|requisitos?|exigences?|anforderungen|"
    r"требовани[ея]|yêu cầu)|要件|需求|要求|요구사항|用户故事|ユーザーストーリー)"
)
# the label, its emphasis and colon, maybe a second label word ("Validates: Requirements 4.3"), then
# an ID right away: "req/s", "Implement (<30 days" and prose that merely mentions stories stay out
REFERENCE_LIKE = re.compile(
    LABEL_WORD.pattern
    + r"[\s*_\\]{0,3}[:：]?[\s*_\\]{0,3}(?:(?i:requirements?|req\.?)\s*)?"
    + r"(?:"
    + ID_TOKEN
    + r")(?![\w/])"
)
DEFINITION_LIKE = re.compile(
    r"^(?:#{2,6}\s+[^\n]*?(?:requirement|req\b|user story|story|要件|需求|要求|요구사항|用户故事|"
    r"ユーザーストーリー|требование|requisito|exigence|anforderung|FR|NFR|REQ|US)[^\n]*?\d"
    r"|\s*(?:[-*+]\s+)?\*\*(?:FR|NFR|REQ|AC|SC|R|US)-?\d+(?:\.\d+)*[a-z]?\b"
    r"|\s*[-*+]\s+(?:FR|NFR|REQ|AC|SC)-?\d+(?:\.\d+)*\s*[:：.]"
    r")",
    re.I,
)


def _original_folders(root: str) -> dict[str, str]:
    """folder → the folder it was copied from (SOURCES.tsv of the corpus), if there is one."""
    path = os.path.join(root, "SOURCES.tsv")
    out: dict[str, str] = {}
    if not os.path.isfile(path):
        return out
    with open(path, encoding="utf-8") as fh:
        for row in csv.reader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            if len(row) >= 3:
                out[row[0]] = row[2].split("{")[0].rstrip("/")
    return out


def spec_folders(root: str, config):
    """(name, Spec or None, layout message or None) per spec folder under `root`."""
    from specmark.core.discovery import discover, flavor_of, layout_notice, spec_for_folder

    originals = _original_folders(root)
    subs = sorted(n for n in os.listdir(root) if os.path.isdir(os.path.join(root, n)))
    corpus = bool(originals) or any(
        spec_for_folder(os.path.join(root, n), config) is not None for n in subs[:20]
    )
    if not corpus:
        found = discover(root, config)
        out = [(os.path.relpath(s.folder, root), s, None) for s in found.specs]
        out += [(os.path.relpath(os.path.dirname(p), root), None, m) for p, m, _sev in found.layout]
        return sorted(out, key=lambda t: t[0])
    out = []
    for name in subs:
        folder = os.path.join(root, name)
        spec = spec_for_folder(folder, config)
        if spec is not None and name in originals:
            spec.flavor = flavor_of(originals[name])
        notice = layout_notice(folder, os.listdir(folder), config, spec, spec_folder=True)
        out.append((name, spec, notice[1] if notice else None))
    return out


def _outside_code(lines: list[str]):
    from specmark.core.blocks import code_lines

    code = code_lines(lines)
    return ((n, line) for n, line in enumerate(lines) if n not in code)


def unparsed(result) -> dict[str, list[tuple[str, int, str]]]:
    """Lines that look like tasks / references / requirement definitions but were not read as such:
    kind → [(file name, 1-based line, text)]."""
    out: dict[str, list[tuple[str, int, str]]] = {"tasks": [], "references": [], "definitions": []}
    for doc in result.tasks:
        name = os.path.basename(doc.path)
        task_lines = {t.line for t in doc.tasks} | {b.line for b in doc.bad_checkboxes}
        ref_lines = {r.line for t in doc.tasks for r in t.refs} | {
            d.line for t in doc.tasks for d in t.depends
        }
        for n, line in _outside_code(doc.lines):
            if CHECKBOX.match(line) and n not in task_lines:
                out["tasks"].append((name, n + 1, line.strip()))
            elif REFERENCE_LIKE.search(line) and n not in ref_lines and not line.lstrip().startswith("#"):
                out["references"].append((name, n + 1, line.strip()))
    req = result.requirements
    if req is not None:
        name = os.path.basename(req.path)
        defined = {r.line for r in req.requirements} | {c.line for r in req.requirements for c in r.criteria}
        for n, line in _outside_code(req.lines):
            if n not in defined and DEFINITION_LIKE.match(line):
                out["definitions"].append((name, n + 1, line.strip()))
    return out


def malformed_with_ids(result, texts: dict[str, list[str]]) -> list[tuple[str, int, str]]:
    """malformed-reference tokens that contain an ID-shaped substring: (file, line, token)."""
    out = []
    for f in result.findings:
        if f.code != "malformed-reference":
            continue
        lines = texts.get(f.path) or []
        if f.span.line >= len(lines) or f.span.line != f.span.end_line:
            continue
        token = lines[f.span.line][f.span.col : f.span.end_col]
        if ID_SHAPED.search(token):
            out.append((os.path.basename(f.path), f.span.line + 1, token))
    return out


def outliers(density: dict[str, float]) -> dict[str, float]:
    """Folders whose findings per 100 task lines are above Q3 + 1.5 × IQR (Tukey's fence)."""
    values = sorted(density.values())
    if len(values) < 4:
        return {}
    q1, _q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    fence = q3 + 1.5 * (q3 - q1)
    return {name: d for name, d in density.items() if d > fence and d > 0}


def build(root: str) -> dict:
    from specmark.core.config import Config
    from specmark.core.project import check_spec

    config = Config()
    folders = []
    for name, spec, notice in spec_folders(root, config):
        entry: dict = {"folder": name, "flavor": None, "task_lines": 0, "findings": 0, "by_code": {}}
        if notice:
            entry["layout"] = notice
        if spec is None:
            folder = os.path.join(root, name)
            files = sorted(n for n in os.listdir(folder) if n.endswith(".md"))
            shown = ", ".join(files[:4]) + (f", … ({len(files)} files)" if len(files) > 4 else "")
            entry["error"] = f"no spec documents specmark reads; found {shown or 'no Markdown'}"
            folders.append(entry)
            continue
        result, errors = check_spec(spec, config)
        if errors:
            entry["read_errors"] = [f"{os.path.basename(e.path)}: {e.message}" for e in errors]
        if result is None:
            folders.append(entry)
            continue
        texts = {d.path: d.lines for d in result.tasks}
        if result.requirements is not None:
            texts[result.requirements.path] = result.requirements.lines
        if result.design is not None:
            texts[result.design.path] = result.design.lines
        by_code: dict[str, int] = {}
        for f in result.findings:
            by_code[f.code] = by_code.get(f.code, 0) + 1
        task_lines = sum(1 for d in result.tasks for t in d.tasks if t.kind == "list")
        entry.update(
            flavor=result.flavor,
            task_lines=task_lines,
            findings=len(result.findings),
            by_code=dict(sorted(by_code.items())),
            per_100_task_lines={
                c: round(100 * n / task_lines, 1) for c, n in sorted(by_code.items()) if task_lines
            },
            density=round(100 * len(result.findings) / task_lines, 1) if task_lines else None,
            requirements=len(result.requirements.requirements) if result.requirements else 0,
            unparsed=unparsed(result),
            malformed_with_ids=malformed_with_ids(result, texts),
        )
        folders.append(entry)
    density = {e["folder"]: e["density"] for e in folders if e.get("density") is not None}
    high = outliers(density)
    for e in folders:
        e["outlier"] = e["folder"] in high
    totals: dict[str, int] = {}
    for e in folders:
        for c, n in e["by_code"].items():
            totals[c] = totals.get(c, 0) + n
    task_lines = sum(e["task_lines"] for e in folders)
    return {
        "root": root,
        "folders": folders,
        "totals": {
            "folders": len(folders),
            "analysed": sum(1 for e in folders if e["flavor"] is not None),
            "task_lines": task_lines,
            "findings": sum(totals.values()),
            "by_code": dict(sorted(totals.items())),
            "per_100_task_lines": round(100 * sum(totals.values()) / task_lines, 1) if task_lines else None,
        },
        "outliers": sorted(high),
    }


# ---- text ---------------------------------------------------------------------------------------------


def render_text(report: dict, limit: int) -> str:
    out = []
    t = report["totals"]
    out.append(
        f"{t['folders']} folders under {report['root']}, {t['analysed']} analysed: {t['findings']} findings "
        f"over {t['task_lines']} task lines ({t['per_100_task_lines']} per 100)"
    )
    width = max((len(c) for c in t["by_code"]), default=4)
    for code, n in t["by_code"].items():
        out.append(f"  {code:<{width}}  {n:>5}")
    out.append("")
    for e in report["folders"]:
        head = f"== {e['folder']}"
        if e["flavor"] is None:
            out.append(f"{head}  ({e.get('error') or 'not analysed'})")
        else:
            dens = "-" if e["density"] is None else f"{e['density']}"
            flag = "  ** OUTLIER **" if e["outlier"] else ""
            out.append(
                f"{head}  [{e['flavor']}] {e['task_lines']} task lines, {e['requirements']} requirements, "
                f"{e['findings']} findings ({dens} per 100 task lines){flag}"
            )
        if e.get("layout"):
            out.append(f"   layout: {e['layout']}")
        for msg in e.get("read_errors", []):
            out.append(f"   read error: {msg}")
        for code, n in e["by_code"].items():
            per = e["per_100_task_lines"].get(code)
            out.append(f"   {code:<{width}}  {n:>4}" + (f"  ({per} per 100)" if per is not None else ""))
        for kind, title in (
            ("tasks", "checkbox lines not read as tasks"),
            ("references", "reference-like lines not read as references"),
            ("definitions", "definition-like lines not read as requirements"),
        ):
            rows = e.get("unparsed", {}).get(kind, [])
            if rows:
                out.append(f"   {title}: {len(rows)}")
                out += [f"     {f}:{n}: {text[:110]}" for f, n, text in rows[: limit or None]]
                if limit and len(rows) > limit:
                    out.append(f"     … {len(rows) - limit} more")
        rows = e.get("malformed_with_ids", [])
        if rows:
            out.append(f"   malformed tokens holding an ID: {len(rows)}")
            out += [f"     {f}:{n}: {token!r}" for f, n, token in rows[: limit or None]]
            if limit and len(rows) > limit:
                out.append(f"     … {len(rows) - limit} more")
    if report["outliers"]:
        out.append("")
        out.append(
            "outliers (findings per 100 task lines above Q3 + 1.5 IQR): " + ", ".join(report["outliers"])
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", help="a folder of spec folders (e.g. ../shared/corpus) or a project")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--limit", type=int, default=10, help="lines listed per kind and folder (0: all)")
    ap.add_argument("--folder", action="append", default=[], help="only this folder (repeatable)")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.root):
        print(f"corpus_report: {args.root}: not a folder", file=sys.stderr)
        return 2
    report = build(args.root)
    if args.folder:
        report["folders"] = [e for e in report["folders"] if e["folder"] in args.folder]
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(render_text(report, args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())

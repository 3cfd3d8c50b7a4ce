"""`specmark check` output: text, json, github (workflow commands) and sarif."""

from __future__ import annotations

import os
from functools import lru_cache

from .. import __version__
from ..core.checks import RULES
from ..core.model import Finding, Severity
from ..core.project import LAYOUT, UNREADABLE

_GITHUB_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "notice",
    Severity.HINT: "notice",
}
_SARIF_LEVEL = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFORMATION: "note",
    Severity.HINT: "note",
}


def display_path(path: str) -> str:
    """`path` relative to the working directory when near it (memoised per working
    directory: the findings of a spec share a few paths, and os.path.relpath costs two
    abspath calls; 676 findings took 5-10 ms of the serial end of `specmark check`)."""
    return _display_path(os.getcwd(), path)


@lru_cache(maxsize=4096)
def _display_path(cwd: str, path: str) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return path
    return path if rel.startswith(".." + os.sep + "..") else rel


def as_dict(f: Finding) -> dict:
    d = {
        "path": display_path(f.path),
        "line": f.span.line + 1,
        "column": f.span.col + 1,
        "end_line": f.span.end_line + 1,
        "end_column": f.span.end_col + 1,
        "code": f.code,
        "severity": f.severity.value,
        "message": f.message,
        "url": RULES[f.code].url if f.code in RULES else None,
    }
    if f.related:
        d["related"] = [
            {
                "path": display_path(r.path),
                "line": r.span.line + 1,
                "column": r.span.col + 1,
                "message": r.message,
            }
            for r in f.related
        ]
    return d


def render_text(findings: list[Finding], color: bool = False) -> str:
    lines = []
    for f in findings:
        sev = f.severity.value
        if color:
            tint = {"error": "31", "warning": "33", "information": "36", "hint": "37"}[sev]
            sev = f"\x1b[{tint}m{sev}\x1b[0m"
        lines.append(
            f"{display_path(f.path)}:{f.span.line + 1}:{f.span.col + 1}: {sev}[{f.code}] {f.message}"
        )
    return "\n".join(lines)


def summary(findings: list[Finding], spec_count: int, unreadable: int = 0, other_errors: int = 0) -> str:
    """The last line of the text output. Read errors make the exit code 2, so the line names
    them: `unreadable` documents (already among the findings) and `other_errors` (paths named on
    the command line, folders: said on stderr); then it never says "All checks passed"."""
    if not (unreadable or other_errors):
        return _found(findings, spec_count)
    specs = f"{spec_count} spec{'s' if spec_count != 1 else ''}"
    head = _found(findings, spec_count)[:-1] if findings else f"No findings in {specs}"
    parts = []
    if unreadable:
        parts.append(f"{unreadable} document{'s' if unreadable != 1 else ''}")
    if other_errors:
        parts.append(f"{other_errors} other path{'s' if other_errors != 1 else ''}")
    return f"{head}; {' and '.join(parts)} could not be read (exit code 2)."


def _found(findings: list[Finding], spec_count: int) -> str:
    if not findings:
        return f"All checks passed ({spec_count} spec{'s' if spec_count != 1 else ''} checked)."
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
    order = ["error", "warning", "information", "hint"]
    parts = [
        f"{counts[s]} {s if s != 'information' else 'info'}{'s' if counts[s] != 1 and s != 'information' else ''}"
        for s in order
        if s in counts
    ]
    return f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({', '.join(parts)}) in {spec_count} spec{'s' if spec_count != 1 else ''}."


def render_json(findings: list[Finding]) -> str:
    import json  # only for --format json / sarif

    return json.dumps([as_dict(f) for f in findings], ensure_ascii=False, indent=2)


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def render_github(findings: list[Finding]) -> str:
    out = []
    for f in findings:
        level = _GITHUB_LEVEL[f.severity]
        props = (
            f"file={_gh_escape(display_path(f.path), True)},line={f.span.line + 1},col={f.span.col + 1},"
            f"endLine={f.span.end_line + 1},endColumn={f.span.end_col + 1},title={_gh_escape(f.code, True)}"
        )
        out.append(f"::{level} {props}::{_gh_escape(f.message)}")
    return "\n".join(out)


def render_sarif(findings: list[Finding]) -> str:
    rules = [
        {
            "id": code,
            "shortDescription": {"text": rule.summary},
            "helpUri": rule.url,
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.default]},
        }
        for code, rule in sorted(RULES.items())
    ]
    # not checks (they cannot be selected, ignored or given a severity): what the CLI says about
    # the files themselves
    for code, text, level in (
        (UNREADABLE, "A spec document could not be read or decoded as UTF-8", "error"),
        (LAYOUT, "A spec folder is laid out in a way specmark does not read", "warning"),
    ):
        if any(f.code == code for f in findings):
            rules.append(
                {"id": code, "shortDescription": {"text": text}, "defaultConfiguration": {"level": level}}
            )
    results = []
    for f in findings:
        results.append(
            {
                "ruleId": f.code,
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": display_path(f.path).replace(os.sep, "/")},
                            "region": {
                                "startLine": f.span.line + 1,
                                "startColumn": f.span.col + 1,
                                "endLine": f.span.end_line + 1,
                                "endColumn": f.span.end_col + 1,
                            },
                        }
                    }
                ],
                "relatedLocations": [
                    {
                        "id": i,
                        "message": {"text": r.message},
                        "physicalLocation": {
                            "artifactLocation": {"uri": display_path(r.path).replace(os.sep, "/")},
                            "region": {"startLine": r.span.line + 1, "startColumn": r.span.col + 1},
                        },
                    }
                    for i, r in enumerate(f.related)
                ],
            }
        )
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "specmark",
                        "version": __version__,
                        "informationUri": "https://github.com/specmark/specmark",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    import json

    return json.dumps(doc, ensure_ascii=False, indent=2)

"""docs/rules/<code>.md: one page per check code, with the sections every page has, the right
default severity, and an example whose shown output is what specmark reports for it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from specmark.core import codes
from specmark.core.analysis import analyze
from specmark.core.checks import RULES

DOCS = Path(__file__).resolve().parents[2] / "docs"
SECTIONS = ["## What it reports", "## Why", "## Example", "## How to fix", "## Configuration"]
_EXAMPLE = re.compile(r"<!-- example: (?P<name>[\w./-]+) -->\n```md\n(?P<body>.*?)```", re.S)
_OUTPUT = re.compile(r"```text\n(?P<body>.*?)```", re.S)


def test_codes_are_the_registered_rules():
    """core/codes.py (what settings are validated against) lists exactly the registered rules."""
    assert codes.CODES == set(RULES)


def test_one_page_per_code():
    pages = {p.stem for p in (DOCS / "rules").glob("*.md")}
    assert pages == set(RULES)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_page(code, tmp_path):
    text = (DOCS / "rules" / f"{code}.md").read_text(encoding="utf-8")
    assert text.startswith(f"# {code}\n")
    assert f"**Default severity:** {RULES[code].default.value}" in text
    positions = [text.find(s) for s in SECTIONS]
    assert -1 not in positions and positions == sorted(positions), positions
    assert f'{code} = "' in text  # the severity setting is shown

    example = text[text.index("## Example") : text.index("## How to fix")]
    files = {m.group("name"): m.group("body") for m in _EXAMPLE.finditer(example)}
    assert files, "the example has no <!-- example: FILE --> block"
    shown = [line for line in _OUTPUT.search(example).group("body").splitlines() if f"[{code}]" in line]
    assert shown
    if code.startswith("openspec-"):
        got = _openspec_example(files, code, tmp_path)
    else:
        tasks = {name: body for name, body in files.items() if name == "tasks.md"}
        reqs = next(((name, body) for name, body in files.items() if name != "tasks.md"), None)
        result = analyze(tasks, reqs, select=[code])
        got = [
            f"{os.path.basename(f.path)}:{f.span.line + 1}:{f.span.col + 1}: {f.severity.value}[{f.code}] {f.message}"
            for f in result.findings
        ]
    assert got == shown


def _openspec_example(files: dict[str, str], code: str, tmp_path: Path) -> list[str]:
    """The example's files written where OpenSpec keeps them (their names are paths under
    openspec/), checked as `specmark check --select CODE` would."""
    from specmark.core.config import Config
    from specmark.core.openspec import openspec_findings

    for name, body in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    found = openspec_findings(str(tmp_path / "openspec"), Config(), [code])
    found.sort(key=lambda f: f.sort_key())
    return [
        f"{Path(f.path).relative_to(tmp_path).as_posix()}:{f.span.line + 1}:{f.span.col + 1}: "
        f"{f.severity.value}[{f.code}] {f.message}"
        for f in found
    ]


def test_configuration_page_documents_every_option():
    from specmark.core.config import KEYS

    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for key in sorted(KEYS):
        assert f"### `{key}`" in text, key
    for where in (".specmark.toml", "[tool.specmark]", "pyproject.toml", "workspace/configuration"):
        assert where in text


def test_readme_links_resolve():
    for page in [*(DOCS / "rules").glob("*.md"), DOCS / "configuration.md", DOCS / "conventions.md"]:
        for target in re.findall(r"\]\(([^)#:]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).resolve().exists(), (page.name, target)

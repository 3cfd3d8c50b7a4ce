"""Helpers for the unit tests of tests/core: analyse specs written as strings."""

from __future__ import annotations

from textwrap import dedent

from specmark.core.analysis import analyze
from specmark.core.config import Config, load_config_text
from specmark.core.model import Finding, Span
from specmark.core.requirements import parse_requirements
from specmark.core.tasks import parse_tasks


def md(text: str) -> str:
    """Dedented text without the leading newline of a triple-quoted string."""
    return dedent(text).lstrip("\n")


def tasks_doc(text: str, config: Config | None = None, flavor: str = "kiro"):
    return parse_tasks(md(text), "tasks.md", config, flavor)


def req_doc(text: str, path: str = "requirements.md"):
    return parse_requirements(md(text), path)


def config(toml: str) -> Config:
    cfg, errors = load_config_text(md(toml), ".specmark.toml")
    assert not errors, errors
    return cfg


def run(
    tasks: str | None,
    requirements: str | None = None,
    *,
    cfg: Config | None = None,
    flavor: str = "kiro",
    req_path: str = "requirements.md",
    select=None,
    ignore=(),
) -> list[Finding]:
    """Findings of one spec given as strings (tasks.md and requirements.md)."""
    texts = {"tasks.md": md(tasks)} if tasks is not None else {}
    req = (req_path, md(requirements)) if requirements is not None else None
    return analyze(texts, req, cfg, flavor, select, ignore).findings


def result(
    tasks: str,
    requirements: str | None = None,
    *,
    cfg: Config | None = None,
    flavor: str = "kiro",
    req_path: str = "requirements.md",
):
    req = (req_path, md(requirements)) if requirements is not None else None
    return analyze({"tasks.md": md(tasks)}, req, cfg, flavor)


def of(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def rng(span: Span | None) -> tuple[int, int, int, int] | None:
    """A span as (line, col, end_line, end_col), 0-based, columns in code points."""
    return None if span is None else (span.line, span.col, span.end_line, span.end_col)


def text_at(text: str, span: Span) -> str:
    """The text a one-line span covers in `text` (already dedented)."""
    assert span.line == span.end_line
    line = md(text).splitlines()[span.line]
    return line[span.col : span.end_col]

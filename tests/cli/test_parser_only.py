"""`build_parser(only=…)` (the CLI builds only the arguments of the command it runs) parses
and prints help exactly as the full parser."""

from __future__ import annotations

import pytest

from specmark.cli import COMMANDS, _command_of, build_parser


@pytest.mark.parametrize(
    "argv,command",
    [
        (["check", "x"], "check"),
        (["--", "check"], "check"),
        (["--bogus", "status"], "status"),
        (["serve", "--tcp"], "serve"),
        (["rules"], "rules"),
        (["--version", "check"], None),
        (["-h", "check"], None),
        (["--help"], None),
        (["chek"], None),
        ([], None),
        (["--", "-x"], None),
        (["x", "check"], None),
    ],
)
def test_command_of(argv, command):
    assert _command_of(argv) == command


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "a", "b", "--format", "json", "--select", "task-order", "--color", "never"],
        ["status", "--format", "markdown", "p"],
        ["serve", "--tcp", "--port", "9", "--log-level", "debug"],
        ["rules"],
    ],
)
def test_only_parses_like_the_full_parser(argv):
    assert vars(build_parser(_command_of(argv)).parse_args(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("command", COMMANDS)
def test_only_prints_the_same_help(command, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    full, only = build_parser(), build_parser(command)
    assert only.format_help() == full.format_help()
    sub = lambda p: next(a for a in p._actions if a.dest == "command").choices[command]  # noqa: E731
    assert sub(only).format_help() == sub(full).format_help()

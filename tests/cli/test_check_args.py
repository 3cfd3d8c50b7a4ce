"""`check_args` (an ordinary `specmark check` command line, parsed without argparse) gives
argparse's result, or None so that argparse parses the line itself (errors, help)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from specmark.cli import COMMANDS, _command_of, build_parser, check_args

PARSER = build_parser()


def argparse_result(argv: list[str]) -> dict | None:
    """argparse's namespace as a dict, or None when it refuses the line (exit 2) or prints help."""
    try:
        return vars(PARSER.parse_args(argv))
    except SystemExit:
        return None


ARGS = [
    "check",
    "a",
    "b b",
    "",
    ".",
    "-",
    "--",
    "-h",
    "--help",
    "--version",
    "--format",
    "--format=json",
    "--format=",
    "--form",
    "json",
    "sarif",
    "jsonx",
    "--select",
    "--select=task-order,wording",
    "--select=nope",
    "task-order",
    "task-order, unknown-requirement",
    "wording",
    "bogus-code",
    ",",
    "--ignore",
    "--ignore=",
    "--config",
    "--config=x.toml",
    "--color",
    "never",
    "always",
    "-1",
    "--tcp",
    "status",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ARGS), max_size=7))
@example(["check"])
@example(["check", "a", "b", "--format", "json", "--select", "task-order", "--color", "never"])
@example(["check", "--format", "json", "a", "b"])
@example(["check", "a", "--format", "json", "b"])  # argparse: unrecognized arguments: b
@example(["check", "--select", "task-order", "--select", "wording", "a"])  # the last one counts
@example(["check", "--config", "--format"])  # argparse: expected one argument
def test_check_args_parse_as_argparse(tail):
    argv = ["check", *tail]
    mine = check_args(argv)
    if mine is not None:
        assert vars(mine) == argparse_result(argv), argv


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "specs", "--format", "json"],
        ["check", "--format=sarif", "--select", "task-order,wording", "--ignore", "wording-tbd", "a", "b"],
        ["check", "a", "--color", "never", "--config", "c.toml"],
        ["check", ""],
    ],
)
def test_ordinary_lines_skip_argparse(argv):
    """The lines users, editors and CI run are the ones parsed without argparse."""
    mine = check_args(argv)
    assert mine is not None
    assert vars(mine) == argparse_result(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "-h"],
        ["check", "--help"],
        ["check", "--form", "json"],  # an abbreviation argparse accepts
        ["check", "--format", "xml"],
        ["check", "--select", "nope"],
        ["check", "a", "--format", "json", "b"],
        ["check", "--config"],
        ["check", "--", "a"],
        ["check", "-"],
        ["--version"],
        ["status"],
        [],
    ],
)
def test_unusual_lines_go_to_argparse(argv):
    assert check_args(argv) is None


def test_check_args_do_not_import_argparse():
    from imported import imported_after

    code = "from specmark.cli import check_args\ncheck_args(['check', '--select', 'task-order', '--format', 'json', 'x'])"
    assert imported_after(code, ["argparse"]) == []


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


def test_every_command_has_a_parser():
    sub = next(a for a in PARSER._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)

"""The command line: `specmark check`, `status`, `serve`, `rules`, and the agent commands
`next`, `set` (`done`, `start`) and `mcp` (their arguments and handlers: agents/commands.py)."""

from __future__ import annotations

import os
import sys

from . import __version__

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _unknown_codes(codes: list[str]) -> list[str]:
    from .core.checks import CODES, FAMILIES

    return [c for c in codes if c not in CODES and c not in FAMILIES]


def _split_codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def _codes(value: str) -> list[str]:
    codes = _split_codes(value)
    bad = _unknown_codes(codes)
    if bad:
        import argparse

        from .core.checks import CODES

        raise argparse.ArgumentTypeError(f"unknown check code {bad[0]!r}; known: {', '.join(sorted(CODES))}")
    return codes


COMMANDS = ("check", "status", "serve", "rules", "next", "set", "done", "start", "mcp")
AGENT_COMMANDS = {
    "next": "print the task to work on next, with its requirements and design (for agents)",
    "set": "set a task's status (done, open, in-progress) in tasks.md, safely",
    "done": "mark a task done (specmark set ID done)",
    "start": "mark a task in progress (specmark set ID in-progress)",
    "mcp": 'run the Model Context Protocol server over stdio (needs "specmark[mcp]")',
}
CHECK_FORMATS = ("text", "json", "github", "sarif")
COLORS = ("auto", "always", "never")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (an ordinary `specmark check` is parsed by
    `check_args` instead; see there)."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str):  # usage errors exit 2 with one line, no traceback
            self.print_usage(sys.stderr)
            self.exit(EXIT_USAGE, f"specmark: error: {message}\n")

    p = _Parser(
        prog="specmark",
        description="Traceability checks and a language server for spec-driven development Markdown.",
    )
    p.add_argument("--version", action="version", version=f"specmark {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    c = sub.add_parser("check", help="check specs and print findings")
    c.add_argument("paths", nargs="*", default=["."], help="folders or files (default: .)")
    c.add_argument("--format", choices=list(CHECK_FORMATS), default="text")
    c.add_argument(
        "--select",
        type=_codes,
        default=None,
        metavar="CODES",
        help="only these check codes or families (comma-separated; `wording` = every wording-* rule)",
    )
    c.add_argument(
        "--ignore",
        type=_codes,
        default=[],
        metavar="CODES",
        help="skip these check codes (comma-separated)",
    )
    c.add_argument("--config", default=None, help="use this .specmark.toml instead of searching for one")
    c.add_argument("--color", choices=list(COLORS), default="auto")

    s = sub.add_parser("status", help="print task progress and requirement coverage per spec")
    s.add_argument("paths", nargs="*", default=["."])
    s.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    s.add_argument("--config", default=None)

    v = sub.add_parser("serve", help="run the language server (stdio by default)")
    v.add_argument("--stdio", action="store_true", help="use stdio (the default)")
    v.add_argument("--tcp", action="store_true", help="listen on TCP instead of stdio (for debugging)")
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--port", type=int, default=2087)
    v.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])

    sub.add_parser("rules", help="list the check codes with their default severity")
    from .agents.commands import add_arguments

    for name, help_text in AGENT_COMMANDS.items():
        add_arguments(name, sub.add_parser(name, help=help_text))
    return p


class CheckArgs:
    """The arguments of `specmark check`, with the names and values argparse gives them."""

    def __init__(self) -> None:
        self.command = "check"
        self.paths = ["."]
        self.format = "text"
        self.select: list[str] | None = None
        self.ignore: list[str] = []
        self.config: str | None = None
        self.color = "auto"


_CHECK_CHOICES: dict[str, tuple[str, ...] | None] = {
    "--format": CHECK_FORMATS,
    "--select": None,
    "--ignore": None,
    "--config": None,
    "--color": COLORS,
}


def check_args(argv: list[str]) -> CheckArgs | None:
    """An ordinary `specmark check` command line, parsed without argparse; None for any other.

    Importing argparse and building the parser (with the help formatter's terminal-size
    query, gettext and locale) costs about 8 ms, a fifth of checking one spec. Accepted here:
    `check`, then paths (one run of them, before or after the options) and the options of
    `check` by their full names (`--format json` or `--format=json`) with valid values.
    Anything else (help, abbreviations, an unknown option or value, a second run of paths,
    which argparse refuses) returns None: argparse then parses it, with its own errors and
    help. tests/cli/test_check_args.py compares both parsers."""
    if not argv or argv[0] != "check":
        return None
    args = CheckArgs()
    paths: list[str] = []
    i, n = 1, len(argv)
    previous_was_path = False
    while i < n:
        arg = argv[i]
        if not arg.startswith("-"):
            if paths and not previous_was_path:  # a second run of paths: argparse refuses it
                return None
            paths.append(arg)
            previous_was_path = True
            i += 1
            continue
        previous_was_path = False
        name, eq, value = arg.partition("=")
        if name not in _CHECK_CHOICES:
            return None
        if not eq:
            if i + 1 >= n:
                return None
            value = argv[i + 1]
            if value.startswith("-"):  # argparse: "expected one argument"
                return None
            i += 1
        i += 1
        choices = _CHECK_CHOICES[name]
        if choices is not None and value not in choices:
            return None
        if name in ("--select", "--ignore"):
            codes = _split_codes(value)
            if _unknown_codes(codes):
                return None
            if name == "--select":
                args.select = codes
            else:
                args.ignore = codes
        elif name == "--format":
            args.format = value
        elif name == "--config":
            args.config = value
        else:
            args.color = value
    if paths:
        args.paths = paths
    return args


def _print_errors(result) -> None:
    from .output.findings import display_path  # paths as in the findings: relative when near

    for e in result.config_errors:
        kept = "" if "default" in e.message else " (default kept)"
        print(f"specmark: warning: {display_path(e.source)}: {e.key}: {e.message}{kept}", file=sys.stderr)
    for e in result.read_errors:
        print(f"specmark: error: {display_path(e.path)}: {e.message}", file=sys.stderr)
    for note in result.notes:
        print(f"specmark: note: {note}", file=sys.stderr)


def _without_gc(command):
    """Run a one-shot command with the cyclic garbage collector paused.

    Parsing allocates hundreds of thousands of objects (lines, tasks, spans) that all live
    until the command ends; the collector would traverse them again and again (about a fifth
    of a 10,000-line check) to find almost no garbage. Reference counting still frees
    everything that is not in a cycle. The previous state is restored afterwards (tests call
    `main` in-process)."""

    def run(args) -> int:
        import gc

        enabled = gc.isenabled()
        gc.disable()
        try:
            return command(args)
        finally:
            if enabled:
                gc.enable()

    run.__name__ = command.__name__
    run.__doc__ = command.__doc__
    return run


@_without_gc
def cmd_check(args) -> int:
    from .core.model import Severity
    from .core.project import check_paths, unreadable_findings
    from .output import findings as out

    if args.config is not None and not os.path.isfile(args.config):
        print(f"specmark: error: {args.config}: no such config file", file=sys.stderr)
        return EXIT_USAGE
    result = check_paths(args.paths, args.config, args.select, args.ignore, findings_only=True)
    _print_errors(result)
    # a document that cannot be read is a finding on it too: every format shows it (stderr alone
    # left a clean JSON/SARIF and "All checks passed" beside exit code 2)
    unreadable = unreadable_findings(result.read_errors)
    findings = [f for _spec, r in result.specs for f in r.findings] + result.documents + unreadable
    findings.sort(key=lambda f: f.sort_key())
    if args.format == "text":
        color = args.color == "always" or (
            args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        )
        text = out.render_text(findings, color)
        if text:
            print(text)
        checked = len(result.specs) + result.capabilities
        if checked or findings or not result.read_errors:
            others = len(result.read_errors) - len(unreadable)
            print(out.summary(findings, checked, len(unreadable), others))
        if not checked and not result.read_errors:
            print(
                "specmark: note: no spec folders found (looked for tasks.md / requirements.md); "
                "see docs/configuration.md",
                file=sys.stderr,
            )
    elif args.format == "json":
        print(out.render_json(findings))
    elif args.format == "github":
        text = out.render_github(findings)
        if text:
            print(text)
    else:
        print(out.render_sarif(findings))
    if result.read_errors:
        return EXIT_USAGE
    return EXIT_FINDINGS if any(f.severity is Severity.ERROR for f in findings) else EXIT_OK


@_without_gc
def cmd_status(args) -> int:
    from .core.features.progress import spec_progress, with_ready
    from .core.project import check_paths
    from .output import status as out

    result = check_paths(args.paths, args.config)
    _print_errors(result)
    rows = [(spec.name, spec.folder, with_ready(spec_progress(r), r)) for spec, r in result.specs]
    render = {"text": out.render_text, "json": out.render_json, "markdown": out.render_markdown}[args.format]
    if rows or args.format != "text":
        print(render(rows))
    else:
        print("No spec folders found.")
    return EXIT_USAGE if result.read_errors else EXIT_OK


def cmd_rules(_args) -> int:
    from .core.checks import OPT_IN, RULES

    for code, rule in RULES.items():
        default = rule.default.value
        if code in OPT_IN:  # off until turned on (`wording = true`, a severity, --select)
            default = f"off ({default})" if OPT_IN[code] else f"off (opt-in only: {default})"
        print(f"{code:26} {default:12} {rule.summary}")
    return EXIT_OK


def cmd_serve(args) -> int:
    from .lsp.server import run

    try:
        return run(tcp=args.tcp, host=args.host, port=args.port, log_level=args.log_level)
    except OSError as exc:
        if not args.tcp:
            raise
        import errno

        if exc.errno == errno.EADDRINUSE:
            why = "the address is already in use; choose another --port"
        else:
            why = exc.strerror or str(exc)
        print(f"specmark: error: cannot listen on {args.host}:{args.port}: {why}", file=sys.stderr)
        return EXIT_USAGE


def _command_of(argv: list[str]) -> str | None:
    """The command argparse will run: the first argument that is not an option (None: unsure)."""
    for arg in argv:
        if arg == "--":
            continue
        if arg.startswith("-"):
            if arg in ("-h", "--help", "--version"):
                return None
            continue
        return arg if arg in COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> int:
    _reported.clear()
    if argv is None:
        argv = sys.argv[1:]
    args: CheckArgs | argparse.Namespace | None = check_args(argv)
    if args is None:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_USAGE
    handler = {"check": cmd_check, "status": cmd_status, "serve": cmd_serve, "rules": cmd_rules}.get(
        args.command
    )
    if handler is None:
        from .agents import commands

        handler = {"next": commands.cmd_next, "mcp": commands.cmd_mcp}.get(args.command, commands.cmd_set)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        if args.command not in ONE_SHOT:
            raise
        # every read is guarded (a read error is a finding of its own): this is the output
        # failing, e.g. `specmark check > /dev/full`
        return _output_failed(exc)


ONE_SHOT = ("check", "status", "rules", "next", "set", "done", "start")
_reported: list[OSError] = []  # an output failure already said (run() flushes again)


def _output_failed(exc: OSError) -> int:
    """One line on stderr (if it can still be written) and exit code 2, never a traceback."""
    if not _reported:
        _reported.append(exc)
        try:
            print(
                f"specmark: error: cannot write the output: {exc.strerror or exc}",
                file=sys.stderr,
                flush=True,
            )
        except (OSError, ValueError):
            pass
    return EXIT_USAGE


def run() -> None:
    """The `specmark` command (the console script and `python -m specmark`).

    A one-shot command ends with `os._exit` once its output is flushed. The interpreter's
    own shutdown would run a last garbage collection over every parsed object and then free
    them one by one: 40-55 ms after a 10,000-line check, a fifth of the run, for nothing (no
    file is open for writing, no atexit hook is registered). mypy's command line exits the
    same way. `serve` exits the ordinary way; `main` itself never exits the process (tests
    call it in-process).

    The garbage collector stays paused to the end of a one-shot command: re-enabled when
    `cmd_check` returns, its next allocation (the tuple of streams below) set off a collection
    of the youngest generation, which then held every object allocated while it was paused:
    one traversal of all parsed documents (4% of the instructions of a 20-spec check)."""
    command = _command_of(sys.argv[1:])
    if command in ONE_SHOT:
        import gc

        gc.disable()  # _without_gc then finds it paused and leaves it so
    code = main()
    if command not in ONE_SHOT:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that went away (`| head`): nothing to add
            pass
        except OSError as exc:  # a full disk, an I/O error
            code = _output_failed(exc)
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()

"""Checking specs on disk (the CLI's job): discovery, reading files, analysing each spec."""

from __future__ import annotations

import os
import stat

from .analysis import SpecResult, analyze
from .config import Config, ConfigError, find_config_file, load_config_file
from .coverage import Resolver
from .discovery import Discovery, Spec, discover, in_spec_root
from .model import Finding, Record, Related, Severity, Span, factory

TYPE_CHECKING = False  # not `typing`'s: the check path does not import typing
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    # a Finding as plain values, to cross a pipe from a forked child (see _plain)
    FindingTuple = tuple[
        str, str, Span, str, Severity, tuple[tuple[str, Span, str], ...], dict[str, Any] | None
    ]

UNREADABLE = "unreadable-document"  # the finding on a document that cannot be read or decoded
LAYOUT = "spec-layout"  # a spec folder laid out in a way specmark does not read (discovery.layout_notice)


class ReadError(Record):
    """A path that could not be read. `span` is set when it is a document of a spec (where the
    problem is: the first byte that is not UTF-8, else the start): such an error is also a
    finding on that document (`unreadable_findings`), in every output format."""

    path: str
    message: str
    span: Span | None = None


class ProjectResult(Record):
    specs: list[tuple[Spec, SpecResult]] = factory(list)
    read_errors: list[ReadError] = factory(list)
    config_errors: list[ConfigError] = factory(list)
    notes: list[str] = factory(list)
    # findings on documents outside a spec folder's analysis (OpenSpec specs, deltas)
    documents: list[Finding] = factory(list)
    capabilities: int = 0  # OpenSpec capability specs checked (counted with the specs in the summary)


def read_text(path: str, max_size: int) -> str:
    """A document's text; raises ReadError-worthy OSError/UnicodeDecodeError with context."""
    st = os.stat(path)
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        # a tasks.md that is (a link to) /dev/zero, a FIFO or a socket would read forever or block
        raise OSError("not a regular file (a device, pipe or socket); specmark reads only regular files")
    size = st.st_size
    if size > max_size:
        raise OSError(
            f"file is {size:,} bytes, over max-file-size ({max_size:,}); raise it in .specmark.toml to check it"
        )
    with open(path, "rb") as fh:
        # the size stat gave, and one byte more to see whether the file has grown since: a
        # read of max_size + 1 bytes allocates that much first (5 MB, 25 us per document)
        data = fh.read(size + 1)
        if len(data) > size:  # it has: read on, as far as the limit
            data += fh.read(max_size - size)
    if len(data) > max_size:
        raise OSError(
            f"file is over max-file-size ({max_size:,} bytes); raise it in .specmark.toml to check it"
        )
    text = data.decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)


def describe_read_error(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        data = exc.object
        for bom, name in _BOMS:
            if data.startswith(bom):
                marks = " ".join(f"{b:02x}" for b in bom)
                return (
                    f"not UTF-8 but {name}: the file starts with that byte-order mark ({marks}); "
                    "re-save the file as UTF-8"
                )
        return (
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save the file as UTF-8"
        )
    if isinstance(exc, PermissionError):
        return "permission denied; make the file readable"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return str(exc.args[-1] if exc.args else exc)


def error_span(exc: Exception) -> Span:
    """Where a document's read error is: the first byte that is not UTF-8 (its line, and its
    column in code points of the valid text before it), else the start of the document."""
    if isinstance(exc, UnicodeDecodeError) and not any(exc.object.startswith(b) for b, _ in _BOMS):
        data = exc.object
        line = data.count(b"\n", 0, exc.start)
        start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[start : exc.start].decode("utf-8", "replace"))
        if line == 0 and data.startswith(b"\xef\xbb\xbf"):
            col -= 1  # the UTF-8 byte-order mark is not part of the text
        return Span(line, col, line, col + 1)
    return Span(0, 0, 0, 0)


def unreadable_findings(errors: list[ReadError]) -> list[Finding]:
    """The read errors on spec documents as findings (severity error) on those documents."""
    return [
        Finding(UNREADABLE, e.path, e.span, f"cannot read this document: {e.message}", Severity.ERROR)
        for e in errors
        if e.span is not None
    ]


def config_for(path: str, explicit: str | None = None) -> tuple[Config, list[ConfigError]]:
    # os.path.realpath, not Path.resolve: on a symbolic link loop Python 3.11's resolve raises
    # RuntimeError (`specmark check loop` ended in a traceback)
    cfg_path = explicit or find_config_file(os.path.realpath(path))
    if cfg_path is None:
        return Config(), []
    return load_config_file(cfg_path)


def check_spec(
    spec: Spec, config: Config, select: Iterable[str] | None = None, ignore: Iterable[str] = ()
) -> tuple[SpecResult | None, list[ReadError]]:
    errors: list[ReadError] = []

    def read(path: str) -> str | None:
        try:
            return read_text(path, config.max_file_size)
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(ReadError(path, describe_read_error(exc), error_span(exc)))
            return None

    tasks = {p: text for p in spec.tasks_paths if (text := read(p)) is not None}
    req = None
    if spec.requirements_path and (text := read(spec.requirements_path)) is not None:
        req = (spec.requirements_path, text)
    if not tasks and req is None:
        return None, errors
    design = None
    if spec.design_path and (text := read(spec.design_path)) is not None:
        design = (spec.design_path, text)
    return analyze(tasks, req, config, spec.flavor, select, ignore, design), errors


def check_paths(
    paths: list[str],
    config_file: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    findings_only: bool = False,
) -> ProjectResult:
    """Discover and check the specs under `paths`. With `findings_only` (the caller reads only
    each SpecResult's findings), many specs are checked by a pool of processes, one per CPU."""
    out = ProjectResult()
    seen: set[str] = set()
    for raw in paths:
        config, cerrs = config_for(raw, config_file)
        for e in cerrs:
            if str(e) not in {str(x) for x in out.config_errors}:
                out.config_errors.append(e)
        if not os.path.exists(raw):
            reason = "no such file or directory"
            if os.path.islink(raw):  # a dangling link, or a loop: say which
                try:
                    os.stat(raw)
                except OSError as exc:
                    reason = describe_read_error(exc)
            out.read_errors.append(ReadError(raw, reason))
            continue
        if not (os.path.isdir(raw) or os.path.isfile(raw)):
            # a FIFO or a device named on the command line: an error (it was a note, "skipped …:
            # not a directory", and the run passed with nothing checked)
            out.read_errors.append(
                ReadError(
                    raw, "not a regular file (a device, pipe or socket); specmark reads only regular files"
                )
            )
            continue
        try:
            found: Discovery = discover(raw, config)
        except OSError as exc:
            out.read_errors.append(ReadError(raw, describe_read_error(exc)))
            continue
        if found.truncated:
            out.notes.append(found.truncated)
        for folder, why in found.unreadable:
            # an unreadable spec folder is an error; any other unreadable folder is only skipped
            if in_spec_root(folder):
                out.read_errors.append(
                    ReadError(folder, f"{why}; cannot list this spec folder, make it readable")
                )
            else:
                out.notes.append(f"skipped {folder}: {why}")
        todo = []
        for spec in found.specs:
            key = spec.folder + "|" + ",".join(spec.tasks_paths)
            if key in seen:
                continue
            seen.add(key)
            todo.append(spec)
        checked = _check_in_parallel(todo, config, select, ignore) if findings_only else None
        if checked is None:
            checked = [check_spec(spec, config, select, ignore) for spec in todo]
        for spec, (result, errors) in zip(todo, checked, strict=True):
            out.read_errors.extend(errors)
            if result is not None:
                out.specs.append((spec, result))
        unread = {e.path for e in out.read_errors}
        for doc, message, severity in found.layout:
            # a spec folder in a shape specmark does not read: one finding on what was found
            # (none on a document that could not be read: that is already its finding)
            if doc not in unread and not any(f.path == doc and f.code == LAYOUT for f in out.documents):
                out.documents.append(Finding(LAYOUT, doc, Span(0, 0, 0, 0), message, Severity(severity)))
        _check_openspec(raw, config, select, ignore, out, seen)
    return out


# below this many specs, starting processes costs more than it saves
PARALLEL_MIN = 24


def _plain(
    checked: tuple[SpecResult | None, list[ReadError]],
) -> tuple[list[FindingTuple] | None, list[ReadError]]:
    """A spec's findings as plain tuples (the frozen records do not pickle), and its read errors."""
    result, errors = checked
    if result is None:
        return None, errors
    found = [
        (
            f.code,
            f.path,
            f.span,
            f.message,
            f.severity,
            tuple((r.path, r.span, r.message) for r in f.related),
            f.data,
        )
        for f in result.findings
    ]
    return found, errors


def _finding(t: FindingTuple) -> Finding:
    code, path, span, message, severity, related, data = t
    return Finding(code, path, span, message, severity, tuple(Related(*r) for r in related), data)


def _fork_share(
    specs: list[Spec], config: Config, select: Iterable[str] | None, ignore: Iterable[str]
) -> tuple[int, int] | None:
    """A child process that checks `specs` and writes their `_plain` results, pickled, to a
    pipe: (its pid, the pipe's read end); None when no process can be had."""
    import pickle

    try:
        r, w = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # the child: checks, writes, and ends without the parent's cleanup
        code = 1
        try:
            os.close(r)
            data = pickle.dumps(
                [_plain(check_spec(spec, config, select, ignore)) for spec in specs], pickle.HIGHEST_PROTOCOL
            )
            with open(w, "wb") as fh:
                fh.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    return pid, r


def _collect(pid: int, r: int) -> list[tuple[list[FindingTuple] | None, list[ReadError]]] | None:
    """What a `_fork_share` child sent; None if it failed."""
    import pickle

    with open(r, "rb") as fh:
        data = fh.read()
    _pid, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    parts: list[tuple[list[FindingTuple] | None, list[ReadError]]] = pickle.loads(data)
    return parts


def _check_in_parallel(
    specs: list[Spec], config: Config, select: Iterable[str] | None, ignore: Iterable[str]
) -> list[tuple[SpecResult | None, list[ReadError]]] | None:
    """check_spec over `specs`, shared out in contiguous shares between this process and one
    forked child per further CPU, results in order; a child's SpecResults carry only their
    findings. None when it would not pay (few specs, one CPU, no fork).

    Plain `os.fork` and a pipe per child, not a multiprocessing pool: the pool's import, its
    threads and its extra worker (this process would only wait) cost more CPU than a share of
    a 200-spec check. The first spec is checked before forking, so the children inherit the
    compiled regexes. A child that fails has its share checked here (with the same error, if
    it is one)."""
    jobs = min(os.cpu_count() or 1, 8)
    if len(specs) < PARALLEL_MIN or jobs < 2 or not hasattr(os, "fork"):
        return None
    out = [check_spec(specs[0], config, select, ignore)]
    n = len(specs)
    # this process checks specs[:mine] (the first included), then collects, sorts and prints
    # the findings of all (about what 3 specs cost, of 200): its share is a spec per 100 smaller
    mine = max(2, -(-n // jobs) - n // 100)
    step = -(-(n - mine) // (jobs - 1))
    shares = [(1, mine)] + [(i, min(i + step, n)) for i in range(mine, n, step)]
    children = []
    for a, b in shares[1:]:
        child = _fork_share(specs[a:b], config, select, ignore)
        if child is None:
            break
        children.append((a, b, child))
    mine_end = children[0][0] if children else len(specs)  # this process: specs[:mine_end]
    out.extend(check_spec(spec, config, select, ignore) for spec in specs[1:mine_end])
    for a, b, (pid, r) in children:
        parts = _collect(pid, r)
        if parts is None:
            out.extend(check_spec(spec, config, select, ignore) for spec in specs[a:b])
            continue
        for spec, (found, errors) in zip(specs[a:b], parts, strict=True):
            result = None
            if found is not None:
                result = SpecResult(spec.flavor, [], None, Resolver(None), {}, [_finding(t) for t in found])
            out.append((result, errors))
    if children and children[-1][1] < len(specs):  # no process for the last shares: here
        out.extend(check_spec(spec, config, select, ignore) for spec in specs[children[-1][1] :])
    return out


def _check_openspec(
    raw: str,
    config: Config,
    select: Iterable[str] | None,
    ignore: Iterable[str],
    out: ProjectResult,
    seen: set[str],
) -> None:
    """OpenSpec's own documents (capability specs, delta specs) under or around `raw`."""
    here = os.path.abspath(raw)
    if "openspec" not in here and not os.path.isdir(os.path.join(here, "openspec")):
        return  # the common case costs one stat and no import
    from .openspec import capability_count, openspec_findings, openspec_root

    root = openspec_root(raw)
    if root is None:
        return
    within = here if here.startswith(root + os.sep) else None
    key = f"openspec|{root}|{within}"
    if key in seen:
        return
    seen.add(key)
    out.documents.extend(openspec_findings(root, config, select, ignore, within))
    out.capabilities += capability_count(root, within)

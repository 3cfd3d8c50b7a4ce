"""Changing one task's status glyph on disk, safely (`specmark set`, MCP `set_task_status`).

The edit is the editor's toggle edit (core/features/toggle.py: one glyph between the
brackets), applied to the file's bytes: the encoding, a BOM, CRLF line ends, the optional `*`
and every other byte stay as they were. The write holds an exclusive lock on the file (flock
where the system has it; the lock is re-taken if another writer replaced the file meanwhile),
honours an expected-hash precondition, goes through a temporary file in the same folder
(fsync, the original mode, rename), and is verified by reading the file back.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys

from ..core.analysis import effective_config, parse_tasks_cached
from ..core.config import Config
from ..core.features.next import (
    LookupError_,
    _complete,
    count_progress,
    find_task,
    task_ref,
)
from ..core.features.toggle import glyph_for, set_status, uses_in_progress
from ..core.model import Status, TasksDoc
from .workspace import AgentError, find_specs, load_spec

TYPE_CHECKING = False  # typing is not imported at run time (a few ms of start-up)
if TYPE_CHECKING:
    from typing import BinaryIO

SET_SCHEMA = "specmark.set/1"
STATUSES = {"done": Status.DONE, "open": Status.TODO, "todo": Status.TODO, "in-progress": Status.IN_PROGRESS}


class HashMismatch(AgentError):
    """The file changed since the caller read it (`--expect-hash`)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Locked:
    """An exclusive lock on `path` (the file itself: no lock file is left behind). A writer
    replaces the file by rename, so after waiting for the lock the descriptor may point at the
    old file: then it is reopened and locked again."""

    def __init__(self, path: str):
        self.path = path
        self.fh: BinaryIO | None = None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # Windows: compare-and-rename only (the hash is checked before the rename)
            return self
        for _ in range(100):
            fh = open(self.path, "rb")
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                same = os.path.samestat(os.fstat(fh.fileno()), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                self.fh = fh
                return self
            fh.close()
        raise AgentError(f"{self.path}: the file keeps being replaced; try again")

    def __exit__(self, *exc):
        if self.fh is not None:
            self.fh.close()  # closing releases the lock
        return False


def _create_temp(folder: str, name: str) -> tuple[int, str]:
    """A new file `.NAME.PID-N.specmark-tmp` beside the target, created exclusively (what
    tempfile.mkstemp does, without importing tempfile and random)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for n in range(1000):
        tmp = os.path.join(folder, f".{name}.{os.getpid()}-{n}.specmark-tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: cannot create a temporary file beside {name}")


def atomic_write(path: str, data: bytes, mode: int):
    """Write `data` to `path` through a temporary file in the same folder (fsync, `mode`,
    rename). Returns the new file open for reading and locked (flock, where there is one)
    since before the rename: a writer that opens the path after the rename waits for it, so
    the caller can read back exactly what it wrote, then close it."""
    folder = os.path.dirname(path) or "."
    fd, tmp = _create_temp(folder, os.path.basename(path))
    held = None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        held = open(tmp, "rb")
        try:
            import fcntl

            fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        except ImportError:  # Windows
            pass
        os.replace(tmp, path)
    except BaseException:
        if held is not None:
            held.close()
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # the rename itself durable (POSIX); not possible everywhere
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
    return held


def _decode(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")  # a BOM stays a character: the parser's columns count it
    except UnicodeDecodeError as exc:
        raise AgentError(
            f"{path}: not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
            "specmark edits only UTF-8 files; re-save it as UTF-8"
        ) from None


def _writable(path: str) -> None:
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise AgentError(f"{path}: not a regular file; specmark edits only regular files")
    if not (st.st_mode & 0o222) or not os.access(path, os.W_OK):
        raise AgentError(f"{path}: the file is read-only; make it writable (chmod u+w) to change a status")
    if not os.access(os.path.dirname(path) or ".", os.W_OK | os.X_OK):
        raise AgentError(
            f"{os.path.dirname(path)}: the folder is not writable (the file is replaced atomically "
            "through a temporary file beside it)"
        )


def _target_status(word: str) -> Status:
    status = STATUSES.get(word.strip().lower())
    if status is None:
        raise AgentError(f"unknown status {word!r}; use done, open or in-progress")
    return status


def _glyph(doc: TasksDoc, status: Status, config: Config) -> str:
    if status is Status.IN_PROGRESS and not uses_in_progress(doc, config):
        raise AgentError(
            f"this spec's convention ({doc.flavor}) has no in-progress checkbox; use done or open "
            "(or define one with status-glyphs in .specmark.toml)"
        )
    glyph = glyph_for(status, doc, config)
    if glyph is None:
        raise AgentError(f"this spec's convention has no glyph for {status.value}")
    return glyph


def set_task_status(
    path: str,
    ref: str,
    status_word: str,
    spec_name: str | None = None,
    expect_hash: str | None = None,
    config_file: str | None = None,
    specs_config=None,
) -> dict:
    """Set the status of the task `ref` (an ID, `@LINE` or `FILE@LINE`) in the spec at `path`.
    Returns the `specmark.set/1` record; raises AgentError (HashMismatch) to refuse."""
    status = _target_status(status_word)
    specs, config = specs_config if specs_config is not None else find_specs(path, config_file)
    if specs_config is None:
        from .commands import warn_config

        warn_config(config)
    if spec_name is not None:
        hits = [s for s in specs if s.name == spec_name or s.folder == spec_name]
        if not hits:
            raise AgentError(f"no spec named {spec_name!r}; specs here: {', '.join(s.name for s in specs)}")
        if len(hits) > 1:
            raise AgentError(f"{len(hits)} specs are named {spec_name!r}; name the folder instead")
        spec = hits[0]
    elif len(specs) == 1:
        spec = specs[0]
    else:
        raise AgentError(
            f"{len(specs)} specs here ({', '.join(s.name for s in specs)}); name one with --spec "
            "(`specmark next` says which spec its task is in)"
        )
    result = load_spec(spec, config)
    docs = result.tasks
    try:
        doc, task = find_task(docs, ref)
    except LookupError_ as exc:
        raise AgentError(str(exc)) from None
    target = os.path.realpath(doc.path)  # a link: the file it points to is the one changed
    flavor = doc.flavor
    cfg = effective_config(config, flavor)

    with _Locked(target):
        with open(target, "rb") as fh:
            data = fh.read()
        before_hash = sha256(data)
        if expect_hash is not None and expect_hash.strip().lower() != before_hash:
            raise HashMismatch(
                f"{doc.path} changed since it was read (sha256 {before_hash}, expected "
                f"{expect_hash.strip()}); read it again (`specmark next`) and retry"
            )
        text = _decode(doc.path, data)
        plain = text[1:] if text.startswith("\ufeff") else text
        if "\n".join(doc.lines) != "\n".join(_split(plain)):
            # the file changed between the first read and the lock: parse what is there now
            doc = parse_tasks_cached(plain, doc.path, cfg, flavor)
            docs = [doc if d.path == doc.path else d for d in docs]
            try:
                doc, task = find_task(docs, ref)
            except LookupError_ as exc:
                raise AgentError(str(exc)) from None
        if task.glyph_span is None:
            raise AgentError(
                f"task {task.id or task.title!r} is a heading task without a checkbox; its status "
                "follows its sub-tasks"
            )
        name = f"task {task.id}" if task.id else f"task on line {task.line + 1}"
        new_glyph = _glyph(doc, status, config)
        done, total = count_progress(docs)
        warnings: list[str] = []
        record: dict = {
            "schema": SET_SCHEMA,
            "spec": spec.name,
            "path": doc.path,
            "ref": task_ref(docs, doc, task),
            "id": task.id,
            "title": task.title,
            "line": task.line + 1,
            "from": task.status.value if task.status else None,
            "to": status.value,
            "glyphBefore": task.glyph,
            "glyphAfter": new_glyph,
            "changed": False,
            "hashBefore": before_hash,
            "sha256": before_hash,
            "progressBefore": {"done": done, "total": total},
            "progress": {"done": done, "total": total},
            "warnings": warnings,
        }
        if status is Status.DONE and task.children:
            still = [doc.tasks[c] for c in task.children if not _complete(doc, doc.tasks[c])]
            if still:
                ids = ", ".join(t.id or f"line {t.line + 1}" for t in still)
                warnings.append(
                    f"{name} is marked done while {len(still)} of its sub-tasks are not ({ids}); "
                    "they were left as they are"
                )
        if task.status is status:
            return record  # already so: nothing written (idempotent)
        edit = set_status(doc, task, status, cfg)
        if edit is None:
            raise AgentError(f"{name}: cannot write {status.value} here")
        _writable(target)
        span = edit.span
        bom = 3 if text.startswith("\ufeff") else 0
        char = _char_offset(plain, span.line, span.col)
        off = bom + len(plain[:char].encode("utf-8"))
        old_b = plain[char].encode("utf-8")
        new_b = edit.new_text.encode("utf-8")
        new_data = data[:off] + new_b + data[off + len(old_b) :]
        if os.name == "nt":  # no flock: compare before the rename
            with open(target, "rb") as fh:
                if fh.read() != data:
                    raise HashMismatch(f"{doc.path} changed while it was being edited; retry")
        try:
            written = atomic_write(target, new_data, stat.S_IMODE(os.stat(target).st_mode))
        except OSError as exc:
            raise AgentError(
                f"{doc.path}: cannot write: {exc.strerror or exc}; the file is unchanged"
            ) from None
        # verify: the file now at the path has the bytes written and the new glyph (read
        # through the descriptor locked before the rename: no other writer is in between)
        with written:
            back = written.read()
            same = os.path.samestat(os.fstat(written.fileno()), os.stat(target))
        if not same or back != new_data or not _line_has(back, span.line, span.col, edit.new_text):
            raise AgentError(f"{doc.path}: the file did not change as written (another program wrote it?)")
    after_done = done + (status is Status.DONE) - (task.status is Status.DONE)
    record.update(
        changed=True,
        sha256=sha256(new_data),
        glyphAfter=edit.new_text,
        progress={"done": after_done, "total": total},
    )
    return record


def _split(text: str) -> list[str]:
    from ..core.text import split_lines

    return split_lines(text)


def _char_offset(text: str, line: int, col: int) -> int:
    """Where (line, column) is in `text`: the line's start found by searching for line
    breaks up to it (the whole table of line starts costs ~10 ms on a 10,000-line plan)."""
    if "\r" not in text:
        pos = 0
        for _ in range(line):
            pos = text.index("\n", pos) + 1
        return pos + col
    from ..core.text import line_starts

    return line_starts(text)[line] + col


def _line_has(data: bytes, line: int, col: int, glyph: str) -> bool:
    from ..core.text import split_lines

    text = data.decode("utf-8")
    lines = split_lines(text[1:] if text.startswith("\ufeff") else text)
    return line < len(lines) and lines[line][col : col + 1] == glyph


def render_set_text(record: dict) -> str:
    name = f"task {record['id']}" if record["id"] else f"task on line {record['line']}"
    p0, p1 = record["progressBefore"], record["progress"]
    if record["changed"]:
        head = f"{record['path']}: {name} → {record['to']} ([{record['glyphBefore']}] → [{record['glyphAfter']}])"
        prog = f"{p0['done']}/{p0['total']} → {p1['done']}/{p1['total']} tasks done"
    else:
        head = f"{record['path']}: {name} is already {record['to']}; nothing written"
        prog = f"{p1['done']}/{p1['total']} tasks done"
    return f"{head}\n{prog}\nsha256 {record['sha256']}"


def print_warnings(record: dict) -> None:
    for w in record["warnings"]:
        print(f"specmark: warning: {w}", file=sys.stderr)

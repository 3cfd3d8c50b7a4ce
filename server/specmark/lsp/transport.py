"""Reading stdin on the event loop instead of through a thread.

pygls 2.1.1 reads stdin with `loop.run_in_executor(stdin.readline)` and `stdin.read(n)`: every
message costs three or four round trips through its thread pool (the Content-Length line, the
blank line, the body), each a thread wake-up and a self-pipe write back to the loop, with the GIL
handed over twice. When stdin is a pipe or a socket (as editors start servers), `PipeReader`
gets the bytes from the event loop itself (`connect_read_pipe`) and answers `readline` /
`readexactly` from its buffer without a thread when the whole message has arrived. Between
two messages it still lets the loop run what is ready (`_let_ready_work_run`), as pygls's
thread round trips did, so messages are handled in the same order relative to the tasks they
start.

The framing stays pygls's: `pygls.io_.run_async` drives the reader, so headers, malformed
frames and end of input are handled exactly as before. For anything else (a regular file, a
terminal) the server keeps pygls's threaded reader. The pygls code this mirrors is named in
pygls_seam.py.
"""

from __future__ import annotations

import asyncio
import os
import stat

_PIPE_SIZE = 1 << 20  # Linux's default /proc/sys/fs/pipe-max-size

_HIGH_WATER = 1 << 24  # stop reading the pipe while this much is buffered (a flooding client)


class PipeReader(asyncio.Protocol):
    """pygls's AsyncReader interface (`readline`, `readexactly`) over a non-blocking pipe.

    Both return what pygls's threaded reader returns: a line up to and including `\\n` (the
    rest at end of input, b"" after it), and `n` bytes (fewer at end of input)."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._eof = False
        self._waiter: asyncio.Future | None = None
        self._transport: asyncio.ReadTransport | None = None
        self._paused = False

    @classmethod
    async def connect(cls, stdin) -> PipeReader | None:
        """A reader on `stdin` if it is a pipe or a socket, else None."""
        try:
            mode = os.fstat(stdin.fileno()).st_mode
        except (AttributeError, OSError, ValueError):
            return None
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            return None
        reader = cls()
        try:
            await asyncio.get_running_loop().connect_read_pipe(lambda: reader, stdin)
        except (OSError, ValueError):
            return None
        return reader

    # ---- asyncio.Protocol ----------------------------------------------------------------------
    def connection_made(self, transport) -> None:
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buf += data
        if len(self._buf) > _HIGH_WATER and not self._paused and self._transport is not None:
            self._paused = True
            self._transport.pause_reading()
        self._wake()

    def eof_received(self):
        self._eof = True
        self._wake()
        return None

    def connection_lost(self, exc) -> None:
        self._eof = True
        self._wake()

    def _wake(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def _more(self) -> None:
        if self._paused and self._transport is not None:
            self._paused = False
            self._transport.resume_reading()
        self._waiter = asyncio.get_running_loop().create_future()
        await self._waiter

    # ---- pygls's AsyncReader -------------------------------------------------------------------
    async def readline(self) -> bytes:
        start = 0
        while True:
            i = self._buf.find(b"\n", start)
            if i >= 0:
                line = bytes(self._buf[: i + 1])
                del self._buf[: i + 1]
                return line
            if self._eof:
                line = bytes(self._buf)
                self._buf.clear()
                return line
            start = len(self._buf)
            await self._more()

    async def readexactly(self, n: int) -> bytes:
        while len(self._buf) < n and not self._eof:
            await self._more()
        data = bytes(self._buf[:n])
        del self._buf[:n]
        await _let_ready_work_run()
        return data


def widen_pipe(stream) -> None:
    """Let one write of a large message go into `stream`'s pipe at once (Linux).

    A pipe holds 64 KiB by default, and a publishDiagnostics of a few hundred findings is
    ~140 KB: the write would go in three turns, each waiting for the client to read and for
    the scheduler to wake the server again. F_SETPIPE_SZ raises the capacity to 1 MiB (the
    most an unprivileged process may ask for by default). Anything else — not a pipe, not
    Linux, a lower system limit — leaves the stream as it was."""
    try:
        import fcntl

        fd = stream.fileno()
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except (AttributeError, ImportError, OSError, ValueError):
        pass


async def _let_ready_work_run(limit: int = 64) -> None:
    """Yield to the event loop until the work that is ready has run (at most `limit` turns).

    pygls's threaded reader waits for its thread between two messages, and the loop runs what
    is ready meanwhile: a request's coroutine answers before the next message (say `shutdown`)
    is handled, an analysis scheduled by one change runs before the next change is applied.
    Messages that arrive together would otherwise be handled back to back. Keep the old order."""
    loop = asyncio.get_running_loop()
    await asyncio.sleep(0)
    ready = getattr(loop, "_ready", None)  # asyncio's queue of callbacks due on this turn
    turns = 1
    while ready and turns < limit:
        await asyncio.sleep(0)
        turns += 1

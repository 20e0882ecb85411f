"""Progress on a terminal: one status line on stderr, redrawn in place, with the seconds the
current step has taken (so a slow step shows it is being waited for).  Off when stderr is not a
terminal, so piped output stays exactly what it was."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TextIO

from schemy.cli.common import echo
from schemy.system import progress


class StatusLine:
    """The status line: ``report`` replaces it, ``say`` prints a line of output above it."""

    def __init__(self, stream: TextIO, tick: float = 0.5) -> None:
        self.stream = stream
        self.message = ""
        self.since = time.monotonic()
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.ticker = threading.Thread(target=self._tick, args=(tick,), name="schemy-progress", daemon=True)

    def _draw(self) -> None:
        if self.message:
            elapsed = time.monotonic() - self.since
            shown = f"{self.message} ({elapsed:.0f} s)" if elapsed >= 2 else self.message
            self.stream.write("\r\033[K" + shown[:200])
            self.stream.flush()

    def _clear(self) -> None:
        if self.message:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _tick(self, every: float) -> None:
        while not self.done.wait(every):
            with self.lock:
                self._draw()

    def report(self, message: str) -> None:
        with self.lock:
            self.message, self.since = message, time.monotonic()
            self._draw()

    def say(self, text: str) -> None:
        with self.lock:
            self._clear()
            echo(text)
            sys.stdout.flush()
            self._draw()

    def close(self) -> None:
        self.done.set()
        with self.lock:
            self._clear()
            self.message = ""


@contextlib.contextmanager
def terminal_progress(say: Callable[[str], None] = echo) -> Iterator[Callable[[str], None]]:
    """Show progress while the block runs, if stderr is a terminal; yields the ``say`` to use
    for output lines (it keeps them and the status line apart)."""
    if not sys.stderr.isatty():
        yield say
        return
    line = StatusLine(sys.stderr)
    line.ticker.start()
    try:
        with progress.reporting(line.report):
            yield line.say
    finally:
        line.close()

"""Progress of long work (building a system, starting its services), for a person watching.

The backend reports what it is doing with ``report("building /etc")``; nothing is shown unless
a front end installs a reporter (the command line does, on a terminal only), so piped output
and the Python API stay quiet.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

_reporters: list[Callable[[str], None]] = []


def report(message: str) -> None:
    """Tell the installed reporter (if any) what is happening now."""
    if _reporters:
        _reporters[-1](message)


@contextlib.contextmanager
def reporting(reporter: Callable[[str], None]) -> Iterator[None]:
    """Send progress to ``reporter`` while the block runs."""
    _reporters.append(reporter)
    try:
        yield
    finally:
        _reporters.pop()

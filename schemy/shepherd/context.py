"""The service a start/stop procedure runs for: where constructors log and leave failure reasons."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemy.shepherd.process import log


@dataclass
class ServiceContext:
    """What a start/stop procedure needs to know about the service it runs for.

    The manager installs one around each call; ``reason`` is where constructors leave the
    explanation of a failure for ``herd status``, ``pids`` what they spawned (so that a start
    that times out or is cancelled leaves no process behind).
    """

    name: str
    log_file: Path | None = None
    logger: Callable[[str], None] | None = None
    reason: str | None = None
    command: list[str] | None = None
    pids: list[int] = field(default_factory=list)

    def log(self, message: str) -> None:
        if self.logger is not None:
            self.logger(message)
        else:
            log().info("%s: %s", self.name, message)


class _Stack(threading.local):
    def __init__(self) -> None:
        self.items: list[ServiceContext] = []


# One stack per thread: the manager runs several starts and stops at once.
_CONTEXT = _Stack()


def current_context() -> ServiceContext | None:
    items = _CONTEXT.items
    return items[-1] if items else None


class service_context:  # noqa: N801 - used as a context manager, named like one
    """``with service_context(ctx): start()`` makes ``ctx`` visible to constructors."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def __enter__(self) -> ServiceContext:
        _CONTEXT.items.append(self.ctx)
        return self.ctx

    def __exit__(self, *exc: Any) -> None:
        _CONTEXT.items.pop()


def note(message: str) -> None:
    ctx = current_context()
    if ctx is not None:
        ctx.log(message)
    else:
        log().warning("%s", message)


def fail(reason: str) -> bool:
    ctx = current_context()
    if ctx is not None:
        ctx.reason = reason
    note(reason)
    return False

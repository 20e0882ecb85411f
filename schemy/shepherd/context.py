"""The service a start/stop procedure runs for: where constructors log and leave failure reasons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemy.shepherd.process import log


@dataclass
class ServiceContext:
    """What a start/stop procedure needs to know about the service it runs for.

    The manager installs one around each call; ``reason`` is where constructors leave the
    explanation of a failure for ``herd status``.
    """

    name: str
    log_file: Path | None = None
    logger: Callable[[str], None] | None = None
    reason: str | None = None
    command: list[str] | None = None

    def log(self, message: str) -> None:
        if self.logger is not None:
            self.logger(message)
        else:
            log().info("%s: %s", self.name, message)


_CONTEXT: list[ServiceContext] = []


def current_context() -> ServiceContext | None:
    return _CONTEXT[-1] if _CONTEXT else None


class service_context:  # noqa: N801 - used as a context manager, named like one
    """``with service_context(ctx): start()`` makes ``ctx`` visible to constructors."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def __enter__(self) -> ServiceContext:
        _CONTEXT.append(self.ctx)
        return self.ctx

    def __exit__(self, *exc: Any) -> None:
        _CONTEXT.pop()


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

"""The interpreter that is running, as the layers below it see it.

Macro transformers, record syntax and pattern matching sometimes need the world they run in
(its core scope, its expander's current location, its primitive table).  They cannot import
the eval layer, which sits above them; instead the interpreter registers itself here while
it runs, and these layers read it back through ``current()``.  They use only a few documented
attributes of it: ``core_scope``, ``expander``, ``load_path``, ``modules``.
"""

from __future__ import annotations

from typing import Any

# Every primitive the running interpreter's core module binds, by Scheme name.
PRIMITIVES: dict[str, Any] = {}

_running: list[Any] = []
_latest: list[Any] = []


def enter(world: Any) -> None:
    """``world`` starts running (calls nest)."""
    _running.append(world)


def leave() -> None:
    _running.pop()


def created(world: Any) -> None:
    """``world`` is the most recently created interpreter: the fallback of ``current()``."""
    _latest[:] = [world]


def running() -> Any | None:
    """The interpreter running the current evaluation, or None outside any evaluation."""
    return _running[-1] if _running else None


def current() -> Any:
    """The running interpreter, else the most recently created one."""
    if _running:
        return _running[-1]
    if _latest:
        return _latest[-1]
    raise RuntimeError("no schemy interpreter has been created")


def is_running(world: Any) -> bool:
    return bool(_running) and _running[-1] is world


def primitive(name: str) -> Any:
    """The core primitive called ``name`` (``car``, ``pair?``...)."""
    return PRIMITIVES[name]


def current_or_none() -> Any | None:
    """Like ``current()``, but None before any interpreter exists."""
    return _running[-1] if _running else (_latest[-1] if _latest else None)

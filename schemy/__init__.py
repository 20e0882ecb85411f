"""schemy: a Guile-compatible Scheme that runs Guix-style system configurations.

Public API::

    schemy.read(text, filename="<string>")  -> list of datums
    schemy.write_string(obj) / schemy.display_string(obj) -> str
    schemy.evaluate(text, filename="<string>", module=None) -> value of the last form
    schemy.Interpreter  -> a Scheme world for repeated use
"""

from __future__ import annotations

from typing import Any

from schemy.lang.resources import VERSION as __version__

__all__ = ["read", "write_string", "display_string", "evaluate", "Interpreter", "SchemeError", "__version__"]


def read(text: str, filename: str = "<string>") -> list:
    from schemy.lang.reader import read as _read

    return _read(text, filename)


def write_string(obj: Any) -> str:
    from schemy.lang.printer import write_string as _w

    return _w(obj)


def display_string(obj: Any) -> str:
    from schemy.lang.printer import display_string as _d

    return _d(obj)


def evaluate(text: str, filename: str = "<string>", module: Any = None) -> Any:
    """Evaluate every form of ``text`` in a fresh interpreter; the value of the last one."""
    from schemy.app import Interpreter as _I

    return _I().eval_string(text, filename, module)


def __getattr__(name: str) -> Any:
    if name == "Interpreter":
        from schemy.app import Interpreter

        return Interpreter
    if name == "SchemeError":
        from schemy.lang.errors import SchemeError

        return SchemeError
    raise AttributeError(name)

"""SRFI-39 parameter objects.

A parameter is a procedure of no arguments returning its current value.
``parameterize`` rebinds it for a dynamic extent; because schemy's
continuations are escape-only, a try/finally in ``parameterized`` restores
the old value on every exit path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Parameter:
    __slots__ = ("value", "converter", "scheme_name")

    def __init__(self, value: Any, converter: Callable[[Any], Any] | None = None, name: str | None = None) -> None:
        self.converter = converter
        self.value = converter(value) if converter is not None else value
        self.scheme_name = name

    def __call__(self, *args: Any) -> Any:
        if not args:
            return self.value
        # Guile allows (param new-value) to set it outside parameterize.
        (new,) = args
        self.value = self.converter(new) if self.converter is not None else new
        from schemy.lang.datum import UNSPECIFIED

        return UNSPECIFIED

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<parameter {self.scheme_name or hex(id(self))}>"


@contextmanager
def parameterized(bindings: list[tuple[Parameter, Any]]) -> Iterator[None]:
    """Bind each parameter to its (converted) value for the extent of the block."""
    saved = [(p, p.value) for p, _ in bindings]
    converted = [(p, p.converter(v) if p.converter is not None else v) for p, v in bindings]
    for p, v in converted:
        p.value = v
    try:
        yield
    except BaseException as e:
        # An error leaving the extent is first offered to a non-unwinding exception handler,
        # which must see it with these values still bound (schemy.runtime.control).
        UNWIND_HOOK[0](e)
        raise
    finally:
        for p, old in saved:
            p.value = old


# Called with the exception leaving a ``parameterize`` or ``dynamic-wind`` extent, before
# the extent's state is restored; installed by schemy.runtime.control (a layer may not
# import the modules that import it).
UNWIND_HOOK: list[Callable[[BaseException], None]] = [lambda e: None]

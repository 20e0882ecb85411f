"""The registry of special forms and the helpers every expansion module shares.

A special form is a function ``(expander, form, scope) -> core node`` registered under its
name by ``@special("name")`` next to the shape it accepts; the expander, the macro system,
pattern matching, record syntax and the derived forms all register here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemy.lang.datum import Pair, SourceLocation, list_to_python
from schemy.lang.errors import Condition, SchemeError
from schemy.lang.syntax import strip

SPECIAL_FORMS: dict[str, Callable[..., Any]] = {}


def special(*names: str, table: dict[str, Callable] | None = None) -> Callable:
    """Register a special form's expander under ``names``: in the core (Guile's own syntax), or
    in ``table`` for syntax that a library module provides (``gexp`` in ``(guix gexp)``)."""
    target = SPECIAL_FORMS if table is None else table

    def register(fn: Callable) -> Callable:
        for name in names:
            target[name] = fn
        return fn

    return register


def syntax_error(message: str, form: Any, loc: SourceLocation | None = None, hint: str | None = None) -> SchemeError:
    from schemy.lang.printer import write_string

    where = loc or (form.loc if isinstance(form, Pair) else None)
    text = f"{message}: {write_string(strip(form))}" if form is not None else message
    return SchemeError(Condition("syntax-error", text, hint=hint), loc=where)


def form_list(form: Any, what: str = "form") -> list:
    try:
        return list_to_python(form)
    except ValueError:
        raise syntax_error(f"bad {what} (improper list)", form) from None

"""What schemy knows about a compiled Scheme procedure: its name, formals, location and docstring.

The compiler records it, keyed by the procedure's Python code object; the printer, the error
reporter, ``procedure-name``/``procedure-documentation`` and the REPL read it through the
functions below (which also give the name of a procedure written in Python).  The tables hold
their keys weakly, so redefining a procedure many times does not keep every old version alive.
"""

from __future__ import annotations

import weakref
from typing import Any

from schemy.lang.datum import SourceLocation

# code object -> (scheme name, formals text, definition location)
LAMBDA_INFO: weakref.WeakKeyDictionary[Any, tuple[str, str, SourceLocation | None]] = weakref.WeakKeyDictionary()
# code object -> docstring of the lambda
LAMBDA_DOCS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
# Units whose facts are entered in these tables (and schemy.compile.tables') only when one of
# them is read (schemy.compile.tables.register_unit_later): a warm run replays ~1 400 cached
# units and usually reads none of their facts.  FLUSH holds the function that enters them.
PENDING: list[Any] = []
FLUSH: list[Any] = []


def flush() -> None:
    """Enter the pending units' facts in the tables (before reading them)."""
    if PENDING and FLUSH:
        FLUSH[0]()


def procedure_info(proc: Any) -> tuple[str, str, SourceLocation | None] | None:
    """(name, formals, location) of a compiled Scheme procedure, or None for a primitive."""
    if PENDING:
        flush()
    code = getattr(proc, "__code__", None)
    return LAMBDA_INFO.get(code) if code is not None else None


def procedure_doc(proc: Any) -> str | None:
    """The docstring of a compiled Scheme procedure, or None."""
    if PENDING:
        flush()
    code = getattr(proc, "__code__", None)
    doc = LAMBDA_DOCS.get(code) if code is not None else None
    if doc is None:
        body = getattr(proc, "_body", None)
        code = getattr(body, "__code__", None)
        doc = LAMBDA_DOCS.get(code) if code is not None else None
    return doc


def primitive_name(proc: Any) -> str | None:
    """The Scheme name a procedure written in Python was given (when it was bound as a primitive,
    or made as a record accessor, parameter...), or None."""
    name = getattr(proc, "scheme_name", None)
    return name if isinstance(name, str) and name else None


def procedure_label(proc: Any) -> str | None:
    """The Scheme name of any procedure: compiled, primitive, else its Python name, else None."""
    info = procedure_info(proc)
    if info is not None:
        return info[0]
    return primitive_name(proc) or getattr(proc, "__name__", None)

"""What the compiler remembers about the code it made, held only as long as that code lives.

Generated code carries its Scheme positions itself: every instruction's line and column
(``co_positions()``) are those of the Scheme form it computes, and ``co_filename`` is the
Scheme file.  Two facts do not fit there and are kept here, weakly, keyed by code object:

* ``CODE``: generated procedure name -> its code object.  Names are unique by construction,
  so a Python message naming a function ("f_f_12() takes 2 positional arguments") leads
  back to the Scheme procedure.
* ``FOREIGN``: the locations of forms from another file than the unit's own (code a macro
  defined elsewhere brought in).  Their positions are ``FOREIGN_BASE + index`` into this list.
* ``LOCALS``: a function's Python local -> the Scheme variable it holds (``x_v_12`` -> ``x``),
  so that ``,locals`` shows a frame's variables by the names the user wrote.

Procedure names, formals and docstrings live in schemy.lang.procinfo, also keyed weakly.
"""

from __future__ import annotations

import weakref
from types import CodeType
from typing import Any

from schemy.lang import procinfo
from schemy.lang.datum import SourceLocation
from schemy.lang.procinfo import LAMBDA_DOCS, LAMBDA_INFO

FOREIGN_BASE = 1_000_000_000
TOP_PREFIX = "_top_"  # the name of a unit's function is TOP_PREFIX + its number

CODE: weakref.WeakValueDictionary[str, CodeType] = weakref.WeakValueDictionary()
FOREIGN: weakref.WeakKeyDictionary[CodeType, list[SourceLocation]] = weakref.WeakKeyDictionary()
LOCALS: weakref.WeakKeyDictionary[CodeType, dict[str, str]] = weakref.WeakKeyDictionary()


def register_unit(code: CodeType, info: dict[str, tuple], foreign: list[SourceLocation],
                  scheme_names: dict[str, str] | None = None) -> None:
    """Record the functions of one compiled unit: ``info`` maps a generated function name to
    (scheme name, formals text, location, docstring); ``scheme_names`` a Python local to the
    Scheme variable it holds."""
    # ``code`` is a unit's module code, or its top function's code itself (the module cache
    # makes the function from that without running a module).
    stack = [code] if code.co_name.startswith(TOP_PREFIX) else [c for c in code.co_consts if isinstance(c, CodeType)]
    while stack:
        c = stack.pop()
        if scheme_names:
            names = {n: scheme_names[n] for n in (*c.co_varnames, *c.co_cellvars, *c.co_freevars)
                     if n in scheme_names}
            if names:
                LOCALS[c] = names
        facts = info.get(c.co_name)
        if facts is not None:
            CODE[c.co_name] = c
            LAMBDA_INFO[c] = facts[:3]
            if facts[3]:
                LAMBDA_DOCS[c] = facts[3]
        if foreign:
            FOREIGN[c] = foreign
        stack.extend(x for x in c.co_consts if isinstance(x, CodeType))


def register_unit_later(code: CodeType, info: dict[str, tuple], foreign: list[SourceLocation],
                        scheme_names: dict[str, str] | None = None) -> None:
    """``register_unit``, done when any of the tables is next read (schemy.lang.procinfo.flush):
    for the units a warm run replays from the module cache, whose facts are rarely asked for."""
    if not procinfo.FLUSH:
        procinfo.FLUSH.append(_flush)
    procinfo.PENDING.append((code, info, foreign, scheme_names))


def register_unit_facts_later(code: CodeType, facts: Any) -> None:
    """``register_unit_later`` where ``facts()`` gives (info, foreign, scheme_names) only then:
    the module cache decodes a replayed unit's facts only if any table is read."""
    if not procinfo.FLUSH:
        procinfo.FLUSH.append(_flush)
    procinfo.PENDING.append((code, facts))


def _flush() -> None:
    pending = procinfo.PENDING[:]
    procinfo.PENDING.clear()
    for unit in pending:
        if len(unit) == 2:
            register_unit(unit[0], *unit[1]())
        else:
            register_unit(*unit)


def is_scheme_code(code: Any) -> bool:
    """Was ``code`` made by the compiler (a frame of Scheme code)?  Every generated function is
    a unit's ``_top_N`` or nested in one, a name nothing else uses."""
    return code.co_qualname.startswith(TOP_PREFIX)


def position_location(code: CodeType, line: int | None, column: int | None) -> SourceLocation | None:
    """The Scheme location a position of generated ``code`` stands for (None: unknown)."""
    if not line:
        return None
    if line >= FOREIGN_BASE:
        if procinfo.PENDING:
            procinfo.flush()
        table = FOREIGN.get(code)
        index = line - FOREIGN_BASE
        return table[index] if table is not None and index < len(table) else None
    return SourceLocation(code.co_filename, line, column or 0)


def instruction_location(code: CodeType, lasti: int) -> SourceLocation | None:
    """The location of the Scheme form whose code the instruction at offset ``lasti`` runs."""
    if lasti < 0:
        return None
    for i, pos in enumerate(code.co_positions()):
        if i == lasti // 2:
            return position_location(code, pos[0], pos[2])
    return None


def frame_location(frame: Any) -> SourceLocation | None:
    """Where a running frame of generated code is in its Scheme source (None for other frames)."""
    code = frame.f_code
    if not is_scheme_code(code):
        return None
    return instruction_location(code, frame.f_lasti)


def scheme_locals(frame: Any) -> list[tuple[str, Any]]:
    """The Scheme variables bound in a frame of generated code, as (Scheme name, value), in the
    order the function declares them (arguments first); not-yet-bound ones are left out."""
    if procinfo.PENDING:
        procinfo.flush()
    names = LOCALS.get(frame.f_code)
    if not names:
        return []
    values = frame.f_locals
    return [(names[n], values[n]) for n in names if n in values]

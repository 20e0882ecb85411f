"""Python exceptions raised by compiled Scheme code, told in Scheme's terms.

Compiled code does not check what CPython already checks (arity, calling a
non-procedure, unbound globals, integer division by zero).  When one of those
Python errors escapes, ``translate`` rewrites it into the message Guile would
give, and ``locate`` reads the Scheme location and backtrace out of the
Python traceback using the line table the compiler recorded.
"""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any

from schemy.compile.tables import EXPR_LOCS, LINE_LOCS, PENDING_INFO, SOURCES
from schemy.lang.errors import Condition, SchemeError
from schemy.lang.procinfo import LAMBDA_INFO

_ARITY = re.compile(
    r"^(?P<name>[\w.<>]+)\(\) (?:takes|missing) (?P<rest>.*)$")
_NOT_CALLABLE = re.compile(r"^'(?P<type>[\w.]+)' object is not callable$")


def _scheme_name(pyname: str) -> str:
    pyname = pyname.rsplit(".", 1)[-1]
    info = PENDING_INFO.get(pyname)
    if info is not None:
        return f"#<procedure {info[0]} {info[1]}>"
    return f"#<procedure {pyname}>"


def translate(exc: BaseException) -> SchemeError:
    """The SchemeError Guile would have raised where ``exc`` was raised."""
    if isinstance(exc, SchemeError):
        return exc

    cond: Condition
    cell = _unbound_cell(exc) if isinstance(exc, AttributeError) else None
    if cell is not None:
        cond = Condition("unbound-variable", f"{cell.name.name}: unbound variable",
                         fields={"name": cell.name, "module": cell.module})
    elif isinstance(exc, NameError):
        name = getattr(exc, "name", None) or "variable"
        base = re.sub(r"_v_\d+$", "", name)
        cond = Condition("unbound-variable", f"{base}: variable used before its definition",
                         hint="a letrec/internal define refers to a variable whose value is not computed yet")
    elif isinstance(exc, RecursionError):
        cond = Condition("stack-overflow", "stack overflow",
                         hint="the program recursed too deeply; is a recursion missing its base case?")
    elif isinstance(exc, ZeroDivisionError):
        cond = Condition("numerical-overflow", "Numerical overflow")
    elif isinstance(exc, TypeError):
        text = str(exc)
        m = _ARITY.match(text)
        nc = _NOT_CALLABLE.match(text)
        if m and ("positional argument" in text or "argument" in text):
            cond = Condition("wrong-number-of-args", f"Wrong number of arguments to {_scheme_name(m['name'])}")
        elif nc:
            shown = _applied_value(exc)
            cond = Condition("wrong-type-arg", f"Wrong type to apply: {shown or _describe_type(nc['type'])}")
        elif "unsupported operand" in text or "not supported between" in text or "can only concatenate" in text \
                or "bad operand type" in text:
            cond = Condition("wrong-type-arg", f"Wrong type argument: {text}")
        else:
            cond = Condition("wrong-type-arg", text)
    elif isinstance(exc, OverflowError):
        cond = Condition("numerical-overflow", f"Numerical overflow: {exc}")
    elif isinstance(exc, (ValueError, IndexError, KeyError)):
        cond = Condition("out-of-range", f"Value out of range: {exc}")
    elif isinstance(exc, KeyboardInterrupt):
        cond = Condition("interrupted", "interrupted by the user")
    elif isinstance(exc, OSError):
        cond = Condition("system-error", exc.strerror or str(exc), fields={"errno": exc.errno})
    else:
        cond = Condition("internal-error", f"{type(exc).__name__}: {exc}")
    err = SchemeError(cond)
    err.__cause__ = exc
    locate(err, exc.__traceback__)
    return err


def _unbound_cell(exc: AttributeError) -> Any:
    """The unbound global whose read raised ``exc`` (reading an unset ``Cell.value`` slot)."""
    from schemy.runtime.modules import Cell

    obj = getattr(exc, "obj", None)
    if isinstance(obj, Cell):
        return obj
    if "'Cell' object has no attribute 'value'" not in str(exc):
        return None
    tb = exc.__traceback__
    last = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in SOURCES:
            last = tb
        tb = tb.tb_next
    if last is None:
        return None
    frame = last.tb_frame
    lines = SOURCES[frame.f_code.co_filename]
    text = lines[last.tb_lineno - 1] if 0 < last.tb_lineno <= len(lines) else ""
    candidates = [frame.f_globals.get(n) for n in re.findall(r"(_k\w+)\.value(?!\s*=[^=])", text)]
    unbound = [c for c in candidates if isinstance(c, Cell) and not c.bound]
    return unbound[0] if unbound else None


def _applied_value(exc: BaseException) -> str | None:
    """The written value a Scheme call tried to apply, read from the failing call's callee
    expression in the generated code (a literal or a variable of that frame)."""
    import ast


    tb = exc.__traceback__
    last = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in SOURCES:
            last = tb
        tb = tb.tb_next
    if last is None:
        return None
    code, frame = last.tb_frame.f_code, last.tb_frame
    try:
        start, end, c0, c1 = list(code.co_positions())[last.tb_lasti // 2]
        if start != end or c0 is None:
            return None
        call = ast.parse(SOURCES[code.co_filename][start - 1][c0:c1].strip(), mode="eval").body
        if not isinstance(call, ast.Call):
            return None
        fn = call.func
        if isinstance(fn, ast.Constant):
            value = fn.value
        elif isinstance(fn, ast.Name):
            value = frame.f_locals.get(fn.id, frame.f_globals.get(fn.id))
        elif isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name) and fn.attr == "value":
            value = getattr(frame.f_globals.get(fn.value.id), "value", None)
        else:
            return None
    except Exception:  # noqa: BLE001 - the value is a nicety
        return None
    if value is None:
        return None
    from schemy.lang.printer import write_string

    text = write_string(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _describe_type(pytype: str) -> str:
    return {"int": "an integer", "str": "a string", "bool": "a boolean", "Pair": "a pair", "_Nil": "()",
            "Symbol": "a symbol", "float": "a real number", "list": "a vector", "Keyword": "a keyword",
            "_Singleton": "an unspecified value"}.get(pytype, pytype)


def _innermost_form(code: Any, lasti: int, lineno: int) -> Any:
    """The location of the innermost Scheme form whose generated expression contains the
    instruction at ``lasti`` (Python 3.11 records each instruction's columns)."""

    table = EXPR_LOCS.get(code.co_filename)
    lines = SOURCES.get(code.co_filename)
    if not table or not lines or lasti < 0:
        return None
    try:
        positions = list(code.co_positions())
        start_line, end_line, c0, c1 = positions[lasti // 2]
    except (IndexError, ValueError, AttributeError):
        return None
    if start_line != lineno or end_line != lineno or c0 is None or c1 is None or not 0 < lineno <= len(lines):
        return None
    text = lines[lineno - 1]
    best = None
    for expr, loc in table.items():
        i = text.find(expr)
        while i != -1:
            if i <= c0 and i + len(expr) >= c1:
                if best is None or len(expr) < best[0]:
                    best = (len(expr), loc)
                break
            i = text.find(expr, i + 1)
    return best[1] if best else None


MAX_BACKTRACE = 250


def locate(err: SchemeError, tb: TracebackType | None) -> None:
    """Fill ``err.loc`` (innermost Scheme location) and ``err.backtrace`` from a traceback."""

    raw: list[tuple[Any, int, int]] = []
    in_prologue = False  # raised by a Scheme procedure's keyword-argument parsing
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "parse_keywords" and code.co_filename.endswith("control.py"):
            in_prologue = True
        if code.co_filename in LINE_LOCS:
            raw.append((code, tb.tb_lasti, tb.tb_lineno))
        tb = tb.tb_next
    if len(raw) > MAX_BACKTRACE:
        # A runaway recursion has ~10^6 frames: keep the outermost and the innermost ones.
        raw = raw[:MAX_BACKTRACE // 5] + raw[-(MAX_BACKTRACE - MAX_BACKTRACE // 5):]
    frames: list[tuple[str | None, Any]] = []
    for code, lasti, lineno in raw:
        locs = LINE_LOCS[code.co_filename]
        loc = _innermost_form(code, lasti, lineno)
        if loc is None:
            loc = locs[lineno] if 0 <= lineno < len(locs) else None
        info = LAMBDA_INFO.get(code)
        frames.append((info[0] if info else None, loc))
    if frames:
        if err.loc is None:
            located = frames
            if in_prologue and len(frames) > 1:
                # Raised while the callee parses its arguments: the call is what is wrong.
                located = frames[:-1]
            for _, loc in reversed(located):
                if loc is not None:
                    err.loc = loc
                    break
        if not err.backtrace:
            err.backtrace = list(reversed(frames))


def _install() -> None:
    from schemy.runtime import control

    control.PYTHON_ERROR_TRANSLATOR[0] = translate


_install()

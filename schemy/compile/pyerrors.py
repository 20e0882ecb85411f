"""Python exceptions raised by compiled Scheme code, told in Scheme's terms.

Compiled code does not check what CPython already checks (arity, calling a
non-procedure, unbound globals, integer division by zero).  When one of those
Python errors escapes, ``translate`` rewrites it into the message Guile would
give, and ``locate`` reads the Scheme location and backtrace out of the
Python traceback: generated code carries Scheme positions (schemy.compile.tables).
"""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any

from schemy.compile.tables import CODE, instruction_location, is_scheme_code
from schemy.lang.errors import Condition, SchemeError
from schemy.lang.procinfo import LAMBDA_INFO, flush

_ARITY = re.compile(
    r"^(?P<name>[\w.<>]+)\(\) (?:takes|missing) (?P<rest>.*)$")
_NOT_CALLABLE = re.compile(r"^'(?P<type>[\w.]+)' object is not callable$")


def _scheme_name(pyname: str) -> str:
    pyname = pyname.rsplit(".", 1)[-1]
    flush()
    code = CODE.get(pyname)
    info = LAMBDA_INFO.get(code) if code is not None else None
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
    # CPython leaves ``obj`` unset on some paths (a top-level call in tail position): the cell
    # is then the unbound one among the globals the failing Scheme code refers to.
    last = _innermost_scheme_frame(exc)
    if last is None:
        return None
    frame = last.tb_frame
    for name in frame.f_code.co_names:
        value = frame.f_globals.get(name)
        if isinstance(value, Cell) and not value.bound:
            return value
    return None


def _innermost_scheme_frame(exc: BaseException) -> Any:
    tb = exc.__traceback__
    last = None
    while tb is not None:
        if is_scheme_code(tb.tb_frame.f_code):
            last = tb
        tb = tb.tb_next
    return last


def _applied_value(exc: BaseException) -> str | None:
    """The written value a Scheme call tried to apply.  The compiler marks the callee of a call
    (a variable or a literal) with the call's position plus an end column (other positions have
    none); the instructions so marked that precede the failing call, skipping those of calls
    nested in its arguments, load the value: read it from the frame."""
    import dis

    last = _innermost_scheme_frame(exc)
    if last is None:
        return None
    frame, code = last.tb_frame, last.tb_frame.f_code
    try:
        instrs = list(dis.get_instructions(code))
        index = next(i for i, ins in enumerate(instrs) if ins.offset == last.tb_lasti)
        at = instrs[index].positions
        if at is None or at.lineno is None or at.col_offset is None:
            return None
        mark = (at.lineno, at.lineno, at.col_offset, at.col_offset + 1)
        nested = 0
        run: list[Any] = []
        for ins in reversed(instrs[:index]):
            pos = ins.positions
            key = (pos.lineno, pos.end_lineno, pos.col_offset, pos.end_col_offset) if pos else None
            if key == mark:
                run.append(ins)
                continue
            if run:
                if nested == 0:
                    break
                nested -= 1
                run = []
            if ins.opname == "CALL" and pos == at:
                nested += 1
        # In execution order: [LOAD_GLOBAL cell, LOAD_ATTR value] or [LOAD_x name or literal].
        loads = [ins for ins in reversed(run) if ins.opname.startswith("LOAD_")]
        if not loads:
            return None
        last_load = loads[-1]
        if last_load.opname in ("LOAD_ATTR", "LOAD_METHOD") and len(loads) > 1 \
                and loads[-2].opname == "LOAD_GLOBAL":
            value = getattr(frame.f_globals.get(loads[-2].argval), last_load.argval, None)
        elif last_load.opname in ("LOAD_FAST", "LOAD_DEREF", "LOAD_CLOSURE"):
            value = frame.f_locals.get(last_load.argval)
        elif last_load.opname == "LOAD_CONST":
            value = last_load.argval
        elif last_load.opname == "LOAD_GLOBAL":
            value = frame.f_globals.get(last_load.argval)
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


MAX_BACKTRACE = 250


def locate(err: SchemeError, tb: TracebackType | None) -> None:
    """Fill ``err.loc`` (innermost Scheme location) and ``err.backtrace`` from a traceback."""

    raw: list[tuple[Any, int, Any]] = []
    in_prologue = False  # raised by a Scheme procedure's keyword-argument parsing
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "parse_keywords" and code.co_filename.endswith("control.py"):
            in_prologue = True
        if is_scheme_code(code):
            raw.append((code, tb.tb_lasti, tb.tb_frame))
        tb = tb.tb_next
    if len(raw) > MAX_BACKTRACE:
        # A runaway recursion has ~10^6 frames: keep the outermost and the innermost ones.
        raw = raw[:MAX_BACKTRACE // 5] + raw[-(MAX_BACKTRACE - MAX_BACKTRACE // 5):]
    frames: list[tuple[str | None, Any]] = []
    flush()
    for code, lasti, _frame in raw:
        loc = instruction_location(code, lasti)
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
        if not err.frames:
            err.frames = [frame for _code, _lasti, frame in reversed(raw)]


def _install() -> None:
    from schemy.runtime import control

    control.PYTHON_ERROR_TRANSLATOR[0] = translate


_install()

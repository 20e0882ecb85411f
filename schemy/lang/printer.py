"""External representations of Scheme data, as Guile 3's ``write`` and ``display`` print them.

``write_string`` gives text that ``read`` turns back into an equal datum;
``display_string`` is for people (strings and characters appear raw).
Everything matches Guile 3.0 byte for byte where we could check it: float
formatting, character names, string escapes, when a symbol needs ``#{...}#``.

Any object with a ``__scheme_repr__(self, write: bool) -> str`` method prints
through it (records, conditions, ports, closures...).

Shared and cyclic structure: like Guile, a pair or vector that contains
itself prints as ``#N#``, where N is the (usually negative) distance on the
printer's stack from the current object to the one it refers to; e.g. a
circular two-element list prints as ``(1 2 . #-1#)`` and a vector that holds
itself as ``#(1 #0#)``.  We reproduce Guile's numbering exactly.  Printing
is iterative, so lists of any length or depth never hit Python's recursion
limit.

One deliberate difference: inside ``#{...}#`` a backslash is written as
``\\x5c;`` (Guile writes it raw, which its own reader then drops).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from schemy.lang import datum
from schemy.lang.datum import NIL, Char, Keyword, MString, Pair, Symbol, Values, _Nil, _Singleton
from schemy.lang.number_syntax import parse_number

__all__ = ["write_string", "display_string", "number_to_string", "float_to_string"]

# ---------------------------------------------------------------- numbers


def _int_to_string(n: int) -> str:
    """``str(n)`` without Python's 4300-digit conversion limit."""
    if n.bit_length() < 13000:
        return str(n)
    if n < 0:
        return "-" + _int_to_string(-n)
    digits = int(n.bit_length() * 0.30103) // 2
    high, low = divmod(n, 10 ** digits)
    return _int_to_string(high) + _int_to_string(low).rjust(digits, "0")


def float_to_string(x: float) -> str:
    """A float the way Guile prints it: shortest digits, ``1.0e21``, ``+inf.0``.

    Guile uses positional notation for 1e-3 <= |x| < 1e7, and above that as
    long as at most three zeros have to be invented before the point
    (``12345000.0`` but ``1.234e7``); otherwise ``d.ddde±x`` without a ``+``.
    """
    if x != x:
        return "+nan.0"
    if x == math.inf:
        return "+inf.0"
    if x == -math.inf:
        return "-inf.0"
    if x == 0.0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    text = repr(x)
    sign = ""
    if text[0] == "-":
        sign = "-"
        text = text[1:]
    mantissa, _, exp_text = text.partition("e")
    whole, _, frac = mantissa.partition(".")
    all_digits = whole + frac
    point = len(whole) + (int(exp_text) if exp_text else 0)
    stripped = all_digits.lstrip("0")
    point -= len(all_digits) - len(stripped)
    digits = stripped.rstrip("0")
    count = len(digits)
    # value = 0.DIGITS * 10**point
    if -2 <= point <= 7 or (point > 7 and point - count <= 3):
        if point <= 0:
            body = "0." + "0" * -point + digits
        elif point >= count:
            body = digits + "0" * (point - count) + ".0"
        else:
            body = digits[:point] + "." + digits[point:]
    else:
        body = f"{digits[0]}.{digits[1:] or '0'}e{point - 1}"
    return sign + body


def number_to_string(x: Any) -> str:
    """Any schemy number in Guile's notation (radix 10)."""
    cls = x.__class__
    if cls is int:
        return _int_to_string(x)
    if cls is float:
        return float_to_string(x)
    if cls is Fraction:
        return f"{_int_to_string(x.numerator)}/{_int_to_string(x.denominator)}"
    if cls is complex:
        imag = float_to_string(x.imag)
        if imag[0] not in "+-":
            imag = "+" + imag
        return f"{float_to_string(x.real)}{imag}i"
    if isinstance(x, int):
        return _int_to_string(int(x))
    if isinstance(x, float):
        return float_to_string(float(x))
    if isinstance(x, Fraction):
        return number_to_string(Fraction(x))
    return number_to_string(complex(x))


# ---------------------------------------------------------------- characters and strings

_CHAR_NAMES = {
    0: "nul", 1: "soh", 2: "stx", 3: "etx", 4: "eot", 5: "enq", 6: "ack", 7: "alarm",
    8: "backspace", 9: "tab", 10: "newline", 11: "vtab", 12: "page", 13: "return", 14: "so",
    15: "si", 16: "dle", 17: "dc1", 18: "dc2", 19: "dc3", 20: "dc4", 21: "nak", 22: "syn",
    23: "etb", 24: "can", 25: "em", 26: "sub", 27: "esc", 28: "fs", 29: "gs", 30: "rs",
    31: "us", 32: "space", 127: "delete",
}


def _is_graphic(ch: str) -> bool:
    """Guile's notion of a printable character: a letter, mark, number, punctuation or symbol."""
    return unicodedata.category(ch)[0] in "LMNPS"


def _write_char(ch: str) -> str:
    code = ord(ch)
    name = _CHAR_NAMES.get(code)
    if name is not None:
        return "#\\" + name
    if code < 127:
        return "#\\" + ch
    if _is_graphic(ch):
        # A combining mark is shown on a dotted circle, as Guile does.
        return "#\\\u25cc" + ch if unicodedata.combining(ch) else "#\\" + ch
    return "#\\" + format(code, "o")


_STRING_PLAIN = re.compile(r'[ !#-\[\]-~]*\Z')
_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n",
                   "\v": "\\v", "\f": "\\f", "\r": "\\r"}


def _write_str(s: str) -> str:
    if _STRING_PLAIN.match(s):
        return '"' + s + '"'
    out = ['"']
    for ch in s:
        esc = _STRING_ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif " " <= ch <= "~" or (ch > "\x7f" and _is_graphic(ch)):
            out.append(ch)
        else:
            code = ord(ch)
            if code < 0x100:
                out.append(f"\\x{code:02x}")
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:06x}")
    out.append('"')
    return "".join(out)


# ---------------------------------------------------------------- symbols

# Unicode categories Guile accepts at the start of a bare symbol, and after it.
_INITIAL = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Nl", "No", "Pd", "Pc", "Po", "Sc", "Sm",
                      "Sk", "So", "Co"})
_SUBSEQUENT = _INITIAL | {"Nd", "Mc", "Me"}
_PLAIN_ASCII_SYMBOL = re.compile(r"[A-Za-z!$%&*/:<=>?@^_~|\\+\-.][A-Za-z0-9!$%&*/:<=>?@^_~|\\+\-.'`,]*\Z")
_symbol_cache: dict[str, str] = {}


def _needs_braces(name: str) -> bool:
    """Would ``name`` read back as something other than this symbol (Guile's rules)?"""
    if not name:
        return True
    first = name[0]
    if first in "+-.0123456789":
        if name == ".":
            return True
        try:
            if parse_number(name) is not None:
                return True
        except OverflowError:
            return True
    if name.isascii():
        return _PLAIN_ASCII_SYMBOL.match(name) is None
    if first in "'`,\";#" or unicodedata.category(first) not in _INITIAL:
        return True
    for ch in name[1:]:
        if ch in '";#' or unicodedata.category(ch) not in _SUBSEQUENT:
            return True
    return False


def _symbol_text(name: str) -> str:
    text = _symbol_cache.get(name)
    if text is None:
        if _needs_braces(name):
            parts = []
            for ch in name:
                category = unicodedata.category(ch)
                if ch != "\\" and (category in _SUBSEQUENT or category == "Zs"):
                    parts.append(ch)
                else:
                    parts.append(f"\\x{ord(ch):x};")
            text = "#{" + "".join(parts) + "}#"
        else:
            text = name
        if len(_symbol_cache) < 100_000:
            _symbol_cache[name] = text
    return text


# ---------------------------------------------------------------- atoms


def _procedure_text(x: Any) -> str:
    from schemy.lang.procinfo import procedure_info, procedure_label

    info = procedure_info(x)
    if info is not None:
        name, formals, _loc = info
        return f"#<procedure {name} {formals}>" if formals else f"#<procedure {name}>"
    name = procedure_label(x)
    if not name:
        return "#<procedure>"
    arity = _primitive_arity_text(x)
    return f"#<procedure {name} {arity}>" if arity else f"#<procedure {name}>"


def _primitive_arity_text(fn: Any) -> str | None:
    """A primitive's arity as Guile prints it: ``(_ _ #:optional _ . _)``, or ``_`` when it
    takes any number of arguments; read from the Python signature."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    nargs = code.co_argcount
    optional = len(getattr(fn, "__defaults__", None) or ())
    parts = ["_"] * (nargs - optional)
    if optional:
        parts += ["#:optional"] + ["_"] * optional
    if code.co_flags & 0x04:  # *args
        return f"({' '.join(parts)} . _)" if parts else "_"
    return f"({' '.join(parts)})"


def _bytevector_text(x: Any) -> str:
    return "#vu8(" + " ".join(map(str, x)) + ")"


_ATOMS: dict[type, Callable[[Any, bool], str]] = {
    str: lambda x, w: _write_str(x) if w else x,
    MString: lambda x, w: _write_str(str(x)) if w else str(x),
    Symbol: lambda x, w: _symbol_text(x.name),
    Keyword: lambda x, w: "#:" + _symbol_text(x.name),
    Char: lambda x, w: _write_char(x.ch) if w else x.ch,
    bool: lambda x, w: "#t" if x else "#f",
    int: lambda x, w: _int_to_string(x),
    float: lambda x, w: float_to_string(x),
    Fraction: lambda x, w: number_to_string(x),
    complex: lambda x, w: number_to_string(x),
    _Nil: lambda x, w: "()",
    _Singleton: lambda x, w: x.label,
    bytearray: lambda x, w: _bytevector_text(x),
    bytes: lambda x, w: _bytevector_text(x),
}


def _other_text(x: Any, write: bool) -> str:
    """Objects that are neither atoms, pairs nor vectors."""
    hook = getattr(x, "__scheme_repr__", None)
    if hook is not None:
        return hook(write)
    if isinstance(x, Values):
        return " ".join(_render(v, write) for v in x)
    if isinstance(x, bool):
        return "#t" if x else "#f"
    if isinstance(x, (int, float, Fraction, complex)):
        return number_to_string(x)
    if isinstance(x, str):
        return _write_str(str(x)) if write else str(x)
    if isinstance(x, (bytes, bytearray, memoryview)):
        return _bytevector_text(bytes(x))
    if callable(x):
        return _procedure_text(x)
    return f"#<{type(x).__name__}>"


# ---------------------------------------------------------------- pairs and vectors

_OBJ, _LIST_NEXT, _CLOSE, _VEC_NEXT = range(4)


def _cdr_cycle(x: Pair) -> bool:
    """Does the cdr chain starting at ``x`` loop (hare and tortoise)?"""
    hare = x.cdr
    tortoise = x
    while hare.__class__ is Pair:
        if hare is tortoise:
            return True
        hare = hare.cdr
        if hare.__class__ is not Pair:
            return False
        hare = hare.cdr
        tortoise = tortoise.cdr
    return False


def _circref(refs: list, index: int) -> str:
    """Guile's ``#N#`` for a reference back to ``refs[index]`` (see print_circref in Guile)."""
    me = len(refs) - 1
    if refs[me].__class__ is Pair:
        while me > 0:
            below = refs[me - 1]
            if below.__class__ is not Pair or below.cdr is not refs[me].cdr:
                break
            me -= 1
    return f"#{index - me}#"


def _render_compound(root: Any, write: bool) -> str:
    """Pairs and vectors, with an explicit stack (no recursion) and Guile's cycle labels.

    ``refs`` is Guile's print stack: every pair or vector being printed, and
    every cell of the lists being printed; ``where`` maps ids to positions.
    """
    out: list[str] = []
    refs: list[Any] = []
    where: dict[int, int] = {}
    tasks: list[tuple] = [(_OBJ, root)]
    atoms = _ATOMS
    push = tasks.append
    emit = out.append
    while tasks:
        task = tasks.pop()
        op = task[0]
        if op == _OBJ:
            x = task[1]
            cls = x.__class__
            f = atoms.get(cls)
            if f is not None:
                emit(f(x, write))
            elif cls is Pair:
                index = where.get(id(x))
                if index is not None:
                    emit(_circref(refs, index))
                    continue
                head = len(refs)
                where[id(x)] = head
                refs.append(x)
                emit("(")
                push((_CLOSE, head))
                push((_LIST_NEXT, x.cdr, head - 1, _cdr_cycle(x)))
                push((_OBJ, x.car))
            elif cls is list:
                index = where.get(id(x))
                if index is not None:
                    emit(_circref(refs, index))
                    continue
                head = len(refs)
                where[id(x)] = head
                refs.append(x)
                emit("#(")
                push((_CLOSE, head))
                push((_VEC_NEXT, x, 0))
            else:
                emit(_other_text(x, write))
        elif op == _LIST_NEXT:
            rest = task[1]
            if rest.__class__ is Pair:
                index = where.get(id(rest))
                if index is not None and (task[3] or index <= task[2]):
                    emit(" . ")
                    emit(_circref(refs, index))
                    continue
                where[id(rest)] = len(refs)
                refs.append(rest)
                emit(" ")
                push((_LIST_NEXT, rest.cdr, task[2], task[3]))
                push((_OBJ, rest.car))
            elif rest is not NIL:
                emit(" . ")
                push((_OBJ, rest))
        elif op == _VEC_NEXT:
            vec, i = task[1], task[2]
            if i < len(vec):
                if i:
                    emit(" ")
                push((_VEC_NEXT, vec, i + 1))
                push((_OBJ, vec[i]))
        else:  # _CLOSE: drop this list's or vector's entries from the print stack
            emit(")")
            keep = task[1]
            while len(refs) > keep:
                del where[id(refs.pop())]
    return "".join(out)


def _render(obj: Any, write: bool) -> str:
    f = _ATOMS.get(obj.__class__)
    if f is not None:
        return f(obj, write)
    if obj.__class__ is Pair or obj.__class__ is list:
        return _render_compound(obj, write)
    return _other_text(obj, write)


# ---------------------------------------------------------------- public API


def write_string(obj: Any) -> str:
    """What Guile's ``write`` prints for ``obj``: text that reads back as an equal datum."""
    return _render(obj, True)


def display_string(obj: Any) -> str:
    """What Guile's ``display`` prints: like ``write`` but strings and characters appear raw."""
    return _render(obj, False)


def write_shared_string(obj: Any) -> str:
    """What Guile's ``write-shared`` (SRFI 38) prints: every pair, non-empty vector, string or
    bytevector reached more than once is labelled ``#n=`` where it is first printed and
    written ``#n#`` after that, numbered from 1 in printing order (cyclic or merely shared).
    One difference: a one-character string is never labelled, because Python shares those
    between unrelated literals."""
    counts: dict[int, int] = {}
    todo = [obj]
    while todo:
        x = todo.pop()
        cls = x.__class__
        if cls is Pair or ((cls is list or cls is bytearray) and x) or (cls is str and len(x) > 1) \
                or (cls is MString and len(str(x)) > 0):
            key = id(x)
            seen = counts.get(key, 0)
            counts[key] = seen + 1
            if seen:
                continue
            if cls is Pair:
                todo.append(x.cdr)
                todo.append(x.car)
            elif cls is list:
                todo.extend(x)
    shared = {key for key, n in counts.items() if n > 1}
    if not shared:
        return write_string(obj)
    labels: dict[int, int] = {}
    out: list[str] = []

    def label(x: Any) -> bool:
        """Emit ``#n#`` (True: done) or ``#n=`` before the first printing of a shared object."""
        key = id(x)
        if key not in shared:
            return False
        n = labels.get(key)
        if n is not None:
            out.append(f"#{n}#")
            return True
        labels[key] = n = len(labels) + 1
        out.append(f"#{n}=")
        return False

    def emit(x: Any) -> None:
        if label(x):
            return
        if x.__class__ is Pair:
            out.append("(")
            emit(x.car)
            rest = x.cdr
            while rest.__class__ is Pair and id(rest) not in shared:
                out.append(" ")
                emit(rest.car)
                rest = rest.cdr
            if rest is not NIL:
                out.append(" . ")
                emit(rest)
            out.append(")")
        elif x.__class__ is list:
            out.append("#(")
            for i, item in enumerate(x):
                if i:
                    out.append(" ")
                emit(item)
            out.append(")")
        else:
            out.append(write_string(x))

    emit(obj)
    return "".join(out)


datum.WRITER[0] = write_string

"""The bindings Guile's ``(scheme base)`` and ``(scheme char)`` export in place of the core ones
of the same name (Guile's module/scheme/base.scm and char.scm): R7RS's argument order for
``bytevector-copy!``, ``list-copy`` of any object, ``expt`` of ``0.0``, and full Unicode case
mappings for strings (``(string-upcase "ß")`` is ``"SS"``; the core's maps char by char)."""

from __future__ import annotations

import math
from typing import Any

from schemy.lang.datum import UNSPECIFIED, Pair, make_pair
from schemy.lang.errors import string_arg
from schemy.runtime.primitives.bytevectors import _bv, _int, _out_of_range
from schemy.runtime.primitives.numbers import expt


def bytevector_copy_bang(to: Any, at: Any, source: Any, start: Any = None, end: Any = None) -> Any:
    """``(bytevector-copy! to at from [start [end]])``; the default end copies what fits."""
    dst = _bv("bytevector-copy!", 1, to)
    src = _bv("bytevector-copy!", 3, source)
    at = _int("bytevector-copy!", 2, at)
    start = 0 if start is None else _int("bytevector-copy!", 4, start)
    if end is None:
        end = start + min(len(src) - start, len(dst) - at)
    end = _int("bytevector-copy!", 5, end)
    if not 0 <= start <= end <= len(src):
        raise _out_of_range("bytevector-copy!", end if start <= end else start)
    if not 0 <= at <= len(dst) - (end - start):
        raise _out_of_range("bytevector-copy!", at)
    dst[at:at + end - start] = src[start:end]
    return UNSPECIFIED


def list_copy(x: Any) -> Any:
    """A copy of the pairs of ``x``; whatever ends them (or ``x`` itself) is shared."""
    items = []
    while x.__class__ is Pair:
        items.append(x.car)
        x = x.cdr
    for item in reversed(items):
        x = make_pair(item, x)
    return x


def r7rs_expt(base: Any, power: Any) -> Any:
    """``expt``, inexact when the base is ``0.0``: ``(expt 0.0 0)`` is ``1.0`` (the core's is 1)."""
    result = expt(base, power)
    if base.__class__ is float and base == 0.0 and math.copysign(1.0, base) > 0 \
            and not isinstance(result, (float, complex)):
        return float(result)
    return result


def string_upcase(s: Any, _locale: Any = None) -> str:
    return string_arg(s, "string-upcase", 1).upper()


def string_downcase(s: Any, _locale: Any = None) -> str:
    return string_arg(s, "string-downcase", 1).lower()


def string_foldcase(s: Any) -> str:
    # Guile: (string-locale-downcase (string-locale-upcase str))
    return string_arg(s, "string-foldcase", 1).upper().lower()


BASE_VARIANTS: dict[str, Any] = {
    "bytevector-copy!": bytevector_copy_bang,
    "list-copy": list_copy,
    "expt": r7rs_expt,
}

CHAR_VARIANTS: dict[str, Any] = {
    "string-upcase": string_upcase,
    "string-downcase": string_downcase,
    "string-foldcase": string_foldcase,
}

for _table in (BASE_VARIANTS, CHAR_VARIANTS):
    for _name, _fn in _table.items():
        _fn.scheme_name = _name

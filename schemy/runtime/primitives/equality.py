"""Booleans and the three equivalence predicates.

``is_eq``/``is_eqv``/``is_equal`` are plain Python helpers other modules use
(association lists, hash tables, member...).  None of them may be fooled by
Python's ``True == 1`` or ``1 == 1.0``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from schemy.lang.datum import MString, Pair
from schemy.lang.errors import scheme_error


def is_eq(a: Any, b: Any) -> bool:
    """Identity, except that equal exact integers are ``eq?`` (Guile fixnums are immediate)."""
    if a is b:
        return True
    return a.__class__ is int and b.__class__ is int and a == b


def _float_eqv(a: float, b: float) -> bool:
    if a == b:
        # 0.0 and -0.0 are = but not eqv?.
        return a != 0.0 or math.copysign(1.0, a) == math.copysign(1.0, b)
    return a != a and b != b  # NaN is eqv? to NaN


def is_eqv(a: Any, b: Any) -> bool:
    """Numbers compare by exactness and value; everything else by identity."""
    if a is b:
        return True
    cls = a.__class__
    if cls is not b.__class__:
        return False
    if cls is int or cls is Fraction:
        return a == b
    if cls is float:
        return _float_eqv(a, b)
    if cls is complex:
        return _float_eqv(a.real, b.real) and _float_eqv(a.imag, b.imag)
    return False


def is_equal(a: Any, b: Any) -> bool:
    """Structural equality with an explicit stack, so deep lists cannot overflow Python's."""
    stack = [(a, b)]
    pop = stack.pop
    push = stack.append
    while stack:
        a, b = pop()
        if a is b:
            continue
        cls = a.__class__
        bcls = b.__class__
        if cls is Pair:
            if bcls is not Pair:
                return False
            push((a.cdr, b.cdr))
            push((a.car, b.car))
        elif cls is str or cls is MString:
            if bcls is not str and bcls is not MString:
                return False
            if (a if cls is str else str(a)) != (b if bcls is str else str(b)):
                return False
        elif cls is list:
            if bcls is not list or len(a) != len(b):
                return False
            stack.extend(zip(reversed(a), reversed(b)))
        elif cls is bytearray:
            if bcls is not bytearray or a != b:
                return False
        elif cls is not bcls:
            return False
        elif not is_eqv(a, b):
            custom = getattr(a, "__scheme_equal__", None)
            if custom is None:
                return False
            result = custom(b)
            if result is False or result is NotImplemented:
                return False
    return True


# ------------------------------------------------------------------ Scheme procedures


def eq_p(a: Any, b: Any) -> bool:
    return is_eq(a, b)


def eqv_p(a: Any, b: Any) -> bool:
    return is_eqv(a, b)


def equal_p(a: Any, b: Any) -> bool:
    return is_equal(a, b)


def not_(x: Any) -> bool:
    return x is False


def boolean_p(x: Any) -> bool:
    return x is True or x is False


def boolean_eq_p(*args: Any) -> bool:
    for x in args:
        if x is not True and x is not False:
            raise scheme_error("not a boolean", x)
    return all(x is args[0] for x in args)


PRIMITIVES: dict[str, Any] = {
    "eq?": eq_p,
    "eqv?": eqv_p,
    "equal?": equal_p,
    "not": not_,
    "boolean?": boolean_p,
    "boolean=?": boolean_eq_p,
}

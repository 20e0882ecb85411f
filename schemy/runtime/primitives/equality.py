"""Booleans and the three equivalence predicates.

``is_eq``/``is_eqv``/``is_equal`` are plain Python helpers other modules use
(association lists, hash tables, member...).  None of them may be fooled by
Python's ``True == 1`` or ``1 == 1.0``.
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from typing import Any

from schemy.lang.datum import Char, MString, Pair, Symbol
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


def is_equal(a: Any, b: Any, depth: int | None = None, memo: dict | None = None) -> bool:
    """Structural equality.  Lists are walked along their cdrs in a loop and into their cars
    (and vector elements) by recursion, several times faster than a stack of pairs; once
    ``depth`` nested levels are used up (deep trees must not overflow Python's stack) the
    rest is compared with an explicit stack.  Sub-structures found equal are remembered in
    ``memo`` for the rest of the call (nothing can change during it), so shared
    sub-structures are compared once, as Chez Scheme's equal? does (``memo`` maps a
    sub-structure of ``a`` to the last one of ``b`` found equal to it)."""
    if depth is None:
        depth = 5000 if sys.getrecursionlimit() >= 100_000 else 200
    while True:
        if a is b:
            return True
        cls = a.__class__
        if cls is Pair:
            if b.__class__ is not Pair:
                return False
            x = a.car
            y = b.car
            if x is not y:
                xcls = x.__class__
                if xcls is Pair or xcls is list:
                    p = a.cdr
                    q = b.cdr
                    if p is q:  # the same rest (often the same atom, as in a tree of cars): compare the cars
                        a = x
                        b = y
                        continue
                    pcls = p.__class__
                    if pcls is not Pair and pcls is not list:  # the end of a list: go on into the car
                        if not _atom_equal(p, q):
                            return False
                        a = x
                        b = y
                        continue
                    if memo is None:
                        memo = {}
                    # The last structure ``x`` was found equal to (a pair is its own key: pairs
                    # hash by identity; a vector, unhashable, by its id, stable during the call).
                    key = x if xcls is Pair else id(x)
                    if memo.get(key) is not y:
                        if not (is_equal(x, y, depth - 1, memo) if depth > 0 else _is_equal_stack(x, y)):
                            return False
                        memo[key] = y
                elif xcls is Symbol or xcls is bool or xcls is Char:
                    return False
                elif not _atom_equal(x, y):
                    return False
            a = a.cdr
            b = b.cdr
            continue
        if cls is list:
            if b.__class__ is not list or len(a) != len(b):
                return False
            if depth <= 0:
                return _is_equal_stack(a, b)
            for x, y in zip(a, b):
                if x is not y and not is_equal(x, y, depth - 1, memo):
                    return False
            return True
        return _atom_equal(a, b)


def _atom_equal(a: Any, b: Any) -> bool:
    """equal? of two objects neither of which is a pair or a vector (or of different kinds)."""
    if a is b:
        return True
    cls = a.__class__
    bcls = b.__class__
    if cls is Pair or cls is list:
        return is_equal(a, b)
    if cls is str or cls is MString:
        if bcls is not str and bcls is not MString:
            return False
        return (a if cls is str else str(a)) == (b if bcls is str else str(b))
    if cls is bytearray:
        return bcls is bytearray and a == b
    if cls is not bcls:
        return False
    if is_eqv(a, b):
        return True
    custom = getattr(a, "__scheme_equal__", None)
    if custom is None:
        return False
    result = custom(b)
    return not (result is False or result is NotImplemented)


def _is_equal_stack(a: Any, b: Any) -> bool:
    """equal? with an explicit stack (for structures nested deeper than recursion may go)."""
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
        elif cls is list:
            if bcls is not list or len(a) != len(b):
                return False
            stack.extend(zip(reversed(a), reversed(b)))
        elif not _atom_equal(a, b):
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

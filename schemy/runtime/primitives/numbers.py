"""Numbers: Guile's numeric tower on Python ints, Fractions, floats and complexes.

Exact results are always normalised (a Fraction with denominator 1 becomes an
int) so that ``(/ 4 2)`` is the exact integer 2, as in Guile.  Python bools are
ints, so every type test here looks at ``__class__`` rather than using
``isinstance``.
"""

from __future__ import annotations

import cmath
import math
import re
from fractions import Fraction
from typing import Any

from schemy.lang.datum import Values, is_string, to_str
from schemy.lang.errors import scheme_error, wrong_type

Number = int | Fraction | float | complex

_NUMBER = frozenset((int, Fraction, float, complex))
_REAL = frozenset((int, Fraction, float))
_EXACT = frozenset((int, Fraction))


# ------------------------------------------------------------------ helpers


def norm(x: Any) -> Any:
    """Turn a Fraction with denominator 1 into an int (Guile never shows ``4/1``)."""
    if x.__class__ is Fraction and x.denominator == 1:
        return x.numerator
    return x


def is_real(x: Any) -> bool:
    return x.__class__ in _REAL


def is_exact_integer(x: Any) -> bool:
    return x.__class__ is int


def is_integer_value(x: Any) -> bool:
    """Guile's ``integer?``: exact ints and finite integral floats."""
    cls = x.__class__
    if cls is int:
        return True
    if cls is float:
        return math.isfinite(x) and x.is_integer()
    return False


def to_float(x: Any) -> float:
    """Exact -> inexact, giving +/-inf.0 instead of Python's OverflowError."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def _check_number(name: str, pos: int, x: Any) -> None:
    if x.__class__ not in _NUMBER:
        raise wrong_type(name, pos, x)


def _check_real(name: str, pos: int, x: Any) -> None:
    if x.__class__ not in _REAL:
        raise wrong_type(name, pos, x)


def _check_integer(name: str, pos: int, x: Any) -> None:
    if not is_integer_value(x):
        raise wrong_type(name, pos, x)


def _check_exact_int(name: str, pos: int, x: Any) -> None:
    if x.__class__ is not int:
        raise wrong_type(name, pos, x)


def _overflow(name: str) -> Exception:
    return scheme_error("Numerical overflow", kind="numerical-overflow", origin=name)


def _inexact_fallback(op: Any, a: Any, b: Any) -> Any:
    """Retry a mixed operation whose exact operand was too big for a float."""
    if a.__class__ in _EXACT:
        a = to_float(a)
    if b.__class__ in _EXACT:
        b = to_float(b)
    return op(a, b)


# ------------------------------------------------------------------ predicates


def number_p(x: Any) -> bool:
    return x.__class__ in _NUMBER


def real_p(x: Any) -> bool:
    return x.__class__ in _REAL


def rational_p(x: Any) -> bool:
    cls = x.__class__
    if cls is int or cls is Fraction:
        return True
    return cls is float and math.isfinite(x)


def integer_p(x: Any) -> bool:
    return is_integer_value(x)


def exact_p(x: Any) -> bool:
    _check_number("exact?", 1, x)
    return x.__class__ in _EXACT


def inexact_p(x: Any) -> bool:
    _check_number("inexact?", 1, x)
    return x.__class__ not in _EXACT


def exact_integer_p(x: Any) -> bool:
    return x.__class__ is int


def exact_rational_p(x: Any) -> bool:
    return x.__class__ in _EXACT


def exact_nonnegative_integer_p(x: Any) -> bool:
    return x.__class__ is int and x >= 0


def nan_p(x: Any) -> bool:
    _check_number("nan?", 1, x)
    if x.__class__ is float:
        return math.isnan(x)
    if x.__class__ is complex:
        return cmath.isnan(x)
    return False


def inf_p(x: Any) -> bool:
    _check_number("inf?", 1, x)
    if x.__class__ is float:
        return math.isinf(x)
    if x.__class__ is complex:
        return cmath.isinf(x)
    return False


def finite_p(x: Any) -> bool:
    _check_number("finite?", 1, x)
    if x.__class__ is float:
        return math.isfinite(x)
    if x.__class__ is complex:
        return cmath.isfinite(x)
    return True


def zero_p(x: Any) -> bool:
    _check_number("zero?", 1, x)
    return x == 0


def positive_p(x: Any) -> bool:
    _check_real("positive?", 1, x)
    return x > 0


def negative_p(x: Any) -> bool:
    _check_real("negative?", 1, x)
    return x < 0


def odd_p(x: Any) -> bool:
    if x.__class__ is int:
        return x % 2 == 1
    _check_integer("odd?", 1, x)
    return int(x) % 2 == 1


def even_p(x: Any) -> bool:
    if x.__class__ is int:
        return x % 2 == 0
    _check_integer("even?", 1, x)
    return int(x) % 2 == 0


# ------------------------------------------------------------------ comparison


def _compare(name: str, args: tuple, test: Any, real_only: bool = True) -> bool:
    check = _check_real if real_only else _check_number
    for i, x in enumerate(args, 1):
        check(name, i, x)
    for i in range(len(args) - 1):
        if not test(args[i], args[i + 1]):
            return False
    return True


def num_eq(*args: Any) -> bool:
    # Python compares int/Fraction with float exactly, which is what Scheme wants.
    if len(args) == 2:
        a, b = args
        if a.__class__ is int and b.__class__ is int:
            return a == b
    return _compare("=", args, lambda a, b: a == b, real_only=False)


def num_lt(*args: Any) -> bool:
    if len(args) == 2:
        a, b = args
        if a.__class__ is int and b.__class__ is int:
            return a < b
    return _compare("<", args, lambda a, b: a < b)


def num_gt(*args: Any) -> bool:
    if len(args) == 2:
        a, b = args
        if a.__class__ is int and b.__class__ is int:
            return a > b
    return _compare(">", args, lambda a, b: a > b)


def num_le(*args: Any) -> bool:
    if len(args) == 2:
        a, b = args
        if a.__class__ is int and b.__class__ is int:
            return a <= b
    return _compare("<=", args, lambda a, b: a <= b)


def num_ge(*args: Any) -> bool:
    if len(args) == 2:
        a, b = args
        if a.__class__ is int and b.__class__ is int:
            return a >= b
    return _compare(">=", args, lambda a, b: a >= b)


def _extremum(name: str, first: Any, rest: tuple, pick_greater: bool) -> Any:
    args = (first, *rest)
    inexact = False
    nan = False
    best = first
    for i, x in enumerate(args, 1):
        _check_real(name, i, x)
        if x.__class__ is float:
            inexact = True
            if math.isnan(x):
                nan = True
        if i > 1 and ((x > best) if pick_greater else (x < best)):
            best = x
        elif i > 1 and x == 0 and best == 0:
            # As Guile: max of zeros is 0.0, min of zeros is -0.0, whatever the order.
            negative = x.__class__ is float and math.copysign(1.0, x) < 0
            if negative != pick_greater:
                best = x
    if nan:
        return math.nan
    return to_float(best) if inexact else best


def num_max(first: Any, *rest: Any) -> Any:
    """``max``: any inexact argument makes the result inexact (R7RS contagion)."""
    return _extremum("max", first, rest, True)


def num_min(first: Any, *rest: Any) -> Any:
    return _extremum("min", first, rest, False)


# ------------------------------------------------------------------ arithmetic


def add(*args: Any) -> Any:
    if len(args) == 2:
        a, b = args
        if a.__class__ is int and b.__class__ is int:
            return a + b
    if len(args) == 1:
        _check_number("+", 1, args[0])
        return args[0]
    total: Any = 0
    for i, x in enumerate(args, 1):
        if x.__class__ not in _NUMBER:
            raise wrong_type("+", i, x)
        try:
            total = total + x
        except OverflowError:
            total = _inexact_fallback(lambda p, q: p + q, total, x)
    return norm(total)


def mul(*args: Any) -> Any:
    if len(args) == 2:
        a, b = args
        if a.__class__ is int and b.__class__ is int:
            return a * b
    total: Any = 1
    for i, x in enumerate(args, 1):
        if x.__class__ not in _NUMBER:
            raise wrong_type("*", i, x)
        try:
            total = total * x
        except OverflowError:
            total = _inexact_fallback(lambda p, q: p * q, total, x)
    return norm(total)


def sub(first: Any, *rest: Any) -> Any:
    if first.__class__ not in _NUMBER:
        raise wrong_type("-", 1, first)
    if not rest:
        return norm(-first)
    total = first
    for i, x in enumerate(rest, 2):
        if x.__class__ not in _NUMBER:
            raise wrong_type("-", i, x)
        try:
            total = total - x
        except OverflowError:
            total = _inexact_fallback(lambda p, q: p - q, total, x)
    return norm(total)


def _div2(a: Any, b: Any) -> Any:
    bcls = b.__class__
    if bcls is int or bcls is Fraction:
        if b == 0:
            raise _overflow("/")
        if a.__class__ is int or a.__class__ is Fraction:
            return norm(Fraction(a) / b)
    elif b == 0:
        # IEEE division by an inexact zero.
        if a.__class__ is complex or bcls is complex:
            return complex(math.nan, math.nan)
        if a == 0 or (a.__class__ is float and math.isnan(a)):
            return math.nan
        sign = math.copysign(1.0, b) * (1 if a > 0 else -1)
        return math.inf * sign
    try:
        return a / b
    except OverflowError:
        return _inexact_fallback(lambda p, q: p / q, a, b)


def div(first: Any, *rest: Any) -> Any:
    if first.__class__ not in _NUMBER:
        raise wrong_type("/", 1, first)
    if not rest:
        return _div2(1, first)
    total = first
    for i, x in enumerate(rest, 2):
        if x.__class__ not in _NUMBER:
            raise wrong_type("/", i, x)
        total = _div2(total, x)
    return total


def num_abs(x: Any) -> Any:
    _check_real("abs", 1, x)
    return abs(x)


def one_plus(x: Any) -> Any:
    _check_number("1+", 1, x)
    return norm(x + 1)


def one_minus(x: Any) -> Any:
    _check_number("1-", 1, x)
    return norm(x - 1)


def square(x: Any) -> Any:
    _check_number("square", 1, x)
    return norm(x * x)


# ------------------------------------------------------------------ integer division


def _int_division_args(name: str, a: Any, b: Any, integers: bool) -> bool:
    """Validate operands; return True when the result must be inexact."""
    check = _check_integer if integers else _check_real
    check(name, 1, a)
    check(name, 2, b)
    if b == 0:
        raise _overflow(name)
    return a.__class__ is float or b.__class__ is float


def _trunc_q(a: Any, b: Any) -> Any:
    if a.__class__ is int and b.__class__ is int:
        q = abs(a) // abs(b)
        return -q if (a < 0) != (b < 0) else q
    q = a / b
    if q.__class__ is Fraction:
        return norm(Fraction(math.trunc(q)))
    return math.copysign(float(math.trunc(q)), q)  # keeps the sign of a zero: (quotient 3.0 -5) is -0.0


def _floor_q(a: Any, b: Any) -> Any:
    q = a // b
    return q if q.__class__ is not float else float(q)


def quotient(a: Any, b: Any) -> Any:
    _int_division_args("quotient", a, b, True)
    return _trunc_q(a, b)


def _plus_zero(r: Any) -> Any:
    """An inexact zero remainder is +0.0 in Guile, whatever the signs of the arguments."""
    return 0.0 if r.__class__ is float and r == 0 else r


def _inexact_remainder(a: Any, b: Any, rounding: Any) -> float:
    """``a - b * round(a / b)`` in floating point, as Guile computes inexact remainders (so
    its rounding: (modulo 123456789012345678901 1e10) is 2345680896.0, not fmod's)."""
    a, b = float(a), float(b)
    t = a / b
    q = float(rounding(t)) if math.isfinite(t) else t
    return _plus_zero(a - b * q)


def remainder(a: Any, b: Any) -> Any:
    inexact = _int_division_args("remainder", a, b, True)
    if inexact:
        return _inexact_remainder(a, b, math.trunc)
    return a - b * _trunc_q(a, b)


def modulo(a: Any, b: Any) -> Any:
    if _int_division_args("modulo", a, b, True):
        return _inexact_remainder(a, b, math.floor)
    return a % b


def floor_quotient(a: Any, b: Any) -> Any:
    _int_division_args("floor-quotient", a, b, False)
    return norm(_floor_q(a, b))


def floor_remainder(a: Any, b: Any) -> Any:
    if _int_division_args("floor-remainder", a, b, False):
        return _inexact_remainder(a, b, math.floor)
    return norm(a % b)


def floor_div(a: Any, b: Any) -> Values:
    _int_division_args("floor/", a, b, False)
    return Values((norm(_floor_q(a, b)), norm(a % b)))


def truncate_quotient(a: Any, b: Any) -> Any:
    _int_division_args("truncate-quotient", a, b, False)
    return norm(_trunc_q(a, b))


def truncate_remainder(a: Any, b: Any) -> Any:
    inexact = _int_division_args("truncate-remainder", a, b, False)
    if inexact:
        return _inexact_remainder(a, b, math.trunc)
    return norm(a - b * _trunc_q(a, b))


def truncate_div(a: Any, b: Any) -> Values:
    inexact = _int_division_args("truncate/", a, b, False)
    q = _trunc_q(a, b)
    r = math.fmod(a, b) if inexact else a - b * q
    return Values((norm(q), norm(r)))


def euclidean_div(a: Any, b: Any) -> Values:
    """Guile's ``euclidean/``: the remainder is never negative."""
    _int_division_args("euclidean/", a, b, False)
    q = _floor_q(a, b) if b > 0 else -_floor_q(a, -b)
    r = a - b * q
    return Values((norm(q), norm(r)))


def euclidean_quotient(a: Any, b: Any) -> Any:
    return euclidean_div(a, b)[0]


def euclidean_remainder(a: Any, b: Any) -> Any:
    return euclidean_div(a, b)[1]


def gcd(*args: Any) -> Any:
    result = 0
    inexact = False
    for i, x in enumerate(args, 1):
        _check_integer("gcd", i, x)
        inexact = inexact or x.__class__ is float
        result = math.gcd(result, int(x))
    return float(result) if inexact else result


def lcm(*args: Any) -> Any:
    result = 1
    inexact = False
    for i, x in enumerate(args, 1):
        _check_integer("lcm", i, x)
        inexact = inexact or x.__class__ is float
        result = math.lcm(result, int(x))
    return float(result) if inexact else result


def numerator(x: Any) -> Any:
    _check_real("numerator", 1, x)
    if x.__class__ is float:
        if math.isinf(x):
            return x  # as Guile: (numerator +inf.0) is +inf.0
        return float(Fraction(x).numerator)
    return Fraction(x).numerator


def denominator(x: Any) -> Any:
    _check_real("denominator", 1, x)
    if x.__class__ is float:
        if math.isinf(x):
            return 1.0  # as Guile
        return float(Fraction(x).denominator)
    return Fraction(x).denominator


# ------------------------------------------------------------------ rounding


def _round_float(x: float, fn: Any) -> float:
    if not math.isfinite(x):
        return x
    r = float(fn(x))
    return math.copysign(0.0, x) if r == 0 else r


def floor(x: Any) -> Any:
    _check_real("floor", 1, x)
    if x.__class__ is float:
        return _round_float(x, math.floor)
    return math.floor(x)


def ceiling(x: Any) -> Any:
    _check_real("ceiling", 1, x)
    if x.__class__ is float:
        return _round_float(x, math.ceil)
    return math.ceil(x)


def truncate(x: Any) -> Any:
    _check_real("truncate", 1, x)
    if x.__class__ is float:
        return _round_float(x, math.trunc)
    return math.trunc(x)


def num_round(x: Any) -> Any:
    """Round half to even; exact arguments stay exact."""
    _check_real("round", 1, x)
    if x.__class__ is float:
        if not math.isfinite(x) or x.is_integer():
            return x
        return float(round(x))  # Guile: (round -0.4) => 0.0, a positive zero
    return round(x)


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The simplest rational in [lo, hi] (continued-fraction walk, iterative)."""
    if lo > 0:
        return _simplest_positive(lo, hi)
    if hi < 0:
        return -_simplest_positive(-hi, -lo)
    return Fraction(0)


def _simplest_positive(lo: Fraction, hi: Fraction) -> Fraction:
    # Collect the integer parts, then fold them back up from the innermost one.
    parts: list[int] = []
    while True:
        fl = math.floor(lo)
        if fl == lo:
            result = Fraction(fl)
            break
        if fl < math.floor(hi):
            result = Fraction(fl + 1)
            break
        parts.append(fl)
        lo, hi = 1 / (hi - fl), 1 / (lo - fl)
    for fl in reversed(parts):
        result = fl + 1 / result
    return result


def rationalize(x: Any, y: Any) -> Any:
    _check_real("rationalize", 1, x)
    _check_real("rationalize", 2, y)
    inexact = x.__class__ is float or y.__class__ is float
    if inexact and not (math.isfinite(x) and math.isfinite(y)):
        if math.isnan(x) or math.isnan(y):
            return math.nan
        return 0.0 if math.isinf(y) else float(x)
    fx, fy = Fraction(x), abs(Fraction(y))
    r = _simplest_between(fx - fy, fx + fy)
    return to_float(r) if inexact else norm(r)


# ------------------------------------------------------------------ transcendental


def _is_exact_value(x: Any, v: int) -> bool:
    return x.__class__ is int and x == v


def _real_or_complex(name: str, x: Any, real_fn: Any, complex_fn: Any, domain: Any = None) -> Any:
    _check_number(name, 1, x)
    if x.__class__ is complex or (domain is not None and not domain(x)):
        return complex_fn(complex(x))
    try:
        return real_fn(x)
    except OverflowError:
        return math.inf


def exp(x: Any) -> Any:
    return _real_or_complex("exp", x, math.exp, cmath.exp)


def log(x: Any, base: Any = None) -> Any:
    """Natural log, or ``(log z base)`` as in R7RS."""
    if base is not None:
        _check_number("log", 2, base)
        if _is_exact_value(x, 0) or _is_exact_value(base, 0):
            raise _overflow("log")
        return div(log(x), log(base))
    _check_number("log", 1, x)
    if _is_exact_value(x, 0):
        raise _overflow("log")
    if x.__class__ is complex or x < 0:
        return cmath.log(complex(x))
    if x == 0:
        return -math.inf
    if x.__class__ is Fraction:
        return _log_fraction(x)
    if x.__class__ is int:
        return _log_integer(x)
    return math.log(x)


_MOST_POSITIVE_FIXNUM = 2**61 - 1


def _log_integer(n: int) -> float:
    """log of a positive exact integer with Guile's rounding: the double's log for a fixnum,
    mantissa and power of two for a bignum."""
    if n <= _MOST_POSITIVE_FIXNUM:
        return math.log(n)
    e = n.bit_length()
    return math.log(n / (1 << e)) + e * math.log(2)


def _log_fraction(x: Fraction) -> float:
    """log of a positive exact fraction as Guile computes it: log1p((n - d) / d) when n and d
    have about the same length, else the difference of their logs."""
    n, d = x.numerator, x.denominator
    if abs(n.bit_length() - d.bit_length()) > 1:
        return _log_integer(n) - _log_integer(d)
    return math.log1p(float(Fraction(n - d, d)))


def sin(x: Any) -> Any:
    if _is_exact_value(x, 0):
        return 0
    return _real_or_complex("sin", x, math.sin, cmath.sin)


def cos(x: Any) -> Any:
    if _is_exact_value(x, 0):
        return 1
    return _real_or_complex("cos", x, math.cos, cmath.cos)


def tan(x: Any) -> Any:
    if _is_exact_value(x, 0):
        return 0
    return _real_or_complex("tan", x, math.tan, cmath.tan)


def _complex_asin(z: complex) -> complex:
    # Guile's branch: asin z = -i log(iz + sqrt(1 - z^2)).
    return -1j * cmath.log(1j * z + cmath.sqrt(1 - z * z))


def asin(x: Any) -> Any:
    if _is_exact_value(x, 0):
        return 0
    return _real_or_complex("asin", x, math.asin, _complex_asin, lambda v: -1 <= v <= 1)


def acos(x: Any) -> Any:
    if _is_exact_value(x, 1):
        return 0
    return _real_or_complex("acos", x, math.acos, lambda z: math.pi / 2 - _complex_asin(z),
                            lambda v: -1 <= v <= 1)


def log10(x: Any) -> Any:
    _check_number("log10", 1, x)
    if _is_exact_value(x, 0):
        raise _overflow("log10")
    return _real_or_complex("log10", x, math.log10, cmath.log10, lambda v: v > 0)


def _exact_zero_or(name: str, real_fn: Any, complex_fn: Any, domain: Any = None) -> Any:
    """A hyperbolic function as Guile has it: exact 0 for exact 0, else inexact."""
    def fn(x: Any) -> Any:
        if _is_exact_value(x, 0):
            return 0
        return _real_or_complex(name, x, real_fn, complex_fn, domain)

    fn.scheme_name = name  # type: ignore[attr-defined]
    return fn


sinh = _exact_zero_or("sinh", math.sinh, cmath.sinh)
tanh = _exact_zero_or("tanh", math.tanh, cmath.tanh)
asinh = _exact_zero_or("asinh", math.asinh, cmath.asinh)
atanh = _exact_zero_or("atanh", math.atanh, cmath.atanh, lambda v: -1 < v < 1)


def cosh(x: Any) -> Any:
    return _real_or_complex("cosh", x, math.cosh, cmath.cosh)


def acosh(x: Any) -> Any:
    return _real_or_complex("acosh", x, math.acosh, cmath.acosh, lambda v: v >= 1)


def atan(y: Any, x: Any = None) -> Any:
    if x is not None:
        _check_real("atan", 1, y)
        _check_real("atan", 2, x)
        return math.atan2(y, x)
    if _is_exact_value(y, 0):
        return 0
    return _real_or_complex("atan", y, math.atan, cmath.atan)


def _exact_sqrt(n: int) -> int | None:
    if n < 0:
        return None
    r = math.isqrt(n)
    return r if r * r == n else None


def sqrt(x: Any) -> Any:
    """Exact roots of exact perfect squares; negative reals give complex results."""
    _check_number("sqrt", 1, x)
    cls = x.__class__
    if cls is int or cls is Fraction:
        if x >= 0:
            q = Fraction(x)
            n, d = _exact_sqrt(q.numerator), _exact_sqrt(q.denominator)
            if n is not None and d is not None:
                return norm(Fraction(n, d))
            try:
                return math.sqrt(x)
            except OverflowError:
                return to_float(Fraction(math.isqrt(q.numerator), math.isqrt(q.denominator)))
        return complex(0.0, sqrt(-x) if cls is float else to_float(sqrt(-x)))
    if cls is float:
        if x >= 0 or math.isnan(x):
            return math.sqrt(x)
        return complex(0.0, math.sqrt(-x))
    return cmath.sqrt(x)


def exact_integer_sqrt(n: Any) -> Values:
    if n.__class__ is not int or n < 0:
        raise wrong_type("exact-integer-sqrt", 1, n, "exact non-negative integer")
    s = math.isqrt(n)
    return Values((s, n - s * s))


def _inexact_integer_expt(base: Any, k: int) -> Any:
    """An inexact base to an exact integer power, by squaring as Guile does (a negative
    power raises the reciprocal), so the result has Guile's rounding: (expt 10. -2) is
    0.010000000000000002 and (expt 10. 23) is 1e23."""
    if k < 0:
        k, base = -k, 1 / base
    acc: Any = 1
    while True:
        if k == 0:
            return acc
        if k == 1:
            return acc * base
        if k & 1:
            acc = acc * base
        base = base * base
        k >>= 1


def expt(base: Any, e: Any) -> Any:
    _check_number("expt", 1, base)
    _check_number("expt", 2, e)
    bcls, ecls = base.__class__, e.__class__
    if ecls is int:
        if e == 0:
            return 1
        if bcls is int or bcls is Fraction:
            if e > 0:
                return base ** e
            if base == 0:
                return math.nan  # what Guile 3.0 answers for (expt 0 -1)
            return norm(Fraction(base) ** e)
        if base == 0 and e < 0:
            return math.nan
        try:
            return _inexact_integer_expt(base, e)
        except OverflowError:
            negative = bcls is float and base < 0 and e % 2 == 1
            return -math.inf if negative else math.inf
    if base == 0:
        if ecls is complex:
            return 0.0 if e.real > 0 else math.nan
        return 0.0 if e > 0 else (1.0 if e == 0 else math.nan)
    try:
        if ecls is complex or bcls is complex:
            return cmath.exp(complex(e) * cmath.log(complex(base)))
        fb, fe = to_float(base), to_float(e)
        result = fb ** fe  # Python gives the principal complex root for negative bases
        return result
    except OverflowError:
        return math.inf


# ------------------------------------------------------------------ exactness


def exact_to_inexact(x: Any) -> Any:
    _check_number("exact->inexact", 1, x)
    if x.__class__ is complex or x.__class__ is float:
        return x
    return to_float(x)


def inexact_to_exact(x: Any) -> Any:
    return _to_exact("inexact->exact", x)


def _to_exact(name: str, x: Any) -> Any:
    cls = x.__class__
    if cls is int or cls is Fraction:
        return x
    if cls is complex:
        if x.imag == 0:
            x = x.real
        else:
            raise wrong_type(name, 1, x)
    if cls is float or cls is complex:
        if not math.isfinite(x):
            raise scheme_error("Argument 1 out of range:", x, kind="out-of-range", origin=name)
        return norm(Fraction(x))
    raise wrong_type(name, 1, x)


def exact(x: Any) -> Any:
    return _to_exact("exact", x)


def inexact(x: Any) -> Any:
    _check_number("inexact", 1, x)
    if x.__class__ is complex or x.__class__ is float:
        return x
    return to_float(x)


# ------------------------------------------------------------------ complex


def make_rectangular(re_: Any, im: Any) -> Any:
    _check_real("make-rectangular", 1, re_)
    _check_real("make-rectangular", 2, im)
    if im.__class__ in _EXACT and im == 0:
        return re_
    return complex(to_float(re_), to_float(im))


def make_polar(mag: Any, ang: Any) -> Any:
    _check_real("make-polar", 1, mag)
    _check_real("make-polar", 2, ang)
    if ang.__class__ in _EXACT and ang == 0:
        return mag
    return complex(mag * math.cos(ang), mag * math.sin(ang))


def real_part(z: Any) -> Any:
    _check_number("real-part", 1, z)
    return z.real if z.__class__ is complex else z


def imag_part(z: Any) -> Any:
    _check_number("imag-part", 1, z)
    return z.imag if z.__class__ is complex else 0


def magnitude(z: Any) -> Any:
    _check_number("magnitude", 1, z)
    return abs(z)


def angle(z: Any) -> Any:
    _check_number("angle", 1, z)
    if z.__class__ is complex:
        return cmath.phase(z)
    if z < 0 or (z.__class__ is float and math.copysign(1.0, z) < 0):
        return math.pi
    return 0.0


# ------------------------------------------------------------------ bitwise


def _ints(name: str, args: tuple) -> None:
    for i, x in enumerate(args, 1):
        _check_exact_int(name, i, x)


def logand(*args: Any) -> int:
    _ints("logand", args)
    result = -1
    for x in args:
        result &= x
    return result


def logior(*args: Any) -> int:
    _ints("logior", args)
    result = 0
    for x in args:
        result |= x
    return result


def logxor(*args: Any) -> int:
    _ints("logxor", args)
    result = 0
    for x in args:
        result ^= x
    return result


def lognot(n: Any) -> int:
    _check_exact_int("lognot", 1, n)
    return ~n


def ash(n: Any, count: Any) -> int:
    _check_exact_int("ash", 1, n)
    _check_exact_int("ash", 2, count)
    return n << count if count >= 0 else n >> -count


def logcount(n: Any) -> int:
    """Ones of a non-negative number, zeros of a negative one (two's complement)."""
    _check_exact_int("logcount", 1, n)
    return bin(n if n >= 0 else ~n).count("1")


def integer_length(n: Any) -> int:
    _check_exact_int("integer-length", 1, n)
    return n.bit_length() if n >= 0 else (~n).bit_length()


def logbit_p(index: Any, n: Any) -> bool:
    _check_exact_int("logbit?", 1, index)
    _check_exact_int("logbit?", 2, n)
    return (n >> index) & 1 == 1


def logtest(a: Any, b: Any) -> bool:
    _check_exact_int("logtest", 1, a)
    _check_exact_int("logtest", 2, b)
    return a & b != 0


_RNG: list[Any] = []  # Python's random.Random, made (and the module imported) on first use


def _rng() -> Any:
    if not _RNG:
        import random as _random  # ~0.7 ms of every start otherwise

        _RNG.append(_random.Random())
    return _RNG[0]


def random(n: Any, state: Any = None) -> Any:
    if n.__class__ is int:
        if n <= 0:
            raise scheme_error("Argument 1 out of range:", n, kind="out-of-range", origin="random")
        return _rng().randrange(n)
    if n.__class__ is float:
        if n <= 0:
            raise scheme_error("Argument 1 out of range:", n, kind="out-of-range", origin="random")
        return _rng().random() * n
    raise wrong_type("random", 1, n)


# ------------------------------------------------------------------ number <-> string

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _int_to_radix(n: int, radix: int) -> str:
    if n == 0:
        return "0"
    sign = "-" if n < 0 else ""
    n = abs(n)
    if radix == 16:
        return sign + format(n, "x")
    if radix == 8:
        return sign + format(n, "o")
    if radix == 2:
        return sign + format(n, "b")
    out = []
    while n:
        n, d = divmod(n, radix)
        out.append(_DIGITS[d])
    return sign + "".join(reversed(out))


def _float_to_radix(x: float, radix: int) -> str:
    if math.isnan(x):
        return "+nan.0"
    if math.isinf(x):
        return "+inf.0" if x > 0 else "-inf.0"
    if radix == 10:
        from schemy.lang.printer import float_to_string

        return float_to_string(x)
    sign = "-" if math.copysign(1.0, x) < 0 else ""
    q = Fraction(abs(x))
    whole = math.floor(q)
    frac = q - whole
    digits = []
    # Binary fractions terminate in radix 2/4/8/16/32; cap the rest.
    while frac and len(digits) < 64:
        frac *= radix
        d = math.floor(frac)
        digits.append(_DIGITS[d])
        frac -= d
    return f"{sign}{_int_to_radix(whole, radix)}.{''.join(digits) or '0'}"


def _check_radix(name: str, pos: int, radix: Any) -> None:
    if radix.__class__ is not int or not 2 <= radix <= 36:
        raise scheme_error(f"Argument {pos} out of range:", radix, kind="out-of-range", origin=name)


def number_to_string(n: Any, radix: Any = 10) -> str:
    _check_number("number->string", 1, n)
    _check_radix("number->string", 2, radix)
    if radix == 10:
        from schemy.lang.printer import number_to_string as decimal_text

        return decimal_text(n)  # also copes with ints beyond Python's str() digit limit
    cls = n.__class__
    if cls is int:
        return _int_to_radix(n, radix)
    if cls is Fraction:
        return f"{_int_to_radix(n.numerator, radix)}/{_int_to_radix(n.denominator, radix)}"
    if cls is float:
        return _float_to_radix(n, radix)
    re_s = _float_to_radix(n.real, radix)
    im_s = _float_to_radix(n.imag, radix)
    if not im_s.startswith(("-", "+")):
        im_s = "+" + im_s
    return f"{re_s}{im_s}i"


_UREAL_CACHE: dict[int, re.Pattern] = {}


def _ureal_pattern(radix: int) -> re.Pattern:
    pat = _UREAL_CACHE.get(radix)
    if pat is None:
        digits = _DIGITS[:radix]
        d = digits + digits.upper() if radix > 10 else digits
        decimal = r"|(?P<dec>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eEsSfFdDlL][+-]?[0-9]+)?)" if radix == 10 else ""
        pat = re.compile(rf"(?P<sign>[+-]?)(?:(?P<num>[{d}]+)(?:/(?P<den>[{d}]+))?{decimal})\Z")
        _UREAL_CACHE[radix] = pat
    return pat


def _parse_real(text: str, radix: int, exactness: str | None) -> Any:
    """One real number (with optional sign), or None."""
    low = text.lower()
    if low in ("+inf.0", "-inf.0"):
        if exactness == "e":
            return None
        return math.inf if low[0] == "+" else -math.inf
    if low in ("+nan.0", "-nan.0"):
        return None if exactness == "e" else math.nan
    m = _ureal_pattern(radix).match(text)
    if m is None:
        return None
    negative = m.group("sign") == "-"
    num = m.group("num")
    value: Any
    if num is not None:
        value = int(num, radix)
        den = m.group("den")
        if den is not None:
            d = int(den, radix)
            if d == 0:
                return None
            value = Fraction(value, d)
        value = norm(value)
        if exactness == "i":
            value = to_float(value)
        return -value if negative else value
    dec = m.group("dec")
    mantissa, _, exp_digits = _split_exponent(dec)
    if exactness == "e":
        int_part, _, frac_part = mantissa.partition(".")
        digits = (int_part or "0") + frac_part
        value = Fraction(int(digits), 10 ** len(frac_part)) * Fraction(10) ** int(exp_digits or "0")
        value = norm(value)
        return -value if negative else value
    fvalue = float(mantissa + ("e" + exp_digits if exp_digits else ""))
    return -fvalue if negative else fvalue


def _split_exponent(dec: str) -> tuple[str, str, str]:
    for i, ch in enumerate(dec):
        if ch in "eEsSfFdDlL":
            return dec[:i], ch, dec[i + 1:]
    return dec, "", ""


def _parse_complex(text: str, radix: int, exactness: str | None) -> Any:
    value = _parse_real(text, radix, exactness)
    if value is not None:
        return value
    if "@" in text:
        mag_s, _, ang_s = text.partition("@")
        mag = _parse_real(mag_s, radix, exactness)
        ang = _parse_real(ang_s, radix, exactness)
        if mag is None or ang is None:
            return None
        return make_polar(mag, ang)
    if len(text) < 2 or text[-1] not in "iI":
        return None
    body = text[:-1]
    for k in range(len(body) - 1, -1, -1):
        if body[k] not in "+-":
            continue
        re_s, im_s = body[:k], body[k:]
        re_v = _parse_real(re_s, radix, exactness) if re_s else 0
        if re_v is None:
            continue
        im_v = _parse_real(im_s, radix, exactness) if len(im_s) > 1 else (1 if im_s == "+" else -1)
        if im_v is None:
            continue
        if im_v.__class__ in _EXACT and im_v == 0:
            return re_v
        if exactness == "e":
            return None
        return complex(to_float(re_v), to_float(im_v))
    return None


def parse_number(text: str, radix: int = 10) -> Any:
    """Parse Scheme number syntax (prefixes ``#x #b #o #d #e #i`` included); None if not a number.

    ``string->number`` uses the reader's parser for the usual radixes; this one
    serves the others (Guile accepts any radix from 2 to 36).
    """
    exactness: str | None = None
    radix_seen = False
    while len(text) >= 2 and text[0] == "#":
        c = text[1].lower()
        if c in "xbod":
            if radix_seen:
                return None
            radix_seen = True
            radix = {"x": 16, "b": 2, "o": 8, "d": 10}[c]
        elif c in "ei":
            if exactness is not None:
                return None
            exactness = c
        else:
            return None
        text = text[2:]
    if not text:
        return None
    value = _parse_complex(text, radix, exactness)
    if value is None:
        return None
    if exactness == "e" and value.__class__ is float:
        if not math.isfinite(value):
            return None
        value = norm(Fraction(value))
    return value


def string_to_number(s: Any, radix: Any = 10) -> Any:
    if not is_string(s):
        raise wrong_type("string->number", 1, s, "string")
    _check_radix("string->number", 2, radix)
    text = to_str(s)
    if radix in (2, 8, 10, 16):
        # The reader's parser, so that string->number and read agree exactly.
        from schemy.lang.number_syntax import parse_number as read_number

        try:
            value = read_number(text, radix)
        except OverflowError:
            raise scheme_error("Value out of range:", s, kind="out-of-range",
                               origin="string->number") from None
    else:
        value = parse_number(text, radix)
    return False if value is None else value


PRIMITIVES: dict[str, Any] = {
    "number?": number_p,
    "complex?": number_p,
    "real?": real_p,
    "rational?": rational_p,
    "integer?": integer_p,
    "exact?": exact_p,
    "inexact?": inexact_p,
    "exact-integer?": exact_integer_p,
    "exact-rational?": exact_rational_p,
    "exact-nonnegative-integer?": exact_nonnegative_integer_p,
    "nan?": nan_p,
    "inf?": inf_p,
    "infinite?": inf_p,
    "finite?": finite_p,
    "zero?": zero_p,
    "positive?": positive_p,
    "negative?": negative_p,
    "odd?": odd_p,
    "even?": even_p,
    "=": num_eq,
    "<": num_lt,
    ">": num_gt,
    "<=": num_le,
    ">=": num_ge,
    "max": num_max,
    "min": num_min,
    "+": add,
    "-": sub,
    "*": mul,
    "/": div,
    "abs": num_abs,
    "1+": one_plus,
    "1-": one_minus,
    "square": square,
    "quotient": quotient,
    "remainder": remainder,
    "modulo": modulo,
    "floor/": floor_div,
    "floor-quotient": floor_quotient,
    "floor-remainder": floor_remainder,
    "truncate/": truncate_div,
    "truncate-quotient": truncate_quotient,
    "truncate-remainder": truncate_remainder,
    "euclidean/": euclidean_div,
    "euclidean-quotient": euclidean_quotient,
    "euclidean-remainder": euclidean_remainder,
    "gcd": gcd,
    "lcm": lcm,
    "numerator": numerator,
    "denominator": denominator,
    "floor": floor,
    "ceiling": ceiling,
    "round": num_round,
    "truncate": truncate,
    "rationalize": rationalize,
    "exp": exp,
    "log": log,
    "sin": sin,
    "cos": cos,
    "tan": tan,
    "asin": asin,
    "acos": acos,
    "atan": atan,
    "log10": log10,
    "sinh": sinh,
    "cosh": cosh,
    "tanh": tanh,
    "asinh": asinh,
    "acosh": acosh,
    "atanh": atanh,
    "sqrt": sqrt,
    "exact-integer-sqrt": exact_integer_sqrt,
    "expt": expt,
    "exact": exact,
    "inexact": inexact,
    "exact->inexact": exact_to_inexact,
    "inexact->exact": inexact_to_exact,
    "make-rectangular": make_rectangular,
    "make-polar": make_polar,
    "real-part": real_part,
    "imag-part": imag_part,
    "magnitude": magnitude,
    "angle": angle,
    "logand": logand,
    "logior": logior,
    "logxor": logxor,
    "lognot": lognot,
    "ash": ash,
    "arithmetic-shift": ash,
    "bitwise-and": logand,
    "bitwise-ior": logior,
    "bitwise-or": logior,
    "bitwise-xor": logxor,
    "bitwise-not": lognot,
    "logcount": logcount,
    "bit-count": logcount,
    "integer-length": integer_length,
    "logbit?": logbit_p,
    "logtest": logtest,
    "random": random,
    "number->string": number_to_string,
    "string->number": string_to_number,
}


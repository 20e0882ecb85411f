"""Numbers: the tower, exactness, division, rounding, string conversion (expected values from Guile 3.0)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from schemy.lang.datum import Values
from schemy.lang.errors import SchemeError
from schemy.runtime.primitives import numbers

P = numbers.PRIMITIVES
F = Fraction


def same(a: object, b: object) -> bool:
    """Equal value *and* representation (1 vs 1.0 vs 1/1 matter), NaN equal to NaN."""
    if a.__class__ is not b.__class__:
        return False
    if isinstance(a, float) and isinstance(b, float):
        return (a == b and math.copysign(1, a) == math.copysign(1, b)) or (a != a and b != b)
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))  # type: ignore[arg-type]
    return a == b


def kind(exc: pytest.ExceptionInfo[SchemeError]) -> str:
    cond = exc.value.condition
    assert cond is not None
    return cond.kind


# Each row: (procedure, arguments, Guile's answer).  Checked with
#   guile -c '(write (PROC ARGS...))'
GUILE_RESULTS = [
    ("+", (), 0), ("+", (1, 2, 3), 6), ("+", (F(1, 2), F(1, 2)), 1), ("+", (1, 0.5), 1.5),
    ("+", (0, -0.0), 0.0), ("-", (5,), -5), ("-", (0.0,), -0.0), ("-", (0,), 0), ("-", (10, 1, 2), 7),
    ("*", (), 1), ("*", (1.0, 0), 0.0), ("*", (F(2, 3), F(3, 2)), 1),
    ("/", (2,), F(1, 2)), ("/", (4, 2), 2), ("/", (1, 3), F(1, 3)), ("/", (0.0,), math.inf),
    ("/", (1, 0.0), math.inf), ("/", (-1, 0.0), -math.inf), ("/", (7, 2.0), 3.5),
    ("max", (1, 2.0), 2.0), ("min", (1, 2.0), 1.0), ("max", (F(1, 2), 0.3), 0.5),
    ("max", (1, 2, 3.0, 4), 4.0),
    ("max", (F(1, 2), F(1, 3)), F(1, 2)),
    ("=", (1, 1.0), True), ("=", (F(1, 3), 0.3333333333333333), False), ("<", (1, 2, 3), True),
    ("<", (1, 3, 2), False), ("<=", (1, 1, 2), True), (">=", (3, 3, 1), True), (">", (3, 2, 2), False),
    ("quotient", (7, 2), 3), ("quotient", (-7, 2), -3), ("quotient", (7.0, 2), 3.0),
    ("remainder", (-7, 2), -1), ("remainder", (7, -2), 1), ("remainder", (7, 2.0), 1.0),
    ("modulo", (-7, 2), 1), ("modulo", (7, -2), -1), ("modulo", (-7.0, 2), 1.0),
    ("floor/", (-7, 2), Values((-4, 1))), ("truncate/", (-7, 2), Values((-3, -1))),
    ("floor/", (7.5, 2), Values((3.0, 1.5))), ("floor/", (F(7, 2), 2), Values((1, F(3, 2)))),
    ("floor-quotient", (7.5, 2), 3.0), ("floor-remainder", (7, -2.0), -1.0),
    ("truncate-remainder", (-7.0, 2), -1.0), ("truncate-quotient", (7, 2.0), 3.0),
    ("euclidean/", (-7, 2), Values((-4, 1))),
    ("gcd", (), 0), ("gcd", (12, -18), 6), ("gcd", (12.0, 18), 6.0), ("lcm", (4, 6), 12), ("lcm", (), 1),
    ("numerator", (F(6, 4),), 3), ("numerator", (0.5,), 1.0), ("denominator", (0.5,), 2.0),
    ("floor", (2.5,), 2.0), ("floor", (F(5, 2),), 2), ("ceiling", (F(-5, 2),), -2), ("ceiling", (1.2,), 2.0),
    ("round", (2.5,), 2.0), ("round", (-2.5,), -2.0), ("round", (0.5,), 0.0), ("round", (1.5,), 2.0),
    ("round", (F(7, 2),), 4), ("round", (F(5, 2),), 2), ("round", (F(-1, 2),), 0), ("round", (F(3, 2),), 2),
    ("round", (-0.5,), 0.0), ("round", (-0.4,), 0.0), ("round", (-1.5,), -2.0), ("ceiling", (-0.5,), -0.0),
    ("truncate", (-0.5,), -0.0), ("truncate", (-2.7,), -2.0), ("truncate", (F(5, 2),), 2),
    ("abs", (F(-1, 2),), F(1, 2)), ("abs", (-0.0,), 0.0),
    ("rationalize", (F(3, 10), F(1, 10)), F(1, 3)), ("rationalize", (0.3, F(1, 10)), 0.3333333333333333),
    ("rationalize", (F(-3, 10), F(1, 10)), F(-1, 3)), ("rationalize", (5, 1), 4),
    ("rationalize", (F(7, 3), F(1, 2)), 2),
    ("rationalize", (F(1, 3), 0), F(1, 3)),
    ("exp", (0,), 1.0), ("exp", (1,), 2.718281828459045), ("log", (1,), 0.0), ("log", (0.0,), -math.inf),
    ("log", (8, 2), 3.0), ("log", (100, 10), 2.0),
    ("sin", (0,), 0), ("sin", (0.0,), 0.0), ("cos", (0,), 1), ("tan", (0,), 0), ("asin", (0,), 0),
    ("acos", (1,), 0), ("acos", (1.0,), 0.0), ("atan", (0,), 0), ("atan", (1,), 0.7853981633974483),
    ("atan", (1, 1), 0.7853981633974483), ("atan", (0, 1), 0.0), ("atan", (1, 0), 1.5707963267948966),
    ("sqrt", (16,), 4), ("sqrt", (15,), 3.872983346207417), ("sqrt", (F(1, 4),), F(1, 2)), ("sqrt", (0,), 0),
    ("sqrt", (2.25,), 1.5), ("sqrt", (16.0,), 4.0), ("sqrt", (-4,), complex(0.0, 2.0)),
    ("sqrt", (-4.0,), complex(0.0, 2.0)), ("sqrt", (F(-1, 4),), complex(0.0, 0.5)), ("sqrt", (-0.0,), -0.0),
    ("sqrt", (1e100,), 1e50), ("sqrt", (10 ** 400,), 10 ** 200),
    ("exact-integer-sqrt", (17,), Values((4, 1))), ("exact-integer-sqrt", (16,), Values((4, 0))),
    ("expt", (0, 0), 1), ("expt", (2, -2), F(1, 4)), ("expt", (2.0, 3), 8.0), ("expt", (0.0, 0), 1),
    ("expt", (2.0, 0), 1), ("expt", (2, 100), 1267650600228229401496703205376),
    ("expt", (F(2, 3), 3), F(8, 27)),
    ("expt", (2, 0.5), 1.4142135623730951), ("expt", (4, F(1, 2)), 2.0), ("expt", (0, -1), math.nan),
    ("expt", (1.5, 2), 2.25), ("expt", (F(1, 2), -2), 4), ("expt", (10, -3), F(1, 1000)),
    ("expt", (2, 0.0), 1.0),
    ("expt", (0, 0.0), 1.0), ("expt", (10.0, 400), math.inf), ("expt", (2.5, -1), 0.4),
    ("exact->inexact", (F(1, 3),), 0.3333333333333333),
    ("exact->inexact", (12345678901234567890,), 1.2345678901234567e19),
    ("exact->inexact", (10 ** 400,), math.inf),
    ("inexact->exact", (0.1,), F(3602879701896397, 36028797018963968)),
    ("inexact->exact", (2.0,), 2), ("exact", (1.5,), F(3, 2)), ("inexact", (F(1, 2),), 0.5),
    ("inexact->exact", (complex(1.0, 0.0),), 1),
    ("1+", (1,), 2), ("1-", (1.5,), 0.5), ("square", (F(1, 2),), F(1, 4)),
    ("make-rectangular", (1, 2), complex(1.0, 2.0)), ("make-rectangular", (1, 0), 1),
    ("make-rectangular", (1.0, 0.0), complex(1.0, 0.0)), ("make-polar", (1, 0), 1),
    ("real-part", (complex(1, 2),), 1.0), ("imag-part", (3,), 0), ("imag-part", (3.0,), 0),
    ("magnitude", (-5,), 5), ("magnitude", (complex(3, 4),), 5.0), ("angle", (-1,), math.pi),
    ("angle", (1,), 0.0),
    ("angle", (-0.0,), math.pi), ("angle", (1j,), 1.5707963267948966),
    ("logand", (12, 10), 8), ("logand", (), -1), ("logior", (), 0), ("logxor", (5, 3), 6),
    ("lognot", (5,), -6),
    ("ash", (1, 10), 1024), ("ash", (-5, -1), -3), ("logcount", (-1,), 0), ("logcount", (7,), 3),
    ("integer-length", (255,), 8), ("integer-length", (-1,), 0), ("logbit?", (1, 2), True),
    ("logtest", (1, 2), False),
    ("number->string", (255, 16), "ff"), ("number->string", (-255, 2), "-11111111"),
    ("number->string", (F(1, 3), 2), "1/11"),
    ("number->string", (255.5, 16), "ff.8"), ("number->string", (1e21,), "1.0e21"),
    ("number->string", (10, 3), "101"),
    ("number->string", (35, 36), "z"), ("number->string", (1.5, 10), "1.5"),
    ("number->string", (complex(1, 2),), "1.0+2.0i"),
    ("string->number", ("1e3",), 1000.0), ("string->number", ("#e1.5",), F(3, 2)),
    ("string->number", ("#i1/2",), 0.5),
    ("string->number", ("+inf.0",), math.inf), ("string->number", ("-nan.0",), math.nan),
    ("string->number", ("1+2i",), complex(1, 2)), ("string->number", ("+i",), complex(0, 1)),
    ("string->number", ("abc",), False),
    ("string->number", ("ff", 16), 255), ("string->number", ("#b101",), 5),
    ("string->number", ("#x-ff",), -255),
    ("string->number", ("1.",), 1.0), ("string->number", (".5",), 0.5), ("string->number", ("-.5e2",), -50.0),
    ("string->number", ("1/2", 16), F(1, 2)), ("string->number", ("#x1.8",), False),
    ("string->number", ("",), False),
    ("string->number", ("-",), False), ("string->number", ("1e",), False),
    ("string->number", ("#d10", 16), 10),
    ("string->number", ("#x#e1.5",), False), ("string->number", ("#e#x10",), 16),
    ("string->number", ("1d2",), 100.0),
    ("string->number", ("1/0",), False), ("string->number", ("1/2.",), False),
    ("string->number", (" 1",), False),
    ("string->number", ("-0.0",), -0.0), ("string->number", ("#e0.1",), F(1, 10)),
    ("string->number", ("z", 36), 35),
    ("string->number", ("12", 3), 5), ("string->number", ("1-i",), complex(1, -1)),
    ("string->number", ("1+0i",), 1),
]


@pytest.mark.parametrize(("name", "args", "expected"), GUILE_RESULTS, ids=lambda v: repr(v)[:30])
def test_matches_guile(name: str, args: tuple, expected: object) -> None:
    assert same(P[name](*args), expected)


def test_polar_and_complex_results_are_close_to_guile() -> None:
    # guile: (make-polar 2 1) => 1.0806046117362795+1.682941969615793i
    z = P["make-polar"](2, 1)
    assert cmath_close(z, complex(1.0806046117362795, 1.682941969615793))
    # guile: (asin 2) => 1.5707963267948966-1.3169578969248166i  (Guile's branch, not cmath's)
    assert cmath_close(P["asin"](2), complex(1.5707963267948966, -1.3169578969248166))
    # guile: (acos 2) => 0.0+1.3169578969248166i
    assert cmath_close(P["acos"](2), complex(0.0, 1.3169578969248166))
    # guile: (log -1) => 0.0+3.141592653589793i
    assert cmath_close(P["log"](-1), complex(0.0, math.pi))
    # guile: (expt -8 1/3) => 1.0+1.732050807568877i
    assert cmath_close(P["expt"](-8, F(1, 3)), complex(1.0, 1.732050807568877))


def cmath_close(a: object, b: complex) -> bool:
    return isinstance(a, complex) and abs(a - b) < 1e-12


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("number?", True, False), ("number?", 1, True), ("complex?", 1, True),
    ("real?", complex(1.0, 0.0), False),
    ("rational?", math.inf, False), ("rational?", 0.5, True), ("integer?", 5.0, True),
    ("integer?", math.inf, False),
    ("integer?", F(1, 2), False), ("exact-integer?", 5.0, False), ("exact-integer?", 5, True),
    ("exact-rational?", F(1, 2), True), ("exact-rational?", 0.5, False),
    ("exact-nonnegative-integer?", 5, True),
    ("exact-nonnegative-integer?", -5, False), ("exact?", 1.0, False), ("inexact?", complex(1, 2), True),
    ("nan?", 1, False), ("nan?", math.nan, True), ("inf?", -math.inf, True), ("finite?", 1, True),
    ("zero?", -0.0, True), ("zero?", 0j, True), ("positive?", 1, True), ("negative?", -0.5, True),
    ("odd?", 3.0, True), ("even?", 0, True), ("odd?", -3, True), ("positive?", math.nan, False),
])
def test_predicates(name: str, value: object, expected: bool) -> None:
    assert P[name](value) is expected


def test_booleans_are_not_numbers() -> None:
    assert P["number?"](True) is False
    assert P["integer?"](False) is False


def test_division_normalises_fractions_to_integers() -> None:
    result = P["/"](F(1, 2), F(1, 4))
    assert result == 2 and result.__class__ is int


def test_exact_division_by_zero_is_numerical_overflow() -> None:
    # guile: (/ 1 0) => numerical-overflow; so is (/ 1.0 0): the divisor is exact
    for args in ((1, 0), (1.0, 0), (0.0, 0)):
        with pytest.raises(SchemeError) as exc:
            P["/"](*args)
        assert kind(exc) == "numerical-overflow"


def test_zero_over_inexact_zero_is_nan() -> None:
    # guile: (/ 0 0.0) => +nan.0
    assert math.isnan(P["/"](0, 0.0))


@pytest.mark.parametrize("name", ["quotient", "remainder", "modulo", "floor/", "truncate/"])
def test_integer_division_by_zero_is_numerical_overflow(name: str) -> None:
    # guile: (quotient 7 0) and (quotient 7 0.0) both raise numerical-overflow
    for divisor in (0, 0.0):
        with pytest.raises(SchemeError) as exc:
            P[name](7, divisor)
        assert kind(exc) == "numerical-overflow"


def test_log_of_exact_zero_is_numerical_overflow() -> None:
    with pytest.raises(SchemeError) as exc:
        P["log"](0)
    assert kind(exc) == "numerical-overflow"


def test_wrong_type_argument_names_the_position() -> None:
    # guile: (+ 1 #t) => In procedure +: Wrong type argument in position 2: #t
    with pytest.raises(SchemeError) as exc:
        P["+"](1, True)
    assert kind(exc) == "wrong-type-arg"
    assert "position 2" in exc.value.condition.message  # type: ignore[union-attr]


@pytest.mark.parametrize(("name", "args"), [
    ("modulo", (7.5, 2)), ("odd?", (3.5,)), ("positive?", (1j,)), ("floor", (1j,)), ("<", (1, "a")),
    ("logand", (1.0, 2)), ("ash", (1.5, 1)), ("exact?", ("a",)), ("abs", ("a",)), ("random", (F(1, 2),)),
    ("exact-integer-sqrt", (-1,)), ("exact-integer-sqrt", (4.0,)), ("inexact->exact", (complex(1, 2),)),
])
def test_type_errors(name: str, args: tuple) -> None:
    with pytest.raises(SchemeError) as exc:
        P[name](*args)
    assert kind(exc) == "wrong-type-arg"


def test_inexact_to_exact_of_infinity_is_out_of_range() -> None:
    # guile: (inexact->exact +inf.0) => out-of-range
    with pytest.raises(SchemeError) as exc:
        P["inexact->exact"](math.inf)
    assert kind(exc) == "out-of-range"


def test_max_with_nan_is_nan() -> None:
    assert math.isnan(P["max"](math.nan, 1))
    assert math.isnan(P["max"](1, math.nan))


def test_mixed_exact_inexact_overflow_gives_infinity() -> None:
    # guile: (+ (expt 10 400) 0.5) => +inf.0
    assert P["+"](10 ** 400, 0.5) == math.inf


def test_random_ranges() -> None:
    for _ in range(50):
        n = P["random"](10)
        assert n.__class__ is int and 0 <= n < 10
        x = P["random"](1.5)
        assert x.__class__ is float and 0 <= x < 1.5
    with pytest.raises(SchemeError) as exc:
        P["random"](0)
    assert kind(exc) == "out-of-range"


def test_string_to_number_huge_exponent_is_out_of_range() -> None:
    # guile: (string->number "1e400") => out-of-range error
    with pytest.raises(SchemeError) as exc:
        P["string->number"]("1e400")
    assert kind(exc) == "out-of-range"


def test_parse_number_other_radix() -> None:
    assert numbers.parse_number("-z/2", 36) == F(-35, 2)
    assert numbers.parse_number("9", 8) is None


def test_large_integers_stay_exact() -> None:
    big = P["*"](*([10 ** 20] * 5))
    assert big == 10 ** 100 and big.__class__ is int
    assert P["exact-integer-sqrt"](10 ** 40) == Values((10 ** 20, 0))

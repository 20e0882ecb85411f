"""eq?, eqv?, equal?, not, boolean? and boolean=? (expected values from Guile 3.0)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from schemy.lang.datum import NIL, Char, MString, Symbol, make_list, make_pair
from schemy.lang.errors import SchemeError
from schemy.runtime.primitives import equality

P = equality.PRIMITIVES


def test_eq_on_symbols_chars_and_small_integers() -> None:
    assert P["eq?"](Symbol("a"), Symbol("a")) is True
    assert P["eq?"](Char("x"), Char("x")) is True
    assert P["eq?"](12345678901, 12345678901) is True
    assert P["eq?"](NIL, NIL) is True


def test_eq_distinguishes_fresh_pairs_and_strings() -> None:
    assert P["eq?"](make_pair(1, 2), make_pair(1, 2)) is False
    assert P["eq?"](MString("a"), MString("a")) is False


def test_eq_does_not_confuse_true_with_one() -> None:
    assert P["eq?"](True, 1) is False
    assert P["eqv?"](True, 1) is False
    assert P["equal?"](True, 1) is False


def test_eqv_numbers_need_same_exactness() -> None:
    # guile: (eqv? 1 1.0) => #f, (eqv? 1/2 1/2) => #t
    assert P["eqv?"](1, 1.0) is False
    assert P["eqv?"](Fraction(1, 2), Fraction(1, 2)) is True
    assert P["eqv?"](2.5, 2.5) is True


def test_eqv_nan_and_signed_zero() -> None:
    # guile: (eqv? +nan.0 +nan.0) => #t, (eqv? 0.0 -0.0) => #f
    assert P["eqv?"](math.nan, float("nan")) is True
    assert P["eqv?"](0.0, -0.0) is False
    assert P["eqv?"](complex(1, 0.0), complex(1, -0.0)) is False


def test_eqv_on_strings_is_identity() -> None:
    s = MString("abc")
    assert P["eqv?"](s, s) is True
    assert P["eqv?"](MString("abc"), MString("abc")) is False


def test_equal_structures() -> None:
    a = make_list([1, make_list(["x", [1, 2, bytearray(b"ab")]]), Char("c")])
    b = make_list([1, make_list([MString("x"), [1, 2, bytearray(b"ab")]]), Char("c")])
    assert P["equal?"](a, b) is True


def test_equal_string_and_mstring_with_same_text() -> None:
    assert P["equal?"]("abc", MString("abc")) is True
    assert P["equal?"]("abc", "abd") is False


def test_equal_numbers_use_eqv() -> None:
    # guile: (equal? 2 2.0) => #f
    assert P["equal?"](2, 2.0) is False
    assert P["equal?"](make_list([1]), make_list([1.0])) is False


def test_equal_vectors_of_different_length() -> None:
    assert P["equal?"]([1, 2], [1, 2, 3]) is False
    assert P["equal?"]([], NIL) is False


def test_equal_improper_lists() -> None:
    assert P["equal?"](make_pair(1, 2), make_pair(1, 2)) is True
    assert P["equal?"](make_pair(1, 2), make_pair(1, 3)) is False


def test_equal_handles_very_long_and_deep_lists() -> None:
    long_a = make_list(range(200_000))
    long_b = make_list(range(200_000))
    assert P["equal?"](long_a, long_b) is True
    deep_a: object = NIL
    deep_b: object = NIL
    for _ in range(100_000):
        deep_a = make_pair(deep_a, NIL)
        deep_b = make_pair(deep_b, NIL)
    assert P["equal?"](deep_a, deep_b) is True


def test_equal_uses_custom_record_equality() -> None:
    class Rec:
        def __init__(self, v: int) -> None:
            self.v = v

        def __scheme_equal__(self, other: object) -> bool:
            return isinstance(other, Rec) and other.v == self.v

    assert P["equal?"](Rec(1), Rec(1)) is True
    assert P["equal?"](Rec(1), Rec(2)) is False


def test_records_without_custom_equality_compare_by_identity() -> None:
    class Plain:
        pass

    assert P["equal?"](Plain(), Plain()) is False


def test_not_only_false_is_false() -> None:
    assert P["not"](False) is True
    assert P["not"](NIL) is False
    assert P["not"](0) is False


def test_boolean_p() -> None:
    assert P["boolean?"](False) is True
    assert P["boolean?"](0) is False


def test_boolean_eq_variadic() -> None:
    # guile: (boolean=? #t #t #t) => #t
    assert P["boolean=?"](True, True, True) is True
    assert P["boolean=?"](True, False) is False


def test_boolean_eq_rejects_non_booleans() -> None:
    # guile (scheme base): (boolean=? 1 1) => error "not a boolean"
    with pytest.raises(SchemeError):
        P["boolean=?"](1, 1)


def test_python_helpers_exported() -> None:
    assert equality.is_eqv(3, 3) and not equality.is_eqv(3, 3.0)
    assert equality.is_equal(make_list([1, "a"]), make_list([1, "a"]))

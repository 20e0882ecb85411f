"""Characters (expected values from Guile 3.0)."""

from __future__ import annotations

import pytest

from schemy.lang.datum import Char, Symbol
from schemy.lang.errors import SchemeError
from schemy.runtime.primitives import chars

P = chars.PRIMITIVES
C = Char


def kind(exc: pytest.ExceptionInfo[SchemeError]) -> str:
    cond = exc.value.condition
    assert cond is not None
    return cond.kind


def test_char_p() -> None:
    assert P["char?"](C("a")) is True
    assert P["char?"]("a") is False


def test_char_integer_round_trip() -> None:
    assert P["char->integer"](C("a")) == 97
    assert P["integer->char"](955) is C("λ")


@pytest.mark.parametrize("code", [-1, 0xD800, 0x110000])
def test_integer_to_char_out_of_range(code: int) -> None:
    # guile: (integer->char 55296) => Value out of range: 55296
    with pytest.raises(SchemeError) as exc:
        P["integer->char"](code)
    assert kind(exc) == "out-of-range"


def test_char_to_integer_wrong_type() -> None:
    # guile: (char->integer "a") => position 1 (expecting character)
    with pytest.raises(SchemeError) as exc:
        P["char->integer"]("a")
    assert "expecting character" in exc.value.condition.message  # type: ignore[union-attr]


def test_comparisons_are_variadic() -> None:
    assert P["char<?"](C("a"), C("b"), C("c")) is True
    assert P["char<?"](C("a")) is True
    assert P["char<?"](C("a"), C("c"), C("b")) is False
    assert P["char=?"](C("a"), C("a")) is True
    assert P["char>=?"](C("b"), C("b"), C("a")) is True


def test_comparison_type_error_position() -> None:
    # guile: (char=? #\a 1) => position 2 (expecting character)
    with pytest.raises(SchemeError) as exc:
        P["char=?"](C("a"), 1)
    assert "position 2" in exc.value.condition.message  # type: ignore[union-attr]


def test_case_insensitive_comparisons() -> None:
    assert P["char-ci=?"](C("a"), C("A")) is True
    assert P["char-ci<?"](C("a"), C("B")) is True


@pytest.mark.parametrize(("name", "ch", "expected"), [
    # guile: (char-alphabetic? #\λ) => #t, (char-alphabetic? #\ⅰ) => #f (a letter number)
    ("char-alphabetic?", "λ", True), ("char-alphabetic?", "ⅰ", False), ("char-alphabetic?", "1", False),
    # guile: (char-numeric? #\٣) => #t, (char-numeric? #\½) => #f
    ("char-numeric?", "٣", True), ("char-numeric?", "½", False), ("char-numeric?", "7", True),
    # guile: (char-whitespace? (integer->char 28)) => #f, 160 => #t
    ("char-whitespace?", "\t", True), ("char-whitespace?", "\x1c", False), ("char-whitespace?", "\xa0", True),
    # guile: (char-upper-case? #\ǅ) => #f, (char-lower-case? #\ª) => #f
    ("char-upper-case?", "ǅ", False), ("char-upper-case?", "A", True), ("char-upper-case?", "1", False),
    ("char-lower-case?", "ª", False), ("char-lower-case?", "a", True),
])
def test_classification(name: str, ch: str, expected: bool) -> None:
    assert P[name](C(ch)) is expected


@pytest.mark.parametrize(("name", "ch", "expected"), [
    # guile: (char-upcase #\ß) => #\ß, (char-upcase #\ǆ) => #\Ǆ, (char-downcase #\ǅ) => #\ǆ
    ("char-upcase", "ß", "ß"), ("char-upcase", "ä", "Ä"), ("char-upcase", "ǆ", "Ǆ"),
    ("char-upcase", "ﬀ", "ﬀ"),
    ("char-downcase", "A", "a"), ("char-downcase", "ǅ", "ǆ"), ("char-downcase", "İ", "i"),
    ("char-foldcase", "A", "a"), ("char-foldcase", "ς", "σ"),
])
def test_case_mapping(name: str, ch: str, expected: str) -> None:
    assert P[name](C(ch)) is C(expected)


def test_digit_value() -> None:
    assert P["digit-value"](C("5")) == 5
    assert P["digit-value"](C("٣")) == 3
    assert P["digit-value"](C("a")) is False


def test_general_category() -> None:
    # guile: (char-general-category #\a) => Ll, #\space => Zs
    assert P["char-general-category"](C("a")) is Symbol("Ll")
    assert P["char-general-category"](C(" ")) is Symbol("Zs")


def test_predicates_reject_non_characters() -> None:
    with pytest.raises(SchemeError) as exc:
        P["char-alphabetic?"](1)
    assert kind(exc) == "wrong-type-arg"

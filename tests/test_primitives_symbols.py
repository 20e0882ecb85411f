"""Symbols and keywords (expected values from Guile 3.0)."""

from __future__ import annotations

import pytest

from schemy.lang.datum import Keyword, MString, Symbol
from schemy.lang.errors import SchemeError
from schemy.runtime.primitives import symbols

P = symbols.PRIMITIVES


def test_symbol_p() -> None:
    assert P["symbol?"](Symbol("a")) is True
    assert P["symbol?"]("a") is False


def test_symbol_string_round_trip() -> None:
    assert P["symbol->string"](Symbol("abc")) == "abc"
    assert P["string->symbol"]("hello world") is Symbol("hello world")
    assert P["string->symbol"](MString("x")) is Symbol("x")


def test_symbol_to_string_wrong_type() -> None:
    # guile: (symbol->string 5) => position 1 (expecting symbol)
    with pytest.raises(SchemeError) as exc:
        P["symbol->string"](5)
    assert "expecting symbol" in exc.value.condition.message  # type: ignore[union-attr]


def test_symbol_append() -> None:
    assert P["symbol-append"](Symbol("a"), Symbol("b")) is Symbol("ab")
    assert P["symbol-append"]() is Symbol("")  # guile: (symbol-append) => #{}#
    with pytest.raises(SchemeError):
        P["symbol-append"](Symbol("a"), "b")


def test_symbol_comparisons() -> None:
    assert P["symbol<?"](Symbol("a"), Symbol("b"), Symbol("c")) is True
    assert P["symbol=?"](Symbol("a"), Symbol("a"), Symbol("a")) is True
    assert P["symbol=?"](Symbol("a"), Symbol("b")) is False


def test_gensym_is_fresh() -> None:
    a, b = P["gensym"](), P["gensym"]()
    assert a is not b
    assert a.name.startswith(" g")  # guile: (gensym) => #{ g25}#
    assert P["gensym"]("x").name.startswith("x")
    with pytest.raises(SchemeError):
        P["gensym"](Symbol("a"))  # guile: wrong-type (expecting string)


def test_keywords() -> None:
    k = P["symbol->keyword"](Symbol("a"))
    assert k is Keyword("a")
    assert P["keyword?"](k) is True and P["keyword?"](Symbol("a")) is False
    assert P["keyword->symbol"](k) is Symbol("a")
    with pytest.raises(SchemeError):
        P["keyword->symbol"](Symbol("a"))

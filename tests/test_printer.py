"""The printer against Guile 3's write and display."""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from typing import Any

import pytest

from schemy.lang.datum import (
    EOF_OBJECT,
    NIL,
    UNDEFINED,
    UNSPECIFIED,
    Char,
    Keyword,
    MString,
    Symbol,
    Values,
    make_list,
    make_pair,
)
from schemy.lang.printer import display_string, float_to_string, number_to_string, write_string

S = Symbol


def lst(*items: Any, tail: Any = NIL) -> Any:
    return make_list(items, tail)


# ---------------------------------------------------------------- strings


@pytest.mark.parametrize("value,text", [
    ("hello", '"hello"'), ("", '""'), ("a\nb", '"a\\nb"'), ('say "hi"', '"say \\"hi\\""'),
    ("back\\slash", '"back\\\\slash"'),
    ("\t\r\a\b\v\f", '"\\t\\r\\a\\b\\v\\f"'), ("\0", '"\\x00"'), ("\x1b", '"\\x1b"'), ("\x7f", '"\\x7f"'),
    ("\xa0", '"\\xa0"'), ("\xad", '"\\xad"'), ("é λ ÿ Ā", '"é λ ÿ Ā"'), ("\u2028", '"\\u2028"'),
    ("\ufeff", '"\\ufeff"'), ("😀", '"😀"'), ("\U0010ffff", '"\\U10ffff"'), ("a\u0301", '"a\u0301"'),
])
def test_write_string_escapes_like_guile(value: str, text: str) -> None:
    assert write_string(value) == text


def test_display_string_is_raw() -> None:
    assert display_string('a "b"\n') == 'a "b"\n'


def test_mutable_string_prints_like_string() -> None:
    assert write_string(MString("a\"b")) == '"a\\"b"' and display_string(MString("xy")) == "xy"


# ---------------------------------------------------------------- characters


@pytest.mark.parametrize("ch,text", [
    ("a", "#\\a"), ("(", "#\\("), (";", "#\\;"), ('"', '#\\"'), ("\\", "#\\\\"), ("x", "#\\x"),
    (" ", "#\\space"), ("\n", "#\\newline"), ("\0", "#\\nul"), ("\t", "#\\tab"), ("\r", "#\\return"),
    ("\a", "#\\alarm"), ("\b", "#\\backspace"), ("\v", "#\\vtab"), ("\f", "#\\page"), ("\x1b", "#\\esc"),
    ("\x01", "#\\soh"), ("\x1f", "#\\us"), ("\x7f", "#\\delete"), ("λ", "#\\λ"), ("ÿ", "#\\ÿ"),
    ("\x80", "#\\200"), ("\xa0", "#\\240"), ("\u2028", "#\\20050"), ("\ue000", "#\\160000"),
    ("\u0300", "#\\\u25cc\u0300"), ("😀", "#\\😀"),
])
def test_write_char_like_guile(ch: str, text: str) -> None:
    assert write_string(Char(ch)) == text


def test_display_char_is_the_char() -> None:
    assert display_string(Char("a")) == "a" and display_string(Char(" ")) == " "


# ---------------------------------------------------------------- symbols and keywords


@pytest.mark.parametrize("name,text", [
    ("abc", "abc"), ("%base-services", "%base-services"), ("->string", "->string"), ("a.b", "a.b"),
    ("-", "-"), ("+", "+"), ("...", "..."), ("..", ".."), ("|a", "|a"), ("a|", "a|"), ("a'", "a'"),
    ("a,b", "a,b"), ("@a", "@a"), (":a", ":a"), ("a:", "a:"), (".a", ".a"), ("+a", "+a"), ("+5a", "+5a"),
    ("-1a", "-1a"), ("+inf.0x", "+inf.0x"), ("λ", "λ"), ("a\\b", "a\\b"),
    ("a b", "#{a b}#"), ("1", "#{1}#"), ("", "#{}#"), (".", "#{.}#"), ("1+", "#{1+}#"), ("+1", "#{+1}#"),
    ("-i", "#{-i}#"), ("+i", "#{+i}#"), ("1/2", "#{1/2}#"), ("1e3", "#{1e3}#"), ("+nan.0", "#{+nan.0}#"),
    ("1a", "#{1a}#"), ("#foo", "#{#foo}#"), ("a#b", "#{a#b}#"), ("'a", "#{'a}#"), (",@", "#{,@}#"),
    ("a;b", "#{a;b}#"), ('a"b', '#{a"b}#'), ("a(b", "#{a\\x28;b}#"), ("a[b", "#{a\\x5b;b}#"),
    ("a{b", "#{a\\x7b;b}#"), ("a}b", "#{a\\x7d;b}#"), ("a\nb", "#{a\\xa;b}#"), ("a\tb", "#{a\\x9;b}#"),
    ("a\x00b", "#{a\\x0;b}#"), ("a\xa0b", "#{a\xa0b}#"), ("\x7f", "#{\\x7f;}#"),
])
def test_write_symbol_like_guile(name: str, text: str) -> None:
    assert write_string(S(name)) == text


def test_backslash_in_braced_symbol_is_escaped_so_it_reads_back() -> None:
    assert write_string(S("a b\\c")) == "#{a b\\x5c;c}#"


def test_display_symbol_is_the_same_as_write_like_guile() -> None:
    assert display_string(S("a b")) == "#{a b}#" and display_string(S("x")) == "x"


def test_write_keyword() -> None:
    assert write_string(Keyword("key")) == "#:key"


def test_write_odd_keyword() -> None:
    assert write_string(Keyword("a b")) == "#:#{a b}#" and write_string(Keyword("1")) == "#:#{1}#"


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize("value,text", [
    (2.5, "2.5"), (1e100, "1.0e100"), (0.1, "0.1"), (1e21, "1.0e21"), (1e22, "1.0e22"),
    (123456789012345678901.0, "1.2345678901234568e20"), (12345678901234567890.0, "12345678901234567000.0"),
    (-0.0, "-0.0"), (0.0, "0.0"), (100.0, "100.0"), (1e6, "1000000.0"), (1e7, "1.0e7"),
    (12345678.0, "12345678.0"), (12345000.0, "12345000.0"), (1.234e7, "1.234e7"), (1.5e9, "1.5e9"),
    (1234567890.0, "1234567890.0"), (0.001, "0.001"), (1e-4, "1.0e-4"), (0.0015, "0.0015"),
    (1.5e-7, "1.5e-7"), (5e-324, "5.0e-324"), (1.7976931348623157e308, "1.7976931348623157e308"),
    (float("inf"), "+inf.0"), (float("-inf"), "-inf.0"), (float("nan"), "+nan.0"), (-2.5e-10, "-2.5e-10"),
])
def test_float_format_like_guile(value: float, text: str) -> None:
    assert float_to_string(value) == text


@pytest.mark.parametrize("value,text", [
    (0, "0"), (-42, "-42"), (2 ** 100, "1267650600228229401496703205376"), (Fraction(1, 3), "1/3"),
    (Fraction(-7, 2), "-7/2"), (complex(1, 2), "1.0+2.0i"), (complex(1, -2.5), "1.0-2.5i"),
    (complex(0, 1), "0.0+1.0i"), (complex(-0.0, -1), "-0.0-1.0i"), (complex(1, -0.0), "1.0-0.0i"),
    (complex(float("inf"), float("nan")), "+inf.0+nan.0i"), (complex(1e21, 1e-10), "1.0e21+1.0e-10i"),
])
def test_number_format_like_guile(value: Any, text: str) -> None:
    assert write_string(value) == text == number_to_string(value)


def test_huge_integer_prints_beyond_python_str_limit() -> None:
    assert write_string(10 ** 6000) == "1" + "0" * 6000


# ---------------------------------------------------------------- simple objects


def test_booleans_and_empty_list() -> None:
    assert [write_string(x) for x in (True, False, NIL)] == ["#t", "#f", "()"]


def test_special_objects() -> None:
    assert [write_string(x) for x in (UNSPECIFIED, EOF_OBJECT, UNDEFINED)] == [
        "#<unspecified>", "#<eof>", "#<undefined>"]


def test_bytevector() -> None:
    assert write_string(bytearray([1, 2, 255])) == "#vu8(1 2 255)" and write_string(bytearray()) == "#vu8()"


def test_values_are_joined_with_spaces() -> None:
    assert write_string(Values((1, "a", S("b")))) == '1 "a" b' and display_string(Values(("a", 2))) == "a 2"


def test_python_function_prints_as_procedure() -> None:
    def car(x: Any) -> Any:
        return x

    assert write_string(car) == "#<procedure car (_)>"


def test_procedure_prefers_scheme_name() -> None:
    def string_to_symbol(x: Any) -> Any:
        return x

    string_to_symbol.scheme_name = "string->symbol"  # type: ignore[attr-defined]
    assert write_string(string_to_symbol) == "#<procedure string->symbol (_)>"


class _Record:
    def __scheme_repr__(self, write: bool) -> str:
        return "#<thing written>" if write else "#<thing displayed>"


def test_scheme_repr_hook_gets_write_flag() -> None:
    assert write_string(_Record()) == "#<thing written>" and display_string(_Record()) == "#<thing displayed>"


def test_scheme_repr_hook_inside_a_list() -> None:
    assert write_string(lst(1, _Record())) == "(1 #<thing written>)"


# ---------------------------------------------------------------- pairs and vectors


def test_proper_list() -> None:
    assert write_string(lst(S("a"), 1, "s")) == '(a 1 "s")'


def test_dotted_pair() -> None:
    assert write_string(make_pair(S("a"), S("b"))) == "(a . b)"


def test_improper_list() -> None:
    assert write_string(lst(1, 2, tail=3)) == "(1 2 . 3)"


def test_quote_forms_are_not_abbreviated_like_guile() -> None:
    assert write_string(lst(S("quote"), S("x"))) == "(quote x)"
    assert write_string(lst(S("quasiquote"), lst(S("unquote"), S("x")))) == "(quasiquote (unquote x))"


def test_vector() -> None:
    assert write_string([1, "a", Char("b"), []]) == '#(1 "a" #\\b #())'


def test_display_nested_strings_and_chars_raw() -> None:
    assert display_string(lst("a", Char("b"), ["c"])) == "(a b #(c))"


def test_very_deep_list_prints_without_recursion() -> None:
    value: Any = S("x")
    for _ in range(100_000):
        value = make_pair(value, NIL)
    text = write_string(value)
    assert text == "(" * 100_000 + "x" + ")" * 100_000


def test_very_deep_vector_prints_without_recursion() -> None:
    value: Any = 1
    for _ in range(50_000):
        value = [value]
    assert write_string(value) == "#(" * 50_000 + "1" + ")" * 50_000


def test_very_long_list_prints() -> None:
    assert write_string(make_list(range(200_000))).count(" ") == 199_999


def test_shared_but_acyclic_structure_prints_in_full() -> None:
    shared = lst(1, 2)
    assert write_string(lst(shared, shared)) == "((1 2) (1 2))"


# ---------------------------------------------------------------- cycles (Guile's #N# labels)


def test_circular_list() -> None:
    x = lst(1, 2, 3)
    x.cdr.cdr.cdr = x
    assert write_string(x) == "(1 2 3 . #-2#)"


def test_circular_tail() -> None:
    x = lst(1, 2, 3)
    x.cdr.cdr.cdr = x.cdr
    assert write_string(x) == "(1 2 3 . #-1#)"


def test_pair_whose_cdr_is_itself() -> None:
    x = make_pair(1, 2)
    x.cdr = x
    assert write_string(x) == "(1 . #0#)"


def test_pair_whose_car_is_itself() -> None:
    x = make_pair(1, 2)
    x.car = x
    assert write_string(x) == "(#0# . 2)"


def test_inner_list_refers_to_outer() -> None:
    inner = lst(S("a"), S("b"))
    x = lst(1, inner)
    inner.cdr.car = x
    assert write_string(x) == "(1 (a #-3#))"


def test_inner_list_tail_refers_to_outer() -> None:
    inner = lst(S("a"), S("b"))
    x = lst(1, inner)
    inner.cdr.cdr = x
    assert write_string(x) == "(1 (a b . #-3#))"


def test_vector_containing_itself() -> None:
    v: list = [1, 2]
    v[1] = v
    assert write_string(v) == "#(1 #0#)" and write_string(lst(v, v)) == "(#(1 #0#) #(1 #0#))"


def test_vector_in_list_refers_to_list() -> None:
    v: list = [1, 2]
    x = lst(1, v)
    v[0] = x
    assert write_string(x) == "(1 #(#-2# 2))"


def test_nested_cars_refer_to_top() -> None:
    x = lst(lst(lst(1)))
    x.car.car.car = x
    assert write_string(x) == "(((#0#)))"


def test_deep_cycle_label() -> None:
    x = lst(1, lst(2, lst(3, 4)))
    x.cdr.car.cdr.car.cdr.car = x
    assert write_string(x) == "(1 (2 (3 #-5#)))"


def test_long_circular_list_terminates() -> None:
    x = make_list(range(10_000))
    last = x
    while last.cdr is not NIL:
        last = last.cdr
    last.cdr = x
    assert write_string(x).endswith("9999 . #-9999#)")


# ---------------------------------------------------------------- against Guile

GUILE = shutil.which("guile")


@pytest.mark.skipif(GUILE is None, reason="guile is not installed: apt-get install guile-3.0")
def test_prints_like_guile() -> None:
    cases: list[tuple[str, Any]] = [
        ('"a\\nb\\t\\x01\\x7f é"', "a\nb\t\x01\x7f é"),
        ("(string->symbol \"a b\")", S("a b")),
        ("(string->symbol \"1\")", S("1")),
        ("(string->symbol \"\")", S("")),
        ("(string->symbol \"a(b\")", S("a(b")),
        ("(symbol->keyword (string->symbol \"a b\"))", Keyword("a b")),
        ("#\\nul", Char("\0")), ("#\\x7f", Char("\x7f")), ("#\\x80", Char("\x80")), ("#\\x3bb", Char("λ")),
        ("''x", lst(S("quote"), S("x"))),
        ("'(1 (2 . 3) #(4 5) #vu8(6))", lst(1, make_pair(2, 3), [4, 5], bytearray([6]))),
        ("1e21", 1e21), ("123456789012345678901.0", 123456789012345678901.0), ("0.1", 0.1), ("1e-4", 1e-4),
        ("12345000.0", 12345000.0), ("-0.0", -0.0), ("(/ 1. 0.)", float("inf")), ("1/3", Fraction(1, 3)),
        ("(make-rectangular 1.0 -2.5)", complex(1, -2.5)), ("(if #f #f)", UNSPECIFIED),
        ("(let ((x (list 1 2 3))) (set-cdr! (cddr x) x) x)", None),
    ]
    circular = lst(1, 2, 3)
    circular.cdr.cdr.cdr = circular
    values = [circular if value is None else value for _, value in cases]
    program = "".join(f"(write {expr}) (newline)" for expr, _ in cases)
    out = subprocess.run([GUILE, "--no-auto-compile", "-c", program], capture_output=True, timeout=60)
    expected = out.stdout.decode("utf-8").split("\n")[:len(cases)]
    assert [write_string(v) for v in values] == expected

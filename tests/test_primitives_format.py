"""Guile's (ice-9 format) and simple-format (expected values from Guile 3.0)."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest

from schemy.lang.datum import UNSPECIFIED, Char, MString, Symbol
from schemy.lang.datum import make_list as _make_list
from schemy.lang.errors import SchemeError
from schemy.runtime.primitives import format as fmt

P = fmt.PRIMITIVES


def L(items: list) -> object:
    return _make_list(items)


# Each row: (template, arguments, Guile's output).  Checked with
#   guile -c '(use-modules (ice-9 format)) (write (format #f TEMPLATE ARGS...))'
GUILE_RESULTS = [
    ("~a ~s", ["x", "x"], 'x "x"'),
    ("~5a|", ["ab"], "ab   |"), ("~5@a|", ["ab"], "   ab|"),
    ("~d ~x ~o ~b", [255]*4, "255 ff 377 11111111"),
    ("~5,'0d", [42], "00042"), ("~,2f", [3.14159], "3.14"), ("~8,2f|", [3.14159], "    3.14|"),
    ("~f", [3.5], "3.5"), ("~,2f", [2], "2.00"), ("~,0f", [2.5], "3."), ("~,2f", [Fraction(1,3)], "0.33"),
    ("~e", [1234.5], "1.2345E+3"), ("~,2e", [1234.5], "1.23E+3"),
    ("a~%b", [], "a\nb"), ("~&a~&b", [], "a\nb"),
    ("~~", [], "~"), ("~{~a, ~}", [L([1,2,3])], "1, 2, 3, "), ("~{~a~^, ~}", [L([1,2,3])], "1, 2, 3"),
    ("~@{~a~^-~}", [1,2,3], "1-2-3"), ("~:[no~;yes~]", [True], "yes"), ("~:[no~;yes~]", [False], "no"),
    ("~[zero~;one~;two~]", [1], "one"), ("~[zero~;one~:;other~]", [5], "other"), ("~@[x=~a~]", [5], "x=5"),
    ("~@[x=~a~]", [False], ""), ("~? ~a", ["~a-~a", L([1,2]), 3], "1-2 3"), ("~a ~* ~a", [1,2,3], "1  3"),
    ("~c", [Char("a")], "a"), ("~y", [L([1, "a"])], '(1 "a")\n'), ("~:d", [1234567], "1,234,567"),
    ("~10t|", [], "          |"), ("~d item~:p", [2], "2 items"), ("~d item~:p", [1], "1 item"),
    ("~d berr~:@p", [2], "2 berries"), ("~a", [1.5], "1.5"), ("~s", [Char("a")], "#\\a"),
    ("~10,2f|", [-3.14159], "     -3.14|"), ("~,3f", [0.0005], "0.001"), ("~f", [100], "100.0"),
    ("~2f", [123.456], "123.456"), ("~@d", [5], "+5"), ("~5s|", ["ab"], '"ab" |'), ("~{~a~}", [L([])], ""),
    ("~:{~a~a ~}", [L([L([1,2]), L([3,4])])], "12 34 "), ("~(~a~)", ["ABC"], "abc"),
    ("~:@(~a~)", ["abc"], "ABC"),
    ("~\n   x", [], "x"), ("~f", [Fraction(1,3)], "0.3333333333333333"),
    ("~f", [1e21], "1000000000000000000000.0"),
    ("~f", [1e-7], "0.0000001"), ("~,2f", [-0.005], "-0.01"), ("~,2f", [1.005], "1.01"),
    ("~3,2f", [123.456], "123.46"),
    ("~3,2,,'*f", [123.456], "***"), ("~,2,2f", [1.5], "150.00"), ("~5d|", [-42], "  -42|"),
    ("~8,'0,':d", [1234], "00001234"), ("~:d", [-1234], "-1,234"), ("~@:d", [1234], "+1,234"),
    ("~10,2f|", [Fraction(1,3)], "      0.33|"), ("~f", [-0.0], "-0.0"), ("~f", [float('inf')], "+inf.0"),
    ("~f", [12], "12.0"), ("~,1f", [0.05], "0.1"), ("~,1f", [0.15], "0.2"), ("~4f|", [1.5], " 1.5|"),
    ("~e", [0.001], "1.0E-3"), ("~e", [0], "0.0E+0"),
    ("~,3e", [123456], "1.235E+5"), ("~e", [-1.5], "-1.5E+0"),
    ("~10,2e|", [1234.5], "   1.23E+3|"), ("~$", [1.5], "1.50"), ("~g", [1.5], "1.5    "),
    ("~a~t~a", ["ab","c"], "abc"),
    ("~5,3t|", [], "     |"), ("abc~5t|", [], "abc  |"), ("abc~2t|", [], "abc|"), ("~@t|", [], " |"),
    ("~3@t|", [], "   |"),
    ("~8a|", [1.5], "1.5     |"), ("~8,,,'*a|", [1], "1*******|"), ("~3,4a|", ["a"], "a    |"),
    ("~3,4,2a|", ["a"], "a  |"),
    ("~@c", [Char("a")], "#\\a"), ("~2{~a~}", [L([1,2,3])], "12"), ("~{~}", ["~a", L([1,2])], "12"),
    ("~{x~:}", [L([])], ""),
    ("~:{~a~:^,~}", [L([L([1]), L([2])])], "12"), ("~@?", ["~a~a", 1, 2], "12"),
    ("~(Hello World~)", [], "hello world"),
    ("~a ~:* ~a", [1], "1  1"), ("~a ~a ~0@* ~a", [1,2], "1 2  1"), ("~[a~;b~]", [5], ""),
    ("~#[none~;one~;two~]", [1], "one"),
    ("~@[~a~] ~a", [1,2], "1 2"), ("~3%", [], "\n\n\n"), ("~2~", [], "~~"), ("~16r", [255], "ff"),
    ("~2r", [5], "101"),
    ("~@r", [4], "IV"), ("~a", [L([1, "a", Char("b")])], "(1 a b)"), ("~v,2f", [8, 3.14159], "    3.14"),
    ("~vd", [5,1], "    1"),
    ("~x", [-255], "-ff"), ("~@x", [255], "+ff"), ("~b", [5.0], "101.0"), ("~5b|", [5], "  101|"),
    ("~a", [True], "#t"),
    ("~&", [], ""), ("a~&", [], "a\n"), ("~2&", [], "\n"), ("~@p", [1], "y"), ("~@p", [2], "ies"),
    ("~d ~:@p", [1], "1 y"),
    ("~a~^ ~a", [1], "1"), ("~{~a~^ ~}~a", [L([1,2]), 3], "1 23"), ("~:@{~a~}", [L([1]), L([2])], "12"),
    ("~,,,'-@a|", [5], "5|"),
    ("~10@s|", ["ab"], '      "ab"|'), ("~e", [1e100], "1.0E+100"), ("~,2e", [9.999], "10.00E+0"),
    ("~,1f", [9.96], "10.0"),
    ("~,2f", [123456789.125], "123456789.13"), ("~,10f", [0.1], "0.1000000000"),
    ("~,20f", [0.1], "0.10000000000000000000"),
    ("~d", [5.0], "5.0"),
    ("~r", [1234567], "one million, two hundred thirty-four thousand, five hundred sixty-seven"),
    ("~:r", [21], "twenty-first"), ("~r", [-5], "minus five"), ("~r", [0], "zero"), ("~:@r", [4], "IIII"),
    ("~e", [123], "1.23E+2"),
    ("~,,'.,4:d", [12345678], "1234.5678"), ("~10a|", [Symbol("abc")], "abc       |"),
    ("~d", [12345678901234567890], "12345678901234567890"),
    ("~/.local", [], "\t.local"), ("~3/x", [], "\t\t\tx"),
]


@pytest.mark.parametrize(("template", "args", "expected"), GUILE_RESULTS, ids=lambda v: repr(v)[:30])
def test_matches_guile(template: str, args: list, expected: str) -> None:
    assert fmt.format_string(template, args) == expected


def test_format_false_returns_string() -> None:
    assert P["format"](False, "~a-~a", 1, MString("x")) == "1-x"


def test_format_true_writes_through_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    captured: list[tuple[object, str]] = []
    monkeypatch.setattr(fmt, "OUTPUT_HOOK", lambda dest, text: captured.append((dest, text)))
    assert P["format"](True, "x~a~%", 1) is UNSPECIFIED
    assert captured == [(True, "x1\n")]


def test_format_to_port_object(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "OUTPUT_HOOK", fmt._default_output)
    port = io.StringIO()
    P["format"](port, "~s", "q")
    assert port.getvalue() == '"q"'


def test_format_string_destination_is_an_error() -> None:
    # guile: (format "~a" 1) => error "format: expected a string for format string"
    with pytest.raises(SchemeError):
        P["format"]("~a", 1)


@pytest.mark.parametrize(("template", "args"), [
    ("~a", []), ("~d", [1.5]), ("~x", [Fraction(1, 2)]), ("~d", ["abc"]), ("~:}", []), ("~{", []),
    ("~w", [1]),
])
def test_format_errors(template: str, args: list) -> None:
    with pytest.raises(SchemeError) as exc:
        fmt.format_string(template, args)
    assert exc.value.condition.message == "error in format"  # type: ignore[union-attr]


def test_extra_arguments_are_ignored() -> None:
    assert fmt.format_string("~a", [1, 2]) == "1"


def test_simple_format() -> None:
    assert P["simple-format"](False, "~a ~s~%~~", "x", "y") == 'x "y"\n~'
    # guile: (simple-format #f "~d" 5) => error: Unsupported format option ~d
    with pytest.raises(SchemeError):
        P["simple-format"](False, "~d", 5)

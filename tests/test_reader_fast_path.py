"""The reader's fast path (``reader._build``, no Lark) gives exactly what the grammar path
gives: the same data, the same source locations, the same stopping point of ``read_first``;
anything it does not take falls back to the grammar with the grammar's errors."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from schemy.lang import reader
from schemy.lang.datum import Char, Keyword, Pair, Symbol
from schemy.lang.errors import ReadError

ROOT = Path(__file__).resolve().parent.parent


def grammar_read(text: str, filename: str = "f.scm", start: int = 0, mode: int = 0) -> tuple[list, int]:
    src = reader._Source(text, filename, start, mode)
    data = reader._get_parser().parse(src)
    return data, src.stop


def fast_read(text: str, filename: str = "f.scm", start: int = 0, mode: int = 0) -> tuple[list, int]:
    src = reader._Source(text, filename, start, mode)
    return reader._build(src), src.stop


def identical(a: Any, b: Any) -> bool:
    """Same classes, values and locations all the way down (lists walked iteratively)."""
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if x.__class__ is not y.__class__:
            return False
        if x.__class__ is Pair:
            if x.loc != y.loc:
                return False
            todo.append((x.car, y.car))
            todo.append((x.cdr, y.cdr))
        elif isinstance(x, (list, tuple)):
            if len(x) != len(y):
                return False
            todo.extend(zip(x, y))
        elif isinstance(x, float):
            if not (x == y and math.copysign(1, x) == math.copysign(1, y) or math.isnan(x) and math.isnan(y)):
                return False
        elif isinstance(x, (Char, Keyword, Symbol)):
            if x is not y and x != y:
                return False
        elif x != y:
            return False
    return True


STDLIB = sorted((ROOT / "stdlib").rglob("*.scm"))


def test_every_stdlib_file_reads_the_same_both_ways_without_falling_back() -> None:
    assert STDLIB
    for path in STDLIB:
        text = path.read_text(encoding="utf-8")
        fast = fast_read(text, str(path))
        assert identical(fast, grammar_read(text, str(path))), path


def test_reading_stdlib_datum_by_datum_stops_where_the_grammar_stops() -> None:
    text = (ROOT / "stdlib" / "guix.scm").read_text(encoding="utf-8")
    pos = 0
    while True:
        fast = fast_read(text, "guix.scm", pos, mode=1)
        assert identical(fast, grammar_read(text, "guix.scm", pos, mode=1))
        if not fast[0]:
            break
        pos = fast[1]


CASES = [
    "(a b . c)", "[a (b) #(1 \"x\\ty\" #\\space) #vu8(1 2)]", "'a `(b ,c ,@d) #'e #`(f #,g #,@h)",
    "#~(a #$b #$@c #+d #+@e)", "(define (f x)\n\t(+ x 1.5 -2 1/3 #x1F #e1.5 +inf.0))", "#:key #:#{odd key}#",
    "#{odd symbol}# a.b -> ... 1+ - + -5abc", "#| block #| nested |# |# x ; comment\n y", "#t #f #true #false #nil",
    "((((deep))))", "(a . (b . (c)))", "'(a . 'b)", "x ; trailing comment", "", "  \n  ", "\"a\\\nb\"",
    "(. a)", "(f ( . (b c)))",
]


@pytest.mark.parametrize("text", CASES)
def test_common_syntax_reads_the_same_both_ways(text: str) -> None:
    assert identical(fast_read(text), grammar_read(text))


@pytest.mark.parametrize("text", ["(#;a b)", "#!fold-case ABC", "(a . #;b c)"])
def test_rare_syntax_is_left_to_the_grammar(text: str) -> None:
    with pytest.raises(reader._Fallback):
        fast_read(text)
    assert identical(reader.read(text, "f.scm"), grammar_read(text)[0])


@pytest.mark.parametrize("text", ["(a . b c)", "(. a b)", "(.)", "(a .)", "#(a . b)", "(a]", ")", "(a", "'",
                                  "#vu8(256)", ". a", "(a b", "\"abc"])
def test_malformed_text_gives_the_grammar_paths_error(text: str) -> None:
    with pytest.raises(ReadError) as fast_error:
        reader.read(text, "f.scm")
    with pytest.raises(ReadError) as grammar_error:
        try:
            grammar_read(text)
        except reader._unexpected as exc:
            raise reader._syntax_error(reader._Source(text, "f.scm"), exc) from None
    assert str(fast_error.value) == str(grammar_error.value)

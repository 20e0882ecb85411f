"""The reader against Guile 3's default reader: syntax, locations, errors, round trips."""

from __future__ import annotations

import math
import shutil
import subprocess
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemy.lang.datum import EOF_OBJECT, NIL, Char, Keyword, Pair, SourceLocation, Symbol, make_list, make_pair
from schemy.lang.errors import ReadError
from schemy.lang.printer import write_string
from schemy.lang.reader import is_complete, parse_number, read, read_first

S = Symbol


def one(text: str) -> Any:
    data = read(text)
    assert len(data) == 1, data
    return data[0]


def lst(*items: Any, tail: Any = NIL) -> Any:
    return make_list(items, tail)


def same(a: Any, b: Any) -> bool:
    """Structural equality for data: exactness, -0.0 and NaN count; lists are compared iteratively."""
    todo = [(a, b)]
    while todo:
        x, y = todo.pop()
        if x.__class__ is not y.__class__:
            return False
        if x.__class__ is Pair:
            todo.append((x.car, y.car))
            todo.append((x.cdr, y.cdr))
        elif x.__class__ is list:
            if len(x) != len(y):
                return False
            todo.extend(zip(x, y))
        elif x.__class__ is float:
            if not (x == y and math.copysign(1, x) == math.copysign(1, y) or (x != x and y != y)):
                return False
        elif x.__class__ is complex:
            todo.append((x.real, y.real))
            todo.append((x.imag, y.imag))
        elif x != y:
            return False
    return True


def read_error(text: str) -> ReadError:
    with pytest.raises(ReadError) as info:
        read(text, "t.scm")
    return info.value


def where(err: ReadError) -> tuple[int, int]:
    return err.loc.line, err.loc.column


# ---------------------------------------------------------------- lists and vectors


def test_reads_proper_list() -> None:
    assert same(one("(a b c)"), lst(S("a"), S("b"), S("c")))


def test_reads_empty_list() -> None:
    assert one("()") is NIL


def test_square_brackets_are_lists() -> None:
    assert same(one("[a (b) []]"), lst(S("a"), lst(S("b")), NIL))


def test_reads_dotted_pair() -> None:
    assert same(one("(a . b)"), make_pair(S("a"), S("b")))


def test_reads_improper_list() -> None:
    assert same(one("(1 2 . 3)"), lst(1, 2, tail=3))


def test_dotted_tail_that_is_a_list_flattens() -> None:
    assert same(one("(a . (b c))"), lst(S("a"), S("b"), S("c")))


@pytest.mark.parametrize("text,expected", [
    ("(. x)", S("x")),
    ("( . x)", S("x")),
    ("[. x]", S("x")),
    ("(. (a b))", lst(S("a"), S("b"))),
    ("(lambda* (. rest) rest)", lst(S("lambda*"), S("rest"), S("rest"))),
    ("(. #;1 x)", S("x")),  # a datum comment: the grammar path
    ("(#;1 . x)", S("x")),
])
def test_nothing_before_dot_reads_the_tail_as_guile_does(text: str, expected: Any) -> None:
    """Guile 3 reads `(. x)` as x (real configs write `(lambda* (. rest) ...)`)."""
    assert same(one(text), expected)


def test_nothing_before_dot_on_the_fast_path() -> None:
    from schemy.lang.reader import _build, _Source

    assert same(_build(_Source("(f (. x))", "<t>"))[0], lst(S("f"), S("x")))


def test_reads_vector() -> None:
    assert same(one('#(1 "a" #\\b (c))'), [1, "a", Char("b"), lst(S("c"))])


def test_reads_empty_vector() -> None:
    assert one("#()") == []


def test_reads_bytevector() -> None:
    value = one("#vu8(1 2 255)")
    assert isinstance(value, bytearray) and value == bytearray([1, 2, 255])


def test_reads_r7rs_bytevector_syntax() -> None:
    assert one("#u8(7)") == bytearray([7])


def test_reads_many_datums() -> None:
    assert same(read("a 1 \"s\" (x)"), [S("a"), 1, "s", lst(S("x"))])


def test_empty_text_reads_nothing() -> None:
    assert read("") == [] and read("  ; only a comment\n") == []


def test_very_deep_nesting_reads_without_recursion() -> None:
    depth = 100_000
    value = one("(" * depth + "x" + ")" * depth)
    for _ in range(depth):
        assert value.__class__ is Pair and value.cdr is NIL
        value = value.car
    assert value is S("x")


def test_very_long_list_reads() -> None:
    value = one("(" + " ".join(["1"] * 100_000) + ")")
    assert sum(value) == 100_000


# ---------------------------------------------------------------- booleans, characters


@pytest.mark.parametrize("text,value", [("#t", True), ("#f", False), ("#true", True), ("#false", False),
                                        ("#T", True), ("#F", False)])
def test_reads_booleans(text: str, value: bool) -> None:
    assert one(text) is value


def test_boolean_needs_no_delimiter_like_guile() -> None:
    assert same(read("#tru #t1"), [True, S("ru"), True, 1])


def test_nil_reads_as_false() -> None:
    assert one("#nil") is False


@pytest.mark.parametrize("text,ch", [
    ("#\\a", "a"), ("#\\A", "A"), ("#\\space", " "), ("#\\newline", "\n"), ("#\\nul", "\0"),
    ("#\\null", "\0"), ("#\\tab", "\t"), ("#\\return", "\r"), ("#\\linefeed", "\n"),
    ("#\\alarm", "\a"), ("#\\backspace", "\b"), ("#\\delete", "\x7f"), ("#\\escape", "\x1b"),
    ("#\\esc", "\x1b"), ("#\\page", "\f"), ("#\\vtab", "\v"), ("#\\del", "\x7f"), ("#\\sp", " "),
    ("#\\us", "\x1f"), ("#\\SPACE", " "), ("#\\x41", "A"), ("#\\x3bb", "λ"), ("#\\x", "x"),
    ("#\\101", "A"), ("#\\0", "0"), ("#\\λ", "λ"), ("#\\(", "("), ("#\\)", ")"), ("#\\;", ";"),
    ('#\\"', '"'), ("#\\#", "#"), ("#\\\\", "\\"), ("#\\ ", " "),
])
def test_reads_characters(text: str, ch: str) -> None:
    assert one(text) is Char(ch)


def test_delimiter_character_ends_at_once() -> None:
    assert same(read("#\\(a"), [Char("("), S("a")])


def test_combining_character_on_dotted_circle_reads_back() -> None:
    assert one("#\\\u25cc\u0301") is Char("\u0301")


# ---------------------------------------------------------------- strings


def test_string_is_plain_str() -> None:
    assert one('"hello"').__class__ is str


@pytest.mark.parametrize("text,value", [
    (r'"a\nb"', "a\nb"), (r'"\t\r"', "\t\r"), (r'"\\"', "\\"), (r'"\""', '"'), (r'"\a\b\f\v"', "\a\b\f\v"),
    (r'"\0"', "\0"), (r'"\(\|"', "(|"), (r'"\x41"', "A"), (r'"\x41;"', "A;"), (r'"\u00e9"', "é"),
    (r'"\U01F600"', "\U0001F600"), ('"line1\nline2"', "line1\nline2"),
])
def test_string_escapes(text: str, value: str) -> None:
    assert one(text) == value


def test_backslash_newline_joins_lines_keeping_indentation_like_guile() -> None:
    assert one('"a\\\n    b"') == "a    b"


def test_string_hex_escape_takes_exactly_two_digits() -> None:
    assert one(r'"\x414"') == "A4"


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize("text,value", [
    ("42", 42), ("-5", -5), ("+5", 5), ("0", 0), ("-0", 0), ("00012", 12),
    ("123456789012345678901234567890", 123456789012345678901234567890),
    ("1/3", Fraction(1, 3)), ("4/2", 2), ("-6/4", Fraction(-3, 2)), ("+1/2", Fraction(1, 2)),
    ("2.5", 2.5), ("1e3", 1000.0), (".5", 0.5), ("-0.0", -0.0), ("1.", 1.0), ("+.5", 0.5),
    ("1E3", 1000.0), ("1d3", 1000.0), ("1s3", 1000.0), ("1f3", 1000.0), ("1l3", 1000.0),
    ("1e-3", 0.001), ("1.5e-7", 1.5e-7),
    ("#x1F", 31), ("#X1f", 31), ("#b101", 5), ("#o17", 15), ("#d10", 10), ("#x-ff", -255),
    ("#e1.5", Fraction(3, 2)), ("#i1/2", 0.5), ("#x#e1F", 31), ("#e#x1F", 31), ("#x1F/2", Fraction(31, 2)),
    ("#e1e3", 1000), ("#e.1", Fraction(1, 10)), ("#i3", 3.0), ("#i#x10", 16.0), ("#x#i10", 16.0),
    ("1+2i", complex(1, 2)), ("+i", complex(0, 1)), ("-i", complex(0, -1)), ("1-i", complex(1, -1)),
    ("1+2.5i", complex(1, 2.5)),
    ("1/2+3/4i", complex(0.5, 0.75)), ("1+0i", 1), ("1.0+0i", 1.0), ("1+0.0i", complex(1, 0.0)),
    ("1@0", 1),
])
def test_reads_numbers(text: str, value: Any) -> None:
    assert same(one(text), value)


def test_reads_infinities_and_nan() -> None:
    assert one("+inf.0") == math.inf and one("-inf.0") == -math.inf
    assert math.isnan(one("+nan.0")) and math.isnan(one("-nan.0"))


def test_huge_integer_beyond_python_str_limit() -> None:
    digits = "7" * 5000
    value = one(digits)
    assert value % 10 == 7 and len(write_string(value)) == 5000


@pytest.mark.parametrize("text", ["1/0", "0/0", "1/-2", "1/2/3", "1.2.3", "1e", "1+", "+inf", "inf.0",
                                  "1/2e2", "+.", "-.a", "1a"])
def test_number_like_tokens_that_are_symbols(text: str) -> None:
    assert one(text) is S(text)


def test_parse_number_is_string_to_number() -> None:
    assert parse_number("#xff") == 255 and parse_number("abc") is None and parse_number("#e#e1") is None


# ---------------------------------------------------------------- symbols and keywords


@pytest.mark.parametrize("name", ["%base-services", "->string", "a.b", "1+", "-", "+", "...", "..", "|foo|",
                                  "|a", "a|b", "x#y", "a'b", "a,b", "{a}", "λ", ".a", "+a", "-a"])
def test_reads_symbols(name: str) -> None:
    assert one(name) is S(name)


def test_bar_is_an_ordinary_symbol_character() -> None:
    assert same(read("|a b|"), [S("|a"), S("b|")])


@pytest.mark.parametrize("text,name", [
    ("#{odd symbol}#", "odd symbol"), ("#{}#", ""), (r"#{a\x41;b}#", "aAb"), ("#{a}b}#", "a}b"),
    (r"#{a\ b}#", "a b"), ("#{1}#", "1"), ("#{.}#", "."),
])
def test_reads_extended_symbols(text: str, name: str) -> None:
    assert one(text) is S(name)


def test_reads_keywords() -> None:
    assert one("#:key") is Keyword("key") and one("#:a.b") is Keyword("a.b")


def test_reads_extended_keyword() -> None:
    assert one("#:#{a b}#") is Keyword("a b")


def test_keyword_ends_at_delimiter() -> None:
    assert same(read("#:a(b)"), [Keyword("a"), lst(S("b"))])


def test_fold_case_directive_lowers_symbols() -> None:
    assert same(read("ABC #!fold-case DEF #!no-fold-case GHI"), [S("ABC"), S("def"), S("GHI")])


# ---------------------------------------------------------------- abbreviations


@pytest.mark.parametrize("text,head", [
    ("'x", "quote"), ("`x", "quasiquote"), (",x", "unquote"), (",@x", "unquote-splicing"),
    ("#'x", "syntax"), ("#`x", "quasisyntax"), ("#,x", "unsyntax"), ("#,@x", "unsyntax-splicing"),
    ("#~x", "gexp"), ("#$x", "ungexp"), ("#$@x", "ungexp-splicing"), ("#+x", "ungexp-native"),
    ("#+@x", "ungexp-native-splicing"),
])
def test_abbreviations(text: str, head: str) -> None:
    assert same(one(text), lst(S(head), S("x")))


def test_abbreviation_allows_whitespace_before_datum() -> None:
    assert same(one("' x"), lst(S("quote"), S("x")))


def test_nested_abbreviations() -> None:
    assert same(one("`(a ,b ,@c)"), lst(S("quasiquote"), lst(S("a"), lst(S("unquote"), S("b")),
                                                           lst(S("unquote-splicing"), S("c")))))


def test_gexp_with_ungexps() -> None:
    assert same(one("#~(f #$x #$@y)"), lst(S("gexp"), lst(S("f"), lst(S("ungexp"), S("x")),
                                                          lst(S("ungexp-splicing"), S("y")))))


# ---------------------------------------------------------------- comments


def test_line_comment() -> None:
    assert same(read("a ; comment ( \"\nb"), [S("a"), S("b")])


def test_nested_block_comment() -> None:
    assert same(read("a #| x #| y |# z |# b"), [S("a"), S("b")])


def test_datum_comment() -> None:
    assert same(read("#;(a b) c"), [S("c")])


def test_datum_comment_before_close_paren() -> None:
    assert same(one("(a #;b)"), lst(S("a")))


def test_stacked_datum_comments() -> None:
    assert same(one("(#; #; a b c)"), lst(S("c")))


def test_datum_comment_after_abbreviation() -> None:
    assert same(one("'#;a b"), lst(S("quote"), S("b")))


def test_datum_comments_around_dotted_tail() -> None:
    assert same(one("(a . #;b c #;d)"), make_pair(S("a"), S("c")))


def test_script_header_comment() -> None:
    assert same(read("#!/usr/bin/env guile\n-s\n!#\n(display 1)"), [lst(S("display"), 1)])


def test_block_comment_inside_token_is_part_of_it() -> None:
    assert one("a#|x|#b") is S("a#|x|#b")


# ---------------------------------------------------------------- locations


def test_list_location_is_its_open_paren() -> None:
    value = read("\n  (a b)", "f.scm")[0]
    assert value.loc == SourceLocation("f.scm", 2, 2)


def test_every_spine_pair_shares_the_head_location() -> None:
    value = one("(a b c)")
    assert value.loc is value.cdr.loc is value.cdr.cdr.loc


def test_nested_list_locations() -> None:
    value = read("(a\n  (b c))", "f.scm")[0]
    assert value.cdr.car.loc == SourceLocation("f.scm", 2, 2)


def test_abbreviation_location_is_the_prefix_char() -> None:
    value = read("x\n 'y", "f.scm")[1]
    assert value.loc == SourceLocation("f.scm", 2, 1)


def test_tabs_advance_columns_to_multiples_of_eight_like_guile() -> None:
    value = read("(a\n  \t(b))", "f.scm")[0]
    assert value.cdr.car.loc == SourceLocation("f.scm", 2, 8)


def test_vector_and_bytevector_are_plain_python_values() -> None:
    assert not hasattr(one("#(1)"), "loc") and not hasattr(one("#vu8(1)"), "loc")


# ---------------------------------------------------------------- errors


def test_unbalanced_close_paren_points_at_it() -> None:
    err = read_error("(a))")
    assert "unexpected ')'" in err.message() and where(err) == (1, 3)


def test_missing_close_paren_names_the_open_one() -> None:
    err = read_error("(a)\n(b\n  (c d)\n")
    assert err.message() == "unexpected end of file: missing ')' for the list opened at 2:0"
    assert err.loc == SourceLocation("t.scm", 2, 0)


def test_missing_close_paren_reports_innermost_and_hints_outer() -> None:
    err = read_error("(define (f)\n  (g (h x)")
    assert where(err) == (2, 2) and "1:0" in (err.hint() or "")


def test_missing_close_paren_points_at_the_form_the_indentation_says_is_unclosed() -> None:
    text = ("(operating-system\n"
            "  (services\n"
            "   (cons* (service a\n"
            "                   (conf\n"
            "                    (x 1))\n"
            "          (service b)\n"
            "          %base-services)))\n")
    err = read_error(text)
    assert err.message() == "unexpected end of file: missing ')' for the list opened at 3:10"
    assert err.hint() == "line 6 is indented as if this form ended before it"


def test_indentation_heuristic_ignores_strings_comments_and_closing_lines() -> None:
    text = ("(define (f)\n"
            "  (g \"(\n"
            "(\" ; (\n"
            "     #\\( x)\n"
            "  )\n"
            "(h\n")
    err = read_error(text)
    assert err.message() == "unexpected end of file: missing ')' for the list opened at 6:0"


def test_mismatched_bracket() -> None:
    err = read_error("(a\n  b]")
    assert "mismatched close paren" in err.message() and where(err) == (2, 3)
    assert "'(' opened at 1:0" in err.message()


def test_unknown_hash_syntax() -> None:
    err = read_error("  #q")
    assert err.message() == "unknown # syntax: #q" and where(err) == (1, 2)


def test_unspecified_object_syntax_is_an_error() -> None:
    assert "unknown # syntax" in read_error("#<unspecified>").message()


def test_bad_string_escape_points_at_backslash() -> None:
    err = read_error('"abc\\qdef"')
    assert "\\q" in err.message() and where(err) == (1, 4)


def test_short_hex_escape_is_an_error() -> None:
    assert where(read_error('"\\x4"')) == (1, 1)


def test_unterminated_string_points_at_its_start() -> None:
    err = read_error('x\n  "abc\ndef')
    assert "unterminated string" in err.message() and where(err) == (2, 2)


def test_unterminated_block_comment_points_at_its_start() -> None:
    err = read_error("a\n #| x #| y |# z")
    assert "unterminated #|" in err.message() and where(err) == (2, 1)


def test_bad_character_name() -> None:
    err = read_error("(#\\zzz)")
    assert err.message() == "unknown character name: #\\zzz" and where(err) == (1, 1)


def test_character_code_out_of_range() -> None:
    assert "invalid character code" in read_error("#\\x110000").message()


@pytest.mark.parametrize("text,column,fragment", [
    ("(a . b c)", 7, "more than one datum after '.'"),
    ("(a .)", 4, "after '.'"),
    ("(.)", 2, "after '.'"),
    ("(. a b)", 5, "more than one datum after '.'"),
    (". a", 0, "outside a list"),
    ("#(1 . 2)", 4, "in a vector"),
])
def test_misplaced_dot(text: str, column: int, fragment: str) -> None:
    err = read_error(text)
    assert fragment in err.message() and where(err) == (1, column)


def test_abbreviation_without_datum() -> None:
    err = read_error("(a ')")
    assert err.message() == "unexpected ')' after '" and where(err) == (1, 4)


def test_abbreviation_at_end_of_file() -> None:
    err = read_error("x '")
    assert "end of file after '" in err.message() and where(err) == (1, 2)


def test_datum_comment_without_datum() -> None:
    assert "after #;" in read_error("(a #;)").message()


def test_bytevector_element_out_of_range() -> None:
    assert "not a byte: 256" in read_error("#vu8(1 256)").message()


def test_number_exponent_out_of_range_like_guile() -> None:
    assert "out of range" in read_error("1e400").message()


def test_bad_radix_number() -> None:
    assert read_error("#b102").message() == "invalid number syntax: #b102"


def test_keyword_needs_a_symbol() -> None:
    assert "not followed by a symbol" in read_error("#:1").message()


def test_unsupported_uniform_vector() -> None:
    assert "unsupported" in read_error("#f32(1 2)").message()


def test_error_filename_in_location() -> None:
    assert read_error(")").loc.filename == "t.scm"


# ---------------------------------------------------------------- read_first and is_complete


def test_read_first_returns_datum_and_end_offset() -> None:
    datum, end = read_first("  (a b) c")
    assert same(datum, lst(S("a"), S("b"))) and end == 7


def test_read_first_from_offset() -> None:
    datum, end = read_first("(a b) c d", start=5)
    assert datum is S("c") and end == 7


def test_read_first_stops_before_later_errors() -> None:
    assert read_first("a )")[0] is S("a")


def test_read_first_skips_datum_comments() -> None:
    datum, end = read_first("#;a 'b c")
    assert same(datum, lst(S("quote"), S("b"))) and end == 6


def test_read_first_at_end_gives_eof() -> None:
    assert read_first("x ; done\n", start=1) == (EOF_OBJECT, 9)


def test_read_first_locations_count_earlier_lines() -> None:
    text = "(a)\n(b)\n  (c)"
    _, end = read_first(text, "f.scm")
    _, end = read_first(text, "f.scm", end)
    datum, _ = read_first(text, "f.scm", end)
    assert datum.loc == SourceLocation("f.scm", 3, 2)


def test_read_first_iterates_a_whole_text() -> None:
    text = "1 (2 3) \"four\" #(5) 'six"
    found, pos = [], 0
    while True:
        datum, pos = read_first(text, start=pos)
        if datum is EOF_OBJECT:
            break
        found.append(datum)
    assert same(found, read(text))


@pytest.mark.parametrize("text,complete", [
    ("(a b)", True), ("(a (b", False), ('"abc', False), ("#| x", False), ("'", False), ("#;", False),
    ("(a))", True), ("#q", True), ("", True), ("; comment", True), ("(a ; comment\n", False),
    ("#{abc", False), ("(a \"b)\"", False), ("[a (b)]", True),
])
def test_is_complete(text: str, complete: bool) -> None:
    assert is_complete(text) is complete


# ---------------------------------------------------------------- round trips

ROUND_TRIP = [
    "(a b . c)", "(1 (2 (3)) #(4 \"five\") #vu8(6 7))", "(quote x)", "(quasiquote (a (unquote b)))",
    "#(#() () \"\")", "(#\\a #\\space #\\nul #\\x7f #\\é #\\x2028)", '"tab\\there \\"q\\" \\\\ \\x01 é"',
    "(#:key #:#{odd key}# #{odd sym}# |bar| %x ->y)", "(1/3 -7/2 2.5 -0.0 1e100 1e-10 +inf.0 -inf.0)",
    "(1.0+2.0i 0.0-1.5i 123456789012345678901234567890)", "(#t #f)",
]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_write_then_read_round_trips(text: str) -> None:
    value = one(text)
    assert same(one(write_string(value)), value)


# ---------------------------------------------------------------- properties

_names = st.text(max_size=8)
_atoms = st.one_of(
    _names.map(Symbol),
    _names.map(Keyword),
    st.characters().map(Char),
    st.text(max_size=12),
    st.integers(),
    st.integers(min_value=-10**40, max_value=10**40),
    st.fractions().filter(lambda f: f.denominator != 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.binary(max_size=6).map(bytearray),
    st.builds(complex, st.floats(allow_nan=False, allow_infinity=False),
              st.floats(allow_nan=False, allow_infinity=False)),
)


def _compound(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(
        st.lists(children, max_size=5).map(lambda xs: make_list(xs)),
        st.tuples(st.lists(children, min_size=1, max_size=4), children.filter(
            lambda t: t is not NIL and t.__class__ is not Pair)).map(lambda p: make_list(p[0], p[1])),
        st.lists(children, max_size=5),
    )


_data = st.recursive(_atoms, _compound, max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(_data)
def test_property_written_data_reads_back(value: Any) -> None:
    assert same(one(write_string(value)), value)


_noisy_text = st.text(alphabet=st.sampled_from(list("()[]#'`,@;|\\\".{}:~$+-!eix0123456789abt \n\tλ/")),
                      max_size=40)


@settings(max_examples=300, deadline=None)
@given(_noisy_text)
def test_property_random_text_raises_only_read_errors(text: str) -> None:
    try:
        read(text)
    except ReadError:
        pass
    try:
        read_first(text)
    except ReadError:
        pass
    is_complete(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_property_any_unicode_text_raises_only_read_errors(text: str) -> None:
    try:
        read(text)
    except ReadError:
        pass


# ---------------------------------------------------------------- against Guile

GUILE = shutil.which("guile")


@pytest.mark.skipif(GUILE is None, reason="guile is not installed: apt-get install guile-3.0")
def test_reads_like_guile() -> None:
    texts = ["(a b . c)", "[1 2]", "#(1 #t #\\x41)", '"a\\x41;b"', "#e1.5", "#i1/2", "#x#e1F", "1+2i",
             "+i", "4/2", "-0.0", "1e21", "|a", "a.b", "#{odd symbol}#", "#:key", "'x", "#,@x",
             "(#; #; a b c)", "(a . #;b c)", "#\\101", "#\\nul", "1/0", "1e3", ".5", "#true", "`(a ,@b)"]
    program = ("(for-each (lambda (s) (write (call-with-input-string s read)) (newline)) (quote ("
               + " ".join(write_string(t) for t in texts) + ")))")
    out = subprocess.run([GUILE, "--no-auto-compile", "-c", program], capture_output=True, timeout=60)
    expected = out.stdout.decode("utf-8").split("\n")[:len(texts)]
    assert [write_string(one(t)) for t in texts] == expected


# ---------------------------------------------------------------- the parser itself


def test_grammar_is_conflict_free() -> None:
    from lark import Lark

    from schemy.lang import reader

    reader._get_parser()
    lexer_class = type(reader._parser.parser.lexer)
    Lark(reader.GRAMMAR_PATH.read_text(encoding="utf-8"), parser="lalr", lexer=lexer_class,
         transformer=reader._Builder(), strict=True)


def test_only_the_rare_syntax_imports_lark() -> None:
    import sys

    code = ("import sys, schemy.lang.reader as r, schemy.lang.printer; r.is_complete('(a'); "
            "assert 'lark' not in sys.modules; r.read('(x [y] #(1) \\'z)'); assert 'lark' not in sys.modules; "
            "r.read('(#;x y)'); assert 'lark' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)

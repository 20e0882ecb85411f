"""Strings, SRFI-13 and the minimal char-sets (expected values from Guile 3.0 with (srfi srfi-13))."""

from __future__ import annotations

import pytest

from schemy.lang.datum import NIL, UNSPECIFIED, Char, MString, Symbol, make_list
from schemy.lang.errors import SchemeError
from schemy.runtime.primitives import chars, equality, strings

P = strings.PRIMITIVES
CH = chars.PRIMITIVES
C = Char


def L(*items: object) -> object:
    return make_list(items)


def eq(a: object, b: object) -> bool:
    return equality.is_equal(a, b)


def kind(exc: pytest.ExceptionInfo[SchemeError]) -> str:
    cond = exc.value.condition
    assert cond is not None
    return cond.kind


alpha = CH["char-alphabetic?"]
upper = CH["char-upper-case?"]


# Each row: (procedure, arguments, Guile's answer).  Checked with
#   guile -c '(use-modules (srfi srfi-13)) (write (PROC ARGS...))'
GUILE_RESULTS = [
    ("string-length", ("héllo",), 5), ("string-ref", ("abc", 1), C("b")), ("substring", ("hello", 1), "ello"),
    ("substring", ("hello", 1, 3), "el"), ("string-append", ("a", MString("b"), "c"), "abc"),
    ("string->list", ("abc", 1), L(C("b"), C("c"))), ("list->string", (L(C("a"), C("b")),), "ab"),
    ("reverse-list->string", (L(C("a"), C("b")),), "ba"), ("string-null?", ("",), True),
    ("string=?", ("a",), True), ("string<?", ("a", "b", "c"), True), ("string<?", ("abc", "abd"), True),
    ("string>?", ("b", "a"), True), ("string=?", ("a", MString("a")), True),
    ("string-ci=?", ("aB", "Ab"), True),
    ("string-upcase", ("straße",), "STRAßE"), ("string-downcase", ("ΣΑΣ",), "σασ"),
    ("string-upcase", ("abc", 1), "aBC"),
    ("string-titlecase", ("hello wORLD foo-bar",), "Hello World Foo-Bar"),
    ("string-titlecase", ("don't x1y",), "Don'T X1Y"),
    ("string-titlecase", ("HELLO",), "Hello"), ("string-foldcase", ("ABC",), "abc"),
    ("string-join", (L("a", "b"),), "a b"), ("string-join", (L("a", "b"), ", ", Symbol("suffix")), "a, b, "),
    ("string-join", (L("a"), "-", Symbol("prefix")), "-a"), ("string-join", (L("a", "b"), ""), "ab"),
    ("string-split", ("a:b::c", C(":")), L("a", "b", "", "c")), ("string-split", ("", C(":")), L("")),
    ("string-split", ("a b", CH["char-whitespace?"]), L("a", "b")),
    ("string-index", ("abc", C("b")), 1), ("string-index", ("abc", upper), False),
    ("string-index", ("abcabc", C("c"), 3), 5),
    ("string-rindex", ("abcb", C("b")), 3), ("string-index-right", ("abcb", C("b")), 3),
    ("string-contains", ("hello", "ll"), 2), ("string-contains", ("hello", ""), 0),
    ("string-contains", ("abcabc", "c", 3), 5),
    ("string-contains", ("hello", "z"), False), ("string-contains-ci", ("HELLO", "ll"), 2),
    ("string-pad", ("abc", 5), "  abc"), ("string-pad", ("abcdef", 3), "def"),
    ("string-pad", ("abc", 5, C("*"), 1), "***bc"),
    ("string-pad-right", ("abcdef", 3), "abc"), ("string-pad-right", ("ab", 4, C("*")), "ab**"),
    ("string-trim", ("  a  ",), "a  "), ("string-trim-right", ("  a  ",), "  a"),
    ("string-trim-both", ("xxaxx", C("x")), "a"),
    ("string-trim", ("xxaxx", alpha), ""),
    ("string-filter", (alpha, "a1b2"), "ab"), ("string-delete", (alpha, "a1b2"), "12"),
    ("string-delete", (C("a"), "banana"), "bnn"),
    ("string-tokenize", ("hello  world  ",), L("hello", "world")),
    ("string-map", (CH["char-upcase"], "abc"), "ABC"),
    ("string-fold", (lambda c, acc: make_list([c], acc), NIL, "abc"), L(C("c"), C("b"), C("a"))),
    ("string-fold-right", (lambda c, acc: make_list([c], acc), NIL, "abc"), L(C("a"), C("b"), C("c"))),
    ("string-reverse", ("abc",), "cba"), ("string-take", ("abc", 2), "ab"), ("string-drop", ("abc", 2), "c"),
    ("string-take-right", ("abc", 2), "bc"), ("string-drop-right", ("abc", 2), "a"),
    ("string-count", ("banana", C("a")), 3), ("string-skip", ("  ab", C(" ")), 2),
    ("string-skip-right", ("ab  ", C(" ")), 1),
    ("string-skip", ("abc", alpha), False),
    ("string-any", (upper, "abC"), True), ("string-every", (upper, ""), True),
    ("string-any", (upper, ""), False),
    ("string-every", (lambda c: c, "ab"), C("b")),
    ("string-concatenate", (L("a", "b"),), "ab"), ("string-concatenate-reverse", (L("a", "b"),), "ba"),
    ("string-concatenate-reverse", (L("a", "b"), "c", 1), "bac"),
    ("string-prefix?", ("ab", "abc"), True), ("string-prefix?", ("abc", "ab"), False),
    ("string-suffix?", ("bc", "abc"), True),
    ("string-prefix-ci?", ("AB", "abc"), True), ("string-suffix-ci?", ("BC", "abc"), True),
    ("string-replace", ("abcd", "XY", 1, 3), "aXYd"),
    ("string-replace-substring", ("a-b-c", "-", "+"), "a+b+c"),
    ("string-tabulate", (lambda i: C("a"), 3), "aaa"), ("string-copy", ("hello", 1, 3), "el"),
    ("string-prefix-length", ("abcd", "abxy"), 2), ("string-suffix-length", ("xbcd", "abcd"), 3),
]


@pytest.mark.parametrize(("name", "args", "expected"), GUILE_RESULTS, ids=lambda v: repr(v)[:30])
def test_matches_guile(name: str, args: tuple, expected: object) -> None:
    result = P[name](*args)
    assert eq(result, expected), result
    assert result.__class__ is expected.__class__ or isinstance(result, MString)


def test_make_string_is_mutable_and_nul_filled() -> None:
    s = P["make-string"](2)
    assert isinstance(s, MString) and str(s) == "\x00\x00"  # guile: (make-string 2) => "\x00\x00"
    P["string-set!"](s, 0, C("x"))
    assert str(s) == "x\x00"


def test_string_and_string_copy_return_mutable_strings() -> None:
    assert isinstance(P["string"](C("a"), C("b")), MString)
    assert isinstance(P["string-copy"]("ab"), MString)


def test_string_set_on_literal_is_read_only() -> None:
    # guile (compiled): (string-set! "abc" 0 #\x) => string is read-only: "abc"
    with pytest.raises(SchemeError) as exc:
        P["string-set!"]("abc", 0, C("x"))
    assert "read-only" in exc.value.condition.message  # type: ignore[union-attr]


def test_string_ref_out_of_range() -> None:
    # guile (compiled): (string-ref "abc" 5) => In procedure string-ref: Argument 2 out of range: 5
    with pytest.raises(SchemeError) as exc:
        P["string-ref"]("abc", 5)
    assert kind(exc) == "out-of-range"


def test_substring_bad_range() -> None:
    with pytest.raises(SchemeError) as exc:
        P["substring"]("hello", 3, 2)
    assert kind(exc) == "out-of-range"


@pytest.mark.parametrize(("name", "args"), [
    ("string-length", (5,)), ("string-append", ("a", 5)), ("string", ("ab",)), ("list->string", (L(1),)),
    ("string=?", ("a", 1)), ("string-ref", (5, 0)),
])
def test_wrong_type(name: str, args: tuple) -> None:
    with pytest.raises(SchemeError) as exc:
        P[name](*args)
    assert kind(exc) == "wrong-type-arg"


def test_string_fill_and_copy_bang() -> None:
    s = P["make-string"](3, C("a"))
    assert P["string-fill!"](s, C("b"), 1) is UNSPECIFIED
    assert str(s) == "abb"
    P["string-copy!"](s, 1, "xy")
    assert str(s) == "axy"
    with pytest.raises(SchemeError):
        P["string-copy!"](P["make-string"](2), 0, "abc")


def test_string_upcase_bang_mutates() -> None:
    s = MString("abc")
    P["string-upcase!"](s)
    assert str(s) == "ABC"


def test_string_join_strict_infix_needs_elements() -> None:
    # guile: (string-join '() ", " 'strict-infix) => error
    with pytest.raises(SchemeError):
        P["string-join"](NIL, ", ", Symbol("strict-infix"))


def test_string_filter_accepts_old_argument_order() -> None:
    assert P["string-filter"]("a1b2", alpha) == "ab"


def test_string_map_and_for_each_with_several_strings() -> None:
    # R7RS: (string-map (lambda (a b) a) "abc" "de") => "ab"
    assert P["string-map"](lambda a, b: a, "abc", "de") == "ab"
    seen: list[str] = []
    P["string-for-each"](lambda a, b: seen.append(a.ch + b.ch), "abc", "de")
    assert seen == ["ad", "be"]


def test_string_map_with_start_end() -> None:
    assert P["string-map"](CH["char-upcase"], "abcd", 1, 3) == "BC"


def test_string_hash_is_stable_and_bounded() -> None:
    h = P["string-hash"]("abc")
    assert h == P["string-hash"](MString("abc"))
    assert 0 <= P["string-hash"]("abc", 10) < 10


def test_char_sets() -> None:
    cs = P["char-set"](C("a"), C("b"))
    assert P["char-set?"](cs) is True
    assert P["char-set-contains?"](cs, C("a")) is True
    assert P["char-set-contains?"](P["char-set-complement"](cs), C("a")) is False
    assert P["char-set-contains?"](P["char-set:whitespace"], C(" ")) is True
    assert P["char-set-contains?"](P["char-set-union"](cs, P["char-set:digit"]), C("7")) is True
    # guile: (string-tokenize "a,b,,c" (char-set-complement (char-set #\,))) => ("a" "b" "c")
    not_comma = P["char-set-complement"](P["char-set"](C(",")))
    assert eq(P["string-tokenize"]("a,b,,c", not_comma), L("a", "b", "c"))
    assert eq(P["string-tokenize"]("a b", P["char-set:letter"]), L("a", "b"))


def test_char_set_printing_uses_ranges() -> None:
    # guile: (display (char-set #\a #\b #\x)) => #<charset {#\a..#\b #\x}>
    cs = P["char-set"](C("a"), C("b"), C("x"))
    assert cs.__scheme_repr__(False) == "#<charset {#\\a..#\\b #\\x}>"


def test_substring_range_messages_follow_guile() -> None:
    # guile: (substring "abc" 2 1) => Value out of range 2 to< 3: 1
    with pytest.raises(SchemeError) as exc:
        P["substring"]("abc", 2, 1)
    assert exc.value.condition.describe().endswith("Value out of range 2 to< 3: 1")  # type: ignore[union-attr]


def test_string_append_error_has_no_position() -> None:
    # guile: (string-append "a" 5) => In procedure string-append: Wrong type (expecting string): 5
    with pytest.raises(SchemeError) as exc:
        P["string-append"]("a", 5)
    assert exc.value.condition.message == "Wrong type (expecting string): 5"  # type: ignore[union-attr]


def test_srfi13_comparisons_with_ranges() -> None:
    # guile: (string< "ab" "ac") => #t ; (string= "xab" "ab" 1) => #t ; (string<> "ab" "ac") => #t
    assert P["string<"]("ab", "ac") is True
    assert P["string<"]("b", "a") is False
    assert P["string="]("xab", "ab", 1) is True
    assert P["string<>"]("ab", "ac") is True
    assert P["string-ci<"]("A", "b") is True


def test_string_compare_calls_with_mismatch_index() -> None:
    # guile: (string-compare "abc" "abd" (lambda (i) (list 'lt i)) ...) => (lt 2)
    result = P["string-compare"]("abc", "abd", lambda i: ("lt", i), lambda i: ("eq", i), lambda i: ("gt", i))
    assert result == ("lt", 2)

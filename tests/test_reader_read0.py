"""The reader on the inputs of the R7RS benchmark suite's read0 program (our own copies of
its cases), against GNU Guile 3.0.8: where Guile reads a datum schemy reads the same one
(from source text and from a port alike); where Guile rejects the text, schemy follows R7RS."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from schemy.app import Interpreter
from schemy.lang import reader
from schemy.lang.datum import make_list
from schemy.lang.errors import ReadError
from schemy.lang.printer import write_string
from schemy.lang.reader import read

GUILE = shutil.which("guile")
needs_guile = pytest.mark.skipif(GUILE is None, reason="guile is not installed: apt-get install guile-3.0")


def shown(text: str) -> str:
    """All the data of ``text`` as Guile's probe below writes them, or ERROR."""
    try:
        return write_string(make_list(read(text)))
    except ReadError:
        return "ERROR"


def by_port(interp: Interpreter, text: str) -> str:
    """The same through the Scheme ``read`` procedure on a string port."""
    program = ("(let ((p (open-input-string " + write_string(text) + "))) "
               "(let loop ((acc '())) (let ((x (guard (e (#t 'ERROR)) (read p)))) "
               "(cond ((eq? x 'ERROR) x) ((eof-object? x) (reverse acc)) (else (loop (cons x acc)))))))")
    return write_string(interp.eval_string(program))


def guile_reads(texts: list[str], options: str = "") -> list[str]:
    program = (options + "(for-each (lambda (s) (write (catch #t (lambda () (let ((p (open-input-string s))) "
               "(let loop ((acc '())) (let ((x (read p))) (if (eof-object? x) (reverse acc) (loop (cons x acc)))))))"
               " (lambda _ 'ERROR))) (newline)) (quote (" + " ".join(write_string(t) for t in texts) + ")))")
    out = subprocess.run([GUILE, "--no-auto-compile", "-c", program], capture_output=True, timeout=60)
    return out.stdout.decode("utf-8").split("\n")[:len(texts)]


# Inputs of read0 (and neighbours) on which Guile gives an answer.
GUILE_CASES = [
    ")(", "abc;def", "a|b", "a\\Bc", "(1 2 3 .c)", "(1 2 3 . c)", ".a", "\u03bb \U00010000",
    "(\u03bb () 42)\n", '"abc""def"', '"\\a\\b\\t\\n\\r"', '"\\"\\\\"',
    # Literal line endings inside strings stay as they are (R7RS and Guile; R6RS maps them to \n).
    '"\n\r\r\n\x85\r\x85\u2028"', '"\n \r \r\n \x85 \r\x85 \u2028"',
    "#\\null #\\alarm #\\backspace #\\tab #\\newline", "#\\return #\\escape #\\space #\\delete",
    "#\\x61 #\\x3bb #\\xffff #\\x10ffff", "#\\a #\\b #\\c", "\\x3bb;",
]


@needs_guile
def test_read0_inputs_read_as_guile_reads_them() -> None:
    assert [shown(t) for t in GUILE_CASES] == guile_reads(GUILE_CASES)


@needs_guile
def test_read0_inputs_read_from_a_port_as_from_source() -> None:
    interp = Interpreter()
    assert [by_port(interp, t) for t in GUILE_CASES] == [shown(t) for t in GUILE_CASES]


@needs_guile
def test_bar_symbol_escapes_read_as_guile_reads_them(monkeypatch) -> None:
    cases = ["|a\\x41;b|", "|\\t|", "|\\n|", "|\\||", "|\\\\|", "|a\\\nb|", "|aBc|", "|a b|"]
    monkeypatch.setattr(reader, "OPTIONS", {"r7rs-symbols"})
    assert [shown(t) for t in cases] == guile_reads(cases, "(read-enable 'r7rs-symbols)")


def test_characters_directly_followed_by_a_hash_end_there() -> None:
    # R7RS lets `#\a` end before a non-delimiter; Guile rejects `#\a#\b#\c` as one name.
    assert shown("#\\a#\\b#\\c") == "(#\\a #\\b #\\c)"
    assert shown("#\\x41#t") == "(#\\A #t)"


def test_a_character_name_containing_a_hash_is_still_an_error_when_no_prefix_is_one() -> None:
    with pytest.raises(ReadError, match="unknown character name"):
        read("#\\nope#x")


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\x85", "\r\x85", "\u2028"])
def test_backslash_before_any_line_ending_continues_the_string(ending: str) -> None:
    # Guile knows only backslash-linefeed and rejects these; R7RS/R6RS line endings.
    assert read('"a\\' + ending + 'b"') == ["ab"]


def test_backslash_line_ending_keeps_the_indentation_unless_hungry(monkeypatch) -> None:
    assert read('"a\\\r\n  b"') == ["a  b"]
    monkeypatch.setattr(reader, "OPTIONS", {"hungry-eol-escapes"})
    assert read('"a\\\r\n  b"') == ["ab"]


def test_inline_hex_escapes_in_bare_symbols_with_r7rs_symbols(monkeypatch) -> None:
    # R7RS 7.1.1 <initial> -> <inline hex escape>; Guile reads the symbol \x3bb and a comment.
    monkeypatch.setattr(reader, "OPTIONS", {"r7rs-symbols"})
    assert shown("\\x3bb; \\x10000;") == "(\u03bb \U00010000)"
    assert shown("a\\x42;c") == "(aBc)"


def test_inline_hex_escapes_in_bare_symbols_read_from_a_port_with_r7rs_symbols() -> None:
    interp = Interpreter()
    try:
        interp.eval_string("(read-enable 'r7rs-symbols)")
        assert by_port(interp, "\\x3bb; x") == "(\u03bb x)"
    finally:
        interp.eval_string("(read-disable 'r7rs-symbols)")


@pytest.mark.parametrize(("text", "value"), [('"line 1\\ \nline 2"', "line 1line 2"),
                                             ('"a\\ \t \n \t b\n"', "ab\n"), ('"a\\  \r\n  b"', "ab")])
def test_blanks_between_a_backslash_and_a_line_ending_continue_the_string_as_in_r7rs(text: str, value: str) -> None:
    # R7RS \<intraline whitespace>*<line ending><intraline whitespace>*; Guile rejects the blanks.
    assert read(text) == [value]


def test_a_backslash_before_blanks_not_ending_the_line_is_still_an_error() -> None:
    with pytest.raises(ReadError, match="invalid escape"):
        read('"a\\ b"')

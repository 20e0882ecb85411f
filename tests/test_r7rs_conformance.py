"""R7RS behaviour that public conformance suites check (our own cases, each checked against
GNU Guile 3.0.8 with the same imports and read options), and the conformance driver
tools/r7rs_conformance.scm itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def ev():
    interp = Interpreter()
    yield lambda text: write_string(interp.eval_string(text))
    interp.eval_string("(for-each read-disable '(r7rs-symbols r6rs-hex-escapes hungry-eol-escapes))")


# ------------------------------------------------------------------ macros


def test_macro_introduced_definition_is_visible_to_an_earlier_one_from_the_same_template(ev):
    ev("(define-syntax two-defs (syntax-rules () ((_ f) (begin (define (f x) (helper x)) "
       "(define (helper x) (* x x))))))")
    ev("(two-defs square)")
    assert ev("(square 10)") == "100"


def test_macro_introduced_helper_stays_private_to_its_expansion(ev):
    ev("(define-syntax two-defs (syntax-rules () ((_ f) (begin (define (f x) (helper x)) "
       "(define (helper x) (* x x))))))")
    ev("(two-defs square)")
    with pytest.raises(SchemeError, match="helper"):
        ev("(helper 3)")


# ------------------------------------------------------------------ reader options


def test_r7rs_symbols_read_option_reads_bar_symbols(ev):
    ev("(read-enable 'r7rs-symbols)")
    assert ev(r'''(map (lambda (s) (read (open-input-string s))) '("|a b|" "|H\\x65;llo|" "|a\\|b|" "||"))''') \
        == "(#{a b}# Hello a|b #{}#)"


def test_without_r7rs_symbols_a_bar_is_a_symbol_constituent(ev):
    assert ev('(read (open-input-string "(|a b|)"))') == "(|a b|)"


def test_r6rs_hex_escapes_read_option(ev):
    ev("(read-enable 'r6rs-hex-escapes)")
    assert ev(r'''(read (open-input-string "\"H\\x65;llo \\x3bb;\""))''') == '"Hello λ"'


def test_hex_escapes_are_guiles_two_digits_by_default(ev):
    assert ev(r'''(read (open-input-string "\"H\\x65;llo\""))''') == '"He;llo"'


def test_hungry_eol_escapes_read_option_skips_the_next_lines_indentation(ev):
    assert ev(r'''(read (open-input-string "\"a\\\n   b\""))''') == '"a   b"'
    ev("(read-enable 'hungry-eol-escapes)")
    assert ev(r'''(read (open-input-string "\"a\\\n   b\""))''') == '"ab"'


# ------------------------------------------------------------------ (scheme base) / (scheme char)


def test_scheme_base_bytevector_copy_bang_takes_r7rs_arguments(ev):
    ev("(import (scheme base))")
    assert ev("(let ((bv (bytevector 1 2 3 4 5))) (bytevector-copy! bv 1 #u8(6 7 8 9 10) 0 2) bv)") \
        == "#vu8(1 6 7 4 5)"
    assert ev("(let ((bv (bytevector 1 2 3 4 5))) (bytevector-copy! bv 1 bv 0 2) bv)") == "#vu8(1 1 2 4 5)"
    assert ev("(let ((bv (bytevector 1 2 3))) (bytevector-copy! bv 1 #u8(7 8 9)) bv)") == "#vu8(1 7 8)"


def test_core_bytevector_copy_bang_keeps_guiles_r6rs_order(ev):
    assert ev("(let ((dst (make-bytevector 3 0))) (bytevector-copy! #u8(1 2 3) 1 dst 0 2) dst)") == "#vu8(2 3 0)"


def test_scheme_base_list_copy_accepts_any_object(ev):
    ev("(import (scheme base))")
    assert ev("(list (list-copy \"foo\") (list-copy '(3 . 4)) (list-copy '(6 7 8 . 9)))") \
        == '("foo" (3 . 4) (6 7 8 . 9))'


def test_core_list_copy_wants_a_list(ev):
    with pytest.raises(SchemeError, match="list-copy"):
        ev("(list-copy 3)")


def test_scheme_base_expt_of_inexact_zero_is_inexact(ev):
    assert ev("(expt 0.0 0)") == "1"
    ev("(import (scheme base))")
    assert ev("(list (expt 0.0 0) (expt 2.0 0) (expt 0 0) (expt 0.0 1))") == "(1.0 1 1 0.0)"


def test_scheme_char_string_case_uses_full_unicode_mappings(ev):
    assert ev('(list (string-upcase "ßa") (string-downcase "ΣΑΣ Σ"))') == '("ßA" "σασ σ")'
    ev("(import (scheme char))")
    assert ev('(list (string-upcase "ßa") (string-downcase "ΜΈΛΟΣ") (string-foldcase "Maß") '
              '(string-upcase "ǰ"))') == '("SSA" "μέλος" "mass" "J̌")'


def test_apply_without_an_argument_list_is_an_error(ev):
    with pytest.raises(SchemeError, match="Wrong number of arguments"):
        ev("(apply +)")
    assert ev("(apply + '())") == "0"


# ------------------------------------------------------------------ the conformance driver

SUITE = r'''
(import (scheme base) (chibi test))
(test-begin "demo")
(test 3 (+ 1 2))
(test 'wrong (+ 1 2))
(test 1.0 1.000001)
(test-values (values 1 2) (values 1 2))
(test-error (car '()))
(test-assert (pair? '(1)))
(let () (test 1 1) (car '()) (test 2 2))
(define-syntax my-test (syntax-rules () ((_ x) (test x x))))
(my-test 5)
(test "|a b|" (symbol->string '|\|a b\||))
(test-end)
'''


def test_conformance_driver_counts_passes_per_test_form(tmp_path):
    suite = tmp_path / "suite.scm"
    suite.write_text(SUITE, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "schemy.cli.main", "run", str(ROOT / "tools/r7rs_conformance.scm"),
                           str(suite)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    lines = proc.stdout.splitlines()
    # 10 tests named; the form that fails after its first test loses its second; my-test is
    # counted by what it ran.
    assert lines[-1] == "TOTAL 8 10 read-errors 0", proc.stdout + proc.stderr
    assert any(line.startswith("FAIL [demo] (+ 1 2) => expected wrong got 3") for line in lines)
    assert any(line.startswith("ERROR [demo] (let ())") for line in lines)


def test_a_file_read_with_a_read_option_is_not_answered_from_the_read_cache(tmp_path, monkeypatch):
    from schemy.compile import read_cache
    from schemy.lang import reader

    monkeypatch.setattr(read_cache, "cache_dir", lambda: tmp_path)
    text = "(x |a b|)"
    assert write_string(read_cache.cached_read(text, "f.scm")[0]) == "(x |a b|)"  # three symbols
    assert write_string(read_cache.cached_read(text, "f.scm")[0]) == "(x |a b|)"
    monkeypatch.setattr(reader, "OPTIONS", {"r7rs-symbols"})
    assert write_string(read_cache.cached_read(text, "f.scm")[0]) == "(x #{a b}#)"

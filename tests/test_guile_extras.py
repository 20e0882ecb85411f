"""R7RS libraries, (ice-9 regex), (ice-9 pretty-print), SRFI-35 conditions, include."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.lang.printer import write_string

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def ev():
    interp = Interpreter()
    return lambda text: write_string(interp.eval_string(text))


def test_r7rs_import_sets(ev):
    assert ev("(import (scheme base) (only (srfi 1) fold) (prefix (scheme char) c:)) "
              "(list (fold + 0 '(1 2 3)) (c:char-upcase #\\a))") == "(6 #\\A)"


def test_r7rs_import_of_a_missing_name_is_an_error(ev):
    from schemy.lang.errors import SchemeError

    with pytest.raises(SchemeError) as info:
        ev("(import (only (srfi 1) no-such-thing))")
    assert "no-such-thing is not exported" in str(info.value)


def test_define_library_with_renamed_export(ev):
    ev("(define-library (demo lib) (export double (rename triple thrice)) (import (scheme base)) "
       "(begin (define (double x) (* 2 x)) (define (triple x) (* 3 x)) (define (hidden) 0)))")
    assert ev("(import (demo lib)) (list (double 4) (thrice 2))") == "(8 6)"


def test_string_match_groups_prefix_and_substitution(ev):
    ev('(use-modules (ice-9 regex)) (define m (string-match "([a-z]+)-([0-9]+)" "xx node-42 yy"))')
    assert ev("(list (match:substring m 1) (match:substring m 2) (match:prefix m) (match:suffix m))") == \
        '("node" "42" "xx " " yy")'
    assert ev("(regexp-substitute #f m 'pre \"<\" 1 \">\" 'post)") == '"xx <node> yy"'


def test_posix_bracket_classes_and_global_substitution(ev):
    assert ev('(match:substring (string-match "[[:digit:]]+" "ab123c"))') == '"123"'
    assert ev("(regexp-substitute/global #f \"[0-9]\" \"a1b22\" 'pre \"#\" 'post)") == '"a#b##"'
    assert ev('(string-match "[[:digit:]]" "abc")') == "#f"


def test_regexp_flags_and_list_matches(ev):
    assert ev('(map match:substring (list-matches "a+" "caaab a"))') == '("aaa" "a")'
    assert ev('(regexp-exec (make-regexp "HELLO" regexp/icase) "say hello")') != "#f"


def test_pretty_print_breaks_long_lists(ev):
    out = ev("(with-output-to-string (lambda () (pretty-print '(a (b c d e f g h i j k l m n o p q r s t u v w x y z "
             "aa bb cc dd ee ff gg hh ii jj kk)) #:width 30)))")
    assert "\\n" in out and out.startswith('"(a')


def test_srfi35_condition_types(ev):
    ev("(define-condition-type &my-error &error my-error? (code my-error-code))")
    assert ev("(guard (e ((my-error? e) (my-error-code e))) (raise (make-condition &my-error 'code 7)))") == "7"
    assert ev("(condition-has-type? (make-condition &my-error 'code 1) &serious)") == "#t"


def test_srfi35_condition_form_makes_one_compound_condition(ev):
    ev("(define-condition-type &located &error located? (file located-file) (line located-line))")
    assert ev("(let ((c (condition (&located (file \"a.scm\") (line 3)) (&message (message \"bad\")))))"
              " (list (located? c) (located-file c) (located-line c) (condition-message c) (error? c)))") \
        == '(#t "a.scm" 3 "bad" #t)'
    # A program's own binding named `condition` is a plain variable.
    assert ev("(let ((condition (lambda (x) (* 2 x)))) (condition 4))") == "8"


def test_errors_are_conditions_with_message_and_irritants(ev):
    assert ev("(guard (e ((error? e) (list (condition-message e) (exception-irritants e)))) "
              "(error \"disk full\" 'sda 3))") == '("disk full" (sda 3))'


def test_with_directory_excursion_restores_the_directory(ev, tmp_path):
    ev("(use-modules (guix build utils))")
    assert ev(f'(list (with-directory-excursion "{tmp_path}" (getcwd)) (string=? (getcwd) "{tmp_path}"))') == \
        f'("{tmp_path}" #f)'


def test_include_reads_forms_relative_to_the_including_file(tmp_path):
    (tmp_path / "part.scm").write_text("(define included-value 41)\n")
    main = tmp_path / "main.scm"
    main.write_text('(include "part.scm")\n(+ included-value 1)\n')
    interp = Interpreter()
    assert interp.run_protected(lambda: interp.load_file(str(main))) == 42


def test_reader_parses_every_library_and_example_file():
    from schemy.lang.reader import read

    files = sorted(ROOT.glob("stdlib/**/*.scm")) + sorted(ROOT.glob("examples/*.scm"))
    assert len(files) > 50
    for f in files:
        assert read(f.read_text(), str(f)) is not None, f

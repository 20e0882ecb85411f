"""Datum labels (R7RS 2.4): reading ``#n=``/``#n#`` builds shared and cyclic data; ``write``
and ``display`` of cycles print Guile's labels and never hang; ``write-shared`` prints SRFI-38
labels as Guile 3.0.8 does.  Guile's reader has no datum labels, so reading follows R7RS."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from schemy.app import Interpreter
from schemy.lang.errors import ReadError
from schemy.lang.printer import display_string, write_string
from schemy.lang.reader import read, read_first

GUILE = shutil.which("guile")
needs_guile = pytest.mark.skipif(GUILE is None, reason="guile is not installed: apt-get install guile-3.0")


def test_a_labelled_list_whose_tail_is_its_label_is_cyclic() -> None:
    datum, _ = read_first("#0=(a b . #0#)")
    assert datum.cdr.cdr is datum
    assert write_string(datum) == "(a b . #-1#)"


def test_a_labelled_vector_containing_its_label_contains_itself() -> None:
    datum, _ = read_first("#1=#(1 #1#)")
    assert datum[1] is datum
    assert write_string(datum) == "#(1 #0#)"


def test_a_label_referred_to_later_is_the_same_object() -> None:
    (datum,) = read("(#0=(x y) #0# #0#)")
    assert datum.car is datum.cdr.car is datum.cdr.cdr.car


def test_labels_work_through_datum_comments_and_quotes() -> None:
    datum, _ = read_first("(#;c #0=(1 . #0#) '#0#)")
    assert datum.car.cdr is datum.car
    assert datum.cdr.car.cdr.car is datum.car


def test_an_undefined_label_is_a_read_error() -> None:
    with pytest.raises(ReadError, match="undefined datum label #3#"):
        read("(a #3#)")


def test_a_cycle_in_source_text_is_refused_not_hung_on() -> None:
    with pytest.raises(ReadError, match="circular datum in source text"):
        read("(write '#0=(a . #0#))")


def test_read_from_a_port_builds_the_cycle() -> None:
    interp = Interpreter()
    text = interp.eval_string('(let ((c (read (open-input-string "#0=(a b . #0#)")))) '
                              "(list (eq? c (cddr c)) (call-with-output-string (lambda (p) (write c p)))))")
    assert write_string(text) == '(#t "(a b . #-1#)")'


SHARED_PROGRAM = """
(define l (list 1 2 3)) (set-cdr! (cddr l) l)
(write-shared l) (newline) (write l) (newline) (display l) (newline)
(define v (vector 1 2)) (vector-set! v 1 v)
(write-shared v) (newline) (write v) (newline) (display v) (newline)
(define s (list 1 2)) (write-shared (list s s "x" (vector s))) (newline)
(define str "ab") (write-shared (list str str)) (newline)
(write-shared (list 'a "b" #\\c 1.5)) (newline)
(define p (list 'a 'b)) (set-car! (cdr p) p) (write-shared p) (newline) (write p) (newline)
(write-simple (list s s)) (newline)
(define q (list 'x)) (write-shared (list q (list q q))) (newline)
(define e "") (write-shared (list e e)) (newline)
(define t (list 2 3)) (write-shared (list (cons 1 t) t)) (newline)
(define a (list 1)) (define b (list 2)) (write-shared (list b a b a)) (newline)
(define c (list 1 2)) (set-cdr! (cdr c) c) (write-shared (list c c)) (newline)
(define bx (list 1)) (write-shared (vector bx bx)) (newline)
"""


@needs_guile
def test_write_shared_write_and_display_print_what_guile_prints() -> None:
    guile = subprocess.run([GUILE, "--no-auto-compile", "-c", "(use-modules (scheme write))" + SHARED_PROGRAM],
                           capture_output=True, timeout=60).stdout.decode()
    interp = Interpreter()
    out = interp.eval_string("(import (scheme write)) (call-with-output-string (lambda (port) "
                             "(with-output-to-port port (lambda () " + SHARED_PROGRAM + "))))")
    assert str(out) == guile


def test_display_of_a_cycle_terminates() -> None:
    datum, _ = read_first("#0=(a #0#)")
    assert display_string(datum) == "(a #-1#)"

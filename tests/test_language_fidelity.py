"""Guile behaviours real configs depend on (issue 20); each checked against GNU Guile 3.0."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def ev():
    interp = Interpreter()
    return lambda text: write_string(interp.eval_string(text))


# ------------------------------------------------------------------ define* / lambda*


def test_keyword_argument_is_not_bound_to_an_optional_parameter(ev):
    assert ev("(define* (f #:optional a b #:key c) (list a b c)) "
              "(list (f 1 #:c 3) (f #:c 3) (f 1 2 #:c 3) (f) (f 1 2))") \
        == "((1 #f 3) (#f #f 3) (1 2 3) (#f #f #f) (1 2 #f))"


def test_optional_then_key_with_rest_and_defaults_that_see_earlier_parameters(ev):
    assert ev("(define* (h #:optional (a 1) (b (+ a 1)) #:key (c (+ b 1)) #:rest r) (list a b c r)) "
              "(list (h) (h 5) (h 5 #:c 0))") == "((1 2 3 ()) (5 6 7 ()) (5 6 0 (#:c 0)))"


def test_optional_then_key_rejects_extra_positional_and_unknown_keyword(ev):
    ev("(define* (f #:optional a #:key c) (list a c))")
    for call in ("(f 1 2)", "(f 1 #:zz 3)"):
        with pytest.raises(SchemeError):
            ev(call)


def test_without_keys_a_keyword_can_be_an_optional_value(ev):
    assert ev("(define* (g a #:optional b) b) (g 1 #:x)") == "#:x"


def test_keyboard_layout_with_options_keyword(ev):
    assert ev("(use-modules (gnu)) (define k (keyboard-layout \"us\" #:options '(\"ctrl:nocaps\"))) "
              "(list (keyboard-layout-name k) (keyboard-layout-variant k) (keyboard-layout-options k))") \
        == '("us" #f ("ctrl:nocaps"))'


def test_key_default_sees_the_outer_binding_not_the_parameter(ev):
    assert ev("(define x 5) (define* (k #:key (x x)) x) (define* (o #:optional (x x)) x) "
              "(list (k) (k #:x 1) (o) (let ((x 7)) ((lambda* (#:key (x x)) x))))") == "(5 1 5 7)"

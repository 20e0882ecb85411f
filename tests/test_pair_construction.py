"""Pairs are made by ``make_pair`` (or ``Pair()`` and three slot stores in the list builders):
the class has no ``__init__`` because calling a class with a Python ``__init__`` costs a
frame per pair (notes/performance.md, 2026-12-04, perf3).  Every way of making a pair gives the
same kind of pair."""

from __future__ import annotations

import pytest

from schemy.app import Interpreter
from schemy.lang.datum import NIL, Pair, SourceLocation, make_pair
from schemy.lang.printer import write_string
from schemy.lang.reader import read


@pytest.fixture(scope="module")
def ev():
    interp = Interpreter()
    return lambda text: write_string(interp.eval_string(text))


def test_a_pair_is_made_by_make_pair_and_calling_the_class_with_fields_fails_loudly():
    loc = SourceLocation("f.scm", 3, 4)
    p = make_pair(1, make_pair(2, NIL), loc)
    assert p.__class__ is Pair and p.car == 1 and p.cdr.car == 2 and p.cdr.cdr is NIL
    assert p.loc is loc and p.cdr.loc is None
    with pytest.raises(TypeError):
        Pair(1, 2)  # a stray old-style call is an error, not a pair with missing fields


def test_read_pairs_keep_their_source_location():
    (form,) = read("(a\n (b c))", "x.scm")
    assert form.__class__ is Pair and form.loc is not None and form.loc.line == 1
    inner = form.cdr.car
    assert inner.__class__ is Pair and inner.loc.line == 2


@pytest.mark.parametrize("expr, expected", [
    # compiled (cons a b) and (list ...), the cons primitive applied and mapped, cons*
    ("(let ((p (cons 1 2))) (set-car! p 3) (set-cdr! p 4) p)", "(3 . 4)"),
    ("(let ((l (list 1 2 3))) (set-car! (cddr l) 'x) l)", "(1 2 x)"),
    ("(apply cons '(1 2))", "(1 . 2)"),
    ("(map cons '(1 2) '(3 4))", "((1 . 3) (2 . 4))"),
    ("(let ((f cons)) (f 'a '()))", "(a)"),
    ("(cons* 1 2 '(3))", "(1 2 3)"),
    # the cdr of a pair is the same object on every read, however the pair was made
    ("(let ((l (list 1 2))) (eq? (cdr l) (cdr l)))", "#t"),
    ("(let ((l (iota 5))) (eq? (cddr l) (cdr (cdr l))))", "#t"),
    ("(let ((l (reverse (iota 5)))) (eq? (cdr l) (cdr l)))", "#t"),
    # a circular list made of compiled conses prints and compares as Guile's
    ("(let ((l (cons 1 (cons 2 '())))) (set-cdr! (cdr l) l) (list? l))", "#f"),
    ("(equal? (cons 1 (cons 2 '())) (list 1 2))", "#t"),
    ("(cons (values 1 2) 3)", "(1 . 3)"),
])
def test_pairs_made_every_way_are_the_same_mutable_pairs(ev, expr, expected):
    assert ev(expr) == expected


def test_pairs_made_by_compiled_code_have_no_source_location():
    made = Interpreter().eval_string("(list (cons 1 2) (list 3 4) (apply cons '(5 6)))")
    cells = []
    x = made
    while x.__class__ is Pair:
        cells.append(x)
        if x.car.__class__ is Pair:
            cells.append(x.car)
        x = x.cdr
    assert len(cells) == 6 and all(c.loc is None for c in cells)

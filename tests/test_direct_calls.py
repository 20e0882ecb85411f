"""Tail calls made as direct Python calls where that keeps the stack bounded: a local procedure
whose tail calls go only to local procedures that never return a TailCall, and a tail call of a
global procedure that has no trampoline of its own (checked per call, so redefining it is seen).
Answers are Guile 3.0.8's; the loops are long enough to overflow the stack if a cycle of tail
calls were made direct."""

from __future__ import annotations

import pytest

from schemy.app import Interpreter
from schemy.lang.printer import write_string


@pytest.fixture()
def ev():
    interp = Interpreter()
    return lambda text: interp.eval_string(text)


def test_local_procedure_whose_tail_calls_chain_to_direct_locals_has_no_trampoline(ev):
    proc = ev("""
      (define (make)
        (define (leaf-loop l n) (if (null? l) n (leaf-loop (cdr l) (+ n 1))))
        (define (count l) (leaf-loop l 0))
        (define (outer l) (count l))
        outer)
      (make)""")
    assert not hasattr(proc, "_body")
    assert ev("((make) '(a b c))") == 3


def test_mutual_tail_recursion_of_locals_still_runs_in_constant_space(ev):
    assert ev("""
      (let ()
        (define (ev? n) (if (= n 0) #t (od? (- n 1))))
        (define (od? n) (if (= n 0) #f (ev? (- n 1))))
        (ev? 1500001))""") is False


def test_tail_call_of_a_global_leaf_procedure_gives_its_value(ev):
    assert write_string(ev("""
      (define (leaf x) (list x (+ x 1)))
      (define (mid x) (leaf x))
      (list (mid 1) (mid 2.5))""")) == "((1 2) (2.5 3.5))"


def test_redefined_callee_is_called_at_the_next_tail_call(ev):
    assert write_string(ev("""
      (define (leaf x) 'old)
      (define (mid x) (leaf x))
      (define a (mid 1))
      (define (leaf x) (list 'new x))
      (list a (mid 2))""")) == "(old (new 2))"


def test_callee_redefined_into_mutual_tail_recursion_runs_in_constant_space(ev):
    # `mid` first finds `leaf` callable directly; once `leaf` tail-calls back into `mid`, the
    # loop must go through trampolines (Guile: constant space) or it would exhaust the stack.
    assert ev("""
      (define (leaf x) x)
      (define (mid x) (leaf x))
      (mid 0)
      (define (leaf x) (if (> x 1200000) x (mid (+ x 1))))
      (mid 0)""") == 1200001


def test_tail_call_of_a_non_procedure_global_is_still_an_error(ev):
    from schemy.lang.errors import SchemeError

    ev("(define not-proc 5) (define (f) (not-proc 1))")
    with pytest.raises(SchemeError, match="Wrong type to apply|not a procedure|wrong type"):
        ev("(f)")


def test_tail_call_site_of_a_global_leaf_remembers_it_for_direct_calls(ev):
    from schemy.compile.compiler import _TailSite

    mid = ev("(define (leaf x) x) (define (mid x) (leaf x)) (mid 1) mid")
    leaf = ev("leaf")
    sites = [v for v in mid._body.__globals__.values() if isinstance(v, _TailSite)]
    assert [s.fn for s in sites] == [leaf]


def test_trampoline_takes_only_its_own_tail_calls_not_other_tuples():
    from schemy.runtime.control import TailCall, run_tail

    assert run_tail(()) == ()
    assert run_tail((1, 2, 3)) == (1, 2, 3)
    assert run_tail(TailCall(lambda a, b: (a, b), (1, 2))) == (1, 2)

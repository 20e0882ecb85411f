"""The cyclic garbage collector's thresholds (schemy.eval.interpreter._tune_gc): collected
less often, but cyclic garbage made by Scheme code is still reclaimed."""

from __future__ import annotations

import gc

from schemy.app import Interpreter


def test_interpreter_collects_young_objects_rarely_and_the_middle_generation_rarer_still():
    Interpreter()
    young, middle, _old = gc.get_threshold()
    assert young >= 10_000 and middle >= 100


def test_cyclic_garbage_made_by_scheme_code_is_still_reclaimed():
    interp = Interpreter()
    gc.collect()
    before = sum(s["collected"] for s in gc.get_stats())
    interp.eval_string("(let loop ((i 0)) (when (< i 50000) (let ((p (list i))) (set-cdr! p p)) (loop (+ i 1))))")
    after = sum(s["collected"] for s in gc.get_stats())
    assert after - before >= 40_000  # the self-referencing pairs went, without an explicit collection

"""(guix memoization) and (guix i18n), which real home configurations import."""

from __future__ import annotations

from schemy.app import Interpreter
from schemy.lang.printer import write_string


def run(code: str) -> str:
    i = Interpreter()
    return write_string(i.run_protected(lambda: i.eval_string(code, "/tmp/t.scm")))


def test_memoize_computes_once_per_arguments() -> None:
    assert run("""(begin (use-modules (guix memoization))
                   (define calls 0)
                   (define f (memoize (lambda (x) (set! calls (+ calls 1)) (* x 2))))
                   (list (f 2) (f 2) (f 3) calls))""") == "(4 4 6 2)"


def test_invalidate_memoization_forgets() -> None:
    assert run("""(begin (use-modules (guix memoization))
                   (define calls 0)
                   (define f (mlambda (x) (set! calls (+ calls 1)) x))
                   (f 1) (invalidate-memoization! f) (f 1) calls)""") == "2"


def test_messages_are_their_own_translation() -> None:
    assert run("""(begin (use-modules (guix i18n)) (list (G_ "hi") (N_ "a" "as" 1) (N_ "a" "as" 2)))""") \
        == '("hi" "a" "as")'

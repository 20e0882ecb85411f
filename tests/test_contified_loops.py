"""Named lets compiled into the enclosing Python function as `while` loops (contification,
schemy.compile.compiler._Loop) when the loop's name never escapes: nested loops, a loop in
value or statement position, an inner loop that tail-calls the loop around it.  Each program's
answer is Guile 3.0.8's; the cases where contification must not happen (the name escapes, a
closure captures a loop variable, a call two loops up) check that the answer is still right."""

from __future__ import annotations

import types

import pytest

from schemy.app import Interpreter
from schemy.lang.printer import write_string

# name -> (program, Guile 3.0.8's answer, written)
CASES = {
    'nested_sum': (
        '(define (f n m) (let outer ((i 0) (acc 0)) (if (< i n) (let inner ((j 0) (acc acc)) (if (< j m) '
        '(inner (+ j 1) (+ acc j)) (outer (+ i 1) acc))) acc))) (f 30 40)',
        '23400'),
    'inner_escapes': (
        "(let outer ((i 0) (acc '())) (if (< i 3) (let inner ((j 0)) (cond ((symbol? j) (list j i)) ((< j "
        "1) (inner (+ j 1))) (else (outer (+ i 1) (cons inner acc))))) (map (lambda (p) (p 'x)) acc)))",
        '((x 2) (x 1) (x 0))'),
    'callcc_out_of_inner': (
        '(call-with-current-continuation (lambda (k) (let outer ((i 0)) (let inner ((j 0)) (cond ((= (* i '
        "j) 6) (k (list 'found i j))) ((< j 5) (inner (+ j 1))) (else (outer (+ i 1))))))))",
        '(found 2 3)'),
    'closures_capture_loop_vars': (
        "(let outer ((i 0) (acc '())) (if (< i 2) (let inner ((j 0) (acc acc)) (if (< j 2) (inner (+ j 1) "
        '(cons (lambda () (list i j)) acc)) (outer (+ i 1) acc))) (map (lambda (p) (p)) acc)))',
        '((1 1) (1 0) (0 1) (0 0))'),
    'set_of_captured_loop_var': (
        "(let loop ((i 0) (ps '())) (if (< i 3) (let ((p (lambda () (set! i (+ i 100)) i))) (loop (+ i 1) "
        '(cons p ps))) (list (map (lambda (p) (p)) ps) (map (lambda (p) (p)) ps))))',
        '((102 101 100) (202 201 200))'),
    'set_of_loop_var_in_body': (
        "(let loop ((i 0) (acc '())) (if (< i 6) (begin (set! i (+ i 1)) (loop (+ i 1) (cons i acc))) "
        'acc))',
        '(5 3 1)'),
    'value_position_inner_jumps_to_outer': (
        '(+ 1 (let outer ((i 0) (acc 0)) (if (< i 3) (let inner ((j 0) (acc acc)) (if (< j 3) (inner (+ j '
        '1) (+ acc 1)) (outer (+ i 1) acc))) acc)))',
        '10'),
    'value_position_inner_returns_directly': (
        '(list (let outer ((i 0)) (let inner ((j 0)) (cond ((< j 2) (inner (+ j 1))) ((< i 4) (outer (+ i '
        "1))) (else (* 10 i))))) 'after)",
        '(40 after)'),
    'statement_position_nested': (
        '(let ((v (make-vector 3 0))) (let outer ((i 0)) (when (< i 3) (let inner ((j 0)) (when (< j 4) '
        '(vector-set! v i (+ (vector-ref v i) j)) (inner (+ j 1)))) (outer (+ i 1)))) v)',
        '#(6 6 6)'),
    'statement_position_inner_jumps_to_outer': (
        '(let ((count 0)) (let outer ((i 0)) (if (< i 3) (let inner ((j 0)) (if (< j 2) (begin (set! '
        'count (+ count 1)) (inner (+ j 1))) (outer (+ i 1)))))) count)',
        '6'),
    'call_two_loops_up': (
        '(let a ((i 0) (n 0)) (if (< i 3) (let b ((j 0)) (let c ((k 0)) (cond ((< k 2) (c (+ k 1))) ((< j '
        '2) (b (+ j 1))) (else (a (+ i 1) (+ n j k)))))) n))',
        '12'),
    'inner_calls_enclosing_procedure': (
        '(define (f n acc) (if (= n 0) acc (let inner ((j 0) (acc acc)) (if (< j n) (inner (+ j 1) (+ acc '
        '1)) (f (- n 1) acc))))) (f 1000 0)',
        '500500'),
    'deep_recursion_through_inner_loop': (
        "(define (g n) (if (= n 0) 'done (let inner ((j 0)) (if (< j 1) (inner (+ j 1)) (g (- n 1)))))) "
        '(g 1000000)',
        'done'),
    'multiple_values_from_loop': (
        '(call-with-values (lambda () (let loop ((i 0)) (if (< i 3) (loop (+ i 1)) (values i (* i 2))))) '
        'list)',
        '(3 6)'),
    'loop_tail_calls_other_procedure': (
        '(define (ev? n) (let loop ((k n)) (if (= k 0) #t (od? (- k 1))))) (define (od? n) (if (= n 0) #f '
        '(ev? (- n 1)))) (ev? 1000001)',
        '#f'),
    'nested_do': (
        "(do ((i 0 (+ i 1)) (acc '() (do ((j 0 (+ j 1)) (acc acc (cons (list i j) acc))) ((= j 2) acc)))) "
        '((= i 2) (reverse acc)))',
        '((0 0) (0 1) (1 0) (1 1))'),
    'recursive_procedure_with_loop': (
        '(define (tree-sum t) (let loop ((t t) (acc 0)) (cond ((null? t) acc) ((pair? t) (loop (cdr t) (+ '
        "acc (tree-sum (car t))))) (else (+ acc t))))) (tree-sum '(1 (2 3) ((4) 5) . 6))",
        '21'),
    'inner_loop_in_argument': (
        "(let outer ((i 0) (acc '())) (if (< i 3) (outer (+ i 1) (cons (let inner ((j 0) (s 0)) (if (<= j "
        'i) (inner (+ j 1) (+ s j)) s)) acc)) acc))',
        '(3 1 0)'),
    'loop_in_if_test': (
        '(let loop ((i 0) (n 0)) (if (< i 5) (loop (+ i 1) (if (let find ((k 0)) (cond ((= k i) (even? '
        'k)) (else (find (+ k 1))))) (+ n 1) n)) n))',
        '3'),
    'three_deep_each_jumping_to_parent': (
        "(let a ((i 0) (acc '())) (if (< i 2) (let b ((j 0) (acc acc)) (if (< j 2) (let c ((k 0) (acc "
        'acc)) (if (< k 2) (c (+ k 1) (cons (+ (* 100 i) (* 10 j) k) acc)) (b (+ j 1) acc))) (a (+ i 1) '
        'acc))) (reverse acc)))',
        '(0 1 10 11 100 101 110 111)'),
    'value_mode_three_deep': (
        '(vector (let a ((i 0) (acc 0)) (if (< i 2) (let b ((j 0) (acc acc)) (if (< j 2) (let c ((k 0) '
        '(acc acc)) (if (< k 2) (c (+ k 1) (+ acc 1)) (b (+ j 1) acc))) (a (+ i 1) acc))) acc)))',
        '#(8)'),
    'loop_name_shadowed_by_inner': (
        "(let loop ((i 0) (acc '())) (if (< i 2) (let loop ((j 0) (acc acc)) (if (< j 2) (loop (+ j 1) "
        '(cons j acc)) acc)) acc))',
        '(1 0)'),
    'dynamic_wind_inside_inner_loop': (
        "(let ((log '())) (let outer ((i 0)) (when (< i 2) (let inner ((j 0)) (when (< j 2) (dynamic-wind "
        "(lambda () (set! log (cons 'in log))) (lambda () (set! log (cons (list i j) log))) (lambda () "
        "(set! log (cons 'out log)))) (inner (+ j 1)))) (outer (+ i 1)))) (length log))",
        '12'),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_named_let_gives_guiles_answer(name):
    program, expected = CASES[name]
    assert write_string(Interpreter().eval_string(program)) == expected


def _nested_code(proc) -> list:
    """The Python functions defined inside the procedure's body (its trampoline skipped)."""
    body = getattr(proc, "_body", proc)
    return [c.co_name for c in body.__code__.co_consts if isinstance(c, types.CodeType)]


def test_nested_named_lets_become_loops_of_the_enclosing_function():
    proc = Interpreter().eval_string("""
      (define (f n m)
        (let outer ((i 0) (acc 0))
          (if (< i n)
              (let inner ((j 0) (acc acc))
                (if (< j m) (inner (+ j 1) (+ acc j)) (outer (+ i 1) acc)))
              acc)))
      f""")
    assert _nested_code(proc) == []  # no closure made per entry of either loop
    assert not hasattr(proc, "_body")  # and no trampoline: no tail call is ever returned
    assert proc(3, 4) == 18


def test_named_let_in_value_and_statement_position_becomes_a_loop():
    interp = Interpreter()
    proc = interp.eval_string("""
      (define (g v)
        (let loop ((i 0)) (when (< i (vector-length v)) (vector-set! v i (* i i)) (loop (+ i 1))))
        (+ 1 (let sum ((i 0) (s 0)) (if (< i (vector-length v)) (sum (+ i 1) (+ s (vector-ref v i))) s))))
      g""")
    assert _nested_code(proc) == []
    assert write_string(interp.eval_string("(let ((v (make-vector 4 0))) (list (g v) v))")) \
        == "(15 #(0 1 4 9))"


def test_loop_whose_name_escapes_stays_a_procedure():
    proc = Interpreter().eval_string("""
      (define (h)
        (let loop ((i 0)) (if (< i 3) (loop (+ i 1)) loop)))
      h""")
    assert _nested_code(proc) != []
    assert Interpreter().eval_string(
        "(procedure? ((lambda () (let loop ((i 0)) (if (< i 3) (loop (+ i 1)) loop)))))") is True


def test_loop_whose_variable_a_closure_captures_stays_a_procedure():
    proc = Interpreter().eval_string("""
      (define (k)
        (let outer ((i 0) (acc '()))
          (if (< i 2) (let inner ((j 0) (acc acc))
                        (if (< j 2) (inner (+ j 1) (cons (lambda () (list i j)) acc)) (outer (+ i 1) acc)))
              (map (lambda (p) (p)) acc))))
      k""")
    assert _nested_code(proc) != []
    assert write_string(proc()) == "((1 1) (1 0) (0 1) (0 0))"

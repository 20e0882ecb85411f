"""The evaluator: special forms, tail calls, deep recursion, macros and hygiene."""

from __future__ import annotations

import pytest

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string


@pytest.fixture()
def ev():
    interp = Interpreter()

    def run(text: str) -> str:
        return write_string(interp.eval_string(text))

    return run


CASES = {
    "quote": ("'(a b . c)", "(a b . c)"),
    "if_without_else": ("(if #f #f)", "#<unspecified>"),
    "lambda_rest": ("((lambda (a . r) (list a r)) 1 2 3)", "(1 (2 3))"),
    "lambda_all_rest": ("((lambda r r) 1 2)", "(1 2)"),
    "define_curried": ("(define ((adder n) m) (+ n m)) ((adder 3) 4)", "7"),
    "set_global": ("(define x 10) (set! x (+ x 1)) x", "11"),
    "closure_counter": ("(define (mk) (let ((n 0)) (lambda () (set! n (+ n 1)) n))) (define c (mk)) (c) (c) (c)",
                        "3"),
    "let_star": ("(let* ((x 1) (y (+ x 1))) (list x y))", "(1 2)"),
    "letrec_mutual": ("(letrec ((ev? (lambda (n) (if (= n 0) #t (od? (- n 1))))) "
                      "(od? (lambda (n) (if (= n 0) #f (ev? (- n 1)))))) (ev? 11))", "#f"),
    "internal_defines": ("(define (f) (define a 1) (define (g) (* a 2)) (g)) (f)", "2"),
    "named_let": ("(let loop ((i 0) (acc '())) (if (= i 3) (reverse acc) (loop (+ i 1) (cons i acc))))",
                  "(0 1 2)"),
    "closures_in_loop_capture_fresh_bindings": (
        "(let loop ((i 0) (acc '())) (if (< i 3) (loop (+ i 1) (cons (lambda () i) acc)) "
        "(map (lambda (f) (f)) acc)))", "(2 1 0)"),
    "do_loop": ("(do ((vec (make-vector 3 0)) (i 0 (+ i 1))) ((= i 3) vec) (vector-set! vec i i))", "#(0 1 2)"),
    "cond_arrow": ("(cond ((assv 2 '((1 . a) (2 . b))) => cdr) (else 'no))", "b"),
    "cond_else": ("(cond (#f 1) (else 2))", "2"),
    "case_symbols": ("(case (* 2 3) ((2 3 5 7) 'prime) ((1 4 6 8 9) 'composite))", "composite"),
    "case_arrow": ("(case 5 ((5) => (lambda (x) (* x 2))) (else 0))", "10"),
    "case_else_arrow": ("(case 7 ((5) 1) (else => (lambda (x) x)))", "7"),
    "and_or": ("(list (and 1 2 3) (and) (or #f 2) (or))", "(3 #t 2 #f)"),
    "when_unless": ("(list (when #t 1 2) (unless #f 3))", "(2 3)"),
    "quasiquote": ("`(1 ,(+ 1 1) ,@(list 3 4) 5)", "(1 2 3 4 5)"),
    "quasiquote_vector": ("`#(1 ,(+ 1 1))", "#(1 2)"),
    "quasiquote_nested": ("`(1 `(2 ,(3 ,(+ 1 3))))", "(1 (quasiquote (2 (unquote (3 4)))))"),
    "quasiquote_dotted": ("`(1 . ,(+ 1 1))", "(1 . 2)"),
    "lambda_star_optional_and_key": ("(define* (f a #:optional (b 5) #:key (c 7)) (list a b c)) "
                                     "(list (f 1) (f 1 2) (f 1 2 #:c 9))", "((1 5 7) (1 2 7) (1 2 9))"),
    "lambda_star_rest_and_keys": ("((lambda* (#:key (x 1) #:allow-other-keys) x) #:y 2 #:x 3)", "3"),
    "call_cc_escape": ("(call/cc (lambda (k) (+ 1 (k 42))))", "42"),
    "call_ec": ("(call/ec (lambda (k) (for-each (lambda (x) (when (> x 2) (k x))) '(1 2 3 4)) 'none))", "3"),
    "values": ("(call-with-values (lambda () (values 1 2)) +)", "3"),
    "let_values": ("(let-values (((a b) (values 1 2)) ((c) (values 3))) (list a b c))", "(1 2 3)"),
    "let_star_values": ("(let*-values (((a) (values 1)) ((b) (values (+ a 1)))) (list a b))", "(1 2)"),
    "receive": ("(receive (a . rest) (values 1 2 3) (list a rest))", "(1 (2 3))"),
    "define_values": ("(define-values (q r) (floor/ 7 2)) (list q r)", "(3 1)"),
    "guard_catches_raise": ("(guard (e (#t (list 'caught e))) (raise 'oops))", "(caught oops)"),
    "guard_error_object": ("(guard (e ((error-object? e) (error-object-message e))) (error \"bad\" 1))",
                           "\"bad\""),
    "guard_reraises": ("(guard (e ((string? e) 'outer)) (guard (e ((symbol? e) 'inner)) (raise \"s\")))",
                       "outer"),
    "guard_catches_primitive_error": ("(guard (e (#t 'caught)) (car 5))", "caught"),
    "parameterize": ("(define p (make-parameter 10)) (list (p) (parameterize ((p 20)) (p)) (p))",
                     "(10 20 10)"),
    "parameter_converter": ("(define p (make-parameter 1 (lambda (x) (* x 10)))) "
                            "(list (p) (parameterize ((p 2)) (p)))", "(10 20)"),
    "delay_force": ("(define s (delay (+ 2 3))) (force s)", "5"),
    "delay_force_iterative": ("(define (loop n) (delay-force (if (= n 0) (delay 'end) (loop (- n 1))))) "
                              "(force (loop 100000))", "end"),
    "make_promise": ("(force (make-promise 7))", "7"),
    "case_lambda": ("(define cl (case-lambda ((a) (list 'one a)) ((a b) (list 'two a b)) ((a . r) (list 'many a r)))) "
                    "(list (cl 1) (cl 1 2) (cl 1 2 3))", "((one 1) (two 1 2) (many 1 (2 3)))"),
    "dynamic_wind_runs_after_on_escape": (
        "(define log '()) (call/cc (lambda (k) (dynamic-wind (lambda () (set! log (cons 'in log))) "
        "(lambda () (k 1)) (lambda () (set! log (cons 'out log)))))) log", "(out in)"),
    "apply": ("(apply + 1 2 '(3 4))", "10"),
    "with_exception_handler_continuable": (
        "(with-exception-handler (lambda (e) 42) (lambda () (+ (raise-continuable 'c) 1)))", "43"),
    "with_exception_handler_unwind": (
        "(with-exception-handler (lambda (e) 'handled) (lambda () (error \"x\")) #:unwind? #t)", "handled"),
    "catch_throw": ("(catch 'my-key (lambda () (throw 'my-key 1 2)) (lambda (key . args) (list key args)))",
                    "(my-key (1 2))"),
    "catch_all": ("(catch #t (lambda () (car '())) (lambda (key . args) key))", "wrong-type-arg"),
    "srfi9_records": ("(define-record-type point (make-point x y) point? (x point-x set-point-x!) (y point-y)) "
                      "(define pt (make-point 1 2)) (set-point-x! pt 5) "
                      "(list (point? pt) (point-x pt) (point-y pt) (point? 5))", "(#t 5 2 #f)"),
    "eval": ("(eval '(+ 1 2) (interaction-environment))", "3"),
    "string_ports": ("(with-output-to-string (lambda () (display \"hi\") (write 'x)))", "\"hix\""),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_special_form(ev, name):
    text, expected = CASES[name]
    assert ev(text) == expected


def test_named_let_loop_of_a_million_iterations_runs_in_constant_stack(ev):
    assert ev("(let loop ((i 0) (acc 0)) (if (< i 1000000) (loop (+ i 1) (+ acc i)) acc))") == "499999500000"


def test_mutual_tail_calls_between_globals_do_not_grow_the_stack(ev):
    ev("(define (ev? n) (if (= n 0) #t (od? (- n 1)))) (define (od? n) (if (= n 0) #f (ev? (- n 1))))")
    assert ev("(ev? 1000001)") == "#f"


def test_tail_call_through_apply(ev):
    assert ev("(define (lp n) (if (= n 0) 'done (apply lp (list (- n 1))))) (lp 300000)") == "done"


def test_tail_calls_in_cond_case_and_when(ev):
    ev("(define (f n) (cond ((= n 0) 'done) (else (case 1 ((1) (when #t (f (- n 1))))))))")
    assert ev("(f 500000)") == "done"


def test_deep_non_tail_recursion_builds_a_long_list(ev):
    ev("(define (build n) (if (= n 0) '() (cons n (build (- n 1)))))")
    assert ev("(length (build 200000))") == "200000"


def test_deep_recursion_through_map_callbacks(ev):
    # Each level recurses from inside a map callback (a primitive calling back into Scheme).
    ev("(define (nest n) (if (= n 0) 0 (+ 1 (car (map (lambda (x) (nest (- x 1))) (list n))))))")
    assert ev("(nest 20000)") == "20000"


def test_runaway_recursion_is_a_scheme_stack_overflow(ev):
    ev("(define (down n) (+ 1 (down n)))")
    with pytest.raises(SchemeError) as info:
        ev("(down 1)")
    assert "stack overflow" in str(info.value)


# ---------------------------------------------------------------- macros and hygiene


def test_syntax_rules_swap_does_not_capture_user_tmp(ev):
    ev("(define-syntax swap! (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))")
    assert ev("(define tmp 1) (define y 2) (swap! tmp y) (list tmp y)") == "(2 1)"


def test_macro_introduced_binding_does_not_capture_user_variable(ev):
    ev("(define-syntax my-or (syntax-rules () ((_) #f) ((_ e) e) ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))")
    assert ev("(define t 5) (my-or #f t)") == "5"


def test_macro_keeps_working_when_user_rebinds_if(ev):
    ev("(define-syntax my-or (syntax-rules () ((_ e r) (let ((t e)) (if t t r)))))")
    assert ev("(let ((if list)) (my-or #f 3))") == "3"


def test_free_template_identifier_refers_to_definition_environment(ev):
    ev("(define-syntax kons (syntax-rules () ((_ a b) (cons a b))))")
    assert ev("(let ((cons list)) (kons 1 2))") == "(1 . 2)"


def test_macro_using_unexported_helper_of_its_module(ev):
    interp_text = """
    (define-module (test helper-macro) #:export (double))
    (define (secret-helper x) (* 2 x))
    (define-syntax double (syntax-rules () ((_ e) (secret-helper e))))
    """
    ev(f"(eval '(begin {interp_text}) (interaction-environment))") if False else None
    interp = Interpreter()
    interp.eval_string(interp_text)
    interp.eval_string("(define-module (test user) #:use-module (test helper-macro))")
    assert write_string(interp.eval_string("(double 21)")) == "42"


def test_syntax_rules_nested_ellipsis(ev):
    ev("(define-syntax my-let* (syntax-rules () ((_ () body ...) (let () body ...)) "
       "((_ ((x v) rest ...) body ...) (let ((x v)) (my-let* (rest ...) body ...)))))")
    assert ev("(my-let* ((a 1) (b (+ a 1))) (list a b))") == "(1 2)"
    ev("(define-syntax flat (syntax-rules () ((_ (a ...) ...) '(a ... ...))))")
    assert ev("(flat (1 2) (3) (4 5))") == "(1 2 3 4 5)"


def test_syntax_rules_literals_and_vectors(ev):
    ev("(define-syntax arrow (syntax-rules (=>) ((_ a => b) (list a b)) ((_ a b) 'no-arrow)))")
    assert ev("(arrow 1 => 2)") == "(1 2)"
    ev("(define-syntax vec (syntax-rules () ((_ #(a ...)) (list a ...))))")
    assert ev("(vec #(1 2 3))") == "(1 2 3)"


def test_syntax_rules_dotted_pattern_and_custom_ellipsis(ev):
    ev("(define-syntax tail (syntax-rules () ((_ a . rest) 'rest)))")
    assert ev("(tail 1 2 3)") == "(2 3)"
    ev("(define-syntax my-list (syntax-rules ::: () ((_ x :::) (list x :::))))")
    assert ev("(my-list 1 2)") == "(1 2)"


def test_define_syntax_rule(ev):
    ev("(define-syntax-rule (twice e) (begin e e))")
    assert ev("(define n 0) (twice (set! n (+ n 1))) n") == "2"


def test_let_syntax_and_letrec_syntax(ev):
    assert ev("(let-syntax ((foo (syntax-rules () ((_ x) (* x 2))))) (foo 4))") == "8"
    assert ev("(letrec-syntax ((ev? (syntax-rules () ((_) #t) ((_ x . r) (od? . r)))) "
              "(od? (syntax-rules () ((_) #f) ((_ x . r) (ev? . r))))) (ev? 1 2 3))") == "#f"


def test_syntax_case_with_fender_and_syntax(ev):
    ev("(define-syntax my-if (lambda (x) (syntax-case x () ((_ c a b) #'(cond (c a) (else b))))))")
    assert ev("(my-if #t 1 2)") == "1"
    ev("(define-syntax num-only (lambda (x) (syntax-case x () ((_ n) (number? (syntax->datum #'n)) #''number) "
       "((_ n) #''other))))")
    assert ev("(list (num-only 1) (num-only a))") == "(number other)"


def test_quasisyntax_and_with_syntax(ev):
    ev("(define-syntax m2 (lambda (x) (syntax-case x () ((_ a ...) #`(list #,(length #'(a ...)) a ...)))))")
    assert ev("(m2 7 8 9)") == "(3 7 8 9)"
    ev("(define-syntax ws (lambda (x) (syntax-case x () ((_ a) (with-syntax ((b #'(+ a 1))) #'(* b 2))))))")
    assert ev("(ws 4)") == "10"


def test_datum_to_syntax_breaks_hygiene_on_purpose(ev):
    ev("(define-syntax with-it (lambda (x) (syntax-case x () ((k e body) "
       "(with-syntax ((it (datum->syntax #'k 'it))) #'(let ((it e)) body))))))")
    assert ev("(with-it 5 (* it it))") == "25"


def test_generate_temporaries(ev):
    ev("(define-syntax my-let2 (lambda (x) (syntax-case x () ((_ (v ...) body) "
       "(with-syntax (((t ...) (generate-temporaries #'(v ...)))) #'(let ((t v) ...) (list t ...)))))))")
    assert ev("(my-let2 (1 2 3) ignored)") == "(1 2 3)"


def test_identifier_macro(ev):
    ev("(define-syntax ten (lambda (x) (syntax-case x () (_ (identifier? x) #'10))))")
    assert ev("(+ ten 1)") == "11"


def test_define_macro_is_not_hygienic(ev):
    ev("(define-macro (my-unless c . body) `(if ,c #f (begin ,@body)))")
    assert ev("(my-unless #f 1 2)") == "2"


# ---------------------------------------------------------------- errors


def test_unbound_variable_reports_location():
    interp = Interpreter()
    with pytest.raises(SchemeError) as info:
        interp.eval_string("(define x 1)\n(list x\n  undefined-thing)", "test.scm")
    text = str(info.value)
    assert text.startswith("test.scm:2:0: error: undefined-thing: unbound variable")


def test_wrong_arity_reads_like_guile(ev):
    ev("(define (f a b) a)")
    with pytest.raises(SchemeError) as info:
        ev("(f 1)")
    assert "Wrong number of arguments to #<procedure f (a b)>" in str(info.value)


def test_applying_a_non_procedure(ev):
    with pytest.raises(SchemeError) as info:
        ev("(5 3)")
    assert "Wrong type to apply: 5" in str(info.value)


def test_backtrace_names_scheme_procedures():
    interp = Interpreter()
    with pytest.raises(SchemeError) as info:
        interp.eval_string("(define (inner x) (car x))\n(define (outer y) (+ 1 (inner y)))\n(outer 5)", "bt.scm")
    names = [name for name, _ in info.value.backtrace]
    assert "inner" in names and "outer" in names


def test_syntax_error_points_at_form():
    interp = Interpreter()
    with pytest.raises(SchemeError) as info:
        interp.eval_string("\n  (let ((x)) x)", "syn.scm")
    assert str(info.value).startswith("syn.scm:2:8: error: bad binding")


def test_evaluate_api_returns_last_value():
    import schemy

    assert schemy.evaluate("(define x 2) (* x 21)") == 42

"""(ice-9 match): every pattern kind, the match-* forms, failures, records, deep lists.

Expected values come from GNU Guile 3.0.8, obtained for each case with
    guile -c '(use-modules (ice-9 match) (srfi srfi-9)) (write (let () EXPR))'
Cases marked "schemy extension" have no Guile 3.0.8 equivalent (Guile signals a
syntax error or treats the token as a variable); their expected values follow
the documented semantics in schemy/match.py.
"""

from __future__ import annotations

import pytest

import schemy.expand.match  # noqa: F401  (registers the special forms before the interpreter exists)
from schemy.app import Interpreter
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


@pytest.fixture()
def ev(interp: Interpreter):
    def run(text: str) -> str:
        return write_string(interp.eval_string(text))

    return run


GUILE_CASES = {
    # literals and variables
    "list_of_variables": ("(match '(1 2 3) ((a b c) (list c b a)))", "(3 2 1)"),
    "repeated_variable_must_be_equal": ("(match (list 1 2 1) ((a a b) 1) ((a b a) 2))", "2"),
    "underscore_matches_anything": ("(match (list 1 2 1) ((_ _ b) 1) ((a b a) 2))", "1"),
    "quoted_symbol": ("(match 'a ('b 1) ('a 2))", "2"),
    "quoted_symbols_in_list": ("(match '(a b c) (('a 'b x) x))", "c"),
    "string_literal": ("(match \"abc\" (\"abc\" 'yes))", "yes"),
    "char_literal": ("(match #\\a (#\\a 'yes))", "yes"),
    "number_literal_exactness": ("(match 2.0 (2 'exact) (2.0 'inexact))", "inexact"),
    "boolean_literals": ("(match '(#t #f) ((#t #f) 'bools))", "bools"),
    "keyword_literal": ("(match '(#:key 1) ((#:key v) v))", "1"),
    "empty_list": ("(match '() (() 'empty))", "empty"),
    "dotted_pair": ("(match '(1 2) ((x . y) (list x y)))", "(1 (2))"),
    "nested_lists": ("(match '(1 (2 (3 4)) 5) ((a (b (c d)) e) (list e d c b a)))", "(5 4 3 2 1)"),
    "variable_shadows_outer_binding": ("(let ((ok 1) (v 2) (t 3)) (match '(9 8) ((a b) (list ok v t a b))))",
                                       "(1 2 3 9 8)"),
    # ellipsis
    "ellipsis_tail_patterns": ("(match (list 1 2 3 4 5 6 7) ((a b c ... d e) c))", "(3 4 5)"),
    "ellipsis_one_or_more": ("(match (list 1 2 3) ((a b c ..1) c))", "(3)"),
    "ellipsis_one_or_more_fails_on_none": ("(match (list 1 2) ((a b c ..1) c) (_ 'none))", "none"),
    "ellipsis_of_pairs": ("(match '((a 1) (b 2) (c 3)) (((names vals) ...) (list names vals)))",
                          "((a b c) (1 2 3))"),
    "ellipsis_of_dotted_pairs": ("(match '((a . 1) (b . 2)) (((k . v) ...) (list k v)))", "((a b) (1 2))"),
    "ellipsis_middle": ("(match '(1 2 3 4 5) ((a b ... c) (list a b c)))", "(1 (2 3 4) 5)"),
    "ellipsis_middle_too_short": ("(match '(1) ((a b ... c) (list a b c)) (_ 'no))", "no"),
    "ellipsis_middle_empty": ("(match '(1 2) ((a b ... c) (list a b c)) (_ 'no))", "(1 () 2)"),
    "ellipsis_needs_proper_list": ("(match '(1 2 . 3) ((a ...) a) (_ 'improper))", "improper"),
    "nested_ellipsis": ("(match '((1 2) (3)) (((a ...) ...) a))", "((1 2) (3))"),
    "nested_ellipsis_with_heads": ("(match '((1 2 3) (4 5 6)) (((a b ...) ...) (list a b)))",
                                   "((1 4) ((2 3) (5 6)))"),
    "ellipsis_deep_elements": ("(match '((1 (2 3)) (4 (5 6))) (((a (b ...)) ...) (list a b)))",
                               "((1 4) ((2 3) (5 6)))"),
    "underscore_ellipsis": ("(match '(1 2 3) ((_ ...) 'list))", "list"),
    "literal_then_ellipsis": ("(match '(1 2 3) ((1 _ ...) 'ok))", "ok"),
    "ellipsis_then_literals": ("(match '(1 2 3) ((a ... 2 3) a))", "(1)"),
    "triple_underscore": ("(match '(1 2 3) ((a ___) a))", "(1 2 3)"),
    "predicate_one_or_more": ("(match '(\"a\" \"b\") (((? string? s) ..1) s))", "(\"a\" \"b\")"),
    "predicate_one_or_more_empty": ("(match '() (((? string? s) ..1) s) (_ 'none))", "none"),
    "bound_variable_then_ellipsis": ("(match '(1 (2 3)) ((x (x ...)) x) (_ 'no))", "no"),
    "ellipsis_with_not": ("(match '(1 3 5) (((not 2) ...) 'no-twos) (_ 'has-two))", "no-twos"),
    "ellipsis_with_not_fails": ("(match '(1 2 3) (((not 2) ...) 'no-twos) (_ 'has-two))", "has-two"),
    "ellipsis_with_or": ("(match '((a 1) (b 2)) (((or ('a x) ('b x)) ...) x))", "(1 2)"),
    "ellipsis_with_predicate_fallthrough": (
        "(match '((1 . a) (2 . b) (3 . c)) ((((? odd? n) . s) ...) 'all-odd) (((n . s) ...) (list n s)))",
        "((1 2 3) (a b c))"),
    # vectors
    "vector": ("(match '#(1 2 3) (#(a b c) (+ a b c)))", "6"),
    "vector_ellipsis": ("(match '#(1 2 3 4) (#(a b ...) b))", "(2 3 4)"),
    # boolean operators, ?, =
    "and_binds_whole": ("(match 1 ((and x 1) x))", "1"),
    "and_of_predicates": ("(match 5 ((and (? number?) (? positive?) n) (* n 2)))", "10"),
    "and_in_cdr": ("(match '(1 2 3 4) ((a . (and rest (b . _))) (list a b rest)))", "(1 2 (2 3 4))"),
    "or_pattern": ("(match 1 ((or x 2) x))", "1"),
    "or_of_lists": ("(match '(1 (2 3)) ((or (a (b c)) (a b)) (list a b)))", "(1 2)"),
    "or_shared_variable": ("(match '(x 5) ((or ('x n) ('y n)) n))", "5"),
    "or_of_symbols": ("(match 'c ((or 'a 'b) 1) ((or 'c 'd) 2))", "2"),
    "not_pattern": ("(match 1 ((not 2) #t))", "#t"),
    "not_of_list": ("(match '(1 2) ((not (a a)) 'different))", "different"),
    "predicate": ("(match 1 ((? odd? x) x))", "1"),
    "predicate_then_list": ("(match '(1 2 3) ((? list? (a . rest)) rest))", "(2 3)"),
    "predicate_lambda": ("(match 3 ((? (lambda (x) (> x 2)) big) big))", "3"),
    "predicate_sees_earlier_variables": ("(match '(2 5) ((a (? (lambda (y) (> y a)) b)) (list a b)))",
                                         "(2 5)"),
    "predicate_and_symbol": ("(match '(a 1 2) (((and s (? symbol?)) . (n ...)) (cons s n)))", "(a 1 2)"),
    "apply_pattern": ("(match '(1 . 2) ((= car x) x))", "1"),
    "apply_then_literal": ("(match '(1 2 3) ((= length 3) 'three))", "three"),
    "apply_lambda": ("(match '(3 4) ((= (lambda (l) (apply + l)) total) total))", "7"),
    "predicate_then_apply": ("(match 'sym ((? symbol? (= symbol->string s)) s))", "\"sym\""),
    # quasi-patterns
    "quasi_pattern": ("(match (list 1 2 3) (`(1 ,b ,c) (list b c)))", "(2 3)"),
    "quasi_pattern_symbols": ("(match '(foo bar) (`(foo ,x) x))", "bar"),
    "quasi_pattern_vector": ("(match '(foo #(1 2)) (`(foo #(,a ,b)) (+ a b)))", "3"),
    "quasi_pattern_nested": ("(match '(1 2 (3 4)) (`(,a ,b (,c ,d)) (list a b c d)))", "(1 2 3 4)"),
    # get! / set!
    "set_in_cdr": ("(let ((x (cons 1 2))) (match x ((1 . (set! s)) (s 3) x)))", "(1 . 3)"),
    "get_in_cdr": ("(match '(1 . 2) ((1 . (get! g)) (g)))", "2"),
    "set_in_vector": ("(let ((v (vector 1 2 3))) (match v (#(1 (set! s) 3) (s 20) v)))", "#(1 20 3)"),
    "get_nested": ("(match '(1 (2 3) 4) ((_ (_ (get! g)) _) (g)))", "3"),
    "set_variable": ("(let ((x 1)) (match x ((set! s) (s 5) x)))", "5"),
    "get_variable": ("(let ((x 1)) (match x ((get! g) (set! x 7) (g))))", "7"),
    # failure continuation
    "failure_continuation": ("(match 5 (2 'two) (x (=> fail) (if (> x 3) (fail) 'small)) (_ 'big))", "big"),
    "failure_continuation_same_pattern": (
        "(match '(1 2) ((a b) (=> fail) (fail)) ((a b) (list 'second a b)))", "(second 1 2)"),
    "failure_continuation_dotted": (
        "(match '(1 . 2) ((a . b) (=> fail) (if (= a 1) (fail) 'no)) (_ 'fell-through))", "fell-through"),
    # bodies
    "body_internal_define": ("(match '(1 2 3) ((a b c) (define d (+ a b c)) (* d 2)))", "12"),
    "catch_match_error": ("(catch 'match-error (lambda () (match 1 (2 'x))) (lambda args args))",
                          "(match-error \"match\" \"no matching pattern\" 1)"),
    # match-lambda & co
    "match_lambda": ("((match-lambda ((a . b) (list b a)) (_ 'no)) '(1 2))", "((2) 1)"),
    "match_lambda_star": ("((match-lambda* ((a b) (+ a b))) 1 2)", "3"),
    "match_lambda_dispatch_on_arity": (
        "(define (f . args) (match args ((a) a) ((a b) (+ a b)))) (list (f 1) (f 1 2))", "(1 3)"),
    "match_let": ("(match-let (((a b) '(1 2)) (c 3)) (list a b c))", "(1 2 3)"),
    "match_let_empty": ("(match-let () 1)", "1"),
    "match_let_star": ("(match-let* (((a b) '(1 2)) ((c d) (list a b))) (list a b c d))", "(1 2 1 2)"),
    "named_match_let": ("(match-let loop (((a . b) '(1 2 3)) (acc '())) "
                        "(if (null? b) (reverse (cons a acc)) (loop b (cons a acc))))", "(1 2 3)"),
    "match_letrec": ("(match-letrec (((a b) (list 1 2)) (f (lambda () 3))) (list a b (f)))", "(1 2 3)"),
    # SRFI-9 records
    "record_pattern": ("(define-record-type employee (make-employee name title) employee? "
                       "(name get-name) (title get-title)) "
                       "(match (make-employee \"Bob\" \"Doctor\") (($ employee n t) (list t n)))",
                       "(\"Doctor\" \"Bob\")"),
    # hygiene and recursion
    "macro_introduced_pattern_variable": (
        "(define-syntax my-first (syntax-rules () ((_ e) (match e ((x . _) x))))) "
        "(let ((x 10)) (list (my-first '(1 2)) x))", "(1 10)"),
    "macro_escaped_ellipsis": ("(define-syntax m (syntax-rules () ((_ e) (match e ((a (... ...)) a))))) "
                               "(m '(1 2 3))", "(1 2 3)"),
    "macro_passed_pattern_variable": (
        "(define-syntax m2 (syntax-rules () ((_ e v) (match e ((v . rest) (list v rest)))))) (m2 '(1 2) y)",
        "(1 (2))"),
    "closures_capture_each_iteration": (
        "(let loop ((l '(1 2 3)) (acc '())) (match l (() (map (lambda (f) (f)) acc)) "
        "((x . rest) (loop rest (cons (lambda () x) acc)))))", "(3 2 1)"),
    "tree_recursion": ("(define (count-leaves t) (match t ((a . b) (+ (count-leaves a) (count-leaves b))) "
                       "(() 0) (_ 1))) (count-leaves '((1 2) (3 (4 5)) 6))", "6"),
    "tail_calls_in_clause_bodies": (
        "(let loop ((l (iota 100000)) (acc 0)) (match l (() acc) ((x . rest) (loop rest (+ acc x)))))",
        "4999950000"),
}


@pytest.mark.parametrize("name", list(GUILE_CASES))
def test_match_like_guile(ev, name: str) -> None:
    text, expected = GUILE_CASES[name]
    assert ev(text) == expected


EXTENSION_CASES = {
    # `..N` (at least N): Guile 3.0.8 only knows `..1`.
    "ellipsis_at_least_n": ("(match '(1 2 3) ((a ..2) a))", "(1 2 3)"),
    "ellipsis_at_least_n_fails": ("(match '(1) ((a ..2) a) (_ 'short))", "short"),
    "one_or_more_followed_by_pattern": ("(match '(1 2 3) ((a ..1 b) (list a b)))", "((1 2) 3)"),
    # ,@ in quasi-patterns (a syntax error in Guile 3.0.8).
    "unquote_splicing_rest": ("(match '(1 2 3) (`(1 ,@rest) rest))", "(2 3)"),
    "unquote_splicing_middle": ("(match '(1 2 3 4) (`(1 ,@mid ,x) (list mid x)))", "((2 3) 4)"),
    "unquote_splicing_long": ("(match (iota 200) (`(0 1 ,@mid 198 199) (length mid)))", "196"),
    # match-define (not exported by Guile 3.0.8's (ice-9 match)).
    "match_define": ("(match-define (x y . z) '(1 2 3 4)) (list x y z)", "(1 2 (3 4))"),
}


@pytest.mark.parametrize("name", list(EXTENSION_CASES))
def test_match_extensions(ev, name: str) -> None:
    text, expected = EXTENSION_CASES[name]
    assert ev(text) == expected


# ---------------------------------------------------------------- failures


def test_match_failure_raises_match_error(interp: Interpreter) -> None:
    with pytest.raises(SchemeError) as info:
        interp.eval_string("(match '(1 2 3) ((a b) a))", "f.scm")
    cond = info.value.payload
    assert cond.kind == "match-error"
    assert cond.fields["args"][:2] == ["match", "no matching pattern"]
    assert "no matching pattern" in str(info.value)
    assert str(info.value).startswith("f.scm:1:0: error: Throw to key `match-error'")


def test_match_failure_caught_by_guard(ev) -> None:
    assert ev("(guard (e (#t 'caught)) (match 1 (2 3)))") == "caught"


def test_match_failure_catch_all(ev) -> None:
    assert ev("(catch #t (lambda () (match 'x ('y 1))) (lambda (k . args) k))") == "match-error"


def test_match_let_failure_reports_the_failing_value(ev) -> None:
    assert ev("(catch 'match-error (lambda () (match-let (((a b) '(1 2)) ((c) '(3 4))) a)) "
              "(lambda (k . args) args))") == "(\"match\" \"no matching pattern\" (3 4))"


def test_match_lambda_failure(ev) -> None:
    text = "(catch 'match-error (lambda () ((match-lambda (1 'one)) 2)) (lambda (k . a) (caddr a)))"
    assert ev(text) == "2"


@pytest.mark.parametrize("text, message", [
    ("(match '(1 2) ((a ... b ...) a))", "multiple ellipsis patterns not allowed at same level"),
    ("(match '(1 2) ((a ... . b) a))", "dotted tail not allowed after ellipsis"),
    ("(match)", "missing match expression"),
    ("(match 1)", "no match clauses"),
    ("(match 1 ((= car) 1))", "bad = pattern"),
    ("(match 1 ((... a) 1))", "misplaced ellipsis"),
    ("(match 1 (x))", "match clause has no body"),
])
def test_match_syntax_errors(interp: Interpreter, text: str, message: str) -> None:
    with pytest.raises(SchemeError) as info:
        interp.eval_string(text)
    assert info.value.payload.kind == "syntax-error"
    assert message in str(info.value)


# ---------------------------------------------------------------- records


def test_match_guix_record(ev) -> None:
    ev("(use-modules (guix records))"
       "(define-record-type* <thing> thing make-thing thing? (name thing-name) (size thing-size (default 3))"
       " (label thing-label (thunked) (default (string-append \"L-\" (thing-name this-record)))))")
    assert ev("(match (thing (name \"a\")) (($ <thing> n s l) (list n s l)))") == "(\"a\" 3 \"L-a\")"
    assert ev("(match (thing (name \"b\")) (($ <thing> n) n))") == "\"b\""
    assert ev("(match 5 (($ <thing> n) n) (_ 'not-a-thing))") == "not-a-thing"


def test_match_record_of_other_type_fails(ev) -> None:
    ev("(define-record-type <a> (make-a x) a? (x a-x)) (define-record-type <b> (make-b x) b? (x b-x))")
    assert ev("(match (make-b 1) (($ <a> x) (list 'a x)) (($ <b> x) (list 'b x)))") == "(b 1)"


# ---------------------------------------------------------------- size


def test_match_deep_list_with_ellipsis(ev) -> None:
    assert ev("(match (iota 10000) (((? integer? x) ...) (length x)))") == "10000"
    assert ev("(match (iota 10000) ((x ...) (length x)))") == "10000"
    assert ev("(match (map (lambda (i) (list i (* i i))) (iota 10000)) (((a b) ...) (apply + b)))") \
        == "333283335000"


def test_match_many_clauses(ev) -> None:
    clauses = " ".join(f"({i} '{i})" for i in range(150))
    ev(f"(define (many x) (match x {clauses} ((a . b) (list 'pair a b)) (_ 'no)))")
    assert ev("(list (many 3) (many 149) (many '(1 . 2)) (many 1000))") == "(3 149 (pair 1 2) no)"


def test_match_many_clauses_with_failure_continuation(ev) -> None:
    clauses = " ".join(f"({i} '{i})" for i in range(20))
    ev(f"(define (f x) (match x (y (=> next) (if (= y 5) 'five (next))) {clauses} (z 'other)))")
    assert ev("(map f '(5 7 19 20))") == "(five 7 19 other)"


def test_match_long_list_pattern(ev) -> None:
    pattern = " ".join(f"a{i}" for i in range(200))
    assert ev(f"(match (iota 200) (({pattern}) (list a0 a199)))") == "(0 199)"


def test_match_lambda_gets_the_defined_name(ev) -> None:
    assert ev("(define swap (match-lambda ((a . b) (cons b a)))) swap").startswith("#<procedure swap")

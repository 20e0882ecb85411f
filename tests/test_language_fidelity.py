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


def test_optional_then_key_errors_name_the_procedure(ev):
    with pytest.raises(SchemeError, match="In procedure f: Unrecognized keyword: #:d"):
        ev("(define* (f a #:optional b #:key c) a) (f 1 #:d 2)")


def test_without_keys_a_keyword_can_be_an_optional_value(ev):
    assert ev("(define* (g a #:optional b) b) (g 1 #:x)") == "#:x"


def test_keyboard_layout_with_options_keyword(ev):
    assert ev("(use-modules (gnu)) (define k (keyboard-layout \"us\" #:options '(\"ctrl:nocaps\"))) "
              "(list (keyboard-layout-name k) (keyboard-layout-variant k) (keyboard-layout-options k))") \
        == '("us" #f ("ctrl:nocaps"))'


def test_key_default_sees_the_outer_binding_not_the_parameter(ev):
    assert ev("(define x 5) (define* (k #:key (x x)) x) (define* (o #:optional (x x)) x) "
              "(list (k) (k #:x 1) (o) (let ((x 7)) ((lambda* (#:key (x x)) x))))") == "(5 1 5 7)"


# ------------------------------------------------------------------ importing built-in modules


@pytest.fixture()
def ev_lib(tmp_path):
    """An evaluator whose load path has a module (my lib) exporting names the core also has."""
    (tmp_path / "my").mkdir()
    (tmp_path / "my" / "lib.scm").write_text(
        "(define-module (my lib) #:export (string-upcase first))\n"
        "(define (string-upcase s) 'mine)\n(define (first l) 'my-first)\n")
    interp = Interpreter(load_path=[str(tmp_path)])
    return lambda text: write_string(interp.eval_string(text))


def test_importing_a_builtin_module_again_keeps_another_modules_binding(ev_lib):
    # Guile: (srfi srfi-1) does not export string-upcase, so (my lib)'s stays; both export
    # first, and the later import wins.
    assert ev_lib("(use-modules (my lib)) (use-modules (srfi srfi-1) (ice-9 match)) "
                  "(list (string-upcase \"a\") (first '(1 2)))") == "(mine 1)"


def test_reimporting_the_core_module_does_not_undo_a_later_import(ev_lib):
    assert ev_lib("(use-modules (my lib)) (use-modules (guile)) (string-upcase \"a\")") == "mine"


def test_a_definition_stays_the_users_after_a_later_builtin_import(ev):
    assert ev("(define (last x) 'user-last) (use-modules (srfi srfi-1)) (last '(1 2))") == "user-last"


def test_builtin_module_exports_only_its_guile_names(ev):
    with pytest.raises(SchemeError, match="does not export string-upcase"):
        ev("(use-modules ((srfi srfi-1) #:select (string-upcase)))")
    assert ev("(use-modules ((srfi srfi-1) #:select (fold))) (fold + 0 '(1 2))") == "3"


def test_service_after_gnu_and_srfi_imports(ev):
    assert ev("(use-modules (gnu) (srfi srfi-1) (ice-9 match)) (use-service-modules ssh) "
              "(service-kind (service openssh-service-type))") == ev(
        "(use-modules (gnu)) (use-service-modules ssh) openssh-service-type")


def test_srfi_43_vector_map_passes_the_index_first(ev):
    assert ev("(vector-map (lambda (x) (* x 2)) #(1 2))") == "#(2 4)"
    assert ev("(use-modules (srfi srfi-43)) (list (vector-map (lambda (i x) (list i x)) #(a b)) "
              "(let ((v (vector 1 2))) (vector-map! (lambda (i x) (+ i x)) v) v))") == "(#((0 a) (1 b)) #(1 3))"


# ------------------------------------------------------------------ Guix record constructors

OS = """(use-modules (gnu))
(define os (operating-system
  (host-name "h")
  (keyboard-layout (keyboard-layout "us" "altgr-intl"))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))
                                        (keyboard-layout keyboard-layout)))
  (mapped-devices (list (mapped-device (source "/dev/sda2") (target "root") (type luks-device-mapping))))
  (file-systems (cons (file-system (device "/dev/mapper/root") (mount-point "/") (type "ext4")
                                   (dependencies mapped-devices))
                      %base-file-systems))))
"""


def test_record_field_sees_an_earlier_field_by_name(ev):
    assert ev(OS + "(keyboard-layout-name (bootloader-configuration-keyboard-layout "
                   "(operating-system-bootloader os)))") == '"us"'


def test_file_system_dependencies_sees_the_mapped_devices_field(ev):
    assert ev(OS + "(map mapped-device-target (file-system-dependencies "
                   "(car (operating-system-file-systems os))))") == '("root")'


def test_record_field_sees_the_sanitized_value_and_not_later_fields(ev):
    assert ev("(use-modules (guix records)) "
              "(define-record-type* <thing> thing make-thing thing? "
              "  (a thing-a (sanitize (lambda (v) (* v 10)))) (b thing-b) (c thing-c (default 0))) "
              "(define b 'outer) "
              "(define t (thing (a 1) (c b) (b (+ a 1)))) "
              "(list (thing-a t) (thing-b t) (thing-c t))") == "(10 11 outer)"


# ------------------------------------------------------------------ exceptions


def test_non_unwinding_handler_runs_in_the_dynamic_context_of_raise(ev):
    assert ev("""(define p (make-parameter 'outer)) (define log '())
      (define (note x) (set! log (cons x log)))
      (define r (call/cc (lambda (k)
        (with-exception-handler
          (lambda (e) (note (list 'handler e (p))) (k 'escaped))
          (lambda () (dynamic-wind (lambda () (note 'before))
                                   (lambda () (parameterize ((p 'inner)) (raise 'boom)))
                                   (lambda () (note 'after))))))))
      (list r (reverse log))""") == "(escaped (before (handler boom inner) after))"


def test_error_and_throw_reach_the_handler_before_unwinding(ev):
    assert ev("""(define p (make-parameter 'outer))
      (define (try thunk) (call/cc (lambda (k) (with-exception-handler (lambda (e) (k (p)))
                                                 (lambda () (parameterize ((p 'in)) (thunk)))))))
      (list (try (lambda () (error "bad" 1))) (try (lambda () (throw 'foo 1)))
            (try (lambda () (catch 'other (lambda () (throw 'foo 1)) (lambda a 'caught)))))""") == "(in in in)"


def test_primitive_errors_reach_the_handler_inside_the_dynamic_context(ev):
    assert ev("""(define p (make-parameter 'outer)) (define log '())
      (define (try thunk)
        (call/cc (lambda (k) (with-exception-handler (lambda (e) (k (list (p) (reverse log))))
          (lambda () (dynamic-wind (lambda () (set! log (cons 'in log))) thunk
                                   (lambda () (set! log (cons 'out log)))))))))
      (list (try (lambda () (parameterize ((p 'in)) (car 1))))
            (try (lambda () (parameterize ((p 'in)) (vector-ref (vector) 3)))))""") \
        == "((in (in)) (in (in out in)))"


def test_guard_inside_a_handler_still_catches_first(ev):
    assert ev("(call/cc (lambda (k) (with-exception-handler (lambda (e) (k (list 'outer e))) "
              "(lambda () (guard (e ((symbol? e) (list 'guard e))) (raise 'x))))))") == "(guard x)"
    assert ev("(call/cc (lambda (k) (with-exception-handler (lambda (e) (k (list 'outer e))) "
              "(lambda () (guard (e ((string? e) (list 'guard e))) (raise 'x))))))") == "(outer x)"


def test_a_handler_raising_goes_to_the_outer_handler(ev):
    assert ev("(call/cc (lambda (k) (with-exception-handler (lambda (e) (k (list 'outer e))) "
              "(lambda () (with-exception-handler (lambda (e) (raise (list 'inner e))) "
              "(lambda () (raise 'x)))))))") == "(outer (inner x))"
    assert ev("(with-exception-handler (lambda (e) 10) (lambda () (+ 1 (raise-continuable 'c))))") == "11"
    with pytest.raises(SchemeError, match="non-continuable"):
        ev("(with-exception-handler (lambda (e) 0) (lambda () (+ 1 (raise 'oops))))")


# ------------------------------------------------------------------ lists


def test_map_and_for_each_stop_at_the_finite_list_when_another_is_circular(ev):
    assert ev("(define c (list 1 2)) (set-cdr! (cdr c) c) (define out '()) "
              "(for-each (lambda (a b) (set! out (cons (list a b) out))) '(x y z) c) "
              "(list (map + c '(10 20 30)) (reverse out))") == "((11 22 31) ((x 1) (y 2) (z 1)))"


def test_srfi1_procedures_over_a_circular_list(ev):
    assert ev("(use-modules (srfi srfi-1)) (define c (circular-list 1 2)) "
              "(list (fold cons* '() '(a b c) c) (append-map list c '(p q r)) (circular-list? c) "
              "(circular-list? '(1)))") == "((c 1 b 2 a 1) (1 p 2 q 1 r) #t #f)"


def test_map_over_only_circular_lists_is_an_error(ev):
    with pytest.raises(SchemeError):
        ev("(define c (list 1)) (set-cdr! c c) (map + c c)")
    with pytest.raises(SchemeError):
        ev("(define c (list 1)) (set-cdr! c c) (map 1+ c)")


# ------------------------------------------------------------------ ports


def test_reading_again_after_a_read_error_continues_after_the_bad_text(ev):
    assert ev("""(define (all s)
        (define p (open-input-string s))
        (let loop ((n 0) (acc '()))
          (if (= n 10) 'looping
              (let ((r (catch 'read-error (lambda () (read p)) (lambda _ 'ERR))))
                (if (eof-object? r) (reverse acc) (loop (+ n 1) (cons r acc)))))))
      (map all '("#\\\\foo bar" "(1 . ) y" "#<foo> (c d)" ") e" "(a #<x> b) c" "(1 2" "abc #| x"))""") \
        == "((ERR bar) (ERR y) (ERR foo> (c d)) (ERR e) (ERR x> b ERR c) (ERR) (abc ERR))"


# ------------------------------------------------------------------ printing


def test_record_prints_with_its_type_name_as_given(ev):
    assert ev("(define-record-type <point> (make-point x y) point? (x point-x) (y point-y)) "
              "(define-record-type point2 (mk2 a) p2? (a p2-a)) "
              "(call-with-output-string (lambda (p) (write (list (make-point 10 2) (mk2 \"a\")) p)))") \
        == '"(#<<point> x: 10 y: 2> #<point2 a: \\"a\\">)"'


def test_primitive_prints_with_its_arity_like_guile(ev):
    assert ev("(map (lambda (p) (call-with-output-string (lambda (o) (write p o)))) "
              "(list car cons list display hash-ref vector-ref newline))") == (
        '("#<procedure car (_)>" "#<procedure cons (_ _)>" "#<procedure list _>" '
        '"#<procedure display (_ #:optional _)>" "#<procedure hash-ref (_ _ #:optional _)>" '
        '"#<procedure vector-ref (_ _)>" "#<procedure newline (#:optional _)>")')


@pytest.mark.parametrize("definition, printed", [
    # what GNU Guile 3.0.8 prints for each, compiled (guile FILE)
    ("(define* (f a #:optional b #:key c) a)", "#<procedure f (a #:optional b #:key c)>"),
    ("(define* (f #:optional (b 1) c #:key (d 2) e #:rest r) b)", "#<procedure f (#:optional b c #:key d e . r)>"),
    ("(define* (f a #:optional b c #:key d #:allow-other-keys) a)", "#<procedure f (a #:optional b c #:key d)>"),
    ("(define* (f #:optional b #:key c . r) b)", "#<procedure f (#:optional b #:key c . r)>"),
    ("(define* (f a #:key c #:allow-other-keys) a)", "#<procedure f (a #:key c)>"),
    ("(define* (f a #:optional b . r) a)", "#<procedure f (a #:optional b . r)>"),
])
def test_procedure_with_optional_and_key_prints_its_formals_like_guile(ev, definition, printed):
    ev(definition)
    assert ev("(call-with-output-string (lambda (o) (display f o)))") == write_string(printed)


# ------------------------------------------------------------------ Guile core names


def test_reflection_names_from_guiles_core(ev):
    assert ev("(define xyz 1) (list (defined? 'car) (defined? 'nope) (defined? 'xyz (current-module)) "
              "(module-defined? (current-module) 'xyz) (macro? (module-ref (current-module) 'when)) "
              "(macro? car) (module-name (current-module)))") == "(#t #f #t #t #t #f (guile-user))"


def test_time_and_version_names(ev):
    assert ev("(list internal-time-units-per-second (exact-integer? (get-internal-real-time)) "
              "(exact-integer? (get-internal-run-time)) (string? (version)) (major-version) (effective-version) "
              "(strftime \"%Y-%m-%d %H:%M\" (gmtime 86400)) (localtime 0 \"UTC\"))") == (
        '(1000000000 #t #t #t "3" "3.0" "1970-01-02 00:00" #(0 0 0 1 0 70 4 0 0 0 "UTC"))')


def test_reader_and_printer_options(ev):
    assert ev("(list (read-enable 'square-brackets) (print-enable 'escape-newlines))") \
        == "((positions square-brackets keywords #f) (escape-newlines))"
    with pytest.raises(SchemeError, match="not supported"):
        ev("(read-enable 'curly-infix)")


def test_add_to_load_path_and_current_filename(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "m.scm").write_text("(define-module (m) #:export (answer))\n(define answer 42)\n")
    main = tmp_path / "main.scm"
    main.write_text("(add-to-load-path (string-append (dirname (current-filename)) \"/lib\"))\n"
                    "(use-modules (m))\n(list (current-filename) answer)\n")
    interp = Interpreter()
    assert write_string(interp.run_protected(lambda: interp.load_file(str(main)))) == f'("{main}" 42)'


def test_exception_kind_args_scm_error_and_misc_names(ev):
    assert ev("(with-exception-handler (lambda (e) (list (exception-kind e) (exception-args e))) "
              "(lambda () (throw 'foo 1 2)) #:unwind? #t)") == "(foo (1 2))"
    assert ev("(catch 'my-key (lambda () (scm-error 'my-key \"proc\" \"bad ~a\" (list 1) #f)) "
              "(lambda (k . a) (list k a)))") == '(my-key ("proc" "bad ~a" (1) #f))'
    assert ev("(list (and-map odd? '(1 3)) (or-map even? '(1 3)) (log10 100) (sinh 0) "
              "(string-capitalize \"hello wORLD\") (thunk? (lambda () 1)) (thunk? car) (object->string '(1 \"a\")) "
              "(sort-list '(3 1 2) <))") == '(#t #f 2.0 0 "Hello World" #t #f "(1 \\"a\\")" (1 2 3))'


# ------------------------------------------------------------------ (ice-9 regex)


def test_regex_with_nested_repetition_answers_fast(ev):
    start = time.perf_counter()
    assert ev("(use-modules (ice-9 regex)) "
              "(string-match \"^(a+)+$\" (string-append (make-string 40 #\\a) \"b\"))") == "#f"
    assert time.perf_counter() - start < 2


def test_regex_has_posix_leftmost_longest_semantics(ev):
    assert ev("(use-modules (ice-9 regex)) "
              "(map (lambda (p) (let ((m (string-match (car p) (cdr p)))) (and m (match:substring m)))) "
              "'((\"a|ab\" . \"ab\") (\"(a*)(ab)*b\" . \"aabb\") (\"(foo|foobar)baz\" . \"foobarbaz\") "
              "(\"a.b\" . \"a\\nb\") (\"^b\" . \"a\\nb\")))") == '("ab" "aabb" "foobarbaz" "a\\nb" #f)'


def test_regex_newline_flag_and_backreference_fallback(ev):
    assert ev("(use-modules (ice-9 regex)) "
              "(list (match:substring (regexp-exec (make-regexp \"^b\" regexp/newline) \"a\\nb\")) "
              "(match:substring (string-match \"(a)\\\\1\" \"xaa\")) "
              "(match:start (string-match \"x(é)y\" \"ééxéy\") 1))") == '("b" "aa" 3)'


# ------------------------------------------------------------------ numbers and pretty-print


def test_inexact_expt_with_integer_power_rounds_as_guile(ev):
    assert ev("(list (expt 10. -2) (expt 10. 23) (expt 1.1 10) (expt 0.3 5))") \
        == "(0.010000000000000002 1.0e23 2.593742460100002 0.00243)"


def test_pretty_print_lays_out_code_as_guile(ev):
    out = ev("(use-modules (ice-9 pretty-print)) (with-output-to-string (lambda () (pretty-print "
             "'(define (f x) (let ((y (* x x))) (if (> y 10) (list 'big y) (list 'small y)))))))")
    assert out == ('"(define (f x)\\n  (let ((y (* x x)))\\n'
                   '    (if (> y 10) (list \'big y) (list \'small y))))\\n"')


def test_catch_arguments_of_primitive_errors_are_guiles(ev):
    assert ev("(define (args thunk) (catch #t thunk (lambda (k . args) (cons k args)))) "
              "(list (args (lambda () (car 5))) (args (lambda () (vector-ref (vector 1 2) 10))) "
              "(args (lambda () (undefined-procedure-x 1))))") == (
        '((wrong-type-arg "car" "Wrong type argument in position 1 (expecting pair): ~S" (5) (5)) '
        '(out-of-range "vector-ref" "Argument 2 out of range: ~S" (10) (10)) '
        '(unbound-variable #f "Unbound variable: ~S" (undefined-procedure-x) #f))')


def test_max_and_min_of_zeros_as_guile(ev):
    assert ev("(list (max -0.0 0) (max 0.0 -0.0) (min 0 -0.0) (min -0.0 0.0))") == "(0.0 0.0 -0.0 -0.0)"


def test_let_optional_and_let_keywords(ev):
    assert ev("(use-modules (ice-9 optargs)) "
              "(define (f . args) (let-keywords args #f ((a 1) (b 2)) (list a b))) "
              "(define (g . args) (let-optional args ((x 10) (y 20) . r) (list x y r))) "
              "(list (f) (f #:b 5) (g) (g 1) (g 1 2 3))") == "((1 2) (1 5) (10 20 ()) (1 20 ()) (1 2 (3)))"


def test_inexact_division_results_round_as_guile(ev):
    assert ev("(list (modulo 123456789012345678901 1e10) (remainder -123456789012345678901. 1e10) "
              "(modulo -7.0 7) (quotient 3.0 -5) (log 1/3) (log 123456789012345678901) (numerator +inf.0))") \
        == "(2345680896.0 -2345680896.0 0.0 -0.0 -1.0986122886681096 46.26242288219656 +inf.0)"

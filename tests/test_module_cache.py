"""The module cache (schemy.eval.module_cache): library modules are replayed, not expanded,
on a later run, and any change in them or in what they depend on is seen."""

import os
import stat

import pytest
from helpers import cold_then_warm

from schemy.eval import module_cache
from schemy.eval.interpreter import Interpreter

LIB_A = """(define-module (mc a) #:export (twice base-value define-getter))
(define-syntax twice (syntax-rules () ((_ e) (* 2 e))))
(define base-value (+ 20 1))
(define-syntax define-getter
  (syntax-rules () ((_ name v) (define (name) v))))
"""

LIB_B = """(define-module (mc b) #:use-module (mc a) #:use-module (mc c) #:export (answer greeting get-c items))
(define (answer) (twice base-value))
(define greeting (string-append "hello " (symbol->string 'world)))
(define-getter get-c c-value)
(define items '(1 "two" #\\3 #(4) 5.5 #:six))
(define-public (public-one) 1)
"""

LIB_C = """(define-module (mc c) #:export (c-value))
(define c-value 'c-one)
"""


@pytest.fixture
def lib(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SCHEMY_NO_CACHE", raising=False)
    d = tmp_path / "lib" / "mc"
    d.mkdir(parents=True)
    (d / "a.scm").write_text(LIB_A)
    (d / "b.scm").write_text(LIB_B)
    (d / "c.scm").write_text(LIB_C)
    return tmp_path


def run(lib, expr="(list (answer) greeting (get-c) items (public-one))"):
    """Evaluate ``expr`` after importing (mc b) in a fresh interpreter; (value, cache counts)."""
    before = dict(module_cache.STATS)
    interp = Interpreter(load_path=[str(lib / "lib")])
    from schemy.lang.printer import write_string

    value = interp.eval_string(f"(use-modules (mc b)) {expr}")
    return write_string(value), {k: module_cache.STATS[k] - before[k] for k in before}


def entries(lib):
    return sorted((lib / "cache" / "schemy" / "modules").glob("*.entry"))


def test_a_second_run_replays_the_modules_instead_of_expanding_them(lib):
    first, counts1 = run(lib)
    assert first == '(42 "hello world" c-one (1 "two" #\\3 #(4) 5.5 #:six) 1)'
    assert counts1["hit"] == 0 and counts1["written"] == 3
    second, counts2 = run(lib)
    assert second == first
    assert counts2["hit"] == 3 and counts2["miss"] == 0
    assert counts2["forms_replayed"] >= 4  # b's definitions ran from the cache


def test_a_changed_macro_in_a_dependency_is_seen_by_its_dependents(lib):
    run(lib)
    run(lib)
    a = lib / "lib" / "mc" / "a.scm"
    a.write_text(a.read_text().replace("(* 2 e)", "(* 3 e)"))
    value, counts = run(lib, "(answer)")
    assert value == "63"
    assert counts["hit"] == 1  # only (mc c), which does not depend on (mc a)


def test_a_change_two_imports_away_is_seen(lib):
    run(lib)
    c = lib / "lib" / "mc" / "c.scm"
    c.write_text(c.read_text().replace("c-one", "c-two"))
    value, counts = run(lib, "(get-c)")
    assert value == "c-two"
    assert counts["hit"] == 1  # (mc a) only


def test_a_procedure_defined_by_a_dependency_macro_is_replayed_with_its_new_body(lib):
    run(lib)
    a = lib / "lib" / "mc" / "a.scm"
    a.write_text(a.read_text().replace("(define (name) v)", "(define (name) (list v v))"))
    value, _ = run(lib, "(get-c)")
    assert value == "(c-one c-one)"


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty"])
def test_a_damaged_entry_is_ignored_and_rewritten(lib, damage):
    first, _ = run(lib)
    for path in entries(lib):
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "flip":
            path.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
        else:
            path.write_bytes(b"")
    again, counts = run(lib)
    assert again == first
    assert counts["hit"] == 0 and counts["written"] == 3
    third, counts = run(lib)
    assert third == first and counts["hit"] == 3


def test_entries_are_private_and_written_atomically(lib):
    run(lib)
    directory = lib / "cache" / "schemy" / "modules"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert len(entries(lib)) == 3
    for path in entries(lib):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in os.listdir(directory) if p.startswith(".tmp-")]  # no leftover temporaries


def test_schemy_no_cache_turns_the_module_cache_off(lib, monkeypatch):
    monkeypatch.setenv("SCHEMY_NO_CACHE", "1")
    value, counts = run(lib)
    value2, counts2 = run(lib)
    assert value == value2
    assert counts["written"] == counts2["written"] == counts2["hit"] == 0
    assert not (lib / "cache" / "schemy" / "modules").exists()


def test_a_module_found_elsewhere_on_the_load_path_is_not_taken_from_the_cache(lib):
    run(lib)
    other = lib / "other" / "mc"
    other.mkdir(parents=True)
    (other / "c.scm").write_text(LIB_C.replace("c-one", "c-elsewhere"))
    interp = Interpreter(load_path=[str(lib / "other"), str(lib / "lib")])
    from schemy.lang.printer import write_string

    assert write_string(interp.eval_string("(use-modules (mc b)) (get-c)")) == "c-elsewhere"


def test_forms_with_module_effects_run_again_on_a_replay(lib):
    """define-syntax and define-module are kept as source: the replayed module still has
    its macros and its interface."""
    run(lib)
    interp = Interpreter(load_path=[str(lib / "lib")])
    from schemy.lang.printer import write_string

    value = interp.eval_string("(use-modules (mc a)) (twice 5)")
    assert write_string(value) == "10"


def test_counters_move_past_the_names_of_replayed_code(lib):
    run(lib)
    interp = Interpreter(load_path=[str(lib / "lib")])
    interp.eval_string("(use-modules (mc b))")
    entry = module_cache._read(interp, entries(lib)[0])
    assert entry is not None
    now = interp.compiler.counter_values()
    assert all(n >= c for n, c in zip(now, entry[1]))


def test_a_form_that_includes_a_file_is_expanded_again(lib):
    (lib / "lib" / "mc" / "part.scm").write_text("(define part-value 'one)\n")
    (lib / "lib" / "mc" / "d.scm").write_text(
        '(define-module (mc d) #:export (part-value))\n(include "part.scm")\n')
    interp = Interpreter(load_path=[str(lib / "lib")])
    from schemy.lang.printer import write_string

    assert write_string(interp.eval_string("(use-modules (mc d)) part-value")) == "one"
    (lib / "lib" / "mc" / "part.scm").write_text("(define part-value 'two)\n")
    interp = Interpreter(load_path=[str(lib / "lib")])
    assert write_string(interp.eval_string("(use-modules (mc d)) part-value")) == "two"


def test_a_macro_expanding_to_definitions_and_a_macro_is_replayed_form_by_form(lib):
    (lib / "lib" / "mc" / "e.scm").write_text(
        "(define-module (mc e) #:export (define-pair-type))\n"
        "(define-syntax define-pair-type\n"
        "  (syntax-rules ()\n"
        "    ((_ name getter maker)\n"
        "     (begin (define (maker a b) (cons a b))\n"
        "            (define (getter p) (car p))\n"
        "            (define-syntax name (syntax-rules () ((_ x) (getter x))))))))\n")
    (lib / "lib" / "mc" / "f.scm").write_text(
        "(define-module (mc f) #:use-module (mc e) #:export (use-it first-of pair-first))\n"
        "(define-pair-type first-of pair-first make-pair*)\n"
        "(define (use-it) (first-of (make-pair* 1 2)))\n")
    results = [(v, c["forms_replayed"]) for v, c in cold_then_warm(
        [str(lib / "lib")], "(use-modules (mc f)) (list (use-it) (first-of '(7)) (pair-first '(8)))",
        interpreter=Interpreter)]
    assert results[0] == ("(1 7 8)", 0)
    assert results[1][0] == "(1 7 8)"
    assert results[1][1] >= 3  # make-pair*, pair-first and use-it ran from the cache


def test_schemy_no_module_cache_turns_off_this_cache_alone(lib, monkeypatch):
    monkeypatch.setenv("SCHEMY_NO_MODULE_CACHE", "1")
    value, counts = run(lib)
    assert value.startswith("(42 ")
    assert counts["written"] == counts["hit"] == 0
    assert module_cache.cache_dir() is None


def test_entries_of_another_schemy_are_not_used(lib, monkeypatch):
    """The key includes the fingerprint of schemy's own files: code made by another schemy
    (an edited compiler or expander) is never replayed."""
    run(lib)
    monkeypatch.setattr(module_cache, "_FINGERPRINT", [b"another schemy"])
    value, counts = run(lib)
    assert value.startswith("(42 ")
    assert counts["hit"] == 0 and counts["written"] == 3


def test_the_fingerprint_covers_the_package_the_grammar_and_the_catalogue(monkeypatch):
    seen = []
    real = os.stat

    def recording_stat(path, *args, **kwargs):
        seen.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(module_cache, "_FINGERPRINT", [])
    monkeypatch.setattr(module_cache.os, "stat", recording_stat)
    module_cache.schemy_fingerprint()
    assert any(p.endswith("scheme.lark") for p in seen)
    assert any(p.endswith("index.json") for p in seen)


def test_replayed_code_reports_errors_and_names_as_compiled_code_does(lib):
    (lib / "lib" / "mc" / "m.scm").write_text(
        "(define-module (mc m) #:export (f))\n(define (f x)\n  (car x))\n")
    from schemy.lang.errors import SchemeError
    from schemy.lang.printer import write_string

    seen = []
    for _ in range(2):
        interp = Interpreter(load_path=[str(lib / "lib")])
        name = write_string(interp.eval_string("(use-modules (mc m)) (list (procedure-name f) f)"))
        with pytest.raises(SchemeError) as err:
            interp.eval_string("(f 5)")
        seen.append((name, str(err.value.loc), str(err.value)))
    assert seen[0] == seen[1]
    assert seen[0][0] == "(f #<procedure f (x)>)"
    assert "m.scm:3:2" in seen[0][1]


def test_a_module_reloaded_in_the_session_is_what_later_modules_are_checked_against(lib):
    run(lib)  # entries for a, b, c
    interp = Interpreter(load_path=[str(lib / "lib")])
    interp.eval_string("(use-modules (mc a))")
    a = lib / "lib" / "mc" / "a.scm"
    a.write_text(a.read_text().replace("(* 2 e)", "(* 5 e)"))
    interp.load_file(str(a), interp.modules[("mc", "a")])  # what the REPL's ,reload does
    from schemy.lang.printer import write_string

    assert write_string(interp.eval_string("(use-modules (mc b)) (answer)")) == "105"


def test_a_library_file_defining_another_module_is_expanded_again(lib):
    """A form whose expansion made a module that no file or provider makes by name (an
    r7rs define-library of another name) cannot be replayed: it is kept as source."""
    (lib / "lib" / "mc" / "lib.sld").write_text(
        "(define-library (mc other) (export x) (begin (define x 7)))\n"
        "(define-module (mc lib) #:use-module (mc other) #:export (y))\n(define y (+ x 1))\n")
    from schemy.lang.printer import write_string

    for _ in range(2):
        interp = Interpreter(load_path=[str(lib / "lib")])
        assert write_string(interp.eval_string("(use-modules (mc lib)) y")) == "8"


def test_a_procedure_with_a_tail_call_to_a_global_is_replayed_not_expanded(lib):
    """A tail call to a global procedure keeps an inline cache (compiler._TailSite) among its
    constants: it is stored as a fresh, empty one, so the form is replayed."""
    (lib / "lib" / "mc" / "t.scm").write_text(
        "(define-module (mc t) #:export (count-down))\n"
        "(define (step n) (count-down (- n 1)))\n"
        "(define (count-down n) (if (= n 0) 'done (step n)))\n")
    runs = cold_then_warm([str(lib / "lib")], "(use-modules (mc t)) (count-down 100000)", interpreter=Interpreter)
    assert [v for v, _ in runs] == ["done", "done"]
    counts = [c for _, c in runs]
    assert counts[1]["hit"] == 1
    assert counts[1]["forms_expanded"] == 0
    assert counts[1]["forms_replayed"] == 3


MACROS = """(define-module (mc m) #:export (swap! my-or define-getters))
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define-syntax my-or
  (lambda (x)
    (syntax-case x ()
      ((_) #'#f)
      ((_ e) #'e)
      ((_ e r ...) #'(let ((t e)) (if t t (my-or r ...)))))))
(define-syntax define-getters
  (lambda (x)
    (syntax-case x ()
      ((_ (name value) ...)
       #'(begin (define (name) (list 'TAG value)) ...
                (define-syntax all-getters
                  (lambda (y) #'(list (name) ...))))))))
"""

USER = """(define-module (mc u) #:use-module (mc m) #:export (run-it))
(define-getters (get-a 1) (get-b 2))
(define (run-it)
  (let ((tmp 1) (t 2) (y 3))
    (swap! tmp y)
    (list tmp y (my-or #f t) (all-getters))))
"""


def _run_macros(lib):
    from schemy.lang.printer import write_string

    before = dict(module_cache.STATS)
    interp = Interpreter(load_path=[str(lib / "lib")])
    value = write_string(interp.eval_string("(use-modules (mc u)) (run-it)"))
    return value, {k: module_cache.STATS[k] - before[k] for k in before}


def test_macros_are_replayed_without_expanding_their_definitions(lib):
    """define-syntax (syntax-rules and syntax-case transformers, syntax templates included)
    and a procedural macro expanding to definitions and a macro are stored: a second run
    expands nothing of (mc m) or (mc u), and the macros still work, hygienically."""
    (lib / "lib" / "mc" / "m.scm").write_text(MACROS)
    (lib / "lib" / "mc" / "u.scm").write_text(USER)
    first, counts1 = _run_macros(lib)
    assert first == "(3 1 2 ((TAG 1) (TAG 2)))"
    second, counts2 = _run_macros(lib)
    assert second == first
    assert counts2["hit"] == 2
    assert counts2["forms_expanded"] == 2  # the two define-module forms only
    interp = Interpreter(load_path=[str(lib / "lib")])  # the replayed macros expand new code
    from schemy.lang.printer import write_string

    value = interp.eval_string("(use-modules (mc m)) (let ((tmp 5) (x 6)) (swap! tmp x) (list tmp x (my-or #f #f 7)))")
    assert write_string(value) == "(6 5 7)"


def test_an_edited_procedural_macro_in_a_dependency_is_seen_by_replayed_dependents(lib):
    (lib / "lib" / "mc" / "m.scm").write_text(MACROS)
    (lib / "lib" / "mc" / "u.scm").write_text(USER)
    _run_macros(lib)
    _run_macros(lib)
    m = lib / "lib" / "mc" / "m.scm"
    m.write_text(MACROS.replace("'TAG", "'EDITED"))
    value, counts = _run_macros(lib)
    assert value == "(3 1 2 ((EDITED 1) (EDITED 2)))"
    assert counts["hit"] == 0
    value, counts = _run_macros(lib)  # and the new entries are replayed
    assert value == "(3 1 2 ((EDITED 1) (EDITED 2)))" and counts["hit"] == 2


def test_an_edited_macro_in_the_module_itself_is_seen(lib):
    (lib / "lib" / "mc" / "m.scm").write_text(MACROS)
    (lib / "lib" / "mc" / "u.scm").write_text(USER)
    _run_macros(lib)
    m = lib / "lib" / "mc" / "m.scm"
    m.write_text(MACROS.replace("((_ e) #'e)", "((_ e) #''edited)"))
    value, _ = _run_macros(lib)
    assert value == "(3 1 edited ((TAG 1) (TAG 2)))"


def test_replayed_units_enter_the_procedure_tables_only_when_they_are_read(lib):
    """Registering a replayed unit's procedures (names, locations, locals) waits for the first
    read of the tables: a warm build reads none.  Arity errors and backtraces still name them."""
    from schemy.lang import procinfo
    from schemy.lang.errors import SchemeError
    from schemy.lang.printer import write_string

    (lib / "lib" / "mc" / "p.scm").write_text(
        "(define-module (mc p) #:export (g))\n(define (g a b)\n  (+ a b))\n")
    Interpreter(load_path=[str(lib / "lib")]).eval_string("(use-modules (mc p))")
    procinfo.flush()
    interp = Interpreter(load_path=[str(lib / "lib")])
    interp.eval_string("(use-modules (mc p))")
    assert procinfo.PENDING  # replayed, not yet registered
    with pytest.raises(SchemeError) as err:
        interp.eval_string("(g 1)")
    assert "g" in str(err.value) and not procinfo.PENDING
    assert write_string(interp.eval_string("g")) == "#<procedure g (a b)>"


def test_a_form_that_re_exports_names_is_replayed_and_its_names_stay_exported(lib):
    """A `re-export` (here made by a procedural macro, as (gnu)'s re-export-public-modules
    makes one) is replayed with the names it re-exports, not expanded again."""
    (lib / "lib" / "mc" / "g.scm").write_text(
        "(define-module (mc g) #:use-module (mc c) #:use-module (mc a))\n"
        "(define-syntax re-export-these\n"
        "  (lambda (x) (syntax-case x () ((_) #`(re-export #,@(map (lambda (n) (datum->syntax x n))\n"
        "                                                         '(c-value base-value)))))))\n"
        "(re-export-these)\n"
        "(re-export twice)\n")
    results = [(v, c["forms_expanded"], c["forms_replayed"]) for v, c in cold_then_warm(
        [str(lib / "lib")], "(use-modules (mc g)) (list c-value base-value (twice 4))", interpreter=Interpreter)]
    assert results[0][0] == results[1][0] == "(c-one 21 8)"
    assert results[1][1] == 1  # only g's define-module was expanded: both re-exports replayed

"""Deferred definitions in the module cache (schemy.eval.module_cache): a replayed module's
procedure, constant and record-procedure definitions are made when their variable is first
read, and give what the expanded module gives."""

import pytest

from schemy.eval import module_cache
from schemy.eval.interpreter import Interpreter
from schemy.lang.datum import Symbol
from schemy.lang.printer import write_string
from schemy.runtime.modules import Cell, LazyCell

LIB_A = """(define-module (lz a) #:export (double make-point point? point-x point-y table-size
                                     counted answer twice-answer))
(define (double x) (* 2 x))
(define-record-type <point> (make-point x y) point? (x point-x) (y point-y))
(define table '((a . 1) (b . 2)))
(define (table-size) (length table))
(define counter 0)
(define (counted) (set! counter (+ counter 1)) counter)
(define (answer) 1)
(define (answer) 42)
(define (twice-answer) (* 2 (answer)))
(define (unused) 'never)
"""

LIB_X = """(define-module (lz x) #:export (helper))
(define (helper) 'imported)
"""

LIB_Y = """(define-module (lz y) #:use-module (lz x) #:export (call-helper))
(define (call-helper) (helper))
(define (helper) 'own)
"""

LIB_W = """(define-module (lz w) #:use-module (lz x) #:export (helper))
(define helper (let ((old helper)) (lambda () (list 'wrapped (old)))))
"""

EXPR = ("(list (double 21) (point-x (make-point 1 2)) (point? (make-point 3 4)) (point? 5) (table-size)"
        " (counted) (counted) (twice-answer))")
VALUE = "(42 1 #t #f 2 1 2 84)"


@pytest.fixture
def lib(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SCHEMY_NO_CACHE", raising=False)
    monkeypatch.delenv("SCHEMY_NO_MODULE_CACHE", raising=False)
    d = tmp_path / "lib" / "lz"
    d.mkdir(parents=True)
    for name, text in (("a", LIB_A), ("x", LIB_X), ("y", LIB_Y), ("w", LIB_W)):
        (d / f"{name}.scm").write_text(text)
    return tmp_path


def run(lib, uses, expr):
    """(value written, cache counts, interpreter) of ``expr`` after ``(use-modules uses)``."""
    before = dict(module_cache.STATS)
    interp = Interpreter(load_path=[str(lib / "lib")])
    value = interp.eval_string(f"(use-modules {uses}) {expr}")
    return write_string(value), {k: module_cache.STATS[k] - before[k] for k in before}, interp


def test_a_replayed_modules_definitions_wait_until_read_and_give_the_expanded_values(lib):
    cold, counts, _ = run(lib, "(lz a)", EXPR)
    assert cold == VALUE and counts["forms_deferred"] == 0
    warm, counts, interp = run(lib, "(lz a)", EXPR)
    assert warm == VALUE
    assert counts["hit"] == 1 and counts["forms_expanded"] == 0
    assert counts["forms_deferred"] >= 8  # double, table, table-size, counter, counted, answer, twice-answer, unused
    module = interp.modules[("lz", "a")]
    unread = module.table[Symbol("unused")]
    assert isinstance(unread, LazyCell) and unread in module.pending  # nothing read it
    assert counts["forms_made"] < counts["forms_deferred"]


def test_a_deferred_variable_becomes_a_plain_cell_once_read(lib):
    run(lib, "(lz a)", "1")
    _, _, interp = run(lib, "(lz a)", "1")
    module = interp.modules[("lz", "a")]
    cell = module.table[Symbol("double")]
    assert type(cell) is LazyCell
    assert write_string(interp.eval_string("(double 4)")) == "8"
    assert type(cell) is Cell and cell not in module.pending
    assert module.table[Symbol("double")] is cell


def test_a_second_definition_of_a_name_wins_when_both_are_deferred(lib):
    run(lib, "(lz a)", "1")
    value, counts, _ = run(lib, "(lz a)", "(answer)")
    assert value == "42" and counts["hit"] == 1


def test_a_later_own_definition_of_an_imported_name_is_the_one_called(lib):
    assert run(lib, "(lz y)", "(call-helper)")[0] == "own"
    value, counts, _ = run(lib, "(lz y)", "(call-helper)")
    assert value == "own" and counts["hit"] == 2


def test_a_module_expanded_against_a_deferred_import_reads_the_import_while_it_defines_its_own(lib):
    """(lz w) is expanded (no entry yet) while (lz x) is replayed with `helper` deferred: the
    definition's right-hand side reads the imported `helper`, not w's own unbound one."""
    run(lib, "(lz x)", "(helper)")
    value, counts, _ = run(lib, "(lz w)", "(helper)")
    assert counts["hit"] == 1 and counts["miss"] == 1
    assert value == "(wrapped imported)"


def test_a_deferred_definition_refers_to_the_variable_a_later_macro_replaced(lib):
    """Made as the module loaded it: `twice-answer` names the variable `answer`, even when a
    macro took the name before `twice-answer` was first read."""
    run(lib, "(lz a)", "1")
    _, _, interp = run(lib, "(lz a)", "1")
    interp.eval_string("(eval '(define-syntax answer (syntax-rules () ((_) 0))) (resolve-module '(lz a)))")
    assert write_string(interp.eval_string("(twice-answer)")) == "84"


def test_looking_for_packages_does_not_make_a_modules_deferred_procedures(lib):
    from schemy.guix.packages import module_public_values

    run(lib, "(lz a)", "1")
    _, _, interp = run(lib, "(lz a)", "1")
    module = interp.modules[("lz", "a")]
    pending = len(module.pending)
    data = write_string(module_public_values(module, True))
    assert len(module.pending) == pending > 0
    assert "make-point" in data and "double" not in data  # made at load (define-record-type) / deferred
    assert "double" in write_string(module_public_values(module))  # every exported value, made
    assert module.table[Symbol("double")] not in module.pending


def test_without_the_module_cache_nothing_is_deferred(lib, monkeypatch):
    monkeypatch.setenv("SCHEMY_NO_MODULE_CACHE", "1")
    for _ in range(2):
        value, counts, interp = run(lib, "(lz a)", EXPR)
        assert value == VALUE and counts["forms_deferred"] == 0
        assert not interp.modules[("lz", "a")].pending


def test_a_replay_pauses_the_collector_and_leaves_it_as_it_was_with_nothing_frozen(lib, monkeypatch):
    """The collector is off while (lz y) replays, on again while (lz x), whose entry is gone,
    is expanded from within that replay, and on with nothing frozen afterwards."""
    import gc

    from schemy.eval.module_cache import entry_path, text_digest

    run(lib, "(lz y)", "1")
    x = lib / "lib" / "lz" / "x.scm"
    entry_path(Interpreter(load_path=[str(lib / "lib")]), ("lz", "x"), str(x), text_digest(x.read_text())).unlink()
    seen = []
    replay, record = module_cache._replay_form, module_cache.Recorder.eval_form

    def replaying(*args, **kwargs):
        seen.append(("replay", gc.isenabled()))
        return replay(*args, **kwargs)

    def recording(self, form):
        seen.append(("record", gc.isenabled()))
        return record(self, form)

    monkeypatch.setattr(module_cache, "_replay_form", replaying)
    monkeypatch.setattr(module_cache.Recorder, "eval_form", recording)
    assert gc.isenabled()
    value, counts, _ = run(lib, "(lz y)", "(call-helper)")
    assert value == "own" and counts["hit"] == 1 and counts["miss"] == 1
    assert ("replay", False) in seen and ("record", True) in seen
    assert ("replay", True) not in seen and ("record", False) not in seen
    assert gc.isenabled() and gc.get_freeze_count() == 0


LIB_R = """(define-module (lz r) #:use-module (guix records) #:export (thing thing-a thing-b other other-x))
(define-record-type* <thing> thing make-thing thing? (a thing-a (default 1))
  (b thing-b (thunked) (default (* 2 (thing-a this-record)))))
(define-record-type* <other> other make-other other? (x other-x (default 5)))
(set-record-type-printer! <thing> (lambda (t port) (display "#<a thing>" port)))
"""


def test_a_record_type_nothing_uses_is_neither_made_nor_set_up_and_a_used_one_is_both(lib):
    (lib / "lib" / "lz" / "r.scm").write_text(LIB_R)
    expr = "(list (thing-a (thing)) (thing-b (thing (a 4))) (object->string (thing)))"
    cold, _, _ = run(lib, "(lz r)", expr)
    assert cold == '(1 8 "#<a thing>")'
    warm, counts, interp = run(lib, "(lz r)", expr)
    assert warm == cold and counts["hit"] >= 1 and counts["miss"] == 0
    module = interp.modules[("lz", "r")]
    assert module.table[Symbol("<other>")] in module.pending
    assert type(module.table[Symbol("<thing>")]) is Cell
    assert run(lib, "(lz r)", "(other-x (other))")[0] == "5"

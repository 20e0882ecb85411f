"""The compiled-code cache (schemy.compile.code_cache) and the store's cheap integrity check."""

import ast
import builtins
import os
from pathlib import Path

import pytest

from schemy.compile import code_cache
from schemy.guix.store import Store


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SCHEMY_NO_CACHE", raising=False)
    return tmp_path / "cache" / "schemy" / "code"


@pytest.fixture
def compiles(monkeypatch):
    """Count the real compile() calls made by the cache."""
    calls = []
    real = builtins.compile

    def counting(source, filename, mode, *args, **kwargs):
        calls.append(filename)
        return real(source, filename, mode, *args, **kwargs)

    monkeypatch.setattr(code_cache, "compile", counting, raising=False)
    return calls


def _tree(source: str) -> tuple:
    """The pytree of a one-function module (its `def` line gives the position)."""
    fn = ast.parse(source).body[0]
    value = fn.body[0].value.value
    ret = ("Ret", (fn.lineno + 1, 4), ("C", (fn.lineno + 1, 11), value))
    return ("Def", (fn.lineno, 0), fn.name, [], [], None, [ret])


def run_file(text="(define x 1)", variant="v1", source="def f():\n    return 42\n"):
    with code_cache.file_scope(text, "/lib/a.scm", variant):
        code = code_cache.compile_tree(_tree(source), "<schemy-1>")
    ns = {}
    exec(code, ns)
    return ns["f"]()


def test_a_second_run_of_the_same_file_compiles_nothing(cache, compiles):
    assert run_file() == 42
    assert run_file() == 42
    assert compiles == ["<schemy-1>"]
    assert len(list(cache.glob("*.marshal"))) == 1


def test_a_changed_file_or_counter_state_is_compiled_again(cache, compiles):
    run_file()
    run_file(text="(define x 2)")
    run_file(variant="v2")
    assert len(compiles) == 3


def test_code_at_other_positions_is_compiled_again(cache, compiles):
    # Positions are Scheme locations: the same code at another place is another entry.
    run_file()
    assert run_file(source="\ndef f():\n    return 42\n") == 42
    assert len(compiles) == 2


def test_a_corrupt_cache_file_is_ignored_and_rewritten(cache, compiles):
    run_file()
    [entry] = cache.glob("*.marshal")
    entry.write_bytes(b"not marshal data")
    assert run_file() == 42
    assert run_file() == 42
    assert len(compiles) == 2


def test_no_cache_when_disabled(cache, compiles, monkeypatch):
    monkeypatch.setenv("SCHEMY_NO_CACHE", "1")
    run_file()
    run_file()
    assert len(compiles) == 2
    assert not cache.exists()


def test_code_outside_a_file_is_compiled_directly(cache, compiles):
    code = code_cache.compile_tree(_tree("def g():\n    return 1\n"), "<schemy-9>")
    assert code.co_filename == "<schemy-9>"
    assert compiles == ["<schemy-9>"]


def test_store_item_recorded_without_fingerprint_still_verifies(tmp_path):
    store = Store(tmp_path / "s")
    path = store.add_text("f.txt", "content")
    record = tmp_path / "s" / ".hashes" / os.path.basename(path)
    digest = record.read_text().split("\n")[0]
    record.write_text(digest)  # the format before fingerprints
    assert Store(tmp_path / "s").verify(path)
    assert len(record.read_text().split("\n")) == 2  # refreshed with a fingerprint


def test_store_detects_a_rewritten_item_even_with_the_same_size(tmp_path):
    store = Store(tmp_path / "s")
    path = Path(store.add_text("g.txt", "good"))
    os.chmod(path, 0o644)
    path.write_text("evil")
    assert not store.verify(str(path))


def test_a_script_s_code_is_cached_before_its_last_form_runs(cache, tmp_path):
    """The last form of a file (a script's program) runs after the file's code cache is
    written, so the marshalled code does not add to the heap at its fullest."""
    from schemy.app import Interpreter
    from schemy.lang.datum import Symbol

    script = tmp_path / "prog.scm"
    seen = []

    def check_cache() -> None:
        seg = code_cache.current_segment()
        seen.append(seg.path.exists())

    interp = Interpreter()
    interp.cache_code = True  # (only a process's first interpreter uses the cache)
    interp.current_module.define(Symbol("check-cache"), check_cache)
    script.write_text("(define (f x) (* x 2))\n(define y (f 3))\n(check-cache)\n(define z (f 4))\n")
    interp.run_protected(lambda: interp.load_file(str(script)))
    script.write_text("(define (f x) (* x 2))\n(define y (f 3))\n(check-cache)\n")
    interp.run_protected(lambda: interp.load_file(str(script)))
    assert seen == [False, True]  # not written before a form that is not the last; before the last


def test_code_compiled_after_the_early_save_is_saved_at_the_end(cache, compiles):
    def load() -> None:
        with code_cache.file_scope("(f) (g)", "/lib/a.scm", "v1"):
            code_cache.compile_tree(_tree("def f():\n    return 1\n"), "<schemy-1>")
            code_cache.save_early(code_cache.current_segment())
            code_cache.compile_tree(_tree("def g():\n    return 2\n"), "<schemy-2>")

    load()
    assert compiles == ["<schemy-1>", "<schemy-2>"]
    load()  # both were saved: nothing compiled again
    assert compiles == ["<schemy-1>", "<schemy-2>"]


def test_the_early_save_lets_go_of_the_file_s_code(cache, compiles):
    """Once a script's code is saved before its last form runs, the segment holds no code
    objects: the program runs without every form's top-level code alive."""
    with code_cache.file_scope("(f) (g)", "/lib/b.scm", "v1"):
        code_cache.compile_tree(_tree("def f():\n    return 1\n"), "<schemy-1>")
        seg = code_cache.current_segment()
        code_cache.save_early(seg)
        assert seg.old == {} and seg.used == {}
    with code_cache.file_scope("(f) (g)", "/lib/b.scm", "v1"):
        code_cache.compile_tree(_tree("def f():\n    return 1\n"), "<schemy-1>")
        seg = code_cache.current_segment()
        code_cache.save_early(seg)  # nothing new: not written, still let go
        assert seg.old == {} and seg.used == {}
        code_cache.compile_tree(_tree("def f():\n    return 1\n"), "<schemy-1>")  # read again
    assert compiles == ["<schemy-1>"]


def test_a_script_s_last_form_runs_without_the_earlier_forms_held():
    """eval_forms takes each form out of its list: the source of every earlier form (pairs
    and source locations, 9 MB for the R7RS compiler program) is not alive while the program runs."""
    from schemy.app import Interpreter
    from schemy.lang.datum import Symbol
    from schemy.lang.reader import read

    interp = Interpreter()
    forms = read("(define big '(1 2 3))\n(define (f x) x)\n(snapshot)\n", "prog.scm")
    seen = []
    interp.current_module.define(Symbol("snapshot"), lambda: seen.append(list(forms)))
    interp.run_protected(lambda: interp.eval_forms(forms))
    assert seen == [[None, None, None]]
    assert interp.eval_string("(f big)") is not None

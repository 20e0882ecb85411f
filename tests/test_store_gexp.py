"""The store and gexps: determinism, read-only items, names, lowering of file-like objects."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

from schemy.app import Interpreter
from schemy.guix.store import Store
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string
from schemy.runtime.parameters import parameterized


@pytest.fixture()
def store(tmp_path):
    return Store(tmp_path / "store")


@pytest.fixture()
def interp():
    i = Interpreter()
    i.eval_string("(use-modules (guix gexp))")
    return i


def lowered(interp, store, text):
    from schemy.guix.gexp import CURRENT_STORE

    with parameterized([(CURRENT_STORE, store)]):
        return interp.eval_string(text)


def test_same_text_gives_same_item(store):
    a = store.add_text("hello.txt", "hi\n")
    b = store.add_text("hello.txt", "hi\n")
    assert a == b
    assert open(a).read() == "hi\n"


def test_different_content_gives_different_item(store):
    assert store.add_text("x", "1") != store.add_text("x", "2")


def test_store_items_are_read_only(store):
    path = store.add_text("ro.txt", "data")
    mode = os.stat(path).st_mode
    assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


@pytest.mark.parametrize("name", ["a/b", "..", ".", "", ".hidden", "x\0y"])
def test_store_item_names_cannot_escape(store, name):
    with pytest.raises(SchemeError) as info:
        store.add_text(name, "x")
    assert "invalid store item name" in str(info.value)


def test_corrupt_item_is_detected_and_rebuilt(store):
    path = store.add_text("c.txt", "good")
    os.chmod(path, 0o644)
    with open(path, "w") as fh:
        fh.write("tampered")
    assert not store.verify(path)
    fresh = Store(store.directory)
    again = fresh.add_text("c.txt", "good")
    assert again == path
    assert open(path).read() == "good"


def test_dry_store_names_items_without_writing(tmp_path):
    dry = Store(None)
    real = Store(tmp_path / "s")
    name = os.path.basename(dry.add_text("f", "content"))
    assert os.path.basename(real.add_text("f", "content")) == name
    assert not (tmp_path / "none").exists()


def test_plain_file_lowers_to_store_item(interp, store):
    path = lowered(interp, store, '(lower-object (plain-file "greeting" "hello"))')
    assert path.startswith(str(store.directory)) and path.endswith("-greeting")
    assert open(path).read() == "hello"


def test_gexp_substitutes_file_names(interp, store):
    text = lowered(interp, store, '(gexp->string #~(list #$(plain-file "a" "A") "x" #$@(list 1 2)))')
    path = store.add_text("a", "A")
    assert text == f'(list "{path}" "x" 1 2)'


def test_gexp_ungexp_native_and_nested(interp, store):
    text = lowered(interp, store, '(gexp->string #~(begin #+(plain-file "n" "N") #~(inner #$(+ 1 2))))')
    assert "(inner 3)" in text and "-n\"" in text


def test_file_append(interp, store):
    text = lowered(interp, store, '(gexp->string #~(system* #$(file-append (plain-file "p" "P") "/bin/x")))')
    assert text.endswith('/bin/x")')


def test_mixed_text_file(interp, store):
    path = lowered(interp, store, '(lower-object (mixed-text-file "m" "path=" (plain-file "t" "T") "\\n"))')
    inner = store.add_text("t", "T")
    assert open(path).read() == f"path={inner}\n"


def test_scheme_file_writes_lowered_code(interp, store):
    path = lowered(interp, store, '(lower-object (scheme-file "s.scm" #~(display #$(plain-file "q" "Q"))))')
    assert open(path).read().startswith('(display "' + str(store.directory))


def test_program_file_is_executable(interp, store):
    path = lowered(interp, store, '(lower-object (program-file "prog" #~(display "hi")))')
    assert os.stat(path).st_mode & stat.S_IXUSR
    assert open(path).read().startswith("#!")


def test_computed_file_runs_its_gexp(interp, store):
    path = lowered(interp, store, """
      (lower-object (computed-file "made" #~(call-with-output-file #$output
                                             (lambda (port) (display "built" port)))))""")
    assert open(path).read() == "built"


def test_local_file_is_relative_to_the_source_file(tmp_path, interp, store):
    (tmp_path / "key.pub").write_text("ssh-ed25519 AAAA test\n")
    cfg = tmp_path / "cfg.scm"
    cfg.write_text('(lower-object (local-file "key.pub"))')
    from schemy.guix.gexp import CURRENT_STORE

    with parameterized([(CURRENT_STORE, store)]):
        path = interp.run_protected(lambda: interp.load_file(str(cfg)))
    assert open(path).read() == "ssh-ed25519 AAAA test\n"


def test_missing_local_file_is_a_located_error(tmp_path, interp):
    cfg = tmp_path / "cfg.scm"
    cfg.write_text('\n(define k (local-file "nope.pub"))')
    with pytest.raises(SchemeError) as info:
        interp.run_protected(lambda: interp.load_file(str(cfg)))
    assert str(info.value).startswith(f"{cfg}:2:10: error: file 'nope.pub' not found")


def test_ungexp_of_a_record_is_rejected(interp, store):
    interp.eval_string("(define-record-type point (make-point x) point? (x point-x))")
    with pytest.raises(SchemeError) as info:
        lowered(interp, store, "(gexp->string #~(f #$(make-point 1)))")
    assert "cannot lower" in str(info.value)


def test_gexp_prints_its_lowered_code(interp):
    assert write_string(interp.eval_string('#~(f "x")')).startswith('#<gexp (f "x")')


def test_program_file_runs_as_a_program(interp, store):
    path = lowered(interp, store, '(lower-object (program-file "prog" #~(display "hi")))')
    out = subprocess.run([path], capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stdout) == (0, "hi")


def test_file_like_predicates_and_accessors_as_guix_has_them(interp):
    got = interp.eval_string("""(use-modules (guix packages) (gnu packages base))
      (let ((f (file-append coreutils "/bin/" "ls")) (c (computed-file "x" #~(mkdir #$output)))
            (l (local-file "/etc/hostname" "hn")) (p (program-file "p" #~(display 1))))
        (list (file-append? f) (file-append-suffix f) (package? (file-append-base f))
              (computed-file? c) (computed-file-name c) (gexp? (computed-file-gexp c))
              (local-file? l) (local-file-name l) (local-file-absolute-file-name l) (local-file-recursive? l)
              (program-file? p) (program-file-name p) (plain-file? c) (scheme-file? c)))""")
    assert write_string(got) == ('(#t ("/bin/" "ls") #t #t "x" #t #t "hn" "/etc/hostname" #f #t "p" #f #f)')
    with pytest.raises(SchemeError, match="computed-file-name"):
        interp.eval_string('(computed-file-name (plain-file "a" "b"))')

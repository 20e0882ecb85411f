"""(guix packages) input lists as configs change them: labels, modify-inputs,
this-package-input, lookups, transitive inputs, closures and graph rewriting."""

from __future__ import annotations

import pytest

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string

PACKAGES = """(use-modules (guix packages) ((guix licenses) #:prefix l:))
(define a (package (name "a") (version "1") (source #f) (synopsis "") (description "")
                   (home-page "") (license l:gpl3+)))
(define a2 (package (inherit a) (version "2")))
(define b (package (inherit a) (name "b") (propagated-inputs (list a))))
(define c (package (inherit a) (name "c") (inputs (list b (list a "doc"))) (native-inputs (list b))))
(define (names inputs)
  (map (lambda (i) (cons (car i) (map (lambda (x) (if (package? x) (package-full-name x) x)) (cdr i))))
       inputs))
"""


@pytest.fixture
def run():
    i = Interpreter()
    i.run_protected(lambda: i.eval_string(PACKAGES, "/tmp/pkgs.scm"))
    return lambda code: write_string(i.run_protected(lambda: i.eval_string(code, "/tmp/t.scm")))


def test_inputs_are_labeled_by_package_name_as_guix_labels_them(run):
    assert run("(names (package-inputs c))") == '(("b" "b@1") ("a" "a@1" "doc"))'
    # Already labeled lists stay as written.
    assert run('(names (package-inputs (package (inherit a) (inputs `(("x" ,b))))))') == '(("x" "b@1"))'
    assert run('(add-input-labels a (list b "out") "file")') .startswith('(("a" #<package a@1')


def test_modify_inputs_deletes_appends_prepends_and_replaces_in_order(run):
    assert run("""(names (modify-inputs (package-inputs c)
                           (delete "a") (append a2) (prepend a) (replace "b" (list a2 "lib"))))""") \
        == '(("a" "a@1") ("b" "a@2" "lib") ("a" "a@2"))'
    assert run('(names (modify-inputs (list a b) (delete "a" "b") (append c)))') == '(("c" "c@1"))'


def test_modify_inputs_clause_keywords_outside_it_are_errors(run):
    with pytest.raises(SchemeError, match="may only be used within 'modify-inputs'"):
        run("(prepend a)")


def test_this_package_input_finds_an_input_of_the_package_being_defined(run):
    assert run("""(package-full-name (car (package-arguments
                    (package (inherit c) (arguments (list (this-package-input "b")))))))""") == '"b@1"'
    assert run("""(package-arguments (package (inherit c)
                    (arguments (list (this-package-native-input "b") (this-package-input "zzz")))))""") \
        .endswith(" #f)")


def test_lookups_return_the_input_or_false(run):
    assert run('(map (lambda (x) (and x (package-name x))) (list (lookup-package-input c "a") '
               '(lookup-package-native-input c "a") (lookup-package-direct-input b "a") '
               '(lookup-package-propagated-input b "a")))') == '("a" #f "a" "a")'


def test_transitive_inputs_add_propagated_inputs_once(run):
    assert run("(names (package-transitive-inputs c))") \
        == '(("b" "b@1") ("b" "b@1") ("a" "a@1" "doc") ("a" "a@1"))'
    assert run("(names (package-transitive-propagated-inputs b))") == '(("a" "a@1"))'
    assert run("(names (package-transitive-native-inputs c))") == '(("b" "b@1") ("a" "a@1"))'
    assert run("(map package-name (package-closure (list c)))") == '("c" "b" "a")'


def test_package_input_rewriting_replaces_throughout_the_graph(run):
    assert run("""(let ((new ((package-input-rewriting (list (cons a a2))) c)))
                    (list (names (package-inputs new))
                          (names (package-propagated-inputs (lookup-package-input new "b")))))""") \
        == '((("b" "b@1") ("a" "a@2" "doc")) (("a" "a@2")))'


def test_package_input_rewriting_renames_rewritten_packages(run):
    assert run("""(let ((new ((package-input-rewriting (list (cons a a2)) (lambda (n) (string-append "my-" n))) c)))
                    (list (package-name new) (names (package-inputs new))))""") \
        == '("my-c" (("b" "my-b@1") ("a" "a@2" "doc")))'


def test_package_input_rewriting_spec_matches_name_and_version(run):
    assert run("""(let ((new ((package-input-rewriting/spec `(("a@1" . ,(const a2)))) c)))
                    (names (package-inputs new)))""") == '(("b" "b@1") ("a" "a@2" "doc"))'
    assert run("""(let ((new ((package-input-rewriting/spec `(("a@3" . ,(const a2)))) c)))
                    (names (package-inputs new)))""") == '(("b" "b@1") ("a" "a@1" "doc"))'


def test_package_mapping_applies_proc_to_every_package_once(run):
    # Inputs are thunked, as in Guix: a dependency is rewritten when the inputs are read.
    assert run("""(let* ((seen '())
                         (f (package-mapping (lambda (p) (set! seen (cons (package-name p) seen)) p))))
                    (package-closure (list (f c))) (f c) (reverse seen))""") == '("c" "b" "a")'


def test_patches_and_upstream_names(run):
    assert run("""(let* ((p (package (inherit a) (source (origin (method #f) (uri "u") (patches (list "x.patch"))))))
                         (q (package-with-extra-patches p (list "y.patch"))))
                    (list (origin-patches (package-source q))
                          (origin-patches (package-source (package-with-patches p '())))))""") \
        == '(("x.patch" "y.patch") ())'
    assert run("""(list (package-upstream-name* (package (inherit a) (name "python-six")))
                        (package-upstream-name (package (inherit a) (properties '((upstream-name . "A"))))))""") \
        == '("six" "A")'


def test_supported_system_lists(run):
    assert run("(list (length %64bit-supported-systems) (length %32bit-supported-systems)"
               " (member \"mips64el-linux\" %cuirass-supported-systems)"
               " (equal? %supported-systems (append %64bit-supported-systems %32bit-supported-systems)))") \
        == "(6 4 #f #t)"

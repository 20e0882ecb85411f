"""(guix modules): the module closures configs compute for `with-imported-modules`."""

from __future__ import annotations

from pathlib import Path

from helpers import minimal_os, system_check

from schemy.app import Interpreter
from schemy.lang.printer import write_string


def run(code: str) -> str:
    i = Interpreter()
    return write_string(i.run_protected(lambda: i.eval_string(code, "/tmp/t.scm")))


def own_modules(tmp_path: Path) -> Path:
    """Three modules of a channel of one's own: (mine a) uses (mine b) and Guile's srfi-1,
    (mine b) uses (mine c) with #:select, (mine c) uses (mine a) back (a cycle)."""
    d = tmp_path / "mine"
    d.mkdir()
    (d / "a.scm").write_text("(define-module (mine a) #:use-module (mine b) #:use-module (srfi srfi-1))\n")
    (d / "b.scm").write_text("(define-module (mine b) #:export (x) #:use-module ((mine c) #:select (y)))\n")
    (d / "c.scm").write_text("(define-module (mine c) #:autoload (mine a) (z))\n")
    return tmp_path


def test_source_module_closure_follows_use_module_select_and_autoload_once_each(tmp_path):
    root = own_modules(tmp_path)
    out = run(f"""(begin (use-modules (guix modules))
                   (source-module-closure '((mine a)) (list "{root}")
                                          #:select? (lambda (m) (eq? (car m) 'mine))))""")
    assert out == "((mine a) (mine b) (mine c))"


def test_source_module_closure_selects_guix_modules_by_default(tmp_path):
    root = own_modules(tmp_path)
    assert run(f"""(begin (use-modules (guix modules))
                     (source-module-closure '((mine a)) (list "{root}")))""") == "()"
    # (gnu services nix) is a file of schemy's library: its own imports follow it.
    out = run("(begin (use-modules (guix modules)) (source-module-closure '((gnu services nix))))")
    assert out.startswith("((gnu services nix) ") and "(gnu services shepherd)" in out
    assert "(srfi " not in out and "(ice-9 " not in out


def test_a_module_schemy_provides_natively_has_no_dependencies():
    assert run("(begin (use-modules (guix modules)) (source-module-closure '((guix build utils))))") \
        == "((guix build utils))"


def test_a_module_found_nowhere_raises_missing_dependency_error(tmp_path):
    out = run(f"""(begin (use-modules (guix modules) (srfi srfi-34))
                   (guard (e ((missing-dependency-error? e)
                              (list (missing-dependency-module e) (missing-dependency-search-path e))))
                     (source-module-dependencies '(gnu no such) (list "{tmp_path}"))))""")
    assert out == f'((gnu no such) ("{tmp_path}"))'


def test_file_and_module_names_convert_both_ways():
    assert run("""(begin (use-modules (guix modules))
                   (list (module-name->file-name '(gnu services base))
                         (file-name->module-name "gnu/services/base.scm")
                         (file-name->module-name "./guix/build/utils.scm")
                         (guix-module-name? '(gnu x)) (guix-module-name? '(guix)) (guix-module-name? '(mine x))))""") \
        == '("gnu/services/base.scm" (gnu services base) (guix build utils) #t #t #f)'


def test_live_module_closure_reads_the_loaded_modules_imports():
    out = run("""(begin (use-modules (guix modules))
                   (live-module-closure '((guix modules)) #:select? (lambda (m) #t)))""")
    assert out == "((guix modules) (ice-9 match) (srfi srfi-1) (srfi srfi-34) (srfi srfi-35))"


def test_module_uses_lists_each_imported_module_once():
    assert run("""(begin (define-module (t uses) #:use-module (srfi srfi-1)
                                          #:use-module ((srfi srfi-1) #:select (first)))
                   (map module-name (module-uses (current-module))))""").count("(srfi srfi-1)") == 1


def test_a_config_imports_a_source_module_closure_into_a_service_gexp(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(minimal_os(
        "(cons (simple-service 'tick shepherd-root-service-type (list tick)) %base-services)",
        "(gnu) (guix modules) (guix gexp) (gnu services shepherd)",
        prelude="""(define tick
  (shepherd-service
   (provision '(tick))
   (one-shot? #t)
   (start (with-imported-modules (source-module-closure '((guix build utils)))
            #~(lambda _ (use-modules (guix build utils)) (mkdir-p "/tmp/x") #t)))))"""))
    ran = system_check(config)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "no problems found" in ran.stdout

"""(nonguix utils): the helpers nonguix's README shows for changing packages and whole systems."""

from __future__ import annotations

from pathlib import Path

from helpers import build_config, minimal_os

from schemy.app import Interpreter
from schemy.lang.printer import write_string

OS = minimal_os(packages="(list hello coreutils)",
                modules="(gnu) (nonguix utils) (guix packages) (gnu packages base)",
                prelude='(define (relabel p) (package (inherit p) (name (string-append "x-" (package-name p)))))'
                ).replace("(operating-system", "(define os\n(operating-system", 1) + ")\n"


def run(code: str) -> str:
    i = Interpreter()
    return write_string(i.run_protected(lambda: i.eval_string(OS + code, "/tmp/t.scm")))


def test_with_transformation_reaches_packages_inside_an_operating_system():
    assert run("(map package-name (operating-system-packages (with-transformation relabel os)))") \
        == '("x-hello" "x-coreutils")'
    # Anything PRED rejects is kept as it is.
    assert run("(with-transformation relabel (list 1 \"s\" #(2)))") == '(1 "s" #(2))'


def test_a_transformed_operating_system_builds(tmp_path: Path):
    config = tmp_path / "config.scm"
    config.write_text(OS + "(with-transformation relabel os)\n")
    built = build_config(config, tmp_path / "store")
    assert built is not None


def test_package_input_grafting_pads_the_replacement_to_the_old_length():
    out = run("""(let* ((h2 (package (inherit hello) (name "h2") (inputs (list hello))))
                        (g ((package-input-grafting (list (cons hello which))) h2))
                        (old (cadr (car (package-inputs g))))
                        (new (package-replacement old)))
                   (list (package-name old) (package-name new) (package-version new)
                         (= (string-length (package-version new)) (string-length (package-version hello)))))""")
    assert out.startswith('("hello" "which" ') and out.endswith(" #t)")


def test_package_with_alias_and_to32_and_binary_source():
    assert run("""(list (package-name (package-with-alias "hi" hello))
                        (package-superseded (package-with-alias "hi" hello))
                        (package-name %binary-source) (hidden-package? %binary-source)
                        (package-name (to32 hello)))""").startswith('("hi" #<package hello@')
    assert run("(parameterize ((%current-system \"x86_64-linux\")) (package-arguments (to32 hello)))") \
        .startswith('(#:system "i686-linux"')


def test_hidden_and_deprecated_packages():
    assert run("""(list (hidden-package? (hidden-package hello)) (hidden-package? hello)
                        (package-name (deprecated-package "old-hello" hello))
                        (package-name (package-superseded (deprecated-package "old-hello" hello))))""") \
        == '(#t #f "old-hello" "hello")'


def test_nonguix_licenses_download_and_build_systems():
    assert run("""(begin (use-modules ((nonguix licenses) #:prefix n:) (nonguix download) (guix build-system)
                                      (nonguix build-system binary) (nonguix build-system chromium-binary)
                                      ((guix licenses) #:prefix l:))
                   (list (l:license-name (n:nonfree "https://x")) (l:license-name (n:undistributable "u"))
                         (build-system-name binary-build-system) (build-system-name chromium-binary-build-system)
                         (car (unredistributable-url-fetch "https://x/a.tar" 'sha256 #f))))""") \
        == '("Nonfree" "Nonfree Undistributable" binary chromium-binary unredistributable-url-fetch)'


def test_guix_licenses_cover_every_license_guix_defines():
    assert run("""(begin (use-modules ((guix licenses) #:prefix l:))
                   (map l:license-name (list l:lppl1.3c+ l:tcl/tk l:perl-license l:sleepycat (l:x11-style "u"))))""") \
        == '("LPPL 1.3c+" "Tcl/Tk" "GPL 1+" "Sleepycat" "X11-style")'

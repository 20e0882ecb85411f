"""(guix build-system NAME): every build system Guix has loads, so that configs defining
their own packages with any of them evaluate (tools/derive_build_systems.py writes them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.lang.printer import write_string

BUILD_SYSTEMS = Path(__file__).resolve().parent.parent / "stdlib" / "guix" / "build-system"


def run(code: str) -> str:
    i = Interpreter()
    return write_string(i.run_protected(lambda: i.eval_string(code, "/tmp/t.scm")))


@pytest.mark.parametrize("module", sorted(p.stem for p in BUILD_SYSTEMS.glob("*.scm")))
def test_each_build_system_module_exports_build_systems(module):
    text = (BUILD_SYSTEMS / f"{module}.scm").read_text()
    variables = re.findall(r"\(define ([a-z0-9/-]+-build-system(?:/[a-z0-9-]+)?)\n", text)
    assert variables, module
    checks = " ".join(f"(build-system? {v})" for v in variables)
    out = run(f"(begin (use-modules (guix build-system) (guix build-system {module})) (list {checks}))")
    assert out == "(" + " ".join(["#t"] * len(variables)) + ")"


def test_derived_build_systems_carry_guix_names():
    assert run("""(begin (use-modules (guix build-system) (guix build-system asdf) (guix build-system perl))
                   (map build-system-name (list asdf-build-system/sbcl perl-build-system)))""") \
        == "(asdf/sbcl perl)"


def test_pypi_uri_names_the_source_archive():
    assert run("""(begin (use-modules (guix build-system python))
                   (list (pypi-uri "requests" "2.31.0") (pypi-uri "six" "1.16.0" ".zip")))""") \
        == ('("https://files.pythonhosted.org/packages/source/r/requests/requests-2.31.0.tar.gz"'
            ' "https://files.pythonhosted.org/packages/source/s/six/six-1.16.0.zip")')


def test_a_package_defined_with_a_derived_build_system_is_a_package():
    assert run("""(begin (use-modules (guix packages) (guix build-system haskell) ((guix licenses) #:prefix l:))
                   (define hello-hs (package (name "hello-hs") (version "1.0") (source #f)
                                             (build-system haskell-build-system)
                                             (synopsis "s") (description "d") (home-page "h") (license l:gpl3+)))
                   (list (package-name hello-hs) (package-version hello-hs)))""") == '("hello-hs" "1.0")'

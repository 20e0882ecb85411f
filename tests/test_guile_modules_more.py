"""Guile modules schemy provides as Scheme files under stdlib/ (srfi-37, web uri, sxml...).

Each program in tests/guile_programs/ is run by schemy and its output compared with the output
GNU Guile 3.0.8 printed for the same program (`guile --no-auto-compile FILE`), kept here as a
literal.  test_expected_output_is_guiles re-checks those literals against Guile when it is
installed (Debian package guile-3.0).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.lang.printer import write_string

PROGRAMS = Path(__file__).resolve().parent / "guile_programs"

EXPECTED: dict[str, str] = {
    "srfi-37": r"""((v #\v #f) (operand "a") (v "verbose" #f) (o #\o "f") (o #\o "file") (o "output" "x") (operand "b"))
(error misc-error "Missing required argument after `--output'")
((v #\v #f) (v #\v #f) (o #\o "z") (c #\c "red") (c #\c "k") (c "color" #f) (c "color" "blue"))
((unknown #\x #f (#\x) #f #f) (unknown "nope" #f ("nope") #f #f) (unknown "nope=3" #f ("nope=3") #f #f) (operand "-") (operand "-v") (operand "--"))
(error misc-error "Missing required argument after `-o'")
(error misc-error "Missing required argument after `-o'")
((o #\o "-v"))
(error misc-error "Extraneous argument after `--verbose'")
((unknown #\x #f (#\x) #f #f) (unknown #\y #f (#\y) #f #f) (unknown #\z #f (#\z) #f #f) (unknown "=" #f ("=") #f #f) (unknown "-a" #f ("-a") #f #f) (unknown #\x #f (#\x) #f #f) (unknown #\3 #f (#\3) #f #f))
((v #\v #f) (unknown #\x #f (#\x) #f #f) (o #\o "q"))
((c #\c "-v"))
((c #\c #f))
((c "color" #f) (operand "x"))
((v #\v #f) (c #\c #f))
((c #\c "v"))
((unknown "nope" #f ("nope") #f #f) (operand "x"))
((o "output" ""))
(1 k)
(((#\v "verbose") #f #f) ((#\o "output") #t #f) ((#\c "color") #f #t))
""",
}


def run_schemy(name: str) -> str:
    interp = Interpreter()
    path = write_string(str(PROGRAMS / f"{name}.scm"))
    return interp.eval_string(f"(with-output-to-string (lambda () (primitive-load {path})))")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_module_behaves_as_guile(name: str) -> None:
    assert run_schemy(name) == EXPECTED[name]


@pytest.mark.skipif(shutil.which("guile") is None, reason="needs guile (Debian package guile-3.0)")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expected_output_is_guiles(name: str) -> None:
    out = subprocess.run(["guile", "--no-auto-compile", str(PROGRAMS / f"{name}.scm")],
                         capture_output=True, text=True, timeout=60, check=False)
    assert out.stdout == EXPECTED[name]

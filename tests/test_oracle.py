"""The reference evaluator (tests/oracle/reference_eval.py) as a second oracle for the compiler:
random well-formed programs (tests/oracle/generator.py, one seed each) run under the reference
evaluator, under schemy and (when installed) under GNU Guile 3.0; outputs must be the same.
A failing comparison names the seed (``program(seed)`` remakes the program), the program and
each output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from oracle import reference_eval
from oracle.generator import program

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError, SchemeExit
from schemy.runtime.parameters import parameterized
from schemy.runtime.ports import CURRENT_OUTPUT, make_output_string_port, string_port_text

SEEDS = range(1, 301)
DRIVER = Path(__file__).resolve().parent / "differential" / "driver.scm"


def run_schemy(programs: dict[int, str]) -> dict[int, tuple[str, bool]]:
    interp = Interpreter()
    out = {}
    for seed, source in programs.items():
        module = interp.make_module(("oracle", f"seed-{seed}"))
        port = make_output_string_port()
        failed = False
        with parameterized([(CURRENT_OUTPUT, port)]):
            try:
                interp.eval_string(source, f"<seed {seed}>", module)
            except (SchemeError, SchemeExit):
                failed = True
        out[seed] = (string_port_text(port), failed)
    return out


def run_guile(programs: dict[int, str], tmp: Path) -> dict[int, tuple[str, bool]]:
    """All programs in one Guile process (tests/differential/driver.scm), each in a fresh module."""
    data = tmp / "programs.data"
    entries = " ".join(f"({seed} . {reference_eval.write(reference_eval.MString(source))})"
                       for seed, source in programs.items())
    data.write_text(f"({entries})", encoding="utf-8")
    proc = subprocess.run(["guile", "--no-auto-compile", str(DRIVER), str(data)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = {}
    for entry in reference_eval.read_all(proc.stdout):
        seed, output, failed = reference_eval.from_list(entry)
        out[seed] = (output.text, failed is not False)
    return out


@pytest.fixture(scope="module")
def programs() -> dict[int, str]:
    return {seed: program(seed) for seed in SEEDS}


@pytest.fixture(scope="module")
def reference(programs: dict[int, str]) -> dict[int, tuple[str, bool]]:
    return {seed: reference_eval.run(source) for seed, source in programs.items()}


def _report(seed: int, source: str, **outputs: tuple[str, bool]) -> str:
    lines = [f"seed {seed} (tests/oracle/generator.py program({seed})):", source]
    for name, (text, failed) in outputs.items():
        lines.append(f"  {name}: {text!r}" + (" then an error" if failed else ""))
    return "\n".join(lines)


def test_generated_programs_are_well_formed_for_the_reference_evaluator(programs, reference):
    bad = [_report(seed, programs[seed], reference=reference[seed]) for seed in programs if reference[seed][1]]
    assert not bad, "\n\n".join(bad[:3])


def test_schemy_prints_what_the_reference_evaluator_prints(programs, reference):
    schemy = run_schemy(programs)
    differing = [_report(seed, programs[seed], reference=reference[seed], schemy=schemy[seed])
                 for seed in programs if schemy[seed] != reference[seed]]
    assert not differing, f"{len(differing)} of {len(programs)} differ; first ones:\n\n" + "\n\n".join(differing[:3])


def test_guile_prints_what_the_reference_evaluator_prints(programs, reference, tmp_path):
    if shutil.which("guile") is None:
        pytest.skip("needs guile: apt-get install guile-3.0")
    guile = run_guile(programs, tmp_path)
    differing = [_report(seed, programs[seed], reference=reference[seed], guile=guile[seed])
                 for seed in programs if guile[seed] != reference[seed]]
    assert not differing, f"{len(differing)} of {len(programs)} differ; first ones:\n\n" + "\n\n".join(differing[:3])


def test_same_seed_makes_the_same_program():
    assert program(7) == program(7) and program(7) != program(8)


# ------------------------------------------------------------------ the reference evaluator itself

@pytest.mark.parametrize("source, printed", [
    ("(define (f a . rest) (list a rest)) (write (f 1 2 3)) (write (f 1))", "(1 (2 3))(1 ())"),
    ("(write (let loop ((i 0)) (if (= i 100000) 'done (loop (+ i 1)))))", "done"),
    ("(write (do ((i 0 (+ i 1)) (acc '() (cons i acc))) ((= i 3) acc)))", "(2 1 0)"),
    ("(write (+ 1 (call/cc (lambda (k) (+ 10 (k 5))))))", "6"),
    ("(define c (let ((n 0)) (lambda () (set! n (+ n 1)) n))) (c) (write (c))", "2"),
    ("(write (let* ((x 1) (x (+ x 1))) x)) (write (letrec ((ev? (lambda (n) (if (= n 0) #t (od? (- n 1))))) "
     "(od? (lambda (n) (if (= n 0) #f (ev? (- n 1)))))) (ev? 10)))", "2#t"),
    ("(write (case 3 ((1 2) 'low) ((3 4) 'mid) (else 'high))) (write (cond ((assv 2 '((1 . a) (2 . b))) => cdr)))",
     "midb"),
    ("(write (list (and 1 2) (and) (or #f 3) (or) (when #f 1) (unless #f 2)))", "(2 #t 3 #f #<unspecified> 2)"),
    ("(write (apply + 1 2 '(3 4))) (display \"a\\\"b\") (write #\\space) (write '#(1 \"s\"))",
     '10a"b#\\space#(1 "s")'),
    ("(write (car '()))", None),
])
def test_reference_evaluator_on_known_programs(source, printed):
    output, failed = reference_eval.run(source)
    if printed is None:
        assert failed
    else:
        assert (output, failed) == (printed, False)

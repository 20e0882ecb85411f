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
    "sxml-simple-write": r"""<a href="x&amp;&lt;&gt;&quot;'y" n="1">t&amp;&lt;&gt;&quot;'<b /><c></c><?xml version="1.0"?></a>
<?xml v?><doc><p>ab</p><q /></doc>
<a>12.5symc</a>
<a n="1" />
<a /><b />x
<a><b><c><d>deep</d></c></b></a>
"xy1z"
<x:a x:b="1" />
(error misc-error)

<a>(error misc-error)

"<r a=\"é\n\t\">é\n</r>"
plain &amp; text
<a b="">x</a>
""",
    "sxml-simple-names": r"""<a1 />
<_a />
<a-b.c />
<é />
(error misc-error (#f "Invalid name starting character ~S ~S" ("1a" #{1a}#) #f))
(error misc-error (#f "Invalid name starting character ~S ~S" ("-a" -a) #f))

(error misc-error (#f "Invalid QName: more than one colon ~S" (a:b:c) #f))
(error misc-error (#f "Invalid name character ~S ~S ~S" (#\% "a%" a%) #f))
<a.1 />
<a (error misc-error (#f "Invalid name starting character ~S ~S" ("1x" #{1x}#) #f))
"1zc"
"str"
"vt"
<a>x</a>
<a /><b />
<?php echo 1;?>
<a xmlns="urn:x"><b /></a>
"<a v=\"a&lt;b\r\n\">x\r</a>"
""",
    "sxml-simple-read": r"""(*TOP* (a (@ (n "2") (href "x")) "t" (b) "u & <>\"'AB<raw>&" (*PI* pi "body")))
(*TOP* (*PI* xml "version=\"1.0\" encoding=\"utf-8\"") (root "\n  " (x "1") "\n  " (y) "\n"))
(*TOP* (root (x "1") (y)))
(*TOP* (urn:x:a (urn:x:b) (urn:y:c (@ (z "1")))))
(*TOP* (urn:p:a (@ (urn:p:q "v")) (urn:p:b)))
(*TOP* (pp:a (@ (pp:q "v")) (pp:b)))
(*TOP* (x:a))
(*TOP* (urn:x:a))
(*TOP* (a "FOO"))
(error parser-error)
(*TOP* (a "bar"))
(*TOP* (a "port"))
(*TOP* (a "\nline"))
(*TOP* (a (@ (c "\n") (b "x&y"))))
(error parser-error)
(error parser-error)
(*TOP* (a))
(*TOP* (a "x" (b "y") "z"))
(*TOP* (a "  x  " (b " y ")))
(*TOP* (a "é€"))
""",
    "sxml-simple-read-errors": r"""(error parser-error ("[nsc-NSDeclared] broken; prefix " p))
(*TOP* (a (@ (xml:lang "en"))))
(*TOP* (a (@ (x "1 2 3"))))
(*TOP* (a "x"))
(error parser-error ("[uniqattspec] broken for " x))
(error parser-error ("XML [43] broken for " (DECL . DOCTYPE)))
(error parser-error ("[wf-entdeclared] broken for " e))
(*TOP* (a "]]>"))
(error parser-error ("EOF while reading a token " "reading char data"))
(error parser-error ("EOF while reading a token " "reading char data"))
(error parser-error ("Wrong character " #\< " (0x" "3c" ") " "XML [68]" ". " (#\;) " expected"))
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
                         capture_output=True, timeout=60, check=False)
    assert out.stdout.decode() == EXPECTED[name]

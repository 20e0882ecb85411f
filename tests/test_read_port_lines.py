"""`read` from a line-at-a-time port (stdin): a datum spanning lines is read as the lines
arrive, without building the grammar's parser (Lark: ~2 MB and tens of ms) just to learn
that the text so far is incomplete; at the real end of the input the error is the
grammar's precise one, as before."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from schemy.lang.errors import ReadError
from schemy.lang.printer import write_string
from schemy.runtime.ports import procedures
from schemy.runtime.ports.port import make_std_port


def _port(text: str):
    stream = io.StringIO(text)
    return make_std_port(lambda: stream, 0, False)


def test_datums_spanning_lines_are_read_in_order():
    p = _port("24\n(begin\n  (define (f x)\n    (* x 2))\n  \"a\nb\")\nm68000 #(1\n 2)\n")
    got = [write_string(procedures.read(p)) for _ in range(5)]
    assert got == ["24", '(begin (define (f x) (* x 2)) "a\\nb")', "m68000", "#(1 2)", "#<eof>"]


def test_a_datum_cut_off_by_the_end_of_the_input_gives_the_grammar_s_error():
    p = _port("(a\n (b c)\n")
    with pytest.raises(ReadError) as info:
        procedures.read(p)
    assert "missing ')' for the list opened at 1:0" in str(info.value)


def test_reading_a_multi_line_datum_from_stdin_does_not_build_the_grammar():
    code = ("import io, sys\n"
            "from schemy.runtime.ports import procedures\n"
            "from schemy.runtime.ports.port import make_std_port\n"
            "s = io.StringIO('(a\\n (b\\n c))\\n(d)\\n')\n"
            "p = make_std_port(lambda: s, 0, False)\n"
            "procedures.read(p); procedures.read(p)\n"
            "print('lark' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

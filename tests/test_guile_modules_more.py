# ruff: noqa: E501  (the expected outputs are Guile's lines, kept verbatim)
"""Guile modules schemy provides as Scheme files under stdlib/ (srfi-37, web uri, sxml...).

Each program in tests/guile_programs/ is run by schemy and its output compared with the output
GNU Guile 3.0.8 printed for the same program (`guile --no-auto-compile FILE`), kept here as a
literal ((ice-9 i18n)'s under LC_ALL=C, the one locale schemy has).  test_expected_output_is_guiles
re-checks those literals against Guile when it is
installed (Debian package guile-3.0).
"""

from __future__ import annotations

import os
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
    "web-uri-1": r"""("http://example.org/a/b?x=1&y=2#frag" (http #f "example.org" #f "/a/b" "x=1&y=2" "frag") (http #f "example.org" #f "/a/b" "x=1&y=2" "frag") #f)
("HTTPS://User:pw@Example.ORG:8443/p%20q?%41#%42" (https "User:pw" "Example.ORG" 8443 "/p%20q" "%41" "%42") (https "User:pw" "Example.ORG" 8443 "/p%20q" "%41" "%42") #f)
("http://[::1]:80/" (http #f "::1" 80 "/" #f #f) (http #f "::1" 80 "/" #f #f) #f)
("http://example.org" (http #f "example.org" #f "" #f #f) (http #f "example.org" #f "" #f #f) #f)
("http://example.org:/x" (http #f "example.org" #f "/x" #f #f) (http #f "example.org" #f "/x" #f #f) #f)
("file:///etc/passwd" (file #f #f #f "/etc/passwd" #f #f) (file #f #f #f "/etc/passwd" #f #f) #f)
("mailto:joe@example.com" (mailto #f #f #f "joe@example.com" #f #f) (mailto #f #f #f "joe@example.com" #f #f) #f)
("urn:isbn:0451450523" (urn #f #f #f "isbn:0451450523" #f #f) (urn #f #f #f "isbn:0451450523" #f #f) #f)
("/relative/path?q" #f (#f #f #f #f "/relative/path" "q" #f) (#f #f #f #f "/relative/path" "q" #f))
("relative/path" #f (#f #f #f #f "relative/path" #f #f) (#f #f #f #f "relative/path" #f #f))
("//host/path" #f (#f #f "host" #f "/path" #f #f) (#f #f "host" #f "/path" #f #f))
("#frag" #f (#f #f #f #f "" #f "frag") (#f #f #f #f "" #f "frag"))
("?q=1" #f (#f #f #f #f "" "q=1" #f) (#f #f #f #f "" "q=1" #f))
("" #f (#f #f #f #f "" #f #f) (#f #f #f #f "" #f #f))
("http://ex ample.org/" #f #f #f)
("http://example.org:abc/" #f #f #f)
("1http://x/" #f #f #f)
("git+ssh://git@github.com/a/b.git" (git+ssh "git" "github.com" #f "/a/b.git" #f #f) (git+ssh "git" "github.com" #f "/a/b.git" #f #f) #f)
("http://a/b c" (http #f "a" #f "/b c" #f #f) (http #f "a" #f "/b c" #f #f) #f)
("http://a@b@c/" #f #f #f)
"http://example.org/a/b?x=1&y=2#frag"
"http://example.org/"
"https://example.org/x"
"https://example.org:80/x"
"http://[::1]:8080/"
"file:/etc"
"mailto:joe@example.com"
"/rel?q#f"
"//host/p"
"ftp://u@h:21/"
"ssh://h:22/"
"http://example.org"
"http://e.org/p"
#t
#f
#t
#t
#f
#f
(http #f "example.org" 8080 "/x" "a=b" "f")
"http://example.org:8080/x?a=b#f"
"http://[::1]/"
"a/b?q"
"/a#z"
(error uri-error ("Expected absolute path starting with \"/\": ~a" ("x")))
(error uri-error ("Expected a host, given userinfo or port" ()))
(error uri-error ("Expected a symbol for the URI scheme: ~s" ("http")))
(error uri-error ("Expected port to be an integer: ~s" (-1)))
(error uri-error ("Expected valid host: ~s" ("a b")))
(error uri-error ("Expected a host, given userinfo or port" ()))
(error uri-error ("Expected relative path's first segment without \":\": ~a" ("a:b")))
(http #f "a b" #f "" #f #f)
"foo://h:99/p"
"foo://h/p"
"foo://h/p"
("a b c/dé" "a+b")
"%zz"
"%4"
"ÿ"
("a%20b%2Fc%3Fd%3D%C3%A9~_-.%21%2A%27%28%29" "a %62")
"%E9"
("a b" "c+d" "/")
()
"a%20b/c%2Fd/%C3%A9"
""
#<<uri> scheme: http userinfo: #f host: "e.org" port: #f path: "/p" query: #f fragment: #f>
""",
    "web-uri-2": r"""("a_b" bad)
("a..b" bad)
("-a" bad)
("a." bad)
("1.2.3.4" "1.2.3.4")
("::1" "::1")
("[::1]" bad)
("fe80::1%eth0" bad)
("a-b.c-d" "a-b.c-d")
("xn--bcher-kva.example" "xn--bcher-kva.example")
("ex~ample" bad)
("a!b" bad)
("256.1.1.1" bad)
("A.B" "A.B")
("" bad)
("a:b" bad)
("1::2::3" bad)
("g::1" bad)
"ws://h:80/"
"wss://h:443/"
"http://h:443/"
"http://u@h/"
"http://h?q"
"http://h#f"
"http://H/"
#<<uri> scheme: http userinfo: #f host: "h" port: 80 path: "/" query: #f fragment: #f>
80
""
"éé"
("http:" (http #f #f #f "" #f #f))
("http:/x" (http #f #f #f "/x" #f #f))
("http://@h/" #f)
("http://h:99999/" (http #f "h" 99999 "/" #f #f))
("http://[::1]" (http #f "::1" #f "" #f #f))
("http://[v1.x]/" #f)
("http://1.2.3.4:5/" (http #f "1.2.3.4" 5 "/" #f #f))
("http://a.b.c/" (http #f "a.b.c" #f "/" #f #f))
("http://a.1/" #f)
("http:///x" (http #f #f #f "/x" #f #f))
("//" (#f #f #f #f "" #f #f))
("///x" (#f #f #f #f "/x" #f #f))
("a/b:c" (#f #f #f #f "a/b:c" #f #f))
("./a:b" (#f #f #f #f "./a:b" #f #f))
("http://u:p:q@h/" (http "u:p:q" "h" #f "/" #f #f))
("http://h/a?b?c#d#e" (http #f "h" #f "/a" "b?c" "d#e"))
("s3://bucket/key" (s3 #f "bucket" #f "/key" #f #f))
("x-y.z+w:opaque" (x-y.z+w #f #f #f "opaque" #f #f))
""",
    "ice-9-iconv": r"""#vu8(97 195 169)
#vu8(97 233)
(error encoding-error)
(error misc-error)
#vu8(97 63)
#vu8(97 92 120 101 57)
(error decoding-error)
"aé"
"aé"
#vu8(233 0)
#vu8(254 255 0 233)
""",
    "getopt-long": r"""(((() "a" "b") (output . "f") (version . #t)) "")
(((() "c") (level . "3") (level . #t) (output . "g") (x-flag . #t) (version . #t)) "")
(((() "-v") (num . "5") (output . "file")) "")
(((())) "")
(((() "rest") (help . #t) (output . "z") (x-flag . #t) (version . #t)) "")
(((()) (version . #t) (help . #t) (num . "7")) "")
(((()) (output . "b") (output . "a")) "")
(((()) (level . "x")) "")
(((()) (version . #t) (level . #t)) "")
(((() "-" "a")) "")
(((()) (num . "-1")) "")
(((()) (req . "1")) "")
(((() "--x") (help . #t)) "")
("out" "def" #t ("x"))
((() "a" "-v" "b"))
""",
    "getopt-long-2": r"""(((() "a" "b") (output . "f") (version . #t)) "")
(((() "-1" "a")) "")
(((()) (output . "-1")) "")
(((()) (output . "-_")) "")
(((()) (output . "-")) "")
(((()) (level . #t)) "")
(((() "1") (version . #t)) "")
(((()) (output . "=x")) "")
(((()) (output . "")) "")
(((() "-v" "--") (x-flag . #t)) "")
(((()) (output . "-1") (help . #t)) "")
(((() "a" "b")) "")
""",
    "srfi-171": r"""(2 3 4 5 6 7 8 9 10 11)
(1 3 5 7 9)
(2 4 6 8 10)
165
265
(20 40 60 80 100)
(one 2 three 4 5 6 7 8 9 10)
(8 9 10)
(6 2 7)
(1 2 3)
()
(1 2 3 4 5 6 7 8 9 10)
(1 2 3)
(1 2 3 (stop 4))
(1 2 3 4 5)
(1 2 3)
(1 1 2 2 3 3)
(1 2 1 3 4)
(1 "a" 2 3)
(a b c)
(1 2 3 4 5 6)
((1 2 3) (4 5 6) (7 8 9) (10))
((1 2 3) (4 5 6))
((1 3) (2 4) (5 7) (6))
()
(1 x 2 x 3)
(1 x 2 x)
((0 . a) (1 . b) (2 . c))
((5 . a) (6 . b) (7 . c))
a
"b"
2
(saw () a)
(saw (a) b)
(a b)
10
6
11
#f
(11 10 9 8 7 6 5 4 3 2)
(2 3 4)
(#\B #\D)
(2 3 256)
(#\A #\B #\C)
(z #\A #\B #\C)
(2 3 4)
(#t 1 #f 2 #t)
6
3
6
(#\b #\a)
3
((() . #\a) . #\b)
()
3
""",
    "srfi-171-gnu": r"""((1 2) (3 4) (5))
(3)
(1 3 6 10)
(11 13 16 20)
((() . 1) ((() . 1) . 2))
((1 2) (3 4))
""",
    "srfi-41": r"""(0 1 2 3 4)
(1 2 3)
(#t #t #f #t #f)
2
(0 2 4 6 8)
(a b c)
(#\h #\e #\y)
(1 2 3)
(1 2 3)
(a b a b a b a)
(3 4)
(4 5)
6
(1 x)
(2 y)
(1 4 7 10)
(1 2 4 8 16)
3
(11 22)
(0 1 2 3 4)
(5 4 3 2 1)
(0 3 6 9)
100
(3 2 1)
(0 1 3 6)
(0 1 2)
(0 1 2 3)
(0 1 4 9 16)
((1 a) (2 b))
(0 4 16 36 64)
((1 a) (1 b) (2 a) (2 b))
(10 20)
(3 2 1)
3
(1 2 (3))
two
(1 2)
any
((0 2 4) (1 1 3 3))
(0 1 2)
1
1
100
(error wrong-type-arg stream-car "null stream")
(error wrong-type-arg stream-cdr "null stream")
(error wrong-type-arg stream-ref "beyond end of stream")
(error wrong-type-arg stream-map "non-procedural argument")
(error wrong-type-arg stream-take "negative argument")
(error wrong-type-arg stream->list "non-stream argument")
(error wrong-type-arg stream-car "non-stream")
20000
""",
    "ice-9-streams": r"""(0 1 2 3 4)
(0 1 2)
(2 1 0)
((0 1 2) 3)
((2 1 0) 3)
#(0 1 2)
(a b c)
(x y)
((1) 2 three)
(2 1 0)
63
(0 p)
(1 q)
(0 1 4)
(1 2 3)
(#t #f)
""",
    "ice-9-common-list": r"""(1 2 3)
(2 3)
(3 1 2 4 5)
(2 4)
(1 3)
16
(((() . 1) . 2) . 3)
6
((1 . 2) . 3)
()
#t
(5 4)
#t
#t
#t
#t
#t
2
2
#f
(2 3)
(2 4)
(1 3)
(2 4)
(1 3)
(1 2)
()
#f
#t
#t
#t
#f
#t
#f
(3 1)
(30 10)
(1 2 3 a)
()
(a b c c)
(a a)
""",
    "system-base-pmatch": r"""empty
3
(symbolic x 2)
(call quote (z))
(call foo (1 2))
answer
(other-string "s")
(other-string "t")
anything
anything
(3 2 1)
fallback
1
#<unspecified>
""",
    "ice-9-ports": r"""#\a
#\z
(0 1)
"x"
"hi"
(1 2)
(#t #f #t #f)
#t
#t
(0 1 2)
""",
    "ice-9-atomic-list-copy-tree": r"""(#t #f 1)
2
3
4
4
((b . 2) (d . 2.0) (c . "x") #f (b . 2))
((1 #(2 (3)) "s") #t #f #t)
""",
    "rnrs-hashtables": r"""(#t #f 2 2 none)
("a" "b" "c")
(("a" "b" "c") (1 2 30))
(#f #t 2)
(#t #f #t 2)
refused
(0 2)
(1 x #f #t #t #t #t)
(#t #t #t #t)
""",
    "srfi-27": r"""(#t #t)
#t
#t
(#t #f)
#t
#t
#f
#t
error
0
""",
    "ice-9-i18n": r"""(#t #t #t #t #f #t)
(#t #t #t #t #t)
(#\a #\A #\A (72 201 59 76 76 79) (104 233 59 108 108 111) "Hello World")
(123 3)
(-42 5)
(255 2)
(#f 0)
(350.0 5)
(#f 0)
("1234567" "1234567.891" "1234567.89" "-3" "0.33333" "12.000" "0.5")
("." "" () "AM" "PM")
("Sunday" "Saturday" "Mon" "January" "December" "Mar")
("%a %b %e %H:%M:%S %Y" "%m/%d/%y" "%H:%M:%S" "%I:%M:%S %p" "ANSI_X3.4-1968")
("^[yY]" "^[nN]")
("-" "" "" "" () -1 #t #t "" "" #t #t unspecified unspecified)
("" "" "" "" "")
(#t #f #t #t "1000")
system-error
#t
(0.123456789 "0.12346")
(2/3 "0.66667")
(1.23456789 "1.23457")
(100.0 "100")
(1.0e21 "1000000000000000000000")
(0.30000000000000004 "0.30000")
(123456.7 "123456.7")
(1/8 "0.125")
(-7/3 "-2.33333")
(12345678901234567890 "12345678901234567890")
(-5 "-5")
((-0.5 0) "-0")
((2.5 0) "2")
((1.005 2) "1.00")
((1.5 0) "1")
((3.7 0) "3")
((-3.7 0) "-3")
((1.25 1) "1.2")
((1.35 1) "1.4")
((0.999 2) "0.00")
((9.999 2) "9.00")
((5 0) "5")
((1/3 2) "0.33")
((-1.5 0) "-1")
((1234.5678 3) "1234.568")
("1" 1.0 1)
("-2.5" -2.5 4)
(".5" 0.5 2)
("5." 5.0 2)
("1e3" 1000.0 3)
("1e" 1.0 1)
("+inf" +inf.0 4)
("-Infinity" -inf.0 9)
("nan" +nan.0 3)
("  7.25x" 7.25 6)
("-" #f 0)
("." #f 0)
("e5" #f 0)
("1.5E-2" 0.015 6)
("0x1F" 31 4)
("0xg" 0 1)
("-ff" -255 3)
("+10" 16 3)
""",
    "srfi-38": r"""#1=(1 2 . #1#)
(#1=(1 2 . #1#) #1#)
(a b #t)
(#1="str" #1# #(#1#))
(1 2 3)(1 2 3)
(((x) (x) (x)) #t)
"#1=#(1 #1#)"
""",
    "rnrs-enums": r"""(red (red blue) #t #f)
(red green blue)
(2 #f)
(red green)
(#t #f #t #f)
(red blue)
(green)
(red)
(green blue)
(blue)
((c a b a) 2 #t)
error
""",
    "srfi-18": r"""(#t #f m not-abandoned #t #t #t not-abandoned #t #f)
(data mine)
(#t cv #f)
(#t 5 #f #t)
(#t worker)
(#f #f #f #f)
42
""",
}


# Programs whose expected output is Guile's in the C locale.
C_LOCALE = {"ice-9-i18n"}


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
                         capture_output=True, timeout=60, check=False,
                         env={**os.environ, "LC_ALL": "C"} if name in C_LOCALE else None)
    assert out.stdout.decode() == EXPECTED[name]


# (ice-9 getopt-long) errors exit: the program run as `schemy run FILE ARGS...`, Guile's
# stdout, stderr and exit status for the same arguments.
GETOPT_CLI = [
    (['-ofile', '-n', '5', '--req=1'], 1, '', 'prog: option must be specified with argument: --output\n'),
    (['-q'], 1, '', 'prog: no such option: -q\n'),
    (['--nope'], 1, '', 'prog: no such option: --nope\n'),
    (['-o'], 1, '', 'prog: option must be specified with argument: --output\n'),
    (['--output', '-v'], 1, '', 'prog: option must be specified with argument: --output\n'),
    (['--version=3'], 1, '', 'prog: option does not support argument: --version\n'),
    (['-n', 'abc'], 1, '', 'prog: option predicate failed: --num\n'),
    (['--num=abc'], 1, '', 'prog: option predicate failed: --num\n'),
    (['a'], 1, '', 'prog: option must be specified: --req\n'),
    (['-o', '--'], 1, '', 'prog: option must be specified with argument: --output\n'),
    (['--level', '--zz'], 1, '', 'prog: no such option: --zz\n'),
    (['-ov', 'x'], 1, '', 'prog: option must be specified with argument: --output\n'),
    (['-vq'], 1, '', 'prog: no such option: -q\n'),
    (['-V'], 1, '', 'prog: no such option: -V\n'),
    (['--req', 'r', '-v', 'x'], 0, '((() "x") (version . #t) (req . "r"))\n', ''),
]


@pytest.mark.parametrize(("args", "status", "stdout", "stderr"), GETOPT_CLI)
def test_getopt_long_errors_exit_as_in_guile(args: list[str], status: int, stdout: str, stderr: str) -> None:
    schemy = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "schemy"
    exe = [str(schemy)] if schemy.exists() else ["schemy"]
    out = subprocess.run([*exe, "run", str(PROGRAMS / "getopt-long-cli.scm"), *args],
                         capture_output=True, text=True, timeout=60, check=False)
    assert (out.returncode, out.stdout, out.stderr) == (status, stdout, stderr)


def test_a_port_name_schemy_lacks_is_unbound_where_used() -> None:
    """(ice-9 ports) gives the core's port procedures; one schemy lacks (dup->fdes) is the
    usual unbound-variable error at its use, not a stub."""
    from schemy.lang.errors import SchemeError

    interp = Interpreter()
    assert write_string(interp.eval_string(
        "(use-modules (ice-9 ports)) (list (port? (current-output-port)) SEEK_END)")) == "(#t 2)"
    with pytest.raises(SchemeError) as info:
        interp.eval_string("(dup->fdes 1)")
    assert "dup->fdes: unbound variable" in str(info.value)


@pytest.mark.parametrize("module", ["(rnrs programs)", "(rnrs r5rs)", "(ice-9 null)", "(rnrs io simple)"])
def test_core_backed_guile_modules_import(module: str) -> None:
    interp = Interpreter()
    assert write_string(interp.eval_string(f"(use-modules {module}) (+ 1 2)")) == "3"


def test_a_guile_module_still_missing_is_named_as_guiles() -> None:
    """The hint for a Guile module schemy still lacks says it is Guile's (guile-modules.txt)."""
    from schemy.lang.errors import SchemeError

    with pytest.raises(SchemeError) as info:
        Interpreter().eval_string("(use-modules (ice-9 expect))")
    assert "no code for module (ice-9 expect)" in str(info.value)
    assert "is a module of GNU Guile 3.0, which schemy does not implement yet" in str(info.value.hint())


# (srfi srfi-64): Guile's stdout (and, for the first, its demo.log) for the programs, run from
# their own directory; the directory is left out of the file names.
SRFI64 = {
    "srfi-64-simple-runner": ('%%%% Starting test demo  (Writing full log to "demo.log")\nsrfi-64-simple-runner.scm:4: FAIL falsity\nsrfi-64-simple-runner.scm:6: FAIL neq\nsrfi-64-simple-runner.scm:11: FAIL no err\nsrfi-64-simple-runner.scm:15: FAIL in2\nsrfi-64-simple-runner.scm:21: XPASS xpass\nsrfi-64-simple-runner.scm:22: FAIL raises\n# of expected passes      9\n# of expected failures    1\n# of unexpected successes 1\n# of unexpected failures  5\n# of skipped tests        1\n',
                              '%%%% Starting test demo\nGroup begin: demo\nTest begin:\n  test-name: "truth"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 3\n  source-form: (test-assert "truth" #t)\nTest end:\n  result-kind: pass\n  actual-value: #t\nTest begin:\n  test-name: "falsity"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 4\n  source-form: (test-assert "falsity" #f)\nTest end:\n  result-kind: fail\n  actual-value: #f\nTest begin:\n  test-name: "eq"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 5\n  source-form: (test-equal "eq" (quote (1 2)) (list 1 2))\nTest end:\n  result-kind: pass\n  actual-value: (1 2)\n  expected-value: (1 2)\nTest begin:\n  test-name: "neq"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 6\n  source-form: (test-equal "neq" 3 (+ 1 1))\nTest end:\n  result-kind: fail\n  actual-value: 2\n  expected-value: 3\nTest begin:\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 7\n  source-form: (test-eqv 2 (+ 1 1))\nTest end:\n  result-kind: pass\n  actual-value: 2\n  expected-value: 2\nTest begin:\n  test-name: "eq?"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 8\n  source-form: (test-eq "eq?" (quote a) (quote a))\nTest end:\n  result-kind: pass\n  actual-value: a\n  expected-value: a\nTest begin:\n  test-name: "approx"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 9\n  source-form: (test-approximate "approx" 3.14 3.1416 0.01)\nTest end:\n  result-kind: pass\n  actual-value: 3.1416\n  expected-value: 3.14\nTest begin:\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 10\n  source-form: (test-error "err" (error "boom"))\nTest end:\n  result-kind: pass\n  actual-error: (misc-error #f "~A" ("boom") #f)\n  expected-error: "err"\nTest begin:\n  test-name: "no err"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 11\n  source-form: (test-error "no err" #t (+ 1 1))\nTest end:\n  result-kind: fail\n  actual-value: 2\n  expected-error: #t\nTest begin:\n  test-name: "typed"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 12\n  source-form: (test-error "typed" (quote misc-error) (error "x"))\nTest end:\n  result-kind: pass\n  actual-error: (misc-error #f "~A" ("x") #f)\n  expected-error: misc-error\nGroup begin: inner\nTest begin:\n  test-name: "in1"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 14\n  source-form: (test-assert "in1" #t)\nTest end:\n  result-kind: pass\n  actual-value: #t\nTest begin:\n  test-name: "in2"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 15\n  source-form: (test-equal "in2" 1 2)\nTest end:\n  result-kind: fail\n  actual-value: 2\n  expected-value: 1\nGroup end: inner\nTest begin:\n  test-name: "skipped"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 17\n  source-form: (test-assert "skipped" #f)\nTest end:\n  result-kind: skip\nTest begin:\n  test-name: "xfail"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 19\n  source-form: (test-assert "xfail" #f)\nTest end:\n  actual-value: #f\n  result-kind: xfail\nTest begin:\n  test-name: "xpass"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 21\n  source-form: (test-assert "xpass" #t)\nTest end:\n  actual-value: #t\n  result-kind: xpass\nTest begin:\n  test-name: "raises"\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 22\n  source-form: (test-assert "raises" (car (quote ())))\nTest end:\n  result-kind: fail\n  actual-value: #f\n  actual-error: (wrong-type-arg "car" "Wrong type argument in position 1 (expecting pair): ~S" (()) (()))\nGroup begin: nested\nTest begin:\n  source-file: "srfi-64-simple-runner.scm"\n  source-line: 24\n  source-form: (test-assert #t)\nTest end:\n  result-kind: pass\n  actual-value: #t\nGroup end: nested\nGroup end: demo\n# of expected passes      9\n# of expected failures    1\n# of unexpected successes 1\n# of unexpected failures  5\n# of skipped tests        1\n'),
    "srfi-64-runners": ('%%%% Starting test t3  (Writing full log to "t3.log")\nsrfi-64-runners.scm:7: FAIL\nside\nsrfi-64-runners.scm:9: FAIL raise in equal\n*** Total number of tests was 1 but should be 2. ***\n*** Discrepancy indicates testsuite error or exceptions. ***\ncleaned\n(7 2 1 2 ("t3") "a3" pass (pass xpass))\n#t\ndefault\n# of expected passes      8\n# of expected failures    1\n# of unexpected failures  2\n# of skipped tests        2\n#f\n(1 1)\n(end "one" pass)\n(end "two" fail)\n(final 1)\n#t\n', None),
}


@pytest.mark.parametrize("name", sorted(SRFI64))
def test_srfi_64_reports_as_guile(name: str, tmp_path: Path) -> None:
    program = tmp_path / f"{name}.scm"
    program.write_text((PROGRAMS / f"{name}.scm").read_text(encoding="utf-8"), encoding="utf-8")
    schemy = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "schemy"
    out = subprocess.run([str(schemy) if schemy.exists() else "schemy", "run", str(program)], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=False)
    stdout, log = SRFI64[name]
    assert out.stdout.replace(f"{tmp_path}/", "") == stdout
    if log is not None:
        assert (tmp_path / "demo.log").read_text(encoding="utf-8").replace(f"{tmp_path}/", "") == log


def test_srfi_18_says_it_cannot_start_a_second_thread() -> None:
    """schemy has no threads: thread-start! is a clear error, not a thread that never runs."""
    from schemy.lang.errors import SchemeError

    interp = Interpreter()
    with pytest.raises(SchemeError) as info:
        interp.eval_string("(use-modules (srfi srfi-18)) (thread-start! (make-thread (lambda () 1)))")
    assert "schemy runs Scheme on a single thread" in str(info.value)

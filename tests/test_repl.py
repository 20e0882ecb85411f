"""``schemy repl``: evaluation and meta-commands, piped input, the prompt-toolkit application, a real pty."""

from __future__ import annotations

import fcntl
import io
import os
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from schemy.app import Interpreter
from schemy.repl.expansion import pretty
from schemy.repl.session import Repl, read_submissions, run_piped
from schemy.repl.terminal import indentation, make_completer, make_session, run_interactive, scheme_fragments

ROOT = Path(__file__).resolve().parent.parent

# A configuration shaped like the chapter's libvirt-configuration (a few of its fields).
LIBVIRT_CONFIG = """\
(use-modules (gnu services configuration))
(define-maybe/no-serialization string)
(define-configuration libvirt-configuration
  (listen-tls? (boolean #t)
   "Flag listening for secure TLS connections on the public TCP/IP port.")
  (unix-sock-group (string "root") "UNIX domain socket group ownership.")
  (host-uuid (string) "Host UUID.")
  (tls-port maybe-string "Port for accepting secure TLS connections.")
  (no-serialization))
(libvirt-configuration (host-uuid "00000000-1111-2222-3333-444444444444"))
"""

# Runs `schemy repl` whether or not the lead has attached the command to the main group yet.
LAUNCHER = """\
from schemy.cli.main import main
from schemy.cli.repl import repl
if "repl" not in main.commands:
    main.add_command(repl)
main(prog_name="schemy")
"""

PTY_LAUNCHER = "import fcntl, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n" + LAUNCHER


@pytest.fixture
def repl() -> Repl:
    return Repl(Interpreter(), out=io.StringIO())


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.scm"
    path.write_text(LIBVIRT_CONFIG)
    return path


def piped(repl: Repl, text: str) -> str:
    """What the REPL prints for ``text`` (only the output of this call)."""
    start = len(repl.out.getvalue())  # type: ignore[attr-defined]
    run_piped(repl, io.StringIO(text))
    return repl.out.getvalue()[start:]  # type: ignore[attr-defined]


def load(repl: Repl, path: Path) -> str:
    """Load a config file as ``schemy repl FILE`` does; its value's line (``$1 = ...``)."""
    repl.load_config(str(path))
    lines = [line for line in repl.out.getvalue().splitlines() if line.startswith("$")]  # type: ignore[attr-defined]
    assert lines, repl.out.getvalue()  # type: ignore[attr-defined]
    return lines[-1]


def drive(repl: Repl, keys: str, history: Path, *later: str) -> tuple[int, str]:
    """Type ``keys`` into the prompt-toolkit REPL (input through a pipe, output to a dummy);
    each of ``later`` is typed 0.3 s after the one before (time for an asynchronous completion)."""
    start = len(repl.out.getvalue())  # type: ignore[attr-defined]
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        session = make_session(repl, history)
        chunks = [keys, *later]
        chunks[-1] += "\x04"  # Ctrl-D at the end, in case the keys do not quit

        def type_later() -> None:
            for chunk in chunks[1:]:
                time.sleep(0.3)
                inp.send_text(chunk)

        inp.send_text(chunks[0])
        typist = threading.Thread(target=type_later)
        typist.start()
        try:
            code = run_interactive(repl, session, banner=False)
        finally:
            typist.join(5)
    return code, repl.out.getvalue()[start:]  # type: ignore[attr-defined]


# ---------------------------------------------------------------- piped input


def test_piped_values_are_numbered_and_multiple_values_get_one_line_each(repl: Repl) -> None:
    out = piped(repl, "(+ 1 2)\n(values 'a \"b\")\n(if #f #f)\n(values)\n")
    assert out == '$1 = 3\n$2 = a\n$3 = "b"\n'


def test_piped_multiline_datum_is_evaluated_once_complete(repl: Repl) -> None:
    out = piped(repl, "(define (square x)\n  (* x x))\n(square\n  12)\n")
    assert out == "$1 = 144\n"


def test_repl_evaluates_on_run_protecteds_thread_not_a_second_one() -> None:
    interp = Interpreter()
    callers: list[str] = []
    run_protected = interp.run_protected

    def spy(thunk):
        callers.append(threading.current_thread().name)
        return run_protected(thunk)

    interp.run_protected = spy
    out = io.StringIO()
    Repl(interp, out=out).handle("(+ 1 2)")
    assert out.getvalue() == "$1 = 3\n"
    assert callers and "schemy-eval" not in callers


def test_submissions_end_where_the_datum_is_complete() -> None:
    lines = ["(list 1\n", "  \"a ) string\n", "continued\")\n", "\n", ",describe car\n", "(+ 1"]
    assert list(read_submissions(lines)) == ['(list 1\n  "a ) string\ncontinued")\n', ",describe car\n",
                                             "(+ 1\n"]


def test_piped_error_prints_and_the_repl_continues(repl: Repl) -> None:
    out = piped(repl, "(car 5)\n(+ 2 2)\n")
    assert out.splitlines() == [
        "<repl>:1:0: error: In procedure car: Wrong type argument in position 1 (expecting pair): 5",
        "$1 = 4",
    ]


def test_values_are_bound_to_dollar_names(repl: Repl) -> None:
    assert piped(repl, "(* 6 7)\n(+ $1 1)\n") == "$1 = 42\n$2 = 43\n"


def test_define_module_at_the_repl_changes_the_prompt(repl: Repl) -> None:
    piped(repl, "(define-module (my stuff))\n")
    assert repl.prompt() == "scheme@(my stuff)> "


def test_quit_stops_reading(repl: Repl) -> None:
    assert piped(repl, "1\n,quit\n2\n") == "$1 = 1\n"


def test_exit_procedure_ends_the_repl_with_its_code(repl: Repl) -> None:
    assert run_piped(repl, io.StringIO("(exit 3)\n(display \"not reached\")\n")) == 3


def test_unknown_meta_command_is_reported(repl: Repl) -> None:
    assert piped(repl, ",frobnicate\n") == "Unknown meta command: frobnicate\n"


# ---------------------------------------------------------------- meta-commands


def test_help_lists_every_meta_command(repl: Repl) -> None:
    out = piped(repl, ",help\n")
    for name in ("help", "describe", "apropos", "use", "load", "time", "expand", "backtrace", "quit"):
        assert f",{name}" in out


def test_describe_configuration_lists_fields_types_defaults_docs(repl: Repl, config_file: Path) -> None:
    load(repl, config_file)
    out = piped(repl, ",describe libvirt-configuration\n")
    assert "libvirt-configuration: configuration record type, 4 fields:" in out
    assert "  listen-tls? (boolean, default: #t)\n" \
           "      Flag listening for secure TLS connections on the public TCP/IP port.\n" in out
    assert '  unix-sock-group (string, default: "root")\n      UNIX domain socket group ownership.\n' in out
    assert "  host-uuid (string, required)\n" in out
    assert "  tls-port (maybe-string, unset)\n" in out


def test_describe_real_libvirt_configuration(repl: Repl) -> None:
    out = piped(repl, ",use (gnu services virtualization)\n,describe libvirt-configuration\n")
    assert "libvirt-configuration: configuration record type" in out
    assert '  unix-sock-group (string, default: "libvirt")\n      UNIX domain socket group ownership.' in out


def test_loading_a_config_binds_its_value_and_stays_in_its_module(repl: Repl, config_file: Path) -> None:
    assert load(repl, config_file).startswith("$1 = #<<libvirt-configuration> ")
    out = piped(repl, "(libvirt-configuration-host-uuid $1)\n")
    assert out == '$2 = "00000000-1111-2222-3333-444444444444"\n'
    assert repl.prompt() == "scheme@(schemy-config config.scm)> "


def test_describe_procedure_shows_formals_and_docstring(repl: Repl) -> None:
    out = piped(repl, '(define* (greet name #:key (greeting "Hello"))\n  "Say GREETING to NAME."\n'
                      '  (string-append greeting ", " name))\n,describe greet\n')
    assert out.splitlines()[:2] == ["greet is a procedure: (greet name #:key greeting)",
                                    "  Say GREETING to NAME."]


def test_describe_docstring_of_a_procedure_defined_in_a_file(repl: Repl) -> None:
    out = piped(repl, ",use (gnu services configuration)\n,describe serialize-configuration\n")
    assert "serialize-configuration is a procedure: (serialize-configuration config fields)" in out
    assert "Concatenate the serializations of the FIELDS of CONFIG" in out


def test_describe_record_type_star_constructor(repl: Repl) -> None:
    out = piped(repl, "(use-modules (guix records))\n"
                      "(define-record-type* <thing> thing make-thing thing?\n"
                      "  (name thing-name) (size thing-size (default 1))\n"
                      "  (kids thing-kids (thunked) (default '())))\n"
                      ",describe thing\n")
    assert out.splitlines() == ["thing: constructor of record type <thing>, 3 fields:", "  name (required)",
                                "  size (has a default)", "  kids (thunked, has a default)"]


def test_describe_service_type_shows_extensions(repl: Repl) -> None:
    out = piped(repl, "(use-modules (gnu services) (gnu services shepherd))\n"
                      ",describe shepherd-root-service-type\n")
    assert "shepherd-root-service-type: service type shepherd-root" in out
    assert "  extends: system" in out


def test_describe_unbound_name(repl: Repl) -> None:
    assert piped(repl, ",describe no-such-thing\n").startswith("no-such-thing: unbound in (guile-user)")


def test_apropos_lists_matching_names_sorted(repl: Repl) -> None:
    out = piped(repl, "(define my-string-thing 1)\n,apropos string-app\n,apropos my-str\n")
    lines = out.splitlines()
    assert "(guile): string-append" in lines
    assert lines == sorted(lines[:-1]) + ["(guile-user): my-string-thing"]


def test_use_imports_a_module(repl: Repl) -> None:
    assert piped(repl, ",use (gnu services configuration)\n(unset-value? %unset-value)\n") == "$1 = #t\n"


def test_load_evaluates_a_file_in_the_current_module(repl: Repl, tmp_path: Path) -> None:
    lib = tmp_path / "lib.scm"
    lib.write_text("(define (double x) (* 2 x))\n'loaded\n")
    assert piped(repl, f",load {lib}\n(double 21)\n") == "$1 = loaded\n$2 = 42\n"


def test_time_prints_value_and_timing(repl: Repl) -> None:
    out = piped(repl, ",time (+ 1 2)\n")
    assert re.fullmatch(r"\$1 = 3\n;; \d+\.\d{6}s real time, \d+\.\d{6}s run time\.\n", out)


def test_expand_prints_core_forms(repl: Repl) -> None:
    out = piped(repl, ",expand (let loop ((i 0)) (when (< i 3) (loop (+ i 1))))\n")
    assert out == "(letrec* ((loop (lambda (i) (if (< i 3) (loop (+ i 1)))))) (loop 0))\n"


def test_expansion_is_indented_when_too_wide() -> None:
    tree = ["letrec*", [["loop", ["lambda", ["i"], ["if", ["<", "i", "3"], ["loop", ["+", "i", "1"]]]]]],
            ["loop", "0"]]
    assert pretty(tree, width=40) == ("(letrec* ((loop (lambda (i)\n"
                                      "                  (if (< i 3)\n"
                                      "                      (loop (+ i 1))))))\n"
                                      "  (loop 0))")


def test_backtrace_of_last_error(repl: Repl) -> None:
    out = piped(repl, ",bt\n(define (f x) (car x))\n(define (g y) (+ 1 (f y)))\n(g 5)\n,bt\n")
    lines = out.splitlines()
    assert lines[0] == "Nothing to debug."
    assert lines[2:6] == ["Backtrace:", "  <repl>:1:0: in toplevel", "  <repl>:1:19: in g", "  <repl>:1:14: in f"]


# ---------------------------------------------------------------- editing helpers


def test_indentation_follows_the_open_list() -> None:
    assert indentation("(define (f x)") == 2
    assert indentation("(+ 1") == 3
    assert indentation("(operating-system\n  (host-name") == 2 + 2
    assert indentation('(display "a\nb') == 0
    assert indentation("(list (a b)") == 6


def test_highlighting_classes() -> None:
    frags = [f for f in scheme_fragments('(define x "s") ; c\n#:key 42 #t') if f[0]]
    assert frags == [("class:paren", "("), ("class:special", "define"), ("class:name", "x"),
                     ("class:string", '"s"'), ("class:paren", ")"), ("class:comment", "; c"),
                     ("class:keyword", "#:key"), ("class:number", "42"), ("class:constant", "#t")]


def completions(repl: Repl, text: str) -> list[str]:
    event = CompleteEvent(completion_requested=True)
    return [c.text for c in make_completer(repl).get_completions(Document(text), event)]


def test_completion_of_bound_names(repl: Repl) -> None:
    piped(repl, "(define frobnicate-widget 1)\n")
    assert completions(repl, "(frobnicate-w") == ["frobnicate-widget"]
    assert "string-append" in completions(repl, "(string-app")


def test_completion_of_fields_inside_a_record_constructor(repl: Repl, config_file: Path) -> None:
    load(repl, config_file)
    assert completions(repl, "(libvirt-configuration\n  (") == ["listen-tls?", "unix-sock-group", "host-uuid",
                                                                  "tls-port", "inherit"]
    assert completions(repl, "(libvirt-configuration (unix-s") == ["unix-sock-group"]


def test_completion_of_meta_commands(repl: Repl) -> None:
    assert completions(repl, ",de") == ["describe"]


# ---------------------------------------------------------------- the prompt-toolkit application


def test_app_enter_on_incomplete_datum_inserts_newline(repl: Repl, tmp_path: Path) -> None:
    history = tmp_path / "history"
    code, out = drive(repl, "(+ 1\r2)\r,quit\r", history)
    assert (code, out) == (0, "$1 = 3\n")
    assert "+(+ 1\n+   2)\n" in history.read_text()


def test_app_error_then_continue(repl: Repl, tmp_path: Path) -> None:
    code, out = drive(repl, "(vector-ref (vector) 1)\r(string-append \"a\" \"b\")\r", tmp_path / "h")
    lines = out.splitlines()
    assert lines[0].startswith("<repl>:1:0: error:")
    assert lines[1:] == ['$1 = "ab"', ""]  # the empty line: Ctrl-D's newline


def test_app_describe_configuration(repl: Repl, config_file: Path, tmp_path: Path) -> None:
    load(repl, config_file)
    code, out = drive(repl, ",describe libvirt-configuration\r", tmp_path / "h")
    assert "  unix-sock-group (string, default: \"root\")\n      UNIX domain socket group ownership.\n" in out


def test_app_tab_completes_field_name(repl: Repl, config_file: Path, tmp_path: Path) -> None:
    load(repl, config_file)
    code, out = drive(repl, "(libvirt-configuration-unix-sock-group (libvirt-configuration (unix-s\t",
                      tmp_path / "h", ' "kvm") (host-uuid "u")))\r')
    assert out == '$2 = "kvm"\n\n'


def test_app_history_persists_across_sessions(repl: Repl, tmp_path: Path) -> None:
    history = tmp_path / "state" / "repl-history"
    drive(repl, "(define remembered 7)\r(+ remembered 1)\r", history)
    code, out = drive(repl, "\x1b[A\r", history)  # a new session: Up recalls the last input
    assert out == "$2 = 8\n\n"


# ---------------------------------------------------------------- command line and real terminal


def test_cli_piped_stdin(config_file: Path, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, "repl", str(config_file)],
                          input="(libvirt-configuration-unix-sock-group $1)\n(car '())\n,q\n",
                          capture_output=True, text=True, timeout=30, cwd=tmp_path,
                          env=dict(os.environ, XDG_STATE_HOME=str(tmp_path)))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    lines = lines[[i for i, line in enumerate(lines) if line.startswith("$1 = ")][0]:]
    assert lines[0].startswith("$1 = #<<libvirt-configuration>")
    assert lines[1] == '$2 = "root"'
    assert "error:" in lines[2] and "car" in lines[2]


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\x1b\][^\x07]*\x07|\r")


class Terminal:
    """A child process on a pseudo-terminal, read with bounded waits."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))

        # A new session whose controlling terminal is the pty (TIOCSCTTY in the child, see
        # PTY_LAUNCHER), so that ^C typed on the terminal is a SIGINT to the REPL.
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True)
        os.close(slave)
        self.raw = b""

    def text(self) -> str:
        return _ANSI.sub("", self.raw.decode("utf-8", errors="replace"))

    def expect(self, pattern: str, timeout: float = 10.0, after: int = 0) -> int:
        """Wait until ``pattern`` shows up past offset ``after`` of the text; the end of the match."""
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.text()[after:])
            if m:
                return after + m.end()
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {pattern!r} within {timeout}s; screen: {self.text()!r}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.1))
            if ready:
                try:
                    self.raw += os.read(self.master, 4096)
                except OSError:  # the child closed the terminal
                    raise AssertionError(f"terminal closed; screen: {self.text()!r}") from None

    def send(self, data: str) -> None:
        os.write(self.master, data.encode())

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(5)
        os.close(self.master)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    env = dict(os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", XDG_STATE_HOME=str(tmp_path))
    term = Terminal([sys.executable, "-c", PTY_LAUNCHER, "repl"], env)
    try:
        yield term
    finally:
        term.close()


PROMPT = r"scheme@\(guile-user\)>"


def test_pty_evaluates_and_ctrl_c_interrupts_a_running_loop(terminal: Terminal) -> None:
    pos = terminal.expect(PROMPT)
    terminal.send("(+ 1 2)\r")
    pos = terminal.expect(r"\$1 = 3", after=pos)
    pos = terminal.expect(PROMPT, after=pos)
    terminal.send("(let loop () (loop))\r")
    time.sleep(0.5)  # let the evaluation start (the terminal is back in cooked mode: ^C is SIGINT)
    terminal.send("\x03")
    pos = terminal.expect(r"error: User interrupt", after=pos)
    pos = terminal.expect(PROMPT, after=pos)
    terminal.send("(* 6 7)\r")
    pos = terminal.expect(r"\$2 = 42", after=pos)
    terminal.expect(PROMPT, after=pos)
    terminal.send(",quit\r")
    assert terminal.proc.wait(10) == 0


def test_demo_config_value_can_be_explored_with_accessors(repl: Repl) -> None:
    assert load(repl, ROOT / "examples" / "demo.scm") == "$1 = #<operating-system demo>"
    out = piped(repl, "(operating-system-host-name $1)\n"
                      "(map service-type-name (map service-kind (operating-system-services $1)))\n")
    lines = out.splitlines()
    assert lines[0] == '$2 = "demo"'
    assert " libvirt " in lines[1] and " hello-web " in lines[1]


# ---------------------------------------------------------------- Guile's other meta-commands


def test_pp_pretty_prints_the_value_and_numbers_it(repl: Repl) -> None:
    out = piped(repl, ",pp (iota 30)\n$1\n")
    lines = out.splitlines()
    assert lines[0].startswith("$1 = (0") and len(lines) > 2
    assert lines[-1].startswith("$2 = (0 1 2")


def test_binding_lists_the_current_modules_bindings(repl: Repl) -> None:
    out = piped(repl, "(define answer 42)\n(define (f x) x)\n,binding\n")
    assert "answer\t42" in out.splitlines()
    assert "f\t#<procedure f (x)>" in out.splitlines()


def test_import_lists_and_adds_imports(repl: Repl) -> None:
    assert piped(repl, ",import\n") == "(guile)\n"
    out = piped(repl, ",import (srfi srfi-1)\n,import\n")
    assert out.splitlines()[-1] == "(srfi srfi-1)"


def test_reload_reevaluates_a_modules_file(repl: Repl, tmp_path: Path) -> None:
    (tmp_path / "my").mkdir()
    mod = tmp_path / "my" / "mod.scm"
    mod.write_text("(define-module (my mod) #:export (f))\n(define (f) 1)\n")
    repl.interp.load_path.insert(0, str(tmp_path))
    assert piped(repl, ",use (my mod)\n(f)\n") == "$1 = 1\n"
    mod.write_text("(define-module (my mod) #:export (f))\n(define (f) 2)\n")
    out = piped(repl, ",reload (my mod)\n(f)\n")
    assert out == f"Reloaded (my mod) from {mod}.\n$2 = 2\n"


def test_inspect_shows_a_records_fields(repl: Repl) -> None:
    out = piped(repl, "(define-record-type <point> (make-point x y) point? (x point-x) (y point-y))\n"
                      ",inspect (make-point 1 2)\n")
    assert out.splitlines() == ["#<<point> x: 1 y: 2>", "  a record of type <point>", "  x: 1", "  y: 2"]


def test_help_lists_the_new_meta_commands(repl: Repl) -> None:
    out = piped(repl, ",help\n")
    for name in (",pretty-print EXPR  [,pp]", ",binding  [,b]", ",reload", ",inspect EXPR  [,i]", ",import"):
        assert name in out


def test_locals_shows_the_scheme_variables_where_the_error_happened(repl: Repl) -> None:
    out = piped(repl, "(define (f my-x y) (let ((z* (* my-x 2))) (car z*)))\n(f 3 \"four\")\n,locals\n$3\n")
    lines = out.splitlines()
    start = lines.index("  Local variables:")
    assert lines[start + 1:] == ["  $1 = my-x = 3", '  $2 = y = "four"', "  $3 = z* = 6", "$4 = 6"]


def test_locals_shows_a_set_variable_and_a_loop_variable_at_their_current_values(repl: Repl) -> None:
    out = piped(repl, "(define (count-down n acc) (set! acc (cons n acc))"
                      " (if (= n 0) (vector-ref acc 0) (count-down (- n 1) acc)))\n"
                      "(count-down 2 '())\n,locals\n")
    assert "  $1 = n = 0" in out.splitlines() and "  $2 = acc = (0 1 2)" in out.splitlines()


def test_locals_without_an_error_says_there_is_nothing_to_debug(repl: Repl) -> None:
    assert piped(repl, ",locals\n").strip() == "Nothing to debug."

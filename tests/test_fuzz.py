"""Fuzzing: whatever the input, schemy fails with a Scheme error, never a Python one.

* random text -> the reader returns datums or raises ReadError;
* random expressions over pure procedures and special forms -> evaluation returns a
  value or raises SchemeError/SchemeExit (each example has a time limit: an endless
  loop is interrupted the way Ctrl-C would, and counts as fine);
* random mutations of examples/*.scm (tokens deleted, duplicated, swapped, numbers and
  strings changed, parentheses dropped) -> building raises only SchemeError.

Bounded: a few hundred examples in all, the whole file well under a minute.
"""

from __future__ import annotations

import re
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemy.app import Interpreter
from schemy.lang.errors import ReadError, SchemeError, SchemeExit
from schemy.lang.reader import read

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.scm"))

FUZZ = settings(deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


class TimeLimit(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Interrupt the main thread after ``seconds`` (run_protected passes it on to its worker)."""
    def on_alarm(_signum, _frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except KeyboardInterrupt:
        raise TimeLimit from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ---------------------------------------------------------------- the reader

SCHEME_CHARS = st.sampled_from(list("()[]'`,@#.;|\"\\ \n\tabcxyz019+-*/<>=!?:λ") +
                               ["#t", "#f", "#\\", "#(", "#u8(", "#|", "|#", "#;", "#:", "#~", "#$",
                                "#x", "#e1/2", "1e400", "#\\x110000", "\\x41;", "#!", "!#", "#\\space"])
SCHEME_TEXT = st.lists(SCHEME_CHARS, max_size=40).map("".join)


@settings(FUZZ, max_examples=300)
@given(st.one_of(SCHEME_TEXT, st.text(max_size=60)))
def test_reader_raises_only_read_errors(text):
    try:
        forms = read(text, "<fuzz>")
    except ReadError:
        return
    assert isinstance(forms, list)


def test_reader_deep_nesting_is_a_read_error_or_datums():
    for text in ["(" * 20000 + ")" * 20000, "'" * 20000 + "x", "#(" * 5000 + ")" * 5000, "(" * 20000]:
        try:
            read(text, "<deep>")
        except ReadError:
            pass


# ---------------------------------------------------------------- evaluation

PROCEDURES = """car cdr cons list length append reverse + - * / quotient remainder expt < = eq? equal? not
null? pair? vector vector-ref make-vector string-append string-length substring string->symbol symbol->string
number->string string->number list-ref list-tail assq memv apply map for-each filter fold reduce iota error
raise assert values call-with-values string-upcase char->integer integer->char exact->inexact sqrt max min abs
hash-ref make-hash-table format vector->list last list->string string-ref string-split string-join sort throw
catch with-exception-handler dynamic-wind call/cc force make-parameter""".split()
SPECIAL = ["if", "let", "let*", "letrec", "lambda", "define", "quote", "begin", "cond", "case", "and", "or",
           "when", "unless", "set!", "do", "delay", "quasiquote", "unquote", "unquote-splicing", "else", "=>",
           "define-syntax", "syntax-rules", "let-values", "guard", "match", "define-record-type", "x", "y"]


def _atoms():
    from schemy.lang.datum import Symbol

    return st.one_of(
        st.integers(-5, 300), st.sampled_from([0, 1, -1, 2 ** 70, 0.5, float("inf")]),
        st.booleans(), st.text(alphabet="abc /%~a", max_size=6),
        st.sampled_from(PROCEDURES + SPECIAL).map(Symbol),
    )


def _datums():
    from schemy.lang.datum import make_list

    return st.recursive(_atoms(), lambda inner: st.lists(inner, max_size=5).map(make_list), max_leaves=25)


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


@settings(FUZZ, max_examples=250)
@given(datum=_datums())
def test_evaluating_random_expressions_raises_only_scheme_errors(interp, datum):
    try:
        with time_limit(2):
            interp.run_protected(lambda: interp.eval_toplevel(datum))
    except (SchemeError, SchemeExit, TimeLimit):
        pass


def test_endless_loop_is_interrupted_by_the_time_limit(interp):
    with pytest.raises(TimeLimit):
        with time_limit(0.5):
            interp.run_protected(lambda: interp.eval_string("(let loop () (loop))"))
    assert interp.run_protected(lambda: interp.eval_string("(+ 1 2)")) == 3


# ---------------------------------------------------------------- mutated configurations

TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|;[^\n]*|[()\[\]]|[^\s()\[\]";]+|\s+', re.S)


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


@st.composite
def mutated_config(draw):
    path = draw(st.sampled_from(EXAMPLES))
    tokens = _tokens(path.read_text())
    meaningful = [i for i, t in enumerate(tokens) if not t.isspace() and not t.startswith(";")]
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.sampled_from(meaningful))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "number", "string", "drop-paren",
                                   "symbol"]))
        tok = tokens[i]
        if op == "delete":
            tokens[i] = ""
        elif op == "duplicate":
            tokens[i] = tok + " " + tok
        elif op == "swap":
            j = draw(st.sampled_from(meaningful))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif op == "number":
            tokens[i] = str(draw(st.sampled_from([0, -1, 65536, 2 ** 64, "1.5", "#t", "'()"])))
        elif op == "string":
            tokens[i] = draw(st.sampled_from(['""', '"../x"', '"a/b"', '"\\n"', '42', "#f"]))
        elif op == "drop-paren":
            parens = [k for k in meaningful if tokens[k] in "()"]
            tokens[draw(st.sampled_from(parens))] = ""
        else:
            tokens[i] = draw(st.sampled_from(["'x", "#:x", "undefined-thing", "car", "%base-services",
                                              "'()"]))
    return path, "".join(tokens)


@pytest.fixture(scope="module")
def builder(tmp_path_factory):
    from schemy.system.generations import StateRoot
    from schemy.system.reconfigure import build_only

    root = StateRoot(tmp_path_factory.mktemp("fuzz-root"))
    state = {"interp": Interpreter(load_path=[str(Path(__file__).parent.parent / "examples")])}

    def build(config: Path) -> None:
        interp = state["interp"]
        try:
            with time_limit(20):
                interp.run_protected(lambda: build_only(interp, str(config), root))
        except TimeLimit:
            state["interp"] = Interpreter()  # an interrupted interpreter is not reused
            raise
    return build


@settings(FUZZ, max_examples=100)
@given(case=mutated_config())
def test_building_mutated_examples_raises_only_scheme_errors(builder, tmp_path_factory, case):
    path, text = case
    directory = tmp_path_factory.mktemp("mutant")
    for extra in path.parent.iterdir():  # local-file neighbours such as id_rsa.pub
        if not extra.suffix == ".scm":
            (directory / extra.name).write_bytes(extra.read_bytes())
    config = directory / path.name
    config.write_text(text)
    try:
        builder(config)
    except (SchemeError, TimeLimit):
        pass

"""A reference evaluator of Scheme's core forms, independent of schemy: a second oracle for the
compiler.  Written for clarity, not speed (in the manner of Norvig's lis.py): its own reader and
printer, environments as chained dicts, proper tail calls by looping in ``evaluate``.

Forms: quote, if, define, set!, lambda (with rest arguments), begin, let, let*, letrec,
letrec*, named let, cond (with =>), case, and, or, when, unless, do.  Primitives: numbers
(exact integers and rationals), pairs and lists, vectors, strings, characters, booleans,
symbols, equal?, apply, call/cc (escape only).  ``run(text)`` returns what the program
printed and whether it ended in an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

# ---------------------------------------------------------------- data

class Symbol(str):
    """A symbol: an interned string."""

    table: dict[str, Symbol] = {}

    @classmethod
    def of(cls, name: str) -> Symbol:
        if name not in cls.table:
            cls.table[name] = cls(name)
        return cls.table[name]


class Char(str):
    """A character (a one-letter string that writes as #\\c)."""


class MString:
    """A mutable Scheme string."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MString) and other.text == self.text

    __hash__ = None  # type: ignore[assignment]


class Pair:
    def __init__(self, car: Any, cdr: Any) -> None:
        self.car, self.cdr = car, cdr


class _Nil:
    def __repr__(self) -> str:
        return "()"


NIL = _Nil()
UNSPECIFIED = type("Unspecified", (), {"__repr__": lambda self: "#<unspecified>"})()


class SchemeError(Exception):
    """An error the program made (a wrong type, an unbound variable, ...)."""


def to_list(items: list, tail: Any = NIL) -> Any:
    for x in reversed(items):
        tail = Pair(x, tail)
    return tail


def from_list(x: Any) -> list:
    out = []
    while isinstance(x, Pair):
        out.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise SchemeError("not a proper list")
    return out


S = Symbol.of
QUOTE, IF, DEFINE, SET, LAMBDA, BEGIN = S("quote"), S("if"), S("define"), S("set!"), S("lambda"), S("begin")
LET, LETSTAR, LETREC, LETRECSTAR = S("let"), S("let*"), S("letrec"), S("letrec*")
COND, CASE, AND, OR, WHEN, UNLESS, DO = S("cond"), S("case"), S("and"), S("or"), S("when"), S("unless"), S("do")
ELSE, ARROW = S("else"), S("=>")


# ---------------------------------------------------------------- reader

_TOKEN = re.compile(r'''\s*(?:;[^\n]*\n?\s*)*(#\(|,@|[()'`,]|"(?:[^"\\]|\\.)*"|#\\(?:[a-z]+|.)|[^\s()'";]+)''', re.S)
_CHAR_NAMES = {"space": " ", "newline": "\n", "tab": "\t", "nul": "\0", "null": "\0"}


def tokenize(text: str) -> list[str]:
    tokens, pos = [], 0
    while True:
        m = _TOKEN.match(text, pos)
        if not m:
            if text[pos:].strip() and not text[pos:].strip().startswith(";"):
                raise SchemeError(f"cannot read: {text[pos:pos + 20]!r}")
            return tokens
        tokens.append(m.group(1))
        pos = m.end()


def read_all(text: str) -> list:
    tokens = tokenize(text)
    tokens.reverse()
    out = []
    while tokens:
        out.append(_read(tokens))
    return out


def _read(tokens: list[str]) -> Any:
    tok = tokens.pop()
    if tok in ("(", "#("):
        items: list = []
        tail: Any = NIL
        while tokens[-1] != ")":
            if tokens[-1] == "." and tok == "(":
                tokens.pop()
                tail = _read(tokens)
                break
            items.append(_read(tokens))
        tokens.pop()
        return list(items) if tok == "#(" else to_list(items, tail)
    if tok in ("'", "`", ","):
        name = {"'": "quote", "`": "quasiquote", ",": "unquote"}[tok]
        return to_list([S(name), _read(tokens)])
    if tok == ")":
        raise SchemeError("unexpected )")
    return atom(tok)


def atom(tok: str) -> Any:
    if tok.startswith('"'):
        return MString(re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), tok[1:-1]))
    if tok in ("#t", "#true"):
        return True
    if tok in ("#f", "#false"):
        return False
    if tok.startswith("#\\"):
        name = tok[2:]
        return Char(_CHAR_NAMES.get(name, name) if len(name) > 1 else name)
    try:
        return int(tok)
    except ValueError:
        pass
    if re.fullmatch(r"[-+]?\d+/\d+", tok):
        return Fraction(tok)
    return S(tok)


# ---------------------------------------------------------------- printer

_CHAR_WRITE = {" ": "space", "\n": "newline", "\t": "tab", "\0": "nul"}


def write(x: Any, display: bool = False) -> str:
    if x is True:
        return "#t"
    if x is False:
        return "#f"
    if x is NIL:
        return "()"
    if isinstance(x, Symbol):
        return str(x)
    if isinstance(x, Char):
        return str(x) if display else "#\\" + _CHAR_WRITE.get(x, x)
    if isinstance(x, MString):
        if display:
            return x.text
        return '"' + x.text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(x, list):
        return "#(" + " ".join(write(e, display) for e in x) + ")"
    if isinstance(x, Pair):
        parts = []
        while isinstance(x, Pair):
            parts.append(write(x.car, display))
            x = x.cdr
        tail = "" if x is NIL else " . " + write(x, display)
        return "(" + " ".join(parts) + tail + ")"
    if isinstance(x, (Procedure, Continuation)) or callable(x):
        return "#<procedure>"
    if x is UNSPECIFIED:
        return "#<unspecified>"
    return str(x)


# ---------------------------------------------------------------- environments and procedures

class Env(dict):
    def __init__(self, names: list = (), values: list = (), outer: Env | None = None) -> None:  # type: ignore[assignment]
        super().__init__(zip(names, values))
        self.outer = outer

    def find(self, name: Symbol) -> Env:
        env: Env | None = self
        while env is not None:
            if name in env:
                return env
            env = env.outer
        raise SchemeError(f"unbound variable: {name}")


class Procedure:
    """A closure: parameters (a list, possibly dotted for a rest parameter), body, environment."""

    def __init__(self, params: Any, body: list, env: Env) -> None:
        self.params, self.body, self.env = params, body, env

    def bind(self, args: list) -> Env:
        names, p = [], self.params
        while isinstance(p, Pair):
            names.append(p.car)
            p = p.cdr
        if len(args) < len(names) or (p is NIL and len(args) != len(names)):
            raise SchemeError("wrong number of arguments")
        env = Env(names, args[:len(names)], self.env)
        if p is not NIL:
            env[p] = to_list(args[len(names):])
        return env

    def __call__(self, *args: Any) -> Any:
        return evaluate(to_list([S("begin"), *self.body]) if len(self.body) > 1 else self.body[0],
                        self.bind(list(args)))


class Continuation(Exception):
    """An escaping continuation: calling it unwinds to its call/cc."""

    def __init__(self) -> None:
        self.value: Any = None

    def __call__(self, *values: Any) -> Any:
        self.value = values[0] if len(values) == 1 else UNSPECIFIED
        raise self


def call_cc(proc: Callable) -> Any:
    k = Continuation()
    try:
        return apply_proc(proc, [k])
    except Continuation as c:
        if c is k:
            return k.value
        raise


def apply_proc(proc: Any, args: list) -> Any:
    if not callable(proc):
        raise SchemeError(f"not a procedure: {write(proc)}")
    try:
        return proc(*args)
    except TypeError as e:  # a primitive given the wrong arguments
        raise SchemeError(str(e)) from None


# ---------------------------------------------------------------- the evaluator

def evaluate(x: Any, env: Env) -> Any:
    """The value of ``x`` in ``env``; tail positions loop instead of recursing."""
    while True:
        if isinstance(x, Symbol):
            return env.find(x)[x]
        if not isinstance(x, Pair):
            return x.copy() if isinstance(x, list) else x  # vectors and other constants
        op, args = x.car, from_list(x.cdr)
        if op is QUOTE:
            return args[0]
        if op is IF:
            x = args[1] if evaluate(args[0], env) is not False else (args[2] if len(args) > 2 else UNSPECIFIED)
            if x is UNSPECIFIED:
                return x
            continue
        if op is DEFINE:
            if isinstance(args[0], Pair):  # (define (f . params) body ...)
                env[args[0].car] = Procedure(args[0].cdr, args[1:], env)
            else:
                env[args[0]] = evaluate(args[1], env)
            return UNSPECIFIED
        if op is SET:
            env.find(args[0])[args[0]] = evaluate(args[1], env)
            return UNSPECIFIED
        if op is LAMBDA:
            return Procedure(args[0], args[1:], env)
        if op is BEGIN:
            if not args:
                return UNSPECIFIED
            for e in args[:-1]:
                evaluate(e, env)
            x = args[-1]
            continue
        if op is LET and isinstance(args[0], Symbol):  # named let
            name, bindings, body = args[0], from_list(args[1]), args[2:]
            loop_env = Env([name], [None], env)
            loop = Procedure(to_list([b.car for b in bindings]), body, loop_env)
            loop_env[name] = loop
            env = loop.bind([evaluate(b.cdr.car, env) for b in bindings])
            x = _body(body)
            continue
        if op is LET:
            bindings = from_list(args[0])
            env = Env([b.car for b in bindings], [evaluate(b.cdr.car, env) for b in bindings], env)
            x = _body(args[1:])
            continue
        if op is LETSTAR:
            for b in from_list(args[0]):
                env = Env([b.car], [evaluate(b.cdr.car, env)], env)
            env = Env([], [], env)
            x = _body(args[1:])
            continue
        if op is LETREC or op is LETRECSTAR:
            bindings = from_list(args[0])
            env = Env([b.car for b in bindings], [UNSPECIFIED] * len(bindings), env)
            for b in bindings:
                env[b.car] = evaluate(b.cdr.car, env)
            x = _body(args[1:])
            continue
        if op is COND:
            x = UNSPECIFIED
            for clause in args:
                test, exprs = clause.car, from_list(clause.cdr)
                value = True if test is ELSE else evaluate(test, env)
                if value is not False:
                    if exprs and exprs[0] is ARROW:
                        return apply_proc(evaluate(exprs[1], env), [value])
                    x = _body(exprs) if exprs else to_list([QUOTE, value])
                    break
            if x is UNSPECIFIED:
                return x
            continue
        if op is CASE:
            key = evaluate(args[0], env)
            x = UNSPECIFIED
            for clause in args[1:]:
                if clause.car is ELSE or any(eqv(key, d) for d in from_list(clause.car)):
                    x = _body(from_list(clause.cdr))
                    break
            if x is UNSPECIFIED:
                return x
            continue
        if op is AND or op is OR:
            if not args:
                return op is AND
            for e in args[:-1]:
                value = evaluate(e, env)
                if (value is False) == (op is AND):
                    return value
            x = args[-1]
            continue
        if op is WHEN or op is UNLESS:
            if (evaluate(args[0], env) is not False) != (op is WHEN):
                return UNSPECIFIED
            x = _body(args[1:])
            continue
        if op is DO:
            specs = [from_list(s) for s in from_list(args[0])]
            test, *result = from_list(args[1])
            env = Env([s[0] for s in specs], [evaluate(s[1], env) for s in specs], env)
            while evaluate(test, env) is False:
                for e in args[2:]:
                    evaluate(e, env)
                steps = [evaluate(s[2], env) if len(s) > 2 else env[s[0]] for s in specs]
                env = Env([s[0] for s in specs], steps, env.outer)
            if not result:
                return UNSPECIFIED
            x = _body(result)
            continue
        # a call: a closure's body runs in this loop (a proper tail call)
        proc = evaluate(op, env)
        values = [evaluate(a, env) for a in args]
        if isinstance(proc, Procedure):
            env = proc.bind(values)
            x = _body(proc.body)
            continue
        return apply_proc(proc, values)


def _body(exprs: list) -> Any:
    return exprs[0] if len(exprs) == 1 else to_list([BEGIN, *exprs])


# ---------------------------------------------------------------- primitives

def eqv(a: Any, b: Any) -> bool:
    if isinstance(a, (int, Fraction)) and isinstance(b, (int, Fraction)) and type(a) is not bool \
            and type(b) is not bool:
        return a == b
    if isinstance(a, Char) and isinstance(b, Char):
        return str(a) == str(b)
    return a is b or (a is NIL and b is NIL)


def equal(a: Any, b: Any) -> bool:
    if isinstance(a, Pair) and isinstance(b, Pair):
        return equal(a.car, b.car) and equal(a.cdr, b.cdr)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    if isinstance(a, MString) and isinstance(b, MString):
        return a.text == b.text
    return eqv(a, b)


def _num(x: Any) -> Any:
    if type(x) is bool or not isinstance(x, (int, Fraction)):
        raise SchemeError(f"not a number: {write(x)}")
    return x.numerator if isinstance(x, Fraction) and x.denominator == 1 else x


def _div(a: Any, *rest: Any) -> Any:
    if not rest:
        a, rest = 1, (a,)
    for b in rest:
        if _num(b) == 0:
            raise SchemeError("division by zero")
        a = _num(Fraction(_num(a)) / b)
    return a


def _quotient(a: int, b: int) -> int:
    if b == 0:
        raise SchemeError("division by zero")
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _chain(test: Callable[[Any, Any], bool]) -> Callable[..., bool]:
    return lambda *xs: all(test(_num(a), _num(b)) for a, b in zip(xs, xs[1:]))


def _list_tail(x: Any, k: int) -> Any:
    for _ in range(k):
        x = x.cdr
    return x


def _check_pair(x: Any) -> Pair:
    if not isinstance(x, Pair):
        raise SchemeError(f"not a pair: {write(x)}")
    return x


def _map(proc: Any, *lists: Any) -> Any:
    columns = [from_list(xs) for xs in lists]
    return to_list([apply_proc(proc, list(args)) for args in zip(*columns)])


def _for_each(proc: Any, *lists: Any) -> Any:
    for args in zip(*[from_list(xs) for xs in lists]):
        apply_proc(proc, list(args))
    return UNSPECIFIED


def _apply(proc: Any, *args: Any) -> Any:
    return apply_proc(proc, list(args[:-1]) + from_list(args[-1]))


def _vector_ref(v: list, k: int) -> Any:
    if not 0 <= k < len(v):
        raise SchemeError("index out of range")
    return v[k]


def _vector_set(v: list, k: int, value: Any) -> Any:
    if not 0 <= k < len(v):
        raise SchemeError("index out of range")
    v[k] = value
    return UNSPECIFIED


def _number_to_string(n: Any) -> MString:
    return MString(str(_num(n)))


def make_global_env(out: list[str]) -> Env:
    """The primitives; ``display``/``write``/``newline`` append to ``out``."""

    def show(x: Any, display: bool) -> Any:
        out.append(write(x, display))
        return UNSPECIFIED

    def set_car(p: Pair, v: Any) -> Any:
        _check_pair(p).car = v
        return UNSPECIFIED

    def set_cdr(p: Pair, v: Any) -> Any:
        _check_pair(p).cdr = v
        return UNSPECIFIED

    prims: dict[str, Any] = {
        "+": lambda *xs: sum(map(_num, xs)), "*": lambda *xs: _product(xs),
        "-": lambda a, *xs: -_num(a) if not xs else _num(a) - sum(map(_num, xs)), "/": _div,
        "=": _chain(lambda a, b: a == b), "<": _chain(lambda a, b: a < b), ">": _chain(lambda a, b: a > b),
        "<=": _chain(lambda a, b: a <= b), ">=": _chain(lambda a, b: a >= b),
        "quotient": _quotient, "remainder": lambda a, b: a - b * _quotient(a, b),
        "modulo": lambda a, b: a - b * (a // b) if b else _quotient(a, b),
        "abs": lambda a: abs(_num(a)), "min": lambda *xs: min(map(_num, xs)), "max": lambda *xs: max(map(_num, xs)),
        "zero?": lambda a: _num(a) == 0, "positive?": lambda a: _num(a) > 0, "negative?": lambda a: _num(a) < 0,
        "even?": lambda a: _num(a) % 2 == 0, "odd?": lambda a: _num(a) % 2 == 1,
        "number?": lambda x: isinstance(x, (int, Fraction)) and type(x) is not bool,
        "square": lambda a: _num(a) * a, "1+": lambda a: _num(a) + 1,
        "number->string": _number_to_string, "not": lambda x: x is False,
        "boolean?": lambda x: isinstance(x, bool), "symbol?": lambda x: isinstance(x, Symbol),
        "procedure?": lambda x: callable(x),
        "eq?": lambda a, b: eqv(a, b) if isinstance(a, (int, Char)) and type(a) is not bool and abs(a) < 2**29
        else a is b,
        "eqv?": eqv, "equal?": equal,
        "cons": Pair, "car": lambda p: _check_pair(p).car, "cdr": lambda p: _check_pair(p).cdr,
        "cadr": lambda p: _check_pair(_check_pair(p).cdr).car, "cddr": lambda p: _check_pair(_check_pair(p).cdr).cdr,
        "set-car!": set_car, "set-cdr!": set_cdr,
        "pair?": lambda x: isinstance(x, Pair), "null?": lambda x: x is NIL,
        "list?": lambda x: _is_list(x), "list": lambda *xs: to_list(list(xs)),
        "length": lambda x: len(from_list(x)), "reverse": lambda x: to_list(from_list(x)[::-1]),
        "append": _append, "list-tail": _list_tail, "list-ref": lambda x, k: _list_tail(x, k).car,
        "memv": lambda x, xs: _member(x, xs, eqv), "member": lambda x, xs: _member(x, xs, equal),
        "assv": lambda x, xs: _assoc(x, xs, eqv), "assoc": lambda x, xs: _assoc(x, xs, equal),
        "map": _map, "for-each": _for_each, "apply": _apply,
        "vector": lambda *xs: list(xs), "make-vector": lambda k, fill=UNSPECIFIED: [fill] * k,
        "vector-ref": _vector_ref, "vector-set!": _vector_set, "vector-length": len,
        "vector->list": lambda v: to_list(list(v)), "list->vector": lambda x: from_list(x),
        "vector?": lambda x: isinstance(x, list),
        "string?": lambda x: isinstance(x, MString), "string-length": lambda s: len(s.text),
        "string-append": lambda *ss: MString("".join(s.text for s in ss)),
        "string-ref": lambda s, k: Char(s.text[k]), "substring": lambda s, a, b=None: MString(s.text[a:b]),
        "string->list": lambda s: to_list([Char(c) for c in s.text]),
        "list->string": lambda x: MString("".join(from_list(x))),
        "string->symbol": lambda s: S(s.text), "symbol->string": lambda s: MString(str(s)),
        "string=?": lambda a, b: a.text == b.text, "string<?": lambda a, b: a.text < b.text,
        "char?": lambda x: isinstance(x, Char), "char->integer": lambda c: ord(c),
        "integer->char": lambda k: Char(chr(k)), "char-upcase": lambda c: Char(c.upper()),
        "char=?": lambda a, b: str(a) == str(b),
        "call/cc": call_cc, "call-with-current-continuation": call_cc,
        "display": lambda x: show(x, True), "write": lambda x: show(x, False),
        "newline": lambda: show(MString("\n"), True),
    }
    env = Env()
    for name, value in prims.items():
        env[S(name)] = value
    return env


def _product(xs: tuple) -> Any:
    result = 1
    for x in xs:
        result *= _num(x)
    return result


def _is_list(x: Any) -> bool:
    while isinstance(x, Pair):
        x = x.cdr
    return x is NIL


def _append(*lists: Any) -> Any:
    if not lists:
        return NIL
    result = lists[-1]
    for xs in reversed(lists[:-1]):
        result = to_list(from_list(xs), result)
    return result


def _member(x: Any, xs: Any, same: Callable) -> Any:
    while isinstance(xs, Pair):
        if same(x, xs.car):
            return xs
        xs = xs.cdr
    return False


def _assoc(x: Any, xs: Any, same: Callable) -> Any:
    for entry in from_list(xs):
        if same(x, entry.car):
            return entry
    return False


def run(text: str) -> tuple[str, bool]:
    """Evaluate every top-level form of ``text``: (what it printed, whether it ended in an error)."""
    import sys

    out: list[str] = []
    env = make_global_env(out)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        for form in read_all(text):
            evaluate(form, env)
        return "".join(out), False
    except (SchemeError, RecursionError, Continuation, ZeroDivisionError, AttributeError, IndexError):
        return "".join(out), True
    finally:
        sys.setrecursionlimit(limit)

"""``(ice-9 match)``: Wright/Shinn pattern matching compiled straight to core nodes.

Special forms: ``match``, ``match-lambda``, ``match-lambda*``, ``match-let``,
``match-let*``, ``match-letrec`` and ``match-define``.

How a ``match`` is compiled
===========================

Patterns are parsed at expansion time into a small tree (``_P*`` classes), then
each clause becomes a *test chain*: a flat list of steps, each either an effect
(``("do", node)``: bind a temporary or a pattern variable with ``LSet``) or a
test (``("test", node)``).  The chain is emitted as::

    ok = <test 1>
    if ok is not False:  <effects>; ok = <test 2>
    if ok is not False:  <effects>; ok = <test 3>
    ...

so a pattern of any size adds no Python block nesting (Python refuses more
than 100 indentation levels).  Temporaries, pattern variables and ``ok`` are
fresh ``Var``s bound by one ``core.Let`` per clause (initialised to #f); the
clause body is expanded in a scope that maps only the identifiers the user
wrote in the pattern to their ``Var``s, so the temporaries are invisible.

Clauses are chained with ``If(test, body, next-clause)``; past
``_NEST_LIMIT`` clauses a flat selector is used instead (each clause test runs
only while no clause has matched and records its number; a balanced tree of
``<`` tests then picks the body), again to keep nesting shallow.  A clause
with a failure continuation ``(pat (=> k) body ...)`` binds ``k`` to a
procedure of no arguments that runs the remaining clauses.

Lists with an ellipsis (``(p ...)``, ``___``, ``..1``, ``..N``, also followed
by more patterns) call one runtime helper that walks the list iteratively
(``_match_segment``) with the element pattern compiled as a small procedure
(``lambda (x) -> #f | tuple of the element's variables``); the helper
returns one Scheme list per variable plus the remaining tail, so lists of any
length match without Python recursion.  When the repeated pattern is just an
identifier or ``_`` no procedure is made: ``_split_list`` or ``list?`` does it.

Differences from Guile 3.0.8's matcher (all are extensions where Guile either
signals a syntax error or silently binds an oddly named variable):
``..N`` means "at least N" (Guile only knows ``..1``), ``..1`` may be followed
by more patterns, ``,@pat`` in a quasi-pattern matches the list segment up to
the patterns that follow it, ``match-define`` exists, and ``$`` reads a
Guix-style thunked field by calling its thunk.  A variable bound in only some
branches of an ``or`` is #f when another branch matched.  ``***`` is not
supported, nor ``get!``/``set!`` inside an ellipsis or under ``=``.  Pattern
keywords (``_``, ``...``, ``quote``, ``and``, ``?``, ``$``...) are recognised
by name.  A failed match throws ``match-error`` with Guile's arguments
``("match" "no matching pattern" value)`` (catchable with ``catch`` and ``guard``).

``match-define`` works at top level; as an internal definition it needs
``Expander.expand_body`` to splice ``rewrite_match_define(ex, form)`` (a
``define-values`` form) the way it handles ``define-values``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from schemy.expand.forms import form_list, special, syntax_error
from schemy.lang import core
from schemy.lang.datum import (
    NIL,
    UNSPECIFIED,
    Char,
    Keyword,
    MString,
    Pair,
    SourceLocation,
    Symbol,
    is_list,
    make_list,
    make_pair,
)
from schemy.lang.errors import SchemeError
from schemy.lang.syntax import Ident, Scope, Var, identifier_symbol, is_identifier, strip
from schemy.runtime.records import Record, Thunk

if TYPE_CHECKING:
    from schemy.expand.expander import Expander

# ====================================================================== runtime helpers
# Called from the generated code through ``core.PrimCall`` nodes holding the function
# itself, so a user binding can never capture them and a call in tail position is
# a direct call (not a trampolined tail call).


def _tuple(*items: Any) -> tuple:
    return items


def _list_at_least(x: Any, n: int) -> bool:
    """A proper list of at least ``n`` elements."""
    count = 0
    while x.__class__ is Pair:
        count += 1
        x = x.cdr
    return x is NIL and count >= n


def _split_list(lst: Any, k: int, minimum: int) -> Any:
    """``[prefix, rest]`` where ``rest`` holds the last ``k`` elements of proper list ``lst``
    and ``prefix`` (a fresh list, or ``lst`` itself when ``k`` is 0) at least ``minimum``
    elements; #f when ``lst`` is not such a list."""
    pairs = []
    x = lst
    while x.__class__ is Pair:
        pairs.append(x)
        x = x.cdr
    if x is not NIL:
        return False
    count = len(pairs) - k
    if count < minimum:
        return False
    if k == 0:
        return [lst, NIL]
    prefix: Any = NIL
    for i in range(count - 1, -1, -1):
        prefix = make_pair(pairs[i].car, prefix)
    return [prefix, pairs[count]]


def _match_segment(lst: Any, matcher: Callable, nvars: int, k: int, minimum: int) -> Any:
    """Match each element of proper list ``lst`` but the last ``k`` with ``matcher``.

    ``matcher`` returns #f or a tuple of the element's pattern variables; the result
    is #f or ``[list-of-var-1, ..., list-of-var-n, rest]`` (``rest``: the last ``k`` pairs).
    """
    pairs = []
    x = lst
    while x.__class__ is Pair:
        pairs.append(x)
        x = x.cdr
    if x is not NIL:
        return False
    count = len(pairs) - k
    if count < minimum:
        return False
    columns: list[list] = [[] for _ in range(nvars)]
    for i in range(count):
        r = matcher(pairs[i].car)
        if r is False:
            return False
        for j in range(nvars):
            columns[j].append(r[j])
    out: list = [make_list(c) for c in columns]
    out.append(pairs[count] if count < len(pairs) else NIL)
    return out


def _bound_segment(lst: Any, expect: Any, k: int, minimum: int) -> Any:
    """``(v v ...)`` with ``v`` already bound: the segment before the last ``k`` elements
    must equal ``v``'s value element by element.  Returns the rest or #f."""
    from schemy.runtime.primitives.equality import is_equal

    split = _split_list(lst, k, minimum)
    if split is False:
        return False
    prefix, rest = split
    return rest if is_equal(prefix, expect) else False


def _vector_of_length(v: Any, n: int) -> bool:
    return v.__class__ is list and len(v) == n


def _vector_as_list(v: Any) -> Any:
    return make_list(v) if v.__class__ is list else False


def _is_record_of(v: Any, rtd: Any) -> bool:
    return v.__class__ is Record and v.rtd is rtd


def _record_field(r: Any, i: int) -> Any:
    values = r.values
    if i >= len(values):
        from schemy.lang.errors import scheme_error

        raise scheme_error(f"$ pattern: record {r.rtd.display_name()} has only {len(values)} fields",
                           kind="out-of-range", origin="match")
    v = values[i]
    if v.__class__ is Thunk:  # a thunked field of a define-record-type* record, as its accessor reads it
        v = v.proc(r)
        san = r.rtd.properties["star"].sanitizers.get(i)
        if san is not None:
            v = san(v)
    return v


def _getter(container: Any, kind: str, i: int) -> Callable:
    if kind == "car":
        return lambda: container.car
    if kind == "cdr":
        return lambda: container.cdr
    if kind == "vec":
        return lambda: container[i]
    return lambda: _record_field(container, i)


def _setter(container: Any, kind: str, i: int) -> Callable:
    def set_(value: Any) -> Any:
        if kind == "car":
            container.car = value
        elif kind == "cdr":
            container.cdr = value
        else:
            if kind == "vec":
                container[i] = value
            else:
                container.values[i] = value
        return UNSPECIFIED

    return set_


def match_failure(value: Any) -> Any:
    """No clause matched: ``(throw 'match-error "match" "no matching pattern" value)``."""
    from schemy.runtime.control import throw

    try:
        throw(Symbol("match-error"), "match", "no matching pattern", value)
    except SchemeError as e:
        e.payload.hint = "no pattern of this match form accepts the value; add a clause for it"
        raise
    return False  # pragma: no cover - throw always raises


def _pcall(fn: Callable, args: list, loc: SourceLocation | None = None) -> core.PrimCall:
    """A direct call of runtime helper ``fn`` (never captured, never a tail call)."""
    return core.PrimCall(f"%match:{fn.__name__}", args, core.Const(fn), loc)


def _prim(name: str, args: list, loc: SourceLocation | None = None) -> core.PrimCall:
    """A call of core primitive ``name`` the compiler can inline (``pair?``, ``car``...)."""
    from schemy.runtime.world import primitive as primitive_function

    return core.PrimCall(name, args, core.Const(primitive_function(name)), loc)


def _equal_test(a: core.Node, b: core.Node) -> core.Node:
    from schemy.runtime.primitives.equality import is_equal

    return _pcall(is_equal, [a, b])


def _eqv_test(a: core.Node, b: core.Node) -> core.Node:
    from schemy.runtime.primitives.equality import is_eqv

    return _pcall(is_eqv, [a, b])


# ====================================================================== parsed patterns


class _P:
    __slots__ = ()


class _PAny(_P):
    __slots__ = ()


class _PVar(_P):
    __slots__ = ("ident",)

    def __init__(self, ident: Any) -> None:
        self.ident = ident


class _PLit(_P):
    """A literal compared with ``eq?`` (symbols, booleans, chars, keywords), ``eqv?``
    (numbers) or ``equal?`` (strings, lists, vectors...)."""

    __slots__ = ("value", "how")

    def __init__(self, value: Any, how: str) -> None:
        self.value = value
        self.how = how


class _PNull(_P):
    __slots__ = ()


class _PPair(_P):
    __slots__ = ("car", "cdr")

    def __init__(self, car: _P, cdr: _P) -> None:
        self.car = car
        self.cdr = cdr


class _PEllipsis(_P):
    """The rest of a list: elements matching ``elem`` (at least ``minimum``) then ``tail``."""

    __slots__ = ("elem", "minimum", "tail")

    def __init__(self, elem: _P, minimum: int, tail: list) -> None:
        self.elem = elem
        self.minimum = minimum
        self.tail = tail


class _PSplice(_P):
    """``,@p`` in a quasi-pattern: ``p`` matches the segment before the ``tail`` patterns."""

    __slots__ = ("pat", "tail")

    def __init__(self, pat: _P, tail: list) -> None:
        self.pat = pat
        self.tail = tail


class _PVector(_P):
    __slots__ = ("items",)

    def __init__(self, items: list) -> None:
        self.items = items


class _PVectorList(_P):
    """A vector pattern with an ellipsis: the vector's elements as a list match ``pat``."""

    __slots__ = ("pat",)

    def __init__(self, pat: _P) -> None:
        self.pat = pat


class _PAnd(_P):
    __slots__ = ("pats",)

    def __init__(self, pats: list) -> None:
        self.pats = pats


class _POr(_P):
    __slots__ = ("pats",)

    def __init__(self, pats: list) -> None:
        self.pats = pats


class _PNot(_P):
    __slots__ = ("pat",)

    def __init__(self, pat: _P) -> None:
        self.pat = pat


class _PPred(_P):
    __slots__ = ("pred", "pats")

    def __init__(self, pred: Any, pats: list) -> None:
        self.pred = pred
        self.pats = pats


class _PApp(_P):
    __slots__ = ("proc", "pat")

    def __init__(self, proc: Any, pat: _P) -> None:
        self.proc = proc
        self.pat = pat


class _PRecord(_P):
    __slots__ = ("rtd", "pats")

    def __init__(self, rtd: Any, pats: list) -> None:
        self.rtd = rtd
        self.pats = pats


class _PAccess(_P):
    """``(get! id)`` / ``(set! id)``: bind a getter / setter of the matched location."""

    __slots__ = ("ident", "kind")

    def __init__(self, ident: Any, kind: str) -> None:
        self.ident = ident
        self.kind = kind


_ELLIPSIS_RE = re.compile(r"^\.\.(\d+)$")
_SPECIAL_HEADS = {"quote", "quasiquote", "and", "or", "not", "?", "=", "$", "set!", "get!"}


def _name(x: Any) -> str | None:
    return identifier_symbol(x).name if is_identifier(x) else None


def _ellipsis_min(x: Any) -> int | None:
    """0 for ``...``/``___``, N for ``..N``; None when ``x`` is not an ellipsis."""
    name = _name(x)
    if name is None:
        return None
    if name in ("...", "___"):
        return 0
    m = _ELLIPSIS_RE.match(name)
    return int(m.group(1)) if m else None


def _literal(value: Any) -> _P:
    if value is NIL:
        return _PNull()
    cls = value.__class__
    if cls is Symbol or cls is bool or cls is Char or cls is Keyword:
        return _PLit(value, "eq")
    if cls is int or cls is float or cls.__name__ in ("Fraction", "complex"):
        return _PLit(value, "eqv")
    if cls is MString:
        return _PLit(str(value), "equal")
    return _PLit(value, "equal")


class _Parser:
    def __init__(self, form: Any) -> None:
        self.form = form  # the whole match form, for error messages

    def error(self, message: str, pat: Any) -> SchemeError:
        return syntax_error(message, pat, loc=getattr(pat, "loc", None) or getattr(self.form, "loc", None))

    def parse(self, p: Any) -> _P:
        if is_identifier(p):
            name = identifier_symbol(p).name
            if name == "_":
                return _PAny()
            if _ellipsis_min(p) is not None:
                raise self.error("misplaced ellipsis in match pattern", p)
            return _PVar(p)
        if p is NIL:
            return _PNull()
        if p.__class__ is Pair:
            head = _name(p.car)
            if head in _SPECIAL_HEADS:
                return self.parse_special(head, p)
            return self.parse_list(p)
        if p.__class__ is list:
            return self.parse_vector(p)
        return _literal(strip(p))

    def parse_special(self, head: str, p: Pair) -> _P:
        try:
            args = form_list(p.cdr)
        except SchemeError:
            if head in ("quote", "quasiquote"):
                raise self.error(f"bad {head} pattern", p) from None
            # (and p q . rest): not Guile's `and` (its rules want a proper list), so the
            # list pattern whose first element is a pattern variable named `and`.
            return self.parse_list(p)
        if head == "quote":
            if len(args) != 1:
                raise self.error("bad quote pattern", p)
            return _literal(strip(args[0]))
        if head == "quasiquote":
            if len(args) != 1:
                raise self.error("bad quasiquote pattern", p)
            return self.parse_quasi(args[0], 1)
        if head == "and":
            return _PAnd([self.parse(a) for a in args])
        if head == "or":
            return _POr([self.parse(a) for a in args])
        if head == "not":
            if len(args) != 1:
                raise self.error("bad not pattern (expected (not pattern))", p)
            return _PNot(self.parse(args[0]))
        if head == "?":
            if not args:
                raise self.error("bad ? pattern (expected (? predicate pattern ...))", p)
            return _PPred(args[0], [self.parse(a) for a in args[1:]])
        if head == "=":
            if len(args) != 2:
                raise self.error("bad = pattern (expected (= procedure pattern))", p)
            return _PApp(args[0], self.parse(args[1]))
        if head == "$":
            if not args:
                raise self.error("bad $ pattern (expected ($ record-type pattern ...))", p)
            return _PRecord(args[0], [self.parse(a) for a in args[1:]])
        # set! / get!
        if len(args) != 1 or not is_identifier(args[0]):
            raise self.error(f"bad {head} pattern (expected ({head} identifier))", p)
        return _PAccess(args[0], head)

    def split_list(self, p: Any, patterns: bool = False) -> tuple[list, Any]:
        """Elements and final cdr of list ``p``.  With ``patterns``, a cdr that is itself a
        special pattern ends the list: ``(1 . (set! s))`` reads as ``(1 set! s)`` but is
        the pair pattern whose cdr is ``(set! s)``, as in Guile."""
        items = []
        x = p
        while x.__class__ is Pair:
            if patterns and x is not p and _name(x.car) in _SPECIAL_HEADS and not (
                    x.cdr.__class__ is Pair and _ellipsis_min(x.cdr.car) is not None):
                break
            items.append(x.car)
            x = x.cdr
        return items, x

    def parse_list(self, p: Pair) -> _P:
        items, tail = self.split_list(p, patterns=True)
        marks = [i for i, it in enumerate(items) if _ellipsis_min(it) is not None]
        if not marks:
            result = NIL if tail is NIL else tail
            node = self.parse(result) if result is not NIL else _PNull()
            for it in reversed(items):
                node = _PPair(self.parse(it), node)
            return node
        if len(marks) > 1:
            raise self.error("multiple ellipsis patterns not allowed at same level", p)
        i = marks[0]
        if i == 0:
            raise self.error("misplaced ellipsis in match pattern", p)
        if tail is not NIL:
            raise self.error("dotted tail not allowed after ellipsis", p)
        seg = _PEllipsis(self.parse(items[i - 1]), _ellipsis_min(items[i]) or 0,
                         [self.parse(it) for it in items[i + 1:]])
        node: _P = seg
        for it in reversed(items[:i - 1]):
            node = _PPair(self.parse(it), node)
        return node

    def parse_vector(self, v: list) -> _P:
        if any(_ellipsis_min(it) is not None for it in v):
            return _PVectorList(self.parse_list(make_list(v)))
        return _PVector([self.parse(it) for it in v])

    def parse_quasi(self, x: Any, depth: int) -> _P:
        if x.__class__ is Pair:
            head = _name(x.car)
            if head in ("unquote", "quasiquote") and x.cdr.__class__ is Pair and x.cdr.cdr is NIL:
                if head == "unquote" and depth == 1:
                    return self.parse(x.cdr.car)
                inner = self.parse_quasi(x.cdr.car, depth - 1 if head == "unquote" else depth + 1)
                return _PPair(_PLit(Symbol(head), "eq"), _PPair(inner, _PNull()))
            first = x.car
            if (depth == 1 and first.__class__ is Pair and _name(first.car) == "unquote-splicing"
                    and first.cdr.__class__ is Pair and first.cdr.cdr is NIL):
                rest, end = self.split_list(x.cdr)
                if end is not NIL:
                    raise self.error("dotted tail not allowed after unquote-splicing", x)
                for r in rest:
                    if r.__class__ is Pair and _name(r.car) == "unquote-splicing":
                        raise self.error("multiple unquote-splicing patterns not allowed at same level", x)
                return _PSplice(self.parse(first.cdr.car), [self.parse_quasi(r, depth) for r in rest])
            return _PPair(self.parse_quasi(first, depth), self.parse_quasi(x.cdr, depth))
        if x.__class__ is list:
            return _PVectorList(self.parse_quasi(make_list(x), depth))
        return _literal(strip(x))


def pattern_identifiers(pat: _P) -> list:
    """The identifiers a parsed pattern binds, in order of first appearance."""
    out: list = []
    seen: set = set()

    def walk(p: _P) -> None:
        cls = p.__class__
        if cls is _PVar or cls is _PAccess:
            if p.ident not in seen:
                seen.add(p.ident)
                out.append(p.ident)
        elif cls is _PPair:
            walk(p.car)
            walk(p.cdr)
        elif cls is _PEllipsis:
            walk(p.elem)
            for t in p.tail:
                walk(t)
        elif cls is _PSplice:
            walk(p.pat)
            for t in p.tail:
                walk(t)
        elif cls is _PVector:
            for t in p.items:
                walk(t)
        elif cls is _PVectorList or cls is _PApp:
            walk(p.pat)
        elif cls is _PAnd or cls is _POr or cls is _PPred or cls is _PRecord:
            for t in p.pats:
                walk(t)

    walk(pat)
    return out


# ====================================================================== compiling patterns

_Src = Any  # a Var (already in a variable) or a pure core node evaluated at most once
_Where = Any  # ("car"|"cdr"|"vec"|"rec", Var, index) | ("top", identifier | None) | None


class _Context:
    """Compiles the patterns of one clause into a test chain."""

    def __init__(self, ex: Expander, env: Scope, bound: dict | None = None) -> None:
        self.ex = ex
        self.env = env
        self.vars: list[Var] = []  # every Var the clause's Let must bind
        self.bound: dict[Any, Var] = dict(bound) if bound else {}
        self.share: dict[Any, Var] = {}  # identifier -> Var shared by the branches of an `or`

    # ------------------------------------------------------------ variables
    def temp(self, name: str = "t") -> Var:
        v = Var(Symbol(name))
        v.mutated = True
        self.vars.append(v)
        return v

    def new_var(self, ident: Any) -> Var:
        v = self.share.get(ident)
        if v is None:
            v = Var(identifier_symbol(ident))
            v.mutated = True
            self.vars.append(v)
            self.share[ident] = v
        self.bound[ident] = v
        return v

    def var_of(self, src: _Src, out: list, name: str = "w") -> Var:
        if src.__class__ is Var:
            return src
        if src.__class__ is core.LRef:
            return src.var
        t = self.temp(name)
        out.append(("do", core.LSet(t, src)))
        return t

    @staticmethod
    def node(src: _Src) -> core.Node:
        return core.LRef(src) if src.__class__ is Var else src

    def scope(self) -> Scope:
        """The scope for expressions inside patterns: sees the pattern variables bound so far."""
        s = Scope(self.env)
        for ident, var in self.bound.items():
            s.bind(ident, var)
        return s

    def expand(self, form: Any) -> core.Node:
        return self.ex.expand(form, self.scope())

    # ------------------------------------------------------------ chains
    def chain(self, items: list) -> core.Node:
        """The boolean node for a list of ("do"|"test", node) steps (flat, see module doc)."""
        test, trailing = self.chain_parts(items)
        if not trailing:
            return test
        if test is None:
            return core.Seq(trailing + [core.Const(True)])
        if test.__class__ is core.LRef:  # the ok variable of a multi-step chain
            return core.Seq([core.If(test, core.Seq(trailing), core.Const(UNSPECIFIED)), test])
        return core.If(test, core.Seq(trailing + [core.Const(True)]), core.Const(False))

    def chain_parts(self, items: list) -> tuple[core.Node | None, list]:
        """``(test, trailing)``: the test node (None: always true) and the effects to run
        once it succeeded (binding the variables after the last test)."""
        segs: list[tuple[list, list]] = []
        dos: list = []
        tests: list = []
        for kind, n in items:
            if kind == "do":
                if tests:
                    segs.append((dos, tests))
                    dos, tests = [], []
                dos.append(n)
            else:
                tests.append(n)
        trailing: list = []
        if tests:
            segs.append((dos, tests))
        else:
            trailing = dos
        if not segs:
            return None, trailing
        if len(segs) == 1:
            d, t = segs[0]
            test = _and_node(t)
            return (core.Seq(d + [test]) if d else test), trailing
        ok = self.temp("ok")
        nodes: list = []
        for i, (d, t) in enumerate(segs):
            step = d + [core.LSet(ok, _and_node(t))]
            if i == 0:
                nodes += step
            else:
                nodes.append(core.If(core.LRef(ok), core.Seq(step), core.Const(UNSPECIFIED)))
        nodes.append(core.LRef(ok))
        return core.Seq(nodes), trailing

    # ------------------------------------------------------------ patterns
    def emit(self, p: _P, src: _Src, where: _Where, out: list) -> None:
        cls = p.__class__
        if cls is _PAny:
            return
        if cls is _PVar:
            prev = self.bound.get(p.ident)
            if prev is not None:
                out.append(("test", _equal_test(self.node(src), core.LRef(prev))))
            else:
                out.append(("do", core.LSet(self.new_var(p.ident), self.node(src))))
            return
        if cls is _PLit:
            const = core.Const(p.value)
            if p.how == "eq":
                out.append(("test", _prim("eq?", [self.node(src), const])))
            elif p.how == "eqv":
                out.append(("test", _eqv_test(self.node(src), const)))
            else:
                out.append(("test", _equal_test(self.node(src), const)))
            return
        if cls is _PNull:
            out.append(("test", _prim("null?", [self.node(src)])))
            return
        if cls is _PPair:
            v = self.var_of(src, out)
            out.append(("test", _prim("pair?", [core.LRef(v)])))
            self.emit(p.car, _prim("car", [core.LRef(v)]), ("car", v, 0), out)
            self.emit(p.cdr, _prim("cdr", [core.LRef(v)]), ("cdr", v, 0), out)
            return
        if cls is _PEllipsis:
            self.emit_ellipsis(p, src, out)
            return
        if cls is _PSplice:
            res = self.temp("split")
            out.append(("do", core.LSet(res, _pcall(_split_list, [self.node(src), core.Const(len(p.tail)),
                                                                  core.Const(0)]))))
            out.append(("test", core.LRef(res)))
            self.emit(p.pat, _item(res, 0), None, out)
            self.emit_fixed_list(p.tail, _item(res, 1), out)
            return
        if cls is _PVector:
            v = self.var_of(src, out)
            out.append(("test", _pcall(_vector_of_length, [core.LRef(v), core.Const(len(p.items))])))
            for i, item in enumerate(p.items):
                self.emit(item, _item(v, i), ("vec", v, i), out)
            return
        if cls is _PVectorList:
            lst = self.temp("lst")
            out.append(("do", core.LSet(lst, _pcall(_vector_as_list, [self.node(src)]))))
            out.append(("test", core.LRef(lst)))
            self.emit(p.pat, lst, None, out)
            return
        if cls is _PAnd:
            if len(p.pats) > 1:
                src = self.var_of(src, out)
            for sub in p.pats:
                self.emit(sub, src, where, out)
            return
        if cls is _POr:
            self.emit_or(p, src, where, out)
            return
        if cls is _PNot:
            v = self.var_of(src, out)
            saved = dict(self.bound)
            sub: list = []
            self.emit(p.pat, v, where, sub)
            self.bound = saved
            out.append(("test", core.If(self.chain(sub), core.Const(False), core.Const(True))))
            return
        if cls is _PPred:
            v = self.var_of(src, out) if p.pats else src
            pred = self.expand(p.pred)
            out.append(("test", self.ex.make_call(pred, [self.node(v)], self.ex.current_loc())))
            for sub in p.pats:
                self.emit(sub, v, where, out)
            return
        if cls is _PApp:
            proc = self.expand(p.proc)
            call = self.ex.make_call(proc, [self.node(src)], self.ex.current_loc())
            t = self.temp("app")
            out.append(("do", core.LSet(t, call)))
            self.emit(p.pat, t, None, out)
            return
        if cls is _PRecord:
            v = self.var_of(src, out)
            rtd = self.expand(p.rtd)
            out.append(("test", _pcall(_is_record_of, [core.LRef(v), rtd])))
            for i, sub in enumerate(p.pats):
                self.emit(sub, _pcall(_record_field, [core.LRef(v), core.Const(i)]), ("rec", v, i), out)
            return
        if cls is _PAccess:
            self.emit_access(p, src, where, out)
            return
        raise AssertionError(f"unknown pattern {cls.__name__}")  # pragma: no cover

    def emit_fixed_list(self, pats: list, src: _Src, out: list) -> None:
        """Match ``src``, known to be a proper list of ``len(pats)`` elements, against ``pats``."""
        if not pats:
            return
        v = self.var_of(src, out)
        for i, pat in enumerate(pats):
            self.emit(pat, _prim("car", [core.LRef(v)]), ("car", v, 0), out)
            if i < len(pats) - 1:
                nxt = self.temp("w")
                out.append(("do", core.LSet(nxt, _prim("cdr", [core.LRef(v)]))))
                v = nxt

    def emit_ellipsis(self, p: _PEllipsis, src: _Src, out: list) -> None:
        elem, k, minimum = p.elem, len(p.tail), p.minimum
        simple = elem.__class__ is _PAny or (elem.__class__ is _PVar and elem.ident not in self.bound)
        if elem.__class__ is _PVar and elem.ident in self.bound:
            res = self.temp("rest")
            out.append(("do", core.LSet(res, _pcall(_bound_segment, [
                self.node(src), core.LRef(self.bound[elem.ident]), core.Const(k), core.Const(minimum)]))))
            out.append(("test", core.LRef(res)))
            self.emit_fixed_list(p.tail, res, out)
            return
        if simple and k == 0:
            if elem.__class__ is _PVar:
                src = self.var_of(src, out)
            if minimum == 0:
                out.append(("test", _pcall(is_list, [self.node(src)])))
            else:
                out.append(("test", _pcall(_list_at_least, [self.node(src), core.Const(minimum)])))
            self.emit(elem, src, None, out)
            return
        if simple:
            res = self.temp("split")
            out.append(("do", core.LSet(res, _pcall(_split_list, [self.node(src), core.Const(k),
                                                                  core.Const(minimum)]))))
            out.append(("test", core.LRef(res)))
            self.emit(elem, _item(res, 0), None, out)
            self.emit_fixed_list(p.tail, _item(res, 1), out)
            return
        # General case: the element pattern becomes a procedure returning its variables.
        sub = _Context(self.ex, self.env, self.bound)
        param = Var(Symbol("elem"))
        items: list = []
        sub.emit(elem, param, None, items)
        new_ids = [i for i in sub.bound if i not in self.bound]
        test, trailing = sub.chain_parts(items)
        if new_ids:
            result: core.Node = _pcall(_tuple, [core.LRef(sub.bound[i]) for i in new_ids])
        else:
            result = core.Const(True)
        body: core.Node = _seq(trailing, result)
        if test is not None:
            body = core.If(test, body, core.Const(False))
        if sub.vars:
            body = core.Let(sub.vars, [core.Const(False)] * len(sub.vars), body)
        matcher = core.Lambda([param], None, body, "match-element")
        res = self.temp("seg")
        out.append(("do", core.LSet(res, _pcall(_match_segment, [
            self.node(src), matcher, core.Const(len(new_ids)), core.Const(k), core.Const(minimum)]))))
        out.append(("test", core.LRef(res)))
        for j, ident in enumerate(new_ids):
            out.append(("do", core.LSet(self.new_var(ident), _item(res, j))))
        self.emit_fixed_list(p.tail, _item(res, len(new_ids)), out)

    def emit_or(self, p: _POr, src: _Src, where: _Where, out: list) -> None:
        pats = p.pats
        if not pats:
            out.append(("test", core.Const(False)))
            return
        if len(pats) == 1:
            self.emit(pats[0], src, where, out)
            return
        if all(q.__class__ is _PLit and q.how == "eq" for q in pats):
            values = tuple(q.value for q in pats)
            ids = frozenset(id(x) for x in values)
            # Keep the values alive with the id set (they are interned anyway).
            out.append(("test", _pcall(_memq_ids, [self.node(src), core.Const(_IdSet(ids, values))])))
            return
        v = self.var_of(src, out)
        snapshot = dict(self.bound)
        saved_share = self.share
        self.share = dict(saved_share)
        union: dict = {}
        alternatives = []
        for q in pats:
            self.bound = dict(snapshot)
            items: list = []
            self.emit(q, v, where, items)
            alternatives.append(self.chain(items))
            for ident, var in self.bound.items():
                if ident not in snapshot:
                    union[ident] = var
        self.bound = {**snapshot, **union}
        saved_share.update(self.share)
        self.share = saved_share
        ok = self.temp("or")
        nodes: list = [core.LSet(ok, alternatives[0])]
        for alt in alternatives[1:]:
            nodes.append(core.If(core.LRef(ok), core.Const(UNSPECIFIED), core.LSet(ok, alt)))
        nodes.append(core.LRef(ok))
        out.append(("test", core.Seq(nodes)))

    def emit_access(self, p: _PAccess, src: _Src, where: _Where, out: list) -> None:
        var = self.new_var(p.ident)
        if where is None:
            raise syntax_error(f"{p.kind} pattern here has no location to {p.kind[:3]}", p.ident)
        if where[0] == "top":
            subject = where[1]
            if subject is None:
                if p.kind == "get!":
                    out.append(("do", core.LSet(var, _pcall(_const_getter, [self.node(src)]))))
                    return
                raise syntax_error("set! pattern: the matched expression is not a variable", p.ident)
            k = lambda s: Ident(Symbol(s), self.ex.interp.core_scope)  # noqa: E731
            if p.kind == "get!":
                form = make_list([k("lambda"), NIL, subject])
            else:
                x = k("x")
                form = make_list([k("lambda"), make_list([x]), make_list([k("set!"), subject, x])])
            out.append(("do", core.LSet(var, self.ex.expand(form, self.env))))
            return
        kind, container, index = where
        fn = _getter if p.kind == "get!" else _setter
        getter = _pcall(fn, [core.LRef(container), core.Const(kind), core.Const(index)])
        out.append(("do", core.LSet(var, getter)))


class _IdSet:
    """``ids`` of the interned constants of an ``(or 'a 'b ...)`` pattern."""

    __slots__ = ("ids", "values")

    def __init__(self, ids: frozenset, values: tuple) -> None:
        self.ids = ids
        self.values = values


def _memq_ids(v: Any, ids: _IdSet) -> bool:
    return id(v) in ids.ids


def _const_getter(value: Any) -> Callable:
    return lambda: value


def _item(v: Var, i: int) -> core.Node:
    return _pcall(operator.getitem, [core.LRef(v), core.Const(i)])


def _and_node(tests: list) -> core.Node:
    node = tests[-1]
    for t in reversed(tests[:-1]):
        node = core.If(t, node, core.Const(False))
    return node


# ====================================================================== clauses

_NEST_LIMIT = 12


class _Clause:
    __slots__ = ("pattern", "failure", "body", "src")

    def __init__(self, pattern: _P, failure: Any, body: list, src: Any) -> None:
        self.pattern = pattern
        self.failure = failure  # the identifier of (=> id), or None
        self.body = body
        self.src = src


def _parse_clauses(ex: Expander, clauses: list, form: Pair) -> list[_Clause]:
    parser = _Parser(form)
    out = []
    for c in clauses:
        if c.__class__ is not Pair:
            raise syntax_error("bad match clause (expected (pattern body ...))", form)
        items = form_list(c, "match clause")
        failure = None
        body = items[1:]
        if body and body[0].__class__ is Pair and _name(body[0].car) == "=>":
            spec = form_list(body[0], "match failure clause")
            if len(spec) != 2 or not is_identifier(spec[1]):
                raise syntax_error("bad (=> failure) in match clause", c)
            failure = spec[1]
            body = body[1:]
        if not body:
            raise syntax_error("match clause has no body", c)
        out.append(_Clause(parser.parse(items[0]), failure, body, c))
    return out


class _Compiled:
    """One clause compiled: its variables, its test and its body node."""

    __slots__ = ("vars", "test", "body")

    def __init__(self, vars_: list, test: core.Node | None, body: core.Node) -> None:
        self.vars = vars_
        self.test = test
        self.body = body


def _compile_clause(ex: Expander, env: Scope, clause: _Clause, subject: Var, where: _Where,
                    extra: dict | None = None) -> _Compiled:
    ctx = _Context(ex, env)
    items: list = []
    ctx.emit(clause.pattern, subject, where, items)
    test, trailing = ctx.chain_parts(items)
    scope = Scope(env)
    for ident, var in ctx.bound.items():
        scope.bind(ident, var)
    for ident, var in (extra or {}).items():
        scope.bind(ident, var)
    loc = clause.src.loc if clause.src.__class__ is Pair else None
    body = ex.expand_body(clause.body, scope, loc)
    return _Compiled(ctx.vars, test, _seq(trailing, body))


def _seq(before: list, node: core.Node) -> core.Node:
    return core.Seq(before + [node]) if before else node


def _if(test: core.Node | None, then: core.Node, else_: core.Node,
        loc: SourceLocation | None = None) -> core.Node:
    """``If``, or just ``then`` when the test always succeeds (None)."""
    return then if test is None else core.If(test, then, else_, loc)


def _let_false(vars_: list, body: core.Node, loc: SourceLocation | None = None) -> core.Node:
    if not vars_:
        return body
    return core.Let(vars_, [core.Const(False)] * len(vars_), body, loc)


def _compile_clauses(ex: Expander, env: Scope, clauses: list[_Clause], subject: Var, where: _Where,
                     loc: SourceLocation | None) -> core.Node:
    j = next((i for i, c in enumerate(clauses) if c.failure is not None), None)
    if j is None:
        fallback: core.Node = _pcall(match_failure, [core.LRef(subject)], loc)
        return _group(ex, env, clauses, subject, where, fallback, loc)
    rest = _compile_clauses(ex, env, clauses[j + 1:], subject, where, loc)
    k_var = Var(identifier_symbol(clauses[j].failure))
    compiled = _compile_clause(ex, env, clauses[j], subject, where, {clauses[j].failure: k_var})
    fail_call = core.Call(core.LRef(k_var), [], loc)
    node = _let_false(compiled.vars, _if(compiled.test, compiled.body, fail_call, loc), loc)
    node = core.Letrec([k_var], [core.Lambda([], None, rest, "failure", loc=loc)], node, loc)
    return _group(ex, env, clauses[:j], subject, where, node, loc)


def _group(ex: Expander, env: Scope, clauses: list[_Clause], subject: Var, where: _Where,
           fallback: core.Node, loc: SourceLocation | None) -> core.Node:
    compiled = [_compile_clause(ex, env, c, subject, where) for c in clauses]
    if len(compiled) <= _NEST_LIMIT:
        node = fallback
        for c, clause in zip(reversed(compiled), reversed(clauses)):
            cloc = clause.src.loc or loc
            node = _let_false(c.vars, _if(c.test, c.body, node, cloc), cloc)
        return node
    # Many clauses: flat tests recording the number of the first match, then a tree dispatch.
    sel = Var(Symbol("clause"))
    sel.mutated = True
    all_vars = [sel]
    steps: list = []
    for i, c in enumerate(compiled):
        all_vars += c.vars
        step: core.Node = _if(c.test, core.LSet(sel, core.Const(i + 1)), core.Const(UNSPECIFIED))
        if i > 0:
            step = core.If(_prim("not", [core.LRef(sel)]), step, core.Const(UNSPECIFIED))
        steps.append(step)

    def tree(lo: int, hi: int) -> core.Node:
        if lo == hi:
            return compiled[lo - 1].body
        mid = (lo + hi + 1) // 2
        return core.If(_prim("<", [core.LRef(sel), core.Const(mid)]), tree(lo, mid - 1), tree(mid, hi))

    dispatch = core.If(_prim("not", [core.LRef(sel)]), fallback, tree(1, len(compiled)), loc)
    return _let_false(all_vars, core.Seq(steps + [dispatch], loc), loc)


def _subject(ex: Expander, expr: Any, env: Scope) -> tuple[Var, core.Node, _Where]:
    """A fresh Var for the matched value (a clause body may assign the variable matched)."""
    node = ex.expand(expr, env)
    return Var(Symbol("v")), node, ("top", expr if is_identifier(expr) else None)


def compile_match(ex: Expander, env: Scope, subject: Var, where: _Where, clauses: list,
                  form: Pair) -> core.Node:
    """The node matching Var ``subject`` against the clauses ``(pattern body ...)``."""
    parsed = _parse_clauses(ex, clauses, form)
    return _compile_clauses(ex, env, parsed, subject, where, form.loc)


# ====================================================================== special forms


@special("match")
def _match(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 2:
        raise syntax_error("missing match expression", form)
    if len(parts) < 3:
        raise syntax_error("no match clauses", form)
    subject, init, where = _subject(ex, parts[1], env)
    node = compile_match(ex, env, subject, where, parts[2:], form)
    return core.Let([subject], [init], node, form.loc)


@special("match-lambda")
def _match_lambda(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    x = Var(Symbol("x"))
    body = compile_match(ex, env, x, ("top", None), parts[1:], form)
    return core.Lambda([x], None, body, None, loc=form.loc)


@special("match-lambda*")
def _match_lambda_star(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    x = Var(Symbol("args"))
    body = compile_match(ex, env, x, ("top", None), parts[1:], form)
    return core.Lambda([], x, body, None, loc=form.loc)


def _bindings(ex: Expander, spec: Any, form: Pair) -> list[tuple[Any, Any]]:
    out = []
    for b in form_list(spec, "match-let bindings"):
        items = form_list(b, "match-let binding") if b.__class__ is Pair else []
        if len(items) != 2:
            raise syntax_error("bad match-let binding (expected (pattern expression))", form)
        out.append((items[0], items[1]))
    return out


def _bind_patterns(ex: Expander, env: Scope, pairs: list[tuple[_P, Var]], body: Callable[[Scope], core.Node],
                   loc: SourceLocation | None, sequential_exprs: list | None = None) -> core.Node:
    """Match each Var against its pattern in turn (a failure throws match-error), then ``body``.

    With ``sequential_exprs`` (match-let*), the i-th value is the expression evaluated in
    the scope of the previous patterns' variables and bound to the i-th Var first.
    """
    def step(i: int, scope: Scope) -> core.Node:
        if i == len(pairs):
            return body(scope)
        pat, var = pairs[i]
        ctx = _Context(ex, scope)  # expressions inside patterns see earlier bindings
        items: list = []
        ctx.emit(pat, var, ("top", None), items)
        inner = Scope(scope)
        for ident, v in ctx.bound.items():
            inner.bind(ident, v)
        test, trailing = ctx.chain_parts(items)
        rest = _seq(trailing, step(i + 1, inner))
        node = _if(test, rest, _pcall(match_failure, [core.LRef(var)], loc), loc)
        node = _let_false(ctx.vars, node, loc)
        if sequential_exprs is not None:
            node = core.Let([var], [ex.expand(sequential_exprs[i], scope)], node, loc)
        return node

    return step(0, env)


@special("match-let")
def _match_let(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad match-let", form)
    parser = _Parser(form)
    if is_identifier(parts[1]):  # named match-let: a loop whose arguments are matched
        if len(parts) < 4:
            raise syntax_error("bad named match-let", form)
        bindings = _bindings(ex, parts[2], form)
        loop_var = Var(identifier_symbol(parts[1]))
        loop_scope = Scope(env)
        loop_scope.bind(parts[1], loop_var)
        params = [Var(Symbol("arg")) for _ in bindings]
        pairs = [(parser.parse(p), v) for (p, _), v in zip(bindings, params)]
        body = _bind_patterns(ex, loop_scope, pairs, lambda s: ex.expand_body(parts[3:], s, form.loc),
                              form.loc)
        lam = core.Lambda(params, None, body, loop_var.name.name, loc=form.loc)
        inits = [ex.expand(e, env) for _, e in bindings]
        return core.Letrec([loop_var], [lam], core.Call(core.LRef(loop_var), inits, form.loc), form.loc)
    bindings = _bindings(ex, parts[1], form)
    tmps = [Var(Symbol("v")) for _ in bindings]
    inits = [ex.expand(e, env) for _, e in bindings]
    pairs = [(parser.parse(p), v) for (p, _), v in zip(bindings, tmps)]
    body = _bind_patterns(ex, env, pairs, lambda s: ex.expand_body(parts[2:], s, form.loc), form.loc)
    return core.Let(tmps, inits, body, form.loc) if tmps else body


@special("match-let*")
def _match_let_star(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad match-let*", form)
    parser = _Parser(form)
    bindings = _bindings(ex, parts[1], form)
    tmps = [Var(Symbol("v")) for _ in bindings]
    pairs = [(parser.parse(p), v) for (p, _), v in zip(bindings, tmps)]
    return _bind_patterns(ex, env, pairs, lambda s: ex.expand_body(parts[2:], s, form.loc), form.loc,
                          sequential_exprs=[e for _, e in bindings])


@special("match-letrec")
def _match_letrec(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """Guile's: identifiers are letrec-bound, other patterns are matched afterwards."""
    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad match-letrec", form)
    parser = _Parser(form)
    bindings = _bindings(ex, parts[1], form)
    scope = Scope(env)
    vars_: list[Var] = []
    pairs: list = []
    for p, _ in bindings:
        if is_identifier(p) and _name(p) != "_":
            v = Var(identifier_symbol(p))
            scope.bind(p, v)
        else:
            v = Var(Symbol("v"))
            pairs.append((parser.parse(p), v))
        vars_.append(v)
    inits = [ex.expand_named(e, scope, v.name.name) for v, (_, e) in zip(vars_, bindings)]
    body = _bind_patterns(ex, scope, pairs, lambda s: ex.expand_body(parts[2:], s, form.loc), form.loc)
    return core.Letrec(vars_, inits, body, form.loc)


def rewrite_match_define(ex: Expander, form: Pair) -> Pair:
    """``(match-define pat expr)`` -> ``(define-values (id ...) (match expr (pat (values id ...))))``.

    For ``expand_body`` (internal definitions) as well as the top level.
    """
    parts = form_list(form)
    if len(parts) != 3:
        raise syntax_error("bad match-define (expected (match-define pattern expression))", form)
    ids = pattern_identifiers(_Parser(form).parse(parts[1]))
    cs = ex.interp.core_scope

    def k(s: str) -> Ident:
        return Ident(Symbol(s), cs)

    clause = make_list([parts[1], make_pair(k("values"), make_list(ids))])
    match_form = make_pair(k("match"), make_list([parts[2], clause]), form.loc)
    return make_pair(k("define-values"), make_list([make_list(ids), match_form]), form.loc)


@special("match-define")
def _match_define(ex: Expander, form: Pair, env: Scope) -> core.Node:
    return ex.expand(rewrite_match_define(ex, form), env)


PRIMITIVES: dict[str, Any] = {}

__all__ = ["PRIMITIVES", "compile_match", "match_failure", "pattern_identifiers", "rewrite_match_define"]

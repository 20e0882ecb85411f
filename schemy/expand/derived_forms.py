"""Derived forms Guile provides without an import: false-if-exception, assert,
cut/cute (SRFI-26), and-let* (SRFI-2), while, define-inlinable.

Each rewrites its form into core syntax, naming core bindings through
identifiers closed in the core scope so user bindings cannot capture them.
"""

from __future__ import annotations

from typing import Any

from schemy.expand.expander import Expander
from schemy.expand.forms import form_list, special, syntax_error
from schemy.lang import core
from schemy.lang.datum import NIL, Keyword, Pair, Symbol, make_list, make_pair
from schemy.lang.syntax import Ident, Scope, identifier_symbol, is_identifier, strip


def _k(ex: Expander, name: str) -> Ident:
    return Ident(Symbol(name), ex.interp.core_scope)


@special("false-if-exception")
def _false_if_exception(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.runtime.control import false_if_exception_call

    parts = form_list(form)
    if len(parts) < 2:
        raise syntax_error("bad false-if-exception", form)
    thunk = core.Lambda([], None, ex.expand(parts[1], env), None, loc=form.loc)
    return core.Call(core.Const(false_if_exception_call), [thunk], form.loc)


def _assertion_failed(text: str) -> Any:
    from schemy.lang.errors import scheme_error

    raise scheme_error(f"Assertion failed: {text}", kind="assertion-failure")


@special("assert")
def _assert(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.lang.datum import UNSPECIFIED
    from schemy.lang.printer import write_string

    parts = form_list(form)
    if len(parts) < 2:
        raise syntax_error("bad assert", form)
    node: core.Node = core.Const(UNSPECIFIED)
    for expr in reversed(parts[1:]):
        fail = core.Call(core.Const(_assertion_failed), [core.Const(write_string(strip(expr)))], form.loc)
        node = core.If(ex.expand(expr, env), node, fail, form.loc)
    return node


@special("cut", "cute")
def _cut(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)[1:]
    if not parts:
        raise syntax_error("bad cut", form)
    evaluate_now = identifier_symbol(form.car).name == "cute"
    params, call, lets = [], [], []
    rest = None
    for i, p in enumerate(parts):
        if is_identifier(p) and identifier_symbol(p).name == "<>":
            t = Ident(Symbol(f"x{i}"), ex.interp.core_scope)
            params.append(t)
            call.append(t)
        elif is_identifier(p) and identifier_symbol(p).name == "<...>":
            rest = Ident(Symbol("rest"), ex.interp.core_scope)
        elif evaluate_now and i > 0:
            t = Ident(Symbol(f"v{i}"), ex.interp.core_scope)
            lets.append(make_list([t, p]))
            call.append(t)
        else:
            call.append(p)
    formals = make_list(params, rest if rest is not None else NIL)
    if rest is not None:
        body = make_list([_k(ex, "apply"), *call, rest])
    else:
        body = make_list(call)
    lam = make_list([_k(ex, "lambda"), formals, body])
    if lets:
        lam = make_list([_k(ex, "let"), make_list(lets), lam])
    lam.loc = form.loc
    return ex.expand(lam, env)


@special("and-let*")
def _and_let(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 2:
        raise syntax_error("bad and-let*", form)
    clauses = form_list(parts[1], "and-let* clauses")
    body = parts[2:]
    result: Any = make_list([_k(ex, "begin"), *body]) if body else True
    for clause in reversed(clauses):
        if is_identifier(clause):
            result = make_list([_k(ex, "if"), clause, result, False])
        elif clause.__class__ is Pair and clause.cdr is NIL:
            result = make_list([_k(ex, "if"), clause.car, result, False])
        elif clause.__class__ is Pair and is_identifier(clause.car):
            var, expr = clause.car, clause.cdr.car
            result = make_list([_k(ex, "let"), make_list([make_list([var, expr])]),
                                make_list([_k(ex, "if"), var, result, False])])
        else:
            raise syntax_error("bad and-let* clause", form)
    if isinstance(result, Pair):
        result.loc = form.loc
    return ex.expand(result, env)


@special("while")
def _while(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """Guile's ``while`` with ``break`` and ``continue`` available in the body."""
    from schemy.runtime.control import call_ec

    parts = form_list(form)
    if len(parts) < 2:
        raise syntax_error("bad while", form)
    brk = Symbol("break")
    cont = Symbol("continue")
    loop = Ident(Symbol("loop"), ex.interp.core_scope)
    k = Ident(Symbol("k"), ex.interp.core_scope)
    kc = Ident(Symbol("kc"), ex.interp.core_scope)
    body = make_list([
        _k(ex, "let"), loop, NIL,
        make_list([_k(ex, "when"), parts[1],
                   make_list([call_ec, make_list([_k(ex, "lambda"), make_list([kc]),
                                                  make_list([_k(ex, "let"), make_list([make_list(
                                                      [cont, make_list([_k(ex, "lambda"), NIL,
                                                                        make_list([kc, False])])])]),
                                                             *parts[2:]])])]),
                   make_list([loop])])])
    whole = make_list([call_ec, make_list([
        _k(ex, "lambda"), make_list([k]),
        make_list([_k(ex, "let"), make_list([make_list([brk, make_list([
            _k(ex, "lambda"), Symbol("args"), make_list([k, False])])])]), body])])])
    whole.loc = form.loc
    return ex.expand(whole, env)


@special("define-inlinable")
def _define_inlinable(ex: Expander, form: Pair, env: Scope) -> core.Node:
    return ex.expand(make_pair(_k(ex, "define"), form.cdr, form.loc), env)


@special("endianness")
def _endianness(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """R6RS ``(endianness big)`` -> the symbol ``big``."""
    parts = form_list(form)
    if len(parts) != 2 or not is_identifier(parts[1]) or identifier_symbol(parts[1]).name not in ("big", "little"):
        raise syntax_error("bad endianness (expected big or little)", form)
    return core.Const(identifier_symbol(parts[1]), form.loc)


@special("syntax-error")
def _syntax_error_form(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """R7RS ``(syntax-error "message" args ...)``: an error when expanded."""
    from schemy.lang.printer import write_string

    parts = form_list(form)
    message = str(parts[1]) if len(parts) > 1 else "syntax error"
    irritants = " ".join(write_string(strip(a)) for a in parts[2:])
    raise syntax_error(message + (f" {irritants}" if irritants else ""), None, loc=form.loc)


@special("define-condition-type")
def _define_condition_type(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """``(define-condition-type &name &parent pred? (field accessor) ...)``."""
    parts = form_list(form)
    if len(parts) < 4:
        raise syntax_error("bad define-condition-type", form)
    name, parent, pred = parts[1], parts[2], parts[3]
    specs = [form_list(f, "condition field") for f in parts[4:]]
    cs = ex.interp.core_scope
    define = Ident(Symbol("define"), cs)
    quote = Ident(Symbol("quote"), cs)
    out = [make_list([define, name, make_list([_k(ex, "make-condition-type"), make_list([quote, name]), parent,
                                               make_list([quote, make_list([s[0] for s in specs])])])]),
           make_list([define, pred, make_list([_k(ex, "exception-predicate"), name])])]
    for field, accessor in specs:
        out.append(make_list([define, accessor, make_list([_k(ex, "exception-accessor"), name,
                                                           make_list([quote, field])])]))
    return ex.expand(make_pair(Ident(Symbol("begin"), cs), make_list(out), form.loc), env)


@special("condition")
def _condition(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """SRFI-35 ``(condition (type (field expr) ...) ...)``: one condition with a component of
    each TYPE, its fields set to the EXPRs' values."""
    parts = form_list(form)
    cs = ex.interp.core_scope
    quote = Ident(Symbol("quote"), cs)
    made = []
    for clause in parts[1:]:
        items = form_list(clause, "condition clause")
        if not items:
            raise syntax_error("bad condition clause (expected (type (field value) ...))", clause)
        args = [_k(ex, "make-condition"), items[0]]
        for binding in items[1:]:
            pair = form_list(binding, "condition field")
            if len(pair) != 2 or not is_identifier(pair[0]):
                raise syntax_error("bad condition field (expected (field value))", binding)
            args += [make_list([quote, pair[0]]), pair[1]]
        made.append(make_list(args))
    if not made:
        raise syntax_error("bad condition (expected at least one (type (field value) ...))", form)
    return ex.expand(make_list([_k(ex, "make-compound-condition"), *made]), env)


@special("let-optional", "let-optional*")
def _let_optional(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """(ice-9 optargs) ``(let-optional args (var (var default) ... [. rest]) body ...)``: bind
    the VARs to the elements of the list ARGS in order, missing ones to their defaults."""
    parts = form_list(form)
    if len(parts) < 4:
        raise syntax_error(f"bad {identifier_symbol(form.car).name}", form)
    formals: list = [Keyword("optional")]
    spec = parts[2]
    while spec.__class__ is Pair:
        formals.append(spec.car)
        spec = spec.cdr
    if spec is not NIL:
        formals += [Keyword("rest"), spec]
    lam = make_pair(_k(ex, "lambda*"), make_pair(make_list(formals), make_list(parts[3:])), form.loc)
    return ex.expand(make_list([_k(ex, "apply"), lam, parts[1]]), env)


@special("let-keywords", "let-keywords*")
def _let_keywords(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """(ice-9 optargs) ``(let-keywords args allow-other-keys? (var (var default) ...) body ...)``:
    bind each VAR to the value following ``#:VAR`` in the list ARGS, else its default."""
    parts = form_list(form)
    if len(parts) < 5:
        raise syntax_error(f"bad {identifier_symbol(form.car).name}", form)
    formals: list = [Keyword("key"), *form_list(parts[3])]
    if strip(parts[2]) is not False:
        formals.append(Keyword("allow-other-keys"))
    lam = make_pair(_k(ex, "lambda*"), make_pair(make_list(formals), make_list(parts[4:])), form.loc)
    return ex.expand(make_list([_k(ex, "apply"), lam, parts[1]]), env)

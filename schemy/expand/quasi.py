"""Quasiquote: templates with unquote at any nesting level, in lists and vectors."""

from __future__ import annotations

from typing import Any

from schemy.lang import core
from schemy.lang.datum import NIL, Pair, Symbol, list_to_python, make_pair
from schemy.lang.syntax import identifier_symbol, is_identifier, strip

QUASI = {"quasiquote", "unquote", "unquote-splicing"}


def _tag(x: Any) -> str | None:
    if x.__class__ is Pair and is_identifier(x.car) and x.cdr.__class__ is Pair and x.cdr.cdr is NIL:
        name = identifier_symbol(x.car).name
        if name in QUASI:
            return name
    return None


def _cons(a: Any, b: Any) -> Pair:
    return make_pair(a, b)


def _append2(a: Any, b: Any) -> Any:
    """Copy proper list ``a`` in front of ``b`` (``b`` shared)."""
    from schemy.lang.errors import wrong_type

    try:
        items = list_to_python(a)
    except ValueError:
        raise wrong_type("append", 1, a, "list") from None
    for item in reversed(items):
        b = make_pair(item, b)
    return b


def _list_to_vector(x: Any) -> list:
    out = []
    while x.__class__ is Pair:
        out.append(x.car)
        x = x.cdr
    return out


def expand_quasiquote(ex: Any, t: Any, env: Any, depth: int) -> core.Node:
    tag = _tag(t)
    if tag == "unquote":
        if depth == 1:
            return ex.expand(t.cdr.car, env)
        return _list_node(Symbol("unquote"), expand_quasiquote(ex, t.cdr.car, env, depth - 1), t)
    if tag == "quasiquote":
        return _list_node(Symbol("quasiquote"), expand_quasiquote(ex, t.cdr.car, env, depth + 1), t)
    if t.__class__ is Pair:
        head = t.car
        if _tag(head) == "unquote-splicing":
            rest = expand_quasiquote(ex, t.cdr, env, depth)
            if depth == 1:
                spliced = ex.expand(head.cdr.car, env)
                if rest.__class__ is core.Const and rest.value is NIL:
                    return spliced
                return core.Call(core.Const(_append2), [spliced, rest], t.loc)
            inner = _list_node(Symbol("unquote-splicing"), expand_quasiquote(ex, head.cdr.car, env, depth - 1), head)
            return _cons_node(inner, rest, t)
        return _cons_node(expand_quasiquote(ex, head, env, depth), expand_quasiquote(ex, t.cdr, env, depth), t)
    if t.__class__ is list:
        lst = expand_quasiquote(ex, _from_vector(t), env, depth)
        if lst.__class__ is core.Const:
            return core.Const(_list_to_vector(lst.value))
        return core.Call(core.Const(_list_to_vector), [lst])
    return core.Const(strip(t))


def _from_vector(v: list) -> Any:
    result: Any = NIL
    for item in reversed(v):
        result = make_pair(item, result)
    return result


def _cons_node(a: core.Node, b: core.Node, src: Any) -> core.Node:
    if a.__class__ is core.Const and b.__class__ is core.Const:
        return core.Const(make_pair(a.value, b.value, getattr(src, "loc", None)))
    return core.Call(core.Const(_cons), [a, b], getattr(src, "loc", None))


def _list_node(sym: Symbol, inner: core.Node, src: Any) -> core.Node:
    return _cons_node(core.Const(sym), _cons_node(inner, core.Const(NIL), src), src)

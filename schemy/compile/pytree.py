"""Python syntax trees as nested tuples, and their conversion to ``ast`` nodes.

The compiler builds the tree of each top-level form as tuples ``(TAG, POSITION, fields...)``
rather than ``ast`` objects: a tuple costs a fraction of an ``ast`` node to make, and the
tree's ``marshal`` bytes are an exact, cheap key for the compiled-code cache
(schemy.compile.code_cache), so a form whose code is cached never becomes ``ast`` nodes at
all.  ``to_ast`` makes the ``ast.Module`` that ``compile()`` takes.

A POSITION is ``(line, column)`` or ``(line, column, end column)``: the Scheme location of
the form the node computes (see schemy.compile.compiler.Compiler.position).  Without an end
column a node is zero-width; the compiler gives an end column only to the callee of a call,
which is how an error report finds the value a failing call applied.

Expressions::

    ("N", pos, name)                  name            ("C", pos, value)          literal
    ("A", pos, expr, attr)            expr.attr       ("Call", pos, fn, [args])  fn(args)
    ("*", pos, expr)                  *expr           ("T", pos, [exprs])        tuple
    ("IfE", pos, test, a, b)          a if test else b
    (":=", pos, name, expr)           (name := expr)
    ("Cmp", pos, a, op, b)            a op b, op in is isnot < > <= >= ==
    ("Bin", pos, a, op, b)            a op b, op in + - * / // %
    ("And", pos, [exprs])             e1 and e2 ...   ("Not", pos, expr)          not expr
    ("Or", pos, [exprs])              e1 or e2 ...    ("Neg", pos, expr)          -expr
    ("Sub", pos, expr, index)         expr[index]
    ("Cls", pos, expr, name)          expr.__class__ is name
    ("1", pos, temp, expr)            (temp if (temp := expr).__class__ is not _Values
                                       else _first_value(temp)): one value where one is expected

Assignment targets: ``("S", pos, name)``, ``("AS", pos, expr, attr)``, ``("TS", pos, [names])``.

Statements::

    ("=", pos, target, expr)   ("Expr", pos, expr)   ("Ret", pos, expr)
    ("If", pos, test, [body], [orelse])   ("While", pos, test, [body])
    ("Continue", pos)   ("Break", pos)   ("Pass", pos)   ("Nonlocal", pos, [names])
    ("Def", pos, name, [params], [optionals], rest or None, [body])
    ("Tramp", pos, body, [params], rest or None)   the entry of a procedure whose body returns
        tail calls: r = body(params..., *rest); while r.__class__ is tuple and r and r[0] is
        _TCM: f = r[1]; r = getattr(f, "_body", f)(*r[2]); return r

An optional parameter defaults to ``_UNDEF``; ``rest`` is a ``*rest`` parameter.  ``Cls``, ``1``
and ``Tramp`` are shorthands for trees the compiler makes very often (smaller trees are faster
to make and to hash).
"""

from __future__ import annotations

import ast
from typing import Any

NOWHERE = (0, 0)  # no known location

_LOAD = ast.Load()
_STORE = ast.Store()
_CMP = {"is": ast.Is, "isnot": ast.IsNot, "<": ast.Lt, ">": ast.Gt, "<=": ast.LtE, ">=": ast.GtE, "==": ast.Eq,
        "!=": ast.NotEq, "in": ast.In}
_BIN = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult, "/": ast.Div, "//": ast.FloorDiv, "%": ast.Mod}


def _pos(p: tuple) -> dict[str, int]:
    if len(p) == 3:
        return {"lineno": p[0], "col_offset": p[1], "end_lineno": p[0], "end_col_offset": p[2]}
    return {"lineno": p[0], "col_offset": p[1]}


def _expr(t: tuple) -> ast.expr:
    tag = t[0]
    P = _pos(t[1])
    if tag == "N":
        return ast.Name(t[2], _LOAD, **P)
    if tag == "C":
        return ast.Constant(t[2], **P)
    if tag == "A":
        return ast.Attribute(_expr(t[2]), t[3], _LOAD, **P)
    if tag == "Call":
        return ast.Call(_expr(t[2]), [_expr(a) for a in t[3]], [], **P)
    if tag == "IfE":
        return ast.IfExp(_expr(t[2]), _expr(t[3]), _expr(t[4]), **P)
    if tag == "Cmp":
        return ast.Compare(_expr(t[2]), [_CMP[t[3]]()], [_expr(t[4])], **P)
    if tag == "Bin":
        return ast.BinOp(_expr(t[2]), _BIN[t[3]](), _expr(t[4]), **P)
    if tag == ":=":
        return ast.NamedExpr(ast.Name(t[2], _STORE, **P), _expr(t[3]), **P)
    if tag == "T":
        return ast.Tuple([_expr(e) for e in t[2]], _LOAD, **P)
    if tag == "*":
        return ast.Starred(_expr(t[2]), _LOAD, **P)
    if tag == "And":
        return ast.BoolOp(ast.And(), [_expr(e) for e in t[2]], **P)
    if tag == "Not":
        return ast.UnaryOp(ast.Not(), _expr(t[2]), **P)
    if tag == "Or":
        return ast.BoolOp(ast.Or(), [_expr(e) for e in t[2]], **P)
    if tag == "Neg":
        return ast.UnaryOp(ast.USub(), _expr(t[2]), **P)
    if tag == "Sub":
        return ast.Subscript(_expr(t[2]), _expr(t[3]), _LOAD, **P)
    if tag == "Cls":
        return ast.Compare(ast.Attribute(_expr(t[2]), "__class__", _LOAD, **P), [ast.Is()],
                           [ast.Name(t[3], _LOAD, **P)], **P)
    if tag == "1":
        temp, value = t[2], _expr(t[3])
        walrus = ast.NamedExpr(ast.Name(temp, _STORE, **P), value, **P)
        test = ast.Compare(ast.Attribute(walrus, "__class__", _LOAD, **P), [ast.IsNot()],
                           [ast.Name("_Values", _LOAD, **P)], **P)
        first = ast.Call(ast.Name("_first_value", _LOAD, **P), [ast.Name(temp, _LOAD, **P)], [], **P)
        return ast.IfExp(test, ast.Name(temp, _LOAD, **P), first, **P)
    raise ValueError(f"not an expression: {tag}")


def _target(t: tuple) -> ast.expr:
    tag = t[0]
    P = _pos(t[1])
    if tag == "S":
        return ast.Name(t[2], _STORE, **P)
    if tag == "AS":
        return ast.Attribute(_expr(t[2]), t[3], _STORE, **P)
    if tag == "TS":
        return ast.Tuple([ast.Name(n, _STORE, **P) for n in t[2]], _STORE, **P)
    raise ValueError(f"not an assignment target: {tag}")


def _stmts(body: list) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for s in body:
        if s[0] == "Tramp":
            out.extend(_trampoline(s))
        else:
            out.append(_stmt(s))
    return out


def _stmt(t: tuple) -> ast.stmt:
    tag = t[0]
    P = _pos(t[1])
    if tag == "=":
        return ast.Assign([_target(t[2])], _expr(t[3]), None, **P)
    if tag == "Expr":
        return ast.Expr(_expr(t[2]), **P)
    if tag == "Ret":
        return ast.Return(_expr(t[2]), **P)
    if tag == "If":
        return ast.If(_expr(t[2]), _stmts(t[3]), _stmts(t[4]), **P)
    if tag == "While":
        return ast.While(_expr(t[2]), _stmts(t[3]), [], **P)
    if tag == "Def":
        _, _, name, params, optionals, rest, body = t
        args = ast.arguments([], [ast.arg(p, None, None, **P) for p in [*params, *optionals]],
                             ast.arg(rest, None, None, **P) if rest is not None else None, [], [], None,
                             [ast.Name("_UNDEF", _LOAD, **P) for _ in optionals])
        return ast.FunctionDef(name, args, _stmts(body), [], None, None, **P)
    if tag == "Continue":
        return ast.Continue(**P)
    if tag == "Break":
        return ast.Break(**P)
    if tag == "Pass":
        return ast.Pass(**P)
    if tag == "Nonlocal":
        return ast.Nonlocal(list(t[2]), **P)
    if tag == "TryFinally":
        return ast.Try(_stmts(t[2]), [], [], _stmts(t[3]), **P)
    raise ValueError(f"not a statement: {tag}")


def _trampoline(t: tuple) -> list[ast.stmt]:
    _, pos, body, params, rest = t
    P = _pos(pos)

    def name(n: str) -> ast.Name:
        return ast.Name(n, _LOAD, **P)

    def store(n: str) -> ast.Name:
        return ast.Name(n, _STORE, **P)

    args: list[ast.expr] = [name(p) for p in params]
    if rest is not None:
        args.append(ast.Starred(name(rest), _LOAD, **P))
    get_body = ast.Call(name("getattr"), [name("f"), ast.Constant("_body", **P), name("f")], [], **P)
    def item(i: int) -> ast.expr:
        return ast.Subscript(name("r"), ast.Constant(i, **P), _LOAD, **P)

    step = [ast.Assign([store("f")], item(1), None, **P),
            ast.Assign([store("r")], ast.Call(get_body, [ast.Starred(item(2), _LOAD, **P)], [], **P), None, **P)]
    # r.__class__ is tuple and r and r[0] is _TCM  (a tail call: see runtime.control.TailCall)
    test = ast.BoolOp(ast.And(), [
        ast.Compare(ast.Attribute(name("r"), "__class__", _LOAD, **P), [ast.Is()], [name("tuple")], **P),
        name("r"),
        ast.Compare(item(0), [ast.Is()], [name("_TCM")], **P)], **P)
    return [ast.Assign([store("r")], ast.Call(name(body), args, [], **P), None, **P),
            ast.While(test, step, [], **P),
            ast.Return(name("r"), **P)]


def to_ast(tree: tuple) -> ast.Module:
    """The ``ast.Module`` of a tree whose root is a statement (a ``Def``)."""
    return ast.Module([_stmt(tree)], [])


def unparse(tree: Any) -> str:
    """Python source for a tree (for reading generated code: ``SCHEMY_DEBUG_SOURCE=1``)."""
    return ast.unparse(to_ast(tree))

"""``,expand``: a core node (the expander's output) shown as Scheme text."""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import NIL, UNSPECIFIED, Char, Keyword, MString, Pair, SourceLocation, Symbol


def node_to_tree(node: Any) -> Any:
    """A core node (schemy/core.py) as a tree of atoms (str) and lists, in Scheme syntax."""
    return _NodePrinter().tree(node)


class _NodePrinter:
    def __init__(self) -> None:
        self.names: dict[Any, str] = {}
        self.used: dict[str, int] = {}

    def var(self, v: Any) -> str:
        name = self.names.get(v)
        if name is None:
            base = v.name.name if hasattr(v, "name") else str(v)
            n = self.used.get(base, 0)
            self.used[base] = n + 1
            name = base if n == 0 else f"{base}-{n}"
            self.names[v] = name
        return name

    def body(self, node: Any) -> list:
        from schemy.lang import core

        if node.__class__ is core.Seq:
            return [self.tree(n) for n in node.nodes]
        return [self.tree(node)]

    def tree(self, node: Any) -> Any:
        from schemy.lang import core

        cls = node.__class__
        if cls is core.Const:
            return _const(node.value)
        if cls is core.LRef:
            return self.var(node.var)
        if cls is core.GRef:
            return node.cell.name.name
        if cls is core.LSet:
            return ["set!", self.var(node.var), self.tree(node.value)]
        if cls is core.GSet:
            return ["define" if node.define else "set!", node.cell.name.name, self.tree(node.value)]
        if cls is core.If:
            out = ["if", self.tree(node.test), self.tree(node.then)]
            if not (node.else_.__class__ is core.Const and node.else_.value is UNSPECIFIED):
                out.append(self.tree(node.else_))
            return out
        if cls is core.Seq:
            return ["begin", *[self.tree(n) for n in node.nodes]]
        if cls is core.Lambda:
            return self.lambda_(node)
        if cls is core.Call:
            return [self.tree(node.fn), *[self.tree(a) for a in node.args]]
        if cls is core.PrimCall:
            return [node.name, *[self.tree(a) for a in node.args]]
        if cls is core.Let or cls is core.Letrec:
            bindings = [[self.var(v), self.tree(i)] for v, i in zip(node.vars, node.inits)]
            return ["let" if cls is core.Let else "letrec*", bindings, *self.body(node.body)]
        return f"#<{cls.__name__}>"

    def formal(self, var: Any, default: Any) -> Any:
        return [self.var(var), self.tree(default)] if default is not None else self.var(var)

    def lambda_(self, lam: Any) -> list:
        formals: list = [self.var(v) for v in lam.params]
        star = bool(lam.optionals or lam.keys)
        if lam.optionals:
            formals.append("#:optional")
            formals += [self.formal(v, d) for v, d in lam.optionals]
        if lam.keys:
            formals.append("#:key")
            formals += [self.formal(v, d) for _, v, d in lam.keys]
            if lam.allow_other_keys:
                formals.append("#:allow-other-keys")
        head = "lambda*" if star else "lambda"
        if lam.rest is not None:
            if star:
                formals += ["#:rest", self.var(lam.rest)]
                spec: Any = formals
            elif formals:
                spec = [*formals, ".", self.var(lam.rest)]
            else:
                spec = self.var(lam.rest)
        else:
            spec = formals
        doc = [_const(lam.doc)] if lam.doc else []
        return [head, spec, *doc, *self.body(lam.body)]


def _const(value: Any) -> Any:
    from schemy.lang.printer import write_string
    from schemy.lang.procinfo import primitive_name

    if value is UNSPECIFIED:
        return "*unspecified*"
    if isinstance(value, SourceLocation):
        return f"#<location {value}>"
    if isinstance(value, (Symbol, Pair)) or value is NIL or isinstance(value, list):
        return "'" + write_string(value)
    if isinstance(value, (bool, int, float, str, MString, Char, Keyword)):
        return write_string(value)
    name = primitive_name(value)
    if name is not None:
        return name
    return write_string(value)


_BODY_FORMS = {"lambda": 1, "lambda*": 1, "let": 1, "letrec*": 1, "define": 1, "begin": 0, "when": 1,
               "unless": 1}


def pretty(tree: Any, width: int = 78, indent: int = 0) -> str:
    """Lay out an atom/list tree as indented Scheme text within ``width`` columns where possible."""
    flat = _flat(tree)
    if not isinstance(tree, list) or len(flat) + indent <= width or not tree:
        return flat
    head = tree[0]
    if isinstance(head, str) and head in _BODY_FORMS:
        n = _BODY_FORMS[head]
        first = [head, *[_flat(x) for x in tree[1:1 + n]]]
        line = "(" + " ".join(first)
        if head in ("let", "letrec*") and isinstance(tree[1], list) and len(line) + indent > width // 2:
            binds = tree[1]
            pad = indent + len(head) + 3
            inner = ("\n" + " " * pad).join(pretty(b, width, pad) for b in binds)
            line = f"({head} ({inner})"
        rest = [pretty(x, width, indent + 2) for x in tree[1 + n:]]
        return line + "".join("\n" + " " * (indent + 2) + r for r in rest) + ")"
    if isinstance(head, str) and len(tree) > 1 and len(head) <= 20:
        col = indent + len(head) + 2
        parts = [pretty(x, width, col) for x in tree[1:]]
        return f"({head} " + ("\n" + " " * col).join(parts) + ")"
    col = indent + 1
    parts = [pretty(x, width, col) for x in tree]
    return "(" + ("\n" + " " * col).join(parts) + ")"


def _flat(tree: Any) -> str:
    if isinstance(tree, list):
        return "(" + " ".join(_flat(x) for x in tree) + ")"
    return str(tree)

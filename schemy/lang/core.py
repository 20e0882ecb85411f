"""The core language: what the expander produces and the compiler consumes.

Every derived form (let, cond, do, named let, define-record-type, match...)
expands into these few node types.  Nodes carry the source location of the
form they came from so errors can point at it.
"""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import SourceLocation


class Node:
    __slots__ = ("loc",)


class Const(Node):
    __slots__ = ("value",)

    def __init__(self, value: Any, loc: SourceLocation | None = None) -> None:
        self.value = value
        self.loc = loc


class LRef(Node):
    __slots__ = ("var",)

    def __init__(self, var: Any, loc: SourceLocation | None = None) -> None:
        self.var = var
        self.loc = loc


class LSet(Node):
    __slots__ = ("var", "value")

    def __init__(self, var: Any, value: Node, loc: SourceLocation | None = None) -> None:
        self.var = var
        self.value = value
        self.loc = loc


class GRef(Node):
    __slots__ = ("cell",)

    def __init__(self, cell: Any, loc: SourceLocation | None = None) -> None:
        self.cell = cell
        self.loc = loc


class GSet(Node):
    """``set!`` of a global (``define=False``) or a top-level ``define`` (``define=True``)."""

    __slots__ = ("cell", "value", "define")

    def __init__(self, cell: Any, value: Node, define: bool, loc: SourceLocation | None = None) -> None:
        self.cell = cell
        self.value = value
        self.define = define
        self.loc = loc


class If(Node):
    __slots__ = ("test", "then", "else_")

    def __init__(self, test: Node, then: Node, else_: Node, loc: SourceLocation | None = None) -> None:
        self.test = test
        self.then = then
        self.else_ = else_
        self.loc = loc


class Seq(Node):
    __slots__ = ("nodes",)

    def __init__(self, nodes: list[Node], loc: SourceLocation | None = None) -> None:
        self.nodes = nodes
        self.loc = loc


class Lambda(Node):
    """A procedure.  ``optionals`` and ``keys`` hold ``(Var, default-node)`` pairs
    (``keys`` as ``(Keyword, Var, default)``) for ``lambda*``.  ``formals``, when set, is
    the parameter list as written, for printing a procedure whose expansion rewrote it."""

    __slots__ = ("params", "optionals", "rest", "keys", "allow_other_keys", "body", "name", "doc", "formals")

    def __init__(self, params: list, rest: Any, body: Node, name: str | None = None,
                 optionals: list | None = None, keys: list | None = None, allow_other_keys: bool = False,
                 loc: SourceLocation | None = None, doc: str | None = None) -> None:
        self.params = params
        self.optionals = optionals or []
        self.rest = rest
        self.keys = keys or []
        self.allow_other_keys = allow_other_keys
        self.body = body
        self.name = name
        self.loc = loc
        self.doc = doc
        self.formals: str | None = None


class Call(Node):
    __slots__ = ("fn", "args")

    def __init__(self, fn: Node, args: list[Node], loc: SourceLocation | None = None) -> None:
        self.fn = fn
        self.args = args
        self.loc = loc


class PrimCall(Node):
    """A call to a core primitive known at compile time (the compiler may inline it)."""

    __slots__ = ("name", "args", "fn_node")

    def __init__(self, name: str, args: list[Node], fn_node: Node, loc: SourceLocation | None = None) -> None:
        self.name = name
        self.args = args
        self.fn_node = fn_node
        self.loc = loc


class Let(Node):
    """Parallel binding (``let``): inits are evaluated outside the new scope."""

    __slots__ = ("vars", "inits", "body")

    def __init__(self, vars: list, inits: list[Node], body: Node, loc: SourceLocation | None = None) -> None:
        self.vars = vars
        self.inits = inits
        self.body = body
        self.loc = loc


class Letrec(Node):
    """Recursive binding (``letrec*``): inits evaluated in order inside the new scope."""

    __slots__ = ("vars", "inits", "body")

    def __init__(self, vars: list, inits: list[Node], body: Node, loc: SourceLocation | None = None) -> None:
        self.vars = vars
        self.inits = inits
        self.body = body
        self.loc = loc

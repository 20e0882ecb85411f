"""Identifiers, scopes and bindings: what the expander resolves names against.

Hygiene works by renaming.  When a macro's template inserts a symbol, the
expander wraps it in a fresh ``Ident`` that remembers the scope where the
macro was defined.  A binding form that binds an ``Ident`` binds *that
object*, so only identifiers introduced by the same expansion see it; any
other lookup of an ``Ident`` falls back to resolving its name in the macro's
definition scope.  User-written symbols are plain ``Symbol`` objects and
resolve in the scope where they appear.
"""

from __future__ import annotations

import itertools
from typing import Any

from schemy.lang.datum import NIL, Pair, Symbol, make_pair

_marks = itertools.count(1)


def fresh_mark() -> int:
    return next(_marks)


class Ident:
    """A symbol inserted by a macro expansion (a renamed identifier)."""

    __slots__ = ("name", "env", "mark", "_hash")

    def __init__(self, name: Symbol | Ident, env: Scope, mark: int | None = None) -> None:
        self.name = name
        self.env = env
        self.mark = next(_marks) if mark is None else mark
        self._hash = hash((name, id(env), self.mark))

    # Two identifiers made by one expansion step (same name, scope and mark) are the same
    # identifier: that is what lets ``datum->syntax`` capture names a template introduced.
    def __eq__(self, other: object) -> bool:
        return (other.__class__ is Ident and self._hash == other._hash and self.mark == other.mark
                and self.env is other.env and self.name == other.name)

    def __hash__(self) -> int:
        return self._hash

    @property
    def symbol(self) -> Symbol:
        name = self.name
        while name.__class__ is Ident:
            name = name.name
        return name

    def __repr__(self) -> str:
        return f"#<syntax {self.symbol.name}#{self.mark}>"

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<syntax {self.symbol.name}>"


def is_identifier(x: Any) -> bool:
    return x.__class__ is Symbol or x.__class__ is Ident


def identifier_symbol(x: Symbol | Ident) -> Symbol:
    return x.symbol if x.__class__ is Ident else x


# ------------------------------------------------------------------ bindings


class Var:
    """A lexical variable; the compiler turns each into a unique Python local."""

    __slots__ = ("name", "uid", "mutated", "owner", "pyname")
    _ids = itertools.count(1)

    def __init__(self, name: Symbol) -> None:
        self.name = name
        self.uid = next(Var._ids)
        self.mutated = False
        self.owner = None  # the core Lambda (or toplevel) that binds it, set by the compiler
        self.pyname = None

    def __repr__(self) -> str:
        return f"<Var {self.name.name}.{self.uid}>"


class Macro:
    """A syntax transformer bound to a keyword.

    ``transformer`` is called as ``transformer(form, use_env)`` for Python-level
    macros (``syntax-rules``, built-in derived forms) or, when ``procedural`` is
    true, as a Scheme procedure of one argument (``syntax-case`` style).
    """

    __slots__ = ("transformer", "env", "procedural", "name")

    def __init__(self, transformer: Any, env: Scope | None, procedural: bool = False, name: str = "") -> None:
        self.transformer = transformer
        self.env = env
        self.procedural = procedural
        self.name = name

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<syntax-transformer {self.name}>"


class SpecialForm:
    """A core syntactic keyword (``if``, ``lambda``...) handled by the expander itself."""

    __slots__ = ("name", "expand")

    def __init__(self, name: str, expand: Any) -> None:
        self.name = name
        self.expand = expand

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<syntax {self.name}>"


class PatternVar:
    """A ``syntax-case`` pattern variable: ``slot`` is the Var holding its match."""

    __slots__ = ("var", "depth")

    def __init__(self, var: Var, depth: int) -> None:
        self.var = var
        self.depth = depth


# ------------------------------------------------------------------ scopes


class Scope:
    """One lexical contour: identifier (Symbol or Ident) -> binding.

    The chain ends in a module (see ``schemy.runtime.modules.Module``), whose
    ``lookup`` handles globals and imports.
    """

    __slots__ = ("parent", "table", "module")

    def __init__(self, parent: Scope | None, module: Any = None) -> None:
        self.parent = parent
        self.table: dict[Any, Any] = {}
        self.module = module if module is not None else (parent.module if parent is not None else None)

    def bind(self, ident: Any, binding: Any) -> None:
        self.table[ident] = binding

    def lookup_local(self, ident: Any) -> Any:
        """The innermost lexical binding of exactly this identifier object, or None."""
        scope: Scope | None = self
        while scope is not None:
            b = scope.table.get(ident)
            if b is not None:
                return b
            scope = scope.parent
        return None


def resolve(ident: Any, scope: Scope) -> tuple[Any, Any]:
    """Find what ``ident`` means in ``scope``.

    Returns ``(binding, module)`` where binding is a Var, Macro, SpecialForm,
    PatternVar or a module-level binding (``Cell``/``Macro``), or None when the
    name is unbound; module is the module in which a global lookup happened.
    """
    while True:
        b = scope.lookup_local(ident)
        if b is not None:
            return b, scope.module
        if ident.__class__ is Ident:
            scope = ident.env
            ident = ident.name
            continue
        module = scope.module
        return module.lookup(ident), module


def free_identifier_eq(a: Any, sa: Scope, b: Any, sb: Scope) -> bool:
    """``free-identifier=?``: both resolve to the same binding (or are both free with one name)."""
    ba, _ = resolve(a, sa)
    bb, _ = resolve(b, sb)
    if ba is None and bb is None:
        return identifier_symbol(a) is identifier_symbol(b)
    return ba is bb


def strip(x: Any) -> Any:
    """``syntax->datum``: replace every Ident by its symbol (iteratively, sharing untouched parts)."""
    cls = x.__class__
    if cls is Ident:
        return x.symbol
    if cls is Pair:
        items = []
        node = x
        while node.__class__ is Pair:
            items.append(node)
            node = node.cdr
        tail = strip(node) if node is not NIL else NIL
        changed = tail is not node
        stripped = [strip(p.car) for p in items]
        if not changed and all(s is p.car for s, p in zip(stripped, items)):
            return x
        result = tail
        for p, s in zip(reversed(items), reversed(stripped)):
            result = make_pair(s, result, p.loc)
        return result
    if cls is list:
        out = [strip(e) for e in x]
        return x if all(a is b for a, b in zip(out, x)) else out
    return x

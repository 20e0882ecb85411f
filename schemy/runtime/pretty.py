"""(ice-9 pretty-print): ``pretty-print`` lays data out as Guile's does.

Guile's layout (Marc Feeley's classic pretty printer) in short: an expression goes on one
line when it fits both in what is left of the line and in ``max-expr-width`` (50)
characters; otherwise its elements go one per line, aligned after the head for a call
(``(head item1`` / ``item2``), or indented by 2 under the head for the binding forms
(``lambda``, ``define``, ``let``, ``if``, ``cond``...), which keep their first parts (name,
formals, bindings, test) on the head's line.  ``'x``, `` `x``, ``,x`` and ``,@x`` are
written abbreviated inside proper lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schemy.lang.datum import NIL, UNSPECIFIED, Pair, Symbol, make_pair

_PREFIXES = {"quote": "'", "quasiquote": "`", "unquote": ",", "unquote-splicing": ",@"}
_CALL_HEAD_WIDTH = 5  # a call whose head is longer than this is laid out like a binding form
_INDENT = 2


def _read_macro(x: Any) -> str | None:
    """The abbreviation of ``(quote x)`` and friends (exactly two elements), else None."""
    if x.__class__ is Pair and x.car.__class__ is Symbol and x.cdr.__class__ is Pair and x.cdr.cdr is NIL:
        return _PREFIXES.get(x.car.name)
    return None


def _proper_items(x: Any) -> list | None:
    items = []
    while x.__class__ is Pair:
        items.append(x.car)
        x = x.cdr
    return items if x is NIL else None


class _Layout:
    def __init__(self, width: int, max_expr_width: int, display: bool, prefix: str) -> None:
        from schemy.lang.printer import display_string, write_string

        self.width = width
        self.max_expr_width = max_expr_width
        self.atom = display_string if display else write_string
        self.prefix = prefix
        self.out: list[str] = []

    # -- output ----------------------------------------------------------------------------
    def emit(self, text: str, col: int) -> int:
        self.out.append(text)
        return col + len(text)

    def indent(self, to: int, col: int) -> int:
        if to < col:
            self.out.append("\n" + self.prefix)
            col = 0
        return self.emit(" " * (to - col), col)

    # -- one-line form -----------------------------------------------------------------------
    def flat(self, x: Any) -> str:
        macro = _read_macro(x)
        if macro is not None:
            return macro + self.flat(x.cdr.car)
        items = _proper_items(x) if x.__class__ is Pair else None
        if items is not None:
            return "(" + " ".join(self.flat(i) for i in items) + ")"
        return self.atom(x)

    # -- layout ------------------------------------------------------------------------------
    def pr(self, x: Any, col: int, extra: int, pp_pair: Callable[[Any, int, int], int]) -> int:
        if x.__class__ is Pair or x.__class__ is list:
            text = self.flat(x)
            room = min(self.width - col - extra + 1, self.max_expr_width)
            if len(text) < room:
                return self.emit(text, col)
            if x.__class__ is Pair:
                return pp_pair(x, col, extra)
            return self.pp_list(_to_list(x), self.emit("#", col), extra, self.pp_expr)
        return self.emit(self.atom(x), col)

    def pp_expr(self, x: Any, col: int, extra: int) -> int:
        macro = _read_macro(x)
        if macro is not None:
            return self.pr(x.cdr.car, self.emit(macro, col), extra, self.pp_expr)
        head = x.car
        if head.__class__ is Symbol:
            style = _STYLES.get(head.name)
            if style is not None:
                return style(self, x, col, extra)
            if len(head.name) > _CALL_HEAD_WIDTH:
                return self.pp_general(x, col, extra, False, None, None, self.pp_expr)
            return self.pp_call(x, col, extra, self.pp_expr)
        return self.pp_list(x, col, extra, self.pp_expr)

    def pp_expr_list(self, x: Any, col: int, extra: int) -> int:
        return self.pp_list(x, col, extra, self.pp_expr)

    def pp_call(self, x: Any, col: int, extra: int, item: Callable) -> int:
        """(head item1
                 item2)"""
        col = self.emit(self.flat(x.car), self.emit("(", col))
        return self.pp_down(x.cdr, col, col + 1, extra, item)

    def pp_list(self, x: Any, col: int, extra: int, item: Callable) -> int:
        """(item1
            item2)"""
        col = self.emit("(", col)
        return self.pp_down(x, col, col, extra, item)

    def pp_down(self, x: Any, col: int, to: int, extra: int, item: Callable) -> int:
        while x.__class__ is Pair:
            rest = x.cdr
            col = self.pr(x.car, self.indent(to, col), extra + 1 if rest is NIL else 0, item)
            x = rest
        if x is NIL:
            return self.emit(")", col)
        col = self.indent(to, self.emit(".", self.indent(to, col)))
        return self.emit(")", self.pr(x, col, extra + 1, item))

    def pp_general(self, x: Any, col: int, extra: int, named: bool, pp1: Callable | None,
                   pp2: Callable | None, pp3: Callable) -> int:
        """(head [name] part1 part2
              body...)  -- the parts that fit stay on the head's line."""
        body_col = col + _INDENT
        col = self.emit(self.flat(x.car), self.emit("(", col))
        rest = x.cdr
        if named and rest.__class__ is Pair:
            col = self.emit(self.flat(rest.car), self.emit(" ", col))
            rest = rest.cdr
        part_col = col + 1
        for pp in (pp1, pp2):
            if pp is not None and rest.__class__ is Pair:
                value, rest = rest.car, rest.cdr
                col = self.pr(value, self.indent(part_col, col), extra + 1 if rest is NIL else 0, pp)
        return self.pp_down(rest, col, body_col, extra, pp3)


def _to_list(items: list) -> Any:
    out: Any = NIL
    for x in reversed(items):
        out = make_pair(x, out)
    return out


def _general(named: Any, pp1: str | None, pp2: str | None, pp3: str) -> Callable:
    def style(lay: _Layout, x: Any, col: int, extra: int) -> int:
        is_named = named(x) if callable(named) else named
        return lay.pp_general(x, col, extra, is_named, pp1 and getattr(lay, pp1), pp2 and getattr(lay, pp2),
                              getattr(lay, pp3))

    return style


def _call(item: str) -> Callable:
    return lambda lay, x, col, extra: lay.pp_call(x, col, extra, getattr(lay, item))


_LAMBDA = _general(False, "pp_expr_list", None, "pp_expr")
_STYLES: dict[str, Callable] = {
    **dict.fromkeys(["lambda", "lambda*", "let*", "letrec", "define", "define*", "define-public", "define-syntax",
                     "let-syntax", "letrec-syntax", "with-syntax", "syntax-rules"], _LAMBDA),
    "if": _general(False, "pp_expr", None, "pp_expr"),
    "set!": _general(False, "pp_expr", None, "pp_expr"),
    "cond": _call("pp_expr_list"),
    "case": _general(False, "pp_expr", None, "pp_expr_list"),
    "and": _call("pp_expr"),
    "or": _call("pp_expr"),
    "let": _general(lambda x: x.cdr.__class__ is Pair and x.cdr.car.__class__ is Symbol,
                    "pp_expr_list", None, "pp_expr"),
    "begin": _general(False, None, None, "pp_expr"),
    "do": _general(False, "pp_expr_list", "pp_expr_list", "pp_expr"),
    "syntax-case": _general(True, "pp_expr_list", None, "pp_expr"),
}


def pretty_string(obj: Any, width: int = 79, indent: int = 0, max_expr_width: int = 50,
                  display: bool = False, per_line_prefix: str = "") -> str:
    """OBJ laid out as Guile's ``pretty-print`` does (without the final newline)."""
    lay = _Layout(width - len(per_line_prefix), max_expr_width, display, per_line_prefix)
    lay.out.append(per_line_prefix)
    lay.pr(obj, indent, 0, lay.pp_expr)
    return "".join(lay.out)


def pretty_print(obj: Any, *args: Any) -> Any:
    from schemy.lang.datum import Keyword, to_str
    from schemy.runtime.ports import current_output, write_to_port

    port = None
    options: dict[str, Any] = {"width": 79, "max-expr-width": 50, "display?": False, "per-line-prefix": ""}
    rest = list(args)
    if rest and not isinstance(rest[0], Keyword):
        port = rest.pop(0)
    while rest:
        k = rest.pop(0)
        v = rest.pop(0) if rest else None
        if isinstance(k, Keyword) and k.name == "port":
            port = v
        elif isinstance(k, Keyword) and k.name in options:
            options[k.name] = v
    text = pretty_string(obj, options["width"], 0, options["max-expr-width"], options["display?"] is not False,
                         to_str(options["per-line-prefix"]))
    write_to_port(port if port is not None else current_output(), text + "\n")
    return UNSPECIFIED


PRIMITIVES: dict[str, Any] = {"pretty-print": pretty_print}

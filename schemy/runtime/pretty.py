"""(ice-9 pretty-print): ``pretty-print`` breaks long data across lines as Guile does."""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import NIL, UNSPECIFIED, Pair


def pretty_string(obj: Any, width: int = 79, indent: int = 0) -> str:
    from schemy.lang.printer import write_string

    flat = write_string(obj)
    if len(flat) + indent <= width or not isinstance(obj, Pair):
        return flat
    items = []
    x = obj
    while isinstance(x, Pair):
        items.append(x.car)
        x = x.cdr
    head = write_string(items[0]) if not isinstance(items[0], Pair) else None
    if head is not None and len(items) > 1:
        first = pretty_string(items[1], width, indent + len(head) + 2)
        inner = indent + 2
        rest = [pretty_string(e, width, inner) for e in items[2:]]
        lines = [f"({head} {first}"] + [" " * inner + r for r in rest]
    else:
        inner = indent + 1
        parts = [pretty_string(e, width, inner) for e in items]
        lines = ["(" + parts[0]] + [" " * inner + p for p in parts[1:]]
    text = "\n".join(lines)
    if x is not NIL:
        text += " . " + write_string(x)
    return text + ")"


def pretty_print(obj: Any, *args: Any) -> Any:
    from schemy.lang.datum import Keyword
    from schemy.runtime.ports import current_output, write_to_port

    port = None
    width = 79
    rest = list(args)
    if rest and not isinstance(rest[0], Keyword):
        port = rest.pop(0)
    while rest:
        k = rest.pop(0)
        v = rest.pop(0) if rest else None
        if isinstance(k, Keyword) and k.name == "width" and isinstance(v, int):
            width = v
    write_to_port(port if port is not None else current_output(), pretty_string(obj, width) + "\n")
    return UNSPECIFIED


PRIMITIVES: dict[str, Any] = {"pretty-print": pretty_print}

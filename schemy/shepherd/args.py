"""Arguments of the Shepherd's Scheme procedures as Python values (text, lists, keywords, truth)."""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import NIL, Keyword, MString, Pair, Symbol, list_to_python
from schemy.lang.errors import scheme_error


def as_text(x: Any) -> str:
    """A Scheme string, symbol or number as Python text (command arguments are often mixed)."""
    if isinstance(x, str):
        return x
    if isinstance(x, MString):
        return str(x)
    if isinstance(x, Symbol):
        return x.name
    if isinstance(x, bool):
        return "#t" if x else "#f"
    if isinstance(x, (int, float)):
        return str(x)
    from schemy.lang.printer import display_string

    return display_string(x)


def as_list(x: Any, origin: str) -> list[Any]:
    if x is NIL or x is None or x is False:
        return []
    if isinstance(x, Pair):
        try:
            return list_to_python(x)
        except ValueError:
            raise scheme_error(f"{origin}: improper list", x) from None
    if isinstance(x, (list, tuple)):
        return list(x)
    raise scheme_error(f"{origin}: expected a list", x, kind="wrong-type-arg")


def as_names(x: Any, origin: str) -> list[str]:
    """Provision/requirement lists: symbols (or strings) to names."""
    if isinstance(x, (Symbol, str, MString)):
        return [as_text(x)]
    return [as_text(n) for n in as_list(x, origin)]


def truth(x: Any) -> bool:
    """Scheme truth: everything but #f is true."""
    return x is not False and x is not None


def split_keywords(origin: str, args: tuple, allowed: tuple[str, ...]) -> tuple[list[Any], dict[str, Any]]:
    """Split ``(pos ... #:key value ...)`` into positionals and a keyword dict, rejecting unknown keys."""
    pos: list[Any] = []
    kw: dict[str, Any] = {}
    i = 0
    while i < len(args):
        a = args[i]
        if isinstance(a, Keyword):
            if a.name not in allowed:
                raise scheme_error(f"{origin}: unknown keyword #:{a.name}", kind="keyword-argument-error",
                                   hint="known keywords: " + " ".join("#:" + k for k in allowed))
            if i + 1 >= len(args):
                raise scheme_error(f"{origin}: keyword #:{a.name} has no value",
                                   kind="keyword-argument-error")
            kw[a.name] = args[i + 1]
            i += 2
        else:
            if kw:
                raise scheme_error(f"{origin}: positional argument after keywords", a,
                                   kind="keyword-argument-error")
            pos.append(a)
            i += 1
    return pos, kw

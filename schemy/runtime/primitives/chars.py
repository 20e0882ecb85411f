"""Characters.

Guile classifies characters by Unicode general category (``char-upper-case?``
is category Lu, ``char-numeric?`` is Nd...) and maps case one character at a
time, so ``(char-upcase #\\ß)`` stays ``#\\ß``.  The case helpers here are
shared with strings.py for the same reason.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from schemy.lang.datum import Char, Symbol
from schemy.lang.errors import scheme_error, wrong_type

_WHITESPACE_CONTROLS = frozenset("\t\n\x0b\x0c\r\x85")
# Simple (one-to-one) case mappings where Python's full mapping yields several characters.
_SIMPLE_LOWER = {"\u0130": "i"}


def upcase(c: str) -> str:
    u = c.upper()
    return u if len(u) == 1 else c


def downcase(c: str) -> str:
    low = c.lower()
    if len(low) == 1:
        return low
    return _SIMPLE_LOWER.get(c, c)


def foldcase(c: str) -> str:
    f = c.casefold()
    return f if len(f) == 1 else downcase(c)


def is_whitespace(c: str) -> bool:
    return c in _WHITESPACE_CONTROLS or unicodedata.category(c) in ("Zs", "Zl", "Zp")


def is_alphabetic(c: str) -> bool:
    return c.isalpha()


def is_numeric(c: str) -> bool:
    return unicodedata.category(c) == "Nd"


def is_upper(c: str) -> bool:
    return unicodedata.category(c) == "Lu"


def is_lower(c: str) -> bool:
    return unicodedata.category(c) == "Ll"


def check_char(name: str, pos: int, c: Any) -> str:
    """The character's text, or Guile's wrong-type error."""
    if c.__class__ is not Char:
        raise wrong_type(name, pos, c, "character")
    return c.ch


# ------------------------------------------------------------------ procedures


def char_p(x: Any) -> bool:
    return x.__class__ is Char


def char_to_integer(c: Any) -> int:
    return ord(check_char("char->integer", 1, c))


def integer_to_char(n: Any) -> Char:
    if n.__class__ is not int:
        raise wrong_type("integer->char", 1, n)
    if not (0 <= n <= 0x10FFFF) or 0xD800 <= n <= 0xDFFF:
        raise scheme_error("Argument 1 out of range:", n, kind="out-of-range", origin="integer->char")
    return Char(chr(n))


def _comparison(name: str, key: Callable[[str], Any],
                test: Callable[[Any, Any], bool]) -> Callable[..., bool]:
    def compare(*args: Any) -> bool:
        keys = [key(check_char(name, i, c)) for i, c in enumerate(args, 1)]
        return all(test(a, b) for a, b in zip(keys, keys[1:]))

    compare.__name__ = name
    return compare


def _ci_key(c: str) -> str:
    return foldcase(c)


def _predicate(name: str, test: Callable[[str], bool]) -> Callable[[Any], bool]:
    def pred(c: Any) -> bool:
        return test(check_char(name, 1, c))

    pred.__name__ = name
    return pred


def _mapper(name: str, fn: Callable[[str], str]) -> Callable[[Any], Char]:
    def mapper(c: Any) -> Char:
        return Char(fn(check_char(name, 1, c)))

    mapper.__name__ = name
    return mapper


def digit_value(c: Any) -> Any:
    d = unicodedata.decimal(check_char("digit-value", 1, c), None)
    return False if d is None else d


def char_general_category(c: Any) -> Symbol:
    return Symbol(unicodedata.category(check_char("char-general-category", 1, c)))


_ORDERS: list[tuple[str, Callable[[Any, Any], bool]]] = [
    ("=?", lambda a, b: a == b),
    ("<?", lambda a, b: a < b),
    (">?", lambda a, b: a > b),
    ("<=?", lambda a, b: a <= b),
    (">=?", lambda a, b: a >= b),
]

PRIMITIVES: dict[str, Any] = {
    "char?": char_p,
    "char->integer": char_to_integer,
    "integer->char": integer_to_char,
    **{f"char{suffix}": _comparison(f"char{suffix}", ord, test) for suffix, test in _ORDERS},
    **{f"char-ci{suffix}": _comparison(f"char-ci{suffix}", _ci_key, test) for suffix, test in _ORDERS},
    "char-alphabetic?": _predicate("char-alphabetic?", is_alphabetic),
    "char-numeric?": _predicate("char-numeric?", is_numeric),
    "char-whitespace?": _predicate("char-whitespace?", is_whitespace),
    "char-upper-case?": _predicate("char-upper-case?", is_upper),
    "char-lower-case?": _predicate("char-lower-case?", is_lower),
    "char-upcase": _mapper("char-upcase", upcase),
    "char-downcase": _mapper("char-downcase", downcase),
    "char-titlecase": _mapper("char-titlecase", lambda c: c.title() if len(c.title()) == 1 else c),
    "char-foldcase": _mapper("char-foldcase", foldcase),
    "digit-value": digit_value,
    "char-general-category": char_general_category,
}

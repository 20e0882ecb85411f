"""Symbols and keywords."""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import Keyword, Symbol, gensym
from schemy.lang.errors import string_arg, wrong_type
from schemy.runtime.primitives.strings import string_hash


def _name(proc: str, pos: int, s: Any) -> str:
    if s.__class__ is not Symbol:
        raise wrong_type(proc, pos, s, "symbol")
    return s.name


def symbol_p(x: Any) -> bool:
    return x.__class__ is Symbol


def symbol_to_string(s: Any) -> str:
    return _name("symbol->string", 1, s)


def string_to_symbol(s: Any) -> Symbol:
    return Symbol(string_arg(s, "string->symbol", 1))


def symbol_append(*symbols: Any) -> Symbol:
    return Symbol("".join(_name("symbol-append", i, s) for i, s in enumerate(symbols, 1)))


def symbol_lt(*symbols: Any) -> bool:
    names = [_name("symbol<?", i, s) for i, s in enumerate(symbols, 1)]
    return all(a < b for a, b in zip(names, names[1:]))


def symbol_eq(*symbols: Any) -> bool:
    for i, s in enumerate(symbols, 1):
        _name("symbol=?", i, s)
    return all(s is symbols[0] for s in symbols)


def gensym_(prefix: Any = None) -> Symbol:
    """A fresh symbol; Guile's default prefix is a space, so it prints as ``#{ g42}#``."""
    if prefix is None:
        return gensym()
    return gensym(string_arg(prefix, "gensym", 1))


def symbol_hash(s: Any, bound: Any = None) -> int:
    return string_hash(_name("symbol-hash", 1, s), bound)


def keyword_p(x: Any) -> bool:
    return x.__class__ is Keyword


def keyword_to_symbol(k: Any) -> Symbol:
    if k.__class__ is not Keyword:
        raise wrong_type("keyword->symbol", 1, k, "keyword")
    return Symbol(k.name)


def symbol_to_keyword(s: Any) -> Keyword:
    return Keyword(_name("symbol->keyword", 1, s))


PRIMITIVES: dict[str, Any] = {
    "symbol?": symbol_p,
    "symbol->string": symbol_to_string,
    "string->symbol": string_to_symbol,
    "symbol-append": symbol_append,
    "symbol<?": symbol_lt,
    "symbol=?": symbol_eq,
    "gensym": gensym_,
    "symbol-hash": symbol_hash,
    "keyword?": keyword_p,
    "keyword->symbol": keyword_to_symbol,
    "symbol->keyword": symbol_to_keyword,
}

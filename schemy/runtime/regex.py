"""(ice-9 regex): POSIX extended regular expressions, as in Guile.

Patterns are matched by RE2 (the ``google-re2`` package) where they can be: it runs in time
linear in the text, whatever the pattern (``^(a+)+$`` on 40 a's and a b answers at once,
where a backtracking engine takes forever), and with its ``longest_match`` option it has
POSIX's leftmost-longest semantics, as Guile's regcomp (``a|ab`` matches ``ab``).  Patterns
RE2 cannot take (back-references such as ``\\1``) fall back to Python's ``re``.  Either way
the pattern keeps POSIX extended syntax, translated (bracket classes such as
``[[:alpha:]]`` included); without ``regexp/newline`` a ``.`` matches a newline and ``^``/``$``
only the ends of the string, with it they work line by line, as in POSIX.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from schemy.lang.datum import UNSPECIFIED, Symbol, is_string, list_to_python, make_list, to_str
from schemy.lang.errors import scheme_error, wrong_type

REGEXP_ICASE, REGEXP_NEWLINE, REGEXP_BASIC, REGEXP_EXTENDED, REGEXP_NOTBOL, REGEXP_NOTEOL = 1, 2, 4, 8, 16, 32

_CLASSES = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
            "space": r" \t\n\r\f\v", "blank": r" \t", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f",
            "cntrl": r"\x00-\x1f\x7f", "print": r"\x20-\x7e", "graph": r"\x21-\x7e"}


def _translate(pattern: str) -> str:
    """POSIX ERE -> Python ``re`` (character classes; a ']' first in a bracket is literal)."""
    out = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[":
            j = i + 1
            chunk = ["["]
            if j < n and pattern[j] == "^":
                chunk.append("^")
                j += 1
            if j < n and pattern[j] == "]":
                chunk.append(r"\]")
                j += 1
            while j < n and pattern[j] != "]":
                if pattern.startswith("[:", j):
                    end = pattern.find(":]", j)
                    name = pattern[j + 2:end]
                    chunk.append(_CLASSES.get(name, ""))
                    j = end + 2
                    continue
                if pattern[j] == "\\":
                    chunk.append(r"\\")
                elif pattern[j] == "[":
                    chunk.append(r"\[")
                else:
                    chunk.append(pattern[j])
                j += 1
            chunk.append("]")
            out.append("".join(chunk))
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


class Regexp:
    __slots__ = ("source", "compiled")

    def __init__(self, source: str, flags: int) -> None:
        self.source = source
        self.compiled = _compile(source, flags & (REGEXP_ICASE | REGEXP_NEWLINE))

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<regexp {self.source}>"


@functools.lru_cache(maxsize=1)
def _re2() -> Any:
    """The ``re2`` module, imported with the first pattern (not on every start); None if absent."""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency; Python's re still works
        return None
    return re2


@functools.lru_cache(maxsize=512)
def _compile(source: str, flags: int) -> Any:
    """The compiled pattern: RE2's when it takes it, else Python's ``re``."""
    translated = _translate(source)
    re2 = _re2()
    if re2 is not None:
        options = re2.Options()
        options.longest_match = True
        options.log_errors = False
        options.case_sensitive = not flags & REGEXP_ICASE
        prefix = "(?m)" if flags & REGEXP_NEWLINE else "(?s)"
        try:
            return re2.compile(prefix + translated, options)
        except Exception:  # noqa: BLE001 - RE2 refuses back-references and the like: use re
            pass
    pyflags = (re.IGNORECASE if flags & REGEXP_ICASE else 0) | (
        re.MULTILINE if flags & REGEXP_NEWLINE else re.DOTALL)
    try:
        return re.compile(translated, pyflags)
    except re.error as e:
        raise scheme_error(f"invalid regular expression {source!r}: {e}", kind="regular-expression-syntax",
                           origin="make-regexp") from None


class RegexpMatch:
    __slots__ = ("string", "match")

    def __init__(self, string: str, match: Any) -> None:
        self.string = string
        self.match = match

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<regexp-match {self.match.group(0)!r}>"


def make_regexp(pattern: Any, *flags: int) -> Regexp:
    f = 0
    for x in flags:
        f |= x
    return Regexp(to_str(pattern), f)


def regexp_exec(rx: Any, string: Any, start: int = 0, flags: int = 0) -> Any:
    if not isinstance(rx, Regexp):
        raise wrong_type("regexp-exec", 1, rx, "regexp")
    s = to_str(string)
    m = rx.compiled.search(s, start)
    return RegexpMatch(s, m) if m else False


def string_match(pattern: Any, string: Any, start: int = 0) -> Any:
    rx = pattern if isinstance(pattern, Regexp) else Regexp(to_str(pattern), 0)
    return regexp_exec(rx, string, start)


def _match(m: Any, origin: str) -> RegexpMatch:
    if not isinstance(m, RegexpMatch):
        raise wrong_type(origin, 1, m, "regexp-match")
    return m


def match_substring(m: Any, n: int = 0) -> Any:
    g = _match(m, "match:substring").match.group(n)
    return g if g is not None else False


def match_start(m: Any, n: int = 0) -> Any:
    s = _match(m, "match:start").match.start(n)
    return s if s >= 0 else False


def match_end(m: Any, n: int = 0) -> Any:
    e = _match(m, "match:end").match.end(n)
    return e if e >= 0 else False


def match_count(m: Any) -> int:
    return _match(m, "match:count").match.re.groups + 1


def match_prefix(m: Any) -> str:
    mm = _match(m, "match:prefix")
    return mm.string[:mm.match.start()]


def match_suffix(m: Any) -> str:
    mm = _match(m, "match:suffix")
    return mm.string[mm.match.end():]


def list_matches(pattern: Any, string: Any, flags: int = 0) -> Any:
    rx = pattern if isinstance(pattern, Regexp) else Regexp(to_str(pattern), flags)
    s = to_str(string)
    return make_list([RegexpMatch(s, m) for m in rx.compiled.finditer(s)])


def fold_matches(pattern: Any, string: Any, init: Any, proc: Any, flags: int = 0) -> Any:
    acc = init
    for m in list_to_python(list_matches(pattern, string, flags)):
        acc = proc(m, acc)
    return acc


def _substitute_items(m: RegexpMatch, items: tuple, pieces: list[str]) -> None:
    for item in items:
        if is_string(item):
            pieces.append(to_str(item))
        elif isinstance(item, int) and not isinstance(item, bool):
            g = m.match.group(item)
            pieces.append(g or "")
        elif item is Symbol("pre"):
            pieces.append(m.string[:m.match.start()])
        elif item is Symbol("post"):
            pieces.append(m.string[m.match.end():])
        elif callable(item):
            pieces.append(to_str(item(m)))
        else:
            raise wrong_type("regexp-substitute", 3, item, "string, integer, 'pre or 'post")


def _emit(port: Any, text: str) -> Any:
    if port is False:
        return text
    from schemy.runtime.ports import write_to_port

    write_to_port(port, text)
    return UNSPECIFIED


def regexp_substitute(port: Any, m: Any, *items: Any) -> Any:
    pieces: list[str] = []
    _substitute_items(_match(m, "regexp-substitute"), items, pieces)
    return _emit(port, "".join(pieces))


def regexp_substitute_global(port: Any, pattern: Any, string: Any, *items: Any) -> Any:
    rx = pattern if isinstance(pattern, Regexp) else Regexp(to_str(pattern), 0)
    s = to_str(string)
    pieces: list[str] = []
    pos = 0
    for m in rx.compiled.finditer(s):
        rm = RegexpMatch(s, m)
        for item in items:
            if item is Symbol("pre"):
                pieces.append(s[pos:m.start()])
            elif item is Symbol("post"):
                continue
            else:
                _substitute_items(rm, (item,), pieces)
        pos = m.end()
    if Symbol("post") in items:
        pieces.append(s[pos:])
    return _emit(port, "".join(pieces))


def regexp_quote(s: Any) -> str:
    return re.sub(r"([.\[\]\\*+?(){}|^$])", r"\\\1", to_str(s))


PRIMITIVES: dict[str, Any] = {
    "make-regexp": make_regexp, "regexp-exec": regexp_exec, "string-match": string_match,
    "regexp?": lambda x: isinstance(x, Regexp), "regexp-match?": lambda x: isinstance(x, RegexpMatch),
    "match:substring": match_substring, "match:start": match_start, "match:end": match_end,
    "match:count": match_count, "match:prefix": match_prefix, "match:suffix": match_suffix,
    "match:string": lambda m: _match(m, "match:string").string,
    "list-matches": list_matches, "fold-matches": fold_matches, "regexp-substitute": regexp_substitute,
    "regexp-substitute/global": regexp_substitute_global, "regexp-quote": regexp_quote,
    "regexp/icase": REGEXP_ICASE, "regexp/newline": REGEXP_NEWLINE, "regexp/basic": REGEXP_BASIC,
    "regexp/extended": REGEXP_EXTENDED, "regexp/notbol": REGEXP_NOTBOL, "regexp/noteol": REGEXP_NOTEOL
}

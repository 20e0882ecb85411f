"""Strings: R7RS, SRFI-13 as Guile provides it, and a minimal SRFI-14 char-set.

Strings are ``str`` (literals and most results: immutable) or ``MString``
(from ``make-string``, ``string``, ``string-copy``: mutable).  Every procedure
accepts both.  SRFI-13 procedures that take a "char matcher" accept a
character, a char-set or a predicate, and most take optional start/end
indexes, exactly as in Guile.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from schemy.lang.datum import UNSPECIFIED, Char, MString, Symbol, is_string
from schemy.lang.errors import scheme_error, string_arg, wrong_type
from schemy.runtime.primitives.chars import downcase, foldcase, is_alphabetic, is_whitespace, upcase
from schemy.runtime.primitives.lists import check_proc, from_items, list_items

# ------------------------------------------------------------------ char-sets


class CharSet:
    """A SRFI-14 character set: an explicit set of characters or a membership test."""

    __slots__ = ("members", "test", "label", "scheme_name")

    def __init__(self, members: frozenset[str] | None = None, test: Callable[[str], bool] | None = None,
                 label: str | None = None) -> None:
        self.members = members
        self.test = test
        self.label = label
        self.scheme_name = label

    def contains(self, c: str) -> bool:
        if self.members is not None:
            return c in self.members
        assert self.test is not None
        return self.test(c)

    def __scheme_repr__(self, write: bool) -> str:
        if self.members is not None:
            from schemy.lang.printer import write_string

            # Guile shows runs of consecutive characters as ranges: {#\\a..#\\c #\\x}
            runs: list[list[int]] = []
            for code in sorted(ord(c) for c in self.members):
                if runs and runs[-1][1] == code - 1:
                    runs[-1][1] = code
                else:
                    runs.append([code, code])
            parts = [write_string(Char(chr(lo))) + ("" if lo == hi else ".." + write_string(Char(chr(hi))))
                     for lo, hi in runs]
            return f"#<charset {{{' '.join(parts)}}}>"
        return f"#<charset {self.label or 'computed'}>"


def _category_set(label: str, *prefixes: str) -> CharSet:
    return CharSet(test=lambda c: unicodedata.category(c).startswith(prefixes), label=label)


def _is_graphic(c: str) -> bool:
    return unicodedata.category(c)[0] in "LMNPS"


CHARSET_WHITESPACE = CharSet(test=is_whitespace, label="whitespace")
CHARSET_GRAPHIC = CharSet(test=_is_graphic, label="graphic")
_NAMED_CHARSETS: dict[str, CharSet] = {
    "char-set:whitespace": CHARSET_WHITESPACE,
    "char-set:graphic": CHARSET_GRAPHIC,
    "char-set:printing": CharSet(test=lambda c: _is_graphic(c) or is_whitespace(c), label="printing"),
    "char-set:letter": _category_set("letter", "L"),
    "char-set:digit": _category_set("digit", "Nd"),
    "char-set:letter+digit": _category_set("letter+digit", "L", "Nd"),
    "char-set:upper-case": _category_set("upper-case", "Lu"),
    "char-set:lower-case": _category_set("lower-case", "Ll"),
    "char-set:title-case": _category_set("title-case", "Lt"),
    "char-set:punctuation": _category_set("punctuation", "P"),
    "char-set:symbol": _category_set("symbol", "S"),
    "char-set:iso-control": _category_set("iso-control", "Cc"),
    "char-set:blank": CharSet(test=lambda c: c == "\t" or unicodedata.category(c) == "Zs", label="blank"),
    "char-set:hex-digit": CharSet(frozenset("0123456789abcdefABCDEF")),
    "char-set:ascii": CharSet(test=lambda c: ord(c) < 128, label="ascii"),
    "char-set:empty": CharSet(frozenset()),
    "char-set:full": CharSet(test=lambda c: True, label="full"),
}


def char_set(*chars: Any) -> CharSet:
    return CharSet(frozenset(_char("char-set", i, c) for i, c in enumerate(chars, 1)))


def char_set_p(x: Any) -> bool:
    return x.__class__ is CharSet


def char_set_contains_p(cs: Any, c: Any) -> bool:
    if cs.__class__ is not CharSet:
        raise wrong_type("char-set-contains?", 1, cs, "char-set")
    return cs.contains(_char("char-set-contains?", 2, c))


def char_set_complement(cs: Any) -> CharSet:
    if cs.__class__ is not CharSet:
        raise wrong_type("char-set-complement", 1, cs, "char-set")
    return CharSet(test=lambda c: not cs.contains(c))


def char_set_union(*sets: Any) -> CharSet:
    for i, cs in enumerate(sets, 1):
        if cs.__class__ is not CharSet:
            raise wrong_type("char-set-union", i, cs, "char-set")
    if all(cs.members is not None for cs in sets):
        return CharSet(frozenset().union(*(cs.members for cs in sets)))
    return CharSet(test=lambda c: any(cs.contains(c) for cs in sets))


def char_set_intersection(first: Any, *sets: Any) -> CharSet:
    all_sets = (first, *sets)
    for i, cs in enumerate(all_sets, 1):
        if cs.__class__ is not CharSet:
            raise wrong_type("char-set-intersection", i, cs, "char-set")
    return CharSet(test=lambda c: all(cs.contains(c) for cs in all_sets))


def char_set_difference(first: Any, *sets: Any) -> CharSet:
    for i, cs in enumerate((first, *sets), 1):
        if cs.__class__ is not CharSet:
            raise wrong_type("char-set-difference", i, cs, "char-set")
    return CharSet(test=lambda c: first.contains(c) and not any(cs.contains(c) for cs in sets))


def list_to_char_set(lst: Any, base: Any = None) -> CharSet:
    chars = frozenset(_char("list->char-set", 1, c) for c in list_items("list->char-set", 1, lst))
    return char_set_union(CharSet(chars), base) if base is not None else CharSet(chars)


def string_to_char_set(s: Any, base: Any = None) -> CharSet:
    chars = frozenset(string_arg(s, "string->char-set", 1))
    return char_set_union(CharSet(chars), base) if base is not None else CharSet(chars)


def char_set_adjoin(cs: Any, *chars: Any) -> CharSet:
    return char_set_union(cs, char_set(*chars))


def char_set_to_list(cs: Any) -> Any:
    if cs.__class__ is not CharSet or cs.members is None:
        raise wrong_type("char-set->list", 1, cs, "finite char-set")
    return from_items([Char(c) for c in sorted(cs.members)])


# ------------------------------------------------------------------ helpers


def _char(name: str, pos: int, c: Any) -> str:
    if c.__class__ is not Char:
        raise wrong_type(name, pos, c, "character")
    return c.ch


def _range_error(name: str, lo: int, hi: int, value: Any) -> Exception:
    return scheme_error(f"Value out of range {lo} to< {hi}:", value, kind="out-of-range", origin=name)


def _index_error(name: str, k: int) -> Exception:
    return scheme_error("Argument 2 out of range:", k, kind="out-of-range", origin=name)


def _wrong_type_no_position(name: str, value: Any, expected: str) -> Exception:
    """Guile's C string constructors omit the argument position from the message."""
    from schemy.lang.errors import Condition, SchemeError
    from schemy.lang.printer import write_string

    message = f"Wrong type (expecting {expected}): {write_string(value)}"
    return SchemeError(Condition("wrong-type-arg", message, origin=name))


def bounds(name: str, length: int, start: Any, end: Any, pos: int) -> tuple[int, int]:
    """Validate optional start/end indexes (argument positions ``pos``, ``pos + 1``)."""
    if start is None:
        start = 0
    elif start.__class__ is not int:
        raise wrong_type(name, pos, start)
    if end is None:
        end = length
    elif end.__class__ is not int:
        raise wrong_type(name, pos + 1, end)
    # Guile checks start against the whole string first, then end against [start, length].
    if not 0 <= start <= length:
        raise _range_error(name, 0, length, start)
    if not start <= end <= length:
        raise _range_error(name, start, length, end)
    return start, end


def matcher(name: str, pos: int, x: Any) -> Callable[[str], bool]:
    """A Python test from a character, char-set or predicate argument."""
    cls = x.__class__
    if cls is Char:
        ch = x.ch
        return lambda c: c == ch
    if cls is CharSet:
        return x.contains
    if callable(x):
        return lambda c: x(Char(c)) is not False
    raise wrong_type(name, pos, x)


def _mutable(name: str, s: Any) -> MString:
    if s.__class__ is MString:
        return s
    if s.__class__ is str:
        raise scheme_error("string is read-only:", s)
    raise wrong_type(name, 1, s, "string")


# ------------------------------------------------------------------ basics


def make_string(k: Any, fill: Any = None) -> MString:
    if k.__class__ is not int or k < 0:
        raise wrong_type("make-string", 1, k)
    c = "\x00" if fill is None else _char("make-string", 2, fill)
    return MString(c * k)


def _chars_text(name: str, chars: Any) -> str:
    out = []
    for c in chars:
        if c.__class__ is not Char:
            raise _wrong_type_no_position(name, c, "character")
        out.append(c.ch)
    return "".join(out)


def string(*chars: Any) -> MString:
    return MString(_chars_text("string", chars))


def string_length(s: Any) -> int:
    if s.__class__ is MString:
        return len(s.chars)
    return len(string_arg(s, "string-length", 1))


def string_ref(s: Any, k: Any) -> Char:
    t = s.chars if s.__class__ is MString else string_arg(s, "string-ref", 1)
    if k.__class__ is not int:
        raise wrong_type("string-ref", 2, k)
    if not 0 <= k < len(t):
        raise _index_error("string-ref", k)
    return Char(t[k])


def string_set(s: Any, k: Any, c: Any) -> Any:
    ms = _mutable("string-set!", s)
    if k.__class__ is not int:
        raise wrong_type("string-set!", 2, k)
    if not 0 <= k < len(ms.chars):
        raise _index_error("string-set!", k)
    ms.chars[k] = _char("string-set!", 3, c)
    return UNSPECIFIED


def substring(s: Any, start: Any, end: Any = None) -> str:
    t = string_arg(s, "substring", 1)
    start, end = bounds("substring", len(t), start, end, 2)
    return t[start:end]


def string_append(*strings: Any) -> str:
    out = []
    for s in strings:
        cls = s.__class__
        if cls is str:
            out.append(s)
        elif cls is MString:
            out.append(str(s))
        else:
            raise _wrong_type_no_position("string-append", s, "string")
    return "".join(out)


def string_copy(s: Any, start: Any = None, end: Any = None) -> MString:
    t = string_arg(s, "string-copy", 1)
    start, end = bounds("string-copy", len(t), start, end, 2)
    return MString(t[start:end])


def string_to_list(s: Any, start: Any = None, end: Any = None) -> Any:
    t = string_arg(s, "string->list", 1)
    start, end = bounds("string->list", len(t), start, end, 2)
    return from_items([Char(c) for c in t[start:end]])


def list_to_string(lst: Any) -> str:
    return _chars_text("string", list_items("list->string", 1, lst))


def reverse_list_to_string(lst: Any) -> str:
    return list_to_string(lst)[::-1]


def string_fill(s: Any, c: Any, start: Any = None, end: Any = None) -> Any:
    ms = _mutable("string-fill!", s)
    ch = _char("string-fill!", 2, c)
    start, end = bounds("string-fill!", len(ms.chars), start, end, 3)
    ms.chars[start:end] = [ch] * (end - start)
    return UNSPECIFIED


def string_copy_bang(to: Any, at: Any, src: Any, start: Any = None, end: Any = None) -> Any:
    ms = _mutable("string-copy!", to)
    t = string_arg(src, "string-copy!", 3)
    start, end = bounds("string-copy!", len(t), start, end, 4)
    if at.__class__ is not int or not 0 <= at <= len(ms.chars) - (end - start):
        raise scheme_error("Argument 3 out of range:", src, kind="out-of-range", origin="string-copy!")
    ms.chars[at:at + end - start] = list(t[start:end])
    return UNSPECIFIED


def string_null_p(s: Any) -> bool:
    return len(string_arg(s, "string-null?", 1)) == 0


def string_tabulate(proc: Any, n: Any) -> str:
    check_proc("string-tabulate", proc)
    return "".join(_char("string-tabulate", 1, proc(i)) for i in range(n))


# ------------------------------------------------------------------ comparison


def _comparison(name: str, key: Callable[[str], str],
                test: Callable[[str, str], bool]) -> Callable[..., bool]:
    def compare(*args: Any) -> bool:
        keys = [key(string_arg(s, name, i)) for i, s in enumerate(args, 1)]
        return all(test(a, b) for a, b in zip(keys, keys[1:]))

    compare.__name__ = name
    return compare


def _fold_text(t: str) -> str:
    return "".join(foldcase(c) for c in t)


_ORDERS: list[tuple[str, Callable[[str, str], bool]]] = [
    ("=?", lambda a, b: a == b),
    ("<?", lambda a, b: a < b),
    (">?", lambda a, b: a > b),
    ("<=?", lambda a, b: a <= b),
    (">=?", lambda a, b: a >= b),
]


def _srfi13_comparison(name: str, fold: bool, test: Callable[[str, str], bool]) -> Callable[..., bool]:
    """SRFI-13 ``string<`` and friends: two strings with optional start/end for each."""

    def compare(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                start2: Any = None, end2: Any = None) -> bool:
        t1, t2 = string_arg(s1, name, 1), string_arg(s2, name, 2)
        start1, end1 = bounds(name, len(t1), start1, end1, 3)
        start2, end2 = bounds(name, len(t2), start2, end2, 5)
        a, b = t1[start1:end1], t2[start2:end2]
        if fold:
            a, b = _fold_text(a), _fold_text(b)
        return test(a, b)

    compare.__name__ = name
    return compare


_SRFI13_ORDERS: list[tuple[str, Callable[[str, str], bool]]] = [
    ("=", lambda a, b: a == b),
    ("<>", lambda a, b: a != b),
    ("<", lambda a, b: a < b),
    (">", lambda a, b: a > b),
    ("<=", lambda a, b: a <= b),
    (">=", lambda a, b: a >= b),
]


def _string_compare(name: str, fold: bool) -> Callable[..., Any]:
    """``(string-compare s1 s2 proc< proc= proc>)``: calls one with the mismatch index."""

    def compare(s1: Any, s2: Any, lt: Any, eq: Any, gt: Any, start1: Any = None, end1: Any = None,
                start2: Any = None, end2: Any = None) -> Any:
        t1, t2 = string_arg(s1, name, 1), string_arg(s2, name, 2)
        start1, end1 = bounds(name, len(t1), start1, end1, 6)
        start2, end2 = bounds(name, len(t2), start2, end2, 8)
        a, b = t1[start1:end1], t2[start2:end2]
        if fold:
            a, b = _fold_text(a), _fold_text(b)
        i = 0
        while i < len(a) and i < len(b) and a[i] == b[i]:
            i += 1
        if a == b:
            return eq(start1 + i)
        return (lt if a < b else gt)(start1 + i)

    compare.__name__ = name
    return compare


# ------------------------------------------------------------------ case


def _case_mapper(name: str, fn: Callable[[str], str]) -> Callable[..., str]:
    def mapper(s: Any, start: Any = None, end: Any = None) -> str:
        t = string_arg(s, name, 1)
        start, end = bounds(name, len(t), start, end, 2)
        return t[:start] + "".join(fn(c) for c in t[start:end]) + t[end:]

    mapper.__name__ = name
    return mapper


def _titlecase_text(t: str) -> str:
    out = []
    in_word = False
    for c in t:
        if is_alphabetic(c):
            if in_word:
                out.append(downcase(c))
            else:
                title = c.title()
                out.append(title if len(title) == 1 else upcase(c))
            in_word = True
        else:
            out.append(c)
            in_word = False
    return "".join(out)


def string_titlecase(s: Any, start: Any = None, end: Any = None) -> str:
    t = string_arg(s, "string-titlecase", 1)
    start, end = bounds("string-titlecase", len(t), start, end, 2)
    return t[:start] + _titlecase_text(t[start:end]) + t[end:]


def _case_mutator(name: str, fn: Callable[..., str]) -> Callable[..., Any]:
    def mutate(s: Any, start: Any = None, end: Any = None) -> Any:
        ms = _mutable(name, s)
        ms.chars = list(fn(str(ms), start, end))
        return UNSPECIFIED

    mutate.__name__ = name
    return mutate


_upcase_text = _case_mapper("string-upcase", upcase)
_downcase_text = _case_mapper("string-downcase", downcase)


# ------------------------------------------------------------------ SRFI-13 search


def string_index(s: Any, pred: Any, start: Any = None, end: Any = None) -> Any:
    t = string_arg(s, "string-index", 1)
    test = matcher("string-index", 2, pred)
    start, end = bounds("string-index", len(t), start, end, 3)
    for i in range(start, end):
        if test(t[i]):
            return i
    return False


def string_index_right(s: Any, pred: Any, start: Any = None, end: Any = None) -> Any:
    t = string_arg(s, "string-index-right", 1)
    test = matcher("string-index-right", 2, pred)
    start, end = bounds("string-index-right", len(t), start, end, 3)
    for i in range(end - 1, start - 1, -1):
        if test(t[i]):
            return i
    return False


def string_skip(s: Any, pred: Any, start: Any = None, end: Any = None) -> Any:
    t = string_arg(s, "string-skip", 1)
    test = matcher("string-skip", 2, pred)
    start, end = bounds("string-skip", len(t), start, end, 3)
    for i in range(start, end):
        if not test(t[i]):
            return i
    return False


def string_skip_right(s: Any, pred: Any, start: Any = None, end: Any = None) -> Any:
    t = string_arg(s, "string-skip-right", 1)
    test = matcher("string-skip-right", 2, pred)
    start, end = bounds("string-skip-right", len(t), start, end, 3)
    for i in range(end - 1, start - 1, -1):
        if not test(t[i]):
            return i
    return False


def string_count(s: Any, pred: Any, start: Any = None, end: Any = None) -> int:
    t = string_arg(s, "string-count", 1)
    test = matcher("string-count", 2, pred)
    start, end = bounds("string-count", len(t), start, end, 3)
    return sum(1 for c in t[start:end] if test(c))


def _contains(name: str, fold: bool) -> Callable[..., Any]:
    def contains(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                 start2: Any = None, end2: Any = None) -> Any:
        t1 = string_arg(s1, name, 1)
        t2 = string_arg(s2, name, 2)
        start1, end1 = bounds(name, len(t1), start1, end1, 3)
        start2, end2 = bounds(name, len(t2), start2, end2, 5)
        hay, needle = t1[:end1], t2[start2:end2]
        if fold:
            hay, needle = _fold_text(hay), _fold_text(needle)
        i = hay.find(needle, start1)
        return False if i < 0 else i

    contains.__name__ = name
    return contains


def _affix(name: str, fold: bool, suffix: bool) -> Callable[..., bool]:
    def affix(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
              start2: Any = None, end2: Any = None) -> bool:
        t1 = string_arg(s1, name, 1)
        t2 = string_arg(s2, name, 2)
        start1, end1 = bounds(name, len(t1), start1, end1, 3)
        start2, end2 = bounds(name, len(t2), start2, end2, 5)
        a, b = t1[start1:end1], t2[start2:end2]
        if fold:
            a, b = _fold_text(a), _fold_text(b)
        return b.endswith(a) if suffix else b.startswith(a)

    affix.__name__ = name
    return affix


def string_prefix_length(s1: Any, s2: Any) -> int:
    t1, t2 = string_arg(s1, "string-prefix-length", 1), string_arg(s2, "string-prefix-length", 2)
    n = 0
    for a, b in zip(t1, t2):
        if a != b:
            break
        n += 1
    return n


def string_suffix_length(s1: Any, s2: Any) -> int:
    t1, t2 = string_arg(s1, "string-suffix-length", 1), string_arg(s2, "string-suffix-length", 2)
    n = 0
    for a, b in zip(reversed(t1), reversed(t2)):
        if a != b:
            break
        n += 1
    return n


# ------------------------------------------------------------------ SRFI-13 building


def string_join(lst: Any, delimiter: Any = " ", grammar: Any = None) -> str:
    parts = [string_arg(s, "string-join", 1) for s in list_items("string-join", 1, lst)]
    d = string_arg(delimiter, "string-join", 2)
    g = "infix" if grammar is None else (grammar.name if grammar.__class__ is Symbol else None)
    if g == "infix":
        return d.join(parts)
    if g == "strict-infix":
        if not parts:
            raise scheme_error("strict-infix grammar requires non-empty list", origin="string-join")
        return d.join(parts)
    if g == "suffix":
        return "".join(p + d for p in parts)
    if g == "prefix":
        return "".join(d + p for p in parts)
    raise wrong_type("string-join", 3, grammar)


def string_split(s: Any, delimiter: Any) -> Any:
    t = string_arg(s, "string-split", 1)
    test = matcher("string-split", 2, delimiter)
    parts = []
    current: list[str] = []
    for c in t:
        if test(c):
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
    parts.append("".join(current))
    return from_items(parts)


def string_tokenize(s: Any, token_set: Any = None, start: Any = None, end: Any = None) -> Any:
    t = string_arg(s, "string-tokenize", 1)
    test = CHARSET_GRAPHIC.contains if token_set is None else matcher("string-tokenize", 2, token_set)
    start, end = bounds("string-tokenize", len(t), start, end, 3)
    tokens = []
    current: list[str] = []
    for c in t[start:end]:
        if test(c):
            current.append(c)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return from_items(tokens)


def _trimmer(name: str, left: bool, right: bool) -> Callable[..., str]:
    def trim(s: Any, pred: Any = None, start: Any = None, end: Any = None) -> str:
        t = string_arg(s, name, 1)
        test = is_whitespace if pred is None else matcher(name, 2, pred)
        start, end = bounds(name, len(t), start, end, 3)
        if left:
            while start < end and test(t[start]):
                start += 1
        if right:
            while end > start and test(t[end - 1]):
                end -= 1
        return t[start:end]

    trim.__name__ = name
    return trim


def string_pad(s: Any, n: Any, c: Any = None, start: Any = None, end: Any = None) -> str:
    """Pad on the left; when too long, keep the rightmost characters (Guile/SRFI-13)."""
    t = string_arg(s, "string-pad", 1)
    if n.__class__ is not int or n < 0:
        raise wrong_type("string-pad", 2, n)
    ch = " " if c is None else _char("string-pad", 3, c)
    start, end = bounds("string-pad", len(t), start, end, 4)
    t = t[start:end]
    return t[len(t) - n:] if len(t) >= n else ch * (n - len(t)) + t


def string_pad_right(s: Any, n: Any, c: Any = None, start: Any = None, end: Any = None) -> str:
    t = string_arg(s, "string-pad-right", 1)
    if n.__class__ is not int or n < 0:
        raise wrong_type("string-pad-right", 2, n)
    ch = " " if c is None else _char("string-pad-right", 3, c)
    start, end = bounds("string-pad-right", len(t), start, end, 4)
    t = t[start:end]
    return t[:n] if len(t) >= n else t + ch * (n - len(t))


def string_concatenate(lst: Any) -> str:
    return "".join(string_arg(s, "string-concatenate", 1) for s in list_items("string-concatenate", 1, lst))


def string_concatenate_reverse(lst: Any, final: Any = None, end: Any = None) -> str:
    parts = [string_arg(s, "string-concatenate-reverse", 1)
             for s in list_items("string-concatenate-reverse", 1, lst)]
    tail = "" if final is None else string_arg(final, "string-concatenate-reverse", 2)
    if end is not None:
        _, end = bounds("string-concatenate-reverse", len(tail), 0, end, 2)
        tail = tail[:end]
    return "".join(reversed(parts)) + tail


def _pred_and_string(name: str, a: Any, b: Any) -> tuple[Callable[[str], bool], str]:
    """Guile takes ``(string-filter pred s)``; the older ``(s pred)`` order is accepted too."""
    if is_string(a) and not is_string(b):
        a, b = b, a
    return matcher(name, 1, a), string_arg(b, name, 2)


def string_filter(pred: Any, s: Any, start: Any = None, end: Any = None) -> str:
    test, t = _pred_and_string("string-filter", pred, s)
    start, end = bounds("string-filter", len(t), start, end, 3)
    return "".join(c for c in t[start:end] if test(c))


def string_delete(pred: Any, s: Any, start: Any = None, end: Any = None) -> str:
    test, t = _pred_and_string("string-delete", pred, s)
    start, end = bounds("string-delete", len(t), start, end, 3)
    return "".join(c for c in t[start:end] if not test(c))


def string_reverse(s: Any, start: Any = None, end: Any = None) -> str:
    t = string_arg(s, "string-reverse", 1)
    start, end = bounds("string-reverse", len(t), start, end, 2)
    return t[start:end][::-1]


def string_take(s: Any, n: Any) -> str:
    t = string_arg(s, "string-take", 1)
    _, n = bounds("string-take", len(t), 0, n, 1)
    return t[:n]


def string_drop(s: Any, n: Any) -> str:
    t = string_arg(s, "string-drop", 1)
    _, n = bounds("string-drop", len(t), 0, n, 1)
    return t[n:]


def string_take_right(s: Any, n: Any) -> str:
    t = string_arg(s, "string-take-right", 1)
    _, n = bounds("string-take-right", len(t), 0, n, 1)
    return t[len(t) - n:]


def string_drop_right(s: Any, n: Any) -> str:
    t = string_arg(s, "string-drop-right", 1)
    _, n = bounds("string-drop-right", len(t), 0, n, 1)
    return t[:len(t) - n]


def string_replace(s1: Any, s2: Any, start1: Any = None, end1: Any = None,
                   start2: Any = None, end2: Any = None) -> str:
    t1 = string_arg(s1, "string-replace", 1)
    t2 = string_arg(s2, "string-replace", 2)
    start1, end1 = bounds("string-replace", len(t1), start1, end1, 3)
    start2, end2 = bounds("string-replace", len(t2), start2, end2, 5)
    return t1[:start1] + t2[start2:end2] + t1[end1:]


def string_replace_substring(s: Any, pattern: Any, replacement: Any) -> str:
    t = string_arg(s, "string-replace-substring", 1)
    p = string_arg(pattern, "string-replace-substring", 2)
    r = string_arg(replacement, "string-replace-substring", 3)
    if not p:
        return t
    return t.replace(p, r)


# ------------------------------------------------------------------ higher order


def _one_string(name: str, s: Any, more: tuple) -> tuple[str, int, int]:
    """SRFI-13 form ``s [start end]`` (R7RS passes several strings instead)."""
    t = string_arg(s, name, 2)
    start = more[0] if len(more) > 0 else None
    end = more[1] if len(more) > 1 else None
    start, end = bounds(name, len(t), start, end, 3)
    return t, start, end


def string_map(proc: Any, s: Any, *more: Any) -> str:
    check_proc("string-map", proc)
    if more and all(is_string(x) for x in more):
        texts = [string_arg(x, "string-map", i) for i, x in enumerate((s, *more), 2)]
        return "".join(_char("string-map", 1, proc(*map(Char, cs))) for cs in zip(*texts))
    t, start, end = _one_string("string-map", s, more)
    return "".join(_char("string-map", 1, proc(Char(c))) for c in t[start:end])


def string_for_each(proc: Any, s: Any, *more: Any) -> Any:
    check_proc("string-for-each", proc)
    if more and all(is_string(x) for x in more):
        texts = [string_arg(x, "string-for-each", i) for i, x in enumerate((s, *more), 2)]
        for cs in zip(*texts):
            proc(*map(Char, cs))
        return UNSPECIFIED
    t, start, end = _one_string("string-for-each", s, more)
    for c in t[start:end]:
        proc(Char(c))
    return UNSPECIFIED


def string_fold(kons: Any, knil: Any, s: Any, start: Any = None, end: Any = None) -> Any:
    check_proc("string-fold", kons)
    t = string_arg(s, "string-fold", 3)
    start, end = bounds("string-fold", len(t), start, end, 4)
    acc = knil
    for c in t[start:end]:
        acc = kons(Char(c), acc)
    return acc


def string_fold_right(kons: Any, knil: Any, s: Any, start: Any = None, end: Any = None) -> Any:
    check_proc("string-fold-right", kons)
    t = string_arg(s, "string-fold-right", 3)
    start, end = bounds("string-fold-right", len(t), start, end, 4)
    acc = knil
    for c in reversed(t[start:end]):
        acc = kons(Char(c), acc)
    return acc


def string_any(pred: Any, s: Any, start: Any = None, end: Any = None) -> Any:
    t = string_arg(s, "string-any", 2)
    start, end = bounds("string-any", len(t), start, end, 3)
    if pred.__class__ is Char or pred.__class__ is CharSet:
        test = matcher("string-any", 1, pred)
        return any(test(c) for c in t[start:end])
    check_proc("string-any", pred)
    for c in t[start:end]:
        r = pred(Char(c))
        if r is not False:
            return r
    return False


def string_every(pred: Any, s: Any, start: Any = None, end: Any = None) -> Any:
    t = string_arg(s, "string-every", 2)
    start, end = bounds("string-every", len(t), start, end, 3)
    if pred.__class__ is Char or pred.__class__ is CharSet:
        test = matcher("string-every", 1, pred)
        return all(test(c) for c in t[start:end])
    check_proc("string-every", pred)
    r: Any = True
    for c in t[start:end]:
        r = pred(Char(c))
        if r is False:
            return False
    return r


def string_hash(s: Any, bound: Any = None, start: Any = None, end: Any = None) -> int:
    """A stable (FNV-1a) hash: Python's own str hash changes between runs."""
    t = string_arg(s, "string-hash", 1)
    start, end = bounds("string-hash", len(t), start, end, 3)
    h = 0xCBF29CE484222325
    for b in t[start:end].encode("utf-8", "surrogatepass"):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    h &= 0x0FFFFFFFFFFFFFFF
    if bound is not None:
        if bound.__class__ is not int or bound <= 0:
            raise wrong_type("string-hash", 2, bound)
        return h % bound
    return h


def string_hash_ci(s: Any, bound: Any = None, start: Any = None, end: Any = None) -> int:
    return string_hash(_fold_text(string_arg(s, "string-hash-ci", 1)), bound, start, end)


PRIMITIVES: dict[str, Any] = {
    "string?": is_string,
    "make-string": make_string,
    "string": string,
    "string-length": string_length,
    "string-ref": string_ref,
    "string-set!": string_set,
    "substring": substring,
    "substring/shared": substring,
    "substring/copy": substring,
    "string-append": string_append,
    "string-copy": string_copy,
    "string->list": string_to_list,
    "list->string": list_to_string,
    "reverse-list->string": reverse_list_to_string,
    "string-fill!": string_fill,
    "string-copy!": string_copy_bang,
    "string-null?": string_null_p,
    "string-tabulate": string_tabulate,
    **{f"string{suffix}": _comparison(f"string{suffix}", lambda t: t, test) for suffix, test in _ORDERS},
    **{f"string-ci{suffix}": _comparison(f"string-ci{suffix}", _fold_text, test) for suffix, test in _ORDERS},
    **{f"string{op}": _srfi13_comparison(f"string{op}", False, test) for op, test in _SRFI13_ORDERS},
    **{f"string-ci{op}": _srfi13_comparison(f"string-ci{op}", True, test) for op, test in _SRFI13_ORDERS},
    "string-compare": _string_compare("string-compare", False),
    "string-compare-ci": _string_compare("string-compare-ci", True),
    "string-upcase": _upcase_text,
    "string-downcase": _downcase_text,
    "string-foldcase": _case_mapper("string-foldcase", foldcase),
    "string-titlecase": string_titlecase,
    "string-capitalize": string_titlecase,
    "string-upcase!": _case_mutator("string-upcase!", _upcase_text),
    "string-downcase!": _case_mutator("string-downcase!", _downcase_text),
    "string-index": string_index,
    "string-rindex": string_index_right,
    "string-index-right": string_index_right,
    "string-skip": string_skip,
    "string-skip-right": string_skip_right,
    "string-count": string_count,
    "string-contains": _contains("string-contains", False),
    "string-contains-ci": _contains("string-contains-ci", True),
    "string-prefix?": _affix("string-prefix?", False, False),
    "string-suffix?": _affix("string-suffix?", False, True),
    "string-prefix-ci?": _affix("string-prefix-ci?", True, False),
    "string-suffix-ci?": _affix("string-suffix-ci?", True, True),
    "string-prefix-length": string_prefix_length,
    "string-suffix-length": string_suffix_length,
    "string-join": string_join,
    "string-split": string_split,
    "string-tokenize": string_tokenize,
    "string-trim": _trimmer("string-trim", True, False),
    "string-trim-right": _trimmer("string-trim-right", False, True),
    "string-trim-both": _trimmer("string-trim-both", True, True),
    "string-pad": string_pad,
    "string-pad-right": string_pad_right,
    "string-concatenate": string_concatenate,
    "string-concatenate-reverse": string_concatenate_reverse,
    "string-filter": string_filter,
    "string-delete": string_delete,
    "string-reverse": string_reverse,
    "string-take": string_take,
    "string-drop": string_drop,
    "string-take-right": string_take_right,
    "string-drop-right": string_drop_right,
    "string-replace": string_replace,
    "string-replace-substring": string_replace_substring,
    "string-map": string_map,
    "string-for-each": string_for_each,
    "string-fold": string_fold,
    "string-fold-right": string_fold_right,
    "string-any": string_any,
    "string-every": string_every,
    "string-hash": string_hash,
    "string-hash-ci": string_hash_ci,
    # SRFI-14 (minimal)
    "char-set": char_set,
    "char-set?": char_set_p,
    "char-set-contains?": char_set_contains_p,
    "char-set-complement": char_set_complement,
    "char-set-union": char_set_union,
    "char-set-intersection": char_set_intersection,
    "char-set-difference": char_set_difference,
    "char-set-adjoin": char_set_adjoin,
    "list->char-set": list_to_char_set,
    "string->char-set": string_to_char_set,
    "char-set->list": char_set_to_list,
    **_NAMED_CHARSETS,
}

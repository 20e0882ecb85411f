"""Scheme data as Python values.

The mapping is chosen so that the common case costs nothing:

=================  ==========================================
Scheme             Python
=================  ==========================================
#t / #f            True / False
exact integer      int          (never bool: see ``is_number``)
exact rational     fractions.Fraction
inexact real       float;  complex numbers: complex
string             str (immutable literal) or MString (mutable)
symbol             Symbol (interned)
keyword            Keyword (interned)
character          Char (interned)
pair / '()         Pair / NIL
vector             list
bytevector         bytearray
unspecified        UNSPECIFIED
end of file        EOF_OBJECT
multiple values    Values (only from ``values``)
procedure          any Python callable (closures are ``Closure``)
=================  ==========================================

Every pair read from a file carries ``loc``: a ``SourceLocation``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction
from typing import Any


class SourceLocation:
    """Where a datum starts: line counted from 1, column from 0 (Guile's convention).
    Immutable and hashable; written out rather than made with ``dataclasses``, whose import
    (with ``inspect``) costs more than a third of a quick ``schemy eval``'s start."""

    __slots__ = ("filename", "line", "column")
    __match_args__ = ("filename", "line", "column")

    filename: str
    line: int
    column: int

    def __init__(self, filename: str, line: int, column: int) -> None:
        _set = object.__setattr__
        _set(self, "filename", filename)
        _set(self, "line", line)
        _set(self, "column", column)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a SourceLocation is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a SourceLocation is immutable")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not SourceLocation:
            return NotImplemented
        return (self.filename, self.line, self.column) == (other.filename, other.line,  # type: ignore[attr-defined]
                                                           other.column)  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.filename, self.line, self.column))

    def __repr__(self) -> str:
        return f"SourceLocation(filename={self.filename!r}, line={self.line!r}, column={self.column!r})"

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.column}"

    def __reduce__(self) -> tuple:
        # Pickled as a constructor call (loading a cache rebuilds thousands of these).
        return (SourceLocation, (self.filename, self.line, self.column))


class _Interned:
    """A value class where equal keys give the same object, so Scheme compares them with
    ``is`` (``eq?``).  Subclasses name the attribute holding the key in ``_key``."""

    __slots__ = ()
    _table: dict[str, _Interned]
    _key: str

    def __new__(cls, key: str) -> _Interned:
        try:
            return cls._table[key]
        except KeyError:
            self = object.__new__(cls)
            object.__setattr__(self, cls._key, key)
            cls._table[key] = self
            return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}({getattr(self, self._key)!r})"

    def __reduce__(self) -> tuple:
        return (type(self), (getattr(self, self._key),))


class Symbol(_Interned):
    """An interned symbol: two symbols with the same name are the same object."""

    __slots__ = ("name", "__weakref__")
    _table: dict[str, Symbol] = {}
    _key = "name"

    def __str__(self) -> str:
        return self.name


class Keyword(_Interned):
    """An interned keyword such as ``#:key``; ``name`` excludes the ``#:``."""

    __slots__ = ("name",)
    _table: dict[str, Keyword] = {}
    _key = "name"


class Char(_Interned):
    """An interned character; ``ch`` is a one-character Python string."""

    __slots__ = ("ch",)
    _table: dict[str, Char] = {}
    _key = "ch"


class MString:
    """A mutable Scheme string (``make-string``, ``string-copy``...).

    Literals and most procedure results are plain ``str``; every string
    procedure accepts both.  ``str(ms)`` gives the current text.
    """

    __slots__ = ("chars",)

    def __init__(self, text: str = "") -> None:
        self.chars = list(text)

    def __str__(self) -> str:
        return "".join(self.chars)

    def __repr__(self) -> str:
        return f"MString({str(self)!r})"

    def __len__(self) -> int:
        return len(self.chars)


class _Nil:
    """The empty list.  Truthy, as in Scheme: only #f is false."""

    __slots__ = ()
    _instance: _Nil | None = None

    def __new__(cls) -> _Nil:
        if cls._instance is None:
            cls._instance = object.__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NIL"

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __reduce__(self):
        return (_Nil, ())


NIL = _Nil()


class Pair:
    """A cons cell.  ``loc`` is the source location when read from text.

    Made by ``make_pair(car, cdr, loc)``, never ``Pair(car, cdr)``: the class has no
    ``__init__``, so ``Pair()`` followed by three slot stores is the cheapest way CPython has
    to make one (no Python frame for ``__init__``, no argument tuple for ``object.__new__``):
    a chain of 1e5 pairs is built in ~70 % of the time ``Pair(car, cdr)`` with an ``__init__``
    took, and ``make_pair``, a plain function, is itself faster than calling that class
    (notes/performance.md, 2026-12-04, perf3)."""

    __slots__ = ("car", "cdr", "loc")

    def __iter__(self) -> Iterator[Any]:
        """Iterate over the elements of a proper (or the head of an improper) list."""
        x: Any = self
        while x.__class__ is Pair:
            yield x.car
            x = x.cdr

    def __repr__(self) -> str:
        return f"<Pair {WRITER[0](self)}>"


def make_pair(car: Any, cdr: Any, loc: SourceLocation | None = None, _new: Any = Pair) -> Pair:
    """A fresh pair (see ``Pair``)."""
    p = _new()
    p.car = car
    p.cdr = cdr
    p.loc = loc
    return p


class _Singleton:
    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return self.label


UNSPECIFIED = _Singleton("#<unspecified>")
EOF_OBJECT = _Singleton("#<eof>")
# Marks an optional argument that was not supplied (Guile's #<undefined>).
UNDEFINED = _Singleton("#<undefined>")


class Values(tuple):
    """Several return values, as produced by ``values`` with a count other than 1."""

    __slots__ = ()


# ---------------------------------------------------------------- list helpers


def make_list(items: Iterable[Any], tail: Any = NIL) -> Any:
    """Build a Scheme list from a Python iterable (optionally with an improper tail)."""
    result = tail
    for item in reversed(list(items)):
        result = make_pair(item, result)
    return result


def list_to_python(x: Any) -> list[Any]:
    """The elements of a proper Scheme list; raises ValueError for an improper one."""
    out = []
    while x.__class__ is Pair:
        out.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise ValueError("improper list")
    return out


def is_list(x: Any) -> bool:
    """True for a proper, finite list (cycle-safe)."""
    slow = x
    while True:
        if x is NIL:
            return True
        if x.__class__ is not Pair:
            return False
        x = x.cdr
        if x is NIL:
            return True
        if x.__class__ is not Pair:
            return False
        x = x.cdr
        slow = slow.cdr
        if x is slow:
            return False


def is_number(x: Any) -> bool:
    cls = x.__class__
    return cls is int or cls is float or cls is Fraction or cls is complex


def is_string(x: Any) -> bool:
    cls = x.__class__
    return cls is str or cls is MString


def to_str(x: Any) -> str:
    """The text of a Scheme string (``str`` or ``MString``)."""
    return x if x.__class__ is str else str(x)


def sym(name: str) -> Symbol:
    return Symbol(name)


_gensym_counter = 0


def gensym(prefix: str = " g") -> Symbol:
    """A fresh uninterned-looking symbol (Guile names them `` g123``)."""
    global _gensym_counter
    _gensym_counter += 1
    name = f"{prefix}{_gensym_counter}"
    while name in Symbol._table:
        _gensym_counter += 1
        name = f"{prefix}{_gensym_counter}"
    return Symbol(name)


def _plain_writer(obj: Any) -> str:
    return repr(obj) if obj.__class__ is not Pair else f"({_plain_writer(obj.car)} . {_plain_writer(obj.cdr)})"


# How ``repr`` shows a pair (for debugging Python code): schemy.lang.printer installs Guile's
# ``write`` here when it is imported; until then pairs show as dotted pairs.
WRITER: list[Any] = [_plain_writer]

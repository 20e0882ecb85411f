"""A cache of parsed files, so unchanged library modules are not re-parsed every run.

Entries live under ``$XDG_CACHE_HOME/schemy/read`` (default ``~/.cache``), named by a
hash of the file's text, its name and schemy's version.  They are written to a
temporary file and renamed into place, so concurrent runs never see half an entry.

An entry is data, never code: the forms are encoded as nested lists (tagged lists for
symbols, pairs, characters...) stored with ``marshal`` and decoded by ``decode``, which
builds only the reader's own datum types and rejects anything else.  (A pickle would let
whoever can write the cache run code, and so switch the sandbox off; ``marshal`` only
builds values, several times faster than JSON.)  Entries carry a checksum, verified before
anything is unmarshalled, and live in a directory private to the user
(schemy.compile.cache_files); an entry that is corrupt, foreign or malformed is ignored
and rewritten.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

from schemy.compile.cache_files import blake2b, private_dir, read_entry, write_entry
from schemy.lang.datum import (
    EOF_OBJECT,
    NIL,
    UNDEFINED,
    UNSPECIFIED,
    Char,
    Keyword,
    MString,
    Pair,
    SourceLocation,
    Symbol,
    make_pair,
)
from schemy.lang.resources import VERSION as __version__

_FORMAT = 4  # 4: marshal, encoded for speed (3: JSON, before: a pickle)


def cache_dir() -> Path | None:
    if os.environ.get("SCHEMY_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schemy" / "read"


def _key(text: str, filename: str) -> str:
    h = blake2b(digest_size=20)
    h.update(f"{_FORMAT}\0{__version__}\0{filename}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:40]


# ---------------------------------------------------------------- encoding

_SINGLETONS = {"unspecified": UNSPECIFIED, "eof": EOF_OBJECT, "undefined": UNDEFINED}
_SINGLETON_NAMES = {id(v): k for k, v in _SINGLETONS.items()}


class _Malformed(ValueError):
    pass


# The encoding, chosen for decoding speed (every warm run decodes ~1 MB of library code):
#   str, int, float, bool, None   themselves
#   (name,)                       the symbol NAME
#   ()                            the empty list
#   [tail, car1, line1, column1, car2, line2, column2, ...]
#                                 a chain of pairs read from this file (each with its position)
#   ("p", cars, locations, tail)  a chain where some pair has no position or another file's
#   ("k", name), ("c", char), ("b", bytes), ("f", num, den), ("z", re, im), ("v", items),
#   ("m", text), ("u", name)      keyword, character, bytevector, fraction, complex, vector,
#                                 mutable string, unique object


def encode(forms: list[Any], filename: str) -> Any:
    """The forms as nested plain values (TypeError for a datum the format does not know)."""

    def enc(x: Any) -> Any:
        if x is True or x is False or x is None:
            return x
        t = type(x)
        if t is str or t is int or t is float:
            return x
        if t is Symbol:
            return (x.name,)
        if x is NIL:
            return ()
        if t is Pair:
            chain = []
            while type(x) is Pair:
                chain.append(x)
                x = x.cdr
            if all(p.loc is not None and p.loc.filename == filename for p in chain):
                out = [enc(x)]
                for p in chain:
                    out += (enc(p.car), p.loc.line, p.loc.column)
                return out
            locs = [None if p.loc is None else (p.loc.line, p.loc.column, p.loc.filename) for p in chain]
            return ("p", [enc(p.car) for p in chain], locs, enc(x))
        if t is Keyword:
            return ("k", x.name)
        if t is Char:
            return ("c", x.ch)
        if t is bytearray:
            return ("b", bytes(x))
        if t is Fraction:
            return ("f", x.numerator, x.denominator)
        if t is complex:
            return ("z", x.real, x.imag)
        if t is list:
            return ("v", [enc(y) for y in x])
        if t is MString:
            return ("m", str(x))
        if id(x) in _SINGLETON_NAMES:
            return ("u", _SINGLETON_NAMES[id(x)])
        raise TypeError(f"no cache encoding for {t.__name__}")

    return [enc(f) for f in forms]


def decoder(filename: str) -> Any:
    """The function that decodes one form encoded by ``encode`` (``_Malformed`` for anything
    else: only the reader's own datum types are ever built)."""

    def dec(x: Any) -> Any:
        t = type(x)
        if t is list:
            n = len(x)
            if n < 4 or (n - 1) % 3:
                raise _Malformed("pair chain")
            result = dec(x[0])
            i = n - 3
            while i > 0:
                line = x[i + 1]
                column = x[i + 2]
                if type(line) is not int or type(column) is not int:
                    raise _Malformed("position")
                result = make_pair(dec(x[i]), result, SourceLocation(filename, line, column))
                i -= 3
            return result
        if t is tuple:
            n = len(x)
            if n == 1:
                if type(x[0]) is not str:
                    raise _Malformed("symbol")
                return Symbol(x[0])
            if n == 0:
                return NIL
            return tagged(x, n)
        if t is str or t is int or t is float or t is bool or x is None:
            return x
        raise _Malformed(f"datum of type {t.__name__}")

    def loc(v: Any) -> SourceLocation | None:
        if v is None:
            return None
        if type(v) is tuple and len(v) == 3 and type(v[0]) is int and type(v[1]) is int and type(v[2]) is str:
            return SourceLocation(v[2], v[0], v[1])
        raise _Malformed("location")

    def tagged(x: tuple, n: int) -> Any:
        tag = x[0]
        if tag == "p" and n == 4 and type(x[1]) is list and type(x[2]) is list and len(x[1]) == len(x[2]):
            result = dec(x[3])
            for car, where in zip(reversed(x[1]), reversed(x[2])):
                result = make_pair(dec(car), result, loc(where))
            return result
        if tag == "k" and n == 2 and type(x[1]) is str:
            return Keyword(x[1])
        if tag == "c" and n == 2 and type(x[1]) is str and len(x[1]) == 1:
            return Char(x[1])
        if tag == "b" and n == 2 and type(x[1]) is bytes:
            return bytearray(x[1])
        if tag == "f" and n == 3 and type(x[1]) is int and type(x[2]) is int and x[2] > 0:
            return Fraction(x[1], x[2])
        if tag == "z" and n == 3 and type(x[1]) in (int, float) and type(x[2]) in (int, float):
            return complex(x[1], x[2])
        if tag == "v" and n == 2 and type(x[1]) is list:
            return [dec(y) for y in x[1]]
        if tag == "m" and n == 2 and type(x[1]) is str:
            return MString(x[1])
        if tag == "u" and n == 2 and x[1] in _SINGLETONS:
            return _SINGLETONS[x[1]]
        raise _Malformed(f"tag {tag!r}")

    return dec


def decode(data: Any, filename: str) -> list[Any]:
    """The forms encoded by ``encode``; ``_Malformed`` for anything else."""
    if type(data) is not list:
        raise _Malformed("not a list of forms")
    dec = decoder(filename)
    return [dec(f) for f in data]


# ---------------------------------------------------------------- the cache


def cached_read(text: str, filename: str) -> list[Any]:
    """``schemy.lang.reader.read(text, filename)``, answered from the cache when possible."""
    return _cached_read(text, filename, first_only=False)


def cached_read_first(text: str, filename: str) -> Any:
    """The first form of ``text`` (``EOF_OBJECT`` if none), answered from the cache when
    possible without decoding the others (a module's ``define-module`` form)."""
    return _cached_read(text, filename, first_only=True)


def _cached_read(text: str, filename: str, first_only: bool) -> Any:
    directory = cache_dir()
    if directory is None or _read_options_on():  # read options change what text means: not cached
        forms = _read(text, filename)
    else:
        path = directory / (_key(text, filename) + ".data")
        if private_dir(directory, create=False) is not None:
            payload = read_entry(path)
            if payload is not None:
                try:
                    data = marshal.loads(payload)
                    if first_only and type(data) is list:
                        return decoder(filename)(data[0]) if data else EOF_OBJECT
                    return decode(data, filename)
                except (ValueError, EOFError, TypeError, RecursionError):  # malformed: rebuilt below
                    pass
        forms = _read(text, filename)
        if "#" not in text or not _DATUM_LABEL.search(text):  # shared or cyclic data: not encodable
            _store(path, forms, filename)
    if first_only:
        return forms[0] if forms else EOF_OBJECT
    return forms


_DATUM_LABEL = re.compile(r"#[0-9]+=")


def _read_options_on() -> bool:
    """Whether a read option (r7rs-symbols, escapes...) is on: the reader holds them, and a run
    that never imported the reader cannot have set one."""
    reader = sys.modules.get("schemy.lang.reader")
    return reader is not None and bool(reader.OPTIONS)


def _read(text: str, filename: str) -> list[Any]:
    from schemy.lang.reader import read  # only on a miss: a warm run never imports the reader

    return read(text, filename)


def _store(path: Path, forms: list[Any], filename: str) -> None:
    from schemy.runtime import sandbox

    if sandbox.ACTIVE:  # a sandboxed run writes nothing, not even the cache
        return
    try:
        payload = marshal.dumps(encode(forms, filename))
    except (TypeError, ValueError, RecursionError):
        return
    write_entry(path, payload)

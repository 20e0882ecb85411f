"""A cache of parsed files, so unchanged library modules are not re-parsed every run.

Entries live under ``$XDG_CACHE_HOME/schemy/read`` (default ``~/.cache``), named by a
hash of the file's text, its name and schemy's version.  They are written to a
temporary file and renamed into place, so concurrent runs never see half an entry.

An entry is data, never code: the forms are encoded as JSON (tagged lists for symbols,
pairs, characters...) and decoded by ``decode``, which builds only the reader's own
datum types and rejects anything else.  (A pickle would let whoever can write the cache
run code, and so switch the sandbox off.)  Entries carry a checksum and live in a
directory private to the user (schemy.compile.cache_files); an entry that is corrupt,
foreign or malformed is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
from fractions import Fraction
from pathlib import Path
from typing import Any

from schemy.compile.cache_files import private_dir, read_entry, write_entry
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
)
from schemy.lang.resources import VERSION as __version__

_FORMAT = 3  # 3: JSON data, checksummed (was a pickle)


def cache_dir() -> Path | None:
    if os.environ.get("SCHEMY_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schemy" / "read"


def _key(text: str, filename: str) -> str:
    h = hashlib.sha256()
    h.update(f"{_FORMAT}\0{__version__}\0{filename}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:40]


# ---------------------------------------------------------------- encoding

_SINGLETONS = {"unspecified": UNSPECIFIED, "eof": EOF_OBJECT, "undefined": UNDEFINED}
_SINGLETON_NAMES = {id(v): k for k, v in _SINGLETONS.items()}


class _Malformed(ValueError):
    pass


def encode(forms: list[Any], filename: str) -> Any:
    """The forms as JSON-able data (TypeError for a datum the format does not know)."""

    def loc_of(p: Pair) -> Any:
        loc = p.loc
        if loc is None:
            return None
        if loc.filename == filename:
            return [loc.line, loc.column]
        return [loc.line, loc.column, loc.filename]

    def enc(x: Any) -> Any:
        if x is True or x is False or x is None:
            return x
        t = type(x)
        if t is str:
            return x
        if t is int or t is float:
            return x
        if t is Symbol:
            return ["s", x.name]
        if x is NIL:
            return ["n"]
        if t is Pair:
            cars, locs = [], []
            while type(x) is Pair:
                cars.append(enc(x.car))
                locs.append(loc_of(x))
                x = x.cdr
            return ["p", cars, locs, enc(x)]
        if t is Keyword:
            return ["k", x.name]
        if t is Char:
            return ["c", x.ch]
        if t is bytearray:
            return ["b", x.hex()]
        if t is Fraction:
            return ["f", x.numerator, x.denominator]
        if t is complex:
            return ["z", x.real, x.imag]
        if t is list:
            return ["v", [enc(y) for y in x]]
        if t is MString:
            return ["m", str(x)]
        if id(x) in _SINGLETON_NAMES:
            return ["u", _SINGLETON_NAMES[id(x)]]
        raise TypeError(f"no cache encoding for {t.__name__}")

    return [enc(f) for f in forms]


def decode(data: Any, filename: str) -> list[Any]:
    """The forms encoded by ``encode``; ``_Malformed`` for anything else."""

    def loc(v: Any) -> SourceLocation | None:
        if v is None:
            return None
        if type(v) is list and len(v) in (2, 3) and type(v[0]) is int and type(v[1]) is int:
            name = v[2] if len(v) == 3 else filename
            if type(name) is str:
                return SourceLocation(name, v[0], v[1])
        raise _Malformed("location")

    def dec(x: Any) -> Any:
        t = type(x)
        if t is str or t is int or t is float or t is bool or x is None:
            return x
        if t is not list or not x or type(x[0]) is not str:
            raise _Malformed("datum")
        tag = x[0]
        n = len(x)
        if tag == "s" and n == 2 and type(x[1]) is str:
            return Symbol(x[1])
        if tag == "p" and n == 4 and type(x[1]) is list and type(x[2]) is list and len(x[1]) == len(x[2]):
            result = dec(x[3])
            for car, where in zip(reversed(x[1]), reversed(x[2])):
                result = Pair(dec(car), result, loc(where))
            return result
        if tag == "n" and n == 1:
            return NIL
        if tag == "k" and n == 2 and type(x[1]) is str:
            return Keyword(x[1])
        if tag == "c" and n == 2 and type(x[1]) is str and len(x[1]) == 1:
            return Char(x[1])
        if tag == "b" and n == 2 and type(x[1]) is str:
            return bytearray.fromhex(x[1])
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

    if type(data) is not list:
        raise _Malformed("not a list of forms")
    return [dec(f) for f in data]


# ---------------------------------------------------------------- the cache


def cached_read(text: str, filename: str) -> list[Any]:
    """``schemy.lang.reader.read(text, filename)``, answered from the cache when possible."""
    from schemy.lang.reader import OPTIONS, read

    directory = cache_dir()
    if directory is None or OPTIONS:  # read options change what text means: not cached
        return read(text, filename)
    path = directory / (_key(text, filename) + ".json")
    if private_dir(directory, create=False) is not None:
        payload = read_entry(path)
        if payload is not None:
            try:
                return decode(json.loads(payload), filename)
            except (ValueError, RecursionError):  # malformed: rebuilt below
                pass
    forms = read(text, filename)
    from schemy.runtime import sandbox

    if sandbox.ACTIVE:  # a sandboxed run writes nothing, not even the cache
        return forms
    try:
        payload = json.dumps(encode(forms, filename), separators=(",", ":")).encode()
    except (TypeError, ValueError, RecursionError):
        return forms
    write_entry(path, payload)
    return forms

"""Hash tables: Guile's native API (``hash-ref``, ``hashq-set!``...) and SRFI-69.

As in Guile, the native procedures pick the equivalence per call (``hash-ref``
uses ``equal?``, ``hashq-ref`` uses ``eq?``) while the SRFI-69 procedures use
the equivalence the table was made with.  Entries are stored as live pairs
``(key . value)``, so ``hash-get-handle`` returns a handle whose ``set-cdr!``
updates the table, as in Guile.

Python dicts need hashable keys, so every key is mapped to a *token*: exact
numbers, floats and (for ``equal?``) strings, pairs, vectors and bytevectors
get value tokens; everything else is identified by ``id()``, which is safe
because the entry keeps its key alive.  Tables built with any other
equivalence procedure fall back to a linear search.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from schemy.lang.datum import UNSPECIFIED, MString, Pair, make_pair
from schemy.lang.errors import scheme_error, wrong_type
from schemy.runtime.primitives import equality
from schemy.runtime.primitives.lists import check_proc, from_items, list_items
from schemy.runtime.primitives.strings import string_hash

EQ, EQV, EQUAL, CUSTOM = "eq", "eqv", "equal", "custom"


# ------------------------------------------------------------------ key tokens


def _float_token(x: float) -> Any:
    if x != x:
        return (float, "nan")
    return (float, x, math.copysign(1.0, x))


def key_eq(x: Any) -> Any:
    return (int, x) if x.__class__ is int else id(x)


def key_eqv(x: Any) -> Any:
    cls = x.__class__
    if cls is int or cls is Fraction:
        return (cls, x)
    if cls is float:
        return _float_token(x)
    if cls is complex:
        return (complex, _float_token(x.real), _float_token(x.imag))
    return id(x)


def key_equal(x: Any) -> Any:
    """A structural token: equal? keys get equal tokens."""
    cls = x.__class__
    if cls is str:
        return (str, x)
    if cls is MString:
        return (str, str(x))
    if cls is Pair:
        items = []
        while x.__class__ is Pair:
            items.append(key_equal(x.car))
            x = x.cdr
        return (Pair, tuple(items), key_equal(x))
    if cls is list:
        return (list, tuple(key_equal(v) for v in x))
    if cls is bytearray:
        return (bytearray, bytes(x))
    return key_eqv(x)


_KEY_FUNCTIONS = {EQ: key_eq, EQV: key_eqv, EQUAL: key_equal}


# ------------------------------------------------------------------ the table

_CAPACITIES = (31, 61, 113, 223, 443, 883, 1759, 3517, 7027, 14051, 28099, 56197, 112363, 224717,
               449419, 898823, 1797641, 3595271, 7190537)


class HashTable:
    """A mutable hash table; ``kind`` is the equivalence the SRFI-69 procedures use."""

    __slots__ = ("kind", "entries", "equiv", "hash_fn", "size_hint", "weak")

    def __init__(self, kind: str = EQUAL, equiv: Any = None, hash_fn: Any = None, size_hint: int = 0,
                 weak: Any = False) -> None:
        self.kind = kind
        self.entries: dict[Any, Pair] = {}
        self.equiv = equiv
        self.hash_fn = hash_fn
        self.size_hint = size_hint
        self.weak = weak

    # Custom-equivalence tables key their dict by insertion counter and search linearly.
    def _find_custom(self, key: Any) -> Any:
        for token, entry in self.entries.items():
            if self.equiv(key, entry.car) is not False:
                return token
        return None

    def _token(self, key: Any, kind: str | None) -> Any:
        kind = kind or self.kind
        if kind == CUSTOM:
            return self._find_custom(key)
        return _KEY_FUNCTIONS[kind](key)

    def get(self, key: Any, kind: str | None = None) -> Pair | None:
        token = self._token(key, kind)
        return None if token is None else self.entries.get(token)

    def handle(self, key: Any, default: Any, kind: str | None = None) -> Pair:
        """The entry for key, created with ``default`` if missing."""
        token = self._token(key, kind)
        entry = None if token is None else self.entries.get(token)
        if entry is None:
            entry = make_pair(key, default)
            self.entries[token if token is not None else ("custom", id(entry))] = entry
        return entry

    def put(self, key: Any, value: Any, kind: str | None = None) -> None:
        self.handle(key, value, kind).cdr = value

    def remove(self, key: Any, kind: str | None = None) -> Pair | None:
        token = self._token(key, kind)
        return None if token is None else self.entries.pop(token, None)

    def pairs(self) -> list[Pair]:
        """A snapshot, so procedures may mutate the table while we walk it."""
        return list(self.entries.values())

    def copy(self) -> HashTable:
        new = HashTable(self.kind, self.equiv, self.hash_fn, self.size_hint, self.weak)
        new.entries = {token: make_pair(e.car, e.cdr) for token, e in self.entries.items()}
        return new

    def capacity(self) -> int:
        wanted = max(self.size_hint, len(self.entries))
        for c in _CAPACITIES:
            if c >= wanted:
                return c
        return _CAPACITIES[-1]

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<hash-table {id(self):x} {len(self.entries)}/{self.capacity()}>"

    def __len__(self) -> int:
        return len(self.entries)


def _table(name: str, pos: int, t: Any) -> HashTable:
    if t.__class__ is not HashTable:
        raise wrong_type(name, pos, t, "hash-table")
    return t


def _kind_of(equiv: Any) -> str:
    from schemy.runtime.primitives import strings

    if equiv is None or equiv is equality.equal_p:
        return EQUAL
    if equiv is equality.eqv_p:
        return EQV
    if equiv is equality.eq_p:
        return EQ
    if equiv is strings.PRIMITIVES["string=?"]:
        return EQUAL
    return CUSTOM


# ------------------------------------------------------------------ constructors


def make_hash_table(*args: Any) -> HashTable:
    """Guile's ``(make-hash-table [size])`` and SRFI-69's ``(make-hash-table [equiv [hash]])``."""
    if not args:
        return HashTable()
    first = args[0]
    if first.__class__ is int:
        return HashTable(size_hint=first)
    if callable(first):
        hash_fn = args[1] if len(args) > 1 and callable(args[1]) else None
        return HashTable(_kind_of(first), equiv=first, hash_fn=hash_fn)
    raise wrong_type("make-hash-table", 1, first)


def _weak_maker(name: str, weak: str) -> Any:
    def make(size: Any = 0) -> HashTable:
        if size.__class__ is not int:
            raise wrong_type(name, 1, size)
        return HashTable(size_hint=size, weak=weak)

    make.__name__ = name
    return make


def hash_table_p(x: Any) -> bool:
    return x.__class__ is HashTable


# ------------------------------------------------------------------ Guile's native API


def _native(kind: str) -> dict[str, Any]:
    prefix = {EQ: "hashq", EQV: "hashv", EQUAL: "hash"}[kind]
    name_ref = f"{prefix}-ref"
    name_set = f"{prefix}-set!"
    name_remove = f"{prefix}-remove!"
    name_get = f"{prefix}-get-handle"
    name_create = f"{prefix}-create-handle!"

    def ref(t: Any, key: Any, default: Any = False) -> Any:
        entry = _table(name_ref, 1, t).get(key, kind)
        return default if entry is None else entry.cdr

    def set_(t: Any, key: Any, value: Any) -> Any:
        _table(name_set, 1, t).put(key, value, kind)
        return value

    def remove(t: Any, key: Any) -> Any:
        entry = _table(name_remove, 1, t).remove(key, kind)
        return False if entry is None else entry

    def get_handle(t: Any, key: Any) -> Any:
        entry = _table(name_get, 1, t).get(key, kind)
        return False if entry is None else entry

    def create_handle(t: Any, key: Any, init: Any) -> Pair:
        return _table(name_create, 1, t).handle(key, init, kind)

    table = {name_ref: ref, name_set: set_, name_remove: remove, name_get: get_handle,
             name_create: create_handle}
    for name, fn in table.items():
        fn.__name__ = name
    return table


def hash_fold(proc: Any, init: Any, t: Any) -> Any:
    """Guile order ``(hash-fold proc init table)``; SRFI-69's ``hash-table-fold`` is separate."""
    check_proc("hash-fold", proc)
    acc = init
    for entry in _table("hash-fold", 3, t).pairs():
        acc = proc(entry.car, entry.cdr, acc)
    return acc


def hash_for_each(proc: Any, t: Any) -> Any:
    check_proc("hash-for-each", proc)
    for entry in _table("hash-for-each", 2, t).pairs():
        proc(entry.car, entry.cdr)
    return UNSPECIFIED


def hash_for_each_handle(proc: Any, t: Any) -> Any:
    check_proc("hash-for-each-handle", proc)
    for entry in _table("hash-for-each-handle", 2, t).pairs():
        proc(entry)
    return UNSPECIFIED


def hash_map_to_list(proc: Any, t: Any) -> Any:
    check_proc("hash-map->list", proc)
    return from_items([proc(e.car, e.cdr) for e in _table("hash-map->list", 2, t).pairs()])


def hash_count(pred: Any, t: Any) -> int:
    check_proc("hash-count", pred)
    return sum(1 for e in _table("hash-count", 2, t).pairs() if pred(e.car, e.cdr) is not False)


def hash_clear(t: Any) -> Any:
    _table("hash-clear!", 1, t).entries.clear()
    return UNSPECIFIED


# ------------------------------------------------------------------ SRFI-69


def hash_table_ref(t: Any, key: Any, fail: Any = None, succeed: Any = None) -> Any:
    entry = _table("hash-table-ref", 1, t).get(key)
    if entry is None:
        if fail is None:
            raise scheme_error("Key not in table", key, t, origin="hash-table-ref")
        return fail()
    return entry.cdr if succeed is None else succeed(entry.cdr)


def hash_table_ref_default(t: Any, key: Any, default: Any) -> Any:
    entry = _table("hash-table-ref/default", 1, t).get(key)
    return default if entry is None else entry.cdr


def hash_table_set(t: Any, key: Any, value: Any) -> Any:
    _table("hash-table-set!", 1, t).put(key, value)
    return UNSPECIFIED


def hash_table_delete(t: Any, key: Any) -> Any:
    _table("hash-table-delete!", 1, t).remove(key)
    return UNSPECIFIED


def hash_table_exists_p(t: Any, key: Any) -> bool:
    return _table("hash-table-exists?", 1, t).get(key) is not None


def hash_table_update(t: Any, key: Any, proc: Any, default_thunk: Any = None) -> Any:
    table = _table("hash-table-update!", 1, t)
    check_proc("hash-table-update!", proc)
    entry = table.get(key)
    if entry is None:
        if default_thunk is None:
            raise scheme_error("Key not in table", key, t, origin="hash-table-update!")
        table.put(key, proc(default_thunk()))
    else:
        entry.cdr = proc(entry.cdr)
    return UNSPECIFIED


def hash_table_update_default(t: Any, key: Any, proc: Any, default: Any) -> Any:
    table = _table("hash-table-update!/default", 1, t)
    check_proc("hash-table-update!/default", proc)
    entry = table.get(key)
    if entry is None:
        table.put(key, proc(default))
    else:
        entry.cdr = proc(entry.cdr)
    return UNSPECIFIED


def hash_table_size(t: Any) -> int:
    return len(_table("hash-table-size", 1, t).entries)


def hash_table_keys(t: Any) -> Any:
    return from_items([e.car for e in _table("hash-table-keys", 1, t).pairs()])


def hash_table_values(t: Any) -> Any:
    return from_items([e.cdr for e in _table("hash-table-values", 1, t).pairs()])


def hash_table_walk(t: Any, proc: Any) -> Any:
    check_proc("hash-table-walk", proc)
    for e in _table("hash-table-walk", 1, t).pairs():
        proc(e.car, e.cdr)
    return UNSPECIFIED


def hash_table_fold(a: Any, b: Any, c: Any) -> Any:
    """SRFI-69 ``(hash-table-fold table kons knil)``; Guile's ``(kons knil table)`` order also works."""
    if a.__class__ is HashTable:
        t, kons, knil = a, b, c
    else:
        kons, knil, t = a, b, c
    check_proc("hash-table-fold", kons)
    acc = knil
    for e in _table("hash-table-fold", 1, t).pairs():
        acc = kons(e.car, e.cdr, acc)
    return acc


def hash_table_to_alist(t: Any) -> Any:
    return from_items([make_pair(e.car, e.cdr) for e in _table("hash-table->alist", 1, t).pairs()])


def alist_to_hash_table(alist: Any, *args: Any) -> HashTable:
    """Earlier entries win, as SRFI-69 specifies."""
    table = make_hash_table(*args) if args else HashTable()
    for entry in list_items("alist->hash-table", 1, alist):
        if entry.__class__ is not Pair:
            raise wrong_type("alist->hash-table", 1, alist, "association list")
        if table.get(entry.car) is None:
            table.put(entry.car, entry.cdr)
    return table


def hash_table_copy(t: Any, mutable: Any = False) -> HashTable:
    return _table("hash-table-copy", 1, t).copy()


def hash_table_equivalence_function(t: Any) -> Any:
    table = _table("hash-table-equivalence-function", 1, t)
    if table.equiv is not None:
        return table.equiv
    return {EQ: equality.eq_p, EQV: equality.eqv_p}.get(table.kind, equality.equal_p)


def hash_table_hash_function(t: Any) -> Any:
    table = _table("hash-table-hash-function", 1, t)
    if table.hash_fn is not None:
        return table.hash_fn
    return {EQ: hashq, EQV: hashv}.get(table.kind, hash_)


# ------------------------------------------------------------------ hash functions


def _stable_hash(token: Any, bound: Any, name: str) -> int:
    h = string_hash(repr(token))
    if bound is None:
        return h
    if bound.__class__ is not int or bound <= 0:
        raise wrong_type(name, 2, bound)
    return h % bound


def hash_(obj: Any, bound: Any = None) -> int:
    return _stable_hash(key_equal(obj), bound, "hash")


def hashq(obj: Any, bound: Any = None) -> int:
    return _stable_hash(key_eq(obj), bound, "hashq")


def hashv(obj: Any, bound: Any = None) -> int:
    return _stable_hash(key_eqv(obj), bound, "hashv")


def string_ci_hash(s: Any, bound: Any = None) -> int:
    from schemy.runtime.primitives.strings import string_hash_ci

    return string_hash_ci(s, bound)


PRIMITIVES: dict[str, Any] = {
    "make-hash-table": make_hash_table,
    "make-weak-key-hash-table": _weak_maker("make-weak-key-hash-table", "key"),
    "make-weak-value-hash-table": _weak_maker("make-weak-value-hash-table", "value"),
    "make-doubly-weak-hash-table": _weak_maker("make-doubly-weak-hash-table", "both"),
    "hash-table?": hash_table_p,
    **_native(EQUAL),
    **_native(EQ),
    **_native(EQV),
    "hash-fold": hash_fold,
    "hash-for-each": hash_for_each,
    "hash-for-each-handle": hash_for_each_handle,
    "hash-map->list": hash_map_to_list,
    "hash-count": hash_count,
    "hash-clear!": hash_clear,
    "hash-table-clear!": hash_clear,
    "hash-table-ref": hash_table_ref,
    "hash-table-ref/default": hash_table_ref_default,
    "hash-table-set!": hash_table_set,
    "hash-table-delete!": hash_table_delete,
    "hash-table-exists?": hash_table_exists_p,
    "hash-table-contains?": hash_table_exists_p,
    "hash-table-update!": hash_table_update,
    "hash-table-update!/default": hash_table_update_default,
    "hash-table-size": hash_table_size,
    "hash-table-keys": hash_table_keys,
    "hash-table-values": hash_table_values,
    "hash-table-walk": hash_table_walk,
    "hash-table-fold": hash_table_fold,
    "hash-table->alist": hash_table_to_alist,
    "alist->hash-table": alist_to_hash_table,
    "hash-table-copy": hash_table_copy,
    "hash-table-equivalence-function": hash_table_equivalence_function,
    "hash-table-hash-function": hash_table_hash_function,
    "hash": hash_,
    "hashq": hashq,
    "hashv": hashv,
    "string-ci-hash": string_ci_hash,
}

"""Vectors (Python lists): R7RS plus the SRFI-43 procedures Guile programs use.

``vector-map`` and ``vector-for-each`` follow R7RS (Guile's core): the
procedure gets elements only.  The SRFI-43-only procedures (``vector-fold``,
``vector-count``...) pass the index first, as ``(srfi srfi-43)`` does.
"""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import UNSPECIFIED, Char
from schemy.lang.errors import scheme_error, string_arg, wrong_type
from schemy.runtime.primitives.lists import check_proc, from_items, list_items, sorted_items
from schemy.runtime.primitives.strings import bounds


def _vec(name: str, pos: int, v: Any) -> list[Any]:
    if v.__class__ is not list:
        raise wrong_type(name, pos, v, "vector")
    return v


def _index(name: str, v: list[Any], k: Any) -> int:
    if k.__class__ is not int:
        raise wrong_type(name, 2, k)
    if not 0 <= k < len(v):
        raise scheme_error("Argument 2 out of range:", k, kind="out-of-range", origin=name)
    return k


def _slice(name: str, v: Any, start: Any, end: Any, pos: int = 2) -> list[Any]:
    vec = _vec(name, 1, v)
    start, end = bounds(name, len(vec), start, end, pos)
    return vec[start:end]


# ------------------------------------------------------------------ R7RS


def vector_p(x: Any) -> bool:
    return x.__class__ is list


def make_vector(k: Any, fill: Any = UNSPECIFIED) -> list[Any]:
    if k.__class__ is not int:
        raise wrong_type("make-vector", 1, k)
    if k < 0:
        raise scheme_error("Argument 1 out of range:", k, kind="out-of-range", origin="make-vector")
    return [fill] * k


def vector(*items: Any) -> list[Any]:
    return list(items)


def vector_length(v: Any) -> int:
    return len(_vec("vector-length", 1, v))


def vector_ref(v: Any, k: Any) -> Any:
    vec = _vec("vector-ref", 1, v)
    return vec[_index("vector-ref", vec, k)]


def vector_set(v: Any, k: Any, x: Any) -> Any:
    vec = _vec("vector-set!", 1, v)
    vec[_index("vector-set!", vec, k)] = x
    return UNSPECIFIED


def vector_to_list(v: Any, start: Any = None, end: Any = None) -> Any:
    return from_items(_slice("vector->list", v, start, end))


def list_to_vector(lst: Any) -> list[Any]:
    return list_items("list->vector", 1, lst)


def vector_fill(v: Any, x: Any, start: Any = None, end: Any = None) -> Any:
    vec = _vec("vector-fill!", 1, v)
    start, end = bounds("vector-fill!", len(vec), start, end, 3)
    vec[start:end] = [x] * (end - start)
    return UNSPECIFIED


def vector_copy(v: Any, start: Any = None, end: Any = None) -> list[Any]:
    return _slice("vector-copy", v, start, end)


def vector_copy_bang(to: Any, at: Any, src: Any, start: Any = None, end: Any = None) -> Any:
    dest = _vec("vector-copy!", 1, to)
    part = _slice("vector-copy!", src, start, end, 4)
    if at.__class__ is not int or not 0 <= at <= len(dest) - len(part):
        raise scheme_error("Argument 2 out of range:", at, kind="out-of-range", origin="vector-copy!")
    dest[at:at + len(part)] = part  # the slice is a copy, so overlapping moves are safe
    return UNSPECIFIED


def vector_append(*vectors: Any) -> list[Any]:
    out: list[Any] = []
    for i, v in enumerate(vectors, 1):
        out.extend(_vec("vector-append", i, v))
    return out


def _rows(name: str, vectors: tuple) -> list[tuple]:
    vecs = [_vec(name, i, v) for i, v in enumerate(vectors, 2)]
    if len(vecs) == 1:
        return [(x,) for x in vecs[0]]
    return list(zip(*vecs))


def vector_map(f: Any, v: Any, *more: Any) -> list[Any]:
    check_proc("vector-map", f)
    return [f(*row) for row in _rows("vector-map", (v, *more))]


def vector_for_each(f: Any, v: Any, *more: Any) -> Any:
    check_proc("vector-for-each", f)
    for row in _rows("vector-for-each", (v, *more)):
        f(*row)
    return UNSPECIFIED


def srfi43_vector_map(f: Any, v: Any, *more: Any) -> list[Any]:
    """SRFI-43's ``vector-map``: F gets the index, then the elements."""
    check_proc("vector-map", f)
    return [f(i, *row) for i, row in enumerate(_rows("vector-map", (v, *more)))]


def srfi43_vector_map_bang(f: Any, v: Any, *more: Any) -> Any:
    check_proc("vector-map!", f)
    for i, row in enumerate(_rows("vector-map!", (v, *more))):
        v[i] = f(i, *row)
    return UNSPECIFIED


def srfi43_vector_for_each(f: Any, v: Any, *more: Any) -> Any:
    check_proc("vector-for-each", f)
    for i, row in enumerate(_rows("vector-for-each", (v, *more))):
        f(i, *row)
    return UNSPECIFIED


def vector_to_string(v: Any, start: Any = None, end: Any = None) -> str:
    out = []
    for c in _slice("vector->string", v, start, end):
        if c.__class__ is not Char:
            raise wrong_type("vector->string", 1, c, "character")
        out.append(c.ch)
    return "".join(out)


def string_to_vector(s: Any, start: Any = None, end: Any = None) -> list[Any]:
    t = string_arg(s, "string->vector", 1)
    start, end = bounds("string->vector", len(t), start, end, 2)
    return [Char(c) for c in t[start:end]]


# ------------------------------------------------------------------ SRFI-43


def vector_empty_p(v: Any) -> bool:
    return len(_vec("vector-empty?", 1, v)) == 0


def vector_index(pred: Any, v: Any, *more: Any) -> Any:
    check_proc("vector-index", pred)
    for i, row in enumerate(_rows("vector-index", (v, *more))):
        if pred(*row) is not False:
            return i
    return False


def vector_index_right(pred: Any, v: Any, *more: Any) -> Any:
    check_proc("vector-index-right", pred)
    rows = _rows("vector-index-right", (v, *more))
    for i in range(len(rows) - 1, -1, -1):
        if pred(*rows[i]) is not False:
            return i
    return False


def vector_skip(pred: Any, v: Any, *more: Any) -> Any:
    check_proc("vector-skip", pred)
    for i, row in enumerate(_rows("vector-skip", (v, *more))):
        if pred(*row) is False:
            return i
    return False


def vector_skip_right(pred: Any, v: Any, *more: Any) -> Any:
    check_proc("vector-skip-right", pred)
    rows = _rows("vector-skip-right", (v, *more))
    for i in range(len(rows) - 1, -1, -1):
        if pred(*rows[i]) is False:
            return i
    return False


def vector_count(pred: Any, v: Any, *more: Any) -> int:
    """SRFI-43: ``(pred index elem ...)``."""
    check_proc("vector-count", pred)
    return sum(1 for i, row in enumerate(_rows("vector-count", (v, *more))) if pred(i, *row) is not False)


def vector_fold(kons: Any, knil: Any, v: Any, *more: Any) -> Any:
    """SRFI-43: ``(kons index acc elem ...)``."""
    check_proc("vector-fold", kons)
    acc = knil
    for i, row in enumerate(_rows("vector-fold", (v, *more))):
        acc = kons(i, acc, *row)
    return acc


def vector_fold_right(kons: Any, knil: Any, v: Any, *more: Any) -> Any:
    check_proc("vector-fold-right", kons)
    acc = knil
    rows = _rows("vector-fold-right", (v, *more))
    for i in range(len(rows) - 1, -1, -1):
        acc = kons(i, acc, *rows[i])
    return acc


def vector_any(pred: Any, v: Any, *more: Any) -> Any:
    check_proc("vector-any", pred)
    for row in _rows("vector-any", (v, *more)):
        r = pred(*row)
        if r is not False:
            return r
    return False


def vector_every(pred: Any, v: Any, *more: Any) -> Any:
    check_proc("vector-every", pred)
    r: Any = True
    for row in _rows("vector-every", (v, *more)):
        r = pred(*row)
        if r is False:
            return False
    return r


def vector_swap(v: Any, i: Any, j: Any) -> Any:
    vec = _vec("vector-swap!", 1, v)
    _index("vector-swap!", vec, i)
    _index("vector-swap!", vec, j)
    vec[i], vec[j] = vec[j], vec[i]
    return UNSPECIFIED


def vector_reverse_bang(v: Any, start: Any = None, end: Any = None) -> Any:
    vec = _vec("vector-reverse!", 1, v)
    start, end = bounds("vector-reverse!", len(vec), start, end, 2)
    vec[start:end] = vec[start:end][::-1]
    return UNSPECIFIED


def reverse_vector_to_list(v: Any, start: Any = None, end: Any = None) -> Any:
    return from_items(_slice("reverse-vector->list", v, start, end)[::-1])


def reverse_list_to_vector(lst: Any) -> list[Any]:
    return list_items("reverse-list->vector", 1, lst)[::-1]


def vector_concatenate(lst: Any) -> list[Any]:
    return vector_append(*list_items("vector-concatenate", 1, lst))


def vector_eq(eq: Any, *vectors: Any) -> bool:
    check_proc("vector=", eq)
    vecs = [_vec("vector=", i, v) for i, v in enumerate(vectors, 2)]
    for a, b in zip(vecs, vecs[1:]):
        if len(a) != len(b) or any(eq(x, y) is False for x, y in zip(a, b)):
            return False
    return True


def vector_binary_search(v: Any, value: Any, cmp: Any, start: Any = None, end: Any = None) -> Any:
    """SRFI-43: ``(cmp elem value)`` answers negative, zero or positive."""
    vec = _vec("vector-binary-search", 1, v)
    check_proc("vector-binary-search", cmp)
    lo, hi = bounds("vector-binary-search", len(vec), start, end, 4)
    while lo < hi:
        mid = (lo + hi) // 2
        c = cmp(vec[mid], value)
        if c == 0:
            return mid
        if c < 0:
            lo = mid + 1
        else:
            hi = mid
    return False


def vector_sort(a: Any, b: Any) -> list[Any]:
    """R6RS ``(vector-sort less? v)``; ``(vector-sort v less?)`` is accepted too."""
    less, v = (b, a) if a.__class__ is list else (a, b)
    check_proc("vector-sort", less)
    return sorted_items(_vec("vector-sort", 2, v), less)


def vector_sort_bang(a: Any, b: Any) -> Any:
    less, v = (b, a) if a.__class__ is list else (a, b)
    check_proc("vector-sort!", less)
    vec = _vec("vector-sort!", 1, v)
    vec[:] = sorted_items(vec, less)
    return UNSPECIFIED


PRIMITIVES: dict[str, Any] = {
    "vector?": vector_p,
    "make-vector": make_vector,
    "vector": vector,
    "vector-length": vector_length,
    "vector-ref": vector_ref,
    "vector-set!": vector_set,
    "vector->list": vector_to_list,
    "list->vector": list_to_vector,
    "vector-fill!": vector_fill,
    "vector-copy": vector_copy,
    "vector-copy!": vector_copy_bang,
    "vector-append": vector_append,
    "vector-map": vector_map,
    "vector-for-each": vector_for_each,
    "vector->string": vector_to_string,
    "string->vector": string_to_vector,
    "vector-empty?": vector_empty_p,
    "vector-index": vector_index,
    "vector-index-right": vector_index_right,
    "vector-skip": vector_skip,
    "vector-skip-right": vector_skip_right,
    "vector-count": vector_count,
    "vector-fold": vector_fold,
    "vector-fold-right": vector_fold_right,
    "vector-any": vector_any,
    "vector-every": vector_every,
    "vector-swap!": vector_swap,
    "vector-reverse!": vector_reverse_bang,
    "reverse-vector->list": reverse_vector_to_list,
    "reverse-list->vector": reverse_list_to_vector,
    "vector-concatenate": vector_concatenate,
    "vector=": vector_eq,
    "vector-binary-search": vector_binary_search,
    "vector-sort": vector_sort,
    "vector-sort!": vector_sort_bang,
}

# The bindings ``(srfi srfi-43)`` exports in place of the core ones of the same name.
SRFI43_VARIANTS: dict[str, Any] = {
    "vector-map": srfi43_vector_map,
    "vector-map!": srfi43_vector_map_bang,
    "vector-for-each": srfi43_vector_for_each,
}
for _name, _fn in SRFI43_VARIANTS.items():
    _fn.scheme_name = _name

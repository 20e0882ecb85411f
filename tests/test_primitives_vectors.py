"""Vectors: R7RS and the SRFI-43 extras (expected values from Guile 3.0)."""

from __future__ import annotations

import pytest

from schemy.lang.datum import NIL, UNSPECIFIED, Char, Symbol, make_list
from schemy.lang.errors import SchemeError
from schemy.runtime.primitives import equality, numbers, vectors

P = vectors.PRIMITIVES
N = numbers.PRIMITIVES


def L(*items: object) -> object:
    return make_list(items)


def eq(a: object, b: object) -> bool:
    return equality.is_equal(a, b)


def kind(exc: pytest.ExceptionInfo[SchemeError]) -> str:
    cond = exc.value.condition
    assert cond is not None
    return cond.kind


def test_make_vector_default_fill_is_unspecified() -> None:
    # guile: (make-vector 2) => #(#<unspecified> #<unspecified>)
    assert P["make-vector"](2) == [UNSPECIFIED, UNSPECIFIED]
    assert P["make-vector"](2, 0) == [0, 0]


def test_make_vector_negative() -> None:
    with pytest.raises(SchemeError) as exc:
        P["make-vector"](-1)
    assert kind(exc) == "out-of-range"


def test_vector_basics() -> None:
    v = P["vector"](1, 2, 3)
    assert P["vector?"](v) is True and P["vector?"](L(1)) is False
    assert P["vector-length"](v) == 3
    assert P["vector-ref"](v, 1) == 2
    assert P["vector-set!"](v, 1, 9) is UNSPECIFIED and v == [1, 9, 3]


def test_vector_ref_out_of_range() -> None:
    # guile: (vector-ref #(1 2) 2) => Argument 2 out of range: 2
    with pytest.raises(SchemeError) as exc:
        P["vector-ref"]([1, 2], 2)
    assert kind(exc) == "out-of-range"


def test_vector_ref_wrong_type() -> None:
    # guile: (vector-ref '(1) 0) => position 1 (expecting vector)
    with pytest.raises(SchemeError) as exc:
        P["vector-ref"](L(1), 0)
    assert "expecting vector" in exc.value.condition.message  # type: ignore[union-attr]


def test_conversions() -> None:
    assert eq(P["vector->list"]([1, 2, 3], 1), L(2, 3))
    assert eq(P["vector->list"]([1, 2, 3], 1, 2), L(2))
    assert P["list->vector"](L(1, 2)) == [1, 2]
    assert P["vector->string"]([Char("a"), Char("b")]) == "ab"
    assert P["string->vector"]("abc", 1) == [Char("b"), Char("c")]


def test_fill_copy_append() -> None:
    v = [1, 2, 3]
    P["vector-fill!"](v, 0, 1)
    assert v == [1, 0, 0]
    original = [1, 2, 3]
    copy = P["vector-copy"](original, 1)
    assert copy == [2, 3]
    copy[0] = 99
    assert original == [1, 2, 3]
    assert P["vector-append"]([1], [2, 3]) == [1, 2, 3]


def test_vector_copy_bang_overlapping() -> None:
    # guile: (let ((v (vector 1 2 3 4 5))) (vector-copy! v 1 v 0 3) v) => #(1 1 2 3 5)
    v = [1, 2, 3, 4, 5]
    P["vector-copy!"](v, 1, v, 0, 3)
    assert v == [1, 1, 2, 3, 5]
    with pytest.raises(SchemeError):
        P["vector-copy!"]([1, 2], 0, ["a", "b", "c"])


def test_vector_map_and_for_each_are_r7rs() -> None:
    assert P["vector-map"](N["+"], [1, 2], [10, 20, 30]) == [11, 22]
    seen: list[object] = []
    assert P["vector-for-each"](seen.append, [Symbol("a"), Symbol("b")]) is UNSPECIFIED
    assert seen == [Symbol("a"), Symbol("b")]


def test_srfi43_index_passing_procedures() -> None:
    # guile (srfi-43): (vector-fold (lambda (i acc x) (cons x acc)) '() #(1 2)) => (2 1)
    assert eq(P["vector-fold"](lambda i, acc, x: make_list([x], acc), NIL, [1, 2]), L(2, 1))
    assert eq(P["vector-fold-right"](lambda i, acc, x: make_list([x], acc), NIL, [1, 2]), L(1, 2))
    # guile: (vector-count (lambda (i x) (even? x)) #(1 2 4)) => 2
    assert P["vector-count"](lambda i, x: x % 2 == 0, [1, 2, 4]) == 2


def test_srfi43_search() -> None:
    even = N["even?"]
    assert P["vector-index"](even, [1, 3, 4]) == 2
    assert P["vector-index"](even, [1, 3]) is False
    assert P["vector-index-right"](even, [2, 3, 4, 5]) == 2
    assert P["vector-skip"](even, [2, 3]) == 1
    assert P["vector-any"](even, [1, 2]) is True
    assert P["vector-every"](even, [2, 4]) is True
    # guile: (vector-binary-search #(1 3 5) 3 -) => 1
    assert P["vector-binary-search"]([1, 3, 5], 3, N["-"]) == 1
    assert P["vector-binary-search"]([1, 3, 5], 4, N["-"]) is False


def test_srfi43_misc() -> None:
    v = [1, 2, 3]
    P["vector-swap!"](v, 0, 2)
    assert v == [3, 2, 1]
    P["vector-reverse!"](v)
    assert v == [1, 2, 3]
    assert P["vector-empty?"]([]) is True
    assert eq(P["reverse-vector->list"]([1, 2, 3]), L(3, 2, 1))
    assert P["reverse-list->vector"](L(1, 2)) == [2, 1]
    assert P["vector-concatenate"](L([1], [2])) == [1, 2]
    assert P["vector="](equality.PRIMITIVES["eq?"], [Symbol("a")], [Symbol("a")]) is True


def test_vector_sort_both_orders() -> None:
    assert P["vector-sort"](N["<"], [3, 1, 2]) == [1, 2, 3]
    assert P["vector-sort"]([3, 1, 2], N["<"]) == [1, 2, 3]



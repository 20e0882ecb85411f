"""Hash tables: Guile's native API and SRFI-69 (expected values from Guile 3.0)."""

from __future__ import annotations

import pytest

from schemy.lang.datum import NIL, UNSPECIFIED, MString, Symbol, make_list, make_pair
from schemy.lang.errors import SchemeError
from schemy.runtime.primitives import equality, hashtables, lists, strings

P = hashtables.PRIMITIVES
E = equality.PRIMITIVES


def L(*items: object) -> object:
    return make_list(items)


def test_make_hash_table_variants() -> None:
    assert P["hash-table?"](P["make-hash-table"]()) is True
    assert P["hash-table?"](P["make-hash-table"](100)) is True
    assert P["hash-table?"](5) is False
    assert P["make-hash-table"](E["eq?"]).kind == "eq"
    assert P["make-hash-table"](E["eqv?"]).kind == "eqv"
    assert P["make-hash-table"](strings.PRIMITIVES["string=?"]).kind == "equal"


def test_hash_ref_set_uses_equal() -> None:
    h = P["make-hash-table"]()
    # guile: (hash-set! h 'a 1) => 1
    assert P["hash-set!"](h, "a", 1) == 1
    assert P["hash-ref"](h, MString("a")) == 1
    assert P["hash-ref"](h, L(1, 2), Symbol("d")) is Symbol("d")
    P["hash-set!"](h, L(1, 2), "list")
    assert P["hash-ref"](h, L(1, 2)) == "list"
    assert P["hash-ref"](h, "missing") is False


def test_keys_do_not_confuse_numbers_and_booleans() -> None:
    h = P["make-hash-table"]()
    P["hash-set!"](h, 1, "int")
    P["hash-set!"](h, 1.0, "float")
    P["hash-set!"](h, True, "bool")
    assert [P["hash-ref"](h, k) for k in (1, 1.0, True)] == ["int", "float", "bool"]


def test_hashq_uses_identity_and_hashv_value() -> None:
    h = P["make-hash-table"]()
    # guile: (hashq-set! h 1.5 1) (hashq-ref h 1.5) => #f ; hashv finds it
    P["hashq-set!"](h, "a", 1)
    assert P["hashq-ref"](h, MString("a")) is False
    P["hashv-set!"](h, 1.5, 1)
    assert P["hashv-ref"](h, 1.5) == 1
    sym = Symbol("k")
    P["hashq-set!"](h, sym, 2)
    assert P["hashq-ref"](h, Symbol("k")) == 2


def test_remove_returns_handle_or_false() -> None:
    h = P["make-hash-table"]()
    assert P["hash-remove!"](h, 1) is False
    P["hash-set!"](h, 1, 2)
    assert equality.is_equal(P["hash-remove!"](h, 1), make_pair(1, 2))
    assert P["hash-ref"](h, 1) is False


def test_handles_are_live() -> None:
    h = P["make-hash-table"]()
    handle = P["hash-create-handle!"](h, "k", 0)
    assert equality.is_equal(handle, make_pair("k", 0))
    lists.PRIMITIVES["set-cdr!"](handle, 5)
    assert P["hash-ref"](h, "k") == 5
    assert P["hash-get-handle"](h, "k") is handle
    assert P["hash-create-handle!"](h, "k", 99) is handle
    assert P["hash-get-handle"](h, "nope") is False


def test_iteration() -> None:
    h = P["make-hash-table"]()
    P["hash-set!"](h, 1, 2)
    P["hash-set!"](h, 3, 4)
    keys = P["hash-fold"](lambda k, v, acc: make_pair(k, acc), NIL, h)
    assert sorted(keys) == [1, 3]
    assert sorted(p.car for p in P["hash-map->list"](lists.PRIMITIVES["cons"], h)) == [1, 3]
    seen: list[object] = []
    assert P["hash-for-each"](lambda k, v: seen.append(v), h) is UNSPECIFIED
    assert sorted(seen) == [2, 4]
    assert P["hash-count"](lambda k, v: v > 2, h) == 1
    P["hash-clear!"](h)
    assert P["hash-table-size"](h) == 0


def test_native_wrong_type() -> None:
    # guile: (hash-ref 5 1) => position 1 (expecting hash-table)
    with pytest.raises(SchemeError) as exc:
        P["hash-ref"](5, 1)
    assert "expecting hash-table" in exc.value.condition.message  # type: ignore[union-attr]


def test_srfi69_ref_and_defaults() -> None:
    h = P["make-hash-table"]()
    P["hash-table-set!"](h, 1, 2)
    assert P["hash-table-ref"](h, 1) == 2
    assert P["hash-table-ref"](h, 5, lambda: 9) == 9
    assert P["hash-table-ref"](h, 1, lambda: 9, lambda x: x * 10) == 20
    assert P["hash-table-ref/default"](h, 7, 0) == 0
    with pytest.raises(SchemeError):
        P["hash-table-ref"](h, 5)


def test_srfi69_update() -> None:
    h = P["make-hash-table"]()
    P["hash-table-update!"](h, 1, lambda x: x + 1, lambda: 0)
    assert P["hash-table-ref"](h, 1) == 1
    P["hash-table-update!/default"](h, 2, lambda x: x + 1, 10)
    assert P["hash-table-ref"](h, 2) == 11
    # guile: hash-table-update! without default on a missing key => "Key not in table"
    with pytest.raises(SchemeError):
        P["hash-table-update!"](h, 3, lambda x: x)


def test_srfi69_queries_and_conversions() -> None:
    h = P["alist->hash-table"](L(make_pair(Symbol("a"), 1), make_pair(Symbol("b"), 2), make_pair(Symbol("a"), 3)))
    assert P["hash-table-size"](h) == 2
    assert P["hash-table-ref"](h, Symbol("a")) == 1  # earlier entries win
    assert sorted(s.name for s in P["hash-table-keys"](h)) == ["a", "b"]
    assert sorted(P["hash-table-values"](h)) == [1, 2]
    assert P["hash-table-exists?"](h, Symbol("a")) is True
    assert P["hash-table-contains?"](h, Symbol("z")) is False
    P["hash-table-delete!"](h, Symbol("a"))
    assert P["hash-table-exists?"](h, Symbol("a")) is False
    alist = P["hash-table->alist"](h)
    assert equality.is_equal(alist, L(make_pair(Symbol("b"), 2)))


def test_srfi69_fold_both_argument_orders() -> None:
    h = P["alist->hash-table"](L(make_pair(Symbol("a"), 1)))
    add = lambda k, v, acc: acc + v  # noqa: E731
    assert P["hash-table-fold"](h, add, 10) == 11
    assert P["hash-table-fold"](add, 10, h) == 11


def test_srfi69_walk_and_copy() -> None:
    h = P["make-hash-table"]()
    P["hash-table-set!"](h, "k", 1)
    copy = P["hash-table-copy"](h)
    P["hash-table-set!"](copy, "k", 2)
    assert P["hash-table-ref"](h, "k") == 1
    seen: list[object] = []
    P["hash-table-walk"](h, lambda k, v: seen.append((k, v)))
    assert seen == [("k", 1)]


def test_eq_table_uses_identity_for_strings() -> None:
    h = P["make-hash-table"](E["eq?"])
    key = MString("a")
    P["hash-table-set!"](h, key, 1)
    assert P["hash-table-ref/default"](h, key, 0) == 1
    assert P["hash-table-ref/default"](h, MString("a"), 0) == 0


def test_custom_equivalence_falls_back_to_search() -> None:
    ci = strings.PRIMITIVES["string-ci=?"]
    h = P["make-hash-table"](ci, strings.PRIMITIVES["string-hash-ci"])
    P["hash-table-set!"](h, "Key", 1)
    assert P["hash-table-ref/default"](h, "KEY", 0) == 1
    P["hash-table-set!"](h, "key", 2)
    assert P["hash-table-size"](h) == 1


def test_equivalence_function_accessor() -> None:
    assert P["hash-table-equivalence-function"](P["make-hash-table"]()) is E["equal?"]
    assert P["hash-table-equivalence-function"](P["make-hash-table"](E["eq?"])) is E["eq?"]


def test_hash_functions_are_bounded_and_structural() -> None:
    assert P["hash"](L(1, "a"), 100) == P["hash"](L(1, MString("a")), 100)
    assert 0 <= P["hash"]("abc", 100) < 100
    assert 0 <= P["hashq"](Symbol("a"), 100) < 100
    assert P["hashv"](1.5, 1000) == P["hashv"](1.5, 1000)


def test_printed_representation() -> None:
    h = P["make-hash-table"]()
    P["hash-set!"](h, 1, 1)
    text = h.__scheme_repr__(True)
    assert text.startswith("#<hash-table ") and text.endswith(" 1/31>")

"""Bytevectors (expected values from Guile 3.0 with (rnrs bytevectors))."""

from __future__ import annotations

import pytest

from schemy.lang.datum import UNSPECIFIED, MString, Symbol, make_list
from schemy.lang.errors import SchemeError
from schemy.runtime.primitives import bytevectors, equality

P = bytevectors.PRIMITIVES
BIG, LITTLE = Symbol("big"), Symbol("little")


def bv(*items: int) -> bytearray:
    return bytearray(items)


def kind(exc: pytest.ExceptionInfo[SchemeError]) -> str:
    cond = exc.value.condition
    assert cond is not None
    return cond.kind


def test_make_bytevector() -> None:
    # guile: (make-bytevector 3) => #vu8(0 0 0); (make-bytevector 3 -1) => #vu8(255 255 255)
    assert P["make-bytevector"](3) == bv(0, 0, 0)
    assert P["make-bytevector"](3, -1) == bv(255, 255, 255)
    with pytest.raises(SchemeError) as exc:
        P["make-bytevector"](3, 256)
    assert kind(exc) == "out-of-range"


def test_bytevector_constructor_and_predicate() -> None:
    b = P["bytevector"](1, 2)
    assert b == bv(1, 2) and P["bytevector?"](b) is True
    assert P["bytevector?"]([1, 2]) is False
    with pytest.raises(SchemeError):
        P["bytevector"](256)


def test_u8_and_s8_access() -> None:
    b = bv(1, 255)
    assert P["bytevector-length"](b) == 2
    assert P["bytevector-u8-ref"](b, 1) == 255
    assert P["bytevector-s8-ref"](b, 1) == -1  # guile: (bytevector-s8-ref #vu8(255) 0) => -1
    assert P["bytevector-u8-set!"](b, 0, 7) is UNSPECIFIED and b[0] == 7
    P["bytevector-s8-set!"](b, 0, -1)
    assert b[0] == 255


@pytest.mark.parametrize(("name", "args"), [
    ("bytevector-u8-ref", (bv(1, 2), 2)), ("bytevector-u8-set!", (bv(0), 0, 256)),
    ("bytevector-u16-ref", (bv(1, 2), 1, BIG)), ("bytevector-u16-set!", (bv(0, 0), 0, 70000, BIG)),
])
def test_out_of_range(name: str, args: tuple) -> None:
    with pytest.raises(SchemeError) as exc:
        P[name](*args)
    assert kind(exc) == "out-of-range"


def test_multi_byte_integers() -> None:
    # guile: (bytevector-u16-ref #vu8(1 2) 0 'big) => 258, 'little => 513
    assert P["bytevector-u16-ref"](bv(1, 2), 0, BIG) == 258
    assert P["bytevector-u16-ref"](bv(1, 2), 0, LITTLE) == 513
    assert P["bytevector-s16-ref"](bv(255, 255), 0, BIG) == -1
    assert P["bytevector-u32-ref"](bv(1, 2, 3, 4), 0, BIG) == 16909060
    assert P["bytevector-u64-ref"](bv(0, 0, 0, 0, 0, 0, 0, 1), 0, BIG) == 1
    b = bv(0, 0, 0, 0)
    P["bytevector-u32-set!"](b, 0, 258, LITTLE)
    assert b == bv(2, 1, 0, 0)
    assert P["bytevector-uint-ref"](bv(1, 2, 3), 0, BIG, 3) == 66051
    assert P["bytevector-sint-ref"](bv(255, 255, 255), 0, BIG, 3) == -1
    # guile: (bytevector->sint-list #vu8(255 255 1 0) 'little 2) => (-1 1)
    assert equality.is_equal(P["bytevector->sint-list"](bv(255, 255, 1, 0), LITTLE, 2), make_list([-1, 1]))


def test_native_accessors_and_endianness() -> None:
    assert P["native-endianness"]() in (BIG, LITTLE)
    if P["native-endianness"]() is LITTLE:
        assert P["bytevector-u16-native-ref"](bv(1, 2), 0) == 513


def test_ieee_floats() -> None:
    b = bv(0, 0, 0, 0)
    # guile: (bytevector-ieee-single-set! b 0 1.5 'big) => #vu8(63 192 0 0)
    P["bytevector-ieee-single-set!"](b, 0, 1.5, BIG)
    assert b == bv(63, 192, 0, 0)
    assert P["bytevector-ieee-single-ref"](b, 0, BIG) == 1.5
    d = bytearray(8)
    P["bytevector-ieee-double-set!"](d, 0, 2.25, LITTLE)
    assert P["bytevector-ieee-double-ref"](d, 0, LITTLE) == 2.25


def test_copy_append_equal_fill() -> None:
    assert P["bytevector-copy"](bv(1, 2, 3), 1) == bv(2, 3)
    assert P["bytevector-append"](bv(1), bv(2)) == bv(1, 2)
    assert P["bytevector=?"](bv(1), bv(1)) is True
    b = bytearray(3)
    P["bytevector-fill!"](b, 1, 1)
    assert b == bv(0, 1, 1)


def test_bytevector_copy_bang_r6rs_and_r7rs_forms() -> None:
    # guile (rnrs): (bytevector-copy! #vu8(1 2) 0 b 1 2) => b = #vu8(0 1 2)
    b = bytearray(3)
    P["bytevector-copy!"](bv(1, 2), 0, b, 1, 2)
    assert b == bv(0, 1, 2)
    # guile (scheme base): (bytevector-copy! b 1 #vu8(1 2)) => #vu8(0 1 2)
    c = bytearray(3)
    P["bytevector-copy!"](c, 1, bv(1, 2))
    assert c == bv(0, 1, 2)


def test_list_conversions() -> None:
    assert equality.is_equal(P["bytevector->u8-list"](bv(1, 2)), make_list([1, 2]))
    assert P["u8-list->bytevector"](make_list([1, 2])) == bv(1, 2)


def test_utf8() -> None:
    # guile: (string->utf8 "aé") => #vu8(97 195 169); (utf8->string #vu8(97 195 169) 1) => "é"
    assert P["string->utf8"]("aé") == bv(97, 195, 169)
    assert P["string->utf8"](MString("abc"), 1) == bv(98, 99)
    assert P["utf8->string"](bv(97, 195, 169)) == "aé"
    assert P["utf8->string"](bv(97, 195, 169), 1) == "é"


def test_invalid_utf8_is_decoding_error() -> None:
    with pytest.raises(SchemeError) as exc:
        P["utf8->string"](bv(255))
    assert kind(exc) == "decoding-error"

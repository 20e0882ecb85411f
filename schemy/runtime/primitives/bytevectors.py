"""Bytevectors (``bytearray``): R6RS ``(rnrs bytevectors)`` as Guile has it, plus R7RS forms."""

from __future__ import annotations

import struct
from typing import Any

from schemy.lang.datum import UNSPECIFIED, Symbol
from schemy.lang.errors import scheme_error, string_arg, wrong_type
from schemy.runtime.primitives.lists import from_items, list_items
from schemy.runtime.primitives.strings import bounds

_NATIVE = Symbol("little") if struct.pack("=H", 1)[0] == 1 else Symbol("big")


def _bv(name: str, pos: int, b: Any) -> bytearray:
    if b.__class__ is not bytearray:
        raise wrong_type(name, pos, b, "bytevector")
    return b


def _out_of_range(name: str, value: Any) -> Exception:
    return scheme_error("Value out of range:", value, kind="out-of-range", origin=name)


def _int(name: str, pos: int, k: Any) -> int:
    if k.__class__ is not int:
        raise wrong_type(name, pos, k, "exact integer")
    return k


def _byte_index(name: str, b: bytearray, k: Any, size: int = 1) -> int:
    _int(name, 2, k)
    if not 0 <= k <= len(b) - size:
        raise _out_of_range(name, k)
    return k


def _endianness(name: str, pos: int, e: Any) -> str:
    if e.__class__ is not Symbol:
        raise wrong_type(name, pos, e, "symbol")
    return "little" if e.name == "little" else "big"


# ------------------------------------------------------------------ basics


def bytevector_p(x: Any) -> bool:
    return x.__class__ is bytearray


def make_bytevector(k: Any, fill: Any = 0) -> bytearray:
    _int("make-bytevector", 1, k)
    if k < 0:
        raise _out_of_range("make-bytevector", k)
    if fill.__class__ is not int or not -128 <= fill <= 255:
        raise _out_of_range("make-bytevector", fill)
    return bytearray([fill & 0xFF]) * k


def bytevector(*items: Any) -> bytearray:
    for i, x in enumerate(items, 1):
        if x.__class__ is not int or not 0 <= x <= 255:
            raise wrong_type("bytevector", i, x)
    return bytearray(items)


def bytevector_length(b: Any) -> int:
    return len(_bv("bytevector-length", 1, b))


def bytevector_u8_ref(b: Any, k: Any) -> int:
    bv = _bv("bytevector-u8-ref", 1, b)
    return bv[_byte_index("bytevector-u8-ref", bv, k)]


def bytevector_u8_set(b: Any, k: Any, v: Any) -> Any:
    bv = _bv("bytevector-u8-set!", 1, b)
    i = _byte_index("bytevector-u8-set!", bv, k)
    if _int("bytevector-u8-set!", 3, v) < 0 or v > 255:
        raise _out_of_range("bytevector-u8-set!", v)
    bv[i] = v
    return UNSPECIFIED


def bytevector_s8_ref(b: Any, k: Any) -> int:
    bv = _bv("bytevector-s8-ref", 1, b)
    v = bv[_byte_index("bytevector-s8-ref", bv, k)]
    return v - 256 if v > 127 else v


def bytevector_s8_set(b: Any, k: Any, v: Any) -> Any:
    bv = _bv("bytevector-s8-set!", 1, b)
    i = _byte_index("bytevector-s8-set!", bv, k)
    if _int("bytevector-s8-set!", 3, v) < -128 or v > 127:
        raise _out_of_range("bytevector-s8-set!", v)
    bv[i] = v & 0xFF
    return UNSPECIFIED


def bytevector_copy(b: Any, start: Any = None, end: Any = None) -> bytearray:
    bv = _bv("bytevector-copy", 1, b)
    start, end = bounds("bytevector-copy", len(bv), start, end, 2)
    return bv[start:end]


def bytevector_copy_bang(a: Any, b: Any, c: Any, d: Any = None, e: Any = None) -> Any:
    """R6RS ``(src src-start dst dst-start len)`` given five arguments (Guile's rnrs form).

    Otherwise R7RS ``(to at from [start [end]])``.
    """
    if e is not None and d is not None and a.__class__ is bytearray and c.__class__ is bytearray:
        src, dst = a, c
        _int("bytevector-copy!", 2, b)
        _int("bytevector-copy!", 4, d)
        _int("bytevector-copy!", 5, e)
        if b < 0 or e < 0 or b + e > len(src):
            raise _out_of_range("bytevector-copy!", b)
        if d < 0 or d + e > len(dst):
            raise _out_of_range("bytevector-copy!", d)
        dst[d:d + e] = src[b:b + e]
        return UNSPECIFIED
    dst = _bv("bytevector-copy!", 1, a)
    src = _bv("bytevector-copy!", 3, c)
    start, end = bounds("bytevector-copy!", len(src), d, e, 4)
    _int("bytevector-copy!", 2, b)
    if not 0 <= b <= len(dst) - (end - start):
        raise _out_of_range("bytevector-copy!", b)
    dst[b:b + end - start] = src[start:end]
    return UNSPECIFIED


def bytevector_append(*bvs: Any) -> bytearray:
    out = bytearray()
    for i, b in enumerate(bvs, 1):
        out += _bv("bytevector-append", i, b)
    return out


def bytevector_eq(a: Any, b: Any) -> bool:
    return _bv("bytevector=?", 1, a) == _bv("bytevector=?", 2, b)


def bytevector_fill(b: Any, fill: Any, start: Any = None, end: Any = None) -> Any:
    bv = _bv("bytevector-fill!", 1, b)
    if fill.__class__ is not int or not -128 <= fill <= 255:
        raise _out_of_range("bytevector-fill!", fill)
    start, end = bounds("bytevector-fill!", len(bv), start, end, 3)
    bv[start:end] = bytes([fill & 0xFF]) * (end - start)
    return UNSPECIFIED


def u8_list_to_bytevector(lst: Any) -> bytearray:
    items = list_items("u8-list->bytevector", 1, lst)
    for x in items:
        if x.__class__ is not int or not 0 <= x <= 255:
            raise wrong_type("u8-list->bytevector", 1, x)
    return bytearray(items)


def bytevector_to_u8_list(b: Any) -> Any:
    return from_items(list(_bv("bytevector->u8-list", 1, b)))


def utf8_to_string(b: Any, start: Any = None, end: Any = None) -> str:
    bv = _bv("utf8->string", 1, b)
    start, end = bounds("utf8->string", len(bv), start, end, 2)
    try:
        return bytes(bv[start:end]).decode("utf-8")
    except UnicodeDecodeError:
        raise scheme_error("input locale conversion error", bv, kind="decoding-error",
                           origin="utf8->string") from None


def string_to_utf8(s: Any, start: Any = None, end: Any = None) -> bytearray:
    t = string_arg(s, "string->utf8", 1)
    start, end = bounds("string->utf8", len(t), start, end, 2)
    return bytearray(t[start:end].encode("utf-8", "surrogatepass"))


def _codec(name: str, encoding: Any) -> str:
    """Python's codec for a Guile (iconv) encoding name, as (ice-9 iconv) accepts them."""
    import codecs

    enc = string_arg(encoding, name, 2)
    py = {"UTF-16": "utf-16-be", "UTF-32": "utf-32-be"}.get(enc.upper(), enc)
    try:
        return codecs.lookup(py).name
    except LookupError:
        raise scheme_error("invalid or unknown character encoding ~s", Symbol(enc.upper()),
                           kind="misc-error", origin="open_iconv_descriptors") from None


def _strategy(name: str, strategy: Any) -> str:
    if strategy is None:
        return "error"
    if strategy.__class__ is not Symbol or strategy.name not in ("error", "substitute", "escape"):
        raise wrong_type(name, 3, strategy, "conversion strategy")
    return strategy.name


def string_to_bytevector(s: Any, encoding: Any, strategy: Any = None) -> bytearray:
    """(ice-9 iconv): S in ENCODING; 'substitute writes ?, 'escape \\xNN, else an encoding-error."""
    t = string_arg(s, "string->bytevector", 1)
    codec = _codec("string->bytevector", encoding)
    how = _strategy("string->bytevector", strategy)
    bom = b"\xfe\xff" if codec == "utf-16-be" and encoding.upper() == "UTF-16" else b""
    try:
        return bytearray(bom + t.encode(codec))
    except UnicodeEncodeError as e:
        if how == "substitute":
            return bytearray(bom + t.encode(codec, "replace"))
        if how == "escape":
            return bytearray(bom + t.encode(codec, "backslashreplace"))
        raise scheme_error("conversion to port encoding failed", t[e.start], kind="encoding-error",
                           origin="string->bytevector") from None


def bytevector_to_string(b: Any, encoding: Any, strategy: Any = None) -> str:
    """(ice-9 iconv): the text BV holds in ENCODING; 'substitute puts U+FFFD for bad bytes."""
    bv = _bv("bytevector->string", 1, b)
    codec = _codec("bytevector->string", encoding)
    how = _strategy("bytevector->string", strategy)
    if codec == "utf-16-be" and bytes(bv[:2]) in (b"\xff\xfe", b"\xfe\xff"):
        codec = "utf-16"
    try:
        return bytes(bv).decode(codec)
    except UnicodeDecodeError:
        if how != "error":
            return bytes(bv).decode(codec, "replace")
        raise scheme_error("input decoding error", bv, kind="decoding-error",
                           origin="bytevector->string") from None


def native_endianness() -> Symbol:
    return _NATIVE


# ------------------------------------------------------------------ multi-byte integers


def _int_ref(name: str, size: int, signed: bool, native: bool) -> Any:
    def ref(b: Any, k: Any, endianness: Any = None) -> int:
        bv = _bv(name, 1, b)
        i = _byte_index(name, bv, k, size)
        order = _NATIVE.name if native else _endianness(name, 3, endianness)
        return int.from_bytes(bv[i:i + size], order, signed=signed)  # type: ignore[arg-type]

    ref.__name__ = name
    return ref


def _int_set(name: str, size: int, signed: bool, native: bool) -> Any:
    lo, hi = (-(1 << (8 * size - 1)), (1 << (8 * size - 1)) - 1) if signed else (0, (1 << (8 * size)) - 1)

    def setter(b: Any, k: Any, v: Any, endianness: Any = None) -> Any:
        bv = _bv(name, 1, b)
        i = _byte_index(name, bv, k, size)
        if _int(name, 3, v) < lo or v > hi:
            raise _out_of_range(name, v)
        order = _NATIVE.name if native else _endianness(name, 4, endianness)
        bv[i:i + size] = v.to_bytes(size, order, signed=signed)  # type: ignore[arg-type]
        return UNSPECIFIED

    setter.__name__ = name
    return setter


def bytevector_uint_ref(b: Any, k: Any, endianness: Any, size: Any) -> int:
    bv = _bv("bytevector-uint-ref", 1, b)
    _int("bytevector-uint-ref", 4, size)
    i = _byte_index("bytevector-uint-ref", bv, k, size)
    return int.from_bytes(bv[i:i + size], _endianness("bytevector-uint-ref", 3, endianness))  # type: ignore


def bytevector_sint_ref(b: Any, k: Any, endianness: Any, size: Any) -> int:
    bv = _bv("bytevector-sint-ref", 1, b)
    _int("bytevector-sint-ref", 4, size)
    i = _byte_index("bytevector-sint-ref", bv, k, size)
    order = _endianness("bytevector-sint-ref", 3, endianness)
    return int.from_bytes(bv[i:i + size], order, signed=True)  # type: ignore[arg-type]


def _any_int_set(name: str, signed: bool) -> Any:
    def setter(b: Any, k: Any, v: Any, endianness: Any, size: Any) -> Any:
        bv = _bv(name, 1, b)
        _int(name, 5, size)
        i = _byte_index(name, bv, k, size)
        _int(name, 3, v)
        try:
            data = v.to_bytes(size, _endianness(name, 4, endianness), signed=signed)  # type: ignore[arg-type]
        except OverflowError:
            raise _out_of_range(name, v) from None
        bv[i:i + size] = data
        return UNSPECIFIED

    setter.__name__ = name
    return setter


def _list_of_ints(name: str, signed: bool) -> Any:
    def convert(b: Any, endianness: Any, size: Any) -> Any:
        bv = _bv(name, 1, b)
        order = _endianness(name, 2, endianness)
        if _int(name, 3, size) <= 0 or len(bv) % size:
            raise _out_of_range(name, size)
        return from_items([int.from_bytes(bv[i:i + size], order, signed=signed)  # type: ignore[arg-type]
                           for i in range(0, len(bv), size)])

    convert.__name__ = name
    return convert


def _float_ref(name: str, fmt: str, native: bool) -> Any:
    size = struct.calcsize(fmt)

    def ref(b: Any, k: Any, endianness: Any = None) -> float:
        bv = _bv(name, 1, b)
        i = _byte_index(name, bv, k, size)
        order = _NATIVE.name if native else _endianness(name, 3, endianness)
        return struct.unpack(("<" if order == "little" else ">") + fmt, bv[i:i + size])[0]

    ref.__name__ = name
    return ref


def _float_set(name: str, fmt: str, native: bool) -> Any:
    size = struct.calcsize(fmt)

    def setter(b: Any, k: Any, v: Any, endianness: Any = None) -> Any:
        from schemy.runtime.primitives.numbers import is_real, to_float

        bv = _bv(name, 1, b)
        i = _byte_index(name, bv, k, size)
        if not is_real(v):
            raise wrong_type(name, 3, v)
        order = _NATIVE.name if native else _endianness(name, 4, endianness)
        try:
            bv[i:i + size] = struct.pack(("<" if order == "little" else ">") + fmt, to_float(v))
        except OverflowError:
            bv[i:i + size] = struct.pack(("<" if order == "little" else ">") + fmt,
                                         float("inf") if v > 0 else float("-inf"))
        return UNSPECIFIED

    setter.__name__ = name
    return setter


def _integer_accessors() -> dict[str, Any]:
    table: dict[str, Any] = {}
    for bits in (16, 32, 64):
        for signed in (False, True):
            size = bits // 8
            base = f"bytevector-{'s' if signed else 'u'}{bits}"
            for native in (False, True):
                infix = "-native" if native else ""
                table[f"{base}{infix}-ref"] = _int_ref(f"{base}{infix}-ref", size, signed, native)
                table[f"{base}{infix}-set!"] = _int_set(f"{base}{infix}-set!", size, signed, native)
    for kind, fmt in (("single", "f"), ("double", "d")):
        base = f"bytevector-ieee-{kind}"
        for native in (False, True):
            infix = "-native" if native else ""
            table[f"{base}{infix}-ref"] = _float_ref(f"{base}{infix}-ref", fmt, native)
            table[f"{base}{infix}-set!"] = _float_set(f"{base}{infix}-set!", fmt, native)
    return table


PRIMITIVES: dict[str, Any] = {
    "bytevector?": bytevector_p,
    "make-bytevector": make_bytevector,
    "bytevector": bytevector,
    "bytevector-length": bytevector_length,
    "bytevector-u8-ref": bytevector_u8_ref,
    "bytevector-u8-set!": bytevector_u8_set,
    "bytevector-s8-ref": bytevector_s8_ref,
    "bytevector-s8-set!": bytevector_s8_set,
    "bytevector-copy": bytevector_copy,
    "bytevector-copy!": bytevector_copy_bang,
    "bytevector-append": bytevector_append,
    "bytevector=?": bytevector_eq,
    "bytevector-fill!": bytevector_fill,
    "u8-list->bytevector": u8_list_to_bytevector,
    "bytevector->u8-list": bytevector_to_u8_list,
    "utf8->string": utf8_to_string,
    "string->utf8": string_to_utf8,
    "native-endianness": native_endianness,
    "string->bytevector": string_to_bytevector,
    "bytevector->string": bytevector_to_string,
    "bytevector-uint-ref": bytevector_uint_ref,
    "bytevector-sint-ref": bytevector_sint_ref,
    "bytevector-uint-set!": _any_int_set("bytevector-uint-set!", False),
    "bytevector-sint-set!": _any_int_set("bytevector-sint-set!", True),
    "bytevector->uint-list": _list_of_ints("bytevector->uint-list", False),
    "bytevector->sint-list": _list_of_ints("bytevector->sint-list", True),
    **_integer_accessors(),
}

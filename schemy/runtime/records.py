"""Record types: SRFI-9 ``define-record-type`` and Guile's record procedures.

A record is a ``Record`` holding its type descriptor and a Python list of
field values; accessors are closures that index that list after one identity
check of the type, so field access is cheap.
"""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import UNSPECIFIED, Pair, Symbol, list_to_python, make_list
from schemy.lang.errors import scheme_error, wrong_type


class RecordType:
    """A record type descriptor (Guile's ``record-type-descriptor``)."""

    __slots__ = ("name", "fields", "index", "printer", "properties", "__weakref__")

    def __init__(self, name: str, fields: list[Symbol]) -> None:
        self.name = name
        self.fields = list(fields)
        self.index = {f: i for i, f in enumerate(self.fields)}
        self.printer: Any = None
        self.properties: dict[str, Any] = {}

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<record-type {self.name}>"

    def display_name(self) -> str:
        n = self.name
        return n[1:-1] if n.startswith("<") and n.endswith(">") else n


class Record:
    __slots__ = ("rtd", "values")

    def __init__(self, rtd: RecordType, values: list) -> None:
        self.rtd = rtd
        self.values = values

    def __scheme_equal__(self, other: Any) -> bool:
        """Guile 3's ``equal?`` compares records of one type field by field."""
        if other.__class__ is not Record or other.rtd is not self.rtd:
            return False
        from schemy.runtime.primitives.equality import is_equal

        return all(is_equal(a, b) for a, b in zip(self.values, other.values))

    def __scheme_repr__(self, write: bool) -> str:
        rtd = self.rtd
        if rtd.printer is not None:
            from schemy.runtime.ports import call_with_output_string_py

            return call_with_output_string_py(lambda port: rtd.printer(self, port))
        from schemy.lang.printer import write_string

        inner = " ".join(f"{f.name}: {write_string(v)}" for f, v in zip(rtd.fields, self.values))
        # As Guile: the type's name as given, so ``<point>`` prints ``#<<point> x: 1 y: 2>``.
        return f"#<{rtd.name} {inner}>" if inner else f"#<{rtd.name}>"


def make_record_type(name: Any, fields: Any, printer: Any = False) -> RecordType:
    n = name.name if isinstance(name, Symbol) else str(name)
    flds = []
    for f in list_to_python(fields):
        # Guile accepts (mutable name) / (immutable name) field specs too.
        flds.append(f.cdr.car if isinstance(f, Pair) else f)
    rtd = RecordType(n, flds)
    if printer is not False:
        rtd.printer = printer
    return rtd


def record_constructor(rtd: RecordType, fields: Any = None) -> Any:
    nfields = len(rtd.fields)
    if fields is None or fields is False:
        order = list(range(nfields))
    else:
        order = []
        for f in list_to_python(fields):
            if f not in rtd.index:
                raise scheme_error(f"record-constructor: unknown field {f.name} of {rtd.name}")
            order.append(rtd.index[f])
    n = len(order)
    if order == list(range(nfields)):
        def construct(*args: Any) -> Record:
            if len(args) != n:
                raise scheme_error(f"Wrong number of arguments to #<procedure make-{rtd.display_name()}>",
                                   kind="wrong-number-of-args")
            return Record(rtd, list(args))
    else:
        def construct(*args: Any) -> Record:
            if len(args) != n:
                raise scheme_error(f"Wrong number of arguments to #<procedure make-{rtd.display_name()}>",
                                   kind="wrong-number-of-args")
            values: list = [False] * nfields
            for i, a in zip(order, args):
                values[i] = a
            return Record(rtd, values)
    construct.scheme_name = f"make-{rtd.display_name()}"
    return construct


def record_predicate(rtd: RecordType) -> Any:
    def pred(x: Any) -> bool:
        return x.__class__ is Record and x.rtd is rtd

    pred.scheme_name = f"{rtd.display_name()}?"
    return pred


def record_accessor(rtd: RecordType, field: Symbol, name: str | None = None) -> Any:
    i = rtd.index.get(field)
    if i is None:
        raise scheme_error(f"record-accessor: unknown field {field.name} of {rtd.name}")
    origin = name or f"{rtd.display_name()}-{field.name}"

    def access(r: Any) -> Any:
        if r.__class__ is Record and r.rtd is rtd:
            return r.values[i]
        raise wrong_type(origin, 1, r, rtd.display_name())

    access.scheme_name = origin
    return access


def record_modifier(rtd: RecordType, field: Symbol, name: str | None = None) -> Any:
    i = rtd.index.get(field)
    if i is None:
        raise scheme_error(f"record-modifier: unknown field {field.name} of {rtd.name}")
    origin = name or f"set-{rtd.display_name()}-{field.name}!"

    def modify(r: Any, v: Any) -> Any:
        if r.__class__ is Record and r.rtd is rtd:
            r.values[i] = v
            return UNSPECIFIED
        raise wrong_type(origin, 1, r, rtd.display_name())

    modify.scheme_name = origin
    return modify


def is_record(x: Any) -> bool:
    return x.__class__ is Record


def record_type_descriptor(r: Any) -> RecordType:
    if r.__class__ is not Record:
        raise wrong_type("record-type-descriptor", 1, r, "record")
    return r.rtd


def record_type_name(rtd: RecordType) -> Symbol:
    return Symbol(rtd.name)


def record_type_fields(rtd: RecordType) -> Any:
    return make_list(rtd.fields)


def set_record_type_printer(rtd: RecordType, printer: Any) -> Any:
    if not isinstance(rtd, RecordType):
        raise wrong_type("set-record-type-printer!", 1, rtd, "record-type")
    rtd.printer = printer
    return UNSPECIFIED


# ====================================================================== Guix-style records
# ``define-record-type*`` itself is Scheme (stdlib/guix/records.scm); these are the
# run-time pieces it expands into, and the expansion-time builder of constructor uses.


class Thunk:
    """A thunked field's value: recomputed from the record on every read."""

    __slots__ = ("proc",)

    def __init__(self, proc: Any) -> None:
        self.proc = proc


class StarInfo:
    """What ``define-record-type*`` knows about a type: field kinds, defaults, sanitizers."""

    __slots__ = ("kinds", "innate", "defaults", "sanitizers", "ctor_name")

    def __init__(self, kinds: list[str], innate: list[bool], ctor_name: str) -> None:
        self.kinds = kinds
        self.innate = innate
        self.defaults: dict[int, Any] = {}
        self.sanitizers: dict[int, Any] = {}
        self.ctor_name = ctor_name


def record_star_setup(rtd: RecordType, ctor_name: Symbol, kinds: Any, innate: Any, defaults: Any,
                      sanitizers: Any) -> Any:
    """Attach field kinds ('plain/'thunked/'delayed), innate flags, default and sanitize procedures."""
    info = StarInfo([k.name for k in list_to_python(kinds)], [x is not False for x in list_to_python(innate)],
                    ctor_name.name)
    for i, d in enumerate(list_to_python(defaults)):
        if d is not False:
            info.defaults[i] = d
    for i, san in enumerate(list_to_python(sanitizers)):
        if san is not False:
            info.sanitizers[i] = san
    rtd.properties["star"] = info
    return UNSPECIFIED


def make_record_star(rtd: RecordType, loc: Any, names: Any, values: Any, base: Any) -> Record:
    """Build a record from ``(field value)`` clauses, ``inherit`` and defaults (Guix semantics).
    The given values are already sanitized (``sanitize_field``) and inherited ones were when
    the base was built; only defaults go through the sanitizer here."""
    from schemy.lang.errors import SchemeError

    info: StarInfo = rtd.properties["star"]
    n = len(rtd.fields)
    slots: list = [_MISSING] * n
    given = list_to_python(names)
    vals = list_to_python(values)
    for name, v in zip(given, vals):
        slots[rtd.index[name]] = v
    if base is not False:
        if base.__class__ is not Record or base.rtd is not rtd:
            raise scheme_error(f"{info.ctor_name}: inherit: not a {rtd.display_name()} record", base,
                               loc=loc if loc is not False else None)
        for i in range(n):
            if slots[i] is _MISSING and not info.innate[i]:
                slots[i] = base.values[i]
    record = Record(rtd, slots)
    global _construction_loc
    saved_loc = _construction_loc
    _construction_loc = loc
    try:
        for i in range(n):
            if slots[i] is _MISSING:
                default = info.defaults.get(i)
                kind = info.kinds[i]
                if default is None:
                    raise scheme_error(f"missing field initializers ({rtd.fields[i].name})",
                                       kind="syntax-error")
                if kind == "thunked":
                    slots[i] = Thunk(default)
                elif kind == "delayed":
                    slots[i] = _delay(default, record)
                else:
                    slots[i] = default(record)
                san = info.sanitizers.get(i)
                if san is not None and kind == "plain":
                    slots[i] = san(slots[i])
    except SchemeError as e:
        if e.loc is None and loc is not False:
            e.loc = loc
        raise
    finally:
        _construction_loc = saved_loc
    return record


_construction_loc: Any = False


def sanitize_field(rtd: RecordType, loc: Any, name: Symbol, value: Any) -> Any:
    """The value a constructor use gives field ``name``, through the field's sanitizer (for a
    plain field: thunked fields sanitize each computed value).  Called as each ``(field
    value)`` clause is bound, so later clauses see the sanitized value, as in Guix."""
    from schemy.lang.errors import SchemeError

    info: StarInfo = rtd.properties["star"]
    i = rtd.index[name]
    san = info.sanitizers.get(i)
    if san is None or info.kinds[i] != "plain":
        return value
    global _construction_loc
    saved_loc = _construction_loc
    _construction_loc = loc
    try:
        return san(value)
    except SchemeError as e:
        if e.loc is None and loc is not False:
            e.loc = loc
        raise
    finally:
        _construction_loc = saved_loc


def construction_location() -> Any:
    """Where the record being built by a ``define-record-type*`` constructor was written."""
    return _construction_loc


class _Missing:
    __slots__ = ()


_MISSING = _Missing()


def _delay(default: Any, record: Record) -> Any:
    from schemy.runtime.control import make_lazy_promise

    return make_lazy_promise(lambda: default(record), False)


def record_field_accessor(rtd: RecordType, field: Symbol, name: Any = False) -> Any:
    """Accessor for a ``define-record-type*`` field: forces thunked and delayed values."""
    i = rtd.index[field]
    kind = rtd.properties["star"].kinds[i]
    origin = name.name if isinstance(name, Symbol) else f"{rtd.display_name()}-{field.name}"
    if kind == "plain":
        def access(r: Any) -> Any:
            if r.__class__ is Record and r.rtd is rtd:
                return r.values[i]
            raise wrong_type(origin, 1, r, rtd.display_name())
    elif kind == "thunked":
        san = rtd.properties["star"].sanitizers.get(i)

        def access(r: Any) -> Any:
            if r.__class__ is Record and r.rtd is rtd:
                v = r.values[i]
                if v.__class__ is Thunk:
                    v = v.proc(r)
                    if san is not None:
                        v = san(v)
                return v
            raise wrong_type(origin, 1, r, rtd.display_name())
    else:
        from schemy.runtime.control import force

        def access(r: Any) -> Any:
            if r.__class__ is Record and r.rtd is rtd:
                return force(r.values[i])
            raise wrong_type(origin, 1, r, rtd.display_name())
    access.scheme_name = origin
    return access


def record_ref(r: Any, field: Symbol, rtd: Any = None) -> Any:
    """The value of ``field`` in record ``r`` (forcing thunked and delayed fields)."""
    if r.__class__ is not Record or (rtd is not None and r.rtd is not rtd):
        raise wrong_type("record-ref", 1, r, rtd.display_name() if rtd is not None else "record")
    i = r.rtd.index.get(field)
    if i is None:
        raise scheme_error(f"{r.rtd.display_name()} has no field named {field.name}", kind="wrong-type-arg")
    v = r.values[i]
    if v.__class__ is Thunk:
        return v.proc(r)
    from schemy.runtime.control import Promise, force

    return force(v) if isinstance(v, Promise) else v


def adopt_location(value: Any, loc: Any) -> Any:
    """Give records in ``value`` (a record or a list of them) the location ``loc`` when theirs is
    in the standard library or unknown: they were built by library code for a user's service."""
    from schemy.lang.datum import SourceLocation

    if not isinstance(loc, SourceLocation):
        return value
    items = [value] if value.__class__ is Record else (list(value) if value.__class__ is Pair else [])
    stdlib = _stdlib_prefix()
    for r in items:
        if r.__class__ is not Record:
            continue
        i = r.rtd.index.get(Symbol("location"))
        if i is None:
            continue
        current = r.values[i]
        if current is False or (isinstance(current, SourceLocation) and current.filename.startswith(stdlib)):
            r.values[i] = loc
    return value


def _stdlib_prefix() -> str:
    from schemy.lang.resources import STDLIB_DIR

    return str(STDLIB_DIR)


def make_list_proc(*items: Any) -> Any:
    return make_list(items)


PRIMITIVES: dict[str, Any] = {
    "%record-star-setup!": record_star_setup,
    "%make-record*": make_record_star,
    "%record-field-accessor": record_field_accessor,
    "%record-ref": record_ref,
    "%adopt-location!": adopt_location,
    "%construction-location": construction_location,
    "%record-ref-checked": lambda r, rtd, field: record_ref(r, field, rtd),
    "make-record-type": make_record_type,
    "record-constructor": record_constructor,
    "record-predicate": record_predicate,
    "record-accessor": record_accessor,
    "record-modifier": record_modifier,
    "record?": is_record,
    "record-type-descriptor": record_type_descriptor,
    "record-type-name": record_type_name,
    "record-type-fields": record_type_fields,
    "set-record-type-printer!": set_record_type_printer,
}

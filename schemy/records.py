"""Record types: SRFI-9 ``define-record-type`` and Guile's record procedures.

A record is a ``Record`` holding its type descriptor and a Python list of
field values; accessors are closures that index that list after one identity
check of the type, so field access is cheap.
"""

from __future__ import annotations

from typing import Any

from schemy.datum import NIL, UNSPECIFIED, Pair, Symbol, list_to_python, make_list
from schemy.errors import scheme_error, wrong_type


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

    def __scheme_repr__(self, write: bool) -> str:
        rtd = self.rtd
        if rtd.printer is not None:
            from schemy.ports import call_with_output_string_py

            return call_with_output_string_py(lambda port: rtd.printer(self, port))
        from schemy.printer import write_string

        inner = " ".join(f"{f.name}: {write_string(v)}" for f, v in zip(rtd.fields, self.values))
        return f"#<{rtd.display_name()} {inner}>" if inner else f"#<{rtd.display_name()}>"


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
    rtd.printer = printer
    return UNSPECIFIED


def rewrite_define_record_type(ex: Any, form: Pair) -> Pair:
    """SRFI-9 ``define-record-type`` -> definitions calling the procedures above."""
    from schemy.expander import form_list, syntax_error
    from schemy.syntax import Ident, identifier_symbol, is_identifier

    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad define-record-type", form)
    type_name, ctor, pred_name = parts[1], parts[2], parts[3] if len(parts) > 3 else False
    field_specs = [form_list(f, "record field") if isinstance(f, Pair) else [f] for f in parts[4:]]
    fields = [identifier_symbol(f[0]) for f in field_specs]
    define = Ident(Symbol("define"), ex.interp.core_scope)
    quote = Ident(Symbol("quote"), ex.interp.core_scope)
    tname = identifier_symbol(type_name if is_identifier(type_name) else type_name.car)
    out = [make_list([define, type_name,
                      make_list([make_record_type, make_list([quote, tname]), make_list([quote, make_list(fields)])])])]
    if ctor is not False and ctor is not NIL:
        if is_identifier(ctor):
            ctor_name, ctor_fields = ctor, make_list(fields)
        else:
            ctor_name, ctor_fields = ctor.car, make_list([identifier_symbol(x) for x in form_list(ctor.cdr)])
            for f in list_to_python(ctor_fields):
                if f not in fields:
                    raise syntax_error(f"define-record-type: constructor field {f.name} is not a field", form)
        out.append(make_list([define, ctor_name,
                              make_list([record_constructor, type_name, make_list([quote, ctor_fields])])]))
    if pred_name is not False:
        out.append(make_list([define, pred_name, make_list([record_predicate, type_name])]))
    for spec in field_specs:
        fname = identifier_symbol(spec[0])
        if len(spec) > 1:
            out.append(make_list([define, spec[1], make_list([
                record_accessor, type_name, make_list([quote, fname]), identifier_symbol(spec[1]).name])]))
        if len(spec) > 2:
            out.append(make_list([define, spec[2], make_list([
                record_modifier, type_name, make_list([quote, fname]), identifier_symbol(spec[2]).name])]))
    return Pair(Ident(Symbol("begin"), ex.interp.core_scope), make_list(out), form.loc)


PRIMITIVES: dict[str, Any] = {
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

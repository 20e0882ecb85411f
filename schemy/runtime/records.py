"""Record types: SRFI-9 ``define-record-type`` and Guile's record procedures.

A record is a ``Record`` holding its type descriptor and a Python list of
field values; accessors are closures that index that list after one identity
check of the type, so field access is cheap.
"""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import NIL, UNSPECIFIED, Pair, Symbol, list_to_python, make_list
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
    if not isinstance(rtd, RecordType):
        raise wrong_type("set-record-type-printer!", 1, rtd, "record-type")
    rtd.printer = printer
    return UNSPECIFIED


def rewrite_define_record_type(ex: Any, form: Pair) -> Pair:
    """SRFI-9 ``define-record-type`` -> definitions calling the procedures above."""
    from schemy.expand.expander import form_list, syntax_error
    from schemy.lang.syntax import Ident, identifier_symbol, is_identifier

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
    """Build a record from ``(field value)`` clauses, ``inherit`` and defaults (Guix semantics)."""
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
            if san is not None and info.kinds[i] == "plain":
                slots[i] = san(slots[i])
    except SchemeError as e:
        if e.loc is None and loc is not False:
            e.loc = loc
        raise
    finally:
        _construction_loc = saved_loc
    return record


_construction_loc: Any = False


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


def record_instance_syntax(form: Any, rtd_id: Any, fields: Any, kinds: Any, has_default: Any,
                           this_id: Any) -> Any:
    """Expand ``(TYPE (field value) ... (inherit base))`` into a ``make_record_star`` call.

    Field names are checked here, at expansion time, so a misspelled or missing field is
    reported at the form in the user's file, with Guix's wording.
    """
    from schemy.expand.expander import form_list, syntax_error
    from schemy.expand.macros import datum_to_syntax
    from schemy.lang.syntax import Ident, identifier_symbol, is_identifier

    interp_scope = _core_scope()
    field_list = list_to_python(fields)
    kind_list = [k.name for k in list_to_python(kinds)]
    default_list = [d is not False for d in list_to_python(has_default)]
    clauses = form_list(form)[1:]
    base: Any = False
    names: list = []
    exprs: list = []
    extraneous: list = []
    ctx = form.car
    for clause in clauses:
        if is_identifier(clause):  # (type field) abbreviates (type (field field))
            name, expr = identifier_symbol(clause), clause
        elif clause.__class__ is Pair and is_identifier(clause.car) and clause.cdr.__class__ is Pair \
                and clause.cdr.cdr is NIL:
            name, expr = identifier_symbol(clause.car), clause.cdr.car
            if name.name == "inherit" and name not in field_list:
                base = expr
                continue
        else:
            raise syntax_error("invalid field specifier", clause if clause.__class__ is Pair else form,
                               loc=getattr(clause, "loc", None) or form.loc)
        if name not in field_list:
            extraneous.append(name.name)
            continue
        if name in names:
            raise syntax_error(f"duplicate field initializer ({name.name})", None, form.loc)
        i = field_list.index(name)
        if kind_list[i] == "thunked":
            tr = datum_to_syntax(ctx, Symbol("this-record"))
            lam = Ident(Symbol("lambda"), interp_scope)
            let = Ident(Symbol("let"), interp_scope)
            body = expr
            if this_id is not False:
                user_this = datum_to_syntax(ctx, this_id)
                body = make_list([let, make_list([make_list([user_this, tr])]), expr])
            expr = make_list([lam, make_list([tr]), body])
            expr = make_list([Thunk, expr])
        elif kind_list[i] == "delayed":
            expr = make_list([Ident(Symbol("delay"), interp_scope), expr])
        names.append(name)
        exprs.append(expr)
    if extraneous:
        import difflib

        from schemy.lang.errors import Condition, SchemeError

        known = [f.name for f in field_list]
        guesses = [g for x in extraneous for g in difflib.get_close_matches(x, known, 1, 0.7)]
        hint = f"did you mean {' or '.join(guesses)}?" if guesses else None
        message = f"extraneous field initializers ({' '.join(extraneous)})"
        raise SchemeError(Condition("syntax-error", message, hint=hint), loc=form.loc)
    if base is False:
        missing = [f.name for f, has, n in zip(field_list, default_list, field_list)
                   if not has and n not in names]
        if missing:
            from schemy.lang.errors import Condition, SchemeError

            raise SchemeError(Condition("syntax-error", f"missing field initializers ({' '.join(missing)})"),
                              loc=form.loc)
    quote = Ident(Symbol("quote"), interp_scope)
    loc = form.loc if form.loc is not None else False
    return make_list([make_record_star, rtd_id, loc, make_list([quote, make_list(names)]),
                      Pair(make_list_proc, make_list(exprs)), base], NIL)


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
    from schemy.eval.interpreter import STDLIB_DIR

    return str(STDLIB_DIR)


def make_list_proc(*items: Any) -> Any:
    return make_list(items)


def _core_scope() -> Any:
    from schemy.eval.interpreter import current_interpreter

    return current_interpreter().core_scope


PRIMITIVES: dict[str, Any] = {
    "%record-star-setup!": record_star_setup,
    "%make-record*": make_record_star,
    "%record-field-accessor": record_field_accessor,
    "%record-instance-syntax": record_instance_syntax,
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

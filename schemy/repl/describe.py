"""``,describe`` and completion: what a name is bound to, read from the running interpreter.

A procedure's formals and docstring (the docstring of a Scheme procedure is found in the source
of its definition), a record type's fields, a configuration's fields with their types, defaults
and documentation, a service type's extensions; and, for the terminal's completion, the names
visible in the current module and the field names of the record a constructor builds.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from schemy.lang.datum import MString, Pair, SourceLocation, Symbol
from schemy.lang.errors import SchemeError
from schemy.lang.reader import read

# Printed values longer than this are cut (a whole operating-system can run to pages).
MAX_VALUE_CHARS = 4000


class Describer:
    """Answers questions about the bindings of the interpreter's current module."""

    def __init__(self, interp: Any) -> None:
        self.interp = interp
        # Docstrings of the procedures typed at the prompt, by the location of their definition.
        self.repl_docs: dict[SourceLocation, str] = {}
        self._file_forms: dict[str, tuple[float, list]] = {}

    @property
    def module(self) -> Any:
        return self.interp.current_module

    def visible_bindings(self) -> dict[str, tuple[str, Any]]:
        """Every name visible in the current module -> (providing module, binding)."""
        from schemy.runtime.modules import Cell

        module = self.module
        out: dict[str, tuple[str, Any]] = {}
        for iface in module.imports:
            where = iface.module.display_name()
            for name, b in iface.mapping().items():
                out[name.name] = (where, b)
        for name, b in module.table.items():
            out[name.name] = (module.display_name(), b)
        return {k: v for k, v in out.items() if not (isinstance(v[1], Cell) and not v[1].bound)}

    def value_of(self, name: str, home: Any = None) -> Any:
        """The value bound to ``name`` in the current module (else in ``home``, the module that
        defined a related binding: record types and field lists are often not exported)."""
        from schemy.runtime.modules import Cell

        for module in (self.module, home):
            if module is None:
                continue
            b = module.lookup(Symbol(name))
            if isinstance(b, Cell) and b.bound:
                return b.value
        return None

    def home_module(self, name: str) -> Any:
        """The module where the binding ``name`` (as seen from the current module) was defined."""
        from schemy.runtime.modules import Cell

        b = self.module.lookup(Symbol(name))
        if isinstance(b, Cell):
            return b.module
        env = getattr(b, "env", None)
        return getattr(env, "module", None)

    def record_type_for(self, name: str) -> Any:
        """The record type built by the constructor (macro or procedure) called ``name``, if any."""
        from schemy.runtime.records import RecordType

        rtd = self.value_of(f"<{name}>", self.home_module(name))
        if isinstance(rtd, RecordType) and "star" in rtd.properties:
            return rtd
        for _, b in self.visible_bindings().values():
            value = getattr(b, "value", None)
            if isinstance(value, RecordType):
                star = value.properties.get("star")
                if star is not None and star.ctor_name == name:
                    return value
        return None

    def configuration_fields(self, name: str) -> list | None:
        """The configuration-field records of the configuration ``name`` (its ``NAME-fields``)."""
        from schemy.lang.datum import list_to_python
        from schemy.runtime.records import Record

        fields = self.value_of(f"{name}-fields", self.home_module(name))
        if fields is None:
            return None
        try:
            items = list_to_python(fields)
        except (ValueError, AttributeError):
            return None
        if items and all(isinstance(f, Record) and f.rtd.name == "<configuration-field>" for f in items):
            return items
        return None

    def field_completions(self, ctor: str) -> list[tuple[str, str]]:
        """(field name, short description) for the fields of the record built by ``ctor``."""
        from schemy.runtime.records import record_ref

        fields = self.configuration_fields(ctor)
        if fields is not None:
            return [(record_ref(f, Symbol("name")).name, str(record_ref(f, Symbol("type")).name))
                    for f in fields] + [("inherit", "base record")]
        rtd = self.record_type_for(ctor)
        if rtd is None:
            return []
        star = rtd.properties.get("star")
        kinds = star.kinds if star is not None else ["plain"] * len(rtd.fields)
        return [(f.name, "" if k == "plain" else k) for f, k in zip(rtd.fields, kinds)] + \
            ([("inherit", "base record")] if star is not None else [])

    # ------------------------------------------------------------ ,describe
    def describe(self, name: str) -> str:
        """The text of ``,describe NAME`` (runs on the evaluation thread: it may call Scheme code)."""
        from schemy.lang.syntax import Macro, SpecialForm
        from schemy.runtime.modules import Cell
        from schemy.runtime.records import Record, RecordType

        binding = self.module.lookup(Symbol(name))
        if binding is None or (isinstance(binding, Cell) and not binding.bound):
            text = f"{name}: unbound in {self.module.display_name()}"
            hint = _hint(self.interp, name)
            return text + (f"\nhint: {hint}" if hint else "")
        if isinstance(binding, (Macro, SpecialForm)):
            if self.configuration_fields(name) is not None:
                return self.describe_configuration(name)
            rtd = self.record_type_for(name)
            if rtd is not None:
                return self.describe_record_type(rtd, name)
            if isinstance(binding, SpecialForm):
                return f"{name} is a core syntactic keyword."
            return f"{name} is a macro."
        value = binding.value
        if isinstance(value, RecordType):
            star = value.properties.get("star")
            if star is not None and self.configuration_fields(star.ctor_name) is not None:
                return self.describe_configuration(star.ctor_name)
            return self.describe_record_type(value, name)
        if isinstance(value, Record):
            if value.rtd.name == "<service-type>":
                return self.describe_service_type(name, value)
            return self.describe_record(name, value)
        if callable(value):
            if self.configuration_fields(name) is not None:
                return self.describe_configuration(name)
            return self.describe_procedure(name, value)
        from schemy.lang.printer import write_string

        return f"{name} is a variable of {binding.module.display_name() if binding.module else '?'}:\n" \
               f"  {cut(write_string(value))}"

    def describe_procedure(self, name: str, fn: Any) -> str:
        from schemy.lang.procinfo import primitive_name, procedure_info

        info = procedure_info(fn)
        if info is not None:
            proc_name, formals, loc = info
            if formals.startswith("("):
                inner = formals[1:-1].strip()
                signature = f"({proc_name}{' ' + inner if inner else ''})"
            else:
                signature = f"({proc_name} . {formals})"
            lines = [f"{name} is a procedure: {signature}"]
            doc = self.docstring(fn, loc)
            if doc:
                lines.append(_indent(doc, 2))
            if loc is not None:
                lines.append(f"  defined at {loc}")
            return "\n".join(lines)
        scheme_name = primitive_name(fn) or name
        rtd = _closure_record_type(fn)
        if rtd is not None:
            return f"{name} is a procedure on {rtd.name} records: ({scheme_name}{_python_formals(fn)})"
        lines = [f"{name} is a primitive procedure: ({scheme_name}{_python_formals(fn)})"]
        doc = getattr(fn, "__doc__", None)
        if doc and not isinstance(fn, type):
            lines.append(_indent(textwrap.dedent(doc).strip(), 2))
        return "\n".join(lines)

    def describe_record_type(self, rtd: Any, name: str) -> str:
        star = rtd.properties.get("star")
        kinds = star.kinds if star is not None else ["plain"] * len(rtd.fields)
        what = f"record type {rtd.name}" if name == rtd.name else f"constructor of record type {rtd.name}"
        lines = [f"{name}: {what}, {len(rtd.fields)} field{'s' if len(rtd.fields) != 1 else ''}:"]
        for i, (field, kind) in enumerate(zip(rtd.fields, kinds)):
            notes = []
            if kind != "plain":
                notes.append(kind)
            if star is not None:
                if star.innate[i]:
                    notes.append("innate")
                notes.append("has a default" if i in star.defaults else "required")
            lines.append(f"  {field.name}" + (f" ({', '.join(notes)})" if notes else ""))
        return "\n".join(lines)

    def describe_configuration(self, name: str) -> str:
        from schemy.lang.printer import write_string
        from schemy.runtime.records import record_ref

        fields = self.configuration_fields(name) or []
        lines = [f"{name}: configuration record type, {len(fields)} field{'s' if len(fields) != 1 else ''}:"]
        for f in fields:
            fname = record_ref(f, Symbol("name")).name
            ftype = record_ref(f, Symbol("type"))
            doc = record_ref(f, Symbol("documentation"))
            try:
                default = record_ref(f, Symbol("default-value-thunk"))()
                if default == Symbol("%unset-marker%"):
                    shown = "unset"
                else:
                    shown = "default: " + cut(write_string(default), 72)
            except SchemeError:
                shown = "required"
            type_name = ftype.name if isinstance(ftype, Symbol) else write_string(ftype)
            lines.append(f"  {fname} ({type_name}, {shown})")
            if doc:
                lines.append(textwrap.fill(" ".join(str(doc).split()), 78, initial_indent="      ",
                                           subsequent_indent="      "))
        return "\n".join(lines)

    def describe_service_type(self, name: str, st: Any) -> str:
        from schemy.lang.datum import list_to_python
        from schemy.lang.printer import write_string
        from schemy.runtime.records import Record, record_ref

        def field(f: str) -> Any:
            return record_ref(st, Symbol(f))

        lines = [f"{name}: service type {write_string(field('name'))}"]
        description = field("description")
        if description:
            lines.append(textwrap.fill(" ".join(str(description).split()), 78, initial_indent="  ",
                                       subsequent_indent="  "))
        targets = []
        for ext in list_to_python(field("extensions")):
            target = record_ref(ext, Symbol("target")) if isinstance(ext, Record) else ext
            targets.append(write_string(record_ref(target, Symbol("name")))
                           if isinstance(target, Record) else write_string(target))
        lines.append("  extends: " + (", ".join(targets) if targets else "nothing"))
        lines.append("  extensible: " + ("yes" if field("compose") is not False else "no"))
        default = field("default-value")
        if isinstance(default, Pair) and default.car == Symbol("no-default-value"):
            lines.append("  default value: none (a value must be given)")
        elif isinstance(default, Record):
            kind = default.rtd.display_name()
            lines.append(f"  default value: a default {kind} (see ,describe {kind})")
        else:
            lines.append("  default value: " + cut(write_string(default), 200))
        loc = field("location")
        if isinstance(loc, SourceLocation):
            lines.append(f"  defined at {loc}")
        return "\n".join(lines)

    def describe_record(self, name: str, record: Any) -> str:
        from schemy.lang.printer import write_string
        from schemy.runtime.records import record_ref

        lines = [f"{name} is a {record.rtd.display_name()} record:"]
        for f in record.rtd.fields:
            try:
                shown = cut(write_string(record_ref(record, f)), 200)
            except SchemeError as e:
                shown = f"#<error: {e.message()}>"
            lines.append(f"  {f.name}: {shown}")
        return "\n".join(lines)

    # ------------------------------------------------------------ docstrings
    def docstring(self, fn: Any, loc: SourceLocation | None) -> str | None:
        """The docstring of a compiled procedure, found from the source of its definition."""
        from schemy.lang.procinfo import procedure_doc

        doc = procedure_doc(fn)
        if doc is not None:
            return doc
        if loc is None:
            return None
        if loc in self.repl_docs:
            return self.repl_docs[loc]
        path = loc.filename
        try:
            mtime = os.path.getmtime(path)
        except OSError:
            return None
        cached = self._file_forms.get(path)
        if cached is None or cached[0] != mtime:
            try:
                forms = read(Path(path).read_text(encoding="utf-8"), path)
            except (OSError, SchemeError):
                return None
            cached = (mtime, forms)
            self._file_forms[path] = cached
        for form in _walk_pairs(cached[1]):
            if form.loc == loc:
                return _form_docstring(form)
        return None

    def note_docstrings(self, forms: list) -> None:
        for form in _walk_pairs(forms):
            if form.loc is not None:
                doc = _form_docstring(form)
                if doc is not None:
                    self.repl_docs[form.loc] = doc
                else:
                    self.repl_docs.pop(form.loc, None)


def cut(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """``text``, shortened to about ``limit`` characters."""
    if len(text) <= limit:
        return text
    omitted = len(text) - limit + 3
    return text[:limit - 3] + "..." + (f" [{omitted} more characters]" if omitted > 200 else "")


def _indent(text: str, n: int) -> str:
    return textwrap.indent(text, " " * n)


def _hint(interp: Any, name: str) -> str | None:
    try:
        from schemy.eval.library_index import hint_for

        return hint_for(interp, Symbol(name))
    except Exception:  # noqa: BLE001 - a hint is a nicety
        return None


def _closure_record_type(fn: Any) -> Any:
    """The record type a Python closure (a record accessor, predicate...) works on, if any."""
    from schemy.runtime.records import RecordType

    for cell in getattr(fn, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        if isinstance(value, RecordType):
            return value
    return None


def _python_formals(fn: Any) -> str:
    import inspect

    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return " . args"
    out = []
    rest = ""
    optional = False
    for p in sig.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            rest = f" . {p.name}"
        elif p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            if p.default is not p.empty and not optional:
                out.append("#:optional")
                optional = True
            out.append(p.name.replace("_", "-"))
    return ("" if not out else " " + " ".join(out)) + rest


def _walk_pairs(forms: Iterable[Any]) -> Iterator[Pair]:
    """Every pair that starts a list in ``forms`` (not the tails), depth first."""
    stack = list(reversed(list(forms)))
    seen: set[int] = set()
    while stack:
        x = stack.pop()
        if x.__class__ is not Pair or id(x) in seen:
            continue
        seen.add(id(x))
        yield x
        items = []
        while x.__class__ is Pair:
            items.append(x.car)
            x = x.cdr
        stack.extend(reversed(items))


_LAMBDA_HEADS = {"lambda", "lambda*", "case-lambda"}
_DEFINE_HEADS = {"define", "define*", "define-public", "define*-public"}


def _form_docstring(form: Pair) -> str | None:
    """The docstring of a ``(define (f ...) "doc" body)`` or ``(lambda args "doc" body)`` form."""
    head = form.car
    if not isinstance(head, Symbol) or form.cdr.__class__ is not Pair:
        return None
    if head.name in _DEFINE_HEADS:
        if form.cdr.car.__class__ is not Pair:
            return None
    elif head.name not in _LAMBDA_HEADS or head.name == "case-lambda":
        return None
    body = form.cdr.cdr
    if body.__class__ is Pair and isinstance(body.car, (str, MString)) and body.cdr.__class__ is Pair:
        return str(body.car)
    return None

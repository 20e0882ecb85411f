"""Record syntax: SRFI-9 ``define-record-type`` and the constructor uses of Guix's
``define-record-type*`` (``(TYPE (field value) ... (inherit base))``), rewritten at expansion
time into calls of the record runtime (schemy.runtime.records)."""

from __future__ import annotations

from typing import Any

from schemy.expand.forms import form_list, syntax_error
from schemy.expand.macros import datum_to_syntax
from schemy.lang.datum import NIL, Pair, Symbol, list_to_python, make_list, make_pair
from schemy.lang.errors import Condition, SchemeError
from schemy.lang.resources import removed_variables
from schemy.lang.syntax import Ident, identifier_symbol, is_identifier
from schemy.runtime import world
from schemy.runtime.records import (
    Thunk,
    make_list_proc,
    make_record_star,
    make_record_type,
    record_accessor,
    record_constructor,
    record_modifier,
    record_predicate,
    sanitize_field,
)


def rewrite_define_record_type(ex: Any, form: Pair) -> Pair:
    """SRFI-9 ``define-record-type`` -> definitions calling the procedures above."""
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
    return make_pair(Ident(Symbol("begin"), ex.interp.core_scope), make_list(out), form.loc)


def removed_fields_hint(record: str, fields: list[str]) -> str | None:
    """What Guix's history says of fields of ``record`` it no longer has: when each was
    removed and which fields replaced it (stdlib/gnu/removed-variables.json, derived by
    tools/derive_removed_variables.py)."""
    parts = []
    for field in fields:
        facts = removed_variables().get(f"{record}/{field}")
        if facts is None:
            continue
        text = f"the '{field}' field of {record} was removed from Guix in {facts['removed']}"
        replacement = facts.get("replacement")
        if replacement:
            text += "; it was replaced by " + " and ".join(f"the '{r}' field" for r in replacement)
        else:
            text += "; remove it"
        parts.append(text)
    return "; ".join(parts) if parts else None


def _field_specifier_hint(ctx: Any, clause: Any, fields: list) -> str:
    """Why CLAUSE of the record form CTX is no (FIELD VALUE) clause, and the likely fix."""
    # The form as written: a record whose constructor is wrapped (operating-system,
    # file-system) expands to the constructor %NAME.
    record = identifier_symbol(ctx).name.lstrip("%") if is_identifier(ctx) else "the record"
    if is_identifier(clause):
        return (f"{identifier_symbol(clause).name} is not a field of {record}: a field is given as "
                f"(FIELD VALUE); is the form around it the one you meant?")
    head = clause.car if clause.__class__ is Pair else None
    if head is not None and is_identifier(head):
        name = identifier_symbol(head)
        if name in fields:
            return (f"the field {name.name} takes one value: a parenthesis is probably misplaced, "
                    f"closing the value too late")
        if name.name.lstrip("%") == record:
            return (f"a ({record} ...) inside another one: a closing parenthesis is probably "
                    f"missing before it")
        return (f"({name.name} ...) is an expression, not a field of {record}: it lacks its field "
                f"name, as in (FIELD ({name.name} ...)), or a parenthesis before it is misplaced")
    return f"each clause of {record} is (FIELD VALUE)"


def record_instance_syntax(form: Any, rtd_id: Any, fields: Any, kinds: Any, has_default: Any,
                           this_id: Any) -> Any:
    """Expand ``(TYPE (field value) ... (inherit base))`` into a ``make_record_star`` call.

    Field names are checked here, at expansion time, so a misspelled or missing field is
    reported at the form in the user's file, with Guix's wording.
    """
    interp_scope = world.current().core_scope
    field_list = list_to_python(fields)
    kind_list = [k.name for k in list_to_python(kinds)]
    default_list = [d is not False for d in list_to_python(has_default)]
    clauses = form_list(form)[1:]
    base: Any = False
    names: list = []
    idents: list = []
    exprs: list = []
    extraneous: list = []
    ctx = form.car
    for clause in clauses:
        if is_identifier(clause) and identifier_symbol(clause) in field_list:
            # (type field) abbreviates (type (field field))
            ident, name, expr = clause, identifier_symbol(clause), clause
        elif clause.__class__ is Pair and is_identifier(clause.car) and clause.cdr.__class__ is Pair \
                and clause.cdr.cdr is NIL:
            ident, name, expr = clause.car, identifier_symbol(clause.car), clause.cdr.car
            if name.name == "inherit" and name not in field_list:
                base = expr
                continue
        else:
            raise syntax_error("invalid field specifier", clause if clause.__class__ is Pair else form,
                               loc=getattr(clause, "loc", None) or form.loc,
                               hint=_field_specifier_hint(ctx, clause, field_list))
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
                # In the context of the field's name as written, so that the value's own
                # `this-operating-system' means the record even when the record form itself
                # comes from a macro (schemy's `operating-system' wrapper): Guix's is a syntax
                # parameter, visible to any code inside a thunked field's value.
                user_this = datum_to_syntax(ident, this_id)
                body = make_list([let, make_list([make_list([user_this, tr])]), expr])
            expr = make_list([lam, make_list([tr]), body])
            expr = make_list([Thunk, expr])
        elif kind_list[i] == "delayed":
            expr = make_list([Ident(Symbol("delay"), interp_scope), expr])
        names.append(name)
        idents.append(ident)
        exprs.append(expr)
    if extraneous:
        known = [f.name for f in field_list]
        import difflib

        guesses = [g for x in extraneous for g in difflib.get_close_matches(x, known, 1, 0.7)]
        hint = f"did you mean {' or '.join(guesses)}?" if guesses else None
        if is_identifier(ctx):
            hint = removed_fields_hint(identifier_symbol(ctx).name, extraneous) or hint
        message = f"extraneous field initializers ({' '.join(extraneous)})"
        raise SchemeError(Condition("syntax-error", message, hint=hint), loc=form.loc)
    if base is False:
        missing = [f.name for f, has, n in zip(field_list, default_list, field_list)
                   if not has and n not in names]
        if missing:
            raise SchemeError(Condition("syntax-error", f"missing field initializers ({' '.join(missing)})"),
                              loc=form.loc)
    quote = Ident(Symbol("quote"), interp_scope)
    loc = form.loc if form.loc is not None else False
    # As in Guix, the given fields are bound by name, in the order written (``let*``), to
    # their sanitized values, so a field expression sees the fields before it:
    # (operating-system (keyboard-layout (keyboard-layout "us"))
    #                   (bootloader (bootloader-configuration (keyboard-layout keyboard-layout))))
    bindings = [make_list([ident, make_list([sanitize_field, rtd_id, loc, make_list([quote, name]), expr])])
                for ident, name, expr in zip(idents, names, exprs)]
    if base is not False:
        # The record inherited from is computed before the fields are bound, as in Guix,
        # where it is no part of them: (httpd-configuration (inherit config) (config ...)).
        base_id = Ident(Symbol("inherited-record"), interp_scope)
        bindings.insert(0, make_list([base_id, base]))
        base = base_id
    build = make_list([make_record_star, rtd_id, loc, make_list([quote, make_list(names)]),
                       make_pair(make_list_proc, make_list(idents)), base], NIL)
    return make_list([Ident(Symbol("let*"), interp_scope), make_list(bindings), build])


PRIMITIVES: dict[str, Any] = {"%record-instance-syntax": record_instance_syntax}

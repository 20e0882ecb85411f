"""The module language: define-module, use-modules, export and friends.

These run at expansion time, like Guile's: a ``use-modules`` makes the
imported macros available to the very next form.
"""

from __future__ import annotations

from typing import Any

from schemy.expand.expander import Expander
from schemy.expand.forms import form_list, special, syntax_error
from schemy.lang import core
from schemy.lang.datum import NIL, UNSPECIFIED, Keyword, Pair, Symbol, list_to_python
from schemy.lang.syntax import Scope, identifier_symbol, is_identifier, strip
from schemy.runtime.modules import Interface, Module


def parse_interface(ex: Expander, spec: Any, loc: Any) -> Interface:
    """``(a b)`` or ``((a b) #:select (x (y . z)) #:prefix p: #:hide (h) #:renamer proc)``."""
    spec = strip(spec)
    if spec.__class__ is not Pair:
        raise syntax_error("bad module specification", spec, loc)
    if spec.car.__class__ is Pair:
        name, options = spec.car, list_to_python(spec.cdr)
    else:
        name, options = spec, []
    module = ex.interp.resolve_module(name, loc)
    select = None
    hide: list = []
    prefix = None
    renamer = None
    i = 0
    while i < len(options):
        key = options[i]
        val = options[i + 1] if i + 1 < len(options) else None
        i += 2
        if not isinstance(key, Keyword):
            raise syntax_error("bad module specification", spec, loc)
        if key.name == "select":
            select = {}
            for item in list_to_python(val):
                if item.__class__ is Pair:
                    select[item.cdr] = item.car
                else:
                    select[item] = item
            public = module.public_bindings()
            missing = [exported for exported in select.values() if exported not in public]
            if missing:
                raise syntax_error(
                    f"module {module.display_name()} does not export {missing[0].name}", None, loc)
        elif key.name == "hide":
            hide = list_to_python(val)
        elif key.name == "prefix":
            prefix = val.name if isinstance(val, Symbol) else str(val)
        elif key.name == "renamer":
            renamer = _make_renamer(ex, val)
        elif key.name == "version":
            pass
        else:
            raise syntax_error(f"unknown module option #:{key.name}", spec, loc)
    return Interface(module, select, hide, prefix, renamer)


def _make_renamer(ex: Expander, val: Any) -> Any:
    if val.__class__ is Pair and val.car is Symbol("symbol-prefix-proc"):
        prefix = val.cdr.car.cdr.car if val.cdr.car.__class__ is Pair else val.cdr.car
        return lambda s: Symbol(f"{prefix.name}{s.name}")
    proc = ex.interp.run_node(ex.expand(val, ex.interp.current_module.scope))
    return lambda s: proc(s)


@special("define-module")
def _define_module(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(strip(form))
    if len(parts) < 2 or parts[1].__class__ is not Pair:
        raise syntax_error("bad define-module", form)
    interp = ex.interp
    name = tuple(s.name if isinstance(s, Symbol) else str(s) for s in list_to_python(parts[1]))
    module = interp.modules.get(name)
    if module is None or name not in interp.loading:
        module = interp.make_module(name, form.loc.filename if form.loc else None)
    interp.current_module = module
    opts = parts[2:]
    i = 0
    while i < len(opts):
        key = opts[i]
        if not isinstance(key, Keyword):
            raise syntax_error("bad define-module option", form)
        val = opts[i + 1] if i + 1 < len(opts) else NIL
        i += 2
        k = key.name
        if k == "use-module":
            module.use(parse_interface(ex, val, form.loc))
        elif k in ("export", "export-syntax", "replace"):
            module.export(*[_export_name(module, x) for x in list_to_python(val)])
        elif k == "re-export":
            module.reexports.update(_export_name(module, x) for x in list_to_python(val))
        elif k == "re-export-modules":
            # schemy extension: re-export every public binding of these modules (for umbrellas
            # such as (gnu)); each is also imported.
            for spec in list_to_python(val):
                iface = parse_interface(ex, spec, form.loc)
                module.use(iface)
                module.reexport_modules.append(iface.module)
        elif k == "autoload":
            i += 1  # (module) (names): load eagerly on first use is what Guile does; eager here
            module.use(parse_interface(ex, val, form.loc))
        elif k in ("pure",):
            i -= 1
        elif k in ("declarative?", "duplicates", "version", "no-backtrace"):
            pass
        else:
            raise syntax_error(f"unknown define-module option #:{k}", form)
    return core.Const(UNSPECIFIED, form.loc)


def _export_name(module: Module, x: Any) -> Symbol:
    if x.__class__ is Pair:  # (internal . external)
        module.table.setdefault(x.cdr, module.lookup(x.car) or module.define_cell(x.car))
        return x.cdr
    return x


@special("use-modules")
def _use_modules(ex: Expander, form: Pair, env: Scope) -> core.Node:
    for spec in form_list(form)[1:]:
        env.module.use(parse_interface(ex, spec, form.loc))
    return core.Const(UNSPECIFIED, form.loc)


@special("export", "export-syntax")
def _export(ex: Expander, form: Pair, env: Scope) -> core.Node:
    module = env.module
    names = [identifier_symbol(x) for x in form_list(form)[1:] if is_identifier(x)]
    module.export(*names)
    return core.Const(UNSPECIFIED, form.loc)


@special("re-export", "re-export-syntax")
def _re_export(ex: Expander, form: Pair, env: Scope) -> core.Node:
    env.module.reexports.update(identifier_symbol(x) for x in form_list(form)[1:] if is_identifier(x))
    return core.Const(UNSPECIFIED, form.loc)

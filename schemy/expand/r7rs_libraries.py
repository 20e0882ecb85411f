"""R7RS ``import`` and ``define-library``, on top of Guile-style modules.

Library names map to module names the way Guile maps them: ``(srfi 1)`` is
``(srfi srfi-1)``; ``(scheme base)`` and friends are built in.  Import sets
``only``, ``except``, ``prefix`` and ``rename`` become interfaces.
"""

from __future__ import annotations

from typing import Any

from schemy.expand.expander import Expander
from schemy.expand.forms import form_list, special, syntax_error
from schemy.lang import core
from schemy.lang.datum import UNSPECIFIED, Pair, Symbol, list_to_python, make_list
from schemy.lang.syntax import Scope, strip
from schemy.runtime.modules import Interface, Module


def library_module_name(name: Any) -> Any:
    parts = list_to_python(strip(name))
    if len(parts) == 2 and parts[0] is Symbol("srfi") and isinstance(parts[1], int):
        return make_list([Symbol("srfi"), Symbol(f"srfi-{parts[1]}")])
    return make_list([p if isinstance(p, Symbol) else Symbol(str(p)) for p in parts])


def import_set_interface(ex: Expander, spec: Any, loc: Any) -> Interface:
    """An R7RS import set as an Interface of the imported library."""
    spec = strip(spec)
    if not isinstance(spec, Pair):
        raise syntax_error("bad import set", spec, loc)
    head = spec.car
    ops = {"only", "except", "prefix", "rename"}
    if isinstance(head, Symbol) and head.name in ops and isinstance(spec.cdr, Pair) \
            and isinstance(spec.cdr.car, Pair):
        inner = import_set_interface(ex, spec.cdr.car, loc)
        args = list_to_python(spec.cdr.cdr)
        base = inner.mapping()
        if head.name == "only":
            mapping = {n: base[n] for n in args if n in base}
            missing = [n for n in args if n not in base]
        elif head.name == "except":
            mapping = {n: b for n, b in base.items() if n not in args}
            missing = []
        elif head.name == "prefix":
            prefix = args[0].name
            mapping = {Symbol(prefix + n.name): b for n, b in base.items()}
            missing = []
        else:
            renames = {p.car: p.cdr.car for p in args}
            mapping = {renames.get(n, n): b for n, b in base.items()}
            missing = [n for n in renames if n not in base]
        if missing:
            raise syntax_error(f"import: {missing[0].name} is not exported by the library", spec, loc)
        return _FixedInterface(inner.module, mapping)
    module = ex.interp.resolve_module(library_module_name(spec), loc)
    return Interface(module)


class _FixedInterface(Interface):
    """An interface whose name -> binding mapping was computed by an import set."""

    def __init__(self, module: Module, mapping: dict) -> None:
        super().__init__(module)
        self._cache = mapping

    def mapping(self) -> dict:
        return self._cache  # type: ignore[return-value]


@special("import")
def _import(ex: Expander, form: Pair, env: Scope) -> core.Node:
    for spec in form_list(form)[1:]:
        env.module.use(import_set_interface(ex, spec, form.loc))
    return core.Const(UNSPECIFIED, form.loc)


@special("define-library")
def _define_library(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) < 2:
        raise syntax_error("bad define-library", form)
    interp = ex.interp
    name = tuple(p.name if isinstance(p, Symbol) else str(p) for p in list_to_python(
        library_module_name(parts[1])))
    module = interp.modules.get(name) if name in interp.loading else None
    if module is None:
        module = interp.make_module(name, form.loc.filename if form.loc else None)
    saved = interp.current_module
    interp.current_module = module
    try:
        for decl in parts[2:]:
            items = form_list(decl, "library declaration")
            kind = strip(items[0]).name if items and isinstance(strip(items[0]), Symbol) else ""
            if kind == "export":
                for spec in map(strip, items[1:]):
                    if isinstance(spec, Pair):  # (rename internal external)
                        internal, external = spec.cdr.car, spec.cdr.cdr.car
                        module.table.setdefault(external, module.lookup(internal) or module.define_cell(internal))
                        module.export(external)
                    else:
                        module.export(spec)
            elif kind == "import":
                for spec in items[1:]:
                    module.use(import_set_interface(ex, spec, form.loc))
            elif kind == "begin":
                for sub in items[1:]:
                    interp.eval_toplevel(sub)
            elif kind in ("include", "include-ci", "include-library-declarations"):
                interp.eval_toplevel(decl)
            elif kind == "cond-expand":
                interp.eval_toplevel(decl)
            else:
                raise syntax_error(f"unknown library declaration {kind}", decl)
    finally:
        interp.current_module = saved
    return core.Const(UNSPECIFIED, form.loc)

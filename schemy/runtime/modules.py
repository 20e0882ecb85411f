"""Modules: named top-level environments with exports and imports, like Guile's.

A module owns a table from symbol to binding.  A variable binding is a
``Cell`` shared by everyone who imports it, so compiled code reads a global
with one attribute load (``cell.value``); an unset cell is an unbound
variable.  Macros are bindings too and are imported the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from schemy.lang.datum import Symbol
from schemy.lang.syntax import Scope


class Cell:
    """A global variable.  Reading ``value`` before any assignment raises AttributeError,
    which the error reporter turns into Guile's ``unbound variable``."""

    __slots__ = ("value", "name", "module", "primitive")

    def __init__(self, name: Symbol, module: Module | None = None) -> None:
        self.name = name
        self.module = module
        self.primitive = None  # (name, function) for core primitives the compiler may inline

    @property
    def bound(self) -> bool:
        return hasattr(self, "value")

    def __repr__(self) -> str:
        return f"<Cell {self.name.name}>"


class LazyCell(Cell):
    """A global whose value is made when first read: a package module of the catalogue
    defines ~50 packages, of which a configuration uses a few (schemy.guix.catalogue), and the
    module cache replays a library's procedure and record definitions only when something
    reads them (schemy.eval.module_cache).  The thunk that makes the value waits in its
    module's ``pending`` table; reading ``value`` before that (an unset slot) calls it once.

    It has the layout of a ``Cell`` (no slot of its own), so once made it *becomes* a plain
    ``Cell``: a class with ``__getattr__`` makes every later read of ``value`` ~2.5x slower,
    and these are the variables compiled code reads most (library procedures)."""

    __slots__ = ()

    def __init__(self, name: Symbol, module: Module, thunk: Any) -> None:
        super().__init__(name, module)
        module.pending[self] = thunk

    def __getattr__(self, attr: str) -> Any:  # only called while the slot is unset
        if attr != "value":
            raise AttributeError(attr)
        pending = self.module.pending
        thunk = pending.pop(self, None)
        if thunk is None:  # being made (a cycle), or made and unset again
            raise AttributeError("value")
        try:
            value = thunk()
        except AttributeError as e:  # not to be taken for an unbound variable
            pending[self] = thunk
            raise RuntimeError(f"making {self.name.name}: {e}") from e
        except BaseException:
            pending[self] = thunk
            raise
        self.value = value
        self.__class__ = Cell
        return value


class Interface:
    """What one ``#:use-module`` clause makes visible: local name -> binding, computed lazily."""

    __slots__ = ("module", "select", "hide", "prefix", "renamer", "_cache")

    def __init__(self, module: Module, select: dict[Symbol, Symbol] | None = None,
                 hide: Iterable[Symbol] = (), prefix: str | None = None, renamer: Any = None) -> None:
        self.module = module
        self.select = select  # local name -> exported name
        self.hide = frozenset(hide)
        self.prefix = prefix
        self.renamer = renamer
        self._cache: dict[Symbol, Any] | None = None

    def mapping(self) -> dict[Symbol, Any]:
        if self._cache is None:
            public = self.module.public_bindings()
            out: dict[Symbol, Any] = {}
            if self.select is not None:
                for local, exported in self.select.items():
                    if exported in public:
                        if self.prefix:  # as Guile: #:prefix applies to the selected names too
                            local = Symbol(self.prefix + local.name)
                        if self.renamer is not None:
                            local = self.renamer(local)
                        out[local] = public[exported]
            else:
                for name, b in public.items():
                    if name in self.hide:
                        continue
                    local = name
                    if self.prefix:
                        local = Symbol(self.prefix + name.name)
                    if self.renamer is not None:
                        local = self.renamer(local)
                    out[local] = b
            self._cache = out
        return self._cache

    def plain(self) -> bool:
        """Whether this is the module's whole public interface, under its own names."""
        return self.select is None and not self.hide and not self.prefix and self.renamer is None

    def invalidate(self) -> None:
        self._cache = None


class Module:
    """A Guile-style module.  ``scope`` is the root of every lexical scope chain in it."""

    def __init__(self, name: tuple[str, ...], filename: str | None = None) -> None:
        self.name = name
        self.filename = filename
        self.table: dict[Symbol, Any] = {}
        self.imports: list[Interface] = []
        self.exports: set[Symbol] = set()
        self.reexports: set[Symbol] = set()
        self.export_all = False
        # Modules whose whole public interface this module re-exports (``#:re-export-modules``).
        self.reexport_modules: list[Module] = []
        self.scope = Scope(None, self)
        self.declarative = filename is not None
        self.hooks: dict[str, Any] = {}
        # LazyCell -> the thunk that makes its value when it is first read.
        self.pending: dict[Cell, Any] = {}
        # name -> the variable a macro definition took the name from: a definition the module
        # cache made lazily refers to the variable its module had when it loaded.
        self.replaced: dict[Symbol, Cell] = {}
        # Counts the changes of the table other than new variables and exports (a macro
        # defined, an import added, a variable replaced): the module cache
        # (schemy.eval.module_cache) keeps a form whose expansion did any of them as source.
        self.epoch = 0

    # -- lookup -------------------------------------------------------------
    def lookup(self, name: Symbol) -> Any:
        b = self.table.get(name)
        if b is not None:
            return b
        for iface in reversed(self.imports):
            b = iface.mapping().get(name)
            if b is not None:
                return b
        return None

    def ensure_cell(self, name: Symbol) -> Cell:
        """The cell a reference to ``name`` compiles to: existing binding or a new unbound local cell."""
        b = self.lookup(name)
        if isinstance(b, Cell):
            return b
        cell = Cell(name, self)
        if b is None:
            self.table[name] = cell
        return cell

    def define(self, name: Symbol, value: Any) -> Cell:
        b = self.table.get(name)
        if not isinstance(b, Cell):
            if b is not None:
                self.epoch += 1
            b = Cell(name, self)
            self.table[name] = b
        b.value = value
        return b

    def define_lazy(self, name: Symbol, thunk: Any) -> Cell:
        """Define ``name`` as a variable whose value ``thunk`` makes when it is first read."""
        if name in self.table:
            self.epoch += 1
        cell = LazyCell(name, self, thunk)
        self.table[name] = cell
        return cell

    def define_cell(self, name: Symbol) -> Cell:
        """The cell a top-level ``define`` assigns: always this module's own binding."""
        b = self.table.get(name)
        if isinstance(b, Cell):
            return b
        cell = Cell(name, self)
        self.table[name] = cell
        return cell

    def define_macro(self, name: Symbol, macro: Any) -> None:
        self.epoch += 1
        old = self.table.get(name)
        if isinstance(old, Cell):  # code compiled before still names it (see ``replaced``)
            self.replaced[name] = old
        self.table[name] = macro

    def use(self, iface: Interface) -> None:
        """Import ``iface``; later imports take precedence over earlier ones.  Importing a
        module's whole interface again changes nothing, as in Guile (its public interface
        is already among the uses), so ``(use-modules (guile))`` cannot undo a later import."""
        if iface.plain():
            for old in self.imports:
                if old.module is iface.module and old.plain():
                    return
        self.epoch += 1
        self.imports.append(iface)

    # -- exports ------------------------------------------------------------
    def export(self, *names: Symbol) -> None:
        self.exports.update(names)

    def public_bindings(self) -> dict[Symbol, Any]:
        if self.export_all:
            out = {}
            for iface in self.imports:
                out.update(iface.mapping())
            out.update(self.table)
            return out
        out = {}
        for m in self.reexport_modules:
            out.update(m.public_bindings())
        for name in self.exports | self.reexports:
            b = self.lookup(name)
            if b is None:
                # Exported before being defined: export the (future) cell.
                b = self.define_cell(name)
            out[name] = b
        return out

    def value(self, name: str) -> Any:
        """Convenience for Python callers: the value of a global, or KeyError."""
        b = self.lookup(Symbol(name))
        if isinstance(b, Cell) and b.bound:
            return b.value
        raise KeyError(name)

    def display_name(self) -> str:
        return "(" + " ".join(self.name) + ")"

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<module {self.display_name()}>"

    def __repr__(self) -> str:
        return f"<Module {self.display_name()}>"

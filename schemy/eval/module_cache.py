"""A cache of library modules across runs: a warm run neither expands nor compiles them.

Loading a module file expands each top-level form, compiles the result to Python and runs
it; for the ~60 library modules of a system build that is most of a warm build.  This cache
keeps, per module file (and per configuration file), each top-level form's *compiled units*
(the code object of every form the expander produced, with the unit's globals) and replays
them on a later run: the code runs as it did, in the same order, interleaved with the forms
that are expanded again.  A form that expands to a top-level ``begin`` (``define-record-type*``,
``define-configuration``) is recorded form by form.  When expanding its head compiled,
defined and bound nothing (a pure macro: ``define-record-type*``), a replay runs the stored
forms without expanding the head, as Guile loads a compiled file without running the
file's macros; otherwise it expands the head again (redoing whatever that did) and replays
or expands each form it gives.

A top-level ``(define-syntax NAME EXPR)`` whose one effect was binding NAME is stored as the
compiled unit of EXPR (the transformer): a replay runs it and binds the macro it gives, as
``Expander.eval_transformer`` does.  Syntax objects among a unit's constants (a
``syntax-case`` template's scope, identifiers a macro introduced, ``syntax-rules`` patterns
and templates) are stored as data: a scope by its parent, module and table (a module's top
scope by the module's name), an identifier by name, scope and mark (marks renumbered when
loaded, so that a stored identifier never equals one made in the running process), a lexical
variable as a fresh one of the same name.

What a form's units refer to is stored by name, never as a copy of a live object: a module
variable as (module, name), resolved in the running world (creating the cell where the
expander created it), a late-bound reference likewise, a primitive by its name, a Python
helper by its import path, quoted data as data.  A form is kept *as source* (expanded on
every run) whenever replaying its code could differ from expanding it:

* its expansion changed its module other than by adding variables and exports (a macro
  defined other than by a plain ``define-syntax``, an import added, a hygienically renamed
  top-level definition, another current module, new features);
* something was compiled while it expanded (a transformer evaluated, a module file loaded);
* it read a file while expanding (``include``);
* a constant of its code is neither plain data nor a nameable reference (a syntax object, a
  macro, a record type made at expansion time, a ``gensym``'d symbol...).

The key of an entry covers the file's path and text, schemy's own code (path, size and mtime
of every file of the package and of the package catalogue's data), the Python version and
the interpreter's configuration (class, load path, native modules, features).  The entry
lists every module file the module depends on, transitively (the modules it imports or
resolves while loading, the modules whose variables its code names, and theirs), with the
digest of its text and where the load path found it; all are checked before the entry is
used, so editing a macro in a dependency re-expands its dependents.  Not covered (as in
Guile's compiled-file cache): a procedural macro whose expansion reads files or the
environment itself.

Entries live under ``$XDG_CACHE_HOME/schemy/modules``; ``SCHEMY_NO_CACHE`` turns the cache off
with the others, ``SCHEMY_NO_MODULE_CACHE`` alone.  They are written atomically, mode 0600 in
a 0700 directory, and checksummed (schemy.compile.cache_files): a damaged entry is ignored
and rewritten.  A sandboxed run or ``system check`` writes nothing.
``SCHEMY_MODULE_CACHE_DEBUG=1`` prints a line per module (hit, miss, written) and per form
kept as source (with the reason) to standard error; ``STATS`` counts hits and misses.
"""

from __future__ import annotations

import gc
import hashlib
import io
import marshal
import os
import pickle
import sys
import types
from pathlib import Path
from typing import Any

from schemy.compile import compiler as _compiler
from schemy.compile.cache_files import private_dir, prune, read_entry, write_entry
from schemy.compile.tables import TOP_PREFIX, register_unit_facts_later
from schemy.lang import core, datum
from schemy.lang.datum import Symbol, make_list
from schemy.lang.resources import GRAMMAR_PATH, STDLIB_DIR
from schemy.lang.resources import VERSION as _VERSION
from schemy.lang.syntax import Ident, Macro, PatternVar, Scope, Var, fresh_mark
from schemy.runtime.control import run_tail
from schemy.runtime.modules import Cell, LazyCell, Module
from schemy.runtime.world import PRIMITIVES as _PRIMITIVES

# 4: classes and helpers as pickle globals, a table of references per form, deferred
# definitions; 3: code makes pairs with _mkpair (Pair has no __init__); 2: macros stored
_FORMAT = 4

MAX_FILES = 2000
# forms_deferred counts the replayed forms whose definition waits to be read (forms_made: read).
STATS = {"hit": 0, "miss": 0, "written": 0, "forms_replayed": 0, "forms_expanded": 0, "forms_deferred": 0,
         "forms_made": 0}
_DEBUG = bool(os.environ.get("SCHEMY_MODULE_CACHE_DEBUG"))


def cache_dir() -> Path | None:
    """Where entries live; None when the cache is off (``SCHEMY_NO_CACHE``, or
    ``SCHEMY_NO_MODULE_CACHE`` for this cache alone: bench/run compares with it)."""
    if os.environ.get("SCHEMY_NO_CACHE") or os.environ.get("SCHEMY_NO_MODULE_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schemy" / "modules"


def _debug(msg: str) -> None:
    if _DEBUG:
        print(f"schemy module cache: {msg}", file=sys.stderr)


# ---------------------------------------------------------------- keys


_FINGERPRINT: list[bytes] = []


def schemy_fingerprint() -> bytes:
    """A digest of schemy's own code: path, size and modification time of every file of the
    package, of the reader's grammar and of the package catalogue's data files, with the
    version and Python's byte-code magic.  Any edit of schemy gives another key."""
    if _FINGERPRINT:
        return _FINGERPRINT[0]
    from importlib.util import MAGIC_NUMBER

    h = hashlib.sha256(f"{_FORMAT}\0{_VERSION}\0{sys.version}\0".encode() + MAGIC_NUMBER)
    stack = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]  # the schemy package
    while stack:
        d = stack.pop()
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.name == "__pycache__":
                continue
            try:
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                    continue
                st = e.stat()
            except OSError:
                continue
            h.update(f"{e.path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
    for extra in (os.path.join(str(STDLIB_DIR), "gnu", "packages", "index.json"),
                  os.path.join(str(STDLIB_DIR), "gnu", "packages", "host-programs.sexp"),
                  str(GRAMMAR_PATH)):
        try:
            st = os.stat(extra)
            h.update(f"{extra}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
        except OSError:
            h.update(extra.encode() + b"\0-")
    _FINGERPRINT.append(h.digest())
    return _FINGERPRINT[0]


def _interp_config(interp: Any) -> str:
    natives = sorted(" ".join(n) for n in (*interp.native_modules, *interp.native_loaders))
    return "\0".join([type(interp).__module__ + "." + type(interp).__qualname__, ":".join(interp.load_path),
                      ",".join(natives), ",".join(sorted(interp.features))])


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------- per-interpreter state


class _State:
    """What one interpreter knows about the modules it loaded through the cache."""

    def __init__(self) -> None:
        # module name -> its transitive file dependencies: {(name, path, digest)}; None when
        # the module cannot be a dependency of a cached module (made from no file we know).
        self.deps: dict[tuple[str, ...], frozenset | None] = {}
        self.digests: dict[str, str | None] = {}  # path -> digest of its text (this run)
        self.located: dict[tuple[str, ...], str | None] = {}  # module name -> file on the load path
        # A stored variable reference -> the cell it was resolved to (checked on every use: still
        # its module's binding of the name, the module still the registered one).
        self.cells: dict[str, Cell] = {}


def state(interp: Any) -> _State:
    st = interp.__dict__.get("_module_cache_state")
    if st is None:
        st = interp._module_cache_state = _State()
    return st


def made_from_data(interp: Any, name: tuple[str, ...]) -> None:
    """Module ``name`` is made by a module provider from schemy's own data (covered by the
    fingerprint), even if a file was loaded into it through the cache: what depends on it
    records no file for it."""
    st = interp.__dict__.get("_module_cache_state")
    if st is not None:
        st.deps.pop(name, None)


def note_reloaded(interp: Any, path: str, text: str) -> None:
    """A file loaded again outside the cache (the REPL's ``,reload``): modules loaded from
    now on that depend on it are checked against what it is now."""
    st = interp.__dict__.get("_module_cache_state")
    if st is not None and path in st.digests:
        st.digests[path] = text_digest(text)


def _file_digest(st: _State, path: str) -> str | None:
    d = st.digests.get(path, "")
    if d == "":
        try:
            d = text_digest(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            d = None
        st.digests[path] = d
    return d


def _deps_valid(interp: Any, st: _State, deps: Any, own: tuple[str, ...]) -> bool:
    for name, path, digest in deps:
        name = tuple(name)
        if name == own:  # the file being loaded: its path and text are in the key
            continue
        where = st.located.get(name, "")
        if where == "":
            where = st.located[name] = interp.find_module_file(name)
        if where != path or _file_digest(st, path) != digest:
            return False
    return True


# ---------------------------------------------------------------- serialization


class _Unfit(Exception):
    """A constant that cannot be stored by name: its form is kept as source."""


_PLAIN = {int, float, complex, str, bytes, bytearray, bool, type(None), tuple, list, dict, frozenset, set,
          datum.Pair, datum.MString, datum.SourceLocation, datum.Keyword, datum.Char, datum.Values,
          types.CodeType}
_SINGLETONS: dict[int, str] = {}


def _singletons() -> dict[int, str]:
    if not _SINGLETONS:
        for key in ("NIL", "UNSPECIFIED", "EOF_OBJECT", "UNDEFINED"):
            _SINGLETONS[id(getattr(datum, key))] = key
    return _SINGLETONS


def _code_reduce(code: types.CodeType) -> tuple:
    return (marshal.loads, (marshal.dumps(code),))


# Syntax objects (what a macro's templates and a syntax-case transformer's code hold): a
# lexical scope by its parent, module and table; an identifier by its name, scope and mark; a
# lexical variable as a fresh one of the same name (only resolution looks at it).  A module's
# own top scope is a reference to the module.  Marks are renumbered when loaded, one table per
# stored form, so that a stored identifier never equals one made in this run.
_MARKS: list[dict[int, int]] = [{}]


def _ident(name: Any, env: Any, mark: int) -> Ident:
    marks = _MARKS[-1]
    new = marks.get(mark)
    if new is None:
        new = marks[mark] = fresh_mark()
    return Ident(name, env, new)


def _var(name: Symbol) -> Var:
    return Var(name)


def _scope(parent: Any, module: Any) -> Scope:
    return Scope(parent, module)


def _ident_reduce(x: Ident) -> tuple:
    return (_ident, (x.name, x.env, x.mark))


def _var_reduce(x: Var) -> tuple:
    return (_var, (x.name,))


def _scope_reduce(x: Scope) -> tuple:
    return (_scope, (x.parent, x.module), (None, {"table": x.table}))


def _syntax_rules_class() -> type:
    from schemy.expand.macros import SyntaxRules

    return SyntaxRules


class _Pickler(pickle.Pickler):
    def __init__(self, f: Any, interp: Any, prims: dict[int, str], wrappers: dict[int, str]) -> None:
        super().__init__(f, protocol=pickle.HIGHEST_PROTOCOL)
        self.interp = interp
        self.prims = prims
        self.wrappers = wrappers
        self.singletons = _singletons()
        self.modules_used: set[tuple[str, ...]] = set()
        self.refs: dict[str, int] = {}  # reference -> its index in the form's table
        self.dispatch_table = {types.CodeType: _code_reduce, Ident: _ident_reduce, Var: _var_reduce,
                               Scope: _scope_reduce}
        self.syntax_rules = _syntax_rules_class()

    # References are flat strings ("s" + a symbol's name, "c" + module + "\1" + name...),
    # stored once per form in a table before its pickle (see ``persistent_id``).
    def _module_name(self, m: Any) -> str:
        if not isinstance(m, Module) or self.interp.modules.get(m.name) is not m:
            raise _Unfit("an unregistered module")
        self.modules_used.add(m.name)
        return "\0".join(m.name)

    def _cell(self, cell: Any) -> str:
        m = cell.module
        if m is None or m.table.get(cell.name) is not cell:
            raise _Unfit("a cell not in its module's table")
        return self._module_name(m) + "\1" + cell.name.name

    def persistent_id(self, obj: Any) -> Any:
        """A reference's index in the form's table of references (``refs``, written before
        the form): a replay resolves each distinct reference once, and the unpickler then
        reads an occurrence with a C call (``list.__getitem__``), not a Python method."""
        cls = obj.__class__
        if cls in _PLAIN or cls is _Unit or obj is marshal.loads:
            return None
        ref = self._ref(obj, cls)
        if ref is None:
            return None
        if ref[0] in "lt":  # an object of its own at every occurrence (it keeps state)
            self.refs[ref + f"\3{len(self.refs)}"] = i = len(self.refs)
            return i
        i = self.refs.get(ref)
        if i is None:
            i = self.refs[ref] = len(self.refs)
        return i

    def _ref(self, obj: Any, cls: type) -> str | None:
        if cls is Symbol:
            if obj.name.startswith(" "):
                raise _Unfit("a gensym")
            return "s" + obj.name
        if cls is Cell or cls is LazyCell:
            return "c" + self._cell(obj)
        if cls is _compiler._LateRef:
            return "l" + self._module_name(obj.module) + "\2" + self._cell(obj.cell)
        if cls is _compiler._TailSite:  # a tail call site's inline cache: starts empty again
            return "t"
        if cls is Scope:
            m = obj.module
            if obj.parent is None and m is not None and m.scope is obj:
                return "S" + self._module_name(m)
            return None  # _scope_reduce
        if cls is Ident or cls is Var or cls is PatternVar or cls is self.syntax_rules:
            return None
        if isinstance(obj, Module):
            return "m" + self._module_name(obj)
        key = self.singletons.get(id(obj))
        if key is not None:
            return "o" + key
        name = self.prims.get(id(obj))
        if name is not None and _PRIMITIVES.get(name) is obj:
            return "p" + name
        name = self.wrappers.get(id(obj))
        if name is not None and _compiler._ONE_VALUE_WRAPPERS.get(_PRIMITIVES.get(name)) is obj:
            return "w" + name
        if getattr(cls, "module_cache_value", False) is True:  # a class that says it is a plain value
            return None
        if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType, type)):
            mod, qual = getattr(obj, "__module__", None), getattr(obj, "__qualname__", "")
            if mod and (mod.startswith("schemy.") or mod in _GLOBAL_MODULES) and "<" not in qual:
                target: Any = sys.modules.get(mod)
                for part in qual.split("."):
                    target = getattr(target, part, None)
                if target is obj:
                    # Saved by pickle as a global: once per pickle, then from its memo (as a
                    # reference here it cost a call per occurrence: every Pair's class).
                    return None
        raise _Unfit(f"a {cls.__name__} {obj!r:.60}")


# Reference -> object for the references that name the same object wherever they occur
# (symbols, primitives and their wrappers, singletons, Python helpers): a warm build resolves
# ~20 000 references, most of them these, again and again.
_GLOBAL_REFS: dict[str, Any] = {}
# The modules whose functions and classes a stored form may name besides schemy's own, and
# what each (module, name) was found to be in this process.
_GLOBAL_MODULES = frozenset(("builtins", "fractions", "math", "operator"))
_CLASSES: dict[tuple[str, str], Any] = {}


class _Unpickler(pickle.Unpickler):
    def __init__(self, f: Any, interp: Any, deferred: bool = False) -> None:
        super().__init__(f)
        self.interp = interp
        # Decoding a deferred definition when its variable is first read: a variable it names
        # that a macro has replaced since the module loaded is the one it had then.
        self.deferred = deferred

    def load_form(self, refs: tuple) -> Any:
        """A stored form's record, whose references are indices into ``refs`` (its table of
        references, resolved here in order)."""
        table = [self._resolve(ref) for ref in refs]
        self.persistent_load = table.__getitem__
        return self.load()

    def find_class(self, module: str, name: str) -> Any:
        key = (module, name)
        found = _CLASSES.get(key)
        if found is not None:
            return found
        if module == "marshal" and name == "loads":
            found = marshal.loads
        elif module.startswith("schemy.") or module in _GLOBAL_MODULES or module in ("copyreg", "_codecs"):
            found = super().find_class(module, name)
        else:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed")
        _CLASSES[key] = found
        return found

    def load(self) -> Any:
        _MARKS.append({})
        try:
            return super().load()
        finally:
            _MARKS.pop()

    def _module(self, text: str) -> Module:
        name = tuple(text.split("\0"))
        m = self.interp.modules.get(name)
        if m is None:  # made by the form's expansion (a catalogue module named by `@`)
            m = self.interp.resolve_module(make_list([Symbol(p) for p in name]))
        return m

    def _cell(self, ref: str) -> Cell:
        cells = state(self.interp).cells
        b = cells.get(ref)
        if b is not None:
            m = b.module
            if m.table.get(b.name) is b and self.interp.modules.get(m.name) is m:
                return b
        b = cells[ref] = self._find_cell(ref)
        return b

    def _find_cell(self, ref: str) -> Cell:
        mname, sym = ref.split("\1")
        m = self._module(mname)
        b = m.table.get(Symbol(sym))
        if b is None:
            return m.define_cell(Symbol(sym))
        if b.__class__ is not Cell and b.__class__ is not LazyCell:
            old = m.replaced.get(Symbol(sym)) if self.deferred else None
            if old is None:
                raise pickle.UnpicklingError("a variable became a macro")
            return old
        return b

    def _resolve(self, ref: str) -> Any:
        value = _GLOBAL_REFS.get(ref)
        if value is not None:
            return value
        tag, rest = ref[0], ref[1:]
        if tag in "spwor":  # the same object in every module and every run of this process
            value = _GLOBAL_REFS[ref] = self._load(tag, rest)
            return value
        return self._load(tag, rest)

    def _load(self, tag: str, rest: str) -> Any:
        if tag == "s":
            return Symbol(rest)
        if tag == "c":
            return self._cell(rest)
        if tag == "l":
            module, cell = rest.split("\3")[0].split("\2")
            return _compiler._LateRef({}, self._module(module), self._cell(cell))
        if tag == "o":
            return getattr(datum, rest)
        if tag == "t":
            return _compiler._TailSite()
        if tag == "S":
            return self._module(rest).scope
        if tag == "m":
            return self._module(rest)
        if tag == "p":
            from schemy.runtime.world import primitive

            return primitive(rest)
        if tag == "w":
            from schemy.runtime.world import primitive

            return _compiler._one_value_args(primitive(rest))
        if tag == "r":
            mod, qual = rest.split("\1")
            target: Any = sys.modules.get(mod)
            if target is None:
                import importlib

                target = importlib.import_module(mod)
            for part in qual.split("."):
                target = getattr(target, part)
            return target
        raise pickle.UnpicklingError(f"unknown reference {tag!r}")


_PRIMS: list[Any] = []


def _prims() -> tuple[dict[int, str], dict[int, str]]:
    """id -> name of every primitive and of the one-value wrappers of primitives."""
    from schemy.runtime.world import PRIMITIVES

    size = (len(PRIMITIVES), len(_compiler._ONE_VALUE_WRAPPERS))
    if _PRIMS and _PRIMS[0] == size:
        return _PRIMS[1]

    prims = {id(fn): name for name, fn in PRIMITIVES.items()}
    wrappers = {}
    for prim, fn in _compiler._ONE_VALUE_WRAPPERS.items():
        name = prims.get(id(prim))
        if name is not None:
            wrappers[id(fn)] = name
    # The objects are kept (their ids stay theirs); a hit is checked against the tables anyway.
    _PRIMS[:] = [size, (prims, wrappers), list(PRIMITIVES.values()),
                 list(_compiler._ONE_VALUE_WRAPPERS.values())]
    return prims, wrappers


# ---------------------------------------------------------------- recording a load


class _Unit:
    __slots__ = ("code", "consts", "info", "foreign", "names")

    def __init__(self, c: Any) -> None:
        runtime = _compiler._RUNTIME_NAMES
        self.code = c.last_code
        self.consts = {k: v for k, v in c.namespace.items()
                       if k != "__builtins__" and not (k in runtime and runtime[k] is v)}
        self.info = dict(c.fn_info)
        self.foreign = list(c.foreign)
        self.names = dict(c.scheme_names)

    # Stored as marshal bytes where the parts are plain (names, texts, positions): far
    # cheaper to pickle than object by object.
    def __getstate__(self) -> tuple:
        loc = datum.SourceLocation
        try:
            info = {k: (v[0], v[1], None if v[2] is None else (v[2].filename, v[2].line, v[2].column),
                        v[3]) for k, v in self.info.items() if v[2] is None or v[2].__class__ is loc}
            if len(info) != len(self.info):
                raise ValueError
            foreign = [(f.filename, f.line, f.column) for f in self.foreign]
            meta = marshal.dumps((info, foreign, self.names))
        except ValueError:
            return (self.code, self.consts, None, (self.info, self.foreign, self.names))
        return (marshal.dumps(_top_code(self.code)), self.consts, meta, None)

    def __setstate__(self, state: tuple) -> None:
        code, self.consts, meta, plain = state
        if meta is None:
            self.code = code
            self.info, self.foreign, self.names = plain
            return
        self.code = marshal.loads(code)
        self.info = meta  # decoded by ``facts`` when the tables are read (most never are)
        self.foreign = self.names = None

    def facts(self) -> tuple:
        """(info, foreign, scheme_names), as ``register_unit`` takes them."""
        if self.info.__class__ is not bytes:
            return self.info, self.foreign, self.names
        loc = datum.SourceLocation
        info, foreign, names = marshal.loads(self.info)
        return ({k: (v[0], v[1], None if v[2] is None else loc(*v[2]), v[3]) for k, v in info.items()},
                [loc(*f) for f in foreign], names)


def _top_code(code: types.CodeType) -> types.CodeType:
    """The code of a unit's top function when its module code does nothing but define it (what
    the compiler makes): a replay makes the function from it without running a module."""
    inner = [c for c in code.co_consts if c.__class__ is types.CodeType]
    if (len(inner) == 1 and inner[0].co_name.startswith(TOP_PREFIX) and code.co_names == (inner[0].co_name,)
            and not inner[0].co_freevars):
        return inner[0]
    return code


class _Form:
    """The record of one top-level form while it is evaluated."""

    def __init__(self, interp: Any, module: Module, form: Any) -> None:
        self.interp = interp
        self.form = form
        self.module = module
        self.units: list[_Unit] = []
        self.children: list | None = None  # the records of its forms when it expands to a `begin`
        self.flat = False
        self.tainted = False
        self.expected = interp.compiler.units_compiled
        self.table = len(module.table)
        self.imports = len(module.imports)
        self.exports = set(module.exports)
        self.reexports = set(module.reexports)
        self.reexport_modules = len(module.reexport_modules)
        self.export_all = module.export_all
        self.scope = len(module.scope.table)
        self.epoch = module.epoch
        self.modules = len(interp.modules)  # modules are only ever added (in order) while it runs
        self.features = len(interp.features)
        self.files_read = interp.expander.files_read
        # The state when its expansion ended (its code starts): variables, modules and exports
        # made before are what a replay makes before running the code; the code makes the rest.
        self.expanded: tuple | None = None
        self.start = interp.compiler.units_compiled
        self.expansion_compiled = -1  # units compiled while it expanded
        self.expansion: list[tuple[_Unit, Any]] = []  # (unit, value) run by its expansion
        self.nodes = 0  # expanded top-level nodes compiled and run
        self.definition: Any = None  # the cell its one node defines, when a replay may defer it
        self.setup: Any = None  # the record type's cell its one node sets up (see _record_setup)

    def run_at_expansion(self, fn: Any) -> Any:
        """Run code compiled while the form expands (Interpreter.run_node: a macro's
        transformer), keeping its unit and value: a ``define-syntax`` is stored as them."""
        interp = self.interp
        unit = _Unit(interp.compiler)
        interp.recording = None
        try:
            value = run_tail(fn())
        finally:
            interp.recording = self
        self.expansion.append((unit, value))
        return value

    def _macro_record(self) -> tuple | None:
        """``("macro", name, unit)`` for a top-level ``(define-syntax NAME EXPR)`` whose only
        effect was binding NAME to the transformer EXPR's code (the one unit compiled while it
        expanded) gave, in this module's scope; else None."""
        form, interp, m = self.form, self.interp, self.module
        if (self.children is not None or len(self.expansion) != 1 or self.expansion_compiled != 1
                or form.__class__ is not datum.Pair or form.cdr.__class__ is not datum.Pair):
            return None
        name = form.cdr.car
        if name.__class__ is not Symbol or not interp.expander.is_special(form, m.scope, "define-syntax"):
            return None
        if (interp.current_module is not m or m.epoch != self.epoch + 1 or len(m.imports) != self.imports
                or m.exports != self.exports or m.reexports != self.reexports
                or len(m.reexport_modules) != self.reexport_modules or m.export_all != self.export_all
                or len(m.scope.table) != self.scope or len(interp.features) != self.features
                or interp.expander.files_read != self.files_read or len(interp.modules) != self.modules):
            return None
        added = len(m.table) - self.table
        if added not in (0, 1) or (added == 1 and next(reversed(m.table)) is not name):
            return None
        b = m.table.get(name)
        unit, value = self.expansion[0]
        if b.__class__ is not Macro or _macro_of(value, m, name.name, b) is not b:
            return None
        return ("macro", name.name, unit)

    def run(self, node: Any, env: Any) -> Any:
        """Compile and run one expanded top-level node of the form (Interpreter.eval_toplevel)."""
        interp = self.interp
        c = interp.compiler
        if self.expanded is None:
            m = self.module
            self.expanded = (len(m.table), len(interp.modules), set(m.exports))
            self.expansion_compiled = c.units_compiled - self.start
        if c.units_compiled != self.expected:  # something was compiled while expanding
            self.tainted = True
        module = env.module if env is not None else interp.current_module
        self.nodes += 1
        kind = _deferrable(node) if self.nodes == 1 and module is self.module else None
        self.definition = node.cell if kind else None
        self.procedure = kind == "procedure"
        self.setup = _record_setup(node, module) if self.nodes == 1 else None
        fn = c.compile_toplevel(node, module=module)
        if not self.tainted:
            self.units.append(_Unit(c))
        interp.recording = None  # what this code compiles while it runs belongs to nobody
        try:
            return run_tail(fn())
        finally:
            interp.recording = self
            self.expected = c.units_compiled

    def split(self, subs: list) -> Any:
        """Evaluate the forms of the top-level ``begin`` the form expanded to, each recorded
        by itself: a replay expands the form's head again (cheap next to expanding what it
        gives) and replays each of them, or expands the ones that had to be kept as source."""
        interp, m = self.interp, self.module
        # Flat: expanding the head compiled, defined and bound nothing (a pure macro such as
        # define-record-type*): a replay then runs the stored forms without expanding the
        # head, as Guile loads a compiled file without running its macros again.
        self.flat = (interp.compiler.units_compiled == self.start and m.epoch == self.epoch
                     and len(m.scope.table) == self.scope and len(m.table) == self.table
                     and len(m.imports) == self.imports and interp.current_module is m
                     and len(interp.modules) == self.modules and interp.expander.files_read == self.files_read)
        self.children = []
        value: Any = datum.UNSPECIFIED
        for sub in subs:
            value, child = self.evaluated(interp, self.module, sub)
            self.children.append(child)
        return value

    @staticmethod
    def evaluated(interp: Any, module: Module, form: Any) -> tuple[Any, Any]:
        """Evaluate ``form`` at top level while a fresh record of it is the one being
        recorded; its value and the finished record."""
        rec = _Form(interp, module, form)
        saved = interp.recording
        interp.recording = rec
        try:
            value = interp.eval_toplevel(form)
        finally:
            interp.recording = saved
        return value, rec.finish()

    def finish(self) -> Any:
        """The form's effects and units, ``("split", children)``, or None when it must be kept
        as source."""
        interp, m = self.interp, self.module
        if self.children is not None:
            if interp.current_module is not m:
                return None
            return ("split", self.children, self.flat)
        macro = self._macro_record()
        if macro is not None:
            return macro
        why = ("compiled while expanding" if self.tainted else
               "changed the current module" if interp.current_module is not m else
               "defined a macro or import" if m.epoch != self.epoch or len(m.imports) != self.imports else
               "changed the module's interface" if len(m.reexport_modules) != self.reexport_modules
               or m.export_all != self.export_all else
               "bound a hygienic top-level name" if len(m.scope.table) != self.scope else
               "changed the features" if len(interp.features) != self.features else
               "read a file while expanding" if interp.expander.files_read != self.files_read else None)
        if why is not None:
            if _DEBUG:
                _debug(f"{getattr(self.form, 'loc', '?')}: kept as source ({why})")
            return None
        from itertools import islice

        table_end, modules_end, exports_end = self.expanded or (len(m.table), len(interp.modules), m.exports)
        if len(m.table) < table_end or len(interp.modules) < modules_end:
            return None
        new_cells = []
        if table_end != self.table:  # keys are only ever added: the new ones come last
            for k in islice(m.table, self.table, table_end):
                v = m.table[k]
                if v.__class__ is not Cell or v.name is not k or v.module is not m:
                    _debug(f"{getattr(self.form, 'loc', '?')}: kept as source (an unusual binding)")
                    return None
                new_cells.append(k.name)
        new_exports = [s.name for s in exports_end - self.exports]
        # Names it re-exports (`re-export`, or a macro that expands to one, such as (gnu)'s
        # re-export-public-modules): replayed as its exports are.
        new_reexports = sorted(s.name for s in m.reexports - self.reexports)
        new_modules = [list(n) for n in islice(interp.modules, self.modules, modules_end)]
        if any(tuple(n) not in interp.sourceless_modules for n in new_modules):
            _debug(f"{getattr(self.form, 'loc', '?')}: kept as source (made a module)")
            return None  # a module its expansion defined (define-library...): not made by name
        record = (new_modules, new_cells, new_exports, self.units, new_reexports)
        cell = self.definition
        if (cell is not None and self.nodes == 1 and len(self.units) == 1 and new_cells == [cell.name.name]
                and not new_modules and not new_reexports and set(new_exports) <= {cell.name.name}
                and cell.module is m and m.table.get(cell.name) is cell):
            return ("lazy", cell.name.name, bool(new_exports), record, self.procedure)
        cell = self.setup
        if (cell is not None and len(self.units) == 1 and not new_cells and not new_modules and not new_exports
                and not new_reexports and m.table.get(cell.name) is cell):
            return ("after", cell.name.name, record)
        return record


# What a replay may leave unmade until its variable is read: a top-level definition whose
# value is a procedure (it closes over globals only), a constant, or a record procedure of
# constants and globals.  Making any of these has no effect but the value, so making it later
# (or never, when nothing reads it) is not seen, except in the identity of a value nothing has
# read yet; the replay reads the globals a record procedure takes when it is made, after the
# module has loaded (a library never assigns its record types again).
_RECORD_PROCEDURES = frozenset(("make-record-type", "record-constructor", "record-predicate", "record-accessor",
                                "record-modifier", "%record-field-accessor"))


def _deferrable(node: Any) -> str | None:
    """"procedure" or "constant" when a replay may defer the definition ``node``, else None.
    (A record type counts as a procedure here: what matters is that it is no other data.)"""
    if node.__class__ is not core.GSet or not node.define:
        return None
    value = node.value
    cls = value.__class__
    if cls is core.Lambda:
        return "procedure"
    if cls is core.Const:
        return "constant"
    if (cls is core.PrimCall and value.name in _RECORD_PROCEDURES
            and all(a.__class__ is core.Const or a.__class__ is core.GRef for a in value.args)):
        return "procedure"
    return None


# Top-level calls that only set up a record type the module defines (``define-record-type*``'s
# field kinds and defaults, a printer): when the type's definition is deferred, a replay runs
# them once the type is made, so a record type nothing uses is neither made nor set up.
_RECORD_SETUPS = frozenset(("%record-star-setup!", "set-record-type-printer!"))
_DATA_BUILDERS = frozenset(("list", "cons", "cons*", "vector"))


def _record_setup(node: Any, module: Any) -> Any:
    """The cell of the record type ``node`` sets up, when it is such a call (of constants,
    globals, procedures and lists of those), else None."""
    if node.__class__ is not core.PrimCall or node.name not in _RECORD_SETUPS or not node.args:
        return None
    rtd = node.args[0]
    if rtd.__class__ is not core.GRef or rtd.cell.module is not module or not all(map(_plain_arg, node.args)):
        return None
    return rtd.cell


def _plain_arg(node: Any) -> bool:
    cls = node.__class__
    if cls is core.Const or cls is core.GRef or cls is core.Lambda:
        return True
    return cls is core.PrimCall and node.name in _DATA_BUILDERS and all(map(_plain_arg, node.args))


class Recorder:
    """Collects the forms of one module file as it loads, then writes its entry."""

    def __init__(self, interp: Any, module: Module, path: str, key_path: Path | None, digest: str) -> None:
        self.interp = interp
        self.module = module
        self.path = path
        self.key_path = key_path
        self.digest = digest
        self.forms: list[tuple | None] = []
        self.ok = key_path is not None

    def eval_form(self, form: Any) -> Any:
        value, rec = _Form.evaluated(self.interp, self.module, form)
        self.forms.append(rec)
        return value

    def save(self, resolved: set, forms: list, file_defines: frozenset) -> None:
        interp, st = self.interp, state(self.interp)
        deps: set = {(self.module.name, self.path, self.digest)}
        direct = set(resolved)
        direct.update(i.module.name for i in self.module.imports)
        direct.update(m.name for m in self.module.reexport_modules)
        prims, wrappers = _prims()

        def encode(rec: Any) -> Any:
            if rec is None:
                return None
            if rec[0] == "split":
                children = [encode(c) for c in rec[1]]
                return ["split", children, rec[2] and all(c is not None and _stands_alone(c) for c in children)]
            if rec[0] == "lazy":  # ["lazy", name, exported, the definition's record, procedure?]
                blob = encode(rec[3])
                return None if blob is None else ["lazy", rec[1], rec[2], blob, rec[4]]
            if rec[0] == "after":  # ["after", record type's name, the form's record]
                blob = encode(rec[2])
                return None if blob is None else ["after", rec[1], blob]
            buf = io.BytesIO()
            p = _Pickler(buf, interp, prims, wrappers)
            try:
                p.dump(rec)
            except (_Unfit, pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError) as e:
                _debug(f"{self.path}: a form kept as source ({e})")
                return None
            direct.update(p.modules_used)
            refs = marshal.dumps(tuple(p.refs))
            return len(refs).to_bytes(4, "little") + refs + buf.getvalue()

        encoded = [encode(rec) for rec in self.forms]
        for name in direct:
            if name == self.module.name or name in interp.loading:
                continue
            sub = st.deps.get(name, "missing")
            if sub == "missing":
                if self._sourceless(name):
                    continue
                self.ok = False
            elif sub is None:
                self.ok = False
            else:
                deps.update(sub)
        if not self.ok:
            st.deps[self.module.name] = None
            return
        st.deps[self.module.name] = frozenset(deps)
        if self.key_path is None or _no_writes(interp):
            return
        counters = interp.compiler.counter_values()
        # The forms a replay still expands (kept as source, or whose head is expanded again),
        # so that a replay need not read the file: None where the cached code stands alone.
        needed = [None if enc is not None and _stands_alone(enc) else form for form, enc in zip(forms, encoded)]
        try:  # data made by the reader only: pickled as they are
            source = pickle.dumps((needed, sorted(s.name for s in file_defines)), pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError):
            source = None
        payload = marshal.dumps((_FORMAT, sorted(deps), counters, encoded, source))
        if write_entry(self.key_path, payload):
            STATS["written"] += 1
            _debug(f"written {self.path}")
            try:
                prune(self.key_path.parent, ".entry", MAX_FILES)
            except OSError:
                pass

    def _sourceless(self, name: tuple[str, ...]) -> bool:
        """Is ``name`` a module made from schemy's own code (native, built in, catalogue)?"""
        return name in self.interp.sourceless_modules


def _stands_alone(enc: Any) -> bool:
    """Whether a stored form replays without its source: its code, a deferred definition, or
    a flat split form."""
    return enc.__class__ is bytes or enc[0] == "lazy" or enc[0] == "after" or enc[2]


def _no_writes(interp: Any) -> bool:
    from schemy.runtime import sandbox

    return sandbox.ACTIVE or interp.check_recorder is not None


# ---------------------------------------------------------------- loading a module


def enabled(interp: Any, path: str | None = None) -> bool:
    """Whether the module file PATH may come from the cache.  `system check` records the
    problems of the config's own files form by form, so those are always expanded; schemy's
    library (and other channels' modules) are replayed as for any run (check writes no entry)."""
    if cache_dir() is None:
        return False
    rec = interp.check_recorder
    return rec is None or (path is not None and not rec.covers(datum.SourceLocation(path, 0, 0)))


def entry_path(interp: Any, name: tuple[str, ...], path: str, digest: str) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    h = hashlib.sha256(schemy_fingerprint())
    h.update("\0".join([_interp_config(interp), " ".join(name), path, digest]).encode("utf-8", "surrogatepass"))
    return directory / (h.hexdigest()[:40] + ".entry")


def _read(interp: Any, key_path: Path) -> tuple | None:
    if private_dir(key_path.parent, create=False) is None:
        return None
    payload = read_entry(key_path)
    if payload is None:
        return None
    try:
        fmt, deps, counters, forms, source = marshal.loads(payload)
    except Exception:  # noqa: BLE001 - damaged: ignored and rewritten
        return None
    if fmt != _FORMAT:
        return None
    return deps, counters, forms, source


class Lookup:
    """A module file about to be loaded: its key, and the valid entry found for it, if any."""

    def __init__(self, interp: Any, module: Module, path: str, text: str) -> None:
        st = state(interp)
        self.interp, self.module, self.path = interp, module, path
        self.digest = st.digests[path] = text_digest(text)
        self.key_path = entry_path(interp, module.name, path, self.digest)
        self.encoded: list | None = None
        self.forms: list | None = None  # the forms a replay needs (others None), when stored
        self.file_defines: frozenset | None = None
        entry = _read(interp, self.key_path) if self.key_path is not None else None
        if entry is None:
            return
        deps, counters, encoded, source = entry
        if not _deps_valid(interp, st, deps, module.name):
            return
        if source is not None:
            try:
                forms, defines = _Unpickler(io.BytesIO(source), interp).load()
            except Exception:  # noqa: BLE001 - read the file instead
                forms = None
            if forms is not None and len(forms) == len(encoded):
                self.forms = forms
                self.file_defines = frozenset(Symbol(n) for n in defines)
        self.encoded = encoded
        st.deps[module.name] = frozenset((tuple(n), p, d) for n, p, d in deps)
        interp.compiler.advance_counters(counters)


def find(interp: Any, module: Module, path: str, text: str) -> Lookup:
    """Look ``path`` (module ``module``'s file, read as ``text``) up; ``encoded`` is set on a hit."""
    return Lookup(interp, module, path, text)


def load_module_forms(interp: Any, found: Lookup, forms: Any) -> Any:
    """Evaluate the forms of a module file in its module: replayed when ``found`` is a hit,
    else recorded for next time.  ``forms`` is the file's forms, or a function reading them."""
    if found.encoded is not None:
        if callable(forms):
            forms = found.forms if found.forms is not None else forms()
        if len(forms) == len(found.encoded):
            STATS["hit"] += 1
            _debug(f"hit {found.path}")
            return _replay(interp, forms, found.encoded, found)
    if callable(forms):
        forms = forms()
    STATS["miss"] += 1
    _debug(f"miss {found.path}")
    rec = Recorder(interp, found.module, found.path, found.key_path, found.digest)
    interp.resolved_stack.append(set())
    resume = not gc.isenabled() and _REPLAYING[0] > 0  # paused by a replay: expansion makes garbage
    if resume:
        gc.enable()
    try:
        value: Any = datum.UNSPECIFIED
        for form in forms:
            value = rec.eval_form(form)
    finally:
        resolved = interp.resolved_stack.pop()
        if resume:
            gc.disable()
    rec.save(resolved, forms, interp.compiler.file_defines)
    return value


def _replay(interp: Any, forms: list, encoded: list, found: Lookup) -> Any:
    """Replay a module's stored forms.  The cyclic garbage collector is paused meanwhile: what a
    replay makes (procedures, cells, code) lives as long as the module, so the collections it
    set off found nothing to free (~8 % of a warm build).  At the end it goes straight to the
    oldest generation (``gc.freeze`` then ``unfreeze``, which traverses nothing): the next full
    collection still frees any cycle in it."""
    pause = gc.isenabled()
    if pause:
        gc.disable()
        _REPLAYING[0] += 1
    try:
        value: Any = datum.UNSPECIFIED
        read: list = []
        for i, (form, enc) in enumerate(zip(forms, encoded)):
            value = _replay_form(interp, form, enc, lambda i=i: _source_form(found, read, i))
        return value
    finally:
        if pause:
            _REPLAYING[0] -= 1
            if not gc.get_freeze_count():  # nothing frozen by anyone else, to be thawed with it
                gc.freeze()
                gc.unfreeze()
            gc.enable()


_REPLAYING = [0]  # replays that paused the collector, under way


def _source_form(found: Lookup, read: list, i: int) -> Any:
    """Form ``i`` of the file, read (through the parse cache) only when a replay needs it."""
    if not read:
        from schemy.compile.read_cache import cached_read

        read.append(cached_read(Path(found.path).read_text(encoding="utf-8"), found.path))
    return read[0][i]


def _replay_form(interp: Any, form: Any, enc: Any, source: Any = None) -> Any:
    """Run one top-level form from its record (Interpreter.eval_toplevel's steps); ``source``
    gives the form when ``form`` is None (not stored: its code needs none)."""
    if enc.__class__ is list and enc[0] == "lazy":
        if _defer(interp, interp.current_module, enc):
            return datum.UNSPECIFIED
        enc = enc[3]  # the variable is there already: made now, as the form was
    elif enc.__class__ is list and enc[0] == "after":
        if _after(interp, interp.current_module, enc):
            return datum.UNSPECIFIED
        enc = enc[2]
    if enc.__class__ is list:  # ["split", children, flat]: expand the head, then each form
        children = enc[1]
        if enc[2]:  # flat: run the stored forms, the head is not expanded again
            fns = _decode_flat(interp, enc)
            if fns is not None:
                value: Any = datum.UNSPECIFIED
                for fn in fns:
                    value = run_tail(fn())
                return value
        if form is None:
            form = source()
        env = interp.current_module.scope
        ex = interp.expander
        form = ex.macroexpand_head(form, env)
        if form.__class__ is not datum.Pair or not ex.is_special(form, env, "begin"):
            STATS["forms_expanded"] += 1
            return interp.eval_toplevel(form)
        subs = datum.list_to_python(form.cdr)
        ex.bind_introduced_definitions(subs, env)
        if len(subs) != len(children):
            children = [None] * len(subs)
        value = datum.UNSPECIFIED
        for sub, child in zip(subs, children):
            value = _replay_form(interp, sub, child)
        return value
    if form is None and enc is None:
        form = source()
    units = _decode(interp, enc) if enc is not None else None
    if units is None:
        STATS["forms_expanded"] += 1
        return interp.eval_toplevel(form if form is not None else source())
    STATS["forms_replayed"] += 1
    value = datum.UNSPECIFIED
    for fn in units:
        value = run_tail(fn())
    return value


def _decode_flat(interp: Any, enc: list) -> list | None:
    """The functions of a flat split form's stored forms (nested flat ones included), in
    order, or None when one cannot be replayed here."""
    out: list = []
    module = interp.current_module
    for child in enc[1]:
        if child.__class__ is list and child[0] == "lazy":
            if _defer(interp, module, child):
                continue
            child = child[3]
        elif child.__class__ is list and child[0] == "after":
            if _after(interp, module, child):
                continue
            child = child[2]
        fns = _decode(interp, child) if child.__class__ is bytes else _decode_flat(interp, child)
        if fns is None:
            return None
        out += fns
        if child.__class__ is bytes:
            STATS["forms_replayed"] += 1
    return out


def _defer(interp: Any, module: Module, enc: list) -> bool:
    """Replay a deferred definition (``["lazy", name, exported, blob, procedure?]``): its variable becomes
    a LazyCell whose first read decodes and runs the stored code.  False when the module has
    a variable of that name already (a form before named it): the caller makes the definition
    now, as recorded."""
    name = Symbol(enc[1])
    b = module.table.get(name)
    if b is not None and (b.__class__ is not LazyCell or b not in module.pending or _is_set(b)):
        return False
    blob = enc[3]
    cell: list = []

    def make() -> Any:
        fns = _decode(interp, blob, module, deferred=True)
        if fns is None:
            raise _stale(module, name)
        STATS["forms_made"] += 1
        for fn in fns:
            run_tail(fn())
        return _CELL_VALUE.__get__(cell[0])

    make.procedure = enc[4]  # type: ignore[attr-defined] - it makes a procedure (or record type)
    if b is None:
        b = module.define_lazy(name, make)
    else:  # a definition of the name deferred before: this one replaces it
        module.pending[b] = make
    cell.append(b)
    if enc[2]:
        module.export(name)
    STATS["forms_replayed"] += 1
    STATS["forms_deferred"] += 1
    return True


def _after(interp: Any, module: Module, enc: list) -> bool:
    """Replay a record type's setup (``["after", name, blob]``) once the type is made, when its
    definition is deferred still; False when the caller must run it now."""
    b = module.table.get(Symbol(enc[1]))
    if b is None or b.__class__ is not LazyCell or b not in module.pending or _is_set(b):
        return False
    before, blob = module.pending[b], enc[2]

    def make() -> Any:
        value = before()  # the type's own code sets the variable: the setup reads it
        fns = _decode(interp, blob, module, deferred=True)
        if fns is None:
            raise _stale(module, b.name)
        STATS["forms_made"] += 1
        for fn in fns:
            run_tail(fn())
        return value

    make.procedure = getattr(before, "procedure", False)  # type: ignore[attr-defined]
    module.pending[b] = make
    STATS["forms_replayed"] += 1
    STATS["forms_deferred"] += 1
    return True


_CELL_VALUE = Cell.__dict__["value"]  # the slot itself: reads it without making a LazyCell


def _is_set(cell: Cell) -> bool:
    """Whether the variable has a value (a LazyCell assigned before it was read), without
    making it."""
    try:
        _CELL_VALUE.__get__(cell)
    except AttributeError:
        return False
    return True


def _stale(module: Module, name: Symbol) -> Exception:
    """The error of a deferred definition that cannot be made where its variable is first read
    (a variable its code names has become a macro since the module loaded)."""
    from schemy.lang.errors import scheme_error

    return scheme_error(f"{name.name}: the definition in {module.display_name()} cannot be replayed from the "
                        "module cache now", hint="run again with SCHEMY_NO_MODULE_CACHE=1")


def _decode(interp: Any, blob: bytes, module: Module | None = None, deferred: bool = False) -> list | None:
    """The functions of a cached form, ready to run (its effects on module tables done), or
    None when it cannot be replayed here (then it is expanded as source).  ``module`` is the
    form's (the current module unless ``deferred``: a deferred definition made when first
    read, whose variable is already made)."""
    if module is None:
        module = interp.current_module
    try:
        n = int.from_bytes(blob[:4], "little")
        f = io.BytesIO(blob)
        f.seek(4 + n)
        record = _Unpickler(f, interp, deferred).load_form(marshal.loads(blob[4:4 + n]))
        if record[0] == "macro":
            return [_define_macro(module, record[1], _unit_function(record[2]))]
        new_modules, new_cells, new_exports, units, new_reexports = record
    except Exception as e:  # noqa: BLE001 - anything unexpected: expand the form instead
        _debug(f"form not replayed ({e})")
        return None
    try:
        for name in new_modules:  # made by the form's expansion (a catalogue module named by `@`)
            if tuple(name) not in interp.modules:
                interp.resolve_module(make_list([Symbol(p) for p in name]))
    except Exception as e:  # noqa: BLE001 - cannot be made here: expand the form instead
        _debug(f"form not replayed ({e})")
        return None
    if not deferred:
        for name in new_cells:
            module.define_cell(Symbol(name))
    if new_exports:
        module.export(*[Symbol(n) for n in new_exports])
    if new_reexports:
        module.reexports.update([Symbol(n) for n in new_reexports])
    return [_unit_function(unit) for unit in units]


def _unit_function(unit: _Unit) -> Any:
    """The function of a stored unit (its code run in a namespace of its constants)."""
    ns = dict(_compiler._RUNTIME_NAMES)
    ns.update(unit.consts)
    for key, value in unit.consts.items():
        if value.__class__ is _compiler._LateRef:
            value.namespace = ns
            value.key = key
    code = unit.code
    if code.co_name.startswith(TOP_PREFIX):
        fn = types.FunctionType(code, ns)
    else:
        exec(code, ns)
        top = [k for k in code.co_names if k.startswith(TOP_PREFIX) and k in ns]
        fn = ns.pop(top[0])
    register_unit_facts_later(code, unit.facts)
    return fn


def _macro_of(value: Any, module: Module, name: str, like: Any = None) -> Any:
    """The macro ``define-syntax`` binds for a transformer ``value`` in ``module`` (as
    Expander.eval_transformer makes it); with ``like``, that macro when it is one with the
    same parts, else None."""
    from schemy.expand.macros import SyntaxRules

    if isinstance(value, Macro):
        parts = (value.transformer, value.env, value.procedural)
    elif isinstance(value, SyntaxRules):
        parts = (value, module.scope, False)
    elif callable(value):
        parts = (value, module.scope, True)
    else:
        return None
    if like is not None:
        same = (like.transformer is parts[0] and like.env is parts[1] and like.procedural == parts[2]
                and like.name == name)
        return like if same else None
    return Macro(parts[0], parts[1], parts[2], name)


def _define_macro(module: Module, name: str, fn: Any) -> Any:
    """What replays a stored ``define-syntax``: run the transformer's code, bind the macro."""
    def define() -> Any:
        macro = _macro_of(run_tail(fn()), module, name)
        if macro is None:
            raise pickle.UnpicklingError(f"{name}: not a transformer")
        module.define_macro(Symbol(name), macro)
        return datum.UNSPECIFIED

    return define

"""The interpreter: reads, expands, compiles and runs top-level forms in modules.

``Interpreter`` owns the module registry and the load path.  Evaluation runs
in a worker thread with a large stack and a high recursion limit, so deep
non-tail recursion works; past the limit it is a Scheme ``stack overflow``
error, never a crash.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from schemy.compile import code_cache
from schemy.compile.compiler import Compiler
from schemy.compile.pyerrors import locate, translate
from schemy.eval.guile_interfaces import INTERFACES
from schemy.expand.expander import Expander
from schemy.expand.forms import SPECIAL_FORMS, form_list, special, syntax_error
from schemy.lang import core
from schemy.lang.datum import (
    NIL,
    UNSPECIFIED,
    Pair,
    SourceLocation,
    Symbol,
    is_string,
    list_to_python,
    make_list,
    make_pair,
    to_str,
)
from schemy.lang.errors import USER_ERRORS, Condition, SchemeError, SchemeExit, scheme_error
from schemy.lang.resources import STDLIB_DIR  # noqa: E402
from schemy.lang.syntax import Ident, Scope, SpecialForm, identifier_symbol, is_identifier, strip
from schemy.runtime import world
from schemy.runtime.control import run_on_deep_frame_stack, run_tail
from schemy.runtime.modules import Cell, Interface, Module
from schemy.runtime.primitives import r7rs
from schemy.runtime.primitives.vectors import SRFI43_VARIANTS

STACK_SIZE = 1024 * 1024 * 1024
RECURSION_LIMIT = 1_000_000

_PRIMITIVES = world.PRIMITIVES
_LOAD_PATH = Symbol("%load-path")

# Module names Guile provides whose bindings schemy has in its core, with the names each
# exports in Guile (generated from Guile itself): importing one adds just those names.
BUILTIN_MODULES: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(key[1:-1].split()): tuple(names.split()) for key, names in INTERFACES.items()}

# Where a module's binding differs from the core one of the same name (Guile's core has no
# vector-map; schemy's is R7RS's, element only; SRFI-43's passes the index first; (scheme base)
# and (scheme char) have R7RS's bytevector-copy!, list-copy, expt and full string case mappings).
MODULE_VARIANTS: dict[tuple[str, ...], dict[str, Any]] = {
    ("srfi", "srfi-43"): SRFI43_VARIANTS,
    ("scheme", "base"): r7rs.BASE_VARIANTS,
    ("scheme", "char"): r7rs.CHAR_VARIANTS,
}


def current_interpreter() -> Interpreter:
    """The interpreter running the current evaluation (else the most recently created one)."""
    try:
        return world.current()
    except RuntimeError:
        return Interpreter()


def _tune_gc() -> None:
    """Let the cyclic garbage collector run less often (once per 10 000 net allocations
    instead of 700).  Loading the library allocates hundreds of thousands of small objects
    that all stay alive, and every collection re-examines the younger ones: with the
    default threshold that is about a tenth of a warm system build's time.  Nothing else
    changes (reference counting still frees acyclic garbage at once).

    The middle generation is collected once per 100 young collections rather than 10, and
    so is the full collection, which CPython runs only after 10 middle ones: a program that
    builds large live structures (the R7RS suite's dynamic, compiler, paraffins, nboyer)
    spent a quarter to a third of its time re-scanning them; now 10-25 % less time overall,
    peak memory within a few MB (measured in notes/performance.md)."""
    import gc

    threshold, gen1, gen2 = gc.get_threshold()
    if 0 < threshold < 10_000:
        gc.set_threshold(10_000, max(gen1, 100), gen2)


def primitive_function(name: str) -> Any:
    return _PRIMITIVES[name]


def _collect_primitives() -> dict[str, Any]:
    if _PRIMITIVES:
        return _PRIMITIVES
    from schemy.expand.macros import SYNTAX_PRIMITIVES
    from schemy.runtime.control import CONTROL_PRIMITIVES
    from schemy.runtime.primitives import ALL_TABLES

    for table in [*ALL_TABLES, CONTROL_PRIMITIVES, SYNTAX_PRIMITIVES]:
        _PRIMITIVES.update(table)
    try:
        from schemy.runtime.ports import PRIMITIVES as PORTS

        _PRIMITIVES.update(PORTS)
    except ImportError:  # pragma: no cover - during bootstrap
        pass
    from schemy.expand import match, record_syntax
    from schemy.runtime import conditions, posix, pretty, records, regex, sockets, srfi19

    for module in (posix, sockets, srfi19, match, regex, pretty, conditions, records, record_syntax):
        _PRIMITIVES.update(module.PRIMITIVES)
    _PRIMITIVES.update(EVAL_PRIMITIVES)
    for name, fn in _PRIMITIVES.items():
        try:
            if not hasattr(fn, "scheme_name"):
                fn.scheme_name = name
        except (AttributeError, TypeError):
            pass
    return _PRIMITIVES


class Interpreter:
    """A Scheme world: modules, load path, and the means to evaluate code in it."""

    def __init__(self, load_path: list[str] | None = None, args: list[str] | None = None) -> None:
        import schemy.expand.derived_forms  # noqa: F401  (registers assert, cut, while...)
        import schemy.expand.macros  # noqa: F401  (registers syntax-rules / syntax-case special forms)
        import schemy.expand.match  # noqa: F401  (registers match, match-lambda...)
        import schemy.expand.module_forms  # noqa: F401  (registers define-module, use-modules...)
        import schemy.expand.r7rs_libraries  # noqa: F401  (registers import, define-library)

        # Only a process's first interpreter uses the compiled-code cache: generated names
        # are numbered process-wide, so a later one (tests, benchmarks) starts from
        # counters no other run repeats and would only fill the cache with dead entries.
        first = world.current_or_none() is None
        self.cache_code = first
        if first:
            _tune_gc()
        self.modules: dict[tuple[str, ...], Module] = {}
        # Modules implemented in Python by a layer above this one: name -> (bindings, syntax).
        self.native_modules: dict[tuple[str, ...], tuple[dict[str, Any], dict[str, Any]]] = {}
        # Those whose Python code is imported only when first needed: name -> loader.
        self.native_loaders: dict[tuple[str, ...], Callable[[], tuple[dict[str, Any], dict[str, Any]]]] = {}
        self.loading: list[tuple[str, ...]] = []
        # The files being loaded, innermost last: ``load`` finds a relative name next to it.
        self.files_loading: list[str] = []
        # Module files found on the load path outside schemy's library -> their name relative
        # to the load path directory, the name Guile reads them under (``current-filename``).
        self.load_path_names: dict[str, str] = {}
        # Makers of modules that have no file: called in order with (interpreter, name) when no
        # file on the load path defines the module; the first to return a Module wins.  The
        # Guix layer offers its package catalogue this way (thousands of modules, one index).
        self.module_providers: list[Any] = []
        self._import_warnings: set[tuple] = set()
        # ``system check``: a schemy.eval.check_all.CheckRecorder that collects every missing
        # module and unbound name of the config file instead of stopping at the first.
        self.check_recorder: Any = None
        # The code cache segment to write before the next compiled form runs (eval_forms).
        self.save_code_before_run: Any = None
        # The module cache's record of the top-level form being loaded (schemy.eval.module_cache,
        # imported only when a module file is loaded), the module names each module file being
        # loaded resolved (its dependencies), and the modules made from no file.
        self.recording: Any = None
        self.resolved_stack: list[set] = []
        self.sourceless_modules: set[tuple[str, ...]] = {("guile",)}
        from schemy.eval.load_path import initial_load_path, package_module_path

        # The directories searched for modules, in order.  Scheme code sees (and may set!)
        # them as %load-path; ``sync_load_path`` picks up such a change.
        self.load_path = initial_load_path(list(load_path or []), str(STDLIB_DIR))
        # Those whose modules are all searched for packages by name (-L, GUIX_PACKAGE_PATH).
        self.package_path = package_module_path(list(load_path or []))
        self._load_path_value: Any = None
        self.command_line = list(args or [])
        self.compiler = Compiler()
        self.expander = Expander(self)
        self.core = Module(("guile",))
        self.core.export_all = True
        self.core_scope: Scope = self.core.scope
        self.modules[("guile",)] = self.core
        self._install_core()
        self.user = self.make_module(("guile-user",))
        world.created(self)
        self.current_module = self.user
        self.features = {"r7rs", "exact-closed", "exact-complex", "ieee-float", "full-unicode", "ratios",
                         "swank", "srfi-0", "srfi-1", "srfi-2", "srfi-6", "srfi-8", "srfi-9", "srfi-11",
                         "srfi-13", "srfi-16", "srfi-23", "srfi-26", "srfi-28", "srfi-30", "srfi-34",
                         "srfi-39", "srfi-69", "srfi-19", "guile", "guile-2", "guile-3", "guile-3.0", "schemy"}

    # ------------------------------------------------------------ setup
    def _install_core(self) -> None:
        core_mod = self.core
        for name, handler in SPECIAL_FORMS.items():
            core_mod.define_macro(Symbol(name), SpecialForm(name, handler))
        for name, fn in _collect_primitives().items():
            cell = core_mod.define(Symbol(name), fn)
            cell.primitive = (name, fn)
        self.set_load_path(self.load_path)

    def set_load_path(self, directories: list[str]) -> None:
        """Make ``directories`` the load path, here and in Scheme's ``%load-path``."""
        if directories is not self.load_path:
            self.load_path[:] = directories
        self._load_path_value = make_list(list(self.load_path))
        self.core.define(Symbol("%load-path"), self._load_path_value)

    def sync_load_path(self) -> list[str]:
        """The load path, after a program's ``(set! %load-path ...)`` (Guix configs do it
        inside ``eval-when`` to find their own modules), which Guile honours as well."""
        cell = self.core.table.get(_LOAD_PATH)
        value = cell.value if isinstance(cell, Cell) and cell.bound else None
        if value is not None and value is not self._load_path_value:
            self._load_path_value = value
            try:
                items = list_to_python(value)
            except (ValueError, TypeError):
                items = []
            self.load_path[:] = [to_str(x) for x in items if is_string(x)]
        return self.load_path

    def add_native_module(self, name: tuple[str, ...], bindings: dict[str, Any],
                          special_forms: dict[str, Any] | None = None) -> None:
        """Offer ``name`` as a module whose exported bindings and syntax are Python objects;
        it is made the first time a program imports it (``(use-modules (guix gexp))``)."""
        self.native_loaders.pop(name, None)
        self.native_modules[name] = (bindings, special_forms or {})

    def add_lazy_native_module(self, name: tuple[str, ...],
                               loader: Callable[[], tuple[dict[str, Any], dict[str, Any]]]) -> None:
        """Like ``add_native_module``, but the bindings and syntax are ``loader()``'s, called
        (and the Python behind them imported) only when the module is first needed: a run
        that never imports it does not pay for it."""
        self.native_loaders[name] = loader

    def native_module_table(self, name: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The (bindings, syntax) of the native module ``name``, loading it if need be; or None."""
        entry = self.native_modules.get(name)
        if entry is None and name in self.native_loaders:
            bindings, forms = self.native_loaders.pop(name)()
            entry = self.native_modules[name] = (bindings, forms or {})
        return entry

    def all_native_modules(self) -> dict[tuple[str, ...], tuple[dict[str, Any], dict[str, Any]]]:
        """Every native module's (bindings, syntax), all loaded (for hints that search them)."""
        for name in list(self.native_loaders):
            self.native_module_table(name)
        return self.native_modules

    def _make_native_module(self, name: tuple[str, ...]) -> Module:
        bindings, forms = self.native_module_table(name)  # type: ignore[misc]
        m = self.make_module(name)
        for n, handler in forms.items():
            m.define_macro(Symbol(n), SpecialForm(n, handler))
            m.export(Symbol(n))
        for n, value in bindings.items():
            if not hasattr(value, "scheme_name") and callable(value):
                try:
                    value.scheme_name = n
                except (AttributeError, TypeError):
                    pass
            m.define(Symbol(n), value)
            m.export(Symbol(n))
        return m

    def make_module(self, name: tuple[str, ...], filename: str | None = None) -> Module:
        m = Module(name, filename)
        m.use(Interface(self.core))
        self.modules[name] = m
        return m

    # ------------------------------------------------------------ evaluation
    def run_node(self, node: core.Node, env: Scope | None = None) -> Any:
        module = env.module if env is not None else self.current_module
        fn = self.compiler.compile_toplevel(node, module=module)
        if self.save_code_before_run is not None:  # the file's last form: see eval_forms
            seg, self.save_code_before_run = self.save_code_before_run, None
            code_cache.save_early(seg)
        if self.recording is not None:  # code a form's expansion runs (a transformer): kept
            return self.recording.run_at_expansion(fn)
        return run_tail(fn())

    def eval_toplevel(self, form: Any) -> Any:
        """Expand, compile and run one top-level form in the current module."""
        if not world.is_running(self):
            world.enter(self)
            try:
                return self.eval_toplevel(form)
            finally:
                world.leave()
        module = self.current_module
        env = module.scope
        where = getattr(form, "loc", None)
        form = self.expander.macroexpand_head(form, env)
        if form.__class__ is Pair and self.expander.is_special(form, env, "begin"):
            value: Any = UNSPECIFIED
            subs = form_list(form.cdr)
            self.expander.bind_introduced_definitions(subs, env)
            if self.recording is not None:
                return self.recording.split(subs)
            for sub in subs:
                value = self.eval_toplevel(sub)
            return value
        rec = self.check_recorder
        if rec is not None and (rec.covers(where) or (where is None and rec.covers_module(module))):
            return rec.run_form(self, form, lambda: self.expander.expand(form, env),
                                lambda node: self.run_node(node, env))
        node = self.expander.expand(form, env)
        if self.recording is not None:
            return self.recording.run(node, env)
        return self.run_node(node, env)

    def eval_forms(self, forms: list) -> Any:
        """Each form in turn (taken out of ``forms``, which is left empty of them).  The file's
        code cache is written once the last form is compiled,
        before it runs (``code_cache.save_early``): in a script that form is the program."""
        value: Any = UNSPECIFIED
        last = len(forms) - 1
        for i in range(len(forms)):
            # The list lets go of each form as it is taken: a script's last form (the program)
            # runs without the source of every earlier one held alive (the R7RS ``compiler``
            # program: 9 MB of pairs and source locations).
            form, forms[i] = forms[i], None
            if i == last:
                self.save_code_before_run = code_cache.current_segment()
            try:
                value = self.eval_toplevel(form)
            finally:
                self.save_code_before_run = None
        return value

    def run_protected(self, thunk: Callable[[], Any]) -> Any:
        """Run ``thunk`` on the big-stack worker thread, turning Python errors into SchemeErrors."""
        result: list[Any] = []
        error: list[BaseException] = []

        def work() -> None:
            world.enter(self)
            try:
                result.append(thunk())
            except SchemeError as e:
                if e.loc is None or not e.backtrace or not e.frames:
                    locate(e, e.__traceback__)
                error.append(e)
            except SchemeExit as e:
                error.append(e)
            except BaseException as e:  # noqa: BLE001 - everything is reported in Scheme terms
                from schemy.runtime.control import ContinuationInvoked
                from schemy.runtime.sandbox import BudgetExceeded

                if isinstance(e, ContinuationInvoked):
                    error.append(scheme_error("continuation invoked outside of its extent"))
                elif isinstance(e, BudgetExceeded):
                    err = scheme_error(f"{e.reason}: stopped", kind="resource-limit",
                                       hint="a configuration that loops forever (or a macro that never "
                                            "stops expanding) cannot be checked")
                    locate(err, e.__traceback__)
                    error.append(err)
                elif isinstance(e, (KeyboardInterrupt, SystemExit)):
                    error.append(e)
                elif isinstance(e, USER_ERRORS):
                    error.append(translate(e))
                else:
                    error.append(e)
            finally:
                world.leave()

        if threading.current_thread().name == "schemy-eval":
            work()
        else:
            done = threading.Event()

            def run() -> None:
                try:
                    run_on_deep_frame_stack(work)
                finally:
                    done.set()

            old_limit = sys.getrecursionlimit()
            sys.setrecursionlimit(max(old_limit, RECURSION_LIMIT))
            old_size = threading.stack_size()
            threading.stack_size(STACK_SIZE)
            try:
                t = threading.Thread(target=run, name="schemy-eval", daemon=True)
                t.start()
            finally:
                threading.stack_size(old_size)
            # Wait on an event, not join(): on Python 3.11 a Ctrl-C landing inside join()
            # makes the thread look finished while it still runs.
            interrupts = 0
            while True:
                try:
                    if done.wait(0.05):
                        break
                except KeyboardInterrupt:
                    interrupts += 1
                    if interrupts >= 3:
                        # The worker is stuck where Python cannot interrupt it (a blocking system
                        # call): leave it behind rather than the user.
                        raise KeyboardInterrupt("evaluation abandoned (it may still be running)") from None
                    _interrupt_thread(t)
            if not result and not error:
                raise KeyboardInterrupt
        if error:
            e = error[0]
            if isinstance(e, SchemeError):
                self.add_hints(e)
            raise e
        return result[0] if result else UNSPECIFIED

    def eval_string(self, text: str, filename: str = "<string>", module: Module | None = None) -> Any:
        """Read and evaluate every form of ``text``; the value of the last one."""
        from schemy.compile.read_cache import cached_read

        def thunk() -> Any:
            saved = self.current_module
            if module is not None:
                self.current_module = module
            try:
                return self.eval_forms(cached_read(text, filename))
            finally:
                if module is not None:
                    self.current_module = saved

        return self.run_protected(thunk)

    def load_file(self, path: str, module: Module | None = None, library: Module | None = None) -> Any:
        """Evaluate a file in ``module`` (default: the current module); the last value.
        ``library``: the file is that module's own (then it goes through the module cache)."""
        from schemy.compile.read_cache import cached_read

        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as e:
            raise scheme_error(f"cannot open {path}: {e.strerror}", kind="system-error") from None
        found = None
        if library is not None or "_module_cache_state" in self.__dict__:
            from schemy.eval import module_cache

            if library is not None and module_cache.enabled(self, str(path)):
                found = module_cache.find(self, library, str(path), text)
            else:
                module_cache.note_reloaded(self, str(path), text)
        if found is not None and found.forms is not None:  # a replay that need not read the file
            forms: Any = None
            defines = found.file_defines
        else:
            forms = cached_read(text, str(path))
            defines = _top_level_definitions(forms)
        self.files_loading.append(str(path))  # as given: a relative name stays relative
        saved = self.current_module
        saved_defines = self.compiler.file_defines
        self.compiler.file_defines = defines
        if module is not None:
            self.current_module = module
        try:
            with code_cache.file_scope(text, str(path), self.compiler.counter_state(), self.cache_code):
                if found is not None:
                    return module_cache.load_module_forms(
                        self, found, forms if forms is not None else lambda: cached_read(text, str(path)))
                return self.eval_forms(forms)
        finally:
            self.current_module = saved
            self.compiler.file_defines = saved_defines
            self.files_loading.pop()

    # ------------------------------------------------------------ modules
    def find_module_file(self, name: tuple[str, ...]) -> str | None:
        load_path = self.sync_load_path()
        for ext in (".scm", ".sld"):
            rel = os.path.join(*name) + ext
            for d in load_path:
                p = os.path.join(d, rel)
                if os.path.isfile(p):
                    if d != str(STDLIB_DIR):
                        self.load_path_names[p] = rel
                    return p
        return None

    def resolve_module(self, spec: Any, loc: SourceLocation | None = None) -> Module:
        """The module named by ``spec`` (a list of symbols), loading it on first use."""
        try:
            parts = list_to_python(strip(spec))
        except ValueError:
            parts = []
        if not parts or not all(isinstance(p, (Symbol, int)) for p in parts):
            from schemy.lang.printer import write_string

            raise scheme_error(f"bad module name {write_string(strip(spec))}", kind="syntax-error", loc=loc)
        name = tuple(p.name if isinstance(p, Symbol) else str(p) for p in parts)
        if self.resolved_stack:
            self.resolved_stack[-1].add(name)
        m = self.modules.get(name)
        if m is not None:
            if m.hooks.get("import-warning") and loc is not None:
                self._warn_import(m, loc)
            if name in self.loading:
                chain = " -> ".join("(" + " ".join(n) + ")" for n in self.loading[self.loading.index(name):])
                raise scheme_error(f"module cycle: {chain} -> ({' '.join(name)})", kind="module-cycle", loc=loc,
                                   hint="two modules import each other; move the shared definitions to a third")
            return m
        if name in self.native_modules or name in self.native_loaders:
            self.sourceless_modules.add(name)
            return self._make_native_module(name)
        path = self.find_module_file(name)
        if path is None:
            for provider in self.module_providers:
                m = provider(self, name)
                if m is not None:
                    self.sourceless_modules.add(name)
                    if m.hooks.get("import-warning") and loc is not None:
                        self._warn_import(m, loc)
                    return m
            if name in BUILTIN_MODULES:
                self.sourceless_modules.add(name)
                return self._make_builtin_module(name)
            if self.check_recorder is not None and self.check_recorder.covers(loc):
                return self.check_recorder.missing_module(name, loc)
            from schemy.eval.check_all import missing_module_hint, module_name_location

            raise scheme_error(f"no code for module ({' '.join(name)})", kind="missing-module",
                               loc=module_name_location(loc, name), hint=missing_module_hint(self, name))
        self.load_module_file(name, path)
        return self.modules[name]

    def _warn_import(self, m: Module, loc: SourceLocation) -> None:
        """``FILE:LINE:COL: warning: ...`` for an import of a module that carries an
        ``import-warning`` (a module Guix removed, standing for where its contents went);
        once per place it is imported."""
        import re

        from schemy.eval.check_all import locate_pattern
        from schemy.runtime.ports.port import CURRENT_WARNING

        # At the module's name inside the importing form, as errors about imports are.
        spec = r"\(\s*" + r"\s+".join(re.escape(p) for p in m.name) + r"(?=[\s)])"
        where = locate_pattern(loc, re.compile(spec)) or loc
        key = (where, m.name)
        if key in self._import_warnings:
            return
        self._import_warnings.add(key)
        CURRENT_WARNING().put(f"{where}: warning: {m.hooks['import-warning']}\n")

    def _make_builtin_module(self, name: tuple[str, ...]) -> Module:
        """A Guile module schemy implements in its core: it exports the core's bindings of
        the names it has in Guile (and no others, so importing it again never replaces what
        another module provided), with this module's own variants where they differ."""
        m = Module(name)
        variants = MODULE_VARIANTS.get(name, {})
        for n in BUILTIN_MODULES[name]:
            sym = Symbol(n)
            if n in variants:
                value = variants[n]
                m.define(sym, value)
            else:
                b = self.core.table.get(sym)
                if b is None:
                    continue
                m.table[sym] = b
            m.export(sym)
        self.modules[name] = m
        return m

    def load_module_file(self, name: tuple[str, ...], path: str) -> None:
        m = self.make_module(name, path)
        self.loading.append(name)
        saved = self.current_module
        self.current_module = m
        try:
            self.load_file(path, library=m)
        except BaseException:
            self.modules.pop(name, None)
            raise
        finally:
            self.current_module = saved
            self.loading.pop()

    def add_hints(self, err: SchemeError) -> None:
        cond = err.payload
        if not isinstance(cond, Condition) or cond.hint or cond.kind != "unbound-variable":
            return
        name = cond.fields.get("name")
        if name is None:
            return
        from schemy.eval.check_all import locate_token, unbound_name_hint

        # The same advice as ``system check`` gives, at the name itself: a symbol has no
        # location of its own, the error's is that of the innermost list around it.
        cond.hint = unbound_name_hint(self, name, cond.fields.get("module"), [])
        if err.loc is not None and isinstance(name, Symbol):
            err.loc = locate_token(err.loc, name.name)


def _interrupt_thread(t: threading.Thread) -> None:
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(t.ident), ctypes.py_object(KeyboardInterrupt))


# ---------------------------------------------------------------- evaluation procedures


def scheme_eval(expr: Any, env: Any = None) -> Any:
    interp = current_interpreter()
    saved = interp.current_module
    if isinstance(env, Module):
        interp.current_module = env
    try:
        return interp.eval_toplevel(expr)
    finally:
        interp.current_module = saved


def interaction_environment() -> Module:
    return current_interpreter().user


def current_module() -> Module:
    return current_interpreter().current_module


def command_line() -> Any:
    return make_list(current_interpreter().command_line)


def environment(*specs: Any) -> Module:
    interp = current_interpreter()
    m = Module(("%environment",))
    for spec in specs:
        m.use(Interface(interp.resolve_module(spec)))
    if not specs:
        m.use(Interface(interp.core))
    return m


def resolve_module_proc(spec: Any, *_: Any) -> Module:
    return current_interpreter().resolve_module(spec)


def module_ref(module: Module, name: Symbol, *default: Any) -> Any:
    b = module.lookup(name)
    if isinstance(b, Cell) and b.bound:
        return b.value
    if b is not None and not isinstance(b, Cell):
        return b  # a macro: Guile's module-ref gives the macro object
    if default:
        return default[0]
    raise scheme_error(f"{name.name}: unbound variable in module {module.display_name()}",
                       kind="unbound-variable")


def load(path: Any, *_: Any) -> Any:
    """``(load FILE)``: a relative FILE is found in the directory of the file being loaded
    (Guile's ``load`` resolves it against the directory of the file its call is in), else
    in the current directory."""
    interp = current_interpreter()
    name = to_str(path)
    if not os.path.isabs(name) and interp.files_loading:
        # Joined with the loading file's name as it was given, so that a file loaded from the
        # current directory loads its neighbour under a relative name too (its locations,
        # part of a system, do not name the directory it was run from).
        return interp.load_file(os.path.join(os.path.dirname(interp.files_loading[-1]), name))
    return interp.load_file(name)


def primitive_load(path: Any) -> Any:
    """``(primitive-load FILE)``: FILE as given, relative to the current directory."""
    return current_interpreter().load_file(to_str(path))


def load_in_vicinity(directory: Any, path: Any, *_: Any) -> Any:
    """``(load-in-vicinity DIR FILE)``: FILE, relative to DIR unless it is absolute."""
    name = to_str(path)
    if not os.path.isabs(name):
        name = os.path.join(to_str(directory), name)
    return current_interpreter().load_file(name)


def read_first_cached(path: Any) -> Any:
    """The first datum of file PATH (the EOF object if it has none), as ``read`` on a fresh port
    would give it, but answered from the parse cache: library code uses it to look at a
    module's ``define-module`` form without building the full reader."""
    from schemy.compile.read_cache import cached_read_first

    name = to_str(path)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except OSError as e:
        raise scheme_error(f"{name}: {e.strerror}", kind="system-error") from None
    return cached_read_first(text, name)


def features() -> Any:
    return make_list([Symbol(f) for f in sorted(current_interpreter().features)])


def _get_environment_variable(name: Any) -> Any:
    from schemy.runtime.sandbox import check_environment_read

    check_environment_read(to_str(name))
    value = os.environ.get(to_str(name))
    return False if value is None else value


def _get_environment_variables() -> Any:
    from schemy.lang.datum import make_pair
    from schemy.runtime.sandbox import check_environment_read

    check_environment_read("environ")
    return make_list([make_pair(k, v) for k, v in os.environ.items()])


def _emergency_exit(code: Any = 0) -> Any:
    import sys as _sys

    _sys.stdout.flush()
    os._exit(0 if code is True else 1 if code is False else code if isinstance(code, int) else 0)


def _current_jiffy() -> int:
    import time

    return time.perf_counter_ns() // 1000


def _current_second() -> float:
    import time

    return time.time()


# ---------------------------------------------------------------- Guile core reflection


# The Guile release whose behaviour schemy follows: what ``(version)`` reports, so programs
# that test the Guile version take their Guile 3.0 branch.
GUILE_VERSION = "3.0.8"
_START_NS = time.monotonic_ns()


def _module_arg(name: str, module: Any) -> Module:
    if module is None:
        return current_interpreter().current_module
    if not isinstance(module, Module):
        from schemy.lang.errors import wrong_type

        raise wrong_type(name, 2, module, "module")
    return module


def is_defined(name: Any, module: Any = None) -> bool:
    """``(defined? 'name [module])``: whether NAME has a binding (variable or macro)."""
    b = _module_arg("defined?", module).lookup(name)
    return b is not None and (not isinstance(b, Cell) or b.bound)


def module_is_defined(module: Module, name: Any) -> bool:
    return is_defined(name, module)


def module_set(module: Module, name: Symbol, value: Any) -> Any:
    """``module-set!``: assign an existing variable, as Guile (unbound: an error)."""
    b = module.lookup(name)
    if not isinstance(b, Cell):
        raise scheme_error(f"{name.name}: unbound variable in module {module.display_name()}",
                           kind="unbound-variable")
    b.value = value
    return UNSPECIFIED


def module_define(module: Module, name: Symbol, value: Any) -> Any:
    module.define(name, value)
    return UNSPECIFIED


def _module_bindings(module: Module) -> list[tuple[Symbol, Any]]:
    return [(k, v) for k, v in module.table.items() if not isinstance(v, Cell) or v.bound]


def module_map(proc: Any, module: Module) -> Any:
    """``module-map``: PROC of each local name and binding (the value for a variable)."""
    return make_list([proc(k, v.value if isinstance(v, Cell) else v) for k, v in _module_bindings(module)])


def module_for_each(proc: Any, module: Module) -> Any:
    for k, v in _module_bindings(module):
        proc(k, v.value if isinstance(v, Cell) else v)
    return UNSPECIFIED


def module_name(module: Module) -> Any:
    return make_list([Symbol(n) for n in module.name])


def module_uses(module: Module) -> Any:
    """The modules ``module`` imports, each once, in the order they were imported."""
    seen: list[Module] = []
    for iface in module.imports:
        used = iface.module
        if used is not module and all(m is not used for m in seen):
            seen.append(used)
    return make_list(seen)


def is_macro(x: Any) -> bool:
    from schemy.lang.syntax import Macro, SpecialForm

    return isinstance(x, (Macro, SpecialForm))


def add_to_load_path(directory: Any) -> Any:
    """``(add-to-load-path dir)``: later module imports also search DIR, first."""
    interp = current_interpreter()
    d = to_str(directory)
    interp.set_load_path([d, *(p for p in interp.sync_load_path() if p != d)])
    return UNSPECIFIED


def load_from_path(name: Any) -> Any:
    """Load file NAME found on the load path (with or without its .scm extension)."""
    interp = current_interpreter()
    n = to_str(name)
    for d in interp.sync_load_path():
        for candidate in (os.path.join(d, n), os.path.join(d, n + ".scm")):
            if os.path.isfile(candidate):
                return interp.load_file(candidate)
    raise scheme_error(f"Unable to find file \"{n}\" in load path", kind="system-error", origin="load-from-path")


def eval_string(text: Any, module: Any = None) -> Any:
    from schemy.lang.reader import read

    interp = current_interpreter()
    saved = interp.current_module
    if isinstance(module, Module):
        interp.current_module = module
    try:
        return interp.eval_forms(read(to_str(text), "<string>"))
    finally:
        interp.current_module = saved


# Reader and printer options: those schemy's reader and printer always honour may be
# enabled (a no-op, as they are on); asking for one they cannot honour is an error.
_READ_OPTIONS = {"square-brackets", "positions", "hungry-eol-escapes", "r7rs-symbols", "r6rs-hex-escapes"}
_PRINT_OPTIONS = {"escape-newlines", "quote-keywordish-symbols", "r7rs-symbols"}
_enabled: dict[str, set[str]] = {"read": {"square-brackets", "positions"}, "print": set()}


def _option_list(kind: str) -> Any:
    flags = [Symbol(o) for o in sorted(_enabled[kind])]
    if kind == "read":
        return make_list([*flags, Symbol("keywords"), False])
    return make_list(flags)


_DEFINERS = frozenset({"define", "define*", "define-public", "define-inlinable"})


def _top_level_definitions(forms: list) -> frozenset:
    """The names a file's top-level forms define (``(define NAME ...)``, ``(define (NAME ...)
    ...)``, also inside top-level ``begin``s): the compiler does not inline primitives of those
    names (see Compiler.file_defines)."""
    names = set()
    stack = list(forms)
    while stack:
        form = stack.pop()
        if form.__class__ is not Pair or not isinstance(form.car, Symbol) or form.cdr.__class__ is not Pair:
            continue
        head = form.car.name
        if head == "begin":
            rest = form.cdr
            while rest.__class__ is Pair:
                stack.append(rest.car)
                rest = rest.cdr
        elif head in _DEFINERS:
            target = form.cdr.car
            while target.__class__ is Pair:  # (define ((curried a) b) ...)
                target = target.car
            if isinstance(target, Symbol):
                names.add(target)
    return frozenset(names)


def _set_option(kind: str, on: bool) -> Callable[[Any], Any]:
    supported = _READ_OPTIONS if kind == "read" else _PRINT_OPTIONS

    def set_option(option: Any) -> Any:
        name = option.name if isinstance(option, Symbol) else to_str(option)
        if name not in supported:
            raise scheme_error(f"{kind} option {name} is not supported by schemy", kind="misc-error",
                               origin=f"{kind}-{'enable' if on else 'disable'}")
        if kind == "read":
            from schemy.lang.reader import OPTIONS as reader_options  # only when one is set

            (reader_options.add if on else reader_options.discard)(name)
        if on:
            _enabled[kind].add(name)
        else:
            _enabled[kind].discard(name)
        return _option_list(kind)

    set_option.scheme_name = f"{kind}-{'enable' if on else 'disable'}"  # type: ignore[attr-defined]
    return set_option


def exception_kind(e: Any) -> Any:
    from schemy.runtime.control import condition_key_args

    return condition_key_args(e)[0]


def exception_args(e: Any) -> Any:
    from schemy.runtime.control import condition_key_args

    return condition_key_args(e)[1]


def is_thunk(x: Any) -> bool:
    """Whether X is a procedure that accepts no arguments."""
    from schemy.runtime.control import is_procedure, procedure_arity

    return is_procedure(x) and procedure_arity(getattr(x, "_body", x))[0] == 0


def _variable_ref(v: Cell) -> Any:
    if not v.bound:
        raise scheme_error(f"{v.name.name}: unbound variable", kind="unbound-variable", origin="variable-ref")
    return v.value


def _variable_set(v: Cell, value: Any) -> Any:
    v.value = value
    return UNSPECIFIED


def _make_variable(value: Any) -> Cell:
    cell = Cell(Symbol("#{anonymous}#"))
    cell.value = value
    return cell


def _set_current_module(module: Module) -> Module:
    interp = current_interpreter()
    old = interp.current_module
    interp.current_module = module
    return old


def _scm_error(key: Any, subr: Any, message: Any, args: Any, rest: Any) -> Any:
    """``(scm-error key subr message args data)``: throw KEY as Guile's C errors do; the
    message is formatted with ARGS (~A / ~S) when shown."""
    from schemy.lang.printer import display_string, write_string

    text = to_str(message) if is_string(message) else display_string(message)
    items = list_to_python(args) if args is not False else []
    shown = _format_tildes(text, items, display_string, write_string)
    cond = Condition(key.name if isinstance(key, Symbol) else str(key), shown, (),
                     origin=to_str(subr) if is_string(subr) else (subr.name if isinstance(subr, Symbol) else None),
                     fields={"args": [subr, message, args, rest], "key": key})
    from schemy.runtime.control import signal

    return signal(SchemeError(cond))


def _format_tildes(text: str, items: list, display: Any, write: Any) -> str:
    out = []
    i = 0
    it = iter(items)
    while i < len(text):
        c = text[i]
        if c == "~" and i + 1 < len(text):
            d = text[i + 1].upper()
            if d in "AS":
                out.append((display if d == "A" else write)(next(it, "")))
                i += 2
                continue
            if d == "~":
                out.append("~")
                i += 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _quit(*code: Any) -> Any:
    from schemy.runtime.control import exit_

    return exit_(*code)


def _is_parameter(x: Any) -> bool:
    from schemy.runtime.parameters import Parameter

    return isinstance(x, Parameter)


def object_to_string(x: Any, printer: Any = None) -> Any:
    from schemy.lang.printer import write_string

    if printer is None:
        return write_string(x)
    from schemy.runtime.ports import call_with_output_string_py

    return call_with_output_string_py(lambda port: printer(x, port))


EVAL_PRIMITIVES: dict[str, Any] = {
    "features": features,
    "get-environment-variable": _get_environment_variable,
    "get-environment-variables": _get_environment_variables,
    "emergency-exit": _emergency_exit,
    "current-jiffy": _current_jiffy,
    "current-second": _current_second,
    "jiffies-per-second": lambda: 1_000_000,
    "%read-first-cached": read_first_cached,
    "eval": scheme_eval,
    "interaction-environment": interaction_environment,
    "current-module": current_module,
    "command-line": command_line,
    "environment": environment,
    "scheme-report-environment": lambda *_: current_interpreter().core,
    "null-environment": lambda *_: current_interpreter().core,
    "resolve-module": resolve_module_proc,
    "resolve-interface": resolve_module_proc,
    "module-ref": module_ref,
    "load": load,
    "primitive-load": primitive_load,
    "load-in-vicinity": load_in_vicinity,
    "defined?": is_defined,
    "module-defined?": module_is_defined,
    "module-set!": module_set,
    "module-define!": module_define,
    "module-add!": lambda m, name, var: module_define(m, name, var),
    "module-map": module_map,
    "module-for-each": module_for_each,
    "module-name": module_name,
    "module-uses": module_uses,
    "macro?": is_macro,
    "add-to-load-path": add_to_load_path,
    "load-from-path": load_from_path,
    "primitive-load-path": load_from_path,
    "eval-string": eval_string,
    "primitive-eval": lambda expr: scheme_eval(expr),
    "program-arguments": command_line,
    "get-internal-real-time": lambda: time.monotonic_ns() - _START_NS,
    "get-internal-run-time": lambda: time.process_time_ns(),
    "internal-time-units-per-second": 1_000_000_000,
    "version": lambda: GUILE_VERSION,
    "effective-version": lambda: ".".join(GUILE_VERSION.split(".")[:2]),
    "major-version": lambda: GUILE_VERSION.split(".")[0],
    "minor-version": lambda: GUILE_VERSION.split(".")[1],
    "micro-version": lambda: GUILE_VERSION.split(".")[2],
    "read-enable": _set_option("read", True),
    "read-disable": _set_option("read", False),
    "print-enable": _set_option("print", True),
    "print-disable": _set_option("print", False),
    "read-options": lambda *_: _option_list("read"),
    "print-options": lambda *_: _option_list("print"),
    "exception-kind": exception_kind,
    "exception-args": exception_args,
    "thunk?": is_thunk,
    "object->string": object_to_string,
    "module-variable": lambda m, name: (lambda b: b if isinstance(b, Cell) else False)(m.lookup(name)),
    "variable?": lambda x: isinstance(x, Cell),
    "variable-ref": _variable_ref,
    "variable-set!": _variable_set,
    "variable-bound?": lambda v: v.bound,
    "make-variable": _make_variable,
    "module?": lambda x: isinstance(x, Module),
    "the-root-module": lambda: current_interpreter().core,
    "the-scm-module": lambda: current_interpreter().core,
    "set-current-module": _set_current_module,
    "unspecified?": lambda x: x is UNSPECIFIED,
    "*unspecified*": UNSPECIFIED,  # Guile's variable holding the unspecified value
    "nil?": lambda x: x is NIL,
    "scm-error": _scm_error,
    "quit": lambda *code: _quit(*code),
    "parameter?": _is_parameter,
    "noop": lambda *args: args[0] if args else UNSPECIFIED,
    "inf": lambda: float("inf"),
    "nan": lambda: float("nan"),
    "symbol-prefix-proc": lambda prefix: lambda s: Symbol(f"{prefix.name}{s.name}"),
    "provided?": lambda feature: feature.name in current_interpreter().features,
    "%locally-bound?": lambda name: isinstance(current_interpreter().current_module.table.get(name), Cell)
    and current_interpreter().current_module.table[name].bound,
    "gettext": lambda msg, *_: msg,
    "ngettext": lambda msg, plural, n, *_: msg if n == 1 else plural,
}


@special("current-source-location")
def _current_source_location(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """Guile's source properties of this form: ((filename . F) (line . L) (column . C)), line from 0."""
    loc = form.loc
    if loc is None:
        return core.Const(NIL)
    props = [make_pair(Symbol("line"), loc.line - 1), make_pair(Symbol("column"), loc.column)]
    if loc.filename and not loc.filename.startswith("<"):  # read from a file, not a string
        props.insert(0, make_pair(Symbol("filename"), loc.filename))
    return core.Const(make_list(props), loc)


@special("define-once")
def _define_once(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """``(define-once name expr)``: define NAME unless this module already binds it."""
    parts = form_list(form)
    if len(parts) != 3 or not is_identifier(parts[1]):
        raise syntax_error("bad define-once", form)
    cs = ex.interp.core_scope
    K = lambda n: Ident(Symbol(n), cs)  # noqa: E731
    name = parts[1]
    test = make_list([K("%locally-bound?"), make_list([K("quote"), name])])
    return ex.expand(make_list([K("define"), name, make_list([K("if"), test, name, parts[2]])]), env)


def _canonical_or_false(name: str, where: str) -> Any:
    """Guile's ``(false-if-exception (canonicalize-path NAME))``: NAME resolved against the
    current directory, links resolved, or #f if there is no such file (then a warning at
    WHERE says why, since the #f fails later, in dirname or string-append)."""
    if os.path.exists(name):
        return os.path.realpath(name)
    from schemy.runtime.ports.port import CURRENT_WARNING

    CURRENT_WARNING().put(
        f"{where}: warning: (current-filename) is #f here: Guile reads this module, found on the "
        f"load path, as '{name}', which is not in the current directory ({os.getcwd()}); "
        "run from the directory given with -L, or find files with (search-path %load-path ...)\n")
    return False


@special("current-filename")
def _current_filename(ex: Expander, form: Pair, env: Scope) -> core.Node:
    """``(current-filename)``: the file this form was read from, canonicalized (links
    resolved, as Guile's ``canonicalize-path``), or #f.

    A module found through the load path is read by Guile under its name relative to the
    load path directory (``mine/services.scm``), which ``canonicalize-path`` resolves against
    the current directory: #f unless the module is there too (``guix system -L .`` run from
    the repository's root).  Guix compiles such a module afresh on each run, so the name is
    resolved when the module runs."""
    loc = form.loc
    name = loc.filename if loc is not None else None
    if not name or name.startswith("<"):
        return core.Const(False, loc)
    relative = ex.interp.load_path_names.get(name)
    if relative is not None:
        return core.Call(core.Const(_canonical_or_false), [core.Const(relative), core.Const(str(loc))], loc)
    return core.Const(os.path.realpath(name), loc)


@special("%current-module-name")
def _module_name(ex: Expander, form: Pair, env: Scope) -> core.Node:
    return core.Const(make_list([Symbol(n) for n in env.module.name]))


__all__ = ["Interpreter", "current_interpreter", "scheme_eval", "is_identifier", "identifier_symbol", "NIL",
           "is_string", "to_str", "syntax_error", "Cell"]

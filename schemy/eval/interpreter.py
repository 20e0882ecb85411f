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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from schemy.compile import code_cache
from schemy.compile.compiler import Compiler
from schemy.compile.pyerrors import locate, translate
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
    to_str,
)
from schemy.lang.errors import Condition, SchemeError, SchemeExit, scheme_error
from schemy.lang.resources import STDLIB_DIR  # noqa: E402
from schemy.lang.syntax import Scope, SpecialForm, identifier_symbol, is_identifier, strip
from schemy.runtime import world
from schemy.runtime.control import run_tail
from schemy.runtime.modules import Cell, Interface, Module

STACK_SIZE = 1024 * 1024 * 1024
RECURSION_LIMIT = 1_000_000

_PRIMITIVES = world.PRIMITIVES

# Module names Guile provides whose bindings schemy has in its core: importing
# them is allowed and (with #:select) checked, but adds nothing new.
BUILTIN_MODULES = {
    ("guile",), ("srfi", "srfi-1"), ("srfi", "srfi-2"), ("srfi", "srfi-6"), ("srfi", "srfi-8"),
    ("srfi", "srfi-9"), ("srfi", "srfi-11"), ("srfi", "srfi-13"), ("srfi", "srfi-14"), ("srfi", "srfi-16"),
    ("srfi", "srfi-17"), ("srfi", "srfi-23"), ("srfi", "srfi-26"), ("srfi", "srfi-28"), ("srfi", "srfi-30"),
    ("srfi", "srfi-31"), ("srfi", "srfi-34"), ("srfi", "srfi-35"), ("srfi", "srfi-39"), ("srfi", "srfi-43"),
    ("srfi", "srfi-60"), ("srfi", "srfi-69"), ("guix", "build", "utils"), ("srfi", "srfi-71"),
    ("srfi", "srfi-88"), ("srfi", "srfi-111"),
    ("ice-9", "receive"), ("ice-9", "format"), ("ice-9", "match"), ("srfi", "srfi-19"), ("ice-9", "exceptions"),
    ("ice-9", "curried-definitions"),
    ("ice-9", "rdelim"), ("ice-9", "regex"), ("ice-9", "pretty-print"), ("ice-9", "optargs"),
    ("ice-9", "vlist"), ("ice-9", "hash-table"), ("ice-9", "ftw"), ("ice-9", "popen"), ("ice-9", "textual-ports"),
    ("ice-9", "binary-ports"), ("ice-9", "string-fun"), ("ice-9", "control"), ("ice-9", "q"),
    ("ice-9", "threads"), ("ice-9", "iconv"), ("ice-9", "local-eval"), ("ice-9", "documentation"),
    ("rnrs", "bytevectors"), ("rnrs", "io", "ports"), ("rnrs", "base"), ("rnrs",), ("system", "base", "compile"),
    ("scheme", "base"), ("scheme", "char"), ("scheme", "cxr"), ("scheme", "lazy"), ("scheme", "inexact"),
    ("scheme", "complex"), ("scheme", "time"), ("scheme", "file"), ("scheme", "read"), ("scheme", "write"),
    ("scheme", "eval"), ("scheme", "process-context"), ("scheme", "case-lambda"), ("scheme", "repl"),
    ("scheme", "load"), ("scheme", "r5rs"),
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
    changes (reference counting still frees acyclic garbage at once)."""
    import gc

    threshold, gen1, gen2 = gc.get_threshold()
    if 0 < threshold < 10_000:
        gc.set_threshold(10_000, gen1, gen2)


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
    from schemy.runtime import conditions, posix, pretty, records, regex, srfi19

    for module in (posix, srfi19, match, regex, pretty, conditions, records, record_syntax):
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
        self.loading: list[tuple[str, ...]] = []
        # Makers of modules that have no file: called in order with (interpreter, name) when no
        # file on the load path defines the module; the first to return a Module wins.  The
        # Guix layer offers its package catalogue this way (thousands of modules, one index).
        self.module_providers: list[Any] = []
        self.load_path = list(load_path or [])
        env_path = os.environ.get("SCHEMY_LOAD_PATH")
        if env_path:
            self.load_path += [p for p in env_path.split(":") if p]
        self.load_path.append(str(STDLIB_DIR))
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
        core_mod.define(Symbol("%load-path"), make_list(self.load_path))

    def add_native_module(self, name: tuple[str, ...], bindings: dict[str, Any],
                          special_forms: dict[str, Any] | None = None) -> None:
        """Offer ``name`` as a module whose exported bindings and syntax are Python objects;
        it is made the first time a program imports it (``(use-modules (guix gexp))``)."""
        self.native_modules[name] = (bindings, special_forms or {})

    def _make_native_module(self, name: tuple[str, ...]) -> Module:
        bindings, forms = self.native_modules[name]
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
        fn = self.compiler.compile_toplevel(node)
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
        form = self.expander.macroexpand_head(form, env)
        if form.__class__ is Pair and self.expander.is_special(form, env, "begin"):
            value: Any = UNSPECIFIED
            for sub in form_list(form.cdr):
                value = self.eval_toplevel(sub)
            return value
        node = self.expander.expand(form, env)
        return self.run_node(node, env)

    def eval_forms(self, forms: list) -> Any:
        value: Any = UNSPECIFIED
        for form in forms:
            value = self.eval_toplevel(form)
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
                if e.loc is None or not e.backtrace:
                    locate(e, e.__traceback__)
                error.append(e)
            except SchemeExit as e:
                error.append(e)
            except BaseException as e:  # noqa: BLE001 - everything is reported in Scheme terms
                from schemy.runtime.control import ContinuationInvoked

                if isinstance(e, ContinuationInvoked):
                    error.append(scheme_error("continuation invoked outside of its extent"))
                elif isinstance(e, (KeyboardInterrupt, SystemExit)):
                    error.append(e)
                elif _is_user_error(e):
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
                    work()
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
                    _interrupt_thread(t)
                    if interrupts >= 3:
                        raise
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

    def load_file(self, path: str, module: Module | None = None) -> Any:
        """Evaluate a file in ``module`` (default: the current module); the last value."""
        from schemy.compile.read_cache import cached_read

        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as e:
            raise scheme_error(f"cannot open {path}: {e.strerror}", kind="system-error") from None
        forms = cached_read(text, str(path))
        saved = self.current_module
        if module is not None:
            self.current_module = module
        try:
            with code_cache.file_scope(text, str(path), self.compiler.counter_state(), self.cache_code):
                return self.eval_forms(forms)
        finally:
            self.current_module = saved

    # ------------------------------------------------------------ modules
    def find_module_file(self, name: tuple[str, ...]) -> str | None:
        for ext in (".scm", ".sld"):
            rel = os.path.join(*name) + ext
            for d in self.load_path:
                p = os.path.join(d, rel)
                if os.path.isfile(p):
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
        m = self.modules.get(name)
        if m is not None:
            if name in self.loading:
                chain = " -> ".join("(" + " ".join(n) + ")" for n in self.loading[self.loading.index(name):])
                raise scheme_error(f"module cycle: {chain} -> ({' '.join(name)})", kind="module-cycle", loc=loc,
                                   hint="two modules import each other; move the shared definitions to a third")
            return m
        if name in self.native_modules:
            return self._make_native_module(name)
        path = self.find_module_file(name)
        if path is None:
            for provider in self.module_providers:
                m = provider(self, name)
                if m is not None:
                    return m
            if name in BUILTIN_MODULES:
                m = Module(name)
                m.export_all = True
                m.use(Interface(self.core))
                self.modules[name] = m
                return m
            raise scheme_error(f"no code for module ({' '.join(name)})", kind="missing-module", loc=loc,
                               hint="check the module name; load paths: " + ", ".join(self.load_path[:4]))
        self.load_module_file(name, path)
        return self.modules[name]

    def load_module_file(self, name: tuple[str, ...], path: str) -> None:
        m = self.make_module(name, path)
        self.loading.append(name)
        saved = self.current_module
        self.current_module = m
        try:
            self.load_file(path)
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
        from schemy.eval.library_index import hint_for

        cond.hint = hint_for(self, name, cond.fields.get("module"))


def _is_user_error(e: BaseException) -> bool:
    return isinstance(e, (TypeError, ZeroDivisionError, AttributeError, NameError, RecursionError, ValueError,
                          OverflowError, IndexError, KeyError, OSError))


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
    if default:
        return default[0]
    raise scheme_error(f"{name.name}: unbound variable in module {module.display_name()}",
                       kind="unbound-variable")


def load(path: Any, *_: Any) -> Any:
    interp = current_interpreter()
    return interp.load_file(to_str(path))


def read_first_cached(path: Any) -> Any:
    """The first datum of file PATH (the EOF object if it has none), as ``read`` on a fresh port
    would give it, but answered from the parse cache: library code uses it to look at a
    module's ``define-module`` form without building the full reader."""
    from schemy.compile.read_cache import cached_read
    from schemy.lang.datum import EOF_OBJECT

    name = to_str(path)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except OSError as e:
        raise scheme_error(f"{name}: {e.strerror}", kind="system-error") from None
    forms = cached_read(text, name)
    return forms[0] if forms else EOF_OBJECT


def features() -> Any:
    return make_list([Symbol(f) for f in sorted(current_interpreter().features)])


def _get_environment_variable(name: Any) -> Any:
    from schemy.runtime.sandbox import check_environment_read

    check_environment_read(to_str(name))
    value = os.environ.get(to_str(name))
    return False if value is None else value


def _get_environment_variables() -> Any:
    from schemy.lang.datum import Pair
    from schemy.runtime.sandbox import check_environment_read

    check_environment_read("environ")
    return make_list([Pair(k, v) for k, v in os.environ.items()])


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
    "primitive-load": load,
}


@special("%current-module-name")
def _module_name(ex: Expander, form: Pair, env: Scope) -> core.Node:
    return core.Const(make_list([Symbol(n) for n in env.module.name]))


__all__ = ["Interpreter", "current_interpreter", "scheme_eval", "is_identifier", "identifier_symbol", "NIL",
           "is_string", "to_str", "syntax_error", "Cell"]

"""``schemy repl``: an interactive Scheme prompt in Guile's style.

``Repl`` is the part that does not depend on a terminal: it evaluates input
(each datum in turn, values printed as ``$1 = 42``), keeps the last error for
``,bt`` and runs the meta-commands (``,help``, ``,describe``, ``,apropos``,
``,use``, ``,load``, ``,time``, ``,expand``, ``,module``, ``,bt``,
``,quit``).  ``run_piped`` feeds it complete datums read from a stream (used
when standard input is not a terminal); ``make_session`` and
``run_interactive`` put a prompt-toolkit ``PromptSession`` in front of it:
multi-line input that submits when the datum is complete, a persistent
history, highlighting, completion of bound names and of record field names,
and bracket matching.

Evaluation runs on a big-stack worker thread, like the interpreter's own
``run_protected``; Ctrl-C while it runs raises ``KeyboardInterrupt`` in that
thread, so a runaway loop is interrupted and the prompt comes back.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from schemy.lang.datum import NIL, UNSPECIFIED, Char, Keyword, MString, Pair, SourceLocation, Symbol, Values
from schemy.lang.errors import SchemeError, SchemeExit, render_backtrace, render_error
from schemy.lang.reader import is_complete, read

REPL_FILE = "<repl>"
# Printed values longer than this are cut (a whole operating-system can run to pages).
MAX_VALUE_CHARS = 4000

# name -> (abbreviations, argument synopsis, one-line help), in ,help order.
META_COMMANDS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "help": (("h",), "", "Show this list of meta-commands."),
    "describe": (("d",), "NAME", "Describe NAME: a procedure's formals and documentation, "
                                 "a record or configuration's fields (type, default, documentation), "
                                 "a service type's extensions."),
    "apropos": (("a",), "TEXT", "List the bound names that contain TEXT."),
    "use": (("u",), "(MODULE NAME)", "Import a module into the current module."),
    "load": (("l",), "FILE", "Evaluate the Scheme file FILE in the current module."),
    "time": (("t",), "EXPR", "Evaluate EXPR and report the time it took."),
    "expand": (("exp",), "EXPR", "Show the macro expansion of EXPR."),
    "module": (("m",), "[(MODULE NAME)]", "Show the current module, or change to another one."),
    "backtrace": (("bt",), "", "Show the Scheme backtrace of the last error."),
    "quit": (("q", "exit"), "", "Leave the REPL (Ctrl-D does too)."),
}
_ALIASES = {alias: name for name, (aliases, _, _) in META_COMMANDS.items() for alias in (name, *aliases)}

_STACK_SIZE = 1024 * 1024 * 1024
_RECURSION_LIMIT = 1_000_000


class Interrupted(Exception):
    """The evaluation was interrupted with Ctrl-C."""


class Repl:
    """A read-eval-print loop over one interpreter, without any terminal handling.

    ``out`` receives values, errors and meta-command output (``None``: the
    ``sys.stdout`` of the moment, where Scheme's own output goes too).
    """

    def __init__(self, interp: Any, out: TextIO | None = None, debug: bool = False) -> None:
        self.interp = interp
        self._out = out
        self.debug = debug
        self.counter = 0
        self.last_error: SchemeError | None = None
        self.repl_docs: dict[SourceLocation, str] = {}
        self._file_forms: dict[str, tuple[float, list]] = {}

    # ------------------------------------------------------------ output
    @property
    def out(self) -> TextIO:
        return self._out if self._out is not None else sys.stdout

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    @property
    def module(self) -> Any:
        return self.interp.current_module

    def prompt(self) -> str:
        return f"scheme@{self.module.display_name()}> "

    # ------------------------------------------------------------ evaluation
    def run(self, thunk: Callable[[], Any]) -> Any:
        """Run ``thunk`` on a big-stack worker thread; Ctrl-C interrupts it (raises ``Interrupted``).

        Errors come back as the interpreter's ``run_protected`` reports them
        (``SchemeError`` for everything the user did).
        """
        interp = self.interp
        done = threading.Event()
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                try:
                    box["value"] = interp.run_protected(thunk)
                except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
                    box["error"] = e
            except BaseException as e:  # noqa: BLE001 - an interrupt landing in the handler above
                box.setdefault("error", e)
            finally:
                done.set()

        sys.setrecursionlimit(max(sys.getrecursionlimit(), _RECURSION_LIMIT))
        old_size = threading.stack_size()
        threading.stack_size(_STACK_SIZE)
        try:
            worker = threading.Thread(target=work, name="schemy-eval", daemon=True)
            worker.start()
        finally:
            threading.stack_size(old_size)
        interrupts = 0
        while True:
            try:
                while not done.wait(0.05):
                    if not worker.is_alive():
                        break
                break
            except KeyboardInterrupt:
                interrupts += 1
                if interrupts >= 3:
                    # The worker is stuck where Python cannot interrupt it (a blocking system call):
                    # leave it behind rather than the user.
                    raise Interrupted("evaluation abandoned (it may still be running)") from None
                _raise_in_thread(worker, KeyboardInterrupt)
        error = box.get("error")
        if error is not None:
            if isinstance(error, KeyboardInterrupt):
                raise Interrupted("User interrupt") from None
            raise error
        if "value" not in box:
            raise Interrupted("User interrupt")
        return box["value"]

    def handle(self, text: str) -> int | None:
        """Evaluate one submission (datums or a meta-command); an exit code when the REPL should stop."""
        stripped = text.strip()
        if not stripped:
            return None
        try:
            if stripped.startswith(","):
                return self.meta(stripped[1:])
            self.evaluate(text)
        except SchemeExit as e:
            return e.code
        except Interrupted as e:
            self.say(f"error: {e}")
        except SchemeError as e:
            self.report(e)
        except Exception as e:  # noqa: BLE001 - a schemy bug must not end the session
            self.say(f"internal error: {type(e).__name__}: {e}")
            if self.debug:
                import traceback

                traceback.print_exception(e, file=self.out)
        return None

    def report(self, err: SchemeError) -> None:
        self.last_error = err
        sys.stdout.flush()
        self.say(render_error(err))

    def evaluate(self, text: str) -> None:
        """Read the datums of ``text`` and evaluate each, printing its values."""
        forms = read(text, REPL_FILE)
        self._note_docstrings(forms)
        for form in forms:
            self.show(self.run(lambda form=form: self.interp.eval_toplevel(form)))

    def show(self, value: Any) -> None:
        """Print values as Guile's REPL does (``$N = value``) and bind ``$N`` in the current module."""
        from schemy.lang.printer import write_string

        values = [v for v in (value if isinstance(value, Values) else [value]) if v is not UNSPECIFIED]
        if not values:
            return
        # Record printers may be Scheme procedures: print on the evaluation thread.
        texts = self.run(lambda: [write_string(v) for v in values])
        sys.stdout.flush()
        for v, text in zip(values, texts):
            self.counter += 1
            name = f"${self.counter}"
            self.module.define(Symbol(name), v)
            self.say(f"{name} = {_cut(text)}")

    def load_config(self, path: str) -> None:
        """Evaluate the config file at ``path`` in its own module and continue in that module."""
        from schemy.system.config import make_config_module

        if not Path(path).is_file():
            self.say(f"error: {path}: no such file")
            return
        full = str(Path(path).resolve())
        try:
            module = self.run(lambda: make_config_module(self.interp, full))
        except (SchemeError, Interrupted) as e:
            # The modules every config sees failed to load: say why, and go on without them.
            if isinstance(e, SchemeError):
                self.report(e)
            module = self.interp.make_module(("schemy-config", os.path.basename(full)))
        self.interp.current_module = module
        try:
            self.show(self.run(lambda: self.interp.load_file(path)))
        except Interrupted as e:
            self.say(f"error: {e}")
        except SchemeError as e:
            self.report(e)

    # ------------------------------------------------------------ meta-commands
    def meta(self, text: str) -> int | None:
        parts = text.split(None, 1)
        word = parts[0] if parts else ""
        arg = parts[1].strip() if len(parts) > 1 else ""
        name = _ALIASES.get(word)
        if name is None:
            self.say(f"Unknown meta command: {word}")
            return None
        if name == "quit":
            return 0
        handler = getattr(self, "cmd_" + name)
        handler(arg)
        return None

    def cmd_help(self, arg: str) -> None:
        self.say("Meta-commands (abbreviations in brackets):")
        for name, (aliases, synopsis, doc) in META_COMMANDS.items():
            head = f"  ,{name} {synopsis}".rstrip()
            if aliases:
                head += f"  [,{' ,'.join(aliases)}]"
            self.say(head)
            self.say(textwrap.fill(doc, 78, initial_indent="      ", subsequent_indent="      "))
        self.say("Values are numbered $1, $2...; those names can be used in later expressions.")

    def cmd_describe(self, arg: str) -> None:
        if not arg:
            self.say("usage: ,describe NAME")
            return
        self.say(self.run(lambda: self.describe(arg)))

    def cmd_apropos(self, arg: str) -> None:
        if not arg:
            self.say("usage: ,apropos TEXT")
            return
        found = [(name, where) for name, (where, _) in self.visible_bindings().items() if arg in name]
        if not found:
            self.say(f"No bound name contains {arg!r}.")
        for name, where in sorted(found):
            self.say(f"{where}: {name}")

    def cmd_use(self, arg: str) -> None:
        if not arg:
            self.say("usage: ,use (MODULE NAME)")
            return
        spec = arg if arg.startswith("(") else f"({arg})"
        self.evaluate(f"(use-modules {spec})")

    def cmd_load(self, arg: str) -> None:
        path = arg.strip()
        if len(path) >= 2 and path[0] == path[-1] == '"':
            path = path[1:-1]
        if not path:
            self.say("usage: ,load FILE")
            return
        self.show(self.run(lambda: self.interp.load_file(os.path.expanduser(path))))

    def cmd_time(self, arg: str) -> None:
        if not arg:
            self.say("usage: ,time EXPR")
            return
        real, cpu = time.perf_counter(), time.process_time()
        try:
            self.evaluate(arg)
        finally:
            self.say(f";; {time.perf_counter() - real:.6f}s real time, "
                     f"{time.process_time() - cpu:.6f}s run time.")

    def cmd_expand(self, arg: str) -> None:
        if not arg:
            self.say("usage: ,expand EXPR")
            return
        for form in read(arg, REPL_FILE):
            node = self.run(lambda form=form: self.interp.expander.expand(form, self.module.scope))
            self.say(pretty(node_to_tree(node)))

    def cmd_module(self, arg: str) -> None:
        if arg:
            from schemy.lang.datum import list_to_python

            spec = read(arg if arg.startswith("(") else f"({arg})", REPL_FILE)[0]
            name = tuple(str(p) for p in list_to_python(spec))
            module = self.interp.modules.get(name)
            if module is None:
                if self.interp.find_module_file(name) is not None:
                    module = self.run(lambda: self.interp.resolve_module(spec))
                else:
                    module = self.interp.make_module(name)
            self.interp.current_module = module
        self.say(f"Current module: {self.module.display_name()}")

    def cmd_backtrace(self, arg: str) -> None:
        err = self.last_error
        if err is None:
            self.say("Nothing to debug.")
        elif not err.backtrace:
            self.say(render_error(err))
            self.say("No backtrace available.")
        else:
            self.say(render_backtrace(err))
            self.say(render_error(err))

    # ------------------------------------------------------------ bindings
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
               f"  {_cut(write_string(value))}"

    def describe_procedure(self, name: str, fn: Any) -> str:
        from schemy.lang.procinfo import procedure_info

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
        scheme_name = getattr(fn, "scheme_name", name)
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
                    shown = "default: " + _cut(write_string(default), 72)
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
            lines.append("  default value: " + _cut(write_string(default), 200))
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
                shown = _cut(write_string(record_ref(record, f)), 200)
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

    def _note_docstrings(self, forms: list) -> None:
        for form in _walk_pairs(forms):
            if form.loc is not None:
                doc = _form_docstring(form)
                if doc is not None:
                    self.repl_docs[form.loc] = doc
                else:
                    self.repl_docs.pop(form.loc, None)


def _raise_in_thread(thread: threading.Thread, exc: type[BaseException]) -> None:
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(exc))


def _cut(text: str, limit: int = MAX_VALUE_CHARS) -> str:
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


# ---------------------------------------------------------------- ,expand: core nodes as Scheme


def node_to_tree(node: Any) -> Any:
    """A core node (schemy/core.py) as a tree of atoms (str) and lists, in Scheme syntax."""
    return _NodePrinter().tree(node)


class _NodePrinter:
    def __init__(self) -> None:
        self.names: dict[Any, str] = {}
        self.used: dict[str, int] = {}

    def var(self, v: Any) -> str:
        name = self.names.get(v)
        if name is None:
            base = v.name.name if hasattr(v, "name") else str(v)
            n = self.used.get(base, 0)
            self.used[base] = n + 1
            name = base if n == 0 else f"{base}-{n}"
            self.names[v] = name
        return name

    def body(self, node: Any) -> list:
        from schemy.lang import core

        if node.__class__ is core.Seq:
            return [self.tree(n) for n in node.nodes]
        return [self.tree(node)]

    def tree(self, node: Any) -> Any:
        from schemy.lang import core

        cls = node.__class__
        if cls is core.Const:
            return _const(node.value)
        if cls is core.LRef:
            return self.var(node.var)
        if cls is core.GRef:
            return node.cell.name.name
        if cls is core.LSet:
            return ["set!", self.var(node.var), self.tree(node.value)]
        if cls is core.GSet:
            return ["define" if node.define else "set!", node.cell.name.name, self.tree(node.value)]
        if cls is core.If:
            out = ["if", self.tree(node.test), self.tree(node.then)]
            if not (node.else_.__class__ is core.Const and node.else_.value is UNSPECIFIED):
                out.append(self.tree(node.else_))
            return out
        if cls is core.Seq:
            return ["begin", *[self.tree(n) for n in node.nodes]]
        if cls is core.Lambda:
            return self.lambda_(node)
        if cls is core.Call:
            return [self.tree(node.fn), *[self.tree(a) for a in node.args]]
        if cls is core.PrimCall:
            return [node.name, *[self.tree(a) for a in node.args]]
        if cls is core.Let or cls is core.Letrec:
            bindings = [[self.var(v), self.tree(i)] for v, i in zip(node.vars, node.inits)]
            return ["let" if cls is core.Let else "letrec*", bindings, *self.body(node.body)]
        return f"#<{cls.__name__}>"

    def formal(self, var: Any, default: Any) -> Any:
        return [self.var(var), self.tree(default)] if default is not None else self.var(var)

    def lambda_(self, lam: Any) -> list:
        formals: list = [self.var(v) for v in lam.params]
        star = bool(lam.optionals or lam.keys)
        if lam.optionals:
            formals.append("#:optional")
            formals += [self.formal(v, d) for v, d in lam.optionals]
        if lam.keys:
            formals.append("#:key")
            formals += [self.formal(v, d) for _, v, d in lam.keys]
            if lam.allow_other_keys:
                formals.append("#:allow-other-keys")
        head = "lambda*" if star else "lambda"
        if lam.rest is not None:
            if star:
                formals += ["#:rest", self.var(lam.rest)]
                spec: Any = formals
            elif formals:
                spec = [*formals, ".", self.var(lam.rest)]
            else:
                spec = self.var(lam.rest)
        else:
            spec = formals
        doc = [_const(lam.doc)] if lam.doc else []
        return [head, spec, *doc, *self.body(lam.body)]


def _const(value: Any) -> Any:
    from schemy.lang.printer import write_string

    if value is UNSPECIFIED:
        return "*unspecified*"
    if isinstance(value, SourceLocation):
        return f"#<location {value}>"
    if isinstance(value, (Symbol, Pair)) or value is NIL or isinstance(value, list):
        return "'" + write_string(value)
    if isinstance(value, (bool, int, float, str, MString, Char, Keyword)):
        return write_string(value)
    name = getattr(value, "scheme_name", None)
    if isinstance(name, str):
        return name
    return write_string(value)


_BODY_FORMS = {"lambda": 1, "lambda*": 1, "let": 1, "letrec*": 1, "define": 1, "begin": 0, "when": 1,
               "unless": 1}


def pretty(tree: Any, width: int = 78, indent: int = 0) -> str:
    """Lay out an atom/list tree as indented Scheme text within ``width`` columns where possible."""
    flat = _flat(tree)
    if not isinstance(tree, list) or len(flat) + indent <= width or not tree:
        return flat
    head = tree[0]
    if isinstance(head, str) and head in _BODY_FORMS:
        n = _BODY_FORMS[head]
        first = [head, *[_flat(x) for x in tree[1:1 + n]]]
        line = "(" + " ".join(first)
        if head in ("let", "letrec*") and isinstance(tree[1], list) and len(line) + indent > width // 2:
            binds = tree[1]
            pad = indent + len(head) + 3
            inner = ("\n" + " " * pad).join(pretty(b, width, pad) for b in binds)
            line = f"({head} ({inner})"
        rest = [pretty(x, width, indent + 2) for x in tree[1 + n:]]
        return line + "".join("\n" + " " * (indent + 2) + r for r in rest) + ")"
    if isinstance(head, str) and len(tree) > 1 and len(head) <= 20:
        col = indent + len(head) + 2
        parts = [pretty(x, width, col) for x in tree[1:]]
        return f"({head} " + ("\n" + " " * col).join(parts) + ")"
    col = indent + 1
    parts = [pretty(x, width, col) for x in tree]
    return "(" + ("\n" + " " * col).join(parts) + ")"


def _flat(tree: Any) -> str:
    if isinstance(tree, list):
        return "(" + " ".join(_flat(x) for x in tree) + ")"
    return str(tree)


# ---------------------------------------------------------------- non-interactive mode


def read_submissions(lines: Iterable[str]) -> Iterator[str]:
    """Group input lines into submissions: each ends where the text read so far is complete."""
    buffer = ""
    for line in lines:
        buffer += line if line.endswith("\n") else line + "\n"
        if not buffer.strip():
            buffer = ""
        elif is_complete(buffer):
            yield buffer
            buffer = ""
    if buffer.strip():
        yield buffer


def run_piped(repl: Repl, stream: TextIO) -> int:
    """Evaluate what ``stream`` holds, submission by submission; the exit code."""
    for text in read_submissions(iter(stream.readline, "")):
        try:
            code = repl.handle(text)
        except KeyboardInterrupt:
            return 130
        if code is not None:
            return code
    return 0


# ---------------------------------------------------------------- prompt-toolkit front end

_DELIMITERS = set("()[]\"';`,")
_SPECIAL_WORDS = set("""
    define define* define-public define-syntax define-record-type define-record-type* define-module
    define-configuration define-maybe lambda lambda* case-lambda let let* letrec letrec* let-values
    let*-values receive if cond case when unless and or begin do set! quote quasiquote unquote
    syntax-rules syntax-case with-syntax match match-lambda match-let guard parameterize use-modules
    delay else => service operating-system gexp ungexp
""".split())
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$|^[+-]?\d+/\d+$|^#[xXbBoOdDeEiI]")


def scheme_fragments(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into (style class, text) fragments for highlighting."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    after_open = False
    if text.lstrip().startswith(","):
        m = re.match(r"\s*,\S*", text)
        assert m is not None
        out.append(("class:meta", m.group()))
        i = m.end()
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            j = i
            while j < n and text[j] in " \t\r\n":
                j += 1
            out.append(("", text[i:j]))
            i = j
            continue
        if c == ";":
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(("class:comment", text[i:j]))
            i = j
        elif text.startswith("#|", i):
            j = text.find("|#", i + 2)
            j = n if j < 0 else j + 2
            out.append(("class:comment", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(("class:string", text[i:j]))
            i = j
        elif c in "()[]":
            out.append(("class:paren", c))
            i += 1
            after_open = c in "(["
            continue
        elif c in "'`," or text.startswith(("#~", "#$", "#+", "#;"), i):
            j = i + (2 if c == "#" else 1)
            if text.startswith("@", j):
                j += 1
            out.append(("class:quote", text[i:j]))
            i = j
            continue
        else:
            j = i
            if text.startswith("#\\", i):
                j = i + 3
            while j < n and text[j] not in _DELIMITERS and text[j] not in " \t\r\n":
                j += 1
            word = text[i:j]
            if word.startswith("#\\"):
                style = "class:char"
            elif word.startswith("#:") or (word.endswith(":") and len(word) > 1):
                style = "class:keyword"
            elif word in ("#t", "#f", "#true", "#false"):
                style = "class:constant"
            elif _NUMBER.match(word):
                style = "class:number"
            elif after_open and word in _SPECIAL_WORDS:
                style = "class:special"
            elif word.startswith("$") and word[1:].isdigit():
                style = "class:history"
            else:
                style = "class:name"
            out.append((style, word))
            i = j
        after_open = False
    return out


REPL_STYLE = {
    "comment": "italic #7f7f7f",
    "string": "#3a9a3a",
    "char": "#3a9a3a",
    "number": "#b5651d",
    "constant": "#b5651d",
    "keyword": "#a0529a",
    "special": "bold #3465a4",
    "quote": "#c4a000",
    "meta": "bold #a0529a",
    "history": "#06989a",
    "prompt": "bold",
}


def make_lexer() -> Any:
    from prompt_toolkit.lexers import Lexer

    class SchemeLexer(Lexer):
        """Highlights Scheme (comments, strings, numbers, keywords, special forms)."""

        def lex_document(self, document: Any) -> Callable[[int], list[tuple[str, str]]]:
            lines: list[list[tuple[str, str]]] = [[]]
            for style, text in scheme_fragments(document.text):
                pieces = text.split("\n")
                for k, piece in enumerate(pieces):
                    if k:
                        lines.append([])
                    if piece:
                        lines[-1].append((style, piece))

            def get_line(lineno: int) -> list[tuple[str, str]]:
                return lines[lineno] if 0 <= lineno < len(lines) else []

            return get_line

    return SchemeLexer()


class _Frame:
    __slots__ = ("col", "head", "items", "first_arg_col", "line")

    def __init__(self, col: int, line: int) -> None:
        self.col = col
        self.line = line
        self.head: str | None = None
        self.items = 0
        self.first_arg_col: int | None = None


def _scan(text: str) -> tuple[list[_Frame], bool]:
    """The open lists at the end of ``text`` (outermost first) and whether it ends inside a string."""
    stack: list[_Frame] = []
    i, n = 0, len(text)
    line, line_start = 0, 0

    def atom(word: str, col: int) -> None:
        if stack:
            frame = stack[-1]
            if frame.items == 0:
                frame.head = word
            elif frame.items == 1 and frame.first_arg_col is None and line == frame.line:
                frame.first_arg_col = col
            frame.items += 1

    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            line_start = i + 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == ";":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("#|", i):
            j = text.find("|#", i + 2)
            if j < 0:
                return stack, True
            line += text.count("\n", i, j)
            k = text.rfind("\n", i, j)
            if k >= 0:
                line_start = k + 1
            i = j + 2
        elif c == '"':
            col = i - line_start
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                return stack, True
            line += text.count("\n", i, j)
            k = text.rfind("\n", i, j)
            if k >= 0:
                line_start = k + 1
            atom('""', col)
            i = j + 1
        elif c in "([":
            atom("(", i - line_start)
            stack.append(_Frame(i - line_start, line))
            i += 1
        elif c in ")]":
            if stack:
                stack.pop()
            i += 1
        elif c in "'`,":
            i += 1
            if i < n and text[i] == "@":
                i += 1
        elif text.startswith(("#~", "#$", "#+"), i):
            i += 2
            if i < n and text[i] == "@":
                i += 1
        else:
            j = i + (3 if text.startswith("#\\", i) else 0)
            while j < n and text[j] not in _DELIMITERS and text[j] not in " \t\r\n":
                j += 1
            atom(text[i:j], i - line_start)
            i = max(j, i + 1)
    return stack, False


def indentation(text: str) -> int:
    """How far to indent a new line typed after ``text`` (0 inside a string)."""
    stack, in_string = _scan(text)
    if in_string or not stack:
        return 0
    frame = stack[-1]
    head = frame.head
    if head is None or head == "(" or head in _SPECIAL_WORDS \
            or head.startswith(("define", "with-", "call-with")):
        return frame.col + (1 if head == "(" else 2)
    if frame.first_arg_col is not None:
        return frame.first_arg_col
    return frame.col + 2


_WORD_AT_END = re.compile(r"[^\s()\[\]\"';`,]*$")


def make_completer(repl: Repl) -> Any:
    from prompt_toolkit.completion import Completer, Completion

    class SchemeCompleter(Completer):
        """Bound names of the current module; field names inside ``(TYPE (``; meta-command names."""

        def get_completions(self, document: Any, complete_event: Any) -> Iterator[Any]:
            text = document.text_before_cursor
            stripped = text.lstrip()
            if stripped.startswith(",") and not re.search(r"\s", stripped):
                word = stripped[1:]
                for name in META_COMMANDS:
                    if name.startswith(word):
                        yield Completion(name, -len(word), display_meta=META_COMMANDS[name][1])
                return
            m = _WORD_AT_END.search(text)
            word = m.group() if m else ""
            before = text[: len(text) - len(word)]
            stack, in_string = _scan(before)
            if in_string:
                return
            if len(stack) >= 2 and stack[-1].items == 0 and before.endswith(("(", "[")):
                ctor = stack[-2].head
                if ctor and ctor != "(":
                    fields = repl.field_completions(ctor)
                    if fields:
                        for name, meta in fields:
                            if name.startswith(word):
                                yield Completion(name, -len(word), display_meta=meta)
                        return
            if not word:
                return
            for name in sorted(repl.visible_bindings()):
                if name.startswith(word):
                    yield Completion(name, -len(word))

    return SchemeCompleter()


def history_path() -> Path:
    """``$XDG_STATE_HOME/schemy/repl-history`` (default ``~/.local/state/schemy/repl-history``)."""
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "schemy" / "repl-history"


def _key_bindings() -> Any:
    from prompt_toolkit.key_binding import KeyBindings

    kb = KeyBindings()

    @kb.add("enter")
    def _enter(event: Any) -> None:
        buf = event.current_buffer
        if buf.complete_state is not None and buf.complete_state.current_completion is not None:
            buf.complete_state = None  # Enter in the completion menu accepts the choice
            return
        text = buf.text
        after = buf.document.text_after_cursor
        if not text.strip() or (not after.strip() and is_complete(text)):
            buf.validate_and_handle()
        else:
            buf.insert_text("\n" + " " * indentation(buf.document.text_before_cursor))

    @kb.add("escape", "enter")
    def _newline(event: Any) -> None:
        buf = event.current_buffer
        buf.insert_text("\n" + " " * indentation(buf.document.text_before_cursor))

    return kb


def make_session(repl: Repl, history: Path | None = None) -> Any:
    """The prompt-toolkit session of the interactive REPL (input/output from the current app session)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, History, InMemoryHistory
    from prompt_toolkit.layout.processors import HighlightMatchingBracketProcessor
    from prompt_toolkit.styles import Style

    path = history if history is not None else history_path()
    hist: History
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        hist = FileHistory(str(path))
    except OSError:
        hist = InMemoryHistory()

    def continuation(width: int, line_number: int, is_soft_wrap: bool) -> str:
        return " " * width

    return PromptSession(
        multiline=True,
        key_bindings=_key_bindings(),
        lexer=make_lexer(),
        completer=make_completer(repl),
        complete_while_typing=False,
        history=hist,
        style=Style.from_dict(REPL_STYLE),
        input_processors=[HighlightMatchingBracketProcessor(chars="()[]")],
        prompt_continuation=continuation,
        enable_history_search=False,
    )


def run_interactive(repl: Repl, session: Any = None, banner: bool = True) -> int:
    """Prompt, evaluate and print until ``,quit`` or Ctrl-D; the exit code."""
    if session is None:
        session = make_session(repl)
    if banner:
        from schemy.lang.resources import VERSION as __version__

        repl.say(f"schemy {__version__}: a Guile-compatible Scheme.\nEnter `,help' for help.")
    while True:
        try:
            text = session.prompt(lambda: [("class:prompt", repl.prompt())])
        except KeyboardInterrupt:
            continue
        except EOFError:
            repl.say()
            return 0
        try:
            code = repl.handle(text)
        except KeyboardInterrupt:
            repl.say("error: User interrupt")
            continue
        if code is not None:
            return code

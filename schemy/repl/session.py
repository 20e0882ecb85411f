"""``schemy repl``: an interactive Scheme prompt in Guile's style, without the terminal.

``Repl`` evaluates input (each datum in turn, values printed as ``$1 = 42``), keeps the last
error for ``,bt`` and runs the meta-commands (``,help``, ``,describe``, ``,apropos``, ``,use``,
``,load``, ``,time``, ``,expand``, ``,module``, ``,bt``, ``,quit``).  ``run_piped`` feeds it
complete datums read from a stream (used when standard input is not a terminal); the terminal
front end is in ``schemy.repl.terminal``, what ``,describe`` says in ``schemy.repl.describe``.

Evaluation runs on the interpreter's big-stack worker thread (``run_protected``); Ctrl-C while
it runs interrupts it and the prompt comes back.
"""

from __future__ import annotations

import os
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from schemy.lang.datum import NIL, UNSPECIFIED, Symbol, Values
from schemy.lang.errors import SchemeError, SchemeExit, render_backtrace, render_error
from schemy.lang.reader import is_complete, read
from schemy.repl.describe import Describer, cut
from schemy.repl.expansion import node_to_tree, pretty

REPL_FILE = "<repl>"

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
    "locals": (("lo",), "", "Show the local variables of the procedure in which the last error happened."),
    "pretty-print": (("pp",), "EXPR", "Evaluate EXPR and pretty-print its values."),
    "binding": (("b",), "", "List the bindings of the current module."),
    "import": (("im",), "[(MODULE NAME)...]", "Import modules, or list the modules the current one imports."),
    "reload": (("re",), "[(MODULE NAME)]", "Reload a module (by default the current one) from its file."),
    "inspect": (("i",), "EXPR", "Evaluate EXPR and show what its value is made of."),
    "quit": (("q", "exit"), "", "Leave the REPL (Ctrl-D does too)."),
}
_ALIASES = {alias: name for name, (aliases, _, _) in META_COMMANDS.items() for alias in (name, *aliases)}



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
        self.describer = Describer(interp)

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
        """Run ``thunk`` as the interpreter's ``run_protected`` does (on its big-stack worker
        thread; ``SchemeError`` for everything the user did); Ctrl-C raises ``Interrupted``."""
        try:
            return self.interp.run_protected(thunk)
        except KeyboardInterrupt as e:
            raise Interrupted(str(e) or "User interrupt") from None

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
        self.describer.note_docstrings(forms)
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
            self.say(f"{name} = {cut(text)}")

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
        handler = getattr(self, "cmd_" + name.replace("-", "_"))
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
        self.say(self.run(lambda: self.describer.describe(arg)))

    def cmd_apropos(self, arg: str) -> None:
        if not arg:
            self.say("usage: ,apropos TEXT")
            return
        found = [(name, where) for name, (where, _) in self.describer.visible_bindings().items() if arg in name]
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

    def cmd_pretty_print(self, arg: str) -> None:
        from schemy.runtime.pretty import pretty_string

        if not arg:
            self.say("usage: ,pp EXPR")
            return
        for form in read(arg, REPL_FILE):
            value = self.run(lambda form=form: self.interp.eval_toplevel(form))
            values = [v for v in (value if isinstance(value, Values) else [value]) if v is not UNSPECIFIED]
            for v in values:
                self.counter += 1
                self.module.define(Symbol(f"${self.counter}"), v)
                text = self.run(lambda v=v: pretty_string(v, 79, len(f"${self.counter} = ")))
                self.say(f"${self.counter} = {text}")

    def cmd_binding(self, arg: str) -> None:
        from schemy.lang.printer import write_string
        from schemy.runtime.modules import Cell

        table = self.module.table
        if not table:
            self.say("No bindings in the current module.")
        for symbol in sorted(table, key=lambda s: s.name):
            b = table[symbol]
            if isinstance(b, Cell):
                shown = cut(self.run(lambda b=b: write_string(b.value))) if b.bound else "#<unbound>"
            else:
                shown = "#<syntax>"
            self.say(f"{symbol.name}\t{shown}")

    def cmd_import(self, arg: str) -> None:
        if arg:
            specs = arg if arg.startswith("(") else f"({arg})"
            self.evaluate(f"(use-modules {specs})")
            return
        names = []
        for iface in self.module.imports:
            name = iface.module.display_name()
            if name not in names:
                names.append(name)
        self.say("\n".join(names) if names else "The current module imports nothing.")

    def cmd_reload(self, arg: str) -> None:
        from schemy.lang.datum import list_to_python

        module = self.module
        if arg:
            spec = read(arg if arg.startswith("(") else f"({arg})", REPL_FILE)[0]
            name = tuple(str(p) for p in list_to_python(spec))
            module = self.interp.modules.get(name) or self.run(lambda: self.interp.resolve_module(spec))
        if not module.filename:
            self.say(f"{module.display_name()} has no file to reload.")
            return
        def reload() -> None:
            # As while the module is first loaded: its define-module form reuses the module
            # object, so every module that imports it sees the new definitions.
            self.interp.loading.append(module.name)
            try:
                self.interp.load_file(module.filename, module)
            finally:
                self.interp.loading.pop()

        self.run(reload)
        self.say(f"Reloaded {module.display_name()} from {module.filename}.")

    def cmd_inspect(self, arg: str) -> None:
        if not arg:
            self.say("usage: ,inspect EXPR")
            return
        value = self.run(lambda: self.interp.eval_string(arg, REPL_FILE, self.module))
        self.say(self.run(lambda: inspect_value(value)))

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


    def cmd_locals(self, arg: str) -> None:
        """Guile's ``,locals``: the variables of the innermost Scheme procedure of the last error,
        each bound to the next ``$N`` as the values the REPL prints are."""
        from schemy.compile.tables import scheme_locals
        from schemy.lang.printer import write_string

        err = self.last_error
        if err is None:
            self.say("Nothing to debug.")
            return
        bindings = next((found for found in map(scheme_locals, err.frames) if found), [])
        if not bindings:
            self.say("  No local variables.")
            return
        texts = self.run(lambda: [write_string(v) for _, v in bindings])
        self.say("  Local variables:")
        for (name, value), text in zip(bindings, texts):
            self.counter += 1
            self.module.define(Symbol(f"${self.counter}"), value)
            self.say(f"  ${self.counter} = {name} = {cut(text)}")


def inspect_value(value: Any) -> str:
    """What ``,inspect`` shows: the kind of a value and its parts, one per line."""
    from schemy.lang.datum import Pair, is_string
    from schemy.lang.printer import write_string
    from schemy.lang.procinfo import procedure_info
    from schemy.runtime.records import Record, record_ref

    lines = [cut(write_string(value))]
    if isinstance(value, Record):
        lines.append(f"  a record of type {value.rtd.name}")
        for f in value.rtd.fields:
            lines.append(f"  {f.name}: {cut(write_string(record_ref(value, f)))}")
    elif value.__class__ is Pair:
        n, x = 0, value
        while x.__class__ is Pair and n < 20:
            lines.append(f"  [{n}] {cut(write_string(x.car))}")
            x, n = x.cdr, n + 1
        if x.__class__ is Pair:
            lines.append("  ...")
        elif x is not NIL:
            lines.append(f"  tail: {cut(write_string(x))}")
    elif isinstance(value, list):
        lines.append(f"  a vector of {len(value)} elements")
        lines += [f"  [{i}] {cut(write_string(v))}" for i, v in enumerate(value[:20])]
    elif is_string(value):
        lines.append(f"  a string of {len(str(value))} characters")
    elif callable(value):
        info = procedure_info(value)
        if info is not None:
            lines.append(f"  a procedure {info[0]} {info[1]}".rstrip())
            if info[2] is not None:
                lines.append(f"  defined at {info[2]}")
        else:
            lines.append("  a primitive procedure")
    else:
        lines.append(f"  a {type(value).__name__}")
    return "\n".join(lines)


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

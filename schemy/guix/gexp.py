"""G-expressions and file-like objects, lowered into the store.

``#~exp`` reads as ``(gexp exp)``; the ``gexp`` special form evaluates each
``#$x`` / ``#$@x`` / ``#+x`` now and keeps the template with placeholders.
Lowering replaces file-like values by their store file names and yields
plain Scheme data that the service manager (or ``schemy run``) can evaluate
later.  File-like objects (``plain-file``, ``local-file``, ``computed-file``,
``program-file``, ``scheme-file``, ``mixed-text-file``, ``file-append``,
packages) lower to store items.
"""

from __future__ import annotations

import os
from typing import Any

from schemy.expand.expander import Expander
from schemy.expand.forms import form_list, special, syntax_error
from schemy.guix.store import DRY_STORE, Store, relocate
from schemy.lang import core
from schemy.lang.datum import (
    NIL,
    UNSPECIFIED,
    Char,
    Keyword,
    MString,
    Pair,
    SourceLocation,
    Symbol,
    is_string,
    list_to_python,
    make_list,
    to_str,
)
from schemy.lang.errors import SchemeError, scheme_error, wrong_type
from schemy.lang.syntax import Scope, identifier_symbol, is_identifier, strip
from schemy.runtime.parameters import Parameter

# The syntax (guix gexp) provides: gexp (what #~ reads as), with-imported-modules, local-file...
SPECIAL_FORMS: dict[str, Any] = {}

CURRENT_STORE = Parameter(DRY_STORE, name="%store")
IMPORTED_MODULES = Parameter(NIL, name="%imported-modules")
EXTENSIONS = Parameter(NIL, name="%extensions")
CURRENT_SYSTEM = Parameter("x86_64-linux", name="%current-system")
CURRENT_TARGET_SYSTEM = Parameter(False, name="%current-target-system")


# ====================================================================== gexps


class Placeholder:
    """Where an ungexp'd value goes in a gexp template."""

    __slots__ = ("index", "splice", "native")
    # An immutable value: the module cache (schemy.eval.module_cache) may store it by value.
    module_cache_value = True

    def __init__(self, index: int, splice: bool, native: bool) -> None:
        self.index = index
        self.splice = splice
        self.native = native


class OutputPlaceholder:
    """``#$output``: the file name a computed-file's build must create."""

    __slots__ = ()
    module_cache_value = True  # stored by its global name (one object: compared with `is`)

    def __reduce__(self) -> str:
        return "OUTPUT"


OUTPUT = OutputPlaceholder()


class Gexp:
    __slots__ = ("template", "inputs", "modules", "extensions", "loc")

    def __init__(self, template: Any, inputs: list, modules: Any, extensions: Any, loc: Any) -> None:
        self.template = template
        self.inputs = inputs
        self.modules = modules
        self.extensions = extensions
        self.loc = loc

    def __scheme_repr__(self, write: bool) -> str:
        from schemy.lang.printer import write_string

        try:
            text = write_string(lower_gexp(self, DRY_STORE))
        except Exception:  # noqa: BLE001 - printing must not fail
            text = "..."
        if len(text) > 60:
            text = text[:57] + "..."
        return f"#<gexp {text}>"


def make_gexp(template: Any, loc: Any, *inputs: Any) -> Gexp:
    return Gexp(template, list(inputs), IMPORTED_MODULES.value, EXTENSIONS.value, loc)


_UNGEXP = {"ungexp": (False, False), "ungexp-splicing": (True, False),
           "ungexp-native": (False, True), "ungexp-native-splicing": (True, True)}


@special("gexp", table=SPECIAL_FORMS)
def _gexp(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)
    if len(parts) != 2:
        raise syntax_error("bad gexp", form)
    inputs: list[core.Node] = []

    def walk(t: Any) -> Any:
        if t.__class__ is Pair:
            head = t.car
            if is_identifier(head):
                name = identifier_symbol(head).name
                if name in _UNGEXP and t.cdr.__class__ is Pair:
                    splice, native = _UNGEXP[name]
                    expr = t.cdr.car
                    if is_identifier(expr) and identifier_symbol(expr).name == "output" and not splice:
                        from schemy.lang.syntax import resolve

                        b, _ = resolve(expr, env)
                        if b is None:
                            return OUTPUT
                    inputs.append(ex.expand(expr, env))
                    return Placeholder(len(inputs) - 1, splice, native)
                if name == "gexp":
                    inputs.append(ex.expand(t, env))
                    return Placeholder(len(inputs) - 1, False, False)
            items = []
            x = t
            while x.__class__ is Pair:
                items.append(walk(x.car))
                x = x.cdr
            return make_list(items, walk(x) if x is not NIL else NIL)
        if t.__class__ is list:
            return [walk(e) for e in t]
        return strip(t)

    template = walk(parts[1])
    loc = form.loc if form.loc is not None else False
    return core.Call(core.Const(make_gexp), [core.Const(template), core.Const(loc)] + inputs, form.loc)


@special("with-imported-modules", "with-extensions", table=SPECIAL_FORMS)
def _with_modules(ex: Expander, form: Pair, env: Scope) -> core.Node:
    from schemy.runtime.control import run_parameterized

    parts = form_list(form)
    if len(parts) < 3:
        raise syntax_error("bad with-imported-modules", form)
    param = IMPORTED_MODULES if identifier_symbol(form.car).name == "with-imported-modules" else EXTENSIONS
    body = core.Lambda([], None, ex.expand_body(parts[2:], Scope(env), form.loc), None, loc=form.loc)
    return core.Call(core.Const(run_parameterized), [body, core.Const(param), ex.expand(parts[1], env)], form.loc)


def lower_gexp(g: Gexp, store: Store | None = None, output: str | None = None) -> Any:
    """The gexp as plain Scheme data, file-like inputs replaced by store file names."""
    store = store or CURRENT_STORE.value

    def walk(t: Any) -> Any:
        cls = t.__class__
        if cls is Placeholder:
            try:
                return lower_value(g.inputs[t.index], store)
            except SchemeError as err:
                if err.loc is None and g.loc:
                    err.loc = g.loc  # point at the gexp that ungexps the value
                raise
        if cls is OutputPlaceholder:
            if output is None:
                raise scheme_error("#$output used outside of a computed-file build")
            return output
        if cls is Pair:
            items: list = []
            x = t
            while x.__class__ is Pair:
                e = x.car
                if e.__class__ is Placeholder and e.splice:
                    value = g.inputs[e.index]
                    if value.__class__ is Gexp:
                        # A list-valued gexp spliced, as in Guix's shepherd-timer:
                        # its lowered expression's elements.
                        value = lower_gexp(value, store)
                        try:
                            items.extend(list_to_python(value))
                        except (ValueError, AttributeError):
                            raise wrong_type("ungexp-splicing", 1, value, "list") from None
                        x = x.cdr
                        continue
                    try:
                        elems = list_to_python(value)
                    except (ValueError, AttributeError):
                        raise wrong_type("ungexp-splicing", 1, value, "list") from None
                    items.extend(lower_value(v, store) for v in elems)
                else:
                    items.append(walk(e))
                x = x.cdr
            return make_list(items, walk(x) if x is not NIL else NIL)
        if cls is list:
            return [walk(e) for e in t]
        return t

    return walk(g.template)


def lower_value(v: Any, store: Store) -> Any:
    """What an ungexp'd value becomes in lowered code."""
    cls = v.__class__
    if cls in (str, int, float, bool, Symbol, Keyword, Char) or v is NIL:
        return v
    if cls is MString:
        return str(v)
    if cls is Gexp:
        return lower_gexp(v, store)
    if cls is Pair:
        items = []
        while v.__class__ is Pair:
            items.append(lower_value(v.car, store))
            v = v.cdr
        # An improper tail, as in an alist's ("VAR" . "value") pairs, stays a tail.
        return make_list(items, lower_value(v, store) if v is not NIL else NIL)
    if cls is list:
        return [lower_value(e, store) for e in v]
    if is_file_like(v):
        return lower_object(v, store)
    from fractions import Fraction

    if cls is Fraction or cls is complex or v is UNSPECIFIED:
        return v
    from schemy.lang.printer import write_string

    raise scheme_error(f"cannot lower {write_string(v)} into a gexp", kind="wrong-type-arg",
                       hint="only strings, numbers, symbols, lists, gexps and file-like objects can be ungexp'd")


# ====================================================================== file-like objects


class FileLike:
    """Something that lowers to a store file name."""

    name: str = ""

    def lower(self, store: Store) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<{self.kind} {self.name}>"

    kind = "file-like"


class PlainFile(FileLike):
    kind = "plain-file"

    def __init__(self, name: str, content: Any) -> None:
        self.name = name
        self.content = content

    def lower(self, store: Store) -> str:
        data = bytes(self.content) if isinstance(self.content, bytearray) else to_str(self.content)
        return store.add_text(self.name, data)


class LocalFile(FileLike):
    kind = "local-file"

    def __init__(self, file: str, name: str, recursive: bool, select: Any = None) -> None:
        self.file = file
        self.name = name
        self.recursive = recursive

    def lower(self, store: Store) -> str:
        return store.add_path(self.name, self.file, self.recursive)


class SchemeFile(FileLike):
    kind = "scheme-file"

    def __init__(self, name: str, exp: Any) -> None:
        self.name = name
        self.exp = exp

    def lower(self, store: Store) -> str:
        return store.add_text(self.name, code_text(self.exp, store))


class ProgramFile(FileLike):
    """An executable script run by schemy itself."""

    kind = "program-file"

    def __init__(self, name: str, exp: Any) -> None:
        self.name = name
        self.exp = exp

    def lower(self, store: Store) -> str:
        # The #! line is also the start of a Scheme block comment, which !# ends.
        header = f"#!/usr/bin/env -S {store.python} -m schemy run\n!#\n"
        return store.add_text(self.name, header + code_text(self.exp, store), executable=True)


class MixedTextFile(FileLike):
    kind = "mixed-text-file"

    def __init__(self, name: str, parts: list) -> None:
        self.name = name
        self.parts = parts

    def lower(self, store: Store) -> str:
        if any(p.__class__ is Gexp for p in self.parts):
            # As in Guix, a gexp among the parts is code whose value (a string) is the text:
            # the file is then built by running it, like a computed-file.
            template = make_list([Symbol("call-with-output-file"), OUTPUT,
                                  make_list([Symbol("lambda"), make_list([Symbol("port")]),
                                             make_list([Symbol("display"),
                                                        make_list([Symbol("string-append"),
                                                                   Placeholder(0, True, False)]),
                                                        Symbol("port")])])])
            build = Gexp(template, [make_list(list(self.parts))], NIL, NIL, None)
            return ComputedFile(self.name, build).lower(store)
        text = "".join(p if isinstance(p, str) else str(p) if isinstance(p, MString) else
                       _as_text(lower_value(p, store)) for p in self.parts)
        return store.add_text(self.name, text)


class ComputedFile(FileLike):
    """A file produced by running a gexp with ``#$output`` bound to the file to create."""

    kind = "computed-file"

    def __init__(self, name: str, exp: Any) -> None:
        self.name = name
        self.exp = exp

    def lower(self, store: Store) -> str:
        from schemy.lang.printer import write_string

        code_probe = write_string(lower_gexp(self.exp, store, output="@OUTPUT@")) if isinstance(
            self.exp, Gexp) else write_string(self.exp)
        path = store.item_path(_short_hash(code_probe), self.name)
        if store.dry or os.path.lexists(store.local(path)):
            return path
        import tempfile  # only when the item is built: not on a warm build

        builder_store = store.builder_store()
        with tempfile.TemporaryDirectory(prefix="schemy-build-") as tmp:
            out = os.path.join(tmp, self.name)
            code = lower_gexp(self.exp, builder_store, output=out) if isinstance(self.exp, Gexp) else self.exp
            from schemy.eval.interpreter import current_interpreter

            interp = current_interpreter()
            saved = interp.current_module
            interp.current_module = interp.make_module(("%computed-file", self.name))
            try:
                interp.eval_toplevel(code)
            finally:
                interp.current_module = saved
            if not os.path.lexists(out):
                raise scheme_error(f"computed-file {self.name}: the build did not create #$output")
            if builder_store is not store:
                relocate(out, builder_store.prefix, store.prefix)
            return store.add_path_at(path, out)


class FileAppend(FileLike):
    kind = "file-append"

    def __init__(self, base: Any, suffixes: list[str]) -> None:
        self.base = base
        self.suffixes = suffixes
        self.name = getattr(base, "name", "file")

    def lower(self, store: Store) -> str:
        return lower_object(self.base, store) + "".join(self.suffixes)


class FileUnion(FileLike):
    """``(file-union name files)``: a directory of links, one per (FILE-NAME FILE-LIKE) entry;
    a FILE-NAME with slashes makes the directories on its way (Guix Home's ``files``)."""

    kind = "file-union"

    def __init__(self, name: str, entries: list[tuple[str, Any]]) -> None:
        self.name = name
        self.entries = entries

    def lower(self, store: Store) -> str:
        links: dict[str, tuple[str, str]] = {}
        for rel, target in self.entries:
            parts = rel.split("/")
            if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
                raise scheme_error(f"file-union {self.name}: invalid file name {rel!r}",
                                   hint="entries are relative names such as \".config/foo/bar.conf\"")
            path = to_str(target) if is_string(target) else lower_object(target, store)
            if rel in links and links[rel][1] != path:
                raise scheme_error(f"file-union {self.name}: duplicate '{rel}' entry")
            links[rel] = ("link", path)
        present = set(links)
        for rel in links:
            parts = rel.split("/")
            for i in range(1, len(parts)):
                if "/".join(parts[:i]) in present:
                    raise scheme_error(f"file-union {self.name}: '{rel}' lies inside the entry "
                                       f"'{'/'.join(parts[:i])}'")
        return store.add_directory(self.name, links)


class Profile(FileLike):
    """A profile of packages: links to the programs of each (host-mapped) package."""

    kind = "profile"

    def __init__(self, name: str, packages: Any) -> None:
        self.name = name
        self.packages = packages

    def lower(self, store: Store) -> str:
        return profile_directory(self.packages, store, self.name)[0]


def profile_directory(packages: Any, store: Store, name: str = "profile") -> tuple[str, list[str]]:
    """A profile item linking every program of PACKAGES (a list of packages or (package
    output) lists), and the packages' own item paths."""
    from pathlib import Path

    entries: dict[str, tuple[str, str]] = {}
    items = []
    for pkg in list_to_python(packages) if packages is not NIL else []:
        if isinstance(pkg, Pair):  # (package "output")
            pkg = pkg.car
        item = lower_object(pkg, store)
        items.append(item)
        for sub in ("bin", "sbin"):
            d = Path(store.local(item)) / sub
            if d.is_dir():
                for child in sorted(d.iterdir()):
                    entries.setdefault(f"{sub}/{child.name}", ("link", f"{item}/{sub}/{child.name}"))
    return store.add_directory(name, entries), items


def register_record_lowerer(rtd: Any, proc: Any) -> Any:
    """``(%register-record-lowerer! RTD PROC)``: records of RTD are file-like; one lowers to
    what PROC, given the record, returns (a file-like object), as a Guix gexp compiler does."""
    from schemy.runtime.records import RecordType

    if not isinstance(rtd, RecordType):
        raise wrong_type("%register-record-lowerer!", 1, rtd, "record type")

    def lower(record: Any, store: Store) -> str:
        return lower_object(proc(record), store)

    RECORD_LOWERERS[rtd.name] = lower
    return UNSPECIFIED


def file_union(name: Any, files: Any, *options: Any) -> FileUnion:
    """``(file-union NAME FILES [#:dangling-symlinks? B])``: FILES is a list of (FILE-NAME FILE-LIKE)."""
    if not is_string(name):
        raise wrong_type("file-union", 1, name, "string")
    entries = []
    for entry in list_to_python(files):
        if not (isinstance(entry, Pair) and is_string(entry.car) and isinstance(entry.cdr, Pair)):
            raise scheme_error(f"file-union {to_str(name)}: an entry is not a (FILE-NAME FILE-LIKE) list",
                               kind="wrong-type-arg")
        target = entry.cdr.car
        if not (is_string(target) or is_file_like(target)):
            from schemy.lang.printer import write_string

            raise scheme_error(f"file-union {to_str(name)}: the entry for '{to_str(entry.car)}' is "
                               f"{write_string(target)}, not a file-like object", kind="wrong-type-arg")
        entries.append((to_str(entry.car), target))
    return FileUnion(to_str(name), entries)


def packages_profile(name: Any, packages: Any) -> Profile:
    """``(%packages-profile NAME PACKAGES)``: what (guix profiles)' profile of a manifest of
    PACKAGES lowers to here."""
    return Profile(to_str(name), packages)


def _raise(error: Exception) -> Any:
    raise error


def _short_hash(text: str) -> str:
    import base64
    import hashlib

    return base64.b32encode(hashlib.sha256(text.encode()).digest()).decode().lower().rstrip("=")[:32]


def _as_text(v: Any) -> str:
    from schemy.lang.printer import display_string

    return v if isinstance(v, str) else display_string(v)


def code_text(exp: Any, store: Store) -> str:
    """Scheme source text for a gexp (lowered) or a plain expression."""
    from schemy.lang.printer import write_string

    data = lower_gexp(exp, store) if isinstance(exp, Gexp) else lower_value(exp, store)
    return write_string(data) + "\n"


# -- packages and other Scheme-defined file-likes ----------------------------------------------

# Record types defined in Scheme register how to lower their instances here
# (e.g. the <package> record of (guix packages)).
RECORD_LOWERERS: dict[str, Any] = {}


def is_file_like(v: Any) -> bool:
    if isinstance(v, FileLike):
        return True
    from schemy.runtime.records import Record

    return v.__class__ is Record and v.rtd.name in RECORD_LOWERERS


def lower_object(v: Any, store: Store | None = None) -> str:
    store = store or CURRENT_STORE.value
    if isinstance(v, FileLike):
        return v.lower(store)
    from schemy.runtime.records import Record

    if v.__class__ is Record and v.rtd.name in RECORD_LOWERERS:
        return RECORD_LOWERERS[v.rtd.name](v, store)
    raise wrong_type("lower-object", 1, v, "file-like object")


# ====================================================================== Scheme procedures


def plain_file(*args: Any) -> PlainFile:
    """``(plain-file name content)``.  The arity is checked here so that a call with one
    argument (as in the chapter's hooks example) names plain-file as Guile does, not the
    Python function."""
    if len(args) != 2:
        raise scheme_error("Wrong number of arguments to #<procedure plain-file (name content)>",
                           kind="wrong-number-of-args")
    name, content = args
    if not is_string(name):
        raise wrong_type("plain-file", 1, name, "string")
    if not (is_string(content) or isinstance(content, bytearray)):
        raise wrong_type("plain-file", 2, content, "string or bytevector")
    return PlainFile(to_str(name), content)


def _keyword_options(origin: str, args: tuple, allowed: set[str]) -> tuple[list, dict]:
    positional: list = []
    options: dict = {}
    i = 0
    while i < len(args):
        a = args[i]
        if isinstance(a, Keyword):
            if a.name not in allowed:
                raise scheme_error(f"{origin}: unknown keyword #:{a.name}", kind="keyword-argument-error")
            if i + 1 >= len(args):
                raise scheme_error(f"{origin}: keyword #:{a.name} has no value", kind="keyword-argument-error")
            options[a.name] = args[i + 1]
            i += 2
        else:
            positional.append(a)
            i += 1
    return positional, options


def local_file_at(loc: Any, base: Any, file: Any, *args: Any) -> LocalFile:
    """``local-file``, as Guix's macro expands it: a relative FILE is looked up in ``base``,
    the directory of the source file that holds the form when FILE is a literal string (or
    ``(assume-source-relative-file-name FILE)``), else in the current directory (``base``
    #f: with a warning, as Guix gives one; #t: ``(assume-valid-file-name FILE)``, silently).

    A missing file is an error located at the form, naming the file looked for; while
    ``system check`` runs, it is recorded and the evaluation goes on, so that every missing
    file of a configuration is reported at once."""
    positional, options = _keyword_options("local-file", args, {"recursive?", "select?"})
    if not is_string(file):
        raise wrong_type("local-file", 1, file, "string")
    where = loc if isinstance(loc, SourceLocation) else None
    given = to_str(file)
    path = given
    if not os.path.isabs(path):
        if isinstance(base, str):
            directory = base
            how = f"next to the file that holds this local-file form, in {directory}"
        else:
            directory = os.getcwd()
            how = (f"in the current directory ({directory}), as Guix does for a name that is not a "
                   "literal string; wrap it as (assume-source-relative-file-name ...) to look it up "
                   "next to this file")
            if base is False:
                _warn_at(where, f"resolving '{given}' relative to current directory")
        path = os.path.normpath(os.path.join(directory, path))
    else:
        how = "as written"
    name = to_str(positional[0]) if positional and positional[0] is not False else os.path.basename(path)
    recursive = options.get("recursive?", False) is not False
    if not os.path.exists(path):
        err = scheme_error(f"file '{given}' not found (no {path})", kind="system-error", loc=where,
                           hint=f"local-file looks a relative name up {how}; create the file or correct its name")
        if not _record_for_check(err):
            raise err
    return LocalFile(path, name, recursive)


def _warn_at(loc: SourceLocation | None, message: str) -> None:
    """A ``FILE:LINE:COL: warning: ...`` line on the current error port."""
    from schemy.runtime.ports import CURRENT_ERROR

    CURRENT_ERROR.value.put(f"{loc}: warning: {message}\n" if loc is not None else f"warning: {message}\n")


def _record_for_check(err: SchemeError) -> bool:
    """While ``system check`` runs on the configuration this error is in, note it and go on."""
    from schemy.runtime import world

    interp = world.current_or_none()
    recorder = getattr(interp, "check_recorder", None)
    if recorder is None or not recorder.covers(err.loc):
        return False
    recorder.note(err)
    return True


def computed_file(name: Any, gexp: Any, *options: Any) -> ComputedFile:
    return ComputedFile(to_str(name), gexp)


def symlink_to(target: Any) -> ComputedFile:
    """A computed file "link" that is a symbolic link to TARGET (which need not exist when
    it is built): ``(computed-file "link" #~(symlink TARGET #$output))``."""
    from schemy.lang.datum import make_list, sym

    template = make_list([sym("symlink"), Placeholder(0, False, False), OUTPUT])
    return ComputedFile("link", make_gexp(template, None, target))


def program_file(name: Any, gexp: Any, *options: Any) -> ProgramFile:
    return ProgramFile(to_str(name), gexp)


def scheme_file(name: Any, exp: Any, *options: Any) -> SchemeFile:
    return SchemeFile(to_str(name), exp)


def mixed_text_file(name: Any, *parts: Any) -> MixedTextFile:
    return MixedTextFile(to_str(name), list(parts))


def file_append(base: Any, *suffixes: Any) -> FileAppend:
    if not is_file_like(base) and not is_string(base):
        raise wrong_type("file-append", 1, base, "file-like object")
    return FileAppend(base, [to_str(s) for s in suffixes])


def gexp_to_string(g: Any) -> str:
    """The lowered gexp as Scheme text (what the service manager will evaluate)."""
    return code_text(g, CURRENT_STORE.value).rstrip("\n")


def lower_gexp_proc(g: Any) -> Any:
    return lower_gexp(g) if isinstance(g, Gexp) else lower_value(g, CURRENT_STORE.value)


def is_gexp(x: Any) -> bool:
    return isinstance(x, Gexp)


def gexp_modules(g: Gexp) -> Any:
    return g.modules


def _file_like_accessors() -> dict[str, Any]:
    """Guix's predicates and accessors of the file-like records: local-file-file,
    computed-file-gexp, file-append-base..."""
    def accessor(cls: type, scheme_name: str, get: Any) -> Any:
        kind = scheme_name.rsplit("-", 1)[0] if not scheme_name.endswith("?") else scheme_name
        record = {PlainFile: "plain-file", LocalFile: "local-file", ComputedFile: "computed-file",
                  ProgramFile: "program-file", SchemeFile: "scheme-file", FileAppend: "file-append"}[cls]

        def proc(x: Any) -> Any:
            if not isinstance(x, cls):
                raise wrong_type(scheme_name, 1, x, record)
            return get(x)
        proc.__name__ = kind
        return proc

    table: dict[str, Any] = {
        "plain-file?": lambda x: isinstance(x, PlainFile),
        "local-file?": lambda x: isinstance(x, LocalFile),
        "computed-file?": lambda x: isinstance(x, ComputedFile),
        "program-file?": lambda x: isinstance(x, ProgramFile),
        "scheme-file?": lambda x: isinstance(x, SchemeFile),
        "file-append?": lambda x: isinstance(x, FileAppend),
    }
    for cls, name, get in (
            (LocalFile, "local-file-file", lambda f: f.file),
            (LocalFile, "local-file-absolute-file-name", lambda f: f.file),
            (LocalFile, "local-file-name", lambda f: f.name),
            (LocalFile, "local-file-recursive?", lambda f: bool(f.recursive)),
            (LocalFile, "local-file-select?", lambda f: f.select if f.select is not None else False),
            (ComputedFile, "computed-file-name", lambda f: f.name),
            (ComputedFile, "computed-file-gexp", lambda f: f.exp),
            (ProgramFile, "program-file-name", lambda f: f.name),
            (ProgramFile, "program-file-gexp", lambda f: f.exp),
            (SchemeFile, "scheme-file-name", lambda f: f.name),
            (SchemeFile, "scheme-file-gexp", lambda f: f.exp),
            (FileAppend, "file-append-base", lambda f: f.base),
            (FileAppend, "file-append-suffix", lambda f: make_list(list(f.suffixes)))):
        table[name] = accessor(cls, name, get)
    return table


PRIMITIVES: dict[str, Any] = {
    "gexp?": is_gexp,
    "gexp-modules": gexp_modules,
    "plain-file": plain_file,
    "%local-file": local_file_at,
    "computed-file": computed_file,
    "symlink-to": symlink_to,
    "program-file": program_file,
    "scheme-file": scheme_file,
    "mixed-text-file": mixed_text_file,
    "file-append": file_append,
    "file-union": file_union,
    "plain-file-content": lambda f: f.content if isinstance(f, PlainFile)
    else _raise(wrong_type("plain-file-content", 1, f, "plain-file")),
    "plain-file-name": lambda f: f.name if isinstance(f, PlainFile)
    else _raise(wrong_type("plain-file-name", 1, f, "plain-file")),
    **_file_like_accessors(),
    "%register-record-lowerer!": register_record_lowerer,
    "%packages-profile": packages_profile,
    "file-like?": is_file_like,
    "lower-object": lambda v: lower_object(v),
    "lower-gexp": lower_gexp_proc,
    "gexp->string": gexp_to_string,
    "%store": CURRENT_STORE,
    "%current-system": CURRENT_SYSTEM,
    "%current-target-system": CURRENT_TARGET_SYSTEM,
}


@special("local-file", table=SPECIAL_FORMS)
def _local_file(ex: Expander, form: Pair, env: Scope) -> core.Node:
    parts = form_list(form)[1:]
    if not parts:
        raise syntax_error("local-file needs a file name", form)
    loc = form.loc if form.loc is not None else False
    first = strip(parts[0])
    source_dir: Any = False  # not a literal: the current directory, with a warning
    if is_string(first):
        source_dir = _source_directory(loc)
    elif first.__class__ is Pair and is_identifier(first.car) and first.cdr.__class__ is Pair:
        head = identifier_symbol(first.car).name
        if head in ("assume-source-relative-file-name", "assume-valid-file-name"):
            parts = [form_list(parts[0])[1], *parts[1:]]
            source_dir = _source_directory(loc) if head == "assume-source-relative-file-name" else True
    args = [ex.expand(a, env) for a in parts]
    return core.Call(core.Const(local_file_at), [core.Const(loc), core.Const(source_dir)] + args, form.loc)


def _source_directory(loc: Any) -> str:
    """The directory of the file a form was read from (Guix's ``current-source-directory``);
    the current directory for code that was not read from a file."""
    if isinstance(loc, SourceLocation) and loc.filename and not loc.filename.startswith("<"):
        return os.path.dirname(os.path.abspath(loc.filename))
    return os.getcwd()

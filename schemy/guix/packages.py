"""Packages as store items that point at the host's programs.

schemy does not build software: a ``<package>`` record of ``(guix packages)``
lowers to a store item ``<hash>-NAME-VERSION`` whose ``bin/`` and ``sbin/``
entries are symlinks to the programs of that package found on the host
(``$PATH`` plus the usual system directories).  A program the host lacks gets
no link; instead it is listed in the item's ``.schemy-missing`` file, one
``RELATIVE-NAME PROGRAM DEBIAN-PACKAGE`` line each, so that whoever runs it
later (the service manager) can say *which* program is missing and which
Debian package provides it, rather than failing with a bare ``ENOENT``.

Python API (used by the backend and the service manager):

* ``lower_package(record, store) -> str`` -- the store item of a package
  (registered in ``schemy.guix.gexp.RECORD_LOWERERS["<package>"]``).
* ``missing_programs(item) -> list[MissingProgram]`` -- what the item lacks.
* ``explain_missing(path) -> str | None`` -- for a program file name under an
  item (``<item>/sbin/libvirtd``), the sentence to show when it cannot run.
* ``explain_missing_name(name, items) -> str | None`` -- the same for a bare
  program name, given the package items of a profile.

Scheme-visible helpers (``PRIMITIVES``) serve ``(guix packages)`` and
``(gnu packages)``: host program lookup, the package module index, version
comparison and the package-not-found error.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, NamedTuple

from schemy.guix.store import Store
from schemy.lang.datum import NIL, Pair, SourceLocation, Symbol, is_string, list_to_python, make_list, to_str
from schemy.lang.errors import Condition, SchemeError, wrong_type
from schemy.lang.resources import STDLIB_DIR, removed_variables
from schemy.runtime import world

MISSING_FILE = ".schemy-missing"
PROGRAMS_FILE = ".schemy-programs"
_STORE_ITEM = re.compile(r"/[0-9a-z]{32}-[^/]+(/|$)")
SYSTEM_DIRS = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")


class ProgramSpec(NamedTuple):
    """One entry of a package's ``programs`` field."""

    name: str  # relative to the item: "sbin/libvirtd"
    candidates: tuple[str, ...]  # program names (searched) or absolute file names, in order
    debian: str | None  # Debian package providing it, for hints


class MissingProgram(NamedTuple):
    name: str  # relative to the item
    program: str  # what was looked for (the first candidate)
    debian: str | None


# ====================================================================== host lookup


def host_search_path(store: Store | None = None) -> list[str]:
    """Directories searched for host programs: ``$PATH`` then the usual system directories.

    Relative entries and anything inside a store are skipped, so a profile on ``$PATH``
    never makes a package link to another store item.
    """
    prefixes = [os.path.realpath(store.prefix)] if store is not None else []
    out: list[str] = []
    for d in [*os.environ.get("PATH", "").split(os.pathsep), *SYSTEM_DIRS]:
        if not d or not os.path.isabs(d):
            continue
        d = os.path.normpath(d)
        real = os.path.realpath(d)
        if any(real == p or real.startswith(p + os.sep) for p in prefixes) or _STORE_ITEM.search(real):
            continue
        if d not in out:
            out.append(d)
    return out


def _is_program(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def is_program_name(rel: str) -> bool:
    """Entries under bin/, sbin/ and libexec/ must be executable; others (data) must only exist."""
    return rel.split("/", 1)[0] in ("bin", "sbin", "libexec")


def find_host_program(candidates: tuple[str, ...] | str, search: list[str] | None = None,
                      executable: bool = True,
                      listings: dict[str, frozenset[str]] | None = None) -> str | None:
    """The first candidate found on the host: absolute names are checked as is, others searched.

    ``listings`` (directory -> its entry names, filled on demand) lets many lookups in the
    same directories list each one once instead of stat-ing every candidate in every one.
    """
    if isinstance(candidates, str):
        candidates = (candidates,)
    search = host_search_path() if search is None else search
    for c in candidates:
        if os.path.isabs(c):
            if _is_program(c) if executable else os.path.exists(c):
                return c
            continue
        for d in search:
            if listings is not None and "/" not in c:
                names = listings.get(d)
                if names is None:
                    try:
                        names = frozenset(os.listdir(d))
                    except OSError:
                        names = frozenset()
                    listings[d] = names
                if c not in names:
                    continue
            p = os.path.join(d, c)
            if _is_program(p):
                return p
    return None


def _host_lookup_state(store: Store) -> tuple[list[str], dict[str, frozenset[str]] | None]:
    """The host search path, and a directory-listing memo, shared by one build's packages.

    A real store object lives for one build, so the memo does too (the search path is
    still recomputed if ``$PATH`` changes); the shared dry store memoizes nothing.
    """
    if store.dry:
        return host_search_path(store), None
    key = os.environ.get("PATH", "")
    state = getattr(store, "_host_lookup", None)
    if state is None or state[0] != key:
        state = (key, host_search_path(store), {})
        store._host_lookup = state  # type: ignore[attr-defined]
    return state[1], state[2]


# ====================================================================== package records


def _field(record: Any, name: str) -> Any:
    from schemy.runtime.records import record_ref

    return record_ref(record, Symbol(name))


def _opt_str(v: Any) -> str | None:
    return to_str(v) if is_string(v) else None


def program_specs(record: Any) -> list[ProgramSpec]:
    """Parse the ``programs`` field of a package.

    Entries: ``"sbin/x"`` (program ``x``), ``("sbin/x" . "prog")``, ``("sbin/x" "prog")``,
    ``("sbin/x" "prog" "debian-package")``; PROG may be a list of candidates tried in order,
    each a program name or an absolute file name.
    """
    default_deb = _opt_str(_field(record, "debian-package"))
    programs = _field(record, "programs")
    out: list[ProgramSpec] = []
    for entry in list_to_python(programs) if programs is not NIL else []:
        deb = default_deb
        if is_string(entry):
            rel = to_str(entry)
            cands: Any = os.path.basename(rel)
        elif isinstance(entry, Pair) and is_string(entry.car):
            rel = to_str(entry.car)
            if is_string(entry.cdr):
                cands = entry.cdr
            elif isinstance(entry.cdr, Pair):
                cands = entry.cdr.car
                if isinstance(entry.cdr.cdr, Pair):
                    deb = _opt_str(entry.cdr.cdr.car)
            else:
                raise wrong_type("package-programs", 1, entry, "program entry")
        else:
            raise wrong_type("package-programs", 1, entry, "program entry")
        if is_string(cands):
            candidates = (to_str(cands),)
        elif isinstance(cands, Pair):
            candidates = tuple(to_str(c) for c in list_to_python(cands))
        else:
            raise wrong_type("package-programs", 1, entry, "program entry")
        rel = os.path.normpath(rel)
        if rel.startswith(("/", "..")) or not candidates:
            raise wrong_type("package-programs", 1, entry, "program entry")
        out.append(ProgramSpec(rel, candidates, deb))
    return out


def package_item_name(record: Any) -> str:
    # A few Guix package names hold a '/' ("ublock-origin/icecat"): not in a file name.
    return f"{to_str(_field(record, 'name'))}-{to_str(_field(record, 'version'))}".replace("/", "-")


def lower_package(record: Any, store: Store) -> str:
    """The store item of a package: links to the host's programs, missing ones recorded."""
    search, listings = _host_lookup_state(store)
    entries: dict[str, tuple[str, str]] = {}
    missing: list[str] = []
    manifest: list[str] = []
    for spec in program_specs(record):
        found = find_host_program(spec.candidates, search, is_program_name(spec.name), listings)
        line = f"{spec.name} {spec.candidates[0]} {spec.debian or '-'}"
        manifest.append(line)
        if found is not None:
            entries[spec.name] = ("link", found)
        else:
            missing.append(line)
    if manifest:
        entries[PROGRAMS_FILE] = ("text", "\n".join(manifest) + "\n")
    if missing:
        entries[MISSING_FILE] = ("text", "\n".join(missing) + "\n")
    return store.add_directory(package_item_name(record), entries)


def _parse_lines(text: str) -> list[MissingProgram]:
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            deb = parts[2] if len(parts) > 2 and parts[2] != "-" else None
            out.append(MissingProgram(parts[0], parts[1], deb))
    return out


def missing_programs(item: str) -> list[MissingProgram]:
    """The programs a package item lacks on this host (empty when it has them all)."""
    try:
        with open(os.path.join(item, MISSING_FILE), encoding="utf-8") as fh:
            return _parse_lines(fh.read())
    except OSError:
        return []


def _item_programs(item: str) -> list[MissingProgram]:
    try:
        with open(os.path.join(item, PROGRAMS_FILE), encoding="utf-8") as fh:
            return _parse_lines(fh.read())
    except OSError:
        return []


def _sentence(program: str, deb: str | None, what: str = "is not installed on this host") -> str:
    return f"{program} {what}" + (f" (Debian package: {deb})" if deb else "")


def explain_missing(path: str) -> str | None:
    """Why the program file ``path`` (``<item>/sbin/libvirtd``) cannot run, or None.

    Covers a program that was missing when the package was lowered and a link whose host
    program has since disappeared.  Walks up from ``path`` to the package item that records
    its programs.
    """
    path = os.path.normpath(str(path))
    item = os.path.dirname(path)
    while item and item != os.path.dirname(item):
        if any(os.path.isfile(os.path.join(item, f)) for f in (PROGRAMS_FILE, MISSING_FILE)):
            break
        item = os.path.dirname(item)
    else:
        return None
    rel = os.path.relpath(path, item)
    for m in missing_programs(item):
        if m.name == rel:
            return _sentence(m.program, m.debian)
    if os.path.islink(path) and not os.path.exists(path):
        target = os.readlink(path)
        known = next((p for p in _item_programs(item) if p.name == rel), None)
        program = known.program if known is not None else os.path.basename(rel)
        gone = f"is no longer installed on this host ({target} is gone)"
        return _sentence(os.path.basename(program), known.debian if known is not None else None, gone)
    return None


def explain_missing_name(program: str, items: list[str]) -> str | None:
    """Like ``explain_missing`` for a bare program name run through a profile: search the
    package items (e.g. those of the system profile) for a missing entry with that name."""
    base = os.path.basename(program)
    for item in items:
        for m in missing_programs(item):
            if os.path.basename(m.name) == base:
                return _sentence(m.program, m.debian)
    return None


# ====================================================================== Scheme helpers


def package_program_path(record: Any, name: Any) -> Any:
    """``(%package-program-path PKG "sbin/libvirtd")``: the host program it links to, or #f."""
    rel = os.path.normpath(to_str(name).lstrip("/"))
    for spec in program_specs(record):
        if spec.name == rel:
            found = find_host_program(spec.candidates, executable=is_program_name(spec.name))
            return found if found is not None else False
    return False


def package_missing_programs(record: Any) -> Any:
    """``(%package-missing-programs PKG)``: ``(("sbin/x" "x" "debian-pkg") ...)`` lacking on this host."""
    search = host_search_path()
    out = []
    for spec in program_specs(record):
        if find_host_program(spec.candidates, search, is_program_name(spec.name)) is None:
            out.append(make_list([spec.name, spec.candidates[0], spec.debian or False]))
    return make_list(out)


def host_program_path(name: Any) -> Any:
    found = find_host_program(to_str(name))
    return found if found is not None else False


def explain_missing_proc(path: Any) -> Any:
    text = explain_missing(to_str(path))
    return text if text is not None else False


# -- the package module index ---------------------------------------------------------------------

_NAME_FIELD = re.compile(r'\(name\s+"([^"\\]+)"\s*\)')
_index_cache: dict[tuple, tuple[list[tuple[str, ...]], dict[str, list[tuple[str, ...]]]]] = {}


_MAX_CHANNEL_FILES = 5000  # a -L directory bigger than this is not scanned for packages


def _channel_module_files(directory: str) -> list[tuple[tuple[str, ...], str]]:
    """The modules of a package-path directory (-L, GUIX_PACKAGE_PATH): every ``.scm``
    file below it whose ``define-module`` names it by its place (``saml/packages/x.scm``
    holding ``(saml packages x)``); other files (a config next to its modules) are not
    modules and are left alone."""
    out: list[tuple[tuple[str, ...], str]] = []
    seen_files = 0
    for dirpath, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            seen_files += 1
            if seen_files > _MAX_CHANNEL_FILES:
                return out
            if not f.endswith(".scm"):
                continue
            path = os.path.join(dirpath, f)
            name = tuple(os.path.relpath(path, directory)[:-4].split(os.sep))
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    head = fh.read(4096)
            except OSError:
                continue
            spec = r"\(define-module\s+\(\s*" + r"\s+".join(re.escape(p) for p in name) + r"\s*\)"
            if re.search(spec, head):
                out.append((name, path))
    return out


def _package_module_files(load_path: list[str],
                          package_path: list[str] = ()) -> list[tuple[tuple[str, ...], str]]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for directory in package_path:
        for name, path in _channel_module_files(directory):
            if name not in seen and name[:2] != ("gnu", "packages"):
                seen.add(name)
                out.append((name, path))
    for root in load_path:
        base = os.path.join(root, "gnu", "packages")
        if not os.path.isdir(base):
            continue
        for dirpath, dirs, files in os.walk(base):
            # procedures/: Scheme loaded into catalogue modules (schemy.guix.catalogue), not modules.
            dirs[:] = sorted(d for d in dirs if not (dirpath == base and d == "procedures"))
            for f in sorted(files):
                if not f.endswith(".scm"):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root)[:-4]
                name = tuple(rel.split(os.sep))
                if name not in seen:  # the first directory of the load path wins, as for modules
                    seen.add(name)
                    out.append((name, path))
    return out


class _Names:
    """Package name -> modules: the catalogue's table (shared, ~26 000 names, not copied)
    without the modules a file replaces, then the modules of the files on the load path."""

    def __init__(self, base: dict[str, list[tuple[str, ...]]], replaced: set[tuple[str, ...]]) -> None:
        self.base = base
        self.replaced = replaced
        self.extra: dict[str, list[tuple[str, ...]]] = {}

    def add(self, pkg: str, module: tuple[str, ...]) -> None:
        lst = self.extra.setdefault(pkg, [])
        if module not in lst:
            lst.append(module)

    def get(self, pkg: str, default: Any = None) -> Any:
        base = self.base.get(pkg)
        extra = self.extra.get(pkg)
        if base is None and extra is None:
            return default
        out = [m for m in base or () if m not in self.replaced]
        out += [m for m in extra or () if m not in out]
        return out

    def __iter__(self) -> Any:
        yield from self.base
        yield from (n for n in self.extra if n not in self.base)


def package_index(load_path: list[str], package_path: list[str] = ()
                  ) -> tuple[list[tuple[str, ...]], Any]:
    """All package modules, and package name -> modules whose text defines a package of that name.

    The package modules are the (gnu packages ...) modules of the load path and every module
    of the PACKAGE_PATH directories (-L, GUIX_PACKAGE_PATH: a user's channel).  A text scan of
    ``(name "...")`` fields: nothing is loaded, and the result is cached until one of the
    files changes.
    """
    files = _package_module_files(load_path, package_path)
    stamps = []
    for _, path in files:
        try:
            stamps.append((path, os.stat(path).st_mtime_ns))
        except OSError:
            stamps.append((path, 0))
    key = tuple(stamps)
    cached = _index_cache.get(key)
    if cached is not None:
        return cached
    from schemy.guix import catalogue

    # The catalogue's modules (index.json) first, then the files on the load path; a file
    # that defines a catalogue module replaces it, as it does when the module is loaded.
    file_modules = {name for name, _ in files}
    modules = [m for m in catalogue.module_names() if m not in file_modules]
    modules += [name for name, _ in files]
    names = _Names(catalogue.names(), file_modules)
    for name, path in files:
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except OSError:
            continue
        for pkg in _NAME_FIELD.findall(text):
            names.add(pkg, name)
    _index_cache.clear()
    _index_cache[key] = (modules, names)
    return modules, names


def _interp() -> Any:
    """The interpreter running the lookup.  Outside ``run_protected`` there is none, and
    ``current_interpreter()`` would quietly make a fresh one whose ``<package>`` type differs
    from the caller's: every lookup would then fail with a baffling "not found"."""
    if world.running() is None:
        raise SchemeError(Condition(
            "misc-error", "package lookup outside of a running interpreter",
            hint="evaluate through Interpreter.eval_string or Interpreter.run_protected"))
    return world.running()


def _paths() -> tuple[list[str], list[str]]:
    interp = _interp()
    return interp.load_path, getattr(interp, "package_path", [])


def _module_spec(name: tuple[str, ...]) -> Any:
    return make_list([Symbol(p) for p in name])


def package_module_names() -> Any:
    """``(%package-module-names)``: every ``(gnu packages ...)`` module on the load path."""
    modules, _ = package_index(*_paths())
    return make_list([_module_spec(m) for m in modules])


def package_modules_for_name(name: Any) -> Any:
    """``(%package-modules-for-name "qemu")``: the modules that seem to define that package."""
    _, names = package_index(*_paths())
    return make_list([_module_spec(m) for m in names.get(to_str(name), [])])


def package_close_names(name: Any) -> Any:
    """Known package names close to NAME (for "did you mean" hints), best first."""
    import difflib  # only the unknown-package hint needs it

    _, names = package_index(*_paths())
    want = to_str(name)
    close = difflib.get_close_matches(want, list(names), n=4, cutoff=0.7)
    prefixed = sorted(n for n in names if n.startswith(want + "-") and n not in close)
    return make_list((close + prefixed)[:5])


def package_removed_hint(name: Any) -> Any:
    """``(%package-removed-hint NAME)``: when and from which module Guix removed the package
    NAME (stdlib/gnu/removed-variables.json), as a hint, or #f."""
    facts = removed_variables().get(to_str(name))
    if not facts or not facts.get("package"):
        return False
    where = f" from ({facts['module']})" if facts.get("module") else ""
    who = "nonguix" if facts.get("channel") == "nonguix" else "Guix"
    return f"{who} removed the package {to_str(name)}{where} in {facts['removed']}"


def module_public_values(module: Any, data_only: Any = False) -> Any:
    """The values of a module's exported variables (bound ones only), in name order.  With
    DATA-ONLY true, leaves out the variables whose definition the module cache has not made
    yet and knows makes a procedure or a record type (schemy.eval.module_cache): looking for
    the packages of a module then does not make every procedure it defines."""
    from schemy.runtime.modules import Cell, LazyCell, Module

    if not isinstance(module, Module):
        raise wrong_type("%module-public-values", 1, module, "module")
    out = []
    for _name, b in sorted(module.public_bindings().items(), key=lambda kv: kv[0].name):
        if data_only is not False and b.__class__ is LazyCell \
                and getattr(b.module.pending.get(b), "procedure", False):
            continue
        if isinstance(b, Cell) and b.bound:
            out.append(b.value)
    return make_list(out)


# -- versions -----------------------------------------------------------------------------------

_VERSION_PART = re.compile(r"\d+|[^\d.]+")


def _version_key(v: str) -> list[tuple[int, Any]]:
    return [(0, int(p)) if p.isdigit() else (1, p) for p in _VERSION_PART.findall(v)]


def version_compare(a: Any, b: Any) -> Symbol:
    """``'<``, ``'=`` or ``'>``, comparing numeric components as numbers."""
    ka, kb = _version_key(to_str(a)), _version_key(to_str(b))
    for x, y in zip(ka, kb):
        if x != y:
            return Symbol("<") if x < y else Symbol(">")
    if len(ka) != len(kb):
        return Symbol("<") if len(ka) < len(kb) else Symbol(">")
    return Symbol("=")


def version_prefix(prefix: Any, version: Any) -> bool:
    """True when the dot-separated components of PREFIX start VERSION (\"8\" matches \"8.2.2\")."""
    p, v = to_str(prefix).split("."), to_str(version).split(".")
    return len(p) <= len(v) and v[: len(p)] == p


# -- errors -----------------------------------------------------------------------------------


def caller_location() -> SourceLocation | None:
    """The innermost Scheme source location on the stack that is not in schemy's stdlib."""
    from schemy.compile.tables import frame_location

    stdlib = str(STDLIB_DIR) + os.sep
    frame = sys._getframe(1)
    while frame is not None:
        loc = frame_location(frame)
        if isinstance(loc, SourceLocation) and not os.path.abspath(str(loc.filename)).startswith(stdlib):
            return loc
        frame = frame.f_back
    return None


def package_location_string(loc: Any) -> str:
    """``FILE:LINE`` with FILE relative to the load path directory holding it, as Guix shows it."""
    if not isinstance(loc, SourceLocation):
        return "?"
    if not os.path.isabs(str(loc.filename)):  # a catalogue package: already channel-relative
        return f"{loc.filename}:{loc.line}"
    filename = os.path.abspath(str(loc.filename))
    roots = world.running().load_path if world.running() is not None else [str(STDLIB_DIR)]
    for root in roots:
        root = os.path.abspath(root) + os.sep
        if filename.startswith(root):
            filename = filename[len(root):]
            break
    return f"{filename}:{loc.line}"


def package_error(message: Any, *rest: Any) -> Any:
    """``(%package-error MESSAGE [HINT])``: raise, located at the user's code that asked."""
    hint = to_str(rest[0]) if rest and is_string(rest[0]) else None
    cond = Condition("package-error", to_str(message), hint=hint)
    raise SchemeError(cond, loc=caller_location())


# -- base32 (Nix alphabet), for origin hashes ---------------------------------------------------

_NIX32 = "0123456789abcdfghijklmnpqrsvwxyz"


def nix_base32_to_bytevector(text: Any) -> bytearray:
    s = to_str(text)
    bad = [c for c in s if c not in _NIX32]
    if bad:
        raise SchemeError(Condition("misc-error", f"invalid base32 string: {s!r} (bad character {bad[0]!r})"),
                          loc=caller_location())
    n = len(s) * 5 // 8
    out = bytearray(n)
    for i, c in enumerate(reversed(s)):
        digit = _NIX32.index(c)
        b = i * 5
        j, k = divmod(b, 8)
        if j < n:
            out[j] |= (digit << k) & 0xFF
        if k > 3 and j + 1 < n:
            out[j + 1] |= digit >> (8 - k)
        elif k > 3 and digit >> (8 - k):
            raise SchemeError(Condition("misc-error", f"invalid base32 string: {s!r}"), loc=caller_location())
    return out


def bytevector_to_nix_base32(bv: Any) -> Any:
    """BV in Nix's base32 (Guix's bytevector->nix-base32-string): the last 5-bit group first."""
    data = bytes(bv)
    n = len(data)
    width = (n * 8 - 1) // 5 + 1 if n else 0
    chars = []
    for i in range(width - 1, -1, -1):
        j, k = divmod(i * 5, 8)
        c = data[j] >> k
        if j + 1 < n:
            c |= data[j + 1] << (8 - k)
        chars.append(_NIX32[c & 0x1F])
    return "".join(chars)


def lower_origin(record: Any, store: Store) -> str:
    """The store item of an origin: schemy downloads no sources, so the item only records
    where the source would come from (``.schemy-origin``), for whoever inspects it."""
    uri = _field(record, "uri")
    name = _field(record, "file-name")
    if is_string(name):
        item = to_str(name)
    elif is_string(uri):
        item = os.path.basename(to_str(uri).rstrip("/")) or "source"
    else:
        item = "source"
    from schemy.lang.printer import write_string

    text = f"uri {write_string(uri)}\nmethod {write_string(_field(record, 'method'))}\n"
    return store.add_directory(item.replace("/", "-"), {".schemy-origin": ("text", text)})


def _register() -> None:
    from schemy.guix import gexp

    gexp.RECORD_LOWERERS["<package>"] = lower_package
    gexp.RECORD_LOWERERS["<origin>"] = lower_origin


_register()


PRIMITIVES: dict[str, Any] = {
    "%package-program-path": package_program_path,
    "%package-missing-programs": package_missing_programs,
    "%host-program-path": host_program_path,
    "%explain-missing-program": explain_missing_proc,
    "%package-module-names": package_module_names,
    "%package-modules-for-name": package_modules_for_name,
    "%package-close-names": package_close_names,
    "%package-removed-hint": package_removed_hint,
    "%module-public-values": module_public_values,
    "%version-compare": version_compare,
    "%version-prefix?": version_prefix,
    "%package-error": package_error,
    "%package-location-string": package_location_string,
    "nix-base32-string->bytevector": nix_base32_to_bytevector,
    "bytevector->nix-base32-string": bytevector_to_nix_base32,
}

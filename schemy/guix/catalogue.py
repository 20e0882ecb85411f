"""The package catalogue: every Guix and nonguix package module, made from one index.

Real configs import dozens of ``(gnu packages X)`` and ``(nongnu packages X)`` modules.
schemy does not build packages, so it does not need their code, only their facts:
``stdlib/gnu/packages/index.json`` (derived from the channels' trees by
``tools/derive_package_index.py``) lists each module's public package variables with name,
version and outputs, and ``stdlib/gnu/packages/host-programs.sexp`` says which host programs
stand for a package (and which Debian package provides them).  When a program imports a
package module that no file on the load path defines, ``provide_module`` makes it from
those two: the index gives the variables, the mapping gives the programs.

A file on the load path still wins (a user's own ``(gnu packages X)``), as in Guix.
"""

from __future__ import annotations

import json
import marshal
import os
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from schemy.lang.datum import NIL, Keyword, Pair, SourceLocation, Symbol, list_to_python, make_list, make_pair
from schemy.lang.resources import STDLIB_DIR
from schemy.runtime.modules import Interface

INDEX_FILE = os.path.join(str(STDLIB_DIR), "gnu", "packages", "index.json")
MAPPING_FILE = os.path.join(str(STDLIB_DIR), "gnu", "packages", "host-programs.sexp")
REMOVED_FILE = os.path.join(str(STDLIB_DIR), "gnu", "packages", "removed-modules.json")


class Entry(NamedTuple):
    """One package variable of a catalogue module."""

    var: str
    name: str
    version: str
    outputs: tuple[str, ...]
    hidden: bool
    superseded: str | None  # variable (same module) of the package replacing this one
    alias: str | None  # variable (same module) whose package this is
    debian: str | None
    programs: Any  # the `programs' field datum
    location: Any  # SourceLocation in the channel's tree, or False
    elsewhere: tuple[str, ...] | None = None  # the module whose variable this one is (old locations)


class _Mapping(NamedTuple):
    debian: str | None
    programs: Any
    name: str | None
    version: str | None
    outputs: tuple[str, ...] | None
    elsewhere: tuple[str, ...] | None  # #:module: the same variable of another module


def _read_mapping(path: str) -> dict[tuple[str, ...], dict[str, _Mapping]]:
    from schemy.compile.read_cache import cached_read

    with open(path, encoding="utf-8") as fh:
        forms = cached_read(fh.read(), path)  # parsed once, then from the parse cache
    out: dict[tuple[str, ...], dict[str, _Mapping]] = {}
    for form in forms:
        items = list_to_python(form)
        module = tuple(s.name for s in list_to_python(items[0]))
        table = out.setdefault(module, {})
        for entry in items[1:]:
            parts = list_to_python(entry)
            var = parts[0].name
            keys: dict[str, Any] = {}
            rest = parts[1:]
            while rest and isinstance(rest[0], Keyword):
                keys[rest[0].name] = rest[1]
                rest = rest[2:]
            debian = rest[0] if rest and isinstance(rest[0], str) else None
            outputs = keys.get("outputs")
            elsewhere = keys.get("module")
            table[var] = _Mapping(debian, make_list(rest[1:]), keys.get("name"), keys.get("version"),
                                  tuple(list_to_python(outputs)) if outputs is not None else None,
                                  tuple(x.name for x in list_to_python(elsewhere)) if elsewhere is not None
                                  else None)
    return out


class _Index:
    """index.json as module name -> (file, rows), rows as stored; each module's part kept as
    marshal bytes and decoded when asked for (a build asks for a handful of the ~630)."""

    def __init__(self, blobs: dict[Any, bytes], decode: Any = marshal.loads) -> None:
        self.blobs = blobs
        self.decode = decode
        self.decoded: dict[Any, Any] = {}

    def get(self, name: Any, default: Any = None) -> Any:
        value = self.decoded.get(name)
        if value is None:
            blob = self.blobs.get(name)
            if blob is None:
                return default
            value = self.decoded[name] = self.decode(blob)
        return value

    def __getitem__(self, name: Any) -> Any:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return name in self.blobs

    def __iter__(self) -> Any:
        return iter(self.blobs)

    def __len__(self) -> int:
        return len(self.blobs)

    def items(self) -> Any:
        return [(name, self.get(name)) for name in self.blobs]


# The parsed index and the package-name table, derived from index.json and the mapping, are
# kept in schemy's cache ($XDG_CACHE_HOME/schemy/catalogue): parsing 1.1 MB of JSON and
# building the 26 000 names took ~60 ms of every build that imports a package module or
# looks a package up by name.  The key is both files' size and modification time.
_DERIVED_FORMAT = 2  # 2: the mapping, and the names in buckets
_DERIVED: list[tuple[_Index, Any, Any]] = []
_BUCKETS = 64


def _bucket(name: str) -> int:
    return zlib.crc32(name.encode("utf-8", "surrogatepass")) % _BUCKETS


class _Names:
    """Package name -> modules, kept in buckets decoded when first asked (a build looks up a
    few names of the 26 000)."""

    def __init__(self, buckets: dict[int, bytes]) -> None:
        self.buckets = _Index(buckets)

    def get(self, name: str, default: Any = None) -> Any:
        table = self.buckets.get(_bucket(name))
        return default if table is None else table.get(name, default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def items(self) -> Any:
        return [kv for i in sorted(self.buckets) for kv in self.buckets.get(i).items()]

    def __iter__(self) -> Any:
        return iter([k for k, _ in self.items()])

    def __len__(self) -> int:
        return len(self.items())


def _encode_datum(x: Any) -> Any:
    """A mapping field as marshal data: strings, booleans, lists (ValueError otherwise)."""
    if x.__class__ is str or x is True or x is False:
        return x
    if x is NIL:
        return None
    if x.__class__ is Pair:
        items = []
        while x.__class__ is Pair:
            items.append(_encode_datum(x.car))
            x = x.cdr
        return (_encode_datum(x), items)
    raise ValueError(x)


def _decode_datum(x: Any) -> Any:
    if x is None:
        return NIL
    if x.__class__ is tuple:
        out = _decode_datum(x[0])
        for item in reversed(x[1]):
            out = make_pair(_decode_datum(item), out)
        return out
    return x


def _decode_mapping(blob: bytes) -> dict[str, _Mapping]:
    return {var: _Mapping(m[0], _decode_datum(m[1]), *m[2:]) for var, m in marshal.loads(blob).items()}


def _encode_mapping(mapping: dict[tuple[str, ...], dict[str, _Mapping]]) -> dict | None:
    try:
        return {module: marshal.dumps({var: (m.debian, _encode_datum(m.programs), *m[2:])
                                       for var, m in table.items()})
                for module, table in mapping.items()}
    except ValueError:  # a datum marshal cannot hold: the file is read every time
        return None


def _derived_path() -> Path | None:
    if os.environ.get("SCHEMY_NO_CACHE"):
        return None
    from schemy.compile.cache_files import blake2b

    h = blake2b(f"{_DERIVED_FORMAT}".encode())
    for f in (INDEX_FILE, MAPPING_FILE):
        try:
            st = os.stat(f)
            h.update(f"\0{f}\0{st.st_size}\0{st.st_mtime_ns}".encode("utf-8", "surrogatepass"))
        except OSError:
            return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schemy" / "catalogue" / (h.hexdigest()[:40] + ".entry")


def _derived() -> tuple[_Index, Any, Any]:
    """The index, the name table and the mapping: from the cache when an entry for these
    files is there, else made from the files (and the entry written, except in a sandboxed
    run)."""
    if _DERIVED:
        return _DERIVED[0]
    from schemy.compile.cache_files import private_dir, read_entry, write_entry
    from schemy.runtime import sandbox

    # A sandboxed run (``system check``) reads only what every user may read: not the cache.
    path = None if sandbox.ACTIVE else _derived_path()
    payload = None
    if path is not None and private_dir(path.parent, create=False) is not None:
        payload = read_entry(path)
    if payload is not None:
        try:
            fmt, blobs, buckets, mapping = marshal.loads(payload)
            if fmt == _DERIVED_FORMAT:
                _DERIVED.append((_Index(blobs), _Names(buckets),
                                 _read_mapping(MAPPING_FILE) if mapping is None else _Index(mapping, _decode_mapping)))
                return _DERIVED[0]
        except (ValueError, EOFError, TypeError):  # damaged: made again and rewritten
            pass
    with open(INDEX_FILE, encoding="utf-8") as fh:
        modules = json.load(fh)["modules"]
    blobs = {tuple(mod.split()): marshal.dumps((filename, rows)) for mod, (filename, rows) in modules.items()}
    index = _Index(blobs)
    mapping = _read_mapping(MAPPING_FILE)
    table = _make_names(index, mapping)
    sorted_buckets: dict[int, dict] = {i: {} for i in range(_BUCKETS)}
    for name, mods in table.items():
        sorted_buckets[_bucket(name)][name] = mods
    buckets = {i: marshal.dumps(b) for i, b in sorted_buckets.items()}
    _DERIVED.append((index, _Names(buckets), mapping))
    if path is not None and not sandbox.ACTIVE:
        write_entry(path, marshal.dumps((_DERIVED_FORMAT, blobs, buckets, _encode_mapping(mapping))))
    return _DERIVED[0]


def _index() -> _Index:
    """index.json as module name -> (file, rows), rows as stored."""
    return _derived()[0]


def _mapping() -> Any:
    """host-programs.sexp as module name -> variable -> _Mapping."""
    return _derived()[2]


def _entries(name: tuple[str, ...]) -> list[Entry] | None:
    """The entries of one module: its index rows with the mapping's programs, plus the
    mapping's variables the index lacks."""
    index = _index().get(name)
    table = _mapping().get(name)
    if index is None and table is None:
        return None
    table = table or {}
    entries = []
    if index is not None:
        filename, rows = index
        for row in rows:
            var, pname, version, line = row[0], row[1] or row[0], row[2], row[3]
            opts = row[4] if len(row) > 4 else {}
            m = table.get(var)
            entries.append(Entry(var, pname, version, tuple(opts.get("o", ("out",))), bool(opts.get("h")),
                                 opts.get("s"), opts.get("a"),
                                 m.debian if m else None, m.programs if m else NIL,
                                 SourceLocation(filename, line, 0) if line else False))
    known = {e.var for e in entries}
    for var, m in table.items():
        if var not in known:  # a package Guix no longer has, or had here: kept for configs naming it
            entries.append(Entry(var, m.name or var, m.version or "0", m.outputs or ("out",), False,
                                 None, None, m.debian, m.programs, False, m.elsewhere))
    return entries


class _Catalogue(dict):
    """Module name -> entries, each module's entries made on first use (a config imports a
    handful of the ~630 modules)."""

    def __missing__(self, name: tuple[str, ...]) -> list[Entry]:
        entries = _entries(name)
        if entries is None:
            raise KeyError(name)
        self[name] = entries
        return entries

    def get(self, name: Any, default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, name: object) -> bool:
        return name in _index() or name in _mapping()

    def items(self) -> Any:  # type: ignore[override]
        return [(name, self[name]) for name in module_names()]

    def __iter__(self) -> Any:
        return iter(module_names())

    def __len__(self) -> int:
        return len(module_names())


_CATALOGUE = _Catalogue()


def catalogue() -> _Catalogue:
    """Module name -> its package entries: the index merged with the host-program mapping."""
    return _CATALOGUE


def names() -> Any:
    """Package name -> the catalogue modules exporting a package of that name (``get``,
    ``items``, iteration; shared: not to be changed)."""
    return _derived()[1]


def _make_names(index: _Index, mapping: dict[tuple[str, ...], dict[str, _Mapping]]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for module, (_file, rows) in index.items():
        for row in rows:
            lst = out.setdefault(row[1] or row[0], [])
            if not lst or lst[-1] != module:
                lst.append(module)
    for module, table in mapping.items():
        for m in table.values():
            if m.elsewhere is None and m.name is not None:
                lst = out.setdefault(m.name, [])
                if module not in lst:
                    lst.append(module)
    return out


@lru_cache(maxsize=1)
def variables() -> dict[str, list[tuple[str, ...]]]:
    """Variable name -> the catalogue modules exporting it (for "Did you forget ...?" hints)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for module, (_file, rows) in _index().items():
        for row in rows:
            out.setdefault(row[0], []).append(module)
    for module, table in _mapping().items():
        for var in table:
            lst = out.setdefault(var, [])
            if module not in lst:
                lst.append(module)
    return out


def module_names() -> list[tuple[str, ...]]:
    """Every catalogue module, sorted."""
    return sorted(set(_index()) | set(_mapping()))


def channel_of(name: tuple[str, ...]) -> str | None:
    """Which channel provides a catalogue module: "Guix", "nonguix", or None when neither."""
    if name not in _index() and name not in _mapping():
        return None
    return "nonguix" if name[0] == "nongnu" else "Guix"


@lru_cache(maxsize=1)
def removed_modules() -> dict[tuple[str, ...], dict]:
    """Package modules Guix removed whose packages moved to other modules
    (stdlib/gnu/packages/removed-modules.json, from tools/derive_removed_modules.py)."""
    with open(REMOVED_FILE, encoding="utf-8") as fh:
        data = json.load(fh)
    return {tuple(k.split()): v for k, v in data["modules"].items()}


def removal_notice(name: tuple[str, ...]) -> str | None:
    """What to tell a config importing NAME, a package module Guix removed, or None."""
    entry = removed_modules().get(name)
    if entry is None:
        return None
    if not entry["moved"]:
        return f"({' '.join(name)}) was removed from Guix in {entry['removed']}; none of its packages is in Guix now"
    counts: dict[str, int] = {}
    for home in entry["moved"].values():
        counts[home] = counts.get(home, 0) + 1
    homes = sorted(counts, key=lambda m: (-counts[m], m))
    shown = ", ".join(f"({m})" for m in homes[:4]) + (f" and {len(homes) - 4} more" if len(homes) > 4 else "")
    return (f"({' '.join(name)}) was removed from Guix in {entry['removed']}; its packages are now in {shown}"
            f" (import {'that' if len(homes) == 1 else 'those'} instead)")


def _provide_removed(interp: Any, name: tuple[str, ...]) -> Any:
    """A module Guix removed, standing for the packages that moved out of it: each variable is
    the very package of the module that has it now; importing it warns (``import-warning``)."""
    entry = removed_modules().get(name)
    if entry is None or not entry["moved"]:
        return None
    module = interp.make_module(name, REMOVED_FILE)
    for var, home in entry["moved"].items():
        other = interp.resolve_module(make_list([Symbol(p) for p in home.split()]))
        binding = other.public_bindings().get(Symbol(var))
        if binding is None:
            continue
        module.define(Symbol(var), binding.value)
        module.export(Symbol(var))
    module.hooks["import-warning"] = removal_notice(name)
    return module


def provide_module(interp: Any, name: tuple[str, ...]) -> Any:
    """Make the catalogue module NAME in ``interp`` (a module provider), or None."""
    entries = catalogue().get(name)
    if entries is None:
        return _provide_removed(interp, name) if name[:2] == ("gnu", "packages") else None
    guix_packages = interp.resolve_module(make_list([Symbol("guix"), Symbol("packages")]))
    make = guix_packages.table[Symbol("%catalogue-package")].value
    module = interp.make_module(name, INDEX_FILE)
    # Each package is made when its variable is first read (a Cell of its own until then):
    # making all ~1 400 packages of the modules a system build imports took ~40 ms.
    made: dict[str, Any] = {}  # variable -> what makes its value
    hidden = make_list([make_pair(Symbol("hidden?"), True)])

    def value_of(var: str) -> Any:
        return module.table[Symbol(var)].value

    # The host programs mapped to an alias (openssl -> openssl-3.0) belong to the package it names.
    via_alias = {e.alias: (e.programs, e.debian) for e in entries if e.alias is not None and e.programs is not NIL}
    for e in entries:
        if e.elsewhere is not None:  # an old location: the very package of the module holding it now
            other = interp.resolve_module(make_list([Symbol(p) for p in e.elsewhere]))
            binding = other.public_bindings()[Symbol(e.var)]
            made[e.var] = lambda binding=binding: binding.value
            continue
        if e.alias is not None and e.alias in made:
            made[e.var] = lambda alias=e.alias: value_of(alias)
            continue
        superseded = e.superseded if e.superseded is not None and e.superseded in made else None
        programs, debian = ((e.programs, e.debian) if e.programs is not NIL
                            else via_alias.get(e.var, (e.programs, e.debian)))

        def package(e: Entry = e, superseded: str | None = superseded, programs: Any = programs,
                    debian: Any = debian) -> Any:
            props = hidden if e.hidden else NIL
            if superseded is not None:
                props = make_list([make_pair(Symbol("superseded"), value_of(superseded))])
            return make(e.name, e.version, make_list(list(e.outputs)), programs, debian or False, props,
                        e.location)

        made[e.var] = package
    for var, thunk in made.items():
        module.define_lazy(Symbol(var), thunk)
        module.export(Symbol(var))
    # The few procedures of a package module that configs call ((current-guix)...), written in
    # Scheme next to the index: stdlib/gnu/packages/procedures/NAME.scm, loaded into the module.
    extra = os.path.join(str(STDLIB_DIR), name[0], "packages", "procedures", *name[2:]) + ".scm"
    if name[:2] in (("gnu", "packages"), ("nongnu", "packages")) and os.path.isfile(extra):
        module.use(Interface(guix_packages))
        if name[0] == "nongnu":  # nonguix's modules use its own utilities
            module.use(Interface(interp.resolve_module(make_list([Symbol("nonguix"), Symbol("utils")]))))
        # Through the module cache (a warm run replays it: expanding `package' forms took
        # ~15 ms); the module stays one made from schemy's data for what depends on it.
        interp.load_file(extra, module=module, library=module)
        from schemy.eval import module_cache

        module_cache.made_from_data(interp, name)
    return module


def module_variables(spec: Any) -> Any:
    """``(%catalogue-module-variables '(gnu packages base))``: the variables a catalogue
    module exports, as symbols ('() when it is not a catalogue module); nothing is loaded."""
    name = tuple(s.name if isinstance(s, Symbol) else str(s) for s in list_to_python(spec))
    return make_list([Symbol(e.var) for e in catalogue().get(name, [])])


PRIMITIVES: dict[str, Any] = {"%catalogue-module-variables": module_variables}

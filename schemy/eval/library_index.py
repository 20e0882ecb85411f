"""Which library module exports a name: the source of "Did you forget ...?" hints.

The index is built by scanning the ``#:export`` lists of the modules under
the load path (text only: nothing is loaded), so a hint costs nothing until
an unbound variable actually happens.
"""

from __future__ import annotations

import os
import re
from typing import Any

from schemy.lang.datum import Symbol

_EXPORT_BLOCK = re.compile(r"#:(?:export|re-export|export-syntax)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)", re.S)
_index_cache: dict[tuple, dict[str, list[tuple[str, ...]]]] = {}
# Modules that have no file (a higher layer's catalogue of package modules): callables giving
# name -> exporting modules, merged into the index.
EXPORT_SOURCES: list[Any] = []


def build_index(load_path: list[str]) -> dict[str, list[tuple[str, ...]]]:
    key = (*load_path, len(EXPORT_SOURCES))
    if key in _index_cache:
        return _index_cache[key]
    index: dict[str, list[tuple[str, ...]]] = {}
    for root in load_path:
        for dirpath, _dirs, files in os.walk(root):
            for f in files:
                if not f.endswith(".scm"):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root)[:-4]
                module = tuple(rel.split(os.sep))
                try:
                    with open(path, encoding="utf-8") as fh:
                        head = fh.read(200_000)
                except OSError:
                    continue
                for block in _EXPORT_BLOCK.findall(head):
                    for name in re.findall(r"[^\s()]+", block):
                        index.setdefault(name, []).append(module)
    for source in EXPORT_SOURCES:
        for name, modules in source().items():
            lst = index.setdefault(name, [])
            lst.extend(m for m in modules if m not in lst)
    _index_cache[key] = index
    return index


def _import_advice(module: tuple[str, ...]) -> str:
    if len(module) == 3 and module[:2] == ("gnu", "services"):
        return f"(use-service-modules {module[2]})"
    if len(module) == 3 and module[:2] == ("gnu", "packages"):
        return f"(use-package-modules {module[2]})"
    if len(module) == 3 and module[:2] == ("gnu", "system"):
        return f"(use-system-modules {module[2]})"
    return f"(use-modules ({' '.join(module)}))"


def _exporters(interp: Any, name: str) -> list[tuple[str, ...]]:
    """The library modules that export ``name``, the shortest names first; (guix licenses)
    last: its licenses are named like packages (vim, zlib, openssl), and an unbound ``vim``
    in a config is the package far more often than the license.  schemy's own helper modules
    (schemy ...), which Guix does not have, come after Guix's."""
    modules = list(build_index(interp.load_path).get(name, []))
    for module, (bindings, syntax) in interp.all_native_modules().items():
        if module[0] != "schemy" and (name in bindings or name in syntax):
            modules.append(module)
    return sorted(modules, key=lambda m: (m[0] == "schemy", m == ("guix", "licenses"), len(m)))


def _visible_names(module: Any) -> set[str]:
    """The names bound in ``module`` (its own definitions and its imports)."""
    bindings = dict(module.table)
    for iface in module.imports:
        for symbol, b in iface.mapping().items():
            bindings.setdefault(symbol, b)
    return {s.name for s, b in bindings.items() if getattr(b, "bound", True)}


def _closest(word: str, candidates: set[str]) -> list[str]:
    """The candidates most like ``word`` (at most three, all about as close as the best)."""
    import difflib

    scored = []
    for c in difflib.get_close_matches(word, candidates, n=5, cutoff=0.8):
        scored.append((difflib.SequenceMatcher(None, word, c).ratio(), c))
    if not scored:
        return []
    best = scored[0][0]
    return [c for score, c in scored if score >= best - 0.02][:3]


def hint_for(interp: Any, name: Symbol, module: Any = None) -> str | None:
    """Advice for an unbound variable: the import that provides it, or the names it is
    probably a misspelling of (those in scope first, then any the library exports)."""
    if name.name == "gexp":
        return "#~ reads as (gexp ...): did you forget (use-modules (guix gexp))?"
    exporters = _exporters(interp, name.name)
    if exporters:
        return f"Did you forget {_import_advice(exporters[0])}?"
    visible = _visible_names(module) if module is not None else set()
    close = _closest(name.name, visible)
    if close:
        return f"Did you mean {' or '.join(close)}?"
    index = build_index(interp.load_path)
    known = set(index) | {n for b, s in interp.all_native_modules().values() for n in (*b, *s)}
    close = _closest(name.name, known)[:1]
    if close:
        exporters = _exporters(interp, close[0])
        if exporters:
            return f"Did you mean {close[0]}? It is in ({' '.join(exporters[0])}): {_import_advice(exporters[0])}"
    return None

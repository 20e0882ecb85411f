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


def build_index(load_path: list[str]) -> dict[str, list[tuple[str, ...]]]:
    key = tuple(load_path)
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
    _index_cache[key] = index
    return index


def hint_for(interp: Any, name: Symbol) -> str | None:
    modules = list(build_index(interp.load_path).get(name.name, []))
    for module, (bindings, syntax) in interp.native_modules.items():
        if module[0] != "schemy" and (name.name in bindings or name.name in syntax):
            modules.append(module)
    if not modules:
        return None
    if name.name == "gexp":
        return "#~ reads as (gexp ...): did you forget (use-modules (guix gexp))?"
    module = sorted(modules, key=len)[0]
    if len(module) == 3 and module[:2] == ("gnu", "services"):
        return f"Did you forget (use-service-modules {module[2]})?"
    if len(module) == 3 and module[:2] == ("gnu", "packages"):
        return f"Did you forget (use-package-modules {module[2]})?"
    if len(module) == 3 and module[:2] == ("gnu", "system"):
        return f"Did you forget (use-system-modules {module[2]})?"
    return f"Did you forget (use-modules ({' '.join(module)}))?"

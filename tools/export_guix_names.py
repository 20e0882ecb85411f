#!/usr/bin/env python3
"""Export from schemy's library modules every name Guix's same module exports and schemy's
module already defines (record accessors, defaults... written but left out of ``#:export``).

    tools/export_guix_names.py [--write] [MODULE-PREFIX ...]

Guix's exports come from stdlib/gnu/channel-modules.json (derived from the Guix and nonguix
trees).  For each library module under stdlib/ whose name starts with a prefix (default:
every module), the names Guix exports that the module defines but does not export are listed;
with ``--write`` they are added to the module's file as one ``(export ...)`` form at its end.
tests/test_guix_exports.py keeps it that way.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def defined_but_unexported(prefixes: list[str]) -> dict[str, list[str]]:
    """Module name -> the Guix-exported names it defines without exporting them."""
    from schemy.app import Interpreter
    from schemy.lang.datum import Symbol, make_list

    data = json.loads((ROOT / "stdlib/gnu/channel-modules.json").read_text())
    by_module: dict[str, set[str]] = {}
    for name, modules in data["names"].items():
        for m in modules:
            by_module.setdefault(m, set()).add(name)
    interp = Interpreter()
    out: dict[str, list[str]] = {}
    for f in sorted((ROOT / "stdlib").rglob("*.scm")):
        rel = f.relative_to(ROOT / "stdlib").with_suffix("")
        module = " ".join(rel.parts)
        if module not in by_module or (prefixes and not any(module == p or module.startswith(p + " ")
                                                              for p in prefixes)):
            continue
        try:
            spec = make_list([Symbol(x) for x in rel.parts])
            m = interp.run_protected(lambda spec=spec: interp.resolve_module(spec))
        except Exception:  # noqa: BLE001 - a module that does not load is another test's business
            continue
        if m.filename is None or Path(m.filename).resolve() != f.resolve():
            continue
        public = {s.name for s in m.public_bindings()}
        local = {s.name for s in m.table}
        missing = sorted(n for n in by_module[module] - public if n in local)
        if missing:
            out[module] = missing
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true")
    ap.add_argument("prefixes", nargs="*")
    args = ap.parse_args()
    found = defined_but_unexported(args.prefixes)
    total = 0
    for module, names in found.items():
        total += len(names)
        print(f"({module}): {' '.join(names)}")
        if args.write:
            path = ROOT / "stdlib" / (module.replace(" ", "/") + ".scm")
            text = path.read_text()
            lines, line = [], "(export"
            for n in names:
                if len(line) + len(n) + 1 > 88:
                    lines.append(line)
                    line = "       "
                line += " " + n
            lines.append(line + ")")
            path.write_text(text.rstrip("\n") + "\n\n;; Names Guix's module exports too.\n" + "\n".join(lines) + "\n")
    print(f"{total} names in {len(found)} modules" + (" exported" if args.write else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

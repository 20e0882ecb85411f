#!/usr/bin/env python3
"""Derive the table of mpv options of stdlib/gnu/home/services/mpv.scm from Guix's
gnu/home/services/mpv.scm: for each option Guix's `make-mpv-profile-configuration' accepts, its
name, its value type and the limits Guix checks (a numeric range, an enumeration's symbols and
the integer range of its alternative).  Facts only: the option forms are read as data and
rewritten in this project's own notation,

    (mpv-option NAME ACCESSOR TYPE [(range MIN MAX)] [(choices SYMBOL ...)])

(MIN or MAX #f when unbounded), one a line, replacing the region between the
";;; BEGIN derived mpv options" and ";;; END derived mpv options" lines of mpv.scm.  The type
checks and serializers are written by hand in mpv.scm.

    tools/derive_mpv_options.py --guix-git GUIX.git [--commit REV] [--mpv-scm FILE]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from schemy.lang.datum import NIL, Pair, Symbol  # noqa: E402
from schemy.lang.printer import write_string  # noqa: E402
from schemy.lang.reader import read  # noqa: E402

BEGIN = ";;; BEGIN derived mpv options"
END = ";;; END derived mpv options"


def as_list(x: Any) -> list:
    out = []
    while isinstance(x, Pair):
        out.append(x.car)
        x = x.cdr
    assert x is NIL, x
    return out


def sym(x: Any, name: str | None = None) -> bool:
    return isinstance(x, Symbol) and (name is None or str(x) == name)


def bound(check: Any) -> tuple[str, Any]:
    """(>= val N) or (<= val N): ("min", N) or ("max", N)."""
    op, var, n = as_list(check)
    assert sym(var, "val") and isinstance(n, (int, float)), write_string(check)
    return {">=": "min", "<=": "max"}[str(op)], n


def choices(check: Any) -> list[str]:
    """(memq val '(a b ...)): the symbols."""
    op, var, quoted = as_list(check)
    assert sym(op, "memq") and sym(var, "val"), write_string(check)
    q, items = as_list(quoted)
    assert sym(q, "quote")
    return [str(s) for s in as_list(items)]


def limits(checks: list) -> tuple[dict[str, Any], list[str] | None]:
    rng: dict[str, Any] = {}
    syms = None
    for check in checks:
        head = as_list(check)[0]
        if sym(head, "memq"):
            syms = choices(check)
        elif sym(head, "or"):
            # (or (memq val '(...)) (and (integer? val) (>= val N) (<= val N)))
            _, memq, conj = as_list(check)
            syms = choices(memq)
            parts = as_list(conj)
            assert sym(parts[0], "and") and write_string(parts[1]) == "(integer? val)", write_string(check)
            rng.update(bound(b) for b in parts[2:])
        else:
            rng.update([bound(check)])
    return rng, syms


def option_lines(source: str) -> list[str]:
    start = source.index(";;; Generated code - START.")
    end = source.index(";;; Generated code - END.")
    lines = []
    for form in read(source[start:end]):
        items = as_list(form)
        assert sym(items[0], "define-opt"), write_string(form)
        name, typ, *checks = items[1:]
        rng, syms = limits(checks)
        parts = [str(name), f"mpv-profile-configuration-{name}", str(typ)]
        if rng:
            parts.append(f"(range {write_string(rng.get('min', False))} {write_string(rng.get('max', False))})")
        if syms is not None:
            parts.append("(choices " + " ".join(syms) + ")")
        lines.append("(mpv-option " + " ".join(parts) + ")")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guix-git", required=True, help="a Guix git directory")
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--mpv-scm", default=str(ROOT / "stdlib/gnu/home/services/mpv.scm"))
    args = ap.parse_args(argv)
    source = subprocess.run(["git", "-C", args.guix_git, "show", f"{args.commit}:gnu/home/services/mpv.scm"],
                            check=True, capture_output=True, text=True).stdout
    lines = option_lines(source)
    target = Path(args.mpv_scm)
    text = target.read_text()
    head, rest = text.split(BEGIN + "\n", 1)
    _, tail = rest.split(END + "\n", 1)
    target.write_text(head + BEGIN + "\n" + "\n".join(lines) + "\n" + END + "\n" + tail)
    print(f"{len(lines)} options written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Derive the kernel options nonguix adds to its kernels (``nonguix-extra-linux-options``).

    tools/derive_nonguix_linux_options.py NONGUIX-GIT-DIR [-o stdlib/nongnu/packages/extra-linux-options.sexp]

Reads nongnu/packages/linux.scm at HEAD of a nonguix git directory and writes, as facts, the
(minimal kernel version, option) pairs of the table ``nonguix-extra-linux-options`` filters
by version, in their order, with the commit they were read at.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schemy.lang.datum import Pair, Symbol  # noqa: E402
from schemy.lang.reader import read  # noqa: E402

TARGET = "nonguix-extra-linux-options"


def walk(x, found: list) -> None:
    """Collect ("VERSION" . "CONFIG_...") pairs in order."""
    if isinstance(x, Pair):
        if isinstance(x.car, str) and isinstance(x.cdr, str) and x.cdr.startswith("CONFIG_"):
            found.append([x.car, x.cdr])
            return
        while isinstance(x, Pair):
            walk(x.car, found)
            x = x.cdr


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("git_dir")
    ap.add_argument("-o", default="stdlib/nongnu/packages/extra-linux-options.sexp")
    args = ap.parse_args()
    git = ["git", f"--git-dir={args.git_dir}"]
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    text = subprocess.run([*git, "show", "HEAD:nongnu/packages/linux.scm"], capture_output=True, text=True,
                          check=True).stdout
    for form in read(text, "linux.scm"):
        head = form.car if isinstance(form, Pair) else None
        if isinstance(head, Symbol) and head.name in ("define", "define*", "define-public") \
                and isinstance(form.cdr.car, Pair) and getattr(form.cdr.car.car, "name", None) == TARGET:
            found: list = []
            walk(form.cdr.cdr, found)
            lines = [f";;; Derived by tools/derive_nonguix_linux_options.py from nonguix {commit}:",
                     ";;; (MINIMAL-KERNEL-VERSION . OPTION), in nonguix's order.", "("]
            lines += [f" ({json.dumps(v)} . {json.dumps(o)})" for v, o in found]
            Path(args.o).write_text("\n".join(lines) + ")\n")
            print(f"{len(found)} options -> {args.o}")
            return 0
    print("nonguix-extra-linux-options not found", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())

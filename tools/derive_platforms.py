#!/usr/bin/env python3
"""Derive the (guix platforms NAME) modules of stdlib from Guix's guix/platforms/*.scm: each
exported platform with its target, system, Linux architecture, Rust target and glibc dynamic
linker (facts: names and strings), and the list of those modules in stdlib/guix/platform.scm
(between its ";;; BEGIN derived platform modules" and ";;; END derived platform modules" lines).

    tools/derive_platforms.py --guix-git GUIX.git [--commit REV]
"""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "stdlib" / "guix" / "platforms"
PLATFORM_SCM = ROOT / "stdlib" / "guix" / "platform.scm"
FIELDS = ("target", "system", "linux-architecture", "rust-target", "glibc-dynamic-linker")
DEFINE = re.compile(r"\(define (\S+)\s*\(platform\b(.*?)\)\)\s*(?=\(define|\Z)", re.S)
FIELD = re.compile(r"\((" + "|".join(FIELDS) + r")\s+(\"[^\"]*\"|#f|#false)\)")


def git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guix-git", required=True)
    ap.add_argument("--commit", default="HEAD")
    args = ap.parse_args()
    commit = git(args.guix_git, "rev-parse", args.commit).strip()
    names = [line.split("\t")[1] for line in git(args.guix_git, "ls-tree", commit, "guix/platforms/").splitlines()]
    OUT.mkdir(exist_ok=True)
    modules = []
    for path in sorted(names):
        stem = Path(path).stem
        text = git(args.guix_git, "show", f"{commit}:{path}")
        body = text[text.index("(define ", text.index("#:export")):]
        platforms = []
        for m in DEFINE.finditer(body):
            fields = dict(FIELD.findall(m.group(2)))
            platforms.append((m.group(1), fields))
        lines = [f";;; schemy --- (guix platforms {stem}), by tools/derive_platforms.py from Guix {commit};",
                 ";;; do not edit.", "",
                 f"(define-module (guix platforms {stem})",
                 "  #:use-module (guix platform)",
                 "  #:export (" + "\n            ".join(n for n, _ in platforms) + "))", ""]
        for name, fields in platforms:
            lines.append(f"(define {name}")
            lines.append("  (platform")
            lines += [f"   ({f} {fields[f].replace('#false', '#f')})" for f in FIELDS if f in fields]
            lines[-1] += "))"
            lines.append("")
        (OUT / f"{stem}.scm").write_text("\n".join(lines))
        modules.append(stem)
    text = PLATFORM_SCM.read_text()
    head, rest = text.split(";;; BEGIN derived platform modules\n", 1)
    _, tail = rest.split(";;; END derived platform modules\n", 1)
    listing = "(define %platform-module-names\n  '(" + "\n    ".join(
        f"(guix platforms {m})" for m in modules) + "))\n"
    PLATFORM_SCM.write_text(head + ";;; BEGIN derived platform modules\n" + listing
                            + ";;; END derived platform modules\n" + tail)
    print(f"{len(modules)} modules")


if __name__ == "__main__":
    main()

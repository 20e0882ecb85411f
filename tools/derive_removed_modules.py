#!/usr/bin/env python3
"""Derive stdlib/gnu/packages/removed-modules.json: package modules Guix removed whose
packages live on in other modules, from the Guix git history.

Old configs import modules Guix has since removed: ``(gnu packages kde)`` was split into
``(gnu packages kde-plasma)``, ``kde-frameworks``...; ``(gnu packages nano)`` was merged into
``(gnu packages text-editors)``.  Where the history says so, schemy can still accept the old
import, with a warning naming the removal and the new modules.  A mapping is kept only where
it is certain: for each package variable the removed file ever defined (its history's added
``define-public`` lines: a module emptied in steps, like kde, lost most packages before its
deletion), the one module of today's package index that defines a variable of that name.
Variables that no module defines any more, or that several modules define, are left out: a
config using them still gets "unbound variable".

Facts only: module names, variable names, the deleting commit and its date.

    tools/derive_removed_modules.py --guix GUIX.git [--index stdlib/gnu/packages/index.json]
        [-o stdlib/gnu/packages/removed-modules.json]

A removed module none of whose packages is left is listed too, with an empty "moved", for
``system check``'s hint.

Output: {"source": COMMIT, "modules": {"gnu packages kde": {"removed": "YYYY-MM",
"commit": C, "moved": {VARIABLE: "gnu packages kde-plasma", ...}}}}.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_FILE = re.compile(r"^gnu/packages/([^/]+)\.scm$")
DEFINE_PUBLIC = re.compile(r"^\+\((?:define-public|define-deprecated-package)\s+([^\s()]+)", re.M)


def git(gitdir: str, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", gitdir, *args], capture_output=True, check=True,
                          text=True, errors="replace").stdout


def deletions(gitdir: str) -> list[tuple[str, str, str]]:
    """(file, commit, date) of each package module file deleted in HEAD's history, newest first."""
    out = git(gitdir, "log", "--diff-filter=D", "--name-only", "--format=@%H %cs", "HEAD", "--", "gnu/packages/")
    rows, commit, date = [], "", ""
    for line in out.splitlines():
        if line.startswith("@"):
            commit, date = line[1:].split()
        elif PACKAGE_FILE.match(line):
            rows.append((line, commit, date))
    return rows


def added_definitions(gitdir: str, paths: list[str]) -> dict[str, list[str]]:
    """For each of ``paths``, the package variables its history ever added (one walk of
    the history for all of them)."""
    out = git(gitdir, "log", "-p", "--format=@%H", "HEAD", "--", *paths)
    found: dict[str, list[str]] = {p: [] for p in paths}
    current = None
    for line in out.splitlines():
        if line.startswith("diff --git "):
            current = line.split(" b/", 1)[1] if " b/" in line else None
        elif current in found and line.startswith("+("):
            m = DEFINE_PUBLIC.match(line)
            if m:
                found[current].append(m.group(1))
    return found


def derive(gitdir: str, index: dict) -> dict:
    where: dict[str, set[str]] = {}
    for module, (_file, rows) in index["modules"].items():
        for row in rows:
            where.setdefault(row[0], set()).add(module)
    removals: dict[str, tuple[str, str, str]] = {}
    for path, commit, date in deletions(gitdir):
        module = "gnu packages " + PACKAGE_FILE.match(path).group(1)
        if module not in index["modules"] and module not in removals:  # newest removal first
            removals[module] = (path, commit, date)
    history = added_definitions(gitdir, sorted({p for p, _, _ in removals.values()}))
    modules: dict[str, dict] = {}
    for module, (path, commit, date) in sorted(removals.items()):
        moved = {}
        for var in dict.fromkeys(history[path]):
            homes = where.get(var, set())
            if len(homes) == 1:
                moved[var] = next(iter(homes))
        # Kept even when nothing moved: system check's hint then says Guix removed it.
        modules[module] = {"removed": date[:7], "commit": commit, "moved": dict(sorted(moved.items()))}
    return {"source": git(gitdir, "rev-parse", "HEAD").strip(), "modules": modules}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--guix", required=True, help="Guix git directory")
    ap.add_argument("--index", default=str(ROOT / "stdlib" / "gnu" / "packages" / "index.json"))
    ap.add_argument("-o", "--output", default=str(ROOT / "stdlib" / "gnu" / "packages" / "removed-modules.json"))
    args = ap.parse_args(argv)
    index = json.loads(Path(args.index).read_text())
    data = derive(args.guix, index)
    Path(args.output).write_text(json.dumps(data, indent=0, sort_keys=False) + "\n")
    moved = sum(1 for m in data["modules"].values() if m["moved"])
    print(f"{len(data['modules'])} removed modules, {moved} with moved packages -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Derive stdlib/gnu/removed-names.json: the service and system procedures Guix deprecated
and then removed (``dhcp-client-service``, ``lsh-service``...), from the Guix git history.

Old configs call them; Guix today says "unbound variable".  schemy says the same, with a
hint that names the removal and what replaced it.  A name is listed when a commit deleted its
``define-deprecated`` form and the name is defined nowhere at HEAD (stdlib/gnu/channel-modules.json
has every public name of today's Guix).  The replacement is the form's second line when that
is a single identifier (``define-deprecated`` names the replacement there).

Facts only: names, the deleting commit and its date.

    tools/derive_removed_names.py --guix GUIX.git [-o stdlib/gnu/removed-names.json]

Output: {"source": COMMIT, "names": {"dhcp-client-service": {"removed": "YYYY-MM",
"commit": C, "replacement": "dhcp-client-service-type"}}}.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REMOVED_FORM = re.compile(r"^-\(define-deprecated\s+\(?([^\s()]+)")
ADDED_FORM = re.compile(r"^\+\((?:define-deprecated|define\*?|define-public)\s+\(?([^\s()]+)")
IDENTIFIER = re.compile(r"^-\s+([A-Za-z][\w?!*<>=/+.-]*)\s*$")


def git(gitdir: str, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", gitdir, *args], capture_output=True, check=True,
                          text=True, errors="replace").stdout


def removals(gitdir: str) -> dict[str, dict[str, str | None]]:
    """Each name whose define-deprecated form a commit deleted (the newest such commit)."""
    log = git(gitdir, "log", "-p", "--format=%x01%H %cs", "-G", "define-deprecated", "HEAD", "--",
              "gnu/services", "gnu/services.scm", "gnu/system", "gnu/system.scm")
    found: dict[str, dict[str, str | None]] = {}
    commit = date = ""
    removed: dict[str, str | None] = {}
    added: set[str] = set()

    def flush() -> None:
        for name, replacement in removed.items():
            if name not in added and name not in found:
                found[name] = {"removed": date[:7], "commit": commit, "replacement": replacement}

    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("\x01"):
            flush()
            commit, date = line[1:].split()
            removed, added = {}, set()
        elif m := REMOVED_FORM.match(line):
            # The replacement: the first lone identifier among the form's next lines (after
            # its argument list, which may span several).
            replacement = None
            for following in lines[i + 1:i + 20]:
                if not following.startswith("-") or following.startswith("-("):
                    break
                if nxt := IDENTIFIER.match(following):
                    replacement = nxt[1]
                    break
            removed[m[1]] = replacement
        elif m := ADDED_FORM.match(line):
            added.add(m[1])
    flush()
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guix", required=True, help="a Guix git directory (bare is fine)")
    ap.add_argument("-o", "--output", default=str(ROOT / "stdlib" / "gnu" / "removed-names.json"))
    args = ap.parse_args()
    today = json.loads((ROOT / "stdlib" / "gnu" / "channel-modules.json").read_text())["names"]
    names = {n: v for n, v in sorted(removals(args.guix).items()) if n not in today}
    head = git(args.guix, "rev-parse", "HEAD").strip()
    Path(args.output).write_text(json.dumps({"source": head, "names": names}, indent=0) + "\n")
    print(f"{len(names)} removed names -> {args.output}")


if __name__ == "__main__":
    main()

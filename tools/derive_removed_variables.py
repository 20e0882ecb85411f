#!/usr/bin/env python3
"""Derive stdlib/gnu/removed-variables.json: variables Guix removed that old configs still
use (``lsh-service``, ``console-keymap-service``, ``ntp-service``, ``nitrogen``...), from the
Guix git history, so that ``system check`` can say "Guix removed it in YYYY-MM; use X" where
it would otherwise say "neither Guix nor nonguix defines it".

Two sources, both read from the history, facts only (names, modules, dates, commits):

- every ``define-deprecated`` (and ``/alias``, ``/public-alias``) Guix's service, system and
  bootloader modules ever had: the date it was added (deprecation), the replacement it names
  (the expression after the formals, e.g. ``ntp-service-type``; ``#f`` when none), and, for
  the names no module defines any more, the commit that removed the last definition;
- every package removed by a commit whose subject is "gnu: Remove NAME." (Guix's
  convention; also "gnu: Remove A, B and C." and "gnu: NAME: Remove package."), when no
  module defines NAME today: its date and module (no diff is read, so
  this is one quick pass over the log);
- the extra NAMEs given on the command line (names configs use that were removed without a
  deprecation, such as packages): the newest commit whose diff changes a top-level
  definition of NAME under gnu/, when no module defines NAME today;
- the extra RECORD/FIELD names (fields of service records configs still give, such as
  qemu-binfmt-configuration/guix-support?): the commit that removed the field's definition
  line, and the fields of the same record it added (recorded as the replacement).

    tools/derive_removed_variables.py --guix GUIX.git [NAME ...]
        [--channels stdlib/gnu/channel-modules.json] [--index stdlib/gnu/packages/index.json]
        [-o stdlib/gnu/removed-variables.json]

Output: {"source": COMMIT, "variables": {NAME: {"module": "gnu services ssh",
"removed": "YYYY-MM", "commit": C, "deprecated": "YYYY-MM" (when it was),
"replacement": NAME-OR-NULL (when a deprecation named one)}, "RECORD/FIELD": {"module": M,
"removed": "YYYY-MM", "commit": C, "replacement": [FIELD ...] (when the commit added some)}}}.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVICE_PATHS = ["gnu/services", "gnu/system", "gnu/services.scm", "gnu/system.scm", "gnu/bootloader",
                 "gnu/bootloader.scm", "gnu/home"]
# Files some of whose blobs the snapshot mirror lacks (the package index records them).
UNREADABLE = ["gnu/packages/tex.scm", "gnu/packages/rust-crates.scm"]
DEPRECATED = re.compile(r"^([-+])\(define-deprecated(?:/alias|/public-alias)?\s+(\(?)([^\s()]+)")


def git(gitdir: str, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", gitdir, *args], capture_output=True, check=True,
                          text=True, errors="replace").stdout


def module_of(path: str) -> str:
    return " ".join(Path(path).with_suffix("").parts)


def first_datum(text: str) -> str | None:
    """The first datum of ``text`` if it is a symbol or #f/#t, else None."""
    m = re.match(r"\s*([^\s()\"';]+)", text)
    return m.group(1) if m else None


def replacement_text(gitdir: str, commit: str, path: str, name: str, procedure: bool) -> str:
    """The text after the formals (or the name) of NAME's define-deprecated at COMMIT."""
    try:
        text = git(gitdir, "show", f"{commit}:{path}")
    except subprocess.CalledProcessError:
        return ""
    m = re.search(r"^\(define-deprecated(?:/alias|/public-alias)?\s+\(?" + re.escape(name) + r"(?=[\s)])",
                  text, re.M)
    if not m:
        return ""
    rest = text[m.end():]
    if not procedure:
        return rest
    depth = 1
    for k, ch in enumerate(rest):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return rest[k + 1:]
    return ""


def deprecations(gitdir: str) -> dict[str, dict[str, Any]]:
    """NAME -> facts of each define-deprecated of the service/system modules' history."""
    log = git(gitdir, "log", "--reverse", "-p", "-U0", "--format=commit %H %cs", "-Gdefine-deprecated",
              "--", *SERVICE_PATHS)
    out: dict[str, dict[str, Any]] = {}
    commit = date = path = ""
    lines = log.splitlines()
    for line in lines:
        if line.startswith("commit "):
            _, commit, date = line.split()
        elif line.startswith("+++ b/"):
            path = line[6:]
        elif line.startswith("--- a/") and path == "":
            path = line[6:]
        elif line.startswith("diff --git"):
            path = ""
        m = DEPRECATED.match(line)
        if not m:
            continue
        sign, paren, name = m.groups()
        entry = out.setdefault(name, {})
        if sign == "+":
            entry.setdefault("deprecated", date[:7])
            entry["module"] = module_of(path)
            # The replacement: the datum after the formals (procedures) or after the name,
            # read from the file at that commit (a diff may show the first line only).
            rest = replacement_text(gitdir, commit, path, name, bool(paren))
            repl = first_datum(rest)
            entry["replacement"] = None if repl in (None, "#f") else repl
        else:
            entry["removed"] = date[:7]
            entry["commit"] = commit
    return out


def removal(gitdir: str, name: str) -> dict[str, Any] | None:
    """The newest commit that changes a top-level definition of NAME under gnu/."""
    quoted = "".join(f"[{c}]" if c in ".*+?^$[]{}()|\\" else c for c in name)
    pattern = r"^[(](define|define-public|define[*]|define-deprecated[^ ]*)[ ]+[(]?" + quoted + r"([ )]|$)"
    # The service and system modules first (a short history), then the package modules,
    # without the files whose old blobs a snapshot mirror lacks (git cannot diff them).
    lines: list[str] = []
    for paths in (SERVICE_PATHS, ["gnu/packages", *(f":(exclude){f}" for f in UNREADABLE)]):
        out = git(gitdir, "log", "-1", "--format=commit %H %cs", "--name-only", "-G" + pattern, "--", *paths)
        lines = [x for x in out.splitlines() if x.strip()]
        if lines:
            break
    if not lines:
        return None
    _, commit, date = lines[0].split()
    files = [x for x in lines[1:] if x.endswith(".scm")]
    return {"module": module_of(files[0]) if files else None, "removed": date[:7], "commit": commit}


def field_removal(gitdir: str, record: str, field: str) -> dict[str, Any] | None:
    """The newest commit that changes the definition line of FIELD of RECORD, a
    ``define-record-type*`` or ``define-configuration`` of the service/system modules
    (``(FIELD RECORD-FIELD`` or, in a configuration, a line holding just ``(FIELD``), and
    the fields of RECORD that commit added (what replaced it), if it removed it."""
    q = "".join(f"[{c}]" if c in ".*+?^$[]{}()|\\" else c for c in field)
    accessor = "".join(f"[{c}]" if c in ".*+?^$[]{}()|\\" else c for c in f"{record}-{field}")
    pattern = rf"[(]{q}[ ]+{accessor}([ )]|$)"
    out = git(gitdir, "log", "-1", "-p", "-U0", "--format=commit %H %cs", "-G" + pattern, "--", *SERVICE_PATHS)
    lines = out.splitlines()
    if not lines:
        return None
    _, commit, date = lines[0].split()
    path = next((x[6:] for x in lines if x.startswith("--- a/")), None)
    removed = any(x.startswith("-") and re.search(pattern.replace("[(]", r"\("), x) for x in lines)
    added_here = any(x.startswith("+") and re.search(pattern.replace("[(]", r"\("), x) for x in lines)
    if not removed or added_here:
        return None
    added = re.findall(r"^\+\s*\(([^\s()]+)\s+" + re.escape(record) + r"-", out, re.M)
    facts: dict[str, Any] = {"module": module_of(path) if path else None, "removed": date[:7],
                             "commit": commit}
    if added:
        facts["replacement"] = added
    return facts


# The subjects Guix's commits that remove packages have: "gnu: Remove NAME.", "gnu: Remove A,
# B and C.", "gnu: NAME: Remove package." (or "variable").
REMOVAL_SUBJECTS = ["^gnu: Remove [^ ]+[.]?$", "^gnu: Remove [^ ,]+(, [^ ,]+)*,? and [^ ]+[.]?$",
                    "^gnu: [^ ]+: Remove (package|variable)[.]?$"]


def removed_names(subject: str) -> list[str]:
    """The package names a removal commit's SUBJECT names (none if it is not one)."""
    m = re.match(r"^gnu: ([^ ]+): Remove (?:package|variable)\.?$", subject)
    if m:
        names = [m.group(1)]
    else:
        m = re.match(r"^gnu: Remove (.+?)\.?$", subject)
        if not m or not re.fullmatch(r"[^ ,]+((, [^ ,]+)*,? and [^ ]+)?", m.group(1)):
            return []
        names = re.split(r",? and |, ", m.group(1))
    return [n.strip("'`\"") for n in names]


def package_removals(gitdir: str) -> dict[str, dict[str, Any]]:
    """NAME -> facts of each package Guix removed with a commit whose subject says so (the
    conventions of REMOVAL_SUBJECTS), the newest such commit; no diff is read."""
    grep = [f"--grep={g}" for g in REMOVAL_SUBJECTS]
    log = git(gitdir, "log", "--format=C %H %cs %s", "--name-only", "-E", *grep, "--", "gnu/packages")
    out: dict[str, dict[str, Any]] = {}
    files: dict[str, list[str]] = {}  # commit -> the package modules it changed
    for line in log.splitlines():
        m = re.match(r"^C (\S+) (\S+) (.*)$", line)
        if m:
            commit, date, subject = m.groups()
            files[commit] = []
            for name in removed_names(subject):
                out.setdefault(name, {"removed": date[:7], "commit": commit, "package": True})
        elif line.startswith("gnu/packages/") and line.endswith(".scm"):
            files[commit].append(line)
    for name, facts in out.items():
        changed = files[facts["commit"]]
        if len(changed) > 1:  # the module whose definition of NAME the commit deleted
            diff = git(gitdir, "show", "--format=", facts["commit"], "--", *changed)
            deleted = re.compile(r"^-\(define(-public)? " + re.escape(name) + r"(\s|$)", re.M)
            for section in diff.split("\ndiff --git a/")[1:] if not diff.startswith("diff") else \
                    ("\n" + diff).split("\ndiff --git a/")[1:]:
                if deleted.search(section):
                    changed = [section.split(" ", 1)[0]]
                    break
        if changed:
            facts["module"] = module_of(changed[0])
    return out


def nonguix_removals(gitdir: str) -> dict[str, dict[str, Any]]:
    """NAME -> facts of each package variable the nonguix channel removed: the newest commit
    whose diff deletes its ``(define-public NAME`` line (nonguix's subjects do not name them:
    "nongnu: Remove a few deprecated package aliases.").  Its history is small enough to read
    the diffs in one pass."""
    log = git(gitdir, "log", "-p", "--format=C %H %cs", "--", "nongnu/packages")
    out: dict[str, dict[str, Any]] = {}
    commit = date = path = ""
    for line in log.splitlines():
        if line.startswith("C "):
            _, commit, date = line.split(" ", 2)
        elif line.startswith("diff --git a/"):
            path = line.split(" ", 3)[2][2:]
        else:
            m = re.match(r"^-\(define-public ([^\s()]+)", line)
            if m and m.group(1) not in out and path.endswith(".scm"):
                out[m.group(1)] = {"removed": date[:7], "commit": commit, "package": True,
                                   "module": module_of(path), "channel": "nonguix"}
    return out


def derive(gitdir: str, present: set[str], extra: list[str], nonguix: str | None = None) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    for name, facts in package_removals(gitdir).items():
        if name not in present:
            variables[name] = facts
    if nonguix:
        for name, facts in nonguix_removals(nonguix).items():
            if name not in present and name not in variables:
                variables[name] = facts
    for name, facts in deprecations(gitdir).items():
        if name in present or "removed" not in facts:
            continue
        variables[name] = facts
    for name in extra:
        if name in present or name in variables:
            continue
        if "/" in name:  # RECORD/FIELD
            facts = field_removal(gitdir, *name.split("/", 1))
            if facts is not None:
                variables[name] = facts
            continue
        facts = removal(gitdir, name)
        if facts is not None:
            variables[name] = facts
    return dict(sorted(variables.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--guix", required=True, help="a Guix git directory")
    ap.add_argument("--nonguix", help="a nonguix git directory (its removed packages too)")
    ap.add_argument("--channels", default=str(ROOT / "stdlib/gnu/channel-modules.json"))
    ap.add_argument("--index", default=str(ROOT / "stdlib/gnu/packages/index.json"))
    ap.add_argument("-o", "--output", default=str(ROOT / "stdlib/gnu/removed-variables.json"))
    ap.add_argument("names", nargs="*", help="more names to look up (removed without a deprecation)")
    args = ap.parse_args(argv)
    channels = json.loads(Path(args.channels).read_text(encoding="utf-8"))
    index = json.loads(Path(args.index).read_text(encoding="utf-8"))
    present = set(channels.get("names", {}))
    for _, rows in index["modules"].values():
        present.update(r[0] for r in rows)
        present.update(r[1] for r in rows if len(r) > 1 and r[1])  # package names
    names = list(args.names)
    out = Path(args.output)
    if out.exists():  # keep looking up the names looked up before
        names += [n for n, f in json.loads(out.read_text(encoding="utf-8"))["variables"].items()
                  if "deprecated" not in f and "package" not in f and n not in names]
    data = {"source": git(args.guix, "rev-parse", "HEAD").strip(),
            "variables": derive(args.guix, present, names, args.nonguix)}
    # One variable a line: diffs of a re-derivation stay readable.
    rows = [f"{json.dumps(k)}: {json.dumps(v, sort_keys=True, separators=(',', ':'))}"
            for k, v in data["variables"].items()]
    out.write_text('{"source": ' + json.dumps(data["source"]) + ',\n"variables": {\n' + ",\n".join(rows)
                   + "\n}}\n", encoding="utf-8")
    print(f"{len(data['variables'])} removed variables -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

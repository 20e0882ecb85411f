#!/usr/bin/env python3
"""Derive stdlib/gnu/channel-modules.json: which modules Guix and nonguix have, and the
names their non-package modules export.

``system check`` uses it for its hints: a module schemy lacks is either one Guix (or the
nonguix channel) has and schemy does not implement yet, or one neither has (a module of the
user's own, or a typo); an unbound name is either one a Guix module defines or not.
Package modules' variables are already in stdlib/gnu/packages/index.json, so only their
module names and the procedures they export or define publicly are listed here.  Facts only:
module names and exported names, read from the ``define-module`` forms (``#:export``) and
``define-public`` definitions, nothing else.

Reads git directories directly (no work tree needed):

    tools/derive_channel_modules.py --guix GUIX.git --nonguix NONGUIX.git \
        [-o stdlib/gnu/channel-modules.json]

Output: {"sources": {channel: commit}, "modules": {"gnu services desktop": [channel]},
"names": {name: ["gnu services desktop", ...]}}.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOTS = {"guix": ("gnu/", "guix/", "gnu.scm", "guix.scm"), "nonguix": ("nongnu/", "nonguix/", "nonguix.scm")}
PACKAGE_DIRS = ("gnu/packages/", "nongnu/packages/")
EXPORT_BLOCK = re.compile(r"#:(?:export|re-export|export-syntax|replace)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)", re.S)
DEFINE_PUBLIC = re.compile(r"^\((?:define-public|define\*-public|define-syntax-public|define-deprecated/public"
                           r"|define-deprecated)\s+\(?([^\s()]+)", re.M)
# A procedure a package module defines publicly ((guix-for-channels CHANNELS)...): the package
# index holds only package variables, so these are listed here too.
DEFINE_PUBLIC_PROCEDURE = re.compile(r"^\((?:define-public|define\*-public)\s+\(([^\s()]+)", re.M)
DEFINE_MODULE = re.compile(r"^\(define-module\s+\(([^()]+)\)", re.M)


def git(gitdir: str, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", "--git-dir", gitdir, *args], input=data, capture_output=True,
                          check=True).stdout


def scheme_files(gitdir: str, roots: tuple[str, ...]) -> list[tuple[str, str]]:
    """(path, blob id) of the channel's .scm files under ``roots``."""
    out = []
    for line in git(gitdir, "ls-tree", "-r", "HEAD").decode().splitlines():
        meta, path = line.split("\t", 1)
        if path.endswith(".scm") and path.startswith(roots) and "/tests/" not in path:
            out.append((path, meta.split()[2]))
    return out


def read_blobs(gitdir: str, ids: list[str]) -> list[str]:
    raw = git(gitdir, "cat-file", "--batch", data=("\n".join(ids) + "\n").encode())
    texts, pos = [], 0
    for _ in ids:
        header_end = raw.index(b"\n", pos)
        header = raw[pos:header_end].split()
        if header[-1] == b"missing":  # not in the snapshot (large files may be absent)
            texts.append("")
            pos = header_end + 1
            continue
        size = int(header[2])
        texts.append(raw[header_end + 1:header_end + 1 + size].decode("utf-8", "replace"))
        pos = header_end + 1 + size + 1
    return texts


def exported_names(text: str, with_definitions: bool = True) -> list[str]:
    names: list[str] = []
    head = text.split("\n(define", 1)[0] if "(define-module" not in text[:20] else text
    m = DEFINE_MODULE.search(text)
    if m:  # the define-module form: up to the first top-level form after it
        rest = text[m.start():]
        end = re.search(r"\n\(", rest[1:])
        head = rest[:end.start() + 1] if end else rest
    for block in EXPORT_BLOCK.findall(head):
        block = re.sub(r";[^\n]*", "", block)
        for item in re.findall(r"\(([^\s()]+)\s+\.\s+([^\s()]+)\)|([^\s()]+)", block):
            name = item[1] or item[2]
            if name and not name.startswith("#"):
                names.append(name)
    if with_definitions:
        names += DEFINE_PUBLIC.findall(text)
    return names


def derive(channels: dict[str, str]) -> dict:
    modules: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    sources = {}
    for channel, gitdir in channels.items():
        sources[channel] = git(gitdir, "rev-parse", "HEAD").decode().strip()
        files = scheme_files(gitdir, ROOTS[channel])
        texts = read_blobs(gitdir, [b for _, b in files])
        for (path, _), text in zip(files, texts):
            if not text and path.startswith(PACKAGE_DIRS):  # absent from the snapshot (large
                modules.setdefault(" ".join(path[:-4].split("/")), [channel])  # files): by its path
                continue
            m = DEFINE_MODULE.search(text)
            if not m:
                continue
            module = " ".join(m.group(1).split())
            if module != " ".join(path[:-4].split("/")):
                continue
            modules.setdefault(module, [])
            if channel not in modules[module]:
                modules[module].append(channel)
            exported = (exported_names(text, with_definitions=False) + DEFINE_PUBLIC_PROCEDURE.findall(text)
                        if path.startswith(PACKAGE_DIRS) else exported_names(text))
            for name in dict.fromkeys(exported):
                names.setdefault(name, []).append(module)
    for lst in names.values():
        lst.sort(key=lambda m: (not m.startswith(("gnu services", "gnu system")), len(m), m))
    return {"sources": sources, "modules": dict(sorted(modules.items())), "names": dict(sorted(names.items()))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--guix", required=True, help="Guix git directory")
    ap.add_argument("--nonguix", required=True, help="nonguix git directory")
    ap.add_argument("-o", "--output", default=str(Path(__file__).resolve().parent.parent
                                                  / "stdlib/gnu/channel-modules.json"))
    args = ap.parse_args(argv)
    data = derive({"guix": args.guix, "nonguix": args.nonguix})
    Path(args.output).write_text(json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n",
                                 encoding="utf-8")
    print(f"{len(data['modules'])} modules, {len(data['names'])} names -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

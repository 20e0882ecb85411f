"""Rank the GNU Guile modules schemy lacks by how often configs and Guix's own code import them.

Usage: .venv/bin/python tools/rank_missing_guile_modules.py [GUIX-GIT-DIR] [CORPUS-DIR...]
Counts, for each module of stdlib/guile-modules.txt that schemy cannot load, the .scm files of
the corpus directories (configs, read only) and of Guix's gnu/services, gnu/home, gnu/system and
guix/ that name it; prints "CORPUS GUIX MODULE" lines, most used first.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def missing_modules() -> list[str]:
    from schemy.app import Interpreter
    from schemy.eval.interpreter import BUILTIN_MODULES

    interp = Interpreter()
    lines = (ROOT / "stdlib" / "guile-modules.txt").read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if not line or line.startswith("#"):
            continue
        name = tuple(line.split())
        if (name in BUILTIN_MODULES or interp.find_module_file(name) or name in interp.native_modules
                or name in interp.native_loaders):
            continue
        out.append(line)
    return out


def corpus_texts(dirs: list[str]) -> list[str]:
    texts = []
    for d in dirs:
        for root, _, files in os.walk(d):
            for f in files:
                if f.endswith(".scm"):
                    texts.append(Path(root, f).read_text(encoding="utf-8", errors="replace"))
    return texts


def guix_texts(repo: str) -> list[str]:
    if not os.path.isdir(repo):
        return []
    names = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", "HEAD", "--",
                            "gnu/services", "gnu/home", "gnu/system", "guix"],
                           capture_output=True, text=True, check=True).stdout.split()
    return [subprocess.run(["git", "-C", repo, "show", f"HEAD:{n}"], capture_output=True, text=True,
                           check=False).stdout for n in names if n.endswith(".scm")]


def main() -> None:
    args = sys.argv[1:]
    repo = args[0] if args else "/work/.mirror/kromka-chleba+guix/repo"
    dirs = args[1:] or sorted(str(p) for p in Path("/tmp").glob("corpus*") if p.is_dir())
    missing = missing_modules()
    texts, gtexts = corpus_texts(dirs), guix_texts(repo)
    print(f"# {len(missing)} Guile modules missing; {len(texts)} corpus files, {len(gtexts)} Guix files")
    rows = []
    for m in missing:
        pat = re.compile(r"\(" + r"\s+".join(map(re.escape, m.split())) + r"\)")
        rows.append((sum(1 for t in texts if pat.search(t)), sum(1 for t in gtexts if pat.search(t)), m))
    for c, g, m in sorted(rows, key=lambda r: -(r[0] + r[1])):
        if c or g:
            print(c, g, m)


if __name__ == "__main__":
    main()

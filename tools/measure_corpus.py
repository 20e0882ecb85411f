#!/usr/bin/env python3
"""Measure how many real configs schemy checks and builds unmodified (issue 15).

    tools/measure_corpus.py CORPUS-DIR [--jobs N] [--json OUT] [--no-build]

CORPUS-DIR holds configs (*.scm) exported from public repositories; they are other people's
files and are never committed.  Each config is classified first, from its text:

* ``own-files``: it needs files of its own repository: modules of its own channel (a module
  whose first name is not Guix's, nonguix's or Guile's), ``local-file`` / ``include`` /
  ``load`` of a relative file that is not in the corpus, ``add-to-load-path``;
* ``self-contained``: everything else.

Then ``schemy system check FILE`` runs on each, and ``schemy system build FILE`` (into a
throw-away state root) on those that pass.  The figures are for the self-contained ones, as
the issue's goal counts them; every failure is listed with its first error line.

With ``--repos DIR`` (and ``--mirror M``, the git mirrors of the configs' repositories, named
OWNER+REPO like the corpus files ``OWNER+REPO--PATH.scm``; Guix's own templates
``guix-NAME.scm`` come from ``--guix-repo``), an own-files config is run the way its owner
runs it: from inside its repository, extracted into DIR/OWNER+REPO (the file found there by
its git blob hash), with ``-L`` for each directory of the repository that holds one of its
own modules (``modules/``, the root...), unless the config adds its own load path itself
(``add-to-load-path``, ``set! %load-path``), whose idiom is then what is measured.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHANNEL_ROOTS = {"gnu", "guix", "nongnu", "nonguix", "ice-9", "srfi", "rnrs", "oop", "web", "system", "sxml",
                 "texinfo", "language", "scheme", "json", "rde"}
MODULE_SPEC = re.compile(r"\(\s*\(?\s*([a-z][\w.+-]*)(?:\s+[\w.+-]+)+\s*\)")
USE_FORMS = re.compile(r"\((?:use-modules|define-module)\b")
RELATIVE_FILE = re.compile(r"\((local-file|include|load|include-from-path)\s+(?:\(string-append[^\"]*)?\"([^\"]+)\"")


GUILE_SYSTEM_MODULES = {"base", "foreign", "foreign-library", "foreign-object", "repl", "vm", "syntax", "xref"}
ONE_NAME_SPEC = re.compile(r"\(\s*([a-z][\w.+-]*)\s*\)")
NOT_IMPORTS = re.compile(r"#:(?:export|re-export|replace|export-syntax|re-export-syntax|autoload)"
                         r"\s*\([^()]*(?:\([^()]*\)[^()]*)*\)")


def _module_names(text: str) -> list[str]:
    """Names of the modules ``use-modules`` / ``define-module`` forms import, as their first
    name, or ``system X`` for a ``(system ...)`` module that is not Guile's."""
    names = []
    for m in USE_FORMS.finditer(text):
        if ";" in text[text.rfind("\n", 0, m.start()) + 1:m.start()]:
            continue  # a commented-out form
        depth, i = 0, m.start()
        while i < len(text):
            c = text[i]
            if c == ";":
                i = text.find("\n", i)
                if i < 0:
                    break
                continue
            depth += c == "("
            depth -= c == ")"
            i += 1
            if depth == 0:
                break
        form = re.sub(r";[^\n]*", "", text[m.start():i])
        form = re.sub(r"#:(?:select|hide|prefix|renamer)\s*\([^()]*(?:\([^()]*\)[^()]*)*\)", "", form)
        form = NOT_IMPORTS.sub("", form)
        body = form[1:]
        if form.startswith("(define-module"):  # its own name is not an import
            own_name = re.match(r"define-module\s*\([^()]*\)", body)
            body = body[own_name.end():] if own_name else body
        for x in MODULE_SPEC.finditer(body):
            parts = x.group(0).strip("() \n\t").split()
            if parts[0] == "system" and len(parts) > 1 and parts[1] not in GUILE_SYSTEM_MODULES:
                names.append("system " + parts[1])
            else:
                names.append(x.group(1))
        names += [x.group(1) for x in ONE_NAME_SPEC.finditer(body)]
    return names


def classify(path: Path) -> tuple[str, list[str]]:
    """("own-files" or "self-contained", the reasons)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    reasons = []
    own = sorted({n for n in _module_names(text) if n not in CHANNEL_ROOTS and n not in ("define-module",)})
    if own:
        reasons.append("own modules: " + ", ".join(f"({n} ...)" for n in own))
    for kind, file in RELATIVE_FILE.findall(text):
        if file.startswith("/"):  # a file of the machine the config was written for
            if not Path(file).exists():
                reasons.append(f"{kind} {file} (on its own machine)")
        elif not (path.parent / file).exists():
            reasons.append(f"{kind} {file}")
    if "add-to-load-path" in text:
        reasons.append("add-to-load-path")
    if re.search(r"\((?:open-input-pipe|open-pipe\*?)\s", text):
        reasons.append("runs a program of its own machine while evaluated")
    return ("own-files" if reasons else "self-contained"), reasons


SCHEMY_PYTHON = sys.executable


def _schemy() -> list[str]:
    return [SCHEMY_PYTHON, "-m", "schemy.cli.main"]


def _first_error(stderr: str) -> str:
    for line in stderr.splitlines():
        if ": error: " in line or line.startswith("error:"):
            return line
    return stderr.strip().splitlines()[-1] if stderr.strip() else ""


# ---------------------------------------------------------------- configs in their repositories

REPOS: Path | None = None
MIRROR: Path | None = None
GUIX_REPO = "kromka-chleba+guix"
BIG_REPO = 2000  # files: beyond, only the config's directory is extracted


def _repo_name(config: Path) -> str:
    return config.name.split("--", 1)[0] if "--" in config.name else GUIX_REPO


def _git_dir(repo: str) -> Path | None:
    if MIRROR is None:
        return None
    for d in (MIRROR / repo / "repo", MIRROR / repo / "repo" / ".git", MIRROR / repo):
        if (d / "HEAD").is_file():
            return d
    return None


def _git(git_dir: Path, *args: str) -> str:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True,
                          check=True).stdout


def in_repository(config: Path) -> tuple[Path, Path] | None:
    """(the repository's extracted tree, the config inside it), or None if it cannot be had."""
    if REPOS is None:
        return None
    repo = _repo_name(config)
    git_dir = _git_dir(repo)
    tree = REPOS / repo
    if git_dir is None:
        return None
    blob = subprocess.run(["git", "hash-object", str(config)], capture_output=True, text=True,
                          check=True).stdout.strip()
    listing = _git(git_dir, "ls-tree", "-r", "HEAD").splitlines()
    paths = [line.split("\t", 1)[1] for line in listing if line.split()[2:3] == [blob]]
    stale = False
    if not paths and "--" in config.name:
        # The repository changed since the corpus was taken: the file of the same name, with
        # the corpus's text put in its place (in the throw-away extraction only).
        base = config.name.split("--", 1)[1]
        names = [line.split("\t", 1)[1] for line in listing]
        paths = [n for n in names if Path(n).name == base] or \
                [n for n in names if n.endswith(".scm") and Path(base).stem in Path(n).parts[:-1]]
        stale = True
    if not paths:
        return None
    rel = min(paths, key=len)
    if not (tree / rel).is_file():
        under = None if len(listing) <= BIG_REPO else str(Path(rel).parent)
        extract(git_dir, listing, tree, under)
    if stale:
        (tree / rel).write_bytes(config.read_bytes())
    return tree, tree / rel


def extract(git_dir: Path, listing: list[str], tree: Path, under: str | None = None) -> list[str]:
    """Write the files of ``git ls-tree -r HEAD`` (LISTING) into TREE, only those below UNDER
    if given; returns the paths whose blobs the mirror lacks (a snapshot may omit its
    largest files: ``git archive`` then fails for the whole tree)."""
    entries = []
    for line in listing:
        meta, path = line.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob" and (under is None or path.startswith(under.rstrip("/") + "/") or under in ("", ".")):
            entries.append((mode, sha, path))
    batch = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
                           input="".join(f"{sha}\n" for _, sha, _ in entries).encode(),
                           capture_output=True, check=True).stdout
    missing, pos = [], 0
    for mode, _sha, path in entries:
        end = batch.index(b"\n", pos)
        header = batch[pos:end].split()
        pos = end + 1
        if header[-1] == b"missing":
            missing.append(path)
            continue
        size = int(header[2])
        data = batch[pos:pos + size]
        pos += size + 1
        dest = tree / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            if not dest.is_symlink():
                dest.symlink_to(data.decode())
            continue
        dest.write_bytes(data)
        if mode == "100755":
            dest.chmod(0o755)
    return missing


OWN_SPEC = re.compile(r"\(\s*([a-z][\w.+-]*(?:\s+[a-z0-9][\w.+-]*)+)\s*\)")


def load_path_for(config_text: str, tree: Path) -> list[Path]:
    """The directories of the repository that hold the config's own modules (as its layout
    implies them: the root, modules/, src/...), unless the config adds its load path itself."""
    if "add-to-load-path" in config_text or re.search(r"set!\s+%load-path", config_text):
        return []
    dirs: list[Path] = []
    # Every list of two names or more that could name a module: only those a file of the
    # repository defines count.
    specs = dict.fromkeys(tuple(m.group(1).split()) for m in OWN_SPEC.finditer(re.sub(r";[^\n]*", "", config_text)))
    # One-name modules, (desktop-base), and (system boot) modules that are not Guile's, as
    # the classifier names them.
    specs.update(dict.fromkeys(tuple(n.split()) for n in _module_names(config_text)
                               if n not in CHANNEL_ROOTS and (" " not in n or n.startswith("system "))))
    for spec in specs:
        if spec[0] in CHANNEL_ROOTS and not (spec[0] == "system" and len(spec) > 1
                                             and spec[1] not in GUILE_SYSTEM_MODULES):
            continue
        rel = Path(*spec).with_suffix(".scm")
        for found in sorted(tree.rglob(rel.name), key=lambda p: len(p.parts)):
            if found.parts[-len(rel.parts):] == rel.parts:
                root = Path(*found.parts[:-len(rel.parts)])
                if root not in dirs:
                    dirs.append(root)
                break
    return dirs


def measure_one(path: Path, build: bool) -> dict:
    kind, reasons = classify(path)
    row = {"config": path.name, "class": kind, "reasons": reasons}
    # cwd: the corpus, so that `python -m` imports the measured Python's own schemy.
    target, cwd, options = path, path.parent, []
    placed = in_repository(path) if kind == "own-files" else None
    if placed is not None:
        tree, target = placed
        cwd = target.parent
        options = [f"--load-path={d}" for d in load_path_for(target.read_text(errors="replace"), tree)]
        row["in-repository"] = str(target.relative_to(tree))
        row["load-path"] = [str(Path(o.split("=", 1)[1]).relative_to(tree)) or "." for o in options]
    elif kind == "own-files" and REPOS is not None:
        row["in-repository"] = None
    # A Guix Home configuration (some corpora hold one) is measured as `schemy home` measures it.
    text = target.read_text(errors="replace")
    verb = "home" if "(home-environment" in text and "(operating-system" not in text else "system"
    row["verb"] = verb
    r = subprocess.run([*_schemy(), verb, "check", *options, str(target)], capture_output=True, text=True,
                       timeout=300, check=False, cwd=str(cwd))
    row["check"] = r.returncode == 0
    row["errors"] = [line for line in r.stderr.splitlines() if ": error: " in line]
    row["first_error"] = _first_error(r.stderr) if r.returncode else ""
    if row["check"] and build:
        with tempfile.TemporaryDirectory(prefix="schemy-measure-") as root:
            b = subprocess.run([*_schemy(), verb, "build", *options, "--root", root, str(target)],
                               capture_output=True, text=True, timeout=600, check=False, cwd=str(cwd))
        row["build"] = b.returncode == 0
        if not row["build"]:
            row["first_error"] = "build: " + _first_error(b.stderr)
    else:
        row["build"] = False
    return row


def summary(rows: list[dict]) -> list[str]:
    out = []
    for kind in ("self-contained", "own-files"):
        group = [r for r in rows if r["class"] == kind]
        if not group:
            continue
        checked = sum(r["check"] for r in group)
        built = sum(r["build"] for r in group)
        out.append(f"{kind}: {len(group)} configs, check {checked}/{len(group)} ({100 * checked // len(group)}%), "
                   f"build {built}/{len(group)} ({100 * built // len(group)}%)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write the rows here")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--python", help="the Python whose schemy to measure (e.g. another checkout's venv)")
    ap.add_argument("--repos", type=Path, help="run own-files configs inside their repositories, "
                    "extracted here (DIR/OWNER+REPO)")
    ap.add_argument("--mirror", type=Path, default=Path("/work/.mirror"),
                    help="git mirrors of the repositories, DIR/OWNER+REPO[/repo] (default: %(default)s)")
    ap.add_argument("--guix-repo", default="kromka-chleba+guix",
                    help="the mirror of Guix, for its templates guix-*.scm")
    ap.add_argument("--only", choices=["own-files", "self-contained"], help="measure only this class")
    args = ap.parse_args(argv)
    global SCHEMY_PYTHON, REPOS, MIRROR, GUIX_REPO
    SCHEMY_PYTHON = args.python or sys.executable
    REPOS, MIRROR, GUIX_REPO = args.repos, args.mirror, args.guix_repo
    if REPOS is not None and shutil.which("git") is None:
        ap.error("--repos needs git")
    files = sorted(p for p in args.corpus.iterdir() if p.suffix == ".scm" and p.is_file())
    if args.only:
        files = [p for p in files if classify(p)[0] == args.only]
    with ThreadPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(lambda p: measure_one(p, not args.no_build), files))
    for r in rows:
        mark = "build" if r["build"] else ("check" if r["check"] else "FAIL")
        print(f"{mark:5} {r['class']:14} {r['config']}")
        if "in-repository" in r:
            where = r["in-repository"] or "(repository not available)"
            print(f"        run as {where}" + "".join(f" -L {d}" for d in r.get("load-path", [])))
        if r["first_error"]:
            print(f"        {r['first_error'][:200]}")
        for reason in r["reasons"]:
            print(f"        needs {reason}")
    for line in summary(rows):
        print(line)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

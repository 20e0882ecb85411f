#!/usr/bin/env python3
"""Derive stdlib/gnu/packages/index.json from a Guix (and nonguix) source tree.

Real configs name hundreds of package variables across ~600 ``(gnu packages X)`` modules
and the nonguix channel's ``(nongnu packages X)`` modules.  schemy does not build them, so
all it needs of each is a fact sheet: which module exports which variable, and the
package's name, version and outputs.  This script reads the channels' source files as data
(with schemy's own reader; nothing is evaluated) and writes those facts, and nothing else:
no descriptions, no code.

Usage:
    tools/derive_package_index.py --guix GUIX-TREE [--nonguix NONGUIX-TREE]
        [--guix-commit C] [--nonguix-commit C] [-o stdlib/gnu/packages/index.json]
    tools/derive_package_index.py --guix-git GUIX.git [--nonguix-git NONGUIX.git]
        [--guix-commit C] [--nonguix-commit C] [-o ...]

With ``--guix-git``/``--nonguix-git`` the files are read from a git directory at the commit
(HEAD by default).  A snapshot mirror may lack the blob of a file's newest version (large
files such as gnu/packages/tex.scm): then the newest version of that file whose blob is
present is read instead, and the commit it was read at is recorded under
``sources.fallbacks`` (path -> commit), so a module is never silently missing.

Each module is ``[FILE, ROWS]``, FILE its file name relative to its channel's root (for
package locations).  Each row is ``[VARIABLE, NAME, VERSION, LINE]`` followed, when they are
not the usual ones, by an options object: ``{"o": OUTPUTS}`` (outputs other than
``("out")``), ``{"h": 1}`` (a hidden package), ``{"s": "VARIABLE"}`` (a deprecated name
superseded by another package), ``{"a": "VARIABLE"}`` (another name for the package of
VARIABLE, same module).  NAME is ``""`` when it equals VARIABLE.  A value that cannot be
worked out from the text (a package made by a procedure) falls back to the variable's name,
the version of the package it is made from, or ``"0"``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schemy.lang.datum import NIL, Keyword, Pair, Symbol  # noqa: E402
from schemy.lang.reader import read  # noqa: E402


class Unknown(Exception):
    """An expression whose value is not a constant we can work out from the text."""


def py(x: Any) -> Any:
    """A datum as Python: lists for (proper parts of) pairs, symbols kept, strings as str."""
    if isinstance(x, Pair):
        out = []
        while isinstance(x, Pair):
            out.append(py(x.car))
            x = x.cdr
        return out
    if x is NIL:
        return []
    return x


def is_sym(x: Any, name: str | None = None) -> bool:
    return isinstance(x, Symbol) and (name is None or x.name == name)


PACKAGE_FORMS = ("package", "package/inherit")
# Heads of public definitions that are not packages (data, procedures, records...).
NOT_PACKAGES = frozenset("""list list* cons cons* quote quasiquote string-append lambda lambda* match-lambda
const append map filter delete vector origin search-path-specification local-file plain-file
computed-file program-file scheme-file mixed-text-file file-append make-parameter delay
string-join license: make-regexp assoc-ref let-values define-record-type build-system
package-input-rewriting package-input-rewriting/spec package-mapping options->transformation
specifications->manifest packages->manifest url-fetch git-fetch efi-bootloader-chain
bootloader""".split())
DEFINE_LINE = re.compile(r"^\((?:define|define-[a-z/*-]+)\s+([^\s()]+)")


class Def:
    """One top-level definition of a module: its expression and the module it is in."""

    def __init__(self, module: str, var: str, expr: Any, public: bool) -> None:
        self.module = module
        self.var = var
        self.expr = expr
        self.public = public


class Index:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Def]] = {}  # module -> var -> Def
        self.global_defs: dict[str, list[Def]] = {}
        self.procs: dict[str, dict[str, Any]] = {}  # module -> proc name -> (params, body)
        self.package_macros: dict[str, set[str]] = {}  # module -> its macros that define packages
        self.exports: dict[str, set[str]] = {}
        self.order: dict[str, list[str]] = {}
        self.lines: dict[tuple[str, str], int] = {}  # (module, var) -> line of its definition
        self.files: dict[str, str] = {}  # module -> file name relative to its channel's root
        self._pkg_cache: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._busy: set[tuple[str, str]] = set()

    # -------------------------------------------------------------- reading
    def add_file(self, path: str, rel: str) -> None:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        forms = [py(f) for f in read(text, path)]
        module = None
        lines = {}
        for n, line in enumerate(text.splitlines(), 1):
            m = DEFINE_LINE.match(line)
            if m:
                lines.setdefault(m.group(1), n)
        for form in forms:
            if not isinstance(form, list) or not form:
                continue
            head = form[0]
            if is_sym(head, "define-module") and len(form) > 1 and isinstance(form[1], list):
                module = " ".join(s.name if isinstance(s, Symbol) else str(s) for s in form[1])
                self.defs.setdefault(module, {})
                self.files[module] = rel
                self.procs.setdefault(module, {})
                self.order.setdefault(module, [])
                exp = self.exports.setdefault(module, set())
                for i, item in enumerate(form):
                    if isinstance(item, Keyword) and item.name in ("export", "public") and i + 1 < len(form):
                        for s in form[i + 1] if isinstance(form[i + 1], list) else []:
                            if isinstance(s, Symbol):
                                exp.add(s.name)
                continue
            if module is None:
                continue
            if isinstance(form[1:2], list) and form[1:2] and isinstance(form[1], Symbol) and form[1].name in lines:
                self.lines.setdefault((module, form[1].name), lines[form[1].name])
            if is_sym(head, "define-public") or is_sym(head, "define"):
                public = head.name == "define-public"
                if len(form) >= 3 and isinstance(form[1], Symbol):
                    self._add_def(module, form[1].name, form[2], public)
                elif len(form) >= 3 and isinstance(form[1], list) and form[1] and isinstance(form[1][0], Symbol):
                    self.procs[module][form[1][0].name] = (form[1][1:], form[2:])
            elif (is_sym(head, "define*") or is_sym(head, "define*-public")) and len(form) >= 3 \
                    and isinstance(form[1], list) and form[1]:
                if isinstance(form[1][0], Symbol):
                    self.procs[module][form[1][0].name] = (form[1][1:], form[2:])
            elif is_sym(head, "define-deprecated-package") and len(form) == 3 and isinstance(form[1], Symbol):
                # (define-deprecated-package OLD NEW): OLD is NEW under its former name.
                self._add_def(module, form[1].name,
                              [Symbol("deprecated-package"), form[1].name, form[2]], True)
            elif (is_sym(head, "define-deprecated/public") or is_sym(head, "define-deprecated")) \
                    and len(form) >= 4 and isinstance(form[1], Symbol):
                # (define-deprecated/public NAME REPLACEMENT EXPR): NAME is still EXPR.
                self._add_def(module, form[1].name, form[3], head.name.endswith("/public"))
            elif is_sym(head, "define-syntax") and len(form) == 3 and isinstance(form[1], Symbol):
                name = form[1].name
                body = form[2]
                if isinstance(body, list) and body and is_sym(body[0], "identifier-syntax") \
                        and f"%{name}" in self.defs[module]:
                    # (define-syntax pkg-config (identifier-syntax (pkg-config-for-target ...))):
                    # natively the package %pkg-config, under the name users write.
                    self._add_def(module, name, Symbol(f"%{name}"), True)
                elif _mentions(body, "define-public"):
                    self.package_macros.setdefault(module, set()).add(name)  # defines packages
            elif is_sym(head, "define-nvidia-container") and len(form) in (4, 5) and isinstance(form[1], Symbol):
                # nonguix: (define-nvidia-container NAME BUILDER DRIVER) a hidden container
                # package at DRIVER's version; (define-nvidia-container NAME "ALIAS" CONTAINER
                # VERSION) the public one users name, called ALIAS.
                if len(form) == 4:
                    builder = form[2].name if isinstance(form[2], Symbol) else ""
                    name = builder[:-len("-container-for")] if builder.endswith("-container-for") \
                        else form[1].name  # steam-container-for makes a container named "steam"
                    expr = [Symbol("%nvidia-container"), name, form[3]]
                else:
                    expr = [Symbol("%nvidia-container-alias"), form[2], form[3], form[4]]
                self._add_def(module, form[1].name, expr, True)
            elif isinstance(head, Symbol) and head.name in self.package_macros.get(module, ()) \
                    and len(form) >= 2 and isinstance(form[1], Symbol):
                # (define-french-dictionary hunspell-dict-fr-classique ...): a package the
                # module's own macro defines.
                self._add_def(module, form[1].name, [Symbol("%package-macro"), *form[2:]], True)
            elif isinstance(head, Symbol) and head.name.startswith("define-") \
                    and head.name.endswith("-package") and len(form) >= 2 and isinstance(form[1], Symbol):
                # A channel's own package-defining macro (nonguix: define-nvda-package NAME DRIVER).
                self._add_def(module, form[1].name, [Symbol("%package-macro"), *form[2:]], True)
            elif is_sym(head, "export"):
                for s in form[1:]:
                    if isinstance(s, Symbol):
                        self.exports[module].add(s.name)

    def _add_def(self, module: str, var: str, expr: Any, public: bool) -> None:
        d = Def(module, var, expr, public)
        if var not in self.defs[module]:
            self.order[module].append(var)
        self.defs[module][var] = d
        self.global_defs.setdefault(var, []).append(d)

    # -------------------------------------------------------------- lookup
    def find(self, module: str, var: str) -> Def | None:
        d = self.defs.get(module, {}).get(var)
        if d is not None:
            return d
        cands = self.global_defs.get(var, [])
        public = [c for c in cands if c.public or c.var in self.exports.get(c.module, ())]
        return (public or cands or [None])[0]

    # -------------------------------------------------------------- constants
    def const(self, expr: Any, module: str, env: dict[str, Any]) -> Any:
        """The value of a constant expression: strings, numbers, lists and simple calls."""
        if isinstance(expr, (str, int)):
            return expr
        if isinstance(expr, Symbol):
            if expr.name in env:
                v = env[expr.name]
                if isinstance(v, Unknown):
                    raise v
                return v
            d = self.find(module, expr.name)
            if d is None:
                raise Unknown(expr.name)
            pkg = self.package(d.module, d.var)
            if pkg is not None:
                return pkg
            return self.const(d.expr, d.module, {})
        if not isinstance(expr, list) or not expr:
            raise Unknown(expr)
        head = expr[0]
        if is_sym(head, "quote"):
            return py_quoted(expr[1])
        if is_sym(head, "quasiquote") and not _mentions(expr[1], "unquote") \
                and not _mentions(expr[1], "unquote-splicing"):
            return py_quoted(expr[1])  # `("out" "utils"): a constant written with a backquote
        if not isinstance(head, Symbol):
            raise Unknown(expr)
        h = head.name
        if h in PACKAGE_FORMS or h in ("let", "let*", "hidden-package", "deprecated-package"):
            pkg = self.package_expr(expr, module, env, None)
            if pkg is not None:
                return pkg
            raise Unknown(expr)
        if h == "if":  # (if libc (make-gcc-libc gcc libc) gcc): the branch a constant test picks
            test = self.const(expr[1], module, env)
            if test is not False:
                return self.const(expr[2], module, env)
            if len(expr) > 3:
                return self.const(expr[3], module, env)
            raise Unknown(expr)
        if h == "or":  # the first true value (#f is False here)
            for a in expr[1:]:
                v = self.const(a, module, env)
                if v is not False:
                    return v
            return False
        if h == "and":
            v: Any = True
            for a in expr[1:]:
                v = self.const(a, module, env)
                if v is False:
                    return False
            return v
        args = lambda: [self.const(a, module, env) for a in expr[1:]]  # noqa: E731
        if h == "string-prefix?":
            a = args()
            return _str(a[1]).startswith(_str(a[0]))
        if h == "string-drop":
            a = args()
            return _str(a[0])[a[1]:]
        if h == "string-length":
            return len(_str(args()[0]))
        if h == "string-append":
            return "".join(_str(a) for a in args())
        if h == "list":
            return args()
        if h in ("git-version", "hg-version"):
            a = args()
            return f"{a[0]}-{a[1]}.{_str(a[2])[:7]}"
        if h == "number->string":
            return str(args()[0])
        if h == "downstream-package-name":  # PREFIX and NAME, lower case, "_" as "-" (Guix's)
            a = args()
            return _str(a[0]) + _str(a[1]).lower().replace("_", "-")
        if h == "zero?":  # (if (zero? revision) version (string-append ...)): Guix's own package
            return args()[0] == 0
        if h == "symbol->string":  # (symbol->string project), PROJECT a quoted symbol ('icecat)
            return _str(args()[0])
        if h == "string-take":
            a = args()
            return _str(a[0])[: a[1]]
        if h == "version-major+minor":
            return ".".join(_str(args()[0]).split(".")[:2])
        if h == "version-major+minor+point":
            return ".".join(_str(args()[0]).split(".")[:3])
        if h == "version-major":
            return _str(args()[0]).split(".")[0]
        if h in ("package-version", "package-name", "package-outputs"):
            pkg = self.const(expr[1], module, env)
            if not isinstance(pkg, dict) or (h == "package-name" and pkg.get("guessed")):
                raise Unknown(expr)  # a name guessed from a variable is no name to build on
            return pkg[{"package-version": "version", "package-name": "name", "package-outputs": "outputs"}[h]]
        raise Unknown(expr)

    # -------------------------------------------------------------- packages
    def package(self, module: str, var: str) -> dict[str, Any] | None:
        key = (module, var)
        if key in self._pkg_cache:
            return self._pkg_cache[key]
        if key in self._busy:
            return None
        self._busy.add(key)
        try:
            d = self.defs[module][var]
            pkg = self.package_expr(d.expr, module, {}, var)
        finally:
            self._busy.discard(key)
        self._pkg_cache[key] = pkg
        return pkg

    def package_expr(self, expr: Any, module: str, env: dict[str, Any], var: str | None) -> dict[str, Any] | None:
        """The facts of the package EXPR makes, or None when EXPR is not a package."""
        if isinstance(expr, Symbol):
            if expr.name in env:
                v = env[expr.name]
                return v if isinstance(v, dict) else None
            d = self.find(module, expr.name)
            if d is None:
                return None
            return self.package(d.module, d.var)
        if not isinstance(expr, list) or not expr or not isinstance(expr[0], Symbol):
            return None
        h = expr[0].name
        if h in PACKAGE_FORMS:
            return self._package_form(expr, module, env, var)
        if h in ("let", "let*", "letrec", "letrec*") and len(expr) >= 3:
            if isinstance(expr[1], Symbol):  # named let
                return None
            env = dict(env)
            for b in expr[1] if isinstance(expr[1], list) else []:
                if isinstance(b, list) and len(b) == 2 and isinstance(b[0], Symbol):
                    try:
                        env[b[0].name] = self.const(b[1], module, env)
                    except (Unknown, RecursionError, IndexError, TypeError) as e:
                        env[b[0].name] = e if isinstance(e, Unknown) else Unknown(b[1])
            return self.package_expr(expr[-1], module, env, var)
        if h == "begin" and len(expr) > 1:
            return self.package_expr(expr[-1], module, env, var)
        if h == "hidden-package" and len(expr) == 2:
            pkg = self.package_expr(expr[1], module, env, var)
            return dict(pkg, hidden=True) if pkg else None
        if h == "deprecated-package" and len(expr) == 3 and isinstance(expr[1], str):
            new = self.package_expr(expr[2], module, env, None)
            if new is None:
                return None
            target = expr[2].name if isinstance(expr[2], Symbol) else None
            return dict(new, name=expr[1], superseded=target, hidden=False)
        if h in ("make-linux-libre", "make-linux-libre*") and len(expr) > 1:
            try:
                version = _str(self.const(expr[1], module, env))
            except (Unknown, RecursionError, IndexError, TypeError):
                version = "0"
            return {"name": "linux-libre", "version": version, "outputs": ["out"]}
        if h == "corrupt-linux" and len(expr) > 1:  # nonguix: the kernel with its blobs
            base = self.package_expr(expr[1], module, env, None)
            name = "linux"
            for i, a in enumerate(expr):
                if isinstance(a, Keyword) and a.name == "name" and i + 1 < len(expr) and isinstance(expr[i + 1], str):
                    name = expr[i + 1]
            if base is not None and base["version"] != "0":
                version = base["version"]
            else:
                # A kernel series newer than the Guix tree (the channel moves faster): its
                # variable names the series, as Guix's kernel variables do (linux-libre-7.1).
                series = re.search(r"-(\d+(?:\.\d+)+)$", expr[1].name) if isinstance(expr[1], Symbol) else None
                version = series.group(1) if series else "0"
            return {"name": name, "version": version, "outputs": ["out"]}
        if h == "%nvidia-container":  # see define-nvidia-container above
            driver = self.package_expr(expr[2], module, env, None)
            return {"name": expr[1], "version": driver["version"] if driver else "0", "outputs": ["out"],
                    "hidden": True}
        if h == "%nvidia-container-alias":
            base = self.package_expr(expr[2], module, env, None)
            try:
                version = _str(self.const(expr[3], module, env))
            except (Unknown, RecursionError, IndexError, TypeError):
                version = base["version"] if base else "0"
            return {"name": expr[1], "version": version, "outputs": base["outputs"] if base else ["out"]}
        if h == "make-openjdk" and len(expr) > 2:  # Guix's macro: (make-openjdk BOOTSTRAP VERSION HASH FIELD ...)
            base = self.package_expr(expr[1], module, env, None)
            try:
                version = _str(self.const(expr[2], module, env))
            except (Unknown, RecursionError, IndexError, TypeError):
                version = "0"
            return {"name": "openjdk", "version": version,
                    "outputs": base["outputs"] if base else ["out", "jdk", "doc"]}
        if h == "binary-package-from-sources" and len(expr) > 2:
            # nonguix: (binary-package-from-sources `((SYSTEM . ,SOURCE) ...) PACKAGE): the
            # package at the version of its sources (made by (make-X-source VERSION ...)).
            pkg = self.package_expr(expr[2], module, env, var)
            version = self._sources_version(expr[1], module)
            if pkg is not None and version is not None:
                pkg = dict(pkg, version=version)
            return pkg
        # A package made by a procedure of the same module: look at what it returns.
        proc = self.procs.get(module, {}).get(h)
        if proc is not None:
            pkg = self._from_procedure(proc, expr[1:], module, env, var)
            if pkg is not None:
                return pkg
        # A package form given as an argument (binary-package-from-sources SOURCES (package ...)).
        for a in expr[1:]:
            if isinstance(a, list) and a and isinstance(a[0], Symbol) and a[0].name in PACKAGE_FORMS:
                return self._package_form(a, module, env, var)
        # Otherwise: made from another package given as an argument, if any.
        for a in expr[1:]:
            if isinstance(a, Symbol) and var is not None:
                base = self.package_expr(a, module, env, None)
                if base is not None:
                    return {"name": var, "version": base["version"], "outputs": base["outputs"], "guessed": True}
        if var is not None and not var.startswith("%") and h not in NOT_PACKAGES:
            # Made by a procedure we cannot follow: keep the variable, its name for the package's.
            return {"name": var, "version": "0", "outputs": ["out"], "guessed": True}
        return None

    def _sources_version(self, sources: Any, module: str) -> str | None:
        """The version of the first source of a quasiquoted ((SYSTEM . ,SOURCE) ...) list."""
        if not (isinstance(sources, list) and len(sources) == 2 and is_sym(sources[0], "quasiquote")):
            return None
        for entry in sources[1] if isinstance(sources[1], list) else []:
            # ("x86_64-linux" . ,SOURCE) reads as ("x86_64-linux" unquote SOURCE)
            if not (isinstance(entry, list) and len(entry) == 3 and is_sym(entry[1], "unquote")
                    and isinstance(entry[2], Symbol)):
                continue
            if True:
                d = self.find(module, entry[2].name)
                if d is not None and isinstance(d.expr, list) and len(d.expr) > 1 and isinstance(d.expr[1], str) \
                        and re.match(r"\d+(\.\d+)+$", d.expr[1]):
                    return d.expr[1]
        return None

    def _from_procedure(self, proc: Any, args: list[Any], module: str, env: dict[str, Any], var: str) -> Any:
        params, body = proc
        if not body:
            return None
        new_env = dict(env)
        positional = []
        keys: dict[str, Any] = {}
        i = 0
        while i < len(args):
            a = args[i]
            if isinstance(a, Keyword) and i + 1 < len(args):
                keys[a.name] = args[i + 1]
                i += 2
            else:
                positional.append(a)
                i += 1
        mode = "pos"
        pi = 0
        for p in params:
            if isinstance(p, Keyword):
                mode = p.name
                continue
            name, default = (p, None)
            if isinstance(p, list) and p and isinstance(p[0], Symbol):
                name, default = p[0], (p[1] if len(p) > 1 else None)
            if not isinstance(name, Symbol):
                continue
            if mode in ("pos", "optional"):
                src = positional[pi] if pi < len(positional) else default
                pi += 1
            else:
                src = keys.get(name.name, default)
            if src is None and mode in ("optional", "key"):  # not given, no default: #f
                new_env[name.name] = False
                continue
            try:
                new_env[name.name] = self.const(src, module, env) if src is not None else Unknown(name.name)
            except (Unknown, RecursionError, IndexError, TypeError):
                new_env[name.name] = Unknown(name.name)
        try:
            return self.package_expr(body[-1], module, new_env, var)
        except RecursionError:
            return None

    def _version_prefix(self, expr: Any, module: str, env: dict[str, Any]) -> str | None:
        """The known leading part of a version made by string-append ("5.2" of 5.2.PATCHLEVEL)."""
        if not (isinstance(expr, list) and expr and is_sym(expr[0], "string-append")):
            return None
        out = ""
        for a in expr[1:]:
            try:
                out += _str(self.const(a, module, env))
            except (Unknown, RecursionError, IndexError, TypeError):
                break
        return out.rstrip(".-") or None

    def _package_form(self, expr: list[Any], module: str, env: dict[str, Any], var: str | None) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        base = None
        start = 1
        if expr[0].name == "package/inherit" and len(expr) > 1:
            base = self.package_expr(expr[1], module, env, None)
            start = 2
        for f in expr[start:]:
            if isinstance(f, list) and len(f) >= 2 and isinstance(f[0], Symbol):
                fields[f[0].name] = f[1]
        if "inherit" in fields:
            base = self.package_expr(fields["inherit"], module, env, None)
        pkg = {"name": None, "version": None, "outputs": ["out"]}
        if base is not None:
            pkg.update(name=base["name"], version=base["version"], outputs=base["outputs"])
        for key in ("name", "version", "outputs"):
            if key in fields:
                try:
                    v = self.const(fields[key], module, env)
                    if key == "outputs":
                        if isinstance(v, list) and all(isinstance(o, str) for o in v):
                            pkg[key] = v
                    elif isinstance(v, (str, int)) and not isinstance(v, bool):
                        pkg[key] = str(v)
                except (Unknown, RecursionError, IndexError, TypeError):
                    if key == "version":
                        pkg[key] = self._version_prefix(fields[key], module, env) or pkg[key]
        if pkg["name"] is None:
            pkg["name"] = var or "unknown"
        if pkg["version"] is None:
            pkg["version"] = "0"
        return pkg


def _mentions(x: Any, name: str) -> bool:
    """Whether the symbol NAME occurs anywhere in datum X."""
    if isinstance(x, Symbol):
        return x.name == name
    if isinstance(x, list):
        return any(_mentions(e, name) for e in x)
    return False


def _str(x: Any) -> str:
    """X as a string, for string-append and friends."""
    if isinstance(x, (str, int)) and not isinstance(x, bool):
        return str(x)
    raise Unknown(x)


def py_quoted(x: Any) -> Any:
    if isinstance(x, Symbol):
        return x.name
    return x


def module_files(tree: str, prefix: str) -> list[str]:
    base = os.path.join(tree, *prefix.split("/"))
    out = []
    for dirpath, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "patches")
        out.extend(os.path.join(dirpath, f) for f in sorted(files) if f.endswith(".scm"))
    return out


def derive(trees: list[tuple[str, str]]) -> dict[str, list[list[Any]]]:
    """Module name -> rows, for every package module under the (tree, prefix) pairs."""
    index = Index()
    wanted: list[str] = []
    for tree, prefix in trees:
        for path in module_files(tree, prefix):
            before = set(index.defs)
            index.add_file(path, os.path.relpath(path, tree))
            wanted.extend(m for m in index.defs if m not in before)
    sys.setrecursionlimit(20000)
    out: dict[str, list[list[Any]]] = {}
    for module in wanted:
        rows = []
        for var in index.order[module]:
            d = index.defs[module][var]
            if not (d.public or var in index.exports[module]):
                continue
            pkg = index.package(module, var)
            if pkg is None:
                continue
            row: list[Any] = [var, "" if pkg["name"] == var else pkg["name"], pkg["version"],
                              index.lines.get((module, var), 0)]
            opts: dict[str, Any] = {}
            if isinstance(d.expr, Symbol) and d.expr.name in index.defs[module]:
                opts["a"] = d.expr.name  # the same package as another variable of the module
            if pkg["outputs"] != ["out"]:
                opts["o"] = pkg["outputs"]
            if pkg.get("hidden"):
                opts["h"] = 1
            if pkg.get("superseded"):
                opts["s"] = pkg["superseded"]
            if opts:
                row.append(opts)
            rows.append(row)
        out[module] = [index.files[module], rows]
    return out


def git(gitdir: str, *args: str, data: bytes | None = None) -> bytes:
    """The output of a git command on ``gitdir`` (a bare repository or a mirror)."""
    return subprocess.run(["git", "--git-dir", gitdir, *args], input=data, capture_output=True,
                          check=True).stdout


def read_blobs(gitdir: str, ids: list[str]) -> list[bytes | None]:
    """The contents of the blobs ``ids``, None for a blob the repository lacks."""
    raw = git(gitdir, "cat-file", "--batch", data=("\n".join(ids) + "\n").encode())
    out: list[bytes | None] = []
    pos = 0
    for _ in ids:
        header_end = raw.index(b"\n", pos)
        header = raw[pos:header_end].split()
        if header[-1] == b"missing":
            out.append(None)
            pos = header_end + 1
            continue
        size = int(header[2])
        out.append(raw[header_end + 1:header_end + 1 + size])
        pos = header_end + 1 + size + 1
    return out


def newest_readable(gitdir: str, commit: str, path: str) -> tuple[str, bytes] | None:
    """(commit, contents) of the newest version of ``path`` at or before ``commit`` whose
    blob the repository has, or None when it has none."""
    commits = git(gitdir, "log", "--format=%H", commit, "--", path).decode().split()
    for c in commits:
        try:
            blob = git(gitdir, "rev-parse", f"{c}:{path}").decode().strip()
        except subprocess.CalledProcessError:  # the commit deleted the file
            continue
        text = read_blobs(gitdir, [blob])[0]
        if text is not None:
            return c, text
    return None


def export_tree(gitdir: str, commit: str, prefixes: list[str], dest: str) -> dict[str, str]:
    """Write the .scm files under ``prefixes`` at ``commit`` into ``dest``; returns, for each
    file whose blob is missing at ``commit``, the commit its newest readable version is from."""
    entries = []
    for line in git(gitdir, "ls-tree", "-r", commit, "--", *prefixes).decode().splitlines():
        meta, path = line.split("\t", 1)
        if path.endswith(".scm") and meta.split()[1] == "blob":
            entries.append((path, meta.split()[2]))
    fallbacks: dict[str, str] = {}
    texts = read_blobs(gitdir, [b for _, b in entries])
    for (path, _), text in zip(entries, texts):
        if text is None:
            found = newest_readable(gitdir, commit, path)
            if found is None:
                print(f"warning: no readable version of {path}", file=sys.stderr)
                continue
            fallbacks[path], text = found
            print(f"{path}: blob missing at {commit[:12]}, read at {found[0][:12]}", file=sys.stderr)
        target = os.path.join(dest, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(text)
    return fallbacks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--guix", help="a Guix source tree (holding gnu/packages)")
    ap.add_argument("--nonguix", help="a nonguix source tree (holding nongnu/packages)")
    ap.add_argument("--guix-git", help="a Guix git directory, read at --guix-commit (default HEAD)")
    ap.add_argument("--nonguix-git", help="a nonguix git directory, read at --nonguix-commit")
    ap.add_argument("--guix-commit", default="")
    ap.add_argument("--nonguix-commit", default="")
    default_output = Path(__file__).resolve().parent.parent / "stdlib/gnu/packages/index.json"
    ap.add_argument("-o", "--output", default=str(default_output))
    args = ap.parse_args(argv)
    if bool(args.guix) == bool(args.guix_git):
        ap.error("give one of --guix and --guix-git")
    fallbacks: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="schemy-index-") as tmp:
        if args.guix_git:
            args.guix_commit = git(args.guix_git, "rev-parse", args.guix_commit or "HEAD").decode().strip()
            args.guix = os.path.join(tmp, "guix")
            fallbacks.update(export_tree(args.guix_git, args.guix_commit, ["gnu/packages"], args.guix))
        if args.nonguix_git:
            args.nonguix_commit = git(args.nonguix_git, "rev-parse",
                                      args.nonguix_commit or "HEAD").decode().strip()
            args.nonguix = os.path.join(tmp, "nonguix")
            fallbacks.update(export_tree(args.nonguix_git, args.nonguix_commit,
                                         ["nongnu/packages", "nongnu/system"], args.nonguix))
        return write_index(args, fallbacks)


def write_index(args: argparse.Namespace, fallbacks: dict[str, str]) -> int:
    """Derive the index from the trees ``args`` names and write it to ``args.output``."""
    trees = [(args.guix, "gnu/packages")]
    if args.nonguix:
        trees += [(args.nonguix, "nongnu/packages"), (args.nonguix, "nongnu/system")]
    modules = derive(trees)
    sources: dict[str, Any] = {"guix": args.guix_commit, "nonguix": args.nonguix_commit}
    if fallbacks:
        sources["fallbacks"] = dict(sorted(fallbacks.items()))
    data = {
        "format": 1,
        "sources": sources,
        "modules": modules,
    }
    with open(args.output, "w", encoding="utf-8") as fh:
        fh.write('{"format": 1,\n "sources": ' + json.dumps(data["sources"]) + ',\n "modules": {\n')
        items = sorted(modules.items())
        for i, (m, rows) in enumerate(items):
            fh.write(f"  {json.dumps(m)}: {json.dumps(rows, separators=(',', ':'))}")
            fh.write(",\n" if i + 1 < len(items) else "\n")
        fh.write(" }}\n")
    n = sum(len(r[1]) for r in modules.values())
    print(f"{len(modules)} modules, {n} package variables -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Derive tests/data/guix-record-fields.json: for every record type Guix's service, home
service, system and bootloader modules define with ``define-configuration`` (and
``/no-serialization``) or ``define-record-type*``, its constructor name and its field names,
each with whether it has a default.  tests/test_record_fields_complete.py checks schemy's
records of the same name in the same module accept every one of these fields, so a real
config that sets a Guix field schemy lacks is caught by the suite, not by a user.

Facts only (names, default or not, literal defaults); no documentation strings are read.  The Guix tree is a
bare git directory read with ``git ls-tree`` / ``git show`` (the snapshot mirror has no work
tree):

    tools/derive_record_fields.py GUIX.git [-o tests/data/guix-record-fields.json]

Output: {"source": COMMIT, "records": {"gnu services desktop": {"bluetooth-configuration":
{"type": "<bluetooth-configuration>", "fields": [NAME ...], "required": [NAME ...],
"defaults": {NAME: TEXT}}}}} where "required" lists the fields without a default (a
``define-configuration`` field with a ``maybe-`` type defaults to unset) and "defaults" the
defaults that are literals (numbers, strings, booleans, quoted data), as Scheme text."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = ("gnu/services/", "gnu/home/services/", "gnu/system/", "gnu/bootloader/")
FILES = ("gnu/bootloader.scm", "gnu/system.scm", "gnu/services.scm", "gnu/home/services.scm")
CONFIG_FORMS = {"define-configuration", "define-configuration/no-serialization"}
OPTION_CLAUSES = {"prefix", "no-serialization", "location"}


class Sym(str):
    """A symbol read from the source (strings stay plain ``str`` wrapped in ``Str``)."""


class Str(str):
    """A string literal."""


def git(gitdir: str, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", gitdir, *args], capture_output=True, check=True,
                          text=True, errors="replace").stdout


TOKEN = re.compile(r"""[^\s()\[\]";']+""")


def read_all(text: str) -> list[Any]:
    """A small reader for Guix source: lists, symbols, strings, chars, quotes, comments
    (``;``, ``#|...|#``, ``#;``).  Enough to find the record definitions' shape."""
    pos = 0
    n = len(text)

    def skip() -> None:
        nonlocal pos
        while pos < n:
            c = text[pos]
            if c.isspace():
                pos += 1
            elif c == ";":
                end = text.find("\n", pos)
                pos = n if end < 0 else end + 1
            elif text.startswith("#|", pos):
                depth, pos = 1, pos + 2
                while pos < n and depth:
                    if text.startswith("|#", pos):
                        depth, pos = depth - 1, pos + 2
                    elif text.startswith("#|", pos):
                        depth, pos = depth + 1, pos + 2
                    else:
                        pos += 1
            elif text.startswith("#;", pos):
                pos += 2
                datum()
            else:
                return

    def datum() -> Any:
        nonlocal pos
        skip()
        if pos >= n:
            raise EOFError
        c = text[pos]
        if c in "([":
            pos += 1
            items = []
            while True:
                skip()
                if pos >= n:
                    raise EOFError
                if text[pos] in ")]":
                    pos += 1
                    return items
                items.append(datum())
        if c in ")]":
            pos += 1
            return datum()
        if c == '"':
            pos += 1
            out = []
            while text[pos] != '"':
                if text[pos] == "\\":
                    out.append(text[pos:pos + 2])
                    pos += 2
                else:
                    out.append(text[pos])
                    pos += 1
            pos += 1
            return Str("".join(out))
        if c in "'`,":
            head = {"'": "quote", "`": "quasiquote", ",": "unquote"}[c]
            pos += 2 if text.startswith(",@", pos) else 1
            return [Sym(head), datum()]
        if text.startswith("#\\", pos):
            pos += 3
            m = TOKEN.match(text, pos)
            if m:
                pos = m.end()
            return Sym("#\\char")
        if text.startswith("#(", pos) or text.startswith("#vu8(", pos):
            pos = text.index("(", pos)
            return [Sym("#vector"), *datum()]
        m = TOKEN.match(text, pos)
        if not m:
            pos += 1
            return datum()
        pos = m.end()
        return Sym(m.group())

    forms = []
    while True:
        try:
            forms.append(datum())
        except EOFError:
            return forms


def literal(x: Any) -> str | None:
    """The Scheme text of X when it is a literal default (a number, string, boolean or
    quoted datum), else None: only such defaults are recorded, as facts to compare."""
    if isinstance(x, Str):  # the reader keeps a string's escapes as written
        return '"' + x + '"'
    if isinstance(x, Sym):
        if x in ("#t", "#true"):
            return "#t"
        if x in ("#f", "#false"):
            return "#f"
        return str(x) if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", x) else None
    def plain(y: Any) -> bool:  # no vector, character or (un)quasiquotation inside
        if isinstance(y, list):
            return all(plain(z) for z in y) and not (y and y[0] in ("#vector", "quasiquote", "unquote"))
        return y != "#\\char"

    if isinstance(x, list) and len(x) == 2 and x[0] == "quote" and plain(x[1]):
        def show(y: Any) -> str:
            if isinstance(y, list):
                return "(" + " ".join(show(z) for z in y) + ")"
            return '"' + y + '"' if isinstance(y, Str) else str(y)
        return "'" + show(x[1])
    return None


def config_fields(form: list[Any]) -> dict[str, Any]:
    """The fields of ``(define-configuration NAME CLAUSE ...)``."""
    fields, required, defaults = [], [], {}
    for clause in form[2:]:
        if not isinstance(clause, list) or not clause or not isinstance(clause[0], Sym):
            continue
        if clause[0] in OPTION_CLAUSES and len(clause) <= 2 and (len(clause) == 1 or isinstance(clause[1], Sym)):
            continue
        if len(clause) < 2:
            continue
        name, spec = clause[0], clause[1]
        fields.append(str(name))
        if isinstance(spec, list):
            # A default of (configuration-missing-field ...) is Guix's way of saying "required".
            missing = (len(spec) >= 2 and isinstance(spec[1], list) and bool(spec[1])
                       and spec[1][0] == "configuration-missing-field")
            has_default = (len(spec) >= 2 and not missing) or (bool(spec) and str(spec[0]).startswith("maybe-"))
        else:
            has_default = str(spec).startswith("maybe-")
        if not has_default:
            required.append(str(name))
        elif isinstance(spec, list) and len(spec) >= 2 and not missing and literal(spec[1]) is not None:
            defaults[str(name)] = literal(spec[1])
    return {"type": f"<{form[1]}>", "fields": fields, "required": required, "defaults": defaults}


def record_star_fields(form: list[Any]) -> dict[str, Any]:
    """The fields of ``(define-record-type* <T> ctor make-ctor pred [this] [#:opt v ...] FIELD ...)``."""
    rest = form[5:]
    if rest and isinstance(rest[0], Sym) and not rest[0].startswith("#:"):
        rest = rest[1:]
    while rest and isinstance(rest[0], Sym) and rest[0].startswith("#:"):
        rest = rest[2:]
    fields, required, defaults = [], [], {}
    for spec in rest:
        if not isinstance(spec, list) or not spec:
            continue
        fields.append(str(spec[0]))
        props = [p for p in spec[2:] if isinstance(p, list) and p]
        default = [p for p in props if p[0] == "default"]
        if not default:
            required.append(str(spec[0]))
        elif len(default[0]) == 2 and literal(default[0][1]) is not None:
            defaults[str(spec[0])] = literal(default[0][1])
    return {"type": str(form[1]), "fields": fields, "required": required, "defaults": defaults}


def records_of(forms: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def walk(form: Any) -> None:
        if not isinstance(form, list) or not form:
            return
        head = form[0]
        if head in CONFIG_FORMS and len(form) > 2 and isinstance(form[1], Sym):
            out[str(form[1])] = config_fields(form)
            return
        if head == "define-record-type*" and len(form) > 5 and isinstance(form[2], Sym):
            out[str(form[2])] = record_star_fields(form)
            return
        if head in ("begin", "eval-when", "cond-expand", "when", "unless"):
            for sub in form[1:]:
                walk(sub)

    for f in forms:
        walk(f)
    return out


def module_of(path: str) -> str:
    return " ".join(Path(path).with_suffix("").parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gitdir", help="Guix bare git directory")
    ap.add_argument("-o", "--output", default=str(ROOT / "tests/data/guix-record-fields.json"))
    args = ap.parse_args(argv)
    commit = git(args.gitdir, "rev-parse", "HEAD").strip()
    paths = [p for p in git(args.gitdir, "ls-tree", "-r", "--name-only", "HEAD", "gnu").splitlines()
             if p.endswith(".scm") and (p.startswith(PREFIXES) or p in FILES)]
    result: dict[str, Any] = {}
    for path in sorted(paths):
        recs = records_of(read_all(git(args.gitdir, "show", f"HEAD:{path}")))
        if recs:
            result[module_of(path)] = dict(sorted(recs.items()))
    total = sum(len(v) for v in result.values())
    Path(args.output).write_text(json.dumps({"source": commit, "records": result}, separators=(",", ":"),
                                            sort_keys=True) + "\n")
    print(f"{total} records in {len(result)} modules -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

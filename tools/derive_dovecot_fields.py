#!/usr/bin/env python3
"""Derive the Dovecot configuration records of stdlib/gnu/services/mail.scm from Guix's
gnu/services/mail.scm: for each `define-configuration' of the Dovecot part (dict-configuration
to opaque-dovecot-configuration), its fields in order, each with its type and default value
(facts: names, types, defaults; no documentation text is taken).  The generated forms replace
the region between the ";;; BEGIN derived dovecot fields" and ";;; END derived dovecot fields"
lines of mail.scm; the serializers (one per type) are written by hand in mail.scm.  Likewise
the text of the rspamd.conf Guix writes by default (`%default-rspamd-config-file'), between
";;; BEGIN derived rspamd config" and ";;; END derived rspamd config".

    tools/derive_dovecot_fields.py --guix-git GUIX.git [--commit REV] [--mail-scm FILE]
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN = ";;; BEGIN derived dovecot fields"
END = ";;; END derived dovecot fields"
FIRST, LAST = "dict-configuration", "opaque-dovecot-configuration"


def skip_atom(text: str, i: int) -> int:
    """The index after the datum (not a list) starting at i."""
    if text[i] == '"':
        i += 1
        while text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        return i + 1
    if text.startswith("#\\", i):
        i += 3
        while i < len(text) and not text[i].isspace() and text[i] not in "()":
            i += 1
        return i
    while i < len(text) and not text[i].isspace() and text[i] not in "()\";":
        i += 1
    return i


def skip_blank(text: str, i: int) -> int:
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text[i] == ";":
            i = text.index("\n", i) + 1
        else:
            break
    return i


def datum_end(text: str, i: int) -> int:
    """The index after the datum starting at i (lists, strings, quotes, chars)."""
    if text[i] in "'`,":
        return datum_end(text, skip_blank(text, i + 1 + (text[i:i + 2] == ",@")))
    if text[i] != "(":
        return skip_atom(text, i)
    i += 1
    while True:
        i = skip_blank(text, i)
        if text[i] == ")":
            return i + 1
        i = datum_end(text, i)


def items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) spans of the data inside the list text[start:end]."""
    out, i = [], start + 1
    while True:
        i = skip_blank(text, i)
        if i >= end - 1:
            return out
        j = datum_end(text, i)
        out.append((i, j))
        i = j


def configurations(text: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(name, [(field, type, default-text)]) of each define-configuration, in order."""
    out, i = [], 0
    while (i := text.find("(define-configuration ", i)) >= 0:
        end = datum_end(text, i)
        parts = items(text, i, end)
        name = text[parts[1][0]:parts[1][1]]
        fields = []
        for s, e in parts[2:]:
            if text[s] != "(":
                continue
            sub = items(text, s, e)
            field = text[sub[0][0]:sub[0][1]]
            spec = sub[1]
            spec_items = items(text, spec[0], spec[1])
            ftype = text[spec_items[0][0]:spec_items[0][1]]
            default = text[spec_items[1][0]:spec_items[1][1]] if len(spec_items) > 1 else ""
            fields.append((field, ftype, default))
        out.append((name, fields))
        i = end
    return out


def render(confs: list[tuple[str, list[tuple[str, str, str]]]], source: str) -> str:
    lines = [BEGIN, f";;; by tools/derive_dovecot_fields.py from Guix {source}; do not edit.", ""]
    for name, fields in confs:
        lines.append(f"(define-configuration {name}")
        for k, (field, ftype, default) in enumerate(fields):
            close = ")" if k == len(fields) - 1 else ""
            lines.append(f"  ({field} ({ftype} {default}) \"\"){close}")
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


RSPAMD_BEGIN = ";;; BEGIN derived rspamd config"
RSPAMD_END = ";;; END derived rspamd config"


def rspamd_config(text: str, source: str) -> str:
    """The definition of %default-rspamd-config-file: its plain-file's name and text, the
    string literal as Guix writes it."""
    start = text.index("(define %default-rspamd-config-file")
    define = items(text, start, datum_end(text, start))
    plain = items(text, define[2][0], define[2][1])
    name = text[plain[1][0]:plain[1][1]]
    literal = text[plain[2][0]:plain[2][1]]
    return "\n".join([RSPAMD_BEGIN, f";;; by tools/derive_dovecot_fields.py from Guix {source}; do not edit.",
                      "(define %default-rspamd-config-file",
                      f"  (plain-file {name} {literal}))", RSPAMD_END])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--guix-git", required=True)
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--mail-scm", default=str(ROOT / "stdlib/gnu/services/mail.scm"))
    args = ap.parse_args()
    commit = subprocess.run(["git", "-C", args.guix_git, "rev-parse", args.commit], check=True,
                            capture_output=True, text=True).stdout.strip()
    text = subprocess.run(["git", "-C", args.guix_git, "show", f"{commit}:gnu/services/mail.scm"],
                          check=True, capture_output=True, text=True).stdout
    confs = configurations(text)
    names = [n for n, _ in confs]
    confs = confs[names.index(FIRST):names.index(LAST) + 1]
    target = Path(args.mail_scm)
    current = target.read_text()
    head, rest = current.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    current = head + render(confs, commit) + tail
    if RSPAMD_BEGIN in current:
        head, rest = current.split(RSPAMD_BEGIN, 1)
        _, tail = rest.split(RSPAMD_END, 1)
        current = head + rspamd_config(text, commit) + tail
    target.write_text(current)
    print(f"{len(confs)} configurations, {sum(len(f) for _, f in confs)} fields")


if __name__ == "__main__":
    main()

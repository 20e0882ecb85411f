#!/usr/bin/env python3
"""Measure schemy on the Guix manual's own examples (issue 15): real configs copy them.

    tools/manual_examples.py [--guix-git DIR] [--jobs N] [--json OUT] [--keep DIR] [--show N]

Reads doc/guix.texi from a Guix tree (a bare git dir, default the mirror the project uses),
takes every ``@lisp`` block that is a whole config (an ``operating-system`` or
``home-environment``) or a service declaration (``(service ...)``, ``(simple-service ...)``, a
list of them), and runs ``schemy system check`` on it:

* a service declaration is placed in a minimal operating system (``%base-services`` plus it;
  home services in a minimal ``home-environment``);
* the modules a block needs are found from the names it uses: every name Guix exports
  (stdlib/gnu/channel-modules.json, stdlib/gnu/packages/index.json) from a module schemy has;
  a block that already has ``use-modules`` keeps them.

Blocks with placeholders (``@var``, ``@dots{}``, ``...``) are templates, not configs, and are
skipped.  The manual's text is read at run time and never written into the repository; with
``--keep DIR`` the wrapped files are left in DIR for reading.  Prints the figures and the
failures, grouped by their first error line.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DEFAULT_GIT = "/work/.mirror/kromka-chleba+guix/repo"
BLOCK = re.compile(r"^@lisp\n(.*?)^@end lisp", re.S | re.M)
SYMBOL = re.compile(r"[A-Za-z0-9!$%&*/:<=>?^_~+.@-]+")
LOCAL_FILE = re.compile(r'\(local-file\s+"([^"]+)"')
HOME_HINT = re.compile(r"\bhome-[a-z0-9-]+-service-type\b|\(home-environment\b")


def texinfo_to_text(block: str) -> str | None:
    """The Scheme text of a @lisp block, or None for a template."""
    if re.search(r"@var\{|@dots\{|@result\{|@print\{|@error\{|@expansion\{|@equiv\{", block):
        return None
    lines = [ln for ln in block.split("\n") if not ln.startswith("@c ") and ln.strip() != "@c"]
    text = "\n".join(lines)
    text = re.sub(r"@(code|samp|file|command|env|url|uref)\{([^{}]*)\}", r"\2", text)
    text = text.replace("@@", "\0").replace("@{", "{").replace("@}", "}").replace("\0", "@")
    if re.search(r"(^|[\s(])\.\.\.([\s)]|$)", text):
        return None
    return text


def top_forms(text: str) -> list[str] | None:
    """The top-level forms' texts (None when the block does not read as whole forms)."""
    forms, depth, start, i, n = [], 0, None, 0, len(text)
    while i < n:
        c = text[i]
        if c == ";":
            i = text.find("\n", i)
            if i < 0:
                break
            continue
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "#" and text.startswith("#\\", i):
            i += 3
            continue
        if c in "([":
            if depth == 0:
                start = i
            depth += 1
        elif c in ")]":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0 and start is not None:
                forms.append(text[start:i + 1])
                start = None
        elif depth == 0 and not c.isspace() and c not in "'`#,":
            # a bare top-level atom (a symbol naming the config): keep it
            m = SYMBOL.match(text, i)
            if m:
                forms.append(m.group(0))
                i = m.end()
                continue
        i += 1
    return forms if depth == 0 and forms else None


def classify(forms: list[str]) -> str | None:
    text = "\n".join(forms)
    if re.search(r"\(operating-system\b", text) and not re.search(r"\(operating-system-[a-z]", text) \
            or "(operating-system\n" in text:
        return "os"
    if "(home-environment" in text:
        return "home"
    if len(forms) == 1 and re.match(r"\((service|simple-service)\s", forms[0]):
        return "home-service" if HOME_HINT.search(forms[0]) else "service"
    if len(forms) == 1 and re.match(r"\((list|cons\*)\s+\((service|simple-service)\s", forms[0]):
        return "home-services" if HOME_HINT.search(forms[0]) else "services"
    if len(forms) == 1 and re.match(r"\((modify-services|append|cons\*?)\s", forms[0]) \
            and re.search(r"%(base|desktop)-services", forms[0]):
        return "services-expression"
    heads = [re.match(r"\(?([^\s()]*)", f).group(1) for f in forms]
    if len(forms) > 1 and all(h in ("define", "define-public", "use-modules", "use-service-modules",
                                    "use-package-modules") for h in heads[:-1]) \
            and heads[-1] in ("service", "simple-service"):
        return "home-service" if HOME_HINT.search(forms[-1]) else "service"
    if len(forms) == 1 and heads[0] in OS_FIELDS:
        return heads[0]
    return None


# A lone record of these goes into the operating system's field of that kind.
OS_FIELDS = {"file-system": "(file-systems (cons* (file-system (device \"/dev/sda1\") (mount-point \"/\") "
                            "(type \"ext4\")) {x} %base-file-systems))",
             "mapped-device": "(mapped-devices (list {x}))",
             "user-account": "(users (cons {x} %base-user-accounts))",
             "swap-space": "(swap-devices (list {x}))"}


class Names:
    """Which modules export a name, among the modules schemy has."""

    def __init__(self) -> None:
        data = json.loads((HERE / "stdlib/gnu/channel-modules.json").read_text())
        self.by_name: dict[str, list[str]] = {k: list(v) for k, v in data["names"].items()}
        index = json.loads((HERE / "stdlib/gnu/packages/index.json").read_text())
        for module, (_, packages) in index["modules"].items():
            for entry in packages:
                self.by_name.setdefault(entry[0], []).append(module)
        self.have = self._schemy_modules()

    @staticmethod
    def _schemy_modules() -> set[str]:
        have = set()
        for f in (HERE / "stdlib").rglob("*.scm"):
            rel = f.relative_to(HERE / "stdlib").with_suffix("")
            have.add(" ".join(rel.parts))
        index = json.loads((HERE / "stdlib/gnu/packages/index.json").read_text())
        have.update(index["modules"])
        return have

    def modules_for(self, text: str) -> list[str]:
        out: list[str] = []
        for sym in sorted(set(SYMBOL.findall(text))):
            mods = [m for m in self.by_name.get(sym, []) if m in self.have]
            if not mods:
                continue
            # a name several modules export: the service or system module, else the first
            pick = next((m for m in mods if m.startswith(("gnu services", "gnu home services", "gnu system"))),
                        mods[0])
            if pick not in out:
                out.append(pick)
        return out


OS_WRAP = """(use-modules (gnu) (guix gexp) (srfi srfi-1) (ice-9 match){modules})
(operating-system
  (host-name "example")
  (timezone "Europe/Paris")
  (locale "en_US.utf8")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4"))
                      %base-file-systems))
  (users (cons (user-account (name "alice") (group "users") (home-directory "/home/alice")
                             (supplementary-groups '("wheel")))
               %base-user-accounts))
  (services {services}))
"""

HOME_WRAP = """(use-modules (gnu home) (gnu home services) (gnu services) (guix gexp){modules})
(home-environment
  (services {services}))
"""


def wrap(kind: str, forms: list[str], names: Names) -> str:
    text = "\n".join(forms)
    mods = "".join(f" ({m})" for m in names.modules_for(text))
    prelude = ""
    if kind in ("service", "home-service") and len(forms) > 1:
        prelude, text = "\n".join(forms[:-1]) + "\n", forms[-1]
    if kind in OS_FIELDS:
        field = OS_FIELDS[kind].format(x=text)
        os_text = OS_WRAP.format(modules=mods, services="%base-services")
        key = "(" + field[1:field.index(" ")] + " "
        lines = [ln for ln in os_text.splitlines(keepends=True)]
        if key in os_text:  # replace the wrapper's own field of that kind
            start = os_text.index("  " + key)
            end = os_text.index("\n  (", start + 1)
            return os_text[:start] + "  " + field + os_text[end:]
        return "".join(lines[:-1]) + "  " + field + "\n" + lines[-1].replace("  (services", "  (services", 1)
    if kind == "services-expression":
        return OS_WRAP.format(modules=mods, services=text)
    if kind == "os" or kind == "home":
        if re.search(r"\(use-modules|\(use-service-modules|\(define-module", text):
            return text + "\n"
        return f"(use-modules (gnu) (gnu home) (guix gexp) (srfi srfi-1) (ice-9 match){mods})\n{text}\n"
    if kind == "service":
        return prelude_after_modules(OS_WRAP.format(modules=mods, services=f"(cons {text} %base-services)"),
                                     prelude)
    if kind == "services":
        return OS_WRAP.format(modules=mods, services=f"(append {text} %base-services)")
    if kind == "home-service":
        return prelude_after_modules(HOME_WRAP.format(modules=mods, services=f"(list {text})"), prelude)
    return HOME_WRAP.format(modules=mods, services=text)


def prelude_after_modules(text: str, prelude: str) -> str:
    """The example's own definitions go after the wrapper's use-modules line."""
    first, rest = text.split("\n", 1)
    return f"{first}\n{prelude}{rest}"


def check(path: Path, schemy: str) -> tuple[bool, str]:
    try:
        r = subprocess.run([schemy, "system", "check", str(path)], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False, "timeout"
    if r.returncode == 0:
        return True, ""
    out = (r.stderr + r.stdout).strip().splitlines()
    lines = [ln.split(": error: ", 1)[-1] for ln in out if ": error: " in ln or ln.startswith("error:")]
    if lines:
        return False, " | ".join(lines[:3])
    return False, out[-1] if out else "failed with no message"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--guix-git", default=DEFAULT_GIT)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json")
    ap.add_argument("--keep")
    ap.add_argument("--show", type=int, default=200)
    args = ap.parse_args()
    texi = subprocess.run(["git", f"--git-dir={args.guix_git}", "show", "HEAD:doc/guix.texi"],
                          capture_output=True, text=True, check=True).stdout
    names = Names()
    work = Path(args.keep or tempfile.mkdtemp(prefix="manual-examples-"))
    work.mkdir(parents=True, exist_ok=True)
    items = []
    skipped = collections.Counter()
    for m in BLOCK.finditer(texi):
        line = texi.count("\n", 0, m.start()) + 1
        text = texinfo_to_text(m.group(1))
        if text is None:
            skipped["template"] += 1
            continue
        forms = top_forms(text)
        if forms is None:
            skipped["unbalanced"] += 1
            continue
        kind = classify(forms)
        if kind is None:
            skipped["not a config or service"] += 1
            continue
        if kind in ("home", "home-service", "home-services") and "(operating-system" in text:
            kind = "os"
        f = work / f"guix-texi-{line}.scm"
        f.write_text(wrap(kind, forms, names))
        # The files the example names (its own key, config file...) are the reader's: empty
        # stand-ins, so that what is measured is the rest.
        for name in LOCAL_FILE.findall(text):
            target = work / name
            if not name.startswith("/") and ".." not in name and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("")
        items.append((line, kind, f))
    schemy = str(Path(sys.executable).with_name("schemy"))
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda it: (*it, *check(it[2], schemy)), items))
    by_kind = collections.Counter(k for _, k, _, _, _ in results)
    ok_kind = collections.Counter(k for _, k, _, ok, _ in results if ok)
    print(f"guix.texi @lisp blocks: {len(list(BLOCK.finditer(texi)))}; skipped: "
          + ", ".join(f"{n} {k}" for k, n in skipped.items()))
    for k in sorted(by_kind):
        print(f"  {k}: {ok_kind[k]}/{by_kind[k]} pass system check")
    total_ok = sum(ok_kind.values())
    print(f"all: {total_ok}/{len(results)} ({100 * total_ok / max(1, len(results)):.0f}%)")
    failures = [(line, kind, f, msg) for line, kind, f, ok, msg in results if not ok]
    for line, kind, _file, msg in failures[:args.show]:
        print(f"guix.texi:{line} [{kind}] {msg[:200]}")
    if args.json:
        Path(args.json).write_text(json.dumps(
            [{"line": line, "kind": kind, "file": str(f), "ok": ok, "error": msg}
             for line, kind, f, ok, msg in results], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

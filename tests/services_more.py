"""Helpers of the tests/test_services_*_more.py files: one system built per test module, with
the services under test, and what its shepherd file and store files say."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import build_config, minimal_os


def build_services(base: Path, modules: str, services: str):
    """The built system whose services are SERVICES (Scheme text) besides %base-services."""
    config = base / "config.scm"
    config.write_text(minimal_os(f"(cons* {services} %base-services)", f"(gnu) {modules}"))
    return build_config(config, base / "store")


def by_provision(built) -> dict:
    return {p: s for s in built.shepherd for p in s.provision}


def start_of(built, provision: str) -> str:
    """The start form of the service providing PROVISION, as the shepherd file holds it."""
    text = Path(built.shepherd_file).read_text()
    m = re.search(r"\(service '\((?:[^()]* )?" + re.escape(provision)
                  + r"[ )](?:(?!\n\(service ).)*?#:start (.*?)\n\s*#:stop", text, re.S)
    assert m, provision
    return m.group(1)


def store_file(form: str, suffix: str) -> Path:
    """The store file named in FORM whose name ends in SUFFIX."""
    m = re.search(r'"(/[^"]*' + re.escape(suffix) + ')"', form)
    assert m, (suffix, form)
    return Path(m.group(1))


def command_line(form: str) -> list[str]:
    """The arguments of the first (list ...) in FORM, the command line of a forkexec constructor:
    its strings, a (string-append ...) being the concatenation of its strings."""
    start = form.index("(list ")
    items: list[str] = []
    depth, i, current = 0, start, None
    while True:
        c = form[i]
        if c == '"':
            j = i + 1
            while form[j] != '"':
                j += 2 if form[j] == "\\" else 1
            text = form[i + 1:j].replace('\\"', '"')
            if depth == 1:
                items.append(text)
            elif current is not None:
                current += text
            i = j + 1
            continue
        if c == "(":
            depth += 1
            if depth == 2:
                current = ""
        elif c == ")":
            if depth == 2 and current is not None:
                items.append(current)
                current = None
            depth -= 1
            if depth == 0:
                return items
        i += 1


def lowered_text(obj, store_dir: Path) -> str:
    """The text of the file-like OBJ, lowered into a store at STORE_DIR."""
    from schemy.guix.gexp import lower_object
    from schemy.guix.store import Store

    return Path(lower_object(obj, Store(store_dir))).read_text()


def lowered_start(interp, service_expr: str, store_dir: Path) -> str:
    """The start gexp of the shepherd service SERVICE_EXPR (Scheme text), lowered and written:
    for services shown as the host's, whose start the shepherd file leaves out."""
    from schemy.guix.gexp import lower_gexp
    from schemy.guix.store import Store
    from schemy.lang.printer import write_string

    start = interp.run_protected(lambda: interp.eval_string(
        f"((@ (gnu services shepherd) shepherd-service-start) {service_expr})", "t.scm"))
    return write_string(lower_gexp(start, Store(store_dir)))

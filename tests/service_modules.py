"""What the tests of the Guix service modules share: the names Guix exports from a module
(stdlib/gnu/channel-modules.json, derived from the Guix tree by tools/derive_channel_modules.py),
the names of those a schemy module lacks, and a file-like object's lowered text.
Imported as ``from service_modules import ...`` (pytest puts tests/ on the path)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from helpers import ev, minimal_os

from schemy.guix.gexp import CURRENT_STORE
from schemy.guix.store import Store
from schemy.runtime.parameters import parameterized

ROOT = Path(__file__).resolve().parent.parent


@cache
def _names() -> dict[str, list[str]]:
    return json.loads((ROOT / "stdlib/gnu/channel-modules.json").read_text())["names"]


def guix_exports(module: str) -> list[str]:
    """The names Guix's module MODULE (\"gnu services dict\") exports."""
    return sorted(n for n, mods in _names().items() if module in mods)


def missing_exports(interp: Any, module: str) -> list[str]:
    """The names Guix exports from MODULE that schemy's module of that name does not."""
    names = guix_exports(module)
    assert names, f"no Guix exports known for ({module})"
    mod = ev(interp, f"(resolve-module '({module}))")
    public = {s.name for s in mod.exports | mod.reexports}
    return [n for n in names
            if n not in public or not ev(interp, f"(defined? '{n} (resolve-module '({module})))")]


def lowered(interp: Any, store_dir: Path, modules: str, expr: str) -> str:
    """The text of the file-like object EXPR (with MODULES used) once lowered into a store."""
    with parameterized([(CURRENT_STORE, Store(store_dir))]):
        path = ev(interp, f"(use-modules (guix gexp) {modules}) (lower-object {expr})")
    return Path(str(path)).read_text()


def os_config(tmp_path: Path, modules: str, services: str) -> Path:
    """A small operating-system config using MODULES whose services are SERVICES plus the base."""
    path = tmp_path / "config.scm"
    path.write_text(minimal_os(f"(cons* {services} %base-services)", f"(gnu) {modules}"))
    return path


def home_build(interp: Any, tmp_path: Path, modules: str, services: str) -> Any:
    """What ``schemy home build`` makes of a home-environment using MODULES with SERVICES."""
    from schemy.system.home import build_home

    path = tmp_path / "home.scm"
    path.write_text(f"(use-modules (gnu home) (gnu home services) (gnu services) (guix gexp) {modules})\n"
                    f"(home-environment (services (list {services})))\n")
    return interp.run_protected(lambda: build_home(interp, str(path), Store(tmp_path / "store")))

"""Building a Guix Home environment: home-environment -> folded home services -> the
home generation directory, and putting a generation in place in a home directory.

The generation is a store item, like Guix's ``/gnu/store/...-home``: ``profile``,
``files`` (what the home directory links to: ``.bashrc``, ``.config/...``),
``setup-environment``, ``activate``, ``on-first-login``.  ``install_home`` does what
Guix's symlink manager does on activation, in a directory that stands for $HOME (never
the user's real one unless asked): each file of ``files`` is linked from it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemy.guix.store import Store
from schemy.lang.datum import Symbol, Values, list_to_python, make_list
from schemy.lang.errors import scheme_error
from schemy.system import progress


@dataclass
class BuiltHome:
    """A built home generation: its store item and the files of the home directory."""

    path: str
    files: dict[str, str]  # name relative to $HOME -> store file it links to
    shepherd_services: list[str]


def _module(interp: Any, *name: str) -> Any:
    return interp.resolve_module(make_list([Symbol(n) for n in name]))


def fold_home_environment(interp: Any, he: Any) -> tuple[list, Any, Any]:
    """The instantiated home services, the folded root service, and a procedure giving each
    service's folded value."""
    home = _module(interp, "gnu", "home")
    services_mod = _module(interp, "gnu", "services")
    home_services = _module(interp, "gnu", "home", "services")
    services = home.value("home-environment-services")(he)
    from schemy.lang.datum import Keyword

    result = services_mod.value("fold-services*")(services, Keyword("target-type"),
                                                 home_services.value("home-service-type"))
    if not isinstance(result, Values) or len(result) != 3:
        raise scheme_error("fold-services* did not return three values")
    root, value_of, all_services = result
    return list_to_python(all_services), root, value_of


def _files_of(generation: Path) -> dict[str, str]:
    """Each file of the generation's ``files`` directory, by its name relative to $HOME: a
    directory (a recursive local-file, say) counts by its files, which are linked one by one
    as Guix's symlink manager does, so that other files may go next to them."""
    files: dict[str, str] = {}
    top = generation / "files"

    def walk(d: Path, prefix: str) -> None:
        for child in sorted(d.iterdir()):
            rel = prefix + child.name
            if child.is_dir():  # following links: a linked directory is walked too
                walk(child, rel + "/")
            else:
                files[rel] = str(child)

    if top.is_dir():
        walk(top, "")
    return files


def build_home(interp: Any, config_path: str, store: Store) -> BuiltHome:
    """Evaluate ``config_path`` (a file ending with a home-environment) and realize it."""
    from schemy.guix.gexp import CURRENT_STORE, lower_object
    from schemy.runtime.parameters import parameterized
    from schemy.runtime.records import record_ref
    from schemy.system.config import load_home_environment

    progress.report(f"evaluating {config_path}")
    he = load_home_environment(interp, config_path)
    with parameterized([(CURRENT_STORE, store)]):
        progress.report("folding home services")
        all_services, root, value_of = fold_home_environment(interp, he)
        progress.report(f"building the home generation of {len(all_services)} services")
        item = lower_object(record_ref(root, Symbol("value")), store)
    shepherd = []
    for s in all_services:
        if record_ref(record_ref(s, Symbol("type")), Symbol("name")) is Symbol("home-shepherd"):
            for svc in list_to_python(record_ref(value_of(s), Symbol("services"))):
                shepherd.append(list_to_python(record_ref(svc, Symbol("provision")))[0].name)
    return BuiltHome(item, _files_of(Path(store.local(item))), shepherd)


def install_home(built: BuiltHome, store: Store, home_dir: Path) -> list[str]:
    """Link the generation's files from HOME_DIR (what the symlink manager does on
    activation) and point HOME_DIR/.guix-home at the generation.  A file already in the way
    that is not such a link is moved to HOME_DIR/.guix-home-backup/.  Returns the names linked."""
    home_dir.mkdir(parents=True, exist_ok=True)
    backup = home_dir / ".guix-home-backup"
    generation = Path(store.local(built.path))
    linked = []
    for rel in sorted(built.files):
        target = home_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()
        elif target.exists():
            saved = backup / rel
            saved.parent.mkdir(parents=True, exist_ok=True)
            target.rename(saved)
        os.symlink(generation / "files" / rel, target)
        linked.append(rel)
    pointer = home_dir / ".guix-home"
    if pointer.is_symlink():
        pointer.unlink()
    os.symlink(generation, pointer)
    return linked

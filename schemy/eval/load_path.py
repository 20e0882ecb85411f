"""Where modules are searched: the load path a new interpreter starts with.

In order, as Guix and Guile build theirs:

1. the directories given on the command line (``-L DIR``);
2. ``GUIX_PACKAGE_PATH`` (colon-separated): Guix puts it in front of Guile's load path
   (gnu/packages.scm), so a user's channel checkout wins over Guix's own modules;
3. ``GUILE_LOAD_PATH`` (colon-separated): Guile puts it in front of its own directories;
4. ``SCHEMY_LOAD_PATH`` (schemy's own, colon-separated);
5. schemy's library (stdlib/), which stands for Guile's and Guix's installed modules.

One exception keeps a Guix machine working: a directory of the environment variables that
holds an installation of Guix or Guile themselves (``guix/gexp.scm``, ``ice-9/boot-9.scm``:
on Guix System, ``GUILE_LOAD_PATH`` names the system profile's modules) goes after
schemy's library.  schemy implements those modules itself and cannot run Guix's or Guile's
own code for them; every other module of such a directory (guile-json, a channel...) is
still found there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ENVIRONMENT_VARIABLES = ("GUIX_PACKAGE_PATH", "GUILE_LOAD_PATH", "SCHEMY_LOAD_PATH")

# Files only an installation (or source tree) of Guix or Guile has.
_IMPLEMENTATION_MARKERS = ("guix/gexp.scm", "guix/gexp.go", "ice-9/boot-9.scm", "ice-9/boot-9.go")


def holds_guix_or_guile(directory: str) -> bool:
    """Whether ``directory`` is (part of) an installation of Guix or Guile themselves."""
    return any(os.path.isfile(os.path.join(directory, m)) for m in _IMPLEMENTATION_MARKERS)


def split_path(value: str | None) -> list[str]:
    """The directories of a colon-separated search path, empty entries dropped (as Guix's
    ``string-tokenize`` and Guile's ``parse-path`` do)."""
    return [p for p in (value or "").split(":") if p]


def initial_load_path(given: list[str], stdlib: str,
                      environ: Mapping[str, str] | None = None) -> list[str]:
    """The load path of a new interpreter: ``given`` (-L), the environment's, the library."""
    env = os.environ if environ is None else environ
    front = list(given)
    back: list[str] = []
    for variable in ENVIRONMENT_VARIABLES:
        for d in split_path(env.get(variable)):
            target = back if holds_guix_or_guile(d) else front
            if d not in front and d not in back:
                target.append(d)
    return [*front, stdlib, *back]


def package_module_path(given: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """The directories whose every module is a package module, besides Guix's own
    (gnu packages ...): ``-L`` directories and ``GUIX_PACKAGE_PATH``, as Guix's
    ``%package-module-path`` (``guix system -L DIR`` puts DIR there too), so that
    ``specification->package`` finds a channel's packages.  Not ``GUILE_LOAD_PATH``."""
    env = os.environ if environ is None else environ
    out: list[str] = []
    for d in [*given, *split_path(env.get("GUIX_PACKAGE_PATH"))]:
        if d not in out and not holds_guix_or_guile(d):
            out.append(d)
    return out

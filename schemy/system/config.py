"""Loading a ``config.scm``: the module it runs in and the operating system it yields.

The original evaluates a configuration in a module that already uses
``(gnu system)``, ``(gnu services)`` and ``(gnu system shadow)``; schemy also
makes ``(gnu)`` visible there so that a config calling ``use-package-modules``
without importing ``(gnu)`` runs as printed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from schemy.lang.errors import scheme_error

CONFIG_MODULES = [("gnu",), ("gnu", "system"), ("gnu", "services"), ("gnu", "system", "shadow")]


def make_config_module(interp: Any, path: str) -> Any:
    """A fresh module for one config file, seeing the modules every config sees."""
    from schemy.runtime.modules import Interface

    name = ("schemy-config", os.path.basename(path))
    module = interp.make_module(name, None)
    for spec in CONFIG_MODULES:
        if interp.find_module_file(spec) is None:
            continue
        module.use(Interface(interp.resolve_module(_spec_datum(spec))))
    return module


def _spec_datum(spec: tuple[str, ...]) -> Any:
    from schemy.lang.datum import Symbol, make_list

    return make_list([Symbol(p) for p in spec])


def load_config(interp: Any, path: str) -> Any:
    """Evaluate the config file at ``path``; its last value (normally an operating-system)."""
    p = Path(path)
    if not p.is_file():
        raise scheme_error(f"{path}: no such configuration file", kind="system-error")
    module = make_config_module(interp, str(p.resolve()))
    return interp.load_file(path, module, library=module)  # replayed from the module cache when unchanged


def load_operating_system(interp: Any, path: str) -> Any:
    """Like ``load_config`` but insist that the result is an operating-system record."""
    return ensure_operating_system(load_config(interp, path), path)


def is_home_environment(value: Any) -> bool:
    from schemy.runtime.records import Record

    return isinstance(value, Record) and value.rtd.name == "<home-environment>"


def load_system_or_home(interp: Any, path: str) -> Any:
    """The operating-system or the home-environment the config file at ``path`` ends with
    (``system check`` checks either)."""
    value = load_config(interp, path)
    return value if is_home_environment(value) else ensure_operating_system(value, path)


def ensure_operating_system(value: Any, path: str) -> Any:
    """VALUE, the last value of the config at PATH, if it is an operating-system record;
    otherwise an error located at the file's last form."""
    from schemy.runtime.records import Record

    if not (isinstance(value, Record) and value.rtd.name == "<operating-system>"):
        from schemy.lang.printer import write_string

        loc, empty = _last_form_location(path)
        if empty:
            raise scheme_error("the configuration is empty: it declares no operating-system",
                               kind="wrong-type-arg", loc=loc,
                               hint="end the file with an (operating-system ...) form")
        shown = write_string(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        raise scheme_error(f"the configuration's last expression is {shown}, not an operating-system",
                           kind="wrong-type-arg", loc=loc,
                           hint="end the file with an (operating-system ...) form")
    return value


HOME_CONFIG_MODULES = [("gnu",), ("gnu", "home"), ("gnu", "home", "services"), ("gnu", "services")]


def load_home_environment(interp: Any, path: str) -> Any:
    """Evaluate a Guix Home configuration file; its last value must be a home-environment.
    As ``guix home`` does, the file runs in a module that sees (gnu home) and (gnu services)."""
    from schemy.lang.printer import write_string
    from schemy.runtime.modules import Interface
    from schemy.runtime.records import Record

    p = Path(path)
    if not p.is_file():
        raise scheme_error(f"{path}: no such configuration file", kind="system-error")
    module = interp.make_module(("schemy-home-config", os.path.basename(path)), None)
    for spec in HOME_CONFIG_MODULES:
        if interp.find_module_file(spec) is not None:
            module.use(Interface(interp.resolve_module(_spec_datum(spec))))
    value = interp.load_file(path, module, library=module)
    if not (isinstance(value, Record) and value.rtd.name == "<home-environment>"):
        loc, empty = _last_form_location(path)
        shown = "nothing" if empty else write_string(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        raise scheme_error(f"the configuration's last expression is {shown}, not a home-environment",
                           kind="wrong-type-arg", loc=loc,
                           hint="end the file with a (home-environment ...) form")
    return value


def _last_form_location(path: str) -> tuple[Any, bool]:
    """(location of the last top-level form of ``path``, whether the file has no form at all)."""
    from schemy.lang.datum import SourceLocation
    from schemy.lang.reader import read

    forms = read(Path(path).read_text(encoding="utf-8"), path)
    loc = getattr(forms[-1], "loc", None) if forms else None
    return loc or SourceLocation(path, 1, 0), not forms

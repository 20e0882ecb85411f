"""The composition root: the one place that assembles an interpreter from every layer.

``schemy.eval.Interpreter`` alone is Guile: its core module holds what Guile's ``(guile)``
holds.  A program that runs Guix configurations also needs the Guix modules implemented in
Python (gexps, packages) and the Shepherd's and mcron's (for service code); this module
offers them, to be loaded when a program imports them.
"""

from __future__ import annotations

from typing import Any

from schemy.eval import interpreter
from schemy.guix import natives as guix_natives
from schemy.shepherd import natives as shepherd_natives


class Interpreter(interpreter.Interpreter):
    """An interpreter that can load every module of schemy's library."""

    def __init__(self, load_path: list[str] | None = None, args: list[str] | None = None) -> None:
        super().__init__(load_path=load_path, args=args)
        guix_natives.install(self)
        shepherd_natives.install(self)
        _guard_environment_readers(self)


# Procedures of the native modules that reveal the process environment: a sandboxed
# program (``schemy system check``, ``--sandbox``) may not call them.
ENVIRONMENT_READERS = ("default-environment-variables",)


def _guard_environment_readers(interp: interpreter.Interpreter) -> None:
    from schemy.runtime.sandbox import check_environment_read

    def guarded(name: str, proc: Any) -> Any:
        def reader(*args: Any) -> Any:
            check_environment_read(name)
            return proc(*args)

        reader.__doc__ = proc.__doc__
        reader.scheme_name = name  # type: ignore[attr-defined]
        return reader

    def guard(bindings: dict[str, Any]) -> dict[str, Any]:
        hits = [n for n in ENVIRONMENT_READERS if n in bindings]
        if hits:
            bindings = dict(bindings)
            for n in hits:
                bindings[n] = guarded(n, bindings[n])
        return bindings

    def guarded_loader(loader: Any) -> Any:
        def load() -> tuple[dict[str, Any], dict[str, Any]]:
            bindings, forms = loader()
            return guard(bindings), forms

        return load

    for module, (bindings, forms) in list(interp.native_modules.items()):
        interp.native_modules[module] = (guard(bindings), forms)
    for module, loader in list(interp.native_loaders.items()):
        interp.native_loaders[module] = guarded_loader(loader)

"""The interpreter and module service configs are evaluated in."""

from __future__ import annotations

from typing import Any


def service_interpreter(load_path: list[str] | None = None) -> Any:
    """An interpreter for service code: Guile, plus the Shepherd's, mcron's and Guix's modules."""
    from schemy.eval.interpreter import Interpreter
    from schemy.guix import natives as guix_natives
    from schemy.shepherd import natives

    interp = Interpreter(load_path=load_path)
    guix_natives.install(interp)
    natives.install(interp)
    return interp


# What service code sees without importing anything, as under the Shepherd: its service API,
# mcron's job specifications, and schemy's explanations of programs the host lacks.
SERVICE_CODE_MODULES = [("shepherd", "service"), ("shepherd", "service", "timer"), ("mcron", "job-specifier"),
                        ("schemy", "packages"),
                        ("guix", "build", "utils")]


def scheme_config_module(interp: Any) -> Any:
    """The module a service config is evaluated in (made once per interpreter)."""
    from schemy.lang.datum import Symbol, make_list
    from schemy.runtime.modules import Interface

    existing = interp.modules.get(("schemy", "service-config"))
    if existing is not None:
        return existing
    cfg = interp.make_module(("schemy", "service-config"))
    for name in SERVICE_CODE_MODULES:
        cfg.use(Interface(interp.resolve_module(make_list([Symbol(n) for n in name]))))
    return cfg

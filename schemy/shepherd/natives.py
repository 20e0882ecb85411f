"""The Shepherd and mcron modules implemented in Python, offered to an interpreter.

Only code that runs under the service manager (start and stop procedures, actions, mcron job
specifications) or imports these modules sees ``make-forkexec-constructor``, ``service``,
``job``...: they are not in Guile's core module.
"""

from __future__ import annotations

from typing import Any

from schemy.shepherd import mcron, service

SHEPHERD_MODULES = [("shepherd", "service"), ("shepherd", "support")]
MCRON_MODULES = [("mcron", "job-specifier"), ("mcron",)]


def install(interp: Any) -> None:
    shepherd_bindings = dict(service.PRIMITIVES)
    for name, value in service.SIGNALS.items():
        shepherd_bindings.setdefault(name, value)
    for name in SHEPHERD_MODULES:
        interp.add_native_module(name, shepherd_bindings)
    for name in MCRON_MODULES:
        interp.add_native_module(name, mcron.PRIMITIVES)

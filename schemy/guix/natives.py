"""The Guix modules implemented in Python, offered to an interpreter.

``(guix gexp)`` is gexps and file-like objects (with the ``gexp`` syntax that ``#~`` reads
as); ``(schemy packages)`` is the host-facing half of ``(guix packages)``: finding programs on
this host and explaining what is missing.  Nothing here is in Guile's core module.
"""

from __future__ import annotations

from typing import Any

from schemy.eval import library_index
from schemy.guix import catalogue, gexp, packages


def install(interp: Any) -> None:
    interp.add_native_module(("guix", "gexp"), gexp.PRIMITIVES, gexp.SPECIAL_FORMS)
    interp.add_native_module(("schemy", "packages"), {**packages.PRIMITIVES, **catalogue.PRIMITIVES})
    interp.module_providers.append(catalogue.provide_module)
    if catalogue.variables not in library_index.EXPORT_SOURCES:
        library_index.EXPORT_SOURCES.append(catalogue.variables)

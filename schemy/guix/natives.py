"""The Guix modules implemented in Python, offered to an interpreter.

``(guix gexp)`` is gexps and file-like objects (with the ``gexp`` syntax that ``#~`` reads
as); ``(schemy packages)`` is the host-facing half of ``(guix packages)``: finding programs on
this host and explaining what is missing; ``(guix build utils)`` is the file and process
helpers of build and activation code (``mkdir-p``, ``invoke``, ``with-directory-excursion``...).
Nothing here is in Guile's core module.
"""

from __future__ import annotations

from typing import Any

from schemy.guix import build_utils, gexp, packages


def install(interp: Any) -> None:
    interp.add_native_module(("guix", "gexp"), gexp.PRIMITIVES, gexp.SPECIAL_FORMS)
    interp.add_native_module(("schemy", "packages"), packages.PRIMITIVES)
    interp.add_native_module(("guix", "build", "utils"), build_utils.PRIMITIVES, build_utils.SPECIAL_FORMS)

"""The Guix modules implemented in Python, offered to an interpreter.

``(guix gexp)`` is gexps and file-like objects (with the ``gexp`` syntax that ``#~`` reads
as); ``(schemy packages)`` is the host-facing half of ``(guix packages)``: finding programs on
this host and explaining what is missing; ``(guix build utils)`` is the file and process
helpers of build and activation code (``mkdir-p``, ``invoke``, ``with-directory-excursion``...).
Nothing here is in Guile's core module.
"""

from __future__ import annotations

from typing import Any

from schemy.eval import library_index
from schemy.lang.datum import Symbol


def posix_crypt(key: Any, salt: Any) -> str:
    """Guile's ``crypt``: the C library's crypt(3) of KEY with SALT ("$6$..." for SHA-512)."""
    import ctypes

    from schemy.lang.datum import to_str
    from schemy.lang.errors import scheme_error

    lib = None
    for name in ("libcrypt.so.1", "libcrypt.so.2", "libcrypt.so"):
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    if lib is None:
        raise scheme_error("crypt: the C library's crypt(3) is missing on this host",
                           hint="install the Debian package libcrypt1")
    lib.crypt.restype = ctypes.c_char_p
    lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    out = lib.crypt(to_str(key).encode(), to_str(salt).encode())
    if not out or out.startswith(b"*"):
        raise scheme_error(f"crypt: invalid salt {to_str(salt)!r}", kind="system-error")
    return out.decode()


def _gexp() -> tuple[dict[str, Any], dict[str, Any]]:
    from schemy.guix import gexp

    return gexp.PRIMITIVES, gexp.SPECIAL_FORMS


def _packages() -> tuple[dict[str, Any], dict[str, Any]]:
    from schemy.guix import catalogue, packages

    return {**packages.PRIMITIVES, **catalogue.PRIMITIVES}, {}


def _build_utils() -> tuple[dict[str, Any], dict[str, Any]]:
    from schemy.guix import build_utils

    return build_utils.PRIMITIVES, build_utils.SPECIAL_FORMS


# The first name of every catalogue module ((gnu packages ...), (nongnu packages ...)): other
# names are not the catalogue's, so asking for (rnrs base) or (srfi srfi-9) neither imports it
# nor loads its 1 MB index (7 MB of Python objects kept for the rest of the run).
CATALOGUE_ROOTS = frozenset(("gnu", "nongnu"))


def provide_catalogue_module(interp: Any, name: tuple[str, ...]) -> Any:
    """The package catalogue's module NAME (schemy.guix.catalogue.provide_module), or None."""
    if not name or name[0] not in CATALOGUE_ROOTS:
        return None
    from schemy.guix import catalogue

    return catalogue.provide_module(interp, name)


def catalogue_variables() -> dict[str, list[tuple[str, ...]]]:
    """Variable name -> the catalogue modules exporting it (schemy.guix.catalogue.variables)."""
    from schemy.guix import catalogue

    return catalogue.variables()


def _http() -> tuple[dict[str, Any], dict[str, Any]]:
    from schemy.guix import http_natives

    return http_natives.PRIMITIVES, {}


def _codecs() -> tuple[dict[str, Any], dict[str, Any]]:
    from schemy.guix import codecs

    return codecs.PRIMITIVES, {}


def install(interp: Any) -> None:
    """Offer the Guix modules to ``interp``; their Python is imported when a program first
    uses one (``schemy eval -e 1`` never does)."""
    interp.add_lazy_native_module(("guix", "gexp"), _gexp)
    interp.add_lazy_native_module(("schemy", "packages"), _packages)
    interp.add_lazy_native_module(("guix", "build", "utils"), _build_utils)
    interp.add_lazy_native_module(("schemy", "http"), _http)
    interp.add_lazy_native_module(("schemy", "codecs"), _codecs)
    interp.module_providers.append(provide_catalogue_module)
    # Guile's (crypt KEY SALT), which Guix's templates use for initial passwords.
    interp.core.define(Symbol("crypt"), posix_crypt)
    interp.core.export(Symbol("crypt"))
    if catalogue_variables not in library_index.EXPORT_SOURCES:
        library_index.EXPORT_SOURCES.append(catalogue_variables)

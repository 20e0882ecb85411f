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
from schemy.guix import build_utils, catalogue, gexp, packages
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


def install(interp: Any) -> None:
    interp.add_native_module(("guix", "gexp"), gexp.PRIMITIVES, gexp.SPECIAL_FORMS)
    interp.add_native_module(("schemy", "packages"), {**packages.PRIMITIVES, **catalogue.PRIMITIVES})
    interp.add_native_module(("guix", "build", "utils"), build_utils.PRIMITIVES, build_utils.SPECIAL_FORMS)
    interp.module_providers.append(catalogue.provide_module)
    # Guile's (crypt KEY SALT), which Guix's templates use for initial passwords.
    interp.core.define(Symbol("crypt"), posix_crypt)
    interp.core.export(Symbol("crypt"))
    if catalogue.variables not in library_index.EXPORT_SOURCES:
        library_index.EXPORT_SOURCES.append(catalogue.variables)

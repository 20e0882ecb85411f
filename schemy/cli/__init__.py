"""The ``schemy`` command line.

Importing this package (the ``schemy`` command does so first) lets Python keep the byte code
of the modules it compiles in schemy's own cache when it would otherwise keep none: with
``PYTHONDONTWRITEBYTECODE`` set and schemy run from a source tree (a checkout or an editable
install, whose modules carry no ``__pycache__``), every start would recompile schemy's ~150
modules, about 0.1-0.2 s.  Python then writes and reads them under
``$XDG_CACHE_HOME/schemy/pycache`` (``sys.pycache_prefix``), a directory private to the user,
and never next to the sources.  An installed wheel is byte-compiled by pip at install time
and is left alone, as is any run with ``SCHEMY_NO_CACHE`` or an explicit
``PYTHONPYCACHEPREFIX``.
"""

from __future__ import annotations

import os
import sys


def use_bytecode_cache() -> str | None:
    """Point Python's byte-code cache at schemy's own cache directory when schemy's modules
    would otherwise be recompiled on every start; the directory used, if any."""
    if not sys.dont_write_bytecode or sys.pycache_prefix is not None or os.environ.get("SCHEMY_NO_CACHE"):
        return None
    here = os.path.dirname(os.path.abspath(__file__))
    tag = sys.implementation.cache_tag
    if tag is None or os.path.exists(os.path.join(here, "__pycache__", f"main.{tag}.pyc")):
        return None  # byte-compiled where it lies (pip's install of a wheel, `make bytecode`)
    from pathlib import Path

    from schemy.compile.cache_files import private_dir

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = private_dir(Path(base) / "schemy" / "pycache")
    if directory is None:
        return None
    sys.pycache_prefix = str(directory)
    sys.dont_write_bytecode = False
    BYTECODE_DIR.append(sys.pycache_prefix)
    return sys.pycache_prefix


BYTECODE_DIR: list[str] = []  # the directory use_bytecode_cache chose, if any

use_bytecode_cache()

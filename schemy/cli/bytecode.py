"""schemy's own byte code, kept in schemy's cache when Python would keep none.

With ``PYTHONDONTWRITEBYTECODE`` set, a schemy run from a source tree (a checkout, an editable
install: no ``__pycache__`` beside the modules) would compile its ~150 modules from source on
every start, 0.1-0.2 s, several times what the rest of a quick command costs.  ``install()``
puts a finder in front of Python's for schemy's own modules only, whose loader keeps each
module's code object in ``$XDG_CACHE_HOME/schemy/pycache``:

* one file per module and source tree (``NAME.TAG.HASH.pyc``: module name, Python's cache tag,
  a hash of the source's path), holding Python's magic number and the source's
  modification time and size, then the marshalled code: a changed source is recompiled;
* written atomically, mode 0600, in a 0700 directory checked to be the user's own, with a
  checksum verified before anything is unmarshalled (schemy.compile.cache_files): a
  truncated or damaged file is recompiled, never run;
* nothing is written in the sandbox; Python's other modules are left to Python.

Nothing is installed when the package is byte-compiled where it lies (pip's install of a
wheel, ``make bytecode``), when Python writes byte code itself, or with ``SCHEMY_NO_CACHE``.
"""

from __future__ import annotations

import marshal
import os
import sys
from importlib.machinery import PathFinder, SourceFileLoader
from pathlib import Path
from typing import Any

from schemy.compile.cache_files import blake2b, private_dir, read_entry, write_entry

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schemy" / "pycache"


def wanted() -> bool:
    """Whether schemy's modules would otherwise be compiled from source on every start."""
    if not sys.dont_write_bytecode or os.environ.get("SCHEMY_NO_CACHE"):
        return False
    tag = sys.implementation.cache_tag
    if tag is None:
        return False
    # Byte-compiled where it lies (pip's install of a wheel, `make bytecode`): Python reads it.
    return not os.path.exists(os.path.join(PACKAGE_DIR, "cli", "__pycache__", f"main.{tag}.pyc"))


class CachingLoader(SourceFileLoader):
    """A source loader that keeps the module's code object in schemy's cache."""

    directory: str

    def get_code(self, fullname: str) -> Any:
        source_path = self.get_filename(fullname)
        st = os.stat(source_path)
        header = _MAGIC[0] + st.st_mtime_ns.to_bytes(8, "little") + st.st_size.to_bytes(8, "little")
        entry = os.path.join(self.directory, _entry_name(fullname, source_path))
        payload = read_entry(entry)  # type: ignore[arg-type]
        if payload is not None and payload[:len(header)] == header:
            try:
                return marshal.loads(memoryview(payload)[len(header):])
            except (EOFError, ValueError, TypeError):  # cannot happen with a verified checksum
                pass
        code = self.source_to_code(self.get_data(source_path), source_path)
        sandbox = sys.modules.get("schemy.runtime.sandbox")
        if not getattr(sandbox, "ACTIVE", False):  # a sandboxed run writes nothing
            write_entry(Path(entry), header + marshal.dumps(code))
        return code


_MAGIC: list[bytes] = []


def _entry_name(fullname: str, source_path: str) -> str:
    where = blake2b(os.fsencode(source_path), digest_size=4).hexdigest()
    return f"{fullname}.{sys.implementation.cache_tag}.{where}.pyc"


class SchemyFinder:
    """Finds schemy's modules as Python would, and loads them through ``CachingLoader``."""

    def __init__(self, directory: str) -> None:
        self.directory = directory

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if not fullname.startswith("schemy."):
            return None
        spec = PathFinder.find_spec(fullname, path)
        if spec is None or type(spec.loader) is not SourceFileLoader or spec.origin is None:
            return spec
        loader = CachingLoader(fullname, spec.origin)
        loader.directory = self.directory
        spec.loader = loader
        spec.cached = None
        return spec

    def invalidate_caches(self) -> None:
        PathFinder.invalidate_caches()


INSTALLED: list[str] = []  # the cache directory in use, if any (a sandboxed run may read it)


def install() -> str | None:
    """Load schemy's modules through the byte-code cache from now on, when that is wanted;
    the cache directory, if so."""
    if INSTALLED:
        return INSTALLED[0]
    if not wanted():
        return None
    from importlib.util import MAGIC_NUMBER

    directory = private_dir(cache_dir())
    if directory is None:
        return None
    _MAGIC.append(MAGIC_NUMBER)
    sys.meta_path.insert(0, SchemyFinder(str(directory)))
    INSTALLED.append(str(directory))
    return INSTALLED[0]

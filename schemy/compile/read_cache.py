"""A cache of parsed files, so unchanged library modules are not re-parsed every run.

Entries live under ``$XDG_CACHE_HOME/schemy/read`` (default ``~/.cache``), named by a
hash of the file's text, its name and schemy's version.  They are written to a
temporary file and renamed into place, so concurrent runs never see half an entry;
an entry that cannot be loaded is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from schemy.lang.resources import VERSION as __version__

_FORMAT = 2  # 2: SourceLocation pickled as a constructor call


def cache_dir() -> Path | None:
    if os.environ.get("SCHEMY_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schemy" / "read"


def _key(text: str, filename: str) -> str:
    h = hashlib.sha256()
    h.update(f"{_FORMAT}\0{__version__}\0{filename}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:40]


def cached_read(text: str, filename: str) -> list[Any]:
    """``schemy.lang.reader.read(text, filename)``, answered from the cache when possible."""
    from schemy.lang.reader import read

    directory = cache_dir()
    if directory is None:
        return read(text, filename)
    path = directory / (_key(text, filename) + ".pickle")
    try:
        with open(path, "rb") as fh:
            forms = pickle.load(fh)
        if isinstance(forms, list):
            return forms
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a corrupt entry is simply rebuilt
        pass
    forms = read(text, filename)
    from schemy.runtime import sandbox

    if sandbox.ACTIVE:  # a sandboxed run writes nothing, not even the cache
        return forms
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(forms, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, RecursionError, pickle.PicklingError):
        pass
    return forms

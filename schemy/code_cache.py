"""A cache of the Python code objects compiled from library files, kept across runs.

Every top-level form becomes Python source (schemy.compiler) that ``compile()`` turns
into a code object; for the ~60 library modules a system build loads that is about a
fifth of the build.  ``compile()`` is a pure function of (source text, file name), so
its result can be reused whenever exactly the same source is compiled again: entries
are keyed by a hash of both, never by anything weaker.

One cache file per loaded Scheme file, named by a hash of that file's text and path,
of the Python bytecode version and of schemy's version, lives under
``$XDG_CACHE_HOME/schemy/code`` (``SCHEMY_NO_CACHE`` turns it off, and a sandboxed
run only reads it).  Entries are written to a temporary file and renamed into place;
an entry that cannot be loaded is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from contextlib import contextmanager
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from typing import Any, Iterator

from schemy import __version__

_FORMAT = 1


class _Segment:
    """The cached code of one file: source hash -> code object."""

    __slots__ = ("path", "old", "used", "dirty")

    def __init__(self, path: Path | None, old: dict[str, Any]) -> None:
        self.path = path
        self.old = old
        self.used: dict[str, Any] = {}
        self.dirty = False


_segments: list[_Segment] = []


def cache_dir() -> Path | None:
    if os.environ.get("SCHEMY_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schemy" / "code"


def _load(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            table = marshal.load(fh)
    except Exception:  # noqa: BLE001 - missing or corrupt: start afresh
        return {}
    return table if isinstance(table, dict) else {}


@contextmanager
def file_scope(text: str, filename: str) -> Iterator[None]:
    """Compile the forms of one file (``text`` read from ``filename``) through the cache."""
    directory = cache_dir()
    if directory is None:
        _segments.append(_Segment(None, {}))
    else:
        h = hashlib.sha256()
        h.update(f"{_FORMAT}\0{__version__}\0".encode() + MAGIC_NUMBER + f"\0{filename}\0".encode())
        h.update(text.encode("utf-8", "surrogatepass"))
        path = directory / (h.hexdigest()[:40] + ".marshal")
        _segments.append(_Segment(path, _load(path)))
    try:
        yield
    finally:
        _save(_segments.pop())


def compile_source(source: str, unit: str) -> Any:
    """``compile(source, unit, "exec")``, answered from the current file's cache when possible."""
    if not _segments or _segments[-1].path is None:
        return compile(source, unit, "exec")
    seg = _segments[-1]
    key = hashlib.blake2b(f"{unit}\0{source}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    code = seg.old.get(key)
    if code is None:
        code = compile(source, unit, "exec")
        seg.dirty = True
    seg.used[key] = code
    return code


def _save(seg: _Segment) -> None:
    from schemy import sandbox

    if seg.path is None or sandbox.ACTIVE:  # a sandboxed run writes nothing, not even the cache
        return
    if not seg.dirty:  # every form was found: the file is up to date
        return
    # The generated source names its functions with process-wide counters, so the same
    # file compiled after different preceding code gives different (equally valid)
    # entries: keep the old ones too, unless they would outnumber this run's two to
    # one, so the file stays bounded.
    table = {**seg.old, **seg.used}
    if len(table) > 3 * len(seg.used):
        table = seg.used
    try:
        seg.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=seg.path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                marshal.dump(table, fh)
            os.replace(tmp, seg.path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        pass

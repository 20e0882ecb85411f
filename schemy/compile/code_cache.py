"""A cache of the Python code objects compiled from library files, kept across runs.

Every top-level form becomes a Python syntax tree (schemy.compile.compiler, as the nested
tuples of schemy.compile.pytree) that ``compile()`` turns into a code object; for the ~60
library modules a system build loads that is a good part of the build.  ``compile()`` is a
pure function of (tree, file name), so its result can be reused whenever exactly the same
tree is compiled again: entries are keyed by a hash of the file name and of the tree's
``marshal`` bytes (every node, name, literal and position), never by anything weaker.

The generated trees name functions and variables with process-wide counters, so the same
file compiled after different preceding code gives different (equally valid) trees.  One
cache file therefore holds the code of one file *as compiled from one state of those
counters*: it is named by a hash of the file's text and path, of the counter state when its
loading starts (``variant``), of the Python bytecode version and of schemy's version.  A run
that starts the same way as an earlier one (the same command on the same configuration)
finds every form; any other run simply compiles and writes its own file.  Files live under
``$XDG_CACHE_HOME/schemy/code`` (``SCHEMY_NO_CACHE`` turns them off, and a sandboxed run only
reads them); at most ``MAX_FILES`` are kept, the least recently written going first.  Entries
are written to a temporary file and renamed into place, with a checksum that is verified
before anything is unmarshalled, in a directory private to the user
(schemy.compile.cache_files); one that cannot be loaded is ignored and rewritten.  Code
objects are stored with ``marshal`` (constants that are not Python literals live in the
unit's globals, never in the code).
"""

from __future__ import annotations

import marshal
import os
import types
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from typing import Any

from schemy.compile.cache_files import blake2b, private_dir, prune, read_entry, write_entry
from schemy.lang.resources import VERSION as __version__

# 4: code makes pairs with _mkpair (Pair has no __init__); 3: keyed by the marshalled syntax
# tree; checksummed entries in a private directory
_FORMAT = 4
MAX_FILES = 1000


class _Segment:
    """The cached code of one file: source hash -> code object."""

    __slots__ = ("path", "old", "used", "dirty", "early")

    def __init__(self, path: Path | None, old: dict[str, Any]) -> None:
        self.path = path
        self.old = old
        self.used: dict[str, Any] = {}
        self.dirty = False
        self.early = False  # its file was brought up to date before its last form ran


_segments: list[_Segment] = []


def cache_dir() -> Path | None:
    if os.environ.get("SCHEMY_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "schemy" / "code"


def _load(path: Path) -> dict[str, Any]:
    """The entries of a cache file that is intact (its checksum matches) and private; else none.
    A flipped byte in marshalled byte code can crash the interpreter when run, so nothing
    is unmarshalled before its checksum is verified."""
    if private_dir(path.parent, create=False) is None:
        return {}
    payload = read_entry(path)
    if payload is None:
        return {}
    try:
        table = marshal.loads(payload)
    except Exception:  # noqa: BLE001 - corrupt: start afresh
        return {}
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, types.CodeType)}


@contextmanager
def file_scope(text: str, filename: str, variant: str = "", enabled: bool = True) -> Iterator[None]:
    """Compile the forms of one file (``text`` read from ``filename``) through the cache;
    ``variant`` describes the compiler's counters as loading starts.  With ``enabled``
    false the forms are compiled directly (and nested files still use their own setting)."""
    directory = cache_dir() if enabled else None
    if directory is None:
        _segments.append(_Segment(None, {}))
    else:
        import hashlib

        h = hashlib.sha256()
        h.update(f"{_FORMAT}\0{__version__}\0".encode() + MAGIC_NUMBER + _converter_digest())
        h.update(f"\0{filename}\0{variant}\0".encode("utf-8", "surrogatepass"))
        h.update(text.encode("utf-8", "surrogatepass"))
        path = directory / (h.hexdigest()[:40] + ".marshal")
        _segments.append(_Segment(path, _load(path)))
    try:
        yield
    finally:
        written = _save(_segments.pop())
        if written and not _segments:  # once per outermost load, not per file
            try:
                prune(directory, ".marshal", MAX_FILES)  # type: ignore[arg-type]
            except OSError:
                pass


_CONVERTER: list[bytes] = []


def _converter_digest() -> bytes:
    """A hash of schemy.compile.pytree's text: a tree means the code that module makes of it,
    so a changed converter must not find code cached by the old one."""
    if not _CONVERTER:
        import hashlib

        from schemy.compile import pytree

        try:
            _CONVERTER.append(hashlib.sha256(Path(pytree.__file__).read_bytes()).digest())
        except OSError:
            _CONVERTER.append(b"?")
    return _CONVERTER[0]


def _compile(tree: tuple, filename: str) -> Any:
    import warnings

    from schemy.compile.pytree import to_ast

    with warnings.catch_warnings():
        # Calling a literal (`(5 3)`) is a run-time error in Scheme, not a compile-time warning.
        warnings.simplefilter("ignore", SyntaxWarning)
        return compile(to_ast(tree), filename, "exec")


def compile_tree(tree: tuple, filename: str) -> Any:
    """The code object of a syntax tree (schemy.compile.pytree) compiled under ``filename``,
    answered from the current file's cache when possible."""
    if not _segments or _segments[-1].path is None:
        return _compile(tree, filename)
    seg = _segments[-1]
    h = blake2b(filename.encode("utf-8", "surrogatepass"), digest_size=16)
    h.update(b"\0" + marshal.dumps(tree))
    key = h.hexdigest()
    code = seg.old.get(key)
    if code is None and seg.early and seg.path is not None:
        # Compiled after the early save let go of the file's entries (a form the program
        # evaluates as it runs): they are read again, once.
        seg.old = _load(seg.path)
        seg.early = False
        seg.used = dict(seg.old)  # (nothing was used since: every lookup comes here first)
        code = seg.old.get(key)
    if code is None:
        code = _compile(tree, filename)
        seg.dirty = True
    seg.used[key] = code
    return code


def current_segment() -> _Segment | None:
    """The cache segment of the file being compiled now (None outside a file, or uncached)."""
    if not _segments or _segments[-1].path is None:
        return None
    return _segments[-1]


def save_early(seg: _Segment) -> None:
    """Write ``seg``'s file now if it gained entries, before the file is done: a script's last
    form is usually the program itself, and marshalling megabytes of code after it has run
    would add the payload to the heap at its fullest (the R7RS ``compiler`` program: +4 MB of
    peak RSS).  Anything compiled later marks the segment dirty again and is saved at the end
    with the rest, merged into what the file holds then.  Either way the segment lets go of
    its code objects here: the program runs without every form's top-level code held alive."""
    if _save(seg):
        seg.dirty = False
    seg.old = {}
    seg.used = {}
    seg.early = True


def _save(seg: _Segment) -> bool:
    """Write the segment's file if it gained entries; whether it did."""
    from schemy.runtime import sandbox

    if seg.path is None or sandbox.ACTIVE:  # a sandboxed run writes nothing, not even the cache
        return False
    if not seg.dirty:  # every form was found: the file is up to date
        return False
    entries = seg.used
    if seg.early:
        entries = {**_load(seg.path), **seg.used}
    try:
        payload = marshal.dumps(entries)
    except ValueError:
        return False
    return write_entry(seg.path, payload)

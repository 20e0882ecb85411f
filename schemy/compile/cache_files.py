"""Files of schemy's caches: in a private directory, checksummed, written atomically.

A cache entry is loaded only when it comes from a directory that is really schemy's
(a directory, not a link, owned by the current user, mode 0700: ``private_dir``) and
when its checksum matches (``read_entry``): a flipped byte or a truncated write
makes the entry count as missing, never as code to run.  The checksum is a CRC-32 (zlib):
it is there against damage, not against an attacker (the directory is the user's own,
checked by ``private_dir``), and it spares every start importing hashlib (OpenSSL, ~2.5 ms
of a 60 ms ``schemy eval -e 1``) and hashing ~1.4 MB of byte code with SHA-256.
"""

from __future__ import annotations

import os
import stat
import zlib
from pathlib import Path

_MAGIC = b"SCHEMY-CACHE-2\n"  # 1: SHA-256 digests
_DIGEST = 4


try:  # hashlib's own BLAKE2 without importing hashlib, which loads OpenSSL (~2.5 ms a start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

__all__ = ["blake2b", "private_dir", "prune", "read_entry", "write_entry"]


def _checksum(payload: bytes) -> bytes:
    return zlib.crc32(payload).to_bytes(4, "little")


def private_dir(path: Path, create: bool = True) -> Path | None:
    """``path`` made (mode 0700, whatever the umask) and checked to be private to this user;
    None when it cannot be: the cache is then simply not used."""
    try:
        if create and not os.path.lexists(path):
            parent = path.parent
            if not os.path.lexists(parent):
                private_dir(parent, create=True)
            os.mkdir(path, 0o700)
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        return None
    if st.st_mode & 0o077:
        try:
            os.chmod(path, 0o700)
        except OSError:
            return None
    try:  # whoever controls the parent could swap the directory: it must be ours too
        pst = os.lstat(path.parent)
    except OSError:
        return None
    if not stat.S_ISDIR(pst.st_mode) or pst.st_uid != os.geteuid() or pst.st_mode & 0o022:
        return None
    return path


def read_entry(path: Path) -> memoryview | None:
    """The payload of the entry at ``path`` if it is intact, else None: a view of the file's
    bytes past the header (a copy of a module cache's megabytes costs as much as checking them)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read()
    except OSError:
        return None
    finally:
        os.close(fd)
    head = len(_MAGIC) + _DIGEST
    if len(data) < head or not data.startswith(_MAGIC):
        return None
    payload = memoryview(data)[head:]
    if _checksum(payload) != data[len(_MAGIC):head]:
        return None
    return payload


def write_entry(path: Path, payload: bytes) -> bool:
    """Write an entry (mode 0600) atomically; whether it was written."""
    import tempfile

    directory = private_dir(path.parent)
    if directory is None:
        return False
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + _checksum(payload))
                fh.write(payload)  # not concatenated: a code cache entry is megabytes
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        return False
    return True


def prune(directory: Path, suffix: str, max_files: int) -> None:
    """Keep at most ``max_files`` cache files ending in ``suffix`` in ``directory``: past
    that, the least recently written go until half remain."""
    entries = [e for e in os.scandir(directory) if e.name.endswith(suffix)]
    if len(entries) <= max_files:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns)
    for e in entries[: len(entries) - max_files // 2]:
        try:
            os.unlink(e.path)
        except OSError:
            pass

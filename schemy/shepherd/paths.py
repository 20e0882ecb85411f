"""Where a root's service manager listens: its run directory and socket, and an address for
a socket path past the length limit.  A leaf module, so that clients ((gnu services herd),
``schemy herd``) reach the daemon's socket without importing the daemon."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


def run_dir(root: Path) -> Path:
    return Path(root) / "run" / "schemy"


def socket_path(root: Path) -> Path:
    return run_dir(root) / "manager.sock"


@contextlib.contextmanager
def unix_address(path: Path) -> Iterator[str]:
    """A usable address for ``path`` even past the 108-byte limit of socket names (via /proc/self/fd)."""
    text = str(path)
    if len(os.fsencode(text)) < 100:
        yield text
        return
    fd = os.open(path.parent, os.O_PATH | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}/{path.name}"
    finally:
        os.close(fd)

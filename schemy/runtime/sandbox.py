"""A sandbox for linting untrusted configurations: no writes, no processes, no network,
no environment reads.

``enable()`` installs a Python audit hook (PEP 578) that turns each forbidden
operation into a clear Scheme error, and sets ``ACTIVE`` so that primitives
which read the environment refuse too.  Audit hooks cannot be removed, so the
sandbox lasts until the process exits: it is meant for ``schemy system check``
and the ``--sandbox`` option of ``run``, ``eval`` and ``repl``.  Reading files
(modules, local-file sources) stays allowed.
"""

from __future__ import annotations

import os
import sys
from typing import Any

ACTIVE = False

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

# audit event -> what the error says is forbidden
_FORBIDDEN = {
    "os.remove": "deleting files", "os.rmdir": "deleting directories", "os.rename": "renaming files",
    "os.mkdir": "creating directories", "os.symlink": "creating links", "os.link": "creating links",
    "os.chmod": "changing permissions", "os.chown": "changing owners", "os.truncate": "truncating files",
    "os.utime": "changing file times", "shutil.rmtree": "deleting files", "shutil.copyfile": "copying files",
    "shutil.copytree": "copying files", "shutil.move": "moving files",
    "subprocess.Popen": "starting processes", "os.system": "starting processes", "os.exec": "starting processes",
    "os.posix_spawn": "starting processes", "os.spawn": "starting processes", "os.fork": "starting processes",
    "os.forkpty": "starting processes", "pty.spawn": "starting processes",
    "socket.connect": "network access", "socket.bind": "network access", "socket.sendto": "network access",
    "socket.getaddrinfo": "network access", "socket.gethostbyname": "network access",
    "os.putenv": "changing the environment", "os.unsetenv": "changing the environment",
    "os.kill": "sending signals", "os.killpg": "sending signals",
}


class SandboxViolation(Exception):
    pass


def _hook(event: str, args: tuple) -> None:
    if not ACTIVE:
        return
    what = _FORBIDDEN.get(event)
    if what is None and event == "open":
        path, mode, flags = (args + (None, None, None))[:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                  (isinstance(flags, int) and flags & _WRITE_FLAGS)
        if writing and not _allowed_write(path):
            what = "writing files"
    if what is not None:
        _raise(what, event, args)


def _allowed_write(path: Any) -> bool:
    """Python's own byte-code cache may still be written; nothing else."""
    return isinstance(path, str) and "__pycache__" in path


def _raise(what: str, event: str, args: tuple) -> None:
    from schemy.lang.errors import scheme_error

    detail = ""
    if args and isinstance(args[0], (str, bytes)):
        detail = f" ({args[0]!s})"
    raise scheme_error(f"sandbox: {what} is not allowed{detail}", kind="sandbox-violation",
                       hint="this configuration was evaluated with --sandbox / `schemy system check`")


_installed = False


def enable() -> None:
    """Turn the sandbox on for the rest of this process."""
    global ACTIVE, _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    ACTIVE = True


def check_environment_read(name: str) -> None:
    """Called by ``getenv`` and friends."""
    if ACTIVE:
        _raise("reading the environment", "getenv", (name,))

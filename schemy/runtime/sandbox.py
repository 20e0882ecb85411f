"""A sandbox for linting untrusted configurations: deny by default.

``enable()`` installs a Python audit hook (PEP 578) that turns each forbidden
operation into a clear Scheme error, and sets ``ACTIVE`` so that primitives
which read the environment refuse too.  Audit hooks cannot be removed, so the
sandbox lasts until the process exits: it is meant for ``schemy system check``
and the ``--sandbox`` option of ``run``, ``eval`` and ``repl``.

What a sandboxed program may do is listed, not what it may not:

* open files for reading only, and only files that every user of the host could
  read anyway (mode o+r, not under /proc, /sys or /dev, after resolving links, but for
  the harmless devices and the machine's description: /proc/meminfo, /proc/cpuinfo...),
  plus the files named with ``allow_read`` (the configuration being checked);
  so no ``/etc/shadow``, no ``/proc/self/environ``;
* never open a file for writing, creating or truncating, whatever its name
  (Python's own byte-code cache is switched off instead of being let through);
* no processes, network, signals, deletions, renames, links, permission changes,
  and no reading or changing of the environment.

``budget`` bounds the time and memory an evaluation may use, so that a
configuration that loops (or a macro that never stops expanding) ends with a
clear error instead of hanging the checker.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

ACTIVE = False

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

# audit event -> what the error says is forbidden
_FORBIDDEN = {
    "os.remove": "deleting files", "os.rmdir": "deleting directories", "os.rename": "renaming files",
    "os.mkdir": "creating directories", "os.symlink": "creating links", "os.link": "creating links",
    "os.chmod": "changing permissions", "os.chown": "changing owners", "os.truncate": "truncating files",
    "os.utime": "changing file times", "shutil.rmtree": "deleting files", "shutil.copyfile": "copying files",
    "shutil.copytree": "copying files", "shutil.move": "moving files", "os.mkfifo": "creating files",
    "os.mknod": "creating files", "os.chflags": "changing permissions", "os.setxattr": "changing files",
    "os.removexattr": "changing files",
    "subprocess.Popen": "starting processes", "os.system": "starting processes", "os.exec": "starting processes",
    "os.posix_spawn": "starting processes", "os.spawn": "starting processes", "os.fork": "starting processes",
    "os.forkpty": "starting processes", "pty.spawn": "starting processes", "os.startfile": "starting processes",
    "socket.connect": "network access", "socket.bind": "network access", "socket.sendto": "network access",
    "socket.sendmsg": "network access", "socket.__new__": "network access",
    "socket.getaddrinfo": "network access", "socket.gethostbyname": "network access",
    "socket.gethostbyaddr": "network access", "socket.getnameinfo": "network access",
    "os.putenv": "changing the environment", "os.unsetenv": "changing the environment",
    "os.kill": "sending signals", "os.killpg": "sending signals", "signal.pthread_kill": "sending signals",
}

# Device files harmless to read; everything else under these trees is refused.
_SAFE_DEVICES = {"/dev/null", "/dev/zero", "/dev/urandom", "/dev/random", "/dev/full",
                 # The machine's description, which configs size things by (zram from the
                 # memory, jobs from the CPUs): the same for every process, nothing private.
                 "/proc/meminfo", "/proc/cpuinfo", "/proc/version", "/proc/uptime", "/proc/loadavg",
                 "/proc/filesystems", "/proc/swaps"}
_SYSTEM_TREES = ("/proc", "/sys", "/dev")

# Every refusal, in order, even those the program caught (``false-if-exception``): a check
# reports them all.
VIOLATIONS: list[str] = []

_allowed_reads: set[str] = set()
_allowed_trees: set[str] = set()


class SandboxViolation(Exception):
    pass


class BudgetExceeded(BaseException):
    """Raised asynchronously in the evaluating thread when it overruns its time or memory budget.

    A BaseException, not a Scheme error, so that no handler in the evaluated program can
    catch it and carry on."""

    reason = "budget exceeded"


def _hook(event: str, args: tuple) -> None:
    if not ACTIVE:
        return
    what = _FORBIDDEN.get(event)
    if what is None and event == "open":
        path, mode, flags = (args + (None, None, None))[:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                  (isinstance(flags, int) and flags & _WRITE_FLAGS)
        if writing:
            what = "writing files"
        elif not _readable(path):
            what = "reading files that not every user may read"
    if what is not None:
        _raise(what, event, args)


def _readable(path: Any) -> bool:
    """Whether the sandbox lets ``path`` be opened for reading."""
    if isinstance(path, int):  # an already open descriptor
        return True
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str):
        return False
    real = os.path.realpath(path)
    if real in _allowed_reads or any(real.startswith(t + "/") for t in _allowed_trees):
        return True
    if real in _SAFE_DEVICES:
        return True
    if any(real == t or real.startswith(t + "/") for t in _SYSTEM_TREES):
        return False
    try:
        st = os.stat(real)
    except OSError:
        return True  # opening it fails anyway, with the usual error
    if stat.S_ISDIR(st.st_mode):
        return True
    return bool(st.st_mode & stat.S_IROTH)


def allow_read(path: str) -> None:
    """Let the sandbox read ``path`` although others may not (the file being checked)."""
    _allowed_reads.add(os.path.realpath(path))


def allow_read_tree(directory: str) -> None:
    """Let the sandbox read the files under ``directory`` (schemy's private caches)."""
    _allowed_trees.add(os.path.realpath(directory))


def _raise(what: str, event: str, args: tuple) -> None:
    from schemy.lang.errors import scheme_error

    detail = ""
    if args and isinstance(args[0], (str, bytes)):
        shown = os.fsdecode(args[0])
        detail = f" ({shown[:200]}{'...' if len(shown) > 200 else ''})"
    VIOLATIONS.append(f"sandbox: {what} is not allowed{detail}")
    raise scheme_error(f"sandbox: {what} is not allowed{detail}", kind="sandbox-violation",
                       hint="this configuration was evaluated with --sandbox / `schemy system check`")


_installed = False


def enable() -> None:
    """Turn the sandbox on for the rest of this process."""
    global ACTIVE, _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    sys.dont_write_bytecode = True  # the one write Python itself would attempt
    ACTIVE = True


def check_environment_read(name: str) -> None:
    """Called by ``getenv``, ``environ`` and every procedure that reveals the environment."""
    if ACTIVE:
        _raise("reading the environment", "getenv", (name,))


# ---------------------------------------------------------------- budgets

EVAL_THREAD = "schemy-eval"


@contextmanager
def budget(seconds: float, megabytes: float) -> Iterator[None]:
    """Interrupt the evaluating thread (``schemy-eval``) with ``BudgetExceeded`` once it has run
    ``seconds`` or grown the process by ``megabytes``; the caller turns that into an error."""
    import ctypes

    set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc  # looked up before any sandbox
    done = threading.Event()
    statm = None
    try:
        statm = os.open("/proc/self/statm", os.O_RDONLY)  # kept open: the sandbox may start later
    except OSError:
        pass
    page = os.sysconf("SC_PAGE_SIZE")

    def rss() -> int:
        if statm is None:
            return 0
        try:
            return int(os.pread(statm, 200, 0).split()[1]) * page
        except (OSError, ValueError, IndexError):
            return 0

    base = rss()
    start = time.monotonic()
    limit = int(megabytes * 1024 * 1024)

    def watch() -> None:
        fired = 0.0
        while not done.wait(0.02):
            now = time.monotonic()
            if now - start > seconds:
                reason = f"the evaluation took more than {seconds:g} s"
            elif statm is not None and rss() - base > limit:
                reason = f"the evaluation used more than {megabytes:g} MB of memory"
            else:
                continue
            if now - fired < 0.5:  # re-sent until the evaluation ends, in case it was swallowed
                continue
            fired = now
            exc = type("BudgetExceeded", (BudgetExceeded,), {"reason": reason})
            for t in threading.enumerate():
                if t.name == EVAL_THREAD and t.ident is not None:
                    set_async_exc(ctypes.c_ulong(t.ident), ctypes.py_object(exc))

    watcher = threading.Thread(target=watch, name="schemy-budget", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        if statm is not None:
            os.close(statm)

"""What the tests that run real processes share: waiting, finding and killing the processes a
test started (by a marker in their command line), reaping zombies, free ports, HTTP probes;
building one of the project's test configs.
Imported as ``from helpers import ...`` (pytest puts tests/ on the path)."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from schemy.shepherd.process import proc_state, zombie_children

PR_SET_CHILD_SUBREAPER = 36


@contextmanager
def child_subreaper() -> Iterator[None]:
    """While it lasts, orphans (a detached service manager, the services of a killed one) come
    back to this process instead of init; at the end, those that died are reaped."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    try:
        yield
    finally:
        time.sleep(0.05)
        reap_zombies()
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def gone(pid: int) -> bool:
    """Dead and reaped, or at least dead (never a live process)."""
    return proc_state(pid) in (None, "Z")


def wait_for(predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02) -> Any:
    """The first true value of ``predicate`` within ``timeout`` seconds, else its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def reap_zombies() -> None:
    for pid in zombie_children(os.getpid()):
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


def processes_mentioning(marker: str) -> list[int]:
    """Living processes (not zombies) whose command line mentions ``marker``."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            raw = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if marker in raw.replace(b"\0", b" ").decode("utf-8", "replace") and not gone(int(entry)):
            out.append(int(entry))
    return out


def kill_strays(marker: str) -> list[int]:
    """SIGKILL every living process whose command line mentions ``marker``; their PIDs."""
    killed = []
    for pid in processes_mentioning(marker):
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except ProcessLookupError:
            pass
    return killed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    """Something accepts connections on the loopback port."""
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def http_get(port: int, path: str = "/") -> str | None:
    """The body served at ``path`` on the loopback port, or None."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
            return r.read().decode()
    except OSError:
        return None


def build_config(path: str | Path, store_dir: Path) -> Any:
    """The built system of the config file at ``path``, in a fresh interpreter and a store at
    ``store_dir`` (what ``schemy system build`` does, without the command line)."""
    from schemy.app import Interpreter
    from schemy.guix.store import Store
    from schemy.system.build import build_system
    from schemy.system.config import load_operating_system

    i = Interpreter()
    os_record = i.run_protected(lambda: load_operating_system(i, str(path)))
    return i.run_protected(lambda: build_system(i, str(path), Store(store_dir), os_record))


def ev(interp: Any, text: str) -> Any:
    """TEXT evaluated by INTERP as the file test.scm (its locations say so)."""
    return interp.eval_string(text, "test.scm")


def system_check(path: Path, cwd: Path | None = None) -> Any:
    """``schemy system check PATH`` in a child process (from the repository unless CWD)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    return subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "check", str(path)],
                          capture_output=True, text=True, timeout=120, check=False, cwd=str(cwd or root))


def cold_then_warm(load_path: list[str], code: str, file: str = "t.scm",
                   interpreter: Any = None) -> list[tuple[str, dict[str, int]]]:
    """CODE evaluated twice, each time by a fresh interpreter (of class INTERPRETER, the
    application's by default) with LOAD_PATH (the second finds the module cache the first
    wrote): for each run, the written value and how much each module cache counter grew."""
    from schemy.eval import module_cache
    from schemy.lang.printer import write_string

    runs = []
    for _ in range(2):
        before = dict(module_cache.STATS)
        if interpreter is None:
            from schemy.app import Interpreter as interpreter
        value = interpreter(load_path=load_path).eval_string(code, file)
        runs.append((write_string(value), {k: module_cache.STATS[k] - before[k] for k in before}))
    return runs


def minimal_os(services: str = "%base-services", modules: str = "(gnu)", prelude: str = "",
               packages: str = "%base-packages") -> str:
    """The text of a bootable operating-system (one ext4 root, GRUB on /dev/sda) with SERVICES
    and PACKAGES (Scheme expressions), after (use-modules MODULES) and PRELUDE."""
    return f"""(use-modules {modules})
{prelude}
(operating-system
  (host-name "h")
  (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4"))
                      %base-file-systems))
  (packages {packages})
  (services {services}))
"""


@contextmanager
def running_manager(base: Path) -> Iterator[Any]:
    """A service manager for the root ``base/root``, running, as this process's child
    subreaper; afterwards it is shut down and every process mentioning ``base`` is gone."""
    from schemy.shepherd.manager import ServiceManager

    with child_subreaper():
        m = ServiceManager(base / "root", reap_orphans=True)
        m.run()
        try:
            yield m
        finally:
            m.shutdown()
            kill_strays(str(base))

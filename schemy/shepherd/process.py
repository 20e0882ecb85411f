"""Processes of services and jobs: the table that reaps each one exactly once, /proc helpers, termination.

Processes are spawned through ``PROCESSES`` (a ``ProcessTable``) so whoever supervises
them (the manager's reaper) can collect every exit status: nothing is left a zombie.
Each process gets its own session, hence its own process group, so a kill destructor can
stop a daemon together with the helpers it forked.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any


def log() -> Any:
    """This module's logger; `logging` is imported on first use (it costs ~3 ms of every
    start, and only a running service manager logs)."""
    import logging

    return logging.getLogger("schemy.shepherd.service")

DEFAULT_GRACE_PERIOD = 5.0
EXIT_UNKNOWN = 1 << 16  # a process that was not our child died; its status is unknowable


def proc_state(pid: int) -> str | None:
    """The one-letter state of ``pid`` from /proc (``Z`` for a zombie), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    except OSError:
        return "?"
    rest = data[data.rfind(b")") + 2:]
    return rest[:1].decode() or None


def _proc_stat_fields(pid: int) -> list[bytes] | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return None
    return data[data.rfind(b")") + 2:].split()


def proc_start_time(pid: int) -> int | None:
    """When ``pid`` started (clock ticks since boot, from /proc): with the PID, names one process
    across PID reuse.  None when it is gone (or a zombie)."""
    fields = _proc_stat_fields(pid)
    if fields is None or len(fields) < 20 or fields[0] == b"Z":
        return None
    return int(fields[19])


def group_members(pgid: int, include_zombies: bool = False) -> list[int]:
    """PIDs whose process group is ``pgid`` (living ones unless ``include_zombies``)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _proc_stat_fields(int(entry))
        if fields is None or len(fields) < 3:
            continue
        if int(fields[2]) == pgid and (include_zombies or fields[0] != b"Z"):
            out.append(int(entry))
    return out


def zombie_children(parent: int) -> list[int]:
    """Zombie processes whose parent is ``parent`` (orphans a subreaper inherited, for instance)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _proc_stat_fields(int(entry))
        if fields and len(fields) >= 2 and fields[0] == b"Z" and int(fields[1]) == parent:
            out.append(int(entry))
    return out


def describe_exit(status: int | None) -> str:
    """``exited with code 1`` / ``terminated by signal SIGKILL``: the words herd shows."""
    if status is None:
        return "is still running"
    if status == EXIT_UNKNOWN:
        return "exited"
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = str(-status)
        return f"terminated by signal {name}"
    return f"exited with code {status}"


class ProcessTable:
    """Every process spawned for services and jobs, so that each one is reaped exactly once.

    ``poll`` works for our children (through their ``Popen``), for orphans a subreaper
    inherited (``waitpid``) and for foreign PIDs read from PID files (``/proc``).  Exit
    statuses stay recorded until ``forget``, so a reaper thread and a kill destructor
    waiting on the same PID both learn how it ended.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._popens: dict[int, subprocess.Popen] = {}
        self._status: dict[int, int] = {}
        self._callbacks: dict[int, list[Callable[[int, int], None]]] = {}
        self._known: set[int] = set()

    def spawn(self, args: list[str], **kwargs: Any) -> subprocess.Popen:
        with self._lock:
            p = subprocess.Popen(args, **kwargs)
            self._popens[p.pid] = p
            self._status.pop(p.pid, None)
            self._known.add(p.pid)
            return p

    def adopt(self, pid: int) -> None:
        """Vouch for ``pid`` (read from a PID file of a process we started) as a service's process."""
        with self._lock:
            self._known.add(pid)
            self._status.pop(pid, None)

    def known(self, pid: int) -> bool:
        """Whether ``pid`` is a process this table started or adopted (and has not forgotten)."""
        with self._lock:
            return pid in self._known

    def children(self) -> list[int]:
        with self._lock:
            return list(self._popens)

    def on_exit(self, pid: int, callback: Callable[[int, int], None]) -> None:
        """Call ``callback(pid, status)`` once ``pid`` is seen dead (right away if it already is)."""
        with self._lock:
            if pid in self._status:
                status = self._status[pid]
            else:
                self._callbacks.setdefault(pid, []).append(callback)
                return
        callback(pid, status)

    def _record(self, pid: int, status: int) -> None:
        with self._lock:
            self._status[pid] = status
            self._popens.pop(pid, None)
            while len(self._status) > 4096:  # statuses nobody asked for: keep the newest
                old = next(iter(self._status))
                del self._status[old]
                self._known.discard(old)
            callbacks = self._callbacks.pop(pid, [])
        for cb in callbacks:
            try:
                cb(pid, status)
            except Exception:  # noqa: BLE001 - a callback's bug must not stop the reaper
                log().exception("exit callback for %s failed", pid)

    def poll(self, pid: int) -> int | None:
        """None while ``pid`` lives; its exit status once it is dead (reaping it if it is our child)."""
        with self._lock:
            if pid in self._status:
                return self._status[pid]
            p = self._popens.get(pid)
        if p is not None:
            rc = p.poll()
            if rc is None:
                return None
            self._record(pid, rc)
            return rc
        try:
            wpid, st = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            state = proc_state(pid)
            if state is None or state == "Z":
                self._record(pid, EXIT_UNKNOWN)
                return EXIT_UNKNOWN
            return None
        if wpid == 0:
            return None
        status = os.waitstatus_to_exitcode(st)
        self._record(pid, status)
        return status

    def wait(self, pid: int, timeout: float | None = None) -> int | None:
        """Block until ``pid`` is dead (or ``timeout``); its status or None."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            p = self._popens.get(pid)
        if p is not None:
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                return None
            return self.poll(pid)
        while True:
            st = self.poll(pid)
            if st is not None:
                return st
            if deadline is not None and time.monotonic() >= deadline:
                return None
            time.sleep(0.02)

    def poll_all(self) -> None:
        """Poll every known child: the reaper's periodic sweep."""
        for pid in self.children():
            self.poll(pid)
        with self._lock:
            watched = [pid for pid in self._callbacks if pid not in self._popens]
        for pid in watched:
            self.poll(pid)

    def reap_orphans(self, seen: set[int]) -> set[int]:
        """Reap zombie children nobody owns (orphans inherited as a subreaper).

        A zombie is reaped only when it was already a zombie at the previous sweep
        (``seen``), leaving other code in this process time to reap its own children.
        Returns the zombies seen this time.
        """
        now = set(zombie_children(os.getpid()))
        with self._lock:
            owned = set(self._popens)
        for pid in now & seen:
            if pid in owned:
                continue
            try:
                wpid, st = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                continue
            if wpid:
                self._record(pid, os.waitstatus_to_exitcode(st))
        return now - owned

    def forget(self, pid: int) -> None:
        with self._lock:
            self._status.pop(pid, None)
            self._known.discard(pid)

    def alive(self, pid: int) -> bool:
        return self.poll(pid) is None


PROCESSES = ProcessTable()


def terminate(pid: int, sig: int = signal.SIGTERM, grace: float = DEFAULT_GRACE_PERIOD,
              table: ProcessTable | None = None) -> int | None:
    """Send ``sig`` to the process group of ``pid``, SIGKILL it after ``grace`` seconds; its status.

    The group is killed (not just the PID) because daemons fork helpers that must not
    outlive the service.  Never signals the caller's own process group.
    """
    table = table or PROCESSES
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        return table.poll(pid)
    own = pgid == os.getpgrp() or pgid <= 1

    def send(s: int) -> None:
        try:
            if own:
                os.kill(pid, s)
            else:
                os.killpg(pgid, s)
        except ProcessLookupError:
            pass
        except PermissionError:
            log().warning("not allowed to send signal %s to process %s", s, pid)

    send(sig)
    deadline = time.monotonic() + max(grace, 0.0)
    status = None
    while time.monotonic() < deadline:
        status = table.poll(pid)
        if status is not None and (own or not group_members(pgid)):
            return status
        time.sleep(0.02 if status is None else 0.05)
    send(signal.SIGKILL)
    status = table.wait(pid, 5.0)
    end = time.monotonic() + 2.0
    while not own and group_members(pgid) and time.monotonic() < end:
        time.sleep(0.02)
    return status


def terminate_group(pgid: int, table: ProcessTable, grace: float = 2.0) -> None:
    """SIGTERM a process group, SIGKILL what is left after ``grace`` seconds."""
    if pgid <= 1 or pgid == os.getpgrp():
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 2.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        except PermissionError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            table.poll_all()
            if not group_members(pgid):
                return
            time.sleep(0.02)

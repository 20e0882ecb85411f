"""The system calls behind (gnu build linux-container): running a procedure in a child process
with its own Linux namespaces and root file system, and in the namespaces of another process.

``%run-container`` is Guix's ``run-container``: the child gets the namespaces asked for (a
user namespace mapping HOST-UIDS ids from the caller's, starting at GUEST-UID/GUEST-GID), a
tmpfs root under ROOT with the given file systems mounted in it, ``/proc`` (with a PID
namespace), a small ``/dev`` of the host's harmless devices, the loopback interface up (with a
network namespace), then runs THUNK there and exits with its value as status (1 when it
fails).  With a PID namespace, the process running THUNK is PID 1 of it; the PID returned is
that of the process that made the namespaces and waits for it (its exit status is THUNK's).
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import Any

from schemy.lang.datum import NIL, Symbol, list_to_python, make_pair, to_str
from schemy.lang.errors import scheme_error
from schemy.runtime.records import Record, record_ref

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

NAMESPACE_FLAGS = {"mnt": CLONE_NEWNS, "cgroup": CLONE_NEWCGROUP, "uts": CLONE_NEWUTS, "ipc": CLONE_NEWIPC,
                   "user": CLONE_NEWUSER, "pid": CLONE_NEWPID, "net": CLONE_NEWNET}
# The names of /proc/PID/ns/ entries, as container-excursion enters them (user first).
EXCURSION_ORDER = ("user", "ipc", "uts", "net", "pid", "mnt")

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_BIND, MS_REC, MS_PRIVATE = 32, 1024, 4096, 16384, 1 << 18
MOUNT_FLAGS = {"read-only": MS_RDONLY, "no-suid": MS_NOSUID, "no-dev": MS_NODEV, "no-exec": MS_NOEXEC,
               "no-atime": MS_NOATIME, "bind-mount": MS_BIND}
HOST_DEVICES = ("null", "zero", "full", "random", "urandom", "tty")


def _namespace_flags(namespaces: Any) -> int:
    flags = 0
    for ns in list_to_python(namespaces) if namespaces is not NIL else []:
        name = ns.name if isinstance(ns, Symbol) else str(ns)
        if name not in NAMESPACE_FLAGS:
            raise scheme_error(f"run-container: unknown namespace {name}", kind="wrong-type-arg",
                               hint="the namespaces are " + " ".join(NAMESPACE_FLAGS))
        flags |= NAMESPACE_FLAGS[name]
    return flags


def _field(rec: Any, name: str, default: Any = False) -> Any:
    if isinstance(rec, Record) and Symbol(name) in rec.rtd.index:
        return record_ref(rec, Symbol(name))
    return default


def _mount_spec(fs: Any) -> tuple[str, str, str | None, int, str | None]:
    """(source, target, type, flags, options) of a file-system record."""
    if not isinstance(fs, Record):
        raise scheme_error("run-container: a mount is not a file-system record", fs, kind="wrong-type-arg")
    device = _field(fs, "device", "none")
    source = to_str(device) if not isinstance(device, (Record, bool)) else "none"
    target = to_str(_field(fs, "mount-point"))
    fstype = _field(fs, "type", "none")
    flags = 0
    for f in list_to_python(_field(fs, "flags", NIL)):
        flags |= MOUNT_FLAGS.get(f.name if isinstance(f, Symbol) else "", 0)
    options = _field(fs, "options", False)
    return (source, target, None if flags & MS_BIND else to_str(fstype), flags,
            to_str(options) if options not in (False, None) else None)


def _mount_all(root: str, mounts: list, namespaces: int) -> None:
    from schemy.shepherd.namespace import mount

    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("none", root, "tmpfs", 0, None)
    os.makedirs(root + "/proc", exist_ok=True)
    os.makedirs(root + "/dev", exist_ok=True)
    mount("none", root + "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755")
    for dev in HOST_DEVICES:
        if os.path.exists("/dev/" + dev):
            Path(root + "/dev/" + dev).touch()
            mount("/dev/" + dev, root + "/dev/" + dev, None, MS_BIND)
    for source, target, fstype, flags, options in mounts:
        dest = root + "/" + target.lstrip("/")
        if flags & MS_BIND and os.path.isfile(source):
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            Path(dest).touch()
        else:
            os.makedirs(dest, exist_ok=True)
        mount(source, dest, fstype, flags, options)
        if flags & MS_BIND and flags & MS_RDONLY:
            mount(source, dest, None, MS_BIND | MS_REMOUNT | MS_RDONLY)


def _child_exit(thunk: Any) -> None:
    """Run THUNK and leave the process with its status (Guix's call-with-clean-exit)."""
    status = 1
    try:
        value = thunk()
        status = value if isinstance(value, int) and not isinstance(value, bool) else (0 if value is not False
                                                                                        else 1)
    except BaseException as e:  # noqa: BLE001 - the child must exit whatever happens
        print(f"container: {e}", file=sys.stderr)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(status & 0xFF)


def run_container(root: Any, mounts: Any, namespaces: Any, host_uids: Any, thunk: Any, guest_uid: Any = 0,
                  guest_gid: Any = 0, writable_root: Any = False, loopback: Any = True) -> int:
    """``(%run-container ROOT MOUNTS NAMESPACES HOST-UIDS THUNK GUEST-UID GUEST-GID WRITABLE-ROOT?
    LOOPBACK-NETWORK?)``: a pair of PIDs, the child to wait for (its status is THUNK's) and
    the process running THUNK (the same unless a new PID namespace puts it in a grandchild,
    PID 1 there)."""
    from schemy.shepherd.namespace import ViewError, bring_loopback_up, mount, unshare

    root_dir = to_str(root)
    flags = _namespace_flags(namespaces)
    specs = [_mount_spec(fs) for fs in (list_to_python(mounts) if mounts is not NIL else [])]
    uid, gid = os.geteuid(), os.getegid()
    count = host_uids if isinstance(host_uids, int) else 1
    read_end, write_end = os.pipe()        # the child's report of a failure (empty: none)
    unshared_r, unshared_w = os.pipe()     # the child has its namespaces
    mapped_r, mapped_w = os.pipe()         # the parent has written its id maps
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid:
        for fd in (write_end, unshared_w, mapped_r):
            os.close(fd)
        problem = ""
        if os.read(unshared_r, 1) == b"1" and flags & CLONE_NEWUSER:
            # As Guix: the parent writes the maps, as only it may map more than its own id.
            try:
                if uid != 0:
                    Path(f"/proc/{pid}/setgroups").write_text("deny")
                Path(f"/proc/{pid}/uid_map").write_text(f"{guest_uid} {uid} {count}")
                Path(f"/proc/{pid}/gid_map").write_text(f"{guest_gid} {gid} {count}")
            except OSError as e:
                problem = f"cannot map the user ids of the container: {e}"
        os.write(mapped_w, b"0" if problem else b"1")
        os.close(mapped_w)
        os.close(unshared_r)
        report = problem or os.read(read_end, 4096).decode(errors="replace")
        os.close(read_end)
        if not report.startswith("pid "):
            os.waitpid(pid, 0)
            raise scheme_error(f"run-container: {report or 'the container process died'}",
                               kind="system-error", hint="containers need root, or unprivileged user namespaces")
        return make_pair(pid, int(report[4:]))
    for fd in (read_end, unshared_r, mapped_w):
        os.close(fd)
    try:
        try:
            unshare(flags)
        except ViewError:
            os.write(unshared_w, b"0")
            raise
        os.write(unshared_w, b"1")
        if os.read(mapped_r, 1) != b"1":
            os._exit(1)
        if flags & CLONE_NEWNET and loopback is not False:
            bring_loopback_up()
        if flags & CLONE_NEWNS:
            _mount_all(root_dir, specs, flags)
    except (ViewError, OSError) as e:
        os.write(write_end, str(e).encode())
        os._exit(1)

    def enter_and_run() -> None:
        try:
            if flags & CLONE_NEWNS:
                # /proc of the container's PID namespace: mounted by a process inside it.
                if flags & CLONE_NEWPID:
                    mount("none", root_dir + "/proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, None)
                os.chroot(root_dir)
                os.chdir("/")
                if writable_root is False:
                    mount(None, "/", None, MS_BIND | MS_REMOUNT | MS_RDONLY)
        except (ViewError, OSError) as e:
            print(f"container: {e}", file=sys.stderr)
            os._exit(1)
        _child_exit(thunk)

    if not flags & CLONE_NEWPID:
        os.write(write_end, f"pid {os.getpid()}".encode())
        os.close(write_end)
        enter_and_run()
    # A new PID namespace holds the next child, PID 1 in it; this process waits for it.
    child = os.fork()
    if child == 0:
        os.close(write_end)
        enter_and_run()
    os.write(write_end, f"pid {child}".encode())
    os.close(write_end)
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except ChildProcessError:
            os._exit(1)
        except InterruptedError:
            continue
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


def container_excursion(pid: Any, thunk: Any) -> int:
    """``(%container-excursion PID THUNK)``: the wait status of a child that runs THUNK in the
    namespaces of process PID (its root and working directory too)."""
    from schemy.shepherd.namespace import ViewError, setns

    target = int(pid)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    child = os.fork()
    if child == 0:
        try:
            fds = []
            for ns in EXCURSION_ORDER:
                mine = os.readlink(f"/proc/self/ns/{ns}")
                theirs = os.readlink(f"/proc/{target}/ns/{ns}")
                if mine != theirs:
                    fds.append(os.open(f"/proc/{target}/ns/{ns}", os.O_RDONLY))
            root_fd = os.open(f"/proc/{target}/root", os.O_RDONLY)
            for fd in fds:
                setns(fd, 0)
                os.close(fd)
            os.fchdir(root_fd)
            os.chroot(".")
            os.chdir("/")
        except (ViewError, OSError) as e:
            print(f"container-excursion: {e}", file=sys.stderr)
            os._exit(1)
        # Entering a PID namespace takes effect for children: THUNK runs in one.
        inner = os.fork()
        if inner == 0:
            _child_exit(thunk)
        _, status = os.waitpid(inner, 0)
        os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
    while True:
        try:
            return os.waitpid(child, 0)[1]
        except InterruptedError:
            continue
        except OSError as e:
            if e.errno == errno.ECHILD:
                return 0
            raise


def container_excursion_value(pid: Any, thunk: Any) -> Any:
    """``(%container-excursion* PID THUNK)``: THUNK's value, computed in the namespaces of PID
    and written back by the child (#f when the child fails)."""
    from schemy.lang.printer import write_string
    from schemy.lang.reader import read

    read_end, write_end = os.pipe()

    def child() -> Any:
        os.close(read_end)
        with os.fdopen(write_end, "w") as out:
            out.write(write_string(thunk()))
        return 0

    status = container_excursion(pid, child)
    os.close(write_end)
    with os.fdopen(read_end) as inp:
        text = inp.read()
    if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0) or not text:
        return False
    data = read(text)
    return data[0] if data else False


def wait_container(pid: Any, init: Any, signals: Any) -> Any:
    """``(%wait-container PID INIT SIGNALS)``: PID's wait status, the SIGNALS (numbers) the
    caller gets meanwhile relayed to INIT (the container's first process).  Signal handlers
    can only be set by the main thread: from another thread (an evaluation the CLI runs), the
    signals are not relayed."""
    import signal
    import threading

    numbers = [int(n) for n in list_to_python(signals)] if signals is not NIL else []
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for n in numbers:
            previous[n] = signal.signal(n, lambda sig, _frame: os.kill(int(init), sig))
    try:
        while True:
            try:
                child, status = os.waitpid(int(pid), 0)
                return make_pair(child, status)
            except InterruptedError:
                continue
    finally:
        for n, handler in previous.items():
            signal.signal(n, handler)


PRIMITIVES: dict[str, Any] = {
    "%run-container": run_container,
    "%wait-container": wait_container,
    "%container-excursion": container_excursion,
    "%container-excursion*": container_excursion_value,
}

"""A root's *view*: the mount (and optionally network) namespace its service manager,
daemons and activation run in, so that they see the system the root declares.

In the view:

- ``/etc`` is a small tmpfs of links.  Each top-level entry the current generation declares
  links to ``ROOT/etc/NAME`` (``ROOT/etc`` is the ``current-system/etc`` link, so switching
  generations shows at once); every other entry of the host's /etc links to the host's
  (``ROOT/run/host-etc``, a read-only bind of the host's /etc): the host's programs
  keep their ``ld.so.cache``, certificates, alternatives and time zone.  Not an overlay,
  because an overlay merges directories (the host's ``/etc/libvirt/*`` would show through
  the declared ``/etc/libvirt``) and freezes its layers when mounted (a generation switch
  would need a remount).  ``passwd`` and ``group`` are the declared accounts followed by the
  host's system accounts (ids below 1000) whose names and ids the declaration does not use:
  the host's programs come with the accounts their packaging expects (Debian's libvirtd runs
  QEMU as ``libvirt-qemu``).  ``shadow`` is the declared one only.
- ``/run`` (hence ``/var/run``), ``/var/lib``, ``/var/log``, ``/var/cache``, ``/var/spool``,
  ``/tmp``, ``/var/tmp``, ``/srv`` and ``/home`` are the root's own directories (bind mounts of
  ``ROOT/run``...); two roots with the same PID-file paths do not meet.  ``/usr``, ``/bin``,
  ``/lib``, ``/dev``, ``/proc``, ``/sys`` and the rest are the host's.  The root itself stays
  visible at its own path (re-bound inside a covered directory when it lives under one, e.g.
  under /tmp).
- Every mount is private: nothing propagates to the host's mount table.
- With ``network="private"``, a network namespace whose only interface is ``lo`` (up).

As root this is a plain ``unshare(CLONE_NEWNS)``; other users get a user namespace that maps
them to root (``unshare --user --map-root-user``), or a clear ``ViewError`` when the kernel
forbids it.  The calls are made through libc with ctypes (no ``unshare``/``mount`` programs:
a view costs a few milliseconds).  There is no PID namespace for a root's view: the services'
PIDs that ``herd status`` shows and that daemons write in their PID files are the host's,
which the host's tools (and a manager restarted after a crash, from ``processes.json``) read
and signal; a PID namespace would make every such PID a different number outside the view.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import socket
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

CLONE_FS = 0x00000200
CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18

# (path in the view, directory of the root that is mounted there, mode when created)
# What the daemons of stdlib write outside /etc: state (/var/lib), logs, caches (cups'
# /var/cache/cups), spools (cups' /var/spool/cups), web roots (nginx's and httpd's /srv/http),
# home directories.  /nix is not one of them: the nix service is the host's (its store is the
# host's /nix), and a host without /nix would need a mount point made in its own /.
COVERED = (("/run", "run", 0o755), ("/var/lib", "var/lib", 0o755), ("/var/log", "var/log", 0o755),
           ("/var/cache", "var/cache", 0o755), ("/var/spool", "var/spool", 0o755),
           ("/tmp", "tmp", 0o1777), ("/var/tmp", "var/tmp", 0o1777), ("/srv", "srv", 0o755),
           ("/home", "home", 0o755))
HOST_ACCOUNT_LIMIT = 1000  # host accounts below this id (system accounts) are offered in the view

NETWORKS = ("shared", "private")

# Host /etc entries that are links into a directory the view covers (``/etc/resolv.conf`` ->
# ``/run/systemd/resolve/stub-resolv.conf`` under systemd-resolved): their contents, read
# before the view covers it, are what the view's /etc shows.
_host_copies: dict[str, bytes] = {}


class ViewError(Exception):
    """The view cannot be made (the kernel refuses a namespace, a mount fails...)."""


_libc = None


def _c() -> ctypes.CDLL:
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
        _libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong,
                                ctypes.c_char_p]
    return _libc


def _fail(what: str) -> None:
    err = ctypes.get_errno()
    raise ViewError(f"{what}: {os.strerror(err)}") from OSError(err, os.strerror(err))


def unshare(flags: int) -> None:
    if _c().unshare(flags) != 0:
        _fail("unshare")


def setns(fd: int, flags: int) -> None:
    if _c().setns(fd, flags) != 0:
        _fail("setns")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = (lambda s: None if s is None else os.fsencode(s))
    if _c().mount(enc(source), enc(target), enc(fstype), flags, enc(data)) != 0:
        _fail(f"mount {source or fstype} on {target}")


# ----------------------------------------------------------------- where things are


def host_etc(root: Path) -> Path:
    """Where the view shows the host's own /etc (read-only).  Not under ROOT/run/schemy, the
    manager's private (0700) directory: a daemon running as its own user follows the view's
    /etc links into it (git daemon reads /etc/gitconfig)."""
    return Path(root) / "run" / "host-etc"


def view_file(root: Path) -> Path:
    """What the running manager's view is: its PID (the process to enter) and its options."""
    return Path(root) / "run" / "schemy" / "view.json"


def read_view(root: Path) -> dict | None:
    try:
        info = json.loads(view_file(root).read_text())
    except (OSError, ValueError):
        return None
    pid = info.get("pid")
    if not isinstance(pid, int) or not os.path.exists(f"/proc/{pid}/ns/mnt"):
        return None
    return info


# ----------------------------------------------------------------- making a view


def _enter_user_namespace() -> None:
    uid, gid = os.geteuid(), os.getegid()
    try:
        unshare(CLONE_NEWUSER | CLONE_NEWNS)
    except ViewError as e:
        code = e.__cause__.errno if isinstance(e.__cause__, OSError) else None
        why = {errno.EPERM: "the kernel does not let unprivileged users create user namespaces here "
                            "(see sysctl kernel.unprivileged_userns_clone, "
                            "kernel.apparmor_restrict_unprivileged_userns)",
               errno.ENOSPC: "the limit of user namespaces is reached (sysctl user.max_user_namespaces)",
               errno.EINVAL: "a process with several threads cannot enter a user namespace"}
        raise ViewError(f"cannot give the services their own view of the system as user {uid}: "
                        + why.get(code, str(e))) from None
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"0 {uid} 1")
    Path("/proc/self/gid_map").write_text(f"0 {gid} 1")


def program_paths() -> list[Path]:
    """What a schemy process needs to keep seeing in a view: Python and schemy itself (its
    modules are imported lazily, its Scheme library read on demand), wherever installed."""
    import sys

    return [Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), Path(__file__).resolve().parents[2]]


def create_view(root: Path, network: str = "shared", thread_only: bool = False,
                keep: Iterable[str | Path] = ()) -> None:
    """Put the calling process (or, with ``thread_only``, the calling thread) in a new view of
    ``root``.  A whole process must be single-threaded when it is not root.  The root, schemy
    itself and the directories of ``keep`` stay visible at their paths, also when they live
    under a directory the view covers (a root or a virtual environment under /tmp)."""
    if network not in NETWORKS:
        raise ViewError(f"unknown network mode {network!r} (expected shared or private)")
    root = Path(root).resolve()
    if os.geteuid() != 0:
        if thread_only:
            raise ViewError("only root can give one thread its own view")
        _enter_user_namespace()
    else:
        unshare(CLONE_NEWNS)
    if network == "private":
        unshare(CLONE_NEWNET)
        bring_loopback_up()
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount_view(root, [root, *program_paths(), *map(Path, keep)])


def _kept_under_covered(paths: list[Path]) -> list[Path]:
    """The existing directories of ``paths`` strictly under a covered directory, without those
    inside another one of them (a recursive bind of the outer one shows them)."""
    targets = [Path(t) for t, _sub, _mode in COVERED if not os.path.islink(t) and os.path.isdir(t)]
    found: list[Path] = []
    for p in sorted({Path(os.path.realpath(p)) for p in paths}, key=lambda p: len(p.parts)):
        if not p.is_dir() or not any(p != t and p.is_relative_to(t) for t in targets):
            continue
        if not any(p.is_relative_to(q) for q in found):
            found.append(p)
    return found


def _mkdirs(path: Path, mode: int = 0o755) -> None:
    """``mkdir -p`` with fixed modes, whatever the umask: the leaf gets ``mode``, parents 0755."""
    if path.is_dir():
        return
    if not path.parent.is_dir():
        _mkdirs(path.parent)
    with contextlib.suppress(FileExistsError):
        path.mkdir()
        os.chmod(path, mode)


def _mount_view(root: Path, keep: list[Path]) -> None:
    sources = {}
    for target, sub, mode in COVERED:
        d = root / sub
        _mkdirs(d, mode)
        sources[target] = os.open(d, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    kept = {p: os.open(p, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC) for p in _kept_under_covered(keep)}
    _mkdirs(root / "run" / "lock", 0o1777)  # /var/lock links to /run/lock on Debian
    _remember_host_copies()
    hetc = host_etc(root)
    _mkdirs(hetc)
    try:
        mount("/etc", str(hetc), None, MS_BIND | MS_REC)
        with contextlib.suppress(ViewError):  # a user namespace may refuse; the bind stays
            mount(None, str(hetc), None, MS_REMOUNT | MS_BIND | MS_RDONLY)
        for target, _sub, _mode in COVERED:
            if os.path.islink(target) or not os.path.isdir(target):
                continue  # /var/run -> /run follows /run
            mount(f"/proc/self/fd/{sources[target]}", target, None, MS_BIND | MS_REC)
        for path, fd in kept.items():
            # It lived under a directory the view covers: show it again at its own path.
            _mkdirs(path)
            mount(f"/proc/self/fd/{fd}", str(path), None, MS_BIND | MS_REC)
        mount("tmpfs", "/etc", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")
        sync_etc(root)
    finally:
        for fd in [*sources.values(), *kept.values()]:
            os.close(fd)


def _remember_host_copies() -> None:
    covered = tuple(target + "/" for target, _sub, _mode in COVERED) + ("/var/run/",)
    for name in os.listdir("/etc"):
        p = os.path.join("/etc", name)
        if not os.path.islink(p):
            continue
        real = os.path.realpath(p)
        if real.startswith(covered) and os.path.isfile(real):
            with contextlib.suppress(OSError):
                _host_copies[name] = Path(real).read_bytes()


def bring_loopback_up() -> None:
    """``ip link set lo up``, with the ioctl ``ip`` would use."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(s, siocgifflags, req))[1]
        fcntl.ioctl(s, siocsifflags, struct.pack("16sH22x", b"lo", flags | iff_up))


# ----------------------------------------------------------------- the view's /etc


def _host_entry(hetc: Path, name: str) -> str:
    """What /etc/NAME links to for a host entry: the host's link target when it is a link
    (made absolute, as seen from /etc), else the entry in the read-only host-etc bind."""
    p = hetc / name
    if p.is_symlink():
        target = os.readlink(p)
        return target if target.startswith("/") else os.path.normpath("/etc/" + target)
    return str(p)


def _merged_accounts(declared: Path, host: Path, id_field: int) -> bytes | None:
    """The declared passwd/group lines, then the host's system accounts the declaration lacks."""
    try:
        mine = declared.read_bytes()
    except OSError:
        return None
    names, ids = set(), set()
    for line in mine.splitlines():
        fields = line.split(b":")
        if len(fields) > id_field:
            names.add(fields[0])
            ids.add(fields[id_field])
    extra = []
    with contextlib.suppress(OSError):
        for line in host.read_bytes().splitlines():
            fields = line.split(b":")
            if len(fields) <= id_field or not fields[id_field].isdigit():
                continue
            if int(fields[id_field]) >= HOST_ACCOUNT_LIMIT or int(fields[id_field]) == 0:
                continue
            if fields[0] in names or fields[id_field] in ids:
                continue
            extra.append(line)
    if mine and not mine.endswith(b"\n"):
        mine += b"\n"
    return mine + b"".join(line + b"\n" for line in extra)


def sync_etc(root: Path, etc: Path = Path("/etc")) -> None:
    """Make the view's /etc (a tmpfs) show the root's current generation, then the host's."""
    root = Path(root).resolve()
    declared_dir = root / "etc"
    hetc = host_etc(root)
    try:
        declared = set(os.listdir(declared_dir))
    except OSError:
        declared = set()
    try:
        host = set(os.listdir(hetc))
    except OSError:
        host = set()
    want: dict[str, str | bytes] = {n: str(declared_dir / n) for n in declared}
    want.update({n: _host_entry(hetc, n) for n in host - declared})
    want.update({n: data for n, data in _host_copies.items() if n in host - declared})
    for name, id_field in (("passwd", 2), ("group", 2)):
        if name in declared:
            merged = _merged_accounts(declared_dir / name, hetc / name, id_field)
            if merged is not None:
                want[name] = merged
    for name in os.listdir(etc):
        p = etc / name
        target = want.get(name)
        if isinstance(target, str) and p.is_symlink() and os.readlink(p) == target:
            continue
        if p.is_dir() and not p.is_symlink():
            continue  # never ours
        p.unlink()
    for name, target in want.items():
        p = etc / name
        if isinstance(target, bytes):
            tmp = etc / f".{name}.new"
            tmp.write_bytes(target)
            os.chmod(tmp, 0o644)
            os.rename(tmp, p)
        elif not os.path.lexists(p):
            os.symlink(target, p)


def can_switch_accounts() -> bool:
    """Whether processes can be started as other users: root, and not root of a user namespace
    that maps only the user who made it (a view made without root)."""
    if os.geteuid() != 0:
        return False
    try:
        ranges = [line.split() for line in Path("/proc/self/uid_map").read_text().splitlines()]
    except OSError:
        return True
    return sum(int(r[2]) for r in ranges if len(r) == 3) > 1


# ----------------------------------------------------------------- entering a view


@contextlib.contextmanager
def transient_view(root: Path, keep: Iterable[str | Path] = ()) -> Iterator[None]:
    """Run the body in the calling thread inside a fresh view of ``root`` (root only), then
    come back: what activation needs before (or without) a running manager.  The view goes
    away with the body; what it wrote under the root's directories stays."""
    cwd = os.getcwd()
    back = os.open("/proc/thread-self/ns/mnt", os.O_RDONLY | os.O_CLOEXEC)
    try:
        create_view(root, thread_only=True, keep=keep)
        yield
    finally:
        # Also when making the view failed halfway: the thread never stays in a broken view.
        setns(back, CLONE_NEWNS)
        os.chdir(cwd)
        os.close(back)


def enter_command(info: dict) -> list[str]:
    """The ``nsenter`` command line that enters a running view (then runs what follows)."""
    cmd = ["nsenter", "--target", str(info["pid"]), "--mount"]
    if info.get("network") == "private":
        cmd.append("--net")
    if info.get("user"):
        cmd += ["--user", "--preserve-credentials"]
    return cmd


def covered_in_view(path: str) -> bool:
    """Whether the view shows the root's own directory at ``path`` (``/var/spool/cups`` is
    ``ROOT/var/spool/cups`` there): activation in a view writes such paths as they are."""
    norm = os.path.normpath(path)
    if norm == "/var/run" or norm.startswith("/var/run/"):
        norm = "/run" + norm[len("/var/run"):]
    return any(norm == t or norm.startswith(t + "/") for t, _sub, _mode in COVERED)

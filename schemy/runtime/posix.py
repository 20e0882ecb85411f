"""POSIX and process procedures, with Guile's names and behaviour.

Records Guile returns as vectors (``stat``, ``getpw``, ``getgr``, ``uname``)
are Scheme vectors (Python lists) with the same layout, so ``vector-ref`` on
them works as in Guile.  Every failed OS call raises a ``system-error``
condition whose ``catch`` arguments are Guile's:
``(ORIGIN "~A" (MESSAGE) (ERRNO))``.
"""

from __future__ import annotations

import _signal
import errno as _errno
import functools
import os
import stat as _stat
import sys
import time
from typing import Any

from schemy.lang.datum import (
    EOF_OBJECT,
    UNSPECIFIED,
    MString,
    Pair,
    Symbol,
    list_to_python,
    make_list,
    make_pair,
    to_str,
)
from schemy.lang.errors import Condition, SchemeError, scheme_error, string_arg, wrong_type
from schemy.runtime.ports import (
    CURRENT_ERROR,
    CURRENT_INPUT,
    CURRENT_OUTPUT,
    STDERR_PORT,
    STDIN_PORT,
    STDOUT_PORT,
    Port,
    flush_all_ports,
    os_error,
)


def int_arg(x: Any, origin: str, pos: int) -> int:
    if x.__class__ is not int:
        raise wrong_type(origin, pos, x, "exact integer")
    return x


def _errno_error(origin: str, code: int) -> SchemeError:
    return os_error(origin, OSError(code, os.strerror(code)))


# ----------------------------------------------------------------- environment


def getenv(name: Any) -> Any:
    from schemy.runtime.sandbox import check_environment_read

    check_environment_read(string_arg(name, "getenv"))
    value = os.environ.get(string_arg(name, "getenv"))
    return False if value is None else value


def setenv(name: Any, value: Any) -> Any:
    key = string_arg(name, "setenv")
    if value is False:
        os.environ.pop(key, None)
    else:
        os.environ[key] = string_arg(value, "setenv", 2)
    return UNSPECIFIED


def unsetenv(name: Any) -> Any:
    os.environ.pop(string_arg(name, "unsetenv"), None)
    return UNSPECIFIED


def environ(env: Any = None) -> Any:
    """The environment as a list of "NAME=VALUE" strings; with a list, replace it."""
    from schemy.runtime.sandbox import check_environment_read

    check_environment_read("environ")
    if env is None:
        return make_list(f"{k}={v}" for k, v in os.environ.items())
    entries = [string_arg(e, "environ") for e in list_to_python(env)]
    os.environ.clear()
    for e in entries:
        k, sep, v = e.partition("=")
        if sep:
            os.environ[k] = v
    return UNSPECIFIED


# ----------------------------------------------------------------- directories and files


def getcwd() -> str:
    try:
        return os.getcwd()
    except OSError as e:
        raise os_error("getcwd", e) from None


def chdir(path: Any) -> Any:
    try:
        os.chdir(string_arg(path, "chdir"))
    except OSError as e:
        raise os_error("chdir", e) from None
    return UNSPECIFIED


def mkdir(path: Any, mode: Any = None) -> Any:
    p = string_arg(path, "mkdir")
    try:
        os.mkdir(p, 0o777 if mode is None else int_arg(mode, "mkdir", 2))
    except OSError as e:
        raise os_error("mkdir", e) from None
    return UNSPECIFIED


_MKNOD_TYPES = {"regular": _stat.S_IFREG, "fifo": _stat.S_IFIFO, "socket": _stat.S_IFSOCK,
                "block-special": _stat.S_IFBLK, "char-special": _stat.S_IFCHR}


def mknod(path: Any, kind: Any, perms: Any, dev: Any) -> Any:
    """Guile's ``(mknod PATH TYPE PERMS DEV)``: TYPE is 'fifo, 'regular, 'socket,
    'block-special or 'char-special (services make FIFOs with it, as anonip's)."""
    p = string_arg(path, "mknod")
    if not isinstance(kind, Symbol) or str(kind) not in _MKNOD_TYPES:
        raise wrong_type("mknod", 2, kind)
    try:
        os.mknod(p, _MKNOD_TYPES[str(kind)] | int_arg(perms, "mknod", 3), int_arg(dev, "mknod", 4))
    except OSError as e:
        raise os_error("mknod", e) from None
    return UNSPECIFIED


def rmdir(path: Any) -> Any:
    try:
        os.rmdir(string_arg(path, "rmdir"))
    except OSError as e:
        raise os_error("rmdir", e) from None
    return UNSPECIFIED


def file_exists(path: Any) -> bool:
    return os.path.exists(string_arg(path, "file-exists?"))


def file_is_directory(path: Any) -> bool:
    return os.path.isdir(string_arg(path, "file-is-directory?"))


def delete_file(path: Any) -> Any:
    try:
        os.unlink(string_arg(path, "delete-file"))
    except OSError as e:
        raise os_error("delete-file", e) from None
    return UNSPECIFIED


def rename_file(old: Any, new: Any) -> Any:
    try:
        os.rename(string_arg(old, "rename-file"), string_arg(new, "rename-file", 2))
    except OSError as e:
        raise os_error("rename-file", e) from None
    return UNSPECIFIED


def copy_file(src: Any, dst: Any, *options: Any) -> Any:
    """Copy contents; a new file gets the source's permission bits (as Guile's open(2) mode)."""
    s, d = string_arg(src, "copy-file"), string_arg(dst, "copy-file", 2)
    try:
        with open(s, "rb") as fin:
            mode = os.fstat(fin.fileno()).st_mode & 0o7777
            fd = os.open(d, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            with os.fdopen(fd, "wb") as fout:
                while True:
                    chunk = fin.read(1 << 20)
                    if not chunk:
                        break
                    fout.write(chunk)
    except OSError as e:
        raise os_error("copy-file", e) from None
    return UNSPECIFIED


def symlink(target: Any, name: Any) -> Any:
    try:
        os.symlink(string_arg(target, "symlink"), string_arg(name, "symlink", 2))
    except OSError as e:
        raise os_error("symlink", e) from None
    return UNSPECIFIED


def readlink(path: Any) -> str:
    try:
        return os.readlink(string_arg(path, "readlink"))
    except OSError as e:
        raise os_error("readlink", e) from None


def link(old: Any, new: Any) -> Any:
    try:
        os.link(string_arg(old, "link"), string_arg(new, "link", 2))
    except OSError as e:
        raise os_error("link", e) from None
    return UNSPECIFIED


def _path_or_fd(x: Any, origin: str) -> str | int:
    if x.__class__ is int:
        return x
    if isinstance(x, Port):
        fd = x.fileno()
        if fd is None:
            raise wrong_type(origin, 1, x, "file port")
        x.flush()
        return fd
    return string_arg(x, origin)


def chmod(path: Any, mode: Any) -> Any:
    target = _path_or_fd(path, "chmod")
    try:
        os.chmod(target, int_arg(mode, "chmod", 2))
    except OSError as e:
        raise os_error("chmod", e) from None
    return UNSPECIFIED


def chown(path: Any, owner: Any, group: Any) -> Any:
    target = _path_or_fd(path, "chown")
    try:
        os.chown(target, int_arg(owner, "chown", 2), int_arg(group, "chown", 3))
    except OSError as e:
        raise os_error("chown", e) from None
    return UNSPECIFIED


def utime(path: Any, actime: Any = None, modtime: Any = None, actimens: Any = None, modtimens: Any = None,
          flags: Any = None) -> Any:
    p = string_arg(path, "utime")
    now = time.time_ns()
    a = now if actime is None else int_arg(actime, "utime", 2) * 10**9 + (actimens or 0)
    m = now if modtime is None else int_arg(modtime, "utime", 3) * 10**9 + (modtimens or 0)
    follow = not (isinstance(flags, int) and flags & 0x100)
    try:
        os.utime(p, ns=(a, m), follow_symlinks=follow)
    except OSError as e:
        raise os_error("utime", e) from None
    return UNSPECIFIED


_TYPES = [
    (_stat.S_ISREG, "regular"), (_stat.S_ISDIR, "directory"), (_stat.S_ISLNK, "symlink"),
    (_stat.S_ISBLK, "block-special"), (_stat.S_ISCHR, "char-special"), (_stat.S_ISFIFO, "fifo"),
    (_stat.S_ISSOCK, "socket"),
]


def _file_type(mode: int) -> Symbol:
    for test, name in _TYPES:
        if test(mode):
            return Symbol(name)
    return Symbol("unknown")


def stat_vector(st: os.stat_result) -> list:
    """Guile's 18-slot stat vector."""
    return [st.st_dev, st.st_ino, st.st_mode, st.st_nlink, st.st_uid, st.st_gid, st.st_rdev, st.st_size,
            int(st.st_atime), int(st.st_mtime), int(st.st_ctime), st.st_blksize, st.st_blocks,
            _file_type(st.st_mode), st.st_mode & 0o7777,
            st.st_atime_ns % 10**9, st.st_mtime_ns % 10**9, st.st_ctime_ns % 10**9]


def stat(obj: Any, exception_on_error: Any = True) -> Any:
    """``(stat file [exception-on-error?])``: FILE is a name, a file descriptor or a port."""
    target = _path_or_fd(obj, "stat")
    try:
        return stat_vector(os.stat(target))
    except OSError as e:
        if exception_on_error is False:
            return False
        raise os_error("stat", e, obj if isinstance(target, str) else None) from None


def lstat(path: Any) -> Any:
    p = string_arg(path, "lstat")
    try:
        return stat_vector(os.lstat(p))
    except OSError as e:
        raise os_error("lstat", e, path) from None


def _stat_accessor(index: int, name: str) -> Any:
    def accessor(st: Any) -> Any:
        if st.__class__ is not list or len(st) != 18:
            raise wrong_type(name, 1, st, "stat object")
        return st[index]

    accessor.__name__ = name.replace(":", "_")
    return accessor


_STAT_FIELDS = ["dev", "ino", "mode", "nlink", "uid", "gid", "rdev", "size", "atime", "mtime", "ctime",
                "blksize", "blocks", "type", "perms", "atimensec", "mtimensec", "ctimensec"]
STAT_ACCESSORS = {f"stat:{f}": _stat_accessor(i, f"stat:{f}") for i, f in enumerate(_STAT_FIELDS)}


def access(path: Any, how: Any) -> bool:
    return os.access(string_arg(path, "access?"), int_arg(how, "access?", 2))


def umask(mode: Any = None) -> int:
    if mode is None:
        old = os.umask(0)
        os.umask(old)
        return old
    return os.umask(int_arg(mode, "umask", 1))


def canonicalize_path(path: Any) -> str:
    p = string_arg(path, "canonicalize-path")
    try:
        return os.path.realpath(p, strict=True)
    except OSError as e:
        raise os_error("canonicalize-path", e) from None


def basename(path: Any, suffix: Any = None) -> str:
    """Guile's ``basename``: trailing slashes stay unless a suffix is removed."""
    s = string_arg(path, "basename")
    suf = None if suffix is None else string_arg(suffix, "basename", 2)
    last = len(s) - 1
    i = last
    while i >= 0 and s[i] == "/":
        i -= 1
    if i < 0:
        return "/" if s else ""
    end = last
    if suf:
        j = len(suf) - 1
        k = i
        while k >= 0 and j >= 0 and s[k] == suf[j]:
            k -= 1
            j -= 1
        if j < 0:
            i = end = k
    while i >= 0 and s[i] != "/":
        i -= 1
    return s[i + 1:end + 1]


def dirname(path: Any) -> str:
    s = string_arg(path, "dirname")
    i = len(s) - 1
    while i >= 0 and s[i] == "/":
        i -= 1
    while i >= 0 and s[i] != "/":
        i -= 1
    while i >= 0 and s[i] == "/":
        i -= 1
    if i < 0:
        return "/" if s.startswith("/") else "."
    return s[:i + 1]


def absolute_file_name_p(path: Any) -> bool:
    """Guile's ``absolute-file-name?``: on POSIX, a file name that starts with a slash."""
    return string_arg(path, "absolute-file-name?").startswith("/")


# -- directory streams


class DirectoryStream:
    __slots__ = ("path", "entries", "index", "closed")

    def __init__(self, path: str, entries: list[str]) -> None:
        self.path = path
        self.entries = entries
        self.index = 0
        self.closed = False

    def __scheme_repr__(self, write: bool) -> str:
        state = "closed" if self.closed else "open"
        return f"#<directory-stream {state} {id(self):x}>"


def _listdir(origin: str, p: str) -> list[str]:
    try:
        names = os.listdir(p)
    except OSError as e:
        raise os_error(origin, e) from None
    return [".", "..", *names]


def opendir(path: Any) -> DirectoryStream:
    p = string_arg(path, "opendir")
    return DirectoryStream(p, _listdir("opendir", p))


def _dirstream(x: Any, origin: str) -> DirectoryStream:
    if not isinstance(x, DirectoryStream):
        raise wrong_type(origin, 1, x, "directory stream")
    if x.closed:
        raise wrong_type(origin, 1, x, "open directory stream")
    return x


def readdir(stream: Any) -> Any:
    d = _dirstream(stream, "readdir")
    if d.index >= len(d.entries):
        return EOF_OBJECT
    d.index += 1
    return d.entries[d.index - 1]


def rewinddir(stream: Any) -> Any:
    d = _dirstream(stream, "rewinddir")
    d.entries = _listdir("rewinddir", d.path)
    d.index = 0
    return UNSPECIFIED


def closedir(stream: Any) -> Any:
    if not isinstance(stream, DirectoryStream):
        raise wrong_type("closedir", 1, stream, "directory stream")
    stream.closed = True
    return UNSPECIFIED


def is_directory_stream(x: Any) -> bool:
    return isinstance(x, DirectoryStream)


def scandir(path: Any, select: Any = None, entry_less: Any = None) -> Any:
    """(ice-9 ftw) ``scandir``: sorted entry names (with "." and ".."), or #f if unreadable."""
    p = string_arg(path, "scandir")
    try:
        names = [".", "..", *os.listdir(p)]
    except OSError:
        return False
    if select is not None and select is not False:
        names = [n for n in names if select(n) is not False]
    if entry_less is None or entry_less is False:
        names.sort()
    else:
        def cmp(a: str, b: str) -> int:
            if entry_less(a, b) is not False:
                return -1
            if entry_less(b, a) is not False:
                return 1
            return 0

        names.sort(key=functools.cmp_to_key(cmp))
    return make_list(names)


# ----------------------------------------------------------------- users and groups


def _passwd_vector(pw: Any) -> list:
    return [pw.pw_name, pw.pw_passwd, pw.pw_uid, pw.pw_gid, pw.pw_gecos, pw.pw_dir, pw.pw_shell]


def getpw(user: Any = None) -> Any:
    import pwd

    try:
        if user.__class__ is int:
            return _passwd_vector(pwd.getpwuid(user))
        return _passwd_vector(pwd.getpwnam(string_arg(user, "getpw")))
    except (KeyError, OverflowError):
        raise scheme_error("entry not found", origin="getpw") from None


def _group_vector(gr: Any) -> list:
    return [gr.gr_name, gr.gr_passwd, gr.gr_gid, make_list(gr.gr_mem)]


def getgr(group: Any = None) -> Any:
    import grp

    try:
        if group.__class__ is int:
            return _group_vector(grp.getgrgid(group))
        return _group_vector(grp.getgrnam(string_arg(group, "getgr")))
    except (KeyError, OverflowError):
        # Guile reports a missing group this way (errno is 0).
        raise SchemeError(Condition("system-error", "Success", origin="getgr", fields={
            "errno": 0, "key": Symbol("system-error"),
            "args": ["getgr", "~A", make_list(["Success"]), make_list([0])]})) from None


def _vector_accessor(index: int, name: str, size: int, what: str) -> Any:
    def accessor(v: Any) -> Any:
        if v.__class__ is not list or len(v) != size:
            raise wrong_type(name, 1, v, what)
        return v[index]

    accessor.__name__ = name.replace(":", "_")
    return accessor


PASSWD_ACCESSORS = {f"passwd:{f}": _vector_accessor(i, f"passwd:{f}", 7, "passwd entry")
                    for i, f in enumerate(["name", "passwd", "uid", "gid", "gecos", "dir", "shell"])}
GROUP_ACCESSORS = {f"group:{f}": _vector_accessor(i, f"group:{f}", 4, "group entry")
                   for i, f in enumerate(["name", "passwd", "gid", "mem"])}


def uname() -> list:
    u = os.uname()
    return [u.sysname, u.nodename, u.release, u.version, u.machine]


UTSNAME_ACCESSORS = {f"utsname:{f}": _vector_accessor(i, f"utsname:{f}", 5, "utsname")
                     for i, f in enumerate(["sysname", "nodename", "release", "version", "machine"])}


def gethostname() -> str:
    import socket

    return socket.gethostname()


def _id_setter(name: str, fn: Any) -> Any:
    def setter(n: Any) -> Any:
        try:
            fn(int_arg(n, name, 1))
        except OSError as e:
            raise os_error(name, e) from None
        return UNSPECIFIED

    setter.__name__ = name
    return setter


def getgroups() -> list:
    return list(os.getgroups())


# ----------------------------------------------------------------- time


def current_time() -> int:
    return int(time.time())


# Broken-down time as Guile has it: #(sec min hour mday mon year wday yday isdst gmtoff zone),
# year counted from 1900, month from 0, gmtoff in seconds *west* of UTC.
_TM_FIELDS = ("sec", "min", "hour", "mday", "mon", "year", "wday", "yday", "isdst", "gmtoff", "zone")


def _tm_vector(t: time.struct_time) -> list:
    return [t.tm_sec, t.tm_min, t.tm_hour, t.tm_mday, t.tm_mon - 1, t.tm_year - 1900, (t.tm_wday + 1) % 7,
            t.tm_yday - 1, max(t.tm_isdst, 0), -(t.tm_gmtoff or 0), t.tm_zone or ""]


def _with_tz(zone: Any, fn: Any) -> Any:
    if zone is None:
        return fn()
    saved = os.environ.get("TZ")
    os.environ["TZ"] = to_str(zone)
    time.tzset()
    try:
        return fn()
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()


def localtime(seconds: Any, zone: Any = None) -> list:
    """``(localtime time [zone])``: broken-down local time, as a Guile tm vector."""
    return _with_tz(zone, lambda: _tm_vector(time.localtime(seconds)))


def gmtime(seconds: Any) -> list:
    t = time.gmtime(seconds)
    v = _tm_vector(t)
    v[10] = "GMT"
    return v


def _struct_time(tm: Any) -> time.struct_time:
    if tm.__class__ is not list or len(tm) < 11:
        raise wrong_type("strftime", 2, tm, "tm vector")
    sec, mn, hour, mday, mon, year, wday, yday, isdst = tm[:9]
    return time.struct_time((year + 1900, mon + 1, mday, hour, mn, sec, (wday - 1) % 7, yday + 1, isdst))


def strftime(fmt: Any, tm: Any) -> str:
    return time.strftime(to_str(fmt), _struct_time(tm))


def mktime(tm: Any, zone: Any = None) -> Pair:
    """``(mktime tm [zone])``: (seconds . normalized tm)."""
    def run() -> Pair:
        st = _struct_time(tm)
        seconds = int(time.mktime(time.struct_time((*st[:8], -1))))
        return make_pair(seconds, _tm_vector(time.localtime(seconds)))

    return _with_tz(zone, run)


def _tm_accessors() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, field in enumerate(_TM_FIELDS):
        def get(tm: Any, i: int = i) -> Any:
            return tm[i]

        def put(tm: Any, value: Any, i: int = i) -> Any:
            tm[i] = value
            return UNSPECIFIED

        out[f"tm:{field}"] = get
        out[f"set-tm:{field}"] = put
    return out


def gettimeofday() -> Pair:
    ns = time.time_ns()
    return make_pair(ns // 10**9, (ns // 1000) % 10**6)


def sleep(secs: Any) -> int:
    time.sleep(max(0, int_arg(secs, "sleep", 1)))
    return 0


def usleep(usecs: Any) -> int:
    time.sleep(max(0, int_arg(usecs, "usleep", 1)) / 1e6)
    return 0


# ----------------------------------------------------------------- processes


def kill(pid: Any, sig: Any) -> Any:
    try:
        os.kill(int_arg(pid, "kill", 1), int_arg(sig, "kill", 2))
    except OSError as e:
        raise os_error("kill", e) from None
    return UNSPECIFIED


def waitpid(pid: Any, options: Any = 0) -> Pair:
    try:
        child, status = os.waitpid(int_arg(pid, "waitpid", 1), int_arg(options, "waitpid", 2))
    except OSError as e:
        raise os_error("waitpid", e) from None
    return make_pair(child, status)


def primitive_fork() -> int:
    """``(primitive-fork)``: 0 in the child, the child's PID in the parent, as in Guile.

    Guix's activation snippets fork to drop privileges before running a program as a service
    account (postgresql's initdb); the child is expected to ``execl`` or ``primitive-exit``.
    """
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    try:
        return os.fork()
    except OSError as e:
        raise os_error("primitive-fork", e) from None


def _exec(name: str, search: bool, program: Any, args: tuple[Any, ...]) -> Any:
    file = string_arg(program, name, 1)
    argv = [string_arg(a, name, i + 2) for i, a in enumerate(args)]
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    try:
        (os.execvp if search else os.execv)(file, argv or [file])
    except OSError as e:
        raise os_error(name, e) from None
    return UNSPECIFIED  # not reached


def execl(program: Any, *args: Any) -> Any:
    """``(execl FILENAME ARG0 ARG ...)``: replace this process by FILENAME."""
    return _exec("execl", False, program, args)


def execlp(program: Any, *args: Any) -> Any:
    """``(execlp PROGRAM ARG0 ARG ...)``: like execl, PROGRAM searched on PATH."""
    return _exec("execlp", True, program, args)


def primitive_exit(status: Any = 0) -> Any:
    """``(primitive-exit [STATUS])``: end this process at once, without unwinding (a forked child)."""
    code = 0 if status is True else 1 if status is False else int_arg(status, "primitive-exit", 1)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def status_exit_val(status: Any) -> Any:
    st = int_arg(status, "status:exit-val", 1)
    return os.WEXITSTATUS(st) if os.WIFEXITED(st) else False


def status_term_sig(status: Any) -> Any:
    st = int_arg(status, "status:term-sig", 1)
    return os.WTERMSIG(st) if os.WIFSIGNALED(st) else False


def status_stop_sig(status: Any) -> Any:
    st = int_arg(status, "status:stop-sig", 1)
    return os.WSTOPSIG(st) if os.WIFSTOPPED(st) else False


def _raw_status(returncode: int) -> int:
    """subprocess's return code as the wait status Guile's ``system`` returns."""
    return returncode << 8 if returncode >= 0 else -returncode


def _child_stream(port: Port) -> Any:
    """What a child process gets for one standard stream: the port's descriptor,
    nothing (string ports, as in Guile), or a pipe when the port is a redirected
    ``sys.stdout``/``sys.stderr`` without a descriptor."""
    import subprocess

    if port.kind in ("std", "file", "pipe"):
        fd = port.fileno()
        if fd is not None:
            return fd
        return subprocess.PIPE if port.kind == "std" else subprocess.DEVNULL
    return subprocess.DEVNULL


def _run(argv: list[str] | str, shell: bool) -> int:
    """Run a child.  Like Guile, ``system`` (SHELL) gives it the process's own standard
    streams while ``system*`` gives it the current ports."""
    import subprocess

    flush_all_ports()
    if shell:
        out_ports = [STDIN_PORT, STDOUT_PORT, STDERR_PORT]
    else:
        out_ports = [CURRENT_INPUT.value, CURRENT_OUTPUT.value, CURRENT_ERROR.value]
    streams = [_child_stream(p) for p in out_ports]
    if streams[0] is subprocess.PIPE:
        streams[0] = None
    try:
        if subprocess.PIPE in streams[1:]:
            res = subprocess.run(argv, shell=shell, stdin=streams[0], stdout=streams[1], stderr=streams[2],
                                 check=False)
            if res.stdout:
                out_ports[1].put(res.stdout.decode("utf-8", errors="replace"))
            if res.stderr:
                out_ports[2].put(res.stderr.decode("utf-8", errors="replace"))
            rc = res.returncode
        else:
            rc = subprocess.call(argv, shell=shell, stdin=streams[0], stdout=streams[1], stderr=streams[2])
    except (FileNotFoundError, PermissionError, NotADirectoryError):
        return 127 << 8
    except OSError as e:
        raise os_error("system*", e) from None
    return _raw_status(rc)


def system(command: Any = None) -> Any:
    """Run COMMAND with /bin/sh; the raw wait status (exit code * 256).  No argument: is there a shell?"""
    if command is None:
        return os.access("/bin/sh", os.X_OK)
    return _run(string_arg(command, "system"), True)


def system_star(*args: Any) -> int:
    if not args:
        raise scheme_error("Wrong number of arguments to system*", kind="wrong-number-of-args")
    argv = [string_arg(a, "system*", i + 1) for i, a in enumerate(args)]
    return _run(argv, False)


# ----------------------------------------------------------------- errors


def strerror(code: Any) -> str:
    return os.strerror(int_arg(code, "strerror", 1))


def system_error_errno(args: Any) -> Any:
    """``(system-error-errno (key . args))``: the errno of a caught system-error, else #f."""
    if args.__class__ is not Pair or args.car is not Symbol("system-error"):
        return False
    items = list(args)
    if len(items) < 5 or items[4].__class__ is not Pair:
        return False
    return items[4].car


ERRNO_CONSTANTS = {name: getattr(_errno, name) for name in dir(_errno)
                   if name.startswith("E") and isinstance(getattr(_errno, name), int)}

def _signal_constants() -> dict[str, int]:
    """What ``{s.name: int(s) for s in signal.Signals}`` gives, read from the C module: the
    ``signal`` module builds its enums on import (~0.5 ms of every start).  Like the enum, one
    name per number, the first in (number, name) order (SIGABRT, not its alias SIGIOT)."""
    found = sorted((value, name) for name, value in vars(_signal).items()
                   if name.isupper() and name.startswith("SIG") and not name.startswith("SIG_"))
    out: dict[str, int] = {}
    seen: set[int] = set()
    for value, name in found:
        if value not in seen:
            seen.add(value)
            out[name] = value
    return out


SIGNAL_CONSTANTS = _signal_constants()


def search_path(path: Any, filename: Any, *extensions: Any) -> Any:
    """Guile's ``search-path``: the first DIR/FILENAME (plus an extension) that exists."""
    dirs = [string_arg(d, "search-path") for d in list_to_python(path)]
    name = string_arg(filename, "search-path", 2)
    exts = [""]
    if extensions and extensions[0] is not False and extensions[0] is not True:
        exts = [string_arg(e, "search-path", 3) for e in list_to_python(extensions[0])] + [""]
    if name.startswith("/"):
        for ext in exts:
            if os.path.exists(name + ext) and not os.path.isdir(name + ext):
                return name + ext
        return False
    for d in dirs:
        for ext in exts:
            candidate = f"{d}/{name}{ext}"
            if os.path.exists(candidate) and not os.path.isdir(candidate):
                return candidate
    return False



# ----------------------------------------------------------------- temporary files


def mkstemp(template: Any, mode: Any = None) -> Port:
    """``mkstemp!``: create a unique file from TEMPLATE (ending in XXXXXX); return an output port.
    A mutable TEMPLATE string is updated with the name chosen."""
    from schemy.runtime.ports import open_file_port

    t = string_arg(template, "mkstemp")
    if not t.endswith("XXXXXX"):
        raise _errno_error("mkstemp", _errno.EINVAL)
    import random
    import string

    chars = string.ascii_letters + string.digits
    for _ in range(1000):
        name = t[:-6] + "".join(random.choice(chars) for _ in range(6))
        try:
            fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError as e:
            raise os_error("mkstemp", e) from None
        os.close(fd)
        if isinstance(template, MString):
            template.chars = list(name)
        port = open_file_port(name, "r+" if mode is None else string_arg(mode, "mkstemp", 2), "mkstemp")
        return port
    raise _errno_error("mkstemp", _errno.EEXIST)


def mkdtemp(template: Any) -> str:
    import tempfile

    t = string_arg(template, "mkdtemp")
    if not t.endswith("XXXXXX"):
        raise _errno_error("mkdtemp", _errno.EINVAL)
    try:
        return tempfile.mkdtemp(prefix=os.path.basename(t[:-6]), dir=os.path.dirname(t) or ".")
    except OSError as e:
        raise os_error("mkdtemp", e) from None


PRIMITIVES: dict[str, Any] = {
    # environment
    "getenv": getenv,
    "setenv": setenv,
    "unsetenv": unsetenv,
    "environ": environ,
    # files and directories
    "getcwd": getcwd,
    "chdir": chdir,
    "mkdir": mkdir,
    "mknod": mknod,
    "rmdir": rmdir,
    "file-exists?": file_exists,
    "file-is-directory?": file_is_directory,
    "delete-file": delete_file,
    "rename-file": rename_file,
    "copy-file": copy_file,
    "symlink": symlink,
    "readlink": readlink,
    "link": link,
    "chmod": chmod,
    "chown": chown,
    "utime": utime,
    "AT_SYMLINK_NOFOLLOW": 0x100,
    "stat": stat,
    "lstat": lstat,
    **STAT_ACCESSORS,
    "access?": access,
    "R_OK": os.R_OK,
    "W_OK": os.W_OK,
    "X_OK": os.X_OK,
    "F_OK": os.F_OK,
    "umask": umask,
    "canonicalize-path": canonicalize_path,
    "basename": basename,
    "dirname": dirname,
    "absolute-file-name?": absolute_file_name_p,
    "opendir": opendir,
    "readdir": readdir,
    "rewinddir": rewinddir,
    "closedir": closedir,
    "directory-stream?": is_directory_stream,
    "scandir": scandir,
    "mkstemp!": mkstemp,
    "mkstemp": mkstemp,
    "mkdtemp!": mkdtemp,
    "mkdtemp": mkdtemp,
    # users, groups, host
    "getpid": os.getpid,
    # Locale categories, as glibc numbers them (for (ice-9 i18n)'s make-locale).
    "LC_CTYPE": 0, "LC_NUMERIC": 1, "LC_TIME": 2, "LC_COLLATE": 3, "LC_MONETARY": 4,
    "LC_MESSAGES": 5, "LC_ALL": 6,
    "getppid": os.getppid,
    "getuid": os.getuid,
    "geteuid": os.geteuid,
    "getgid": os.getgid,
    "getegid": os.getegid,
    "getgroups": getgroups,
    "setuid": _id_setter("setuid", os.setuid),
    "setgid": _id_setter("setgid", os.setgid),
    "seteuid": _id_setter("seteuid", os.seteuid),
    "setegid": _id_setter("setegid", os.setegid),
    "getpw": getpw,
    "getpwnam": getpw,
    "getpwuid": getpw,
    **PASSWD_ACCESSORS,
    "getgr": getgr,
    "getgrnam": getgr,
    "getgrgid": getgr,
    **GROUP_ACCESSORS,
    "uname": uname,
    **UTSNAME_ACCESSORS,
    "gethostname": gethostname,
    # time
    "current-time": current_time,
    "localtime": localtime,
    "gmtime": gmtime,
    "strftime": strftime,
    "mktime": mktime,
    **_tm_accessors(),
    "gettimeofday": gettimeofday,
    "sleep": sleep,
    "usleep": usleep,
    # processes
    "kill": kill,
    "waitpid": waitpid,
    "WNOHANG": os.WNOHANG,
    "WUNTRACED": os.WUNTRACED,
    "WAIT_ANY": -1,
    "WAIT_MYPGRP": 0,
    "system": system,
    "system*": system_star,
    "primitive-fork": primitive_fork,
    "execl": execl,
    "execlp": execlp,
    "primitive-exit": primitive_exit,
    "primitive-_exit": primitive_exit,
    "status:exit-val": status_exit_val,
    "status:term-sig": status_term_sig,
    "status:stop-sig": status_stop_sig,
    **SIGNAL_CONSTANTS,
    # errors
    "strerror": strerror,
    "system-error-errno": system_error_errno,
    **ERRNO_CONSTANTS,
    "search-path": search_path,
}

__all__ = ["PRIMITIVES"]

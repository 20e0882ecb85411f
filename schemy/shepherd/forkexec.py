"""Process constructors and destructors: ``make-forkexec-constructor``, ``fork+exec-command``,
``make-kill-destructor``, ``make-system-constructor``, ``read-pid-file``, and the accounts
processes run as.

Start procedures return the service's *running value*: a PID (int) for a process, any other
true value for a service without one, #f (``False``) for failure.  Stop procedures receive
the running value and return #f when the service is stopped.

Processes get ``DEFAULT_ENVIRONMENT`` plus their ``#:environment-variables`` (never the
environment of whoever started the manager), and, when the manager runs as root, the
accounts they name: an account missing on the host is an ``AccountError``, never root.
"""

from __future__ import annotations

import fcntl
import grp
import os
import pwd
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemy.lang.datum import NIL, make_list
from schemy.lang.errors import scheme_error
from schemy.shepherd.args import as_list, as_names, as_text, split_keywords, truth
from schemy.shepherd.context import current_context, fail, note
from schemy.shepherd.namespace import can_switch_accounts
from schemy.shepherd.process import DEFAULT_GRACE_PERIOD, PROCESSES, ProcessTable, describe_exit, terminate

DEFAULT_PID_FILE_TIMEOUT = 5.0


class AccountError(Exception):
    """A process's ``#:user``, ``#:group`` or supplementary group does not exist on this host.

    Running it anyway would run it as root: the manager refuses (fails closed) instead.
    """


# What services get when they declare nothing, as under a Shepherd started as PID 1 (whose
# ``default-environment-variables`` is its own, nearly empty, boot environment): a PATH and
# nothing of the caller's (no HOME, tokens, SSH agent, PYTHONPATH...).
DEFAULT_ENVIRONMENT: dict[str, str] = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}


def service_environment(declared: dict[str, str] | None) -> dict[str, str]:
    """The environment of a service process: the default one, plus (overridden by) what it declares."""
    env = dict(DEFAULT_ENVIRONMENT)
    env.update(declared or {})
    return env


def _resolve_account(user: Any, group: Any, origin: str) -> tuple[int | None, int | None, list[int] | None]:
    """uid/gid to run as: only when we are root; an account missing here is an ``AccountError``."""
    if not truth(user) and not truth(group):
        return None, None, None
    uname = as_text(user) if truth(user) else None
    gname = as_text(group) if truth(group) else None
    if not can_switch_accounts():
        asked = (f"user {uname}" if uname else "", f"group {gname}" if gname else "")
        who = " and ".join(x for x in asked if x)
        if os.geteuid() == 0:
            note(f"{origin}: the root's view was made without root (a user namespace mapping one user): "
                 f"{who} ignored")
            return None, None, None
        me = pwd.getpwuid(os.geteuid()).pw_name
        note(f"{origin}: not running as root: {who} ignored; running as {me}")
        return None, None, None
    uid = gid = None
    groups: list[int] | None = None
    if uname is not None:
        try:
            pw = pwd.getpwnam(uname) if not uname.isdigit() else pwd.getpwuid(int(uname))
            uid, gid = pw.pw_uid, pw.pw_gid
            groups = [g.gr_gid for g in grp.getgrall() if pw.pw_name in g.gr_mem]
        except KeyError:
            raise AccountError(f"user {uname} does not exist on this host; refusing to run it as root "
                               "(create the account, or drop #:user)") from None
    if gname is not None:
        try:
            gid = grp.getgrnam(gname).gr_gid if not gname.isdigit() else int(gname)
        except KeyError:
            raise AccountError(f"group {gname} does not exist on this host; refusing to run it with "
                               "root's group (create the group, or drop #:group)") from None
    return uid, gid, groups


# ----------------------------------------------------------------- fork/exec


def _environment(env: Any, origin: str) -> dict[str, str] | None:
    if not truth(env):
        return None
    out: dict[str, str] = {}
    for item in as_list(env, origin + " #:environment-variables"):
        text = as_text(item)
        k, sep, v = text.partition("=")
        if not sep:
            raise scheme_error(f"{origin}: environment variable without '=': {text}", kind="wrong-type-arg")
        out[k] = v
    return out


def _open_log(path: Path | None) -> int:
    if path is None:
        return os.open(os.devnull, os.O_WRONLY)
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)


@dataclass
class ExecOptions:
    """Everything ``make-forkexec-constructor`` and ``fork+exec-command`` accept."""

    command: list[str]
    log_file: Path | None = None
    env: dict[str, str] | None = None
    user: Any = False
    group: Any = False
    directory: str = "/"
    umask: int | None = None
    supplementary_groups: list[str] = field(default_factory=list)
    create_session: bool = True

    def spawn(self, origin: str, table: ProcessTable, connection: int | None = None,
              listen_fds: list[int] | None = None) -> subprocess.Popen:
        """Run the command.  ``connection``: a socket that becomes its standard input and
        output (inetd style); ``listen_fds``: listening sockets it gets as descriptors 3, 4...
        (systemd style, with LISTEN_FDS and LISTEN_PID set)."""
        uid, gid, groups = _resolve_account(self.user, self.group, origin)
        if self.supplementary_groups:
            if not can_switch_accounts():
                note(f"{origin}: not running as root: supplementary groups "
                      f"{' '.join(self.supplementary_groups)} ignored")
            else:
                groups = list(groups or [])
                for g in self.supplementary_groups:
                    try:
                        groups.append(int(g) if g.isdigit() else grp.getgrnam(g).gr_gid)
                    except KeyError:
                        raise AccountError(f"supplementary group {g} does not exist on this host; "
                                           "refusing to run without it") from None
        ctx = current_context()
        log_path = self.log_file or (ctx.log_file if ctx else None)
        fd = _open_log(log_path)
        kwargs: dict[str, Any] = {}
        if uid is not None:
            kwargs["user"] = uid
        if gid is not None:
            kwargs["group"] = gid
        if groups is not None and (uid is not None or self.supplementary_groups):
            kwargs["extra_groups"] = groups
        if self.umask is not None:
            kwargs["umask"] = self.umask
        env = service_environment(self.env)
        command = self.command
        stdin: Any = subprocess.DEVNULL
        stdout: Any = fd
        if connection is not None:
            stdin = stdout = connection
        if listen_fds:
            # The sockets become descriptors 3.. in the child; LISTEN_PID must be the PID of
            # the program itself, which only a shell exec'ing it knows ($$).
            env["LISTEN_FDS"] = str(len(listen_fds))
            kwargs["pass_fds"] = tuple(range(3, 3 + len(listen_fds))) + tuple(listen_fds)
            kwargs["preexec_fn"] = _install_fds(listen_fds)
            command = ["/bin/sh", "-c", 'LISTEN_PID=$$; export LISTEN_PID; exec "$@"', "sh", *command]
        try:
            p = table.spawn(command, stdin=stdin, stdout=stdout, stderr=fd if connection is not None
                            else subprocess.STDOUT, cwd=self.directory, env=env,
                            start_new_session=self.create_session, close_fds=True, **kwargs)
        finally:
            os.close(fd)
        if ctx is not None:
            ctx.pids.append(p.pid)
        return p


def _install_fds(fds: list[int]) -> Any:
    """In the child, before exec: the listening sockets at descriptors 3, 4, ... (moved out of
    the way first, since one may already sit where another must go), inheritable."""
    def install() -> None:
        floor = max([*fds, 3 + len(fds)]) + 1
        high = [fcntl.fcntl(f, fcntl.F_DUPFD_CLOEXEC, floor) for f in fds]
        for i, h in enumerate(high):
            os.dup2(h, 3 + i, inheritable=True)
        for f in (*high, *fds):
            if f >= 3 + len(fds):
                try:
                    os.close(f)
                except OSError:
                    pass

    return install


_EXEC_KEYS = ("pid-file", "pid-file-timeout", "log-file", "environment-variables", "user", "group",
              "supplementary-groups", "directory", "umask", "file-creation-mask", "resource-limits",
              "create-session?", "input-port", "log-encoding")


def _exec_options(origin: str, command: Any, kw: dict[str, Any]) -> ExecOptions:
    cmd = [as_text(c) for c in as_list(command, origin)]
    if not cmd:
        raise scheme_error(f"{origin}: empty command", kind="wrong-type-arg")
    if truth(kw.get("resource-limits", False)):
        note(f"{origin}: #:resource-limits are not applied by schemy (ignored)")
    mask = kw.get("file-creation-mask", kw.get("umask", False))
    log_file = kw.get("log-file", False)
    directory = kw.get("directory", False)
    return ExecOptions(
        command=cmd,
        log_file=Path(as_text(log_file)) if truth(log_file) else None,
        env=_environment(kw.get("environment-variables", False), origin),
        user=kw.get("user", False),
        group=kw.get("group", False),
        directory=as_text(directory) if truth(directory) else "/",
        umask=int(mask) if truth(mask) else None,
        supplementary_groups=as_names(kw.get("supplementary-groups", NIL), origin + " #:supplementary-groups"),
        create_session=truth(kw.get("create-session?", True)),
    )


def read_pid_file(path: Any, *args: Any) -> Any:
    """``(read-pid-file FILE [#:max-delay S])``: the PID in FILE once it appears, or #f."""
    _, kw = split_keywords("read-pid-file", args, ("max-delay", "validate?"))
    delay = float(kw.get("max-delay", DEFAULT_PID_FILE_TIMEOUT))
    deadline = time.monotonic() + delay
    while True:
        pid = _read_pid(Path(as_text(path)))
        if pid is not None:
            return pid
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    try:
        pid = int(text.split()[0]) if text else 0
    except ValueError:
        return None
    return pid if pid > 0 else None


class ForkExecStart:
    """The start procedure ``make-forkexec-constructor`` returns: runs the command, returns its PID."""

    def __init__(self, options: ExecOptions, pid_file: Path | None, pid_file_timeout: float,
                 table: ProcessTable | None = None) -> None:
        self.options = options
        self.pid_file = pid_file
        self.pid_file_timeout = pid_file_timeout
        self.table = table or PROCESSES
        self.command = options.command
        env = sorted((options.env or {}).items())
        user = as_text(options.user) if truth(options.user) else None
        group = as_text(options.group) if truth(options.group) else None
        self.fingerprint = "forkexec:" + repr((options.command, str(options.log_file), env, user, group,
                                               options.directory, options.umask, str(pid_file),
                                               options.supplementary_groups, options.create_session))

    def __call__(self, *args: Any) -> Any:
        ctx = current_context()
        if ctx is not None:
            ctx.command = self.command
        if self.pid_file is not None:
            try:
                self.pid_file.unlink()  # a stale PID file must not be mistaken for the new one
            except OSError:
                pass
        try:
            p = self.options.spawn("make-forkexec-constructor", self.table)
        except AccountError as e:
            return fail(f"{self.command[0]}: {e}")
        except OSError as e:
            return fail(f"cannot run {self.command[0]}: {e.strerror or e}" + _missing_hint(self.command[0]))
        if self.pid_file is None:
            return p.pid
        deadline = time.monotonic() + self.pid_file_timeout
        while True:
            pid = _read_pid(self.pid_file)
            if pid is not None and (pid == p.pid or self.table.alive(pid)):
                self.table.adopt(pid)
                return pid
            status = self.table.poll(p.pid)
            if status is not None and status != 0:
                return fail(f"{self.command[0]} {describe_exit(status)} before writing {self.pid_file}")
            if time.monotonic() >= deadline:
                terminate(p.pid, signal.SIGTERM, 1.0, self.table)
                return fail(f"PID file {self.pid_file} did not appear within "
                             f"{self.pid_file_timeout:g} seconds")
            time.sleep(0.02)

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<procedure forkexec {' '.join(self.command)}>"


def make_forkexec_constructor(command: Any, *args: Any) -> ForkExecStart:
    """``(make-forkexec-constructor '("prog" "arg") #:pid-file F #:log-file L ...)``."""
    pos, kw = split_keywords("make-forkexec-constructor", args, _EXEC_KEYS)
    if pos:
        raise scheme_error("make-forkexec-constructor: unexpected arguments", *pos,
                           kind="wrong-number-of-args")
    opts = _exec_options("make-forkexec-constructor", command, kw)
    pid_file = kw.get("pid-file", False)
    timeout = kw.get("pid-file-timeout", DEFAULT_PID_FILE_TIMEOUT)
    return ForkExecStart(opts, Path(as_text(pid_file)) if truth(pid_file) else None,
                         float(timeout) if truth(timeout) else DEFAULT_PID_FILE_TIMEOUT)


def _missing_hint(program: str) -> str:
    """" (libvirtd is not installed on this host (Debian package: libvirt-daemon))" when the
    program is a package's link to a host program the host lacks."""
    try:
        from schemy.guix.packages import explain_missing

        text = explain_missing(program)
    except Exception:  # noqa: BLE001 - the hint is optional
        return ""
    return f" ({text})" if text else ""


def fork_exec_command(command: Any, *args: Any) -> int:
    """``(fork+exec-command '("prog" ...) #:log-file ...)``: spawn, return the PID (reaped by the manager)."""
    pos, kw = split_keywords("fork+exec-command", args, _EXEC_KEYS)
    opts = _exec_options("fork+exec-command", command, kw)
    try:
        return opts.spawn("fork+exec-command", PROCESSES).pid
    except AccountError as e:
        raise scheme_error(f"fork+exec-command: {opts.command[0]}: {e}", kind="system-error") from None
    except OSError as e:
        raise scheme_error(f"fork+exec-command: cannot run {opts.command[0]}: {e.strerror or e}"
                           + _missing_hint(opts.command[0]), kind="system-error") from None


def spawn_command(command: Any, *args: Any) -> int:
    """Shepherd's ``(spawn-command '("prog" ...) #:user U #:environment-variables ...)``: run the
    command to completion and return its wait status (0 on success, as ``(zero? ...)`` tests)."""
    pos, kw = split_keywords("spawn-command", args, _EXEC_KEYS)
    if pos:
        raise scheme_error("spawn-command: unexpected arguments", *pos, kind="wrong-number-of-args")
    opts = _exec_options("spawn-command", command, kw)
    try:
        pid = opts.spawn("spawn-command", PROCESSES).pid
    except AccountError as e:
        raise scheme_error(f"spawn-command: {opts.command[0]}: {e}", kind="system-error") from None
    except OSError as e:
        raise scheme_error(f"spawn-command: cannot run {opts.command[0]}: {e.strerror or e}"
                           + _missing_hint(opts.command[0]), kind="system-error") from None
    code = PROCESSES.wait(pid)
    PROCESSES.forget(pid)
    code = 0 if code is None else code
    return (code & 0xFF) << 8 if code >= 0 else -code


class KillStop:
    """The stop procedure ``make-kill-destructor`` returns: signals the process group, returns #f."""

    def __init__(self, sig: int, grace: float, table: ProcessTable | None = None) -> None:
        self.signal = sig
        self.grace = grace
        self.table = table or PROCESSES
        self.fingerprint = f"kill:{sig}:{grace}"

    def __call__(self, running: Any = False, *args: Any) -> Any:
        pid = running_pid(running)
        if pid is not None:
            terminate(pid, self.signal, self.grace, self.table)
        return False

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<procedure kill-destructor {self.signal}>"


def running_pid(value: Any) -> int | None:
    """The PID a running value stands for (a Shepherd running value is a PID or anything else)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    pid = getattr(value, "pid", None)
    return pid if isinstance(pid, int) and pid > 0 else None


def make_kill_destructor(*args: Any) -> KillStop:
    """``(make-kill-destructor [SIGNAL] #:grace-period SECONDS)``."""
    pos, kw = split_keywords("make-kill-destructor", args, ("grace-period",))
    sig = int(pos[0]) if pos and truth(pos[0]) else int(signal.SIGTERM)
    grace = kw.get("grace-period", DEFAULT_GRACE_PERIOD)
    return KillStop(sig, float(grace) if truth(grace) else DEFAULT_GRACE_PERIOD)


def _run_shell(command: str, origin: str) -> int:
    opts = ExecOptions(command=["/bin/sh", "-c", command])
    try:
        p = opts.spawn(origin, PROCESSES)
    except OSError as e:
        fail(f"{origin}: cannot run /bin/sh: {e}")
        return 127
    status = PROCESSES.wait(p.pid)
    PROCESSES.forget(p.pid)
    return status if status is not None else 1


class SystemStart:
    """``make-system-constructor``: run the concatenated command with /bin/sh; #t when it exits 0."""

    def __init__(self, command: str) -> None:
        self.command = ["/bin/sh", "-c", command]
        self.text = command
        self.fingerprint = "system:" + command

    def __call__(self, *args: Any) -> Any:
        ctx = current_context()
        if ctx is not None:
            ctx.command = self.command
        status = _run_shell(self.text, "make-system-constructor")
        if status != 0:
            return fail(f"command {self.text!r} {describe_exit(status)}")
        return True


class SystemStop:
    """``make-system-destructor``: run the command; #f (stopped) when it exits 0."""

    def __init__(self, command: str) -> None:
        self.text = command
        self.fingerprint = "system-stop:" + command

    def __call__(self, *args: Any) -> Any:
        status = _run_shell(self.text, "make-system-destructor")
        if status != 0:
            note(f"command {self.text!r} {describe_exit(status)}")
            return True
        return False


def make_system_constructor(*parts: Any) -> SystemStart:
    return SystemStart("".join(as_text(p) for p in parts))


def make_system_destructor(*parts: Any) -> SystemStop:
    return SystemStop("".join(as_text(p) for p in parts))



def default_environment_variables() -> Any:
    """The environment services get by default, as "NAME=value" strings (never the caller's)."""
    return make_list([f"{k}={v}" for k, v in DEFAULT_ENVIRONMENT.items()])

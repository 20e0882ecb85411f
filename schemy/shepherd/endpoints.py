"""Socket-activated services: the Shepherd's ``endpoint``, ``make-systemd-constructor`` and
``make-inetd-constructor``, written from the Shepherd manual's description.

* An *endpoint* is an address the manager listens on for a service (``#:name``, ``#:style``,
  ``#:backlog``, ``#:socket-owner``/``#:socket-group`` and ``#:socket-directory-permissions`` for
  Unix sockets, whose directory is made with those permissions).
* systemd style: the manager opens the endpoints when the service starts; the program is
  started on the first connection (or at once with ``#:lazy-start? #f``) and gets the listening
  sockets as descriptors 3, 4, ... with ``LISTEN_FDS``, ``LISTEN_PID`` and ``LISTEN_FDNAMES`` set,
  as systemd passes them (``sd_listen_fds``).  When the program exits, the manager listens
  again and starts it on the next connection.
* inetd style: the manager accepts each connection and runs one instance of the program with
  the connection as its standard input and output, at most ``#:max-connections`` at a time.

Stopping such a service closes its sockets (a Unix socket's file is removed) and terminates
the processes it started.
"""

from __future__ import annotations

import grp
import os
import pwd
import select
import socket
import threading
import time
from pathlib import Path
from typing import Any

from schemy.lang.errors import scheme_error
from schemy.runtime.sockets import AF_INET6, AF_UNIX, SOCK_STREAM, SocketAddress
from schemy.shepherd.args import as_list, as_text, split_keywords, truth
from schemy.shepherd.context import ServiceContext, current_context, fail
from schemy.shepherd.forkexec import _EXEC_KEYS, AccountError, ExecOptions, _exec_options, _missing_hint
from schemy.shepherd.process import PROCESSES, describe_exit, terminate
from schemy.shepherd.records import current_manager

DEFAULT_INETD_MAX_CONNECTIONS = 100
# A systemd-style program started this many times within this many seconds is not restarted
# again (the Shepherd's respawn limit): a program that cannot serve must not spin.
RESTART_LIMIT = (5, 7.0)


class Endpoint:
    """An address to listen on, and how (``endpoint`` in Scheme)."""

    def __init__(self, address: SocketAddress, name: str, style: int, backlog: int, owner: Any, group: Any,
                 directory_permissions: int) -> None:
        self.address = address
        self.name = name
        self.style = style
        self.backlog = backlog
        self.owner = owner
        self.group = group
        self.directory_permissions = directory_permissions

    def describe(self) -> str:
        a = self.address
        if a.family == AF_UNIX:
            return str(a.addr)
        host, port = a.python()
        return f"[{host}]:{port}" if a.family == AF_INET6 else f"{host}:{port}"

    def open(self) -> socket.socket:
        """Bind and listen; for a Unix socket, make its directory and replace a stale file."""
        a = self.address
        sock = socket.socket(a.family, self.style)
        try:
            if a.family == AF_UNIX:
                path = Path(str(a.addr))
                if not path.parent.exists():
                    path.parent.mkdir(parents=True, mode=self.directory_permissions)
                    os.chmod(path.parent, self.directory_permissions)
                if path.is_socket():
                    path.unlink()
            else:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if a.family == AF_INET6:  # so that the IPv4 endpoint on the same port can bind too
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(a.python())
            if a.family == AF_UNIX and os.geteuid() == 0 and (truth(self.owner) or truth(self.group)):
                uid = _uid(self.owner)
                gid = _gid(self.group)
                os.chown(str(a.addr), uid, gid)
            if self.style == SOCK_STREAM:
                sock.listen(self.backlog)
        except OSError:
            sock.close()
            raise
        return sock

    def close(self, sock: socket.socket) -> None:
        sock.close()
        if self.address.family == AF_UNIX:
            try:
                Path(str(self.address.addr)).unlink()
            except OSError:
                pass

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<endpoint {self.name} {self.describe()}>"


def _uid(x: Any) -> int:
    if not truth(x):
        return -1
    if isinstance(x, int):
        return x
    return pwd.getpwnam(as_text(x)).pw_uid


def _gid(x: Any) -> int:
    if not truth(x):
        return -1
    if isinstance(x, int):
        return x
    return grp.getgrnam(as_text(x)).gr_gid


def make_endpoint(address: Any, *args: Any) -> Endpoint:
    """``(endpoint ADDRESS #:name #:style #:backlog #:socket-owner #:socket-group
    #:socket-directory-permissions #:bind-attempts)``."""
    pos, kw = split_keywords("endpoint", args, ("name", "style", "backlog", "socket-owner", "socket-group",
                                                "socket-directory-permissions", "bind-attempts"))
    if pos:
        raise scheme_error("endpoint: unexpected arguments", *pos, kind="wrong-number-of-args")
    if not isinstance(address, SocketAddress):
        raise scheme_error("endpoint: not a socket address", address, kind="wrong-type-arg",
                           hint="(make-socket-address AF_INET INADDR_ANY 22) or (make-socket-address AF_UNIX FILE)")
    return Endpoint(address, as_text(kw.get("name", "unknown")), int(kw.get("style", SOCK_STREAM)),
                    int(kw.get("backlog", 128)), kw.get("socket-owner", False), kw.get("socket-group", False),
                    int(kw.get("socket-directory-permissions", 0o755)))


def _endpoints(x: Any, origin: str) -> list[Endpoint]:
    items = as_list(x, origin)
    for e in items:
        if not isinstance(e, Endpoint):
            raise scheme_error(f"{origin}: not an endpoint", e, kind="wrong-type-arg")
    if not items:
        raise scheme_error(f"{origin}: no endpoints", kind="wrong-type-arg")
    return items


def _open_all(endpoints: list[Endpoint], origin: str) -> list[socket.socket] | None:
    socks: list[socket.socket] = []
    for e in endpoints:
        try:
            socks.append(e.open())
        except OSError as err:
            for ep, s in zip(endpoints, socks):
                ep.close(s)
            fail(f"{origin}: cannot listen on {e.describe()}: {err.strerror or err}")
            return None
    return socks


class _Listening:
    """What socket-activated services share: their sockets, log and processes."""

    def __init__(self, options: ExecOptions, endpoints: list[Endpoint], socks: list[socket.socket],
                 ctx: ServiceContext | None) -> None:
        self.options = options
        self.endpoints = endpoints
        self.socks = socks
        self.name = ctx.name if ctx else "service"
        self.ctx = ServiceContext(self.name, ctx.log_file if ctx else None, ctx.logger if ctx else None)
        self.closed = threading.Event()
        self.lock = threading.Lock()
        self.children: set[int] = set()
        r, w = os.pipe()  # wakes the listening thread up when the service stops
        self._wake = (r, w)

    def _wait_readable(self) -> list[int]:
        """Indices of the sockets with a connection (or datagram) waiting; [] once closed."""
        fds = [s.fileno() for s in self.socks]
        while not self.closed.is_set():
            try:
                ready, _, _ = select.select([*fds, self._wake[0]], [], [])
            except (OSError, ValueError):
                return []
            if self._wake[0] in ready:
                os.read(self._wake[0], 64)
            if self.closed.is_set():
                return []
            found = [i for i, fd in enumerate(fds) if fd in ready]
            if found:
                return found
        return []

    def _poke(self) -> None:
        try:
            os.write(self._wake[1], b"x")
        except OSError:
            pass

    def _finish(self) -> None:
        """The listening thread's last act: its wake-up pipe goes."""
        for fd in self._wake:
            try:
                os.close(fd)
            except OSError:
                pass

    def _reaped(self, pid: int, status: int) -> None:
        with self.lock:
            self.children.discard(pid)
        PROCESSES.forget(pid)
        self.ctx.log(f"{self.name}: process {pid} {describe_exit(status)}.")

    def close(self) -> None:
        self.closed.set()
        self._poke()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)
        for e, s in zip(self.endpoints, self.socks):
            e.close(s)
        with self.lock:
            children = list(self.children)
        for pid in children:
            if PROCESSES.poll(pid) is None:
                terminate(pid, 15, 5.0, PROCESSES)


class SystemdService(_Listening):
    """A started systemd-style service: its running value (``pid`` while the program runs)."""

    def __init__(self, options: ExecOptions, endpoints: list[Endpoint], socks: list[socket.socket],
                 ctx: ServiceContext | None, lazy: bool) -> None:
        super().__init__(options, endpoints, socks, ctx)
        self.pid: int | None = None
        self.spawns: list[float] = []
        self.options.env = dict(self.options.env or {})
        self.options.env["LISTEN_FDNAMES"] = ":".join(e.name for e in endpoints)
        if not lazy:
            self._spawn()
        self._thread = threading.Thread(target=self._loop, name="schemy-sockets", daemon=True)
        self._thread.start()

    def _spawn(self) -> None:
        now = time.monotonic()
        self.spawns = [t for t in self.spawns if now - t < RESTART_LIMIT[1]] + [now]
        if len(self.spawns) > RESTART_LIMIT[0]:
            self._give_up(f"{self.options.command[0]} exited {RESTART_LIMIT[0]} times within "
                          f"{RESTART_LIMIT[1]:g} seconds; no longer listening (see its log)")
            return
        try:
            with _in(self.ctx):
                p = self.options.spawn("make-systemd-constructor", PROCESSES,
                                       listen_fds=[s.fileno() for s in self.socks])
        except (OSError, AccountError) as e:
            self._give_up(f"cannot run {self.options.command[0]}: {e}" + _missing_hint(self.options.command[0]))
            return
        self.pid = p.pid
        with self.lock:
            self.children.add(p.pid)
        self.ctx.log(f"{self.name}: started process {p.pid}.")
        PROCESSES.on_exit(p.pid, self._exited)

    def _give_up(self, reason: str) -> None:
        """The program cannot serve: stop listening (pending clients get an error, not a hang)
        and let the manager show the service as failed."""
        self.ctx.log(f"{self.name}: {reason}")
        self.closed.set()
        self._poke()
        for e, s in zip(self.endpoints, self.socks):
            e.close(s)
        manager = current_manager()
        if manager is not None:
            threading.Thread(target=manager.mark_failed, args=(self.name, self, reason), daemon=True).start()

    def _exited(self, pid: int, status: int) -> None:
        self._reaped(pid, status)
        if self.pid == pid:
            self.pid = None
        self._poke()  # back to listening for the next connection

    def _loop(self) -> None:
        try:
            while not self.closed.is_set():
                if self.pid is not None:
                    # The program owns the sockets while it runs; wait for its exit (or the stop).
                    select.select([self._wake[0]], [], [])
                    os.read(self._wake[0], 64)
                    continue
                if self._wait_readable() and not self.closed.is_set():
                    self._spawn()
                    if self.pid is None:  # could not start: do not spin on the waiting connection
                        self.closed.wait(1.0)
        finally:
            self._finish()

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<systemd-service {self.name}>"


class InetdService(_Listening):
    """A started inetd-style service: one process per connection."""

    def __init__(self, options: ExecOptions, endpoints: list[Endpoint], socks: list[socket.socket],
                 ctx: ServiceContext | None, max_connections: int) -> None:
        super().__init__(options, endpoints, socks, ctx)
        self.max_connections = max_connections
        self.connections = 0
        self._thread = threading.Thread(target=self._loop, name="schemy-sockets", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        try:
            self._accept_loop()
        finally:
            self._finish()

    def _accept_loop(self) -> None:
        while not self.closed.is_set():
            for i in self._wait_readable():
                try:
                    conn, peer = self.socks[i].accept()
                except OSError:
                    continue
                with conn:
                    with self.lock:
                        busy = len(self.children)
                    if busy >= self.max_connections:
                        self.ctx.log(f"{self.name}: {busy} connections already; refusing one from {peer or 'a peer'}.")
                        continue
                    try:
                        with _in(self.ctx):
                            p = self.options.spawn("make-inetd-constructor", PROCESSES,
                                                   connection=conn.fileno())
                    except (OSError, AccountError) as e:
                        self.ctx.log(f"{self.name}: cannot run {self.options.command[0]}: {e}"
                                     + _missing_hint(self.options.command[0]))
                        continue
                    self.connections += 1
                    with self.lock:
                        self.children.add(p.pid)
                    PROCESSES.on_exit(p.pid, self._reaped)

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<inetd-service {self.name}>"


class _in:  # noqa: N801 - a context manager
    def __init__(self, ctx: ServiceContext) -> None:
        from schemy.shepherd.context import service_context

        self.cm = service_context(ctx)

    def __enter__(self) -> None:
        self.cm.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self.cm.__exit__(*exc)


class SocketStart:
    """The start procedure of a systemd- or inetd-style service."""

    def __init__(self, style: str, options: ExecOptions, endpoints: list[Endpoint], lazy: bool,
                 max_connections: int) -> None:
        self.style = style
        self.options = options
        self.endpoints = endpoints
        self.lazy = lazy
        self.max_connections = max_connections
        self.command = options.command
        env = sorted((options.env or {}).items())
        self.fingerprint = f"{style}:" + repr((options.command, [e.describe() for e in endpoints], env,
                                                str(options.user), str(options.group), lazy, max_connections))

    def __call__(self, *args: Any) -> Any:
        ctx = current_context()
        if ctx is not None:
            ctx.command = self.command
        socks = _open_all(self.endpoints, f"make-{self.style}-constructor")
        if socks is None:
            return False
        options = ExecOptions(**{**self.options.__dict__})
        if self.style == "systemd":
            return SystemdService(options, self.endpoints, socks, ctx, self.lazy)
        return InetdService(options, self.endpoints, socks, ctx, self.max_connections)

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<procedure {self.style}-constructor>"


def make_systemd_constructor(command: Any, endpoints: Any, *args: Any) -> SocketStart:
    """``(make-systemd-constructor COMMAND ENDPOINTS #:lazy-start? ... fork+exec options)``."""
    pos, kw = split_keywords("make-systemd-constructor", args, (*_EXEC_KEYS, "lazy-start?"))
    if pos:
        raise scheme_error("make-systemd-constructor: unexpected arguments", *pos, kind="wrong-number-of-args")
    lazy = truth(kw.pop("lazy-start?", True))
    options = _exec_options("make-systemd-constructor", command, kw)
    return SocketStart("systemd", options, _endpoints(endpoints, "make-systemd-constructor"), lazy, 0)


def make_inetd_constructor(command: Any, endpoints: Any, *args: Any) -> SocketStart:
    """``(make-inetd-constructor COMMAND ENDPOINTS #:max-connections N #:service-name-stem
    #:requirements ... fork+exec options)``."""
    pos, kw = split_keywords("make-inetd-constructor", args,
                             (*_EXEC_KEYS, "max-connections", "service-name-stem", "requirements"))
    if pos:
        raise scheme_error("make-inetd-constructor: unexpected arguments", *pos, kind="wrong-number-of-args")
    max_connections = int(kw.pop("max-connections", DEFAULT_INETD_MAX_CONNECTIONS))
    kw.pop("service-name-stem", None)
    kw.pop("requirements", None)
    options = _exec_options("make-inetd-constructor", command, kw)
    return SocketStart("inetd", options, _endpoints(endpoints, "make-inetd-constructor"), False,
                       max_connections)


class SocketStop:
    """``make-systemd-destructor`` / ``make-inetd-destructor``: close the sockets, end the processes."""

    def __init__(self, style: str) -> None:
        self.fingerprint = f"{style}-destructor"

    def __call__(self, running: Any = False, *args: Any) -> Any:
        if isinstance(running, _Listening):
            running.close()
        return False

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<procedure {self.fingerprint}>"


PRIMITIVES: dict[str, Any] = {
    "endpoint": make_endpoint,
    "endpoint?": lambda x: isinstance(x, Endpoint),
    "endpoint-name": lambda e: e.name,
    "endpoint-address": lambda e: e.address,
    "make-systemd-constructor": make_systemd_constructor,
    "make-systemd-destructor": lambda *a: SocketStop("systemd"),
    "make-inetd-constructor": make_inetd_constructor,
    "make-inetd-destructor": lambda *a: SocketStop("inetd"),
    "default-inetd-max-connections": DEFAULT_INETD_MAX_CONNECTIONS,
}

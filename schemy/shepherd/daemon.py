"""The service manager daemon: one per root, serving a ``ServiceManager`` on a Unix socket.

It listens on ``<root>/run/schemy/manager.sock`` (mode 0600, peers must have the daemon's
uid or be root), one JSON request per line and one JSON response per line::

    {"op": "status"}                       {"op": "status", "service": "libvirtd"}
    {"op": "start"|"stop"|"restart"|"enable"|"disable", "service": "x", "args": []}
    {"op": "action", "service": "x", "action": "configuration", "args": []}
    {"op": "log", "service": "x", "lines": 50}      {"op": "doc", "service": "x"}
    {"op": "load", "path": "/abs/config.scm"}       {"op": "upgrade", "path": "/abs/config.scm"}
    {"op": "schedule"}   {"op": "ping"}   {"op": "stop-root"}

Responses are ``{"ok": true, "messages": [...], ...}`` or ``{"ok": false, "error": "..."}``.
Run it with ``python -m schemy.shepherd.daemon --root DIR [--detach]`` (what ``herd`` does).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import errno
import fcntl
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from schemy.shepherd import namespace
from schemy.shepherd.manager import (
    DEFAULT_READY_GRACE,
    DEFAULT_START_TIMEOUT,
    ServiceError,
    ServiceManager,
    render_error_text,
    start_thread,
)
from schemy.shepherd.paths import run_dir, socket_path, unix_address

PR_SET_CHILD_SUBREAPER = 36
_host_uid = os.getuid()  # before any user namespace maps us to root


SOCKET_CHECK_INTERVAL = 5.0  # seconds between checks that the control socket is still there


class Daemon:
    """The socket server around a ``ServiceManager``."""

    def __init__(self, root: Path, load_path: list[str] | None = None, view: dict | None = None,
                 **manager_options: Any) -> None:
        self.root = Path(root).resolve()
        self.view = view  # {"pid", "network", "user"} when the daemon runs in the root's view
        self.dir = run_dir(self.root)
        self.sock_path = socket_path(self.root)
        self.pid_path = self.dir / "manager.pid"
        self.lock_path = self.dir / "manager.lock"
        self.stop_event = threading.Event()
        self.manager = ServiceManager(self.root, reap_orphans=True, load_path=load_path, **manager_options)
        self.server: socket.socket | None = None
        self._lock_fd: int | None = None
        self._sock_ino: int | None = None

    def setup(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o700)
        self._lock_fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise ServiceError(f"a service manager is already running for root {self.root}") from None
        with contextlib.suppress(FileNotFoundError):
            self.sock_path.unlink()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            with unix_address(self.sock_path) as addr:
                s.bind(addr)
        finally:
            os.umask(old)
        os.chmod(self.sock_path, 0o600)
        mode = self.sock_path.stat().st_mode & 0o777
        if mode != 0o600:
            raise ServiceError(f"socket {self.sock_path} has mode {mode:o}, not 600")
        s.listen(16)
        s.settimeout(0.2)
        self.server = s
        self._sock_ino = self.sock_path.stat().st_ino
        self.pid_path.write_text(f"{os.getpid()}\n")
        if self.view is not None:
            namespace.view_file(self.root).write_text(json.dumps(self.view) + "\n")
        # We hold the root's lock: a predecessor is dead; what it left running must go first.
        self.manager.reclaim()

    def peer_allowed(self, conn: socket.socket) -> bool:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", creds)
        return uid == os.getuid() or uid == 0

    def serve(self) -> None:
        assert self.server is not None
        self.manager.run()
        checked = time.monotonic()
        while not self.stop_event.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                if time.monotonic() - checked > SOCKET_CHECK_INTERVAL:
                    checked = time.monotonic()
                    if not self.socket_is_ours():
                        self.manager.log("the control socket was removed or replaced (the root deleted?): "
                                         "stopping the services and the manager")
                        self.stop_event.set()
                continue
            except OSError as e:
                if e.errno in (errno.EINTR, errno.EAGAIN):
                    continue
                raise
            if not self.peer_allowed(conn):
                self.manager.log("refused a connection from another user")
                conn.close()
                continue
            start_thread(self.handle, "schemy-eval", conn)

    def socket_is_ours(self) -> bool:
        """Whether the control socket file is still the one this daemon listens on: nobody
        could reach a daemon whose socket is gone, so it must not keep its services running."""
        try:
            return self.sock_path.stat().st_ino == self._sock_ino
        except OSError:
            return False

    def handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(None)
            f = conn.makefile("rwb")
            for raw in f:
                op = None
                try:
                    request = json.loads(raw)
                    if not isinstance(request, dict):
                        raise ValueError("a request must be a JSON object")
                except ValueError as e:
                    response: dict[str, Any] = {"ok": False, "error": f"bad request: {e}"}
                else:
                    op = request.get("op")
                    if op == "stop" and request.get("service") == "root":
                        op = "stop-root"
                    response = self.dispatch(request)
                f.write((json.dumps(response) + "\n").encode())
                f.flush()
                if op == "stop-root" and response.get("ok"):
                    self.stop_event.set()
                    break
        except (OSError, ValueError):
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def dispatch(self, req: dict[str, Any]) -> dict[str, Any]:
        m = self.manager
        op = req.get("op")
        service = req.get("service")
        args = [str(a) for a in req.get("args") or []]
        try:
            if op == "ping":
                return {"ok": True, "pid": os.getpid(), "root": str(self.root), "since": m.started_at,
                        "closing": m.closing, "view": self.view, "setenv": SETENV}
            if op == "status":
                if service in (None, ""):
                    return {"ok": True, "services": m.status()}
                if service == "root":
                    return {"ok": True, "root": self.root_info()}
                return {"ok": True, "service": m.status(service, int(req.get("lines", 10)))}
            if op in ("start", "stop", "restart", "enable", "disable") and not service:
                raise ServiceError(f"{op}: which service?")
            if op == "stop" and service == "root":
                op = "stop-root"
            if op == "start":
                return {"ok": True, "messages": m.start(service, *args)}
            if op == "stop":
                return {"ok": True, "messages": m.stop(service, *args)}
            if op == "restart":
                return {"ok": True, "messages": m.restart(service, *args)}
            if op == "enable":
                return {"ok": True, "messages": m.enable(service)}
            if op == "disable":
                return {"ok": True, "messages": m.disable(service)}
            if op == "action":
                return {"ok": True, **m.action(service, str(req.get("action")), args)}
            if op == "doc":
                return {"ok": True, **m.doc(service)}
            if op == "log":
                return {"ok": True, "lines": m.read_log(service, int(req.get("lines", 50))),
                        "file": str(m.output_log(service))}
            if op == "load":
                return {"ok": True, **m.load(_abs(req.get("path")))}
            if op == "upgrade":
                if self.view is not None:
                    namespace.sync_etc(self.root)  # the new generation's /etc, before its services
                return {"ok": True, **m.upgrade_from(_abs(req.get("path")))}
            if op == "schedule":
                return {"ok": True, "jobs": m.schedule()}
            if op == "stop-root":
                messages = m.shutdown()
                return {"ok": True, "messages": messages + ["Service root has been stopped."]}
            return {"ok": False, "error": f"unknown request {op!r}"}
        except ServiceError as e:
            return {"ok": False, "error": str(e)}
        except Exception as e:  # noqa: BLE001 - the daemon answers, whatever happens
            m.log("internal error:\n" + traceback.format_exc())
            return {"ok": False, "error": f"internal error: {render_error_text(e)}"}

    def root_info(self) -> dict[str, Any]:
        services = self.manager.status()
        return {"pid": os.getpid(), "since": self.manager.started_at, "root": str(self.root),
                "running": sum(1 for s in services if s["status"] == "running"),
                "services": len(services), "jobs": len(self.manager.jobs)}

    def cleanup(self) -> None:
        if self.manager._threads:
            self.manager.shutdown()
        if self.server is not None:
            self.server.close()
        for p in (self.sock_path, self.pid_path, namespace.view_file(self.root)):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        if self._lock_fd is not None:
            os.close(self._lock_fd)


def _abs(path: Any) -> Path:
    if not path:
        raise ServiceError("which config file?")
    p = Path(str(path))
    if not p.is_absolute():
        raise ServiceError(f"config file names must be absolute: {p}")
    return p


def _set_subreaper() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _redirect_stdio(log_file: Path) -> None:
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    out = os.open(log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)


def run_daemon(root: Path, ready_fd: int | None = None, load_path: list[str] | None = None,
               network: str | None = None, **manager_options: Any) -> int:
    """Run the daemon in this process until ``stop-root`` or SIGTERM; the exit code.

    With ``network`` (``shared`` or ``private``), the process first makes the root's view
    (its own mount namespace, see ``namespace``) and everything it starts runs there."""
    def ready(text: str) -> None:
        if ready_fd is not None:
            with contextlib.suppress(OSError):
                os.write(ready_fd, text.encode())
                os.close(ready_fd)

    try:
        view = None
        if network is not None:
            namespace.create_view(root, network, keep=load_path or ())
            view = {"pid": os.getpid(), "network": network, "user": os.getuid() != _host_uid}
        daemon = Daemon(root, load_path, view, **manager_options)
        daemon.setup()
    except (ServiceError, OSError, namespace.ViewError) as e:
        ready(f"error: {e}\n")
        if ready_fd is None:
            print(f"schemy: {e}", file=sys.stderr)
        return 1
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))
    _set_subreaper()
    if ready_fd is not None:
        _redirect_stdio(daemon.manager.log_dir / "manager.log")
    signal.signal(signal.SIGTERM, lambda *_: daemon.stop_event.set())
    signal.signal(signal.SIGINT, lambda *_: daemon.stop_event.set())
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    daemon.manager.log(f"service manager started (PID {os.getpid()}) for root {daemon.root}")
    ready("ok\n")
    try:
        daemon.serve()
    finally:
        daemon.cleanup()
        daemon.manager.log("service manager stopped")
    return 0


SETENV: dict[str, str] = {}  # what --setenv gave, told to clients by ping


def apply_setenv(bindings: list[str]) -> None:
    """``--setenv NAME=VALUE``: the manager's own environment (the Scheme code of start
    procedures reads it, ``(getenv "HOME")``) and the default environment of its services, as
    a user's Shepherd inherits the session's HOME and USER."""
    from schemy.shepherd import forkexec

    for binding in bindings:
        name, sep, value = binding.partition("=")
        if not sep or not name:
            raise SystemExit(f"schemy: --setenv takes NAME=VALUE, not {binding!r}")
        os.environ[name] = value
        forkexec.DEFAULT_ENVIRONMENT[name] = value
        SETENV[name] = value


def main(argv: list[str] | None = None) -> int:
    """``python -m schemy.shepherd.manager --root DIR [--detach]``."""
    parser = argparse.ArgumentParser(prog="schemy-service-manager")
    parser.add_argument("--root", required=True)
    parser.add_argument("--detach", action="store_true",
                        help="fork into the background; exit once the socket accepts connections")
    parser.add_argument("-L", "--load-path", action="append", default=[])
    parser.add_argument("--view", action="store_true",
                        help="run in the root's own view of the system (mount namespace)")
    parser.add_argument("--network", choices=namespace.NETWORKS, default="shared",
                        help="with --view: share the host's network, or only a loopback of its own")
    parser.add_argument("--start-timeout", type=float, default=DEFAULT_START_TIMEOUT,
                        help="seconds a start or stop procedure may take (default: %(default)s)")
    parser.add_argument("--ready-grace", type=float, default=DEFAULT_READY_GRACE,
                        help="seconds a started daemon must stay up to count as started (default: %(default)s)")
    parser.add_argument("--setenv", action="append", default=[], metavar="NAME=VALUE",
                        help="set NAME for the manager and in the environment every service gets "
                             "(a user's manager: HOME, USER...)")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    apply_setenv(args.setenv)
    options = {"start_timeout": args.start_timeout, "ready_grace": args.ready_grace,
               "network": args.network if args.view else None}
    if not args.detach:
        return run_daemon(root, None, args.load_path, **options)
    r, w = os.pipe()
    pid = os.fork()
    if pid > 0:
        os.close(w)
        chunks = []
        while True:
            data = os.read(r, 4096)
            if not data:
                break
            chunks.append(data)
        os.close(r)
        text = b"".join(chunks).decode()
        if text.startswith("ok"):
            return 0
        sys.stderr.write("schemy: " + (text.removeprefix("error: ") or "the service manager died at start\n"))
        return 1
    os.close(r)
    os.setsid()
    code = 1
    try:
        code = run_daemon(root, w, args.load_path, **options)
    finally:
        os._exit(code)


if __name__ == "__main__":
    sys.exit(main())

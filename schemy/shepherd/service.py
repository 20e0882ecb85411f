"""The GNU Shepherd's service API as Python callables, for lowered service configs.

A config evaluated by the service manager calls these procedures (``PRIMITIVES``
maps their Scheme names to the Python functions) exactly as a Shepherd config does::

    (register-services
      (list (service '(libvirtd) #:requirement '()
                     #:start (make-forkexec-constructor (list "/usr/sbin/libvirtd" "-f" "/etc/l.conf")
                                                        #:pid-file "/run/libvirtd.pid")
                     #:stop (make-kill-destructor)
                     #:respawn? #t)))

``service`` builds a ``ServiceSpec`` (plain Python, so the manager and its tests need no
interpreter).  Start procedures return the service's *running value*: a PID (int) for a
process, any other true value for a service without one, #f (``False``) for failure.
Stop procedures receive the running value and return #f when the service is stopped.

Processes are spawned through ``PROCESSES`` (a ``ProcessTable``) so whoever supervises
them (the manager's reaper) can collect every exit status: nothing is left a zombie.
Each process gets its own session, hence its own process group, so a kill destructor can
stop a daemon together with the helpers it forked.

schemy extensions to Shepherd's keywords (all optional): ``#:fingerprint STRING`` on
``service`` (the backend's hash of the lowered definition; ``upgrade`` restarts a running
service when it changes) and ``#:provided-by-host? #t`` (a service of the host itself, such
as ``networking``: realized but never run; services requiring it start as if it were up).
"""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import re
import signal
import subprocess
import threading
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemy.lang.datum import NIL, UNSPECIFIED, Keyword, MString, Pair, Symbol, list_to_python, make_list
from schemy.lang.errors import scheme_error


def log() -> Any:
    """This module's logger; `logging` is imported on first use (it costs ~3 ms of every
    start, and only a running service manager logs)."""
    import logging

    return logging.getLogger("schemy.shepherd.service")


DEFAULT_RESPAWN_LIMIT: tuple[int, float] = (5, 7.0)  # Shepherd's default: 5 respawns within 7 seconds
DEFAULT_RESPAWN_DELAY = 0.1
DEFAULT_PID_FILE_TIMEOUT = 5.0
DEFAULT_GRACE_PERIOD = 5.0
EXIT_UNKNOWN = 1 << 16  # a process that was not our child died; its status is unknowable


# ----------------------------------------------------------------- argument helpers


def _text(x: Any) -> str:
    """A Scheme string, symbol or number as Python text (command arguments are often mixed)."""
    if isinstance(x, str):
        return x
    if isinstance(x, MString):
        return str(x)
    if isinstance(x, Symbol):
        return x.name
    if isinstance(x, bool):
        return "#t" if x else "#f"
    if isinstance(x, (int, float)):
        return str(x)
    from schemy.lang.printer import display_string

    return display_string(x)


def _pylist(x: Any, origin: str) -> list[Any]:
    if x is NIL or x is None or x is False:
        return []
    if isinstance(x, Pair):
        try:
            return list_to_python(x)
        except ValueError:
            raise scheme_error(f"{origin}: improper list", x) from None
    if isinstance(x, (list, tuple)):
        return list(x)
    raise scheme_error(f"{origin}: expected a list", x, kind="wrong-type-arg")


def _names(x: Any, origin: str) -> list[str]:
    """Provision/requirement lists: symbols (or strings) to names."""
    if isinstance(x, (Symbol, str, MString)):
        return [_text(x)]
    return [_text(n) for n in _pylist(x, origin)]


def _truth(x: Any) -> bool:
    """Scheme truth: everything but #f is true."""
    return x is not False and x is not None


def split_keywords(origin: str, args: tuple, allowed: tuple[str, ...]) -> tuple[list[Any], dict[str, Any]]:
    """Split ``(pos ... #:key value ...)`` into positionals and a keyword dict, rejecting unknown keys."""
    pos: list[Any] = []
    kw: dict[str, Any] = {}
    i = 0
    while i < len(args):
        a = args[i]
        if isinstance(a, Keyword):
            if a.name not in allowed:
                raise scheme_error(f"{origin}: unknown keyword #:{a.name}", kind="keyword-argument-error",
                                   hint="known keywords: " + " ".join("#:" + k for k in allowed))
            if i + 1 >= len(args):
                raise scheme_error(f"{origin}: keyword #:{a.name} has no value",
                                   kind="keyword-argument-error")
            kw[a.name] = args[i + 1]
            i += 2
        else:
            if kw:
                raise scheme_error(f"{origin}: positional argument after keywords", a,
                                   kind="keyword-argument-error")
            pos.append(a)
            i += 1
    return pos, kw


# ----------------------------------------------------------------- processes


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


# ----------------------------------------------------------------- context of a call


@dataclass
class ServiceContext:
    """What a start/stop procedure needs to know about the service it runs for.

    The manager installs one around each call; ``reason`` is where constructors leave the
    explanation of a failure for ``herd status``.
    """

    name: str
    log_file: Path | None = None
    logger: Callable[[str], None] | None = None
    reason: str | None = None
    command: list[str] | None = None

    def log(self, message: str) -> None:
        if self.logger is not None:
            self.logger(message)
        else:
            log().info("%s: %s", self.name, message)


_CONTEXT: list[ServiceContext] = []


def current_context() -> ServiceContext | None:
    return _CONTEXT[-1] if _CONTEXT else None


class service_context:  # noqa: N801 - used as a context manager, named like one
    """``with service_context(ctx): start()`` makes ``ctx`` visible to constructors."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def __enter__(self) -> ServiceContext:
        _CONTEXT.append(self.ctx)
        return self.ctx

    def __exit__(self, *exc: Any) -> None:
        _CONTEXT.pop()


def _note(message: str) -> None:
    ctx = current_context()
    if ctx is not None:
        ctx.log(message)
    else:
        log().warning("%s", message)


def _fail(reason: str) -> bool:
    ctx = current_context()
    if ctx is not None:
        ctx.reason = reason
    _note(reason)
    return False


# ----------------------------------------------------------------- records


class Action:
    """A custom action (``herd ACTION SERVICE``): ``proc`` receives the running value and the args."""

    def __init__(self, name: str, proc: Callable[..., Any], documentation: str = "") -> None:
        self.name = name
        self.proc = proc
        self.documentation = documentation

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<action {self.name}>"

    def __repr__(self) -> str:
        return f"Action({self.name!r})"


@dataclass(eq=False)
class ServiceSpec:
    """One service definition, as ``service`` (Shepherd >= 0.10) builds it.

    ``respawn`` defaults to False as in Shepherd (Guix's ``shepherd-service`` record
    defaults to #t and passes it explicitly).  ``interp`` is the interpreter whose code
    the procedures belong to (the manager runs them through it), None for Python callables.
    """

    provision: list[str]
    requirement: list[str] = field(default_factory=list)
    start: Callable[..., Any] | None = None
    stop: Callable[..., Any] | None = None
    respawn: bool = False
    one_shot: bool = False
    auto_start: bool = True
    transient: bool = False
    documentation: str = ""
    actions: dict[str, Action] = field(default_factory=dict)
    respawn_limit: tuple[int, float] = DEFAULT_RESPAWN_LIMIT
    respawn_delay: float = DEFAULT_RESPAWN_DELAY
    host_provided: bool = False
    fingerprint: str = ""
    interp: Any = None

    def __post_init__(self) -> None:
        if not self.provision:
            raise scheme_error("service: the provision list is empty", kind="wrong-type-arg")
        if not self.fingerprint:
            self.fingerprint = default_fingerprint(self)

    @property
    def name(self) -> str:
        """The canonical name: the first symbol of the provision."""
        return self.provision[0]

    def command(self) -> list[str] | None:
        return getattr(self.start, "command", None)

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<service {self.name}>"

    def __repr__(self) -> str:
        return f"ServiceSpec({self.name!r})"


_COUNTER = re.compile(r"_\d+$")


def describe_procedure(fn: Any, depth: int = 0) -> str:
    """A text that changes when a procedure's definition changes: the default fingerprint's basis.

    Constructors describe themselves (``fingerprint`` attribute); Scheme closures and Python
    functions are described by their byte code (not line numbers, not the compiler's
    counters in generated names) and by the values they refer to.
    """
    if fn is None or fn is False:
        return "#f"
    fp = getattr(fn, "fingerprint", None)
    if isinstance(fp, str):
        return fp
    code = getattr(fn, "__code__", None)
    if code is None:
        return str(getattr(fn, "scheme_name", None) or getattr(fn, "__name__", type(fn).__name__))
    return _describe_code(code, getattr(fn, "__globals__", {}), getattr(fn, "__closure__", None), depth)


def _describe_code(code: types.CodeType, globs: dict[str, Any], closure: Any, depth: int) -> str:
    parts = [_COUNTER.sub("", code.co_name), code.co_code.hex()]
    for n in code.co_names:
        parts.append(_COUNTER.sub("", n))
        if depth < 3 and n.startswith("_k") and n in globs:
            parts.append(_describe_value(globs[n], depth + 1))
    for c in code.co_consts:
        parts.append(_describe_code(c, globs, None, depth + 1) if isinstance(c, types.CodeType) else repr(c))
    if depth < 3:
        for cell in closure or ():
            try:
                parts.append(_describe_value(cell.cell_contents, depth + 1))
            except ValueError:
                continue
    return "|".join(parts)


def _describe_value(v: Any, depth: int) -> str:
    from schemy.runtime.modules import Cell

    if isinstance(v, Cell):
        if not v.bound:
            return f"{v.name.name}:unbound"
        return f"{v.name.name}:" + _describe_value(v.value, depth)
    if callable(v) and not isinstance(v, type):
        return describe_procedure(v, depth) if depth < 3 else "procedure"
    return _datum_text(v)[:4000]


def _datum_text(v: Any) -> str:
    try:
        from schemy.lang.printer import write_string

        return write_string(v)
    except Exception:  # noqa: BLE001 - best effort only
        return repr(v)


def default_fingerprint(spec: ServiceSpec) -> str:
    flags = (spec.respawn, spec.one_shot, spec.auto_start, spec.host_provided, spec.respawn_limit)
    parts = [
        " ".join(spec.provision), " ".join(spec.requirement), repr(flags),
        describe_procedure(spec.start), describe_procedure(spec.stop),
        " ".join(sorted(spec.actions)),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@dataclass
class Registry:
    """What evaluating one config produced: services, mcron jobs, services it asked to start."""

    services: list[ServiceSpec] = field(default_factory=list)
    jobs: list[Any] = field(default_factory=list)
    to_start: list[str] = field(default_factory=list)


_LOADING: list[Registry] = []
_DEFAULT_REGISTRY = Registry()
# The manager running in this process, if any: lets Scheme code call start-service & co.
_MANAGER: list[Any] = []


def current_registry() -> Registry:
    """The registry of the config being loaded (a process-wide one outside any load)."""
    return _LOADING[-1] if _LOADING else _DEFAULT_REGISTRY


class loading_registry:  # noqa: N801 - a context manager
    """``with loading_registry() as reg: <evaluate config>`` collects what the config registers."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry or Registry()

    def __enter__(self) -> Registry:
        _LOADING.append(self.registry)
        return self.registry

    def __exit__(self, *exc: Any) -> None:
        _LOADING.pop()


# ----------------------------------------------------------------- service, action, registration

_SERVICE_KEYS = ("requirement", "start", "stop", "respawn?", "one-shot?", "auto-start?", "transient?",
                 "documentation", "actions", "respawn-limit", "respawn-delay", "termination-handler",
                 "fingerprint", "provided-by-host?", "docstring")


def make_service(provision: Any, *args: Any) -> ServiceSpec:
    """``(service '(name alias ...) #:requirement '(...) #:start proc #:stop proc ...)``."""
    pos, kw = split_keywords("service", args, _SERVICE_KEYS)
    if pos:
        raise scheme_error("service: unexpected positional arguments", *pos, kind="wrong-number-of-args")
    limit = kw.get("respawn-limit", False)
    if limit is False or limit is None:
        respawn_limit = DEFAULT_RESPAWN_LIMIT
    elif isinstance(limit, Pair) and not isinstance(limit.cdr, Pair):
        respawn_limit = (int(limit.car), float(limit.cdr))
    elif isinstance(limit, (tuple, list)) and len(limit) == 2:
        respawn_limit = (int(limit[0]), float(limit[1]))
    else:
        raise scheme_error("service: #:respawn-limit must be a pair (COUNT . SECONDS)", limit,
                           kind="wrong-type-arg")
    actions: dict[str, Action] = {}
    for a in _pylist(kw.get("actions", NIL), "service #:actions"):
        if not isinstance(a, Action):
            raise scheme_error("service: #:actions must be a list of actions", a, kind="wrong-type-arg")
        actions[a.name] = a
    doc = kw.get("documentation", kw.get("docstring", ""))
    start = kw.get("start")
    stop = kw.get("stop")
    return ServiceSpec(
        provision=_names(provision, "service"),
        requirement=_names(kw.get("requirement", NIL), "service #:requirement"),
        start=start if _truth(start) else None,
        stop=stop if _truth(stop) else None,
        respawn=_truth(kw.get("respawn?", False)),
        one_shot=_truth(kw.get("one-shot?", False)),
        auto_start=_truth(kw.get("auto-start?", True)),
        transient=_truth(kw.get("transient?", False)),
        documentation=_text(doc) if _truth(doc) else "",
        actions=actions,
        respawn_limit=respawn_limit,
        respawn_delay=float(kw.get("respawn-delay", DEFAULT_RESPAWN_DELAY)),
        host_provided=_truth(kw.get("provided-by-host?", False)),
        fingerprint=_text(kw["fingerprint"]) if _truth(kw.get("fingerprint", False)) else "",
    )


def make_action(name: Any, proc: Any, *doc: Any) -> Action:
    """``(action 'name proc ["doc"])``: proc is called with the running value and herd's args."""
    if not callable(proc):
        raise scheme_error("action: not a procedure", proc, kind="wrong-type-arg")
    return Action(_text(name), proc, _text(doc[0]) if doc and _truth(doc[0]) else "")


def register_services(*services: Any) -> Any:
    """``(register-services (list s ...))`` (Shepherd 0.10) or ``(register-services s ...)`` (older)."""
    reg = current_registry()
    items: list[Any] = []
    for s in services:
        if isinstance(s, (Pair, list, tuple)) or s is NIL:
            items.extend(_pylist(s, "register-services"))
        else:
            items.append(s)
    for s in items:
        if not isinstance(s, ServiceSpec):
            raise scheme_error("register-services: not a service", s, kind="wrong-type-arg")
        reg.services.append(s)
    return UNSPECIFIED


def provided_by_host(*names: Any) -> Any:
    """``(provided-by-host '(networking loopback))``: services the host runs, shown as such."""
    reg = current_registry()
    for group in names:
        for n in _names(group, "provided-by-host"):
            reg.services.append(ServiceSpec(provision=[n], host_provided=True,
                                            documentation="Provided by the host system."))
    return UNSPECIFIED


def _service_name(x: Any) -> str:
    if isinstance(x, ServiceSpec):
        return x.name
    return _text(x)


def start_in_the_background(names: Any) -> Any:
    """Ask for services to be started once the config is loaded (what Guix's config does)."""
    current_registry().to_start.extend(_names(names, "start-in-the-background"))
    return UNSPECIFIED


def start_service(service: Any, *args: Any) -> Any:
    """Start a service now when a manager runs in this process, else once the config is loaded."""
    name = _service_name(service)
    if _MANAGER and not _LOADING:
        return _MANAGER[-1].start_value(name, *args)
    current_registry().to_start.append(name)
    return True


def stop_service(service: Any, *args: Any) -> Any:
    name = _service_name(service)
    if _MANAGER and not _LOADING:
        _MANAGER[-1].stop(name, *args)
    return False


def lookup_service(name: Any) -> Any:
    n = _text(name)
    for reg in (*reversed(_LOADING), _DEFAULT_REGISTRY):
        for s in reg.services:
            if n in s.provision:
                return s
    if _MANAGER:
        spec = _MANAGER[-1].lookup_spec(n)
        if spec is not None:
            return spec
    return False


# ----------------------------------------------------------------- accounts


def _resolve_account(user: Any, group: Any, origin: str) -> tuple[int | None, int | None, list[int] | None]:
    """uid/gid to run as: only when we are root and the accounts exist here; otherwise say so."""
    if not _truth(user) and not _truth(group):
        return None, None, None
    uname = _text(user) if _truth(user) else None
    gname = _text(group) if _truth(group) else None
    if os.geteuid() != 0:
        asked = (f"user {uname}" if uname else "", f"group {gname}" if gname else "")
        who = " and ".join(x for x in asked if x)
        me = pwd.getpwuid(os.geteuid()).pw_name
        _note(f"{origin}: not running as root: {who} ignored; running as {me}")
        return None, None, None
    uid = gid = None
    groups: list[int] | None = None
    if uname is not None:
        try:
            pw = pwd.getpwnam(uname) if not uname.isdigit() else pwd.getpwuid(int(uname))
            uid, gid = pw.pw_uid, pw.pw_gid
            groups = [g.gr_gid for g in grp.getgrall() if pw.pw_name in g.gr_mem]
        except KeyError:
            _note(f"{origin}: user {uname} does not exist on this host; running as root")
    if gname is not None:
        try:
            gid = grp.getgrnam(gname).gr_gid if not gname.isdigit() else int(gname)
        except KeyError:
            _note(f"{origin}: group {gname} does not exist on this host; keeping group "
                  f"{grp.getgrgid(gid if gid is not None else os.getegid()).gr_name}")
    return uid, gid, groups


# ----------------------------------------------------------------- fork/exec


def _environment(env: Any, origin: str) -> dict[str, str] | None:
    if not _truth(env):
        return None
    out: dict[str, str] = {}
    for item in _pylist(env, origin + " #:environment-variables"):
        text = _text(item)
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

    def spawn(self, origin: str, table: ProcessTable) -> subprocess.Popen:
        uid, gid, groups = _resolve_account(self.user, self.group, origin)
        if self.supplementary_groups:
            if os.geteuid() != 0:
                _note(f"{origin}: not running as root: supplementary groups "
                      f"{' '.join(self.supplementary_groups)} ignored")
            else:
                groups = list(groups or [])
                for g in self.supplementary_groups:
                    try:
                        groups.append(int(g) if g.isdigit() else grp.getgrnam(g).gr_gid)
                    except KeyError:
                        _note(f"{origin}: group {g} does not exist on this host "
                              "(supplementary group ignored)")
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
        env = self.env if self.env is not None else dict(os.environ)
        try:
            return table.spawn(self.command, stdin=subprocess.DEVNULL, stdout=fd, stderr=subprocess.STDOUT,
                               cwd=self.directory, env=env, start_new_session=self.create_session,
                               close_fds=True, **kwargs)
        finally:
            os.close(fd)


_EXEC_KEYS = ("pid-file", "pid-file-timeout", "log-file", "environment-variables", "user", "group",
              "supplementary-groups", "directory", "umask", "file-creation-mask", "resource-limits",
              "create-session?", "input-port", "log-encoding")


def _exec_options(origin: str, command: Any, kw: dict[str, Any]) -> ExecOptions:
    cmd = [_text(c) for c in _pylist(command, origin)]
    if not cmd:
        raise scheme_error(f"{origin}: empty command", kind="wrong-type-arg")
    if _truth(kw.get("resource-limits", False)):
        _note(f"{origin}: #:resource-limits are not applied by schemy (ignored)")
    mask = kw.get("file-creation-mask", kw.get("umask", False))
    log_file = kw.get("log-file", False)
    directory = kw.get("directory", False)
    return ExecOptions(
        command=cmd,
        log_file=Path(_text(log_file)) if _truth(log_file) else None,
        env=_environment(kw.get("environment-variables", False), origin),
        user=kw.get("user", False),
        group=kw.get("group", False),
        directory=_text(directory) if _truth(directory) else "/",
        umask=int(mask) if _truth(mask) else None,
        supplementary_groups=_names(kw.get("supplementary-groups", NIL), origin + " #:supplementary-groups"),
        create_session=_truth(kw.get("create-session?", True)),
    )


def read_pid_file(path: Any, *args: Any) -> Any:
    """``(read-pid-file FILE [#:max-delay S])``: the PID in FILE once it appears, or #f."""
    _, kw = split_keywords("read-pid-file", args, ("max-delay", "validate?"))
    delay = float(kw.get("max-delay", DEFAULT_PID_FILE_TIMEOUT))
    deadline = time.monotonic() + delay
    while True:
        pid = _read_pid(Path(_text(path)))
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
        user = _text(options.user) if _truth(options.user) else None
        group = _text(options.group) if _truth(options.group) else None
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
        except OSError as e:
            return _fail(f"cannot run {self.command[0]}: {e.strerror or e}" + _missing_hint(self.command[0]))
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
                return _fail(f"{self.command[0]} {describe_exit(status)} before writing {self.pid_file}")
            if time.monotonic() >= deadline:
                terminate(p.pid, signal.SIGTERM, 1.0, self.table)
                return _fail(f"PID file {self.pid_file} did not appear within "
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
    return ForkExecStart(opts, Path(_text(pid_file)) if _truth(pid_file) else None,
                         float(timeout) if _truth(timeout) else DEFAULT_PID_FILE_TIMEOUT)


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
    except OSError as e:
        raise scheme_error(f"fork+exec-command: cannot run {opts.command[0]}: {e.strerror or e}"
                           + _missing_hint(opts.command[0]), kind="system-error") from None


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
    sig = int(pos[0]) if pos and _truth(pos[0]) else int(signal.SIGTERM)
    grace = kw.get("grace-period", DEFAULT_GRACE_PERIOD)
    return KillStop(sig, float(grace) if _truth(grace) else DEFAULT_GRACE_PERIOD)


def _run_shell(command: str, origin: str) -> int:
    opts = ExecOptions(command=["/bin/sh", "-c", command])
    try:
        p = opts.spawn(origin, PROCESSES)
    except OSError as e:
        _fail(f"{origin}: cannot run /bin/sh: {e}")
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
            return _fail(f"command {self.text!r} {describe_exit(status)}")
        return True


class SystemStop:
    """``make-system-destructor``: run the command; #f (stopped) when it exits 0."""

    def __init__(self, command: str) -> None:
        self.text = command
        self.fingerprint = "system-stop:" + command

    def __call__(self, *args: Any) -> Any:
        status = _run_shell(self.text, "make-system-destructor")
        if status != 0:
            _note(f"command {self.text!r} {describe_exit(status)}")
            return True
        return False


def make_system_constructor(*parts: Any) -> SystemStart:
    return SystemStart("".join(_text(p) for p in parts))


def make_system_destructor(*parts: Any) -> SystemStop:
    return SystemStop("".join(_text(p) for p in parts))


# ----------------------------------------------------------------- service accessors


def _spec(x: Any, origin: str) -> ServiceSpec:
    if not isinstance(x, ServiceSpec):
        raise scheme_error(f"{origin}: not a service", x, kind="wrong-type-arg")
    return x


def _syms(names: list[str]) -> Any:
    return make_list([Symbol(n) for n in names])


def default_environment_variables() -> Any:
    """The environment services get by default: the manager's own, as "NAME=value" strings."""
    return make_list([f"{k}={v}" for k, v in os.environ.items()])


PRIMITIVES: dict[str, Any] = {
    "service": make_service,
    "default-environment-variables": default_environment_variables,
    "service?": lambda x: isinstance(x, ServiceSpec),
    "service-provision": lambda s: _syms(_spec(s, "service-provision").provision),
    "service-requirement": lambda s: _syms(_spec(s, "service-requirement").requirement),
    "service-canonical-name": lambda s: Symbol(_spec(s, "service-canonical-name").name),
    "service-documentation": lambda s: _spec(s, "service-documentation").documentation,
    "service-one-shot?": lambda s: _spec(s, "service-one-shot?").one_shot,
    "service-respawn?": lambda s: _spec(s, "service-respawn?").respawn,
    "service-auto-start?": lambda s: _spec(s, "service-auto-start?").auto_start,
    "action": make_action,
    "register-services": register_services,
    "provided-by-host": provided_by_host,
    "lookup-service": lookup_service,
    "start-in-the-background": start_in_the_background,
    "start-service": start_service,
    "stop-service": stop_service,
    "make-forkexec-constructor": make_forkexec_constructor,
    "make-kill-destructor": make_kill_destructor,
    "make-system-constructor": make_system_constructor,
    "make-system-destructor": make_system_destructor,
    "fork+exec-command": fork_exec_command,
    "read-pid-file": read_pid_file,
    "default-respawn-limit": Pair(DEFAULT_RESPAWN_LIMIT[0], int(DEFAULT_RESPAWN_LIMIT[1])),
    "default-pid-file-timeout": int(DEFAULT_PID_FILE_TIMEOUT),
    "default-process-termination-grace-period": int(DEFAULT_GRACE_PERIOD),
}

# Signal numbers configs pass to make-kill-destructor; Guile's core has them too.
SIGNALS: dict[str, int] = {
    s.name: int(s) for s in (signal.SIGTERM, signal.SIGKILL, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT,
                             signal.SIGUSR1, signal.SIGUSR2, signal.SIGCONT, signal.SIGSTOP)}

"""The service manager: runs lowered Shepherd services and mcron jobs for one root.

``ServiceManager`` is the supervisor, usable in-process (tests, the backend) on plain
``ServiceSpec`` objects; ``schemy.shepherd.daemon`` serves it on a socket.

Design notes (why it is built this way):

* Every process is spawned through a ``ProcessTable``; a reaper thread polls it, so exit
  statuses are collected promptly and nothing stays a zombie.  The daemon is also a
  *child subreaper*: daemons that double-fork are re-parented to it, it can stop them and
  it reaps them (``/proc`` sweep of unowned zombie children).
* Exits are queued to an event thread which applies the respawn policy (Shepherd's
  ``(5 . 7)``: more than 5 respawns within 7 seconds disables the service), so a slow
  start elsewhere never delays reaping.
* All operations and every call into Scheme hold one re-entrant lock: the interpreter is
  not thread-safe, and a Scheme action may itself call ``start-service``.
* Logs: ``<root>/var/log/schemy/NAME.log`` per service (process output when the service
  has no ``#:log-file``, plus the manager's messages about it), ``manager.log`` and
  ``mcron.log``.
"""

from __future__ import annotations

import contextlib
import io
import os
import queue
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from schemy.shepherd.configs import scheme_config_module, service_interpreter
from schemy.shepherd.context import ServiceContext, service_context
from schemy.shepherd.forkexec import ExecOptions, KillStop, running_pid
from schemy.shepherd.mcron import Job
from schemy.shepherd.process import PROCESSES, ProcessTable, describe_exit, group_members, terminate, terminate_group
from schemy.shepherd.records import Registry, ServiceSpec, attach_manager, detach_manager, loading_registry

THREAD_STACK_SIZE = 256 * 1024 * 1024


class ServiceError(Exception):
    """A failed operation, with the message herd shows."""


@dataclass(eq=False)
class ServiceState:
    """What the manager knows about one service besides its definition."""

    spec: ServiceSpec
    status: str = "stopped"  # stopped | starting | running | stopping | failed | host
    value: Any = None
    pid: int | None = None
    pgid: int | None = None
    since: float | None = None
    enabled: bool = True
    disabled_reason: str | None = None
    respawn_times: list[float] = field(default_factory=list)
    last_exit: int | None = None
    failure: str | None = None
    one_shot_ran: float | None = None
    command: list[str] | None = None
    respawn_pending: bool = False

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def running(self) -> bool:
        return self.status == "running"


@dataclass(eq=False)
class JobState:
    job: Job
    next: datetime | None = None
    last_run: float | None = None
    last_status: str | None = None
    error: str | None = None


def _safe_name(name: str) -> str:
    return quote(name, safe="-_.+@%=") or "_"


def _now_text() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def start_thread(target: Callable[..., Any], name: str, *args: Any) -> threading.Thread:
    """Start a daemon thread with a stack deep enough for Scheme code run from it."""
    old = threading.stack_size()
    try:
        threading.stack_size(THREAD_STACK_SIZE)
    except (ValueError, RuntimeError):
        pass
    try:
        t = threading.Thread(target=target, name=name, args=args, daemon=True)
        t.start()
    finally:
        threading.stack_size(old)
    return t


def render_error_text(e: BaseException) -> str:
    from schemy.lang.errors import SchemeError, render_error

    if isinstance(e, SchemeError):
        return render_error(e)
    return f"{type(e).__name__}: {e}"


class ServiceManager:
    """Supervises the services and jobs of one root.

    ``reap_orphans`` (the daemon sets it) also reaps zombie children the manager never
    spawned, which only a subreaper gets.  ``load_path`` is given to the interpreters that
    evaluate config files.
    """

    def __init__(self, root: str | Path, *, reap_orphans: bool = False, poll_interval: float = 0.05,
                 load_path: list[str] | None = None, table: ProcessTable | None = None) -> None:
        self.root = Path(root).resolve()
        self.log_dir = self.root / "var" / "log" / "schemy"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.table = table or PROCESSES
        self.reap_orphans = reap_orphans
        self.poll_interval = poll_interval
        self.load_path = list(load_path or [])
        self.lock = threading.RLock()
        self._log_lock = threading.Lock()
        self.services: dict[str, ServiceState] = {}
        self.provides: dict[str, str] = {}
        self.jobs: list[JobState] = []
        self._jobs_changed = threading.Event()
        self._events: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._halt = threading.Event()
        self._halting = False
        self._threads: list[threading.Thread] = []
        self._booted = False
        self._start_seq: list[str] = []  # services started during the current batch operation
        self.started_at = time.time()

    # ------------------------------------------------------------ logging
    def log_path(self, name: str) -> Path:
        """The per-service log: process output (without ``#:log-file``) and the manager's notes."""
        return self.log_dir / f"{_safe_name(name)}.log"

    def output_log(self, name: str) -> Path:
        """Where the service's process output goes: its ``#:log-file`` or the per-service log."""
        st = self.lookup(name)
        options = getattr(st.spec.start, "options", None)
        log_file = getattr(options, "log_file", None)
        return Path(log_file) if log_file else self.log_path(st.name)

    def log(self, message: str, service: str | None = None) -> None:
        line = f"{_now_text()} {message}\n"
        with self._log_lock:
            targets = [self.log_dir / "manager.log"]
            if service is not None:
                targets.append(self.log_path(service))
            for path in targets:
                try:
                    with open(path, "a", encoding="utf-8") as f:
                        f.write(line)
                except OSError:
                    pass

    # ------------------------------------------------------------ registry
    def register(self, specs: Iterable[ServiceSpec]) -> None:
        """Add service definitions; a name provided twice is an error (nothing is added then)."""
        specs = list(specs)
        with self.lock:
            seen: dict[str, str] = {}
            for spec in specs:
                for p in spec.provision:
                    owner = self.provides.get(p) or seen.get(p)
                    if owner is not None:
                        raise ServiceError(f"service '{p}' is provided by both {owner} and {spec.name}")
                    seen[p] = spec.name
            for spec in specs:
                st = ServiceState(spec)
                if spec.host_provided:
                    st.status = "host"
                    st.value = True
                    st.since = time.time()
                self.services[spec.name] = st
                for p in spec.provision:
                    self.provides[p] = spec.name

    def _unregister(self, name: str) -> None:
        st = self.services.pop(name)
        for p in st.spec.provision:
            if self.provides.get(p) == name:
                del self.provides[p]

    def lookup(self, name: str) -> ServiceState:
        canonical = self.provides.get(name)
        if canonical is None:
            raise ServiceError(f"service '{name}' could not be found")
        return self.services[canonical]

    def lookup_spec(self, name: str) -> ServiceSpec | None:
        canonical = self.provides.get(name)
        return self.services[canonical].spec if canonical else None

    def register_jobs(self, jobs: Iterable[Job], replace: bool = True) -> None:
        """Schedule mcron jobs (replacing the current ones unless ``replace`` is false)."""
        now = datetime.now()
        with self.lock:
            new = [JobState(j) for j in jobs]
            for js in new:
                if js.job.reboot:
                    js.next = now if not self._booted else None
                else:
                    self._schedule(js, now)
            self.jobs = new if replace else self.jobs + new
            self._booted = True
        self._jobs_changed.set()

    # ------------------------------------------------------------ calling Scheme
    def call(self, interp: Any, fn: Any, *args: Any, ctx: ServiceContext | None = None) -> Any:
        """Call a service/job procedure: under the lock, through its interpreter when it has one."""
        if not callable(fn):
            from schemy.lang.printer import write_string

            raise ServiceError(f"not a procedure: {write_string(fn)}")
        with self.lock, contextlib.ExitStack() as stack:
            if ctx is not None:
                stack.enter_context(service_context(ctx))
            if interp is not None:
                return interp.run_protected(lambda: fn(*args))
            return fn(*args)

    def _context(self, name: str) -> ServiceContext:
        return ServiceContext(name, log_file=self.log_path(name), logger=lambda m: self.log(m, name))

    # ------------------------------------------------------------ start
    def start(self, name: str, *args: Any) -> list[str]:
        """Start a service and, first, its requirements; the messages for herd."""
        with self.lock:
            st = self.lookup(name)
            if st.status == "host":
                return [f"Service {st.name} is provided by the host."]
            if st.running:
                return [f"Service {st.name} is already running."]
            messages: list[str] = []
            self._start(st, args, (), set(), messages)
            return messages

    def start_value(self, name: str, *args: Any) -> Any:
        """Start ``name`` and return its running value (Scheme's ``start-service``)."""
        with self.lock:
            st = self.lookup(name)
            if not st.running and st.status != "host":
                self._start(st, args, (), set(), [])
            return st.value if st.value is not None else False

    def _start(self, st: ServiceState, args: tuple, chain: tuple[str, ...], ran: set[str],
               messages: list[str]) -> Any:
        spec = st.spec
        name = spec.name
        if st.status == "host":
            return True
        if st.running:
            return st.value
        if not st.enabled:
            why = f" ({st.disabled_reason})" if st.disabled_reason else ""
            raise ServiceError(f"Service {name} is currently disabled{why}.")
        if name in chain:
            raise ServiceError(f"dependency cycle: {' -> '.join((*chain, name))}")
        for req in spec.requirement:
            target = self.provides.get(req)
            if target is None:
                self._failed(st, f"requirement '{req}' is not provided by any service")
                raise ServiceError(f"Service {name} requires '{req}', which is not provided by any service.")
            rst = self.services[target]
            if rst.status == "host" or rst.running or (rst.spec.one_shot and target in ran):
                continue
            try:
                self._start(rst, (), (*chain, name), ran, messages)
            except ServiceError as e:
                self._failed(st, f"requirement '{req}' could not be started")
                msg = f"{e}\nService {name} could not be started: requirement '{req}' failed."
                raise ServiceError(msg) from None
        st.status = "starting"
        st.failure = None
        ctx = self._context(name)
        start = spec.start if spec.start is not None else (lambda *_: True)
        try:
            value = self.call(spec.interp, start, *args, ctx=ctx)
        except ServiceError as e:
            ctx.reason = str(e)
            value = False
        except Exception as e:  # noqa: BLE001 - a broken start procedure is a failed start
            ctx.reason = render_error_text(e)
            value = False
        if value is False:
            self._failed(st, ctx.reason or "the start procedure returned #f")
            raise ServiceError(f"Service {name} could not be started."
                               + (f"\n{ctx.reason}" if ctx.reason else ""))
        if value is None:
            value = True
        st.command = ctx.command or spec.command()
        if spec.one_shot:
            pid = running_pid(value)
            if pid is not None and self.table.known(pid):
                self.table.on_exit(pid, lambda p, _status: self.table.forget(p))
            st.status = "stopped"
            st.value = None
            st.one_shot_ran = time.time()
            ran.add(name)
            self._start_seq.append(name)
            self.log(f"Service {name} (one-shot) has run.", name)
            messages.append(f"Service {name} has been started.")
            return value
        st.status = "running"
        st.value = value
        st.since = time.time()
        st.last_exit = None
        pid = running_pid(value)
        # A number is a PID only when it is a process we started: (lambda () 42) is just a value.
        st.pid = pid if pid is not None and self.table.known(pid) else None
        st.pgid = None
        if st.pid is not None:
            try:
                st.pgid = os.getpgid(st.pid)
            except OSError:
                st.pgid = None
            pid = st.pid
            self.table.on_exit(pid, lambda p, status: self._events.put(("exit", name, p, status)))
        self._start_seq.append(name)
        self.log(f"Service {name} has been started" + (f" (PID {st.pid})." if st.pid else "."), name)
        messages.append(f"Service {name} has been started.")
        return value

    def _failed(self, st: ServiceState, reason: str) -> None:
        st.status = "failed"
        st.failure = reason
        st.value = None
        st.pid = None
        st.since = time.time()
        self.log(f"Service {st.name} failed to start: {reason}", st.name)

    # ------------------------------------------------------------ stop
    def _dependents(self, st: ServiceState) -> list[ServiceState]:
        provided = set(st.spec.provision)
        return [o for o in self.services.values() if o is not st and provided & set(o.spec.requirement)]

    def stop(self, name: str, *args: Any) -> list[str]:
        """Stop a service after the running services that depend on it."""
        with self.lock:
            st = self.lookup(name)
            if st.status == "host":
                raise ServiceError(f"Service {st.name} is provided by the host; schemy does not stop it.")
            messages: list[str] = []
            if not st.running:
                if st.status == "failed":
                    st.status = "stopped"
                if st.respawn_pending:
                    st.respawn_pending = False  # the user's stop wins over a scheduled respawn
                    self.log(f"Service {st.name}: respawn cancelled.", st.name)
                    return [f"Service {st.name} has been stopped."]
                return [f"Service {st.name} is not running."]
            self._stop(st, args, messages)
            return messages

    def _stop(self, st: ServiceState, args: tuple, messages: list[str]) -> None:
        for dep in self._dependents(st):
            if dep.running:
                self._stop(dep, (), messages)
        name = st.name
        spec = st.spec
        st.status = "stopping"
        ctx = self._context(name)
        pid = st.pid
        stop = spec.stop if spec.stop is not None else (KillStop(signal.SIGTERM, 5.0, self.table)
                                                        if pid is not None else (lambda *_: False))
        try:
            result = self.call(spec.interp, stop, st.value, *args, ctx=ctx)
        except Exception as e:  # noqa: BLE001 - reported; the process is still made to go away below
            self.log(f"Service {name}: stop procedure failed: {render_error_text(e)}", name)
            result = False
        if result is not False and result is not None:
            st.status = "running"
            st.value = result
            raise ServiceError(f"Service {name} could not be stopped.")
        if pid is not None:
            self._make_gone(st, pid)
        st.status = "stopped"
        st.value = None
        st.pid = None
        st.since = time.time()
        self.log(f"Service {name} has been stopped.", name)
        messages.append(f"Service {name} has been stopped.")

    def _make_gone(self, st: ServiceState, pid: int) -> None:
        """After a stop procedure: no process of the service may survive (nor stay a zombie)."""
        if self.table.poll(pid) is None:
            self.log(f"Service {st.name}: process {pid} survived its stop procedure; terminating it.",
                     st.name)
            terminate(pid, signal.SIGTERM, 5.0, self.table)
        if st.pgid and st.pgid != os.getpgrp() and group_members(st.pgid):
            terminate_group(st.pgid, self.table)
        st.last_exit = self.table.poll(pid)
        self.table.forget(pid)

    def restart(self, name: str, *args: Any) -> list[str]:
        """Stop the service (and its dependents), start it again, then restart those dependents."""
        with self.lock:
            st = self.lookup(name)
            if st.status == "host":
                raise ServiceError(f"Service {st.name} is provided by the host; schemy does not restart it.")
            running_deps = [d for d in self._transitive_dependents(st) if d.running]
            messages: list[str] = []
            if st.running:
                self._stop(st, (), messages)
            self._start(st, args, (), set(), messages)
            for d in running_deps:
                if not d.running and d.enabled:
                    try:
                        self._start(d, (), (), set(), messages)
                    except ServiceError as e:
                        messages.append(str(e))
            return messages

    def _transitive_dependents(self, st: ServiceState) -> list[ServiceState]:
        out: list[ServiceState] = []
        todo = [st]
        while todo:
            for d in self._dependents(todo.pop()):
                if d not in out:
                    out.append(d)
                    todo.append(d)
        return out

    def enable(self, name: str) -> list[str]:
        with self.lock:
            st = self.lookup(name)
            st.enabled = True
            st.disabled_reason = None
            st.respawn_times.clear()
            self.log(f"Enabled service {st.name}.", st.name)
            return [f"Enabled service {st.name}."]

    def disable(self, name: str) -> list[str]:
        with self.lock:
            st = self.lookup(name)
            st.enabled = False
            st.disabled_reason = None
            self.log(f"Disabled service {st.name}.", st.name)
            return [f"Disabled service {st.name}."]

    # ------------------------------------------------------------ exits and respawn
    def _on_exit(self, name: str, pid: int, status: int) -> None:
        with self.lock:
            st = self.services.get(name)
            if st is None or st.pid != pid or st.status != "running":
                return  # stopped on purpose, or an old incarnation
            st.last_exit = status
            st.status = "stopped"
            st.value = None
            st.pid = None
            st.since = time.time()
            self.table.forget(pid)
            self.log(f"Service {name} (PID {pid}) {describe_exit(status)}.", name)
            if st.pgid and st.pgid != os.getpgrp() and group_members(st.pgid):
                self.log(f"Service {name}: terminating the processes it left behind.", name)
                terminate_group(st.pgid, self.table)
            spec = st.spec
            if not spec.respawn or not st.enabled or self._halting:
                return
            now = time.monotonic()
            limit, window = spec.respawn_limit
            st.respawn_times = [t for t in st.respawn_times if now - t < window] + [now]
            if len(st.respawn_times) > limit:
                st.enabled = False
                st.disabled_reason = "respawning too fast"
                self.log(f"Service {name} has been disabled (respawning too fast: more than {limit} respawns "
                         f"within {window:g} seconds).", name)
                return
            delay = spec.respawn_delay
            st.respawn_pending = True
        if delay > 0:
            self._halt.wait(delay)
        with self.lock:
            pending = st.respawn_pending
            st.respawn_pending = False
            if (not pending or self.services.get(name) is not st or st.status != "stopped" or not st.enabled
                    or self._halting):
                return
            self.log(f"Respawning service {name}.", name)
            try:
                self._start(st, (), (), set(), [])
            except ServiceError as e:
                self.log(f"Respawning {name} failed: {e}", name)

    def _event_loop(self) -> None:
        while True:
            try:
                event = self._events.get(timeout=0.2)
            except queue.Empty:
                if self._halt.is_set():
                    return
                continue
            try:
                if event[0] == "exit":
                    self._on_exit(*event[1:])
            except Exception:  # noqa: BLE001 - the supervisor must survive its own bugs
                self.log("internal error handling " + repr(event) + ":\n" + traceback.format_exc())

    def _reaper_loop(self) -> None:
        seen: set[int] = set()
        last_sweep = 0.0
        while not self._halt.is_set():
            try:
                self.table.poll_all()
                if self.reap_orphans and time.monotonic() - last_sweep > 0.5:
                    seen = self.table.reap_orphans(seen)
                    last_sweep = time.monotonic()
            except Exception:  # noqa: BLE001
                self.log("internal error in the reaper:\n" + traceback.format_exc())
            self._halt.wait(self.poll_interval)

    # ------------------------------------------------------------ many at once
    def start_all(self, names: Iterable[str] | None = None) -> dict[str, list[str]]:
        """Start the auto-start services (plus ``names``); ``{"started": [...], "failed": [...]}``."""
        with self.lock:
            wanted = [st for st in self.services.values() if st.spec.auto_start and st.status != "host"]
            for n in names or ():
                try:
                    st = self.lookup(n)
                except ServiceError:
                    self.log(f"cannot start unknown service '{n}'")
                    continue
                if st not in wanted:
                    wanted.append(st)
            summary: dict[str, list[str]] = {"started": [], "failed": [], "messages": []}
            ran: set[str] = set()
            self._start_seq = []
            for st in wanted:
                if st.running or not st.enabled or (st.spec.one_shot and st.name in ran):
                    continue
                try:
                    self._start(st, (), (), ran, summary["messages"])
                except ServiceError as e:
                    summary["failed"].append(st.name)
                    summary["messages"].append(str(e))
            summary["started"] = list(dict.fromkeys(self._start_seq))
            return summary

    def stop_all(self) -> list[str]:
        """Stop every service (dependents first, most recently started first) and stray processes."""
        with self.lock:
            halting, self._halting = self._halting, True  # no respawn while everything stops
            messages: list[str] = []
            running = sorted((st for st in self.services.values() if st.running),
                             key=lambda s: s.since or 0, reverse=True)
            for st in running:
                if st.running:
                    try:
                        self._stop(st, (), messages)
                    except ServiceError as e:
                        messages.append(str(e))
                        if st.pid:
                            terminate(st.pid, signal.SIGKILL, 1.0, self.table)
                        st.status = "stopped"
            for pid in self.table.children():
                self.log(f"terminating stray process {pid}")
                terminate(pid, signal.SIGTERM, 3.0, self.table)
            self._halting = halting
            return messages

    # ------------------------------------------------------------ configs
    def load_config(self, path: str | Path) -> Registry:
        """Evaluate a config file with schemy's interpreter; what it registered."""
        from schemy.lang.errors import SchemeError, SchemeExit

        path = Path(path)
        if not path.is_file():
            raise ServiceError(f"{path}: no such config file")
        interp = service_interpreter(self.load_path)
        module = scheme_config_module(interp)
        with self.lock, loading_registry() as reg:
            try:
                interp.run_protected(lambda: interp.load_file(str(path), module))
            except SchemeError as e:
                raise ServiceError(render_error_text(e)) from None
            except SchemeExit as e:
                raise ServiceError(f"{path}: the config called (exit {e.code})") from None
        for spec in reg.services:
            spec.interp = interp
        for job in reg.jobs:
            job.interp = interp
        return reg

    def load(self, path: str | Path) -> dict[str, Any]:
        """Shepherd's ``load``: add the config's services (names must be new), start the auto-start ones."""
        reg = self.load_config(path)
        with self.lock:
            self.register(reg.services)
            if reg.jobs:
                self.register_jobs(reg.jobs, replace=False)
            summary = self.start_all(reg.to_start)
            summary["loaded"] = [s.name for s in reg.services]
            return summary

    def upgrade_from(self, path: str | Path) -> dict[str, Any]:
        """Reconfigure from a config file: ``upgrade`` with what it registers."""
        reg = self.load_config(path)
        return self.upgrade(reg.services, reg.jobs, reg.to_start)

    def upgrade(self, specs: Iterable[ServiceSpec], jobs: Iterable[Job] | None = None,
                to_start: Iterable[str] = ()) -> dict[str, Any]:
        """Switch to a new set of services, disturbing the unchanged ones as little as possible.

        New services start (when auto-start), services whose ``fingerprint`` changed are
        restarted if they were running (or started if auto-start and not running), removed
        services are stopped, unchanged ones are left alone.  Jobs are replaced.
        """
        specs = list(specs)
        summary: dict[str, Any] = {"started": [], "restarted": [], "stopped": [], "removed": [],
                                   "unchanged": [], "failed": [], "messages": []}
        names = [s.name for s in specs]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ServiceError("services defined twice: " + ", ".join(sorted(dup)))
        with self.lock:
            new_by_name = {s.name: s for s in specs}
            old = dict(self.services)
            messages = summary["messages"]
            # 1. stop removed services and changed running ones (dependents first)
            was_running: set[str] = set()
            for name, st in old.items():
                replacement = new_by_name.get(name)
                changed = replacement is None or replacement.fingerprint != st.spec.fingerprint
                if changed and st.running:
                    was_running.add(name)
                    # running dependents that stay unchanged must come back after the restart
                    for d in self._transitive_dependents(st):
                        if d.running:
                            was_running.add(d.name)
                    try:
                        self._stop(st, (), messages)
                    except ServiceError as e:
                        messages.append(str(e))
            for name, st in old.items():
                if name not in new_by_name:
                    if st.running:
                        try:
                            self._stop(st, (), messages)
                        except ServiceError as e:
                            messages.append(str(e))
                    self._unregister(name)
                    summary["removed"].append(name)
                    if name in was_running:
                        summary["stopped"].append(name)
            # 2. swap definitions
            changed_names: list[str] = []
            added: list[str] = []
            for spec in specs:
                st = self.services.get(spec.name)
                if st is None:
                    added.append(spec.name)
                    continue
                if st.spec.fingerprint != spec.fingerprint:
                    changed_names.append(spec.name)
                    self._unregister(spec.name)
                    added.append(spec.name)
                else:
                    summary["unchanged"].append(spec.name)
            self.register([s for s in specs if s.name in added])
            # 3. start what has to run
            ran: set[str] = set()
            start_names = set(to_start)
            self._start_seq = []
            for spec in specs:
                st = self.services[spec.name]
                if st.status == "host" or st.running:
                    continue
                must = (spec.name in was_running
                        or (spec.name in added and spec.name not in changed_names and spec.auto_start)
                        or (spec.name in changed_names and spec.auto_start)
                        or any(p in start_names for p in spec.provision))
                if not must or (spec.one_shot and spec.name in ran):
                    continue
                try:
                    self._start(st, (), (), ran, messages)
                except ServiceError as e:
                    summary["failed"].append(spec.name)
                    messages.append(str(e))
            for name in dict.fromkeys(self._start_seq):
                summary["restarted" if name in was_running else "started"].append(name)
            if jobs is not None:
                self.register_jobs(jobs)
            summary["jobs"] = len(self.jobs)
            return summary

    # ------------------------------------------------------------ actions, status, logs
    def action(self, name: str, action: str, args: Iterable[Any] = ()) -> dict[str, Any]:
        """Run a custom action; what it printed and the value it returned."""
        from schemy.lang.printer import display_string

        with self.lock:
            st = self.lookup(name)
            act = st.spec.actions.get(action)
            if act is None:
                raise ServiceError(f"Service {st.name} does not have an action '{action}'.")
            buf = io.StringIO()
            ctx = self._context(st.name)
            try:
                with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
                    running = st.value if st.running else False
                    value = self.call(st.spec.interp, act.proc, running, *args, ctx=ctx)
            except Exception as e:  # noqa: BLE001 - reported to the client
                raise ServiceError(f"action '{action}' of service {st.name} failed: {render_error_text(e)}"
                                   + (f"\n{buf.getvalue()}" if buf.getvalue() else "")) from None
            text = None
            try:
                from schemy.lang.datum import UNSPECIFIED

                if value is not UNSPECIFIED and value is not None:
                    text = display_string(value)
            except Exception:  # noqa: BLE001
                text = repr(value)
            return {"output": buf.getvalue(), "value": text}

    def doc(self, name: str) -> dict[str, Any]:
        st = self.lookup(name)
        return {"name": st.name, "documentation": st.spec.documentation,
                "actions": [[a.name, a.documentation] for a in st.spec.actions.values()]}

    def info(self, st: ServiceState, detail: bool = False, lines: int = 10) -> dict[str, Any]:
        spec = st.spec
        d: dict[str, Any] = {
            "name": st.name, "provision": spec.provision, "requirement": spec.requirement,
            "status": st.status, "enabled": st.enabled, "disabled_reason": st.disabled_reason,
            "respawn": spec.respawn, "one_shot": spec.one_shot, "auto_start": spec.auto_start,
            "host": spec.host_provided, "pid": st.pid, "since": st.since,
            "command": st.command or spec.command(),
            "last_exit": describe_exit(st.last_exit) if st.last_exit is not None else None,
            "failure": st.failure, "documentation": spec.documentation,
            "actions": sorted(spec.actions), "one_shot_ran": st.one_shot_ran,
            "fingerprint": spec.fingerprint,
        }
        if detail:
            d["log_file"] = str(self.output_log(st.name))
            d["recent"] = self.read_log(st.name, lines)
        return d

    def status(self, name: str | None = None, lines: int = 10) -> Any:
        """All services (a list of dicts) or one service in detail."""
        with self.lock:
            if name is not None:
                return self.info(self.lookup(name), True, lines)
            return [self.info(st) for st in self.services.values()]

    def read_log(self, name: str, lines: int = 50) -> list[str]:
        """The last ``lines`` lines of the service's output log (and of its manager notes)."""
        paths = [self.output_log(name)]
        own = self.log_path(self.lookup(name).name)
        if own not in paths:
            paths.append(own)
        out: list[str] = []
        for p in paths:
            out.extend(_tail(p, lines))
        return out[-lines:] if len(paths) == 1 else out

    def schedule(self) -> list[dict[str, Any]]:
        with self.lock:
            return [{"name": js.job.name, "schedule": js.job.schedule_text(),
                     "next": js.next.strftime("%Y-%m-%d %H:%M:%S") if js.next else None,
                     "last_run": js.last_run, "last_status": js.last_status, "error": js.error}
                    for js in self.jobs]

    # ------------------------------------------------------------ mcron
    def _schedule(self, js: JobState, after: datetime) -> None:
        job = js.job
        try:
            if job.reboot:
                js.next = None
                return

            def call(fn: Any, t: int) -> Any:
                return self.call(job.interp, fn, t)

            def fallback(expr: Any) -> Any:
                if job.interp is None:
                    raise ServiceError("this time expression needs the interpreter")
                from schemy.eval.interpreter import scheme_eval

                return self.call(job.interp, scheme_eval, expr, scheme_config_module(job.interp))

            nxt = job.next_run(after, call, fallback)
            if nxt is not None and nxt <= after:
                nxt = after.replace(microsecond=0) + timedelta(seconds=1)
            js.next = nxt
            js.error = None
        except Exception as e:  # noqa: BLE001 - a broken schedule disables that job only
            js.next = None
            js.error = render_error_text(e)
            self.log(f"mcron: job '{job.name}' has a bad schedule: {js.error}")

    def _mcron_loop(self) -> None:
        while not self._halt.is_set():
            now = datetime.now()
            with self.lock:
                due = [js for js in self.jobs if js.next is not None and js.next <= now]
                upcoming = [js.next for js in self.jobs if js.next is not None and js.next > now]
            for js in due:
                planned = js.next
                assert planned is not None
                self._run_job(js)
                with self.lock:
                    if js in self.jobs:
                        self._schedule(js, max(planned, datetime.now().replace(microsecond=0)))
            if due:
                continue
            wait = min(((t - now).total_seconds() for t in upcoming), default=1.0)
            self._jobs_changed.wait(max(0.01, min(wait, 1.0)))
            self._jobs_changed.clear()

    def _run_job(self, js: JobState) -> None:
        job = js.job
        js.last_run = time.time()
        log_file = self.log_dir / "mcron.log"
        action = job.action
        if isinstance(action, str):
            opts = ExecOptions(command=["/bin/sh", "-c", action], log_file=log_file, user=job.user or False)
            self.log(f"mcron: running job '{job.name}'")
            try:
                with self.lock, service_context(ServiceContext("mcron", log_file,
                                                               lambda m: self.log("mcron: " + m))):
                    p = opts.spawn("mcron job", self.table)
            except OSError as e:
                js.last_status = f"could not run: {e}"
                self.log(f"mcron: job '{job.name}' could not run: {e}")
                return
            js.last_status = "running"

            def done(pid: int, status: int) -> None:
                js.last_status = describe_exit(status)
                self.table.forget(pid)
                self.log(f"mcron: job '{job.name}' (PID {pid}) {describe_exit(status)}")

            self.table.on_exit(p.pid, done)
            return
        start_thread(self._run_thunk, "schemy-eval", js)

    def _run_thunk(self, js: JobState) -> None:
        job = js.job
        buf = io.StringIO()
        self.log(f"mcron: running job '{job.name}'")
        try:
            with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
                if callable(job.action):
                    self.call(job.interp, job.action)
                elif job.interp is not None:
                    from schemy.eval.interpreter import scheme_eval

                    self.call(job.interp, scheme_eval, job.action, scheme_config_module(job.interp))
                else:
                    raise ServiceError("an expression action needs the interpreter")
            js.last_status = "completed"
        except Exception as e:  # noqa: BLE001
            js.last_status = "failed: " + render_error_text(e)
        text = buf.getvalue()
        if text:
            with self._log_lock, open(self.log_dir / "mcron.log", "a", encoding="utf-8") as f:
                f.write(text if text.endswith("\n") else text + "\n")
        self.log(f"mcron: job '{job.name}' {js.last_status}")

    # ------------------------------------------------------------ life cycle
    def run(self) -> None:
        """Start the reaper, event and mcron threads (idempotent)."""
        if self._threads:
            return
        self._halt.clear()
        self._halting = False
        self._threads = [
            start_thread(self._reaper_loop, "schemy-reaper"),
            start_thread(self._event_loop, "schemy-eval"),
            start_thread(self._mcron_loop, "schemy-eval"),
        ]
        attach_manager(self)

    def shutdown(self) -> list[str]:
        """Stop every service and job process, then the threads; reap everything left."""
        self._halting = True
        messages = self.stop_all()
        self._halt.set()
        self._jobs_changed.set()
        for t in self._threads:
            t.join(timeout=10)
        self._threads = []
        detach_manager(self)
        self.table.poll_all()
        if self.reap_orphans:
            seen = set(self.table.reap_orphans(set()))
            time.sleep(0.05)
            self.table.reap_orphans(seen)
        return messages

    def __enter__(self) -> ServiceManager:
        self.run()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()


def _tail(path: Path, lines: int) -> list[str]:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024 - 200 * max(lines, 1)))
            data = f.read()
    except OSError:
        return []
    return data.decode("utf-8", "replace").splitlines()[-lines:] if lines > 0 else []

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
* Two locks.  ``lock`` guards the manager's tables and is held only briefly: never while a
  start, stop or action procedure runs, so ``status`` answers while a start blocks.  Calls
  into Scheme take ``_eval_lock`` instead (the interpreter is not thread-safe; re-entrant,
  since a Scheme action may itself call ``start-service``).  Starts and stops run on a worker
  thread with a timeout (``start_timeout``); one that does not return is interrupted and the
  processes it spawned are terminated.  ``_op_lock`` serializes whole-config operations
  (upgrade, load, shutdown).
* Once ``shutdown`` begins, nothing starts any more (``_closed``, checked under ``lock``
  before a start and again when it returns), so a reconfigure racing ``herd stop root``
  cannot leave a service running without its manager.
* The PIDs and process groups of running services are recorded in
  ``<root>/run/schemy/processes.json``; a manager that finds records left by a predecessor
  that died (kill -9) stops those processes (``reclaim``) before it starts anything.
* After a batch of starts, ``upgrade`` waits ``ready_grace`` seconds and reports a service
  whose process died meanwhile as failed, not started.
* Logs: ``<root>/var/log/schemy/NAME.log`` per service (process output when the service
  has no ``#:log-file``, plus the manager's messages about it), ``manager.log`` and
  ``mcron.log``.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import json
import os
import pwd
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
from schemy.shepherd.forkexec import (
    AccountError,
    ExecOptions,
    ForkExecStart,
    KillStop,
    SystemStart,
    SystemStop,
    running_pid,
)
from schemy.shepherd.mcron import Job
from schemy.shepherd.namespace import can_switch_accounts
from schemy.shepherd.process import (
    PROCESSES,
    ProcessTable,
    describe_exit,
    group_members,
    proc_start_time,
    terminate,
    terminate_group,
)
from schemy.shepherd.records import Registry, ServiceSpec, attach_manager, detach_manager, loading_registry
from schemy.shepherd.timer import Timer

THREAD_STACK_SIZE = 256 * 1024 * 1024
DEFAULT_START_TIMEOUT = 60.0  # seconds a start (or stop) procedure may take
DEFAULT_READY_GRACE = 1.0  # seconds a started daemon must survive to count as started
# Constructors written in Python: they never touch the interpreter, so they need no eval lock.
NATIVE_PROCEDURES = (ForkExecStart, KillStop, SystemStart, SystemStop)


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
    respawns: int = 0  # how many times the manager restarted it after it exited on its own
    exited: tuple[int, float] | None = None  # its last exit on its own: (wait status, time)
    failure: str | None = None
    one_shot_ran: float | None = None
    command: list[str] | None = None
    respawn_pending: bool = False
    cancel: threading.Event = field(default_factory=threading.Event)  # stop asked while starting

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


class OwnedLock:
    """A re-entrant lock that a thread which died holding it (interrupted at the wrong
    instruction, say) does not keep: it counts as free once its owner is gone."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._owner: threading.Thread | None = None
        self._count = 0

    def owned(self) -> bool:
        return self._owner is threading.current_thread()

    def acquire(self, timeout: float) -> bool:
        me = threading.current_thread()
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._owner is me:
                self._count += 1
                return True
            while self._owner is not None and self._owner.is_alive():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.1))
            self._owner, self._count = me, 1
            return True

    def release(self) -> None:
        with self._cond:
            if self._owner is threading.current_thread():
                self._count -= 1
                if self._count == 0:
                    self._owner = None
                    self._cond.notify_all()


def interrupt_thread(t: threading.Thread) -> None:
    """Raise KeyboardInterrupt in thread ``t`` (at its next Python instruction)."""
    if t.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(t.ident), ctypes.py_object(KeyboardInterrupt))


def _account_exists(user: str) -> bool:
    try:
        pwd.getpwuid(int(user)) if user.isdigit() else pwd.getpwnam(user)
    except KeyError:
        return False
    return True


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
                 load_path: list[str] | None = None, table: ProcessTable | None = None,
                 start_timeout: float = DEFAULT_START_TIMEOUT, ready_grace: float = DEFAULT_READY_GRACE) -> None:
        self.root = Path(root).resolve()
        self.log_dir = self.root / "var" / "log" / "schemy"
        self.log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # what services print: root's alone
        os.chmod(self.log_dir, 0o700)
        self.table = table or PROCESSES
        self.reap_orphans = reap_orphans
        self.poll_interval = poll_interval
        self.load_path = list(load_path or [])
        self.run_dir = self.root / "run" / "schemy"
        self.records_path = self.run_dir / "processes.json"
        self.start_timeout = start_timeout
        self.ready_grace = ready_grace
        self.lock = threading.RLock()
        self._changed = threading.Condition(self.lock)  # a service left "starting"/"stopping"
        self._eval_lock = OwnedLock()
        self._op_lock = threading.RLock()
        self._closed = False
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

    def mark_failed(self, name: str, value: Any, reason: str) -> None:
        """A running service whose running value gave up on its own (a socket-activated
        program that cannot start): shown as failed, as after a start that failed."""
        with self.lock:
            st = self.services.get(name)
            if st is None or not st.running or st.value is not value:
                return
            self._failed(st, reason)
            self._write_records()

    def remove_transient(self, name: str) -> None:
        """A transient service has done its work: stop it (if running) and forget it."""
        with self.lock:
            st = self.services.get(name)
            if st is None or not st.spec.transient:
                return
            if st.running:
                with contextlib.suppress(ServiceError):
                    self._stop(st, (), [])
            if self.services.get(name) is st and not st.running:
                self._unregister(name)
                self.log(f"Transient service {name} has been removed.", name)

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
    def call(self, interp: Any, fn: Any, *args: Any, ctx: ServiceContext | None = None,
             timeout: float | None = None, cancel: threading.Event | None = None) -> Any:
        """Call a service/job procedure, through its interpreter when it is Scheme code.

        Never under ``lock``.  With ``timeout`` (or ``cancel``), the call runs on a worker
        thread: when it does not return in time (or ``cancel`` is set) it is interrupted,
        the processes it spawned are terminated and ``ServiceError`` is raised.
        """
        if not callable(fn):
            from schemy.lang.printer import write_string

            raise ServiceError(f"not a procedure: {write_string(fn)}")
        scheme = interp is not None and not isinstance(fn, NATIVE_PROCEDURES)

        def run() -> Any:
            with contextlib.ExitStack() as stack:
                if ctx is not None:
                    stack.enter_context(service_context(ctx))
                if scheme:
                    stack.enter_context(self._interpreter())
                    return interp.run_protected(lambda: fn(*args))
                return fn(*args)

        nested = self._eval_lock.owned()  # Scheme code calling start-service
        if nested or (timeout is None and cancel is None and threading.current_thread().name == "schemy-eval"):
            return run()
        return self._bounded(run, timeout, cancel, ctx)

    @contextlib.contextmanager
    def _interpreter(self) -> Any:
        """Hold the interpreter (one Scheme call at a time); a clear error when it stays busy."""
        if not self._eval_lock.acquire(self.start_timeout):
            raise ServiceError(f"the interpreter stayed busy for {self.start_timeout:g} seconds "
                               "(a start or stop procedure does not return)")
        try:
            yield
        finally:
            self._eval_lock.release()

    def _bounded(self, run: Callable[[], Any], timeout: float | None, cancel: threading.Event | None,
                 ctx: ServiceContext | None) -> Any:
        result: list[Any] = []
        error: list[BaseException] = []
        done = threading.Event()
        abandoned = threading.Event()

        def work() -> None:
            try:
                result.append(run())
            except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
                error.append(e)
            finally:
                done.set()
                if abandoned.is_set():  # finished late: what it started must not survive
                    self._terminate_spawned(ctx, result[0] if result else None)

        worker = start_thread(work, "schemy-eval")
        deadline = None if timeout is None else time.monotonic() + timeout
        why = None
        while not done.wait(0.02):
            if cancel is not None and cancel.is_set():
                why = "it was stopped while starting"
            elif deadline is not None and time.monotonic() >= deadline:
                why = f"it did not return within {timeout:g} seconds"
            else:
                continue
            interrupt_thread(worker)
            if not done.wait(1.0):
                abandoned.set()
            if done.is_set():
                self._terminate_spawned(ctx, result[0] if result else None)
            elif ctx is not None:
                self._terminate_spawned(ctx, None)
            raise ServiceError(why)
        if error:
            raise error[0]
        return result[0] if result else None

    def _terminate_spawned(self, ctx: ServiceContext | None, value: Any) -> None:
        if isinstance(value, Timer):
            value.cancel()
        pids = list(ctx.pids) if ctx is not None else []
        pid = running_pid(value)
        if pid is not None and pid not in pids:
            pids.append(pid)
        for pid in pids:
            if self.table.poll(pid) is None:
                terminate(pid, signal.SIGTERM, 2.0, self.table)
            self.table.forget(pid)

    @contextlib.contextmanager
    def _released(self) -> Any:
        """Let go of ``lock`` (however deeply this thread holds it) while a procedure runs."""
        state = self.lock._release_save()  # type: ignore[attr-defined]
        try:
            yield
        finally:
            self.lock._acquire_restore(state)  # type: ignore[attr-defined]

    def _settle(self, st: ServiceState) -> None:
        """Wait (lock released) until another thread's start or stop of ``st`` is over."""
        deadline = time.monotonic() + self.start_timeout + 5.0
        while st.status in ("starting", "stopping"):
            left = deadline - time.monotonic()
            if left <= 0:
                raise ServiceError(f"Service {st.name} is still {st.status}; try again later.")
            self._changed.wait(min(left, 0.5))

    @property
    def closing(self) -> bool:
        """Whether ``shutdown`` has begun (a client must then wait for a new manager)."""
        return self._closed

    def _check_open(self) -> None:
        if self._closed:
            raise ServiceError("the service manager is shutting down; nothing more is started")

    def _context(self, name: str) -> ServiceContext:
        return ServiceContext(name, log_file=self.log_path(name), logger=lambda m: self.log(m, name))

    # ------------------------------------------------------------ start
    def start(self, name: str, *args: Any) -> list[str]:
        """Start a service and, first, its requirements; the messages for herd."""
        with self.lock:
            st = self.lookup(name)
            self._settle(st)
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
        self._check_open()
        if st.status in ("starting", "stopping") and name not in chain:
            self._settle(st)
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
        st.cancel.clear()
        ctx = self._context(name)
        start = spec.start if spec.start is not None else (lambda *_: True)
        try:
            with self._released():
                try:
                    value = self.call(spec.interp, start, *args, ctx=ctx, timeout=self.start_timeout,
                                      cancel=st.cancel)
                except ServiceError as e:
                    ctx.reason = f"the start procedure failed: {e}"
                    value = False
                except Exception as e:  # noqa: BLE001 - a broken start procedure is a failed start
                    ctx.reason = render_error_text(e)
                    value = False
        finally:
            self._changed.notify_all()
        if self._closed or st.cancel.is_set() or self.services.get(name) is not st:
            # stopped, replaced or shut down while starting: what it started must not survive
            self._terminate_spawned(ctx, value)
            st.status = "stopped"
            st.value = None
            self._changed.notify_all()
            if self._closed:
                raise ServiceError(f"Service {name} was not started: the service manager is shutting down.")
            raise ServiceError(f"Service {name} was stopped while it was starting.")
        st.command = ctx.command or spec.command()  # herd status shows it, failed or not
        if value is False:
            self._failed(st, ctx.reason or "the start procedure returned #f")
            raise ServiceError(f"Service {name} could not be started."
                               + (f"\n{ctx.reason}" if ctx.reason else ""))
        if value is None:
            value = True
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
            self._write_records()
        self._changed.notify_all()
        self._start_seq.append(name)
        self.log(f"Service {name} has been started" + (f" (PID {st.pid})." if st.pid else "."), name)
        messages.append(f"Service {name} has been started.")
        return value

    def _failed(self, st: ServiceState, reason: str) -> None:
        self._changed.notify_all()
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
            if st.status == "starting":
                self._cancel_start(st)
                if not st.running:
                    return [f"Service {st.name} has been stopped."]
            self._settle(st)
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

    def _cancel_start(self, st: ServiceState) -> None:
        """Interrupt a start in progress (another thread's) and wait until it has given up."""
        st.cancel.set()
        self._settle(st)

    def _stop(self, st: ServiceState, args: tuple, messages: list[str]) -> None:
        for dep in self._dependents(st):
            if dep.status == "starting":
                self._cancel_start(dep)
            if dep.running:
                self._stop(dep, (), messages)
        if st.status == "starting":
            self._cancel_start(st)
        self._settle(st)
        if not st.running:
            return
        name = st.name
        spec = st.spec
        st.status = "stopping"
        ctx = self._context(name)
        pid = st.pid
        stop = spec.stop if spec.stop is not None else (KillStop(signal.SIGTERM, 5.0, self.table)
                                                        if pid is not None else (lambda *_: False))
        try:
            with self._released():
                try:
                    result = self.call(spec.interp, stop, st.value, *args, ctx=ctx, timeout=self.start_timeout)
                except Exception as e:  # noqa: BLE001 - reported; the process is still made to go away below
                    self.log(f"Service {name}: stop procedure failed: {render_error_text(e)}", name)
                    result = False
                if (result is False or result is None) and pid is not None:
                    self._make_gone(st, pid)
        finally:
            self._changed.notify_all()
        if result is not False and result is not None:
            st.status = "running"
            st.value = result
            raise ServiceError(f"Service {name} could not be stopped.")
        st.status = "stopped"
        st.value = None
        st.pid = None
        st.since = time.time()
        self._write_records()
        self._changed.notify_all()
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
            self._check_open()
            self._settle(st)
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
            st.exited = (status, time.time())
            st.status = "stopped"
            st.value = None
            st.pid = None
            st.since = time.time()
            self.table.forget(pid)
            self._write_records()
            self._changed.notify_all()
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
                    or self._halting or self._closed):
                return
            self.log(f"Respawning service {name}.", name)
            st.respawns += 1
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
            self._await_ready(summary)
            return summary

    def stop_all(self) -> list[str]:
        """Stop every service (dependents first, most recently started first) and stray processes."""
        with self.lock:
            halting, self._halting = self._halting, True  # no respawn while everything stops
            messages: list[str] = []
            for st in list(self.services.values()):
                if st.status == "starting":
                    st.cancel.set()
            for st in list(self.services.values()):
                try:
                    self._settle(st)
                except ServiceError as e:
                    messages.append(str(e))
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
        with self._interpreter(), loading_registry() as reg:
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
        with self._op_lock:
            self._check_open()
            reg = self.load_config(path)
            return self._load(reg)

    def _load(self, reg: Registry) -> dict[str, Any]:
        with self.lock:
            self._check_open()
            self.register(reg.services)
            if reg.jobs:
                self.register_jobs(reg.jobs, replace=False)
            summary = self.start_all(reg.to_start)
            summary["loaded"] = [s.name for s in reg.services]
            return summary

    def upgrade_from(self, path: str | Path) -> dict[str, Any]:
        """Reconfigure from a config file: ``upgrade`` with what it registers."""
        with self._op_lock:
            self._check_open()
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
        with self._op_lock, self.lock:
            self._check_open()
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
                st = self.services.get(spec.name)
                if st is None or st.status == "host" or st.running:
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
            self._await_ready(summary)
            if jobs is not None:
                self.register_jobs(jobs)
            summary["jobs"] = len(self.jobs)
            return summary

    # ------------------------------------------------------------ readiness
    def _await_ready(self, summary: dict[str, Any]) -> None:
        """Wait ``ready_grace`` seconds (lock released), then move the services of
        ``summary["started"]``/``["restarted"]`` whose process died meanwhile to ``failed``."""
        watched = {}
        for key in ("started", "restarted"):
            for name in summary.get(key, []):
                st = self.services.get(name)
                if st is not None and st.pid is not None:
                    watched[name] = (key, st, st.pid, st.since or time.time())
        if not watched or self.ready_grace <= 0:
            return
        deadline = time.monotonic() + self.ready_grace
        while (left := deadline - time.monotonic()) > 0:
            self._changed.wait(min(left, 0.1))
            if any(st.pid != pid for _k, st, pid, _t in watched.values()):
                break  # one died: no need to wait for the others any longer than they had
        for name, (key, st, pid, since) in watched.items():
            status = self.table.poll(pid) if st.pid == pid else None
            if st.pid == pid and st.running and status is None:
                continue
            summary[key].remove(name)
            summary.setdefault("failed", []).append(name)
            exit_text = describe_exit(st.last_exit) if st.last_exit is not None else "stopped"
            tail = [line for line in self.read_log(name, 3) if line.strip()][-2:]
            reason = (f"Service {name} {exit_text} {time.time() - since:.1f} seconds after it started"
                      + (": " + " | ".join(tail) if tail else "."))
            summary.setdefault("messages", []).append(reason)
            if st.status != "running":
                st.failure = reason
            self.log(reason, name)

    # ------------------------------------------------------------ process records
    def _write_records(self) -> None:
        """Record the PID and process group of every running service (for a successor, see ``reclaim``)."""
        records = {}
        for st in self.services.values():
            if st.running and st.pid is not None:
                records[st.name] = {"pid": st.pid, "pgid": st.pgid, "start": proc_start_time(st.pid)}
        try:
            self.run_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.records_path.with_name(self.records_path.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "w") as f:
                json.dump(records, f)
            os.replace(tmp, self.records_path)
        except OSError as e:
            self.log(f"cannot record service processes in {self.records_path}: {e}")

    def reclaim(self) -> list[str]:
        """Stop the processes a previous manager of this root recorded and left running (it was
        killed): without this, the next reconfigure would start duplicates.  Call it before
        starting anything, holding the root's manager lock.  What was stopped, as messages."""
        try:
            records = json.loads(self.records_path.read_text())
        except (OSError, ValueError):
            return []
        messages = []
        for name, rec in records.items() if isinstance(records, dict) else ():
            try:
                pid, pgid, start = int(rec["pid"]), rec.get("pgid"), rec.get("start")
            except (KeyError, TypeError, ValueError):
                continue
            pgid = int(pgid) if isinstance(pgid, int) else None
            leader_alive = start is not None and proc_start_time(pid) == start
            if leader_alive:
                if pgid and pgid != os.getpgrp() and pgid > 1:
                    terminate_group(pgid, self.table)
                if proc_start_time(pid) == start:
                    terminate(pid, signal.SIGTERM, 2.0, self.table)
                messages.append(f"stopped service {name} (PID {pid}) left running by a previous service manager")
            elif pgid and pgid > 1 and pgid != os.getpgrp() and start is not None:
                # The leader is gone; helpers it forked into its group may remain.
                left = [p for p in group_members(pgid) if p != pgid and (proc_start_time(p) or 0) >= start]
                for p in left:
                    with contextlib.suppress(OSError):
                        os.kill(p, signal.SIGKILL)
                if left:
                    messages.append(f"stopped processes {left} of service {name} left by a previous service manager")
        for m in messages:
            self.log(m)
        with self.lock:
            self._write_records()
        return messages

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
                running = st.value if st.running else False
                with self._released(), contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
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
            "respawns": st.respawns,
            "exited": [describe_exit(st.exited[0]), st.exited[1]] if st.exited is not None else None,
            "failure": st.failure, "documentation": spec.documentation,
            "actions": sorted(spec.actions), "one_shot_ran": st.one_shot_ran,
            "fingerprint": spec.fingerprint,
        }
        if st.running and isinstance(st.value, Timer):  # when it fires next, how its last runs ended
            d["timer"] = st.value.info()
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
            except (OSError, AccountError) as e:
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
        if job.user and can_switch_accounts() and not _account_exists(str(job.user)):
            js.last_status = f"could not run: user {job.user} does not exist on this host"
            self.log(f"mcron: job '{job.name}' not run: user {job.user} does not exist on this host "
                     "(refusing to run it as root)")
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
        """Stop every service and job process, then the threads; reap everything left.

        From its first instruction nothing starts any more, whoever asks (a reconfigure
        racing ``herd stop root``, a respawn, an action): see ``_check_open``.
        """
        with self.lock:
            self._closed = True
            self._halting = True
            for st in self.services.values():
                if st.status == "starting":
                    st.cancel.set()
        with self._op_lock:  # a running upgrade or load finishes (starting nothing) first
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

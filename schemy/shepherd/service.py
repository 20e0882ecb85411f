"""The GNU Shepherd's service API as Python callables, for lowered service configs.

A config evaluated by the service manager calls these procedures (``PRIMITIVES``
maps their Scheme names to the Python functions) exactly as a Shepherd config does::

    (register-services
      (list (service '(libvirtd) #:requirement '()
                     #:start (make-forkexec-constructor (list "/usr/sbin/libvirtd" "-f" "/etc/l.conf")
                                                        #:pid-file "/run/libvirtd.pid")
                     #:stop (make-kill-destructor)
                     #:respawn? #t)))

The pieces live in their own modules: ``records`` (service records, registration),
``forkexec`` (process constructors and destructors), ``process`` (the process table),
``context`` (the service a procedure runs for), ``args`` (argument conversion).
"""

from __future__ import annotations

import signal
from typing import Any

from schemy.lang.datum import Symbol, make_list, make_pair
from schemy.lang.errors import scheme_error
from schemy.shepherd.forkexec import (
    DEFAULT_PID_FILE_TIMEOUT,
    default_environment_variables,
    fork_exec_command,
    make_forkexec_constructor,
    make_kill_destructor,
    make_system_constructor,
    make_system_destructor,
    read_pid_file,
    spawn_command,
)
from schemy.shepherd.process import DEFAULT_GRACE_PERIOD
from schemy.shepherd.records import (
    DEFAULT_RESPAWN_LIMIT,
    ServiceSpec,
    lookup_service,
    make_action,
    make_service,
    provided_by_host,
    register_services,
    start_in_the_background,
    start_service,
    stop_service,
)


def _spec(x: Any, origin: str) -> ServiceSpec:
    if not isinstance(x, ServiceSpec):
        raise scheme_error(f"{origin}: not a service", x, kind="wrong-type-arg")
    return x


def _syms(names: list[str]) -> Any:
    return make_list([Symbol(n) for n in names])


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
    "spawn-command": spawn_command,
    "read-pid-file": read_pid_file,
    # A process service's running value is its PID here; Guix's actions write
    # (process-id running), as Shepherd 1.0's value is a <process> record.
    "process-id": lambda running: running if isinstance(running, int) else getattr(running, "pid", running),
    "default-respawn-limit": make_pair(DEFAULT_RESPAWN_LIMIT[0], int(DEFAULT_RESPAWN_LIMIT[1])),
    "default-pid-file-timeout": int(DEFAULT_PID_FILE_TIMEOUT),
    "default-process-termination-grace-period": int(DEFAULT_GRACE_PERIOD),
}

# Signal numbers configs pass to make-kill-destructor; Guile's core has them too.
SIGNALS: dict[str, int] = {
    s.name: int(s) for s in (signal.SIGTERM, signal.SIGKILL, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT,
                             signal.SIGUSR1, signal.SIGUSR2, signal.SIGCONT, signal.SIGSTOP)}

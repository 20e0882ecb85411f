"""The Shepherd and mcron modules implemented in Python, offered to an interpreter.

Only code that runs under the service manager (start and stop procedures, actions, mcron job
specifications) or imports these modules sees ``make-forkexec-constructor``, ``service``,
``job``...: they are not in Guile's core module.
"""

from __future__ import annotations

from typing import Any

SHEPHERD_MODULES = [("shepherd", "service"), ("shepherd", "support")]
MCRON_MODULES = [("mcron", "job-specifier"), ("mcron",)]
TIMER_MODULE = ("shepherd", "service", "timer")
HERD_MODULE = ("schemy", "herd")
CONTAINER_MODULE = ("schemy", "container")


def _shepherd() -> tuple[dict[str, Any], dict[str, Any]]:
    from schemy.shepherd import endpoints, service

    bindings = dict(service.PRIMITIVES)
    bindings.update(endpoints.PRIMITIVES)
    bindings.update(user_directories())
    for name, value in service.SIGNALS.items():
        bindings.setdefault(name, value)
    return bindings, {}


def user_directories() -> dict[str, str]:
    """(shepherd support)'s directories of a shepherd run by a user, from the environment the
    manager runs in (as the Shepherd computes them when it starts)."""
    import os

    home = os.environ.get("HOME") or os.path.expanduser("~")
    runtime = os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    state = os.environ.get("XDG_STATE_HOME") or f"{home}/.local/state"
    config = os.environ.get("XDG_CONFIG_HOME") or f"{home}/.config"
    return {"user-homedir": home, "%user-runtime-dir": runtime, "%user-log-dir": f"{state}/shepherd",
            "%user-config-dir": f"{config}/shepherd"}


def _mcron() -> tuple[dict[str, Any], dict[str, Any]]:
    from schemy.shepherd import mcron

    return mcron.PRIMITIVES, {}


def _timer() -> tuple[dict[str, Any], dict[str, Any]]:
    from schemy.shepherd import timer

    return timer.PRIMITIVES, {}


def _herd() -> tuple[dict[str, Any], dict[str, Any]]:
    from schemy.shepherd import herd_natives

    return herd_natives.PRIMITIVES, {}


def _container() -> tuple[dict[str, Any], dict[str, Any]]:
    from schemy.shepherd import container

    return container.PRIMITIVES, {}


def install(interp: Any) -> None:
    """Offer the Shepherd's and mcron's modules to ``interp``; their Python is imported when
    a program first uses one."""
    for name in SHEPHERD_MODULES:
        interp.add_lazy_native_module(name, _shepherd)
    for name in MCRON_MODULES:
        interp.add_lazy_native_module(name, _mcron)
    interp.add_lazy_native_module(TIMER_MODULE, _timer)
    interp.add_lazy_native_module(HERD_MODULE, _herd)
    interp.add_lazy_native_module(CONTAINER_MODULE, _container)

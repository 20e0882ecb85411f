"""Reading a deployment file: the ``machine`` records it evaluates to, and, for a machine
that builds its own system (``build-locally? #f``), the local files that the system reads,
which its target must be sent to build the same system."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemy.guix.store import Store
from schemy.lang.errors import scheme_error


@dataclass
class SshConfig:
    """The fields of a ``machine-ssh-configuration`` (Guix manual, "Invoking guix deploy")."""

    host_name: str
    system: str
    user: str = "root"
    port: int = 22
    identity: str | None = None
    host_key: str | None = None
    build_locally: bool = True
    authorize: bool = True
    allow_downgrades: bool = False
    safety_checks: bool = True


@dataclass
class Machine:
    index: int
    name: str  # the operating system's host name
    ssh: SshConfig
    os_record: Any
    inputs: list[str] = field(default_factory=list)  # local files the system's build read

    @property
    def label(self) -> str:
        return f"{self.name} ({self.ssh.user}@{self.ssh.host_name}:{self.ssh.port})"


class RecordingStore(Store):
    """A store that remembers the local files and trees copied into it (``local-file``)."""

    def __init__(self, directory: str | Path | None) -> None:
        super().__init__(directory)
        self.sources: list[str] = []

    def add_path(self, name: str, source: str, recursive: bool = False) -> str:
        # A computed-file's output is added from the scratch directory it was built in
        # (schemy-build-*): the target builds it itself; only the user's files are sent.
        if not os.path.basename(os.path.dirname(os.path.abspath(source))).startswith("schemy-build-"):
            self.sources.append(os.path.abspath(source))
        return super().add_path(name, source, recursive)


def _field(rec: Any, name: str) -> Any:
    from schemy.lang.datum import Symbol
    from schemy.runtime.records import record_ref

    return record_ref(rec, Symbol(name))


def _is_record(value: Any, type_name: str) -> bool:
    from schemy.runtime.records import Record

    return isinstance(value, Record) and value.rtd.name == type_name


def load_machines(interp: Any, path: str) -> list[Machine]:
    """Evaluate the deployment file at ``path``; it must return a list of machines."""
    from schemy.lang.datum import NIL, Pair, Symbol
    from schemy.lang.printer import write_string
    from schemy.system.config import _last_form_location, load_config

    value = load_config(interp, path)
    loc, _ = _last_form_location(path)
    items: list[Any] = []
    while isinstance(value, Pair):
        items.append(value.car)
        value = value.cdr
    if value is not NIL or not items:
        raise scheme_error(f"the deployment file returns {_short(write_string(value))}, not a list of machines",
                           kind="wrong-type-arg", loc=loc,
                           hint="end the file with (list (machine ...) ...), as for guix deploy")
    machines = []
    for i, m in enumerate(items):
        if not _is_record(m, "<machine>"):
            raise scheme_error(f"element {i + 1} of the deployment list is {_short(write_string(m))}, "
                               "not a machine", kind="wrong-type-arg", loc=loc)
        env = _field(m, "environment")
        env_name = _field(env, "name")
        if not (isinstance(env_name, Symbol) and env_name.name == "managed-host"):
            raise scheme_error(f"machine {i + 1}: environment {write_string(env_name)} is not supported",
                               loc=loc, hint="schemy deploys to managed-host-environment-type machines only")
        conf = _field(m, "configuration")
        if not _is_record(conf, "<machine-ssh-configuration>"):
            raise scheme_error(f"machine {i + 1}: its configuration is {_short(write_string(conf))}, "
                               "not a machine-ssh-configuration", loc=loc,
                               hint="managed hosts have no default configuration: give "
                                    "(configuration (machine-ssh-configuration ...))")
        os_record = _field(m, "operating-system")
        name = _field(os_record, "host-name")
        machines.append(Machine(i, str(name), _ssh_config(conf), os_record))
    return machines


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _ssh_config(conf: Any) -> SshConfig:
    def opt(name: str) -> Any:
        v = _field(conf, name)
        return None if v is False else v

    return SshConfig(host_name=str(_field(conf, "host-name")), system=str(_field(conf, "system")),
                     user=str(_field(conf, "user")), port=int(_field(conf, "port")),
                     identity=opt("identity") and str(opt("identity")), host_key=opt("host-key") and
                     str(opt("host-key")), build_locally=_field(conf, "build-locally?") is not False,
                     authorize=_field(conf, "authorize?") is not False,
                     allow_downgrades=_field(conf, "allow-downgrades?") is not False,
                     safety_checks=_field(conf, "safety-checks?") is not False)


def evaluate_locally(interp: Any, deploy_file: str, machine: Machine) -> None:
    """Evaluate the machine's system here without building it (for ``build-locally? #f``: the
    target builds): a broken configuration is reported before any machine is touched, and the
    local files it reads, which the target needs, are recorded."""
    from schemy.system.build import build_system

    store = RecordingStore(None)
    build_system(interp, deploy_file, store, os_record=machine.os_record)
    machine.inputs = sorted(set(store.sources))

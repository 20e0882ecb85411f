"""Service records and registration: ``service``, ``action``, ``register-services`` and friends.

``service`` builds a ``ServiceSpec`` (plain Python, so the manager and its tests need no
interpreter).  Evaluating a config collects what it registers in a ``Registry``.

schemy extensions to Shepherd's keywords (all optional): ``#:fingerprint STRING`` on
``service`` (the backend's hash of the lowered definition; ``upgrade`` restarts a running
service when it changes) and ``#:provided-by-host? #t`` (a service of the host itself, such
as ``networking``: realized but never run; services requiring it start as if it were up).
"""

from __future__ import annotations

import hashlib
import re
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from schemy.lang.datum import NIL, UNSPECIFIED, Pair
from schemy.lang.errors import scheme_error
from schemy.shepherd.args import as_list, as_names, as_text, split_keywords, truth

DEFAULT_RESPAWN_LIMIT: tuple[int, float] = (5, 7.0)  # Shepherd's default: 5 respawns within 7 seconds
DEFAULT_RESPAWN_DELAY = 0.1


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


def attach_manager(manager: Any) -> None:
    """Make ``manager`` the one ``start-service``, ``stop-service`` and ``lookup-service`` talk to."""
    _MANAGER.append(manager)


def current_manager() -> Any:
    """The manager running in this process (None outside one)."""
    return _MANAGER[-1] if _MANAGER else None


def detach_manager(manager: Any) -> None:
    if manager in _MANAGER:
        _MANAGER.remove(manager)


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
    for a in as_list(kw.get("actions", NIL), "service #:actions"):
        if not isinstance(a, Action):
            raise scheme_error("service: #:actions must be a list of actions", a, kind="wrong-type-arg")
        actions[a.name] = a
    doc = kw.get("documentation", kw.get("docstring", ""))
    start = kw.get("start")
    stop = kw.get("stop")
    return ServiceSpec(
        provision=as_names(provision, "service"),
        requirement=as_names(kw.get("requirement", NIL), "service #:requirement"),
        start=start if truth(start) else None,
        stop=stop if truth(stop) else None,
        respawn=truth(kw.get("respawn?", False)),
        one_shot=truth(kw.get("one-shot?", False)),
        auto_start=truth(kw.get("auto-start?", True)),
        transient=truth(kw.get("transient?", False)),
        documentation=as_text(doc) if truth(doc) else "",
        actions=actions,
        respawn_limit=respawn_limit,
        respawn_delay=float(kw.get("respawn-delay", DEFAULT_RESPAWN_DELAY)),
        host_provided=truth(kw.get("provided-by-host?", False)),
        fingerprint=as_text(kw["fingerprint"]) if truth(kw.get("fingerprint", False)) else "",
    )


def make_action(name: Any, proc: Any, *doc: Any) -> Action:
    """``(action 'name proc ["doc"])``: proc is called with the running value and herd's args."""
    if not callable(proc):
        raise scheme_error("action: not a procedure", proc, kind="wrong-type-arg")
    return Action(as_text(name), proc, as_text(doc[0]) if doc and truth(doc[0]) else "")


def register_services(*services: Any) -> Any:
    """``(register-services (list s ...))`` (Shepherd 0.10) or ``(register-services s ...)`` (older)."""
    reg = current_registry()
    items: list[Any] = []
    for s in services:
        if isinstance(s, (Pair, list, tuple)) or s is NIL:
            items.extend(as_list(s, "register-services"))
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
        for n in as_names(group, "provided-by-host"):
            reg.services.append(ServiceSpec(provision=[n], host_provided=True,
                                            documentation="Provided by the host system."))
    return UNSPECIFIED


def _service_name(x: Any) -> str:
    if isinstance(x, ServiceSpec):
        return x.name
    return as_text(x)


def start_in_the_background(names: Any) -> Any:
    """Ask for services to be started once the config is loaded (what Guix's config does)."""
    current_registry().to_start.extend(as_names(names, "start-in-the-background"))
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
    n = as_text(name)
    for reg in (*reversed(_LOADING), _DEFAULT_REGISTRY):
        for s in reg.services:
            if n in s.provision:
                return s
    if _MANAGER:
        spec = _MANAGER[-1].lookup_spec(n)
        if spec is not None:
            return spec
    return False

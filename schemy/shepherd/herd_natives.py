"""The primitives under (gnu services herd): talking to schemy's service manager the way
Guix's module talks to the Shepherd, from a config's gexps (activation snippets, actions)
or a script.  The socket is the manager's of the default root (``$SCHEMY_ROOT``...) unless
``%shepherd-socket-file`` names another.  Each primitive answers ``(ok . VALUE)`` or
``(error KIND MESSAGE)`` so that the Scheme side raises Guix's condition types."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schemy.lang.datum import NIL, Pair, Symbol, list_to_python, make_list, make_pair, to_str
from schemy.shepherd.herd import Client, HerdError, NotRunning, default_root
from schemy.shepherd.paths import socket_path


def default_socket_file() -> str:
    """The socket of the default root's service manager."""
    return str(socket_path(default_root()))


def _client(socket_file: Any) -> Client:
    client = Client(Path(to_str(socket_file)).parent.parent)
    client.path = Path(to_str(socket_file))
    return client


def _error(e: Exception) -> Pair:
    message = str(e)
    if isinstance(e, NotRunning):
        kind = "not-running"
    elif "could not be found" in message:
        kind = "service-not-found"
    elif "does not have an action" in message:
        kind = "action-not-found"
    elif isinstance(e, HerdError):
        kind = "action-exception"
    else:  # the socket: refused, timed out...
        kind = "not-running"
    return make_list([Symbol("error"), Symbol(kind), message])


def _running(s: dict[str, Any]) -> Any:
    if s.get("status") != "running":
        return False
    return s.get("pid") or True


def shepherd_services(socket_file: Any) -> Pair:
    """``(ok (PROVISION REQUIREMENT TRANSIENT? RUNNING) ...)``: every service the manager has."""
    try:
        services = _client(socket_file).request("status")["services"]
    except (HerdError, OSError) as e:
        return _error(e)
    rows = [make_list([make_list([Symbol(p) for p in s["provision"]]),
                       make_list([Symbol(r) for r in s["requirement"]]),
                       False, _running(s)])
            for s in services]
    return make_pair(Symbol("ok"), make_list(rows))


def shepherd_invoke(socket_file: Any, service: Any, action: Any, args: Any = NIL) -> Pair:
    """Run ACTION (start, stop, restart or a custom action) of SERVICE with ARGS:
    ``(ok . RESULTS)``, a list of one result as the Shepherd answers."""
    name, act = to_str(service), to_str(action)
    strings = [to_str(a) if isinstance(a, (str, Symbol)) else str(a) for a in list_to_python(args)]
    client = _client(socket_file)
    try:
        if act in ("start", "stop", "restart"):
            client.request(act, service=name, args=strings)
            running = False
            if act != "stop":
                running = _running(client.request("status", service=name)["service"])
            return make_pair(Symbol("ok"), make_list([running if act != "stop" else True]))
        if act == "status":
            return make_pair(Symbol("ok"), make_list([client.request("status", service=name)["service"]["status"]]))
        r = client.request("action", service=name, action=act, args=strings)
        return make_pair(Symbol("ok"), make_list([r.get("value", True)]))
    except (HerdError, OSError) as e:
        return _error(e)


PRIMITIVES: dict[str, Any] = {
    "%schemy-shepherd-socket-file": default_socket_file,
    "%schemy-shepherd-services": shepherd_services,
    "%schemy-shepherd-invoke": shepherd_invoke,
}

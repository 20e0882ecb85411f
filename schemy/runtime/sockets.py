"""Guile's network sockets: ``socket``, ``connect``, ``make-socket-address`` and friends.

A socket is a port (as in Guile) reading and writing through a Python socket, so ``read``,
``write``, ``get-bytevector-n`` and ``close-port`` work on it.  Only what TCP and Unix-domain
clients need is here: the virtual machine services send their secrets to the guest with it
(stdlib/gnu/build/secret-service.scm).  ``select`` takes lists of ports or file descriptors.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from schemy.lang.datum import NIL, Pair, make_list, to_str
from schemy.lang.errors import scheme_error, wrong_type
from schemy.runtime.ports.port import CHUNK as _CHUNK
from schemy.runtime.ports.port import Port, os_error

if TYPE_CHECKING:
    import socket as _socket

# The constants: Linux's values (its ABI; tests/test_sockets.py checks them against _socket),
# so that every start does not load the _socket and select extension modules (~0.8 ms);
# elsewhere from _socket.  The ``socket`` module is imported with
# the first socket, ``select`` with the first select.
if sys.platform == "linux":
    AF_UNIX, AF_INET, AF_INET6 = 1, 2, 10
    SOCK_STREAM, SOCK_DGRAM, SOCK_CLOEXEC, SOCK_NONBLOCK = 1, 2, 0o2000000, 0o4000
else:  # pragma: no cover - schemy runs on Linux
    import _socket as _csocket

    AF_UNIX = int(_csocket.AF_UNIX)
    AF_INET = int(_csocket.AF_INET)
    AF_INET6 = int(_csocket.AF_INET6)
    SOCK_STREAM = int(_csocket.SOCK_STREAM)
    SOCK_DGRAM = int(_csocket.SOCK_DGRAM)
    SOCK_CLOEXEC = int(getattr(_csocket, "SOCK_CLOEXEC", 0o2000000))
    SOCK_NONBLOCK = int(getattr(_csocket, "SOCK_NONBLOCK", 0o4000))
INADDR_ANY = 0
INADDR_LOOPBACK = 0x7F000001
IN6ADDR_ANY = 0
IN6ADDR_LOOPBACK = 1


class SocketAddress:
    """What ``make-socket-address`` returns (Guile prints it as a vector)."""

    def __init__(self, family: int, addr: Any, port: int = 0) -> None:
        self.family = family
        self.addr = addr  # an integer for AF_INET/AF_INET6, a file name for AF_UNIX
        self.port = port

    def python(self) -> Any:
        if self.family == AF_UNIX:
            return self.addr
        if self.family == AF_INET:
            return (str(_ipaddress().IPv4Address(self.addr)), self.port)
        return (str(_ipaddress().IPv6Address(self.addr)), self.port)

    def __scheme_repr__(self, write: bool) -> str:
        if self.family == AF_UNIX:
            return f'#({self.family} "{self.addr}")'
        return f"#({self.family} {self.addr} {self.port})"


def _int(x: Any, origin: str, pos: int) -> int:
    if isinstance(x, bool) or not isinstance(x, int):
        raise wrong_type(origin, pos, x, "exact integer")
    return x


def make_socket_address(family: Any, address: Any, *rest: Any) -> SocketAddress:
    """``(make-socket-address AF_INET ADDRESS PORT)`` or ``(make-socket-address AF_UNIX PATH)``."""
    fam = _int(family, "make-socket-address", 1)
    if fam == AF_UNIX:
        return SocketAddress(fam, to_str(address))
    if fam not in (AF_INET, AF_INET6):
        raise scheme_error(f"make-socket-address: unsupported address family {fam}", kind="out-of-range")
    if not rest:
        raise scheme_error("Wrong number of arguments to make-socket-address", kind="wrong-number-of-args")
    return SocketAddress(fam, _int(address, "make-socket-address", 2), _int(rest[0], "make-socket-address", 3))


def _address(x: Any, origin: str) -> SocketAddress:
    if not isinstance(x, SocketAddress):
        raise wrong_type(origin, 1, x, "socket address")
    return x


def _ipaddress() -> Any:
    import ipaddress  # with the first address conversion, not on every start

    return ipaddress


def make_socket(family: Any, style: Any, proto: Any = 0) -> Port:
    """``(socket FAMILY STYLE PROTO)``: an unconnected socket port (SOCK_CLOEXEC accepted)."""
    fam = _int(family, "socket", 1)
    kind = _int(style, "socket", 2) & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)
    import socket as _socket

    try:
        sock = _socket.socket(fam, kind, _int(proto, "socket", 3))
    except OSError as e:
        raise os_error("socket", e) from None
    port = Port("socket", input=True, output=True, binary=True)
    port.socket = sock  # type: ignore[attr-defined]
    port._read_raw = lambda: sock.recv(_CHUNK)
    port._incremental = True
    port.sink = lambda s: sock.sendall(s.encode("utf-8", errors="replace"))
    port.bsink = sock.sendall
    port.fileno_getter = sock.fileno
    port.closer = sock.close
    return port


def _socket_of(port: Any, origin: str) -> _socket.socket:
    sock = getattr(port, "socket", None)
    if not isinstance(port, Port) or sock is None:
        raise wrong_type(origin, 1, port, "socket port")
    return sock


def connect(port: Any, address: Any, *rest: Any) -> bool:
    """``(connect SOCK ADDRESS)`` or ``(connect SOCK FAMILY ADDR PORT)``; system-error on failure."""
    sock = _socket_of(port, "connect")
    addr = make_socket_address(address, *rest) if rest else _address(address, "connect")
    try:
        sock.connect(addr.python())
    except OSError as e:
        raise os_error("connect", e) from None
    return True


def inet_ntop(family: Any, address: Any) -> str:
    fam = _int(family, "inet-ntop", 1)
    n = _int(address, "inet-ntop", 2)
    return str(_ipaddress().IPv4Address(n) if fam == AF_INET else _ipaddress().IPv6Address(n))


def inet_pton(family: Any, text: Any) -> int:
    fam = _int(family, "inet-pton", 1)
    s = to_str(text)
    try:
        return int(_ipaddress().IPv4Address(s) if fam == AF_INET else _ipaddress().IPv6Address(s))
    except ValueError:
        raise scheme_error(f"inet-pton: bad address {s!r}", kind="misc-error") from None


def _fd(x: Any, origin: str) -> Any:
    if isinstance(x, Port):
        fileno = x.fileno_getter() if x.fileno_getter else x.fd
        if fileno is None:
            raise wrong_type(origin, 1, x, "file port")
        return fileno
    return _int(x, origin, 1)


def select(reads: Any, writes: Any, excepts: Any, *timeout: Any) -> Any:
    """``(select READS WRITES EXCEPTS [SECS [USECS]])`` on lists of ports or descriptors: the three
    lists of those ready (a port with buffered input counts as readable)."""
    lists = []
    for x in (reads, writes, excepts):
        items = []
        while isinstance(x, Pair):
            items.append(x.car)
            x = x.cdr
        if x is not NIL:
            raise wrong_type("select", 1, x, "list")
        lists.append(items)
    secs: float | None = None
    if timeout and timeout[0] is not False:
        secs = float(timeout[0]) + (float(timeout[1]) / 1e6 if len(timeout) > 1 else 0.0)
    buffered = [p for p in lists[0] if isinstance(p, Port) and (p._pos < len(p._text) or p._bbuf)]
    if buffered:
        return make_list([make_list(buffered), NIL, NIL])
    fds = [{_fd(x, "select"): x for x in items} for items in lists]
    import select as _select

    try:
        r, w, e = _select.select(list(fds[0]), list(fds[1]), list(fds[2]), secs)
    except OSError as exc:
        raise os_error("select", exc) from None
    return make_list([make_list([fds[0][f] for f in r]), make_list([fds[1][f] for f in w]),
                      make_list([fds[2][f] for f in e])])


PRIMITIVES: dict[str, Any] = {
    "socket": make_socket,
    "connect": connect,
    "make-socket-address": make_socket_address,
    "sockaddr:fam": lambda a: _address(a, "sockaddr:fam").family,
    "sockaddr:addr": lambda a: _address(a, "sockaddr:addr").addr,
    "sockaddr:port": lambda a: _address(a, "sockaddr:port").port,
    "sockaddr:path": lambda a: _address(a, "sockaddr:path").addr,
    "inet-ntop": inet_ntop,
    "inet-pton": inet_pton,
    "select": select,
    "AF_UNIX": AF_UNIX,
    "AF_INET": AF_INET,
    "AF_INET6": AF_INET6,
    "PF_UNIX": AF_UNIX,
    "PF_INET": AF_INET,
    "SOCK_STREAM": SOCK_STREAM,
    "SOCK_DGRAM": SOCK_DGRAM,
    "SOCK_CLOEXEC": SOCK_CLOEXEC,
    "SOCK_NONBLOCK": SOCK_NONBLOCK,
    "INADDR_ANY": INADDR_ANY,
    "INADDR_LOOPBACK": INADDR_LOOPBACK,
    "IN6ADDR_ANY": IN6ADDR_ANY,
    "IN6ADDR_LOOPBACK": IN6ADDR_LOOPBACK,
}

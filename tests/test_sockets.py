"""Guile's socket primitives (schemy/runtime/sockets.py): addresses, connecting, select, and a
socket as a port that `read`, `write` and the binary procedures use."""

from __future__ import annotations

import socket
import threading

import pytest

from schemy.app import Interpreter
from schemy.lang.datum import list_to_python, to_str
from schemy.lang.printer import write_string


@pytest.fixture(scope="module")
def ev():
    interp = Interpreter()
    interp.eval_string("(use-modules (ice-9 binary-ports))", "prelude.scm")
    return lambda text: interp.eval_string(text, "test.scm")


def test_inet_socket_address_fields(ev):
    assert write_string(ev("(let ((a (make-socket-address AF_INET INADDR_LOOPBACK 1004))) "
                           "(list (= (sockaddr:fam a) AF_INET) (sockaddr:addr a) (sockaddr:port a) "
                           "(inet-ntop AF_INET (sockaddr:addr a))))")) == '(#t 2130706433 1004 "127.0.0.1")'
    assert ev('(inet-pton AF_INET "10.0.0.1")') == 0x0A000001
    assert to_str(ev('(sockaddr:path (make-socket-address AF_UNIX "/run/x.sock"))')) == "/run/x.sock"


def test_connect_refused_is_a_system_error_with_errno(ev):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        result = ev(f"""(let ((sock (socket AF_INET (logior SOCK_CLOEXEC SOCK_STREAM) 0)))
                          (catch 'system-error
                            (lambda () (connect sock (make-socket-address AF_INET INADDR_LOOPBACK {port})))
                            (lambda (key . args) (list key (car args) (car (cadddr args))))))""")
    key, origin, errno = list_to_python(result)
    assert (key.name, to_str(origin)) == ("system-error", "connect")
    import errno as errnos

    assert errno == errnos.ECONNREFUSED


def test_socket_port_reads_and_writes_data_and_select_waits(ev):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    got = []

    def serve():
        conn, _ = server.accept()
        with conn:
            conn.sendall(b"(hello (version 0))\n")
            data = b""
            while chunk := conn.recv(4096):
                data += chunk
            got.append(data)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        result = ev(f"""(let ((sock (socket AF_INET SOCK_STREAM 0)))
                          (connect sock AF_INET INADDR_LOOPBACK {server.getsockname()[1]})
                          (let* ((ready (select (list sock) '() '() 5))
                                 (datum (read sock)))
                            (write '(reply 1) sock)
                            (put-bytevector sock #vu8(0 255))
                            (close-port sock)
                            (list (eq? (caar ready) sock) datum)))""")
        t.join(5)
    finally:
        server.close()
    assert write_string(result) == "(#t (hello (version 0)))"
    assert got == [b"(reply 1)\x00\xff"]


def test_select_times_out_with_nothing_ready(ev):
    a, b = socket.socketpair()
    try:
        assert write_string(ev(f"(select (list {a.fileno()}) '() '() 0 10000)")) == "(() () ())"
        b.sendall(b"x")
        assert write_string(ev(f"(select (list {a.fileno()}) '() '() 1)")) == f"(({a.fileno()}) () ())"
    finally:
        a.close()
        b.close()


def test_the_socket_constants_are_the_platforms():
    import _socket

    from schemy.runtime import sockets

    for name in ("AF_UNIX", "AF_INET", "AF_INET6", "SOCK_STREAM", "SOCK_DGRAM", "SOCK_CLOEXEC", "SOCK_NONBLOCK"):
        assert getattr(sockets, name) == int(getattr(_socket, name)), name

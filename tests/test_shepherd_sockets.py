"""Socket-activated services: endpoints, make-systemd-constructor (the program gets the listening
sockets as descriptors 3.. with LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES, started on the first
connection) and make-inetd-constructor (one process per connection), run by the service
manager; and Guix Home's gpg-agent, socket-activated as the SSH agent, for real."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from helpers import child_subreaper, free_port, kill_strays, running_manager, wait_for

# A systemd-style server: checks what the manager passed, answers every connection with it.
SERVER = """
import os, select, socket, sys
ok = os.environ.get("LISTEN_PID") == str(os.getpid())
n = int(os.environ["LISTEN_FDS"])
names = os.environ.get("LISTEN_FDNAMES", "")
socks = [socket.socket(fileno=3 + i) for i in range(n)]
served = 0
while True:
    ready, _, _ = select.select(socks, [], [])
    for s in ready:
        c, _ = s.accept()
        c.sendall(f"pid-ok={ok} fds={n} names={names} pid={os.getpid()}\\n".encode())
        c.close()
        served += 1
        if served == int(sys.argv[1]):
            sys.exit(0)
"""


@pytest.fixture
def manager(tmp_path):
    with running_manager(tmp_path) as m:
        yield m


def ask_unix(path: Path, data: bytes = b"") -> bytes:
    with socket.socket(socket.AF_UNIX) as c:
        c.settimeout(10)
        c.connect(str(path))
        if data:
            c.sendall(data)
        return c.recv(200)


def ask_tcp(port: int, data: bytes = b"") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
        if data:
            c.sendall(data)
        out = b""
        while True:
            chunk = c.recv(200)
            if not chunk:
                return out
            out += chunk


def test_systemd_style_service_starts_on_first_connection_with_its_sockets(manager, tmp_path):
    (tmp_path / "server.py").write_text(SERVER)
    sock = tmp_path / "run" / "app" / "app.sock"
    port = free_port()
    config = tmp_path / "sd.scm"
    config.write_text(f"""
(register-services
 (list (service '(app)
        #:start (make-systemd-constructor (list "{sys.executable}" "{tmp_path}/server.py" "2")
                   (list (endpoint (make-socket-address AF_UNIX "{sock}") #:name "main"
                                   #:socket-directory-permissions #o700)
                         (endpoint (make-socket-address AF_INET INADDR_LOOPBACK {port}) #:name "web")))
        #:stop (make-systemd-destructor))))
(start-in-the-background '(app))
""")
    manager.load(config)
    assert stat.S_IMODE(sock.parent.stat().st_mode) == 0o700
    time.sleep(0.3)
    assert "started process" not in "\n".join(manager.read_log("app", 20))  # lazy: nothing runs yet
    first = ask_unix(sock).decode()
    assert first.startswith("pid-ok=True fds=2 names=main:web pid=")
    second = ask_tcp(port).decode()
    assert second == first  # the same process serves both endpoints
    # it exits after two connections: the manager listens again and starts a new one
    assert wait_for(lambda: "exited with code 0" in "\n".join(manager.read_log("app", 20)), timeout=5)
    third = ask_unix(sock).decode()
    assert third.startswith("pid-ok=True") and third != first
    assert manager.status("app")["status"] == "running"
    manager.stop("app")
    assert not sock.exists()
    with pytest.raises(OSError):
        ask_tcp(port)


def test_a_systemd_style_program_that_cannot_serve_fails_the_service(manager, tmp_path):
    sock = tmp_path / "bad.sock"
    config = tmp_path / "bad.scm"
    config.write_text(f"""
(register-services
 (list (service '(bad)
        #:start (make-systemd-constructor '("/bin/sh" "-c" "exit 3")
                   (list (endpoint (make-socket-address AF_UNIX "{sock}"))))
        #:stop (make-systemd-destructor))))
(start-in-the-background '(bad))
""")
    manager.load(config)
    with pytest.raises(OSError):  # the client is told, not left hanging
        ask_unix(sock)
    assert wait_for(lambda: manager.status("bad")["status"] == "failed", timeout=5)
    assert "exited 5 times within 7 seconds" in manager.status("bad")["failure"]


def test_inetd_style_service_runs_one_process_per_connection(manager, tmp_path):
    port = free_port()
    config = tmp_path / "inetd.scm"
    config.write_text(f"""
(register-services
 (list (service '(greeter)
        #:start (make-inetd-constructor '("/bin/sh" "-c" "read name; echo hello $name from $$")
                   (list (endpoint (make-socket-address AF_INET INADDR_LOOPBACK {port})))
                   #:max-connections 4)
        #:stop (make-inetd-destructor))))
(start-in-the-background '(greeter))
""")
    manager.load(config)
    a = ask_tcp(port, b"alice\n").decode()
    b = ask_tcp(port, b"bob\n").decode()
    assert a.startswith("hello alice from ") and b.startswith("hello bob from ")
    assert a.split()[-1] != b.split()[-1]
    manager.stop("greeter")
    with pytest.raises(OSError):
        ask_tcp(port)


@pytest.mark.skipif(not shutil.which("gpg-agent") or not shutil.which("ssh-add"),
                    reason="needs gpg-agent and ssh-add (Debian packages gpg-agent, openssh-client)")
def test_home_gpg_agent_answers_as_the_ssh_agent(tmp_path):
    from schemy.system.generations import StateRoot
    from schemy.system.home import HomeState

    config = tmp_path / "home.scm"
    config.write_text("""(use-modules (gnu home) (gnu home services) (gnu home services gnupg))
(home-environment
 (services (list (service home-gpg-agent-service-type
                          (home-gpg-agent-configuration (ssh-support? #t))))))
""")
    # a short root: a Unix socket's file name must stay under 108 bytes
    root = Path(tempfile.mkdtemp(prefix="sg", dir="/tmp"))
    schemy = Path(sys.executable).with_name("schemy")
    with child_subreaper():
        try:
            r = subprocess.run([str(schemy), "home", "reconfigure", str(config), "--root", str(root)],
                               capture_output=True, text=True, timeout=120)
            assert r.returncode == 0, r.stdout + r.stderr
            runtime = HomeState(StateRoot(root)).runtime_dir()
            agent = runtime / "gnupg" / "S.gpg-agent.ssh"
            assert agent.is_socket()
            env = {**os.environ, "SSH_AUTH_SOCK": str(agent)}
            out = subprocess.run(["ssh-add", "-l"], env=env, capture_output=True, text=True, timeout=30)
            # 1: an agent answered and has no keys (2 would be: no agent to talk to)
            assert out.returncode == 1 and "no identities" in out.stdout, out.stdout + out.stderr
        finally:
            subprocess.run([str(schemy), "home", "herd", "--root", str(root), "stop", "root"],
                           capture_output=True, timeout=60)
            kill_strays(str(root))
            shutil.rmtree(root, ignore_errors=True)

"""The real ganeti-noded, started with the command line (gnu services ganeti) generates.

Only ganeti-noded runs without a cluster (the other daemons need cluster keys, their own
users or a master role: see notes/daemon-facts.md), so it is the one started here.  The
command is taken from the lowered start gexp of the service, with a test port, address
127.0.0.1 and --no-ssl; the program is the ganeti package's store item (a link to the host's
/usr/sbin/ganeti-noded) and the environment is the service's.  The daemon's pid file path is
fixed (/var/run/ganeti/ganeti-noded.pid): the test creates /var/run/ganeti, which needs root.
ganeti-watcher is never run (it takes ownership of the ganeti directories).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.guix.gexp import CURRENT_STORE
from schemy.guix.store import Store
from schemy.lang.printer import display_string
from schemy.runtime.parameters import parameterized

ROOT = Path(__file__).resolve().parent.parent
STDLIB = ROOT / "stdlib"
PID_FILE = Path("/var/run/ganeti/ganeti-noded.pid")

pytestmark = [
    pytest.mark.skipif(not os.path.exists("/usr/sbin/ganeti-noded"),
                       reason="ganeti is not installed (apt-get install --no-install-recommends ganeti)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="ganeti-noded needs /var/run/ganeti (root only)"),
]


def free_port(start: int = 18111) -> int:
    for port in range(start, start + 200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def interp():
    interp = Interpreter(load_path=[str(STDLIB)])
    interp.eval_string("(use-modules (guix gexp) (gnu services) (gnu services ganeti) (gnu services shepherd))",
                       "probe.scm")
    return interp


@pytest.fixture
def noded_command(interp, tmp_path):
    """(program arguments pid-file environment) of the service, lowered into a real store."""
    port = free_port()
    with parameterized([(CURRENT_STORE, Store(tmp_path / "store"))]):
        text = display_string(interp.eval_string(f"""
          (gexp->string
           (shepherd-service-start
            (car (assq-ref (call-with-values
                               (lambda ()
                                 (fold-services*
                                  (list (service system-service-type '())
                                        (service ganeti-noded-service-type
                                                 (ganeti-noded-configuration
                                                  (port {port}) (address "127.0.0.1") (ssl? #f))))))
                             (lambda (root value-of all) (service-value root)))
                           'shepherd))))""", "noded.scm"))
    m = re.fullmatch(r'\(make-forkexec-constructor \(list (.*?)\) '
                     r'#:environment-variables \(quote \((.*)\)\) #:pid-file "([^"]+)"\)', text)
    assert m, text
    argv = re.findall(r'"([^"]*)"', m.group(1))
    env = dict(e.split("=", 1) for e in re.findall(r'"([^"]*)"', m.group(2)))
    return port, argv, m.group(3), env


@pytest.fixture
def processes():
    """Every process started by a test; killed (and reaped) at the end whatever happens."""
    started: list[subprocess.Popen] = []
    yield started
    for p in started:
        if p.poll() is None:
            p.kill()
        p.wait(timeout=10)


@pytest.fixture
def run_dir():
    Path("/var/run/ganeti").mkdir(parents=True, exist_ok=True)
    if PID_FILE.exists():
        pid = int(PID_FILE.read_text().split()[0] or 0)
        if pid and Path(f"/proc/{pid}").exists():
            pytest.skip(f"a ganeti-noded (pid {pid}) is already running on this host")
    return Path("/var/run/ganeti")


def test_command_line_is_the_services(noded_command):
    port, argv, pid_file, env = noded_command
    assert argv[0].endswith("/sbin/ganeti-noded")
    # As Guix: no -f, the daemon detaches and names itself in its pid file.
    assert argv[1:] == [f"--port={port}", "--bind=127.0.0.1", "--max-clients=20", "--no-ssl"]
    assert pid_file == str(PID_FILE)
    assert env == {"PATH": "/run/current-system/profile/sbin:/run/current-system/profile/bin"}


def test_program_links_to_the_hosts_ganeti_noded(noded_command):
    _, argv, _, _ = noded_command
    assert os.path.realpath(argv[0]) == os.path.realpath(shutil.which("ganeti-noded") or
                                                          "/usr/sbin/ganeti-noded")


def test_noded_listens_writes_its_pid_file_and_stops_on_sigterm(noded_command, processes, run_dir,
                                                                 tmp_path):
    port, argv, pid_file, env = noded_command
    assert not listening(port)
    log = open(tmp_path / "noded.log", "wb")
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                            start_new_session=True)
    processes.append(proc)
    # Without -f the started process forks the daemon and exits; the pid file the service
    # gives the service manager names the daemon.
    assert proc.wait(timeout=15) == 0, (tmp_path / "noded.log").read_text()
    deadline = time.monotonic() + 15
    while not (listening(port) and Path(pid_file).exists() and Path(pid_file).read_text().strip()):
        assert time.monotonic() < deadline, "ganeti-noded did not listen and write its pid file within 15 s"
        time.sleep(0.05)
    pid = int(Path(pid_file).read_text().split()[0])
    assert pid != proc.pid and Path(f"/proc/{pid}").exists()
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and listening(port):
        assert time.monotonic() < deadline, "ganeti-noded did not stop on SIGTERM"
        time.sleep(0.05)
    deadline = time.monotonic() + 10
    while listening(port) or Path(pid_file).exists():
        assert time.monotonic() < deadline, "ganeti-noded left its port or pid file behind"
        time.sleep(0.05)

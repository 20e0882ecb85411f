"""The service manager with real processes: start, stop, respawn, limits, requirements, the daemon.

Every test cleans up after itself even when it fails: managers are shut down by fixtures,
stray processes (found by a marker in their command line) are killed, and this module makes
the test process a child subreaper so that orphans come back to it and get reaped; at the end
no zombie may be left.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import sys
import time
from pathlib import Path

import pytest
from helpers import child_subreaper, free_port, gone, kill_strays, reap_zombies, wait_for

from schemy.lang.datum import Keyword, Symbol, make_list, make_pair
from schemy.lang.errors import SchemeError
from schemy.shepherd.daemon import socket_path
from schemy.shepherd.forkexec import (
    make_forkexec_constructor,
    make_kill_destructor,
    make_system_constructor,
    make_system_destructor,
)
from schemy.shepherd.herd import Client, NotRunning, ensure_daemon
from schemy.shepherd.manager import ServiceError, ServiceManager
from schemy.shepherd.process import PROCESSES, zombie_children
from schemy.shepherd.records import Action, ServiceSpec, make_action, make_service


def port_answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module", autouse=True)
def subreaper():
    with child_subreaper():
        yield


@pytest.fixture
def manager(tmp_path):
    m = ServiceManager(tmp_path / "root", reap_orphans=True)
    m.run()
    try:
        yield m
    finally:
        m.shutdown()
        kill_strays(str(tmp_path))
        wait_for(lambda: not PROCESSES.children(), 5)
        reap_zombies()
        assert not PROCESSES.children(), "processes left in the table"
        assert wait_for(lambda: not zombie_children(os.getpid()), 2), "zombies left"


def cmd(*args: str):
    return make_list(list(args))


def fe(*args, **kw):
    """make-forkexec-constructor the way Scheme calls it: keywords positionally."""
    rest = []
    for k, v in kw.items():
        rest += [Keyword(k.replace("_", "-")), v]
    return make_forkexec_constructor(make_list(list(args[0])), *rest)


# ----------------------------------------------------------------- processes


def test_http_server_start_kill_respawn_stop(manager, tmp_path):
    port = free_port()
    manager.register([ServiceSpec(["web", "http"], start=fe([sys.executable, "-m", "http.server", str(port),
                                                             "--bind", "127.0.0.1"], directory=str(tmp_path)),
                                  stop=make_kill_destructor(), respawn=True)])
    assert manager.start("http") == ["Service web has been started."]
    assert wait_for(lambda: port_answers(port), 10)
    first = manager.status("web")["pid"]
    assert manager.status("web")["status"] == "running"
    os.kill(first, signal.SIGKILL)
    second = wait_for(lambda: (p := manager.status("web")["pid"]) and p != first and p, 5)
    assert second and second != first
    assert wait_for(lambda: port_answers(port), 10)
    assert gone(first)
    assert "terminated by signal SIGKILL" in "\n".join(manager.read_log("web", 20))
    assert manager.stop("web") == ["Service web has been stopped."]
    assert gone(second)
    assert not port_answers(port)
    assert manager.status("web")["status"] == "stopped"


def test_crashing_service_is_disabled_not_spun_forever(manager):
    manager.register([ServiceSpec(["crash"], start=fe(["sh", "-c", "exit 1"]), respawn=True,
                                  respawn_limit=(2, 5.0), respawn_delay=0.05)])
    manager.start("crash")
    st = wait_for(lambda: (s := manager.status("crash")) and not s["enabled"] and s, 5)
    assert st and st["status"] == "stopped" and st["disabled_reason"] == "respawning too fast"
    assert st["last_exit"] == "exited with code 1"
    log = "\n".join(manager.read_log("crash", 50))
    assert log.count("has been started") == 3  # the first start and two respawns
    assert "disabled (respawning too fast" in log
    with pytest.raises(ServiceError, match="currently disabled"):
        manager.start("crash")
    manager.enable("crash")
    assert manager.status("crash")["enabled"]


def test_stop_cancels_a_pending_respawn(manager):
    manager.register([ServiceSpec(["flaky"], start=fe(["sh", "-c", "exit 2"]), respawn=True,
                                  respawn_delay=0.8)])
    manager.start("flaky")
    assert wait_for(lambda: manager.status("flaky")["last_exit"] == "exited with code 2", 5)
    assert manager.stop("flaky") == ["Service flaky has been stopped."]
    time.sleep(1.0)
    assert "has been started" not in manager.read_log("flaky", 5)[-1]
    assert manager.status("flaky")["status"] == "stopped"


def test_service_without_respawn_just_stops(manager):
    manager.register([ServiceSpec(["once"], start=fe(["sh", "-c", "exit 3"]), respawn=False)])
    manager.start("once")
    st = wait_for(lambda: (s := manager.status("once"))["status"] == "stopped" and s, 5)
    assert st["last_exit"] == "exited with code 3" and st["enabled"]


def test_pid_file_of_a_daemonizing_process(manager, tmp_path):
    pid_file = tmp_path / "d.pid"
    script = f"sleep 300 & echo $! > {pid_file}; exit 0"
    manager.register([ServiceSpec(["d"], start=fe(["sh", "-c", script], pid_file=str(pid_file)),
                                  stop=make_kill_destructor())])
    manager.start("d")
    pid = manager.status("d")["pid"]
    assert pid == int(pid_file.read_text())
    # (the shell wrote the PID right after forking: give the child time to exec sleep)
    assert wait_for(lambda: Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"sleep"), 5)
    manager.stop("d")
    assert wait_for(lambda: gone(pid), 5)


def test_pid_file_timeout_fails_and_kills(manager, tmp_path):
    pid_file = tmp_path / "never.pid"
    start = fe(["sh", "-c", f"exec sleep 300 # {tmp_path}"], pid_file=str(pid_file), pid_file_timeout=0.3)
    manager.register([ServiceSpec(["slow"], start=start)])
    with pytest.raises(ServiceError, match="did not appear within 0.3 seconds"):
        manager.start("slow")
    st = manager.status("slow")
    assert st["status"] == "failed" and "PID file" in st["failure"]
    assert kill_strays(str(tmp_path)) == []


def test_environment_directory_and_log_file(manager, tmp_path):
    log_file = tmp_path / "logs" / "env.log"
    work = tmp_path / "work"
    work.mkdir()
    script = 'echo "FOO=$FOO HOME=${HOME:-unset}"; pwd; echo oops >&2'
    manager.register([
        ServiceSpec(["env"], start=fe(["sh", "-c", script], environment_variables=make_list(["FOO=bar",
                                                                                               "PATH=/bin:/usr/bin"]),
                                      log_file=str(log_file), directory=str(work))),
        ServiceSpec(["plain"], start=fe(["sh", "-c", "echo to-default-log"])),
    ])
    manager.start("env")
    manager.start("plain")
    assert wait_for(lambda: log_file.exists() and "oops" in log_file.read_text(), 5)
    text = log_file.read_text()
    assert "FOO=bar HOME=unset" in text  # the environment is replaced, not extended
    assert str(work) in text
    default = manager.log_path("plain")
    assert default == tmp_path / "root" / "var" / "log" / "schemy" / "plain.log"
    assert wait_for(lambda: "to-default-log" in default.read_text(), 5)
    assert "has been started" in default.read_text()
    assert any("oops" in line for line in manager.read_log("env", 10))


def test_kill_destructor_stops_the_whole_process_group(manager, tmp_path):
    script = f"sleep 301 & sleep 302 & wait # {tmp_path}"
    manager.register([ServiceSpec(["group"], start=fe(["sh", "-c", script]),
                                  stop=make_kill_destructor(signal.SIGTERM, Keyword("grace-period"), 2))])
    manager.start("group")
    pgid = manager.status("group")["pid"]
    assert wait_for(lambda: len([p for p in _group(pgid)]) >= 3, 5)
    manager.stop("group")
    assert _group(pgid) == []


def _group(pgid: int) -> list[int]:
    from schemy.shepherd.process import group_members

    return group_members(pgid)


def test_stop_of_a_process_that_ignores_sigterm_escalates(manager, tmp_path):
    script = f"trap '' TERM; while :; do sleep 0.05; done # {tmp_path}"
    manager.register([ServiceSpec(["stubborn"], start=fe(["sh", "-c", script]),
                                  stop=make_kill_destructor(Keyword("grace-period"), 0.3))])
    manager.start("stubborn")
    pid = manager.status("stubborn")["pid"]
    t = time.monotonic()
    manager.stop("stubborn")
    assert time.monotonic() - t < 4
    assert gone(pid)


def test_exec_failure_is_a_failed_start(manager):
    manager.register([ServiceSpec(["nope"], start=fe(["/nonexistent/program"]))])
    with pytest.raises(ServiceError, match="cannot run /nonexistent/program"):
        manager.start("nope")
    assert manager.status("nope")["status"] == "failed"


@pytest.mark.skipif(os.geteuid() != 0, reason="switching users needs root")
def test_user_and_group_when_root(manager, tmp_path):
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user nobody: apt-get install base-passwd")
    out = tmp_path / "id.log"
    manager.register([
        ServiceSpec(["as-nobody"], start=fe(["sh", "-c", "id -u"], user="nobody", log_file=str(out))),
        ServiceSpec(["as-ghost"], start=fe(["sh", "-c", "id -u"], user="no-such-user-schemy",
                                           log_file=str(tmp_path / "ghost.log"))),
    ])
    manager.start("as-nobody")
    assert wait_for(lambda: out.exists() and out.read_text().strip() == str(nobody.pw_uid), 5)
    with pytest.raises(ServiceError, match="user no-such-user-schemy does not exist on this host"):
        manager.start("as-ghost")  # never as root instead (fails closed)
    assert not (tmp_path / "ghost.log").exists()
    assert manager.status("as-ghost")["status"] == "failed"


# ----------------------------------------------------------------- lambdas, requirements, one-shot


def test_requirements_start_first_and_dependents_stop_first(manager):
    calls: list[str] = []

    def svc(name, *req):
        return ServiceSpec([name], requirement=list(req),
                           start=lambda *a: calls.append("start " + name) or name.upper(),
                           stop=lambda value, *a: calls.append(f"stop {name} {value}") or False)

    manager.register([svc("c", "b"), svc("b", "a"), svc("a"), svc("x", "missing")])
    assert manager.start("c") == ["Service a has been started.", "Service b has been started.",
                                  "Service c has been started."]
    assert calls == ["start a", "start b", "start c"]
    calls.clear()
    manager.stop("a")
    assert calls == ["stop c C", "stop b B", "stop a A"]
    with pytest.raises(ServiceError, match="requires 'missing', which is not provided"):
        manager.start("x")
    st = manager.status("x")
    assert st["status"] == "failed" and "missing" in st["failure"]
    with pytest.raises(ServiceError, match="could not be found"):
        manager.start("nonesuch")


def test_restart_restarts_running_dependents(manager):
    count = {"a": 0, "b": 0}

    def start(name):
        def f(*_):
            count[name] += 1
            return True
        return f

    manager.register([ServiceSpec(["a"], start=start("a")),
                      ServiceSpec(["b"], requirement=["a"], start=start("b"))])
    manager.start("b")
    msgs = manager.restart("a")
    assert msgs == ["Service b has been stopped.", "Service a has been stopped.",
                    "Service a has been started.",
                    "Service b has been started."]
    assert count == {"a": 2, "b": 2}


def test_one_shot_runs_and_lets_dependents_start(manager):
    runs = []
    manager.register([
        ServiceSpec(["setup"], one_shot=True, start=lambda *_: runs.append(1) or True),
        ServiceSpec(["app"], requirement=["setup"], start=lambda *_: True),
        ServiceSpec(["app2"], requirement=["setup"], start=lambda *_: True),
    ])
    summary = manager.start_all()
    assert sorted(summary["started"]) == ["app", "app2", "setup"]
    assert len(runs) == 1  # once per batch, not once per dependent
    st = manager.status("setup")
    assert st["status"] == "stopped" and st["one_shot_ran"]
    assert manager.status("app")["status"] == "running"


def test_lambda_values_and_stop_refusal(manager):
    seen = []
    answers = [True, False]
    manager.register([ServiceSpec(["v"], start=lambda *_: {"token": 7},
                                  stop=lambda value, *_: seen.append(value) or answers.pop(0))])
    manager.start("v")
    with pytest.raises(ServiceError, match="could not be stopped"):
        manager.stop("v")
    assert manager.status("v")["status"] == "running"
    manager.stop("v")
    assert seen == [{"token": 7}, True]
    assert manager.status("v")["status"] == "stopped"


def test_start_failure_and_exception(manager):
    def boom(*_):
        raise RuntimeError("kaput")

    manager.register([ServiceSpec(["f"], start=lambda *_: False), ServiceSpec(["e"], start=boom)])
    with pytest.raises(ServiceError, match="could not be started"):
        manager.start("f")
    with pytest.raises(ServiceError, match="kaput"):
        manager.start("e")
    assert manager.status("e")["status"] == "failed"


def test_number_returned_by_a_lambda_is_not_a_pid(manager):
    manager.register([ServiceSpec(["n"], start=lambda *_: 1)])  # PID 1 must never be signalled
    manager.start("n")
    assert manager.status("n")["pid"] is None
    manager.stop("n")


def test_host_provided_services(manager):
    manager.register([ServiceSpec(["networking"], host_provided=True),
                      ServiceSpec(["loopback"], host_provided=True),
                      ServiceSpec(["app"], requirement=["networking", "loopback"], start=lambda *_: True)])
    manager.start("app")
    assert manager.status("networking")["status"] == "host"
    with pytest.raises(ServiceError, match="provided by the host"):
        manager.stop("networking")
    assert manager.start("networking") == ["Service networking is provided by the host."]
    assert "networking" not in manager.start_all()["started"]


def test_auto_start(manager):
    manager.register([ServiceSpec(["auto"], start=lambda *_: True),
                      ServiceSpec(["manual"], auto_start=False, start=lambda *_: True)])
    summary = manager.start_all()
    assert summary["started"] == ["auto"]
    assert manager.status("manual")["status"] == "stopped"


def test_actions(manager):
    def show(running, *args):
        print("config of", running, *args)
        return "/etc/x.conf"

    actions = {"configuration": Action("configuration", show)}
    manager.register([ServiceSpec(["svc"], start=lambda *_: "RUN", actions=actions)])
    manager.start("svc")
    r = manager.action("svc", "configuration", ["a"])
    assert r == {"output": "config of RUN a\n", "value": "/etc/x.conf"}
    with pytest.raises(ServiceError, match="does not have an action 'nope'"):
        manager.action("svc", "nope")


def test_system_constructor_and_destructor(manager, tmp_path):
    flag = tmp_path / "flag"
    manager.register([
        ServiceSpec(["sys"], start=make_system_constructor("touch ", str(flag)),
                    stop=make_system_destructor("rm ", str(flag))),
        ServiceSpec(["bad"], start=make_system_constructor("exit 3")),
    ])
    manager.start("sys")
    assert flag.exists() and manager.status("sys")["status"] == "running"
    manager.stop("sys")
    assert not flag.exists()
    with pytest.raises(ServiceError, match="exited with code 3"):
        manager.start("bad")


def test_upgrade_keeps_unchanged_restarts_changed(manager, tmp_path):
    def sleeper(name, tag):
        return ServiceSpec([name], start=fe(["sleep", "300"], directory=str(tmp_path)),
                           stop=make_kill_destructor(), fingerprint=f"{name}-{tag}")

    manager.upgrade([sleeper("a", 1), sleeper("b", 1), sleeper("c", 1)])
    pids = {n: manager.status(n)["pid"] for n in "abc"}
    assert all(pids.values())
    summary = manager.upgrade([sleeper("a", 1), sleeper("b", 2), sleeper("d", 1)])
    assert summary["unchanged"] == ["a"] and summary["restarted"] == ["b"]
    assert summary["started"] == ["d"] and summary["removed"] == ["c"] and summary["stopped"] == ["c"]
    assert manager.status("a")["pid"] == pids["a"]
    assert manager.status("b")["pid"] != pids["b"] and gone(pids["b"])
    assert gone(pids["c"])
    with pytest.raises(ServiceError, match="could not be found"):
        manager.status("c")


def test_default_fingerprints_follow_the_definition():
    a1 = ServiceSpec(["a"], start=fe(["prog", "-x"]))
    a2 = ServiceSpec(["a"], start=fe(["prog", "-x"]))
    a3 = ServiceSpec(["a"], start=fe(["prog", "-y"]))
    assert a1.fingerprint == a2.fingerprint != a3.fingerprint


def test_scheme_style_constructors():
    spec = make_service(make_list([Symbol("hurd-vm"), Symbol("childhurd")]),
                        Keyword("requirement"), make_list([]), Keyword("respawn?"), True,
                        Keyword("respawn-limit"), make_pair(3, 4),
                        Keyword("actions"), make_list([make_action(Symbol("cfg"), lambda r: r, "doc")]),
                        Keyword("documentation"), "Run a VM.")
    assert spec.provision == ["hurd-vm", "childhurd"] and spec.respawn and spec.respawn_limit == (3, 4.0)
    assert list(spec.actions) == ["cfg"] and spec.documentation == "Run a VM."
    with pytest.raises(SchemeError, match="unknown keyword #:pidfile"):
        make_forkexec_constructor(cmd("x"), Keyword("pidfile"), "/x")
    with pytest.raises(SchemeError, match="environment variable without '='"):
        make_forkexec_constructor(cmd("x"), Keyword("environment-variables"), make_list(["NOPE"]))


# ----------------------------------------------------------------- the daemon

CONFIG = """
(use-modules (shepherd service))
(register-services
  (list (service '(sleeper) #:start (make-forkexec-constructor
                                      '("{python}" "-c" "import time; time.sleep(300)" "{marker}"))
                 #:stop (make-kill-destructor) #:respawn? #t)
        (service '(app) #:requirement '(sleeper networking)
                 #:start (lambda _ #t) #:stop (lambda _ #f))))
(provided-by-host '(networking))
"""


@pytest.fixture
def daemon(tmp_path):
    root = tmp_path / "root"
    client = ensure_daemon(root)
    pid = client.request("ping")["pid"]
    try:
        yield client, pid
    finally:
        try:
            if client.alive():
                client.stop_root()
        finally:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
            kill_strays(str(tmp_path))
            wait_for(lambda: gone(pid), 5)
            reap_zombies()


def test_daemon_socket_permissions_and_protocol(daemon, tmp_path):
    client, pid = daemon
    sock = socket_path(tmp_path / "root")
    assert stat.S_IMODE(sock.stat().st_mode) == 0o600
    assert stat.S_IMODE(sock.parent.stat().st_mode) == 0o700
    assert (sock.parent / "manager.pid").read_text().strip() == str(pid)
    assert client.request("status") == {"ok": True, "services": []}
    # raw protocol: one JSON line per request, several per connection
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(str(sock))
        f = s.makefile("rwb")
        f.write(b'{"op": "ping"}\n{"op": "start", "service": "nope"}\nnot json\n')
        f.flush()
        answers = [json.loads(f.readline()) for _ in range(3)]
    assert answers[0]["ok"] and answers[0]["pid"] == pid
    assert answers[1] == {"ok": False, "error": "service 'nope' could not be found"}
    assert not answers[2]["ok"] and "bad request" in answers[2]["error"]
    # a second daemon for the same root refuses to start; ensure_daemon reuses the first
    assert ensure_daemon(tmp_path / "root").request("ping")["pid"] == pid


def test_daemon_runs_a_config_and_stop_root_leaves_nothing(daemon, tmp_path):
    client, pid = daemon
    config = tmp_path / "services.scm"
    config.write_text(CONFIG.format(python=sys.executable, marker=tmp_path))
    summary = client.upgrade(config)
    assert summary["started"] == ["sleeper", "app"] and summary["failed"] == []
    sleeper = client.status("sleeper")
    assert sleeper["status"] == "running"
    assert sleeper["command"] == [sys.executable, "-c", "import time; time.sleep(300)", str(tmp_path)]
    assert client.status("networking")["status"] == "host"
    assert client.request("stop", service="sleeper")["messages"] == ["Service app has been stopped.",
                                                                      "Service sleeper has been stopped."]
    assert gone(sleeper["pid"])
    client.request("start", service="app")
    new_pid = client.status("sleeper")["pid"]
    assert new_pid != sleeper["pid"]
    # the same config again changes nothing
    again = client.upgrade(config)
    assert again["unchanged"] == ["sleeper", "app", "networking"] and again["started"] == []
    assert client.status("sleeper")["pid"] == new_pid
    r = client.stop_root()
    assert "Service root has been stopped." in r["messages"]
    assert gone(new_pid) and wait_for(lambda: gone(pid), 5)
    assert not socket_path(tmp_path / "root").exists()
    with pytest.raises(NotRunning, match="no service manager is running for root"):
        Client(tmp_path / "root").request("status")
    reap_zombies()
    assert kill_strays(str(tmp_path)) == []


def test_a_daemon_whose_root_was_deleted_stops_its_services_and_exits(daemon, tmp_path):
    client, pid = daemon
    config = tmp_path / "services.scm"
    config.write_text(CONFIG.format(python=sys.executable, marker=tmp_path))
    client.upgrade(config)
    sleeper = client.status("sleeper")["pid"]
    shutil.rmtree(tmp_path / "root")  # nobody can reach that manager any more
    assert wait_for(lambda: gone(pid), 15)
    assert gone(sleeper)
    reap_zombies()


def test_sigterm_stops_the_daemon_cleanly(daemon, tmp_path):
    client, pid = daemon
    os.kill(pid, signal.SIGTERM)
    assert wait_for(lambda: gone(pid), 10)
    assert not socket_path(tmp_path / "root").exists()


def test_status_counts_respawns_and_keeps_the_last_exit_with_its_time(manager):
    manager.register([ServiceSpec(["flap"], start=fe(["sh", "-c", "exit 4"]), respawn=True,
                                  respawn_limit=(2, 5.0), respawn_delay=0.05)])
    before = time.time()
    manager.start("flap")
    st = wait_for(lambda: (s := manager.status("flap")) and not s["enabled"] and s, 5)
    assert st["respawns"] == 2
    assert st["exited"][0] == "exited with code 4" and before <= st["exited"][1] <= time.time()

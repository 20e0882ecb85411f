"""The service manager cannot be turned against its host (issue 14), one test per rule:

* a start procedure that blocks never freezes the manager: it does not hold the manager's
  lock (status, other starts and stops answer meanwhile), it times out with a clear error,
  and the processes it spawned are terminated; stopping a service that is starting cancels
  the start;
* a service, ``fork+exec-command`` or mcron job whose ``#:user`` or ``#:group`` does not exist
  on the host is not run (never as root instead), with a message naming the account;
* services get the Shepherd's default environment plus what they declare, never the
  environment of whoever started the manager (`default-environment-variables` neither);
* the manager records its services' PIDs and process groups in ``<root>/run/schemy``; after a
  kill -9 of the manager, its successor stops what was left, so a reconfigure runs exactly
  one instance of each service;
* ``herd stop root`` racing a reconfigure never leaves a service running without a manager
  (repeated races);
* reconfigure reports what really runs: a daemon that dies within the readiness grace period
  (its port taken, say) is listed as failed with its reason, not as started, and the exit
  code is 3;
* activation in prefix mode writes inside the root, never the host's /etc (openssh's
  /etc/ssh and host keys, the childhurd's secrets).

End-to-end tests stop every process they start (fixtures with finalizers).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import child_subreaper, free_port, gone, kill_strays, processes_mentioning, reap_zombies, wait_for

from schemy.cli.main import main
from schemy.lang.datum import Keyword, make_list
from schemy.runtime import sandbox
from schemy.shepherd.forkexec import default_environment_variables, fork_exec_command, make_forkexec_constructor
from schemy.shepherd.herd import Client, ensure_daemon
from schemy.shepherd.manager import ServiceError, ServiceManager
from schemy.shepherd.mcron import Job
from schemy.shepherd.process import PROCESSES
from schemy.shepherd.records import ServiceSpec

# ----------------------------------------------------------------- helpers and fixtures


def sleeper(marker: str) -> list[str]:
    """A long-running command that carries ``marker`` on its command line."""
    return [sys.executable, "-c", "import time; time.sleep(300)", marker]


def fe(command: list[str], **kw):
    rest = []
    for k, v in kw.items():
        rest += [Keyword(k.replace("_", "-")), v]
    return make_forkexec_constructor(make_list(command), *rest)


@pytest.fixture(scope="module", autouse=True)
def subreaper():
    """Orphans (services of a killed manager) come back to this process, which reaps them."""
    with child_subreaper():
        yield


@pytest.fixture
def marker(tmp_path):
    """A string that only this test's processes carry on their command line; they die at the end."""
    text = f"schemy-trust-{os.getpid()}-{time.time_ns()}"
    yield text
    kill_strays(text)
    kill_strays(str(tmp_path))
    reap_zombies()


@pytest.fixture
def manager(tmp_path, marker):
    m = ServiceManager(tmp_path / "root", reap_orphans=True, start_timeout=3.0, ready_grace=1.0)
    m.run()
    try:
        yield m
    finally:
        m.shutdown()
        kill_strays(marker)
        wait_for(lambda: not PROCESSES.children(), 5)
        reap_zombies()


@pytest.fixture
def roots(tmp_path, marker):
    """Roots whose daemons (any the test starts) are stopped at the end, whatever happened."""
    made: list[Path] = []

    def make(name: str = "root") -> Path:
        root = tmp_path / name
        made.append(root)
        return root

    yield make
    for root in made:
        pid_file = root / "run" / "schemy" / "manager.pid"
        try:
            Client(root, timeout=30).stop_root()
        except Exception:  # noqa: BLE001 - maybe no daemon is running
            pass
        try:
            pid = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pid = None
        if pid and not gone(pid):
            os.kill(pid, signal.SIGKILL)
    kill_strays(marker)
    reap_zombies()


def in_thread(fn, *args):
    """Run ``fn`` on a thread; a function returning (finished?, result or exception)."""
    out: list = []

    def run():
        try:
            out.append(("ok", fn(*args)))
        except BaseException as e:  # noqa: BLE001
            out.append(("error", e))

    t = threading.Thread(target=run, daemon=True)
    t.start()

    def result(timeout: float):
        t.join(timeout)
        return out[0] if out else None

    return result


# ----------------------------------------------------------------- 3: blocking starts


def test_a_blocking_start_leaves_status_start_and_stop_responsive(manager, marker):
    def blocker(*_):
        fork_exec_command(make_list(sleeper(marker)))
        while True:  # a start procedure that never returns
            time.sleep(0.01)

    manager.register([ServiceSpec(["blocker"], start=blocker),
                      ServiceSpec(["quick"], start=fe(sleeper(marker + "-quick")))])
    started = time.monotonic()
    pending = in_thread(manager.start, "blocker")
    assert wait_for(lambda: processes_mentioning(marker), 3), pending(0)
    status = in_thread(manager.status)
    answer = status(1.0)
    assert answer is not None, "status hangs while a start blocks"
    assert {s["name"]: s["status"] for s in answer[1]}["blocker"] == "starting"
    assert in_thread(manager.start, "quick")(2.0)[0] == "ok"
    assert in_thread(manager.stop, "quick")(7.0)[0] == "ok"
    kind, error = pending(10)
    assert kind == "error" and isinstance(error, ServiceError)
    assert "did not return within 3 seconds" in str(error)
    assert time.monotonic() - started < 8
    assert manager.status("blocker")["status"] == "failed"
    assert wait_for(lambda: not processes_mentioning(marker), 5), "the blocked start's process survived"


def test_stopping_a_service_while_it_starts_cancels_the_start(manager, marker):
    def blocker(*_):
        fork_exec_command(make_list(sleeper(marker)))
        while True:
            time.sleep(0.01)

    manager.register([ServiceSpec(["blocker"], start=blocker)])
    pending = in_thread(manager.start, "blocker")
    assert wait_for(lambda: processes_mentioning(marker), 3)
    t0 = time.monotonic()
    kind, messages = in_thread(manager.stop, "blocker")(5.0)
    assert kind == "ok" and messages == ["Service blocker has been stopped."]
    assert time.monotonic() - t0 < 2.5
    kind, error = pending(5)
    assert kind == "error" and "stopped while it was starting" in str(error)
    assert manager.status("blocker")["status"] == "stopped"
    assert wait_for(lambda: not processes_mentioning(marker), 5)


def test_a_scheme_start_that_loops_forever_is_interrupted_and_the_interpreter_stays_usable(manager, tmp_path):
    config = tmp_path / "spin.scm"
    config.write_text("""(register-services
      (list (service '(spinner) #:start (lambda _ (let loop () (loop))) #:auto-start? #f)
            (service '(fine) #:start (lambda _ 'up) #:stop (lambda _ #f) #:auto-start? #f)))""")
    manager.load(config)
    pending = in_thread(manager.start, "spinner")
    time.sleep(0.3)
    answer = in_thread(manager.status, "spinner")(1.0)
    assert answer is not None and answer[1]["status"] == "starting"
    kind, error = pending(10)
    assert kind == "error" and "did not return within 3 seconds" in str(error)
    assert in_thread(manager.start, "fine")(5.0) == ("ok", ["Service fine has been started."])


# ----------------------------------------------------------------- 6: missing accounts fail closed


@pytest.mark.skipif(os.geteuid() != 0, reason="switching accounts needs root")
@pytest.mark.parametrize("keyword, value, words", [
    ("user", "no-such-user-schemy", "user no-such-user-schemy does not exist"),
    ("group", "no-such-group-schemy", "group no-such-group-schemy does not exist"),
    ("supplementary_groups", make_list(["no-such-group-schemy"]), "group no-such-group-schemy does not exist"),
])
def test_a_service_whose_account_is_missing_is_not_run(manager, tmp_path, marker, keyword, value, words):
    out = tmp_path / "ran"
    manager.register([ServiceSpec(["ghost"], start=fe(["sh", "-c", f"id -u > {out}; sleep 300 # {marker}"],
                                                       **{keyword: value}))])
    with pytest.raises(ServiceError, match=words):
        manager.start("ghost")
    time.sleep(0.2)
    assert not out.exists() and not processes_mentioning(marker)
    assert words in manager.status("ghost")["failure"]


@pytest.mark.skipif(os.geteuid() != 0, reason="switching accounts needs root")
def test_fork_exec_command_with_a_missing_user_is_an_error(marker):
    from schemy.lang.errors import SchemeError

    with pytest.raises(SchemeError, match="user no-such-user-schemy does not exist"):
        fork_exec_command(make_list(sleeper(marker)), Keyword("user"), "no-such-user-schemy")
    assert not processes_mentioning(marker)


@pytest.mark.skipif(os.geteuid() != 0, reason="switching accounts needs root")
def test_an_mcron_job_whose_user_is_missing_is_not_run(manager, tmp_path):
    out = tmp_path / "job-ran"
    ran: list[int] = []
    manager.register_jobs([Job("@reboot", f"id -u > {out}", "shell job", user="no-such-user-schemy"),
                           Job("@reboot", lambda: ran.append(os.geteuid()), "thunk job", user="no-such-user-schemy")])
    assert wait_for(lambda: all(j["last_status"] for j in manager.schedule()), 5)
    time.sleep(0.3)
    assert not out.exists() and ran == []
    for job in manager.schedule():
        assert "user no-such-user-schemy does not exist" in job["last_status"]


# ----------------------------------------------------------------- 17: environment


def test_services_get_the_default_environment_not_the_callers(manager, tmp_path, monkeypatch):
    monkeypatch.setenv("SCHEMY_TEST_SECRET_TOKEN", "hunter2")
    plain, declared = tmp_path / "plain.env", tmp_path / "declared.env"
    manager.register([
        ServiceSpec(["plain"], one_shot=True, start=fe(["sh", "-c", f"env > {plain}"])),
        ServiceSpec(["declared"], one_shot=True,
                    start=fe(["sh", "-c", f"env > {declared}"],
                             environment_variables=make_list(["GREETING=hello", "PATH=/bin:/usr/bin"]))),
    ])
    manager.start("plain")
    manager.start("declared")
    assert wait_for(lambda: plain.exists() and declared.exists() and plain.read_text() and declared.read_text())
    time.sleep(0.1)
    env_plain = dict(line.split("=", 1) for line in plain.read_text().splitlines() if "=" in line)
    env_declared = dict(line.split("=", 1) for line in declared.read_text().splitlines() if "=" in line)
    assert "SCHEMY_TEST_SECRET_TOKEN" not in env_plain and "SCHEMY_TEST_SECRET_TOKEN" not in env_declared
    assert "HOME" not in env_plain and "PYTHONPATH" not in env_plain
    assert "/usr/bin" in env_plain["PATH"].split(":")
    assert env_declared["GREETING"] == "hello" and env_declared["PATH"] == "/bin:/usr/bin"
    defaults = [str(x) for x in _pylist(default_environment_variables())]
    assert any(x.startswith("PATH=") for x in defaults)
    assert not any("SCHEMY_TEST_SECRET_TOKEN" in x for x in defaults)


def _pylist(x):
    from schemy.lang.datum import list_to_python

    return list_to_python(x)


# ----------------------------------------------------------------- 13: readiness


def test_a_daemon_that_dies_after_starting_is_reported_failed_not_started(manager, marker):
    port = free_port()
    holder = socket.socket()
    holder.bind(("127.0.0.1", port))
    holder.listen(1)
    server = (f"import socket, time, sys; time.sleep(0.3); s = socket.socket(); "
              f"s.bind(('127.0.0.1', {port})); time.sleep(300)  # {marker}")
    try:
        summary = manager.upgrade([ServiceSpec(["web"], start=fe([sys.executable, "-c", server])),
                                   ServiceSpec(["fine"], start=fe(sleeper(marker)))])
    finally:
        holder.close()
    assert summary["started"] == ["fine"]
    assert summary["failed"] == ["web"]
    reason = [m for m in summary["messages"] if "web" in m][-1]
    assert "exited with code 1" in reason and "Address already in use" in reason
    assert manager.status("web")["status"] != "running"


# ----------------------------------------------------------------- end to end: reconfigure


OS_TAIL = """
(operating-system
  (host-name "trust")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (services (cons* {services} %base-services)))
"""


def sleeper_service(name: str, marker: str, command: str | None = None) -> str:
    command = command or f'(list "{sys.executable}" "-c" "import time; time.sleep(300)" "{marker}")'
    return f"""(simple-service '{name} shepherd-root-service-type
      (list (shepherd-service (provision '({name}))
              (start #~(make-forkexec-constructor {command}))
              (stop #~(make-kill-destructor)))))"""


def write_config(tmp_path: Path, services: list[str], name: str = "config.scm") -> Path:
    path = tmp_path / name
    path.write_text("(use-modules (gnu) (gnu services shepherd))\n" + OS_TAIL.format(services=" ".join(services)))
    return path


def run_cli(*args: str):
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        sandbox.ACTIVE = False


def test_reconfigure_exits_3_and_does_not_say_started_when_a_daemon_dies(tmp_path, roots, marker):
    root = roots()
    dying = f'(list "sh" "-c" "sleep 0.3; echo cannot bind port; exit 1" "{marker}")'
    config = write_config(tmp_path, [sleeper_service("dies", marker, dying), sleeper_service("lives", marker)])
    result = run_cli("system", "reconfigure", str(config), "--root", str(root))
    assert result.exit_code == 3, result.output
    started = [line for line in result.output.splitlines() if line.startswith("services started")]
    assert started and "dies" not in started[0] and "lives" in started[0]
    assert "service dies failed to start" in result.output and "cannot bind port" in result.output


def test_after_kill_9_of_the_manager_reconfigure_runs_one_instance(tmp_path, roots, marker):
    root = roots()
    config = write_config(tmp_path, [sleeper_service("sleeper", marker)])
    first = run_cli("system", "reconfigure", str(config), "--root", str(root))
    assert first.exit_code == 0, first.output
    assert wait_for(lambda: len(processes_mentioning(marker)) == 1, 5)
    [orphan] = processes_mentioning(marker)
    records = (root / "run" / "schemy" / "processes.json").read_text()
    assert str(orphan) in records
    daemon_pid = int((root / "run" / "schemy" / "manager.pid").read_text())
    os.kill(daemon_pid, signal.SIGKILL)
    assert wait_for(lambda: gone(daemon_pid), 5)
    reap_zombies()
    assert not gone(orphan), "the service should outlive the killed manager"
    # the next reconfigure: its new manager stops the orphan first, then starts one sleeper
    second = run_cli("system", "reconfigure", str(config), "--root", str(root))
    assert second.exit_code == 0, second.output
    assert wait_for(lambda: gone(orphan), 5)
    assert wait_for(lambda: len(processes_mentioning(marker)) == 1, 5)
    assert processes_mentioning(marker) != [orphan]
    status = ensure_daemon(root).status("sleeper")
    assert status["status"] == "running" and status["pid"] == processes_mentioning(marker)[0]


def test_stop_root_racing_a_reconfigure_never_orphans_a_service(tmp_path, roots, marker):
    config = write_config(tmp_path, [sleeper_service("racer", marker)])
    shepherd_file = None
    for attempt in range(6):
        root = roots(f"root{attempt}")
        if shepherd_file is None:
            built = run_cli("system", "reconfigure", str(config), "--root", str(root), "--no-services")
            assert built.exit_code == 0, built.output
            shepherd_file = next((root / "store").glob("*-shepherd.scm"))
        client = ensure_daemon(root)
        daemon_pid = client.request("ping")["pid"]
        upgrade = in_thread(client.upgrade, shepherd_file)
        time.sleep(0.02 * attempt)
        try:
            client.stop_root(wait=30)
        except Exception:  # noqa: BLE001 - the daemon may already be gone
            pass
        upgrade(60)
        assert wait_for(lambda pid=daemon_pid: gone(pid), 30)
        # Either the upgrade went to a new manager (which then runs the service), or nothing runs.
        alive = Client(root).alive()
        running = processes_mentioning(marker)
        assert not running or alive, f"attempt {attempt}: service {running} runs with no manager"
        if alive:
            Client(root).stop_root()
        assert wait_for(lambda: not processes_mentioning(marker), 10)


# ----------------------------------------------------------------- 14: activation stays in the root


def test_activation_in_prefix_mode_writes_inside_the_root_not_the_hosts_etc(tmp_path, roots):
    """Reconfigure runs in a mount namespace where the host's /etc is read-only: any write
    there (chmod /etc/ssh, /etc/childhurd secrets, offloading keys) fails the activation."""
    import shutil
    import subprocess

    for program, package in (("ssh-keygen", "openssh-client"), ("unshare", "util-linux")):
        if not shutil.which(program):
            pytest.skip(f"{program} is missing (Debian package: {package})")
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unshare (Debian package: util-linux) may not make a mount namespace here")
    root = roots()
    image = tmp_path / "hurd.img"
    image.write_text("disk")
    services = ["(service openssh-service-type)",
                f'(service hurd-vm-service-type (hurd-vm-configuration (image "{image}")))']
    config = tmp_path / "config.scm"
    config.write_text("(use-modules (gnu) (gnu services ssh) (gnu services virtualization))\n"
                      + OS_TAIL.format(services=" ".join(services)))
    schemy = Path(sys.executable).with_name("schemy")
    read_only_etc = 'mount --bind /etc /etc && mount -o remount,bind,ro /etc && exec "$0" "$@"'
    result = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", read_only_etc,
                             str(schemy), "system", "reconfigure", str(config), "--root", str(root),
                             "--no-services"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Read-only file system" not in result.stdout + result.stderr
    state = root / "var" / "schemy" / "state"
    assert (state / "etc/ssh/ssh_host_ed25519_key").is_file()  # ssh-keygen -A, inside the root
    secrets = state / "etc/childhurd"
    assert (secrets / "etc/ssh/ssh_host_ed25519_key").is_file()
    assert (secrets.stat().st_mode & 0o777) == 0o700
    assert ((secrets / "etc/guix/signing-key.sec").stat().st_mode & 0o077) == 0  # its owner only
    assert (state / "etc/guix/offload/ssh/childhurd").is_file()

"""``schemy herd`` against a real daemon running a Scheme service config."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import child_subreaper, free_port, gone, kill_strays, wait_for

from schemy.cli.herd import herd
from schemy.shepherd.herd import default_root, ensure_daemon, format_service_status, format_status

CONFIG = """
(use-modules (shepherd service))
(register-services
  (list (service '(web) #:documentation "A web server."
                 #:start (make-forkexec-constructor
                           '("{python}" "-m" "http.server" "{port}" "--bind" "127.0.0.1")
                           #:directory "{www}")
                 #:stop (make-kill-destructor) #:respawn? #t)
        (service '(build-vm) #:requirement '(networking user-processes) #:auto-start? #f
                 #:start (make-forkexec-constructor '("sleep" "300") #:directory "{www}")
                 #:stop (make-kill-destructor)
                 #:actions (list (action 'configuration
                                         (lambda (running . args)
                                           (display "/gnu/store/abc-build-vm.scm")
                                           (newline))
                                         "Show the configuration file.")))
        (service '(setup) #:one-shot? #t #:start (lambda _ #t))))
(provided-by-host '(networking loopback user-processes))
(job (lambda (t) (+ t 1)) "echo tick >> {ticks}")
"""


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    """A daemon for a fresh root, loaded with CONFIG; stopped (whatever happens) at the end."""
    with child_subreaper():  # so the detached daemon can be reaped here
        yield from _system(tmp_path_factory.mktemp("herd"))


def _system(base: Path):
    root = base / "root"
    www = base / "www"
    www.mkdir()
    port = free_port()
    config = base / "config.scm"
    config.write_text(CONFIG.format(python=sys.executable, port=port, www=www, ticks=base / "ticks"))
    client = ensure_daemon(root)
    pid = client.request("ping")["pid"]
    try:
        yield {"root": root, "client": client, "pid": pid, "port": port, "config": config, "base": base}
    finally:
        try:
            if client.alive():
                client.stop_root()
        finally:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
            kill_strays(str(www))
            kill_strays(str(root))
            wait_for(lambda: gone(pid), 5)


def run(root: Path, *args: str):
    return CliRunner().invoke(herd, ["--root", str(root), *args], catch_exceptions=False)


# ----------------------------------------------------------------- without a daemon


def test_no_daemon_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(herd, ["--root", str(tmp_path), "status"])
    assert r.exit_code == 1
    assert r.output.strip() == (f"schemy: no service manager is running for root {tmp_path.resolve()} "
                                "(run `schemy reconfigure` first)")


def test_default_root(monkeypatch, tmp_path):
    monkeypatch.setenv("SCHEMY_ROOT", str(tmp_path / "r"))
    assert default_root() == tmp_path / "r"
    monkeypatch.delenv("SCHEMY_ROOT")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert default_root() == tmp_path / "state" / "schemy"
    monkeypatch.setenv("SCHEMY_ROOT", str(tmp_path / "env-root"))
    r = CliRunner().invoke(herd, ["status"])
    assert r.exit_code == 1 and str(tmp_path / "env-root") in r.output


def test_formatting_like_herd():
    base = {"requirement": [], "enabled": True, "disabled_reason": None, "respawn": True, "one_shot": False,
            "auto_start": True, "host": False, "pid": None, "since": None, "command": None, "last_exit": None,
            "failure": None, "actions": [], "one_shot_ran": None}
    services = [
        {**base, "name": "virtlogd", "provision": ["virtlogd"], "status": "running"},
        {**base, "name": "libvirtd", "provision": ["libvirtd"], "status": "running"},
        {**base, "name": "build-vm", "provision": ["build-vm"], "status": "stopped"},
        {**base, "name": "crashy", "provision": ["crashy"], "status": "stopped", "enabled": False,
         "disabled_reason": "respawning too fast"},
        {**base, "name": "networking", "provision": ["networking"], "status": "host", "host": True},
    ]
    assert format_status(services, show_host=True) == (
        "Started:\n + libvirtd\n + virtlogd\nStopped:\n - build-vm\n"
        " - crashy (disabled: respawning too fast)\n"
        "Provided by the host:\n = networking")
    assert format_status(services).endswith(
        " - crashy (disabled: respawning too fast)\n"
        "Provided by the host: 1 service (`herd status --all` lists them)")
    now = time.time()
    one = {**base, "name": "libvirtd", "provision": ["libvirtd"], "status": "running", "pid": 1234,
           "since": now - 3, "command": ["/usr/sbin/libvirtd", "-f", "/etc/libvirtd.conf"],
           "requirement": ["networking"]}
    text = format_service_status(one, now)
    assert text.splitlines()[0] == "Status of libvirtd:"
    assert "  It is running since " in text and "(3 seconds ago)." in text
    assert ("\n  Main PID: 1234\n  Command: /usr/sbin/libvirtd -f /etc/libvirtd.conf\n"
            "  It is enabled.\n") in text
    assert text.endswith("  Provides: libvirtd\n  Requires: networking\n  Will be respawned.")


# ----------------------------------------------------------------- with a daemon


def test_reconfigure_then_status(system):
    summary = system["client"].upgrade(system["config"])
    assert summary["started"] == ["web", "setup"] and summary["failed"] == []
    r = run(system["root"], "status")
    assert r.exit_code == 0
    assert r.output == ("Started:\n + web\nStopped:\n - build-vm\nOne-shot:\n * setup\n"
                        "Provided by the host: 3 services (`herd status --all` lists them)\n")
    r = run(system["root"], "status", "--all")
    assert r.output == ("Started:\n + web\nStopped:\n - build-vm\nOne-shot:\n * setup\n"
                        "Provided by the host:\n = loopback\n = networking\n = user-processes\n")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", system["port"]), 0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        pytest.fail("the web service does not answer")


def test_status_of_one_service(system):
    r = run(system["root"], "status", "web")
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0] == "Status of web:"
    assert lines[1].startswith("  It is running since ")
    assert lines[2].startswith("  Main PID: ")
    assert lines[3] == f"  Command: {sys.executable} -m http.server {system['port']} --bind 127.0.0.1"
    assert lines[4:7] == ["  It is enabled.", "  Provides: web", "  Will be respawned."]
    assert "Service web has been started" in r.output  # recent messages
    r = run(system["root"], "status", "networking")
    assert "It is provided by the host system" in r.output
    r = run(system["root"], "status", "root")
    assert r.exit_code == 0 and f"Main PID: {system['pid']}" in r.output


def test_start_stop_restart_and_custom_action(system):
    root = system["root"]
    r = run(root, "start", "build-vm")
    assert (r.exit_code, r.output) == (0, "Service build-vm has been started.\n")
    assert run(root, "start", "build-vm").output == "Service build-vm is already running.\n"
    r = run(root, "configuration", "build-vm")
    assert (r.exit_code, r.output) == (0, "/gnu/store/abc-build-vm.scm\n")
    pid = system["client"].status("build-vm")["pid"]
    r = run(root, "restart", "build-vm")
    assert r.output == "Service build-vm has been stopped.\nService build-vm has been started.\n"
    assert gone(pid)
    pid = system["client"].status("build-vm")["pid"]
    assert (run(root, "stop", "build-vm").output) == "Service build-vm has been stopped.\n"
    assert gone(pid)
    assert run(root, "stop", "build-vm").output == "Service build-vm is not running.\n"
    r = run(root, "frobnicate", "build-vm")
    assert r.exit_code == 1
    assert "herd: error: Service build-vm does not have an action 'frobnicate'." in r.output
    r = run(root, "start", "nonesuch")
    assert r.exit_code == 1 and "herd: error: service 'nonesuch' could not be found" in r.output
    r = run(root, "doc", "build-vm")
    assert "configuration: Show the configuration file." in r.output


def test_enable_disable_and_log(system):
    root = system["root"]
    assert run(root, "disable", "build-vm").output == "Disabled service build-vm.\n"
    r = run(root, "start", "build-vm")
    assert r.exit_code == 1 and "currently disabled" in r.output
    assert " - build-vm (disabled)" in run(root, "status").output
    assert run(root, "enable", "build-vm").output == "Enabled service build-vm.\n"
    r = run(root, "log", "web")
    assert r.exit_code == 0 and "Service web has been started" in r.output


def test_mcron_job_runs_in_the_daemon(system):
    ticks = system["base"] / "ticks"
    assert wait_for(lambda: ticks.exists() and ticks.read_text().count("tick") >= 2, 5)
    r = run(system["root"], "schedule", "mcron")
    assert r.exit_code == 0 and f"echo tick >> {ticks}" in r.output


def test_doc_lists_actions_and_documents_one_as_shepherd_does(system):
    root = system["root"]
    assert run(root, "doc", "build-vm", "list-actions").output == \
        "build-vm (start stop restart status enable disable doc configuration)\n"
    assert run(root, "doc", "build-vm", "action", "configuration").output == "Show the configuration file.\n"
    r = run(root, "doc", "build-vm", "action", "fly")
    assert r.exit_code == 1 and "does not have an action 'fly'" in r.output


def test_service_names_and_custom_actions_complete_from_the_running_manager(system):
    from click.shell_completion import ShellComplete

    from schemy.cli.main import main

    env = {"SCHEMY_ROOT": str(system["root"])}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        def complete(args: list[str], incomplete: str) -> list[str]:
            comp = ShellComplete(main, {}, "schemy", "_SCHEMY_COMPLETE")
            return [c.value for c in comp.get_completions(args, incomplete)]

        assert complete(["herd", "status"], "w") == ["web"]
        assert complete(["herd", "start"], "b") == ["build-vm"]
        assert "configuration" in complete(["herd"], "conf")
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_log_follow_prints_lines_as_they_are_written(system):
    r = run(system["root"], "log", "web")
    log_file = system["client"].request("log", service="web", lines=1)["file"]
    follower = subprocess.Popen([str(Path(sys.executable).with_name("schemy")), "herd", "--root",
                                 str(system["root"]), "log", "-n", "0", "-f", "web"],
                                stdout=subprocess.PIPE, text=True)
    try:
        # The follower starts at the end of the file whenever it gets there (a loaded machine
        # may take seconds): write a line every half second until one comes out, never block.
        line, deadline = "", time.monotonic() + 60
        while not line and time.monotonic() < deadline:
            with open(log_file, "a") as f:
                f.write("a line written while following\n")
            if select.select([follower.stdout], [], [], 0.5)[0]:
                line = follower.stdout.readline()
        assert line == "a line written while following\n"
    finally:
        follower.terminate()
        follower.wait(10)
    assert r.exit_code == 0


def test_stop_root_stops_everything(system):
    client = system["client"]
    web = client.status("web")["pid"]
    run(system["root"], "start", "build-vm")
    vm = client.status("build-vm")["pid"]
    r = run(system["root"], "stop", "root")
    assert r.exit_code == 0
    assert r.output.splitlines()[-1] == "Service root has been stopped."
    assert "Service web has been stopped." in r.output and "Service build-vm has been stopped." in r.output
    assert gone(web) and gone(vm)
    assert wait_for(lambda: gone(system["pid"]), 5)
    assert not (system["root"] / "run" / "schemy" / "manager.sock").exists()
    assert not (system["root"] / "run" / "schemy" / "manager.pid").exists()
    assert run(system["root"], "status").exit_code == 1


def test_service_status_shows_respawns_and_the_last_exit_with_its_time():
    now = time.time()
    base = {"requirement": [], "enabled": True, "respawn": True, "one_shot": False, "auto_start": True,
            "host": False, "pid": 77, "since": now - 2, "command": ["web"], "actions": [],
            "name": "web", "provision": ["web"], "status": "running"}
    text = format_service_status({**base, "respawns": 3, "exited": ["exited with code 1", now - 5]}, now)
    assert "\n  Its last process exited with code 1 at " in text and "(5 seconds ago).\n" in text
    assert "\n  It was respawned 3 times.\n" in text
    stopped = {**base, "status": "stopped", "pid": None, "respawns": 1, "last_exit": "exited with code 1",
               "exited": ["exited with code 1", now - 5]}
    text = format_service_status(stopped, now)
    assert "\n  Process exited with code 1 at " in text and "\n  It was respawned 1 time.\n" in text
    plain = format_service_status(base, now)
    assert "It was respawned" not in plain and "last process" not in plain

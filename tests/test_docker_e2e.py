"""Docker for real: containerd and dockerd under a root's service manager, as Guix runs them.

The system declares containerd-service-type and docker-service-type with iptables off and a
daemon.json (the configuration's config-file) saying "bridge": "none", so that dockerd changes
nothing in the host's network (no docker0, no iptables rules).  Its socket, PID file and state
(/var/run/docker.sock, /var/lib/docker) are the root's own in the root's view.  The docker
client talks to it on that socket; `herd stop` stops both daemons and every process of them is
checked gone.  Skipped when the host lacks docker.io or containerd; the same conditions as
tests/test_daemons_e2e.py otherwise (root views, root).
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from test_daemons_e2e import System, gone, pytestmark, schemy  # noqa: F401  (the module's skip marks)

DOCKER = "/usr/bin/docker"

SYSTEM = """(use-modules (gnu))
(use-service-modules dbus desktop docker networking)
(operating-system
  (host-name "docker")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (services
   (cons* (service dhcp-client-service-type)
          (service dbus-root-service-type)
          (service elogind-service-type)
          (service containerd-service-type)
          (service docker-service-type
                   (docker-configuration
                    (enable-iptables? #f)
                    (config-file (plain-file "daemon.json" "{\\"bridge\\": \\"none\\"}\\n"))))
          %base-services)))
"""


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    for program, package in (("/usr/sbin/dockerd", "docker.io"), (DOCKER, "docker.io"),
                             ("/usr/bin/containerd", "containerd")):
        if not os.access(program, os.X_OK):
            pytest.skip(f"{program} is not installed: apt-get install {package}")
    base = tmp_path_factory.mktemp("docker")
    root, config = base / "root", base / "docker.scm"
    config.write_text(SYSTEM)
    running = None
    try:
        r = schemy("reconfigure", "--root", str(root), str(config))
        assert r.returncode == 0, r.stdout + r.stderr
        running = System(root, {}, r.stdout + r.stderr)
        yield running
    finally:
        schemy("herd", "--root", str(root), "stop", "root")
        if running is not None:
            for pid in gone(running.seen, 5):
                os.kill(pid, signal.SIGKILL)


def docker(system: System, *args: str) -> str:
    sock = system.root / "run" / "docker.sock"
    r = subprocess.run([DOCKER, "-H", f"unix://{sock}", *args], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_dockerd_answers_the_docker_client_on_the_roots_socket(system):
    pids = system.processes("dockerd") | system.processes("containerd")
    version = docker(system, "version", "--format", "{{.Server.Version}}")
    assert version and version[0].isdigit()
    assert docker(system, "info", "--format", "{{.DockerRootDir}}") == "/var/lib/docker"
    assert (system.root / "var" / "lib" / "docker").is_dir()  # the root's own, made by activation
    assert int((system.root / "run" / "docker.pid").read_text()) in pids
    assert not Path("/sys/class/net/docker0").exists()  # "bridge": "none" from the config-file
    log = (system.root / "var" / "log" / "docker.log").read_text()
    assert "API listen on /var/run/docker.sock" in log
    system.stop("dockerd")
    system.stop("containerd")
    assert gone(pids) == set()
    assert not (system.root / "run" / "docker.sock").exists()

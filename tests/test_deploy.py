"""``schemy deploy`` end to end, over the host's own OpenSSH.

Three "machines" are three ``sshd -D`` instances on loopback ports, each with its own host key,
its own HOME (so its own schemy venv) and its own state root (``SetEnv`` in its sshd_config);
the deploying side authenticates with a key generated here and checks host keys as Guix does.
None of them has schemy: the first deployment installs this checkout's wheel on each.  The
deployment is a two-node Ganeti-style cluster (a node daemon on both nodes, the master's daemon
on the first) plus a web server serving a directory sent from here as a `local-file'.  Every
sshd, service manager and service started here is stopped in the finalizers.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import child_subreaper, free_port, gone, http_get, kill_strays, listening, wait_for

from schemy.shepherd.herd import Client

SCHEMY = str(Path(sys.executable).with_name("schemy"))
SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else None)

pytestmark = [
    pytest.mark.skipif(SSHD is None, reason="sshd is not installed (apt-get install openssh-server)"),
    pytest.mark.skipif(shutil.which("ssh") is None or shutil.which("ssh-keygen") is None,
                       reason="ssh is not installed (apt-get install openssh-client)"),
    pytest.mark.skipif(os.geteuid() != 0, reason="sshd -D with UsePAM no logs users in only when run as root"),
]


# ---------------------------------------------------------------- processes


def keygen(path: Path) -> str:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(path)], check=True)
    return " ".join(path.with_suffix(".pub").read_text().split()[:2])


# ---------------------------------------------------------------- the machines


class Node:
    def __init__(self, base: Path, name: str, client_pub: Path) -> None:
        self.name = name
        self.dir = base / name
        self.home = self.dir / "home"
        self.root = self.dir / "root"
        self.home.mkdir(parents=True)
        self.port = free_port()
        self.host_key = keygen(self.dir / "host_key")
        config = self.dir / "sshd_config"
        config.write_text(f"""ListenAddress 127.0.0.1
Port {self.port}
HostKey {self.dir / 'host_key'}
PidFile {self.dir / 'sshd.pid'}
AuthorizedKeysFile {client_pub}
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
SetEnv HOME={self.home} SCHEMY_ROOT={self.root}
""")
        self.log = open(self.dir / "sshd.log", "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([SSHD, "-f", str(config), "-D", "-e"], stdout=self.log, stderr=self.log,
                                     stdin=subprocess.DEVNULL)
        assert wait_for(lambda: listening(self.port), 10), (self.dir / "sshd.log").read_text()

    def stop(self) -> None:
        client = Client(self.root, timeout=10)
        try:
            if client.alive():
                pid = client.request("ping").get("pid")
                client.stop_root()
                if pid and not wait_for(lambda: gone(pid), 5):
                    os.kill(pid, signal.SIGKILL)
        except Exception:  # noqa: BLE001 - cleanup goes on
            pass
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def generation(self) -> int:
        return int(os.readlink(self.root / "profiles" / "system").split("-")[1])

    def running(self) -> set[str]:
        client = Client(self.root, timeout=10)
        return {s["provision"][0] for s in client.request("status").get("services", [])
                if s.get("status") == "running"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with child_subreaper():
        yield from _cluster(tmp_path_factory.mktemp("deploy"))


def _cluster(base: Path):
    os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation directory
    keygen(base / "id_deploy")
    nodes: list[Node] = []
    try:
        for name in ("node1", "node2", "web"):
            nodes.append(Node(base, name, base / "id_deploy.pub"))
        conf = base / "conf"
        (conf / "www").mkdir(parents=True)
        (conf / "www" / "index.html").write_text("hello from schemy deploy\n")
        yield {"base": base, "conf": conf, "nodes": {n.name: n for n in nodes},
               "ports": {k: free_port() for k in ("noded1", "noded2", "noded3", "masterd", "web", "web2")}}
    finally:
        for n in nodes:
            n.stop()
        kill_strays(str(base))


DEPLOY = """(use-modules (gnu) (gnu machine) (gnu machine ssh))
(use-service-modules shepherd)

;; A Ganeti-style cluster: every node runs the node daemon, the master also the master daemon.
(define (daemon name port)
  (shepherd-service
    (provision (list name))
    (start #~(make-forkexec-constructor
              (list "python3" "-m" "http.server" #$port "--bind" "127.0.0.1"
                    "--directory" #$(local-file "www" #:recursive? #t))))
    (stop #~(make-kill-destructor))))

(define* (node host #:key master? noded-port master-port (extra '()))
  (operating-system
    (host-name host)
    (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
    (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                        %base-file-systems))
    (services (append (list (simple-service 'cluster shepherd-root-service-type
                              (cons (daemon 'ganeti-noded noded-port)
                                    (if master? (list (daemon 'ganeti-masterd master-port)) '())))
                            (simple-service 'ssconf etc-service-type
                              (list `("ganeti/ssconf_master_node" ,(plain-file "master" "node1")))))
                      extra
                      %base-services))))

(define* (at port host-key #:optional (system "{system}"))
  (machine-ssh-configuration
    (host-name "127.0.0.1") (system system) (port port)
    (identity "{identity}") (host-key host-key)
    ;; node1 is built here and its store items sent; the others are built by their targets
    (build-locally? (= port {node1_port}))))

(define node1 (node "node1" #:master? #t #:noded-port "{noded1}" #:master-port "{masterd}"))
(define node2 (node "node2" #:noded-port "{noded2}"))
(define web (node "web" #:noded-port "{noded3}"))

(list {machines})
"""

MACHINE = ("(machine (operating-system {os}) (environment managed-host-environment-type)"
           " (configuration (at {port} {key}{system})))")


def write_deploy(cluster, name: str = "deploy.scm", web_port: int | None = None, only: tuple[str, ...] = (),
                 keys: dict[str, str | None] | None = None, ports: dict[str, int] | None = None,
                 systems: dict[str, str] | None = None, service_ports: dict[str, int] | None = None) -> Path:
    nodes, p = cluster["nodes"], {**cluster["ports"], **(service_ports or {})}
    keys = keys or {}
    ports = ports or {}
    machines = []
    for n in only or ("node1", "node2", "web"):
        key = keys.get(n, nodes[n].host_key)
        system = (systems or {}).get(n)
        machines.append(MACHINE.format(os=n, port=ports.get(n, nodes[n].port),
                                       key="#f" if key is None else f'"{key}"',
                                       system=f' "{system}"' if system else ""))
    text = DEPLOY.format(system=f"{platform.machine()}-linux", identity=cluster["base"] / "id_deploy",
                         machines="\n      ".join(machines),
                         noded1=p["noded1"], noded2=p["noded2"], masterd=p["masterd"],
                         noded3=p["noded3"], node1_port=nodes["node1"].port)
    # the web machine: the node OS plus a web server on its own port
    web = web_port or p["web"]
    text = text.replace('(define web (node "web"', f"""(define web (node "web" #:extra (list (simple-service 'www
   shepherd-root-service-type (list (daemon 'web "{web}"))))""")
    # Variants go in their own directories under the same file name: service locations
    # (FILE:LINE) are part of a system, as for `schemy reconfigure'.
    directory = cluster["conf"] if name == "deploy.scm" else cluster["conf"] / name.removesuffix(".scm")
    if not (directory / "www").exists():
        shutil.copytree(cluster["conf"] / "www", directory / "www")
    path = directory / "deploy.scm"
    path.write_text(text)
    return path


def deploy(cluster, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    # The deploying side keeps its usual caches: schemy's wheel is built once per version of
    # the checkout (the targets, each with its own HOME, start with none of them).
    env = dict(os.environ)
    return subprocess.run([SCHEMY, "deploy", *args], capture_output=True, text=True, timeout=timeout, env=env,
                          stdin=subprocess.DEVNULL)


def summary(result: subprocess.CompletedProcess) -> dict[str, str]:
    out = {}
    for line in result.stdout.splitlines():
        name, sep, rest = line.partition(": ")
        if sep and name in ("node1", "node2", "web") and rest.split(":")[0] in (
                "changed", "unchanged", "failed", "would-change", "no-change", "rolled-back", "ok"):
            out[name] = rest
    return out


# ---------------------------------------------------------------- the tests (in order: one cluster)


def test_deploy_installs_schemy_and_runs_each_machine_record(cluster):
    nodes, ports = cluster["nodes"], cluster["ports"]
    assert not any((n.home / ".local/share/schemy/deploy-venv").exists() for n in nodes.values())
    r = deploy(cluster, str(write_deploy(cluster)))
    assert r.returncode == 0, r.stdout + r.stderr
    s = summary(r)
    assert {k: v.split(":")[0] for k, v in s.items()} == {"node1": "changed", "node2": "changed", "web": "changed"}
    for n in nodes.values():
        assert (n.home / ".local/share/schemy/deploy-venv/bin/schemy").exists()
        assert f"{n.name}: installed schemy" in r.stdout
        assert n.generation() == 1
    # node1's system was built here and its items sent (its target built nothing, received no
    # configuration); node2 and web (build-locally? #f) received the configuration and built it.
    assert re.search(r"^node1: sent (\d+) of \1 store item\(s\)", r.stdout, re.M), r.stdout
    assert not (nodes["node1"].root / "deploy").exists() and (nodes["node2"].root / "deploy/objects").is_dir()
    system = os.readlink(nodes["node1"].root / "current-system" / "system")
    assert system.startswith(f"{nodes['node1'].root}/store/")
    assert nodes["node1"].running() >= {"ganeti-noded", "ganeti-masterd"}
    assert "ganeti-noded" in nodes["node2"].running() and "ganeti-masterd" not in nodes["node2"].running()
    assert "web" in nodes["web"].running() and "ganeti-masterd" not in nodes["web"].running()
    assert (nodes["node2"].root / "etc/ganeti/ssconf_master_node").read_text() == "node1"
    for port in (ports["noded1"], ports["noded2"], ports["masterd"], ports["web"]):
        assert wait_for(lambda port=port: http_get(port, "/index.html"), 10) == "hello from schemy deploy\n"


def test_deploying_again_sends_nothing_and_changes_nothing(cluster):
    r = deploy(cluster, str(write_deploy(cluster)))
    assert r.returncode == 0, r.stdout + r.stderr
    assert {k: v.split(":")[0] for k, v in summary(r).items()} == {
        "node1": "unchanged", "node2": "unchanged", "web": "unchanged"}
    assert "installed schemy" not in r.stdout
    for name in ("node1", "node2", "web"):
        assert f"{name}: sent 0 of" in r.stdout


def test_dry_run_shows_only_the_changed_machine(cluster):
    path = write_deploy(cluster, web_port=cluster["ports"]["web2"])
    r = deploy(cluster, "--dry-run", str(path))
    assert r.returncode == 0, r.stdout + r.stderr
    s = summary(r)
    assert s["web"].startswith("would-change") and s["node1"] == "no-change" and s["node2"] == "no-change", \
        r.stdout
    assert "web|   ~ service web (definition changed: will be restarted)" in r.stdout
    for name in ("node2", "web"):  # built there: only the changed deployment file travels
        assert f"{name}: sent 1 of 4 object(s)" in r.stdout
    assert "node1: sent 0 of " in r.stdout, r.stdout  # built here: its system is the one it has
    assert cluster["nodes"]["web"].generation() == 1


def test_changing_one_field_changes_only_that_machine(cluster):
    ports = cluster["ports"]
    r = deploy(cluster, str(write_deploy(cluster, web_port=ports["web2"])))
    assert r.returncode == 0, r.stdout + r.stderr
    s = summary(r)
    assert s == {"node1": "unchanged: generation 1", "node2": "unchanged: generation 1",
                 "web": "changed: generation 2"}
    assert wait_for(lambda: http_get(ports["web2"]), 10)
    assert wait_for(lambda: not listening(ports["web"]), 10)


def test_roll_back_one_machine(cluster):
    nodes, ports = cluster["nodes"], cluster["ports"]
    r = deploy(cluster, "--roll-back", str(write_deploy(cluster, "web-only.scm", only=("web",))))
    assert r.returncode == 0, r.stdout + r.stderr
    assert summary(r) == {"web": "rolled-back: now at generation 1"}
    assert nodes["web"].generation() == 1 and nodes["node1"].generation() == 1
    assert wait_for(lambda: http_get(ports["web"]), 10)


def test_execute_runs_a_command_on_every_machine(cluster):
    r = deploy(cluster, str(write_deploy(cluster)), "-x", "--", "sh", "-c", "echo root=$SCHEMY_ROOT")
    assert r.returncode == 0, r.stdout + r.stderr
    for n in cluster["nodes"].values():
        assert f"{n.name}| root={n.root}" in r.stdout


def test_bad_host_key_and_unreachable_machine_fail_alone(cluster):
    nodes = cluster["nodes"]
    dead = free_port()
    path = write_deploy(cluster, "broken.scm", keys={"node2": nodes["web"].host_key},
                        ports={"web": dead})
    r = deploy(cluster, str(path))
    assert r.returncode == 1
    s = summary(r)
    assert s["node1"] == "unchanged: generation 1"
    assert s["node2"] == (f"failed: refused: the host key of root@127.0.0.1:{nodes['node2'].port} has CHANGED, "
                          "it does not match the host-key field (someone may be impersonating the machine)")
    assert s["web"] == f"failed: unreachable: root@127.0.0.1:{dead}: connection refused"
    assert "2 of 3 machine(s) failed" in r.stderr
    assert "Traceback" not in r.stdout + r.stderr


def test_unknown_host_key_and_wrong_system_type_are_refused(cluster):
    other = "aarch64" if platform.machine() != "aarch64" else "x86_64"
    path = write_deploy(cluster, "unknown.scm", only=("node1", "node2"), keys={"node2": None},
                        systems={"node1": f"{other}-linux"})
    r = deploy(cluster, str(path))
    assert r.returncode == 1
    s = summary(r)
    assert s["node2"].startswith(
        f"failed: refused: the host key of root@127.0.0.1:{cluster['nodes']['node2'].port} is unknown")
    assert s["node1"] == (f"failed: refused: the machine is {platform.machine()}, not {other} as its system "
                          f"field '{other}-linux' says (safety-checks? is #t)")
    assert cluster["nodes"]["node1"].generation() == 1


def test_deploy_into_another_root_on_the_target(cluster):
    node1 = cluster["nodes"]["node1"]
    alt = node1.dir / "alt-root"
    ports = {"noded1": free_port(), "masterd": free_port()}
    path = write_deploy(cluster, "alt.scm", only=("node1",), service_ports=ports)
    try:
        # a dry run of a system built here: its items are sent (inert), nothing is switched or started
        dry = deploy(cluster, "--dry-run", "--root", str(alt), str(path))
        assert dry.returncode == 0, dry.stdout + dry.stderr
        assert summary(dry)["node1"].startswith("would-change: new system: "), dry.stdout
        assert re.search(r"^node1: sent [1-9]\d* of \d+ store item\(s\)", dry.stdout, re.M), dry.stdout
        assert not (alt / "current-system").exists() and not Client(alt, timeout=10).alive()
        r = deploy(cluster, "--root", str(alt), str(path))
        assert r.returncode == 0, r.stdout + r.stderr
        assert summary(r) == {"node1": "changed: generation 1"}
        assert "node1: sent 0 of " in r.stdout  # the dry run sent them
        assert os.readlink(alt / "current-system" / "system").startswith(f"{alt}/store/")
        running = {s["provision"][0] for s in Client(alt, timeout=10).request("status").get("services", [])
                   if s.get("status") == "running"}
        assert running >= {"ganeti-noded", "ganeti-masterd"}
        assert wait_for(lambda: http_get(ports["masterd"], "/index.html"), 10) == "hello from schemy deploy\n"
        assert node1.generation() == 1  # the default root is untouched
        again = deploy(cluster, "--root", str(alt), str(path))
        assert summary(again) == {"node1": "unchanged: generation 1"} and "node1: sent 0 of" in again.stdout
    finally:
        client = Client(alt, timeout=10)
        if client.alive():
            client.stop_root()
        kill_strays(str(alt))

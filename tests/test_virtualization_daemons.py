"""(gnu services virtualization) against the real programs: libvirtd, virtlogd, qemu-ga, binfmt_misc.

The files and command lines the services generate are given to the daemons Debian installs
(libvirt-daemon, libvirt-clients, qemu-guest-agent), which must accept them and apply the
configured values, as system instances in a root's view (its own /run, /var and accounts:
whatever daemons or accounts the host has).  qemu-binfmt registers its platforms in a private binfmt_misc instance of a
user namespace (Linux >= 6.7), never in the host's.  Each test is skipped, with the reason, when
what it needs is missing; every process a test starts is stopped by a finalizer.
"""

from __future__ import annotations

import grp
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.guix.gexp import CURRENT_STORE
from schemy.guix.store import Store
from schemy.lang.datum import Keyword, Symbol, list_to_python, to_str
from schemy.runtime.parameters import parameterized

ROOT = Path(__file__).resolve().parent.parent

PRELUDE = """
(use-modules (guix gexp) (gnu services) (gnu services shepherd) (gnu services virtualization))

(define (extension-value type target value)
  (let ((ext (find (lambda (e) (eq? (service-extension-target e) target))
                   (service-type-extensions type))))
    ((service-extension-compute ext) value)))

(define (the-shepherd-service type value)
  (car (extension-value type shepherd-root-service-type value)))
"""


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    i.eval_string(PRELUDE, "prelude.scm")
    return i


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "store")
    with parameterized([(CURRENT_STORE, s)]):
        yield s


@pytest.fixture()
def processes():
    """Processes to stop at the end of the test, whatever happens."""
    started: list[subprocess.Popen | int] = []
    yield started
    for p in started:
        pid = p if isinstance(p, int) else p.pid
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        if isinstance(p, subprocess.Popen):
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        else:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
                time.sleep(0.05)


def forkexec_of(interp, type_name: str, config: str) -> tuple[list[str], dict]:
    """The command and keyword options of the service's make-forkexec-constructor start."""
    data = list_to_python(interp.eval_string(
        f"(lower-gexp (shepherd-service-start (the-shepherd-service {type_name} {config})))", "test.scm"))
    assert data[0] == Symbol("make-forkexec-constructor")
    command = [to_str(x) for x in list_to_python(data[1])[1:]]  # (list PROGRAM ARG...)
    options = {}
    rest = data[2:]
    for key, value in zip(rest[::2], rest[1::2]):
        assert isinstance(key, Keyword)
        items = list_to_python(value) if not isinstance(value, str) else value
        options[key.name] = [to_str(x) for x in items[1:]] if isinstance(items, list) else to_str(value)
    return command, options


# The Debian package of each program these tests run (.ci/run installs them all).
DEBIAN_PACKAGES = {"/usr/sbin/libvirtd": "libvirt-daemon", "/usr/bin/virsh": "libvirt-clients",
                   "/usr/sbin/virtlogd": "libvirt-daemon", "/usr/bin/virt-admin": "libvirt-clients",
                   "/usr/sbin/qemu-ga": "qemu-guest-agent"}


def need_program(path: str) -> None:
    if not os.access(path, os.X_OK):
        pytest.skip(f"{path} is not installed: apt-get install {DEBIAN_PACKAGES[path]}")


def need_root(why: str) -> None:
    if os.geteuid() != 0:
        pytest.skip(f"needs root: {why}")


# The system the daemons run in: a root's view (schemy.shepherd.namespace), whose /run, /var
# and /etc are the root's.  Its accounts are the chapter's (the libvirt group, the
# libvirt-qemu user Debian's libvirtd runs QEMU as) whatever the host has, and a libvirtd or
# virtlogd already running on the host does not meet the test's.
VIEW_PASSWD = "root:x:0:0:root:/root:/bin/sh\nlibvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin\n"
VIEW_GROUP = "root:x:0:\nkvm:x:64054:libvirt-qemu\nlibvirt:x:64053:\nlibvirt-qemu:x:64055:libvirt-qemu\n"


@pytest.fixture()
def view(tmp_path):
    """The test runs in the view of a root declaring the chapter's accounts (root only: a
    daemon's system instance)."""
    from schemy.shepherd import namespace

    need_root("the daemons' system instances run in a root's view")
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "passwd").write_text(VIEW_PASSWD)
    (root / "etc" / "group").write_text(VIEW_GROUP)
    (root / "etc" / "shadow").write_text("root:!:1::::::\nlibvirt-qemu:!:1::::::\n")
    os.chmod(root / "etc" / "shadow", 0o600)
    with namespace.transient_view(root, keep=[tmp_path]):
        yield root


def wait_for(predicate, what: str, timeout: float = 10.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if process is not None and process.poll() is not None:
            pytest.fail(f"the daemon exited with status {process.returncode} before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def run(*command: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr
    return result.stdout


def clients_info(uri: str, server: str, process: subprocess.Popen | None = None) -> dict[str, str]:
    """`virt-admin srv-clients-info` of SERVER, once the daemon answers."""
    answer: dict[str, str] = {}

    def ask() -> bool:
        result = subprocess.run(["virt-admin", "-c", uri, "srv-clients-info", server],
                                capture_output=True, text=True, timeout=20)
        answer.update((k.strip(), v.strip()) for k, _, v in
                      (line.partition(":") for line in result.stdout.splitlines() if ":" in line))
        return result.returncode == 0 and "nclients_max" in answer

    wait_for(ask, f"virt-admin to answer for {server}", process=process)
    return answer


def run_activation(interp, type_name: str, config: str) -> None:
    """Run what the service adds to the system's activation, as the backend would."""
    text = to_str(interp.eval_string(
        f"(gexp->string (extension-value {type_name} activation-service-type {config}))", "test.scm"))
    interp.eval_string("(use-modules (guix build utils))\n" + text, "activation.scm")


# ---------------------------------------------------------------------------- libvirtd

@pytest.fixture()
def libvirtd_config(tmp_path, view):
    need_program("/usr/sbin/libvirtd")
    need_program("/usr/bin/virsh")
    sockets = tmp_path / "sockets"
    # The chapter's group "libvirt", which only the view's /etc/group has.
    return sockets, f"""(libvirt-configuration
                          (unix-sock-dir "{sockets}")
                          (unix-sock-group "libvirt")
                          (max-clients 4321)
                          (max-anonymous-clients 17)
                          (tls-port "16555"))"""


def test_libvirtd_accepts_the_generated_configuration(interp, store, tmp_path, processes, libvirtd_config):
    sockets, config = libvirtd_config
    run_activation(interp, "libvirt-service-type", config)
    assert sockets.is_dir()
    command, options = forkexec_of(interp, "libvirt-service-type", config)
    assert command[0].endswith("/sbin/libvirtd") and command[1] == "-f"
    assert os.path.realpath(command[0]) == "/usr/sbin/libvirtd"
    env = dict(item.split("=", 1) for item in options["environment-variables"])
    log = open(tmp_path / "libvirtd.log", "w")
    daemon = subprocess.Popen([*command, "-p", str(tmp_path / "libvirtd.pid")], env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    processes.append(daemon)
    sock = sockets / "libvirt-sock"
    wait_for(sock.exists, "libvirt-sock", process=daemon)
    assert grp.getgrgid(sock.stat().st_gid).gr_name == "libvirt"  # the view's group
    assert sock.stat().st_gid == 64053
    uri = f"qemu:///system?socket={sock}"
    assert run("virsh", "-c", uri, "uri").strip() == uri
    values = clients_info(f"libvirtd:///system?socket={sockets}/libvirt-admin-sock", "libvirtd", daemon)
    assert int(values["nclients_max"]) == 4321
    assert int(values["nclients_unauth_max"]) == 17
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(10) == 0
    assert not sock.exists()


def test_libvirtd_runs_under_the_service_manager(interp, store, tmp_path, libvirtd_config):
    from schemy.shepherd.manager import ServiceManager
    from schemy.system.build import render_shepherd_config, render_shepherd_service

    sockets, config = libvirtd_config
    run_activation(interp, "libvirt-service-type", config)
    svc = interp.eval_string(f"(the-shepherd-service libvirt-service-type {config})", "test.scm")
    # libvirtd requires dbus-system (as in Guix); the host's own bus stands for it here.
    bus = interp.eval_string("(shepherd-service (provision '(dbus-system)) (start #~(const #t)))", "test.scm")
    shepherd = tmp_path / "shepherd.scm"
    shepherd.write_text(render_shepherd_config([render_shepherd_service(bus, store, {"dbus-system"}),
                                                render_shepherd_service(svc, store, set())]))
    manager = ServiceManager(tmp_path / "root")
    manager.run()
    try:
        manager.register(manager.load_config(shepherd).services)
        manager.start("libvirtd")
        sock = sockets / "libvirt-sock"
        wait_for(sock.exists, "libvirt-sock")
        uri = f"qemu:///system?socket={sock}"
        assert run("virsh", "-c", uri, "uri").strip() == uri
        manager.stop("libvirtd")
        assert not manager.lookup("libvirtd").running
        wait_for(lambda: not sock.exists(), "libvirtd to remove its socket")
    finally:
        manager.shutdown()


def test_libvirtd_rejects_what_the_configuration_types_prevent(tmp_path, libvirtd_config):
    # The other side of the format: a quoted number where libvirtd wants an integer is refused,
    # which is why the configuration checks max-clients is an integer.
    sockets, _ = libvirtd_config
    sockets.mkdir()
    conf = tmp_path / "bad.conf"
    conf.write_text(f'unix_sock_dir = "{sockets}"\nunix_sock_group = "root"\nmax_clients = "5000"\n')
    result = subprocess.run(["/usr/sbin/libvirtd", "-f", str(conf), "-p", str(tmp_path / "pid")],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode != 0
    assert "expected an unsigned integer for 'max_clients' parameter" in result.stderr


# ---------------------------------------------------------------------------- virtlogd

def test_virtlogd_accepts_the_chapters_example_configuration(interp, store, tmp_path, processes, view):
    # virtlogd's system instance listens on /run/libvirt/virtlogd-sock: the view's.
    need_program("/usr/sbin/virtlogd")
    need_program("/usr/bin/virt-admin")
    command, _ = forkexec_of(interp, "virtlog-service-type", "(virtlog-configuration (max-clients 1000))")
    assert os.path.realpath(command[0]) == "/usr/sbin/virtlogd" and command[1] == "-f"
    assert "max_clients = 1000" in Path(command[2]).read_text().splitlines()
    log = open(tmp_path / "virtlogd.log", "w")
    daemon = subprocess.Popen([*command, "-p", str(tmp_path / "virtlogd.pid")], stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    processes.append(daemon)
    values = clients_info("virtlogd:///system", "virtlogd", daemon)
    assert int(values["nclients_max"]) == 1000
    assert (view / "run" / "libvirt" / "virtlogd-sock").exists()  # the root's /run, not the host's
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(10) == 0


# ---------------------------------------------------------------------------- qemu-ga

def guest_agent_call(path: Path, command: str) -> dict:
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(5)
        s.connect(str(path))
        s.sendall(json.dumps({"execute": command}).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    return json.loads(data)


def test_qemu_guest_agent_answers_on_the_configured_device(interp, store, tmp_path, processes):
    need_program("/usr/sbin/qemu-ga")
    sock = tmp_path / "qga.sock"
    command, options = forkexec_of(interp, "qemu-guest-agent-service-type",
                                   f'(qemu-guest-agent-configuration (device "{sock}"))')
    assert os.path.realpath(command[0]) == "/usr/sbin/qemu-ga"
    assert command[1:] == ["--statedir", "/var/run", "--path", str(sock)]
    assert options["log-file"] == "/var/log/qemu-ga.log" and "pid-file" not in options
    # Adapted for a host without a VM: a socket instead of the virtio port, state in tmp_path.
    # The agent stays in the foreground, as under shepherd.
    adapted = [arg.replace("/var/run", str(tmp_path)) for arg in command] + ["--method=unix-listen"]
    proc = subprocess.Popen(adapted, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    processes.append(proc)
    wait_for(sock.exists, "qemu-ga", process=proc)
    pid = proc.pid
    assert guest_agent_call(sock, "guest-ping") == {"return": {}}
    assert "host-name" in guest_agent_call(sock, "guest-get-host-name")["return"]
    os.kill(pid, signal.SIGTERM)
    proc.wait(10)


def test_qemu_guest_agent_with_a_missing_device_fails(interp, store, tmp_path):
    need_program("/usr/sbin/qemu-ga")
    command, _ = forkexec_of(interp, "qemu-guest-agent-service-type",
                             f'(qemu-guest-agent-configuration (device "{tmp_path}/missing"))')
    log = tmp_path / "qemu-ga.log"
    command = [a.replace("/var/run", str(tmp_path)) for a in command] + [f"--logfile={log}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=20)
    assert result.returncode == 1
    assert "error opening channel" in log.read_text() + result.stderr


# ---------------------------------------------------------------------------- binfmt_misc

def private_binfmt_misc_available() -> str | None:
    """Why a private binfmt_misc instance cannot be had here, or None."""
    if shutil.which("unshare") is None:
        return "unshare is not installed: apt-get install util-linux"
    release = platform.release().split("-")[0].split(".")
    if tuple(int(x) for x in release[:2] if x.isdigit()) < (6, 7):
        return f"Linux {platform.release()} has no per-user-namespace binfmt_misc (needs 6.7)"
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                            "mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && "
                            "test -e /proc/sys/fs/binfmt_misc/register"], capture_output=True)
    if probe.returncode != 0:
        return "cannot mount binfmt_misc in a user namespace: " + probe.stderr.decode().strip()
    return None


def test_qemu_binfmt_registers_and_unregisters_in_a_private_binfmt_misc(interp, store, tmp_path):
    why = private_binfmt_misc_available()
    if why:
        pytest.skip(why)
    emulators = tmp_path / "emulators"
    (emulators / "bin").mkdir(parents=True)
    for arch in ("arm", "aarch64"):
        program = emulators / "bin" / f"qemu-{arch}"
        program.write_text(f'#!/bin/sh\necho "qemu-{arch} ran:" "$@"\n')
        program.chmod(0o755)
    interp.eval_string(f'(define fake-qemu-user (local-file "{emulators}" "qemu-user" #:recursive? #t))',
                       "test.scm")
    config = ('(qemu-binfmt-configuration (qemu fake-qemu-user) '
              '(platforms (lookup-qemu-platforms "arm" "aarch64")))')
    item = to_str(interp.eval_string("(lower-object fake-qemu-user)", "test.scm"))
    for action in ("start", "stop"):
        service = f"(the-shepherd-service qemu-binfmt-service-type {config})"
        text = to_str(interp.eval_string(f"(gexp->string (shepherd-service-{action} {service}))", "test.scm"))
        (tmp_path / f"{action}.scm").write_text(f"(write ({text}))\n(newline)\n")
    # An "ARM program": the ELF header the arm entry matches, nothing else.
    arm_program = tmp_path / "arm-program"
    header = [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0] + [0] * 8 + [2, 0, 0x28, 0]
    arm_program.write_bytes(bytes(header) + bytes(64))
    arm_program.chmod(0o755)
    schemy = f"{sys.executable} -m schemy run"
    binfmt = "/proc/sys/fs/binfmt_misc"
    script = (f"mount -t binfmt_misc binfmt_misc {binfmt} && "
              f"{schemy} {tmp_path}/start.scm && "
              f"echo '--- arm' && cat {binfmt}/qemu-arm && "
              f"echo '--- aarch64' && cat {binfmt}/qemu-aarch64 && "
              f"echo '--- run' && {arm_program} one two && "
              f"echo '--- stop' && {schemy} {tmp_path}/stop.scm && "
              f"echo '--- left' && ls {binfmt}")
    env = {k: v for k, v in os.environ.items() if k != "SCHEMY_BINFMT_MISC"}
    result = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    sections = dict(part.split("\n", 1) for part in result.stdout.split("--- ")[1:])
    arm = sections["arm"].splitlines()
    assert arm[:3] == ["enabled", f"interpreter {item}/bin/qemu-arm", "flags: PF"]
    assert "magic 7f454c4601010100000000000000000002002800" in arm
    assert "mask ffffffffffffff00fffffffffffffffffeffffff" in arm
    assert f"interpreter {item}/bin/qemu-aarch64" in sections["aarch64"]
    assert sections["run"].strip() == f"qemu-arm ran: {arm_program} {arm_program} one two"
    assert sections["left"].split() == ["register", "status"]
    assert result.stdout.splitlines()[0] == "#t"


def arm_exit_program(status: int) -> bytes:
    """A static 32-bit ARM Linux executable doing exit(STATUS): ELF header, one segment, 3 instructions."""
    import struct

    base, code_offset = 0x10000, 52 + 32
    code = struct.pack("<3I", 0xE3A00000 | status, 0xE3A07001, 0xEF000000)  # mov r0, #S; mov r7, #1; svc 0
    size = code_offset + len(code)
    header = (b"\x7fELF\x01\x01\x01" + bytes(9)
              + struct.pack("<HHIIIIIHHHHHH", 2, 40, 1, base + code_offset, 52, 0, 0x5000000,
                            52, 32, 1, 40, 0, 0))
    segment = struct.pack("<8I", 1, 0, base, base, size, size, 5, 0x1000)
    return header + segment + code


def test_qemu_binfmt_runs_an_arm_program_with_the_real_emulator(interp, store, tmp_path):
    if not os.access("/usr/bin/qemu-arm-static", os.X_OK):
        pytest.skip("qemu-user-static is not installed: apt-get install qemu-user-static")
    why = private_binfmt_misc_available()
    if why:
        pytest.skip(why)
    config = '(qemu-binfmt-configuration (platforms (lookup-qemu-platforms "arm")))'
    service = f"(the-shepherd-service qemu-binfmt-service-type {config})"
    text = to_str(interp.eval_string(f"(gexp->string (shepherd-service-start {service}))", "test.scm"))
    (tmp_path / "start.scm").write_text(f"({text})\n")
    program = tmp_path / "arm-exit"
    program.write_bytes(arm_exit_program(42))
    program.chmod(0o755)
    script = (f"mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && "
              f"{sys.executable} -m schemy run {tmp_path}/start.scm && "
              f"{{ {program}; echo \"exit status $?\"; }}")
    env = {k: v for k, v in os.environ.items() if k != "SCHEMY_BINFMT_MISC"}
    result = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "exit status 42"

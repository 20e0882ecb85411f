"""(gnu machine) and (gnu machine ssh): the records a deployment file is made of, with the
defaults of the Guix manual ("Invoking guix deploy"), and the errors `schemy deploy' gives
for a file that is not a list of machines (no machine is contacted in these tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.deploy.machines import load_machines
from schemy.lang.errors import SchemeError, render_error

SCHEMY = str(Path(sys.executable).with_name("schemy"))

OS = """(use-modules (gnu) (gnu machine) (gnu machine ssh))
(define os (operating-system
  (host-name "n1")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))))
"""


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


def ev(interp, text: str):
    from schemy.lang.printer import write_string

    return write_string(interp.run_protected(lambda: interp.eval_string(OS + text, "t.scm")))


def test_machine_ssh_configuration_defaults_are_the_manuals(interp):
    shown = ev(interp, """(let ((c (machine-ssh-configuration (host-name "h") (system "x86_64-linux"))))
  (list (machine-ssh-configuration-port c) (machine-ssh-configuration-user c)
        (machine-ssh-configuration-identity c) (machine-ssh-configuration-host-key c)
        (machine-ssh-configuration-build-locally? c) (machine-ssh-configuration-authorize? c)
        (machine-ssh-configuration-allow-downgrades? c) (machine-ssh-configuration-safety-checks? c)))""")
    assert shown == '(22 "root" #f #f #t #t #f #t)'


def test_machine_configuration_defaults_to_false(interp):
    shown = ev(interp, """(let ((m (machine (operating-system os) (environment managed-host-environment-type))))
  (list (machine-configuration m) (machine-display-name m)
        (environment-type-name (machine-environment m))))""")
    assert shown == '(#f "n1" managed-host)'


def test_host_name_is_required(interp):
    with pytest.raises(SchemeError) as e:
        ev(interp, '(machine-ssh-configuration (system "x86_64-linux"))')
    assert "host-name" in render_error(e.value)


def test_bad_port_is_reported_at_the_form(interp):
    with pytest.raises(SchemeError) as e:
        ev(interp, '(machine-ssh-configuration (host-name "h") (system "x86_64-linux") (port "22"))')
    assert render_error(e.value).startswith("t.scm:7:0: error: machine-ssh-configuration: invalid value \"22\" "
                                            "for field 'port'")


def test_bad_system_type_is_rejected(interp):
    with pytest.raises(SchemeError) as e:
        ev(interp, '(machine-ssh-configuration (host-name "h") (system "x86_64"))')
    assert "field 'system'" in render_error(e.value)


def test_machine_needs_an_operating_system_record(interp):
    with pytest.raises(SchemeError) as e:
        ev(interp, "(machine (operating-system 42) (environment managed-host-environment-type))")
    assert "operating-system must be an operating-system record, not 42" in render_error(e.value)


def test_deployment_file_must_return_a_list_of_machines(tmp_path):
    path = tmp_path / "d.scm"
    path.write_text(OS + "(values os)\n")
    interp = Interpreter()
    with pytest.raises(SchemeError) as e:
        interp.run_protected(lambda: load_machines(interp, str(path)))
    assert render_error(e.value).startswith(f"{path}:7:0: error: the deployment file returns #<operating-system n1>")


def test_machine_without_ssh_configuration_is_reported(tmp_path):
    path = tmp_path / "d.scm"
    path.write_text(OS + "(list (machine (operating-system os) (environment managed-host-environment-type)))\n")
    r = subprocess.run([SCHEMY, "deploy", str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr.startswith(f"{path}:7:0: error: machine 1: its configuration is #f, "
                               "not a machine-ssh-configuration")
    assert "Traceback" not in r.stderr


def test_deployment_file_is_read_into_machine_fields(tmp_path):
    path = tmp_path / "d.scm"
    path.write_text(OS + """(list (machine (operating-system os) (environment managed-host-environment-type)
  (configuration (machine-ssh-configuration (host-name "10.0.0.1") (system "aarch64-linux") (port 2222)
                  (user "alice") (identity "~/.ssh/id") (host-key "ssh-ed25519 AAAA")))))
""")
    interp = Interpreter()
    [m] = interp.run_protected(lambda: load_machines(interp, str(path)))
    assert (m.name, m.ssh.host_name, m.ssh.system, m.ssh.port, m.ssh.user, m.ssh.identity, m.ssh.host_key) == (
        "n1", "10.0.0.1", "aarch64-linux", 2222, "alice", "~/.ssh/id", "ssh-ed25519 AAAA")
    assert m.label == "n1 (alice@10.0.0.1:2222)"


def test_execute_needs_a_command():
    r = subprocess.run([SCHEMY, "deploy", "x.scm", "-x"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "-x/--execute needs a command" in r.stderr


def test_a_machine_whose_system_does_not_build_fails_alone_at_the_files_location(tmp_path):
    path = tmp_path / "d.scm"
    path.write_text(OS + """(define broken (operating-system (inherit os) (host-name "n2")
  (services (cons (simple-service 'bad etc-service-type (list (list "../escape" (plain-file "x" "y"))))
                  %base-services))))
(list (machine (operating-system broken) (environment managed-host-environment-type)
        (configuration (machine-ssh-configuration (host-name "127.0.0.1") (system "x86_64-linux")
                         (port 1) (build-locally? #f)))))
""")
    r = subprocess.run([SCHEMY, "deploy", "d.scm"], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.splitlines()[-1].startswith("n2: failed: the local build failed: d.scm:8:")
    assert "invalid /etc entry name" in r.stdout
    r = subprocess.run([SCHEMY, "deploy", str(path)], capture_output=True, text=True, timeout=60)
    assert r.stdout.splitlines()[-1].startswith(f"n2: failed: the local build failed: {path}:8:")

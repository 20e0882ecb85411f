"""(gnu services virtualization) fields schemy lacked and Guix has: libvirt's dmidecode,
requirement and firmwares (/etc/qemu/firmware), hurd-vm's type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from services_more import build_services, by_provision

from schemy.lang.errors import SchemeError, render_error


def test_libvirt_requirement_firmwares_and_dmidecode(tmp_path):
    fw = tmp_path / "fw"
    (fw / "share/qemu/firmware").mkdir(parents=True)
    (fw / "share/qemu/firmware/60-test.json").write_text(json.dumps({"description": "t"}))
    built = build_services(tmp_path, "(gnu services virtualization)", f"""
(service libvirt-service-type
         (libvirt-configuration
          (requirement '(dbus-system networking))
          (firmwares (list (local-file "{fw}" "fw" #:recursive? #t)))))""")
    assert by_provision(built)["libvirtd"].requirement == ["dbus-system", "networking"]
    firmware = Path(built.etc["qemu/firmware"])
    assert json.loads((firmware / "60-test.json").read_text()) == {"description": "t"}


def test_hurd_vm_type_is_checked_as_guix_does(tmp_path):
    from schemy.app import Interpreter

    i = Interpreter()
    assert str(i.eval_string("(use-modules (gnu services virtualization))"
                             "((@@ (gnu services virtualization) hurd-vm-configuration-type)"
                             " (hurd-vm-configuration (type 'hurd64-qcow2)))",
                             "test.scm")) == "hurd64-qcow2"
    with pytest.raises(SchemeError) as info:
        i.eval_string("(hurd-vm-configuration (type 'hurd-iso))", "test.scm")
    assert "hurd-vm: 'hurd-iso' is not a valid type" in render_error(info.value)

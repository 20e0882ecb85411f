"""(gnu services lirc): lircd with the device, driver, configuration file and options given."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, ev, system_check
from service_modules import missing_exports, os_config

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


def test_lirc_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu services lirc") == []


def test_lircd_gets_guixs_command_line(tmp_path):
    config = os_config(tmp_path, "(gnu services lirc)", """
        (service lirc-service-type
                 (lirc-configuration (device "/dev/lirc0") (driver "default")
                                     (config-file "/etc/lirc/lircd.conf") (extra-options '("--allow-simulate"))))""")
    r = system_check(config)
    assert r.returncode == 0, r.stdout + r.stderr
    built = build_config(config, tmp_path / "store")
    info = next(s for s in built.shepherd if "lircd" in s.provision)
    assert ('"--nodaemon" "--device" "/dev/lirc0" "--driver" "default" "/etc/lirc/lircd.conf"'
            ' "--allow-simulate"') in info.text
    assert "/var/run/lirc" in Path(built.activation_file).read_text()


def test_deprecated_lirc_service_procedure_makes_the_service(interp):
    assert ev(interp, "(use-modules (gnu services lirc) (gnu services))"
                      " (eq? (service-kind (lirc-service #:device \"/dev/lirc1\")) lirc-service-type)") is True
    assert ev(interp, "(lirc-configuation? (lirc-configuration))") is True

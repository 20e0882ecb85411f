"""(gnu services dav): Xandikos with the command line Guix gives it."""

from __future__ import annotations

import pytest
from helpers import build_config, ev, system_check
from service_modules import missing_exports, os_config

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    i = Interpreter()
    ev(i, "(use-modules (gnu services dav))")
    return i


def test_dav_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu services dav") == []


def test_xandikos_default_arguments_are_guixs(interp):
    assert list(ev(interp, "(xandikos-arguments (xandikos-configuration))")) == [
        "--listen-address", "127.0.0.1", "--port", "8080", "-d", "/var/xandikos/dav",
        "--route-prefix", "/", "--current-user-principal", "/user/", "--defaults"]


def test_xandikos_flags_come_in_guixs_order(interp):
    assert list(ev(interp, """(xandikos-arguments
                               (xandikos-configuration (port 5232) (dump? #t) (avahi? #t) (autocreate? #t)
                                                       (defaults? #f) (no-strict? #t)))"""))[-4:] == [
        "--dump-dav-xml", "--avahi", "--autocreate", "--no-strict"]


def test_xandikos_port_is_checked(interp):
    with pytest.raises(Exception, match="port"):
        ev(interp, "(xandikos-configuration (port 70000))")


def test_xandikos_system_checks_and_builds(tmp_path):
    config = os_config(tmp_path, "(gnu services dav)",
                       '(service xandikos-service-type (xandikos-configuration (directory "/srv/dav")))')
    r = system_check(config)
    assert r.returncode == 0, r.stdout + r.stderr
    built = build_config(config, tmp_path / "store")
    info = next(s for s in built.shepherd if "xandikos" in s.provision)
    assert "/bin/xandikos" in info.text and '"/srv/dav"' in info.text

"""(gnu services desktop): SANE with sane-configuration (udev rules, scanner group, search paths in
the backends' union), KWallet's PAM entries and iio-sensor-proxy."""

from __future__ import annotations

from pathlib import Path

import pytest
from services_more import build_services, by_provision, command_line, start_of

SERVICES = """
(service sane-service-type)
(service kwallet-service-type (kwallet-configuration (pam-services '(("login" . login) ("passwd" . passwd)))))
(service iio-sensor-proxy-service-type)
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_services(tmp_path_factory.mktemp("desktop"), "(gnu services desktop)", SERVICES)


def test_sane_gives_the_scanner_group_and_its_search_paths(built):
    assert "scanner" in str(built.accounts)
    env = Path(built.etc["environment"]).read_text()
    assert "SANE_CONFIG_DIR=" in env and env.count("-sane-backends/") >= 2
    assert "/etc/sane.d" in env and "/lib/sane" in env


def test_kwallet_adds_pam_kwallet5_to_login_and_passwd(built):
    login = Path(built.etc["pam.d/login"]).read_text()
    assert "auth optional " in login and "/lib/security/pam_kwallet5.so" in login
    assert login.rstrip().endswith("/lib/security/pam_kwallet5.so auto_start")
    passwd = Path(built.etc["pam.d/passwd"]).read_text()
    assert "password optional " in passwd and "pam_kwallet5.so" in passwd
    assert "pam_kwallet5" not in Path(built.etc["pam.d/su"]).read_text()


def test_iio_sensor_proxy_runs_its_daemon(built):
    argv = command_line(start_of(built, "iio-sensor-proxy"))
    assert argv == [argv[0]] and argv[0].endswith("/libexec/iio-sensor-proxy")
    assert by_provision(built)["iio-sensor-proxy"].requirement == ["user-processes", "dbus-system", "udev"]


def test_fontconfig_and_gdm_tmpfs_are_mounted_as_the_hosts(tmp_path):
    built = build_services(tmp_path, "(gnu services desktop)",
                           "fontconfig-file-system-service gdm-file-system-service")
    fonts = by_provision(built)["file-system-/var/cache/fontconfig"]
    assert fonts.host_provided
    assert "file-system-/var/lib/gdm" in by_provision(built)
    fstab = Path(built.etc["fstab"]).read_text()
    assert "/var/cache/fontconfig" not in fstab  # tmpfs: a pseudo file system, not in fstab (Guix)


def test_gnome_desktop_configuration_has_guixs_accessors_and_keyring():
    from schemy.app import Interpreter
    from schemy.lang.printer import write_string

    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services desktop))
           (let ((c (gnome-desktop-configuration (udev-ignorelist '("90-x")))))
             (list (gnome-desktop-configuration-udev-ignorelist c)
                   (gnome-keyring-configuration? (gnome-desktop-configuration-keyring c))
                   (gnome-desktop-configuration-keyring (gnome-desktop-configuration (keyring #f)))))""",
        "t.scm")))
    assert out == '(("90-x") #t #f)'


def test_sugar_desktop_adds_its_packages(tmp_path):
    built = build_services(tmp_path, "(gnu services desktop)", "(service sugar-desktop-service-type)")
    names = [Path(p).name for p in built.extras["packages"]]
    assert any(n.endswith("-sugar-" + n.rsplit("-", 1)[-1]) and n.split("-", 1)[1].startswith("sugar-")
               for n in names)
    assert any("-sugar-help-activity-" in n for n in names) and any("-gobject-introspection-" in n for n in names)

"""(gnu services vnc): Xvnc with the command line Guix derives from xvnc-configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, ev, system_check
from service_modules import missing_exports, os_config

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()




def test_vnc_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu services vnc") == []


def test_xvnc_system_builds_with_guixs_default_command_line(tmp_path):
    config = os_config(tmp_path, "(gnu services vnc)", "(service xvnc-service-type)")
    r = system_check(config)
    assert r.returncode == 0, r.stdout + r.stderr
    built = build_config(config, tmp_path / "store")
    info = next(s for s in built.shepherd if "xvnc" in s.provision)
    assert "/bin/Xvnc" in info.text
    assert ('":0" "-geometry" "1024x768" "-depth" "24" "-UseIPv4" "-UseIPv6" "-FrameRate" "60"'
            ' "-SecurityTypes" "None" "-localhost" "-Log" "*:syslog:30"') in info.text
    assert '"xvnc"' in info.text and "xvnc" in str(built.accounts)


def test_xvnc_options_map_to_guixs_flags(tmp_path):
    config = os_config(tmp_path, "(gnu services vnc)", """
        (service xvnc-service-type
                 (xvnc-configuration (display-number 5) (port 5999) (ipv6? #f) (localhost? #f)
                                     (password-file "/etc/vncpasswd") (xdmcp? #t) (depth 16)
                                     (security-types '("VncAuth" "TLSVnc")) (log-level 100)
                                     (extra-options '("-AlwaysShared"))))""")
    built = build_config(config, tmp_path / "store")
    info = next(s for s in built.shepherd if "xvnc" in s.provision)
    assert ('":5" "-geometry" "1024x768" "-depth" "16" "-rfbport" "5999" "-UseIPv4"'
            ' "-PasswordFile" "/etc/vncpasswd" "-FrameRate" "60" "-SecurityTypes" "VncAuth,TLSVnc"'
            ' "-Log" "*:syslog:100" "-query" "localhost" "-once" "-AlwaysShared"') in info.text


def test_xvnc_rejects_a_depth_guix_rejects(interp):
    with pytest.raises(SchemeError, match="depth"):
        ev(interp, "(use-modules (gnu services vnc)) (xvnc-configuration (depth 8))")


def test_xvnc_inetd_mode_listens_and_starts_an_xvnc_per_connection(tmp_path):
    config = os_config(tmp_path, "(gnu services vnc)",
                       "(service xvnc-service-type (xvnc-configuration (inetd? #t) (ipv6? #f)))")
    built = build_config(config, tmp_path / "store")
    text = Path(built.shepherd_file).read_text()
    assert "(make-inetd-constructor (list " in text and '"-inetd"' in text
    assert "(make-socket-address AF_INET inaddr 5900)" in text and "(make-inetd-destructor)" in text
    assert '":0"' not in text  # no display of its own: one per connection

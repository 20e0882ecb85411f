"""(gnu services xorg): dconf profiles in /etc/dconf (profile, keyfile, compiled database) and
startx-command-service-type's startx (xinit running the configured X server)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from services_more import build_services

DCONF = """(service dconf-service-type
                   (list (dconf-profile
                          (name "gdm")
                          (keyfile (dconf-keyfile (name "00-login-screen")
                                                  (content '("[org/gnome/login-screen]"
                                                             "disable-user-list=true")))))
                         (dconf-profile
                          (name "alice")
                          (content '("user-db:user" "system-db:site"))
                          (keyfile (dconf-keyfile (name "01-site") (content '("[a/b]" "c=1")))))))"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not shutil.which("dconf"):
        pytest.skip("dconf is not installed: apt-get install dconf-cli")
    return build_services(tmp_path_factory.mktemp("dconf"), "(gnu services xorg)", DCONF)


def test_dconf_profile_defaults_to_the_user_and_system_databases(built):
    assert Path(built.etc["dconf/profile/gdm"]).read_text() == "user-db:gdm\nsystem-db:gdm\n"
    assert Path(built.etc["dconf/profile/alice"]).read_text() == "user-db:user\nsystem-db:site\n"


def test_dconf_keyfiles_and_compiled_databases(built):
    assert Path(built.etc["dconf/db/gdm.d/00-login-screen"]).read_text() == (
        "[org/gnome/login-screen]\ndisable-user-list=true\n")
    db = Path(built.etc["dconf/db/gdm"]).read_bytes()
    assert db.startswith(b"GVariant")


def test_startx_is_in_the_profile_and_runs_xinit_with_the_x_wrapper(tmp_path):
    built = build_services(tmp_path, "(gnu services xorg)", "(service startx-command-service-type)")
    items = [Path(p) for p in built.extras["packages"] if p.endswith("-startx-profile-package")]
    assert items, built.extras["packages"]
    startx = (items[0] / "bin" / "startx").resolve()
    text = startx.read_text()
    assert "/bin/xinit" in text and "X-wrapper" in text and '"-keeptty"' in text
    assert '"-logverbose" "-verbose" "-terminate"' in text and "/bin/mcookie" in text
    assert (Path(built.profile) / "bin" / "startx").exists()


def test_slim_has_guixs_auto_login_session_field():
    from schemy.app import Interpreter
    from schemy.lang.printer import write_string

    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services xorg))
           (list (slim-configuration-auto-login-session (slim-configuration))
                 (slim-configuration-auto-login-session (slim-configuration (auto-login-session "/bin/sh"))))""",
        "t.scm")))
    assert out == '(#f "/bin/sh")'

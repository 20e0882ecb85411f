"""(gnu home services secrets): Himitsu's config.ini as Guix's serializer writes it, extended by
the SSH agent's [ssh.remember] section, and the three user services."""

from __future__ import annotations

from pathlib import Path

import pytest
from service_modules import home_build, missing_exports

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


def init_of(built) -> str:
    return Path(next(p for n, p in built.files.items() if n.endswith("shepherd/init.scm"))).read_text()


def test_home_secrets_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu home services secrets") == []


def test_himitsu_ini_has_the_section_fields_and_extra_lines(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu home services secrets)", """
        (service home-himitsu-service-type
                 (home-himitsu-configuration (notify-reuse "notify-send used")
                                             (prompter (plain-file "p" ""))
                                             (extra-options '("a=1" "b=2"))))""")
    text = Path(built.files[".config/himitsu/config.ini"]).read_text()
    head, prompter, tail = text.partition("prompter=")
    assert head == "[himitsud]\nnotify-reuse=notify-send used\n"
    assert tail.endswith("-p\na=1\nb=2\n")
    assert built.shepherd_services == ["himitsud"]


def test_himitsu_ssh_extends_the_ini_before_its_extra_lines(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu home services secrets) (gnu home services desktop)", """
        (service home-dbus-service-type)
        (service home-himitsu-service-type
                 (home-himitsu-configuration (prompter (plain-file "p" "")) (extra-options '("x=1"))))
        (service home-himitsu-ssh-service-type
                 (home-himitsu-ssh-configuration (persist '(session 60)) (disclose '(refuse))))
        (service home-himitsu-secret-service-type)""")
    text = Path(built.files[".config/himitsu/config.ini"]).read_text()
    assert text.endswith("-p\n[ssh.remember]\npersist=session,60\ndisclose=refuse\n\nx=1\n")
    assert sorted(built.shepherd_services) == ["dbus", "himitsu-secret-service", "himitsu-ssh", "himitsud"]
    init = init_of(built)
    assert "/bin/hissh-agent" in init and "/bin/hisecrets-agent" in init
    env = (Path(built.path) / "setup-environment").read_text()
    assert "SSH_AUTH_SOCK=" in env and "hissh-agent" in env


def test_himitsu_ssh_defaults_are_guixs(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu home services secrets)", """
        (service home-himitsu-service-type (home-himitsu-configuration (prompter (plain-file "p" ""))))
        (service home-himitsu-ssh-service-type)""")
    text = Path(built.files[".config/himitsu/config.ini"]).read_text()
    assert text.endswith("-p\n[ssh.remember]\npersist=session,300,refuse\ndisclose=skip,session,300\n\n")

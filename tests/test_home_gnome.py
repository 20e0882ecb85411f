"""(gnu home services gnome): gcr-ssh-agent under the user's shepherd and SSH_AUTH_SOCK."""

from __future__ import annotations

from pathlib import Path

import pytest
from service_modules import home_build, missing_exports

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


def test_home_gnome_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu home services gnome") == []


def test_gcr_ssh_agent_runs_on_its_socket_and_sets_ssh_auth_sock(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu home services gnome)",
                       '(service home-gcr-ssh-agent-service-type'
                       ' (gcr-ssh-agent-configuration (log-file "/tmp/gcr.log")))')
    assert built.shepherd_services == ["gcr-ssh-agent"]
    init = Path(next(p for n, p in built.files.items() if n.endswith("shepherd/init.scm"))).read_text()
    assert "/libexec/gcr-ssh-agent" in init and '"/tmp/gcr.log"' in init and '"/ssh"' in init
    env = (Path(built.path) / "setup-environment").read_text()
    assert 'export SSH_AUTH_SOCK="${XDG_RUNTIME_DIR}/gcr/ssh"' in env


def test_gcr_log_file_defaults_to_the_users_log_directory(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu home services gnome)", "(service home-gcr-ssh-agent-service-type)")
    init = Path(next(p for n, p in built.files.items() if n.endswith("shepherd/init.scm"))).read_text()
    assert '(string-append %user-log-dir "/gcr-ssh-agent.log")' in init

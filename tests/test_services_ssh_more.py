"""(gnu services ssh) beyond OpenSSH: Endlessh, AutoSSH, WebSSH and the deprecated dropbear-service.

The expected files and command lines are those Guix's services give (gnu/services/ssh.scm):
endlessh_config's five lines without a final newline, autossh's AUTOSSH_* environment, wssh's
options.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from services_more import build_services, by_provision, command_line, start_of, store_file

from schemy.app import Interpreter
from schemy.lang.printer import write_string

SERVICES = """
(service endlessh-service-type (endlessh-configuration (port-number 2222) (max-clients 64)))
(service autossh-service-type
         (autossh-configuration (user "tunnel") (poll 120) (max-start 5) (port "20000")
                                (ssh-options (list "-T" "-N" "-R" "8022:localhost:22" "me@example.org"))))
(service webssh-service-type
         (webssh-configuration (address "127.0.0.1") (port 8888) (policy 'reject) (log-level 'debug)
                               (known-hosts '("localhost ssh-ed25519 AAAAC3Nza"))))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_services(tmp_path_factory.mktemp("ssh"), "(gnu services ssh)", SERVICES)


def test_endlessh_reads_its_five_settings_from_a_file_and_logs_to_syslog(built):
    start = start_of(built, "endlessh")
    argv = command_line(start)
    assert argv[0].endswith("/bin/endlessh") and argv[1] == "-f" and argv[3:] == ["-s"]
    conf = store_file(start, "-endlessh_config").read_text()
    assert conf == "Port 2222\nDelay 10000\nMaxLineLength 32\nMaxClients 64\nLogLevel 1"
    assert by_provision(built)["endlessh"].requirement == ["user-processes", "networking", "syslogd"]


def test_autossh_runs_ssh_options_as_its_user_with_the_autossh_environment(built):
    start = start_of(built, "autossh")
    argv = command_line(start)
    assert argv[0].endswith("/bin/autossh")
    assert argv[1:] == ["-T", "-N", "-R", "8022:localhost:22", "me@example.org"]
    assert '#:user "tunnel"' in start and '(passwd:gid (getpw "tunnel"))' in start
    assert '#:pid-file "/var/run/autossh/tunnel/pid"' in start
    assert '#:log-file "/var/run/autossh/tunnel/log"' in start
    env = start.split("#:environment-variables", 1)[1]
    assert [s.split("=", 1)[0] for s in re.findall(r'"([^"]*)"', env)] == [
        "AUTOSSH_PIDFILE", "AUTOSSH_LOGFILE", "AUTOSSH_POLL", "AUTOSSH_FIRST_POLL", "AUTOSSH_GATETIME",
        "AUTOSSH_LOGLEVEL", "AUTOSSH_MAXSTART", "AUTOSSH_MESSAGE", "AUTOSSH_PORT"]
    for var in ('"AUTOSSH_POLL=120"', '"AUTOSSH_FIRST_POLL=120"', '"AUTOSSH_GATETIME=30"',
                '"AUTOSSH_MAXSTART=5"', '"AUTOSSH_MESSAGE="', '"AUTOSSH_PORT=20000"'):
        assert var in env


def test_webssh_runs_wssh_with_its_options_as_webssh(built):
    start = start_of(built, "webssh")
    argv = command_line(start)
    assert argv[0].endswith("/bin/wssh")
    assert argv[1:] == ["--log-file-prefix=/var/log/webssh.log", "--logging=debug", "--policy=reject",
                        "--port=8888", "--address=127.0.0.1"]
    assert '#:user "webssh" #:group "webssh"' in start
    assert "webssh" in str(built.accounts)


def test_webssh_activation_writes_the_known_hosts_of_the_reject_policy(built):
    activation = Path(built.activation_file).read_text()
    assert '"/var/run/" "webssh" "/.ssh"' in activation or "/var/run/webssh/.ssh" in activation
    assert "localhost ssh-ed25519 AAAAC3Nza" in activation


def test_webssh_nginx_proxy_is_an_nginx_server():
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services ssh) (gnu services web))
           (nginx-server-configuration? %webssh-configuration-nginx)""", "t.scm")))
    assert out == "#t"


def test_default_endlessh_and_autossh_settings_are_guixs(tmp_path):
    built = build_services(tmp_path, "(gnu services ssh)",
                           "(service endlessh-service-type (endlessh-configuration (syslog-output? #f)))"
                           " (service autossh-service-type)")
    start = start_of(built, "endlessh")
    assert command_line(start)[2:] == [command_line(start)[2]]  # no -s
    assert store_file(start, "-endlessh_config").read_text() == (
        "Port 22\nDelay 10000\nMaxLineLength 32\nMaxClients 4096\nLogLevel 1")
    assert by_provision(built)["endlessh"].requirement == ["user-processes", "networking"]
    env = start_of(built, "autossh").split("#:environment-variables", 1)[1]
    assert '"AUTOSSH_POLL=600"' in env and '"AUTOSSH_MAXSTART=-1"' in env and '"AUTOSSH_PORT=0"' in env


def test_deprecated_dropbear_service_gives_the_dropbear_service():
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services) (gnu services ssh))
           (let ((s (dropbear-service (dropbear-configuration (port-number 1234)))))
             (list (service-type-name (service-kind s))
                   (dropbear-configuration-port-number (service-value s))))""", "t.scm")))
    assert out == "(dropbear 1234)"

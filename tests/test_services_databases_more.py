"""(gnu services databases): Memcached (Guix's memcached command line, account and pid directory)
and the PostgreSQL role records' fields Guix has (password-file, shepherd-requirement)."""

from __future__ import annotations

from pathlib import Path

import pytest
from services_more import build_services, by_provision, command_line, start_of

from schemy.app import Interpreter
from schemy.lang.printer import write_string


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_services(tmp_path_factory.mktemp("db"), "(gnu services databases)",
                          """(service memcached-service-type
                               (memcached-configuration (interfaces '("127.0.0.1" "::1")) (udp-port 0)
                                                        (additional-options '("-m" "256"))))""")


def test_memcached_daemonizes_as_memcached_with_its_pid_file(built):
    start = start_of(built, "memcached")
    argv = command_line(start)
    assert argv[0].endswith("/bin/memcached")
    assert argv[1:] == ["-l", "127.0.0.1,::1", "-p", "11211", "-U", "0", "--daemon",
                        "-P", "/var/run/memcached/pid", "-u", "memcached", "-m", "256"]
    assert '#:log-file "/var/log/memcached"' in start and '#:pid-file "/var/run/memcached/pid"' in start
    assert by_provision(built)["memcached"].requirement == ["user-processes", "loopback"]


def test_memcached_has_its_account_and_pid_directory(built):
    assert "memcached" in str(built.accounts)
    activation = Path(built.activation_file).read_text()
    assert '"/var/run/memcached"' in activation and 'getpwnam "memcached"' in activation


def test_postgresql_role_records_have_guixs_fields():
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services databases))
           (list (postgresql-role-password-file (postgresql-role (name "a") (password-file "/etc/pw")))
                 (postgresql-role-configuration-shepherd-requirement (postgresql-role-configuration))
                 %default-postgresql-role-shepherd-requirement
                 (memcached-configuration-tcp-port (memcached-configuration)))""", "t.scm")))
    assert out == '("/etc/pw" (user-processes postgres) (user-processes postgres) 11211)'

"""What the daemons' services give their programs, checked without running the services.

The system of tests/test_daemons_e2e.py (nginx, PostgreSQL, Tor, CUPS) and Docker's are built
here (no root view, no service manager): their start commands are Guix's, their programs are
the host's (Debian's paths), and the files they name say what Guix writes.  PostgreSQL's
activation runs for real with every directory in tmp_path: initdb runs as the postgres account.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from test_daemons_e2e import SYSTEM
from test_docker_e2e import SYSTEM as DOCKER_SYSTEM

from schemy.app import Interpreter
from schemy.guix.store import Store
from schemy.system.build import build_system
from schemy.system.config import load_operating_system
from schemy.system.reconfigure import run_activation

PORTS = {"nginx": 18080, "postgres": 15432, "socks": 19050, "control": 19051, "cups": 18631, "redis": 16379,
         "mysql": 13306}


def build(tmp_path_factory, name: str, text: str):
    base = tmp_path_factory.mktemp(name)
    config = base / f"{name}.scm"
    for key, port in PORTS.items():
        text = text.replace("{" + key + "}", str(port))
    assert not re.search(r"\{[a-z]+\}", text), "a port placeholder of the config has no port here"
    config.write_text(text)
    i = Interpreter()
    os_record = i.run_protected(lambda: load_operating_system(i, str(config)))
    return i.run_protected(lambda: build_system(i, str(config), Store(base / "store"), os_record))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory, "daemons", SYSTEM)


@pytest.fixture(scope="module")
def shepherd(built) -> str:
    return Path(built.shepherd_file).read_text()


def start_of(shepherd: str, provision: str) -> str:
    """The start form of the service that provides PROVISION, as the shepherd file holds it."""
    m = re.search(r"\(service '\(" + re.escape(provision) + r"[ )].*?#:start (.*?)\n\s*#:stop", shepherd, re.S)
    assert m, provision
    return m.group(1)


def store_file(form: str, suffix: str) -> str:
    m = re.search(r'"([^"]*' + re.escape(suffix) + ')"', form)
    assert m, (suffix, form)
    return m.group(1)


def test_nginx_runs_detached_with_its_pid_file_and_the_packages_mime_types(shepherd):
    start = start_of(shepherd, "nginx")
    assert re.search(r'\(list "[^"]*-nginx-[^"]*/sbin/nginx" "-c" "[^"]*-nginx.conf" "-p" "/var/run/nginx"\)',
                     start), start
    assert '#:pid-file "/var/run/nginx/pid"' in start
    conf = Path(store_file(start, "-nginx.conf")).read_text()
    assert conf.startswith("user nginx nginx;\npid /var/run/nginx/pid;\n")
    mime = re.search(r"    include (\S+/share/nginx/conf/mime\.types);\n", conf)
    assert mime, conf
    if os.path.exists("/etc/nginx/mime.types"):
        assert os.path.realpath(mime.group(1)) == "/etc/nginx/mime.types"
    assert re.search(r"      root /\S+-site;\n", conf)  # a site in the store


def test_tor_reads_guix_torrc_then_the_users_file_as_user_tor(shepherd):
    start = start_of(shepherd, "tor")
    assert '#:user "tor" #:group "tor"' in start
    torrc = Path(store_file(start, "-torrc")).read_text()
    generated, _, appended = torrc.partition("### End of automatically generated lines.\n\n")
    assert generated == ("### These lines were generated from your system configuration:\n"
                         "DataDirectory /var/lib/tor\nLog notice stderr\n")
    assert appended == "DisableNetwork 1\nSocksPort 127.0.0.1:19050\nControlPort 127.0.0.1:19051\n"


def test_cupsd_gets_both_store_files_with_the_hosts_server_bin(shepherd):
    start = start_of(shepherd, "cups")
    assert re.search(r'"-f" "-c" "[^"]*-cupsd.conf" "-s" "[^"]*-cups-files.conf"', start), start
    files = Path(store_file(start, "-cups-files.conf")).read_text().splitlines()
    assert files[:3] == ["AccessLog /var/log/cups/access_log", "CacheDir /var/lib/cups/cache",
                         "ConfigFilePerm 0640"]
    assert "SystemGroup lpadmin wheel root" in files and "StateDir /var/run/cups" in files
    server_bin = next(line.split(" ", 1)[1] for line in files if line.startswith("ServerBin "))
    if os.path.isdir("/usr/lib/cups"):
        assert os.path.realpath(server_bin) == "/usr/lib/cups"
    cupsd = Path(store_file(start, "-cupsd.conf")).read_text()
    assert "Listen 127.0.0.1:18631\nListen /var/run/cups/cups.sock\n" in cupsd
    # Guix's default locations and policy.
    assert "<Location /admin/conf>\nOrder allow,deny\nAuthType Basic\nRequire user @SYSTEM\n" in cupsd
    assert "<Policy default>\nJobPrivateAccess @OWNER @SYSTEM\n" in cupsd
    assert "<Limit All>\nOrder deny,allow\n</Limit>\n</Policy>\n" in cupsd


def test_postgres_is_the_hosts_server_program(shepherd):
    start = start_of(shepherd, "postgres")
    program = re.search(r'\(list "([^"]*/bin/postgres)" "-D" "/var/lib/postgresql/data" "-p" "15432"', start)
    assert program, start
    assert '#:user "postgres" #:group "postgres"' in start
    assert '#:log-file "/var/log/postgresql/pg_ctl.log"' in start
    if not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        pytest.skip("PostgreSQL's server is not installed: apt-get install postgresql")
    assert re.fullmatch(r"/usr/lib/postgresql/\d+/bin/postgres", os.path.realpath(program.group(1)))


def test_redis_runs_the_hosts_server_in_the_foreground_as_redis(shepherd):
    start = start_of(shepherd, "redis")
    assert '#:user "redis" #:group "redis"' in start
    program, conf = re.findall(r'"([^"]*)"', start)[:2]
    assert Path(conf).read_text() == "bind 127.0.0.1\nport 16379\ndir /var/lib/redis\ndaemonize no\n"
    if os.access("/usr/bin/redis-server", os.X_OK):
        assert os.path.realpath(program) == os.path.realpath("/usr/bin/redis-server")


def test_dockerd_command_line_is_guix(tmp_path_factory):
    shepherd = Path(build(tmp_path_factory, "docker", DOCKER_SYSTEM).shepherd_file).read_text()
    start = start_of(shepherd, "dockerd")
    args = re.findall(r'"([^"]*)"', start.split("#:environment-variables")[0])
    assert args[0].endswith("/bin/dockerd") and args[1:3] == ["-p", "/var/run/docker.pid"]
    # (string-append "--config-file=" FILE), as in Guix's gexp
    assert args[3] == "--config-file=" and args[4].endswith("-daemon.json")
    assert args[5:7] == ["--userland-proxy=true", "--userland-proxy-path="]
    assert "-docker-libnetwork-cmd-proxy-" in args[7] and args[8] == "/bin/proxy"
    if os.access("/usr/sbin/docker-proxy", os.X_OK):
        assert os.path.realpath(args[7] + args[8]) == "/usr/sbin/docker-proxy"
    assert args[9:] == ["--iptables=false", "--containerd", "/run/containerd/containerd.sock"]
    assert '#:pid-file "/var/run/docker.pid"' in start
    containerd = start_of(shepherd, "containerd")
    assert "#:pid-file" not in containerd  # Debian's containerd writes none


POSTGRES_ACTIVATION = """
(use-modules (gnu services) (gnu services databases) (gnu packages databases) (guix gexp))
(gexp->string
 ((service-extension-compute
   (find (lambda (e) (eq? (service-extension-target e) activation-service-type))
         (service-type-extensions postgresql-service-type)))
  (postgresql-configuration
   (postgresql postgresql-15)
   (locale "C.UTF-8")
   (data-directory "{dir}/data")
   (log-directory "{dir}/log")
   (config-file (postgresql-config-file (socket-directory "{dir}/run"))))))
"""


@pytest.fixture()
def open_dir():
    """A directory the postgres account can reach (pytest's own are root's, mode 0700)."""
    path = Path(tempfile.mkdtemp(prefix="schemy-pg-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_postgresql_activation_runs_initdb_as_postgres(open_dir):
    tmp_path = open_dir
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("PostgreSQL's server is not installed: apt-get install postgresql")
    if os.geteuid() != 0:
        pytest.skip("needs root: activation switches to the postgres account")
    try:
        user = pwd.getpwnam("postgres")  # Debian's postgresql package makes it
    except KeyError:
        pytest.skip("no postgres account on this host: apt-get install postgresql")
    i = Interpreter()
    from schemy.guix.gexp import CURRENT_STORE
    from schemy.runtime.parameters import parameterized

    with parameterized([(CURRENT_STORE, Store(tmp_path / "store"))]):
        text = i.eval_string(POSTGRES_ACTIVATION.replace("{dir}", str(tmp_path)), "activation.scm")
    script = tmp_path / "activate.scm"
    script.write_text("(use-modules (guix build utils))\n" + str(text))
    run_activation(i, str(script))
    data = tmp_path / "data"
    assert (data / "PG_VERSION").is_file()
    assert data.stat().st_uid == user.pw_uid
    for name in ("run", "log"):
        assert (tmp_path / name).stat().st_uid == user.pw_uid
    control = subprocess.run([str(next(Path("/usr/lib/postgresql").glob("*/bin/pg_controldata"))), str(data)],
                             capture_output=True, text=True)
    assert "in production" not in control.stdout and "shut down" in control.stdout

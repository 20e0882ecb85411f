"""The catalogue's daemons run for real under a root's service manager, with the files schemy writes.

One system declares nginx, PostgreSQL, Redis, MariaDB, Tor and CUPS the way a user would (free ports on
127.0.0.1, Tor with DisableNetwork); `schemy reconfigure --root` builds it, activates it
(nginx's directories and syntax check, PostgreSQL's initdb as postgres...) and starts them.
Each test then talks to one daemon as a client would (HTTP, psql, redis-cli, mariadb, Tor's control
port, lpstat),
stops it with `herd stop` and checks that every process of it is gone.  Only public behaviour is
used: reconfigure, herd, TCP ports and socket paths under the root's /run.

The daemons keep their state at Guix's places (/var/run/nginx, /var/lib/postgresql/data,
/var/lib/tor...), which are the root's own in the root's view (schemy.shepherd.namespace), as
are the accounts the system declares (nginx, tor, postgres, lp).  A schemy without views would
run them against the host's /etc accounts and the host's /run and /var, so these tests need
views, and root (the daemons switch to their accounts).  A test is skipped when the host lacks
its daemon, naming the Debian package (.ci/run installs them all).  The root's service manager
is stopped by a finalizer, and anything of a daemon still alive is killed, whatever happens.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SCHEMY = str(Path(sys.executable).with_name("schemy"))

# program -> Debian package providing it
PACKAGES = {"/usr/sbin/nginx": "nginx", "/usr/sbin/tor": "tor", "/usr/sbin/cupsd": "cups-daemon",
            "lpstat": "cups-client", "psql": "postgresql-client", "pg_isready": "postgresql-client",
            "/usr/bin/redis-server": "redis-server", "redis-cli": "redis-tools",
            "/usr/sbin/mariadbd": "mariadb-server", "mariadb": "mariadb-client"}


def schemy_has_views() -> bool:
    """Whether the schemy these tests run (SCHEMY, not necessarily the modules this process
    imported: pytest puts its working directory on the path) makes root views."""
    if importlib.util.find_spec("schemy.shepherd.namespace") is None:
        return False
    probe = subprocess.run([sys.executable, "-c", "import schemy.shepherd.namespace"], cwd="/",
                           capture_output=True, timeout=60)
    return probe.returncode == 0


pytestmark = [
    pytest.mark.skipif(not schemy_has_views(),
                       reason="this schemy has no root views (schemy.shepherd.namespace): the daemons "
                              "would see the host's accounts and write the host's /run and /var"),
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root: the daemons switch to their own accounts"),
]


def need(program: str) -> None:
    if shutil.which(program) is None and not os.access(program, os.X_OK):
        pytest.skip(f"{program} is not installed: apt-get install {PACKAGES[program]}")


def need_postgresql() -> None:
    if not (shutil.which("initdb") or list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))):
        pytest.skip("PostgreSQL's server programs are not installed: apt-get install postgresql")
    need("psql")
    need("pg_isready")


def schemy(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("SCHEMY_ROOT", None)
    return subprocess.run([SCHEMY, *args], capture_output=True, text=True, timeout=timeout, env=env,
                          stdin=subprocess.DEVNULL)


def free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(predicate, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


SYSTEM = """(use-modules (gnu))
(use-service-modules avahi cups databases networking web)
(use-package-modules databases)

(define site
  (computed-file "site"
                 #~(begin
                     (mkdir #$output)
                     (call-with-output-file (string-append #$output "/index.html")
                       (lambda (port) (display "<p>served by schemy's nginx</p>" port))))))

(operating-system
  (host-name "daemons")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (services
   (cons* (service dhcp-client-service-type)
          (service nginx-service-type
                   (nginx-configuration
                    (server-blocks
                     (list (nginx-server-configuration
                            (listen '("127.0.0.1:{nginx}"))
                            (root site))))))
          (service postgresql-service-type
                   (postgresql-configuration
                    (postgresql postgresql-15)
                    (port {postgres})
                    (locale "C.UTF-8")
                    (config-file
                     (postgresql-config-file
                      (log-destination "stderr")
                      (hba-file (plain-file "pg_hba.conf" "local all all trust\\n"))
                      (extra-config '(("listen_addresses" "127.0.0.1")))))))
          (service tor-service-type
                   (tor-configuration
                    (config-file (plain-file "offline-torrc"
                                             "DisableNetwork 1
SocksPort 127.0.0.1:{socks}
ControlPort 127.0.0.1:{control}
"))))
          (service cups-service-type
                   (cups-configuration
                    (listen '("127.0.0.1:{cups}" "/var/run/cups/cups.sock"))
                    (files-configuration
                     (files-configuration
                      (server-root "/var/lib/cups/etc")
                      (server-keychain "/var/lib/cups/etc/ssl")
                      (cache-dir "/var/lib/cups/cache")
                      (request-root "/var/lib/cups/spool")
                      (temp-dir "/var/lib/cups/spool/tmp")))))
          (service redis-service-type (redis-configuration (port {redis})))
          (service mysql-service-type (mysql-configuration (port {mysql})))
          (service avahi-service-type)
          %base-services)))
"""


class System:
    """The running root: its directory, ports, what reconfigure said, and the PIDs seen."""

    def __init__(self, root: Path, ports: dict[str, int], said: str) -> None:
        self.root = root
        self.ports = ports
        self.said = said
        self.seen: set[int] = set()

    def status(self, service: str) -> str:
        r = schemy("herd", "--root", str(self.root), "status", service)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout

    def processes(self, service: str) -> set[int]:
        """The service's main process and every process descended from it or in its session."""
        status = self.status(service)
        m = re.search(r"Main PID: (\d+)", status)
        assert m, f"{service} is not running:\n{status}\n{self.said}"
        main = int(m.group(1))
        found = {main} | family(main)
        self.seen |= found
        return found

    def stop(self, service: str) -> None:
        r = schemy("herd", "--root", str(self.root), "stop", service)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "is stopped" in self.status(service)


def stat_fields(pid: int) -> list[str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2:].split()


def family(main: int) -> set[int]:
    """Processes whose parent chain reaches MAIN, or whose session is MAIN's."""
    parents: dict[int, int] = {}
    sessions: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = stat_fields(int(entry.name))
            if fields:
                parents[int(entry.name)] = int(fields[1])
                sessions[int(entry.name)] = int(fields[3])
    out = {pid for pid, sid in sessions.items() if sid == main}
    for pid in parents:
        p = pid
        while p > 1 and p in parents:
            if p == main:
                out.add(pid)
                break
            p = parents[p]
    return out


def gone(pids: set[int], timeout: float = 15.0) -> set[int]:
    """The PIDs still alive (zombies count as gone) after waiting up to TIMEOUT."""
    deadline = time.monotonic() + timeout
    while True:
        alive = {p for p in pids if (f := stat_fields(p)) is not None and f[0] != "Z"}
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    names = ("nginx", "postgres", "socks", "control", "cups", "redis", "mysql")
    ports = dict(zip(names, free_ports(len(names))))
    base = tmp_path_factory.mktemp("daemons")
    root = base / "root"
    config = base / "daemons.scm"
    text = SYSTEM
    for name, port in ports.items():
        text = text.replace("{" + name + "}", str(port))
    config.write_text(text)
    running = None
    try:
        r = schemy("reconfigure", "--root", str(root), str(config))
        # Exit status 3: switched, but a daemon the host lacks failed to start (its test skips).
        assert r.returncode in (0, 3), r.stdout + r.stderr
        running = System(root, ports, r.stdout + r.stderr)
        yield running
    finally:
        schemy("herd", "--root", str(root), "stop", "root")
        if running is not None:
            for pid in gone(running.seen, 5):
                os.kill(pid, signal.SIGKILL)


def test_nginx_serves_the_site_of_the_configuration(system):
    need("/usr/sbin/nginx")
    port = system.ports["nginx"]
    pids = system.processes("nginx")
    assert len(pids) >= 2, "nginx runs a master and its workers"
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
        assert answer.status == 200
        assert answer.read() == b"<p>served by schemy's nginx</p>"
        assert answer.headers["Content-Type"] == "text/html"  # the package's mime.types, included
        assert answer.headers["Server"] == "nginx"  # server_tokens off, as Guix writes
    # Activation made Guix's run and log directories, in the root's own /run and /var/log.
    assert (system.root / "run" / "nginx" / "client_body_temp").is_dir()
    log = system.root / "var" / "log" / "nginx" / "access.log"
    deadline = time.monotonic() + 10  # a worker logs the request once the answer is sent
    while "GET / HTTP/1.1\" 200" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "GET / HTTP/1.1\" 200" in log.read_text()
    system.stop("nginx")
    assert gone(pids) == set()
    assert not listening(port)


def test_postgresql_answers_psql_on_its_socket_after_initdb_at_activation(system):
    need_postgresql()
    port = system.ports["postgres"]
    pids = system.processes("postgres")
    sockets = system.root / "run" / "postgresql"
    assert (sockets / f".s.PGSQL.{port}").exists()
    ready = subprocess.run(["pg_isready", "-h", str(sockets), "-p", str(port)],
                           capture_output=True, text=True, timeout=20)
    assert ready.returncode == 0 and "accepting connections" in ready.stdout
    query = subprocess.run(["psql", "-h", str(sockets), "-p", str(port), "-U", "postgres", "-At",
                            "-c", "select 6 * 7", "-c", "show lc_collate", "-c", "show listen_addresses"],
                           capture_output=True, text=True, timeout=20)
    assert query.returncode == 0, query.stderr
    assert query.stdout.split() == ["42", "C.UTF-8", "127.0.0.1"]
    data = system.root / "var" / "lib" / "postgresql" / "data"
    assert (data / "PG_VERSION").is_file()  # initialised by activation (initdb)
    assert data.stat().st_uid != 0  # ... as the postgres account, not root
    system.stop("postgres")
    assert gone(pids) == set()
    assert not (sockets / f".s.PGSQL.{port}").exists()


ROLES = """(use-modules (gnu))
(use-service-modules databases)
(use-package-modules databases)
(operating-system
  (host-name "roles")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (services
   (cons* (service postgresql-service-type
                   (postgresql-configuration
                    (postgresql postgresql-15)
                    (locale "C.UTF-8")
                    (config-file
                     (postgresql-config-file
                      (log-destination "stderr")
                      (hba-file (plain-file "pg_hba.conf" "local all all trust\\n"))
                      ;; The default port, on the root's unix socket only: no TCP port to share.
                      (extra-config '(("listen_addresses" "")))))))
          (service postgresql-role-service-type
                   (postgresql-role-configuration
                    (roles (list (postgresql-role
                                  (name "alice")
                                  (password-file "/etc/alice-password")
                                  (create-database? #t)
                                  (collation "C.UTF-8")
                                  (ctype "C.UTF-8"))
                                 (postgresql-role (name "bob") (permissions '(login createrole)))))))
          (extra-special-file "/etc/alice-password" (plain-file "alice-password" "s3cret"))
          %base-services)))
"""


def test_postgresql_roles_are_created_with_their_database_and_password(tmp_path):
    need_postgresql()
    root, config = tmp_path / "root", tmp_path / "roles.scm"
    config.write_text(ROLES)
    sockets = root / "run" / "postgresql"
    try:
        r = schemy("reconfigure", "--root", str(root), str(config))
        assert r.returncode == 0, r.stdout + r.stderr

        def psql(*sql: str) -> list[str]:
            args = [a for q in sql for a in ("-c", q)]
            q = subprocess.run(["psql", "-h", str(sockets), "-U", "postgres", "-At", *args],
                               capture_output=True, text=True, timeout=20)
            assert q.returncode == 0, q.stderr
            return q.stdout.split()

        def created() -> bool:
            return (sockets / ".s.PGSQL.5432").exists() and "bob" in psql("select rolname from pg_roles")

        wait_for(created, "the roles", timeout=60)
        assert psql("select rolcanlogin, rolcreatedb, rolcreaterole, rolpassword is not null"
                    " from pg_authid where rolname = 'alice'") == ["t|t|f|t"]
        assert psql("select rolcanlogin, rolcreatedb, rolcreaterole from pg_roles where rolname = 'bob'") \
            == ["t|f|t"]
        assert psql("select pg_get_userbyid(datdba) from pg_database where datname = 'alice'") == ["alice"]
        assert not (root / "run" / "postgresql-role" / "set-passwords.sql").exists()
        log = (root / "var" / "log" / "postgresql_roles.log").read_text()
        assert "s3cret" not in log and 'CREATE ROLE "alice" WITH CREATEDB LOGIN;' in log
        # A second run (the next boot) finds the roles there and changes nothing.
        r = schemy("herd", "--root", str(root), "start", "postgres-roles")
        assert r.returncode == 0, r.stdout + r.stderr
    finally:
        schemy("herd", "--root", str(root), "stop", "root")


def test_redis_answers_redis_cli_with_its_working_directory_made_by_activation(system):
    need("/usr/bin/redis-server")
    need("redis-cli")
    port = system.ports["redis"]
    pids = system.processes("redis")
    wait_for(lambda: listening(port), "redis's port")

    def cli(*args: str) -> str:
        r = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), *args],
                           capture_output=True, text=True, timeout=20)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    assert cli("ping") == "PONG"
    assert cli("set", "greeting", "hello") == "OK" and cli("get", "greeting") == "hello"
    assert cli("config", "get", "dir").splitlines() == ["dir", "/var/lib/redis"]  # Guix's default
    assert cli("save") == "OK"
    work = system.root / "var" / "lib" / "redis"
    assert (work / "dump.rdb").is_file() and work.stat().st_uid != 0  # redis's, in the root
    system.stop("redis")
    assert gone(pids) == set()
    assert not listening(port)


def test_mariadb_initializes_its_data_directory_on_first_start_and_answers_queries(system):
    need("/usr/sbin/mariadbd")
    need("mariadb")
    port = system.ports["mysql"]
    sock = system.root / "run" / "mysqld" / "mysqld.sock"
    pids = system.processes("mysql")
    wait_for(lambda: listening(port), "mariadb's port", timeout=60)

    def query(sql: str) -> str:
        # As root over the root's socket: MariaDB's root account authenticates by the unix socket.
        r = subprocess.run(["mariadb", f"--socket={sock}", "-N", "-e", sql],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    assert query("select 6 * 7") == "42"
    assert query("select @@datadir, @@port") == f"/var/lib/mysql/\t{port}"  # Guix's datadir, our port
    data = system.root / "var" / "lib" / "mysql"
    assert (data / "mysql").is_dir() and data.stat().st_uid != 0  # made by the first start, mysql's
    # The one-shot upgrade ran once the server answered, as mysql, and found nothing to do.
    log = system.root / "var" / "log" / "mysql_upgrade.log"

    def upgraded() -> bool:
        text = log.read_text() if log.exists() else ""
        assert "FATAL" not in text and "ERROR" not in text, text
        return "already upgraded" in text or "OK" in text

    wait_for(upgraded, "mysql_upgrade", timeout=60)
    assert (data / "mysql_upgrade_info").stat().st_uid == data.stat().st_uid
    system.stop("mysql")
    assert gone(pids) == set()
    assert not listening(port) and not sock.exists()


def tor_control(port: int, *commands: str) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall("".join(c + "\r\n" for c in ("AUTHENTICATE", *commands, "QUIT")).encode())
        data = b""
        while chunk := s.recv(4096):
            data += chunk
    return data.decode()


def test_tor_without_network_answers_on_its_control_port(system):
    need("/usr/sbin/tor")
    port = system.ports["control"]
    pids = system.processes("tor")
    wait_for(lambda: listening(port), "tor's control port")
    answer = tor_control(port, "GETINFO version", "GETCONF DisableNetwork", "GETCONF DataDirectory",
                         "GETCONF SocksPort")
    assert answer.startswith("250 OK\r\n"), answer
    assert re.search(r"250-version=0\.4\.\d+", answer)
    assert "250 DisableNetwork=1" in answer  # the user's config-file, appended to Guix's lines
    assert "250 DataDirectory=/var/lib/tor" in answer  # Guix's generated line
    assert f"250 SocksPort=127.0.0.1:{system.ports['socks']}" in answer
    # Activation made the data directory with the owner and mode tor insists on.
    data = system.root / "var" / "lib" / "tor"
    assert data.stat().st_uid != 0 and data.stat().st_mode & 0o777 == 0o700
    system.stop("tor")
    assert gone(pids) == set()
    assert not listening(port)


def test_cups_scheduler_answers_lpstat(system):
    need("/usr/sbin/cupsd")
    need("lpstat")
    port = system.ports["cups"]
    pids = system.processes("cups")
    server = f"127.0.0.1:{port}"
    wait_for(lambda: listening(port), "cupsd's port")
    ran = subprocess.run(["lpstat", "-h", server, "-r"], capture_output=True, text=True, timeout=20)
    assert ran.stdout.strip() == "scheduler is running", ran.stdout + ran.stderr
    # Both listeners of the configuration: the port and the socket in the root's /run.
    assert (system.root / "run" / "cups" / "cups.sock").is_socket()
    error_log = (system.root / "var" / "log" / "cups" / "error_log").read_text()
    assert "-cupsd.conf\"" in error_log  # it loaded the store file schemy wrote
    assert "Default policy \"default\" not found" not in error_log  # Guix's default policy
    # An IPP request through Guix's default <Location /> (localhost allowed): no printers yet.
    ran = subprocess.run(["lpstat", "-h", server, "-v"], capture_output=True, text=True, timeout=20)
    assert ran.stderr.strip() == "lpstat: No destinations added.", ran.stdout + ran.stderr
    system.stop("cups")
    assert gone(pids) == set()
    assert not listening(port)


def test_avahi_is_shown_as_provided_by_the_host(system):
    # Guix's avahi-daemon.conf keeps D-Bus on (no field turns it off), and without the system
    # bus avahi-daemon exits ("Failed to contact D-Bus daemon"); it is also the host's mDNS
    # responder (the host's name on the LAN).  So its configuration is realized and the daemon
    # left to the host, which herd status says.
    status = system.status("avahi-daemon")
    assert "It is provided by the host system (schemy does not run it)." in status
    assert "Main PID" not in status

"""mysql-service-type as Guix's: my.cnf, the wrapper that initializes the data directory, and
the one-shot mysql-upgrade service (tests/test_daemons_e2e.py runs MariaDB for real)."""

from __future__ import annotations

from pathlib import Path

from helpers import build_config, minimal_os

CONFIG = minimal_os("(cons* (service mysql-service-type CONFIG) %base-services)", "(gnu) (gnu services databases)")


def build(tmp_path: Path, config: str):
    path = tmp_path / "config.scm"
    path.write_text(CONFIG.replace("CONFIG", config))
    built = build_config(path, tmp_path / "store")
    return built, {s.provision[0]: s for s in built.shepherd}


def test_my_cnf_and_the_wrapper_follow_the_configuration(tmp_path):
    built, services = build(tmp_path, '(mysql-configuration (port 3307) (datadir "/srv/db")'
                                      ' (extra-content "max_connections=20"))')
    text = services["mysql"].text
    wrapper = Path(text.split('(list "', 1)[1].split('"', 1)[0]).read_text()
    cnf = Path(wrapper.split('(string-append "--defaults-file=" "', 1)[1].split('"', 1)[0])
    assert cnf.read_text() == ("[mysqld]\ndatadir=/srv/db\nsocket=/run/mysqld/mysqld.sock\n"
                               "bind-address=127.0.0.1\nport=3307\nmax_connections=20\n")
    assert '(list "/srv/db" "/run/mysqld")' in wrapper  # made and given to mysql
    install = Path(wrapper.split('(system* "', 1)[1].split('"', 1)[0]).read_text()
    assert "/bin/mariadb-install-db" in install and '"--skip-test-db" "--user=mysql"' in install
    assert '#:log-file "/var/log/mysqld.log"' in text
    assert list(services["mysql-upgrade"].requirement) == ["mysql"] and services["mysql-upgrade"].one_shot


def test_without_auto_upgrade_there_is_no_upgrade_service(tmp_path):
    _, services = build(tmp_path, "(mysql-configuration (auto-upgrade? #f))")
    assert "mysql" in services and "mysql-upgrade" not in services

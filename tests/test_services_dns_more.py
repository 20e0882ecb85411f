"""(gnu services dns): Unbound (unbound.conf's sections, each value written as a Scheme string, as
Guix's serializer does) and the Knot Resolver (kresd and its cache's garbage collector)."""

from __future__ import annotations

from pathlib import Path

import pytest
from services_more import build_services, by_provision, command_line, start_of

SERVICES = """
(service unbound-service-type
         (unbound-configuration
          (server (unbound-server (interface '("0.0.0.0")) (hide-version #t)
                                  (extra-options '((num-threads . 2) (verbosity . "1")))))
          (remote-control (unbound-remote (control-enable #f)))
          (forward-zone (list (unbound-zone (name ".") (forward-addr '("9.9.9.9@853" "1.1.1.1@853"))
                                            (forward-tls-upstream #t))))
          (extra-content "include: /etc/unbound/local.conf")))
(service knot-resolver-service-type (knot-resolver-configuration (garbage-collection-interval 500)))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_services(tmp_path_factory.mktemp("dns"), "(gnu services dns)", SERVICES)


def test_unbound_conf_sections(built):
    start = start_of(built, "unbound")
    argv = command_line(start)
    assert argv[0].endswith("/sbin/unbound") and argv[1:4] == ["-d", "-p", "-c"]
    assert Path(argv[4]).read_text() == (
        'server:\n\tinterface: "0.0.0.0"\n\thide-version: "yes"\n\tnum-threads: "2"\n\tverbosity: "1"\n'
        'remote-control:\n\tcontrol-enable: "no"\n'
        'forward-zone:\n\tname: "."\n\tforward-addr: "9.9.9.9@853"\n\tforward-addr: "1.1.1.1@853"\n'
        '\tforward-tls-upstream: "yes"\n'
        "include: /etc/unbound/local.conf\n")
    assert by_provision(built)["unbound"].requirement == ["user-processes", "networking"]
    assert "unbound" in str(built.accounts)


def test_default_unbound_conf(tmp_path):
    built = build_services(tmp_path, "(gnu services dns)", "(service unbound-service-type)")
    conf = Path(command_line(start_of(built, "unbound"))[4]).read_text()
    assert conf == ('server:\n\tinterface: "127.0.0.1"\n\tinterface: "::1"\n\thide-version: "yes"\n'
                    '\thide-identity: "yes"\n\ttls-cert-bundle: "/etc/ssl/certs/ca-certificates.crt"\n'
                    'remote-control:\n\tcontrol-enable: "yes"\n\tcontrol-interface: "/run/unbound.sock"\n')


def test_knot_resolver_runs_kresd_and_its_garbage_collector(built):
    kresd = command_line(start_of(built, "kresd"))
    assert kresd[0].endswith("/sbin/kresd") and kresd[1] == "-c" and kresd[3:] == ["-n", "/var/cache/knot-resolver"]
    assert "user('knot-resolver', 'knot-resolver')" in Path(kresd[2]).read_text()
    gc_start = start_of(built, "kres-cache-gc")
    gc = command_line(gc_start)
    assert gc[0].endswith("/sbin/kres-cache-gc") and gc[1:] == ["-d", "500", "-c", "/var/cache/knot-resolver"]
    assert '#:user "knot-resolver" #:group "knot-resolver"' in gc_start

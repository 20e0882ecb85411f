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


KNOT = """
(define-zone-entries example.org.zone
  ("@" "" "IN" "A" "127.0.0.1")
  ("ns" "" "IN" "A" "127.0.0.2"))
(define master-zone
  (knot-zone-configuration
    (domain "example.org")
    (zone (zone-file (origin "example.org") (entries example.org.zone)))
    (acl '("slave-acl"))
    (dnssec-policy "default")))
(define slave-zone
  (knot-zone-configuration (domain "plop.org") (master '("plop-master")) (zonefile-load 'difference)))
"""

KNOT_SERVICE = """(service knot-service-type
  (knot-configuration
    (keys (list (knot-key-configuration (id "k1") (algorithm 'hmac-sha256) (secret "c2VjcmV0"))))
    (acls (list (knot-acl-configuration (id "slave-acl") (address '("192.168.1.2"))
                                        (action '(transfer)) (key '("k1")))))
    (remotes (list (knot-remote-configuration (id "plop-master") (address '("10.0.0.1" "10.0.0.2")))))
    (policies (list (knot-policy-configuration (id "default") (nsec3? #t))))
    (zones (list master-zone slave-zone))))"""


def test_knot_conf_and_zone_file(tmp_path):
    config = tmp_path / "config.scm"
    from helpers import build_config, minimal_os

    config.write_text(minimal_os(f"(cons* {KNOT_SERVICE} %base-services)", "(gnu) (gnu services dns)",
                                 prelude=KNOT))
    built = build_config(config, tmp_path / "store")
    start = start_of(built, "knot")
    argv = command_line(start)
    assert argv[0].endswith("/sbin/knotd") and argv[1] == "-c"
    conf = Path(argv[2]).read_text()
    head, _, zones = conf.partition("\nzone:\n")
    assert head == ("server:\n    rundir: /var/run/knot\n    user: knot\n    listen: 0.0.0.0@53\n"
                    "    listen: ::@53\n"
                    "\nkey:\n    - id: k1\n      algorithm: hmac-sha256\n      secret: c2VjcmV0\n"
                    "\nkeystore:\n"
                    "\nacl:\n    - id: slave-acl\n      address: [192.168.1.2]\n      key: [k1]\n"
                    "      action: [transfer]\n      deny: off\n"
                    "\nremote:\n    - id: plop-master\n      address: [10.0.0.1, 10.0.0.2]\n"
                    "\npolicy:\n    - id: default\n      keystore: default\n      manual: off\n"
                    "      single-type-signing: off\n      algorithm: ecdsap256sha256\n      ksk-size: 256\n"
                    "      zsk-size: 256\n      zsk-lifetime: 2592000\n      propagation-delay: 86400\n"
                    "      rrsig-lifetime: 1209600\n      nsec3: on\n      nsec3-iterations: 5\n"
                    "      nsec3-salt-length: 8\n      nsec3-salt-lifetime: 2592000\n")
    master, _, slave = zones.partition("    - domain: plop.org\n")
    zone_file = master.split("      file: ", 1)[1].split("\n", 1)[0]
    assert master == ("    - domain: example.org\n      file: " + zone_file + "\n      acl: [slave-acl]\n"
                      "      semantic-checks: off\n      zonefile-sync: 0\n      dnssec-signing: on\n"
                      "      dnssec-policy: default\n      serial-policy: increment\n")
    assert slave == ("      master: [plop-master]\n      semantic-checks: off\n      zonefile-sync: 0\n"
                     "      zonefile-load: difference\n      serial-policy: increment\n\n")
    assert Path(zone_file).read_text() == ("$ORIGIN example.org.\n"
                                           "@ IN SOA ns hostmaster (1 43200 900 1209600 3600)\n"
                                           "@  IN A 127.0.0.1\nns  IN A 127.0.0.2\n\n")
    assert by_provision(built)["dns"].provision == ["knot", "dns"]


def test_dnsmasq_tftp_and_file_options_in_guixs_order(tmp_path):
    built = build_services(tmp_path, "(gnu services dns)", """(service dnsmasq-service-type
        (dnsmasq-configuration (servers-file "/etc/dnsmasq-servers") (servers '("9.9.9.9"))
                               (cpe-id "abc") (tftp-enable? #t) (tftp-secure? #t) (tftp-max 10)
                               (tftp-port-range "6000,6100") (tftp-unique-root "mac")
                               (conf-file (list (plain-file "extra.conf" "bogus-priv\\n")))
                               (conf-dir "/etc/dnsmasq.d") (extra-options '("--log-queries"))))""")
    argv = command_line(start_of(built, "dnsmasq"))
    assert argv[0].endswith("/sbin/dnsmasq")
    i = argv.index("--servers-file=/etc/dnsmasq-servers")
    assert argv[i + 1] == "--server=9.9.9.9"
    tail = argv[argv.index("--cache-size=150"):]
    assert tail[:8] == ["--cache-size=150", "--add-cpe-id=abc", "--enable-tftp", "--tftp-secure", "--tftp-max=10",
                        "--tftp-port-range=6000,6100", "--tftp-root=/var/empty,lo", "--tftp-unique-root=mac"]
    assert tail[8].startswith("--conf-file=/") and tail[8].endswith("-extra.conf")
    assert tail[9:] == ["--conf-dir=/etc/dnsmasq.d", "--log-queries"]
    text = by_provision(built)["dnsmasq"].text
    assert "(action 'reload" in text and "(action 'stats" in text

"""(gnu services networking) beyond DHCP/NTP/NetworkManager: iwd, hostapd and simulated Wi-Fi,
inetd, OpenNTPD, OpenDHT, Open vSwitch, PageKite, Yggdrasil, IPFS, Keepalived, ConnMan's
main.conf, Tor's transport plugins and block-facebook-hosts.

Expected files are what Guix's serializers (gnu/services/networking.scm) write for these records:
iwd's [Section] groups of CamelCase keys, hostapd.conf's fixed header, inetd.conf's
space-separated entries, ntpd.conf's "keyword value" lines, pagekite.rc, Yggdrasil's compact JSON.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from services_more import build_services, by_provision, command_line, lowered_start, lowered_text, start_of, store_file

from schemy.app import Interpreter
from schemy.lang.printer import write_string

SERVICES = r"""
(service iwd-service-type
         (iwd-configuration
          (interfaces '("wlan*"))
          (ignored-phys '("phy9" "phy8"))
          (config (iwd-settings
                   (general (iwd-general-settings (enable-network-configuration? #t)
                                                  (extra-options '((UseDefaultInterface . "true")))))
                   (network (iwd-network-settings (name-resolving-service 'resolvconf)))
                   (scan (iwd-scan-settings (maximum-periodic-scan-interval 120)))
                   (extra-config '("[Rank]" "BandModifier5Ghz=2.0"))))))
(service hostapd-service-type
         (hostapd-configuration (interface "wlp2s0") (ssid "My Network") (channel 6)
                                (broadcast-ssid? #f) (extra-settings "wpa=2\nwpa_passphrase=secret")))
(service inetd-service-type
         (inetd-configuration
          (entries (list (inetd-entry (name "echo") (socket-type 'stream) (protocol "tcp")
                                      (wait? #f) (user "root"))
                         (inetd-entry (node "127.0.0.1") (name "smtp") (socket-type 'stream)
                                      (protocol "tcp") (wait? #f) (user "root")
                                      (program (file-append openssh "/bin/ssh"))
                                      (arguments '("ssh" "-qT" "-i" "/path/to/key" "mail.example.org")))))))
(service openntpd-service-type
         (openntpd-configuration (listen-on '("127.0.0.1" "::1")) (sensor '("udcf0 correction 70000"))
                                 (constraint-from '("www.gnu.org"))
                                 (constraints-from '("https://www.google.com/"))))
(service opendht-service-type (opendht-configuration (peer-discovery? #t) (enable-logging? #t)
                                                     (proxy-server-port 8080)))
(service openvswitch-service-type)
(service pagekite-service-type
         (pagekite-configuration (kitename "fred.pagekite.me") (extra-file "/etc/pagekite.rc")
                                 (kites '("http:@kitename:localhost:80:@kitesecret"
                                          "ssh:@kitename:localhost:22:@kitesecret"))))
(service yggdrasil-service-type
         (yggdrasil-configuration
          (autoconf? #f)
          (json-config '((peers . #("tcp://1.2.3.4:1337" "tls://[::1]:443"))
                         (if-name . "ygg0") (multicast-interfaces . #()) (node-info-privacy . #t)))))
(service ipfs-service-type)
(service keepalived-service-type
         (keepalived-configuration (config-file (local-file "keepalived.conf"))))
(service block-facebook-hosts-service-type)
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("networking")
    (base / "keepalived.conf").write_text("vrrp_instance my-group {\n  state MASTER\n}\n")
    return build_services(base, "(gnu services networking) (gnu packages ssh)", SERVICES)


def test_iwd_runs_with_its_interface_globs_and_resolvconf_on_its_path(built):
    start = start_of(built, "iwd")
    argv = command_line(start)
    assert argv[0].endswith("/libexec/iwd")
    assert argv[1:] == ["--logger=syslog", "--interfaces=wlan*", "--nophys=phy9,phy8"]
    assert '"PATH="' in start and "openresolv" in start and '"/sbin"' in start
    iwd = by_provision(built)["iwd"]
    assert iwd.provision == ["iwd", "wireless-daemon"]
    assert iwd.requirement == ["user-processes", "dbus-system", "loopback"]


def test_iwd_main_conf_has_guixs_sections(built):
    main = Path(built.etc["iwd/main.conf"]).read_text()
    assert main == ("[General]\nEnableNetworkConfiguration=true\nUseDefaultInterface=true\n\n"
                    "[Network]\nEnableIpv6=true\nNameResolvingService=resolvconf\n\n"
                    "[Scan]\nDisablePeriodicScan=false\nInitialPeriodicScanInterval=10\n"
                    "MaximumPeriodicScanInterval=120\nDisableRoamingScan=false\n\n"
                    "[Rank]\nBandModifier5Ghz=2.0\n")


def test_default_iwd_main_conf_has_no_scan_section():
    i = Interpreter()
    out = i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services networking) (gnu services configuration))
           (serialize-configuration (iwd-settings) (@@ (gnu services networking) iwd-settings-fields))""",
        "t.scm"))
    assert out == ("[General]\nEnableNetworkConfiguration=false\n\n"
                   "[Network]\nEnableIpv6=true\nNameResolvingService=none\n\n")


def test_hostapd_conf_and_command_line(built):
    start = start_of(built, "hostapd")
    argv = command_line(start)
    assert argv[0].endswith("/sbin/hostapd") and argv[1].endswith("-hostapd.conf")
    assert '#:log-file "/var/log/hostapd.log"' in start
    assert Path(argv[1]).read_text() == ("# Generated from your Guix configuration.\n\ninterface=wlp2s0\n"
                                         "ssid=My Network\nignore_broadcast_ssid=1\nchannel=6\n"
                                         "wpa=2\nwpa_passphrase=secret\n")


def test_simulated_wifi_unblocks_rfkill_then_runs_hostapd_on_wlan1(tmp_path):
    built = build_services(tmp_path, "(gnu services networking)", "(service simulated-wifi-service-type)")
    services = by_provision(built)
    assert services["hostapd"].requirement == ["user-processes", "unblocked-wifi", "kernel-module-loader"]
    assert services["unblocked-wifi"].one_shot
    text = Path(built.shepherd_file).read_text()
    assert '/sbin/rfkill" "unblock" "0")' in text and '/sbin/rfkill" "unblock" "1")' in text
    conf = store_file(start_of(built, "hostapd"), "-hostapd.conf").read_text()
    assert "interface=wlan1\nssid=Test Network\nignore_broadcast_ssid=0\nchannel=1\n\n" in conf


def test_inetd_conf_has_one_line_per_entry(built):
    start = start_of(built, "inetd")
    argv = command_line(start)
    assert argv[0].endswith("/libexec/inetd") and '#:pid-file "/var/run/inetd.pid"' in start
    lines = Path(argv[1]).read_text().splitlines()
    assert lines[0] == "echo stream tcp nowait root internal"
    assert lines[1].startswith("127.0.0.1:smtp stream tcp nowait root /")
    assert lines[1].endswith("/bin/ssh ssh -qT -i /path/to/key mail.example.org")
    assert by_provision(built)["inetd"].requirement == ["user-processes", "networking", "syslogd"]


def test_inetd_without_entries_runs_nothing():
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services networking))
           ((@@ (gnu services networking) inetd-shepherd-service) (inetd-configuration))""", "t.scm")))
    assert out == "()"


def test_openntpd_conf_and_foreground_ntpd(built):
    start = start_of(built, "ntpd")
    argv = command_line(start)
    assert argv[0].endswith("/sbin/ntpd") and argv[1] == "-f" and argv[3:] == ["-d"]
    assert Path(argv[2]).read_text() == (
        "listen on 127.0.0.1\nlisten on ::1\nsensor udcf0 correction 70000\n"
        "servers 0.guix.pool.ntp.org\nconstraint from www.gnu.org\n"
        'constraints from "https://www.google.com/"\n')
    assert '#:log-file "/var/log/ntpd.log"' in start


def test_opendht_runs_dhtnode_as_a_service_with_its_options(built):
    start = start_of(built, "opendht")
    argv = command_line(start)
    assert argv[0].endswith("/bin/dhtnode")
    assert argv[1:] == ["--service", "--bootstrap", "bootstrap.jami.net:4222", "--syslog", "--port", "4222",
                        "--peer-discovery", "--proxyserver", "8080"]
    assert '#:user "opendht" #:group "opendht"' in start
    assert by_provision(built)["dhtproxy"].provision == ["opendht", "dhtnode", "dhtproxy"]


def test_openvswitch_runs_the_database_then_the_switch(built):
    db = command_line(start_of(built, "ovsdb"))
    assert db[0].endswith("/sbin/ovsdb-server")
    assert db[1:] == ["--pidfile", "--remote=punix:/var/run/openvswitch/db.sock"]
    sw = command_line(start_of(built, "vswitchd"))
    assert sw[0].endswith("/sbin/ovs-vswitchd") and sw[1:] == ["--pidfile"]
    assert by_provision(built)["vswitchd"].requirement == ["user-processes", "ovsdb"]


def test_pagekite_rc_and_command_line(built):
    start = start_of(built, "pagekite")
    argv = command_line(start)
    assert argv[0].endswith("/bin/pagekite")
    assert argv[1:5] == ["--clean", "--nullui", "--nocrashreport", "--runas=pagekite:pagekite"]
    assert argv[5].startswith("--optfile=/") and argv[5].endswith("-pagekite.rc")
    rc = Path(argv[5].split("=", 1)[1]).read_text()
    assert rc == ("optfile = /etc/pagekite.rc\nkitename = fred.pagekite.me\ndefaults\n"
                  "service_on = http:@kitename:localhost:80:@kitesecret\n"
                  "service_on = ssh:@kitename:localhost:22:@kitesecret\n")
    assert "(make-kill-destructor SIGINT)" in Path(built.shepherd_file).read_text()


def test_yggdrasil_json_has_camel_case_keys(built):
    start = start_of(built, "yggdrasil")
    argv = command_line(start)
    assert argv[0].endswith("/bin/yggdrasil") and argv[1] == "-useconffile"
    assert argv[3:] == ["-extraconffile", "/etc/yggdrasil-private.conf", "-loglevel", "info", "-logto", "stdout"]
    assert '#:group "yggdrasil"' in start
    assert Path(argv[2]).read_text() == (
        '# Generated by yggdrasil-service\n{"Peers":["tcp://1.2.3.4:1337","tls://[::1]:443"],'
        '"IfName":"ygg0","MulticastInterfaces":[],"NodeInfoPrivacy":true}')


def test_ipfs_daemon_runs_as_ipfs_with_its_home(built):
    start = start_of(built, "ipfs")
    argv = command_line(start)
    assert argv[0].endswith("/bin/ipfs") and argv[1:] == ["daemon"]
    assert '#:user "ipfs" #:group "ipfs"' in start and '"HOME=/var/lib/ipfs"' in start
    activation = Path(built.activation_file).read_text()
    assert '"Addresses.API" "/ip4/127.0.0.1/tcp/5001"' in activation
    assert '"Addresses.Gateway" "/ip4/127.0.0.1/tcp/8082"' in activation


def test_keepalived_uses_the_given_file_in_the_foreground(built):
    start = start_of(built, "keepalived")
    argv = command_line(start)
    assert argv[0].endswith("/sbin/keepalived")
    assert argv[1:5] == ["--dont-fork", "--log-console", "--log-detail", "--pid=/var/run/keepalived.pid"]
    assert Path(argv[5].removeprefix("--use-file=")).read_text().startswith("vrrp_instance my-group")
    assert by_provision(built)["keepalived"].requirement == ["networking", "user-processes"]


def test_block_facebook_hosts_makes_them_unroutable(built):
    hosts = Path(built.etc["hosts"]).read_text()
    assert "203.0.113.1\tfacebook.com\n" in hosts and "0100::\tapps.facebook.com\n" in hosts


def test_connman_main_conf_has_the_set_general_settings(tmp_path):
    i = Interpreter()
    conf = i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services networking))
           ((@@ (gnu services networking) connman-main.conf)
            (connman-configuration
             (general-configuration (connman-general-configuration
                                     (fallback-nameservers '("9.9.9.9" "1.1.1.1"))
                                     (enable-online-check? #f) (online-check-ipv4-url "http://x/")
                                     (regulatory-domain-follows-timezone? #t)
                                     (input-request-timeout 60)))))""", "t.scm"))
    assert lowered_text(conf, tmp_path / "store") == (
        "[General]\nInputRequestTimeout = 60\nFallbackNameservers = 9.9.9.9,1.1.1.1\n"
        "EnableOnlineCheck = false\nOnlineCheckIPv4URL = http://x/\nRegdomFollowsTimezone = true\n")


def test_connman_runs_connmand_with_its_main_conf_as_the_hosts(tmp_path):
    built = build_services(tmp_path, "(gnu services networking)", """(service connman-service-type
        (connman-configuration (disable-vpn? #t) (shepherd-requirement '(iwd))))
        (service iwd-service-type)""")
    connman = by_provision(built)["connman"]
    assert connman.host_provided and connman.requirement == ["user-processes", "dbus-system", "loopback", "iwd"]
    from schemy.guix.gexp import lower_gexp
    from schemy.guix.store import Store

    i = Interpreter()
    start = write_string(lower_gexp(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services networking) (gnu services shepherd))
           (shepherd-service-start ((@@ (gnu services networking) connman-shepherd-service)
                                    (connman-configuration (disable-vpn? #t) (iwd? #t))))""", "t.scm")),
        Store(tmp_path / "store")))
    assert '/sbin/connmand"' in start and '"--config="' in start
    assert '"--nodaemon" "--nodnsproxy" "--noplugin=vpn" "--wifi=iwd_agent"' in start


def test_tor_transport_plugins_are_torrc_lines(tmp_path):
    built = build_services(tmp_path, "(gnu services networking)", """(service tor-service-type
        (tor-configuration (transport-plugins
          (list (tor-transport-plugin (program "/usr/bin/lyrebird"))
                (tor-transport-plugin (role 'server) (protocol "webtunnel") (program "/usr/bin/wt"))))))""")
    torrc = store_file(start_of(built, "tor"), "-torrc").read_text()
    assert torrc.endswith("Log notice stderr\nClientTransportPlugin obfs4 exec /usr/bin/lyrebird\n"
                          "ServerTransportPlugin webtunnel exec /usr/bin/wt\n"
                          "### End of automatically generated lines.\n\n")


def test_tor_transport_plugin_role_is_checked():
    i = Interpreter()
    with pytest.raises(Exception, match="role"):
        i.run_protected(lambda: i.eval_string(
            "(use-modules (gnu services networking)) (tor-transport-plugin (role 'relay) (program \"x\"))",
            "t.scm"))


def test_dhcp_client_version_and_dhcpd_lease_file(tmp_path):
    built = build_services(tmp_path, "(gnu services networking)", """
        (service dhcp-client-service-type (dhcp-client-configuration (version "6") (interfaces '("eth0"))))
        (service dhcpd-service-type (dhcpd-configuration (config-file (plain-file "dhcpd.conf" ""))
                                                         (lease-file "/var/lib/dhcpd.leases")))""")
    i = Interpreter()
    i.run_protected(lambda: i.eval_string("(use-modules (gnu services networking))", "t.scm"))
    client = command_line(lowered_start(i, """((@@ (gnu services networking) dhcp-client-shepherd-service)
        (dhcp-client-configuration (version "6") (interfaces '("eth0"))))""", tmp_path / "s"))
    assert client[1:] == ["-nw", "-I", "-6", "-pf", "/var/run/dhclient-6.pid", "eth0"]
    server = by_provision(built)["dhcpv4-daemon"]
    assert server.provision == ["dhcpv4-daemon", "dhcpd"]
    argv = command_line(start_of(built, "dhcpv4-daemon"))
    assert argv[1:5] == ["-4", "-lf", "/var/lib/dhcpd.leases", "-pf"]
    assert '"/var/lib/dhcpd.leases"' in Path(built.activation_file).read_text()


def test_wpa_supplicant_provision_and_requirement_fields(tmp_path):
    built = build_services(tmp_path, "(gnu services networking)", """
        (service wpa-supplicant-service-type
                 (wpa-supplicant-configuration (shepherd-requirement '(user-processes loopback))))""")
    wpa = by_provision(built)["wireless-daemon"]
    assert wpa.provision == ["wpa-supplicant", "wireless-daemon"] and wpa.host_provided
    assert wpa.requirement == ["dbus-system", "user-processes", "loopback"]

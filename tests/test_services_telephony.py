"""(gnu services telephony): the Jami daemon's services and the Mumble server.  The expected
mumble-server.ini texts were derived by reading `default-mumble-server-config' in Guix's
gnu/services/telephony.scm (its key order, optional lines and the sslDHParams/sslCiphers lines
that end without a newline).  When Debian's mumble-server is installed, a root's Mumble server
runs for real and listens on the configured port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ev, free_port, listening, minimal_os, processes_mentioning, wait_for

from schemy.app import Interpreter
from schemy.lang.datum import to_str
from schemy.lang.printer import write_string

SCHEMY = str(Path(sys.executable).with_name("schemy"))


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    ev(i, """(use-modules (gnu) (gnu services telephony) (gnu services shepherd) (guix gexp)
                          (gnu services configuration) (guix packages)
                          (srfi srfi-1))
(define (extension-value type target value)
  (let ((ext (find (lambda (e) (eq? (service-extension-target e) target))
                   (service-type-extensions type))))
    (and ext ((service-extension-compute ext) value))))
(define (ini config)
  (string-concatenate ((@@ (gnu services telephony) mumble-server-ini-lines) config)))
(define (starts type config)
  (map (lambda (s) (gexp->string (shepherd-service-start s)))
       (extension-value type shepherd-root-service-type config)))""")
    return i


def text(interp, expr: str) -> str:
    return to_str(ev(interp, expr))


DEFAULT_INI = """welcometext=
port=64738
serverpassword=
users=100
uname=mumble-server
database=/var/lib/mumble-server/db.sqlite
logfile=/var/log/mumble-server/mumble-server.log
pidfile=/var/run/mumble-server/mumble-server.pid
autobanAttempts=10
autobanTimeframe=120
autobanTime=300
opusthreshold=100
channelnestinglimit=10
textmessagelength=5000
imagemessagelength=131072
logdays=31
obfuscate=true
certrequired=false
rememberchannel=false
allowhtml=false
allowping=false
bonjour=false
sendversion=false
"""


def test_default_mumble_server_ini_is_guixs(interp):
    assert text(interp, "(ini (mumble-server-configuration))") == DEFAULT_INI


def test_ini_with_options_tls_and_public_registration(interp):
    ini = text(interp, """(ini (mumble-server-configuration
        (welcome-text "Welcome to the Guix Mumble server!")
        (port 60000) (max-users 20) (max-user-bandwidth 72000)
        (autoban-attempts #f) (channelname-regex "[ \\\\w]+") (allow-ping? #t) (cert-required? #t)
        (obfuscate-ips? #f) (log-days #f)
        (ssl-cert "/etc/letsencrypt/live/m.example.com/fullchain.pem")
        (ssl-key "/etc/letsencrypt/live/m.example.com/privkey.pem")
        (ssl-dh-params "@ffdhe4096") (ssl-ciphers "EECDH+AESGCM")
        (public-registration (mumble-server-public-registration-configuration
                              (name "Guix") (password "secret") (url "https://guix.gnu.org")
                              (hostname "m.example.com")))))""")
    assert ini.startswith("welcometext=Welcome to the Guix Mumble server!\nport=60000\n"
                          "serverpassword=\nbandwidth=72000\nusers=20\n")
    assert "autobanAttempts" not in ini and "logdays" not in ini
    assert "autobanTimeframe=120\n" in ini and "channelname=[ \\w]+\n" in ini
    assert ini.endswith("obfuscate=false\ncertrequired=true\nrememberchannel=false\n"
                        "allowhtml=false\nallowping=true\nbonjour=false\nsendversion=false\n"
                        "sslCert=/etc/letsencrypt/live/m.example.com/fullchain.pem\n"
                        "sslKey=/etc/letsencrypt/live/m.example.com/privkey.pem\n"
                        "sslDHParams=@ffdhe4096sslCiphers=EECDH+AESGCM"
                        "registerName=Guix\nregisterPassword=secret\n"
                        "registerUrl=https://guix.gnu.org\nregisterHostname=m.example.com\n")


def test_public_registration_needs_ping_and_no_password(interp):
    with pytest.raises(Exception, match="allow-ping"):
        ev(interp, """(ini (mumble-server-configuration (server-password "pw") (allow-ping? #t)
            (public-registration (mumble-server-public-registration-configuration
                                  (name "n") (password "p") (url "u")))))""")


def test_ssl_cert_without_key_is_an_error(interp):
    with pytest.raises(Exception, match="ssl-cert and ssl-key"):
        ev(interp, '(ini (mumble-server-configuration (ssl-cert "/c.pem")))')


def test_mumble_server_daemon_command_line(interp):
    (start,) = [to_str(s) for s in ev(interp, "(starts mumble-server-service-type (mumble-server-configuration))")]
    assert start.startswith('(make-forkexec-constructor (list "/schemy/store/')
    assert '-mumble-1.5.857/bin/mumble-server" "-ini" "/schemy/store/' in start
    assert start.endswith('-mumble-server.ini") #:pid-file "/var/run/mumble-server/mumble-server.pid")')
    own = text(interp, """(car (starts mumble-server-service-type
                   (mumble-server-configuration (file (plain-file "mine.ini" "port=1\\n")))))""")
    assert "-mine.ini" in own and "-mumble-server.ini" not in own


def test_mumble_server_accounts_and_requirements(interp):
    assert write_string(ev(interp, """(map (lambda (a) (if (user-account? a)
              (list (user-account-name a) (user-account-group a) (user-account-system? a)
                    (user-account-home-directory a))
              (user-group-name a)))
        (extension-value mumble-server-service-type account-service-type
                         (mumble-server-configuration (user "voip") (group "voice"))))""")) == \
        '("voice" ("voip" "voice" #t "/var/empty"))'
    assert write_string(ev(interp, """(shepherd-service-requirement (car (extension-value
        mumble-server-service-type shepherd-root-service-type (mumble-server-configuration))))""")) \
        == "(user-processes networking)"


def test_murmur_names_are_the_mumble_server_ones(interp):
    assert ev(interp, "(murmur-configuration-port (murmur-configuration (port 7)))") == 7
    assert ev(interp, "(eq? murmur-service-type mumble-server-service-type)") is True


def test_jami_configuration_defaults(interp):
    assert write_string(ev(interp, """(let ((c (jami-configuration)))
        (list (jami-configuration-enable-logging? c) (jami-configuration-debug? c)
              (jami-configuration-auto-answer? c)
              (maybe-value-set? (jami-configuration-accounts c))
              (package-name (jami-configuration-libjami c))
              (package-name (jami-configuration-dbus c))))""")) == \
        '(#t #f #f #f "libjami" "dbus-for-jami")'


def test_jami_account_details_are_the_set_fields(interp):
    assert write_string(ev(interp, """(jami-account->alist (jami-account
        (archive "/etc/jami/rendezvous.gz") (rendezvous-point? #t) (peer-discovery? #f)
        (bootstrap-hostnames '("bootstrap.jami.net" "fallback.example.org"))))""")) == \
        ('(("Account.rendezVous" . "true") ("Account.peerDiscovery" . "false") '
         '("Account.hostname" . "bootstrap.jami.net;fallback.example.org"))')


def test_jami_account_rejects_a_bad_fingerprint(interp):
    with pytest.raises(Exception, match="invalid value .* for field 'moderators'"):
        ev(interp, '(jami-account (archive "/a.gz") (moderators (list "not-a-fingerprint")))')
    ok = "(jami-account (archive \"/a.gz\") (moderators (list (make-string 40 #\\a))))"
    assert ev(interp, f"(length (jami-account-moderators {ok}))") == 1


def test_jami_services_command_lines(interp):
    dbus, jami = [to_str(s) for s in ev(interp, """(starts jami-service-type (jami-configuration
        (debug? #t) (auto-answer? #t)
        (accounts (list (jami-account (archive "/etc/jami/a.gz"))))))""")]
    assert '-dbus-for-jami-' in dbus and '/bin/dbus-daemon" "--session" ' \
        '"--address=unix:path=/var/run/jami/bus" "--syslog-only")' in dbus
    assert '#:user "jami"' in dbus and '"XDG_DATA_DIRS="' in dbus
    assert '/libexec/jamid" "--persistent" "--console" "--debug" "--auto-answer")' in jami
    assert '(list "/etc/jami/a.gz")' in jami and '#:log-file "/var/log/jami.log"' in jami
    assert '"DBUS_SESSION_BUS_ADDRESS=unix:path=/var/run/jami/bus"' in jami
    quiet = text(interp, "(cadr (starts jami-service-type (jami-configuration (enable-logging? #f))))")
    assert '"--console")' in quiet and "#:log-file #f" in quiet and "(when #f" in quiet


# ---------------------------------------------------------------- the daemons, for real

def schemy(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("SCHEMY_ROOT", None)
    return subprocess.run([SCHEMY, *args], capture_output=True, text=True, timeout=120, env=env,
                          stdin=subprocess.DEVNULL)


def test_mumble_server_listens_on_the_configured_port(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root: the Mumble server switches to its own account")
    if not os.access("/usr/sbin/murmurd", os.X_OK):
        pytest.skip("the Mumble server is not installed: apt-get install mumble-server")
    port = free_port()
    config = tmp_path / "mumble.scm"
    config.write_text(minimal_os(
        modules="(gnu) (gnu services networking) (gnu services telephony)",
        services=f"""(cons* (service dhcp-client-service-type)
                            (service mumble-server-service-type
                                     (mumble-server-configuration
                                      (welcome-text "schemy test server")
                                      (port {port})))
                            %base-services)"""))
    root = tmp_path / "root"
    try:
        r = schemy("reconfigure", "--root", str(root), str(config))
        assert r.returncode == 0, r.stdout + r.stderr
        # Activation says how to set the SuperUser password with the server's ini file.
        hint = re.search(r"`(\S+/bin/mumble-server) -ini (\S+-mumble-server\.ini) -readsupw`", r.stdout)
        assert hint, r.stdout
        assert Path(hint[1]).resolve() == Path("/usr/sbin/murmurd").resolve()
        assert f"port={port}\n" in Path(hint[2]).read_text()
        assert wait_for(lambda: listening(port), timeout=15)
        status = schemy("herd", "--root", str(root), "status", "mumble-server").stdout
        assert "It is running" in status
        pid_file = root / "run" / "mumble-server" / "mumble-server.pid"
        pid = int(pid_file.read_text())
        assert Path(f"/proc/{pid}/exe").resolve() == Path("/usr/sbin/murmurd").resolve()
        # Activation made the database directory, private to the server's account.
        db_dir = root / "var" / "lib" / "mumble-server"
        assert oct(db_dir.stat().st_mode & 0o777) == "0o700"
        assert wait_for(lambda: (db_dir / "db.sqlite").exists(), timeout=10)
    finally:
        schemy("herd", "--root", str(root), "stop", "root")
    assert wait_for(lambda: not listening(port), timeout=10)
    assert processes_mentioning(str(root)) == []


def test_jami_without_jamid_says_it_is_not_installed(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root: the Jami services run as their own account")
    if os.access("/usr/libexec/jamid", os.X_OK):
        pytest.skip("this host has jamid (Debian package jami-daemon): the missing case cannot be seen")
    config = tmp_path / "jami.scm"
    config.write_text(minimal_os(
        modules="(gnu) (gnu services dbus) (gnu services telephony)",
        services="(cons* (service dbus-root-service-type) (service jami-service-type) %base-services)"))
    root = tmp_path / "root"
    try:
        r = schemy("reconfigure", "--root", str(root), str(config))
        # Exit status 3: switched, but a daemon the host lacks failed to start.
        assert r.returncode == 3, r.stdout + r.stderr
        assert "services started: jami-dbus-session" in r.stdout + r.stderr
        status = schemy("herd", "--root", str(root), "status", "jami").stdout
        assert "It failed to start" in status
        assert "jamid is not installed on this host (Debian package: jami-daemon)" in status
        # The session bus activation wrote the policy letting root reach it.
        policy = root / "run" / "jami" / "session-local.conf"
        assert '<allow user="root"/>' in policy.read_text()
    finally:
        schemy("herd", "--root", str(root), "stop", "root")
    assert wait_for(lambda: processes_mentioning(str(root)) == [], timeout=10)

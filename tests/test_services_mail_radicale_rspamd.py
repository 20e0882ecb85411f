"""Radicale and Rspamd, the last services of Guix's (gnu services mail): radicale.conf as
Guix's serializers write it (expected text derived by reading them: a "[SECTION]" line, one
"name = value" line per set field, an empty line; symbols as Radicale spells them), the
sanitizers, accounts and daemons' command lines; rspamd's default rspamd.conf derived from
Guix (tools/derive_dovecot_fields.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from helpers import ev

from schemy.app import Interpreter
from schemy.lang.datum import to_str
from schemy.lang.printer import write_string

ROOT = Path(__file__).resolve().parent.parent
GUIX = Path("/work/.mirror/kromka-chleba+guix/repo")


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    ev(i, """(use-modules (gnu) (gnu services mail) (gnu services shepherd) (gnu services configuration)
                          (guix gexp) (srfi srfi-1))
(define (extension-value type target value)
  (let ((ext (find (lambda (e) (eq? (service-extension-target e) target))
                   (service-type-extensions type))))
    (and ext ((service-extension-compute ext) value))))
(define (radicale-text config)
  (serialize-configuration config (@@ (gnu services mail) radicale-configuration-fields)))""")
    return i


def test_radicale_conf_has_a_section_per_set_record(interp):
    text = to_str(ev(interp, """(radicale-text (radicale-configuration
      (auth (radicale-auth-configuration (type 'remote-user) (htpasswd-filename "/etc/radicale/users")
                                         (htpasswd-encryption 'bcrypt) (delay 1) (realm "Password")))
      (server (radicale-server-configuration (hosts '("127.0.0.1:5232" "[::1]:5232")) (ssl? #f)
                                             (max-connections 8)))
      (storage (radicale-storage-configuration (filesystem-folder "/var/lib/radicale/collections")
                                               (type 'multifilesystem-nolock)))
      (logging (radicale-logging-configuration (level 'warning) (mask-passwords? #t)))
      (web-interface? #f)))"""))
    assert text == """[auth]
type = remote_user
htpasswd_filename = /etc/radicale/users
htpasswd_encryption = bcrypt
delay = 1
realm = Password

[logging]
level = warning
mask_passwords = True

[server]
hosts = 127.0.0.1:5232, [::1]:5232
max_connections = 8
ssl = False

[storage]
type = multifilesystem_nolock
filesystem_folder = /var/lib/radicale/collections

[web]
type = none

"""


def test_default_radicale_conf_is_empty(interp):
    assert to_str(ev(interp, "(radicale-text (radicale-configuration))")) == ""


def test_radicale_sanitizers_refuse_unknown_symbols_and_addresses(interp):
    with pytest.raises(Exception, match="invalid value ldap for field 'type' of radicale-auth-configuration"):
        ev(interp, "(radicale-auth-configuration (type 'ldap))")
    with pytest.raises(Exception, match="hosts"):
        ev(interp, "(radicale-server-configuration (hosts '(\"not an address\")))")
    assert ev(interp, "(radicale-auth-configuration? (radicale-auth-configuration (type 'htpasswd)))") is True


def test_radicale_headers_file_is_read_when_the_conf_is_made(interp):
    text = to_str(ev(interp, """(gexp->string (radicale-text (radicale-configuration
        (headers-file (plain-file "headers" "Access-Control-Allow-Origin = *")))))"""))
    assert "[headers]" in text and "read-string" in text and "-headers" in text


def test_radicale_daemon_runs_as_radicale_with_its_conf(interp):
    start = to_str(ev(interp, """(gexp->string (shepherd-service-start (car (extension-value
        radicale-service-type shepherd-root-service-type (radicale-configuration)))))"""))
    assert "/bin/radicale" in start and '"-C"' in start and "radicale.conf" in start
    assert '#:user "radicale" #:group "radicale"' in start
    activation = to_str(ev(interp, """(gexp->string (extension-value radicale-service-type activation-service-type
        (radicale-configuration (auth (radicale-auth-configuration (type 'htpasswd)
                                                                   (htpasswd-filename "/srv/dav/users"))))))"""))
    assert '(mkdir-p/perms "/var/lib/radicale/collections" user 448)' in activation
    assert '"/srv/dav"' in activation


def test_rspamd_command_line_accounts_and_actions(interp):
    start = to_str(ev(interp, """(gexp->string (shepherd-service-start (car (extension-value
        rspamd-service-type shepherd-root-service-type
        (rspamd-configuration (debug? #t) (local.d-files (list (list "options.inc" (plain-file "o" "x=1;")))))))))"""))
    assert re.search(r'"--config" "[^"]*-rspamd.conf" "--var" \(string-append "LOCAL_CONFDIR=" '
                     r'"[^"]*-rspamd-local-confdir"\) "--no-fork" "--debug"\) #:user "rspamd" #:group "rspamd"',
                     start), start
    assert '(mkdir-p/perms "/var/run/rspamd" user 493)' in start
    v = ev(interp, """(let ((svc (car (extension-value rspamd-service-type shepherd-root-service-type
                                                          (rspamd-configuration)))))
        (list (map shepherd-action-name (shepherd-service-actions svc))
              (shepherd-service-requirement svc)
              (map (lambda (a) (if (user-account? a) (user-account-name a) (user-group-name a)))
                   (extension-value rspamd-service-type account-service-type (rspamd-configuration)))))""")
    assert write_string(v) == '((configuration reload reopen) (user-processes loopback) ("rspamd" "rspamd"))'


def test_rspamd_default_config_is_guixs(tmp_path):
    if not GUIX.exists():
        pytest.skip("the Guix mirror is not on this machine")
    mail = (ROOT / "stdlib/gnu/services/mail.scm").read_text()
    commit = re.search(r"from Guix ([0-9a-f]{40})", mail).group(1)
    guix = subprocess.run(["git", "-C", str(GUIX), "show", f"{commit}:gnu/services/mail.scm"],
                          capture_output=True, text=True, check=True).stdout
    literal = guix[guix.index("(define %default-rspamd-config-file"):]
    literal = literal[literal.index('"rspamd.conf" ') + len('"rspamd.conf" '):]
    body = literal[:literal.index('"))') + 1]
    assert body in mail
    interp = Interpreter()
    text = to_str(ev(interp, "(use-modules (gnu services mail) (guix gexp))"
                             " (plain-file-content %default-rspamd-config-file)"))
    assert 'worker "fuzzy" {' in text and 'bind_socket = "localhost:11333";' in text


def test_signal_action_sends_its_signal_to_the_running_process(interp):
    proc = to_str(ev(interp, """(gexp->string (shepherd-action-procedure
                                 (shepherd-signal-action 'reload SIGHUP #:message "reloaded")))"""))
    assert "(kill (process-id running) 1)" in proc and '"reloaded"' in proc  # as Guix writes it

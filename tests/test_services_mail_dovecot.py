"""(gnu services mail) beyond OpenSMTPD: Dovecot's configuration records and the dovecot.conf
Guix's serializers write (expected files recorded by running Guix's own serializers under
Guile: tools/record_guix_dovecot_conf.scm, into tests/data/guix-dovecot), Exim, /etc/aliases
and Mailutils' imap4d."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import build_config, ev, system_check

from schemy.app import Interpreter
from schemy.lang.datum import to_str
from schemy.lang.printer import write_string

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "guix-dovecot"
GUIX = Path("/work/.mirror/kromka-chleba+guix/repo")


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    ev(i, """(use-modules (gnu) (gnu services mail) (gnu services shepherd) (guix gexp) (srfi srfi-1))
(define (extension-value type target value)
  (let ((ext (find (lambda (e) (eq? (service-extension-target e) target))
                   (service-type-extensions type))))
    (and ext ((service-extension-compute ext) value))))
(define (start-text type value)
  (gexp->string (shepherd-service-start (car (extension-value type shepherd-root-service-type value)))))""")
    return i


def test_default_dovecot_conf_is_what_guixs_serializers_write(interp):
    text = to_str(ev(interp, "(dovecot-configuration-text (dovecot-configuration))"))
    assert text == (DATA / "default.conf").read_text()


def test_every_kind_of_record_and_field_serializes_as_guixs(interp):
    expr = (DATA / "custom-expr.scm").read_text()
    text = to_str(ev(interp, f"(dovecot-configuration-text {expr})"))
    assert text == (DATA / "custom.conf").read_text()


def test_opaque_configuration_is_its_string(interp):
    assert to_str(ev(interp, '(dovecot-configuration-text (opaque-dovecot-configuration '
                             '(string "protocols = imap\\n")))')) == "protocols = imap\n"


def test_a_missing_listener_port_is_an_error(interp):
    with pytest.raises(Exception, match="port"):
        ev(interp, '(inet-listener-configuration (protocol "imap"))')


def test_a_space_in_a_space_separated_list_is_refused(interp):
    with pytest.raises(Exception, match="auth-mechanisms"):
        ev(interp, "(dovecot-configuration (auth-mechanisms '(\"plain login\")))")


def test_dovecot_runs_in_the_foreground_with_its_accounts_and_pam(interp):
    assert '"-F"' in to_str(ev(interp, "(start-text dovecot-service-type (dovecot-configuration))"))
    names = ev(interp, "(map (lambda (a) (if (user-account? a) (user-account-name a) (user-group-name a)))"
                       " (extension-value dovecot-service-type account-service-type (dovecot-configuration)))")
    assert write_string(names) == '("dovecot" "dovecot" "dovenull" "dovenull")'
    assert ev(interp, "(map pam-service-name (extension-value dovecot-service-type pam-root-service-type"
                      " (dovecot-configuration)))") is not None


def test_dovecot_fields_are_derived_from_guix(tmp_path):
    if not (GUIX / "HEAD").exists() and not (GUIX / ".git").exists():
        pytest.skip("the Guix mirror is not on this machine")
    copy = tmp_path / "mail.scm"
    shutil.copy(ROOT / "stdlib/gnu/services/mail.scm", copy)
    commit = re.search(r"from Guix ([0-9a-f]{40})", copy.read_text()).group(1)
    r = subprocess.run([sys.executable, str(ROOT / "tools/derive_dovecot_fields.py"), "--guix-git", str(GUIX),
                        "--commit", commit, "--mail-scm", str(copy)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "13 configurations, 187 fields" in r.stdout
    assert copy.read_text() == (ROOT / "stdlib/gnu/services/mail.scm").read_text()


# ---------------------------------------------------------------- exim, aliases, imap4d


def test_exim_runs_as_a_daemon_with_its_computed_conf(interp):
    start = to_str(ev(interp, "(start-text exim-service-type (exim-configuration))"))
    assert "/bin/exim" in start and '"-bd" "-v" "-C"' in start and "exim.conf" in start


def test_mail_aliases_write_etc_aliases(interp):
    text = to_str(ev(interp, """(plain-file-content (cadr (car (extension-value mail-aliases-service-type
          etc-service-type '(("postmaster" "bob") ("bob" "bob@example.com" "bob@example2.com"))))))"""))
    assert text == "postmaster: bob\nbob: bob@example.com,bob@example2.com\n"


def test_imap4d_runs_in_the_foreground_with_its_config_file(interp):
    start = to_str(ev(interp, "(start-text imap4d-service-type (imap4d-configuration))"))
    assert "/sbin/imap4d" in start and '"--daemon" "--foreground" "--config-file"' in start
    assert "imap4d.conf" in start
    assert to_str(ev(interp, "(plain-file-content %default-imap4d-config-file)")) == "server localhost {};\n"


CONFIG = """(use-modules (gnu) (gnu services mail))

(operating-system
  (host-name "mx")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (services
   (cons* (service dovecot-service-type
                   (dovecot-configuration
                    (mail-location "maildir:~/Maildir")
                    (protocols (list (protocol-configuration (name "imap"))))))
          (service exim-service-type (exim-configuration))
          (service mail-aliases-service-type '(("postmaster" "root")))
          (service imap4d-service-type)
          %base-services)))
"""


def test_a_mail_server_config_checks_and_builds(tmp_path):
    config = tmp_path / "mx.scm"
    config.write_text(CONFIG)
    r = system_check(config)
    assert r.returncode == 0, r.stderr
    built = build_config(config, tmp_path / "store")
    assert Path(built.etc["aliases"]).read_text() == "postmaster: root\n"
    exim_conf = next(Path(tmp_path / "store").glob("*-exim.conf"))
    assert exim_conf.read_text().startswith("\nexim_user = exim\nexim_group = exim\n.include ")
    assert exim_conf.read_text().endswith("/etc/exim.conf")
    activation = Path(built.activation_file).read_text()
    assert "maildir:~/Maildir" in Path(next(Path(tmp_path / "store").glob("*-dovecot.conf"))).read_text()
    assert "dovecot" in activation

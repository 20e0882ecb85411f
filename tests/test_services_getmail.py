"""(gnu services getmail) (Guix manual, "Mail Services"): the getmailrc Guix's serializer
writes and getmail's command line, one daemon per configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, system_check

OS = """(use-modules (gnu) (gnu services getmail))
(operating-system
  (host-name "mail") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons* SERVICES %base-services)))
"""

SERVICES = """(service getmail-service-type
  (list (getmail-configuration
          (name 'alice) (user "alice") (directory "/var/lib/getmail/alice") (idle '("INBOX"))
          (rcfile (getmail-configuration-file
                    (retriever (getmail-retriever-configuration
                                 (server "imap.example.org") (username "alice") (port 993)
                                 (password-command '("/bin/pass" "show" "mail"))
                                 (extra-parameters '((mailboxes . ("INBOX" "Sent"))))))
                    (destination (getmail-destination-configuration (type "Maildir")
                                                                    (path "/home/alice/Mail/")))
                    (options (getmail-options-configuration (delete #t)
                                                            (message-log "/var/log/getmail.log"))))))))"""

# Sections in order; "name = value" with underscores; lists as Python tuples with a trailing
# ", "; booleans true/false; empty strings (password, keyfile...) left out.
EXPECTED = """[retriever]
type = SimpleIMAPSSLRetriever
server = imap.example.org
username = alice
port = 993
password_command = ("/bin/pass", "show", "mail", )
mailboxes = ("INBOX", "Sent", )

[destination]
type = Maildir
path = /home/alice/Mail/

[options]
verbose = 1
read_all = true
delete = true
delete_after = 0
delete_bigger_than = 0
max_bytes_per_session = 0
max_message_size = 0
delivered_to = true
received = true
message_log = /var/log/getmail.log
message_log_syslog = false
message_log_verbose = false
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("getmail")
    config = root / "config.scm"
    config.write_text(OS.replace("SERVICES", SERVICES))
    return config, build_config(config, root / "store")


def test_getmailrc_is_what_guix_serializer_writes_and_getmail_reads_it(built):
    _, system = built
    getmail = next(s for s in system.shepherd if "getmail-alice" in s.provision)
    assert '/bin/getmail" "--getmaildir=/var/lib/getmail/alice" "--idle=INBOX"' in getmail.text
    assert '#:user "alice"' in getmail.text and '#:log-file "/var/log/getmail-alice"' in getmail.text
    rcfile = getmail.text.split('(string-append "--rcfile=" "')[1].split('"')[0]
    assert Path(rcfile).read_text() == EXPECTED
    assert "alice" in {u["name"] for u in system.accounts["users"]}


def test_getmail_config_passes_system_check(built):
    config, _ = built
    result = system_check(config)
    assert result.returncode == 0, result.stdout + result.stderr


def test_getmail_retriever_needs_a_server(tmp_path):
    config = tmp_path / "bad.scm"
    config.write_text(OS.replace("SERVICES", "(service getmail-service-type (list (getmail-configuration (name 'x) "
                                 "(rcfile (getmail-configuration-file (retriever (getmail-retriever-configuration "
                                 "(username \"x\") (port 993))))))))"))
    result = system_check(config)
    assert result.returncode != 0 and "server" in result.stdout + result.stderr

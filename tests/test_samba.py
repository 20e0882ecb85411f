"""(gnu services samba) (Guix manual, "Samba Services"): the Samba daemons a configuration
enables, with its smb.conf, and wsdd with the command line Guix gives it.  A real config's
own module (issue 15's own-files corpus) uses it."""

from __future__ import annotations

import pytest

from schemy.app import Interpreter
from schemy.guix.gexp import CURRENT_STORE, gexp_to_string
from schemy.guix.store import Store
from schemy.lang.datum import Symbol, list_to_python
from schemy.runtime.parameters import parameterized
from schemy.runtime.records import record_ref

PRELUDE = """
(use-modules (gnu) (gnu services samba) (srfi srfi-1))

(define (shepherd-services services)
  (folded-service-value
   (operating-system-services
    (operating-system
      (host-name "smb")
      (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
      (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4"))
                          %base-file-systems))
      (services (append services %base-services))))
   shepherd-root-service-type))

(define (provisions services)
  (append-map shepherd-service-provision (shepherd-services services)))
"""


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    i.eval_string(PRELUDE, "prelude.scm")
    return i


@pytest.fixture()
def ev(interp, tmp_path):
    with parameterized([(CURRENT_STORE, Store(tmp_path / "store"))]):
        yield lambda text: interp.eval_string(text, "test.scm")


def names(value) -> list[str]:
    return [v.name for v in list_to_python(value)]


def start_of(ev, services: str, provision: str) -> str:
    found = ev(f"(find (lambda (s) (memq '{provision} (shepherd-service-provision s))) "
               f"(shepherd-services {services}))")
    return gexp_to_string(record_ref(found, Symbol("start")))


def test_samba_runs_smbd_nmbd_and_winbindd_unless_disabled_as_guix_code_does(ev):
    shown = [n for n in names(ev("(provisions (list (service samba-service-type)))")) if n.startswith("samba")]
    assert shown == ["samba-nmbd", "samba-smbd", "samba-winbindd"]
    assert "samba-smbd" not in names(ev("(provisions (list (service samba-service-type "
                                        "(samba-configuration (enable-smbd? #f)))))"))


def test_samba_daemon_reads_the_given_config_file_in_the_foreground(ev):
    start = start_of(ev, '(list (service samba-service-type (samba-configuration (enable-nmbd? #f) '
                         '(config-file (plain-file "smb.conf" "[global]\\n")))))', "samba-smbd")
    assert "/sbin/smbd" in start and '"--foreground" "--no-process-group"' in start
    assert '(string-append "--configfile="' in start and "-smb.conf" in start


def test_wsdd_command_line_and_account(ev):
    start = start_of(ev, "(list (service wsdd-service-type (wsdd-configuration (interfaces '(\"eth0\" \"wlan0\")) "
                         "(workgroup \"HOME\") (preserve-case? #t))))", "wsdd")
    assert ('/bin/wsdd" "--hoplimit" "1" "--interface=eth0" "--interface=wlan0" "--preserve-case" '
            '"--workgroup" "HOME")') in start
    assert '#:user "wsdd"' in start and '#:log-file "/var/log/wsdd.log"' in start

"""Idioms of real configs that current Guix still accepts (deprecated procedures, the old
grub-configuration syntax, pam_limits, dhcpd...), on the project's own config
tests/configs/old-idioms.scm (issue 15's corpus failures)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.guix.store import Store
from schemy.lang.printer import write_string
from schemy.system.build import build_system
from schemy.system.config import load_operating_system

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tests" / "configs" / "old-idioms.scm"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    i = Interpreter()
    os_record = i.run_protected(lambda: load_operating_system(i, str(CONFIG)))
    store = Store(tmp_path_factory.mktemp("old-idioms") / "store")
    return i.run_protected(lambda: build_system(i, str(CONFIG), store, os_record))


def service(built, name):
    return next(s for s in built.shepherd if name in s.provision)


def test_pam_limits_entries_are_written_to_a_limits_file(built):
    sudo = Path(built.etc["pam.d/sudo"]).read_text()
    confs = [line.split("conf=")[1] for line in sudo.splitlines() if "pam_limits.so" in line]
    texts = sorted(Path(c).read_text() for c in confs)
    assert texts == ["@audio - rtprio 95\n* soft nofile 65536\n", "@audio hard memlock unlimited\n"]


def test_pam_limits_reach_login_sessions_only(built):
    assert "session required pam_limits.so conf=" in Path(built.etc["pam.d/login"]).read_text()
    assert "pam_limits" not in Path(built.etc["pam.d/passwd"]).read_text()


def test_pam_limits_entry_checks_its_item():
    i = Interpreter()
    with pytest.raises(Exception, match="invalid limit item"):
        i.eval_string("(use-modules (gnu system pam)) (pam-limits-entry \"*\" 'both 'files 10)")


def test_dhcpd_runs_with_the_users_config_and_interfaces(built):
    text = service(built, "dhcpd").text
    assert "/sbin/dhcpd" in text and '"-4"' in text and '"-cf"' in text and "dhcpd.conf" in text
    assert '"eth1"' in text


def test_static_networking_service_gives_the_address_with_its_prefix(built):
    assert "192.168.7.2/24 on eth0" in service(built, "networking").text
    assert "nameserver 192.168.7.1" in Path(built.etc["resolv.conf"]).read_text()


def test_grub_configuration_is_a_grub_bootloader_configuration():
    i = Interpreter()
    v = i.eval_string("(use-modules (gnu)) (let ((c (grub-configuration (targets '(\"/dev/sda\")) (timeout 1.5))))"
                      " (list (bootloader-name (bootloader-configuration-bootloader c))"
                      " (bootloader-configuration-timeout c)))")
    assert write_string(v) == "(grub 1.5)"


def test_luks_with_options_opens_with_the_key_file(built):
    i = Interpreter()
    v = i.eval_string("(use-modules (gnu) (guix gexp))"
                      " ((mapped-device-kind-open (luks-device-mapping-with-options #:key-file \"/k\""
                      " #:allow-discards? #t)) \"/dev/sda3\" '(\"data\"))")
    from schemy.system.build import lower_text

    shown = i.run_protected(lambda: lower_text(v, Store(None)))
    assert '"--key-file" "/k" "--allow-discards" "/dev/sda3" "data"' in shown


def test_mount_point_predicate_selects_the_file_system():
    i = Interpreter()
    v = i.eval_string("(use-modules (gnu)) (map file-system-device (filter (file-system-mount-point-predicate \"/\")"
                      " (list (file-system (device \"/dev/a\") (mount-point \"/\") (type \"ext4\"))"
                      " (file-system (device \"/dev/b\") (mount-point \"/srv\") (type \"ext4\")))))")
    assert write_string(v) == '("/dev/a")'


def test_deprecated_procedures_warn_and_the_config_passes_check():
    r = subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "check", str(CONFIG)],
                       capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    for name in ("static-networking-service", "pam-limits-service", "luks-device-mapping-with-options"):
        assert f"warning: '{name}' is deprecated" in r.stderr


def test_file_and_package_databases_are_weekly_shepherd_timers(built):
    text = Path(built.shepherd_file).read_text()
    assert '(make-timer-constructor (cron-string->calendar-event "10 23 * * 0")' in text
    assert '/bin/updatedb" "--prunepaths=/gnu/store /tmp /var/tmp /var/cache' in text
    assert '(cron-string->calendar-event "10 23 * * 1")' in text and '"--method=manifests"' in text


def test_and_with_a_dotted_tail_is_a_list_pattern():
    """Guile's `and' pattern wants a proper list: (and a b . c) binds `and', a, b and c."""
    i = Interpreter()
    v = i.eval_string("(use-modules (ice-9 match)) (match (list 1 2 3 4) ((and a b . c) (list and a b c)))")
    assert write_string(v) == "(1 2 3 (4))"

"""(gnu services auditd) (Guix manual, "Miscellaneous Services"): auditd run with a
configuration directory holding Guix's default auditd.conf."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, system_check

OS = """(use-modules (gnu) (gnu services auditd))
(operating-system
  (host-name "audit") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons* SERVICES %base-services)))
"""

EXPECTED_AUDITD_CONF = """log_file = /var/log/audit.log
log_format = ENRICHED
freq = 1
space_left = 5%
space_left_action = syslog
admin_space_left_action = ignore
disk_full_action = ignore
disk_error_action = syslog
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("auditd")
    config = root / "config.scm"
    config.write_text(OS.replace("SERVICES", "(service auditd-service-type)"))
    return config, build_config(config, root / "store")


def test_auditd_reads_the_default_configuration_directory(built):
    _, system = built
    auditd = next(s for s in system.shepherd if "auditd" in s.provision)
    assert '/sbin/auditd" "-c" "' in auditd.text and '#:pid-file "/var/run/auditd.pid"' in auditd.text
    directory = auditd.text.split('"-c" "')[1].split('"')[0]
    assert (Path(directory) / "auditd.conf").read_text() == EXPECTED_AUDITD_CONF


def test_auditd_config_passes_system_check(built):
    config, _ = built
    result = system_check(config)
    assert result.returncode == 0, result.stdout + result.stderr


def test_auditd_configuration_directory_is_required_when_the_record_is_given(tmp_path):
    config = tmp_path / "bad.scm"
    config.write_text(OS.replace("SERVICES", "(service auditd-service-type (auditd-configuration))"))
    result = system_check(config)
    assert result.returncode != 0 and "configuration-directory" in result.stdout + result.stderr

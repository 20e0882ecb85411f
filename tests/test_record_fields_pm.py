"""(gnu services pm): tlp-configuration has every field of Guix's, in Guix's order, and
tlp.conf is written as Guix's serializers write it (1/0, on/off, Y/N, quoted lists, maybe
fields only when set)."""

from __future__ import annotations

from pathlib import Path

import pytest
from services_more import build_services

SERVICE = """
(service tlp-service-type
         (tlp-configuration
          (usb-blacklist "1111:2222")
          (ahci-runtime-pm-on-ac? #t)
          (disk-iosched '("mq-deadline" "bfq"))
          (radeon-dpm-perf-level-on-bat "low")))
"""


@pytest.fixture(scope="module")
def tlp_conf(tmp_path_factory):
    built = build_services(tmp_path_factory.mktemp("pm"), "(gnu services pm)", SERVICE)
    return Path(built.etc["tlp.conf"]).read_text()


def test_previously_missing_tlp_fields_are_written(tlp_conf):
    assert "USB_BLACKLIST=1111:2222\n" in tlp_conf
    assert "AHCI_RUNTIME_PM_ON_AC=on\n" in tlp_conf and "AHCI_RUNTIME_PM_ON_BAT" not in tlp_conf
    assert 'DISK_IOSCHED="mq-deadline bfq"\n' in tlp_conf
    assert "RADEON_DPM_PERF_LEVEL_ON_AC=auto\nRADEON_DPM_PERF_LEVEL_ON_BAT=low\n" in tlp_conf


def test_tlp_defaults_are_guixs_with_their_value_syntax(tlp_conf):
    assert tlp_conf.startswith("TLP_ENABLE=1\nTLP_DEFAULT_MODE=AC\n")
    assert "WIFI_PWR_ON_AC=off\nWIFI_PWR_ON_BAT=on\nWOL_DISABLE=Y\n" in tlp_conf
    assert "PCIE_ASPM_ON_AC=performance\n" in tlp_conf and "AHCI_RUNTIME_PM_TIMEOUT=15\n" in tlp_conf
    assert 'RUNTIME_PM_DRIVER_BLACKLIST="radeon nouveau"\nUSB_AUTOSUSPEND=1\n' in tlp_conf
    assert "CPU_SCALING_GOVERNOR_ON_AC" not in tlp_conf and "PHC_CONTROLS" not in tlp_conf

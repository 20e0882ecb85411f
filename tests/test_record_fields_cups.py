"""(gnu services cups) fields schemy lacked and Guix has: the subscription limits, the
environment variables and ready paper sizes of cupsd.conf, and allow-empty-password? (the
"cups" PAM service)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from services_more import build_services, start_of, store_file

SERVICE = """
(service cups-service-type
         (cups-configuration
          (allow-empty-password? #t)
          (max-subscriptions 7)
          (environment-variables '("FOO=1" "BAR=2"))
          (ready-paper-sizes '("A4" "Letter"))))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_services(tmp_path_factory.mktemp("cups"), "(gnu services cups)", SERVICE)


def test_subscription_limits_and_set_lists_are_in_cupsd_conf(built):
    conf = store_file(start_of(built, "cups"), "cupsd.conf").read_text()
    assert "MaxSubscriptions 7\nMaxSubscriptionsPerJob 0\nMaxSubscriptionsPerPrinter 0\n" in conf
    assert "EnvironmentVariables FOO=1 BAR=2\n" in conf and "ReadyPaperSizes A4,Letter\n" in conf


def test_unset_ready_paper_sizes_is_left_to_cups(tmp_path):
    built = build_services(tmp_path, "(gnu services cups)", "(service cups-service-type)")
    conf = store_file(start_of(built, "cups"), "cupsd.conf").read_text()
    assert "ReadyPaperSizes" not in conf and "EnvironmentVariables" not in conf
    assert "nullok" not in Path(built.etc["pam.d/cups"]).read_text()


def test_allow_empty_password_makes_the_cups_pam_service_nullok(built):
    pam = Path(built.etc["pam.d/cups"]).read_text()
    assert re.search(r"^auth\s.*pam_unix\.so.*nullok", pam, re.M)

"""(gnu services desktop) fields schemy lacked and Guix has: elogind's hook directories and
interrupt switches (elogind-configuration is Guix's, its drop-in logind.conf and sleep.conf
written by Guix's serializers), Xfce's allow-empty-passwords? (its screensaver's PAM service)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from services_more import build_services

SERVICES = """
(service elogind-service-type
         (elogind-configuration
          (allow-suspend-interrupts? #t)
          (system-sleep-hook-files (list (program-file "lock-on-sleep" #~(exit 0))))))
(service xfce-desktop-service-type (xfce-desktop-configuration (allow-empty-passwords? #f)))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_services(tmp_path_factory.mktemp("desktop"), "(gnu services desktop)", SERVICES)


def test_elogind_interrupt_switches_are_written_to_logind_conf(built):
    conf = Path(built.etc["elogind/logind.conf.d/logind.conf"]).read_text()
    assert "AllowSuspendInterrupts=yes\n" in conf and "AllowPowerOffInterrupts=no\n" in conf
    assert "BroadcastSuspendInterrupts=no\n" in conf


def test_elogind_sleep_hooks_are_installed_executable(built):
    hooks = Path(built.etc["elogind/system-sleep"])
    (hook,) = list(hooks.iterdir())
    assert hook.name.endswith("lock-on-sleep") and os.access(hook, os.X_OK)
    assert "elogind/system-shutdown" not in built.etc


def test_xfce_screensaver_pam_service_follows_allow_empty_passwords(built):
    screensaver = Path(built.etc["pam.d/xfce4-screensaver"]).read_text()
    assert "pam_unix.so" in screensaver and "nullok" not in screensaver


def test_elogind_defaults_are_written_as_guix_writes_them(built):
    conf = Path(built.etc["elogind/logind.conf.d/logind.conf"]).read_text()
    assert conf.startswith("[Login]\nAllowPowerOffInterrupts=no\n")
    assert "KillExcludeUsers=root\nInhibitDelayMaxSec=5\n" in conf
    assert "HandleLidSwitchExternalPower=suspend\n" in conf and "LidSwitchIgnoreInhibited=no\n" in conf
    assert conf.endswith("IdleAction=ignore\nRemoveIpc=yes\n") and "RuntimeDirectorySize" not in conf
    sleep = Path(built.etc["elogind/sleep.conf.d/sleep.conf"]).read_text()
    assert sleep == ("[Sleep]\nSuspendState=mem standby freeze\nSuspendEstimationSec=3600\n"
                     "HibernateMode=platform shutdown\n")


def test_elogind_rejects_an_unknown_action(tmp_path):
    from schemy.app import Interpreter
    from schemy.lang.errors import SchemeError, render_error

    i = Interpreter()
    with pytest.raises(SchemeError) as info:
        i.eval_string("(use-modules (gnu services desktop)) (elogind-configuration (handle-lid-switch 'explode))",
                      "test.scm")
    assert "handle-lid-switch" in render_error(info.value) and "test.scm:1:" in render_error(info.value)

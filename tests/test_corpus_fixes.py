"""What real public configs needed that schemy lacked (issue 15, the unseen corpus): each
fix shown on the project's own configs (tests/configs), written with the same modules and
idioms as the configs that needed it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.guix.gexp import CURRENT_STORE
from schemy.guix.store import Store
from schemy.lang.printer import write_string
from schemy.runtime.parameters import parameterized
from schemy.system.build import build_system
from schemy.system.config import load_operating_system

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "tests" / "configs"


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


def ev(interp, text: str):
    return interp.eval_string(text, "test.scm")


def check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "check", str(path)],
                          capture_output=True, text=True, timeout=120, check=False, cwd=str(ROOT))


@pytest.fixture(scope="module")
def smartcard(tmp_path_factory):
    """tests/configs/smartcard-workstation.scm, built."""
    i = Interpreter()
    path = str(CONFIGS / "smartcard-workstation.scm")
    os_record = i.run_protected(lambda: load_operating_system(i, path))
    store = Store(tmp_path_factory.mktemp("smartcard") / "store")
    return i.run_protected(lambda: build_system(i, path, store, os_record))


# ---------------------------------------------------------------- guix-for-channels


def test_guix_for_channels_is_guix_from_those_channels(interp):
    v = ev(interp, "(use-modules (guix channels) (guix packages) (gnu packages package-management))"
                   " (define chans (cons (channel (name 'nonguix) (url \"https://example.org/nonguix\"))"
                   "                     %default-channels))"
                   " (let ((g (guix-for-channels chans)))"
                   "   (list (package-name g) (eq? (package-source g) %default-guix-channel)"
                   "         (map channel-name (cadr (package-arguments g))) (package-inputs g)))")
    assert write_string(v) == '("guix" #t (nonguix) ())'


def test_guix_channel_predicate(interp):
    v = ev(interp, "(use-modules (guix channels))"
                   " (list (guix-channel? %default-guix-channel)"
                   "       (guix-channel? (channel (name 'nonguix) (url \"u\"))))")
    assert write_string(v) == "(#t #f)"


def test_procedures_of_package_modules_are_known_to_the_hints():
    names = json.loads((ROOT / "stdlib" / "gnu" / "channel-modules.json").read_text())["names"]
    assert names["guix-for-channels"] == ["gnu packages package-management"]
    assert "gnu packages linux" in names["customize-linux"]


# ---------------------------------------------------------------- pcscd, file->udev-rule


def test_pcscd_runs_in_the_foreground_with_its_log(smartcard):
    shepherd = Path(smartcard.path, "shepherd.scm").read_text()
    assert "(service '(pcscd)" in shepherd
    assert re.search(r'-pcsc-lite-[0-9.]+/sbin/pcscd" "--foreground"\) #:log-file "/var/log/pcscd.log"', shepherd)


def test_pcscd_activation_points_var_lib_pcsc_at_the_drivers(smartcard):
    activation = Path(smartcard.path, "activate.scm").read_text()
    assert '(switch-symlinks "/var/lib/pcsc"' in activation
    assert re.search(r'-ccid-[0-9.]+/pcsc"', activation)


def test_pcscd_configuration_defaults(interp):
    v = ev(interp, "(use-modules (gnu services security-token) (guix packages))"
                   " (let ((c (pcscd-configuration)))"
                   "   (list (package-name (pcscd-configuration-pcsc-lite c))"
                   "         (map package-name (pcscd-configuration-usb-drivers c))))")
    assert write_string(v) == '("pcsc-lite" ("ccid"))'


def test_file_to_udev_rule_holds_the_files_rules(interp, tmp_path):
    rules = tmp_path / "tablet.rules"
    rules.write_text('KERNEL=="hidraw*", MODE="0666"\n')
    store = Store(tmp_path / "store")
    with parameterized([(CURRENT_STORE, store)]):
        path = ev(interp, f'(use-modules (gnu services base) (guix gexp))'
                          f' (lower-object (file->udev-rule "70-tablet.rules" (local-file "{rules}")))')
    assert str(path).endswith("-70-tablet.rules")
    assert Path(str(path)).read_text() == 'KERNEL=="hidraw*", MODE="0666"\n'


def test_polkit_service_is_deprecated_but_works(interp, capfd):
    v = ev(interp, "(use-modules (gnu services) (gnu services dbus))"
                   " (service-type-name (service-kind (polkit-service)))")
    assert write_string(v) == "polkit"
    assert "'polkit-service' is deprecated; use (service polkit-service-type)" in capfd.readouterr().err

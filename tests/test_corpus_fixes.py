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
from helpers import build_config, ev, system_check

from schemy.app import Interpreter
from schemy.guix.gexp import CURRENT_STORE
from schemy.guix.store import Store
from schemy.lang.printer import write_string
from schemy.runtime.parameters import parameterized

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "tests" / "configs"


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


check = system_check


@pytest.fixture(scope="module")
def smartcard(tmp_path_factory):
    """tests/configs/smartcard-workstation.scm, built."""
    return build_config(CONFIGS / "smartcard-workstation.scm", tmp_path_factory.mktemp("smartcard") / "store")


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


def test_package_modules_absent_from_the_snapshot_are_still_guixs():
    # tex.scm is too large for the mirror's snapshot: known by its path, not "neither has it".
    modules = json.loads((ROOT / "stdlib" / "gnu" / "channel-modules.json").read_text())["modules"]
    assert modules["gnu packages tex"] == ["guix"]


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


# ---------------------------------------------------------------- (gnu system install)


@pytest.fixture(scope="module")
def rescue(tmp_path_factory):
    """tests/configs/rescue-installer.scm (inheriting installation-os), built."""
    return build_config(CONFIGS / "rescue-installer.scm", tmp_path_factory.mktemp("rescue") / "store")


def test_installation_os_fields_are_guixs(interp):
    v = ev(interp, "(use-modules (gnu) (gnu system install))"
                   " (list (operating-system-host-name installation-os)"
                   "       (map user-account-name (operating-system-users installation-os))"
                   "       (operating-system-user-kernel-arguments installation-os)"
                   "       (map file-system-mount-point"
                   "            (list-head (operating-system-file-systems installation-os) 2)))")
    assert write_string(v) == '("gnu" ("guest") ("quiet" "modprobe.blacklist=radeon,amdgpu") ("/" "/tmp"))'


def test_installer_sshd_waits_to_be_started_by_hand(rescue):
    shepherd = Path(rescue.path, "shepherd.scm").read_text()
    sshd = shepherd[shepherd.index("(service '(ssh-daemon"):]
    assert "#:auto-start? #f" in sshd[:sshd.index("(service '", 1)]


def test_inheriting_installation_os_keeps_its_services(rescue):
    shepherd = Path(rescue.path, "shepherd.scm").read_text()
    for provision in ["(sysctl", "(term-tty3", "(connman", "(avahi-daemon", "(gpm"]:
        assert f"(service '{provision}" in shepherd


# ---------------------------------------------------------------- modules Guix removed


def test_removed_module_stands_for_the_packages_that_moved(tmp_path, capfd):
    script = tmp_path / "old.scm"
    script.write_text("(use-modules (gnu)\n             (gnu packages kde))\n"
                      "(display (eq? krita (@ (gnu packages kde-graphics) krita)))\n")
    i = Interpreter()
    i.eval_string(script.read_text(), str(script))
    out = capfd.readouterr()
    assert out.out == "#t"
    assert (f"{script}:2:13: warning: (gnu packages kde) was removed from Guix in 2025-10; its packages are "
            "now in (gnu packages kde-graphics)") in out.err


def test_removed_module_warns_once_per_place_it_is_imported(tmp_path, capfd):
    script = tmp_path / "two.scm"
    script.write_text("(use-modules (gnu packages nano))\n(use-modules (gnu packages nano))\nnano\n")
    i = Interpreter()
    i.eval_string(script.read_text(), str(script))
    i.eval_string(script.read_text(), str(script))  # the same places again: no new warning
    err = capfd.readouterr().err
    assert err.count("warning: (gnu packages nano) was removed from Guix in 2023-12") == 2
    assert f"{script}:1:13: warning" in err and f"{script}:2:13: warning" in err


def test_removed_module_with_nothing_left_is_an_error_with_its_history(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text("(use-modules (gnu)\n             (gnu packages conkeror))\n"
                      "(operating-system (host-name \"x\"))\n")
    r = check(config)
    assert f"{config}:2:13: error: no code for module (gnu packages conkeror)" in r.stderr
    assert "hint: Guix removed (gnu packages conkeror) in 2018-12; none of its packages is in Guix now" in r.stderr


def test_derive_removed_modules_from_history(tmp_path):
    repo = tmp_path / "guix"
    run = lambda *a: subprocess.run(["git", "-C", str(repo), *a], check=True, capture_output=True,  # noqa: E731
                                    env={"GIT_AUTHOR_DATE": "2024-05-01T00:00:00", "GIT_COMMITTER_DATE":
                                         "2024-05-01T00:00:00", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    (repo / "gnu" / "packages").mkdir(parents=True)
    run("init", "-q")
    run("config", "user.email", "a@b"), run("config", "user.name", "a")
    old = repo / "gnu" / "packages" / "old.scm"
    old.write_text("(define-public moved-early 1)\n(define-public gone 2)\n")
    run("add", "."), run("commit", "-qm", "add")
    old.write_text("(define-public gone 2)\n(define-public moved-late 3)\n")
    run("commit", "-qam", "move one out")
    run("rm", "-q", str(old)), run("commit", "-qm", "remove")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import derive_removed_modules as d
    finally:
        sys.path.pop(0)
    index = {"modules": {"gnu packages new": ["gnu/packages/new.scm", [["moved-early", "", "1", 1],
                                                                      ["moved-late", "", "1", 2]]]}}
    data = d.derive(str(repo / ".git"), index)
    assert data["modules"]["gnu packages old"]["removed"] == "2024-05"
    assert data["modules"]["gnu packages old"]["moved"] == {"moved-early": "gnu packages new",
                                                            "moved-late": "gnu packages new"}


# ---------------------------------------------------------------- fields and lookups of old configs


def test_bootloader_device_field_is_the_old_target(tmp_path, capfd):
    script = tmp_path / "old.scm"
    script.write_text("(use-modules (gnu))\n"
                      "(bootloader-configuration-targets\n"
                      " (bootloader-configuration (bootloader grub-bootloader)\n"
                      "                           (device \"/dev/sda\")))\n")
    v = Interpreter().eval_string(script.read_text(), str(script))
    assert write_string(v) == '("/dev/sda")'
    err = capfd.readouterr().err
    assert (f"{script}:4:27: warning: the 'device' field of bootloader-configuration was removed from Guix "
            "in 2019-01 (deprecated since 2017-08); use (targets (list \"/dev/sda\")) instead") in err


def test_inheriting_a_bootloader_configuration_still_works(interp):
    v = ev(interp, "(use-modules (gnu))"
                   " (let ((b (bootloader-configuration (bootloader grub-bootloader) (targets '(\"/dev/vda\")))))"
                   "   (bootloader-configuration-timeout (bootloader-configuration (inherit b) (timeout 3))))")
    assert v == 3


def test_a_package_nobody_has_is_reported_without_loading_every_module(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text("(use-modules (gnu) (gnu packages))\n"
                      "(operating-system (host-name \"x\") (timezone \"UTC\")\n"
                      " (bootloader (bootloader-configuration (bootloader grub-bootloader)\n"
                      "                                       (targets '(\"/dev/sda\"))))\n"
                      " (file-systems (cons (file-system (mount-point \"/\") (device \"/dev/sda1\") (type \"ext4\"))\n"
                      "                     %base-file-systems))\n"
                      " (packages (cons (specification->package \"frobnicator-deluxe\") %base-packages)))\n")
    r = check(config)
    assert "error: package 'frobnicator-deluxe' not found" in r.stderr
    assert "took more than" not in r.stderr


def test_derived_index_names_packages_a_procedure_renames(tmp_path):
    (tmp_path / "gnu" / "packages").mkdir(parents=True)
    (tmp_path / "gnu" / "packages" / "demo.scm").write_text("""
(define-module (gnu packages demo))
(define-public editor (package (name "editor") (version "30.2")))
(define* (editor->editor-next editor #:optional name #:key (version "31.0"))
  (package
    (inherit editor)
    (name (or name
              (and (string-prefix? "editor" (package-name editor))
                   (string-append "editor-next"
                                  (string-drop (package-name editor) (string-length "editor"))))))
    (version version)))
(define-public editor-next (editor->editor-next editor))
(define-public editor-named (editor->editor-next editor "editor-special"))
""")
    out = tmp_path / "index.json"
    subprocess.run([sys.executable, str(ROOT / "tools/derive_package_index.py"), "--guix", str(tmp_path),
                    "-o", str(out)], check=True, capture_output=True)
    by_var = {r[0]: r for r in json.loads(out.read_text())["modules"]["gnu packages demo"][1]}
    assert by_var["editor-next"][1:3] == ["", "31.0"]  # named editor-next, as its variable
    assert by_var["editor-named"][1:3] == ["editor-special", "31.0"]


def test_emacs_specification_is_emacs_not_emacs_next(interp):
    v = ev(interp, "(use-modules (gnu packages) (guix packages))"
                   " (list (eq? (specification->package \"emacs\") (@ (gnu packages emacs) emacs))"
                   "       (package-name (@ (gnu packages emacs) emacs-next)))")
    assert write_string(v) == '(#t "emacs-next")'

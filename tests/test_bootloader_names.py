"""Names Guix exports from (gnu bootloader), (gnu bootloader grub) and (gnu bootloader
u-boot): menu entries as data, the bootloader list and lookup, EFI chains, GRUB's
installers and every board bootloader Guix has (the board list derived from Guix's
gnu/bootloader/u-boot.scm by tools/derive_u_boot_boards.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ev, system_check

from schemy.app import Interpreter
from schemy.lang.datum import to_str

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    ev(i, "(use-modules (gnu bootloader) (gnu bootloader grub) (gnu bootloader u-boot)"
          " (gnu system file-systems) (guix gexp))")
    return i


def text(interp, code: str) -> str:
    return to_str(ev(interp, f"(object->string {code})"))


LINUX_ENTRY = """(menu-entry (label "GNU") (device (uuid "6b700d61-5550-48a1-874c-a3d86998990e" 'ext4))
  (device-mount-point "/") (linux "/gnu/store/x-linux/bzImage")
  (linux-arguments '("root=/dev/sda1")) (initrd "/gnu/store/y/initrd.cpio.gz"))"""


def test_menu_entry_to_sexp_of_a_linux_entry(interp):
    assert text(interp, f"(menu-entry->sexp {LINUX_ENTRY})") == (
        '(menu-entry (version 0) (label "GNU") (device (uuid ext4 "6b700d61-5550-48a1-874c-a3d86998990e"))'
        ' (device-mount-point "/") (linux "/gnu/store/x-linux/bzImage")'
        ' (linux-arguments ("root=/dev/sda1")) (initrd "/gnu/store/y/initrd.cpio.gz"))')


def test_sexp_to_menu_entry_round_trips(interp):
    assert text(interp, f"(menu-entry->sexp (sexp->menu-entry (menu-entry->sexp {LINUX_ENTRY})))") == \
        text(interp, f"(menu-entry->sexp {LINUX_ENTRY})")
    assert text(interp, """(let ((e (sexp->menu-entry '(menu-entry (version 0) (label "Win")
                     (device (label "EFI")) (device-mount-point #f)
                     (chain-loader "/EFI/b.efi")))))
      (list (file-system-label->string (menu-entry-device e)) (menu-entry-chain-loader e)))""") == \
        '("EFI" "/EFI/b.efi")'


def test_menu_entry_to_sexp_of_chain_and_multiboot_entries(interp):
    assert text(interp, """(menu-entry->sexp (menu-entry (label "Win") (device (file-system-label "EFI"))
                             (chain-loader "/EFI/b.efi")))""") == (
        '(menu-entry (version 0) (label "Win") (device (label "EFI")) (device-mount-point #f)'
        ' (chain-loader "/EFI/b.efi"))')
    assert text(interp, """(menu-entry->sexp (menu-entry (label "Hurd") (multiboot-kernel "/gnumach")
                             (multiboot-arguments '("noide"))
                             (multiboot-modules '(("ext2fs.static" "--readonly")))))""") == (
        '(menu-entry (version 0) (label "Hurd") (device #f) (device-mount-point #f)'
        ' (multiboot-kernel "/gnumach") (multiboot-arguments ("noide"))'
        ' (multiboot-modules (("ext2fs.static" "--readonly"))))')


def test_bootloaders_and_lookup_by_name(interp):
    names = text(interp, "(map bootloader-name (force %bootloaders))")
    for name in ("grub", "grub-efi", "grub-efi32-removable-bootloader",
                 "grub-efi-netboot-removable-bootloader", "extlinux", "u-boot", "depthcharge"):
        assert f" {name} " in f" {names[1:-1]} "
    assert text(interp, "(eq? (lookup-bootloader-by-name 'grub-efi) grub-efi-bootloader)") == "#t"


def test_efi_bootloader_chain_inherits_the_final_bootloader(interp):
    assert text(interp, """(let ((b (efi-bootloader-chain grub-efi-netboot-bootloader
                                       #:files (list (plain-file "x" "y")))))
      (list (bootloader-name b) (bootloader-configuration-file b)
            (eq? (bootloader-installer b) (bootloader-installer grub-efi-netboot-bootloader))))""") == \
        '(efi-bootloader-chain "/boot/grub/grub.cfg" #t)'


def test_grub_bootloaders_guix_adds(interp):
    assert text(interp, """(map bootloader-name (list grub-efi32-removable-bootloader
                                 grub-efi-netboot-removable-bootloader grub-mkrescue-bootloader))""") == \
        "(grub-efi32-removable-bootloader grub-efi-netboot-removable-bootloader grub-efi)"
    assert text(interp, "(map procedure? (list make-grub-efi-installer make-grub-efi-netboot-installer))") == \
        "(#t #t)"


# The boards of Guix's gnu/bootloader/u-boot.scm (commit 43770a9d8ac4), with the U-Boot
# package each installs.
U_BOOT_BOARDS = {
    "a20-olinuxino-lime": "a20-olinuxino-lime", "a20-olinuxino-lime2": "a20-olinuxino-lime2",
    "a20-olinuxino-micro": "a20-olinuxino-micro", "bananapi-m2-ultra": "bananapi-m2-ultra",
    "am335x-evm": "am335x-evm", "beaglebone-black": "am335x-boneblack",
    "cubietruck": "cubietruck", "firefly-rk3399": "firefly-rk3399", "mx6cuboxi": "mx6cuboxi",
    "novena": "novena", "orangepi-r1-plus-lts-rk3328": "orangepi-r1-plus-lts-rk3328",
    "orangepi-zero2w": "orangepi-zero2w", "pine64-plus": "pine64-plus", "pine64-lts": "pine64-lts",
    "pinebook": "pinebook", "pinebook-pro-rk3399": "pinebook-pro-rk3399",
    "nanopi-r4s-rk3399": "nanopi-r4s-rk3399", "puma-rk3399": "puma-rk3399",
    "rock-4c-plus-rk3399": "rock-4c-plus-rk3399", "rock64-rk3328": "rock64-rk3328",
    "rockpro64-rk3399": "rockpro64-rk3399", "sifive-unmatched": "sifive-unmatched",
    "qemu-riscv64": "qemu-riscv64", "starfive-visionfive2": "starfive-visionfive2",
    "ts7970-q-2g-1000mhz-c": "ts7970-q-2g-1000mhz-c", "wandboard": "wandboard",
}


def test_u_boot_exports_every_board_guix_has(interp):
    exported = text(interp, "(map symbol->string (module-map (lambda (n v) n)"
                            " (resolve-interface '(gnu bootloader u-boot))))")
    got = {n[len('"u-boot-'):-len('-bootloader"')] for n in exported[1:-1].split()} - {""}
    assert got == set(U_BOOT_BOARDS)


@pytest.mark.parametrize("board", sorted(U_BOOT_BOARDS))
def test_u_boot_board_installs_its_u_boot_package(interp, board):
    assert text(interp, f"(eq? (bootloader-package u-boot-{board}-bootloader)"
                        f" (@ (gnu packages bootloaders) u-boot-{U_BOOT_BOARDS[board]}))") == "#t"


def test_derive_u_boot_boards_reproduces_the_module():
    guix = Path("/work/.mirror/kromka-chleba+guix/repo")
    if not guix.exists():
        pytest.skip("needs a Guix git tree")
    before = (ROOT / "stdlib/gnu/bootloader/u-boot.scm").read_text()
    subprocess.run([sys.executable, str(ROOT / "tools/derive_u_boot_boards.py"), "--guix", str(guix),
                    "--commit", "43770a9d8ac439cdf9dbf73a7d316d62ab177640"], check=True,
                   capture_output=True)
    assert (ROOT / "stdlib/gnu/bootloader/u-boot.scm").read_text() == before


def test_config_selecting_bootloader_names_passes_check(tmp_path):
    cfg = tmp_path / "board.scm"
    cfg.write_text("""(use-modules (gnu) ((gnu bootloader) #:select (efi-bootloader-chain menu-entry->sexp))
             ((gnu bootloader grub) #:select (grub-efi-netboot-removable-bootloader))
             ((gnu bootloader u-boot) #:select (u-boot-rock-4c-plus-rk3399-bootloader)))
(operating-system
  (host-name "board")
  (bootloader (bootloader-configuration
               (bootloader u-boot-rock-4c-plus-rk3399-bootloader)
               (targets '("/dev/mmcblk0"))))
  (file-systems (cons (file-system (device (file-system-label "root")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems)))
""")
    result = system_check(cfg)
    assert result.returncode == 0, result.stdout + result.stderr

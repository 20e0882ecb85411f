"""(gnu services pam-mount) (Guix manual, "PAM Mount Service"): pam_mount.conf.xml as Guix
writes it with Guile's sxml->xml (compared with GNU Guile's own output), volumes from
pam-mount-volume-service-type, and pam_mount.so in the login programs' stacks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import build_config, system_check

OS = """(use-modules (gnu) (gnu services pam-mount))
(operating-system
  (host-name "pm") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons* SERVICES %base-services)))
"""

SERVICES = """(service pam-mount-service-type)
   (service pam-mount-volume-service-type
     (list (pam-mount-volume (user-name "alice") (file-system-type "crypt") (file-name "/dev/sdb1")
                             (mount-point "~/private") (options "fsck,noatime"))))"""

# What Guix hands sxml->xml, with PAM-MOUNT standing for the package's store file name.
GUILE_SXML = """(use-modules (sxml simple))
(define p "PAM-MOUNT")
(sxml->xml
 `(*TOP*
   (*PI* xml "version='1.0' encoding='utf-8'")
   (pam_mount
    (debug (@ (enable "0")))
    (mntoptions (@ (allow "nosuid,nodev,loop,encryption,fsck,nonempty,allow_root,allow_other")))
    (mntoptions (@ (require "nosuid,nodev")))
    (logout (@ (wait "0") (hup "0") (term "no") (kill "no")))
    (mkmountpoint (@ (enable "1") (remove "true")))
    (volume (@ (user "alice") (fstype "crypt") (path "/dev/sdb1") (mountpoint "~/private")
               (options "fsck,noatime")))
    (pmvarrun ,(string-append p "/sbin/pmvarrun -u '%(USER)' -o '%(OPERATION)'"))
    (cryptmount ,(string-append p "/sbin/mount.crypt '%(if %(CIPHER),-ocipher=%(CIPHER))'"
                                " '%(if %(FSKEYCIPHER),-ofsk_cipher=%(FSKEYCIPHER))'"
                                " '%(if %(FSKEYHASH),-ofsk_hash=%(FSKEYHASH))'"
                                " '%(if %(FSKEYPATH),-okeyfile=%(FSKEYPATH))'"
                                " '%(if %(OPTIONS),-o%(OPTIONS))' '%(VOLUME)' '%(MNTPT)'"))
    (cryptumount ,(string-append p "/sbin/umount.crypt '%(MNTPT)'")))))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("pam-mount")
    config = root / "config.scm"
    config.write_text(OS.replace("SERVICES", SERVICES))
    return config, build_config(config, root / "store")


def test_pam_mount_conf_xml_is_what_guile_sxml_writes(built):
    if not shutil.which("guile"):
        pytest.skip("needs guile (Debian package guile-3.0)")
    _, system = built
    text = Path(system.etc["security/pam_mount.conf.xml"]).read_text()
    package = re.search(r"<pmvarrun>(\S+)/sbin/pmvarrun", text).group(1)
    expected = subprocess.run(["guile", "-c", GUILE_SXML], capture_output=True, text=True, check=True).stdout
    assert text == expected.replace("PAM-MOUNT", package)


def test_pam_mount_is_optional_in_login_auth_and_session(built):
    _, system = built
    login = Path(system.etc["pam.d/login"]).read_text().splitlines()
    assert login[-1].startswith("session optional /") and login[-1].endswith("/lib/security/pam_mount.so")
    assert any(line.startswith("auth optional /") and "pam_mount.so" in line for line in login)
    assert "pam_mount.so" not in Path(system.etc["pam.d/passwd"]).read_text()


def test_pam_mount_volume_ranges_and_booleans(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(OS.replace("SERVICES", "(service pam-mount-service-type) (service pam-mount-volume-service-type "
                                 "(list (pam-mount-volume (user-id '(1000 . 1999)) (no-mount-as-root? #t) "
                                 "(ssh? #f))))"))
    system = build_config(config, tmp_path / "store")
    xml = Path(system.etc["security/pam_mount.conf.xml"]).read_text()
    assert '<volume uid="1000-1999" noroot="1" ssh="0" />' in xml


def test_pam_mount_config_passes_system_check(built):
    config, _ = built
    result = system_check(config)
    assert result.returncode == 0, result.stdout + result.stderr

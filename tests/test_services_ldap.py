"""LDAP (Guix manual, "LDAP Services"): nslcd-service-type of (gnu services authentication)
with the /etc/nslcd.conf Guix writes and pam_ldap, and (gnu services ldap)'s 389 directory
server with its dscreate .inf file."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, system_check

OS = """(use-modules (gnu) (gnu services authentication) (gnu services ldap))
(operating-system
  (host-name "ldap") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons* SERVICES %base-services)))
"""

SERVICES = """(service nslcd-service-type
     (nslcd-configuration (uri '("ldap://ldap1.example.org/" "ldaps://ldap2.example.org/"))
                          (base "dc=example,dc=org") (ssl 'start-tls) (threads 4)
                          (maps '((passwd "uid" "sAMAccountName")))
                          (filters '((passwd "(objectClass=user)")))
                          (nss-initgroups-ignoreusers 'all-local) (referrals #f)
                          (pam-services '("su"))))
   (service directory-server-service-type
     (directory-server-instance-configuration
       (full-machine-name "ldap.example.org")
       (slapd (slapd-configuration (instance-name "example") (root-password "secret") (port 1389)))
       (backend-userroot (backend-userroot-configuration (suffix "dc=example,dc=org")
                                                         (create-suffix-entry? #t)))))"""

# nslcd.conf: set fields in record order as "name value" (maps -> map, filters -> filter, one
# line per list element, symbols with underscores, booleans on/off), then an empty line.
EXPECTED_NSLCD = """threads 4
uid nslcd
gid nslcd
log /var/log/nslcd info
uri ldap://ldap1.example.org/
uri ldaps://ldap2.example.org/
base dc=example,dc=org
scope subtree
referrals off
map passwd uid sAMAccountName
filter passwd (objectClass=user)
ssl start_tls
nss_initgroups_ignoreusers all_local

"""

EXPECTED_INF_HEAD = """[general]
config_version = 2
full_machine_name = ldap.example.org
selinux = False
strict_host_checking = True
systemd = False
start = False

[slapd]
instance_name = example
user = dirsrv
group = dirsrv
port = 1389
secure_port = 636
root_dn = cn=Directory Manager
root_password = secret
self_sign_cert = True
self_sign_cert_valid_months = 24
backup_dir = /var/lib/dirsrv/slapd-{instance_name}/bak
"""

EXPECTED_INF_TAIL = """tmp_dir = /tmp

[backend-userroot]
create_suffix_entry = True
require_index = False
sample_entries = no
suffix = dc=example,dc=org
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("ldap")
    config = root / "config.scm"
    config.write_text(OS.replace("SERVICES", SERVICES))
    return config, build_config(config, root / "store"), root / "store"


def test_nslcd_conf_is_what_guix_serializer_writes(built):
    _, system, _ = built
    assert Path(system.etc["nslcd.conf"]).read_text() == EXPECTED_NSLCD


def test_nslcd_daemon_and_pam_ldap_only_for_chosen_services(built):
    _, system, _ = built
    nslcd = next(s for s in system.shepherd if "nslcd" in s.provision)
    assert '/sbin/nslcd" "--nofork")' in nslcd.text and '#:pid-file "/var/run/nslcd/nslcd.pid"' in nslcd.text
    assert "/lib/security/pam_ldap.so" in Path(system.etc["pam.d/su"]).read_text()
    assert "pam_ldap.so" not in Path(system.etc["pam.d/passwd"]).read_text()
    assert "nslcd" in {u["name"] for u in system.accounts["users"]}


def test_directory_server_inf_file_and_dsctl(built):
    _, system, store = built
    inf = next(store.glob("*-dirsrv-example.inf")).read_text()
    assert inf.startswith(EXPECTED_INF_HEAD) and inf.endswith(EXPECTED_INF_TAIL)
    ds = next(s for s in system.shepherd if "directory-server-example" in s.provision)
    assert '/sbin/dsctl" "example" "start")' in ds.text
    assert "dirsrv" in {u["name"] for u in system.accounts["users"]}


def test_ldap_config_passes_system_check(built):
    config, _, _ = built
    result = system_check(config)
    assert result.returncode == 0, result.stdout + result.stderr


def test_nslcd_rejects_an_unknown_map(tmp_path):
    config = tmp_path / "bad.scm"
    config.write_text(OS.replace("SERVICES", "(service nslcd-service-type (nslcd-configuration "
                                 "(maps '((nosuchmap \"a\" \"b\")))))"))
    result = system_check(config)
    assert result.returncode != 0 and "maps" in result.stdout + result.stderr

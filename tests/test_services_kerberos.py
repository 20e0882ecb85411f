"""(gnu services kerberos) (Guix manual, "Kerberos Services"): /etc/krb5.conf as Guix's
serializer writes it, and pam-krb5 in front of the PAM services."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, system_check

OS = """(use-modules (gnu) (gnu services kerberos))
(operating-system
  (host-name "kdc") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons* SERVICES %base-services)))
"""

KRB5 = """(service krb5-service-type
   (krb5-configuration
     (default-realm "EXAMPLE.COM")
     (allow-weak-crypto? #t)
     (clockskew 300)
     (default-ccache-name "/tmp/krb5cc")
     (permitted-enctypes '("aes256-cts" "aes128-cts"))
     (preferred-preauth-types '(17 16 15))
     (realms (list (krb5-realm (name "EXAMPLE.COM") (kdc '("kdc.example.com" . 88))
                               (admin-server "kerb.example.com")
                               (auth-to-local '((RULE . "RULE:[1:$1@$0]"))))
                   (krb5-realm (name "ARGRX.EDU") (kdc "kerb.argrx.edu"))))))
   (service pam-krb5-service-type (pam-krb5-configuration (minimum-uid 500)))"""

# Guix's serializer: "[libdefaults]\n\n", then the set fields in record order ("name = value",
# but "name value" for file-name fields), then "\n[realms]\n" and each realm in braces, the
# ("host" . port) KDC in brackets, free-form pairs as "key = value".
EXPECTED_KRB5 = """[libdefaults]

allow_weak_crypto = true
clockskew = 300
default_ccache_name /tmp/krb5cc
default_realm = EXAMPLE.COM
permitted_enctypes = aes256-cts aes128-cts
preferred_preauth_types = 17,16,15

[realms]

EXAMPLE.COM = {
kdc = [kdc.example.com]:88
admin_server = kerb.example.com
RULE = RULE:[1:$1@$0]
}

ARGRX.EDU = {
kdc = kerb.argrx.edu
}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("krb5")
    config = root / "config.scm"
    config.write_text(OS.replace("SERVICES", KRB5))
    return config, build_config(config, root / "store")


def test_krb5_conf_is_what_guix_serializer_writes(built):
    _, system = built
    assert Path(system.etc["krb5.conf"]).read_text() == EXPECTED_KRB5


def test_krb5_service_starts_no_daemon(built):
    _, system = built
    assert not any("krb5" in " ".join(s.provision) for s in system.shepherd)


def test_pam_krb5_is_sufficient_in_every_pam_service(built):
    _, system = built
    login = Path(system.etc["pam.d/login"]).read_text()
    for kind in ("auth", "session", "account"):
        line = next(ln for ln in login.splitlines() if ln.startswith(kind))
        assert "sufficient" in line and "/lib/security/pam_krb5.so minimum_uid=500" in line, login


def test_krb5_config_passes_system_check(built):
    config, _ = built
    result = system_check(config)
    assert result.returncode == 0, result.stdout + result.stderr


def test_krb5_realm_kdc_must_be_an_end_point(tmp_path):
    config = tmp_path / "bad.scm"
    config.write_text(OS.replace("SERVICES", '(service krb5-service-type (krb5-configuration '
                                 '(realms (list (krb5-realm (name "X") (kdc 88))))))'))
    result = system_check(config)
    assert result.returncode != 0 and "kdc" in result.stdout + result.stderr

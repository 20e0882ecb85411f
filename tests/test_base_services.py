"""The base services and friends: hosts, file systems, networking, guix, openssh, mcron, sysctl, dbus.

Services are folded from small lists (with the operating system's essential services when a
whole system is needed) and what they produce is checked: shepherd services (provision,
requirement, lowered start code), /etc files, accounts, activation.  The generated
sshd_config is validated by the real `sshd -t` when OpenSSH is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.guix.gexp import CURRENT_STORE
from schemy.guix.store import Store
from schemy.lang.datum import list_to_python, to_str
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string
from schemy.runtime.parameters import parameterized

PRELUDE = """
(use-modules (gnu) (guix packages))
(use-service-modules networking ssh mcron dbus sysctl)
(use-package-modules ssh)

(define (base-os services)
  (operating-system
    (host-name "node1")
    (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
    (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4"))
                        %base-file-systems))
    (services services)))

(define (fold-value services type)
  ;; The folded value of the service of TYPE in a system running SERVICES.
  (folded-service-value (operating-system-services (base-os services)) type))

(define (shepherd-services services)
  (fold-value services shepherd-root-service-type))

(define (find-shepherd name services)
  (find (lambda (s) (memq name (shepherd-service-provision s))) (shepherd-services services)))

(define (etc-file name services)
  (let ((entry (assoc name (fold-value services etc-service-type))))
    (and entry (cadr entry))))

(define (file-text file)
  (call-with-input-file (lower-object file) get-string-all))
"""


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    i.eval_string(PRELUDE, "prelude.scm")
    return i


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "store")
    with parameterized([(CURRENT_STORE, s)]):
        yield s


@pytest.fixture()
def ev(interp, store):
    return lambda text: interp.eval_string(text, "test.scm")


@pytest.fixture()
def show(ev):
    return lambda text: write_string(ev(text))


def error_of(ev, text: str) -> str:
    with pytest.raises(SchemeError) as info:
        ev(text)
    return str(info.value)


def names(value) -> list[str]:
    return [v.name for v in list_to_python(value)]


# ---------------------------------------------------------------- %base-services


def test_base_services_types(show):
    assert show("(map (compose service-type-name service-kind) %base-services)") == (
        "(login virtual-terminal console-fonts syslog mingetty mingetty mingetty mingetty mingetty mingetty "
        "static-networking urandom-seed guix nscd udev sysctl special-files)")


def test_base_shepherd_provisions(ev):
    provisions = names(ev("(append-map shepherd-service-provision (shepherd-services %base-services))"))
    for name in ("syslogd", "guix-daemon", "nscd", "udev", "urandom-seed", "loopback", "sysctl", "host-name",
                 "term-tty1", "term-tty6", "console-font-tty1", "virtual-terminal", "user-processes",
                 "root-file-system", "file-systems", "file-system-/proc/sys/fs/binfmt_misc"):
        assert name in provisions, name


def test_every_base_shepherd_service_is_documented(ev):
    docs = [to_str(d) for d in list_to_python(
        ev("(map shepherd-service-documentation (shepherd-services %base-services))"))]
    assert all(d and d != "[No documentation.]" for d in docs)


def test_host_provided_services_cover_the_base_provisions(ev):
    provided = set(names(ev("%host-provided-services")))
    provisions = set(names(ev("(append-map shepherd-service-provision (shepherd-services %base-services))")))
    assert provisions <= provided


def test_host_provided_predicate(show):
    assert show("""(map (lambda (name) (host-provided-service? (find-shepherd name %base-services)))
                        '(udev term-tty3 file-system-/dev/shm))""") == "(#t #t #t)"
    assert show("""(host-provided-service?
                     (find-shepherd 'ssh-daemon
                                    (cons (service openssh-service-type) %base-services)))""") == "#f"


def test_special_files_defaults(ev):
    entries = list_to_python(ev("(fold-value %base-services special-files-service-type)"))
    assert [to_str(e.car) for e in entries] == ["/bin/sh", "/usr/bin/env"]


def test_modify_services_changes_the_guix_configuration(show):
    assert show("""(guix-configuration-build-accounts
                     (fold-value (modify-services %base-services
                                   (guix-service-type config =>
                                     (guix-configuration (inherit config) (build-accounts 4))))
                                 guix-service-type))""") == "4"


def test_modify_services_delete(show):
    assert show("""(length (filter (lambda (s) (eq? (service-kind s) mingetty-service-type))
                                   (modify-services %base-services
                                     (delete mingetty-service-type))))""") == "0"


# ---------------------------------------------------------------- /etc/hosts and the host name


def test_host_record(show):
    assert show("""(let ((h (host "192.168.1.201" "node1.example.com" '("node1"))))
                     (list (host-address h) (host-canonical-name h) (host-aliases h)))""") == \
        '("192.168.1.201" "node1.example.com" ("node1"))'
    assert show('(host-aliases (host "10.0.0.1" "a"))') == "()"


def test_hosts_file_lines(ev):
    text = ev("""(file-text (etc-file "hosts"
                  (cons (simple-service 'ganeti-hosts-entries hosts-service-type
                          (list (host "192.168.1.200" "ganeti.example.com")
                                (host "192.168.1.201" "node1.example.com" '("node1"))))
                        %base-services)))""")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == ["127.0.0.1\tlocalhost\tnode1", "::1\tlocalhost\tnode1",
                     "192.168.1.200\tganeti.example.com", "192.168.1.201\tnode1.example.com\tnode1"]


def test_hosts_file_field_replaces_the_hosts_service(ev):
    text = ev("""(let ((os (operating-system (inherit (base-os %base-services))
                              (hosts-file (plain-file "hosts" "10.0.0.1 custom\\n")))))
                   (file-text (cadr (assoc "hosts" (folded-service-value (operating-system-services os)
                                                                          etc-service-type)))))""")
    assert text == "10.0.0.1 custom\n"


def test_host_name_service(show, ev):
    assert show("(shepherd-service-one-shot? (find-shepherd 'host-name '()))") == "#t"
    assert ev('(file-text (etc-file "hostname" %base-services))') == "node1\n"


# ---------------------------------------------------------------- file systems


def test_file_system_service_per_mount_point(show):
    assert show("""(let ((s (find-shepherd 'file-system-/home
                              (list (simple-service 'home file-system-service-type
                                      (list (file-system (device "/dev/sdb1") (mount-point "/home")
                                                         (type "ext4"))))))))
                     (list (shepherd-service-provision s) (shepherd-service-requirement s)))""") == \
        "((file-system-/home) (root-file-system udev))"


def test_file_system_dependencies_become_requirements(show):
    assert show("""(let* ((a (file-system (device "/dev/sdb1") (mount-point "/srv") (type "ext4")))
                          (b (file-system (device "/srv/img") (mount-point "/srv/img") (type "ext4")
                                          (dependencies (list a)))))
                     (shepherd-service-requirement
                       (find-shepherd 'file-system-/srv/img
                                      (list (simple-service 'fs file-system-service-type (list a b))))))""") \
        == "(root-file-system udev file-system-/srv)"


def test_repeated_mount_points_give_one_service(ev):
    count = ev("""(length (filter (lambda (s) (memq 'file-system-/proc/sys/fs/binfmt_misc
                                                    (shepherd-service-provision s)))
                          (shepherd-services
                            (list (simple-service 'binfmt file-system-service-type
                                                  (list %binary-format-file-system))))))""")
    assert count == 1


def test_user_processes_require_file_systems(show):
    assert show("(shepherd-service-requirement (find-shepherd 'user-processes '()))") == "(file-systems)"
    assert "file-system-/dev/shm" in show("(shepherd-service-requirement (find-shepherd 'file-systems '()))")


def test_fstab_as_guix_writes_it(ev):
    text = ev("""(file-text (etc-file "fstab"
                   (cons (simple-service (quote more-file-systems) file-system-service-type
                                  (list (file-system (device (file-system-label "data"))
                                                     (mount-point "/data") (type "xfs")
                                                     (options "noatime"))
                                        (file-system (device "/srv") (mount-point "/mnt/srv")
                                                     (type "none") (flags '(bind-mount)))))
                         %base-services)))""")
    assert text == ("# This file was generated from your Guix configuration.  Any changes\n"
                    "# will be lost upon reboot or reconfiguration.\n\n"
                    "/dev/sda1\t/\text4\tdefaults\t\n"
                    "LABEL=data\t/data\txfs\tnoatime\t\n")  # no pseudo file systems, no bind mounts


def test_swap_service(show):
    assert show("""(shepherd-service-requirement
                     (find-shepherd 'swap-/swapfile
                       (list (service swap-service-type (list (swap-space (target "/swapfile")))))))""") \
        == "(udev)"


# ---------------------------------------------------------------- networking


def test_static_networking_defaults(show):
    assert show("""(let ((s (static-networking)))
                     (list (static-networking-provision s) (static-networking-requirement s)
                           (static-networking-addresses s) (static-networking-name-servers s)))""") == \
        "((networking) (udev) () ())"


def test_network_address_ipv6_is_computed(show):
    assert show("""(map network-address-ipv6?
                        (list (network-address (device "eth0") (value "10.0.0.2/24"))
                              (network-address (device "eth0") (value "2001:db8::2/64"))))""") == "(#f #t)"


def test_static_networking_service(ev, show):
    services = """(list (service static-networking-service-type
                          (list (static-networking
                                  (addresses (list (network-address (device "eth0")
                                                                    (value "192.168.1.201/24"))))
                                  (routes (list (network-route (destination "default")
                                                               (gateway "192.168.1.254"))))
                                  (name-servers '("192.168.1.252" "192.168.1.253"))))))"""
    assert show(f"(shepherd-service-requirement (find-shepherd 'networking {services}))") == "(udev)"
    start = ev(f"(gexp->string (shepherd-service-start (find-shepherd 'networking {services})))")
    assert '("ip" "-4" "address" "add" "192.168.1.201/24" "dev" "eth0")' in start
    assert '("ip" "-4" "route" "add" "default" "via" "192.168.1.254")' in start
    resolv = ev(f'(file-text (etc-file "resolv.conf" {services}))')
    assert resolv.endswith("nameserver 192.168.1.252\nnameserver 192.168.1.253\n")


def test_loopback_from_static_networking(show):
    assert show("(static-networking-provision %loopback-static-networking)") == "(loopback)"
    assert show("(shepherd-service-requirement (find-shepherd 'loopback %base-services))") == "()"


def test_static_networking_provision_must_be_symbols(ev):
    message = error_of(ev, "(static-networking (provision '()))")
    assert "provision must be a non-empty list of symbols" in message


def test_dhcp_client_provides_networking(show):
    assert show("""(let ((s (find-shepherd 'networking (list (service dhcp-client-service-type)))))
                     (list (shepherd-service-provision s) (shepherd-service-requirement s)))""") == \
        "((networking) (udev))"


def test_ntp_service(show):
    assert show("(shepherd-service-requirement (find-shepherd 'ntpd (list (service ntp-service-type))))") == \
        "(user-processes networking)"


# ---------------------------------------------------------------- the guix daemon


def test_guix_configuration_defaults(show):
    assert show("""(let ((c (guix-configuration)))
                     (list (guix-configuration-build-group c) (guix-configuration-build-accounts c)
                           (guix-configuration-authorize-key? c) (guix-configuration-build-machines c)
                           (guix-configuration-extra-options c)))""") == '("guixbuild" 10 #t () ())'


def test_guix_build_accounts(show):
    accounts = show("""(map user-account-name
                            (filter user-account? (fold-value %base-services account-service-type)))""")
    assert accounts.count("guixbuilder") == 10


def test_guix_extension_adds_build_machines(ev):
    services = """(cons (simple-service 'offload guix-service-type
                          (guix-extension
                            (build-machines (list #~(build-machine (name "vm") (systems '("x86_64-linux")))))
                            (authorized-keys (list (plain-file "vm.pub" "(public-key vm)")))))
                        %base-services)"""
    assert ev(f"(length (guix-configuration-build-machines (fold-value {services} guix-service-type)))") == 1
    machines = ev(f'(file-text (etc-file "guix/machines.scm" {services}))')
    assert '(build-machine (name "vm")' in machines
    acl = ev(f'(file-text (etc-file "guix/acl" {services}))')
    assert acl.startswith("(acl\n") and "(public-key vm)" in acl
    assert "8D156F295D24B0D9A86FA5741A840FF2D24F60F7B6C4134814AD55625971B394" in acl


def test_guix_extension_must_be_a_record(ev):
    assert "is not a guix-extension record" in error_of(
        ev, "(fold-value (cons (simple-service 'x guix-service-type 42) %base-services) guix-service-type)")


def test_guix_daemon_command(ev):
    start = ev("(gexp->string (shepherd-service-start (find-shepherd 'guix-daemon %base-services)))")
    assert "/bin/guix-daemon" in start
    assert '"--build-users-group=guixbuild"' in start


# ---------------------------------------------------------------- syslog, nscd, udev


def test_syslog_service(ev, show):
    assert show("(shepherd-service-requirement (find-shepherd 'syslogd %base-services))") == \
        "(user-processes)"
    start = ev("(gexp->string (shepherd-service-start (find-shepherd 'syslogd %base-services)))")
    assert "/libexec/syslogd" in start and "--rcfile" in start


def test_nscd_configuration_file(ev):
    text = ev('(file-text (etc-file "nscd.conf" %base-services))')
    assert "enable-cache\thosts\tyes\n" in text
    assert "positive-time-to-live\thosts\t43200\n" in text


def test_udev_is_extensible_with_rules(ev):
    count = ev("""(length (udev-configuration-rules
                    (fold-value (cons (udev-rules-service 'kvm (udev-rule "90-kvm.rules" "KERNEL==\\"kvm\\""))
                                      %base-services)
                                udev-service-type)))""")
    assert count == 1


# ---------------------------------------------------------------- openssh


def test_openssh_defaults(show):
    assert show("""(let ((c (openssh-configuration)))
                     (list (openssh-configuration-port-number c) (openssh-configuration-permit-root-login c)
                           (openssh-configuration-password-authentication? c)
                           (openssh-configuration-subsystems c) (openssh-configuration-log-level c)
                           (openssh-configuration-pid-file c)
                           (openssh-configuration-max-connections c)))""") == \
        '(22 #f #t (("sftp" "internal-sftp")) info "/var/run/sshd.pid" 200)'


def test_ssh_daemon_shepherd_service(ev, show):
    services = "(cons (service openssh-service-type) %base-services)"
    assert show(f"""(let ((s (find-shepherd 'ssh-daemon {services})))
                      (list (shepherd-service-provision s) (shepherd-service-requirement s)))""") == \
        "((ssh-daemon ssh sshd) (syslogd loopback))"
    start = ev(f"(gexp->string (shepherd-service-start (find-shepherd 'sshd {services})))")
    assert '/sbin/sshd" "-D" "-f" "' in start and '#:pid-file "/var/run/sshd.pid"' in start


def test_sshd_config_contents(ev):
    text = ev("""(file-text (openssh-config-file
                  (openssh-configuration (port-number 2222) (permit-root-login 'prohibit-password)
                                         (accepted-environment '("COLORTERM"))
                                         (extra-content "ClientAliveInterval 30"))))""")
    lines = text.splitlines()
    for line in ("Port 2222", "PermitRootLogin prohibit-password", "PasswordAuthentication yes",
                 "UsePAM yes", "LogLevel INFO", "AcceptEnv COLORTERM", "Subsystem\tsftp\tinternal-sftp",
                 "ClientAliveInterval 30", "PidFile /var/run/sshd.pid"):
        assert line in lines, line


@pytest.mark.skipif(not os.path.exists("/usr/sbin/sshd"),
                    reason="OpenSSH server not installed: apt-get install openssh-server")
def test_sshd_accepts_the_generated_config(ev, tmp_path):
    key = tmp_path / "host_ed25519_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", exist_ok=True)
    path = ev(f"""(lower-object (openssh-config-file
                   (openssh-configuration (port-number 2222) (permit-root-login 'prohibit-password)
                                          (x11-forwarding? #t) (accepted-environment '("LANG"))
                                          (subsystems '(("sftp" "internal-sftp")))
                                          (extra-content "HostKey {key}"))))""")
    result = subprocess.run(["/usr/sbin/sshd", "-t", "-f", path], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_openssh_accounts_and_pam(show, ev):
    services = "(cons (service openssh-service-type) %base-services)"
    assert show(f"""(let ((a (find (lambda (x) (and (user-account? x)
                                                     (string=? "sshd" (user-account-name x))))
                                   (fold-value {services} account-service-type))))
                      (list (user-account-group a) (user-account-system? a)))""") == '("sshd" #t)'
    assert ev(f'(file-text (etc-file "pam.d/sshd" {services}))').startswith("# This file")


def test_openssh_activation_generates_host_keys(ev):
    on = ev("(gexp->string (car (fold-value (list (service openssh-service-type)) activation-service-type)))")
    assert '/bin/ssh-keygen" "-A"' in on and "(when #t" in on
    off = ev("""(gexp->string (car (fold-value (list (service openssh-service-type
                                                        (openssh-configuration (generate-host-keys? #f))))
                                               activation-service-type)))""")
    assert "(when #f" in off


def test_authorized_keys_land_in_etc(ev):
    services = """(list (service openssh-service-type
                           (openssh-configuration
                             (authorized-keys `(("alice" ,(plain-file "a.pub" "ssh-ed25519 AAAA alice"))
                                                ("root" ,(plain-file "r.pub" "ssh-ed25519 BBBB root\\n"))))))
                         (simple-service 'more-keys openssh-service-type
                           `(("alice" ,(plain-file "a2.pub" "ssh-ed25519 CCCC alice2")))))"""
    assert ev(f'(file-text (etc-file "ssh/authorized_keys.d/alice" {services}))') == \
        "ssh-ed25519 AAAA alice\nssh-ed25519 CCCC alice2\n"
    assert ev(f'(file-text (etc-file "ssh/authorized_keys.d/root" {services}))') == "ssh-ed25519 BBBB root\n"


def test_invalid_permit_root_login(ev):
    message = error_of(ev, "(openssh-configuration (permit-root-login 'maybe))")
    assert "invalid permit-root-login 'maybe" in message


def test_invalid_port_number(ev):
    assert "invalid port-number 70000" in error_of(ev, "(openssh-configuration (port-number 70000))")


# ---------------------------------------------------------------- mcron, sysctl, dbus


def test_mcron_jobs_reach_the_service_value(ev, show):
    services = """(list (service mcron-service-type
                                 (mcron-configuration (jobs (list #~(job "45 1 * * *" "updatedb")))))
                        (simple-service 'backup mcron-service-type
                          (list #~(job '(next-hour '(3)) "backup"))))"""
    jobs = ev(f"(map gexp->string (mcron-configuration-jobs (fold-value {services} mcron-service-type)))")
    assert [to_str(j) for j in list_to_python(jobs)] == ['(job "45 1 * * *" "updatedb")',
                                                         "(job (quote (next-hour (quote (3)))) \"backup\")"]
    assert show(f"(shepherd-service-requirement (find-shepherd 'mcron {services}))") == "(user-processes)"


def test_mcron_jobs_text_for_the_backend(ev, store):
    from schemy.system.build import mcron_jobs_text

    value = ev("""(fold-value (list (simple-service 'j mcron-service-type (list #~(job "* * * * *" "true"))))
                              mcron-service-type)""")
    assert '(job "* * * * *" "true")' in mcron_jobs_text(value, store)


def test_sysctl_settings_are_extended(ev):
    text = ev("""(file-text (etc-file "sysctl.conf"
                  (cons (simple-service 'forward sysctl-service-type '(("net.ipv4.ip_forward" . "1")))
                        %base-services)))""")
    assert "fs.protected_hardlinks = 1\n" in text
    assert text.endswith("net.ipv4.ip_forward = 1\n")


def test_sysctl_accepts_an_alist(ev):
    text = ev("""(file-text (etc-file "sysctl.conf"
                  (cons (service sysctl-service-type '(("vm.swappiness" . 10)))
                        (modify-services %base-services (delete sysctl-service-type)))))""")
    assert text.endswith("vm.swappiness = 10\n")


def test_polkit_extends_dbus(show):
    services = "(list (service dbus-root-service-type) (service polkit-service-type) polkit-wheel-service)"
    assert show(f"""(map package-name
                         (dbus-configuration-services (fold-value {services} dbus-root-service-type)))""") \
        == '("polkit")'
    assert show(f"(length (polkit-configuration-actions (fold-value {services} polkit-service-type)))") == "1"
    assert show(f"(shepherd-service-provision (find-shepherd 'dbus-system {services}))") == "(dbus-system)"


def test_gexps_of_every_base_service_lower(ev, store):
    # Every start/stop gexp of the base system lowers to Scheme text without error.
    texts = ev("""(append-map (lambda (s) (list (gexp->string (shepherd-service-start s))
                                                (gexp->string (shepherd-service-stop s))))
                              (shepherd-services (cons (service openssh-service-type) %base-services)))""")
    assert len(list_to_python(texts)) > 40


@pytest.mark.skipif(shutil.which("sshd") is None and not os.path.exists("/usr/sbin/sshd"),
                    reason="OpenSSH server not installed: apt-get install openssh-server")
def test_openssh_package_points_at_the_host_sshd(ev):
    item = Path(ev("(lower-object openssh)"))
    assert (item / "sbin" / "sshd").exists()

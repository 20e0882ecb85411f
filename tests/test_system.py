"""(gnu system) and friends: operating-system, accounts, file systems, bootloaders, (gnu).

Records are built from Scheme and their defaults, thunked and inherited fields checked; the
bare-bones example of the manual is evaluated as a config file, its services folded and the
system built in a temporary store; errors must point at the offending form.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.guix.store import Store
from schemy.lang.datum import list_to_python, to_str
from schemy.lang.errors import SchemeError
from schemy.lang.printer import display_string, write_string
from schemy.system.build import build_system, fold_operating_system
from schemy.system.config import load_operating_system

ROOT = Path(__file__).resolve().parent.parent
BARE_BONES = ROOT / "examples" / "bare-bones.scm"

PRELUDE = """
(use-modules (gnu) (guix packages))
(use-service-modules networking ssh)

(define %test-os
  (operating-system
    (host-name "komputilo")
    (bootloader (bootloader-configuration
                 (bootloader grub-bootloader)
                 (targets '("/dev/sdX"))))
    (file-systems (cons (file-system
                          (device (file-system-label "my-root"))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))
    (users (cons (user-account
                  (name "alice")
                  (group "users")
                  (supplementary-groups '("wheel" "audio" "video")))
                 %base-user-accounts))))

(define (folded os type)
  (folded-service-value (operating-system-services os) type))
"""


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    i.eval_string(PRELUDE, "prelude.scm")
    return i


@pytest.fixture()
def ev(interp):
    return lambda text: interp.eval_string(text, "test.scm")


@pytest.fixture()
def show(ev):
    return lambda text: write_string(ev(text))


def error_of(ev, text: str, filename: str = "test.scm") -> str:
    with pytest.raises(SchemeError) as info:
        ev(text)
    return str(info.value)


# ---------------------------------------------------------------- user accounts and groups


def test_user_account_defaults(show):
    assert show("""(let ((a (user-account (name "bob"))))
                     (list (user-account-group a) (user-account-supplementary-groups a)
                           (user-account-comment a) (user-account-create-home-directory? a)
                           (user-account-uid a) (user-account-password a)
                           (user-account-system? a) (user-account-shell a)))""") == \
        '("users" () "" #t #f #f #f "/bin/bash")'


def test_home_directory_is_thunked_on_the_name(ev):
    assert ev('(user-account-home-directory (user-account (name "alice")))') == "/home/alice"


def test_inherit_recomputes_thunked_home_directory(ev):
    assert ev("""(user-account-home-directory
                   (user-account (inherit (user-account (name "alice"))) (name "bob")))""") == "/home/bob"


def test_explicit_home_directory_is_kept(ev):
    assert ev('(user-account-home-directory (user-account (name "x") (home-directory "/srv/x")))') == "/srv/x"


def test_user_account_location_is_innate(ev):
    text = ev("""(let* ((a (user-account (name "a")))
                        (b (user-account (inherit a) (name "b"))))
                   (list (user-account-location a) (user-account-location b)))""")
    first, second = list_to_python(text)
    assert str(first) != str(second)


def test_user_group_defaults(show):
    assert show('(let ((g (user-group (name "libvirt")))) (list (user-group-id g) (user-group-system? g)))') \
        == "(#f #f)"


def test_base_groups_are_those_of_the_fact_sheet(show):
    assert show("(map user-group-name %base-groups)") == (
        '("root" "wheel" "users" "nogroup" "tty" "dialout" "kmem" "input" "video" "audio" '
        '"netdev" "lp" "disk" "floppy" "cdrom" "tape" "kvm")')
    assert show("(every user-group-system? %base-groups)") == "#t"
    assert show("""(map (lambda (n) (user-group-id (find (lambda (g) (string=? n (user-group-name g)))
                                                         %base-groups)))
                        '("root" "users" "nogroup"))""") == "(0 100 65534)"


def test_base_user_accounts_hold_nobody(show):
    assert show("""(map (lambda (a) (list (user-account-name a) (user-account-uid a) (user-account-group a)
                                          (user-account-home-directory a) (user-account-system? a)
                                          (user-account-create-home-directory? a)))
                        %base-user-accounts)""") == '(("nobody" 65534 "nogroup" "/nonexistent" #t #f))'


def test_bad_uid_is_reported_at_the_form(ev):
    message = error_of(ev, '\n  (user-account (name "bob") (uid "12"))')
    assert message.startswith("test.scm:2:2: error: user-account: uid must be")


def test_skeleton_directory_holds_the_skeletons(ev, tmp_path):
    from schemy.guix.gexp import lower_object

    skel = ev("(skeleton-directory (default-skeletons))")
    path = Path(lower_object(skel, Store(tmp_path / "store")))
    assert sorted(p.name for p in path.iterdir()) == \
        [".bash_profile", ".bashrc", ".guile", ".nanorc", ".zlogin"]
    assert "bashrc" in (path / ".bash_profile").read_text()


# ---------------------------------------------------------------- file systems, uuids, swap


def test_file_system_defaults(show):
    assert show("""(let ((fs (file-system (device "/dev/sda1") (mount-point "/home") (type "ext4"))))
                     (list (file-system-options fs) (file-system-flags fs) (file-system-mount? fs)
                           (file-system-needed-for-boot? fs) (file-system-check? fs)
                           (file-system-create-mount-point? fs) (file-system-dependencies fs)))""") == \
        "(#f () #t #f #t #f ())"


def test_root_file_system_is_needed_for_boot(ev):
    assert ev("""(file-system-needed-for-boot?
                   (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")))""") is True


def test_missing_file_system_field_is_reported(ev):
    assert "missing field initializers (type)" in error_of(ev, '(file-system (device "x") (mount-point "/"))')


def test_relative_mount_point_is_rejected(ev):
    assert "mount point \"home\" is not an absolute file name" in \
        error_of(ev, '(file-system (device "x") (mount-point "home") (type "ext4"))')


def test_unknown_flag_is_rejected(ev):
    assert "unknown flag 'nosuid'" in \
        error_of(ev, "(file-system (device \"x\") (mount-point \"/x\") (type \"ext4\") (flags '(nosuid)))")


def test_uuid_round_trips(ev):
    assert ev('(uuid->string (uuid "6B700D61-5550-48A1-874C-A3D86998990E" \'ext4))') == \
        "6b700d61-5550-48a1-874c-a3d86998990e"
    assert ev("(uuid->string (uuid \"abcd-1234\" 'fat32))") == "ABCD-1234"
    assert ev('(uuid? (uuid "6b700d61-5550-48a1-874c-a3d86998990e"))') is True
    # Guix keeps the type given.
    assert ev('(uuid-type (uuid "6b700d61-5550-48a1-874c-a3d86998990e" \'btrfs))').name == "btrfs"


def test_invalid_uuid_is_reported_at_the_form(ev):
    message = error_of(ev, "\n(list 1\n   (uuid \"not-a-uuid\" 'ext4))")
    assert message.startswith("test.scm:3:3: error: invalid UUID for a ext4 file system")


def test_base_file_systems_include_binfmt_misc(show):
    assert show("(map file-system-mount-point %base-file-systems)") == (
        '("/dev/pts" "/sys/kernel/debug" "/dev/shm" "/gnu/store" "/proc/sys/fs/binfmt_misc" '
        '"/sys/fs/cgroup")')
    assert show("(file-system-type %binary-format-file-system)") == '"binfmt_misc"'


def test_fstab_line_for_a_labelled_file_system(ev):
    assert ev("""(file-system->fstab-line
                   (file-system (device (file-system-label "my-root"))
                                (mount-point "/") (type "ext4")))""") == \
        "LABEL=my-root\t/\text4\tdefaults\t0\t1\n"


def test_swap_space_defaults(show):
    assert show("""(let ((s (swap-space (target "/swapfile"))))
                     (list (swap-space-target s) (swap-space-priority s) (swap-space-discard? s)))""") == \
        '("/swapfile" #f #f)'


def test_mapped_device_target_becomes_targets(show):
    assert show("""(let ((d (mapped-device (source (uuid "6b700d61-5550-48a1-874c-a3d86998990e"))
                                           (target "my-root") (type luks-device-mapping))))
                     (list (mapped-device-targets d) (mapped-device-target d)
                           (mapped-device-kind-name (mapped-device-type d))))""") == \
        '(("my-root") "my-root" luks)'


# ---------------------------------------------------------------- keyboard, nss, bootloader


def test_keyboard_layout(show):
    assert show("""(let ((k (keyboard-layout "us" "altgr-intl" #:options '("ctrl:nocaps"))))
                     (list (keyboard-layout-name k) (keyboard-layout-variant k)
                           (keyboard-layout-model k) (keyboard-layout-options k)))""") == \
        '("us" "altgr-intl" #f ("ctrl:nocaps"))'


def test_mdns_nss_hosts_line(ev):
    (ev("(use-system-modules nss)"))
    text = ev("(name-service-switch->string %mdns-host-lookup-nss)")
    assert "hosts:\tfiles mdns_minimal [NOTFOUND=return] dns mdns\n" in text
    assert "passwd:\tfiles\n" in text


def test_default_nss_asks_dns(ev):
    # Guix's %default-nss: DNS is authoritative unless unavailable.
    assert "hosts:\tfiles dns [!UNAVAIL=return]\n" in ev("(name-service-switch->string %default-nss)")


def test_bootloader_configuration_defaults(show):
    assert show("""(let ((b (bootloader-configuration (bootloader grub-efi-bootloader)
                                                       (targets '("/boot/efi")))))
                     (list (bootloader-name (bootloader-configuration-bootloader b))
                           (bootloader-configuration-targets b) (bootloader-configuration-timeout b)
                           (bootloader-configuration-menu-entries b) (bootloader-configuration-theme b)
                           (bootloader-configuration-keyboard-layout b)))""") == \
        '(grub-efi ("/boot/efi") 5 () #f #f)'


def test_grub_bootloaders_are_distinct(show):
    assert show("""(map bootloader-name
                        (list grub-bootloader grub-efi-bootloader grub-efi-removable-bootloader))""") \
        == "(grub grub-efi grub-efi-removable-bootloader)"


def test_grub_configuration_file_has_menu_entries(ev, tmp_path):
    from schemy.guix.gexp import lower_object

    cfg = ev("""(grub-configuration-file
                  (bootloader-configuration (bootloader grub-bootloader) (timeout 3)
                    (menu-entries (list (menu-entry (label "Other") (linux "/vmlinuz")
                                                    (linux-arguments '("quiet")) (initrd "/initrd")))))
                  '())""")
    text = Path(lower_object(cfg, Store(tmp_path / "store"))).read_text()
    assert "set timeout=3\n" in text
    assert 'menuentry "Other" {\n  linux /vmlinuz quiet\n  initrd /initrd\n}\n' in text


def test_timeout_given_as_a_string_is_written_as_guix_writes_it(ev, tmp_path):
    from schemy.guix.gexp import lower_object

    cfg = ev("""(grub-configuration-file
                  (bootloader-configuration (bootloader grub-efi-bootloader) (targets '("/boot/efi"))
                                            (timeout "0"))
                  '())""")
    assert "set timeout=0\n" in Path(lower_object(cfg, Store(tmp_path / "store"))).read_text()
    assert "must be a number of seconds" in error_of(
        ev, "(bootloader-configuration (bootloader grub-bootloader) (timeout \"soon\"))")


def test_bootloader_needs_a_bootloader_record(ev):
    assert "is not a bootloader" in error_of(ev, "(bootloader-configuration (bootloader 'grub))")


# ---------------------------------------------------------------- operating-system


def test_operating_system_defaults(show):
    assert show("""(list (operating-system-timezone %test-os) (operating-system-locale %test-os)
                         (operating-system-host-name %test-os) (operating-system-hosts-file %test-os)
                         (operating-system-swap-devices %test-os) (operating-system-mapped-devices %test-os)
                         (operating-system-keyboard-layout %test-os)
                         (operating-system-kernel-arguments %test-os))""") == \
        '("Etc/UTC" "en_US.utf8" "komputilo" #f () () #f ("quiet"))'


def test_operating_system_default_lists(ev):
    assert ev("(eq? (operating-system-groups %test-os) %base-groups)") is True
    assert ev("(eq? (operating-system-packages %test-os) %base-packages)") is True
    assert ev("(eq? (operating-system-user-services %test-os) %base-services)") is True
    assert ev("(eq? (operating-system-name-service-switch %test-os) %default-nss)") is True


def test_base_packages_are_packages(show):
    assert show("(every package? %base-packages)") == "#t"
    names = show("(map package-name %base-packages)")
    for name in ("bash", "coreutils", "grep", "sed", "tar", "gzip", "less", "nano"):
        assert f'"{name}"' in names


def test_operating_system_label_names_the_kernel(ev):
    assert ev("(operating-system-label %test-os)").startswith("GNU with Linux-Libre ")


def test_services_are_essential_then_user_services(ev):
    assert ev("""(equal? (map service-kind (operating-system-services %test-os))
                         (map service-kind
                              (append (operating-system-essential-services %test-os)
                                      (operating-system-user-services %test-os))))""") is True


def test_essential_services_cover_the_core_types(show):
    names = show("""(map (compose service-type-name service-kind)
                         (operating-system-essential-services %test-os))""")
    for name in ("system", "shepherd-root", "account", "etc", "profile", "host-name", "hosts", "file-systems",
                 "user-processes", "root-file-system", "activate", "pam", "privileged-program", "firmware"):
        assert f" {name}" in " " + names.strip("()"), name


def test_essential_services_follow_inherit(ev):
    assert ev("""(folded (operating-system (inherit %test-os) (host-name "other"))
                         host-name-service-type)""") == "other"


def test_accounts_hold_root_first(show):
    assert show("""(let ((root (car (operating-system-accounts %test-os))))
                     (list (user-account-name root) (user-account-uid root) (user-account-group root)
                           (user-account-home-directory root) (user-account-shell root)))""") == \
        '("root" 0 "root" "/root" "/bin/bash")'


def test_account_service_value_holds_users_and_groups(show):
    value = show("""(map (lambda (x) (if (user-account? x) (user-account-name x) (user-group-name x)))
                         (folded %test-os account-service-type))""")
    for name in ("root", "alice", "nobody", "wheel", "kvm", "guixbuild", "guixbuilder01"):
        assert f'"{name}"' in value


def test_etc_entries_of_the_operating_system(ev):
    entries = ev("(map car (folded %test-os etc-service-type))")
    names = [to_str(n) for n in list_to_python(entries)]
    for name in ("hostname", "hosts", "timezone", "issue", "nsswitch.conf", "fstab", "shells", "sudoers",
                 "profile", "skel", "pam.d/login"):
        assert name in names


def test_profile_holds_the_packages(ev):
    assert ev("""(every (lambda (p) (memq p (folded %test-os profile-service-type)))
                        %base-packages)""") is not False


def test_missing_root_file_system_is_an_error(ev):
    message = error_of(ev, """(operating-system-services
                                (operating-system (host-name "x")
                                  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
                                  (file-systems %base-file-systems)))""")
    assert "missing root file system" in message


def test_misspelled_field_is_reported_at_the_form(ev):
    text = """
(operating-system
  (hostname "komputilo")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems))"""
    assert error_of(ev, text).splitlines()[0] == "test.scm:2:0: error: extraneous field initializers (hostname)"


def test_missing_fields_are_named(ev):
    assert "missing field initializers (bootloader)" in \
        error_of(ev, '(operating-system (host-name "x") (file-systems %base-file-systems))')


def test_invalid_host_name_is_rejected(ev):
    assert 'host name "my host" contains invalid characters' in error_of(ev, """(operating-system (inherit %test-os)
                                                               (host-name "my host"))""")


def test_host_name_with_underscore_is_accepted_as_guix_does(ev):
    """Guix only refuses whitespace in a host name (its /etc/hosts check)."""
    value = ev("""(operating-system-host-name (operating-system (inherit %test-os) (host-name "christoph_pc")))""")
    assert value == "christoph_pc"


def test_host_record_with_whitespace_is_rejected(ev):
    assert "host name 'a b' contains invalid characters" in error_of(ev, '(host "127.0.0.1" "a b")')


# ---------------------------------------------------------------- (gnu) and the module shorthands


def test_gnu_reexports_the_system_vocabulary(ev):
    fresh = Interpreter()
    value = fresh.eval_string("""(use-modules (gnu))
        (list operating-system? user-account? file-system? uuid bootloader-configuration? grub-bootloader
              keyboard-layout %default-nss service-type? %base-services host
              static-networking-service-type shepherd-service? %base-packages specification->package coreutils
              %base-initrd-modules mapped-device? pam-service?)""", "gnu.scm")
    assert len(list_to_python(value)) == 19


def test_use_service_modules_imports_into_the_using_module(ev):
    fresh = Interpreter()
    value = fresh.eval_string("""(use-modules (gnu) (guix packages))
        (use-service-modules ssh mcron)
        (use-package-modules screen)
        (list (service-type-name openssh-service-type) (service-type-name mcron-service-type)
              (package-name screen))""", "shorthand.scm")
    assert write_string(value) == '(openssh mcron "screen")'


def test_unknown_service_module_is_reported(ev):
    fresh = Interpreter()
    with pytest.raises(SchemeError) as info:
        fresh.eval_string("(use-modules (gnu))\n(use-service-modules no-such-thing)", "bad.scm")
    assert "no code for module (gnu services no-such-thing)" in str(info.value)


# ---------------------------------------------------------------- the bare-bones example


@pytest.fixture(scope="module")
def bare_bones():
    i = Interpreter()
    os_record = i.run_protected(lambda: load_operating_system(i, str(BARE_BONES)))
    services, values, _ = i.run_protected(lambda: fold_operating_system(i, os_record))
    return i, os_record, services, values


def test_bare_bones_evaluates_to_an_operating_system(bare_bones):
    i, os_record, _, _ = bare_bones
    assert display_string(os_record) == "#<operating-system komputilo>"


def test_bare_bones_etc_has_hostname_hosts_and_timezone(bare_bones):
    _, _, _, values = bare_bones
    names = [to_str(e.car) for e in list_to_python(values["etc"])]
    for name in ("hostname", "hosts", "timezone", "issue", "nsswitch.conf", "resolv.conf"):
        assert name in names


def test_bare_bones_shepherd_services(bare_bones):
    from schemy.lang.datum import Symbol
    from schemy.runtime.records import record_ref

    _, _, _, values = bare_bones
    services = {}
    for s in list_to_python(values["shepherd-root"]):
        provision = [p.name for p in list_to_python(record_ref(s, Symbol("provision")))]
        requirement = [p.name for p in list_to_python(record_ref(s, Symbol("requirement")))]
        services[provision[0]] = (provision, requirement)
    assert services["ssh-daemon"] == (["ssh-daemon", "ssh", "sshd"], ["syslogd", "loopback"])
    assert services["networking"][1] == ["udev"]
    assert "loopback" in services
    assert services["user-processes"][1] == ["file-systems"]
    for name in ("syslogd", "guix-daemon", "nscd", "udev", "urandom-seed", "host-name", "term-tty1",
                 "file-system-/proc/sys/fs/binfmt_misc", "file-systems", "root-file-system"):
        assert name in services, name


def test_bare_bones_builds(bare_bones, tmp_path):
    i, os_record, _, _ = bare_bones
    built = i.run_protected(lambda: build_system(i, str(BARE_BONES), Store(tmp_path / "store"), os_record))
    hosts = Path(built.etc["hosts"]).read_text()
    assert "127.0.0.1\tlocalhost\tkomputilo\n" in hosts
    assert "::1\tlocalhost\tkomputilo\n" in hosts
    assert Path(built.etc["hostname"]).read_text() == "komputilo\n"
    assert Path(built.etc["timezone"]).read_text() == "Europe/Berlin\n"
    assert Path(built.etc["resolv.conf"]).read_text().endswith("nameserver 192.168.1.1\n")
    users = {u["name"]: u for u in built.accounts["users"]}
    assert users["alice"]["home"] == "/home/alice"
    assert users["alice"]["supplementary-groups"] == ["wheel", "audio", "video"]
    assert users["root"]["uid"] == 0 and users["root"]["home"] == "/root"
    assert users["sshd"]["system"] is True
    assert users["nobody"]["uid"] == 65534
    host_provided = {i.provision[0] for i in built.shepherd if i.host_provided}
    assert "ssh-daemon" not in host_provided
    assert {"syslogd", "udev", "guix-daemon", "term-tty1", "loopback", "networking"} <= host_provided
    services = json.loads(Path(built.path, "services.json").read_text())
    assert any(s["type"] == "openssh" for s in services["services"])

"""Names Guix exports from its (gnu system ...) modules that configs import by
name (`#:select`) or call: each is available from the module Guix has it in and
gives what Guix gives (facts read from Guix's tree: gnu/system/*.scm)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ev, system_check

from schemy.app import Interpreter
from schemy.lang.datum import to_str


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


def text(interp, code: str) -> str:
    return to_str(ev(interp, code))


# (gnu system accounts): Guix defines the account records there.

ACCOUNT_NAMES = """user-account user-account? user-account-name user-account-password
user-account-uid user-account-group user-account-supplementary-groups user-account-comment
user-account-home-directory user-account-create-home-directory? user-account-shell
user-account-system? user-group user-group? user-group-name user-group-password user-group-id
user-group-system? sexp->user-account sexp->user-group default-shell""".split()


def test_accounts_exports_every_account_accessor_guix_has(interp):
    ev(interp, f"(use-modules ((gnu system accounts) #:select ({' '.join(ACCOUNT_NAMES)})))")
    got = text(interp, """(let ((a (user-account (name "alice") (group "users") (uid 1000)
                                        (supplementary-groups '("wheel")))))
      (object->string (list (user-account-name a) (user-account-home-directory a)
                            (user-account-uid a) (user-account-group a)
                            (user-account-supplementary-groups a) (user-account-comment a)
                            (user-account-create-home-directory? a) (user-account-system? a)
                            (user-account-password a))))""")
    assert got == '("alice" "/home/alice" 1000 "users" ("wheel") "" #t #f #f)'


def test_accounts_group_accessors(interp):
    ev(interp, "(use-modules (gnu system accounts))")
    got = text(interp, """(let ((g (user-group (name "kvm") (id 302) (system? #t))))
      (object->string (list (user-group-name g) (user-group-id g) (user-group-system? g)
                            (user-group-password g))))""")
    assert got == '("kvm" 302 #t #f)'


def test_default_shell_parameter_sets_the_shell_of_new_accounts(interp):
    ev(interp, "(use-modules (gnu system accounts))")
    got = text(interp, """(object->string
      (list (user-account-shell (user-account (name "a") (group "users")))
            (parameterize ((default-shell "/bin/zsh"))
              (user-account-shell (user-account (name "b") (group "users"))))))""")
    assert got == '("/bin/bash" "/bin/zsh")'


def test_sexp_to_user_account_reads_guix_tuple_order(interp):
    ev(interp, "(use-modules (gnu system accounts))")
    got = text(interp, """(let ((a (sexp->user-account
                 '("bob" 1001 "users" ("audio") "Bob" "/srv/bob" #f "/bin/sh" "x" #t))))
      (object->string (list (user-account-name a) (user-account-uid a) (user-account-group a)
                            (user-account-supplementary-groups a) (user-account-comment a)
                            (user-account-home-directory a)
                            (user-account-create-home-directory? a) (user-account-shell a)
                            (user-account-password a) (user-account-system? a))))""")
    assert got == '("bob" 1001 "users" ("audio") "Bob" "/srv/bob" #f "/bin/sh" "x" #t)'


def test_sexp_to_user_group_reads_guix_tuple_order(interp):
    ev(interp, "(use-modules (gnu system accounts))")
    got = text(interp, """(let ((g (sexp->user-group '("wheel" #f 10 #t))))
      (object->string (list (user-group-name g) (user-group-password g) (user-group-id g)
                            (user-group-system? g))))""")
    assert got == '("wheel" #f 10 #t)'


# (gnu system uuid): Guix's parsers return bytevectors, its uuid records keep the
# type given.  Expected values: Guix's gnu/system/uuid.scm run under Guile 3.0.

@pytest.mark.parametrize("code, expected", [
    ("(string->uuid \"ABCD-1234\" 'fat)", "#vu8(52 18 205 171)"),
    ("(string->uuid \"x\" 'vfat)", "#f"),
    ("(string->ntfs-uuid \"0123456789ABCDEF\")", "#vu8(239 205 171 137 103 69 35 1)"),
    ("(string->iso9660-uuid \"2024-05-06-07-08-09-10\")",
     "#vu8(50 48 50 52 48 53 48 54 48 55 48 56 48 57 49 48)"),
    ("(dce-uuid->string (string->ext4-uuid \"6B700D61-5550-48A1-874C-A3D86998990E\"))",
     '"6b700d61-5550-48a1-874c-a3d86998990e"'),
    ("(uuid->string (string->btrfs-uuid \"6b700d61-5550-48a1-874c-a3d86998990e\"))",
     '"6b700d61-5550-48a1-874c-a3d86998990e"'),
    ("(uuid->string #vu8(1 2 3 4) 'fat)", '"0403-0201"'),
    ("(uuid->string (string->ntfs-uuid \"0123456789ABCDEF\") 'ntfs)", '"0123456789ABCDEF"'),
    ("(iso9660-uuid->string (string->iso9660-uuid \"1970-01-01-00-00-00-00\"))",
     '"1970-01-01-00-00-00-00"'),
    ("(uuid-type (uuid \"abcd-1234\" 'fat32))", "fat32"),
    ("(latin1->string #vu8(65 66 0 67) zero?)", '"AB"'),
    ("(latin1->string #vu8(0 65) zero?)", "#f"),
    ("(sub-bytevector #vu8(1 2 3 4 5) 1 3)", "#vu8(2 3 4)"),
    ("(uuid=? (uuid \"6b700d61-5550-48a1-874c-a3d86998990e\")"
     " (string->xfs-uuid \"6b700d61-5550-48a1-874c-a3d86998990e\"))", "#t"),
])
def test_uuid_procedures_give_what_guix_gives(interp, code, expected):
    ev(interp, "(use-modules (gnu system uuid))")
    assert text(interp, f"(object->string {code})") == expected


# (gnu system file-systems).  Expected values: Guix's gnu/system/file-systems.scm
# (with its (guix records)) run under Guile 3.0 on the same records.

FS = """(define fs (file-system (device (uuid "6b700d61-5550-48a1-874c-a3d86998990e" 'ext4))
  (mount-point "/home") (type "ext4") (flags '(no-atime))
  (options "compress=zstd,subvol=@home") (check? #f)))"""


@pytest.mark.parametrize("code, expected", [
    ("(file-system->spec fs)",
     '((uuid ext4 #vu8(107 112 13 97 85 80 72 161 135 76 163 216 105 152 153 14)) "/home" "ext4"'
     ' (no-atime) "compress=zstd,subvol=@home" #f #f #t preen)'),
    ("(file-system->spec (file-system (device (file-system-label \"root\")) (mount-point \"/\")"
     " (type \"btrfs\")))",
     '((file-system-label "root") "/" "btrfs" () #f #f #t #t preen)'),
    ("(map file-system->spec %base-live-file-systems)",
     '(((file-system-label "Guix_image") "/" "ext4" () #f #f #t #t preen)'
     ' ("none" "/tmp" "tmpfs" (no-suid no-dev) #f #f #f #t preen))'),
    ("(let ((f (spec->file-system (file-system->spec fs))))"
     " (list (uuid-type (file-system-device f)) (uuid->string (file-system-device f))"
     " (file-system-options f) (file-system-check? f)))",
     '(ext4 "6b700d61-5550-48a1-874c-a3d86998990e" "compress=zstd,subvol=@home" #f)'),
    ("(file-system-options->alist \"compress=zstd,ro,subvol=@\")",
     '(("compress" . "zstd") "ro" ("subvol" . "@"))'),
    ("(file-system-options->alist #f)", "()"),
    ("(alist->file-system-options '((\"a\" . \"b\") \"c\"))", '"a=b,c"'),
    ("(alist->file-system-options '())", "#f"),
    ("(btrfs-store-subvolume-file-name (list (file-system (device \"/dev/sda1\") (mount-point \"/\")"
     " (type \"btrfs\") (options \"subvol=rootfs\")) (file-system (device \"/dev/sda1\")"
     " (mount-point \"/gnu\") (type \"btrfs\") (options \"compress=zstd,subvol=gnu\"))))", '"/gnu"'),
    ("(btrfs-store-subvolume-file-name (list fs))", "#f"),
    ("(list (btrfs-subvolume? fs) (btrfs-subvolume? (car %base-live-file-systems)))", "(#f #f)"),
    ("(map (file-system-type-predicate \"tmpfs\") %base-live-file-systems)", "(#f #t)"),
    ("(list %tty-gid (length %pseudo-file-system-types) (car %pseudo-file-system-types))",
     '(996 17 "binfmt_misc")'),
])
def test_file_system_procedures_give_what_guix_gives(interp, code, expected):
    ev(interp, "(use-modules (gnu system file-systems))" + FS)
    assert text(interp, f"(object->string {code})") == expected


def test_store_on_a_subvolume_named_by_id_only_is_an_error(interp):
    ev(interp, "(use-modules (gnu system file-systems) (srfi srfi-34) (srfi srfi-35))")
    got = text(interp, """(guard (c ((message-condition? c) (condition-message c)))
      (btrfs-store-subvolume-file-name
        (list (file-system (device "/dev/sda1") (mount-point "/") (type "btrfs")
                           (options "subvolid=256")))))""")
    assert "subvolume name is unknown" in got


# (gnu system nss).  Expected text: Guix's gnu/system/nss.scm run under Guile 3.0.

def test_nss_names_and_nsswitch_conf_as_guix_writes_it(interp):
    ev(interp, "(use-modules (gnu system nss))")
    got = text(interp, """(string-append
      (name-service-switch->string (mdns-host-lookup-nss #:ipv6? #f))
      (name-service-switch->string (name-service-switch (hosts (list %files %dns %compat)))))""")
    assert got == ("group:\tfiles\nhosts:\tfiles mdns4_minimal [NOTFOUND=return] dns mdns4\n"
                   "networks:\tfiles dns [!UNAVAIL=return]\npasswd:\tfiles\nshadow:\tfiles\n"
                   "group:\tfiles\nhosts:\tfiles dns [!UNAVAIL=return] compat [NOTFOUND=return]\n"
                   "networks:\tfiles dns [!UNAVAIL=return]\npasswd:\tfiles\nshadow:\tfiles\n")


def test_default_nss_is_guix_default(interp):
    ev(interp, "(use-modules (gnu system nss))")
    assert text(interp, "(name-service-switch->string %default-nss)") == (
        "group:\tfiles\nhosts:\tfiles dns [!UNAVAIL=return]\nnetworks:\tfiles dns [!UNAVAIL=return]\n"
        "passwd:\tfiles\nshadow:\tfiles\n")


# (gnu system pam): Guix defines session-environment-service-type there.

def test_session_environment_service_type_is_in_pam_and_base(interp):
    ev(interp, "(use-modules ((gnu system pam) #:select (session-environment-service-type"
               " session-environment-service pam-services->directory unix-pam-service)) (gnu services) (guix gexp))")
    got = text(interp, """(object->string
      (list (service-type-name session-environment-service-type)
            (eq? session-environment-service-type
                 (@ (gnu services base) session-environment-service-type))
            (service-value (session-environment-service '(("LANG" . "C"))))
            (file-like? (pam-services->directory (list (unix-pam-service "login"))))))""")
    assert got == '(session-environment #t (("LANG" . "C")) #t)'


# (gnu system keyboard), (gnu system linux-initrd), (gnu system mapped-devices).

def test_console_keymap_is_named_after_the_layouts(interp):
    ev(interp, "(use-modules (gnu system keyboard) (guix gexp))")
    assert text(interp, """(object->string (keyboard-layout->console-keymap
                             (keyboard-layout "us,ru" "altgr-intl")))""") == \
        "#<computed-file console-keymap.us-ru>"


def test_file_system_packages_and_modules_as_guix_lists_them(interp):
    ev(interp, "(use-modules (gnu system linux-initrd) (gnu system file-systems) (guix packages))"
               "(define (fs type) (file-system (device \"/dev/x\") (mount-point \"/\") (type type)))")
    assert text(interp, """(object->string (map package-name (file-system-packages
             (map fs '("xfs" "vfat" "ext4" "btrfs" "tmpfs" "jfs")))))""") == \
        '("e2fsck-static" "fatfsck-static" "btrfs-progs-static" "jfs_fsck-static" "xfs_repair-static")'
    assert text(interp, """(object->string (file-system-modules
             (map fs '("btrfs" "ext4" "cifs" "f2fs" "iso9660"))))""") == \
        '("btrfs" "md4" "ecb" "cifs" "f2fs" "crc32_cryptoapi" "isofs")'


def test_raw_mapped_device_constructor(interp):
    ev(interp, "(use-modules (gnu system mapped-devices))")
    assert text(interp, """(object->string (mapped-device-targets
      (%mapped-device (source "/dev/sda2") (targets '("home")) (type luks-device-mapping))))""") == \
        '("home")'


# (gnu system locale): locale directories compiled by the host's localedef.

def test_default_locale_libcs_are_guix_glibcs(interp):
    ev(interp, "(use-modules (gnu system locale) (guix packages))")
    assert text(interp, "(object->string (map package-version %default-locale-libcs))") == \
        '("2.41" "2.39")'


@pytest.fixture()
def store_interp(tmp_path):
    from schemy.guix.gexp import CURRENT_STORE
    from schemy.guix.store import Store
    from schemy.runtime.parameters import parameterized

    i = Interpreter()
    ev(i, "(use-modules (guix gexp) (gnu system locale))")

    def build(code: str) -> str:
        with parameterized([(CURRENT_STORE, Store(tmp_path / "store"))]):
            return to_str(i.run_protected(lambda: ev(i, code)))
    return build


def test_locale_directory_compiles_each_locale_per_libc_version(store_interp):
    import shutil
    if not shutil.which("localedef") or not Path("/usr/share/i18n/locales/fr_FR").exists():
        pytest.skip("needs localedef and locale sources (Debian packages libc-bin and locales)")
    out = Path(store_interp('(lower-object (locale-directory (list (locale-name->definition'
                            ' "fr_FR.utf8"))))'))
    assert sorted(p.name for p in out.iterdir()) == ["2.39", "2.41"]
    assert (out / "2.41" / "fr_FR.utf8" / "LC_CTYPE").is_file()


def test_glibc_supported_locales_lists_name_codeset_pairs(store_interp):
    if not Path("/usr/share/i18n/SUPPORTED").exists():
        pytest.skip("needs /usr/share/i18n/SUPPORTED (Debian package locales)")
    out = Path(store_interp("(lower-object (glibc-supported-locales))"))
    assert '("en_US.UTF-8" . "UTF-8")' in out.read_text()


# (gnu system): Guix's procedures of operating systems and boot parameters.

OS = """(use-modules (gnu) (gnu system) (guix gexp))
(define os (operating-system (host-name "h")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (mapped-devices (list (mapped-device (source (uuid "6b700d61-5550-48a1-874c-a3d86998990e"))
                                       (target "root") (type luks-device-mapping))
                        (mapped-device (source "/dev/sdb1") (target "data")
                                       (type luks-device-mapping))))
  (file-systems (cons* (file-system (device "/dev/mapper/root") (mount-point "/") (type "ext4"))
                       (file-system (device "/dev/mapper/data") (mount-point "/data") (type "ext4"))
                       %base-file-systems))))"""


def test_boot_and_user_mapped_devices_and_crypto_devices(interp):
    ev(interp, OS)
    assert text(interp, """(object->string (list
      (map mapped-device-targets (operating-system-boot-mapped-devices os))
      (map mapped-device-targets (operating-system-user-mapped-devices os))
      (map uuid->string (operating-system-bootloader-crypto-devices os))
      (file-system-mount-point (operating-system-store-file-system os))))""") == \
        '((("root")) (("data")) ("6b700d61-5550-48a1-874c-a3d86998990e") "/")'


def test_operating_system_with_gc_roots_and_provenance(interp):
    ev(interp, OS)
    assert text(interp, """(object->string (list
      (service-type-name (service-kind (car (operating-system-user-services
        (operating-system-with-gc-roots os (list (plain-file "a" "b")))))))
      (service-type-name (service-kind (car (operating-system-user-services
        (operating-system-with-provenance os "/etc/config.scm")))))
      (list %base-packages-disk-utilities (length %base-packages-artwork))
      (map (lambda (s) (system-linux-image-file-name s))
           '("x86_64-linux" "aarch64-linux" "armhf-linux" "riscv64-linux"))))""") == \
        '(extra-root provenance (() 2) ("bzImage" "Image" "zImage" "Image"))'


BOOT_PARAMETERS = ('(boot-parameters (version 0) (label \\"GNU\\") (root-device \\"my-root\\")'
                   ' (kernel \\"/gnu/store/abc-linux-libre-6.1\\") (kernel-arguments (\\"quiet\\"))'
                   ' (initrd (string-append \\"/gnu/store/i\\" \\"/initrd.cpio.gz\\"))'
                   ' (store (device (uuid dce #vu8(107 112 13 97 85 80 72 161 135 76 163 216 105 152 153 14)))'
                   ' (mount-point \\"/\\") (crypto-devices ((uuid luks #vu8(1 2 3 4 5 6 7 8 9 10 11 12 13'
                   ' 14 15 16))))))')


def test_read_boot_parameters_of_an_old_generation(interp):
    ev(interp, "(use-modules (gnu system) (gnu system file-systems) (gnu bootloader))")
    ev(interp, f'(define p (call-with-input-string "{BOOT_PARAMETERS}" read-boot-parameters))')
    assert text(interp, """(object->string (list (boot-parameters-label p)
      (file-system-label->string (boot-parameters-root-device p)) (boot-parameters-kernel p)
      (boot-parameters-initrd p) (boot-parameters-bootloader-name p)
      (uuid->string (boot-parameters-store-device p))
      (map uuid-type (boot-parameters-store-crypto-devices p))
      (boot-parameters-store-mount-point p) (boot-parameters-version p)))""") == (
        '("GNU" "my-root" "/gnu/store/abc-linux-libre-6.1/bzImage" "/gnu/store/i/initrd.cpio.gz"'
        ' grub "6b700d61-5550-48a1-874c-a3d86998990e" (luks) "/" 0)')
    assert text(interp, "(object->string (menu-entry->sexp (boot-parameters->menu-entry p)))") == (
        '(menu-entry (version 0) (label "GNU") (device (uuid dce "6b700d61-5550-48a1-874c-a3d86998990e"))'
        ' (device-mount-point "/") (linux "/gnu/store/abc-linux-libre-6.1/bzImage")'
        ' (linux-arguments ("quiet")) (initrd "/gnu/store/i/initrd.cpio.gz"))')


def test_read_boot_parameters_file_adds_the_booting_arguments(interp, tmp_path):
    (tmp_path / "parameters").write_text(BOOT_PARAMETERS.replace('\\"', '"').replace("version 0", "version 1"))
    ev(interp, "(use-modules (gnu system))")
    assert text(interp, f'(object->string (boot-parameters-kernel-arguments'
                        f' (read-boot-parameters-file "{tmp_path}")))') == \
        f'("root=my-root" "gnu.system={tmp_path}" "gnu.load={tmp_path}/boot" "quiet")'


def test_config_selecting_system_names_passes_check(tmp_path):
    cfg = tmp_path / "names.scm"
    cfg.write_text("""(use-modules (gnu)
             ((gnu system accounts) #:select (user-account-name default-shell))
             ((gnu system file-systems) #:select (file-system->spec %base-live-file-systems))
             ((gnu system nss) #:select (mdns-host-lookup-nss))
             ((gnu system pam) #:select (session-environment-service-type))
             ((gnu system) #:select (operating-system-with-gc-roots %base-packages-artwork)))
(operating-system
  (host-name "names")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (name-service-switch (mdns-host-lookup-nss #:ipv6? #f))
  (file-systems (cons (file-system (device (file-system-label "root")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems))
  (services (cons (simple-service 'env session-environment-service-type '(("EDITOR" . "vi")))
                  %base-services)))
""")
    result = system_check(cfg)
    assert result.returncode == 0, result.stdout + result.stderr


# (gnu system shadow): the skeletons Guix names.

def test_default_dotguile_runs_under_guile(interp, tmp_path):
    import shutil
    import subprocess
    if not shutil.which("guile"):
        pytest.skip("needs guile (Debian package guile-3.0)")
    ev(interp, "(use-modules (gnu system shadow) (guix gexp))")
    dotguile = tmp_path / "dot-guile"
    dotguile.write_text(text(interp, "(plain-file-content %default-dotguile)"))
    result = subprocess.run(["guile", "--no-auto-compile", "-c", f'(load "{dotguile}")'],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert text(interp, "(cadr (assoc \".guile\" (default-skeletons)))") == text(interp, "%default-dotguile")


def test_default_skeleton_home_config_is_a_home_environment(interp):
    ev(interp, "(use-modules (gnu system shadow) (guix gexp) (gnu home))")
    code = text(interp, "(plain-file-content %default-skeleton-home-config)")
    i = Interpreter()
    assert to_str(ev(i, f"(object->string (home-environment? (begin {code})))")) == "#t"

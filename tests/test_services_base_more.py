"""(gnu services base): rngd, kmscon, guix publish, mingetty's full option set and the deprecated
procedures (each gives the service of its type), with Guix's command lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from services_more import build_services, by_provision, command_line, start_of

from schemy.app import Interpreter
from schemy.lang.printer import write_string

SERVICES = """
(service rngd-service-type (rngd-configuration (device "/dev/hwrng0")))
(service guix-publish-service-type
         (guix-publish-configuration (port 8181) (host "0.0.0.0") (cache "/var/cache/publish")
                                     (ttl 3600) (workers 2)))
(service kmscon-service-type
         (kmscon-configuration (virtual-terminal "tty8")
                               (keyboard-layout (keyboard-layout "us" "dvorak" #:options '("ctrl:nocaps")))))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_services(tmp_path_factory.mktemp("base"), "(gnu services base)", SERVICES)


def test_rngd_runs_in_the_foreground_on_its_device(built):
    argv = command_line(start_of(built, "trng"))
    assert argv[0].endswith("/sbin/rngd") and argv[1:] == ["-f", "-r", "/dev/hwrng0"]
    assert by_provision(built)["trng"].requirement == ["user-processes", "udev"]


def test_guix_publish_command_line_with_a_cache(built):
    start = start_of(built, "guix-publish")
    argv = command_line(start)
    assert argv[0].endswith("/bin/guix")
    assert argv[1:] == ["publish", "-u", "guix-publish", "-p", "8181", "-C", "gzip:5", "-C", "zstd:19",
                        "--nar-path=nar", "--listen=0.0.0.0", "--workers=2", "--ttl=3600s",
                        "--cache=/var/cache/publish", "--cache-bypass-threshold=10485760"]
    assert '#:log-file "/var/log/guix-publish.log"' in start
    assert by_provision(built)["guix-publish"].requirement == ["user-processes", "guix-daemon"]
    assert "guix-publish" in str(built.accounts)


def test_guix_publish_compression_defaults_to_low_levels_without_a_cache():
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services base))
           (list (guix-publish-configuration-compression (guix-publish-configuration))
                 ((@@ (gnu services base) guix-publish-command)
                  (guix-publish-configuration (compression '()))))""", "t.scm")))
    assert out.startswith('((("gzip" 3) ("zstd" 3)) (#<file-append')
    assert '"publish" "-u" "guix-publish" "-p" "80" "-C0" "--nar-path=nar" "--listen=localhost")' in out


def test_kmscon_is_a_host_terminal_with_guixs_command_line():
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services base) (gnu system keyboard))
           (cdr ((@@ (gnu services base) kmscon-command)
                 (kmscon-configuration (virtual-terminal "tty8") (auto-login "bob")
                                       (keyboard-layout (keyboard-layout "us" "dvorak"
                                                                         #:options '("ctrl:nocaps"))))))""",
        "t.scm")))
    assert out.startswith('("--login" "--vt" "tty8" "--no-switchvt" "--font-engine" "pango" "--font-size" "12" '
                          '"--xkb-layout" "us" "--xkb-variant" "dvorak" "--xkb-options" "ctrl:nocaps" '
                          '"--login" "--" #<file-append')
    assert out.endswith('"-p" "bob")')


def test_kmscon_service_is_shown_as_the_hosts(built):
    term = by_provision(built)["term-tty8"]
    assert term.host_provided and term.requirement == ["user-processes", "udev", "dbus-system"]


def test_mingetty_options_are_guixs(tmp_path):
    from schemy.guix.gexp import lower_gexp
    from schemy.guix.store import Store

    i = Interpreter()
    i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services base) (gnu services shepherd))
           (define s ((@@ (gnu services base) mingetty-shepherd-service)
                      (mingetty-configuration (tty "tty3") (auto-login "root") (delay 2)
                                              (print-issue 'no-nl) (print-hostname #f) (nice 5)
                                              (working-directory "/tmp") (clear-on-logout? #f))))""",
        "t.scm"))
    requirement = write_string(i.run_protected(lambda: i.eval_string("(shepherd-service-requirement s)", "t.scm")))
    assert requirement == "(user-processes host-name udev virtual-terminal)"
    start = i.run_protected(lambda: i.eval_string("(shepherd-service-start s)", "t.scm"))
    out = write_string(lower_gexp(start, Store(tmp_path / "store")))
    assert ('"--nohangup" "tty3" "--noclear" "--autologin" "root" "--delay" "2" "--nonewline" '
            '"--nohostname" "--nice" "5" "--chdir" "/tmp")') in out


def test_deprecated_base_procedures_give_their_services(capfd):
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services) (gnu services base))
           (map (lambda (s) (service-type-name (service-kind s)))
                (list (login-service) (nscd-service) (syslog-service) (udev-service #:rules '())
                      (agetty-service (agetty-configuration (tty "ttyS0")))
                      (mingetty-service (mingetty-configuration (tty "tty2")))
                      (rngd-service #:device "/dev/hwrng1") (swap-service "/swapfile")))""", "t.scm")))
    assert out == "(login nscd syslog udev agetty mingetty rngd swap)"
    assert "'udev-service' is deprecated, use 'udev-service-type' instead" in capfd.readouterr().err


def test_udev_hardware_files_and_service(tmp_path):
    from schemy.guix.gexp import lower_object
    from schemy.guix.store import Store

    i = Interpreter()
    hw = i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services) (gnu services base))
           (define hw (udev-hardware "60-keyboard.hwdb" "evdev:input:b0003*\\n KEYBOARD_KEY_70039=esc\\n"))
           (define s (udev-hardware-service 'keyboard (list hw)))
           hw""", "t.scm"))
    out = Path(lower_object(hw, Store(tmp_path / "store")))
    assert (out / "lib/udev/hwdb.d/60-keyboard.hwdb").read_text() == "evdev:input:b0003*\n KEYBOARD_KEY_70039=esc\n"
    name = write_string(i.run_protected(lambda: i.eval_string("(service-type-name (service-kind s))", "t.scm")))
    assert name == "keyboard-udev-hardware"


def test_file_system_utilities_and_root_file_system_service():
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services) (gnu services base) (gnu system file-systems) (guix packages))
           (list (map package-name
                      (file-system-utilities
                       (list (file-system (device "/dev/sda1") (mount-point "/") (type "ext4"))
                             (file-system (device "/dev/sda2") (mount-point "/boot") (type "vfat"))
                             (file-system (device "none") (mount-point "/tmp") (type "tmpfs")))))
                 (service-type-name (service-kind (root-file-system-service))))""", "t.scm")))
    assert out == '(("e2fsprogs" "dosfstools") root-file-system)'


def test_console_font_service_extends_the_console_fonts():
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services) (gnu services base))
           (let ((s (console-font-service "tty7")))
             (list (service-type-name (service-kind s)) (service-value s)))""", "t.scm")))
    assert out == '(console-font-tty7 (("tty7" . "LatGrkCyr-8x16")))'

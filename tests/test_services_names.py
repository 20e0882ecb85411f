"""Names Guix exports from (gnu services), (gnu services shepherd), (gnu services
configuration) and (gnu home services ...) that configs import by name or call."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, ev, system_check

from schemy.app import Interpreter
from schemy.lang.datum import to_str


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    ev(i, "(use-modules (gnu services) (guix gexp) (guix channels) (srfi srfi-1))")
    return i


def text(interp, code: str) -> str:
    return to_str(ev(interp, f"(object->string {code})"))


# (gnu services)

def test_remove_service_extensions(interp):
    assert text(interp, """(map service-type-name (map service-extension-target (service-type-extensions
      (remove-service-extensions vte-integration-service-type (list etc-bashrc-d-service-type)))))""") == "()"
    assert text(interp, """(map service-type-name (map service-extension-target
      (service-type-extensions vte-integration-service-type)))""") == "(etc-bashrc-d)"


def test_lookup_service_types_finds_types_in_every_service_module(interp):
    assert text(interp, "(map service-type-name (lookup-service-types 'openssh))") == "(openssh)"
    assert text(interp, "(lookup-service-types 'no-such-service)") == "()"
    assert text(interp, "(and (memq etc-service-type (fold-service-types cons '())) #t)") == "#t"


def test_sexp_to_system_provenance(interp):
    assert text(interp, """(call-with-values
      (lambda () (sexp->system-provenance '(provenance (version 0)
        (channels (channel (name guix) (url "https://x") (branch "master") (commit "abc")))
        (configuration-file "/gnu/store/x-configuration.scm"))))
      (lambda (channels file) (list (map channel-name channels) (map channel-commit channels) file)))""") == \
        '((guix) ("abc") "/gnu/store/x-configuration.scm")'
    assert text(interp, """(call-with-values (lambda () (system-provenance "/nonexistent"))
                               (lambda (channels file) (list channels file)))""") == "(() #f)"


def test_small_helpers(interp):
    assert text(interp, """(list (service-value (extra-special-file "/usr/bin/env" "/bin/env"))
                                 (service-type-name (service-kind (etc-service '())))
                                 (delete 2 '(1 2 3))
                                 %default-bash-aliases
                                 (length (validate-service-list (list (etc-service '())))))""") == \
        ('(((\"/usr/bin/env\" \"/bin/env\")) etc (1 3) (("ls" . "ls -p --color=auto") ("ll" . "ls -l")'
         ' ("grep" . "grep --color=auto") ("ip" . "ip -color=auto")) 1)')


def test_linux_loadable_modules_extend_the_builder(interp):
    assert text(interp, """(let ((config (folded-service-value
                        (list (service system-service-type '())
                              (service linux-builder-service-type
                                       (linux-builder-configuration (kernel 'linux) (modules '(a))))
                              (service linux-loadable-module-service-type '(b c)))
                        linux-builder-service-type)))
      (list (linux-builder-configuration-kernel config) (linux-builder-configuration-modules config)))""") == \
        "(linux (a b c))"


CONFIG = """(use-modules (gnu) (guix gexp)
             ((gnu services) #:select (gc-root-service-type etc-profile-d-service-type
                                       etc-bashrc-d-service-type)))
(operating-system
  (host-name "roots")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device (file-system-label "root")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems))
  (services (cons* (simple-service 'keep gc-root-service-type (list (plain-file "kept" "yes")))
                   (simple-service 'motd etc-profile-d-service-type
                                   (list (plain-file "motd.sh" "echo hi\\n")
                                         (plain-file "not-a-script" "x")))
                   (service etc-bashrc-d-service-type)
                   %base-services)))
"""


def test_gc_roots_profile_d_and_bashrc_d_in_the_built_system(tmp_path):
    cfg = tmp_path / "roots.scm"
    cfg.write_text(CONFIG)
    built = build_config(cfg, tmp_path / "store")
    system = Path(built.path)
    assert (system / "gc-roots" / "0").read_text() == "yes"
    profile_d = Path(built.etc["profile.d"])
    assert sorted(p.name for p in profile_d.iterdir()) == ["motd.sh"]
    bashrc_d = Path(built.etc["bashrc.d"])
    aliases = (bashrc_d / "aliases.sh").read_text()
    assert aliases.splitlines()[0] == 'ls="ls -p --color=auto"'


def test_config_with_gc_roots_passes_check(tmp_path):
    cfg = tmp_path / "roots.scm"
    cfg.write_text(CONFIG)
    result = system_check(cfg)
    assert result.returncode == 0, result.stdout + result.stderr


# (gnu services shepherd)

def test_shepherd_timer_is_guix_timer_service(interp):
    ev(interp, "(use-modules (gnu services shepherd))")
    assert text(interp, """(let ((t (shepherd-timer '(backup) "0 3 * * *" #~("rsync" "-a" "/home" "/b")
                                      #:requirement '(networking))))
      (list (shepherd-service-provision t) (shepherd-service-requirement t)
            (map shepherd-action-name (shepherd-service-actions t)) (shepherd-service-modules t)
            (shepherd-service-documentation t)))""") == \
        '((backup) (networking) (trigger) ((shepherd service timer)) "Periodically run a command.")'


def test_timer_transient_and_system_log_service_types(interp):
    ev(interp, "(use-modules (gnu services shepherd))")
    assert text(interp, """(map shepherd-service-provision (folded-service-value
      (list (service system-service-type '()) (service shepherd-root-service-type '())
            (service shepherd-timer-service-type) (service shepherd-transient-service-type)
            (service shepherd-system-log-service-type))
      shepherd-root-service-type))""") == "((timer) (transient) (system-log syslogd))"
    assert text(interp, """(let ((c (system-log-configuration)))
      (list (system-log-configuration-provision c) (system-log-configuration-requirement c)
            (system-log-configuration-message-destination c)))""") == \
        "((system-log syslogd) (root-file-system) #f)"


def test_signal_action_configuration_record_and_graph_checks(interp):
    ev(interp, "(use-modules (gnu services shepherd))")
    assert text(interp, """(list (shepherd-action-name (shepherd-signal-action 'reload 1))
                                 (shepherd-configuration-services (shepherd-configuration)))""") == \
        "(reload ())"
    ev(interp, """(define a (shepherd-service (provision '(a)) (requirement '(b))))
                  (define b (shepherd-service (provision '(b))))""")
    assert text(interp, "(map shepherd-service-provision ((shepherd-service-back-edges (list a b)) b))") == \
        "((a))"
    ev(interp, "(assert-valid-graph (list a b))")
    with pytest.raises(Exception, match="requires 'b', which is not provided"):
        ev(interp, "(assert-valid-graph (list a))")


# (gnu services configuration)

def test_enumerated_field_types_and_alist_serialization(interp):
    ev(interp, """(use-modules (gnu services configuration) (gnu packages base))
      (define (serialize-field name value) (format #f "~a=~a\\n" name value))
      (define-enumerated-field-type level (debug info warn))
      (define (my-serialize-field name value) (format #f "~a: ~a\\n" name value))
      (define-enumerated-field-type color (red blue) (prefix my-))""")
    assert text(interp, """(list (level? 'info) (level? 'loud) (serialize-level 'log 'warn)
      (my-serialize-color 'c 'red)
      (generic-serialize-alist string-append serialize-field '((a . 1) (b . "x")))
      (list-of-packages? (list coreutils (list glibc "static"))) (list-of-packages? '(1)))""") == \
        '(#t #f "log=warn\\n" "c: red\\n" "a=1\\nb=x\\n" #t #f)'


def test_no_serialization_fields_and_sanitizers(interp):
    ev(interp, """(use-modules (gnu services configuration))
      (define-maybe string (no-serialization))
      (define-configuration names4-foo (bar (string "x") "Bar.") (baz maybe-string "Baz.")
        (no-serialization))""")
    assert text(interp, "(map empty-serializer? names4-foo-fields)") == "(#t #t)"
    assert text(interp, "((configuration-field-sanitizer (car names4-foo-fields)) \"ok\")") == '"ok"'
    with pytest.raises(Exception, match="invalid value 1 for field 'bar'"):
        ev(interp, "((configuration-field-sanitizer (car names4-foo-fields)) 1)")


# (gnu home services ...)

def home_services(interp, type_name: str, value: str) -> str:
    """The provisions of the shepherd services TYPE extends the user's shepherd with."""
    return text(interp, f"""(map shepherd-service-provision
      ((service-extension-compute (find (lambda (e) (eq? (service-extension-target e)
                                                         home-shepherd-service-type))
                                        (service-type-extensions {type_name})))
       {value}))""")


@pytest.fixture(scope="module")
def home(interp):
    ev(interp, """(use-modules (gnu home services) (gnu home services shepherd)
                   (gnu home services sound) (gnu home services desktop) (gnu home services gnupg)
                   (gnu home services mail) (gnu services configuration))""")
    return interp


def test_home_service_type_lookup_and_provenance(home):
    assert text(home, "(map service-type-name (lookup-home-service-types 'home-shepherd))") == \
        "(home-shepherd)"
    assert text(home, "(and (memq home-darkman-service-type (fold-home-service-types cons '())) #t)") == "#t"
    assert text(home, """(call-with-values (lambda () (home-provenance "/nonexistent"))
                                           (lambda (channels file) (list channels file)))""") == "(() #f)"


def test_home_shepherd_timer_and_transient(home):
    assert text(home, """(list (service-type-name home-shepherd-timer-service-type)
      (service-type-default-value home-shepherd-transient-service-type)
      (map service-type-name (map service-extension-target
                                  (service-type-extensions home-shepherd-timer-service-type)))
      (shepherd-service-provision (shepherd-timer '(t) "* * * * *" #~("true")))
      (shepherd-action-name shepherd-trigger-action))""") == \
        "(home-shepherd-timer () (home-shepherd) (t) trigger)"


def test_pulseaudio_rtp_services(home):
    assert home_services(home, "home-pulseaudio-rtp-sink-service-type", '"10.0.0.2"') == \
        "((pulseaudio-rtp-sink))"
    assert home_services(home, "home-pulseaudio-rtp-source-service-type",
                         "%pulseaudio-rtp-multicast-address") == "((pulseaudio-rtp-source))"
    assert text(home, "%pulseaudio-rtp-multicast-address") == '"224.0.0.56"'


def test_darkman_config_yaml_as_guix_writes_it(home):
    assert text(home, """(serialize-configuration (home-darkman-configuration (latitude 50.1)
                                                              (use-geoclue #t))
      (@@ (gnu home services desktop) home-darkman-configuration-fields))""") == \
        '"lat: 50.1\\nusegeoclue: true\\ndbusserver: true\\nportal: true\\n"'
    assert home_services(home, "home-darkman-service-type", "(home-darkman-configuration)") == \
        "((darkman))"


def test_parcimonie_service(home):
    assert home_services(home, "home-parcimonie-service-type",
                         "(home-parcimonie-configuration (verbose? #t))") == "((parcimonie))"
    assert text(home, """(let ((c (home-parcimonie-configuration)))
      (list (home-parcimonie-configuration-gnupg-already-torified? c)
            (home-parcimonie-configuration-refresh-guix-keyrings? c)
            (home-parcimonie-configuration-extra-content c)))""") == '(#f #f "")'


def test_msmtp_configuration_accessors(home):
    assert text(home, """(let ((c (home-msmtp-configuration
               (accounts (list (msmtp-account (name "a")
                                              (configuration (msmtp-configuration (host "smtp.x"))))))
               (default-account "a"))))
      (list (home-msmtp-configuration? c) (map msmtp-account-name (home-msmtp-configuration-accounts c))
            (home-msmtp-configuration-default-account c) (home-msmtp-configuration-extra-content c)))""") == \
        '(#t ("a") "a" "")'

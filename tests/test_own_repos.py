"""What configs run inside their own repositories needed that schemy lacked (issue 15, the
own-files configs of the corpora): each fix shown on configs and modules written here, with
the idioms of the configs that needed it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import system_check

from schemy.app import Interpreter
from schemy.lang.printer import write_string

ROOT = Path(__file__).resolve().parent.parent

OS_HEAD = """(use-modules (gnu) (gnu system setuid) (gnu system privilege))
(use-package-modules admin xorg xdisorg)
"""

OS = """(operating-system
  (host-name "own")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (mapped-devices (list (mapped-device (source "/dev/sda2") (target "crypt")
                                       (type luks-device-mapping)
                                       (arguments '(#:allow-discards? #t)))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/mapper/crypt") (type "ext4")
                                   (dependencies mapped-devices))
                      %base-file-systems))
  {fields})
"""


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


def ev(interp, text: str):
    return write_string(interp.eval_string(text, "test.scm"))


def check(path: Path) -> subprocess.CompletedProcess:
    return system_check(path, cwd=path.parent)


# ---------------------------------------------------------------- substitute-keyword-arguments


def test_substitute_keyword_arguments_takes_guixs_clauses(interp):
    # ((KW VAR) EXP), as in (package (inherit xorg-server) (arguments (substitute-keyword-arguments ...))).
    assert ev(interp, """(use-modules (guix utils))
        (substitute-keyword-arguments '(#:tests? #t #:configure-flags ("--a") #:x 1)
          ((#:configure-flags flags) (cons "--b" flags))
          ((#:tests? _) #f))""") == '(#:tests? #f #:configure-flags ("--b" "--a") #:x 1)'


def test_substitute_keyword_arguments_default_only_when_absent(interp):
    assert ev(interp, """(use-modules (guix utils))
        (list (substitute-keyword-arguments '(#:x 1) ((#:phases p '(start)) (cons 'mine p)))
              (substitute-keyword-arguments '(#:phases (theirs)) ((#:phases p '(start)) (cons 'mine p)))
              (substitute-keyword-arguments '(#:x 1) ((#:absent a) 'never)))""") == \
        "((#:phases (mine start) #:x 1) (#:phases (mine theirs)) (#:x 1))"


def test_package_with_substituted_arguments_checks(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(OS_HEAD + "(use-modules (guix packages) (guix utils))\n" + OS.format(fields="""
  (packages (cons (package (inherit xorg-server) (name "xorg-server-mine")
                           (arguments (substitute-keyword-arguments (package-arguments xorg-server)
                                        ((#:configure-flags flags ''())
                                         `(cons* "--disable-systemd-logind" ,flags)))))
                  %base-packages))"""))
    r = check(config)
    assert r.returncode == 0, r.stderr


# ---------------------------------------------------------------- mapped-device arguments


def test_mapped_device_arguments_reach_cryptsetup(interp):
    start = ev(interp, """(use-modules (gnu system mapped-devices) (gnu services) (gnu services shepherd) (guix gexp))
        (let ((md (mapped-device (source "/dev/sda2") (target "crypt") (type luks-device-mapping)
                                 (arguments '(#:allow-discards? #t #:extra-options ("--perf-no_read_workqueue"))))))
          (list (mapped-device-arguments md)
                (let ((ext (car (service-type-extensions device-mapping-service-type))))
                  (gexp->string (shepherd-service-start (car ((service-extension-compute ext) md)))))))""")
    assert r'\"--allow-discards\" \"--perf-no_read_workqueue\" \"/dev/sda2\"' in start, start
    assert start.startswith('((#:allow-discards? #t'), start


def test_mapped_device_arguments_default_to_none(interp):
    assert ev(interp, """(use-modules (gnu system mapped-devices))
        (mapped-device-arguments (mapped-device (source "/dev/sda2") (target "c")
                                                (type luks-device-mapping)))""") == "()"


# ---------------------------------------------------------------- privileged programs


def test_privileged_programs_field_and_old_setuid_programs(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(OS_HEAD + OS.format(fields="""
  (privileged-programs (cons (privileged-program (program (file-append inetutils "/bin/traceroute"))
                                                 (capabilities "cap_net_raw=ep"))
                             %default-privileged-programs))
  (setuid-programs (cons (setuid-program (program (file-append xlockmore "/bin/xlock")))
                         %setuid-programs))"""))
    r = check(config)
    assert r.returncode == 0, r.stderr


def test_setuid_program_is_a_setuid_privileged_program(interp):
    assert ev(interp, """(use-modules (gnu system setuid) (gnu system privilege) (guix gexp))
        (let ((a (setuid-program (program (plain-file "a" ""))))
              (b (setuid-program (program (plain-file "b" "")) (setuid? #f) (setgid? #t))))
          (list (privileged-program? a) (setuid-program-setuid? a)
                (privileged-program-setuid? b) (setuid-program-setgid? b)))""") == "(#t #t #f #t)"


def test_default_privileged_programs_give_ping_a_capability_not_setuid(interp):
    assert ev(interp, """(use-modules (gnu system) (gnu system privilege))
        (list (null? %setuid-programs)
              (privileged-program-capabilities (car %default-privileged-programs))
              (privileged-program-setuid? (car %default-privileged-programs))
              (privileged-program-setuid? (list-ref %default-privileged-programs 2)))""") == \
        '(#t "cap_net_raw=ep" #f #t)'


# ---------------------------------------------------------------- packages of -L directories


CHANNEL_PACKAGE = """(define-module (mine packages tools)
  #:use-module (guix packages)
  #:use-module (gnu packages base))

(define-public hello-mine
  (package
    (inherit hello)
    (name "hello-mine")))
"""

SPEC_CONFIG = OS_HEAD + OS.format(fields='(packages (cons (specification->package "hello-mine") %base-packages))')

# A file of the directory that is no module (a config next to the modules): looking packages
# up must not load it.
DECOY = """(error "this file must not be loaded")
(package (name "hello-mine"))
"""


def test_specification_finds_a_package_of_a_load_path_directory(tmp_path):
    # Guix: `guix system -L DIR` puts DIR on the package module path, every module of it.
    (tmp_path / "mine" / "packages").mkdir(parents=True)
    (tmp_path / "mine" / "packages" / "tools.scm").write_text(CHANNEL_PACKAGE)
    (tmp_path / "decoy.scm").write_text(DECOY)
    (tmp_path / "system").mkdir()
    config = tmp_path / "system" / "config.scm"
    config.write_text(SPEC_CONFIG)
    r = subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "check", "-L", str(tmp_path),
                        str(config)], capture_output=True, text=True, timeout=120, check=False, cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    without = check(config)
    assert "package 'hello-mine' not found" in without.stderr


def test_guix_package_path_directories_are_searched_for_packages(tmp_path):
    (tmp_path / "chan" / "mine" / "packages").mkdir(parents=True)
    (tmp_path / "chan" / "mine" / "packages" / "tools.scm").write_text(CHANNEL_PACKAGE)
    config = tmp_path / "config.scm"
    config.write_text(SPEC_CONFIG)
    import os

    env = dict(os.environ, GUIX_PACKAGE_PATH=str(tmp_path / "chan"))
    r = subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "check", str(config)],
                       capture_output=True, text=True, timeout=120, check=False, cwd=str(tmp_path), env=env)
    assert r.returncode == 0, r.stderr


# ---------------------------------------------------------------- current-filename in a load-path module


HERE_MODULE = """(define-module (mine where) #:export (here))
(define here (current-filename))
"""


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemy.cli.main", "run", *args], capture_output=True,
                          text=True, timeout=120, check=False, cwd=str(cwd))


def test_current_filename_in_a_load_path_module_is_relative_to_the_current_directory(tmp_path):
    # As Guile (and Guix, which compiles such a module afresh on each run): the module is read
    # as mine/where.scm, canonicalized against the current directory.
    (tmp_path / "mods" / "mine").mkdir(parents=True)
    (tmp_path / "mods" / "mine" / "where.scm").write_text(HERE_MODULE)
    (tmp_path / "cfg.scm").write_text("(use-modules (mine where))\n(write (list here (current-filename)))\n")
    root = tmp_path.resolve()
    from_root = _run(["-L", "mods", "cfg.scm"], tmp_path)
    assert from_root.stdout == f'(#f "{root}/cfg.scm")', from_root.stderr
    assert "mods/mine/where.scm:2:13: warning: (current-filename) is #f here" in from_root.stderr
    assert "as 'mine/where.scm'" in from_root.stderr
    from_mods = _run(["-L", ".", "../cfg.scm"], tmp_path / "mods")
    assert from_mods.stdout == f'("{root}/mods/mine/where.scm" "{root}/cfg.scm")', from_mods.stderr
    assert from_mods.stderr == ""


def test_current_filename_of_a_config_and_its_loaded_files_stays_absolute(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "part.scm").write_text("(define part-file (current-filename))\n")
    (tmp_path / "cfg.scm").write_text('(load "sub/part.scm")\n(write part-file)\n')
    r = _run([str(tmp_path / "cfg.scm")], Path("/"))
    assert r.stdout == f'"{tmp_path.resolve()}/sub/part.scm"', r.stderr


# ---------------------------------------------------------------- missing files and modules: one located error


def test_missing_included_file_is_located_with_where_it_was_looked_up(tmp_path):
    # A shared part included from a directory next to the config, itself including a secret
    # kept out of the repository.
    (tmp_path / "src").mkdir()
    (tmp_path / "configs").mkdir()
    (tmp_path / "src" / "common.scm").write_text("(use-modules (gnu))\n(include \"secrets.scm\")\n")
    config = tmp_path / "configs" / "host.scm"
    config.write_text('(include "../src/common.scm")\n' + OS.format(fields="(services %base-services)"))
    r = check(config)
    assert r.returncode == 1
    src = (tmp_path / "src").resolve()
    assert (f"src/common.scm:2:0: error: include: file 'secrets.scm' not found (no {src}/secrets.scm)"
            in r.stderr), r.stderr
    assert f"hint: include looks a relative name up next to the file that holds this include form, in {src}" \
        in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_guile_module_hint_says_it_is_guiles(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text("(use-modules (gnu) (system base syntax))\n" + OS.format(fields="(services %base-services)"))
    r = check(config)
    assert "config.scm:1:19: error: no code for module (system base syntax)" in r.stderr, r.stderr
    assert "hint: (system base syntax) is a module of GNU Guile 3.0, which schemy does not implement yet" in r.stderr


def test_guile_module_list_is_derived_from_guile():
    names = (ROOT / "stdlib" / "guile-modules.txt").read_text().splitlines()
    assert names[0].startswith("# Modules of GNU Guile 3.0")
    for m in ("ice-9 match", "system base syntax", "rnrs io ports", "srfi srfi-1", "web client"):
        assert m in names, m
    assert "gnu services" not in names


# ---------------------------------------------------------------- packages a procedure makes with an if


def test_derived_index_follows_an_if_in_a_procedure(tmp_path):
    import json

    (tmp_path / "gnu" / "packages").mkdir(parents=True)
    (tmp_path / "gnu" / "packages" / "demo.scm").write_text("""
(define-module (gnu packages demo))
(define-public cc-9 (package (name "cc") (version "9.5.0")))
(define-public cc-14 (package (name "cc") (version "14.3.0")))
(define* (make-cc-kit cc #:optional (libc #f))
  (let ((cc (if libc (make-cc-libc cc libc) cc)))
    (package
      (name (string-append (package-name cc) "-kit"))
      (version (package-version cc)))))
(define-public cc-kit-9 (make-cc-kit cc-9))
(define-public cc-kit-14 (make-cc-kit cc-14))
(define-public made-elsewhere (mystery-procedure cc-14))
(define-public kit-of-guess (make-cc-kit made-elsewhere))
""")
    out = tmp_path / "index.json"
    subprocess.run([sys.executable, str(ROOT / "tools/derive_package_index.py"), "--guix", str(tmp_path),
                    "-o", str(out)], check=True, capture_output=True)
    by_var = {r[0]: r for r in json.loads(out.read_text())["modules"]["gnu packages demo"][1]}
    assert by_var["cc-kit-9"][1:3] == ["cc-kit", "9.5.0"]
    assert by_var["cc-kit-14"][1:3] == ["cc-kit", "14.3.0"]
    # A name guessed from a variable (made-elsewhere) is not built on.
    assert by_var["kit-of-guess"][1] == ""


def test_gcc_toolchain_specification_is_the_newest_toolchain(interp):
    assert ev(interp, """(use-modules (gnu packages) (guix packages))
        (let ((p (specification->package "gcc-toolchain"))
              (q (specification->package "gcc-toolchain@14")))
          (list (package-name p) (package-version p) (package-version q)))""") == \
        '("gcc-toolchain" "15.2.0" "14.3.0")'


# ---------------------------------------------------------------- this-operating-system in essential-services


def test_essential_services_may_name_this_operating_system(interp):
    # The manual's idiom for extra /etc/hosts entries (Nazar65), through schemy's
    # operating-system wrapper macro.
    assert ev(interp, """(use-modules (gnu) (srfi srfi-1))
        (define os
          (operating-system
            (host-name "h")
            (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
            (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                                %base-file-systems))
            (essential-services
             (modify-services (operating-system-default-essential-services this-operating-system)
               (hosts-service-type config => (list (host "127.0.0.1" "localhost")
                                                   (host "127.0.0.1" "dev.local")))))))
        (map host-canonical-name
             (service-value (find (lambda (s) (eq? (service-kind s) hosts-service-type))
                                  (operating-system-essential-services os))))""") == '("localhost" "dev.local")'


# ---------------------------------------------------------------- ladspa, /etc/environment


def test_ladspa_plugins_are_on_ladspa_path_in_etc_environment(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text("(use-modules (gnu) (gnu services sound))\n(use-package-modules audio)\n" + OS.format(fields="""
  (services (cons* (service ladspa-service-type (ladspa-configuration (plugins (list swh-plugins))))
                   (simple-service 'editor session-environment-service-type '(("EDITOR" . "mg")))
                   %base-services))"""))
    root = tmp_path / "root"
    r = subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "build", "--root", str(root), str(config)],
                       capture_output=True, text=True, timeout=300, check=False, cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    (etc,) = [p for p in (root / "store").glob("*-etc") if (p / "environment").exists()]
    lines = (etc / "environment").read_text().splitlines()
    assert lines[0].startswith(f"LADSPA_PATH={root}/store/") and "-swh-plugins-" in lines[0]
    assert lines[0].endswith("/lib/ladspa")
    assert lines[1] == "EDITOR=mg"


# ---------------------------------------------------------------- (gnu services mail): opensmtpd


def test_opensmtpd_with_a_config_file_of_the_repository_checks(tmp_path):
    # Nazar65's idiom: the service's config file next to the config, smtpctl's privileges.
    (tmp_path / "my-smtpd.conf").write_text("listen on lo\n")
    config = tmp_path / "config.scm"
    config.write_text("(use-modules (gnu) (gnu services mail))\n" + OS.format(fields="""
  (services (cons (service opensmtpd-service-type
                           (opensmtpd-configuration (config-file (local-file "my-smtpd.conf"))))
                  %base-services))"""))
    r = check(config)
    assert r.returncode == 0, r.stderr


def test_opensmtpd_service_runs_smtpd_in_the_foreground_with_its_log(interp):
    out = ev(interp, """(use-modules (gnu services) (gnu services shepherd) (gnu services mail)
                                     (gnu system privilege) (guix gexp))
        (define (extension type config)
          (let ((ext (find (lambda (e) (eq? (service-extension-target e) type))
                           (service-type-extensions opensmtpd-service-type))))
            ((service-extension-compute ext) config)))
        (let* ((config (opensmtpd-configuration))
               (svc (car (extension shepherd-root-service-type config))))
          (list (shepherd-service-provision svc) (shepherd-service-requirement svc)
                (gexp->string (shepherd-service-start svc))
                (map privileged-program-group (extension privileged-program-service-type config))
                (extension privileged-program-service-type
                           (opensmtpd-configuration (setgid-commands? #f)))))""")
    assert out.startswith("((smtpd) (pam loopback) "), out
    assert '\\"-f\\"' in out and '\\"-d\\") #:log-file \\"/var/log/mail.log\\"' in out, out
    assert out.endswith('("smtpq" "smtpq" "smtpq" "smtpq" "smtpq" "smtpq") ())'), out

"""Gaps real configs of a second, unseen corpus showed (issue 15): each fix shown on the
project's own configs, written with the same modules and idioms as the configs that needed it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ev, system_check

from schemy.app import Interpreter
from schemy.lang.printer import write_string

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "tests" / "configs"


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


check = system_check


# ---------------------------------------------------------------- the package index


def test_index_reads_a_module_whose_newest_blob_is_missing_at_its_newest_readable_version(tmp_path):
    repo = tmp_path / "guix"
    env = {"GIT_AUTHOR_DATE": "2024-05-01T00:00:00", "GIT_COMMITTER_DATE": "2024-05-01T00:00:00",
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def git(*a: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *a], check=True, capture_output=True, text=True,
                              env=env).stdout.strip()

    (repo / "gnu" / "packages").mkdir(parents=True)
    git("init", "-q")
    git("config", "user.email", "a@b"), git("config", "user.name", "a")
    big = repo / "gnu" / "packages" / "big.scm"
    big.write_text('(define-module (gnu packages big))\n'
                   '(define-public texish (package (name "texish") (version "1")))\n')
    (repo / "gnu" / "packages" / "small.scm").write_text(
        '(define-module (gnu packages small))\n(define-public tiny (package (name "tiny") (version "2")))\n')
    git("add", "."), git("commit", "-qm", "add")
    readable = git("rev-parse", "HEAD")
    big.write_text(big.read_text().replace('"1"', '"9"'))
    git("commit", "-qam", "update")
    blob = git("rev-parse", "HEAD:gnu/packages/big.scm")
    os.remove(repo / ".git" / "objects" / blob[:2] / blob[2:])  # as in a partial snapshot mirror
    out = tmp_path / "index.json"
    r = subprocess.run([sys.executable, str(ROOT / "tools/derive_package_index.py"),
                        "--guix-git", str(repo / ".git"), "-o", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text())
    assert data["modules"]["gnu packages big"][1][0][:3] == ["texish", "", "1"]
    assert data["modules"]["gnu packages small"][1][0][:3] == ["tiny", "", "2"]
    assert data["sources"]["fallbacks"] == {"gnu/packages/big.scm": readable}
    assert data["sources"]["guix"] == git("rev-parse", "HEAD")


def test_tex_package_module_is_in_the_index(interp):
    v = ev(interp, "(use-modules (guix packages) (gnu packages tex))"
                   " (package-name texlive-scheme-basic)")
    assert v == "texlive-scheme-basic"


# ---------------------------------------------------------------- file systems


def test_quoted_dependency_of_a_file_system_is_a_located_error_with_a_hint(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text("""(use-modules (gnu))
(define* (subvolume name mount-point #:key (deps '()))
  (file-system
    (device "/dev/mapper/crypt") (mount-point mount-point) (type "btrfs")
    (options (string-append "subvol=" name))
    (dependencies deps)))
(define %subvolumes
  `(("@" "/" #:deps ((mapped-devices)))
    ("@store" "/gnu/store" #:deps ((file-system->mapped-device (car file-systems))))))
(operating-system
  (host-name "x") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader) (targets '("/boot/efi"))))
  (mapped-devices (list (mapped-device (source "/dev/sda2") (target "crypt") (type luks-device-mapping))))
  (file-systems (append (map (lambda (s) (apply subvolume s)) %subvolumes) %base-file-systems)))
""")
    r = check(config)
    assert (f'{config}:3:2: error: file-system "/gnu/store": invalid dependency '
            "(file-system->mapped-device (car file-systems)): not a file-system or mapped-device record") in r.stderr
    assert "hint: a quoted list is data, not code" in r.stderr
    assert "Traceback" not in r.stderr


# ---------------------------------------------------------------- (gnu system linux-container)

CONTAINER_OS = """
(use-modules (gnu) (gnu system linux-container) (gnu system file-systems) (srfi srfi-1))
(use-service-modules networking ssh)
(define os
  (operating-system
    (host-name "box") (timezone "UTC")
    (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
    (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                        %base-file-systems))
    (swap-devices (list (swap-space (target "/dev/sda2"))))
    (services (cons* (service dhcpcd-service-type) (service openssh-service-type) %base-services))))
(define shared
  (containerized-operating-system
   os (list (file-system-mapping (source "/srv/data") (target "/data") (writable? #t)))
   #:shared-network? #t))
(define (kinds services) (map (lambda (s) (service-type-name (service-kind s))) services))
"""


def test_containerized_system_shares_the_hosts_network_and_mappings(interp):
    v = ev(interp, CONTAINER_OS + """
(list (filter (lambda (m) (member m '("/" "/data" "/etc/resolv.conf" "/dev/pts" "/gnu/store")))
              (map file-system-mount-point (operating-system-file-systems shared)))
      (operating-system-swap-devices shared)
      (file-system-flags (find (lambda (fs) (string=? (file-system-mount-point fs) "/data"))
                               (operating-system-file-systems shared)))
      (file-system-type (find (lambda (fs) (string=? (file-system-mount-point fs) "/"))
                              (operating-system-file-systems shared))))""")
    assert write_string(v) == '(("/etc/resolv.conf" "/data" "/") () (bind-mount) "dummy")'


def test_containerized_system_drops_gettys_dhcp_firmware_and_hosts(interp):
    v = ev(interp, CONTAINER_OS + """
(let ((user (kinds (operating-system-user-services shared)))
      (essential (kinds (operating-system-essential-services shared))))
  (list (car user) (memq 'mingetty user) (memq 'dhcpcd user) (and (memq 'openssh user) #t)
        (memq 'firmware essential) (memq 'hosts essential) (and (memq 'etc essential) #t)))""")
    assert write_string(v) == "(dummy-networking #f #f #t #f #f #t)"


def test_container_script_is_the_run_container_program(interp):
    v = ev(interp, CONTAINER_OS + "(container-script os #:shared-network? #t)")
    assert write_string(v) == "#<program-file run-container>"


# ---------------------------------------------------------------- (guix profiles), canonical-package


def test_packages_to_manifest_gives_entries_with_outputs(interp):
    v = ev(interp, "(use-modules (guix profiles) (gnu packages base) (gnu packages version-control))"
                   " (let ((m (manifest-add (packages->manifest (list hello (list git \"send-email\")))"
                   "                        (list (package->manifest-entry (canonical-package hello) \"out\")))))"
                   "   (map (lambda (e) (list (manifest-entry-name e) (manifest-entry-output e)))"
                   "        (manifest-entries m)))")
    # Guix's manifest-add puts each added entry in front, after removing its namesake.
    assert write_string(v) == '(("hello" "out") ("git" "send-email"))'


def test_canonical_package_is_the_package_of_the_base_module(interp):
    v = ev(interp, "(use-modules (gnu packages base) (guix packages))"
                   " (list (eq? (canonical-package grep) grep) (package-name (canonical-package grep)))")
    assert write_string(v) == '(#t "grep")'


# ---------------------------------------------------------------- hints for unbound names


def write_config(tmp_path: Path, packages: str, services: str = "%base-services", modules: str = "") -> Path:
    config = tmp_path / "config.scm"
    config.write_text(f"""(use-modules (gnu){modules})
(operating-system
  (host-name "x") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (packages (append (list {packages}) %base-packages))
  (services {services}))
""")
    return config


def test_unbound_vim_is_the_package_not_the_license(tmp_path):
    config = write_config(tmp_path, "vim")
    r = check(config)
    assert f"{config}:7:26: error: vim: unbound variable\nhint: Did you forget (use-package-modules vim)?" in r.stderr


def test_docker_without_containerd_names_the_service_to_add(tmp_path):
    config = write_config(tmp_path, "", "(cons* (service docker-service-type) %base-services)",
                          " (gnu services docker)")
    r = check(config)
    assert "error: shepherd service 'dockerd' requires 'containerd', which no service provides\n" \
           "hint: add (service containerd-service-type), from (gnu services docker), to the services" in r.stderr


# ---------------------------------------------------------------- misplaced forms in records


def test_expression_without_field_name_in_operating_system_has_a_hint(tmp_path):
    config = write_config(tmp_path, "")
    text = config.read_text().replace('(host-name "x")', '(host-name "x")\n  (append (list) %base-groups)')
    config.write_text(text)
    r = check(config)
    assert f"{config}:4:2: error: invalid field specifier: (append (list) %base-groups)" in r.stderr
    assert ("hint: (append ...) is an expression, not a field of operating-system: it lacks its field name, "
            "as in (FIELD (append ...))") in r.stderr


def test_file_system_inside_another_says_a_parenthesis_is_missing(tmp_path):
    config = write_config(tmp_path, "")
    text = config.read_text().replace(
        '(type "ext4"))',
        '(type "ext4")\n                      (file-system (mount-point "/home") (device "/dev/sda3") (type "ext4")))')
    config.write_text(text)
    r = check(config)
    assert f"{config}:6:22: error: invalid field specifier: (file-system (mount-point" in r.stderr
    assert "hint: a (file-system ...) inside another one: a closing parenthesis is probably missing" in r.stderr


def test_bare_name_that_is_no_field_is_an_invalid_field_specifier_as_in_guix(tmp_path):
    config = write_config(tmp_path, "")
    text = config.read_text().replace("(bootloader (bootloader-configuration (bootloader grub-bootloader)",
                                      "(bootloader (bootleader-configuration (bootloader grub-bootloader)")
    config.write_text(text)
    r = check(config)
    assert f"{config}:4:40: error: invalid field specifier: (bootloader grub-bootloader)" in r.stderr
    assert "hint: grub-bootloader is not a field of bootloader" in r.stderr


# ---------------------------------------------------------------- removed variables and fields


def test_derive_removed_variables_reads_deprecations_and_removed_fields(tmp_path):
    repo = tmp_path / "guix"
    env = {"GIT_AUTHOR_DATE": "2024-05-01T00:00:00", "GIT_COMMITTER_DATE": "2024-05-01T00:00:00",
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def commit(date: str, message: str) -> None:
        e = dict(env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=e)
        subprocess.run(["git", "-C", str(repo), "commit", "-qm", message], check=True, env=e)

    (repo / "gnu" / "services").mkdir(parents=True)
    subprocess.run(["git", "-C", str(repo), "init", "-q"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "config", "user.email", "a@b"], check=True)
    subprocess.run(["git", "-C", str(repo), "config", "user.name", "a"], check=True)
    demo = repo / "gnu" / "services" / "demo.scm"
    body = ("  (service demo-service-type x))\n\n"
            "(define-record-type* <demo-configuration> demo-configuration make-demo-configuration\n"
            "  demo-configuration?\n")
    demo.write_text("(define* (demo-service #:key\n                       (x 1))\n" + body +
                    "  (startx demo-configuration-startx (default #f)))\n")
    commit("2019-01-05T00:00:00", "add")
    demo.write_text("(define-deprecated (demo-service #:key\n                       (x 1))\n"
                    "  demo-service-type\n" + body + "  (xorg demo-configuration-xorg (default #f)))\n")
    commit("2019-03-05T00:00:00", "deprecate, replace a field")
    demo.write_text("(define-record-type* <demo-configuration> demo-configuration make-demo-configuration\n"
                    "  demo-configuration?\n  (xorg demo-configuration-xorg (default #f)))\n")
    commit("2021-06-05T00:00:00", "remove")
    channels, index = tmp_path / "channels.json", tmp_path / "index.json"
    channels.write_text(json.dumps({"names": {"demo-service-type": ["gnu services demo"]}}))
    index.write_text(json.dumps({"modules": {}}))
    out = tmp_path / "removed.json"
    r = subprocess.run([sys.executable, str(ROOT / "tools/derive_removed_variables.py"), "--guix",
                        str(repo / ".git"), "--channels", str(channels), "--index", str(index), "-o", str(out),
                        "demo-configuration/startx"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    variables = json.loads(out.read_text())["variables"]
    assert {k: variables["demo-service"][k] for k in ("module", "deprecated", "removed", "replacement")} == \
        {"module": "gnu services demo", "deprecated": "2019-03", "removed": "2021-06",
         "replacement": "demo-service-type"}
    field = variables["demo-configuration/startx"]
    assert (field["removed"], field["replacement"]) == ("2019-03", ["xorg"])


def test_derive_removed_variables_reads_every_package_removal_subject(tmp_path):
    # Guix's commits remove packages as "gnu: Remove NAME.", "gnu: Remove A, B and C." or
    # "gnu: NAME: Remove package."; a commit touching several modules names the one that held
    # the definition.
    repo = tmp_path / "guix"
    (repo / "gnu" / "packages").mkdir(parents=True)
    env = dict(os.environ, GIT_AUTHOR_NAME="a", GIT_AUTHOR_EMAIL="a@b", GIT_COMMITTER_NAME="a",
               GIT_COMMITTER_EMAIL="a@b")
    subprocess.run(["git", "-C", str(repo), "init", "-q"], check=True, env=env)

    def commit(date: str, message: str, files: dict[str, str]) -> None:
        for name, text in files.items():
            (repo / "gnu" / "packages" / name).write_text(text)
        e = dict(env, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=e)
        subprocess.run(["git", "-C", str(repo), "commit", "-qm", message], check=True, env=e)

    commit("2020-01-05T00:00:00", "add", {"a.scm": "(define-public users 1)\n",
                                          "z.scm": "(define-public old-z 1)\n(define-public two 2)\n"})
    commit("2021-02-05T00:00:00", "gnu: old-z: Remove package.",
           {"a.scm": "(define-public users 2)\n", "z.scm": "(define-public two 2)\n"})
    commit("2022-03-05T00:00:00", "gnu: Remove two, three and four.", {"z.scm": "\n"})
    commit("2023-04-05T00:00:00", "gnu: Remove unused patch.", {"a.scm": "(define-public users 3)\n"})
    channels, index = tmp_path / "channels.json", tmp_path / "index.json"
    channels.write_text(json.dumps({"names": {}}))
    index.write_text(json.dumps({"modules": {}}))
    out = tmp_path / "removed.json"
    r = subprocess.run([sys.executable, str(ROOT / "tools/derive_removed_variables.py"), "--guix",
                        str(repo / ".git"), "--channels", str(channels), "--index", str(index), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    variables = json.loads(out.read_text())["variables"]
    assert sorted(variables) == ["four", "old-z", "three", "two"]
    assert (variables["old-z"]["module"], variables["old-z"]["removed"]) == ("gnu packages z", "2021-02")
    assert (variables["two"]["module"], variables["two"]["removed"]) == ("gnu packages z", "2022-03")


def test_a_package_removed_as_remove_package_gets_a_hint(tmp_path):
    config = write_config(tmp_path, "python2-pylint", modules=" (gnu packages check)")
    r = check(config)
    assert "error: python2-pylint: unbound variable\nhint: Guix removed python2-pylint (of (gnu packages check)) " \
           "in 2021-01" in r.stderr


def test_removed_service_procedure_says_when_and_what_replaces_it(tmp_path):
    config = write_config(tmp_path, "", "(cons (ntp-service) %base-services)")
    r = check(config)
    assert (f"{config}:8:19: error: ntp-service: unbound variable\nhint: Guix removed ntp-service (of "
            "(gnu services networking)) in 2021-06, deprecated since 2019-01; use ntp-service-type instead "
            "(in (gnu services networking))") in r.stderr


def test_removed_field_says_when_and_what_replaced_it(tmp_path):
    config = write_config(tmp_path, "", "(cons (service slim-service-type (slim-configuration (startx #f)))"
                                        " %base-services)", " (gnu services xorg)")
    r = check(config)
    assert "error: extraneous field initializers (startx)\nhint: the 'startx' field of slim-configuration " \
           "was removed from Guix in 2019-03; it was replaced by the 'xorg-configuration' field" in r.stderr


def test_removed_package_variable_says_when_guix_removed_it(tmp_path):
    config = write_config(tmp_path, "nitrogen", modules=" (gnu packages wm)")
    r = check(config)
    assert f"{config}:7:26: error: nitrogen: unbound variable\nhint: Guix removed nitrogen (of (gnu packages wm)) " \
           "in 2025-08" in r.stderr


def test_removed_package_specification_says_when_guix_removed_it(tmp_path):
    config = write_config(tmp_path, '(specification->package "xf86-video-modesetting")')
    r = check(config)
    assert "error: package 'xf86-video-modesetting' not found\nhint: Guix removed the package " \
           "xf86-video-modesetting from (gnu packages xorg) in 2017-02" in r.stderr


def test_derive_removed_variables_reads_package_removals_from_commit_subjects(tmp_path):
    repo = tmp_path / "guix"
    env = {"GIT_AUTHOR_DATE": "2022-05-01T00:00:00", "GIT_COMMITTER_DATE": "2022-05-01T00:00:00",
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    (repo / "gnu" / "packages").mkdir(parents=True)
    run = lambda *a: subprocess.run(["git", "-C", str(repo), *a], check=True, env=env)  # noqa: E731
    run("init", "-q"), run("config", "user.email", "a@b"), run("config", "user.name", "a")
    wm = repo / "gnu" / "packages" / "wm.scm"
    wm.write_text('(define-public wallpaper-setter (package (name "wallpaper-setter")))\n(define-public kept 1)\n')
    run("add", "-A"), run("commit", "-qm", "gnu: Add wallpaper-setter.")
    wm.write_text("(define-public kept 1)\n")
    run("commit", "-qam", "gnu: Remove wallpaper-setter.")
    channels, index = tmp_path / "channels.json", tmp_path / "index.json"
    channels.write_text(json.dumps({"names": {}}))
    index.write_text(json.dumps({"modules": {"gnu packages wm": ["gnu/packages/wm.scm", [["kept", "", "1", 2]]]}}))
    out = tmp_path / "removed.json"
    subprocess.run([sys.executable, str(ROOT / "tools/derive_removed_variables.py"), "--guix", str(repo / ".git"),
                    "--channels", str(channels), "--index", str(index), "-o", str(out)], check=True,
                   capture_output=True)
    facts = json.loads(out.read_text())["variables"]["wallpaper-setter"]
    assert (facts["module"], facts["removed"], facts["package"]) == ("gnu packages wm", "2022-05", True)


def test_root_account_is_exported_by_gnu_system(interp):
    """Guix's (gnu system) exports %root-account; configs inherit from it through (gnu)."""
    v = ev(interp, "(use-modules (gnu)) (let ((root (user-account (inherit %root-account) (shell \"/bin/zsh\"))))"
                   " (list (user-account-name root) (user-account-uid root) (user-account-shell root)))")
    assert write_string(v) == '("root" 0 "/bin/zsh")'


def test_a_configs_own_root_account_replaces_the_default(interp):
    """As in Guix, a user with uid 0 is the root account; otherwise %root-account is added."""
    v = ev(interp, """(use-modules (gnu))
        (define (os users)
          (operating-system (host-name "h") (timezone "UTC") (locale "en_US.utf8")
            (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
            (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4"))
                                %base-file-systems))
            (users users)))
        (define (roots o)
          (map user-account-shell
               (filter (lambda (u) (eqv? 0 (user-account-uid u))) (operating-system-user-accounts o))))
        (list (length (roots (os (list (user-account (inherit %root-account) (shell "/bin/zsh"))))))
              (car (roots (os (list (user-account (inherit %root-account) (shell "/bin/zsh"))))))
              (length (roots (os '()))))""")
    assert write_string(v) == '(1 "/bin/zsh" 1)'


def test_nix_base32_encoding_is_nixs():
    """sha256 of the empty string in Nix's base32, as `nix-hash --to-base32` prints it."""
    import hashlib

    from schemy.guix.packages import bytevector_to_nix_base32, nix_base32_to_bytevector

    digest = hashlib.sha256(b"").digest()
    text = bytevector_to_nix_base32(bytearray(digest))
    assert text == "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73"
    assert bytes(nix_base32_to_bytevector(text)) == digest


def test_virtualized_operating_system_boots_from_vda_with_the_store_over_9p(interp):
    """(gnu system vm): root on /dev/vda1, host-bound file systems and swap dropped,
    the store and each mapping mounted over 9p under a tag derived from the host path."""
    v = ev(interp, """(use-modules (gnu) (gnu system vm) (gnu system file-systems) (srfi srfi-1))
        (define os
          (operating-system (host-name "h") (timezone "UTC") (locale "en_US.utf8")
            (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
            (file-systems (cons* (file-system (device (file-system-label "root")) (mount-point "/") (type "ext4"))
                                 (file-system (device "/dev/sdb1") (mount-point "/data") (type "ext4"))
                                 %base-file-systems))
            (swap-devices (list (swap-space (target "/dev/sda2"))))))
        (define vm (virtualized-operating-system
                    os (list (file-system-mapping (source "/home/u/src") (target "/src") (writable? #t)))))
        (define (fs-at point)
          (find (lambda (fs) (string=? (file-system-mount-point fs) point)) (operating-system-file-systems vm)))
        (list (file-system-device (fs-at "/"))
              (file-system-type (fs-at "/src"))
              (file-system-options (fs-at "/src"))
              (file-system-flags (fs-at "/gnu/store"))
              (and (fs-at "/data") #t)
              (operating-system-swap-devices vm)
              (string-length (file-system->mount-tag "/gnu/store"))
              (string-prefix? "TAG" (file-system-device (fs-at "/gnu/store")))
              (virtual-machine-memory-size (virtual-machine vm)))""")
    assert write_string(v) == ('("/dev/vda1" "9p" "trans=virtio,msize=104857600" (read-only) #f () 31 #t 256)')


def test_inputattach_service_runs_inputattach_on_the_device(interp):
    """(gnu services desktop)'s inputattach-service-type: Guix's defaults and command line."""
    v = ev(interp, """(use-modules (gnu) (gnu services desktop) (gnu services shepherd) (srfi srfi-1))
        (define (command config)
          (let* ((svc (car ((service-extension-compute
                             (find (lambda (e) (eq? (service-extension-target e) shepherd-root-service-type))
                                   (service-type-extensions inputattach-service-type)))
                            config))))
            (list (shepherd-service-provision svc) (shepherd-service-requirement svc))))
        (list ((@@ (gnu services desktop) inputattach-configuration-device) (inputattach-configuration))
              ((@@ (gnu services desktop) inputattach-configuration-device-type) (inputattach-configuration))
              (command (inputattach-configuration (device "/dev/ttyS1") (baud-rate 19200))))""")
    assert write_string(v) == '("/dev/ttyS0" "wacom" ((inputattach) (user-processes udev)))'


def test_inputattach_command_line_is_written_into_the_system(tmp_path):
    from helpers import build_config

    config = tmp_path / "tablet.scm"
    config.write_text("""(use-modules (gnu) (gnu services desktop))
(operating-system
  (host-name "tablet") (timezone "UTC") (locale "en_US.utf8")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons (service inputattach-service-type
                           (inputattach-configuration (device "/dev/ttyS1") (baud-rate 19200)))
                  %base-services)))
""")
    build_config(config, tmp_path / "store")
    texts = [p.read_text(errors="replace") for p in (tmp_path / "store").rglob("*")
             if p.is_file() and not p.is_symlink() and p.stat().st_size < 1_000_000]
    starts = [t for t in texts if "/bin/inputattach" in t]
    assert starts, "no shepherd file runs inputattach"
    assert any('"--baud" "19200" "--wacom" "/dev/ttyS1"' in t for t in starts), starts[0][:2000]


def test_guix_monads_state_store_and_identity(interp):
    """(guix monads): mlet* (with -> bindings), mbegin, mapm, sequence over the state monad,
    run-with-store for the store monad, and the identity monad."""
    v = ev(interp, """(use-modules (guix monads))
        (define (double x) (return (* 2 x)))
        (list (run-with-state (mlet* %state-monad ((a (return 1)) (b (double a)) (c -> (+ a b))
                                                   (s (current-state)))
                                (return (list a b c s)))
                              'st)
              (run-with-state (mbegin %state-monad (state-push 1) (state-push 2) (state-pop)) '())
              (run-with-store 'store (mapm %store-monad double '(1 2 3)))
              (mlet %identity-monad ((x 5)) (+ x 1))
              (call-with-values
                (lambda () (run-with-state (sequence %state-monad (list (return 1) (current-state))) 's))
                list))""")
    assert write_string(v) == "((1 2 3 st) 2 (2 4 6) 6 ((1 s) s))"


# ---------------------------------------------------------------- modules configs imported (gaps4)


def test_standard_ports_are_the_processs_own_whatever_the_current_ports(tmp_path):
    """wi11dey's config reads a line from (standard-input-port) and warns on (standard-error-port)."""
    script = tmp_path / "ports.scm"
    script.write_text("""(use-modules (rnrs io ports))
(with-output-to-string
  (lambda ()
    (with-input-from-string "not this"
      (lambda ()
        (put-string (standard-error-port) (string-append "got " (get-line (standard-input-port)) "\\n"))
        (put-string (standard-output-port) "out\\n")))))
""")
    r = subprocess.run([sys.executable, "-m", "schemy.cli.main", "run", str(script)], input="typed line\n",
                       capture_output=True, text=True, timeout=60, cwd=str(ROOT))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "out\n"
    assert r.stderr == "got typed line\n"


def test_guix_platform_looks_platforms_up_by_system_or_target(interp):
    """lrustand's package asks (guix platform) for the Linux architecture of a target."""
    v = ev(interp, """(use-modules (guix platform))
        (list (platform-linux-architecture (lookup-platform-by-target-or-system "aarch64-linux-gnu"))
              (platform-linux-architecture (lookup-platform-by-target-or-system "aarch64-linux"))
              (platform-system->target "riscv64-linux")
              (platform-glibc-dynamic-linker (lookup-platform-by-system "x86_64-linux"))
              (false-if-platform-not-found (lookup-platform-by-system "vax-linux"))
              (and (member "x86_64-linux" (systems)) #t)
              (and (member "avr" (targets)) #t))""")
    assert write_string(v) == ('("arm64" "arm64" "riscv64-linux-gnu" "/lib/ld-linux-x86-64.so.2" #f #t #t)')


def test_derived_platform_modules_match_guix(tmp_path):
    guix = Path("/work/.mirror/kromka-chleba+guix/repo")
    if not guix.exists():
        pytest.skip("the Guix mirror is not on this machine")
    arm = (ROOT / "stdlib/guix/platforms/arm.scm").read_text()
    commit = arm.split("from Guix ", 1)[1].split(";", 1)[0]
    text = subprocess.run(["git", "-C", str(guix), "show", f"{commit}:guix/platforms/arm.scm"],
                          capture_output=True, text=True, check=True).stdout
    for value in ('"aarch64-linux-gnu"', '"arm64"', '"/lib/ld-linux-aarch64.so.1"', '"armhf-linux"'):
        assert value in text and value in arm


def test_gnu_image_records_check_their_fields_and_take_a_platform(tmp_path):
    """(gnu image), as laura240406's and 4zv4l's image configs import it."""
    config = tmp_path / "image.scm"
    config.write_text("""(use-modules (gnu) (gnu image) (gnu system image) (guix platform) (guix platforms arm))
(define os
  (operating-system
    (host-name "board")
    (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
    (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4"))
                        %base-file-systems))))
(define img (os+platform->image os aarch64-linux #:type efi-raw-image-type))
(display (list (image-format img) (platform-system (image-platform img)) (image-partition-table-type img)
               (map partition-label (image-partitions img)) (image-max-layers img)))
(newline)
(image (format 'disk-image) (operating-system os)
       (partitions (list (partition (label "root") (flags '(boot swap))))))
""")
    r = subprocess.run([sys.executable, "-m", "schemy.cli.main", "run", str(config)], capture_output=True,
                       text=True, timeout=60, cwd=str(ROOT))
    assert r.stdout == "(disk-image aarch64-linux gpt (GNU-ESP Guix_image) #f)\n"
    assert "image.scm:13:25: error: unsupported partition flag(s): (swap)" in r.stderr


# ---------------------------------------------------------------- corpus6 (unseen until measured)


def test_icecat_is_named_icecat_and_guix_has_its_version():
    # Made by a procedure of its module (make-mozilla-with-l10n 'icecat ...): its name is the
    # symbol's; Guix's own package's version comes from an (if (zero? revision) ...).
    i = Interpreter()
    out = write_string(i.run_protected(lambda: ev(i, """(use-modules (gnu packages) (guix packages) (guix config))
        (list (package-name (specification->package "icecat")) (package-name (specification->package "icedove"))
              %guix-version (package-version (specification->package "guix")))""")))
    assert out == '("icecat" "icedove" "1.5.0-2.520785e" "1.5.0-2.520785e")'


def test_guix_config_and_store_prefix():
    i = Interpreter()
    out = write_string(i.run_protected(lambda: ev(i, """(use-modules (guix config)
                                                                 ((guix store) #:select (%store-prefix)))
        (list (%store-prefix) %store-directory %state-directory %config-directory %guix-package-name)""")))
    assert out == '("/gnu/store" "/gnu/store" "/var/guix" "/etc/guix" "GNU Guix")'


def test_a_package_nonguix_removed_gets_a_nonguix_hint(tmp_path):
    config = write_config(tmp_path, "nvidia-libs", modules=" (nongnu packages nvidia)")
    r = check(config)
    assert "error: nvidia-libs: unbound variable\nhint: nonguix removed nvidia-libs (of (nongnu packages nvidia))" \
           " in 2026-04" in r.stderr


def test_gnu_installer_loads_and_its_program_says_schemy_has_none(tmp_path):
    i = Interpreter()
    out = write_string(i.run_protected(lambda: ev(i, """(use-modules (gnu installer) (guix gexp))
        (list (installer-steps) (file-like? (installer-program)))""")))
    assert out == "(() #t)"


def test_os_with_u_boot_completes_a_system_without_a_bootloader(tmp_path):
    config = tmp_path / "board.scm"
    config.write_text("""(use-modules (gnu) ((gnu system install) #:select (os-with-u-boot)))
(define base
  (operating-system
    (host-name "board") (timezone "UTC")
    (file-systems (cons (file-system (mount-point "/") (device "/dev/mmcblk0p1") (type "ext4"))
                        %base-file-systems))
    (bootloader #f)))
(os-with-u-boot base "A20-OLinuXino-Lime2" #:bootloader-target "/dev/sda")
""")
    r = check(config)
    assert r.returncode == 0, r.stderr
    i = Interpreter()
    out = write_string(i.run_protected(lambda: ev(i, f"""(use-modules (gnu) (guix packages))
        (let ((os (load "{config}")))
          (list (bootloader-configuration-targets (operating-system-bootloader os))
                (package-name (bootloader-package (bootloader-configuration-bootloader
                                                   (operating-system-bootloader os))))))""")))
    assert out == '(("/dev/sda") "u-boot-a20-olinuxino-lime2")'


def test_a_system_left_without_a_bootloader_is_an_error_at_its_place(tmp_path):
    config = tmp_path / "none.scm"
    config.write_text("""(use-modules (gnu))
(operating-system
  (host-name "board") (timezone "UTC")
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (bootloader #f))
""")
    r = check(config)
    assert r.returncode == 1
    assert f"{config}:2:0: error: operating-system: bootloader must be a bootloader-configuration, not #f" \
        in r.stderr


def test_the_deprecated_spice_vdagent_service_gives_the_service():
    i = Interpreter()
    out = write_string(i.run_protected(lambda: ev(i, """(use-modules (gnu services) (gnu services spice))
        (service-type-name (service-kind (spice-vdagent-service)))""")))
    assert out == "spice-vdagent"

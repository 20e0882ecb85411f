"""What the third corpus of real configs needed (issue 15): greetd and seatd as Guix
defines them, (gnu services herd) against schemy's service manager, host names with an
underscore, oci-container-configuration's respawn?, alists inside gexps.  Shown on the
project's own config tests/configs/greetd-wayland.scm, written with the same idioms."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from helpers import build_config, child_subreaper, ev, gone, kill_strays, system_check, wait_for

from schemy.app import Interpreter
from schemy.guix.gexp import CURRENT_STORE
from schemy.guix.store import Store
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string
from schemy.runtime.parameters import parameterized
from schemy.shepherd.herd import ensure_daemon

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "tests" / "configs"
GREETD = CONFIGS / "greetd-wayland.scm"


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


check = system_check


@pytest.fixture(scope="module")
def greetd_system(tmp_path_factory):
    return build_config(GREETD, tmp_path_factory.mktemp("greetd") / "store")


def lowered(interp, tmp_path: Path, expr: str) -> str:
    with parameterized([(CURRENT_STORE, Store(tmp_path / "store"))]):
        return Path(str(ev(interp, f"(use-modules (guix gexp) (gnu services base)) (lower-object {expr})"))).read_text()


# ---------------------------------------------------------------- greetd


def test_greetd_config_checks(tmp_path):
    r = check(GREETD)
    assert r.returncode == 0, r.stdout + r.stderr


def test_greetd_terminal_config_file_is_guixs_toml(interp, tmp_path):
    text = lowered(interp, tmp_path, """
        ((@@ (gnu services base) greetd-terminal-configuration-file)
         (greetd-terminal-configuration (terminal-vt "1") (terminal-switch #t)
                                        (initial-session-user "ada")))""")
    lines = text.splitlines()
    assert lines[:8] == ["[general]", "source_profile = true", "runfile = /run/greetd/runfiles/greetd-1.run",
                         "[terminal]", "vt = 1", "switch = true", "[default_session]", "user = greeter"]
    assert lines[8].startswith("command = ") and lines[8].endswith("-agreety-wrapper")
    assert lines[9:11] == ["[initial_session]", "user = ada"]
    assert lines[11].endswith("-greetd-xdg-user-session-command")


def test_greetd_user_session_program_sets_its_environment(interp, tmp_path):
    text = lowered(interp, tmp_path, """
        ((@@ (gnu services base) greetd-session->program)
         (greetd-user-session (command "/bin/sh") (command-args '("-i"))
                              (extra-env '(("EDITOR" . "nano"))) (xdg-env? #f)))""")
    assert '(quote (("EDITOR" . "nano")))' in text
    assert '(apply execl "/bin/sh" "/bin/sh" (list "-i"))' in text
    assert "(when #f" in text


def test_greetd_defaults_and_deprecated_wlgreet_session(interp):
    v = ev(interp, """(use-modules (gnu services base))
        (let ((t (greetd-terminal-configuration (terminal-vt "4"))))
          (list ((@@ (gnu services base) greetd-config-file-name) t)
                ((@@ (gnu services base) greetd-log-file-name) t)
                (greetd-agreety-session? ((@@ (gnu services base) greetd-default-session-command) t))
                (greetd-wlgreet-configuration? (greetd-wlgreet-session (scale 2)))))""")
    assert write_string(v) == '("config-4.toml" "/var/log/greetd-4.log" #t #t)'


def test_greetd_declares_the_greeter_and_its_pam_service(greetd_system):
    etc = Path(greetd_system.path, "etc")
    pam = (etc / "pam.d" / "greetd").read_text()
    assert "auth required pam_unix.so nullok" in pam
    assert "pam_mount.so disable_interactive" in pam and "pam_motd.so motd=" in pam
    assert 'mountpoint="/run/user/%(USERUID)"' in (etc / "security" / "greetd_pam_mount.conf.xml").read_text()
    accounts = Path(greetd_system.path, "accounts.json").read_text()
    assert '"greeter"' in accounts


def test_greetd_terminals_are_the_hosts(greetd_system):
    shepherd = Path(greetd_system.path, "shepherd.scm").read_text()
    tty1 = shepherd[shepherd.index("(service '(term-tty1)"):]
    assert tty1.index("#:provided-by-host? #t") < tty1.index("(service", 5)
    assert "'(pam user-processes host-name udev virtual-terminal)" in tty1


# ---------------------------------------------------------------- seatd


def test_seatd_declares_its_seat_group(interp):
    v = ev(interp, """(use-modules (gnu services desktop) (gnu system shadow))
        (let ((g ((@@ (gnu services desktop) seatd-group) (seatd-configuration))))
          (list (user-group-name g) (user-group-system? g)))""")
    assert write_string(v) == '("seat" #t)'


def test_user_in_seat_group_needs_seatd(tmp_path):
    text = GREETD.read_text().replace("(list (service seatd-service-type)", "(list")
    config = tmp_path / "no-seatd.scm"
    config.write_text(text)
    r = check(config)
    assert r.returncode == 1 and "supplementary group 'seat' of user 'ada' is undeclared" in r.stdout + r.stderr


def test_seatd_runs_seatd_with_its_group(greetd_system):
    shepherd = Path(greetd_system.path, "shepherd.scm").read_text()
    assert "(service '(seatd elogind)" in shepherd


# ---------------------------------------------------------------- smaller gaps


def test_oci_container_configuration_has_guixs_fields(interp):
    v = ev(interp, """(use-modules (gnu services docker))
        (let ((c (oci-container-configuration (image "jellyfin/jellyfin") (respawn? #t))))
          (list (oci-container-configuration-respawn? c) (oci-container-configuration-auto-start? c)
                (oci-container-configuration-log-file c)))""")
    assert write_string(v) == "(#t #t #f)"


def test_alist_in_gexp_lowers_with_its_dotted_pairs(interp, tmp_path):
    text = lowered(interp, tmp_path, """(program-file "env" #~(quote #$'(("A" . "1") ("B" . "2"))))""")
    assert '(quote (("A" . "1") ("B" . "2")))' in text


# ---------------------------------------------------------------- (gnu services herd)

SERVICES = """
(use-modules (shepherd service))
(register-services
  (list (service '(sleeper) #:documentation "Sleeps." #:auto-start? #f
                 #:start (make-forkexec-constructor '("sleep" "300") #:directory "{base}")
                 #:stop (make-kill-destructor))))
"""


@pytest.fixture(scope="module")
def daemon(tmp_path_factory):
    base = tmp_path_factory.mktemp("herdmod")
    root = base / "root"
    config = base / "services.scm"
    config.write_text(SERVICES.format(base=base))
    with child_subreaper():
        client = ensure_daemon(root)
        pid = client.request("ping")["pid"]
        try:
            client.load(config)
            yield {"root": root, "client": client}
        finally:
            try:
                if client.alive():
                    client.stop_root()
            finally:
                if not gone(pid):
                    os.kill(pid, signal.SIGKILL)
                kill_strays(str(base))
                wait_for(lambda: gone(pid), 5)


def herd_eval(daemon, text: str):
    i = Interpreter()
    from schemy.shepherd.daemon import socket_path

    return i.eval_string(f"""(use-modules (gnu services herd) (srfi srfi-1) (srfi srfi-34))
        (parameterize ((%shepherd-socket-file "{socket_path(daemon['root'])}")) {text})""", "herd.scm")


def test_herd_module_starts_and_lists_services(daemon):
    v = herd_eval(daemon, """
        (start-service 'sleeper)
        (let ((s (find (lambda (s) (eq? (live-service-canonical-name s) 'sleeper)) (current-services))))
          (list (live-service-provision s) (integer? (live-service-running s))
                (begin (stop-service 'sleeper)
                       (live-service-running (current-service 'sleeper)))))""")
    assert write_string(v) == "((sleeper) #t #f)"


def test_herd_module_raises_service_not_found(daemon):
    v = herd_eval(daemon, """
        (guard (c ((service-not-found-error? c) (list 'not-found (service-not-found-error-service c))))
          (start-service 'nonesuch))""")
    assert write_string(v) == "(not-found nonesuch)"


def test_herd_module_without_a_manager_answers_false(interp, tmp_path):
    v = ev(interp, f"""(use-modules (gnu services herd))
        (parameterize ((%shepherd-socket-file "{tmp_path}/none/manager.sock"))
          (list (current-services) (start-service 'x)))""")
    assert write_string(v) == "(#f #f)"


def test_herd_module_is_importable_where_guix_has_it(interp):
    with pytest.raises(SchemeError, match="not supported by schemy"):
        ev(interp, "(use-modules (gnu services herd)) (eval-there '(+ 1 2))")


# ---------------------------------------------------------------- (guix ci)


@pytest.fixture()
def cuirass():
    """A stand-in Cuirass server answering the two queries channel-with-substitutes-available makes."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            seen.append(self.path)
            if self.path.startswith("/api/latestbuilds"):
                body = [{"id": 7, "evaluation": 42, "system": "x86_64-linux", "buildstatus": 0,
                         "timestamp": 1700000000, "starttime": 1700000000, "stoptime": 1700000060,
                         "derivation": "/gnu/store/x.drv", "buildproducts": []}]
            elif self.path.startswith("/api/evaluation"):
                body = {"id": 42, "specification": "guix", "status": 0, "timestamp": 1700000000,
                        "checkouttime": 1700000000, "evaltime": 1700000100,
                        "checkouts": [{"commit": "0123abcd", "channel": "guix"}]}
            else:
                self.send_error(404)
                return
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_channel_with_substitutes_available_takes_the_servers_commit(interp, cuirass):
    url, seen = cuirass
    v = ev(interp, f"""(use-modules (guix ci) (guix channels))
        (let ((c (channel-with-substitutes-available %default-guix-channel "{url}")))
          (list (channel-name c) (channel-commit c)))""")
    assert write_string(v) == '(guix "0123abcd")'
    assert seen[0] == "/api/latestbuilds?nr=1&job=guix.x86_64-linux&jobset=guix&status=0"
    assert seen[1] == "/api/evaluation?id=42"


def test_ci_builds_are_read_from_the_servers_json(interp, cuirass):
    url, _ = cuirass
    v = ev(interp, f"""(use-modules (guix ci))
        (let ((b (car (latest-builds "{url}" 1))))
          (list (build-id b) (build-status b) (build-evaluation b) (build-duration b)))""")
    assert write_string(v) == "(7 succeeded 42 60)"


def test_channel_with_substitutes_unreachable_warns_and_leaves_the_commit(interp, capfd):
    v = ev(interp, """(use-modules (guix ci) (guix channels))
        (channel-commit (channel-with-substitutes-available %default-guix-channel "http://127.0.0.1:9"))""")
    assert v is False
    assert "could not find available substitutes at http://127.0.0.1:9" in capfd.readouterr().err


# ---------------------------------------------------------------- hints for what Guix does not have


def test_removed_service_procedure_hint_names_its_replacement(tmp_path):
    config = tmp_path / "old.scm"
    config.write_text(GREETD.read_text().replace("(list (service seatd-service-type)",
                                                 "(list (dhcp-client-service) (service seatd-service-type)"))
    r = check(config)
    out = r.stdout + r.stderr
    assert "error: dhcp-client-service: unbound variable" in out
    assert ("hint: Guix removed dhcp-client-service (of (gnu services networking)) in 2021-06, deprecated "
            "since 2019-01; use dhcp-client-service-type instead (in (gnu services networking))") in out


def test_removed_procedure_whose_replacement_is_gone_too(interp):
    from schemy.eval.check_all import removed_variable_hint

    assert removed_variable_hint(interp, "lsh-service") == (
        "Guix removed lsh-service (of (gnu services ssh)) in 2025-11, deprecated since 2023-03; "
        "it was replaced by lsh-service-type, itself removed in 2025-11")


def test_package_of_no_channel_says_so(interp):
    with pytest.raises(SchemeError) as e:
        ev(interp, '(use-modules (gnu packages)) (specification->package "fennec-emacs-exwm")')
    text = str(e.value)
    assert "package 'fennec-emacs-exwm' not found" in text
    assert "Did you mean 'emacs-exwm'? Neither Guix nor nonguix has a package of that name" in text


def test_make_glibc_utf8_locales_is_glibcs_locales_under_its_name(interp):
    v = ev(interp, """(use-modules (gnu packages base) (guix packages))
        (let ((p (make-glibc-utf8-locales glibc #:locales (list "it_IT")
                                          #:name "glibc-italian-utf8-locales")))
          (list (package-name p) (equal? (package-version p) (package-version glibc))
                (assq-ref (package-properties p) 'locales)))""")
    assert write_string(v) == '("glibc-italian-utf8-locales" #t ("it_IT"))'


# ---------------------------------------------------------------- Guix's newer names


def folded(interp, type_name: str, expr: str):
    """EXPR with v bound to the folded value of TYPE_NAME in tests/configs/greetd-wayland.scm."""
    return ev(interp, f"""(use-modules (gnu) (gnu services xorg) (guix packages) (gnu system setuid) (srfi srfi-1))
        (let ((v (folded-service-value (operating-system-services (load "{GREETD}")) {type_name})))
          {expr})""")


def test_privileged_program_service_type_is_guixs_name(interp):
    # The base privileged programs and the config's mount helper, all <privileged-program>s
    # (Guix's setuid-program is its deprecated alias).
    assert folded(interp, "privileged-program-service-type",
                  "(and (> (length v) 1) (every setuid-program? v))") is True


def test_setuid_program_service_type_is_its_alias(interp):
    assert ev(interp, "(use-modules (gnu services))"
                      " (eq? setuid-program-service-type privileged-program-service-type)") is True


def test_xorg_server_service_puts_x_in_the_profile(interp):
    assert '"xorg-wrapper"' in write_string(folded(interp, "profile-service-type", "(map package-name v)"))


KEY_ORIGIN = """(use-modules (gnu) (guix download) (guix packages))
(operating-system
  (host-name "keys")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (modify-services %base-services
              (guix-service-type config =>
                (guix-configuration
                  (inherit config)
                  (authorized-keys
                   (cons (origin (method url-fetch)
                                 (uri "https://substitutes.example.org/signing-key.pub")
                                 (file-name "example.pub")
                                 (sha256 (base32 "0j66nq1bxvbxf5n8q2py14sjbkn57my0mjwq7k1qm9ddghca7177")))
                         %default-authorized-guix-keys)))))))
"""


def test_authorized_key_origin_is_left_out_of_the_acl_with_a_warning(tmp_path, capfd):
    config = tmp_path / "keys.scm"
    config.write_text(KEY_ORIGIN)
    system = build_config(config, tmp_path / "store")
    acl = Path(system.path, "etc", "guix", "acl").read_text()
    assert acl.count("(entry") >= 1 and "example.pub" not in acl
    assert "-example.pub is to be downloaded; schemy downloads no origins" in capfd.readouterr().err


# ---------------------------------------------------------------- (guix profiles)


def test_manifests_of_packages_and_specifications(interp):
    v = ev(interp, """(use-modules (guix profiles) (gnu packages) (gnu packages base))
        (let ((m (concatenate-manifests
                  (list (packages->manifest (list hello (list glibc "static")))
                        (specifications->manifest '("qemu:static"))))))
          (list (map (lambda (e) (list (manifest-entry-name e) (manifest-entry-output e)))
                     (manifest-entries m))
                (manifest-installed? m (manifest-pattern (name "glibc") (output "static")))
                (map manifest-entry-name
                     (manifest-entries (manifest-remove m (list (manifest-pattern (name "hello"))))))))""")
    assert write_string(v) == '((("hello" "out") ("glibc" "static") ("qemu" "static")) #t ("glibc" "qemu"))'


# ---------------------------------------------------------------- oci-service-type

OCI = CONFIGS / "oci-containers.scm"


@pytest.fixture(scope="module")
def oci_system(tmp_path_factory):
    return build_config(OCI, tmp_path_factory.mktemp("oci") / "store")


def test_oci_config_checks():
    r = check(OCI)
    assert r.returncode == 0, r.stdout + r.stderr


def test_oci_container_runs_podman_in_the_foreground_as_its_user(oci_system):
    shepherd = Path(oci_system.path, "shepherd.scm").read_text()
    svc = shepherd[shepherd.index("(service '(podman-jellyfin)"):]
    svc = svc[:svc.index("#:fingerprint")]
    assert '(list "run" "--rm" "--name" "podman-jellyfin")' in svc
    assert ('(quote ("--env" "TZ=UTC" "--env" "JELLYFIN_LOG_DIR=/log" "--network" "host" '
            '"-p" "8096:8096" "-v" "jellyfin-config:/config"))') in svc
    assert '(list "jellyfin/jellyfin:latest")' in svc and '#:user "media"' in svc
    assert "#:respawn? #t" in svc
    assert "'(cgroups2-fs-owner cgroups2-limits rootless-podman-shared-root-fs user-processes)" in svc


def test_oci_docker_runtime_needs_the_docker_service(tmp_path):
    config = tmp_path / "docker.scm"
    config.write_text(OCI.read_text().replace("(runtime 'podman)", "(runtime 'docker)"))
    r = check(config)
    assert r.returncode == 1
    assert "supplementary group 'docker' of user 'oci-container' is undeclared" in r.stdout + r.stderr


# ---------------------------------------------------------------- shepherd-service fields

SHEPHERD_FIELDS = """(use-modules (gnu) (gnu services shepherd))
(operating-system
  (host-name "fields")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons (simple-service 'extra shepherd-root-service-type
                    (list (shepherd-service
                           (provision '(flaky))
                           (respawn-limit '(3 . 10))
                           (respawn-delay 0.5)
                           (transient? #t)
                           (start #~(make-forkexec-constructor '("false")))
                           (stop #~(make-kill-destructor)))
                          (shepherd-service
                           (provision '(free))
                           (free-form #~(service '(free) #:start (const #t) #:one-shot? #t)))))
                  %base-services)))
"""


def test_shepherd_service_respawn_fields_reach_the_service_manager(tmp_path):
    from schemy.shepherd.manager import ServiceManager

    config = tmp_path / "fields.scm"
    config.write_text(SHEPHERD_FIELDS)
    system = build_config(config, tmp_path / "store")
    registry = ServiceManager(tmp_path / "root").load_config(Path(system.path, "shepherd.scm"))
    specs = {s.provision[0]: s for s in registry.services}
    flaky = specs["flaky"]
    assert (flaky.respawn, flaky.respawn_limit, flaky.respawn_delay, flaky.transient) == (True, (3, 10.0), 0.5, True)
    assert specs["free"].one_shot is True  # a free-form service: its own gexp made it


def test_substitute_keyword_arguments_takes_guixs_clauses(interp):
    v = ev(interp, """(use-modules (guix utils))
        (substitute-keyword-arguments '(#:tests? #t #:phases (a b) #:x 1)
          ((#:phases phases) `(modify ,phases))
          ((#:configure-flags flags '()) (cons "--foo" flags))
          ((#:tests? _ #f) #f)
          ((#:absent v) 'never))""")
    assert write_string(v) == '(#:configure-flags ("--foo") #:tests? #f #:phases (modify (a b)) #:x 1)'


def test_guix_memoization_remembers_and_forgets(interp):
    v = ev(interp, """(use-modules (guix memoization))
        (define calls 0)
        (define f (mlambda (x) (set! calls (+ calls 1)) (* x 2)))
        (define g (mlambdaq (x) (set! calls (+ calls 1)) (length x)))
        (define k (list 1 2))
        (let* ((a (list (f 2) (f 2) calls))
               (b (list (g k) (g k) calls (g (list 1 2)) calls)))
          (invalidate-memoization! f)
          (f 2)
          (list a b calls))""")
    assert write_string(v) == "((4 4 1) (2 2 2 2 3) 4)"

"""(gnu build linux-container): Guix's interface for running code in a container (own
namespaces, a fresh tmpfs root with the given file systems), and in another process's
namespaces.  WellIDKRealy's config imports it and wraps a service's start in
call-with-container."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ev, system_check

from schemy.app import Interpreter
from schemy.lang.printer import write_string

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    ev(i, "(use-modules (gnu build linux-container) (gnu system file-systems))")
    return i


def test_namespace_predicates_and_defaults_are_guixs(interp):
    v = ev(interp, "(list (user-namespace-supported?) (setgroups-supported?) %namespaces"
                   " (file-system-mount-point %writable-/tmp) (file-system-options %writable-/tmp))")
    assert write_string(v) == ('(#t #t (cgroup mnt pid ipc uts user net) "/tmp" "mode=755,size=10%")')
    assert ev(interp, "(boolean? (unprivileged-user-namespace-supported?))") is True


def run(script: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemy.cli.main", "run", str(script)], capture_output=True,
                          text=True, timeout=60, cwd=str(ROOT))


needs_namespaces = pytest.mark.skipif(
    os.geteuid() != 0 and not Path("/proc/sys/user/max_user_namespaces").exists(),
    reason="containers need root or user namespaces")


@needs_namespaces
def test_thunk_runs_as_pid_1_of_a_fresh_root_with_the_mounts(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "in.txt").write_text("from the host")
    script = tmp_path / "c.scm"
    script.write_text(f"""(use-modules (gnu build linux-container) (gnu system file-systems) (ice-9 rdelim))
(define status
  (call-with-container
    (list %writable-/tmp
          (file-system (device "{shared}") (mount-point "/shared") (type "none")
                       (flags '(bind-mount)) (check? #f)))
    (lambda ()
      (call-with-output-file "/tmp/scratch" (lambda (p) (display "x" p)))
      (call-with-output-file "/shared/out.txt"
        (lambda (p) (display (call-with-input-file "/shared/in.txt" read-line) p)))
      (if (and (= (getpid) 1) (not (file-exists? "/etc/passwd")) (file-exists? "/proc/1")) 42 3))
    #:process-spawned-hook (lambda (pid) (display (integer? pid)) (newline))))
(display (status:exit-val status))
(newline)
""")
    r = run(script)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "#t\n42\n"
    assert (shared / "out.txt").read_text() == "from the host"


@needs_namespaces
def test_container_excursion_runs_in_the_containers_namespaces(tmp_path):
    script = tmp_path / "e.scm"
    script.write_text("""(use-modules (gnu build linux-container) (gnu system file-systems))
(define seen #f)
(define status
  (call-with-container (list %writable-/tmp)
    (lambda () (sleep 2) 0)
    #:namespaces '(mnt pid uts ipc net)
    #:process-spawned-hook
    (lambda (pid)
      (sleep 1)
      (set! seen (container-excursion* pid
                                       (lambda () (list (getpid) (file-exists? "/etc/passwd")
                                                        (file-exists? "/tmp"))))))))
(write (list (status:exit-val status) seen (status:exit-val (container-excursion (getpid) (lambda () 7)))))
""")
    r = run(script)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "(0 (2 #f #t) 7)"


def test_a_config_importing_it_checks(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text("""(use-modules (gnu) (gnu build linux-container))
(operating-system
  (host-name "box")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons (simple-service 'confined-tmp-user shepherd-root-service-type
                                  (list (shepherd-service
                                         (provision '(confined))
                                         (one-shot? #t)
                                         (start (with-imported-modules '((gnu build linux-container))
                                                  #~(begin
                                                      (use-modules (gnu build linux-container))
                                                      (lambda _
                                                        (zero? (status:exit-val
                                                                (call-with-container (list %writable-/tmp)
                                                                  (lambda () 0)
                                                                  #:namespaces '(mnt pid)))))))))))
                  %base-services)))
""")
    r = system_check(config)
    assert r.returncode == 0, r.stderr

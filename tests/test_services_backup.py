"""(gnu services backup) (Guix manual, "Backup Services"): restic backup jobs as Shepherd
timers running `restic-guix backup NAME' in a login shell, as Guix defines them, and the
restic-backup job program's command line."""

from __future__ import annotations

import pytest
from helpers import build_config, system_check

from schemy.app import Interpreter
from schemy.guix.gexp import CURRENT_STORE, gexp_to_string
from schemy.guix.store import Store
from schemy.runtime.parameters import parameterized

OS = """(use-modules (gnu) (gnu services backup))
(operating-system
  (host-name "bk") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons* SERVICES %base-services)))
"""

JOB = """(restic-backup-job (name "remote-ftp") (repository "sftp:user@host:/srv/restic")
                   (password-file "/root/.restic") (schedule "0 * * * *") (files '("/root/.restic" "/etc"))
                   (verbose? #t) (extra-flags '("--one-file-system")) (max-duration 3600))"""

SERVICES = f"""(service restic-backup-service-type (restic-backup-configuration (jobs (list {JOB}))))
   (simple-service 'more-backups restic-backup-service-type
     (list (restic-backup-job (name "home") (repository "/backup") (password-file "/root/pw")
                              (schedule "30 2 * * *") (user "alice") (requirement '(file-systems)))))"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup")
    config = root / "config.scm"
    config.write_text(OS.replace("SERVICES", SERVICES))
    return config, build_config(config, root / "store")


def test_restic_job_is_a_shepherd_timer_running_restic_guix(built):
    _, system = built
    job = next(s for s in system.shepherd if "remote-ftp" in s.provision)
    assert job.requirement == ["user-processes", "file-systems"]
    assert '(make-timer-constructor (if (string? "0 * * * *") (cron-string->calendar-event "0 * * * *")' in job.text
    assert '/bin/bash") "-l" "-c" (string-append "restic-guix backup " "remote-ftp"))' in job.text
    assert '#:log-file "/var/log/restic-backup/remote-ftp.log"' in job.text and "#:max-duration 3600" in job.text
    assert "(action 'trigger" in job.text and "(make-timer-destructor)" in job.text


def test_jobs_from_extensions_are_added(built):
    _, system = built
    home = next(s for s in system.shepherd if "home" in s.provision)
    assert home.requirement == ["file-systems"] and '#:user "alice"' in home.text
    assert any("restic-backup-service-wrapper" in p for p in system.extras["packages"])


def test_restic_backup_program_runs_restic_backup_with_the_jobs_arguments(tmp_path):
    i = Interpreter()
    with parameterized([(CURRENT_STORE, Store(tmp_path / "store"))]):
        text = gexp_to_string(i.eval_string(
            f"(use-modules (gnu services backup)) (lower-restic-backup-job {JOB})", "test.scm"))
    assert text.startswith('(list (list "/root/.restic" "/etc") "')
    assert ('/bin/restic" "sftp:user@host:/srv/restic" "/root/.restic" (list "--verbose") '
            '(list "--one-file-system"))') in text


def test_backup_config_passes_system_check(built):
    config, _ = built
    result = system_check(config)
    assert result.returncode == 0, result.stdout + result.stderr


def test_restic_job_needs_a_schedule(tmp_path):
    config = tmp_path / "bad.scm"
    config.write_text(OS.replace("SERVICES", "(service restic-backup-service-type (restic-backup-configuration "
                                 "(jobs (list (restic-backup-job (name \"x\") (repository \"/r\") "
                                 "(password-file \"/p\"))))))"))
    result = system_check(config)
    assert result.returncode != 0 and "schedule" in result.stdout + result.stderr

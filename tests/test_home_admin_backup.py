"""(gnu home services admin) and (gnu home services backup): the user's log rotation and restic
backup jobs, the system services' code run by the user's shepherd (no system requirement, logs
under the user's log directory, `restic-guix backup NAME' run directly)."""

from __future__ import annotations

import pytest
from helpers import ev
from service_modules import home_build, missing_exports

from schemy.app import Interpreter
from schemy.lang.datum import to_str
from schemy.lang.printer import write_string


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    i = Interpreter()
    ev(i, """(use-modules (gnu services) (gnu services shepherd) (gnu home services)
                          (gnu home services shepherd) (gnu home services admin)
                          (gnu home services backup) (gnu services admin) (guix gexp) (srfi srfi-1))
(define (home-shepherd-services type value)
  (let ((ext (find (lambda (e) (eq? (service-extension-target e) home-shepherd-service-type))
                   (service-type-extensions type))))
    ((service-extension-compute ext) value)))""")
    return i


@pytest.mark.parametrize("module", ["gnu home services admin", "gnu home services backup"])
def test_module_exports_every_guix_name(interp, module):
    assert missing_exports(interp, module) == []


def test_home_log_rotation_needs_no_system_service(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu home services admin)",
                       "(service home-log-rotation-service-type)")
    assert built.shepherd_services == ["log-rotation"]
    assert write_string(ev(interp, """(map shepherd-service-requirement (home-shepherd-services
        home-log-rotation-service-type (service-type-default-value home-log-rotation-service-type)))""")) \
        == "(())"
    # The system's keeps its requirement.
    assert write_string(ev(interp, "(log-rotation-configuration-requirement (log-rotation-configuration))")) \
        == "(user-processes)"


def test_home_log_rotation_rotates_the_given_files(interp):
    form = to_str(ev(interp, """(gexp->string (shepherd-service-free-form (car (home-shepherd-services
        home-log-rotation-service-type
        (for-home (log-rotation-configuration (external-log-files '("/home/alice/.local/state/x.log"))
                                               (compression 'gzip)))))))"""))
    assert "#:requirement '()" in form.replace("(quote ())", "'()")
    assert '"/home/alice/.local/state/x.log"' in form and "gzip" in form


JOB = """(restic-backup-job
           (name "remote-ftp")
           (repository "rclone:remote-ftp:backup/restic")
           (password-file "/home/alice/.restic")
           (schedule "0 23 * * *")
           (files '("/home/alice/.restic" "/home/alice/.config/rclone" "/home/alice/Pictures")))"""


def test_the_manuals_simple_service_gives_the_user_a_backup_timer(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu home services backup)",
                       f"(simple-service 'backup-jobs home-restic-backup-service-type (list {JOB}))")
    assert built.shepherd_services == ["remote-ftp"]


def test_home_backup_job_runs_restic_guix_as_the_user_logging_in_the_users_log_dir(interp):
    start = to_str(ev(interp, f"""(gexp->string (shepherd-service-start (car
        (home-shepherd-services home-restic-backup-service-type
                                (for-home (restic-backup-configuration (jobs (list {JOB}))))))))"""))
    assert 'command (list "restic-guix" "backup" "remote-ftp")' in start
    assert "#:user" not in start and "bash" not in start
    assert '%user-log-dir "/restic-backup/" "remote-ftp" ".log"' in start
    assert '(cron-string->calendar-event "0 23 * * *")' in start.replace("(if (string? \"0 23 * * *\") ", "")
    requirement = ev(interp, f"""(map shepherd-service-requirement (home-shepherd-services
        home-restic-backup-service-type (for-home (restic-backup-configuration (jobs (list {JOB}))))))""")
    assert write_string(requirement) == "(())"


def test_extending_keeps_the_jobs_the_users(interp):
    assert ev(interp, """((@@ (gnu services backup) restic-backup-configuration-home-service?)
        ((service-type-extend home-restic-backup-service-type)
         (service-type-default-value home-restic-backup-service-type) '()))""") is True

"""(gnu services admin): log-rotation-service-type (the Shepherd's log-rotation service, Guix's
fields and defaults, extensible with log files) and resize-file-system-service-type; both jobs are
the host's on a foreign host (logrotate, its disks), so their services are shown as the host's."""

from __future__ import annotations

from services_more import build_services, by_provision

from schemy.app import Interpreter
from schemy.lang.printer import write_string


def test_log_rotation_defaults_and_extension(tmp_path):
    built = build_services(tmp_path, "(gnu services admin)", """(service log-rotation-service-type)
        (simple-service 'more-logs log-rotation-service-type '("/var/log/app.log"))""")
    rotation = by_provision(built)["log-rotation"]
    assert rotation.host_provided and rotation.requirement == ["user-processes"]
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services) (gnu services admin))
           (let ((c (log-rotation-configuration)))
             (list (log-rotation-configuration-provision c) (log-rotation-configuration-compression c)
                   (log-rotation-configuration-external-log-files
                    ((service-type-extend log-rotation-service-type)
                     (log-rotation-configuration (external-log-files '("/var/log/a.log")))
                     ((service-type-compose log-rotation-service-type)
                      '(("/var/log/b.log") ("/var/log/c.log")))))))""", "t.scm")))
    assert out == '((log-rotation) zstd ("/var/log/a.log" "/var/log/b.log" "/var/log/c.log"))'


def test_log_rotation_free_form_is_guixs_call(tmp_path):
    from schemy.guix.gexp import lower_gexp
    from schemy.guix.store import Store

    i = Interpreter()
    form = i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services admin) (gnu services shepherd))
           (shepherd-service-free-form
            (car ((@@ (gnu services admin) log-rotation-shepherd-services)
                  (log-rotation-configuration (compression 'gzip) (expiry 86400)
                                              (external-log-files '("/var/log/x.log"))))))""", "t.scm"))
    text = write_string(lower_gexp(form, Store(tmp_path / "store")))
    assert text.startswith("(log-rotation-service (calendar-event #:minutes (quote (0)) #:hours (quote (22))")
    assert ("#:provision (quote (log-rotation)) #:requirement (quote (user-processes)) "
            '#:external-log-files (quote ("/var/log/x.log")) #:compression (quote gzip) #:expiry 86400 '
            "#:rotation-size-threshold (%default-rotation-size-threshold))") in text


def test_resize_file_system_is_the_hosts_one_shot(tmp_path):
    built = build_services(tmp_path, "(gnu services admin)", """(service resize-file-system-service-type
        (resize-file-system-configuration
          (file-system (file-system (device "/dev/sda2") (mount-point "/") (type "ext4")))))""")
    resize = by_provision(built)["resize-file-system"]
    assert resize.host_provided and resize.one_shot and resize.requirement == ["user-processes"]
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services admin) (gnu system file-systems))
           (let ((c (resize-file-system-configuration
                     (file-system (file-system (device "/dev/vda1") (mount-point "/") (type "btrfs"))))))
             (cdr ((@@ (gnu services admin) resize-file-system-commands) c)))""", "t.scm")))
    assert out == '("filesystem" "resize")'

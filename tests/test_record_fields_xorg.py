"""(gnu services xorg) fields schemy lacked and Guix has: gdm's xdmcp?, sddm's default-path,
lightdm's debug? and each lightdm seat's xserver-command."""

from __future__ import annotations

from pathlib import Path

from services_more import build_services


def test_gdm_xdmcp_is_written_to_custom_conf(tmp_path):
    built = build_services(tmp_path, "(gnu services xorg)",
                           "(service gdm-service-type (gdm-configuration (xdmcp? #t)))")
    assert Path(built.etc["gdm/custom.conf"]).read_text().endswith("[xdmcp]\nEnable=true\n")


def test_sddm_default_path_is_written_under_users(tmp_path):
    built = build_services(tmp_path, "(gnu services sddm)",
                           '(service sddm-service-type (sddm-configuration (default-path "/opt/bin")))')
    assert "[Users]\nDefaultPath=/opt/bin\n" in Path(built.etc["sddm.conf"]).read_text()


def test_lightdm_seats_name_their_x_server_command(tmp_path):
    built = build_services(tmp_path, "(gnu services lightdm)", """
(service lightdm-service-type
         (lightdm-configuration
          (seats (list (lightdm-seat-configuration (name "*"))
                       (lightdm-seat-configuration (name "seat1") (xserver-command "/opt/X"))))))""")
    conf = Path(built.etc["lightdm/lightdm.conf"]).read_text()
    default_seat, seat1 = conf.split("[Seat:*]")[1].split("[Seat:seat1]")
    assert default_seat.split("xserver-command=")[1].split("\n")[0].endswith("-startx")
    assert "xserver-command=/opt/X\n" in seat1


def test_lightdm_debug_runs_the_daemon_with_debug():
    from schemy.app import Interpreter

    i = Interpreter()
    text = i.eval_string("""
(use-modules (gnu services) (gnu services shepherd) (gnu services lightdm) (guix gexp) (srfi srfi-1))
(define (start-of config)
  (let ((ext (find (lambda (e) (eq? (service-extension-target e) shepherd-root-service-type))
                   (service-type-extensions lightdm-service-type))))
    (gexp->string (shepherd-service-start (car ((service-extension-compute ext) config))))))
(list (start-of (lightdm-configuration (debug? #t))) (start-of (lightdm-configuration)))""", "test.scm")
    with_debug, without = text.car, text.cdr.car
    assert '"--debug"' in with_debug and "--debug" not in without


def test_sddm_writes_the_wayland_sessions_directory(tmp_path):
    built = build_services(tmp_path, "(gnu services sddm)", "(service sddm-service-type)")
    conf = Path(built.etc["sddm.conf"]).read_text()
    assert "[Wayland]\nSessionDir=/run/current-system/profile/share/wayland-sessions\n" in conf
    assert "[X11]\nSessionDir=/run/current-system/profile/share/xsessions\n" in conf

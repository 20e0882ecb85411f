"""(gnu services base) fields schemy lacked and Guix has: agetty's options (each given to
agetty as Guix gives it), guix-configuration's privileged? and socket-directory-*, and
network-route's scope."""

from __future__ import annotations

import pytest

from schemy.app import Interpreter

START_OF = """
(use-modules (gnu services) (gnu services shepherd) (gnu services base) (guix gexp) (srfi srfi-1))
(define (start-of type config)
  (let ((ext (find (lambda (e) (eq? (service-extension-target e) shepherd-root-service-type))
                   (service-type-extensions type))))
    (let ((s ((service-extension-compute ext) config)))
      (gexp->string (shepherd-service-start (if (list? s) (car s) s))))))
"""


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    i.eval_string(START_OF, "prelude.scm")
    return i


def test_agetty_options_are_given_in_guixs_order(interp):
    text = interp.eval_string("""
(start-of agetty-service-type
          (agetty-configuration (tty "ttyS0") (baud-rate "115200") (no-clear? #t) (timeout 30)
                                (local-line 'always) (login-pause? #t) (host "h")))""", "test.scm")
    assert ('"--host" "h" "--local-line=always" "--timeout" "30"' in text.replace('"--noclear" ', "")
            and '"--noclear"' in text)
    args = text[text.index("--host"):]
    assert args.index("--login-program") < args.index("--login-pause") < args.index('"ttyS0" "115200"')
    assert "-shadow-" in text and "/bin/login" in text


def test_agetty_without_tty_keeps_the_baud_rate(interp):
    text = interp.eval_string("(start-of agetty-service-type (agetty-configuration (tty #f)))", "test.scm")
    assert '"--keep-baud"' in text and "--noclear" not in text


def test_unprivileged_guix_daemon_has_no_build_users_group_and_its_own_account(interp):
    text = interp.eval_string("(start-of guix-service-type (guix-configuration (privileged? #f)))", "test.scm")
    assert "--build-users-group" not in text
    names = interp.eval_string("""
(use-modules (gnu system shadow))
(let ((ext (find (lambda (e) (eq? (service-extension-target e) account-service-type))
                 (service-type-extensions guix-service-type))))
  (map (lambda (x) (if (user-account? x) (user-account-name x) (user-group-name x)))
       ((service-extension-compute ext) (guix-configuration (privileged? #f)))))""", "test.scm")
    assert [str(n) for n in names][:2] == ["guix-daemon", "guix-daemon"]


def test_privileged_guix_daemon_keeps_the_build_users_group(interp):
    text = interp.eval_string("(start-of guix-service-type (guix-configuration))", "test.scm")
    assert '"--build-users-group=guixbuild"' in text


def route_command(interp, route: str) -> str:
    return interp.eval_string(f"""
(start-of static-networking-service-type
  (list (static-networking
         (addresses (list (network-address (device "eth0") (value "10.0.0.2/24"))))
         (routes (list {route})))))""", "test.scm")


def test_network_route_scope_is_given_to_ip(interp):
    text = route_command(interp, '(network-route (destination "10.1.0.0/16") (device "eth0") (scope \'link))')
    assert '"route" "add" "10.1.0.0/16" "dev" "eth0" "scope" "link"' in text
    text = route_command(interp, '(network-route (destination "default") (gateway "10.0.0.1"))')
    assert '"route" "add" "default" "via" "10.0.0.1")' in text


def test_invalid_network_route_scope_is_a_located_error(interp):
    from schemy.lang.errors import SchemeError, render_error

    with pytest.raises(SchemeError) as info:
        interp.eval_string("(network-route (destination \"default\") (scope 'galaxy))", "test.scm")
    assert "galaxy: invalid network scope" in render_error(info.value)

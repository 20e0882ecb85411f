"""Single fields schemy's records lacked and Guix's have: certificate-configuration's dry-run?,
dnsmasq-configuration's deprecated provision, transmission-daemon-configuration's
transmission, configuration-field's predicate, mapped-device-kind's default close."""

from __future__ import annotations

import pytest

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


def ev(interp, text: str):
    return interp.eval_string(text, "test.scm")


def test_certificate_dry_run_adds_the_flag(interp):
    command = ev(interp, """
(use-modules (gnu services certbot))
(define (command cert)
  ((@@ (gnu services certbot) certbot-command) (certbot-configuration (email "a@b")) cert))
(list (command (certificate-configuration (domains '("x.org")) (dry-run? #t)))
      (command (certificate-configuration (domains '("x.org")))))""")
    with_flag, without = (list(map(str, c)) for c in (command.car, command.cdr.car))
    assert with_flag[-1] == "--dry-run" and "--dry-run" not in without


def test_dnsmasq_deprecated_provision_is_used_and_warned_about(interp, capfd):
    provision = ev(interp, """
(use-modules (gnu services) (gnu services dns) (gnu services shepherd) (srfi srfi-1))
(let ((ext (find (lambda (e) (eq? (service-extension-target e) shepherd-root-service-type))
                 (service-type-extensions dnsmasq-service-type))))
  (shepherd-service-provision
   (car ((service-extension-compute ext) (dnsmasq-configuration (provision '(dns)))))))""")
    assert [str(p) for p in provision] == ["dns"]
    assert "test.scm:" in capfd.readouterr().err


def test_transmission_field_names_the_package(interp):
    assert ev(interp, """
(use-modules (gnu services file-sharing) (guix gexp))
(define t (plain-file "t" ""))
(eq? (transmission-daemon-configuration-package (transmission-daemon-configuration (transmission t)))
     t)""") is True


def test_configuration_fields_carry_their_types_predicate(interp):
    assert ev(interp, """
(use-modules (gnu services configuration))
(define-configuration/no-serialization widget (size (integer 1) "Size."))
(let ((pred ((@@ (gnu services configuration) configuration-field-predicate) (car widget-fields))))
  (list (pred 3) (pred "3")))""").car is True


def test_mapped_device_kind_close_defaults_to_nothing(interp):
    assert ev(interp, """
(use-modules (gnu system mapped-devices) (guix gexp))
(gexp? ((mapped-device-kind-close (mapped-device-kind (open (const #~#t)))) "src" "tgt"))""") is True


def test_certbot_leaves_the_key_size_to_certbot_unless_given(interp):
    command = ev(interp, """
(use-modules (gnu services certbot))
(define (command config)
  ((@@ (gnu services certbot) certbot-command) config (certificate-configuration (domains '("x.org")))))
(list (command (certbot-configuration (email "a@b")))
      (command (certbot-configuration (email "a@b") (rsa-key-size 4096))))""")
    default, given = (list(map(str, c)) for c in (command.car, command.cdr.car))
    assert "--rsa-key-size" not in default and given[-2:] == ["--rsa-key-size", "4096"]

"""(nongnu services vpn) and (guix deprecation), which it uses for its old names."""

from __future__ import annotations

from pathlib import Path

from helpers import build_config, minimal_os

from schemy.app import Interpreter
from schemy.lang.printer import write_string

CONFIG = minimal_os("(cons* SERVICE %base-services)", "(gnu) (nongnu services vpn)")


def _shepherd(tmp_path: Path, service: str):
    config = tmp_path / "config.scm"
    config.write_text(CONFIG.replace("SERVICE", service))
    built = build_config(config, tmp_path / "store")
    return built, {s.provision[0]: s for s in built.shepherd}


def test_zerotier_runs_zerotier_one_after_networking_with_join_and_leave(tmp_path):
    built, services = _shepherd(tmp_path, "(service zerotier-service-type)")
    zt = services["zerotier-one"]
    assert list(zt.requirement) == ["networking"]
    assert "/sbin/zerotier-one" in Path(built.shepherd_file).read_text()
    assert "zerotier-cli" in Path(built.shepherd_file).read_text()
    assert "(action 'join (lambda (running network)" in zt.text
    assert "(action 'leave (lambda (running network)" in zt.text
    assert '/sbin/zerotier-cli" "join" network)' in zt.text and not zt.host_provided


def test_the_deprecated_procedure_still_makes_the_service(tmp_path, capfd):
    _, services = _shepherd(tmp_path, "(zerotier-one-service)")
    assert "zerotier-one" in services
    assert "'zerotier-one-service' is deprecated, use 'zerotier-service-type' instead" in capfd.readouterr().err


def test_define_deprecated_warns_once_and_keeps_working(capfd):
    i = Interpreter()
    out = write_string(i.run_protected(lambda: i.eval_string(
        """(use-modules (guix deprecation))
           (define-deprecated (old x #:key (y 2)) new (+ x y))
           (define-deprecated/alias older car)
           (list (old 1) (old 1 #:y 5) (older '(a b)))""", "/tmp/t.scm")))
    assert out == "(3 6 a)"
    assert capfd.readouterr().err.count("warning: 'old' is deprecated, use 'new' instead") == 1

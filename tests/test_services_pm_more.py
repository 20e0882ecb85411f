"""(gnu services pm): PowerTOP's one-shot "powertop --auto-tune", as Guix runs it at boot."""

from __future__ import annotations

from pathlib import Path

from services_more import build_services, by_provision


def test_powertop_auto_tunes_once_at_boot(tmp_path):
    built = build_services(tmp_path, "(gnu services pm)", "(service powertop-service-type)")
    powertop = by_provision(built)["powertop-auto-tune"]
    assert powertop.provision == ["powertop", "powertop-auto-tune"]
    assert powertop.one_shot and powertop.requirement == ["user-processes"]
    text = Path(built.shepherd_file).read_text()
    assert '/sbin/powertop" "--auto-tune")' in text

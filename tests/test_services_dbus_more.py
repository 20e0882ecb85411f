"""(gnu services dbus): rtkit-service-type (its D-Bus service, polkit policy and rtkit account) and
wrapped-dbus-service (a copy of a package's D-Bus services whose program gets more variables)."""

from __future__ import annotations

import os
from pathlib import Path

from services_more import build_services

from schemy.app import Interpreter


def test_rtkit_adds_its_package_to_dbus_and_polkit_and_its_account(tmp_path):
    built = build_services(tmp_path, "(gnu services dbus)", "(service rtkit-service-type)")
    assert "rtkit" in str(built.accounts)
    services = {s["type"]: s for s in built.services}
    assert "rtkit" in services


def test_wrapped_dbus_service_copies_the_packages_services_and_links_its_etc(tmp_path):
    from schemy.guix.gexp import lower_object
    from schemy.guix.store import Store

    i = Interpreter()
    wrapped = i.run_protected(lambda: i.eval_string(
        """(use-modules (gnu services dbus) (gnu packages freedesktop))
           (wrapped-dbus-service rtkit "libexec/rtkit-daemon" '(("RTKIT_X" "1") ("B" "two")))""", "t.scm"))
    out = Path(lower_object(wrapped, Store(tmp_path / "store")))
    assert out.name.endswith("-rtkit-wrapper")
    assert (out / "share/dbus-1/system-services").is_dir()
    assert "-rtkit-" in os.readlink(out / "etc") and os.readlink(out / "etc").endswith("/etc")

"""(gnu services science): an R Shiny application from the system profile."""

from __future__ import annotations

import pytest
from helpers import build_config, system_check
from service_modules import missing_exports, os_config

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


def test_science_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu services science") == []


def test_rshiny_service_is_named_after_the_binary_and_sets_r_libs(tmp_path):
    config = os_config(tmp_path, "(gnu services science)",
                       '(service rshiny-service-type (rshiny-configuration (binary "mapexplorer-app")))')
    r = system_check(config)
    assert r.returncode == 0, r.stdout + r.stderr
    built = build_config(config, tmp_path / "store")
    info = next(s for s in built.shepherd if "rshiny-mapexplor" in s.provision)
    assert '"/run/current-system/profile/bin/mapexplorer-app"' in info.text
    assert "R_LIBS_USER=/run/current-system/profile/site-library/" in info.text

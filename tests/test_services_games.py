"""(gnu services games): joycond, the Luanti server and wesnothd with Guix's command lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, ev, system_check
from service_modules import missing_exports, os_config

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    i = Interpreter()
    ev(i, "(use-modules (gnu services games) (guix gexp))")
    return i


def test_games_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu services games") == []


def test_luanti_default_arguments(interp):
    assert list(ev(interp, "(luanti-arguments (luanti-configuration))")) == ["--port", "30000"]


def test_luanti_world_name_or_directory_and_flags(interp):
    assert list(ev(interp, '(luanti-arguments (luanti-configuration (world "castle") (verbose? #t)'
                           ' (port 30001)))')) == ["--port", "30001", "--verbose", "--worldname", "castle"]
    assert list(ev(interp, '(luanti-arguments (luanti-configuration (world "/srv/w")))'))[-2:] == \
        ["--world", "/srv/w"]


def test_game_servers_system_checks_and_builds(tmp_path):
    config = os_config(tmp_path, "(gnu services games)", """
        (service luanti-service-type (luanti-configuration (world "/srv/world")
                                                           (game-configuration (plain-file "m.conf" "x = 1\\n"))))
        (service wesnothd-service-type (wesnothd-configuration (port 15001)))""")
    r = system_check(config)
    assert r.returncode == 0, r.stdout + r.stderr
    built = build_config(config, tmp_path / "store")
    luanti = next(s for s in built.shepherd if "luanti" in s.provision)
    assert "/bin/luantiserver" in luanti.text and '"--world" "/srv/world"' in luanti.text
    assert "-m.conf" in luanti.text and "/share/luanti/games" in luanti.text
    assert '"/var/log/luanti.log"' in luanti.text
    wesnoth = next(s for s in built.shepherd if "wesnoth-daemon" in s.provision)
    assert '/bin/wesnothd" "-p" "15001"' in wesnoth.text
    assert {"luanti", "wesnothd"} <= set(str(built.accounts).replace("'", " ").split())
    assert "/var/run/wesnothd" in Path(built.activation_file).read_text()


def test_joycond_runs_after_bluetooth(tmp_path):
    config = os_config(tmp_path, "(gnu services games) (gnu services desktop)",
                       "(service bluetooth-service-type) (service joycond-service-type)")
    r = system_check(config)
    assert r.returncode == 0, r.stdout + r.stderr
    built = build_config(config, tmp_path / "store")
    joycond = next(s for s in built.shepherd if "joycond" in s.provision)
    assert "bluetooth" in joycond.requirement and "/bin/joycond" in joycond.text

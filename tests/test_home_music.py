"""(gnu home services music): Beets' ~/.config/beets/config.yaml as Guix writes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from service_modules import home_build, missing_exports

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


def test_home_music_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu home services music") == []


def test_beets_config_has_the_directory_then_each_extra_option(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu home services music)", """
        (service home-beets-service-type
                 (home-beets-configuration (directory "/home/ada/music")
                                           (extra-options '("plugins: fetchart" "import:\\n  move: yes"))))""")
    assert Path(built.files[".config/beets/config.yaml"]).read_text() == (
        "directory: /home/ada/music\nplugins: fetchart\nimport:\n  move: yes\n")


def test_beets_without_extra_options_writes_the_directory_only(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu home services music)",
                       '(service home-beets-service-type (home-beets-configuration (directory "/m")))')
    assert Path(built.files[".config/beets/config.yaml"]).read_text() == "directory: /m\n"


def test_beets_without_a_directory_is_an_error(interp, tmp_path):
    with pytest.raises(SchemeError, match="directory"):
        home_build(interp, tmp_path, "(gnu home services music)",
                   "(service home-beets-service-type (home-beets-configuration))")

"""(gnu home services upnp): ReadyMedia under the user's shepherd, its directories under $HOME."""

from __future__ import annotations

from pathlib import Path

import pytest
from service_modules import home_build, missing_exports

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


def test_home_upnp_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu home services upnp") == []


def test_home_readymedia_runs_under_the_users_shepherd(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu home services upnp)", """
        (service home-readymedia-service-type
                 (for-home
                  (readymedia-configuration
                   (media-directories (list (readymedia-media-directory (path "Music") (types '(A))))))))""")
    assert built.shepherd_services == ["readymedia"]
    activate = (Path(built.path) / "activate").read_text()
    assert "Music" in activate


def test_home_readymedia_cache_is_relative_to_home(interp):
    assert interp.eval_string("(use-modules (gnu home services upnp) (gnu services))"
                              " (readymedia-configuration-cache-directory"
                              " (for-home (readymedia-configuration (media-directories '()))))",
                              "t.scm") == ".cache/readymedia"

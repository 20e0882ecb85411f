"""(gnu home services dict): dicod under the user's shepherd, with no system account."""

from __future__ import annotations

import pytest
from service_modules import home_build, missing_exports

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


def test_home_dict_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu home services dict") == []


def test_home_dicod_runs_under_the_users_shepherd(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu home services dict)", "(service home-dicod-service-type)")
    assert built.shepherd_services == ["dicod"]


def test_home_dicod_is_the_users_own_process(interp):
    interp.eval_string("(use-modules (gnu home services dict) (gnu services))", "t.scm")
    assert interp.eval_string("((@@ (gnu services dict) dicod-configuration-home-service?)"
                              " (for-home (dicod-configuration)))", "t.scm") is True

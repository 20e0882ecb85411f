"""Every variable Guix exports from the service modules below (as listed in
stdlib/gnu/channel-modules.json, derived from the Guix tree) is exported by schemy's module."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["gnu services kerberos", "gnu services nfs", "gnu services monitoring", "gnu services ldap",
           "gnu services authentication", "gnu services auditd", "gnu services cgit",
           "gnu services version-control", "gnu services pam-mount", "gnu services getmail",
           "gnu services backup"]


def guix_exports() -> dict[str, list[str]]:
    names = json.loads((ROOT / "stdlib/gnu/channel-modules.json").read_text())["names"]
    exports: dict[str, list[str]] = defaultdict(list)
    for name, modules in names.items():
        for module in modules:
            exports[module].append(name)
    return exports


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


@pytest.mark.parametrize("module", MODULES)
def test_module_exports_every_guix_variable(interp, module):
    expected = sorted(guix_exports()[module])
    assert expected, module
    missing = []
    for name in expected:
        try:
            interp.eval_string(f"(use-modules (({module}) #:select ({name})))", "test.scm")
        except SchemeError:
            missing.append(name)
    assert missing == []


def test_a_name_the_module_lacks_is_reported(interp):
    with pytest.raises(SchemeError):
        interp.eval_string("(use-modules ((gnu services nfs) #:select (no-such-nfs-variable)))", "test.scm")

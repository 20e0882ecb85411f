"""``schemy system check`` reports every missing module and unbound name of a config at once,
each at its own location with a hint saying whether Guix or nonguix has it (issue 15)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LACKING = ROOT / "tests" / "configs" / "lacking"


def check(path: Path, *options: str) -> subprocess.CompletedProcess:
    """``schemy system check`` as its own process (the check's sandbox stays on in a process)."""
    return subprocess.run([sys.executable, "-m", "schemy.cli.main", *options, "system", "check", str(path)],
                          capture_output=True, text=True, timeout=120, check=False)


def errors(text: str) -> list[str]:
    return [line for line in text.splitlines() if ": error: " in line]


@pytest.fixture(scope="module")
def several():
    return check(LACKING / "several-missing.scm")


def test_every_missing_module_is_reported(several):
    shown = "\n".join(errors(several.stderr))
    for module in ["(gnu packages kdeplasma)", "(myhost packages fonts)", "(gnu services frobnicate)"]:
        assert f"no code for module {module}" in shown


def test_every_unbound_name_is_reported(several):
    shown = "\n".join(errors(several.stderr))
    for name in ["frobnicate-service-type", "kde-frameworkz", "dbus-service-type"]:
        assert f"error: {name}: unbound variable" in shown


def test_missing_module_located_at_its_name(several):
    file = str(LACKING / "several-missing.scm")
    lines = errors(several.stderr)
    assert f"{file}:4:13: error: no code for module (gnu packages kdeplasma)" in lines
    # inside use-service-modules: at the short name
    assert f"{file}:6:29: error: no code for module (gnu services frobnicate)" in lines


def test_unbound_name_located_at_the_reference(several):
    file = str(LACKING / "several-missing.scm")
    lines = errors(several.stderr)
    assert f"{file}:10:17: error: frobnicate-service-type: unbound variable" in lines
    assert f"{file}:23:24: error: kde-frameworkz: unbound variable" in lines


def test_count_line_and_exit_status(several):
    assert several.returncode == 1
    assert several.stderr.strip().splitlines()[-1].endswith("6 errors found")


def test_hint_says_neither_channel_has_an_unknown_module(several):
    assert "neither Guix nor nonguix has (myhost packages fonts): if it is a module of your own, pass its " \
           "directory with -L" in several.stderr


def test_hint_names_guix_modules_like_a_misspelt_one(several):
    assert re.search(r"neither Guix nor nonguix has \(gnu packages kdeplasma\).*similar: \(gnu packages kde-",
                     several.stderr)


def test_hint_says_guix_has_a_module_schemy_lacks(tmp_path):
    data = json.loads((ROOT / "stdlib/gnu/channel-modules.json").read_text())
    lacking = next(m for m, ch in data["modules"].items() if ch == ["guix"] and m.startswith("gnu services ")
                   and not (ROOT / "stdlib" / (m.replace(" ", "/") + ".scm")).exists())
    config = tmp_path / "config.scm"
    config.write_text(f"(use-modules (gnu) ({lacking}))\n(operating-system (host-name \"x\"))\n")
    r = check(config)
    assert f"{config}:1:19: error: no code for module ({lacking})" in r.stderr
    assert f"Guix has ({lacking}), but schemy does not implement it yet" in r.stderr


def test_hint_says_nonguix_has_a_module(tmp_path):
    data = json.loads((ROOT / "stdlib/gnu/channel-modules.json").read_text())
    lacking = next(m for m, ch in data["modules"].items() if ch == ["nonguix"]
                   and not (ROOT / "stdlib" / (m.replace(" ", "/") + ".scm")).exists()
                   and not m.startswith("nongnu packages"))
    config = tmp_path / "config.scm"
    config.write_text(f"(use-modules (gnu)\n  ({lacking}))\n(operating-system (host-name \"x\"))\n")
    r = check(config)
    assert f"{config}:2:2: error: no code for module ({lacking})" in r.stderr
    assert f"the nonguix channel has ({lacking})" in r.stderr


def test_hint_for_a_guix_name_schemy_lacks(tmp_path):
    data = json.loads((ROOT / "stdlib/gnu/channel-modules.json").read_text())
    module = next(m for m, ch in data["modules"].items() if ch == ["guix"] and m.startswith("gnu services ")
                  and not (ROOT / "stdlib" / (m.replace(" ", "/") + ".scm")).exists())
    name = next(n for n, mods in data["names"].items() if mods[0] == module and n.endswith("-service-type"))
    config = tmp_path / "config.scm"
    config.write_text(f"(use-modules (gnu))\n(list (service {name}))\n")
    r = check(config)
    assert f"{name}: unbound variable" in r.stderr
    assert f"Guix has {name} in ({module}), but schemy does not yet" in r.stderr


def test_uses_of_a_failed_definition_are_not_reported_again():
    r = check(LACKING / "consequences.scm")
    assert errors(r.stderr) == [f"{LACKING / 'consequences.scm'}:5:8: error: not-a-package: unbound variable"]
    assert "%my-packages" not in r.stderr


def test_name_only_in_a_procedure_never_called_is_a_warning():
    r = check(LACKING / "never-called.scm")
    assert r.returncode == 0
    assert "warning: possibly unbound variable 'frobnicate-everything'" in r.stderr
    assert not errors(r.stderr)


@pytest.mark.parametrize("name", ["desktop.scm", "home-server.scm", "nonguix-laptop.scm", "web-server.scm"])
def test_configs_that_pass_still_pass_without_warnings(name):
    r = check(ROOT / "tests" / "configs" / name)
    assert r.returncode == 0, r.stderr
    assert "warning: possibly unbound" not in r.stderr


def test_library_module_errors_still_stop(tmp_path):
    """A missing module imported by a module of the user's own load path is not the config's."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "lib.scm").write_text("(define-module (mine lib) #:use-module (nowhere at-all))\n")
    config = tmp_path / "config.scm"
    config.write_text("(use-modules (gnu) (mine lib))\n(operating-system (host-name \"x\"))\n")
    r = check(config, "-L", str(tmp_path))
    assert r.returncode == 1
    assert "no code for module (nowhere at-all)" in r.stderr


def test_a_service_given_two_values_says_where_a_parenthesis_is_misplaced(tmp_path: Path) -> None:
    from helpers import minimal_os

    config = tmp_path / "config.scm"
    config.write_text(minimal_os(
        modules="(gnu) (gnu services ganeti)",
        services="(cons (service ganeti-service-type\n"
                 "        (ganeti-configuration (file-storage-paths '(\"/srv/ganeti\")))\n"
                 "        (ganeti-watcher-configuration)) %base-services)"))
    r = check(config)
    lines = errors(r.stderr)
    assert r.returncode != 0 and len(lines) == 1, r.stderr
    assert lines[0].startswith(f"{config}:10:18: error: (service TYPE [VALUE]) takes at most one value, "
                               "but got 1 more argument here (is a closing parenthesis misplaced"), lines[0]


def test_build_refuses_a_service_whose_requirement_nothing_provides(tmp_path: Path) -> None:
    from helpers import minimal_os

    config = tmp_path / "config.scm"
    config.write_text(minimal_os(modules="(gnu) (gnu services docker)",
                                 services="(cons (service docker-service-type) %base-services)"))
    r = subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "build", str(config),
                        "--root", str(tmp_path / "root")], capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert f"{config}:10:18: error: shepherd service 'dockerd' requires 'containerd', which no service provides" \
        in r.stderr, r.stderr
    assert "hint: add (service containerd-service-type), from (gnu services docker), to the services" in r.stderr
    assert check(config).stderr.count("requires 'containerd'") == 1  # check says the same, once


def test_build_locates_an_unbound_name_where_check_does(tmp_path):
    """``system build`` stops at the first unbound name, at the name itself (not at the list
    around it) and with the hint ``system check`` gives."""
    config = tmp_path / "unbound.scm"
    config.write_text('(use-modules (gnu))\n(use-service-modules ssh)\n'
                      '(define svc (service openssh-service-type\n'
                      '                     (openssh-configuration (port-number my-port))))\n')
    built = subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "build", str(config),
                            "--root", str(tmp_path / "root")],
                           capture_output=True, text=True, timeout=120, check=False)
    assert f"{config}:4:57: error: my-port: unbound variable" in built.stderr
    assert "hint: neither Guix nor nonguix defines it" in built.stderr
    assert f"{config}:4:57: error: my-port: unbound variable" in check(config).stderr

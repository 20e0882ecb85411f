"""(gnu services ci): laminard's LAMINAR_* environment and the Forgejo runner's YAML
configuration as Guix's writer lays it out."""

from __future__ import annotations

import pytest
from helpers import build_config, ev, system_check
from service_modules import lowered, missing_exports, os_config

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    i = Interpreter()
    ev(i, "(use-modules (gnu services ci))")
    return i


def test_ci_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu services ci") == []


def test_laminar_environment_defaults_and_urls(interp):
    assert list(ev(interp, "(laminar-environment (laminar-configuration))")) == [
        "LAMINAR_HOME=/var/lib/laminar", "LAMINAR_BIND_HTTP=*:8080", "LAMINAR_BIND_RPC=unix-abstract:laminar",
        "LAMINAR_TITLE=Laminar", "LAMINAR_KEEP_RUNDIRS=0"]
    assert list(ev(interp, '(laminar-environment (laminar-configuration (keep-rundirs 3)'
                           ' (archive-url "https://ci/archive") (base-url "https://ci/")))'))[-3:] == [
        "LAMINAR_KEEP_RUNDIRS=3", "LAMINAR_ARCHIVE_URL=https://ci/archive", "LAMINAR_BASE_URL=https://ci/"]


def test_forgejo_runner_yaml_is_guixs(interp, tmp_path):
    text = lowered(interp, tmp_path / "store", "(gnu services ci)",
                   '(forgejo-runner-config-file (forgejo-runner-configuration (labels \'("guix" "x86"))'
                   ' (capacity 2) (run-directory "/run/fr")))')
    assert text == ('runner: \n'
                    '  file: "/var/lib/forgejo-runner/runner"\n'
                    '  capacity: 2\n'
                    '  timeout: 10800s\n'
                    '  fetch_timeout: 5s\n'
                    '  fetch_interval: 2s\n'
                    '  report_interval: 1s\n'
                    '  labels: [ "guix", "x86" ]\n'
                    '\n'
                    'cache: \n'
                    '  dir: "/run/fr/cache"\n'
                    '\n'
                    'host: \n'
                    '  workdir_parent: "/run/fr/act"\n'
                    '\n')


def test_ci_services_check_and_build(tmp_path):
    config = os_config(tmp_path, "(gnu services ci)", """
        (service laminar-service-type (laminar-configuration (bind-http "unix:/run/laminar/http.sock")
                                                             (supplementary-groups '("kvm"))))
        (service forgejo-runner-service-type)""")
    r = system_check(config)
    assert r.returncode == 0, r.stdout + r.stderr
    built = build_config(config, tmp_path / "store")
    laminar = next(s for s in built.shepherd if "laminar" in s.provision)
    assert "/sbin/laminard" in laminar.text and "LAMINAR_BIND_HTTP=unix:/run/laminar/http.sock" in laminar.text
    runner = next(s for s in built.shepherd if "forgejo-runner" in s.provision)
    assert '"daemon" "--config"' in runner.text and "forgejo-runner-config.yml" in runner.text
    assert "laminar" in str(built.accounts) and "forgejo-runner" in str(built.accounts)

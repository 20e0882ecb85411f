"""singularity-service-type of (gnu services docker) (Guix manual, "Miscellaneous Services"):
its three helpers as setuid programs, and its mount directories at activation."""

from __future__ import annotations

import pytest
from helpers import build_config, system_check

from schemy.app import Interpreter
from schemy.guix.gexp import CURRENT_STORE, gexp_to_string
from schemy.guix.store import Store
from schemy.runtime.parameters import parameterized

CONFIG = """(use-modules (gnu) (gnu services docker))
(operating-system
  (host-name "hpc") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons (service singularity-service-type) %base-services)))
"""


def test_singularity_helpers_are_setuid_programs(tmp_path):
    i = Interpreter()
    with parameterized([(CURRENT_STORE, Store(tmp_path / "store"))]):
        programs = i.eval_string(
            "(use-modules (gnu) (gnu services docker) (gnu system privilege) (guix gexp))"
            "(let ((ps (filter privileged-program? (folded-service-value (operating-system-services "
            + CONFIG.split("\n", 1)[1].strip() + ") privileged-program-service-type))))"
            "  #~(list #$@(map privileged-program-program ps)))", "test.scm")
        text = gexp_to_string(programs)
    names = [w.strip('"()').rsplit("/", 1)[-1] for w in text.split() if w.strip('"()').endswith("-helper")]
    assert names == ["singularity-action-helper", "singularity-mount-helper", "singularity-start-helper"]
    assert "-singularity-privileged-helpers/" in text


def test_singularity_config_builds_and_checks(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(CONFIG)
    system = build_config(config, tmp_path / "store")
    activation = open(system.activation_file).read()
    assert "/var/singularity/mnt/" in activation and "overlay" in activation
    result = system_check(config)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["singularity-service-type"])
def test_singularity_is_exported_by_docker_module(name):
    i = Interpreter()
    assert i.eval_string(f"(use-modules (gnu services) (gnu services docker)) (service-type? {name})", "t.scm") is True

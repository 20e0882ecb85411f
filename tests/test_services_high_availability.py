"""(gnu services high-availability): RabbitMQ with Guix's default configuration file, its
enabled_plugins file and environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, ev, system_check
from service_modules import lowered, missing_exports, os_config

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


def test_high_availability_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu services high-availability") == []


def test_default_config_file_listens_on_loopback_only(interp, tmp_path):
    text = lowered(interp, tmp_path / "store", "(gnu services high-availability)",
                   "(rabbitmq-configuration-config-file (rabbitmq-configuration))")
    assert text == "\nlisteners.tcp.1 = 127.0.0.1:5672\nlisteners.tcp.2 = ::1:5672\n"


def test_enabled_plugins_is_an_erlang_list(interp):
    ev(interp, "(use-modules (gnu services high-availability))")
    assert ev(interp, "(rabbitmq-enabled-plugins (rabbitmq-configuration))") == "[]."
    assert ev(interp, "(rabbitmq-enabled-plugins (rabbitmq-configuration"
                      " (plugins '(\"rabbitmq_management\" \"rabbitmq_mqtt\"))))") == \
        "[rabbitmq_management,rabbitmq_mqtt]."


def test_rabbitmq_system_checks_and_builds(tmp_path):
    config = os_config(tmp_path, "(gnu services high-availability)", """
        (service rabbitmq-service-type
                 (rabbitmq-configuration (data-directory "/srv/rabbit") (plugins '("rabbitmq_management"))))""")
    r = system_check(config)
    assert r.returncode == 0, r.stdout + r.stderr
    built = build_config(config, tmp_path / "store")
    info = next(s for s in built.shepherd if "rabbitmq" in s.provision)
    assert "/sbin/rabbitmq-server" in info.text and "RABBITMQ_MNESIA_BASE=" in info.text
    assert "RABBITMQ_CONFIG_FILE=" in info.text and '"rabbitmq"' in info.text
    activation = Path(built.activation_file).read_text()
    assert "/srv/rabbit" in activation and "[rabbitmq_management]." in activation

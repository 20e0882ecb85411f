"""(gnu services opensnitch): opensnitchd's JSON configuration laid out as Guix's
scm->json-string #:pretty #t writes it (two-space indent, "key": value; Python's json.dumps with
indent=2 lays JSON out the same way, so it is the oracle here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import build_config, ev, system_check
from service_modules import lowered, missing_exports, os_config

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    i = Interpreter()
    ev(i, "(use-modules (gnu services opensnitch))")
    return i


def guix_layout(*, address="unix:///tmp/osui.sock", skip_verify=False, action="allow", level=2,
                rules="/etc/opensnitchd/rules/", log="/var/log/opensnitchd.log") -> str:
    doc = {"Server": {"Address": address,
                      "Authentication": {"Type": "simple",
                                         "TLSOptions": {"CACert": "", "ServerCert": "", "ClientCert": "",
                                                        "ClientKey": "", "SkipVerify": skip_verify,
                                                        "ClientAuthType": "no-client-cert"}},
                      "LogFile": log},
           "DefaultAction": action, "DefaultDuration": "once", "InterceptUnknown": False,
           "ProcMonitorMethod": "ebpf", "LogLevel": level, "LogUTC": True, "LogMicro": False,
           "Firewall": "nftables",
           "FwOptions": {"ConfigPath": "/etc/opensnitchd/system-fw.json", "MonitorInterval": "15s",
                         "QueueBypass": True},
           "Rules": {"Path": rules, "EnableChecksums": False},
           "Ebpf": {"EventsWorkers": 8, "QueueEventsSize": 0},
           "Stats": {"MaxEvents": 250, "MaxStats": 25, "Workers": 6},
           "Internal": {"GCPercent": 100, "FlushConnsOnStart": True}}
    return json.dumps(doc, indent=2, ensure_ascii=False)


def test_opensnitch_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu services opensnitch") == []


def test_default_configuration_is_guixs_json(interp):
    assert ev(interp, "(opensnitch-configuration->json (opensnitch-configuration))") == guix_layout()


def test_settings_land_in_their_json_members(interp):
    text = ev(interp, """(opensnitch-configuration->json
                          (opensnitch-configuration (server-address "127.0.0.1:50051") (tls-skip-verify? #t)
                                                    (default-action "deny") (log-level 4)
                                                    (server-log-file "/var/log/o \\"s\\".log")))""")
    assert text == guix_layout(address="127.0.0.1:50051", skip_verify=True, action="deny", level=4,
                               log='/var/log/o "s".log')


def test_opensnitch_system_checks_and_builds(tmp_path):
    config = os_config(tmp_path, "(gnu services opensnitch)", """
        (service opensnitch-service-type (opensnitch-configuration (rules-path "/srv/rules/")))""")
    r = system_check(config)
    assert r.returncode == 0, r.stdout + r.stderr
    built = build_config(config, tmp_path / "store")
    info = next(s for s in built.shepherd if "opensnitch" in s.provision)
    assert "/sbin/opensnitchd" in info.text and '"-config-file"' in info.text
    config_file = info.text.split('"-config-file" "')[1].split('"')[0]
    assert json.loads(Path(config_file).read_text())["Rules"]["Path"] == "/srv/rules/"


def test_config_file_is_the_lowered_json(interp, tmp_path):
    text = lowered(interp, tmp_path / "store", "(gnu services opensnitch)",
                   "((@@ (gnu services opensnitch) opensnitch-config-file) (opensnitch-configuration))")
    assert text == guix_layout()

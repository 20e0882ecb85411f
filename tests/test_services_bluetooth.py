"""bluetooth-service-type with every field of Guix's bluetooth-configuration, and main.conf as
Guix's serializer writes it: sections in order, optional settings left out when #f."""

from __future__ import annotations

from pathlib import Path

from helpers import build_config, minimal_os

EXPECTED = """[General]
Name = desk
Class = 0x00010c
DiscoverableTimeout = 180
AlwaysPairable = true
PairableTimeout = 0
DeviceID = bluetooth:1234:5678:abcd
ReverseServiceDiscovery = true
NameResolving = false
DebugKeys = false
ControllerMode = le
MultiProfile = multiple
FastConnectable = true
Privacy = off
JustWorksRepairing = never
TemporaryTimeout = 30
RefreshDiscovery = true
Experimental = d4992530-b9ec-469f-ab01-6c481c47da1c,330859bc-7506-492d-9370-9a6f0614037f
RemoteNameRequestRetryDelay = 300
[BR]
PageScanType = 1
MaxSniffInterval = 800
[LE]
Autoconnecttimeout = 60
AdvMonAllowlistScanDuration = 300
AdvMonNoFilterScanDuration = 500
EnableAdvMonInterleaveScan = 0
[GATT]
Cache = yes
KeySize = 0
ExchangeMTU = 517
Channels = 3
[AVDTP]
SessionMode = ertm
StreamMode = basic
[Policy]
ReconnectUUIDs = 0000110a-0000-1000-8000-00805f9b34fb
ReconnectAttempts = 7
ReconnectIntervals = 1,2,4
AutoEnable = true
ResumeDelay = 2
[AdvMon]
RSSISamplingPeriod = 0x0a"""

CONFIG = """(service bluetooth-service-type
  (bluetooth-configuration
    (name "desk") (class #x00010c) (always-pairable? #t) (device-id "bluetooth:1234:5678:abcd")
    (name-resolving? #f) (controller-mode 'le) (multi-profile 'multiple) (fast-connectable? #t)
    (experimental (list (uuid "d4992530-b9ec-469f-ab01-6c481c47da1c")
                        (uuid "330859bc-7506-492d-9370-9a6f0614037f")))
    (page-scan-type 1) (max-sniff-interval 800) (autoconnect-timeout 60)
    (enable-adv-mon-interleave-scan? #f) (cache 'yes) (session-mode 'ertm)
    (reconnect-uuids (list (uuid "0000110a-0000-1000-8000-00805f9b34fb")))
    (reconnect-intervals '(1 2 4)) (auto-enable? #t) (rssi-sampling-period #x0a)))"""


def test_main_conf_is_written_as_guix_writes_it(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(minimal_os(f"(cons {CONFIG} %base-services)", "(gnu) (gnu services desktop)"))
    built = build_config(config, tmp_path / "store")
    assert Path(built.etc["bluetooth/main.conf"]).read_text() == EXPECTED


def test_the_default_configuration_leaves_the_optional_settings_out(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(minimal_os("(cons (service bluetooth-service-type) %base-services)",
                                 "(gnu) (gnu services desktop)"))
    text = Path(build_config(config, tmp_path / "store").etc["bluetooth/main.conf"]).read_text()
    assert "[BR]\n[LE]\nAdvMonAllowlistScanDuration = 300\n" in text
    assert "Experimental = false\n" in text and "DeviceID" not in text and "ReconnectUUIDs" not in text
    assert text.endswith("[AdvMon]\nRSSISamplingPeriod = 0xff")

"""(gnu services sound): pulseaudio-configuration's alsa-lib (Guix's field): PulseAudio
extends ALSA as in Guix, asound.conf sending the default PCM and CTL to PulseAudio through
the plugins found in alsa-lib."""

from __future__ import annotations

from pathlib import Path

from services_more import build_services


def test_pulseaudio_alsa_lib_names_the_plugins_in_asound_conf(tmp_path):
    built = build_services(tmp_path, "(gnu services sound)", """
(service pulseaudio-service-type (pulseaudio-configuration (alsa-lib "/opt/alsa-lib")))""")
    conf = Path(built.etc["asound.conf"]).read_text()
    assert 'pcm_type.pulse {\n  lib "/opt/alsa-lib/libasound_module_pcm_pulse.so"\n}' in conf
    assert 'ctl_type.pulse {\n  lib "/opt/alsa-lib/libasound_module_ctl_pulse.so"\n}' in conf
    assert "pcm.!default {\n  type pulse\n" in conf and 'fallback "sysdefault"' in conf


def test_pulseaudio_default_alsa_lib_is_the_alsa_plugins_library_directory(tmp_path):
    built = build_services(tmp_path, "(gnu services sound)",
                           "(service pulseaudio-service-type) (service alsa-service-type)")
    conf = Path(built.etc["asound.conf"]).read_text()
    assert "-alsa-plugins-" in conf and "/lib/alsa-lib/libasound_module_pcm_pulse.so" in conf

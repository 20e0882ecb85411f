"""(gnu services linux): cachefilesd (its configuration file and options), rasdaemon, TuneD
(tuned-main.conf and ppd.conf as Guix's serializers write them, its daemons) and vfs-mapping
(mounts, shown as the host's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from services_more import build_services, by_provision, command_line, start_of

SERVICES = """
(service cachefilesd-service-type
         (cachefilesd-configuration (cache-directory "/var/cache/fscache") (use-syslog? #f)
                                    (scan? #f) (log2-table-size 14) (cull? #f)))
(service rasdaemon-service-type (rasdaemon-configuration (record? #t)))
(service tuned-service-type
         (tuned-configuration
          (power-profiles-daemon-support? #t)
          (profiles (list (list "mine" (plain-file "tuned.conf" "[main]\\nsummary=mine\\n"))))
          (settings (tuned-settings (dynamic-tuning? #t) (profile-dirs '("/etc/tuned/profiles"))))))
(service vfs-mapping-service-type
         (vfs-mapping-configuration
          (bindings (list (vfs-mapping (source "/srv/shared") (destination "/home/alice/shared")
                                       (user "alice"))))))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_services(tmp_path_factory.mktemp("linux"), "(gnu services linux)", SERVICES)


def test_cachefilesd_file_and_options(built):
    start = start_of(built, "cachefilesd")
    argv = command_line(start)
    assert argv[0].endswith("/sbin/cachefilesd") and argv[1:4] == ["-n", "-s", "-N"] and argv[4] == "-f"
    assert '(mkdir-p "/var/cache/fscache")' in start
    assert Path(argv[5]).read_text() == ("dir /var/cache/fscache\ntag CacheFiles\nbrun 7%\nfrun 7%\n"
                                         "bcull 5%\nfcull 5%\nbstop 1%\nfstop 1%\nculltable 14\nnocull\n")
    assert by_provision(built)["cachefilesd"].requirement == ["user-processes", "file-systems"]


def test_rasdaemon_records_in_the_foreground(built):
    argv = command_line(start_of(built, "rasdaemon"))
    assert argv[0].endswith("/sbin/rasdaemon") and argv[1:] == ["--foreground", "--record"]
    assert '"/var/lib/rasdaemon"' in Path(built.activation_file).read_text()


def test_tuned_main_conf_and_ppd_conf(built):
    main = Path(built.etc["tuned/tuned-main.conf"]).read_text()
    assert main == ("daemon=true\n\ndynamic_tuning=true\n\ndefault_instance_priority=0\n\n"
                    "recommend_command=true\n\nsleep_interval=1\n\nupdate_interval=10\n\n"
                    "profile_dirs = /etc/tuned/profiles\n\n")
    ppd = Path(built.etc["tuned/ppd.conf"]).read_text()
    assert ppd == ("[main]\ndefault=balanced\nbattery_detection=true\nsysfs_acpi_monitor=true\n\n"
                   "\n[profiles]\npower-saver=powersave\nbalanced=balanced\nperformance=throughput-performance\n"
                   "\n[battery]\nbalanced=balanced-battery\n\n\n")
    assert Path(built.etc["tuned/profiles/mine"]).read_text() == "[main]\nsummary=mine\n"
    assert Path(built.etc["tuned/recommend.conf"]).name.endswith("50-tuned.conf")


def test_tuned_runs_tuned_and_its_ppd_emulation(built):
    assert command_line(start_of(built, "tuned"))[0].endswith("/sbin/tuned")
    assert '#:log-file "/var/log/tuned/tuned.log"' in start_of(built, "tuned")
    ppd = by_provision(built)["tuned-ppd"]
    assert ppd.provision == ["tuned-ppd", "power-profiles-daemon"]
    assert ppd.requirement == ["dbus-system", "user-processes", "udev", "tuned"]
    assert "file-system-/run/tuned" in by_provision(built)


def test_default_tuned_profile_dirs_include_the_packages(tmp_path):
    built = build_services(tmp_path, "(gnu services linux)", "(service tuned-service-type)")
    main = Path(built.etc["tuned/tuned-main.conf"]).read_text()
    assert main.endswith("/lib/tuned/profiles,/etc/tuned/profiles\n\n")
    assert "tuned-ppd" not in by_provision(built)


def test_vfs_mapping_is_a_host_mount_named_after_its_policy(built):
    mapping = by_provision(built)["translate-on-/home/alice/shared"]
    assert mapping.host_provided and mapping.requirement == ["file-systems", "user-homes"]



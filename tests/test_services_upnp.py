"""(gnu services upnp): ReadyMedia's minidlna.conf as Guix's serializer writes it, its account,
directories and daemon."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, system_check
from service_modules import lowered, missing_exports, os_config

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


def test_upnp_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu services upnp") == []


def test_minidlna_conf_has_guixs_lines_in_guixs_order(interp, tmp_path):
    text = lowered(interp, tmp_path / "store", "(gnu services upnp)", """
        (readymedia-configuration->config-file
         (readymedia-configuration
          (port 8201) (friendly-name "Den")
          (media-directories (list (readymedia-media-directory (path "/srv/music") (types '(A)))
                                   (readymedia-media-directory (path "/srv/all"))
                                   (readymedia-media-directory (path "/srv/av") (types '(V P)))))
          (extra-config '(("notify_interval" . "60") ("inotify" . "no")))))""")
    assert text == ("db_dir=/var/cache/readymedia\nfriendly_name=Den\nport=8201\n"
                    "media_dir=A,/srv/music\nmedia_dir=/srv/all\nmedia_dir=VP,/srv/av\n"
                    "notify_interval=60\ninotify=no\n")


def test_minidlna_conf_leaves_out_unset_name_and_port(interp, tmp_path):
    text = lowered(interp, tmp_path / "store", "(gnu services upnp)", """
        (readymedia-configuration->config-file
         (readymedia-configuration (cache-directory "/var/c") (media-directories '())))""")
    assert text == "db_dir=/var/c\n"


def test_defaults_are_guixs_system_paths(interp):
    from helpers import ev
    assert ev(interp, "(%readymedia-default-cache-directory)") == "/var/cache/readymedia"
    assert ev(interp, "(%readymedia-pid-file)") == "/var/run/readymedia/minidlna.pid"
    assert ev(interp, "(readymedia-configuration-log-directory"
                      " (readymedia-configuration (media-directories '())))") == "/var/log/readymedia.log"
    assert ev(interp, "(%readymedia-default-cache-directory #:home-service? #t)") == ".cache/readymedia"


def test_readymedia_system_checks_and_builds(tmp_path):
    config = os_config(tmp_path, "(gnu services upnp)", """
        (service readymedia-service-type
                 (readymedia-configuration
                  (media-directories (list (readymedia-media-directory (path "/srv/media"))))))""")
    r = system_check(config)
    assert r.returncode == 0, r.stdout + r.stderr
    built = build_config(config, tmp_path / "store")
    info = next(s for s in built.shepherd if "readymedia" in s.provision)
    assert "/sbin/minidlnad" in info.text and '"-S"' in info.text and '"readymedia"' in info.text
    assert "readymedia" in str(built.accounts)
    assert "/srv/media" in Path(built.activation_file).read_text()

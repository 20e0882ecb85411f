"""(gnu services file-sharing): the Transmission daemon's settings.json, account and
service (Guix manual, "File-Sharing Services"), and the Apache HTTP Server of (gnu services
web) (Guix manual, "Web Services"), on the project's config tests/configs/seedbox.scm."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.guix.store import Store
from schemy.lang.errors import SchemeError
from schemy.system.build import build_system
from schemy.system.config import load_operating_system

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tests" / "configs" / "seedbox.scm"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    i = Interpreter()
    os_record = i.run_protected(lambda: load_operating_system(i, str(CONFIG)))
    store = Store(tmp_path_factory.mktemp("seedbox") / "store")
    return i.run_protected(lambda: build_system(i, str(CONFIG), store, os_record))


def settings(built) -> dict:
    activation = Path(built.activation_file).read_text()
    path = next(w.strip('"()') for w in activation.split() if w.strip('"()').endswith("-settings.json"))
    return json.loads(Path(path).read_text())


def test_settings_json_holds_the_given_fields(built):
    s = settings(built)
    assert s["download-dir"] == "/srv/torrents"
    assert s["rpc-authentication-required"] is True and s["rpc-username"] == "seeder"
    assert s["rpc-whitelist"] == "127.0.0.1,192.168.1.*"
    assert s["speed-limit-up"] == 16384 and s["ratio-limit"] == 3


def test_enumerations_are_written_as_transmission_reads_them(built):
    s = settings(built)
    assert s["umask"] == 2
    assert s["encryption"] == 2            # require-encrypted-connections
    assert s["alt-speed-time-day"] == 65   # Sunday (1) + Saturday (64)
    assert s["preallocation"] == 1 and s["message-level"] == 2 and s["peer-socket-tos"] == "default"


def test_unset_fields_are_left_out(built):
    s = settings(built)
    assert "incomplete-dir" not in s and "watch-dir" not in s and "blocklist-url" not in s


def test_daemon_runs_as_its_own_user(built):
    svc = next(s for s in built.shepherd if "transmission-daemon" in s.provision)
    assert "/bin/transmission-daemon" in svc.text and '"--foreground"' in svc.text
    assert "transmission" in {u["name"] for u in built.accounts["users"]}


def test_a_plain_password_is_refused():
    i = Interpreter()
    with pytest.raises(SchemeError, match="rpc-password"):
        i.eval_string("(use-modules (gnu services file-sharing))"
                      " (transmission-daemon-configuration (rpc-password \"secret\"))")


def httpd_conf(built) -> str:
    svc = next(s for s in built.shepherd if "httpd" in s.provision)
    path = next(w.strip('"()') for w in svc.text.split() if w.strip('"()').endswith("-httpd.conf"))
    return Path(path).read_text()


def test_httpd_conf_loads_the_default_and_added_modules(built):
    conf = httpd_conf(built)
    assert "LoadModule proxy_module modules/mod_proxy.so\n" in conf
    assert "LoadModule mime_module modules/mod_mime.so\n" in conf and "LoadModule alias_module" in conf
    assert "Listen 8080\n" in conf and "DocumentRoot /srv/http\n" in conf and "User httpd\n" in conf


def test_httpd_is_extended_with_virtual_hosts(built):
    conf = httpd_conf(built)
    assert conf.endswith("TypesConfig etc/httpd/mime.types\n<VirtualHost *:8080>\nServerName seedbox.lan\n"
                         "ProxyPass / http://127.0.0.1:9091/\n\n</VirtualHost>\n")


def test_inherit_is_computed_before_the_fields():
    """(TYPE (inherit config) (config ...)): `config' in inherit is the variable, not the
    field given after it (Guix evaluates it apart from the fields)."""
    i = Interpreter()
    v = i.eval_string("(use-modules (gnu services web))"
                      " (let ((config (httpd-configuration (pid-file \"/run/a\"))))"
                      "  (httpd-configuration-pid-file (httpd-configuration (inherit config)"
                      "   (config (httpd-config-file)))))")
    assert v == "/run/a"

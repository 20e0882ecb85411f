"""(gnu services dict) and (gnu home services dict): GNU Dico's dicod with the dicod.conf Guix's
serializer writes, as a system service and as a user's home service."""

from __future__ import annotations

import pytest
from helpers import build_config, ev, system_check
from service_modules import lowered, missing_exports, os_config

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


def test_dict_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu services dict") == []


def test_home_dict_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu home services dict") == []


def test_dicod_conf_has_guixs_listen_handlers_and_databases(interp, tmp_path):
    text = lowered(interp, tmp_path / "store", "(gnu services dict)", """
        (dicod-configuration-file
         (dicod-configuration
          (interfaces '("localhost" "192.168.0.1"))
          (handlers (list (dicod-handler (name "wordnet") (module "wordnet")
                                         (options '("wnhome=/srv/wn" "x=1")))
                          (dicod-handler (name "plain"))))
          (databases (list (dicod-database (name "wordnet") (handler "wordnet") (complex? #t)
                                           (options '("a" "b")))
                           (dicod-database (name "simple") (handler "dictorg")
                                           (options '("database=/srv/d")))))))""")
    assert text == ('listen (localhost, 192.168.0.1);\n'
                    '\nload-module wordnet {\n   command "wordnet wnhome=/srv/wn x=1";\n}\n'
                    '\nload-module plain;'
                    '\ndatabase {\n   name "wordnet";\n   handler "wordnet a b";\n}\n'
                    '\nload-module dictorg;'
                    '\ndatabase {\n   name "simple";\n   handler "dictorg database=/srv/d";\n}\n')


def test_handler_with_options_but_no_module_loads_its_own_name(interp, tmp_path):
    text = lowered(interp, tmp_path / "store", "(gnu services dict)", """
        (dicod-configuration-file
         (dicod-configuration (databases '())
                              (handlers (list (dicod-handler (name "gcide") (options '("o=1")))))))""")
    assert text == 'listen (localhost);\n\nload-module gcide {\n   command "gcide o=1";\n}\n'


def test_freedict_database_points_into_freedict_dictionaries(interp, tmp_path):
    text = lowered(interp, tmp_path / "store", "(gnu services dict)", """
        (dicod-configuration-file
         (dicod-configuration (databases (list (dicod-freedict-database "eng-fra")))))""")
    assert text.startswith('listen (localhost);\n\nload-module dictorg;\ndatabase {\n'
                           '   name "freedict-eng-fra";\n   handler "dictorg database=')
    assert text.endswith('/share/dictd/eng-fra";\n}\n')


def test_freedict_list_and_gcide_default(interp):
    assert ev(interp, "(use-modules (gnu services dict)) (length %dicod-databases:freedict)") == 81
    assert ev(interp, "(use-modules (srfi srfi-1)) ((@@ (gnu services dict) dicod-database-name)"
                      " (first ((@@ (gnu services dict) dicod-configuration-databases)"
                      " (dicod-configuration))))") == "gcide"


def test_dicod_system_checks_and_builds_with_its_account(tmp_path):
    config = os_config(tmp_path, "(gnu services dict)",
                       "(service dicod-service-type (dicod-configuration"
                       " (databases (list (dicod-freedict-database \"eng-fra\")))))")
    r = system_check(config)
    assert r.returncode == 0, r.stdout + r.stderr
    built = build_config(config, tmp_path / "store")
    info = next(s for s in built.shepherd if "dicod" in s.provision)
    assert "/bin/dicod" in info.text and "--config=" in info.text and '"dicod"' in info.text
    assert "dicod" in str(built.accounts)

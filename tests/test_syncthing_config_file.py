"""Syncthing's config.xml from syncthing-config-file, syncthing-folder, syncthing-device and
syncthing-folder-device (Guix manual, "File-Sharing"/"Networking Home Services")."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.lang.datum import to_str


@pytest.fixture(scope="module")
def xml():
    i = Interpreter()
    i.eval_string("(use-modules (gnu services syncthing))")

    def serialize(config: str) -> str:
        return to_str(i.eval_string(f"(serialize-syncthing-config-file {config})"))
    return serialize


MANUAL = """
(let ((laptop (syncthing-device (id "VHOD2D6-7XRMDEN")))
      (desktop (syncthing-device (id "64SAZ37-FZJ5GUA") (addresses '("tcp://example.com"))))
      (bob (syncthing-device (id "KYIMEGO-FT77EAO"))))
  (syncthing-config-file
   (folders (list (syncthing-folder (label "some-files") (path "~/data") (devices (list desktop laptop)))
                  (syncthing-folder (label "critical-files") (path "~/secrets")
                                    (devices (list desktop laptop
                                                   (syncthing-folder-device
                                                    (device bob)
                                                    (encryption-password "mypassword")))))))))
"""


def test_folders_then_each_device_once(xml):
    text = xml(MANUAL)
    assert text.startswith('<configuration version="37"><folder id="some-files" label="some-files" '
                           'path="~/data" type="sendreceive" rescanIntervalS="3600"')
    top = re.findall(r'<device id="([^"]*)" name=', text)
    assert top == ["64SAZ37-FZJ5GUA", "VHOD2D6-7XRMDEN", "KYIMEGO-FT77EAO", ""]  # the last: defaults
    assert "<address>tcp://example.com</address>" in text
    assert ('<device id="KYIMEGO-FT77EAO" introducedBy=""><encryptionPassword>mypassword'
            '</encryptionPassword></device>') in text


def test_defaults_gui_and_options(xml):
    text = xml("(syncthing-config-file)")
    assert '<folder id="default" label="Default Folder" path="~/Sync"' in text
    assert ('<gui enabled="true" tls="false" debugging="false" sendBasicAuthPrompt="false">'
            '<address>127.0.0.1:8384</address><theme>default</theme></gui><ldap></ldap>') in text
    assert "<options><listenAddress>default</listenAddress>" in text
    assert '<minHomeDiskFree unit="%">1</minHomeDiskFree>' in text
    assert "<setLowPriority>true</setLowPriority>" in text
    assert text.endswith("<ignores></ignores></defaults></configuration>")


def test_versioning_parameters_only_when_set(xml):
    text = xml('(syncthing-config-file (folders (list (syncthing-folder (label "a") (path "/a") '
               '(versioning-type "simple") (versioning-keep 5)))))')
    assert ('<versioning type="simple"><param key="keep" val="5"></param>'
            '<cleanupIntervalS>3600</cleanupIntervalS>') in text
    assert "cleanoutDays" not in text


def test_home_service_writes_config_xml(tmp_path):
    config = tmp_path / "home.scm"
    config.write_text(
        "(use-modules (gnu home) (gnu home services) (gnu home services syncthing) (gnu services))\n"
        '(home-environment (services (list (service home-syncthing-service-type\n'
        '  (for-home (syncthing-configuration (config-file (syncthing-config-file\n'
        '    (folders (list (syncthing-folder (label "docs") (path "~/docs"))))))))))))\n')
    root = tmp_path / "root"
    done = subprocess.run([sys.executable, "-m", "schemy", "home", "build", str(config), "--root", str(root)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    written = Path(root / "home" / ".local" / "state" / "syncthing" / "config.xml").read_text()
    assert '<folder id="docs" label="docs" path="~/docs"' in written

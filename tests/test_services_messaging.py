"""(gnu services messaging): BitlBee with Guix's bitlbee.conf, run for real (Debian's bitlbee)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import build_config, free_port, minimal_os, wait_for

SCHEMY = str(Path(sys.executable).with_name("schemy"))


def config_text(port: int) -> str:
    return minimal_os(f"""(cons (service bitlbee-service-type
                              (bitlbee-configuration (port {port})
                                                     (extra-settings "  AuthMode = Open\\n")))
                            (cons (service dhcp-client-service-type) %base-services))""",
                      "(gnu) (gnu services messaging) (gnu services networking)")


def test_bitlbee_conf_is_guix_s(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(config_text(16667))
    built = build_config(config, tmp_path / "store")
    service = next(s for s in built.shepherd if s.provision[0] == "bitlbee")
    assert list(service.requirement) == ["user-processes", "networking"]
    conf = Path(service.text.split('"-c" "', 1)[1].split('"', 1)[0]).read_text()
    assert conf.startswith("\n  [settings]\n  User = bitlbee\n  ConfigDir = /var/lib/bitlbee\n"
                           "  DaemonInterface = 127.0.0.1\n  DaemonPort = 16667\n  PluginDir = ")
    assert conf.endswith("/lib/bitlbee\n  AuthMode = Open\n")
    assert {a["name"] for a in built.accounts["users"]} >= {"bitlbee"}


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root: bitlbee runs as its own account")
def test_bitlbee_answers_an_irc_client(tmp_path):
    if not os.access("/usr/sbin/bitlbee", os.X_OK):
        pytest.skip("bitlbee is not installed: apt-get install bitlbee")
    port = free_port()
    config = tmp_path / "config.scm"
    config.write_text(config_text(port))
    root = tmp_path / "root"
    env = {k: v for k, v in os.environ.items() if k != "SCHEMY_ROOT"}
    try:
        r = subprocess.run([SCHEMY, "reconfigure", "--root", str(root), str(config)], capture_output=True,
                           text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
        assert r.returncode == 0, r.stdout + r.stderr

        def answer() -> str | None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                    s.sendall(b"NICK schemy\r\nUSER schemy 0 * :schemy\r\n")
                    data = b""
                    while b" 001 " not in data:
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    return data.decode(errors="replace")
            except OSError:
                return None

        reply = wait_for(answer, timeout=30)
        assert " 001 schemy :Welcome to the BitlBee gateway" in reply
        assert (root / "var" / "lib" / "bitlbee").stat().st_uid != 0  # made by activation, bitlbee's
    finally:
        subprocess.run([SCHEMY, "herd", "--root", str(root), "stop", "root"], capture_output=True, timeout=60,
                       env=env)

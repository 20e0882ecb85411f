"""shepherd-signal-action, as Guix writes it ((kill (process-id running) SIGNAL)), really signals
the service's process under schemy's service manager."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import minimal_os, wait_for

SCHEMY = str(Path(sys.executable).with_name("schemy"))

SERVICE = """(define trapper
  (shepherd-service
   (provision '(trapper))
   (start #~(make-forkexec-constructor
             (list "/bin/sh" "-c"
                   "trap 'echo hup >> /tmp/trapped' HUP; echo ready > /tmp/trapped; while :; do sleep 0.1; done")))
   (stop #~(make-kill-destructor))
   (actions (list (shepherd-signal-action 'reload SIGHUP #:message "reloaded")))))"""


def schemy(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SCHEMY_ROOT"}
    return subprocess.run([SCHEMY, *args], capture_output=True, text=True, timeout=120, env=env,
                          stdin=subprocess.DEVNULL)


def test_the_signal_action_signals_the_running_process(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(minimal_os("(cons (simple-service 'trap shepherd-root-service-type (list trapper))"
                                 " %base-services)", "(gnu) (gnu services shepherd)", prelude=SERVICE))
    root = tmp_path / "root"
    trapped = root / "tmp" / "trapped"  # the root's /tmp, in its view
    try:
        r = schemy("reconfigure", "--root", str(root), str(config))
        assert r.returncode == 0, r.stdout + r.stderr
        wait_for(lambda: trapped.exists() and "ready" in trapped.read_text(), timeout=20)
        r = schemy("herd", "--root", str(root), "reload", "trapper")
        assert r.returncode == 0 and "reloaded" in r.stdout, r.stdout + r.stderr
        wait_for(lambda: "hup" in trapped.read_text(), timeout=20)
    finally:
        schemy("herd", "--root", str(root), "stop", "root")

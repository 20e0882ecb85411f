"""git-daemon-service-type for real: `schemy reconfigure --root` runs the host's git daemon
with Guix's command line, as the git-daemon account of the root, and a git client lists a
repository under the base path; `herd stop` ends it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

SCHEMY = str(Path(sys.executable).with_name("schemy"))

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root: the daemon switches to the git-daemon account"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed: apt-get install git"),
]

SYSTEM = """(use-modules (gnu) (gnu services networking) (gnu services version-control))
(operating-system
  (host-name "git")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4")) %base-file-systems))
  (services (cons* (service dhcp-client-service-type)
                   (service git-daemon-service-type
                           (git-daemon-configuration (export-all? #t) (listen '("127.0.0.1")) (port PORT)))
                  %base-services)))
"""


def schemy(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("SCHEMY_ROOT", None)
    return subprocess.run([SCHEMY, *args], capture_output=True, text=True, timeout=timeout, env=env,
                          stdin=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          capture_output=True, text=True, timeout=30, cwd=cwd)


@pytest.fixture()
def base():
    # The daemon runs as another user, who must reach the root's files: not under pytest's
    # private (0700) directories.
    path = Path(tempfile.mkdtemp(prefix="schemy-git-daemon-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_git_daemon_serves_the_repositories_under_its_base_path(base):
    tmp_path = base
    port = free_port()
    root = tmp_path / "root"
    config = tmp_path / "git.scm"
    config.write_text(SYSTEM.replace("PORT", str(port)))
    # A bare repository with one commit, at /srv/git/demo.git in the root.
    work = tmp_path / "work"
    assert git("init", "-q", "-b", "main", str(work)).returncode == 0
    (work / "README").write_text("hello\n")
    assert git("add", "README", cwd=work).returncode == 0
    assert git("commit", "-q", "-m", "first", cwd=work).returncode == 0
    bare = root / "srv" / "git" / "demo.git"
    bare.parent.mkdir(parents=True)
    assert git("clone", "-q", "--bare", str(work), str(bare)).returncode == 0
    head = git("rev-parse", "HEAD", cwd=work).stdout.strip()
    try:
        r = schemy("reconfigure", "--root", str(root), str(config))
        assert r.returncode == 0, r.stdout + r.stderr
        # git refuses repositories of another owner: the root's git-daemon account owns it.
        account = next(line.split(":") for line in (root / "etc" / "passwd").read_text().splitlines()
                       if line.startswith("git-daemon:"))
        for path in [bare, *bare.rglob("*")]:
            os.lchown(path, int(account[2]), int(account[3]))
        deadline = time.monotonic() + 15
        listed = None
        while time.monotonic() < deadline:
            listed = git("ls-remote", f"git://127.0.0.1:{port}/demo.git")
            if listed.returncode == 0:
                break
            time.sleep(0.2)
        assert listed is not None and listed.returncode == 0, listed.stderr if listed else ""
        assert f"{head}\trefs/heads/main" in listed.stdout
        status = schemy("herd", "--root", str(root), "status", "git-daemon").stdout
        assert (f"/bin/git daemon --syslog --reuseaddr --export-all --base-path=/srv/git --listen=127.0.0.1 "
                f"--port={port}") in status
        stop = schemy("herd", "--root", str(root), "stop", "git-daemon")
        assert stop.returncode == 0, stop.stdout + stop.stderr
        assert git("ls-remote", f"git://127.0.0.1:{port}/demo.git").returncode != 0
    finally:
        schemy("herd", "--root", str(root), "stop", "root")

"""Host mode's scenario, run by tests/test_host_mode.py inside a throwaway mount namespace.

Usage (as root): ``HOST_MODE_PARENT_MNT=$(readlink /proc/self/ns/mnt) unshare --mount
--propagation private -- python host_namespace.py WORK``.
It binds a copy of /etc over /etc and mounts an overlay over /var (their writes land in
WORK, the machine's own stay as they are), a tmpfs over /run and /home, then drives ``schemy --host`` through a first
switch (refused without a confirmation), a second configuration, a roll-back, a boot and
the deletion of the system, and writes what it saw at each step to WORK/observations.json.
Never run it outside a private mount namespace: it would change the machine itself.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pty
import shutil
import stat
import subprocess
import sys
from pathlib import Path

WORK = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/nonexistent")
SCHEMY = [sys.executable, "-m", "schemy"]
ENV = dict(os.environ, HOME=str(WORK / "home"), XDG_STATE_HOME=str(WORK / "home" / "state"),
           SCHEMY_ROOT=str(WORK / "home" / "not-the-host-root"), PYTHONDONTWRITEBYTECODE="1")
# The shadow tools' own backups and lock: written by every useradd, never schemy's business.
SHADOW_ARTIFACTS = ("passwd-", "group-", "shadow-", "gshadow-", "subuid-", "subgid-", ".pwd.lock")

OBS: dict = {}


def sh(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), input=stdin, capture_output=True, text=True, env=ENV, check=False)


def schemy(*args: str) -> dict:
    out = sh(*SCHEMY, *args, stdin="")
    return {"code": out.returncode, "out": out.stdout, "err": out.stderr}


def schemy_on_terminal(answer: str, *args: str) -> dict:
    """Run schemy with a terminal as its standard input, answering its prompt."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*SCHEMY, *args], stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=ENV)
    os.close(slave)
    os.write(master, answer.encode())
    out, err = proc.communicate(timeout=120)
    os.close(master)
    return {"code": proc.returncode, "out": out, "err": err}


def snapshot(top: str = "/etc") -> dict[str, list]:
    """Every entry under TOP: kind, mode, owner and content checksum or link target."""
    out: dict[str, list] = {}
    for dirpath, dirs, files in os.walk(top):
        for name in dirs + files:
            p = os.path.join(dirpath, name)
            if name in SHADOW_ARTIFACTS:
                continue
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                what = "link:" + os.readlink(p)
            elif stat.S_ISREG(st.st_mode):
                with open(p, "rb") as fh:
                    what = "sha256:" + hashlib.sha256(fh.read()).hexdigest()
            else:
                what = "dir"
            out[p] = [what, stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid]
    return out


def differences(a: dict, b: dict) -> list[str]:
    return sorted(f"{k}: {a.get(k)} -> {b.get(k)}" for k in set(a) | set(b) if a.get(k) != b.get(k))


def getent(db: str, name: str) -> str:
    return sh("getent", db, name).stdout.strip()


def mount_private_views() -> None:
    # /etc: a copy, bound over it (so the machine's own changes during the run do not show);
    # /var: an overlay (its writes land in WORK); /run and /home: empty.
    subprocess.run(["cp", "-a", "/etc", str(WORK / "etc-copy")], check=True)
    subprocess.run(["mount", "--bind", str(WORK / "etc-copy"), "/etc"], check=True)
    for top in ("var",):
        upper, work = WORK / f"{top}-upper", WORK / f"{top}-work"
        upper.mkdir()
        work.mkdir()
        subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                        f"lowerdir=/{top},upperdir={upper},workdir={work}", f"/{top}"], check=True)
    for top in ("/run", "/home"):
        subprocess.run(["mount", "-t", "tmpfs", "tmpfs", top], check=True)
    (WORK / "home").mkdir()


def state() -> dict:
    try:
        return json.loads(Path("/var/lib/schemy/host/state.json").read_text())
    except OSError:
        return {}


def systemd_checks() -> dict:
    """What systemd's own tools say of the unit schemy wrote and enabled (None without them):
    ``systemd-analyze verify`` on it in place, and ``systemctl --root`` over a copy of
    /etc/systemd: the unit is enabled, and ``systemctl enable`` makes the link schemy made."""
    out: dict = {}
    unit = "/etc/systemd/system/schemy-shepherd.service"
    if shutil.which("systemd-analyze"):
        r = sh("systemd-analyze", "verify", unit)
        out["verify"] = {"code": r.returncode, "out": r.stdout, "err": r.stderr}
    if shutil.which("systemctl"):
        offline = WORK / "systemctl-root"
        (offline / "etc").mkdir(parents=True)
        subprocess.run(["cp", "-a", "/etc/systemd", str(offline / "etc")], check=True)
        wants = offline / "etc/systemd/system/multi-user.target.wants/schemy-shepherd.service"
        out["is_enabled"] = sh("systemctl", f"--root={offline}", "is-enabled", "schemy-shepherd.service").stdout
        out["disable"] = sh("systemctl", f"--root={offline}", "disable", "schemy-shepherd.service").returncode
        out["after_disable"] = os.path.lexists(wants)
        out["enable"] = sh("systemctl", f"--root={offline}", "enable", "schemy-shepherd.service").returncode
        out["enabled_link"] = os.readlink(wants) if os.path.islink(wants) else None
    return out


def main() -> None:
    mount_private_views()
    first, second = str(WORK / "first.scm"), str(WORK / "second.scm")
    # An account of the host with the name of a declared one: schemy must leave it alone.
    sh("useradd", "-M", "-c", "the host's own", "preexist")
    OBS["preexist_before"] = getent("passwd", "preexist")
    OBS["audio_before"] = getent("group", "audio")
    before = snapshot()
    OBS["motd_before"] = before.get("/etc/motd")

    OBS["refused_without_terminal"] = schemy("system", "reconfigure", first, "--host", "--no-services")
    OBS["after_refusal"] = differences(before, snapshot())
    OBS["no_state_after_refusal"] = not os.path.exists("/var/lib/schemy/host/state.json")
    OBS["refused_on_terminal"] = schemy_on_terminal("n\n", "system", "reconfigure", first, "--host",
                                                    "--no-services")
    OBS["after_no"] = differences(before, snapshot())

    OBS["first_switch"] = schemy_on_terminal("y\n", "system", "reconfigure", first, "--host", "--no-services")
    first_state = snapshot()
    OBS["first"] = {
        "alice": getent("passwd", "alice"), "preexist": getent("passwd", "preexist"),
        "alice_shadow": getent("shadow", "alice"),
        "libvirt": getent("group", "libvirt"), "audio": getent("group", "audio"),
        "motd": Path("/etc/motd").read_text(), "motd_link": os.readlink("/etc/motd"),
        "app_conf": Path("/etc/schemy-test/app.conf").read_text(),
        "unit": Path("/etc/systemd/system/schemy-shepherd.service").read_text(),
        "wants": os.readlink("/etc/systemd/system/multi-user.target.wants/schemy-shepherd.service"),
        "activation_wrote": os.path.isfile("/var/lib/host-mode-test/activated"),
        "state": state(),
    }
    OBS["systemd"] = systemd_checks()
    OBS["second_switch"] = schemy("system", "reconfigure", second, "--host", "--no-services")
    OBS["second"] = {
        "alice": getent("passwd", "alice"), "bob": getent("passwd", "bob"), "carol": getent("passwd", "carol"),
        "libvirt": getent("group", "libvirt"),
        "motd": before.get("/etc/motd") == snapshot().get("/etc/motd"),
        "app_conf_dir": os.path.exists("/etc/schemy-test"), "greeting": Path("/etc/greeting").read_text(),
    }
    OBS["roll_back"] = schemy("system", "roll-back", "--root", "/")
    OBS["rolled_back"] = {
        "alice": getent("passwd", "alice"), "bob": getent("passwd", "bob"), "carol": getent("passwd", "carol"),
        "greeting": os.path.lexists("/etc/greeting"), "differences": differences(first_state, snapshot()),
    }
    rolled_back = snapshot()
    OBS["delete_generations"] = schemy("system", "delete-generations", "--host")
    OBS["after_delete_generations"] = differences(rolled_back, snapshot())

    # What systemd does at boot, from the unit's own lines: ExecStart (the manager, in the
    # foreground: the unit's main process), then ExecStartPost (the current system's services).
    unit = Path("/etc/systemd/system/schemy-shepherd.service").read_text()
    lines = dict(line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#"))
    environment = dict([lines["Environment"].split("=", 1)])
    OBS["unit_lines"] = lines
    manager = subprocess.Popen(lines["ExecStart"].split(), env=dict(ENV, **environment), stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # While a reconfigure holds the root's lock, the unit's boot leaves the services to it.
        with open("/var/lib/schemy/var/schemy/lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            held = subprocess.run(lines["ExecStartPost"].removeprefix("-").split(), capture_output=True,
                                  text=True, check=False, env=dict(ENV, **environment), timeout=120)
        OBS["boot_while_locked"] = {"code": held.returncode, "out": held.stdout, "err": held.stderr}
        post = subprocess.run(lines["ExecStartPost"].removeprefix("-").split(), capture_output=True, text=True,
                              check=False, env=dict(ENV, **environment), stdin=subprocess.DEVNULL, timeout=120)
        OBS["boot"] = {"code": post.returncode, "out": post.stdout, "err": post.stderr}
        OBS["herd_status"] = schemy("herd", "--host", "status")
        OBS["delete"] = schemy("system", "delete", "--host", "--yes")
        try:
            OBS["manager_exit"] = manager.wait(timeout=30)
        except subprocess.TimeoutExpired:
            OBS["manager_exit"] = None
    finally:
        if manager.poll() is None:
            manager.kill()
            manager.wait()
    OBS["after_delete"] = differences(before, snapshot())
    OBS["preexist_after"] = getent("passwd", "preexist")
    OBS["audio_after"] = getent("group", "audio")
    OBS["accounts_after"] = {"alice": getent("passwd", "alice"), "carol": getent("passwd", "carol"),
                             "libvirt": getent("group", "libvirt")}
    OBS["state_dir_after"] = os.path.exists("/var/lib/schemy")


if __name__ == "__main__":
    # The caller names its own mount namespace: this one must be another.
    if os.readlink("/proc/self/ns/mnt") == os.environ.get("HOST_MODE_PARENT_MNT", os.readlink("/proc/self/ns/mnt")) \
            or not (WORK / "first.scm").is_file():
        sys.exit("host_namespace.py: run it in a private mount namespace (see its docstring)")
    try:
        main()
    finally:
        (WORK / "observations.json").write_text(json.dumps(OBS, indent=1))

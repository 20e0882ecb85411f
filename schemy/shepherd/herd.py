"""Client side of the service manager: finding a root's daemon, talking to it, printing like herd.

``ensure_daemon(root)`` is what ``schemy reconfigure`` calls: it returns a ``Client``,
starting the daemon first when none is running for that root.  The ``format_*``
functions render the daemon's answers the way GNU Shepherd's ``herd`` prints them.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from schemy.shepherd.paths import run_dir, socket_path, unix_address


class HerdError(Exception):
    """The daemon refused or failed a request; the message is for the user."""


class NotRunning(HerdError):
    """No service manager answers for this root."""

    def __init__(self, root: Path) -> None:
        super().__init__(f"schemy: no service manager is running for root {root} "
                         "(run `schemy reconfigure` first)")
        self.root = root


def default_root() -> Path:
    """``$SCHEMY_ROOT``, else ``$XDG_STATE_HOME/schemy`` (``~/.local/state/schemy``)."""
    env = os.environ.get("SCHEMY_ROOT")
    if env:
        return Path(env).expanduser().resolve()
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return (Path(state).expanduser() / "schemy").resolve()


class Client:
    """One root's daemon, spoken to with one JSON line per request (a connection per request)."""

    def __init__(self, root: str | Path, timeout: float | None = None) -> None:
        self.root = Path(root).resolve()
        self.path = socket_path(self.root)
        self.timeout = timeout
        self.setenv: dict[str, str] | None = None  # what a daemon started for it gets (ensure_daemon)

    def _connect(self) -> socket.socket:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        try:
            with unix_address(self.path) as addr:
                s.connect(addr)
        except (FileNotFoundError, ConnectionRefusedError, NotADirectoryError):
            s.close()
            raise NotRunning(self.root) from None
        except OSError:
            s.close()
            raise
        return s

    def alive(self) -> bool:
        try:
            self.request("ping")
        except (HerdError, OSError):
            return False
        return True

    def request(self, op: str, **fields: Any) -> dict[str, Any]:
        """Send one request; the response, or HerdError with the daemon's message."""
        s = self._connect()
        try:
            s.sendall((json.dumps({"op": op, **fields}) + "\n").encode())
            chunks = []
            while True:
                data = s.recv(65536)
                if not data:
                    break
                chunks.append(data)
                if data.endswith(b"\n"):
                    break
        finally:
            s.close()
        raw = b"".join(chunks)
        if not raw:
            raise HerdError("schemy: the service manager closed the connection without answering")
        response = json.loads(raw)
        if not response.get("ok"):
            raise HerdError(response.get("error") or "request failed")
        return response

    # convenience wrappers
    def status(self, service: str | None = None) -> Any:
        r = self.request("status", service=service)
        return r.get("service") or r.get("root") or r.get("services")

    def upgrade(self, config: str | Path, network: str | None = None) -> dict[str, Any]:
        """Switch the daemon to the services and jobs of a config file (what reconfigure does).

        When the daemon is shutting down (``herd stop root`` came first), it starts nothing:
        wait until it is gone and hand the config to a new one.
        """
        path = str(Path(config).resolve())
        try:
            return self.request("upgrade", path=path)
        except HerdError as e:
            if "shutting down" not in str(e):
                raise
        _wait_gone(self)
        return ensure_daemon(self.root, network=network, setenv=self.setenv).request("upgrade", path=path)

    def load(self, config: str | Path) -> dict[str, Any]:
        return self.request("load", path=str(Path(config).resolve()))

    def stop_root(self, wait: float = 15.0) -> dict[str, Any]:
        """Stop every service and the daemon; returns once the daemon has exited."""
        pid = _read_pid(run_dir(self.root) / "manager.pid")
        r = self.request("stop-root")
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not self.path.exists() and (pid is None or not _pid_alive(pid)):
                break
            time.sleep(0.02)
        return r


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _pid_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except OSError:
        return False
    return data[data.rfind(b")") + 2:][:1] != b"Z"


def _wait_gone(client: Client, timeout: float = 60.0) -> None:
    """Wait until the daemon of ``client`` (shutting down) has exited."""
    pid = _read_pid(run_dir(client.root) / "manager.pid")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (not _pid_alive(pid)) if pid is not None else not client.path.exists():
            return  # the process, not the socket: it holds the root's lock until it exits
        time.sleep(0.05)
    raise HerdError(f"schemy: the service manager for root {client.root} did not finish shutting down")


def connect(root: str | Path) -> Client:
    """A client for the daemon of ``root``; NotRunning when there is none."""
    c = Client(root)
    c.request("ping")
    return c


def ensure_daemon(root: str | Path, timeout: float = 20.0, load_path: list[str] | None = None,
                  network: str | None = None, setenv: dict[str, str] | None = None) -> Client:
    """The daemon of ``root``, started (detached, in its own session) if none is running.

    With ``network`` (``shared`` or ``private``) a daemon started here runs in the root's
    view (``namespace``); one already running keeps the view it has.  ``setenv``: variables
    a daemon started here has, and gives its services (a home's manager: HOME...)."""
    root = Path(root).resolve()
    client = Client(root)
    client.setenv = setenv
    try:
        closing = client.request("ping").get("closing")
    except (HerdError, OSError):
        closing = None
    if closing is False:
        return client
    if closing:
        _wait_gone(client, timeout)
    root.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    package_parent = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = package_parent + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    cmd = [sys.executable, "-m", "schemy.shepherd.daemon", "--root", str(root), "--detach"]
    for d in load_path or ():
        cmd += ["-L", d]
    if network is not None:
        cmd += ["--view", "--network", network]
    for name, value in (setenv or {}).items():
        cmd += ["--setenv", f"{name}={value}"]

    def launch() -> subprocess.CompletedProcess:
        return subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=timeout, cwd="/")

    proc = launch()
    deadline = time.monotonic() + timeout
    refused_at = time.monotonic()
    while time.monotonic() < deadline:
        try:
            if not client.request("ping").get("closing"):
                return client
        except (HerdError, OSError):
            pass
        if proc.returncode != 0:
            if "already running" not in proc.stderr.decode():
                break
            if time.monotonic() - refused_at > 0.5:
                # The lock holder is not answering: a predecessor finishing its exit. Try again.
                proc, refused_at = launch(), time.monotonic()
        time.sleep(0.05)
    message = proc.stderr.decode().strip() or f"schemy: the service manager for root {root} did not start"
    raise HerdError(message)


# ----------------------------------------------------------------- formatting


def _ago(seconds: float) -> str:
    s = int(max(0, seconds))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if s >= size:
            n = s // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return f"{s} second{'s' if s != 1 else ''} ago"


def _when(t: float, now: float | None = None) -> str:
    now = time.time() if now is None else now
    dt = datetime.fromtimestamp(t)
    text = dt.strftime("%H:%M:%S") if dt.date() == datetime.fromtimestamp(now).date() \
        else dt.strftime("%a %d %b %Y %H:%M:%S")
    return f"{text} ({_ago(now - t)})"


def format_status(services: list[dict[str, Any]], show_host: bool = False) -> str:
    """``herd status``: services grouped as Started / Stopped / ..., names sorted.  What schemy
    runs comes first; the services the host provides fold into one line unless ``show_host``."""
    groups: dict[str, list[str]] = {"started": [], "stopped": [], "failed": [], "one-shot": [], "host": []}
    for s in sorted(services, key=lambda s: s["name"]):
        name = s["name"]
        if s["host"]:
            groups["host"].append(name)
        elif s["one_shot"] and s["status"] != "failed":
            groups["one-shot"].append(name)
        elif s["status"] in ("running", "starting", "stopping"):
            groups["started"].append(name)
        elif s["status"] == "failed":
            groups["failed"].append(name)
        else:
            note = ""
            if not s["enabled"]:
                note = f" (disabled: {s['disabled_reason']})" if s.get("disabled_reason") else " (disabled)"
            groups["stopped"].append(name + note)
    lines = ["Started:"] + [f" + {n}" for n in groups["started"]]
    lines += ["Stopped:"] + [f" - {n}" for n in groups["stopped"]]
    for key, title, mark in (("failed", "Failed to start:", "!"), ("one-shot", "One-shot:", "*")):
        if groups[key]:
            lines += [title] + [f" {mark} {n}" for n in groups[key]]
    host = groups["host"]
    if host and show_host:
        lines += ["Provided by the host:"] + [f" = {n}" for n in host]
    elif host:
        count = f"{len(host)} service" + ("s" if len(host) > 1 else "")
        lines.append(f"Provided by the host: {count} (`herd status --all` lists them)")
    return "\n".join(lines)


def format_service_status(s: dict[str, Any], now: float | None = None) -> str:
    """``herd status NAME``, modelled on Shepherd 0.10."""
    lines = [f"Status of {s['name']}:"]
    status = s["status"]
    if s["host"]:
        lines.append("  It is provided by the host system (schemy does not run it).")
    elif status == "running":
        since = f" since {_when(s['since'], now)}" if s.get("since") else ""
        lines.append(f"  It is running{since}.")
        if s.get("pid"):
            lines.append(f"  Main PID: {s['pid']}")
    elif status == "failed":
        lines.append(f"  It failed to start: {s['failure']}" if s.get("failure") else "  It failed to start.")
    elif status in ("starting", "stopping"):
        lines.append(f"  It is {status}.")
    elif s["one_shot"] and s.get("one_shot_ran"):
        lines.append(f"  It is a one-shot service; it last ran at {_when(s['one_shot_ran'], now)}.")
    else:
        since = f" since {_when(s['since'], now)}" if s.get("since") else ""
        lines.append(f"  It is stopped{since}.")
    exited = s.get("exited")
    if s.get("last_exit") and status != "running":
        at = f" at {_when(exited[1], now)}" if exited and exited[0] == s["last_exit"] else ""
        lines.append(f"  Process {s['last_exit']}{at}.")
    elif exited and status == "running":
        lines.append(f"  Its last process {exited[0]} at {_when(exited[1], now)}.")
    if s.get("respawns"):
        n = s["respawns"]
        lines.append(f"  It was respawned {n} time{'s' if n != 1 else ''}.")
    if s.get("command"):
        lines.append("  Command: " + " ".join(s["command"]))
    timer = s.get("timer")
    if timer:  # Shepherd shows a timer's event, next run and recent runs
        lines.append(f"  Calendar event: {timer['event']}")
        lines.append(f"  Next run: {timer['next'] or 'never'}")
        if timer.get("running_pid"):
            lines.append(f"  Its command is running (PID {timer['running_pid']}).")
        for when, how in timer.get("runs", [])[::-1]:
            lines.append(f"  Ran at {_when(when, now)}: {how}")
    if not s["host"]:
        if s["enabled"]:
            lines.append("  It is enabled.")
        else:
            why = f" ({s['disabled_reason']})" if s.get("disabled_reason") else ""
            lines.append(f"  It is disabled{why}.")
    lines.append("  Provides: " + " ".join(s["provision"]))
    if s["requirement"]:
        lines.append("  Requires: " + " ".join(s["requirement"]))
    if s.get("actions"):
        lines.append("  Custom actions: " + " ".join(s["actions"]))
    if not s["host"]:
        if s["one_shot"]:
            lines.append("  This is a one-shot service.")
        else:
            lines.append("  Will be respawned." if s["respawn"] else "  Will not be respawned.")
        if not s["auto_start"]:
            lines.append("  It is not started automatically.")
    recent = s.get("recent") or []
    if recent:
        lines.append("")
        lines.append(f"Recent messages (use 'schemy herd log {s['name']}' to view more):")
        lines += ["  " + r for r in recent]
    return "\n".join(lines)


def format_root_status(r: dict[str, Any], now: float | None = None) -> str:
    return "\n".join([
        "Status of root:",
        f"  It is running since {_when(r['since'], now)}.",
        f"  Main PID: {r['pid']}",
        f"  Root: {r['root']}",
        f"  Services: {r['running']} running out of {r['services']}.",
        f"  mcron jobs: {r['jobs']}.",
    ])


def format_schedule(jobs: list[dict[str, Any]]) -> str:
    if not jobs:
        return "No mcron jobs."
    out = []
    for j in sorted(jobs, key=lambda j: j["next"] or "~"):
        when = j["next"] or ("never again" if not j.get("error") else "not scheduled: " + j["error"])
        out.append(f"{when}  {j['name']}  (schedule: {j['schedule']})")
    return "\n".join(out)

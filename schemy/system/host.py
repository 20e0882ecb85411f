"""Host mode: a system applied to the machine itself (``--host``, or ``--root /`` explicitly).

The generations, the store and the service manager's state live in a state root of their
own (``/var/lib/schemy``); what a switch changes on the machine is, for the current
generation:

* its /etc entries, installed in the real /etc as links into the store.  The first time an
  entry replaces something of the host, that original is copied (content, mode, owner,
  times; a whole tree for a directory) under ``/var/lib/schemy/host/backups`` and recorded
  before it is replaced; when the entry leaves the system (a roll-back, a new
  configuration, ``schemy system delete --host``) the original comes back byte for byte;
* its users and groups, through the host's shadow tools (groupadd, useradd, usermod,
  chpasswd, gpasswd, userdel, groupdel).  An account that already exists on the host is
  left as it is; only the accounts schemy created are ever changed or removed;
* a systemd unit, ``/etc/systemd/system/schemy-shepherd.service``, and its
  ``multi-user.target.wants`` link (what ``systemctl enable`` makes), so that the host's
  init starts the service manager, with the current system's services, after a reboot.

Everything schemy did is recorded in ``/var/lib/schemy/host/state.json``, written
atomically after each step, so that an interrupted switch is finished or undone by the
next one.  The first switch of a machine needs an explicit confirmation.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from schemy.guix.store import fsync_dir, write_new_file
from schemy.lang.errors import scheme_error
from schemy.system.generations import Generation, StateRoot

HOST_STATE_DIR = Path("/var/lib/schemy")
ETC = Path("/etc")
UNIT_NAME = "schemy-shepherd.service"
WANTED_BY = "multi-user.target"
# /etc entries of a generation that schemy never installs on a host: the accounts files are
# the host's own (accounts go through the shadow tools), etc/static is the layout's.
NOT_INSTALLED = ("passwd", "group", "shadow", "static")
UNIT_MARKER = "# Written by schemy (host mode)"

Say = Callable[[str], None]


def is_host_root(path: str | Path | None) -> bool:
    """``--root /``: the machine itself."""
    return path is not None and os.path.realpath(str(path)) == "/"


def systemd_running() -> bool:
    """As sd_booted(3): systemd is the running init when /run/systemd/system exists."""
    return os.path.isdir("/run/systemd/system")


# ---------------------------------------------------------------- the state file


class HostState:
    """What schemy changed on the machine: /etc entries (with the originals' backups),
    the accounts it created, the unit it wrote.  Saved atomically after every change."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.file = directory / "state.json"
        self.backups = directory / "backups"
        self.data: dict[str, Any] = {"version": 1, "confirmed": None, "etc": {}, "users": {},
                                     "groups": {}, "unit": None}
        try:
            loaded = json.loads(self.file.read_text())
            if not isinstance(loaded, dict) or loaded.get("version") != 1:
                raise ValueError("not a version 1 record of schemy's")
            self.data.update(loaded)
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as e:
            raise scheme_error(f"cannot read schemy's record of this host, {self.file}: {e}",
                               kind="system-error",
                               hint="it lists the host files schemy replaced and the accounts it created; "
                                    "restore it from a backup before changing the host again") from None

    @property
    def etc(self) -> dict[str, dict]:
        return self.data["etc"]

    @property
    def users(self) -> dict[str, dict]:
        return self.data["users"]

    @property
    def groups(self) -> dict[str, dict]:
        return self.data["groups"]

    def save(self) -> None:
        self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.dir / f".state.json.tmp-{os.getpid()}"
        if os.path.lexists(tmp):
            os.unlink(tmp)
        write_new_file(str(tmp), json.dumps(self.data, indent=1, sort_keys=True).encode(), 0o600)
        os.rename(tmp, self.file)
        fsync_dir(self.dir)

    def empty(self) -> bool:
        return not (self.etc or self.users or self.groups or self.data.get("unit"))


# ---------------------------------------------------------------- backups of host files


def _backup(path: Path, store: Path) -> dict:
    """Copy what ``path`` is now (nothing, a file, a link or a tree) under ``store``; the
    record that lets ``_restore`` put it back exactly."""
    import shutil  # where used: a warm build copies and deletes nothing

    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return {"kind": "absent"}
    meta = {"mode": stat.S_IMODE(st.st_mode), "uid": st.st_uid, "gid": st.st_gid,
            "mtime_ns": st.st_mtime_ns}
    store.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.path.lexists(store):
        _remove(store)
    if stat.S_ISLNK(st.st_mode):
        return {"kind": "symlink", "target": os.readlink(path), **meta}
    if stat.S_ISREG(st.st_mode):
        data = path.read_bytes()
        write_new_file(str(store), data, 0o600)
        return {"kind": "file", "sha256": hashlib.sha256(data).hexdigest(), "copy": store.name, **meta}
    if stat.S_ISDIR(st.st_mode):
        shutil.copytree(path, store, symlinks=True, copy_function=shutil.copy2)
        _copy_owners(path, store)
        os.chmod(store, 0o700)  # the copy is schemy's; the original mode is in the record
        return {"kind": "dir", "copy": store.name, **meta}
    raise scheme_error(f"cannot replace {path}: it is neither a file, a link nor a directory",
                       kind="system-error", hint="move it away, then reconfigure again")


def _copy_owners(src: Path, dst: Path) -> None:
    for dirpath, dirs, files in os.walk(src):
        for name in dirs + files:
            s = Path(dirpath) / name
            st = os.lstat(s)
            os.lchown(dst / s.relative_to(src), st.st_uid, st.st_gid)


def _restore(path: Path, record: dict, store: Path) -> None:
    """Put the original back in place of schemy's link, atomically where the kernel allows."""
    import shutil  # where used: a warm build copies and deletes nothing

    kind = record["kind"]
    tmp = path.with_name(f".{path.name}.schemy-restore")
    if os.path.lexists(tmp):
        _remove(tmp)
    if kind == "absent":
        if os.path.lexists(path):
            os.unlink(path)
        fsync_dir(path.parent)
        return
    if kind == "symlink":
        os.symlink(record["target"], tmp)
        os.lchown(tmp, record["uid"], record["gid"])
    elif kind == "file":
        data = store.read_bytes()
        if hashlib.sha256(data).hexdigest() != record["sha256"]:
            raise scheme_error(f"the backup of {path} ({store}) was changed: not restoring it",
                               kind="system-error", hint=f"its original checksum was sha256 {record['sha256']}")
        write_new_file(str(tmp), data, 0o600)
        os.chown(tmp, record["uid"], record["gid"])
        os.chmod(tmp, record["mode"])
    elif kind == "dir":
        shutil.copytree(store, tmp, symlinks=True, copy_function=shutil.copy2)
        _copy_owners(store, tmp)
        os.chown(tmp, record["uid"], record["gid"])
        os.chmod(tmp, record["mode"])
    if kind != "symlink":
        os.utime(tmp, ns=(record["mtime_ns"], record["mtime_ns"]), follow_symlinks=False)
    if kind == "dir" and os.path.lexists(path):
        os.unlink(path)  # a link cannot be renamed over a directory, nor a directory over a link
    os.rename(tmp, path)
    fsync_dir(path.parent)


def _remove(path: Path) -> None:
    import shutil  # where used: a warm build copies and deletes nothing

    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _replace_with_link(path: Path, target: str) -> None:
    import shutil  # where used: a warm build copies and deletes nothing

    tmp = path.with_name(f".{path.name}.schemy-new")
    if os.path.lexists(tmp):
        _remove(tmp)
    os.symlink(target, tmp)
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)  # backed up already
    os.rename(tmp, path)
    fsync_dir(path.parent)


def _check_parents(name: str) -> list[str]:
    """The parent directories of /etc/NAME that are missing (to be created); refuses a parent
    that is a link or not a directory, so no entry is ever written outside /etc."""
    missing = []
    parts = name.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        rel = "/".join(parts[:i])
        p = ETC / rel
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            missing.append(rel)
            continue
        if not stat.S_ISDIR(st.st_mode):
            raise scheme_error(f"cannot install /etc/{name}: /etc/{rel} is "
                               + ("a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a directory"),
                               kind="system-error", hint="host mode installs /etc entries only inside real "
                                                         "directories of /etc")
    return missing


# ---------------------------------------------------------------- what a generation declares


def generation_etc(gen: Generation | None) -> dict[str, str]:
    """The /etc entries of a generation: name -> the store file it links to."""
    if gen is None:
        return {}
    etc = gen.system_dir / "etc"
    out: dict[str, str] = {}
    for dirpath, dirs, files in os.walk(etc, followlinks=False):
        rel_dir = Path(dirpath).relative_to(etc)
        linked = [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]
        for f in files + linked:
            rel = str(rel_dir / f) if str(rel_dir) != "." else f
            if rel.split("/")[0] in NOT_INSTALLED:
                continue
            p = Path(dirpath) / f
            if p.is_symlink():
                out[rel] = os.readlink(p)
    return out


def generation_accounts(gen: Generation | None) -> dict:
    """Users and groups as declared (ids only where the config gives them), with the
    password hashes from the generation's shadow file."""
    if gen is None or gen.store_item is None:
        return {"users": [], "groups": []}
    try:
        declared = json.loads((Path(gen.store_item) / "accounts.json").read_text())
    except (OSError, ValueError):
        declared = {"users": [], "groups": []}
    hashes: dict[str, str] = {}
    try:
        for line in (gen.system_dir / "etc" / "shadow").read_text().splitlines():
            fields = line.split(":")
            if len(fields) > 1 and fields[1] != "!":
                hashes[fields[0]] = fields[1]
    except OSError:
        pass
    users = [dict(u, password=hashes.get(u["name"])) for u in declared.get("users", []) if u["name"] != "root"]
    groups = [dict(g, password=None) for g in declared.get("groups", []) if g["name"] != "root"]
    return {"users": users, "groups": groups}


# ---------------------------------------------------------------- the host's accounts


def _table(name: str) -> dict[str, list[str]]:
    out = {}
    try:
        for line in (ETC / name).read_text().splitlines():
            fields = line.split(":")
            if len(fields) >= 4 and not line.startswith(("+", "-")):
                out[fields[0]] = fields
    except FileNotFoundError:
        pass
    return out


def _tool(args: list[str], stdin: str | None = None) -> None:
    import shutil  # where used: a warm build copies and deletes nothing
    import subprocess  # only host mode runs programs: not imported by a build

    exe = shutil.which(args[0], path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin")
    if exe is None:
        raise scheme_error(f"host mode needs the shadow tool `{args[0]}`, which is not installed",
                           kind="system-error", hint="install it (Debian package: passwd)")
    out = subprocess.run([exe, *args[1:]], input=stdin, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise scheme_error(f"{' '.join(args)} failed (exit {out.returncode}): "
                           f"{(out.stderr or out.stdout).strip()}", kind="system-error")


def _user_fields(u: dict) -> dict:
    """The declared fields schemy applies to a user it created (compared across switches)."""
    return {k: u.get(k) for k in ("group", "supplementary-groups", "comment", "home", "shell", "uid",
                                   "password", "system", "create-home")}


def _user_options(u: dict, host_groups: dict) -> list[str]:
    opts = ["-g", u["group"], "-c", u.get("comment") or "", "-d", u["home"], "-s", u["shell"]]
    sup = [g for g in u.get("supplementary-groups", []) if g in host_groups]
    opts += ["-G", ",".join(sup)]
    if u.get("uid") is not None:
        opts += ["-u", str(u["uid"])]
    return opts


# ---------------------------------------------------------------- applying a generation


class HostRoot(StateRoot):
    """The state root of host mode: every switch also brings the machine's /etc, accounts
    and init unit in line with the generation switched to."""

    def __init__(self, root: str | Path = HOST_STATE_DIR, confirm: Callable[[list[str]], bool] | None = None,
                 say: Say | None = None) -> None:
        super().__init__(root)
        self.state_dir = self.root / "host"
        self.confirm = confirm
        self.say: Say = say or (lambda line: print(line, file=sys.stderr))
        self.python = sys.executable
        self.started_by_init = False  # `schemy system boot`, run by the unit itself

    def ensure(self) -> None:
        if os.geteuid() != 0:
            raise scheme_error("host mode changes this machine's /etc and accounts: it needs root",
                               kind="system-error", hint="run it as root (sudo), or use a state root of "
                                                         "your own with --root DIR")
        super().ensure()

    # ------------------------------------------------------------ hooks of StateRoot
    def has_view(self) -> bool:
        """The machine itself: its services see the host's own /etc, /run..."""
        return False

    def activation_root(self) -> Path | None:
        """Activation writes the host's own files (``root-file-name`` is the identity)."""
        return None

    def before_switch(self, built: Any, say: Say) -> None:
        """The first switch of a machine needs the administrator's explicit consent."""
        state = HostState(self.state_dir)
        if state.data.get("confirmed"):
            return
        lines = self._first_switch_summary(built)
        if self.confirm is None or not self.confirm(lines):
            raise scheme_error("not switching this machine: host mode was not confirmed",
                               kind="system-error",
                               hint="on a terminal, answer yes at the prompt; otherwise pass --yes "
                                    "to accept that schemy changes this machine's /etc, accounts and init")
        state.data["confirmed"] = time.time()
        state.save()

    def switch_to(self, gen: Generation) -> None:
        previous = self.current_generation()
        try:
            self.apply(gen)
        except BaseException:
            # Bring the machine back to what was current (best effort), then report the failure.
            try:
                self.apply(previous if previous is not None and not previous.broken else None)
            except Exception as e:  # noqa: BLE001 - the first error is the one to report
                self.say(f"warning: could not undo the host changes: {e}")
            raise
        super().switch_to(gen)

    def unswitch(self) -> None:
        self.apply(None)
        super().unswitch()

    # ------------------------------------------------------------ the work
    def _first_switch_summary(self, built: Any) -> list[str]:
        lines = [f"Host mode changes this machine itself (state in {self.root}):"]
        replaced = [n for n in sorted(built.etc) if n.split("/")[0] not in NOT_INSTALLED
                    and os.path.lexists(ETC / n)]
        added = [n for n in sorted(built.etc) if n.split("/")[0] not in NOT_INSTALLED
                 and not os.path.lexists(ETC / n)]
        if replaced:
            lines.append(f"  replaces (originals backed up): {', '.join('/etc/' + n for n in replaced)}")
        if added:
            lines.append(f"  adds: {', '.join('/etc/' + n for n in added)}")
        users, groups = _table("passwd"), _table("group")
        new_users = [u["name"] for u in built.accounts.get("users", []) if u["name"] not in users]
        new_groups = [g["name"] for g in built.accounts.get("groups", []) if g["name"] not in groups]
        if new_groups:
            lines.append(f"  creates groups: {', '.join(new_groups)}")
        if new_users:
            lines.append(f"  creates users: {', '.join(new_users)}")
        kept = [u["name"] for u in built.accounts.get("users", []) if u["name"] in users and u["name"] != "root"]
        kept_groups = [g["name"] for g in built.accounts.get("groups", []) if g["name"] in groups
                       and g["name"] != "root"]
        if kept or kept_groups:
            lines.append("  leaves the host's own accounts of the same names as they are: "
                         + "; ".join(part for part in (f"users {', '.join(kept)}" if kept else "",
                                                       f"groups {', '.join(kept_groups)}" if kept_groups else "")
                                     if part))
        lines.append(f"  installs and enables {self.unit_path()} (the service manager at boot)")
        return lines

    def apply(self, gen: Generation | None) -> None:
        """Make the machine what ``gen`` declares (``None``: what it was before schemy)."""
        state = HostState(self.state_dir)
        accounts = generation_accounts(gen)
        self._apply_groups(state, accounts)
        self._apply_users(state, accounts)
        self._apply_members(state, accounts)
        self._remove_users(state, {u["name"] for u in accounts["users"]})
        self._remove_groups(state, {g["name"] for g in accounts["groups"]})
        self._apply_etc(state, generation_etc(gen))
        if gen is not None:
            self._install_unit(state)
        else:
            self._remove_unit(state)

    # /etc
    def _apply_etc(self, state: HostState, wanted: dict[str, str]) -> None:
        # Entries leaving the system first: deepest first, so a directory's entries go before it.
        for name in sorted(set(state.etc) - set(wanted), key=lambda n: -n.count("/")):
            self._uninstall_entry(state, name)
        for name in sorted(wanted):
            self._install_entry(state, name, wanted[name])

    def _install_entry(self, state: HostState, name: str, target: str) -> None:
        path = ETC / name
        record = state.etc.get(name)
        if record is not None and record["target"] == target and os.path.islink(path) \
                and os.readlink(path) == target:
            return
        made = _check_parents(name)
        if record is None:
            digest = hashlib.sha256(name.encode()).hexdigest()[:24]
            backup = _backup(path, state.backups / digest)
            record = {"target": None, "backup": backup, "made_dirs": made}
            state.etc[name] = record
            state.save()  # the original is safe and recorded before it is replaced
        for rel in made:
            os.mkdir(ETC / rel, 0o755)
            os.chmod(ETC / rel, 0o755)
        _replace_with_link(path, target)
        record["target"] = target
        state.save()

    def _uninstall_entry(self, state: HostState, name: str) -> None:
        path = ETC / name
        record = state.etc[name]
        ours = record["target"] is None or (os.path.islink(path) and os.readlink(path) == record["target"])
        if not ours:
            self.say(f"warning: /etc/{name} was changed since schemy installed it: left as it is "
                     f"(the original is kept in {state.backups})")
        else:
            backup = record["backup"]
            _restore(path, backup, state.backups / backup.get("copy", "-"))
            if backup.get("copy"):
                _remove(state.backups / backup["copy"])
        for rel in reversed(record.get("made_dirs", [])):
            try:
                os.rmdir(ETC / rel)
            except OSError:
                pass  # not empty: something else lives there now
        del state.etc[name]
        state.save()

    # accounts
    def _apply_groups(self, state: HostState, accounts: dict) -> None:
        host = _table("group")
        for g in accounts["groups"]:
            name, mine = g["name"], state.groups.get(g["name"])
            if name in host and mine is None:
                continue  # the host's own group: never changed
            if name in host:
                if g.get("id") is not None and int(host[name][2]) != g["id"]:
                    _tool(["groupmod", "-g", str(g["id"]), name])
                    mine["gid"] = g["id"]
                    state.save()
                continue
            args = ["groupadd"] + (["-r"] if g.get("system") else []) \
                + (["-g", str(g["id"])] if g.get("id") is not None else []) + [name]
            _tool(args)
            gid = int(_table("group")[name][2])
            state.groups[name] = {"gid": gid, "members_added": [], "created": time.time()}
            state.save()
            self.say(f"host: created group {name} (gid {gid})")

    def _apply_users(self, state: HostState, accounts: dict) -> None:
        for u in accounts["users"]:
            host, groups = _table("passwd"), _table("group")
            name, mine = u["name"], state.users.get(u["name"])
            if name in host and mine is None:
                continue  # the host's own account: never changed
            fields = _user_fields(u)
            if name in host:
                if mine.get("declared") != fields:
                    _tool(["usermod", *_user_options(u, groups), name])
                    self._set_password(name, u.get("password"))
                    mine["declared"] = fields
                    state.save()
                continue
            home_opt = ["-m"] if u.get("create-home") and not os.path.exists(u["home"]) \
                and u["home"] != "/nonexistent" else ["-M"]
            args = ["useradd"] + (["-r"] if u.get("system") else []) + home_opt \
                + _user_options(u, groups) + [name]
            _tool(args)
            if u.get("password"):
                self._set_password(name, u["password"])
            uid = int(_table("passwd")[name][2])
            state.users[name] = {"uid": uid, "declared": fields, "created": time.time()}
            state.save()
            self.say(f"host: created user {name} (uid {uid})")

    @staticmethod
    def _set_password(name: str, password: str | None) -> None:
        # Through stdin, so the hash never shows in the process list.
        _tool(["chpasswd", "-e"], stdin=f"{name}:{password or '!'}\n")

    def _apply_members(self, state: HostState, accounts: dict) -> None:
        """A user of the host (not schemy's) declared in a group schemy created joins it."""
        wanted: dict[str, set[str]] = {g: set() for g in state.groups}
        for u in accounts["users"]:
            if u["name"] in state.users:
                continue  # useradd/usermod -G set schemy's own users' groups
            for g in u.get("supplementary-groups", []):
                if g in wanted:
                    wanted[g].add(u["name"])
        host_users = _table("passwd")
        for g, record in state.groups.items():
            members = set(_table("group").get(g, ["", "", "", ""])[3].split(",")) - {""}
            for user in sorted(wanted[g] - set(record["members_added"])):
                if user in host_users and user not in members:
                    _tool(["gpasswd", "-a", user, g])
                    record["members_added"].append(user)
                    state.save()
            for user in sorted(set(record["members_added"]) - wanted[g]):
                if user in members:
                    _tool(["gpasswd", "-d", user, g])
                record["members_added"].remove(user)
                state.save()

    def _remove_users(self, state: HostState, keep: set[str]) -> None:
        for name in sorted(set(state.users) - keep):
            host = _table("passwd")
            if name in host and int(host[name][2]) == state.users[name]["uid"]:
                _tool(["userdel", name])
                self.say(f"host: removed user {name} (its home directory is kept)")
            del state.users[name]
            state.save()

    def _remove_groups(self, state: HostState, keep: set[str]) -> None:
        for name in sorted(set(state.groups) - keep):
            host = _table("group")
            if name in host and int(host[name][2]) == state.groups[name]["gid"]:
                try:
                    _tool(["groupdel", name])
                except Exception as e:  # noqa: BLE001 - e.g. still the primary group of a host user
                    self.say(f"warning: group {name} kept: {e}")
                    continue
                self.say(f"host: removed group {name}")
            del state.groups[name]
            state.save()

    # the init system
    def unit_path(self) -> Path:
        return ETC / "systemd" / "system" / UNIT_NAME

    def wants_path(self) -> Path:
        return ETC / "systemd" / "system" / f"{WANTED_BY}.wants" / UNIT_NAME

    def unit_text(self) -> str:
        """The manager runs in the foreground as the unit's main process; once it is started,
        ``schemy system boot --host`` applies and activates the current generation and hands
        it its services (its failure, e.g. one service that does not start, does not stop the
        unit: the leading ``-``)."""
        package_parent = Path(__file__).resolve().parents[2]
        return (f"{UNIT_MARKER}: the service manager of {self.root},\n"
                "# started at boot with the services of the current system generation.\n"
                "[Unit]\n"
                "Description=schemy service manager (host mode)\n"
                "After=local-fs.target network.target\n\n"
                "[Service]\n"
                "Type=simple\n"
                f"Environment=PYTHONPATH={package_parent}\n"
                f"ExecStart={self.python} -m schemy.shepherd.daemon --root {self.root}\n"
                f"ExecStartPost=-{self.python} -m schemy system boot --host\n"
                # SIGTERM to the manager only: it stops its services in order, then exits.
                "KillMode=mixed\n"
                "TimeoutStopSec=120\n\n"
                "[Install]\n"
                f"WantedBy={WANTED_BY}\n")

    def _install_unit(self, state: HostState) -> None:
        import subprocess  # only host mode runs programs: not imported by a build

        unit, wants = self.unit_path(), self.wants_path()
        if not (ETC / "systemd").is_dir():
            if not state.data.get("warned_no_systemd"):
                self.say("host: no systemd on this machine: have its init run "
                         "`schemy system boot --host` at boot to start the services")
                state.data["warned_no_systemd"] = True
                state.save()
            return
        text = self.unit_text()
        if os.path.lexists(unit) and state.data.get("unit") is None:
            try:
                theirs = unit.read_text()
            except OSError:
                theirs = ""
            if not theirs.startswith(UNIT_MARKER):
                raise scheme_error(f"{unit} exists and was not written by schemy", kind="system-error",
                                   hint="move it away: schemy installs its own unit there")
        changed = not unit.is_file() or unit.read_text() != text
        made = (state.data.get("unit") or {}).get("made_dirs") or []
        state.data["unit"] = {"unit": str(unit), "wants": str(wants), "made_dirs": made}
        if not wants.parent.is_dir():
            wants.parent.mkdir(mode=0o755, parents=True)
            state.data["unit"]["made_dirs"] = [str(wants.parent)]
        state.save()
        if changed:
            tmp = unit.with_name(f".{UNIT_NAME}.tmp")
            if os.path.lexists(tmp):
                os.unlink(tmp)
            write_new_file(str(tmp), text.encode(), 0o644)
            os.rename(tmp, unit)
            fsync_dir(unit.parent)
        if not (wants.is_symlink() and os.readlink(wants) == str(unit)):
            _replace_with_link(wants, str(unit))
        if changed and systemd_running():
            subprocess.run(["systemctl", "daemon-reload"], check=False, capture_output=True)

    def _remove_unit(self, state: HostState) -> None:
        import subprocess  # only host mode runs programs: not imported by a build

        record = state.data.get("unit")
        if not record:
            return
        if systemd_running():
            subprocess.run(["systemctl", "disable", UNIT_NAME], check=False, capture_output=True)
        for p in (Path(record["wants"]), Path(record["unit"])):
            if os.path.lexists(p):
                os.unlink(p)
        for d in record.get("made_dirs", []):
            try:
                os.rmdir(d)
            except OSError:
                pass
        if systemd_running():
            subprocess.run(["systemctl", "daemon-reload"], check=False, capture_output=True)
        state.data["unit"] = None
        state.save()

    def start_service_manager(self, network: str | None = None) -> Any:
        """Under systemd, the manager runs as the unit (in its own cgroup, restarted at boot);
        otherwise, or when the unit itself is booting, it is started like a prefix root's."""
        import subprocess  # only host mode runs programs: not imported by a build

        from schemy.shepherd import herd

        client = herd.Client(self.root)
        if not self.started_by_init and systemd_running() and self.unit_path().is_file() \
                and not client.alive():
            # Its ExecStartPost finds this command holding the lock and leaves the services to it.
            subprocess.run(["systemctl", "start", UNIT_NAME], check=False, capture_output=True)
        return super().start_service_manager(None)  # the host's own view


def delete_host_system(root: HostRoot, say: Say) -> None:
    """Stop the services, then put the machine back as it was before schemy: originals
    restored, schemy's accounts, entries and unit removed.  The generations are deleted
    too, and the state root with them."""
    import shutil  # where used: a warm build copies and deletes nothing
    import subprocess  # only host mode runs programs: not imported by a build

    from schemy.shepherd import herd

    with root.lock():
        client = herd.Client(root.root)
        if client.alive():
            try:
                client.stop_root()
                say("stopped the service manager and its services")
            except herd.HerdError as e:
                raise scheme_error(f"cannot stop the service manager: {e}") from None
        if systemd_running():
            subprocess.run(["systemctl", "stop", UNIT_NAME], check=False, capture_output=True)
        root.apply(None)
        say("restored the host's /etc and removed the accounts and unit schemy added")
        state = HostState(root.state_dir)
        if not state.empty():
            raise scheme_error(f"some changes could not be undone: see {state.file}", kind="system-error")
    for entry in list(root.root.iterdir()):
        if entry.is_symlink() or not entry.is_dir():
            entry.unlink()
        else:
            for dirpath, _d, _f in os.walk(entry):
                os.chmod(dirpath, 0o700)
            shutil.rmtree(entry)
    root.root.rmdir()
    say(f"deleted {root.root}")


def needs_confirmation(root: Path = HOST_STATE_DIR) -> bool:
    """No switch of this machine was confirmed yet."""
    try:
        return not HostState(Path(root) / "host").data.get("confirmed")
    except Exception:  # noqa: BLE001 - an unreadable state file is reported by the switch itself
        return True

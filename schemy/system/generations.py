"""System generations under a state root, switched atomically.

Layout of a root::

    store/                         content-addressed items (read-only)
    var/schemy/systems/<item>/     one directory per built system: `system` (link to the
                                   store item) and `etc/` (links into the store plus the
                                   accounts files passwd, group and shadow, mode 0600)
    current-system -> var/schemy/systems/<item>     THE pointer to the running system
    etc -> current-system/etc      (made once; follows current-system)
    profiles/system-N-link -> ../var/schemy/systems/<item>
    profiles/system -> system-N-link
    var/schemy/lock                serializes reconfigures
    run/                           sockets and pid files

Switching is one ``rename`` of ``current-system``, so a crash leaves either the
old or the new system complete and current.  ``profiles/system`` is derived
from it and repaired by ``repair`` if a crash happened in between.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from schemy.guix.store import fsync_dir, open_dir_nofollow, write_new_file
from schemy.lang.errors import scheme_error
from schemy.system.plain import PlainRecord

_LINK = re.compile(r"^system-(\d+)-link$")


def default_root() -> Path:
    env = os.environ.get("SCHEMY_ROOT")
    if env:
        return Path(env)
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "schemy"


class Generation(PlainRecord):
    number: int
    system_dir: Path  # var/schemy/systems/<item>
    created: float

    @property
    def store_item(self) -> str | None:
        """The system's store item; None when the generation is broken (its directory gone)."""
        try:
            return os.readlink(self.system_dir / "system")
        except OSError:
            return None

    @property
    def broken(self) -> bool:
        """A generation whose system directory or store item no longer exists cannot be
        switched to, described or compared."""
        item = self.store_item
        return item is None or not os.path.isdir(item) or not (self.system_dir / "etc").is_dir()

    def metadata(self) -> dict:
        try:
            return json.loads((self.system_dir / "generation.json").read_text())
        except (OSError, ValueError):
            return {}


class StateRoot:
    """A schemy state root: its store, generations and the running system's pointers."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).absolute()
        self.store_dir = self.root / "store"
        self.systems_dir = self.root / "var" / "schemy" / "systems"
        self.profiles = self.root / "profiles"
        self.current = self.root / "current-system"
        self.etc = self.root / "etc"
        self.run = self.root / "run"

    # ------------------------------------------------------------ setup & locking
    # Every directory of a root, with the mode it gets whatever the umask.
    # /var/log is a real system's (0755: a daemon running as its own user reaches the
    # subdirectory its activation gave it); the manager's logs, which hold what the services
    # print, are root's alone (var/log/schemy, 0700).
    def _layout(self) -> list[tuple[Path, int]]:
        var = self.root / "var"
        return [(self.root, 0o755), (self.store_dir, 0o755), (var, 0o755), (var / "schemy", 0o755),
                (self.systems_dir, 0o755), (self.profiles, 0o755), (self.run, 0o755), (var / "log", 0o755),
                (var / "log" / "schemy", 0o700)]

    def ensure(self) -> None:
        """Create the root's directories (fixed modes, whatever the umask) and check that each
        one is a real directory owned by this user: a link or a directory planted by someone
        else beforehand would let them redirect what schemy writes or deletes."""
        try:
            if not os.path.lexists(self.root.parent):
                os.makedirs(self.root.parent, 0o755, exist_ok=True)
            for d, mode in self._layout():
                try:
                    os.mkdir(d, 0o700)
                    os.chmod(d, mode)
                except FileExistsError:
                    check_own_directory(d)
                    if d.name == "log" and stat.S_IMODE(os.lstat(d).st_mode) == 0o700:
                        os.chmod(d, mode)  # a root made when /var/log was 0700
                check_own_directory(d)
        except OSError as e:
            raise scheme_error(f"cannot create the state root {self.root}: {e.strerror}", kind="system-error",
                               hint="choose a writable directory with --root DIR or $SCHEMY_ROOT") from None

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive lock for operations that change the root; a second one fails clearly."""
        self.ensure()
        path = self.root / "var" / "schemy" / "lock"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as e:
            raise scheme_error(f"cannot open the lock file {path}: {e.strerror}"
                               + (" (it is a symbolic link)" if os.path.islink(path) else ""),
                               kind="system-error", hint="remove it: schemy makes its own lock file") from None
        try:
            st = os.fstat(fd)
            if st.st_uid != os.geteuid() or not stat.S_ISREG(st.st_mode):
                raise scheme_error(f"refusing the lock file {path}: it is not a file of this user",
                                   kind="system-error", hint="remove it: schemy makes its own lock file")
            os.fchmod(fd, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = ""
                try:
                    holder = os.pread(fd, 64, 0).decode().strip()
                except OSError:
                    pass
                raise scheme_error(
                    f"another schemy command is changing {self.root}"
                    + (f" (process {holder})" if holder else ""),
                    kind="locked", hint="wait for it to finish, then try again") from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            yield
        finally:
            os.close(fd)

    # ------------------------------------------------------------ generations
    def generations(self) -> list[Generation]:
        out = []
        if not self.profiles.is_dir():
            return out
        for entry in self.profiles.iterdir():
            m = _LINK.match(entry.name)
            if m and entry.is_symlink():
                target = (self.profiles / os.readlink(entry)).resolve()
                out.append(Generation(int(m.group(1)), target, entry.lstat().st_mtime))
        return sorted(out, key=lambda g: g.number)

    def current_generation(self) -> Generation | None:
        if not self.current.is_symlink():
            return None
        target = (self.root / os.readlink(self.current)).resolve()
        matches = [g for g in self.generations() if g.system_dir == target]
        if matches:
            # Prefer the generation profiles/system names, if it is one of them.
            named = self._profile_number()
            for g in matches:
                if g.number == named:
                    return g
            return matches[-1]
        return None

    def _profile_number(self) -> int | None:
        link = self.profiles / "system"
        if link.is_symlink():
            m = _LINK.match(os.readlink(link))
            if m:
                return int(m.group(1))
        return None

    def generation(self, number: int) -> Generation:
        for g in self.generations():
            if g.number == number:
                return g
        raise scheme_error(f"generation {number} does not exist", kind="missing-generation",
                           hint="see `schemy system list-generations`")

    # ------------------------------------------------------------ preparing a system
    def prepare_system_dir(self, store_item: str, etc_entries: dict[str, str], accounts_files: dict[str, tuple],
                           metadata: dict) -> Path:
        """Create (or reuse) var/schemy/systems/<item>: the system link and its etc tree.
        On failure (e.g. a full disk) nothing is left behind."""
        import shutil  # where used: a warm build copies and deletes nothing

        tmp = self.systems_dir / f".tmp-{os.path.basename(store_item)}-{os.getpid()}"
        try:
            return self._prepare_system_dir(store_item, etc_entries, accounts_files, metadata)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def _prepare_system_dir(self, store_item: str, etc_entries: dict[str, str], accounts_files: dict[str, tuple],
                            metadata: dict) -> Path:
        name = os.path.basename(store_item)
        final = self.systems_dir / name
        tmp = self.systems_dir / f".tmp-{name}-{os.getpid()}"
        if os.path.lexists(tmp):
            _remove_tree(tmp)
        os.mkdir(tmp, 0o700)
        os.chmod(tmp, 0o755)
        os.symlink(store_item, tmp / "system")
        etc = tmp / "etc"
        os.mkdir(etc, 0o700)
        os.chmod(etc, 0o755)
        os.symlink(os.path.join(store_item, "etc"), etc / "static")
        # Every entry is created under directories opened without following links, and every
        # file with O_EXCL|O_NOFOLLOW: an entry cannot make a later one land outside etc/.
        for entry in sorted(etc_entries):
            target = etc / entry
            _check_inside(etc, target)
            parent, leaf = os.path.split(entry)
            dir_fd = open_dir_nofollow(etc, parent)
            try:
                os.symlink(etc_entries[entry], leaf, dir_fd=dir_fd)
            finally:
                os.close(dir_fd)
        dir_fd = open_dir_nofollow(etc, "", create=False)
        try:
            for fname, (content, mode) in accounts_files.items():
                write_new_file(fname, content.encode("utf-8"), mode, dir_fd=dir_fd)
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        write_new_file(str(tmp / "generation.json"), json.dumps(metadata, indent=1, sort_keys=True).encode(), 0o644)
        fsync_dir(tmp)
        if final.exists():
            # An older generation's directory: swap it atomically so that it is never missing.
            if _exchange(tmp, final):
                fsync_dir(self.systems_dir)
                _remove_tree(tmp)
                return final
            _remove_tree(final)
        os.rename(tmp, final)
        fsync_dir(self.systems_dir)
        return final

    # ------------------------------------------------------------ switching
    def add_generation(self, system_dir: Path) -> Generation:
        gens = self.generations()
        number = (gens[-1].number + 1) if gens else 1
        link = self.profiles / f"system-{number}-link"
        _atomic_symlink(os.path.relpath(system_dir, self.profiles), link)
        return Generation(number, system_dir, time.time())

    def switch_to(self, gen: Generation) -> None:
        """Make ``gen`` current: one atomic rename, then the derived links."""
        _atomic_symlink(os.path.relpath(gen.system_dir, self.root), self.current)
        self._ensure_etc_link()
        _atomic_symlink(f"system-{gen.number}-link", self.profiles / "system")

    def _ensure_etc_link(self) -> None:
        if self.etc.is_symlink() and os.readlink(self.etc) == "current-system/etc":
            return
        if self.etc.exists() and not self.etc.is_symlink():
            raise scheme_error(f"{self.etc} exists and is not schemy's link",
                               hint="schemy manages <root>/etc as a link to the current system's etc tree")
        _atomic_symlink("current-system/etc", self.etc)

    def current_is_broken(self) -> bool:
        """Generations exist but current-system is missing, points nowhere, or names a broken
        generation: what runs is unknown, so nothing may be deleted."""
        if not self.generations():
            return False
        gen = self.current_generation()
        return not self.current.exists() or gen is None or gen.broken

    def refuse_if_current_is_broken(self, action: str) -> None:
        if self.current_is_broken():
            raise scheme_error(f"cannot {action}: {self.current} is missing or points to no intact "
                               "generation, so what runs is unknown", kind="system-error",
                               hint="reconfigure, or switch to an intact generation "
                                    "(`schemy system switch-generation N`), first")

    def repair(self) -> None:
        """After a crash between the switch and its derived links, make them agree again;
        a missing or dangling current-system is pointed back at the generation
        profiles/system names, when that one is intact."""
        import shutil  # where used: a warm build copies and deletes nothing

        gen = self.current_generation()
        if gen is None or gen.broken:
            named = self._profile_number()
            candidates = [g for g in self.generations() if g.number == named and not g.broken]
            if not candidates:
                return
            gen = candidates[0]
            _atomic_symlink(os.path.relpath(gen.system_dir, self.root), self.current)
        if self._profile_number() != gen.number:
            _atomic_symlink(f"system-{gen.number}-link", self.profiles / "system")
        if self.current.exists():
            self._ensure_etc_link()
        for tmp in self.systems_dir.glob(".tmp-*") if self.systems_dir.is_dir() else []:
            shutil.rmtree(tmp, ignore_errors=True)

    def delete_generation(self, gen: Generation) -> None:
        self.refuse_if_current_is_broken(f"delete generation {gen.number}")
        current = self.current_generation()
        if current is not None and current.number == gen.number:
            raise scheme_error(f"cannot delete generation {gen.number}: it is the current one")
        (self.profiles / f"system-{gen.number}-link").unlink()

    # ------------------------------------------------------------ hooks (host mode overrides them)
    def has_view(self) -> bool:
        """Whether activation and services run in this root's own view (host mode: never)."""
        from schemy.system.views import uses_view

        return uses_view(self.root)

    def activation_root(self) -> Path | None:
        """The root activation's ``root-file-name`` maps host files into (None: the host's own)."""
        return self.root

    def before_switch(self, built: Any, say: Any) -> None:
        """Called after a build, before its system becomes a generation (host mode: confirm)."""

    def unswitch(self) -> None:
        """Undo the first switch of a root: no system is current any more."""
        for link in (self.current, self.profiles / "system", self.etc):
            if link.is_symlink():
                link.unlink()

    def start_service_manager(self, network: str | None = None) -> Any:
        """The client of this root's service manager, started if it is not running (in the
        root's view with ``network`` unless that is None)."""
        from schemy.shepherd import herd

        return herd.ensure_daemon(self.root, network=network)

    def live_system_dirs(self) -> set[Path]:
        dirs = {g.system_dir for g in self.generations()}
        if self.current.exists():
            dirs.add(self.current.resolve())
        return dirs


def _atomic_symlink(target: str, link: Path) -> None:
    """Point ``link`` at ``target`` in one rename, durable once this returns."""
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.rename(tmp, link)
    fsync_dir(link.parent)


def _remove_tree(path: Path) -> None:
    """Delete a directory tree of schemy's (a link is removed, never followed)."""
    import shutil  # where used: a warm build copies and deletes nothing

    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
    else:
        shutil.rmtree(path)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def check_own_directory(path: Path) -> None:
    """Refuse a state directory that is a link, not a directory, owned by another user, or
    writable by others."""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        raise scheme_error(f"refusing to use {path}: it is a symbolic link", kind="system-error",
                           hint="schemy creates the directories of its state root itself; remove the link")
    if not stat.S_ISDIR(st.st_mode):
        raise scheme_error(f"refusing to use {path}: it is not a directory", kind="system-error")
    if st.st_uid != os.geteuid():
        raise scheme_error(f"refusing to use {path}: it is owned by another user (uid {st.st_uid})",
                           kind="system-error", hint="use a state root that belongs to you (--root DIR)")
    if st.st_mode & 0o002:
        raise scheme_error(f"refusing to use {path}: every user may write to it", kind="system-error",
                           hint=f"chmod o-w {path}")


def _check_inside(base: Path, target: Path) -> None:
    if not os.path.normpath(target).startswith(os.path.normpath(base) + os.sep):
        raise scheme_error(f"refusing to write {target}: outside of {base}", kind="store-error")


# ---------------------------------------------------------------- accounts database


_ACCOUNT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*\$?$")


def _bad_char(value: str, extra: str = "") -> str | None:
    """The first character of ``value`` that would break a line of passwd/shadow/group."""
    for c in value:
        if c in ":\n\r" + extra or ord(c) < 32 or c == "\x7f":
            return c
    return None


def validate_accounts(accounts: dict) -> None:
    """Refuse any account field that could add or change a line of /etc/passwd, /etc/shadow or
    /etc/group (a ':' or a newline in a comment would let a config forge a uid-0 user)."""
    def fail(what: str, name: str, field: str, value: str, why: str) -> None:
        raise scheme_error(f"{what} {name!r}: invalid {field} {value[:80]!r}: {why}", kind="wrong-type-arg",
                           hint="account fields become lines of /etc/passwd, /etc/shadow and /etc/group: "
                                "no ':', newline or control character")

    def name_ok(what: str, owner: str, field: str, value: Any) -> None:
        if not isinstance(value, str) or not _ACCOUNT_NAME.match(value) or len(value) > 64:
            fail(what, owner, field, str(value), "not a valid user or group name")

    for u in accounts.get("users", []):
        name = u.get("name")
        name_ok("user account", str(name), "name", name)
        name_ok("user account", name, "group", u.get("group"))
        for g in u.get("supplementary-groups", []):
            name_ok("user account", name, "supplementary group", g)
        for field in ("comment", "home", "shell"):
            value = u.get(field) or ""
            c = _bad_char(value)
            if c is not None:
                fail("user account", name, field, value, f"it contains {c!r}")
        password = u.get("password")
        if password is not None and _bad_char(password, " ") is not None:
            fail("user account", name, "password", "...", "a password hash has no ':', space or newline")
    for g in accounts.get("groups", []):
        name = g.get("name")
        name_ok("group", str(name), "name", name)
        password = g.get("password")
        if password is not None and _bad_char(password, " ") is not None:
            fail("group", name, "password", "...", "a password hash has no ':', space or newline")


def accounts_database(accounts: dict, ids_file: Path, persist: bool = True) -> dict[str, tuple[str, int]]:
    """passwd, group and shadow contents, with ids kept stable across generations."""
    try:
        fd = os.open(ids_file, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as fh:
            if os.fstat(fh.fileno()).st_uid != os.geteuid():
                raise scheme_error(f"refusing {ids_file}: it is owned by another user", kind="system-error",
                                   hint="remove it: schemy records the account ids itself")
            known = json.loads(fh.read())
        if not (isinstance(known, dict) and isinstance(known.get("users"), dict)
                and isinstance(known.get("groups"), dict)):
            known = {"users": {}, "groups": {}}
    except (OSError, ValueError):
        known = {"users": {}, "groups": {}}
    validate_accounts(accounts)
    users = [{"name": "root", "group": "root", "supplementary-groups": [], "comment": "System administrator",
              "home": "/root", "shell": "/bin/sh", "uid": 0, "password": None, "system": True}]
    users += [u for u in accounts.get("users", []) if u["name"] != "root"]
    groups = [{"name": "root", "id": 0, "system": True, "password": None}]
    groups += [g for g in accounts.get("groups", []) if g["name"] != "root"]

    def allocate(table: dict, name: str, wanted: int | None, system: bool, taken: set[int]) -> int:
        if wanted is not None:
            table[name] = wanted
            return wanted
        if name in table and table[name] not in taken:
            return table[name]
        n = 999 if system else 1000
        while n in taken or n in table.values():
            n = n - 1 if system else n + 1
        table[name] = n
        return n

    gids: dict[str, int] = {}
    taken: set[int] = {g["id"] for g in groups if g["id"] is not None}
    for g in groups:
        gids[g["name"]] = allocate(known["groups"], g["name"], g["id"], g["system"], taken - {g["id"]})
        taken.add(gids[g["name"]])
    missing_groups = {u["group"] for u in users} - set(gids)
    if missing_groups:
        raise scheme_error(f"user account group does not exist: {sorted(missing_groups)[0]}",
                           hint="add a user-group with that name to the operating-system's groups")
    uids: dict[str, int] = {}
    utaken: set[int] = {u["uid"] for u in users if u["uid"] is not None}
    for u in users:
        uids[u["name"]] = allocate(known["users"], u["name"], u["uid"], u["system"], utaken - {u["uid"]})
        utaken.add(uids[u["name"]])
    members: dict[str, list[str]] = {g["name"]: [] for g in groups}
    for u in users:
        for sg in u.get("supplementary-groups", []):
            if sg not in members:
                raise scheme_error(f"supplementary group '{sg}' of user '{u['name']}' is not declared",
                                   hint="declare it in the operating-system's groups")
            members[sg].append(u["name"])
    passwd = "".join(f"{u['name']}:x:{uids[u['name']]}:{gids[u['group']]}:{u.get('comment', '')}:"
                     f"{u['home']}:{u['shell']}\n" for u in users)
    group = "".join(f"{g['name']}:x:{gids[g['name']]}:{','.join(members[g['name']])}\n" for g in groups)
    shadow = "".join(f"{u['name']}:{u['password'] or '!'}:0:0:99999:7:::\n" for u in users)
    if persist:
        tmp = ids_file.with_suffix(".tmp")
        if os.path.lexists(tmp):
            os.unlink(tmp)
        write_new_file(str(tmp), json.dumps(known, indent=1, sort_keys=True).encode(), 0o600)
        os.rename(tmp, ids_file)
        fsync_dir(ids_file.parent)
    return {"passwd": (passwd, 0o644), "group": (group, 0o644), "shadow": (shadow, 0o600)}

"""Building a Guix Home environment: home-environment -> folded home services -> the
home generation directory, and putting a generation in place in a home directory.

The generation is a store item, like Guix's ``/gnu/store/...-home``: ``profile``,
``files`` (what the home directory links to: ``.bashrc``, ``.config/...``),
``setup-environment``, ``activate``, ``on-first-login``.  ``install_home`` does what
Guix's symlink manager does on activation, in a directory that stands for $HOME (never
the user's real one unless asked): each file of ``files`` is linked from it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemy.guix.store import Store
from schemy.lang.datum import Symbol, Values, list_to_python, make_list
from schemy.lang.errors import SchemeError, scheme_error
from schemy.system import progress
from schemy.system.build import ShepherdInfo, mcron_jobs_text, render_shepherd_config, render_shepherd_service

# Services of a home that the host provides: none (a home manages no part of the host).
HOME_PROVIDED: set[str] = set()


@dataclass
class BuiltHome:
    """A built home generation: its store item, the files of the home directory, and the
    user's services as schemy's service manager loads them."""

    path: str
    files: dict[str, str]  # name relative to $HOME -> store file it links to
    shepherd: list[ShepherdInfo] = field(default_factory=list)
    manager_file: str | None = None  # the services and mcron jobs, for the home's manager
    config_path: str | None = None

    @property
    def shepherd_services(self) -> list[str]:
        """The canonical names of the home's shepherd services."""
        return [i.provision[0] for i in self.shepherd if i.provision]


def _module(interp: Any, *name: str) -> Any:
    return interp.resolve_module(make_list([Symbol(n) for n in name]))


def fold_home_environment(interp: Any, he: Any) -> tuple[list, Any, Any]:
    """The instantiated home services, the folded root service, and a procedure giving each
    service's folded value."""
    home = _module(interp, "gnu", "home")
    services_mod = _module(interp, "gnu", "services")
    home_services = _module(interp, "gnu", "home", "services")
    services = home.value("home-environment-services")(he)
    from schemy.lang.datum import Keyword

    result = services_mod.value("fold-services*")(services, Keyword("target-type"),
                                                 home_services.value("home-service-type"))
    if not isinstance(result, Values) or len(result) != 3:
        raise scheme_error("fold-services* did not return three values")
    root, value_of, all_services = result
    return list_to_python(all_services), root, value_of


def _scheduler_service(info: ShepherdInfo, jobs_text: str) -> ShepherdInfo:
    """home-mcron's service, whose jobs the home's manager schedules itself (as a system's):
    a service without a process of its own, started while the jobs are scheduled, changed
    when they change (``herd schedule mcron`` lists them)."""
    import hashlib

    fingerprint = hashlib.sha256(jobs_text.encode()).hexdigest()[:16]
    doc = info.documentation or "The home's mcron jobs, run by its service manager's scheduler."
    text = (f"(service '({' '.join(info.provision)})\n  #:requirement '()\n"
            "  #:start (lambda args #t)\n  #:stop (lambda args #f)\n  #:respawn? #f\n"
            f"  #:documentation {_scheme_string(doc)}\n  #:fingerprint \"{fingerprint}\")")
    return ShepherdInfo(info.provision, [], text, fingerprint, info.auto_start, False, False, doc, info.location)


def _scheme_string(text: str) -> str:
    from schemy.lang.printer import write_string

    return write_string(text)


def _files_of(generation: Path) -> dict[str, str]:
    """Each file of the generation's ``files`` directory, by its name relative to $HOME: a
    directory (a recursive local-file, say) counts by its files, which are linked one by one
    as Guix's symlink manager does, so that other files may go next to them."""
    files: dict[str, str] = {}
    top = generation / "files"

    def walk(d: Path, prefix: str) -> None:
        for child in sorted(d.iterdir()):
            rel = prefix + child.name
            if child.is_dir():  # following links: a linked directory is walked too
                walk(child, rel + "/")
            else:
                files[rel] = str(child)

    if top.is_dir():
        walk(top, "")
    return files


def build_home(interp: Any, config_path: str, store: Store) -> BuiltHome:
    """Evaluate ``config_path`` (a file ending with a home-environment) and realize it."""
    from schemy.guix.gexp import CURRENT_STORE, lower_object
    from schemy.runtime.parameters import parameterized
    from schemy.runtime.records import record_ref
    from schemy.system.config import load_home_environment

    progress.report(f"evaluating {config_path}")
    he = load_home_environment(interp, config_path)
    with parameterized([(CURRENT_STORE, store)]):
        progress.report("folding home services")
        all_services, root, value_of = fold_home_environment(interp, he)
        progress.report(f"building the home generation of {len(all_services)} services")
        item = lower_object(record_ref(root, Symbol("value")), store)
        shepherd: list[ShepherdInfo] = []
        jobs_text = mcron_jobs_text(None, store)
        for s in all_services:
            kind = record_ref(record_ref(s, Symbol("type")), Symbol("name"))
            if kind is Symbol("home-shepherd"):
                progress.report("building the home's shepherd services")
                for svc in list_to_python(record_ref(value_of(s), Symbol("services"))):
                    shepherd.append(render_shepherd_service(svc, store, HOME_PROVIDED))
            elif kind is Symbol("home-mcron"):
                jobs_text = mcron_jobs_text(value_of(s), store)
        shepherd = [_scheduler_service(i, jobs_text) if "mcron" in i.provision else i for i in shepherd]
        manager_file = store.add_text("home-manager.scm", render_shepherd_config(shepherd) + jobs_text)
    return BuiltHome(item, _files_of(Path(store.local(item))), shepherd, manager_file,
                     os.path.abspath(config_path))


def install_home(built: BuiltHome, store: Store, home_dir: Path, previous: str | None = None) -> list[str]:
    """Link the generation's files from HOME_DIR (what the symlink manager does on
    activation) and point HOME_DIR/.guix-home at the generation.  A file already in the way
    that is not such a link is moved to HOME_DIR/.guix-home-backup/.  The links of the
    ``previous`` generation (a store item) that the new one lacks are removed, with the
    directories that become empty.  Returns the names linked."""
    home_dir.mkdir(parents=True, exist_ok=True)
    backup = home_dir / ".guix-home-backup"
    generation = Path(store.local(built.path))
    if previous is not None and os.path.isdir(store.local(previous)) and previous != built.path:
        _remove_old_links(Path(store.local(previous)), set(built.files), home_dir)
    linked = []
    for rel in sorted(built.files):
        target = home_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()
        elif target.exists():
            saved = backup / rel
            saved.parent.mkdir(parents=True, exist_ok=True)
            target.rename(saved)
        os.symlink(generation / "files" / rel, target)
        linked.append(rel)
    pointer = home_dir / ".guix-home"
    if pointer.is_symlink():
        pointer.unlink()
    os.symlink(generation, pointer)
    return linked


def _remove_old_links(previous: Path, keep: set[str], home_dir: Path) -> None:
    """Remove the links into ``previous``'s files that the new generation does not have
    (never a file of the user's, nor a link pointing elsewhere)."""
    for rel in _files_of(previous):
        if rel in keep:
            continue
        target = home_dir / rel
        if target.is_symlink() and os.readlink(target) == str(previous / "files" / rel):
            target.unlink()
            parent = target.parent
            while parent != home_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent


# ---------------------------------------------------------------- generations and services


@dataclass
class HomeGeneration:
    """One home generation: ``profiles/home-N-link`` -> its store item, and what the switch
    recorded next to it (``home-N.json``: configuration file, home directory, services)."""

    number: int
    item: str | None
    created: float
    metadata: dict

    @property
    def broken(self) -> bool:
        return self.item is None or not os.path.isdir(self.item)


class HomeState:
    """The home's state under a state root (``ROOT/home-state``, private to the user): its
    generations (``profiles/``), and the root of the home's own service manager (its socket
    ``run/schemy/manager.sock``, its logs ``var/log/schemy``).  The store is the root's."""

    def __init__(self, root: Any) -> None:
        self.root = root  # the StateRoot
        self.dir = Path(root.root) / "home-state"
        self.profiles = self.dir / "profiles"

    def ensure(self) -> None:
        from schemy.system.generations import check_own_directory

        for d in (self.dir, self.profiles):
            try:
                os.mkdir(d, 0o700)
            except FileExistsError:
                pass
            check_own_directory(d)
        os.chmod(self.dir, 0o700)

    def _meta_path(self, number: int) -> Path:
        return self.profiles / f"home-{number}.json"

    def generations(self) -> list[HomeGeneration]:
        import json
        import re

        out = []
        if not self.profiles.is_dir():
            return out
        for entry in self.profiles.iterdir():
            m = re.match(r"^home-(\d+)-link$", entry.name)
            if m and entry.is_symlink():
                n = int(m.group(1))
                try:
                    meta = json.loads(self._meta_path(n).read_text())
                except (OSError, ValueError):
                    meta = {}
                out.append(HomeGeneration(n, os.readlink(entry), entry.lstat().st_mtime, meta))
        return sorted(out, key=lambda g: g.number)

    def current(self) -> HomeGeneration | None:
        link = self.profiles / "home"
        if not link.is_symlink():
            return None
        name = os.readlink(link)
        return next((g for g in self.generations() if f"home-{g.number}-link" == name), None)

    def add(self, built: BuiltHome, home_dir: Path) -> HomeGeneration:
        import json
        import time

        from schemy.guix.store import write_new_file
        from schemy.system.generations import _atomic_symlink

        gens = self.generations()
        number = gens[-1].number + 1 if gens else 1
        meta = {"config": built.config_path, "home": str(home_dir), "manager": built.manager_file,
                "built": time.time(), "shepherd": [i.to_json() for i in built.shepherd]}
        self._meta_path(number).unlink(missing_ok=True)
        write_new_file(str(self._meta_path(number)), json.dumps(meta, indent=1, sort_keys=True).encode(), 0o600)
        _atomic_symlink(built.path, self.profiles / f"home-{number}-link")
        return HomeGeneration(number, built.path, time.time(), meta)

    def switch_to(self, gen: HomeGeneration) -> None:
        from schemy.system.generations import _atomic_symlink

        _atomic_symlink(f"home-{gen.number}-link", self.profiles / "home")

    def environment(self, home_dir: Path) -> dict[str, str]:
        """What the home's manager and its services get, as a user's Shepherd inherits them from
        the login session: HOME (the directory the files were linked into), the user's names,
        a PATH with the home profile's programs first, and a runtime directory of the home's
        own (never the host's /run/user)."""
        import pwd

        from schemy.shepherd.forkexec import DEFAULT_ENVIRONMENT

        env = {"HOME": str(home_dir),
               "PATH": f"{home_dir}/.guix-home/profile/bin:{DEFAULT_ENVIRONMENT['PATH']}",
               "XDG_RUNTIME_DIR": str(self.runtime_dir())}
        try:
            user = pwd.getpwuid(os.getuid()).pw_name
            env.update(USER=user, LOGNAME=user)
        except KeyError:
            pass
        return env

    def runtime_dir(self) -> Path:
        """The home's XDG_RUNTIME_DIR: ``home-state/run/user``, the user's alone."""
        d = self.dir / "run" / "user"
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(d, 0o700)
        return d

    def activate(self, item: str, previous: str | None, home_dir: Path) -> None:
        """Run the generation's ``activate`` program, as ``guix home reconfigure`` does: the
        activation gexps of the home services (the XDG base directories, ~/.gnupg, files run on
        change...), with HOME set to ``home_dir`` and GUIX_NEW_HOME/GUIX_OLD_HOME.  It is told
        that it is not to launch a Shepherd of its own (schemy's manager runs the services)."""
        import subprocess

        program = Path(item) / "activate"
        if not program.exists():
            return
        env = self.environment(home_dir)
        env.update(GUIX_NEW_HOME=item, GUIX_SYSTEM_IS_RUNNING_HOME_ACTIVATE="1")
        if previous:
            env["GUIX_OLD_HOME"] = previous
        progress.report("activating the home generation")
        try:
            out = subprocess.run([str(program)], env=env, cwd=str(home_dir), stdin=subprocess.DEVNULL,
                                 capture_output=True, text=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise scheme_error(f"the home's activation could not run: {e}") from None
        if out.returncode != 0:
            tail = (out.stderr or out.stdout).strip().splitlines()[-5:]
            raise scheme_error("the home's activation failed: " + (" | ".join(tail) or f"exit {out.returncode}"))

    def client(self) -> Any:
        from schemy.shepherd import herd

        return herd.Client(self.dir)

    def start_service_manager(self, network: str | None = None, home_dir: Path | None = None) -> Any:
        """The client of the home's manager, started with ``home_dir``'s environment if none
        runs; one running for another home directory is stopped first (its services saw
        another HOME)."""
        from schemy.shepherd import herd

        gen = self.current()
        home = home_dir or Path(gen.metadata.get("home") if gen and gen.metadata.get("home")
                                else Path(self.root.root) / "home")
        env = self.environment(home)
        client = self.client()
        try:
            running = client.request("ping")
        except (herd.HerdError, OSError):
            running = None
        if running is not None and not running.get("closing") \
                and (running.get("setenv") or {}).get("HOME") != env["HOME"]:
            client.stop_root()
        return herd.ensure_daemon(self.dir, setenv=env)


def describe_changes(old: list[dict], new: list[ShepherdInfo]) -> list[str]:
    """``+ service x`` / ``- service y`` / ``~ service z (...)`` between two generations."""
    before = {s["provision"][0]: s for s in old if s.get("provision")}
    after = {i.provision[0]: i for i in new if i.provision}
    lines = [f"  + service {n}" for n in sorted(set(after) - set(before))]
    lines += [f"  - service {n}" for n in sorted(set(before) - set(after))]
    lines += [f"  ~ service {n} (definition changed: will be restarted)" for n in sorted(set(before) & set(after))
              if before[n].get("fingerprint") != after[n].fingerprint]
    return lines


def reconfigure_home(interp: Any, config: str, root: Any, home_dir: Path | None = None,
                     say: Any = print, start_services: bool = True) -> Any:
    """``guix home reconfigure``: build CONFIG's home, make it the current home generation,
    link its files from HOME_DIR (default ROOT/home) and upgrade the home's services under
    its own service manager, run as the invoking user with HOME set to HOME_DIR.

    A failed build changes nothing: the previous generation stays current, its files linked
    and its services running.  The outcome's code is 3 when a service failed to start."""
    from schemy.system.reconfigure import EXIT_OK, Outcome, upgrade_services

    root.ensure()
    store = Store(root.store_dir)
    with root.lock():
        say(f"building the home environment from {config}...")
        built = build_home(interp, config, store)
        state = HomeState(root)
        state.ensure()
        home = (home_dir or Path(root.root) / "home").absolute()
        current = state.current()
        if current is not None and current.broken:
            current = None
        say(f"home: {built.path}")
        changes = describe_changes(current.metadata.get("shepherd", []) if current else [], built.shepherd)
        if current is None:
            say(f"new home: {len(built.files)} files, {len(built.shepherd)} services")
        elif changes:
            say("changes:")
            for line in changes:
                say(line)
        same = (current is not None and current.item == built.path
                and current.metadata.get("home") == str(home)
                and current.metadata.get("manager") == built.manager_file)
        if same:
            gen = current
            say(f"generation {gen.number} is already this home")
        else:
            gen = state.add(built, home)
            state.switch_to(gen)
            say(f"switched to home generation {gen.number}")
        previous = current.item if current is not None else None
        install_home(built, store, home, previous if previous != built.path else None)
        try:
            state.activate(store.local(built.path), store.local(previous) if previous else None, home)
        except SchemeError as e:
            if same:
                raise scheme_error(e.message(), hint=f"generation {gen.number} stays current; its services "
                                                     "were left as they are") from e
            _undo_switch(state, store, gen, current, built)
            back = f"generation {current.number}" if current else "no home generation"
            raise scheme_error(e.message(), hint=f"the switch was undone: the current home is still {back}") from e
        if not start_services:
            return Outcome(EXIT_OK, gen.number, changes)
        try:
            code = upgrade_services(_Manager(state, home), built.manager_file, say)
        except SchemeError as e:
            if same:
                raise
            # The home's manager refused the new services: it keeps the previous ones, so the
            # previous generation stays the current one too.
            _undo_switch(state, store, gen, current, built)
            back = f"generation {current.number}" if current else "no home generation"
            raise scheme_error(e.message(), hint=f"the switch was undone: the current home is still {back}, "
                                                 "its services untouched") from e
        return Outcome(code, gen.number, changes)


def _undo_switch(state: HomeState, store: Store, gen: HomeGeneration, previous: HomeGeneration | None,
                 built: BuiltHome) -> None:
    """After a failed activation: the previous generation current again, its files linked back."""
    home = Path(gen.metadata["home"])
    if previous is not None:
        state.switch_to(previous)
        old = BuiltHome(previous.item, _files_of(Path(store.local(previous.item))))
        previous_home = Path(previous.metadata.get("home") or home)
        if previous_home != home:
            _remove_old_links(Path(store.local(built.path)), set(), home)
        install_home(old, store, previous_home, built.path)
    else:
        (state.profiles / "home").unlink(missing_ok=True)
        _remove_old_links(Path(store.local(built.path)), set(), home)
        pointer = home / ".guix-home"
        if pointer.is_symlink():
            pointer.unlink()
    (state.profiles / f"home-{gen.number}-link").unlink(missing_ok=True)
    state._meta_path(gen.number).unlink(missing_ok=True)


class _Manager:
    """What ``upgrade_services`` asks of a root, for the home's manager."""

    def __init__(self, state: HomeState, home: Path | None) -> None:
        self.state, self.home = state, home

    def start_service_manager(self, network: str | None = None) -> Any:
        return self.state.start_service_manager(network, self.home)


def switch_home_generation(root: Any, number: int | None, say: Any = print) -> tuple[HomeGeneration, int]:
    """Make generation NUMBER (None: the one before the current) current again: its files are
    linked back and, when the home's manager runs, its services upgraded to that generation's."""
    from schemy.system.reconfigure import EXIT_OK, upgrade_services

    store = Store(root.store_dir)
    with root.lock():
        state = HomeState(root)
        current = state.current()
        gens = state.generations()
        if number is None:
            if current is None:
                raise scheme_error("no current home generation to roll back from",
                                   hint="run `schemy home reconfigure FILE` first")
            older = [g for g in gens if g.number < current.number]
            if not older:
                raise scheme_error(f"home generation {current.number} is the oldest: nothing to roll back to")
            target = older[-1]
        else:
            matches = [g for g in gens if g.number == number]
            if not matches:
                raise scheme_error(f"home generation {number} does not exist", kind="missing-generation",
                                   hint="see `schemy home list-generations`")
            target = matches[0]
        if target.broken:
            raise scheme_error(f"home generation {target.number} is broken: its store item is missing",
                               kind="missing-generation", hint="reconfigure instead")
        home = Path(target.metadata.get("home") or Path(root.root) / "home")
        built = BuiltHome(target.item, _files_of(Path(store.local(target.item))), [], target.metadata.get("manager"))
        state.switch_to(target)
        install_home(built, store, home, current.item if current is not None else None)
        state.activate(store.local(target.item), store.local(current.item) if current is not None else None, home)
        code = EXIT_OK
        if state.client().alive() and built.manager_file and os.path.exists(built.manager_file):
            code = upgrade_services(_Manager(state, home), built.manager_file, say)
        return target, code

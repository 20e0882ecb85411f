"""Reconfigure: build, show what changes, switch atomically, activate, upgrade services.

A build or activation error switches nothing (the previous system stays
current and complete); a service that fails to start leaves the new
generation current, is listed with its reason, and makes the exit code 3.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from schemy.guix.store import Store
from schemy.lang.errors import SchemeError, scheme_error
from schemy.system import progress
from schemy.system.build import BuiltSystem, build_system, public_accounts
from schemy.system.generations import Generation, StateRoot, accounts_database
from schemy.system.plain import Factory, PlainRecord
from schemy.system.views import run_in_view

EXIT_OK, EXIT_USER_ERROR, EXIT_SERVICES_FAILED = 0, 1, 3


# ---------------------------------------------------------------- what a system contains


class SystemView(PlainRecord):
    """The parts of a built system that summaries and diffs compare."""

    path: str | None
    etc: dict[str, str] = Factory(dict)
    accounts: dict = Factory(lambda: {"users": [], "groups": []})
    shepherd: dict[str, dict] = Factory(dict)
    services: list[dict] = Factory(list)

    @classmethod
    def of_item(cls, item: str | None) -> SystemView:
        if item is None or not os.path.isdir(item):
            return cls(None)
        etc_dir = Path(item) / "etc"
        etc = {}
        if etc_dir.is_dir():
            for dirpath, dirs, files in os.walk(etc_dir, followlinks=False):
                # Links to directories (e.g. /etc/skel) are entries too; etc/static is not.
                linked = [d for d in dirs if (Path(dirpath) / d).is_symlink()
                          and not (dirpath == str(etc_dir) and d == "static")]
                for f in files + linked:
                    p = Path(dirpath) / f
                    etc[str(p.relative_to(etc_dir))] = os.readlink(p) if p.is_symlink() else str(p)
        accounts = _read_json(Path(item) / "accounts.json", {"users": [], "groups": []})
        services = _read_json(Path(item) / "services.json", {"shepherd": []})
        shepherd = {s["provision"][0]: s for s in services.get("shepherd", []) if s.get("provision")}
        return cls(item, etc, accounts, shepherd, services.get("services", []))

    @classmethod
    def of_build(cls, built: BuiltSystem) -> SystemView:
        return cls(built.path, dict(built.etc), public_accounts(built.accounts),
                   {i.provision[0]: i.to_json() for i in built.shepherd if i.provision}, built.services)


def _read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return default


def diff_systems(old: SystemView, new: SystemView, unified: bool = False) -> list[str]:
    """Human-readable lines describing how ``new`` differs from ``old``."""
    lines: list[str] = []
    for name in sorted(set(old.etc) | set(new.etc)):
        a, b = old.etc.get(name), new.etc.get(name)
        if a == b:
            continue
        if a is None:
            lines.append(f"  + /etc/{name}")
        elif b is None:
            lines.append(f"  - /etc/{name}")
        else:
            lines.append(f"  ~ /etc/{name}")
            if unified:
                lines += ["    " + d for d in _text_diff(a, b, name)]
    for kind, key in (("users", "user"), ("groups", "group")):
        before = {x["name"]: x for x in old.accounts.get(kind, [])}
        after = {x["name"]: x for x in new.accounts.get(kind, [])}
        for n in sorted(set(after) - set(before)):
            lines.append(f"  + {key} {n}")
        for n in sorted(set(before) - set(after)):
            lines.append(f"  - {key} {n}")
        for n in sorted(set(before) & set(after)):
            if before[n] != after[n]:
                lines.append(f"  ~ {key} {n}")
    for n in sorted(set(new.shepherd) - set(old.shepherd)):
        lines.append(f"  + service {n}")
    for n in sorted(set(old.shepherd) - set(new.shepherd)):
        lines.append(f"  - service {n}")
    for n in sorted(set(old.shepherd) & set(new.shepherd)):
        if old.shepherd[n].get("fingerprint") != new.shepherd[n].get("fingerprint"):
            lines.append(f"  ~ service {n} (definition changed: will be restarted)")
    lines += configuration_changes(old.services, new.services)
    return lines


MAX_FIELDS_SHOWN = 4


def configuration_changes(old: list[dict], new: list[dict]) -> list[str]:
    """``~ libvirt: max-clients 5000 → 42`` for each service whose configuration fields changed
    (services matched by type, in order, so two services of one type pair up as written)."""

    def by_type(services: list[dict]) -> dict[tuple[str, int], dict]:
        seen: dict[str, int] = {}
        out = {}
        for s in services:
            n = seen.get(s["type"], 0)
            seen[s["type"]] = n + 1
            out[(s["type"], n)] = s.get("fields") or {}
        return out

    before, after = by_type(old), by_type(new)
    lines = []
    for key in sorted(set(before) & set(after)):
        a, b = before[key], after[key]
        changed = [f"{f} {a.get(f, '(none)')} → {b.get(f, '(none)')}"
                   for f in list(a) + [f for f in b if f not in a] if a.get(f) != b.get(f)]
        if changed:
            more = len(changed) - MAX_FIELDS_SHOWN
            shown = ", ".join(changed[:MAX_FIELDS_SHOWN]) + (f", and {more} more" if more > 0 else "")
            lines.append(f"  ~ {key[0]}: {shown}")
    return lines


def _text_diff(a: str, b: str, name: str) -> list[str]:
    import difflib  # only diffs need it

    try:
        ta = Path(a).read_text(errors="replace").splitlines()
        tb = Path(b).read_text(errors="replace").splitlines()
    except OSError:
        return []
    return list(difflib.unified_diff(ta, tb, f"a/etc/{name}", f"b/etc/{name}", lineterm=""))[:200]


# ---------------------------------------------------------------- activation


def run_activation(interp: Any, script: str, root: Path | None = None, view: bool = False) -> None:
    """Evaluate the activation script with schemy's interpreter, in a fresh module.

    With ``view`` (and a root), it runs in the root's view, as the root's services do
    (``schemy.shepherd.namespace``): ``/var/run/libvirt`` is then ``ROOT/run/libvirt`` and
    ``/etc`` the generation's.  Root gives the evaluating thread a transient view; another
    user's activation runs in a forked child that makes one through a user namespace.

    The module binds ``root-file-name``: in prefix mode (a ``root``), the activation gexps
    name the host files they create through it (``/etc/ssh``, ``/etc/childhurd``...), so
    that those land under ``ROOT/var/schemy/state`` (kept across generations, unlike
    ``ROOT/etc``), never in the host's /etc.  In a view, the paths the view gives the root
    its own directory for (``/var/spool/cups``, ``/var/log/cups``...) stay as they are: the
    daemons read them there.
    """
    from schemy.lang.datum import Symbol

    module = interp.make_module(("schemy-activation", str(time.time())))
    module.define(Symbol("root-file-name"), root_file_name(root, view))
    if root is not None:
        (Path(root) / "var" / "schemy" / "state").mkdir(mode=0o700, parents=True, exist_ok=True)

    def load() -> None:
        # Activation creates directories and files with the usual system umask, whatever the
        # caller's (a umask of 0 would make them writable by everyone).
        old = os.umask(0o022)
        try:
            interp.load_file(script, module)
        finally:
            os.umask(old)

    if root is None or not view:
        load()
    else:
        run_in_view(root, load, getattr(interp, "load_path", ()))


def root_file_name(root: Path | None, view: bool = False) -> Callable[[Any], str]:
    """``(root-file-name "/etc/ssh")``: where activation puts that host file (itself without a
    root, and in a view for the directories the view makes the root's own)."""
    from schemy.lang.datum import to_str
    from schemy.shepherd.namespace import covered_in_view

    state = None if root is None else (Path(root) / "var" / "schemy" / "state").resolve()
    inside = None if root is None else Path(root).resolve()

    def root_file_name(name: Any) -> str:
        text = to_str(name) if not isinstance(name, str) else name
        if not isinstance(text, str):
            raise scheme_error("root-file-name: not a string", name, kind="wrong-type-arg")
        if state is None or not text.startswith("/") or Path(text).is_relative_to(inside):
            return text
        if view and covered_in_view(text):
            return text
        return str(state) + os.path.normpath(text).rstrip("/")

    return root_file_name


# ---------------------------------------------------------------- reconfigure


class Outcome(PlainRecord):
    code: int
    generation: int | None
    lines: list[str]


def _crash_point(step: str) -> None:
    """Test hook: ``SCHEMY_TEST_CRASH_AT=STEP`` kills the process at that step (crash tests)."""
    if os.environ.get("SCHEMY_TEST_CRASH_AT") == step:
        os._exit(137)


def build_only(interp: Any, config: str, root: StateRoot) -> BuiltSystem:
    """Build under the root's lock, so that a concurrent gc cannot delete items of the
    system being built before the build returns."""
    root.ensure()
    with root.lock():
        return build_system(interp, config, Store(root.store_dir))


def _summarize(built: BuiltSystem, current: Generation | None, say: Callable[[str], None],
               dry_run: bool) -> list[str]:
    old = SystemView.of_item(current.store_item if current else None)
    new = SystemView.of_build(built) if built.shepherd or not os.path.isdir(built.path) \
        else SystemView.of_item(built.path)
    changes = diff_systems(old, new)
    say(f"system: {built.path}")
    if old.path is None:
        n_users = len(new.accounts.get("users", []))
        n_groups = len(new.accounts.get("groups", []))
        say(f"new system: {len(new.etc)} files in /etc, {n_users} users, {n_groups} groups, "
            f"{len(new.shepherd)} services")
    elif changes:
        say("changes:" if not dry_run else "would change:")
        for line in changes:
            say(line)
    else:
        say("no changes to files, accounts or services")
    return changes


def dry_run_reconfigure(interp: Any, config: str, root: StateRoot,
                        say: Callable[[str], None] = print) -> Outcome:
    """What a reconfigure would change, touching nothing: no directory, lock or store item
    is created and no computed-file builder runs (items are only named)."""
    say(f"building the system from {config} (dry run)...")
    built = build_system(interp, config, Store(root.store_dir, dry=True))
    current = root.current_generation() if root.profiles.is_dir() else None
    if current is not None and current.broken:
        current = None
    changes = _summarize(built, current, say, True)
    return Outcome(EXIT_OK, current.number if current else None, changes)


def reconfigure(interp: Any, config: str, root: StateRoot, dry_run: bool = False,
                say: Callable[[str], None] = print, start_services: bool = True,
                network: str = "shared") -> Outcome:
    """Build CONFIG, switch ROOT to it, activate it and upgrade its services; activation and
    services run in the root's view with ``network`` (``shared``/``private``), see ``StateRoot.has_view``."""
    if dry_run:
        return dry_run_reconfigure(interp, config, root, say)
    root.ensure()
    with root.lock():
        root.repair()
        say(f"building the system from {config}...")
        built = build_system(interp, config, Store(root.store_dir))
        _crash_point("build")
        return _switch(interp, built, root, say, start_services, network)


def built_elsewhere(item: str, accounts: dict) -> BuiltSystem:
    """A system built on another machine for this root (``schemy deploy``) and copied into its
    store, read back from its item; ``accounts`` are its users and groups with their password
    hashes (which the store's accounts.json only holds digests of)."""
    links: dict[str, str] = {}
    for name in ("etc", "profile", "shepherd.scm", "activate.scm", "mcron.scm", "manager.scm"):
        try:
            links[name] = os.readlink(Path(item) / name)
        except OSError:
            raise scheme_error(f"{item} is not a complete system item (no {name} in it)", kind="store-error",
                               hint="deploy it again: its items are sent before it is switched to") from None
    view = SystemView.of_item(item)
    if public_accounts(accounts) != view.accounts:
        raise scheme_error("the accounts given are not those of the system", kind="store-error")
    config = os.path.join(item, "configuration.scm")
    return BuiltSystem(item, view.etc, links["profile"], [], links["shepherd.scm"], accounts, links["activate.scm"],
                       links["mcron.scm"], view.services, config if os.path.lexists(config) else item,
                       {"manager": links["manager.scm"]})


def switch_to_built(interp: Any, item: str, accounts: dict, root: StateRoot, dry_run: bool = False,
                    say: Callable[[str], None] = print, start_services: bool = True,
                    network: str = "shared") -> Outcome:
    """Reconfigure to a system built elsewhere: switch, activate and upgrade services, or with
    ``dry_run`` only say what would change, as ``reconfigure`` does for a configuration file."""
    built = built_elsewhere(item, accounts)
    if dry_run:
        current = root.current_generation() if root.profiles.is_dir() else None
        if current is not None and current.broken:
            current = None
        changes = _summarize(built, current, say, True)
        return Outcome(EXIT_OK, current.number if current else None, changes)
    root.ensure()
    with root.lock():
        root.repair()
        return _switch(interp, built, root, say, start_services, network)


def _switch(interp: Any, built: BuiltSystem, root: StateRoot, say: Callable[[str], None],
            start_services: bool, network: str = "shared") -> Outcome:
    """Make ``built`` the current generation (under the root's lock), activate it, upgrade services;
    activation and services run in the root's view when it has one (``StateRoot.has_view``)."""
    view = root.has_view()
    current = root.current_generation()
    if current is not None and current.broken:
        current = None  # recover: build a new generation rather than compare with nothing
    changes = _summarize(built, current, say, False)
    switched = False
    if current is not None and current.store_item == built.path:
        gen = current
        say(f"generation {gen.number} is already this system")
        root.switch_to(gen)  # repairs what the switch derives (host mode: /etc, accounts)
        # Activate anyway (like guix): a crash may have happened between switch and activation.
        run_activation(interp, built.activation_file, root.activation_root(), view)
    else:
        root.before_switch(built, say)
        ids = root.root / "var" / "schemy" / "account-ids.json"
        accounts_files = accounts_database(built.accounts, ids)
        metadata = {"config": built.config_path, "built": time.time(), "store": built.path}
        system_dir = root.prepare_system_dir(built.path, built.etc, accounts_files, metadata)
        _crash_point("prepare_system_dir")
        gen = root.add_generation(system_dir)
        _crash_point("add_generation")
        root.switch_to(gen)
        _crash_point("switch")
        say(f"switched to generation {gen.number}")
        try:
            progress.report("activating the new system")
            run_activation(interp, built.activation_file, root.activation_root(), view)
        except SchemeError as e:
            _undo_switch(root, gen, current)
            back = f"generation {current.number}" if current else "no system"
            raise scheme_error(f"activation failed: {e.message()}", loc=e.loc,
                               hint=f"the switch was undone: the current system is still {back}") from e
        _crash_point("activation")
        switched = True
    if not start_services:
        return Outcome(EXIT_OK, gen.number, changes)
    try:
        code = upgrade_services(root, built.extras["manager"], say, network if view else None)
    except SchemeError as e:
        if not switched:
            raise
        # The manager refused the new services (its config does not load): it still runs the
        # previous system's, so the previous system stays the current one too.
        _undo_switch(root, gen, current)
        back = f"generation {current.number}" if current else "no system"
        culprit = _service_at(built, e.message())
        raise scheme_error(e.message(), loc=e.loc,
                           hint=(culprit + "; " if culprit else "")
                           + f"the switch was undone: the current system is still {back}, "
                             "its services untouched") from e
    return Outcome(code, gen.number, changes)



def _service_at(built: BuiltSystem, message: str) -> str | None:
    """For an error at MANAGER.scm:LINE:COL, which shepherd service's code that line belongs
    to, and where the config declared it: "in the code of service NAME (declared at FILE:L:C)"."""
    m = re.search(r"manager\.scm:(\d+):\d+", message)
    if m is None:
        return None
    line = int(m.group(1))
    try:
        text = Path(built.extras["manager"]).read_text(encoding="utf-8")
    except (OSError, KeyError):
        return None
    for info in built.shepherd:
        at = text.find(info.text)
        if at < 0:
            continue
        first = text.count("\n", 0, at) + 1
        if first <= line <= first + info.text.count("\n"):
            where = f" (declared at {info.location})" if info.location else ""
            return f"in the code of service {' '.join(info.provision[:1])}{where}"
    return None


def _undo_switch(root: StateRoot, gen: Generation, previous: Generation | None) -> None:
    if previous is not None:
        root.switch_to(previous)
    else:
        root.unswitch()
    link = root.profiles / f"system-{gen.number}-link"
    if link.is_symlink():
        link.unlink()


def upgrade_services(root: StateRoot, manager_config: str, say: Callable[[str], None],
                     network: str | None = None) -> int:
    """Hand the new services to the root's service manager (started on demand, in the root's
    view with ``network`` unless that is None)."""
    from schemy.shepherd import herd

    try:
        progress.report("starting the service manager")
        client = root.start_service_manager(network)
        running = client.request("ping").get("view")
        if network is not None and running is None:
            say("note: the service manager runs in the host's view (it was started without one); "
                "`schemy herd stop root` first to give the services the root's view")
        elif network is not None and running.get("network") != network:
            say(f"note: the service manager keeps its {running.get('network')} network; "
                f"`schemy herd stop root` first to get a {network} one")
        progress.report("upgrading services: starting what is new or changed")
        summary = client.upgrade(manager_config, network)
    except herd.HerdError as e:
        raise scheme_error(f"the service manager could not take the new services: {e}") from None
    for key, label in (("started", "started"), ("restarted", "restarted"), ("stopped", "stopped"),
                       ("removed", "removed")):
        names = summary.get(key) or []
        if names:
            say(f"services {label}: {', '.join(sorted(names))}")
    failed = summary.get("failed") or []
    if failed:
        messages = summary.get("messages") or []
        for name in failed:
            reasons = [m for m in messages if name in m]
            say(f"service {name} failed to start" + (f": {reasons[-1]}" if reasons else ""))
        return EXIT_SERVICES_FAILED
    return EXIT_OK


# ---------------------------------------------------------------- generations


def roll_back(root: StateRoot) -> Generation:
    with root.lock():
        root.repair()
        current = root.current_generation()
        gens = root.generations()
        if current is None:
            raise scheme_error("no current system to roll back from")
        older = [g for g in gens if g.number < current.number]
        if not older:
            raise scheme_error(f"generation {current.number} is the oldest: nothing to roll back to")
        target = older[-1]
        if target.broken:
            raise scheme_error(f"cannot roll back: generation {target.number} is broken "
                               "(its system directory or store item is missing)", kind="missing-generation",
                               hint=f"delete it with `schemy system delete-generations {target.number}`")
        root.switch_to(target)
        return target


def switch_generation(root: StateRoot, number: int) -> Generation:
    with root.lock():
        root.repair()
        gen = root.generation(number)
        if gen.broken:
            raise scheme_error(f"generation {number} is broken: its system directory or store item is missing",
                               kind="missing-generation",
                               hint="delete it with `schemy system delete-generations "
                                    f"{number}`, or reconfigure")
        root.switch_to(gen)
        return gen


def delete_generations(root: StateRoot, pattern: str | None) -> list[int]:
    """Delete generations matching PATTERN (``N``, ``N..M``, ``Nd`` for older than N days,
    or all but the current one when omitted)."""
    with root.lock():
        root.repair()
        root.refuse_if_current_is_broken("delete generations")
        current = root.current_generation()
        gens = [g for g in root.generations() if current is None or g.number != current.number]
        chosen = _match_generations(gens, pattern)
        for g in chosen:
            root.delete_generation(g)
        return [g.number for g in chosen]


def _match_generations(gens: list[Generation], pattern: str | None) -> list[Generation]:
    if not pattern:
        return gens
    out = []
    for part in pattern.split(","):
        part = part.strip()
        if part.endswith("d") and part[:-1].isdigit():
            limit = time.time() - int(part[:-1]) * 86400
            out += [g for g in gens if g.created < limit]
        elif ".." in part:
            lo, hi = part.split("..", 1)
            lo_n = int(lo) if lo else 0
            hi_n = int(hi) if hi else 10**9
            out += [g for g in gens if lo_n <= g.number <= hi_n]
        elif part.isdigit():
            out += [g for g in gens if g.number == int(part)]
        else:
            raise scheme_error(f"invalid generation pattern: {part}",
                               hint="use N, N..M, N.., ..M or Nd (older than N days)")
    seen: dict[int, Generation] = {g.number: g for g in out}
    return [seen[n] for n in sorted(seen)]


# ---------------------------------------------------------------- garbage collection


def collect_garbage(root: StateRoot) -> list[str]:
    """Delete store items that no generation (nor the current system) references.

    References are found by the 32-character hash that starts every item name
    (``<store>/<hash>-``), as Guix's scanner does, never by guessing where a name ends:
    an item whose name holds a space, a quote, a parenthesis or a newline is found as
    exactly as any other."""
    import re
    import shutil

    with root.lock():
        root.repair()
        root.refuse_if_current_is_broken("collect garbage")
        store = root.store_dir
        if not store.is_dir():
            return []
        hash_re = re.compile(re.escape(str(store) + "/") + r"([a-z0-9]{32})-")
        items: dict[str, list[str]] = {}
        for entry in store.iterdir():
            if not entry.name.startswith(".") and len(entry.name) > 33 and entry.name[32] == "-":
                items.setdefault(entry.name[:32], []).append(entry.name)
        live: set[str] = set()
        todo: list[str] = running_references(hash_re)  # what runs keeps what it uses
        # The home generations (schemy home reconfigure): their links and what their records name.
        home_profiles = root.root / "home-state" / "profiles"
        for entry in sorted(home_profiles.iterdir()) if home_profiles.is_dir() else []:
            todo += hash_re.findall(os.readlink(entry) + "/" if entry.is_symlink() else entry.read_text())
        for d in root.live_system_dirs():
            link = d / "system"
            if link.is_symlink():
                todo += hash_re.findall(os.readlink(link))
            etc = d / "etc"
            for dirpath, dirs, files in os.walk(etc):
                for f in files + dirs:  # links to directories (etc/skel) are listed in dirs
                    p = os.path.join(dirpath, f)
                    if os.path.islink(p):
                        todo += hash_re.findall(os.readlink(p))
        while todo:
            digest = todo.pop()
            if digest in live:
                continue
            live.add(digest)
            for name in items.get(digest, []):
                todo += _references(store / name, hash_re)
        # System directories of deleted generations: their etc links would dangle after the gc.
        live_dirs = {d.resolve() for d in root.live_system_dirs()}
        for d in root.systems_dir.iterdir():
            if not d.name.startswith(".") and d.is_dir() and not d.is_symlink() and d.resolve() not in live_dirs:
                shutil.rmtree(d)
        removed = []
        for digest, names in items.items():
            if digest in live:
                continue
            for name in names:
                entry = store / name
                _make_writable(entry)
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
                (store / ".hashes" / name).unlink(missing_ok=True)
                removed.append(name)
        return sorted(removed)


def running_references(hash_re: Any) -> list[str]:
    """Hashes of the store items running processes use (as Guix's daemon finds them in
    /proc): in their command lines, executables, working directories, open files and
    mapped files.  A service started from an older generation keeps its items alive."""
    found: list[str] = []
    try:
        pids = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return found
    for pid in pids:
        base = f"/proc/{pid}"
        texts: list[str] = []
        for name in ("cmdline", "maps"):
            try:
                with open(f"{base}/{name}", "rb") as fh:
                    texts.append(fh.read(1 << 20).replace(b"\0", b" ").decode("utf-8", "replace"))
            except OSError:
                pass
        links = [f"{base}/exe", f"{base}/cwd"]
        try:
            links += [f"{base}/fd/{fd}" for fd in os.listdir(f"{base}/fd")]
        except OSError:
            pass
        for link in links:
            try:
                texts.append(os.readlink(link))
            except OSError:
                pass
        for text in texts:
            found += hash_re.findall(text)
    return found


def _references(path: Path, hash_re: Any) -> list[str]:
    """The hashes of the store items ``path`` refers to (in link targets and file contents)."""
    refs: list[str] = []
    if path.is_symlink():
        return hash_re.findall(os.readlink(path))
    if path.is_dir():
        for dirpath, dirs, files in os.walk(path):
            for f in files + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]:
                refs += _references(Path(dirpath) / f, hash_re)
        return refs
    try:
        if path.stat().st_size < 16 * 1024 * 1024:
            refs += hash_re.findall(path.read_bytes().decode("utf-8", "replace"))
    except OSError:
        pass
    return refs


def _make_writable(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        for dirpath, _d, _f in os.walk(path):
            os.chmod(dirpath, 0o755)

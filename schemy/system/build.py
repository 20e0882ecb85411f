"""Building a system: operating-system -> folded services -> store items.

``build_system`` evaluates a config, folds its services and realizes what the
backend consumes (the final values of the core service types) as store items:

* ``etc``: a directory of links to the files of ``etc-service-type``;
* ``profile``: links to the programs of ``profile-service-type``'s packages;
* ``shepherd.scm``: the lowered shepherd services, loaded by the service manager;
* ``mcron.scm``: the lowered mcron jobs; ``activate.scm``: the activation gexps;
* ``accounts.json``, ``services.json``: what describe/diff/reconfigure read;
* the system item itself, linking all of the above.

Building the same config twice gives the same system path and writes nothing new.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from schemy.guix.store import Store
from schemy.lang.datum import NIL, Pair, Symbol, Values, list_to_python, make_list, to_str
from schemy.lang.errors import SchemeError, scheme_error
from schemy.runtime.records import Record, record_ref
from schemy.system import progress
from schemy.system.plain import Factory, PlainRecord

# Provisions of the services that manage the host itself: realized, never run in prefix mode.
DEFAULT_HOST_PROVIDED = {
    "syslogd", "nscd", "udev", "guix-daemon", "loopback", "networking", "user-processes",
    "urandom-seed", "host-name", "user-file-systems", "file-systems", "root-file-system",
    "term-tty1", "term-tty2", "term-tty3", "term-tty4", "term-tty5", "term-tty6", "console-font-tty1",
    "virtual-terminal", "sysctl", "kmscon", "elogind", "dbus-system", "mcron",
    # Guix's account service makes the users' homes in a one-shot service of that name;
    # schemy makes them when the system is activated, before any service starts.
    "user-homes",
}


class ShepherdInfo(PlainRecord):
    provision: list[str]
    requirement: list[str]
    text: str
    fingerprint: str
    auto_start: bool
    one_shot: bool
    host_provided: bool
    documentation: str
    location: str | None = None

    def to_json(self) -> dict:
        return {"provision": self.provision, "requirement": self.requirement, "fingerprint": self.fingerprint,
                "auto_start": self.auto_start, "one_shot": self.one_shot, "host_provided": self.host_provided,
                "documentation": self.documentation, "location": self.location}


class BuiltSystem(PlainRecord):
    """What a build produced: the system item and the pieces the backend switches to."""

    path: str
    etc: dict[str, str]
    profile: str
    shepherd: list[ShepherdInfo]
    shepherd_file: str
    accounts: dict
    activation_file: str
    mcron_file: str
    services: list[dict]
    config_path: str
    extras: dict = Factory(dict)


# ---------------------------------------------------------------- folding


def fold_operating_system(interp: Any, os_record: Any) -> tuple[list, dict[str, Any], Any]:
    """The instantiated services, a map type name -> folded value, and value-of."""
    from schemy.lang.datum import make_list

    system = interp.resolve_module(make_list([Symbol("gnu"), Symbol("system")]))
    services_mod = interp.resolve_module(make_list([Symbol("gnu"), Symbol("services")]))
    services = system.value("operating-system-services")(os_record)
    result = services_mod.value("fold-services*")(services)
    if not isinstance(result, Values) or len(result) != 3:
        raise scheme_error("fold-services* did not return three values")
    _root, value_of, all_services = result
    all_list = list_to_python(all_services)
    values: dict[str, Any] = {}
    for s in all_list:
        kind = record_ref(s, Symbol("type"))
        name = record_ref(kind, Symbol("name"))
        key = name.name if isinstance(name, Symbol) else to_str(name)
        values[key] = value_of(s)
    return all_list, values, value_of


def fold_config(interp: Any, config_path: str) -> tuple[Any, list, dict[str, Any]]:
    """Evaluate a configuration file and fold its services, as the graph and search verbs need
    them: its operating-system record, the instantiated services and each type's folded value."""
    from schemy.system.config import load_operating_system

    os_record = load_operating_system(interp, config_path)
    all_services, values, _ = fold_operating_system(interp, os_record)
    return os_record, all_services, values


def _field(rec: Any, name: str, default: Any = None) -> Any:
    if isinstance(rec, Record) and Symbol(name) in rec.rtd.index:
        return record_ref(rec, Symbol(name))
    return default


def _names(x: Any) -> list[str]:
    out = []
    for v in list_to_python(x) if x is not NIL and x is not False else []:
        out.append(v.name if isinstance(v, Symbol) else to_str(v))
    return out


# ---------------------------------------------------------------- pieces


# /etc entries schemy writes itself (the account files, 0600 for shadow) or uses for its
# layout (etc/static): a service may not provide them, or replace them with a link.
RESERVED_ETC_NAMES = ("passwd", "shadow", "group", "static")


def check_etc_name(name: str) -> str:
    """etc entry names are relative paths inside /etc: no '..', not absolute, not empty,
    no control characters, and not one of the files schemy writes itself."""
    parts = name.split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts) \
            or any(ord(c) < 32 or c == "\x7f" for c in name):
        raise scheme_error(f"invalid /etc entry name: {name!r}", kind="store-error",
                           hint="etc-service-type entries are relative names such as \"ssh/sshd_config\"")
    if parts[0] in RESERVED_ETC_NAMES:
        raise scheme_error(f"invalid /etc entry name: {name!r} is reserved", kind="store-error",
                           hint="/etc/passwd, /etc/shadow and /etc/group are made from the operating-system's "
                                "users and groups; declare accounts instead")
    return name


def check_etc_nesting(names: Any) -> None:
    """An entry may not lie inside another entry (``ssh`` and ``ssh/x``): the outer one is a
    link, and writing through it would write into whatever it points to."""
    present = set(names)
    for name in sorted(present):
        parts = name.split("/")
        for i in range(1, len(parts)):
            outer = "/".join(parts[:i])
            if outer in present:
                raise scheme_error(f"invalid /etc entry name: {name!r} is inside /etc/{outer}, "
                                   "which is an entry of its own", kind="store-error",
                                   hint="provide the whole directory as one entry, or only files inside it")


def realize_etc(entries: Any, store: Store) -> dict[str, str]:
    from schemy.guix.gexp import is_file_like, lower_object

    out: dict[str, str] = {}
    for entry in list_to_python(entries) if entries is not NIL else []:
        if not isinstance(entry, Pair):
            raise scheme_error("etc-service-type: an entry is not a (NAME FILE) list", entry)
        name = to_str(entry.car)
        target = entry.cdr.car if isinstance(entry.cdr, Pair) else entry.cdr
        check_etc_name(name)
        if isinstance(target, str):
            path = target  # already a file name
        elif is_file_like(target):
            path = lower_object(target, store)
        else:
            raise scheme_error(f"etc-service-type: entry {name!r} is not a file-like object", target)
        if name in out and out[name] != path:
            raise scheme_error(f"/etc/{name} is defined twice, with different content",
                               hint="two services extend etc-service-type with the same file name")
        out[name] = path
    check_etc_nesting(out)
    return out


def special_etc_entries(special: Any) -> Any:
    """The special files (extra-special-file, special-files-service-type) that live in /etc,
    as etc entries: in a root's view /etc shows the generation's etc directory, so
    ``(extra-special-file "/etc/NAME" FILE)`` becomes its entry NAME, the link Guix's
    activation makes.  Special files elsewhere (``/bin/sh``, ``/usr/bin/env``) are the host's
    own programs' places, which a root does not own: they are left to the host."""
    out = []
    for entry in list_to_python(special) if special not in (NIL, None, False) else []:
        if not isinstance(entry, Pair) or not isinstance(entry.cdr, Pair):
            raise scheme_error("special-files-service-type: an entry is not a (FILE TARGET) list", entry)
        name = to_str(entry.car)
        if name.startswith("/etc/") and name.strip("/") != "etc":
            out.append(make_list([name[len("/etc/"):].strip("/"), entry.cdr.car]))
    return out


def realize_profile(packages: Any, store: Store) -> tuple[str, list[str]]:
    """A profile item linking every program of the packages; also the package item paths."""
    from schemy.guix.gexp import profile_directory

    return profile_directory(packages, store)


def gc_roots_item(roots: Any, store: Store) -> str | None:
    """The system's gc-roots directory (gc-root-service-type): links 0, 1... to the lowered
    roots, so that the generation keeps them, as Guix's; None when there are none."""
    from schemy.guix.gexp import is_file_like, lower_object

    items = list_to_python(roots)
    if not items:
        return None
    links = {}
    for index, root in enumerate(items):
        if isinstance(root, str):
            links[str(index)] = ("link", root)
        elif is_file_like(root):
            links[str(index)] = ("link", lower_object(root, store))
        else:
            raise scheme_error("gc-root-service-type: a root is neither a file-like object nor a "
                               "file name", root)
    return store.add_directory("gc-roots", links)


def lower_text(value: Any, store: Store) -> str:
    from schemy.guix.gexp import Gexp, code_text

    if isinstance(value, Gexp):
        return code_text(value, store).rstrip("\n")
    from schemy.guix.gexp import lower_value
    from schemy.lang.printer import write_string

    return write_string(lower_value(value, store))


def render_shepherd_service(svc: Any, store: Store, host_provided: set[str]) -> ShepherdInfo:
    from schemy.lang.printer import write_string

    provision = _names(_field(svc, "provision", NIL))
    requirement = _names(_field(svc, "requirement", NIL))
    is_host = is_host_provided(provision, host_provided)
    one_shot = _field(svc, "one-shot?", False) is not False
    respawn = _field(svc, "respawn?", True) is not False
    auto_start = _field(svc, "auto-start?", True) is not False
    doc = _field(svc, "documentation", "")
    doc = to_str(doc) if isinstance(doc, str) or hasattr(doc, "chars") else ""
    start = _field(svc, "start", False)
    stop = _field(svc, "stop", False)
    parts = [f"(service '{write_string(_symbols(provision))}",
             f"  #:requirement '{write_string(_symbols(requirement))}"]
    if is_host:
        parts.append("  #:provided-by-host? #t")
    else:
        parts.append(f"  #:start {lower_text(start, store)}")
        if stop is not False:
            parts.append(f"  #:stop {lower_text(stop, store)}")
        actions = []
        for a in list_to_python(_field(svc, "actions", NIL)):
            name = _field(a, "name")
            proc = _field(a, "procedure")
            adoc = _field(a, "documentation", "")
            actions.append(f"(action '{write_string(name)} {lower_text(proc, store)} {write_string(adoc)})")
        if actions:
            parts.append(f"  #:actions (list {' '.join(actions)})")
    parts.append(f"  #:respawn? {'#t' if respawn else '#f'}")
    # Guix's respawn-limit (#f: the Shepherd's default, else (TIMES . SECONDS)) and
    # respawn-delay (#f: the default, else seconds), and transient?: passed on as they are.
    limit = _field(svc, "respawn-limit", False)
    if limit is not False:
        parts.append(f"  #:respawn-limit '{write_string(limit)}")
    delay = _field(svc, "respawn-delay", False)
    if delay is not False:
        parts.append(f"  #:respawn-delay {write_string(delay)}")
    if _field(svc, "transient?", False) is not False:
        parts.append("  #:transient? #t")
    parts.append(f"  #:one-shot? {'#t' if one_shot else '#f'}")
    parts.append(f"  #:auto-start? {'#t' if auto_start else '#f'}")
    parts.append(f"  #:documentation {write_string(doc)}")
    body = "\n".join(parts)
    fingerprint = hashlib.sha256(body.encode()).hexdigest()[:16]
    text = body + f"\n  #:fingerprint {write_string(fingerprint)})"
    free_form = _field(svc, "free-form", False)
    if free_form is not False and not is_host:
        # Guix's free-form: a gexp that makes the service object itself.
        text = lower_text(free_form, store)
        fingerprint = hashlib.sha256(text.encode()).hexdigest()[:16]
    loc = _field(svc, "location", False)
    return ShepherdInfo(provision, requirement, text, fingerprint, auto_start, one_shot, is_host, doc,
                        str(loc) if loc not in (False, None) else None)


def _service_code(svc: Any) -> list:
    """The code of a shepherd service: its start, stop and actions' procedures."""
    code = [_field(svc, "start", False), _field(svc, "stop", False), _field(svc, "free-form", False)]
    code += [_field(a, "procedure") for a in list_to_python(_field(svc, "actions", NIL))]
    return [c for c in code if c is not False]


def _symbols(names: list[str]) -> Any:
    from schemy.lang.datum import make_list

    return make_list([Symbol(n) for n in names])


def render_shepherd_config(infos: list[ShepherdInfo], prelude: str = "") -> str:
    services = "\n".join(i.text for i in infos)
    return (";; Generated by schemy: the system's services, loaded by the service manager.\n"
            f"{prelude}(register-services\n (list\n{services}))\n")


# ---------------------------------------------------------------- imported modules


def _gexp_module_specs(value: Any, seen: set[int], out: list) -> None:
    """The with-imported-modules entries of ``value`` (a gexp, or a list holding gexps) and of
    the gexps it ungexps, in order."""
    from schemy.guix.gexp import Gexp

    if id(value) in seen:
        return
    if isinstance(value, Gexp):
        seen.add(id(value))
        if isinstance(value.modules, Pair):
            out.extend(list_to_python(value.modules))
        for v in value.inputs:
            _gexp_module_specs(v, seen, out)
    elif isinstance(value, Pair):
        seen.add(id(value))
        x = value
        while isinstance(x, Pair):
            _gexp_module_specs(x.car, seen, out)
            x = x.cdr


def own_modules_prelude(interp: Any, gexps: list, store: Store) -> str:
    """As Guix copies a gexp's imported modules into the store (``imported-modules``) and puts
    them on the load path of the code that runs it: the config's own modules (found through -L
    or add-to-load-path, not schemy's library of Guix and Guile modules) that ``gexps`` import
    become a ``module-import`` store item, and the returned text, put at the top of the
    generated file, adds it to ``%load-path``.  So service code importing an own module runs
    under a service manager started without -L.  A ``(NAME => FILE-LIKE)`` entry gives the
    module's file itself.  Empty when there is no such module."""
    from schemy.guix.gexp import is_file_like, lower_object
    from schemy.lang.printer import write_string
    from schemy.lang.resources import STDLIB_DIR

    specs: list = []
    seen: set[int] = set()
    for g in gexps:
        _gexp_module_specs(g, seen, specs)
    entries: dict[str, tuple[str, str]] = {}
    stdlib = str(STDLIB_DIR) + os.sep
    for spec in specs:
        try:
            parts = list_to_python(spec)
        except (ValueError, AttributeError):
            continue
        given = None
        if len(parts) == 3 and isinstance(parts[1], Symbol) and parts[1].name == "=>" and is_file_like(parts[2]):
            given, parts = parts[2], list_to_python(parts[0])
        if not parts or not all(isinstance(p, Symbol) for p in parts):
            continue
        name = tuple(p.name for p in parts)
        rel = os.path.join(*name) + ".scm"
        if given is not None:
            entries[rel] = ("link", lower_object(given, store))
            continue
        path = interp.find_module_file(name)
        if path is None or os.path.abspath(path).startswith(stdlib) or not path.endswith(".scm"):
            continue
        try:
            entries[rel] = ("text", Path(path).read_text(encoding="utf-8"))
        except OSError:
            continue
    if not entries:
        return ""
    item = store.add_directory("module-import", entries)
    return (f"(eval-when (expand load eval)\n  (set! %load-path (cons {write_string(item)} %load-path)))\n")


def accounts_of(values: Any) -> dict:
    """Users and groups from the folded account-service-type value."""
    users, groups = [], []
    for rec in list_to_python(values) if values not in (None, NIL, False) else []:
        if not isinstance(rec, Record):
            continue
        if rec.rtd.name == "<user-account>":
            users.append({
                "name": to_str(_field(rec, "name")),
                "group": to_str(_field(rec, "group", "users")),
                "supplementary-groups": [to_str(g) for g in list_to_python(
                    _field(rec, "supplementary-groups", NIL))],
                "comment": to_str(_field(rec, "comment", "")),
                "home": to_str(_field(rec, "home-directory", "/nonexistent")),
                "shell": _shell(_field(rec, "shell", "/bin/sh")),
                "uid": _int_or_none(_field(rec, "uid", False)),
                "password": _password(_field(rec, "password", False)),
                "system": _field(rec, "system?", False) is not False,
                "create-home": _field(rec, "create-home-directory?", True) is not False,
            })
        elif rec.rtd.name == "<user-group>":
            groups.append({
                "name": to_str(_field(rec, "name")),
                "id": _int_or_none(_field(rec, "id", False)),
                "system": _field(rec, "system?", False) is not False,
                "password": _password(_field(rec, "password", False)),
            })
    return {"users": _dedupe(users), "groups": _dedupe(groups)}


def public_accounts(accounts: dict) -> dict:
    """The accounts as the world-readable store may show them: each password hash replaced by
    a digest of it (enough to tell that it changed, useless for cracking it).  The hashes
    themselves only reach the generation's /etc/shadow, mode 0600, outside the store."""
    def scrub(entry: dict) -> dict:
        password = entry.get("password")
        if password is None:
            return entry
        return dict(entry, password="sha256:" + hashlib.sha256(password.encode()).hexdigest())

    return {"users": [scrub(u) for u in accounts.get("users", [])],
            "groups": [scrub(g) for g in accounts.get("groups", [])]}


def _dedupe(items: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for item in items:
        seen.setdefault(item["name"], item)
    return list(seen.values())


def _shell(v: Any) -> str:
    if isinstance(v, str) or hasattr(v, "chars"):
        return to_str(v)
    from schemy.guix.gexp import is_file_like, lower_object

    if is_file_like(v):
        return lower_object(v)
    return "/bin/sh"


def _int_or_none(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _password(v: Any) -> str | None:
    return to_str(v) if isinstance(v, str) or hasattr(v, "chars") else None


def mcron_jobs_text(value: Any, store: Store) -> str:
    jobs = _field(value, "jobs", value if value not in (None, False) else NIL)
    texts = [lower_text(j, store) for j in list_to_python(jobs)] if jobs not in (NIL, None, False) else []
    return ";; Generated by schemy: mcron jobs.\n(list\n" + "\n".join(f" {t}" for t in texts) + ")\n"


def activation_text(gexps: Any, store: Store, prelude: str = "") -> str:
    texts = [lower_text(g, store) for g in list_to_python(gexps)] if gexps not in (NIL, None, False) else []
    # Guix's activation script imports (guix build utils) for its gexps (mkdir-p, invoke...).
    return (";; Generated by schemy: activation, run when switching to this system.\n"
            + prelude + "(use-modules (guix build utils))\n" + "\n".join(texts) + "\n")


# ---------------------------------------------------------------- the build


def build_system(interp: Any, config_path: str, store: Store, os_record: Any = None) -> BuiltSystem:
    """Evaluate ``config_path`` (unless ``os_record`` is given) and realize it in ``store``."""
    from schemy.guix.gexp import CURRENT_STORE
    from schemy.runtime.parameters import parameterized
    from schemy.system.config import load_operating_system

    if os_record is None:
        progress.report(f"evaluating {config_path}")
        os_record = load_operating_system(interp, config_path)
    with parameterized([(CURRENT_STORE, store)]):
        progress.report("folding services")
        all_services, values, value_of = fold_operating_system(interp, os_record)
        progress.report(f"building: /etc and the profile of {len(all_services)} services")
        host_provided = set(DEFAULT_HOST_PROVIDED) | _host_provided_from_library(interp)
        try:
            declared = values.get("etc", NIL)
            special = special_etc_entries(values.get("special-files", NIL))
            if special:
                declared = make_list(list_to_python(declared) + special if declared is not NIL else special)
            etc = realize_etc(declared, store)
        except SchemeError as e:
            if e.loc is None:
                e.loc = _etc_contributor_location(all_services, value_of, e)
            raise
        profile, package_items = realize_profile(values.get("profile", NIL), store)
        shepherd_services = list_to_python(values.get("shepherd-root", NIL))
        for name, req, loc in missing_requirements(interp, shepherd_services)[:1]:
            raise scheme_error(f"shepherd service '{name}' requires '{req}', which no service provides",
                               loc=loc if loc not in (False, None) else None,
                               hint=requirement_hint(interp, req) or None)
        progress.report(f"building: {len(shepherd_services)} shepherd services")
        infos = [render_shepherd_service(s, store, host_provided) for s in shepherd_services]
        activation_gexps = list_to_python(values.get("activate", NIL)) if values.get("activate", NIL) not in (
            NIL, None, False) else []
        mcron_value = values.get("mcron")
        mcron_jobs = _field(mcron_value, "jobs", mcron_value if mcron_value not in (None, False) else NIL)
        service_code = [code for s in shepherd_services for code in _service_code(s)]
        if mcron_jobs not in (NIL, None, False):
            service_code += list_to_python(mcron_jobs)
        manager_prelude = own_modules_prelude(interp, service_code, store)
        shepherd_file = store.add_text("shepherd.scm", render_shepherd_config(infos, manager_prelude))
        accounts = accounts_of(values.get("account", NIL))
        activation_file = store.add_text("activate.scm", activation_text(
            values.get("activate", NIL), store, own_modules_prelude(interp, activation_gexps, store)))
        mcron_text = mcron_jobs_text(mcron_value, store)
        mcron_file = store.add_text("mcron.scm", mcron_text)
        manager_file = store.add_text("manager.scm", render_shepherd_config(infos, manager_prelude) + mcron_text)
        progress.report("building: accounts, activation and the system item")
        try:
            # A configuration only its owner may read can hold secrets: none of its text (the file
            # itself, its fields' values) goes to the world-readable store, only digests of them.
            private_config = not os.stat(config_path).st_mode & stat.S_IROTH
        except OSError:
            private_config = False
        services_meta = []
        for s in all_services:
            kind = record_ref(s, Symbol("type"))
            name = record_ref(kind, Symbol("name"))
            loc = record_ref(s, Symbol("location"))
            services_meta.append({"type": name.name if isinstance(name, Symbol) else to_str(name),
                                  "location": str(loc) if loc not in (False, None) else None,
                                  "fields": configuration_fields(record_ref(s, Symbol("value")),
                                                                 hidden=private_config)})
        services_json = json.dumps({"services": services_meta, "shepherd": [i.to_json() for i in infos]},
                                   indent=1, sort_keys=True)
        accounts_file = store.add_text("accounts.json",
                                       json.dumps(public_accounts(accounts), indent=1, sort_keys=True))
        services_file = store.add_text("services.json", services_json)
        etc_item = store.add_directory("etc", {name: ("link", path) for name, path in etc.items()})
        entries: dict[str, tuple[str, str]] = {
            "etc": ("link", etc_item),
            "profile": ("link", profile),
            "shepherd.scm": ("link", shepherd_file),
            "activate.scm": ("link", activation_file),
            "mcron.scm": ("link", mcron_file),
            "manager.scm": ("link", manager_file),
            "accounts.json": ("link", accounts_file),
            "services.json": ("link", services_file),
        }
        roots = gc_roots_item(values.get("gc-roots", NIL), store)
        if roots:
            entries["gc-roots"] = ("link", roots)
        try:
            if not private_config:
                config_text = Path(config_path).read_text(encoding="utf-8")
                entries["configuration.scm"] = ("link", store.add_text("configuration.scm", config_text))
        except OSError:
            pass
        system = store.add_directory("system", entries)
    return BuiltSystem(system, etc, profile, infos, shepherd_file, accounts, activation_file, mcron_file,
                       services_meta, os.path.abspath(config_path),
                       {"packages": package_items, "manager": manager_file})


MAX_FIELD_TEXT = 80
_PACKAGE_LOCATION = re.compile(r"(#<package [^ >]+) [^ >]+:\d+>")


def configuration_fields(value: Any, hidden: bool = False) -> dict[str, str] | None:
    """A service's configuration as {field: written value}, so that a later reconfigure can say
    which fields changed; None when the value is not a record.  ``hidden``: each value is
    replaced by a digest of it (a change still shows, the value does not)."""
    from schemy.lang.printer import write_string

    if not isinstance(value, Record):
        return None
    fields = {}
    for f in value.rtd.fields:
        try:
            # A package prints with where it was defined, which is not part of the configuration.
            text = _PACKAGE_LOCATION.sub(r"\1>", write_string(record_ref(value, f)))
        except Exception:  # noqa: BLE001 - a field that cannot be computed is shown as such
            text = "#<error>"
        if hidden:
            text = "#<hidden " + hashlib.sha256(text.encode()).hexdigest()[:12] + ">"
        fields[f.name] = text if len(text) <= MAX_FIELD_TEXT else text[:MAX_FIELD_TEXT - 3] + "..."
    return fields


def _etc_contributor_location(all_services: list, value_of: Any, err: Any) -> Any:
    """Where the service that contributed a bad /etc entry was written (None if unknown)."""
    import re as _re

    m = _re.search(r"'([^']*)'", err.message())
    if m is None:
        return None
    bad = m.group(1)
    for s in all_services:
        kind = record_ref(s, Symbol("type"))
        for ext in list_to_python(record_ref(kind, Symbol("extensions"))):
            target = record_ref(ext.values[0], Symbol("name"))
            if target is not Symbol("etc"):
                continue
            try:
                entries = list_to_python(ext.values[1](value_of(s)))
            except Exception:  # noqa: BLE001 - only looking for the culprit
                continue
            if any(isinstance(e, Pair) and to_str(e.car) == bad for e in entries):
                loc = record_ref(s, Symbol("location"))
                return loc if loc not in (False, None) else None
    return None


def missing_requirements(interp: Any, shepherd_services: list) -> list[tuple[str, str, Any]]:
    """(service, requirement, its location) for each requirement of SHEPHERD_SERVICES that no
    service provides (nor the host): Guix refuses such a system when it builds it."""
    provided = {p.name for s in shepherd_services for p in list_to_python(record_ref(s, Symbol("provision")))}
    provided |= DEFAULT_HOST_PROVIDED | _host_provided_from_library(interp)
    out = []
    for s in shepherd_services:
        prov = [p.name for p in list_to_python(record_ref(s, Symbol("provision")))]
        for req in list_to_python(record_ref(s, Symbol("requirement"))):
            if req.name not in provided and not req.name.startswith(HOST_PREFIXES):
                out.append((prov[0], req.name, record_ref(s, Symbol("location"))))
    return out


def requirement_hint(interp: Any, requirement: str) -> str:
    """A hint naming the service type that provides ``requirement``, when one is named after
    it (containerd -> containerd-service-type, which Guix's docker service needs)."""
    from schemy.eval.check_all import channel_modules

    type_name = f"{requirement}-service-type"
    owners = channel_modules(interp).get("names", {}).get(type_name)
    if not owners:
        return ""
    return f"add (service {type_name}), from ({owners[0]}), to the services"


def _host_provided_from_library(interp: Any) -> set[str]:
    from schemy.lang.datum import make_list

    try:
        base = interp.resolve_module(make_list([Symbol("gnu"), Symbol("services"), Symbol("base")]))
        return set(_names(base.value("%host-provided-services")))
    except Exception:  # noqa: BLE001 - the list is optional
        return set()


# vfs-mapping's mounts ((gnu services linux)) are named POLICY-on-DESTINATION.
HOST_PREFIXES = ("file-system-", "device-mapping-", "swap-", "term-", "console-font-", "wireguard-",
                 "bind-on-", "translate-on-", "overlay-on-")


def is_host_provided(provision: list[str], host_provided: set[str]) -> bool:
    """Services that manage the host itself (mounts, swap, ttys, networking...) are realized
    but never run in prefix mode."""
    return any(p in host_provided or p.startswith(HOST_PREFIXES) for p in provision)

"""``schemy deploy``: every machine of a deployment file, in parallel with a bound.

For each machine: the target is probed over ssh (its state root, the store items it already
has, its schemy), and the deploying machine's schemy is installed there when it has none.
Then, as ``guix deploy`` does, with ``build-locally?`` (the default) the machine's system is
built here, for the target's store, and the items of its closure that the target lacks are
sent (each checked against its content hash on arrival); the target only switches to it
(``schemy system switch-to-built``).  With ``build-locally? #f`` the deployment file and the
local files its systems read are sent instead, as objects named by their SHA-256, and the
target's own ``schemy reconfigure`` builds and switches.  One machine failing does not stop
the others; each gets one summary line.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shlex
import tarfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemy.deploy import wheel
from schemy.deploy.machines import Machine, evaluate_locally, load_machines
from schemy.deploy.ssh import Connection, DeployError
from schemy.guix.store import Store, closure, export_items
from schemy.lang.errors import SchemeError, render_error
from schemy.lang.resources import VERSION

DEFAULT_JOBS = 4
VENV = '"${XDG_DATA_HOME:-$HOME/.local/share}/schemy/deploy-venv"'


@dataclass
class Report:
    """What happened on one machine."""

    machine: Machine
    status: str = "failed"  # changed | unchanged | failed | would-change | no-change | rolled-back | ok
    detail: str = ""
    lines: list[str] = field(default_factory=list)  # the target's own output, for the log

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def summary(self) -> str:
        return f"{self.machine.name}: {self.status}" + (f": {self.detail}" if self.detail else "")


@dataclass
class Options:
    root: str | None = None
    dry_run: bool = False
    roll_back: bool = False
    execute: str | None = None
    jobs: int = DEFAULT_JOBS


# ---------------------------------------------------------------- the bundle sent to targets


@dataclass
class Bundle:
    """The files a target needs, by relative path: ``{rel: (sha256, executable)}`` and contents."""

    main: str = ""  # the deployment file's name
    files: dict[str, tuple[str, bool]] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)

    def add(self, rel: str, data: bytes, executable: bool = False) -> None:
        digest = hashlib.sha256(data).hexdigest()
        self.files[rel] = (digest, executable)
        self.blobs[digest] = data

    @property
    def ident(self) -> str:
        h = hashlib.sha256()
        for rel in sorted(self.files):
            digest, x = self.files[rel]
            h.update(f"{rel}\0{digest}\0{int(x)}\n".encode())
        h.update(self.main.encode())
        return h.hexdigest()[:32]


def make_bundle(deploy_file: str, machines: list[Machine]) -> Bundle:
    """The deployment file, one small entry file per machine, and the local files the
    machines' systems read, laid out as they are around the deployment file."""
    base = Path(deploy_file).resolve().parent
    main = Path(deploy_file).name
    bundle = Bundle(main)
    bundle.add(main, Path(deploy_file).read_bytes())
    names = [m.name for m in machines]
    for m in machines:
        bundle.add(entry_name(m), entry_text(main, m, names.count(m.name) == 1).encode())
    for m in machines:
        for src in m.inputs:
            for path in _files_under(Path(src)):
                rel = os.path.relpath(path, base)
                if rel.startswith(".."):
                    raise DeployError(f"{path} is outside {base}: the files a deployment reads must be in the "
                                      "deployment file's directory, so that they can be sent along")
                bundle.add(rel, path.read_bytes(), os.access(path, os.X_OK))
    return bundle


def _files_under(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return [path]


def entry_name(m: Machine) -> str:
    return f".schemy-machine-{m.index}.scm"


def entry_text(main: str, m: Machine, unique: bool = True) -> str:
    """The configuration file the target reconfigures with: machine M's operating system.

    It names neither the deployment file (the target is told it in $SCHEMY_DEPLOY_FILE) nor,
    when host names are unique, the machine's position in the list: renaming the file or
    deploying a subset of the machines does not change the systems built from it."""
    pick = (f"(find (lambda (m) (equal? (machine-display-name m) {_scheme_string(m.name)})) machines)"
            if unique else f"(list-ref machines {m.index})")
    return (";; Written by schemy deploy: one machine's operating system from the deployment file.\n"
            "(use-modules (gnu machine) (srfi srfi-1))\n"
            "(define machines (load (getenv \"SCHEMY_DEPLOY_FILE\")))\n"
            f"(machine-operating-system {pick})\n")


def _scheme_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- remote scripts


def root_assignment(root: str | None) -> str:
    """Shell code setting R to the target's state root (as its own schemy would choose it)."""
    if root:
        value = shlex.quote(root)
    else:
        value = '"${SCHEMY_ROOT:-${XDG_STATE_HOME:-$HOME/.local/state}/schemy}"'
    return f'R={value}; case "$R" in /*) ;; *) R="$HOME/$R";; esac; V={VENV}'


PROBE = """{root}
echo "root $R"
echo "venvdir $V"
echo "machine $(uname -m)"
if [ -x "$V/bin/schemy" ]; then echo "venv $(cat "$V/wheel-id" 2>/dev/null || echo unknown)"; fi
if S=$(command -v schemy 2>/dev/null); then
  echo "path $S"; echo "pathversion $("$S" --version 2>/dev/null | sed 's/.* //')"
  echo "pathpython $(head -n 1 "$S" | sed 's/^#! *//')"
fi
command -v python3 >/dev/null 2>&1 && echo "python3 $(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ -d "$R/deploy/objects" ]; then ls "$R/deploy/objects" | sed 's/^/have /'; fi
if [ -d "$R/store" ]; then ls "$R/store" | sed 's/^/item /'; fi
true
"""

INSTALL = """set -e
{root}
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
tar -x -C "$W"
rm -rf "$V"; mkdir -p "$(dirname "$V")"
python3 -m venv --without-pip "$V"
"$V/bin/python" "$(ls "$W"/pip-*.whl | head -n 1)/pip" install -q --no-index --find-links "$W" \\
  --disable-pip-version-check --no-compile --no-warn-script-location schemy
echo {ident} > "$V/wheel-id"
echo "$V"
"""

RECEIVE = """set -e
{root}
O="$R/deploy/objects"; mkdir -p "$O"
T=$(mktemp -d "$O/.incoming.XXXXXX"); trap 'rm -rf "$T"' EXIT
tar -x -C "$T"
for f in "$T"/*; do
  [ -f "$f" ] || continue
  h=$(sha256sum "$f" | cut -d' ' -f1)
  if [ "$h" != "$(basename "$f")" ]; then echo "object $(basename "$f") arrived corrupted" >&2; exit 1; fi
  chmod 444 "$f"; mv -f "$f" "$O/"
done
"""


def assemble_script(bundle: Bundle) -> str:
    """Shell code building the bundle's tree at $B from the objects (once per bundle)."""
    lines = ['O="$R/deploy/objects"', f'B="$R/deploy/bundles/{bundle.ident}"',
             'if [ ! -d "$B" ]; then', '  mkdir -p "$R/deploy/bundles"; T="$B.tmp.$$"; rm -rf "$T"; mkdir -p "$T"']
    dirs = sorted({os.path.dirname(rel) for rel in bundle.files} - {""})
    if dirs:
        lines.append('  (cd "$T" && mkdir -p ' + " ".join(shlex.quote(d) for d in dirs) + ")")
    for rel in sorted(bundle.files):
        digest, x = bundle.files[rel]
        dest = '"$T"/' + shlex.quote(rel)
        lines.append(f'  cp "$O/{digest}" {dest}; chmod {"555" if x else "444"} {dest}')
    lines += ['  mv "$T" "$B"', "fi", 'cd "$B"']
    return "\n".join(lines)


# ---------------------------------------------------------------- one machine


class Target:
    def __init__(self, machine: Machine, options: Options, say: Callable[[str], None]) -> None:
        self.m = machine
        self.options = options
        self.say = say
        self.conn = Connection(machine.ssh, machine.name)
        self.root_code = root_assignment(options.root)
        self.have: set[str] = set()  # objects (build-locally? #f)
        self.items: set[str] = set()  # store items (build-locally? #t)
        self.schemy = ""
        self.root = ""  # the target's state root, as an absolute file name
        self.python = ""  # the Python that runs schemy there

    @property
    def store_prefix(self) -> str:
        """The target's store directory: what the items built for it are named under."""
        return self.root.rstrip("/") + "/store"

    def probe(self) -> None:
        r = self.conn.run(PROBE.format(root=self.root_code), timeout=60)
        if r.code != 0:
            raise DeployError(f"probing the machine failed: {_last_line(r.err)}")
        facts: dict[str, str] = {}
        for line in r.out.splitlines():
            key, _, value = line.partition(" ")
            if key == "have":
                self.have.add(value)
            elif key == "item":
                self.items.add(value)
            else:
                facts[key] = value
        self.root = os.path.normpath(facts.get("root", "")) if facts.get("root") else ""
        if not self.root.startswith("/"):
            raise DeployError("probing the machine failed: it did not say where its state root is")
        self.check_system(facts.get("machine", ""))
        venv_id, path = facts.get("venv"), facts.get("path")
        venv_python = facts.get("venvdir", "").rstrip("/") + "/bin/python"
        ours = wheel.source_id()
        if venv_id == ours:
            self.schemy, self.python = '"$V/bin/schemy"', venv_python
            return
        if venv_id and not self.m.ssh.allow_downgrades and _newer(venv_id, ours):
            raise DeployError(f"refused: the target runs schemy {venv_id.split('-')[0]}, newer than this "
                              f"{VERSION} (set allow-downgrades? to #t to deploy anyway)")
        # A schemy of the target's own is used when it is this version (it then speaks the same
        # protocol: imports items, switches to a system built here); otherwise ours is installed.
        if path and not venv_id and facts.get("pathversion") == VERSION:
            self.schemy, self.python = shlex.quote(path), facts.get("pathpython") or "python3"
            return
        if "python3" not in facts:
            raise DeployError("the target has neither schemy nor python3 to install it with "
                              "(Debian package python3)")
        self.install(ours)

    def check_system(self, machine: str) -> None:
        if not self.m.ssh.safety_checks or not machine:
            return
        wanted = self.m.ssh.system.split("-", 1)[0]
        aliases = {"i586": {"i386", "i486", "i586", "i686"}, "i686": {"i386", "i486", "i586", "i686"},
                   "armhf": {"armv7l"}}
        if machine != wanted and machine not in aliases.get(wanted, set()):
            raise DeployError(f"refused: the machine is {machine}, not {wanted} as its system field "
                              f"{self.m.ssh.system!r} says (safety-checks? is #t)")

    def install(self, ident: str) -> None:
        house = wheel.wheelhouse(ident)
        data = io.BytesIO()
        with tarfile.open(fileobj=data, mode="w") as tar:
            for p in sorted(house.glob("*.whl")):
                tar.add(p, arcname=p.name)
        r = self.conn.run(INSTALL.format(root=self.root_code, ident=shlex.quote(ident)), data.getvalue())
        if r.code != 0:
            raise DeployError(f"installing schemy on the target failed: {_last_line(r.err)}")
        venv = _last_line(r.out)
        self.say(f"{self.m.name}: installed schemy {VERSION} into {venv}")
        self.schemy, self.python = '"$V/bin/schemy"', venv.rstrip("/") + "/bin/python"

    def send(self, bundle: Bundle) -> int:
        missing = sorted(set(bundle.blobs) - self.have)
        if not missing:
            return 0
        data = io.BytesIO()
        with tarfile.open(fileobj=data, mode="w") as tar:
            for digest in missing:
                blob = bundle.blobs[digest]
                info = tarfile.TarInfo(digest)
                info.size = len(blob)
                info.mode = 0o444
                tar.addfile(info, io.BytesIO(blob))
        r = self.conn.run(RECEIVE.format(root=self.root_code), data.getvalue())
        if r.code != 0:
            raise DeployError(f"sending the configuration failed: {_last_line(r.err)}")
        self.have |= set(missing)
        return len(missing)

    def send_items(self, store: Store, system: str) -> int:
        """Send the items of ``system``'s closure that the target lacks; their number."""
        names = closure(store, system)
        missing = [n for n in names if n not in self.items]
        if missing:
            r = self.conn.run(f'set -e\n{self.root_code}\nexec {self.schemy} system import-items --root "$R"',
                              export_items(store, missing))
            if r.code != 0:
                raise DeployError(f"sending the system failed: {_error_line(r.err) or _last_line(r.err)}")
            self.items |= set(missing)
        self.say(f"{self.m.name}: sent {len(missing)} of {len(names)} store item(s) (the others were there)")
        return len(missing)

    def switch(self, system: str, accounts: dict) -> Report:
        """Switch the target to ``system``, built here and sent (``send_items``)."""
        import json

        dry = " --dry-run" if self.options.dry_run else ""
        script = (f"set -e\n{self.root_code}\n"
                  f'exec {self.schemy} system switch-to-built {shlex.quote(system)} --root "$R"{dry}')
        return self._outcome(self.conn.run(script, json.dumps(accounts).encode()))

    def reconfigure(self, bundle: Bundle) -> Report:
        dry = " --dry-run" if self.options.dry_run else ""
        script = (f"set -e\n{self.root_code}\n{assemble_script(bundle)}\n"
                  f"SCHEMY_DEPLOY_FILE={shlex.quote(bundle.main)}; export SCHEMY_DEPLOY_FILE\n"
                  f'exec {self.schemy} reconfigure {shlex.quote(entry_name(self.m))} --root "$R"{dry}')
        return self._outcome(self.conn.run(script))

    def _outcome(self, r: Any) -> Report:
        """The report of a reconfigure (or switch) on the target, from its output."""
        report = Report(self.m)
        report.lines = r.out.splitlines()
        out = r.out
        if r.code == 1 or (r.code != 0 and r.code != 3):
            report.detail = _error_line(r.err) or f"schemy reconfigure exited with status {r.code}"
            return report
        if self.options.dry_run:
            changes = [ln for ln in report.lines if ln.startswith("  ")]
            if "new system:" in out:
                report.status, report.detail = "would-change", _line_with(out, "new system:")
            elif changes:
                report.status, report.detail = "would-change", f"{len(changes)} change(s)"
            else:
                report.status = "no-change"
            return report
        gen = re.search(r"switched to generation (\d+)", out)
        same = re.search(r"generation (\d+) is already this system", out)
        if r.code == 3:
            failed = [ln for ln in report.lines if ln.startswith("service ") and "failed" in ln]
            report.detail = "; ".join(failed) or "some services failed to start"
            return report
        if gen:
            report.status, report.detail = "changed", f"generation {gen.group(1)}"
        elif same:
            report.status, report.detail = "unchanged", f"generation {same.group(1)}"
        else:
            report.status, report.detail = "changed", ""
        return report

    def roll_back(self) -> Report:
        report = Report(self.m)
        r = self.conn.run(f'set -e\n{self.root_code}\nexec {self.schemy} system roll-back --root "$R"')
        report.lines = r.out.splitlines()
        if r.code != 0:
            report.detail = _error_line(r.err) or f"roll-back exited with status {r.code}"
            return report
        gen = re.search(r"generation (\d+)", r.out)
        report.status, report.detail = "rolled-back", f"now at generation {gen.group(1)}" if gen else ""
        return report

    def execute(self, command: str) -> Report:
        report = Report(self.m)
        r = self.conn.run(f'{self.root_code}\nPATH="$V/bin:$PATH"; export PATH\n'
                          + ('SCHEMY_ROOT="$R"; export SCHEMY_ROOT\n' if self.options.root else "")
                          + command)
        report.lines = r.out.splitlines() + r.err.splitlines()
        if r.code == 0:
            report.status = "ok"
        else:
            report.detail = f"the command exited with status {r.code}"
        return report


def _newer(theirs: str, ours: str) -> bool:
    def key(ident: str) -> tuple[int, ...]:
        nums = re.findall(r"\d+", ident.split("-", 1)[0])
        return tuple(int(n) for n in nums)

    return key(theirs) > key(ours)


def _last_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else "no message"


def _line_with(text: str, needle: str) -> str:
    for ln in text.splitlines():
        if needle in ln:
            return ln.strip()
    return ""


def _error_line(err: str) -> str:
    """The target's ``FILE:LINE:COL: error:`` line (and its hint), or its last line."""
    lines = [ln for ln in err.splitlines() if ln.strip() and "WARNING" not in ln]
    for i, ln in enumerate(lines):
        if "error:" in ln:
            hint = next((h for h in lines[i + 1:] if h.startswith("hint:")), "")
            return ln.strip() + (f" ({hint})" if hint else "")
    return lines[-1].strip() if lines else ""


# ---------------------------------------------------------------- all machines


def staging_store(prefix: str, python: str) -> Store:
    """Where systems for a target whose store is ``prefix`` are built here: a store of its own
    per target store name (kept, so that deploying again builds and sends nothing new)."""
    key = hashlib.sha256(prefix.encode()).hexdigest()[:20]
    return Store(wheel.cache_dir() / "stores" / key, prefix=prefix, python=python)


def deploy(interp: Any, deploy_file: str, options: Options, say: Callable[[str], None] = print) -> list[Report]:
    """Deploy (or dry-run, roll back, run a command on) every machine of ``deploy_file``.

    The file is read from its own directory, by its name: the locations of its forms (part of
    a system, as ``FILE:LINE`` of each service) are then the same as where the target reads it,
    and do not depend on where it lies here."""
    here = os.getcwd()
    directory, name = os.path.split(os.path.abspath(deploy_file))
    os.chdir(directory)
    try:
        return _deploy(interp, name, options, say, os.path.dirname(deploy_file))
    except SchemeError as e:
        raise _as_given(e, os.path.dirname(deploy_file)) from None
    finally:
        os.chdir(here)


def _as_given(err: SchemeError, directory: str) -> SchemeError:
    """``err`` located as the user named the deployment file's directory (it was read from there
    by relative names)."""
    from schemy.lang.datum import SourceLocation

    loc = err.loc
    if loc is not None and not os.path.isabs(loc.filename):
        err.loc = SourceLocation(os.path.join(directory, loc.filename), loc.line, loc.column)
    return err


def _build_error(err: SchemeError, directory: str) -> str:
    return "the local build failed: " + render_error(_as_given(err, directory)).splitlines()[0]


def _deploy(interp: Any, deploy_file: str, options: Options, say: Callable[[str], None],
            shown_dir: str) -> list[Report]:
    machines = load_machines(interp, deploy_file)
    reports: dict[int, Report] = {}
    ready: list[Machine] = []
    switching = not options.roll_back and options.execute is None
    for m in machines:
        if not switching or m.ssh.build_locally:
            ready.append(m)  # built below, for its target's store, once the target is known
            continue
        try:
            evaluate_locally(interp, deploy_file, m)  # the target builds
            ready.append(m)
        except SchemeError as e:
            reports[m.index] = Report(m, "failed", _build_error(e, shown_dir))
    bundle: Bundle | None = None
    remote = [m for m in ready if switching and not m.ssh.build_locally]
    if remote:
        try:
            bundle = make_bundle(deploy_file, remote)
        except DeployError as e:
            for m in remote:
                reports[m.index] = Report(m, "failed", str(e))
            ready = [m for m in ready if m not in remote]
    lock = threading.Lock()

    def locked_say(text: str) -> None:
        with lock:
            say(text)

    def finish(m: Machine, report: Report) -> None:
        with lock:
            for line in report.lines:
                say(f"{m.name}| {line}")
            reports[m.index] = report

    targets: dict[int, Target] = {}

    def connect(m: Machine) -> None:
        target = Target(m, options, locked_say)
        try:
            target.probe()
            targets[m.index] = target
        except DeployError as e:
            target.conn.close()
            finish(m, Report(m, "failed", str(e)))

    # The targets are probed (and given schemy) in parallel; the systems built here are built one
    # at a time (there is one interpreter); then each target receives what it lacks and switches.
    built: dict[int, tuple[Store, Any]] = {}
    names = [m.name for m in machines]
    try:
        _in_parallel(connect, ready, options.jobs)
        for m in ready:
            target = targets.get(m.index)
            if target is None or not switching or not m.ssh.build_locally:
                continue
            store = staging_store(target.store_prefix, target.python)
            try:
                built[m.index] = (store, _build_for(interp, deploy_file, m, names, store))
            except SchemeError as e:
                finish(m, Report(m, "failed", _build_error(e, shown_dir)))
            except OSError as e:
                finish(m, Report(m, "failed", f"the local build failed: {e}"))

        def one(m: Machine) -> None:
            target = targets[m.index]
            try:
                if options.execute is not None:
                    report = target.execute(options.execute)
                elif options.roll_back:
                    report = target.roll_back()
                elif m.ssh.build_locally:
                    store, system = built[m.index]
                    target.send_items(store, system.path)
                    report = target.switch(system.path, system.accounts)
                else:
                    assert bundle is not None
                    sent = target.send(bundle)
                    locked_say(f"{m.name}: sent {sent} of {len(bundle.blobs)} object(s) (the others were there)")
                    report = target.reconfigure(bundle)
            except DeployError as e:
                report = Report(m, "failed", str(e))
            except SchemeError as e:  # an item of the system missing here (a damaged local store)
                report = Report(m, "failed", "sending the system failed: " + render_error(e).splitlines()[0])
            except OSError as e:
                report = Report(m, "failed", f"sending the system failed: {e}")
            finish(m, report)

        _in_parallel(one, [m for m in ready if m.index in targets and m.index not in reports], options.jobs)
    finally:
        for target in targets.values():
            target.conn.close()
    return [reports[m.index] for m in machines]


def _build_for(interp: Any, deploy_file: str, m: Machine, names: list[str], store: Store) -> Any:
    """Machine M's system, built here in ``store`` (named for its target's store).  Its
    configuration.scm is M's entry file, as when the target builds it itself: a change to
    another machine of the deployment file does not change M's system."""
    import tempfile

    from schemy.system.build import build_system

    with tempfile.TemporaryDirectory(prefix="schemy-deploy-") as tmp:
        entry = Path(tmp) / entry_name(m)
        entry.write_text(entry_text(Path(deploy_file).name, m, names.count(m.name) == 1))
        entry.chmod(os.stat(deploy_file).st_mode & 0o777)  # a private deployment file stays private
        return build_system(interp, str(entry), store, os_record=m.os_record)


def _in_parallel(fn: Callable[[Machine], None], machines: list[Machine], jobs: int) -> None:
    if machines:
        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(machines)))) as pool:
            list(pool.map(fn, machines))

"""``schemy deploy``: every machine of a deployment file, in parallel with a bound.

For each machine: its system is built locally (a broken configuration is caught before
anything is sent); the target is probed over ssh (its state root, the objects it already
has, its schemy); the deploying machine's schemy is installed there when it has none; the
deployment file and the local files its systems read are sent as objects named by their
SHA-256, only those the target lacks; and the target's own ``schemy reconfigure`` runs on
them.  One machine failing does not stop the others; each gets one summary line.
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
from schemy.deploy.machines import Machine, build_locally, load_machines
from schemy.deploy.ssh import Connection, DeployError
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
echo "machine $(uname -m)"
if [ -x "$V/bin/schemy" ]; then echo "venv $(cat "$V/wheel-id" 2>/dev/null || echo unknown)"; fi
S=$(command -v schemy 2>/dev/null) && echo "path $S"
command -v python3 >/dev/null 2>&1 && echo "python3 $(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ -d "$R/deploy/objects" ]; then ls "$R/deploy/objects" | sed 's/^/have /'; fi
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
        self.have: set[str] = set()
        self.schemy = ""

    def probe(self) -> None:
        r = self.conn.run(PROBE.format(root=self.root_code), timeout=60)
        if r.code != 0:
            raise DeployError(f"probing the machine failed: {_last_line(r.err)}")
        facts: dict[str, str] = {}
        for line in r.out.splitlines():
            key, _, value = line.partition(" ")
            if key == "have":
                self.have.add(value)
            else:
                facts[key] = value
        self.check_system(facts.get("machine", ""))
        venv_id, path = facts.get("venv"), facts.get("path")
        ours = wheel.source_id()
        if venv_id == ours:
            self.schemy = '"$V/bin/schemy"'
            return
        if venv_id and not self.m.ssh.allow_downgrades and _newer(venv_id, ours):
            raise DeployError(f"refused: the target runs schemy {venv_id.split('-')[0]}, newer than this "
                              f"{VERSION} (set allow-downgrades? to #t to deploy anyway)")
        if path and not venv_id:
            self.schemy = shlex.quote(path)
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
        self.say(f"{self.m.name}: installed schemy {VERSION} into {_last_line(r.out)}")
        self.schemy = '"$V/bin/schemy"'

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

    def reconfigure(self, bundle: Bundle) -> Report:
        report = Report(self.m)
        dry = " --dry-run" if self.options.dry_run else ""
        script = (f"set -e\n{self.root_code}\n{assemble_script(bundle)}\n"
                  f"SCHEMY_DEPLOY_FILE={shlex.quote(bundle.main)}; export SCHEMY_DEPLOY_FILE\n"
                  f'exec {self.schemy} reconfigure {shlex.quote(entry_name(self.m))} --root "$R"{dry}')
        r = self.conn.run(script)
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


def deploy(interp: Any, deploy_file: str, options: Options, say: Callable[[str], None] = print) -> list[Report]:
    """Deploy (or dry-run, roll back, run a command on) every machine of ``deploy_file``."""
    machines = load_machines(interp, deploy_file)
    reports: dict[int, Report] = {}
    ready: list[Machine] = []
    if options.roll_back or options.execute is not None:
        ready = machines
    else:
        for m in machines:
            try:
                build_locally(interp, deploy_file, m)
                ready.append(m)
            except SchemeError as e:
                reports[m.index] = Report(m, "failed", "the local build failed: " + render_error(e).splitlines()[0])
    bundle: Bundle | None = None
    if ready and not options.roll_back and options.execute is None:
        try:
            bundle = make_bundle(deploy_file, ready)
        except DeployError as e:
            for m in ready:
                reports[m.index] = Report(m, "failed", str(e))
            ready = []
    lock = threading.Lock()

    def locked_say(text: str) -> None:
        with lock:
            say(text)

    def one(m: Machine) -> Report:
        target = Target(m, options, locked_say)
        try:
            target.probe()
            if options.execute is not None:
                report = target.execute(options.execute)
            elif options.roll_back:
                report = target.roll_back()
            else:
                assert bundle is not None
                sent = target.send(bundle)
                locked_say(f"{m.name}: sent {sent} of {len(bundle.blobs)} object(s) (the others were there)")
                report = target.reconfigure(bundle)
        except DeployError as e:
            report = Report(m, "failed", str(e))
        finally:
            target.conn.close()
        with lock:
            for line in report.lines:
                say(f"{m.name}| {line}")
        return report

    if ready:
        with ThreadPoolExecutor(max_workers=max(1, min(options.jobs, len(ready)))) as pool:
            for report in pool.map(one, ready):
                reports[report.machine.index] = report
    return [reports[m.index] for m in machines]

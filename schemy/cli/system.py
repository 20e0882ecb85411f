"""``schemy system ...``, ``schemy reconfigure`` and ``schemy gc``: the verbs that build
and switch systems, and the ones that show a configuration's service graph."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from schemy.cli.main import Context, load_path_option, report_errors

HOST_KEY = "schemy.system.host"


def _remember(key: str) -> Any:
    def callback(ctx: click.Context, _param: Any, value: bool) -> None:
        if value:
            ctx.meta[key] = True
    return callback


def root_option(fn: Any) -> Any:
    fn = click.option("--host", is_flag=True, expose_value=False, callback=_remember(HOST_KEY),
                      help="Host mode: act on this machine itself (its /etc, accounts and init); "
                           "the same as --root /.")(fn)
    return click.option("--root", "root", metavar="DIR", default=None,
                        help="State root (default: $SCHEMY_ROOT, else $XDG_STATE_HOME/schemy).")(fn)


def network_option(fn: Any) -> Any:
    return click.option("--network", type=click.Choice(["shared", "private"]), default="shared",
                        show_default=True,
                        help="The services' network: the host's, or a namespace with only a loopback "
                             "(when the root's service manager starts).")(fn)


def yes_option(fn: Any) -> Any:
    return click.option("--yes", "-y", is_flag=True, expose_value=False, callback=_remember(HOST_KEY + ".yes"),
                        help="Host mode: accept changing this machine without a prompt.")(fn)


def host_requested(root: str | None) -> bool:
    """Host mode is only ever explicit: --host, or --root / on the command line."""
    from schemy.system.host import is_host_root

    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(HOST_KEY)) or is_host_root(root)


def state_root(root: str | None) -> Any:
    from schemy.cli.quick import plain_state_root
    from schemy.system.host import HostRoot

    if host_requested(root):
        ctx = click.get_current_context(silent=True)
        yes = bool(ctx is not None and ctx.meta.get(HOST_KEY + ".yes"))
        return HostRoot(confirm=lambda lines: _confirm_host(lines, yes), say=click.echo)
    return plain_state_root(root)


def _confirm_host(lines: list[str], yes: bool) -> bool:
    """The first switch of a machine: --yes, or a yes at the prompt on a terminal."""
    from schemy.lang.errors import scheme_error

    if yes:
        return True
    if not sys.stdin.isatty():
        raise scheme_error("host mode changes this machine's /etc, accounts and init: refusing to do it "
                           "without a confirmation, and there is no terminal to ask on",
                           kind="system-error", hint="run it on a terminal, or pass --yes to accept")
    for line in lines:
        click.echo(line)
    return click.confirm("Switch this machine to the new system?", default=False)


@click.group()
def system() -> None:
    """Build, switch and inspect systems (like `guix system`).

    \b
    Examples:
      schemy system build config.scm             build, print the store path
      schemy system reconfigure config.scm       switch to it
      schemy system list-generations             the systems switched to
      schemy system roll-back                    back to the previous one
      schemy system search libvirt               find service types
      schemy system extension-graph config.scm   the service graph (Graphviz)
    """


# ---------------------------------------------------------------- build & reconfigure


@system.command()
@click.argument("file", type=click.Path(dir_okay=False))
@root_option
@load_path_option(guix_order=True)
@click.pass_obj
def build(ctx: Context, file: str, root: str | None) -> None:
    """Build FILE's system and print its store path.

    The system is realized in the store of the state root; nothing is switched,
    activated or started.
    """
    from schemy.cli.quick import build as build_verb

    # the root is found before the worker thread starts: click's context is not visible there
    build_verb(ctx, file, lambda: state_root(root or ctx.root))


@click.command(name="reconfigure")
@click.argument("file", type=click.Path(dir_okay=False))
@root_option
@yes_option
@click.option("--dry-run", "-n", is_flag=True, help="Show what would change, touch nothing.")
@click.option("--no-services", is_flag=True, help="Switch and activate, but do not start or stop services.")
@network_option
@load_path_option(guix_order=True)
@click.pass_obj
def reconfigure_cmd(ctx: Context, file: str, root: str | None, dry_run: bool, no_services: bool,
                    network: str) -> None:
    """Build FILE's system and switch to it.

    The new system becomes a new generation, atomically; it is then activated
    (accounts, /etc, activation snippets) and its services are upgraded: new ones
    are started, removed ones stopped, changed ones restarted.  Exit status 3
    means the switch happened but some services failed to start.

    With --host (or --root /), the system is applied to this machine itself
    (its /etc, accounts and init); the first switch of a machine asks for a
    confirmation (--yes gives it), and `schemy system delete --host` undoes it.
    """
    from schemy.system.reconfigure import reconfigure

    def action() -> int:
        from schemy.cli.progress import terminal_progress

        _refuse_unconfirmed_early(root or ctx.root, dry_run)
        interp = ctx.interpreter()
        r = state_root(root or ctx.root)  # here: click's context is not visible in the worker thread
        with terminal_progress() as say:
            outcome = interp.run_protected(
                lambda: reconfigure(interp, file, r, dry_run=dry_run, say=say,
                                    start_services=not no_services, network=network))
        return outcome.code

    code = report_errors(ctx, action)
    sys.exit(code or 0)


system.add_command(reconfigure_cmd)


# ---------------------------------------------------------------- what `schemy deploy` runs on a target


@system.command(name="import-items", hidden=True)
@root_option
@click.pass_obj
def import_items_cmd(ctx: Context, root: str | None) -> None:
    """Add the store items of an archive read from standard input (made by `schemy deploy'),
    each checked against its content hash first."""
    from schemy.guix.store import Store, import_items

    def action() -> int:
        r = state_root(root or ctx.root)
        r.ensure()
        with r.lock():
            added = import_items(Store(r.store_dir), sys.stdin.buffer)
        click.echo(f"imported {len(added)} item(s)")
        return 0

    sys.exit(report_errors(ctx, action) or 0)


def _refuse_unconfirmed_early(root: str | None, dry_run: bool) -> None:
    """Without a terminal nor --yes, a first host switch is refused before building anything."""
    from schemy.system.host import HOST_STATE_DIR, needs_confirmation

    ctx = click.get_current_context()
    if dry_run or not host_requested(root) or ctx.meta.get(HOST_KEY + ".yes") or sys.stdin.isatty():
        return
    if needs_confirmation(HOST_STATE_DIR):
        _confirm_host([], False)


@system.command()
@root_option
@click.pass_obj
def boot(ctx: Context, root: str | None) -> None:
    """Start the current system: what the host's init runs at boot.

    The current generation is applied again (with --host: /etc entries, accounts),
    activated, and its services handed to the service manager, started if needed.
    """
    from schemy.lang.errors import SchemeError, scheme_error
    from schemy.system.reconfigure import upgrade_services

    def action() -> int:
        r = state_root(root or ctx.root)
        r.started_by_init = True
        try:
            with r.lock():
                r.repair()
                gen = r.current_generation()
                if gen is None or gen.broken:
                    raise scheme_error(f"no intact current system in {r.root}", hint="reconfigure first")
                r.switch_to(gen)
        except SchemeError as e:
            if e.condition is None or e.condition.kind != "locked":
                raise
            # A reconfigure (or roll-back) is switching the root: it hands the services over itself.
            click.echo(f"{e.message()}: leaving the services to it")
            return 0
        _activate(ctx, r, gen)
        network = "shared" if r.has_view() else None
        return upgrade_services(r, os.path.join(gen.store_item, "manager.scm"), click.echo, network)

    sys.exit(report_errors(ctx, action) or 0)


@system.command(name="switch-to-built", hidden=True)
@click.argument("item")
@root_option
@click.option("--dry-run", "-n", is_flag=True, help="Show what would change, touch nothing.")
@click.pass_obj
def switch_to_built_cmd(ctx: Context, item: str, root: str | None, dry_run: bool) -> None:
    """Reconfigure to ITEM, a system built by `schemy deploy' elsewhere and imported into this
    root's store; its accounts (with their password hashes) are read as JSON from standard input."""
    import json

    from schemy.system.reconfigure import switch_to_built

    def action() -> int:
        accounts = json.loads(sys.stdin.read())
        interp = ctx.interpreter()
        outcome = interp.run_protected(
            lambda: switch_to_built(interp, item, accounts, state_root(root or ctx.root), dry_run=dry_run,
                                    say=click.echo))
        return outcome.code

    sys.exit(report_errors(ctx, action) or 0)


@system.command()
@root_option
@yes_option
@click.pass_obj
def delete(ctx: Context, root: str | None) -> None:
    """Delete the host system (--host): put this machine back as it was.

    The services are stopped, every /etc file schemy replaced is restored byte
    for byte, the entries, accounts and systemd unit schemy added are removed
    (accounts that existed before are never touched), and the state root
    /var/lib/schemy is deleted with its generations.
    """
    from schemy.lang.errors import scheme_error
    from schemy.system.host import HostRoot, delete_host_system

    def action() -> None:
        r = state_root(root or ctx.root)
        if not isinstance(r, HostRoot):
            raise scheme_error("`schemy system delete` undoes host mode: pass --host",
                               hint=f"a state root is deleted with `schemy herd --root DIR stop root` "
                                    f"and `rm -r DIR` ({r.root})")
        if not r.root.exists():
            click.echo(f"no host system in {r.root}")
            return
        yes = click.get_current_context().meta.get(HOST_KEY + ".yes")
        if not _confirm_host([f"This stops schemy's services and restores this machine's /etc and "
                              f"accounts, then deletes {r.root}."], bool(yes)):
            raise scheme_error("nothing deleted: not confirmed")
        delete_host_system(r, click.echo)

    report_errors(ctx, action)


# ---------------------------------------------------------------- generations


@system.command(name="list-generations")
@root_option
@click.pass_obj
def list_generations(ctx: Context, root: str | None) -> None:
    """List the system generations, marking the current one."""

    def action() -> None:
        r = state_root(root or ctx.root)
        current = r.current_generation()
        gens = r.generations()
        if not gens:
            click.echo(f"no system generation in {r.root}")
            return
        for g in gens:
            meta = g.metadata()
            mark = "  (current)" if current and g.number == current.number else ""
            if g.broken:
                mark += "  (broken: its system is missing)"
            when = time.strftime("%b %d %Y %H:%M:%S", time.localtime(g.created))
            click.echo(f"Generation {g.number}\t{when}{mark}")
            click.echo(f"  file name: {g.system_dir}")
            click.echo(f"  system: {g.store_item or 'missing'}")
            if meta.get("config"):
                click.echo(f"  configuration file: {meta['config']}")
            click.echo("")

    report_errors(ctx, action)


@system.command(name="roll-back")
@root_option
@click.pass_obj
def roll_back_cmd(ctx: Context, root: str | None) -> None:
    """Switch to the previous generation.

    When a service manager runs for the root, its services are upgraded to
    those of that generation.
    """
    from schemy.system.reconfigure import roll_back, upgrade_services

    def action() -> int:
        r = state_root(root or ctx.root)
        gen = roll_back(r)
        click.echo(f"switched from the current generation to generation {gen.number}")
        return _restart_services_for(r, gen, upgrade_services, ctx)

    sys.exit(report_errors(ctx, action) or 0)



@system.command(name="switch-generation")
@click.argument("number", type=int)
@root_option
@click.pass_obj
def switch_generation_cmd(ctx: Context, number: int, root: str | None) -> None:
    """Switch to generation NUMBER.

    When a service manager runs for the root, its services are upgraded to
    those of that generation.
    """
    from schemy.system.reconfigure import switch_generation, upgrade_services

    def action() -> int:
        r = state_root(root or ctx.root)
        gen = switch_generation(r, number)
        click.echo(f"switched to generation {gen.number}")
        return _restart_services_for(r, gen, upgrade_services, ctx)

    sys.exit(report_errors(ctx, action) or 0)



def _restart_services_for(r: Any, gen: Any, upgrade_services: Any, ctx: Context | None = None) -> int:
    """After switching generations: activate the target system (as Guix does), then
    upgrade the running services to it."""
    from schemy.shepherd import herd

    if ctx is not None:
        _activate(ctx, r, gen)

    manager = os.path.join(gen.store_item, "manager.scm")
    if not herd.Client(r.root).alive() or not os.path.exists(manager):
        return 0
    return upgrade_services(r, manager, click.echo)


def _activate(ctx: Context, r: Any, gen: Any) -> None:
    from schemy.system.reconfigure import run_activation

    script = os.path.join(gen.store_item, "activate.scm")
    if os.path.exists(script):
        interp = ctx.interpreter()
        interp.run_protected(lambda: run_activation(interp, script, r.activation_root(), r.has_view()))


@system.command(name="delete-generations")
@click.argument("pattern", required=False)
@root_option
@click.pass_obj
def delete_generations_cmd(ctx: Context, pattern: str | None, root: str | None) -> None:
    """Delete old generations, then unreferenced store items.

    PATTERN is a generation number N, a range N..M (N.. and ..M too), or Nd for
    the generations older than N days; without PATTERN, every generation but the
    current one is deleted.  The current generation is never deleted.
    """
    from schemy.system.reconfigure import collect_garbage, delete_generations

    def action() -> None:
        r = state_root(root or ctx.root)
        deleted = delete_generations(r, pattern)
        if deleted:
            click.echo("deleted generations: " + " ".join(str(n) for n in deleted))
        else:
            click.echo("no generation to delete")
        removed = collect_garbage(r)
        click.echo(f"removed {len(removed)} unreferenced store items")

    report_errors(ctx, action)


@system.command()
@root_option
@click.pass_obj
def describe(ctx: Context, root: str | None) -> None:
    """Describe the current system generation.

    Shows its configuration file, store path, users and services.
    """
    from schemy.system.reconfigure import SystemView

    def action() -> None:
        r = state_root(root or ctx.root)
        gen = r.current_generation()
        if gen is None:
            click.echo(f"no current system in {r.root}")
            return
        if gen.broken:
            click.echo(f"Generation {gen.number} (broken: its system is missing)")
            click.echo(f"  file name: {gen.system_dir}")
            click.echo("  hint: reconfigure, or switch to an intact generation")
            return
        meta = gen.metadata()
        view = SystemView.of_item(gen.store_item)
        click.echo(f"Generation {gen.number}")
        click.echo(f"  configuration file: {meta.get('config', 'unknown')}")
        click.echo(f"  system: {gen.store_item}")
        click.echo(f"  etc files: {len(view.etc)}")
        click.echo(f"  users: {', '.join(u['name'] for u in view.accounts.get('users', []))}")
        click.echo("  services:")
        for name, s in sorted(view.shepherd.items()):
            host = " (provided by the host)" if s.get("host_provided") else ""
            click.echo(f"    {name}{host}")

    report_errors(ctx, action)


@system.command()
@click.argument("gen_a", required=False, type=int, metavar="[GEN-A]")
@click.argument("gen_b", required=False, type=int, metavar="[GEN-B]")
@root_option
@click.pass_obj
def diff(ctx: Context, gen_a: int | None, gen_b: int | None, root: str | None) -> None:
    """Show what changed between two generations.

    Without argument, compares the previous generation with the current one;
    with GEN-A only, compares GEN-A with the current one.  Changed /etc files are
    shown as unified diffs, then services and accounts added, removed or changed.
    """
    generations = tuple(g for g in (gen_a, gen_b) if g is not None)
    from schemy.system.reconfigure import SystemView, diff_systems

    def action() -> None:
        r = state_root(root or ctx.root)
        gens = r.generations()
        current = r.current_generation()
        if len(generations) == 2:
            a, b = r.generation(generations[0]), r.generation(generations[1])
        elif len(generations) == 1:
            a, b = r.generation(generations[0]), current
        else:
            if current is None:
                click.echo("no current system")
                return
            older = [g for g in gens if g.number < current.number]
            if not older:
                click.echo(f"generation {current.number} has no predecessor")
                return
            a, b = older[-1], current
        if a is None or b is None:
            click.echo("no such generations")
            return
        for g in (a, b):
            if g.broken:
                from schemy.lang.errors import scheme_error

                raise scheme_error(f"generation {g.number} is broken: its system directory or store item "
                                   "is missing", kind="missing-generation",
                                   hint=f"delete it with `schemy system delete-generations {g.number}`")
        click.echo(f"--- generation {a.number}\n+++ generation {b.number}")
        lines = diff_systems(SystemView.of_item(a.store_item), SystemView.of_item(b.store_item), unified=True)
        click.echo("\n".join(lines) if lines else "  (identical)")

    report_errors(ctx, action)


@click.command()
@root_option
@click.pass_obj
def gc(ctx: Context, root: str | None) -> None:
    """Delete store items that no generation references."""
    from schemy.system.reconfigure import collect_garbage

    def action() -> None:
        removed = collect_garbage(state_root(root or ctx.root))
        click.echo(f"removed {len(removed)} store items")

    report_errors(ctx, action)


# ---------------------------------------------------------------- graphs


def _folded(ctx: Context, file: str) -> tuple[Any, list, dict]:
    from schemy.system.build import fold_config

    interp = ctx.interpreter()
    _os, all_services, values = interp.run_protected(lambda: fold_config(interp, file))
    return interp, all_services, values


def _emit_graph(dot: str, fmt: str) -> None:
    if fmt == "dot":
        click.echo(dot, nl=False)
        return
    from schemy.lang.errors import scheme_error

    exe = shutil.which("dot")
    if exe is None:
        raise scheme_error("--format svg needs Graphviz's `dot` program, which is not installed",
                           hint="install Graphviz (Debian package: graphviz), or leave out "
                                "--format svg to print the dot text")
    out = subprocess.run([exe, "-Tsvg"], input=dot.encode(), capture_output=True, check=False)
    if out.returncode != 0:
        raise scheme_error(f"dot failed: {out.stderr.decode(errors='replace').strip()}")
    sys.stdout.buffer.write(out.stdout)


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def extension_graph_dot(all_services: list) -> str:
    from schemy.lang.datum import Symbol, list_to_python, to_str
    from schemy.runtime.records import record_ref

    def tname(t: Any) -> str:
        n = record_ref(t, Symbol("name"))
        return n.name if isinstance(n, Symbol) else to_str(n)

    lines = ['digraph "Service Type Dependencies" {']
    seen = set()
    edges = []
    for s in all_services:
        t = record_ref(s, Symbol("type"))
        name = tname(t)
        if name not in seen:
            seen.add(name)
            lines.append(f"  {_q(name)} [label = {_q(name)}, shape = box, fontname = sans];")
        for ext in list_to_python(record_ref(t, Symbol("extensions"))):
            target = tname(ext.values[0])
            edges.append(f"  {_q(name)} -> {_q(target)};")
    lines += sorted(set(edges), key=edges.index)
    lines.append("}")
    return "\n".join(lines) + "\n"


def shepherd_graph_dot(values: dict) -> str:
    from schemy.lang.datum import NIL, Symbol, list_to_python
    from schemy.runtime.records import record_ref

    lines = ['digraph "Shepherd Service Dependencies" {']
    services = list_to_python(values.get("shepherd-root", NIL))
    by_name: dict[str, str] = {}
    for s in services:
        prov = [p.name for p in list_to_python(record_ref(s, Symbol("provision")))]
        by_name.update({p: prov[0] for p in prov})
        lines.append(f"  {_q(prov[0])} [label = {_q(' '.join(prov))}, shape = box, fontname = sans];")
    for s in services:
        prov = [p.name for p in list_to_python(record_ref(s, Symbol("provision")))]
        for req in list_to_python(record_ref(s, Symbol("requirement"))):
            target = by_name.get(req.name, req.name)
            lines.append(f"  {_q(prov[0])} -> {_q(target)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def format_option(fn: Any) -> Any:
    return click.option("--format", "fmt", type=click.Choice(["dot", "svg"]), default="dot",
                        show_default=True,
                        help="Graphviz dot text, or an SVG picture rendered by Graphviz's `dot`.")(fn)


@system.command(name="extension-graph")
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
@load_path_option(guix_order=True)
@click.pass_obj
def extension_graph(ctx: Context, file: str, fmt: str) -> None:
    """Print FILE's service extension graph.

    Nodes are the service types of the system; an edge A -> B means that A
    extends B, down to the root `system` service.  For a picture:

    \b
      schemy system extension-graph config.scm | dot -Tpdf > services.pdf
    """
    report_errors(ctx, lambda: _emit_graph(extension_graph_dot(_folded(ctx, file)[1]), fmt))


@system.command(name="shepherd-graph")
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
@load_path_option(guix_order=True)
@click.pass_obj
def shepherd_graph(ctx: Context, file: str, fmt: str) -> None:
    """Print FILE's shepherd service graph.

    Nodes are shepherd services, labelled with what they provide; an edge
    A -> B means that A requires B (B is started first).  For a picture:

    \b
      schemy system shepherd-graph config.scm | dot -Tsvg > shepherd.svg
    """
    report_errors(ctx, lambda: _emit_graph(shepherd_graph_dot(_folded(ctx, file)[2]), fmt))


# ---------------------------------------------------------------- search


def all_service_types(interp: Any) -> list[tuple[Any, tuple[str, ...]]]:
    """Every service type exported by a module under gnu/services (loading them all)."""
    from schemy.lang.datum import Symbol, make_list
    from schemy.runtime.modules import Cell
    from schemy.runtime.records import Record

    found: dict[int, tuple[Any, tuple[str, ...]]] = {}
    for d in interp.load_path:
        base = Path(d)
        for f in sorted(list(base.glob("gnu/services.scm")) + list(base.glob("gnu/services/*.scm"))):
            rel = f.relative_to(base).with_suffix("")
            name = tuple(rel.parts)
            if f.name == "qemu-platforms.scm":
                continue
            try:
                module = interp.resolve_module(make_list([Symbol(p) for p in name]))
            except Exception:  # noqa: BLE001 - a broken module must not hide the others
                continue
            for b in module.public_bindings().values():
                if isinstance(b, Cell) and b.bound and isinstance(b.value, Record) \
                        and b.value.rtd.name == "<service-type>":
                    found.setdefault(id(b.value), (b.value, name))
    return list(found.values())


def search_service_types(interp: Any, patterns: list[str]) -> list[tuple[int, Any, tuple[str, ...]]]:
    from schemy.lang.datum import Symbol, to_str
    from schemy.lang.errors import scheme_error
    from schemy.runtime.records import record_ref

    regexps = []
    for p in patterns:
        try:
            regexps.append(re.compile(p, re.IGNORECASE))
        except re.error as e:
            raise scheme_error(f"invalid regular expression '{p}': {e}") from None
    results = []
    for t, module in all_service_types(interp):
        name = record_ref(t, Symbol("name"))
        name = name.name if isinstance(name, Symbol) else to_str(name)
        desc = record_ref(t, Symbol("description"))
        desc = to_str(desc) if desc is not False else ""
        # Like `guix system search`: every regexp must match; a match in the name
        # weighs 3, one in the description 2.
        score = 0
        for rx in regexps:
            hits = 3 * len(rx.findall(name)) + 2 * len(rx.findall(desc))
            if not hits:
                score = 0
                break
            score += hits
        if score:
            results.append((score, t, module))
    results.sort(key=lambda r: (-r[0], _name_of(r[1])))
    return results


def _name_of(t: Any) -> str:
    from schemy.lang.datum import Symbol, to_str
    from schemy.runtime.records import record_ref

    n = record_ref(t, Symbol("name"))
    return n.name if isinstance(n, Symbol) else to_str(n)


@system.command()
@click.argument("regexps", nargs=-1, required=True)
@click.option("--fields", is_flag=True, help="Also list the configuration's fields with their documentation.")
@load_path_option(guix_order=True)
@click.pass_obj
def search(ctx: Context, regexps: tuple[str, ...], fields: bool) -> None:
    """Search for service types matching REGEXPS.

    Each REGEXP is matched, ignoring case, against the names and descriptions of
    the service types of the gnu/services modules on the load path (add yours
    with -L); a service type must match every REGEXP.  Results are printed as
    recutils records, most relevant first.

    \b
    Example:
      schemy system search libvirt
      schemy system search --fields ganeti rapi
    """
    from schemy.lang.datum import Symbol, list_to_python, to_str
    from schemy.runtime.records import record_ref

    def action() -> None:
        interp = ctx.interpreter()
        results = interp.run_protected(lambda: search_service_types(interp, list(regexps)))
        out = []
        for score, t, module in results:
            loc = record_ref(t, Symbol("location"))
            exts = [_name_of(e.values[0]) for e in list_to_python(record_ref(t, Symbol("extensions")))]
            desc = record_ref(t, Symbol("description"))
            desc = to_str(desc) if desc is not False else ""
            rec = [f"name: {_name_of(t)}",
                   f"location: {loc if loc is not False else '(' + ' '.join(module) + ')'}",
                   f"extends: {' '.join(exts)}",
                   description_field(desc)]
            if fields:
                rec += _field_lines(interp, t, module)
            rec.append(f"relevance: {score}")
            out.append("\n".join(rec))
        click.echo("\n\n".join(out) + ("\n" if out else ""), nl=False)
        if not out:
            sys.exit(1)

    report_errors(ctx, action)


def definition_location(interp: Any, name: str) -> tuple[str, int] | None:
    """Where ``name`` is defined: a service type's name (``libvirt``) or any variable a library
    module exports (``libvirt-service-type``, ``libvirt-configuration``...): (file, line)."""
    from schemy.eval.library_index import build_index
    from schemy.lang.datum import Symbol, make_list
    from schemy.lang.procinfo import procedure_info
    from schemy.runtime.records import Record, record_ref

    for t, _module in all_service_types(interp):
        loc = record_ref(t, Symbol("location"))
        if _name_of(t) == name and loc is not False:
            return str(loc.filename), loc.line
    for module in sorted(build_index(interp.load_path).get(name, []), key=len):
        m = interp.resolve_module(make_list([Symbol(p) for p in module]))
        value = None
        try:
            value = m.value(name)
        except KeyError:
            pass
        info = procedure_info(value) if callable(value) else None
        if info is not None and info[2] is not None:
            return str(info[2].filename), info[2].line
        if isinstance(value, Record) and Symbol("location") in value.rtd.index:
            loc = record_ref(value, Symbol("location"))
            if loc not in (False, None):
                return str(loc.filename), loc.line
        if m.filename:
            line = _defining_line(m.filename, name)
            if line is not None:
                return m.filename, line
    return None


def _defining_line(path: str, name: str) -> int | None:
    """The line of the form that defines ``name`` in a library file (by its text)."""
    pattern = re.compile(r"^\s*\(define[\w*-]*\s+(?:<[^>\s]+>\s+)?\(?" + re.escape(name) + r"(?:[\s)]|$)")
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for i, line in enumerate(lines, 1):
        if pattern.match(line):
            return i
    return None


@system.command()
@click.argument("name")
@load_path_option(guix_order=True)
@click.pass_obj
def edit(ctx: Context, name: str) -> None:
    """Open the definition of NAME in $VISUAL or $EDITOR (like `guix system edit`).

    NAME is a service type's name (libvirt) or a variable of the library
    (libvirt-service-type, libvirt-configuration, %base-services...).
    """
    import os
    import shlex
    import subprocess

    from schemy.lang.errors import scheme_error

    def action() -> tuple[str, int]:
        interp = ctx.interpreter()
        where = interp.run_protected(lambda: definition_location(interp, name))
        if where is None:
            raise scheme_error(f"{name}: no service type or library variable of that name",
                               hint="`schemy system search REGEXP` finds service types")
        return where

    path, line = report_errors(ctx, action)
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "nano"
    try:
        sys.exit(subprocess.call([*shlex.split(editor), f"+{line}", path]))
    except FileNotFoundError:
        click.echo(f"schemy: cannot run the editor '{editor}'; the definition is at {path}:{line}", err=True)
        sys.exit(1)


def description_field(desc: str, width: int = 78) -> str:
    """``description: TEXT`` filled to WIDTH columns, continuation lines prefixed with
    ``+ `` as in recutils (the layout of `guix system search`)."""
    import textwrap

    lines = textwrap.wrap("description: " + " ".join(desc.split()), width)
    return "\n+ ".join(lines)


def _field_lines(interp: Any, t: Any, module: tuple[str, ...]) -> list[str]:
    """Fields of the service type's configuration record, when its module defines NAME-fields."""
    import textwrap

    from schemy.lang.datum import Symbol, list_to_python, make_list, to_str
    from schemy.runtime.records import Record, record_ref

    default = record_ref(t, Symbol("default-value"))
    candidates = []
    if isinstance(default, Record):
        candidates.append(default.rtd.display_name() + "-fields")
    candidates.append(_name_of(t) + "-configuration-fields")
    mod = interp.resolve_module(make_list([Symbol(p) for p in module]))
    for cand in candidates:
        try:
            flds = mod.value(cand)
        except KeyError:
            continue
        lines = []
        for f in list_to_python(flds):
            name = record_ref(f, Symbol("name")).name
            ftype = record_ref(f, Symbol("type"))
            doc = to_str(record_ref(f, Symbol("documentation")))
            head = f"{name} ({ftype.name if isinstance(ftype, Symbol) else ftype}): "
            wrapped = textwrap.wrap(head + " ".join(doc.split()), 76, subsequent_indent="    ")
            lines += ["+ " + w for w in wrapped]
        return ["fields:"] + lines
    return []


# ---------------------------------------------------------------- check
# (the work is in schemy.cli.check, click-free: a plain `schemy system check FILE` runs without click)


def check_options(fn: Any) -> Any:
    """FILE and the budget options of a sandboxed check (``system check``, ``home check``)."""
    for option in reversed([
            click.argument("file", type=click.Path(dir_okay=False)),
            click.option("--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
                         metavar="SECONDS", help="Stop the evaluation after this long."),
            click.option("--memory-limit", type=click.FloatRange(min=1), default=1024.0, show_default=True,
                         metavar="MB", help="Stop the evaluation once it has used this much more memory."),
            load_path_option(guix_order=True),
            click.pass_obj]):
        fn = option(fn)
    return fn


@system.command()
@check_options
def check(ctx: Context, file: str, time_limit: float, memory_limit: float) -> None:
    """Check FILE without building or running anything.

    FILE is evaluated and its services folded in a sandbox that writes nothing,
    reads only what every user may read, and gets a time and memory budget;
    every problem found (unknown requirements, bad /etc names, bad accounts...)
    is reported as FILE:LINE:COL: error: ..., and the exit status is 1 if any.
    Warnings (e.g. two virtual machines forwarding the same host port) are
    reported too but do not change the exit status.
    """
    from schemy.cli.check import check as check_verb

    check_verb(ctx, file, time_limit, memory_limit)


def _add_view() -> None:
    from schemy.cli.view import view

    system.add_command(view, name="view")


_add_view()


# ---------------------------------------------------------------- views and containers


def _view_of(root: Path) -> dict:
    """The running view of ``root``'s services, or a user error saying how to get one."""
    from schemy.lang.errors import scheme_error
    from schemy.shepherd import namespace

    info = namespace.read_view(root)
    if info is None:
        raise scheme_error(f"no service manager runs in a view for root {root}",
                           hint=f"start one with `schemy reconfigure FILE --root {root}`")
    if shutil.which("nsenter") is None:
        raise scheme_error("entering a view needs the `nsenter` program, which is not installed",
                           hint="install it (Debian package: util-linux)")
    return info


def _in_view_command(info: dict, command: tuple[str, ...] | list[str]) -> list[str]:
    from schemy.shepherd import namespace

    shell = os.environ.get("SHELL") or "/bin/sh"
    return [*namespace.enter_command(info), "--wd=/", *(list(command) or [shell])]


@system.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@root_option
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@click.pass_obj
def shell(ctx: Context, root: str | None, command: tuple[str, ...]) -> None:
    """Open a shell, or run COMMAND, in the view the root's services have.

    There /etc is the current generation's (its accounts, /etc/libvirt...) and /run,
    /var/lib, /var/log and /tmp are the root's own; the network is the services' one.

    \b
    Examples:
      schemy system shell --root demo-root
      schemy system shell --root demo-root -- stat -c %G /run/libvirt/libvirt-sock
    """

    def action() -> list[str]:
        r = state_root(root or ctx.root)
        return _in_view_command(_view_of(r.root), command)

    cmd = report_errors(ctx, action)
    env = dict(os.environ, SCHEMY_VIEW=str(state_root(root or ctx.root).root))
    try:
        sys.exit(subprocess.call(cmd, env=env))
    except FileNotFoundError as e:
        click.echo(f"schemy: cannot run {e.filename}", err=True)
        sys.exit(127)


@system.command(context_settings={"ignore_unknown_options": True})
@click.argument("file", type=click.Path(dir_okay=False))
@network_option
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@load_path_option(guix_order=True)
@click.pass_obj
def container(ctx: Context, file: str, network: str, command: tuple[str, ...]) -> None:
    """Run FILE's system in a throwaway root and view until Ctrl-C (or COMMAND ends).

    The system is built in a fresh temporary state root, switched to, activated and
    its services started in their own view (like `guix system container`, with the
    host's programs); how to reach it is printed.  On exit every service and the
    service manager are stopped and the root is deleted.  With `-- COMMAND...`,
    COMMAND runs inside the view and its exit status is the container's.

    \b
    Examples:
      schemy system container examples/libvirt.scm
      schemy system container examples/libvirt.scm --network=private -- virsh -c qemu:///system uri
    """
    import tempfile

    from schemy.system.generations import StateRoot
    from schemy.system.reconfigure import reconfigure

    tmp = Path(tempfile.mkdtemp(prefix="schemy-container-")).resolve()
    code = 1
    try:
        def action() -> int:
            from schemy.cli.progress import terminal_progress

            interp = ctx.interpreter()
            with terminal_progress() as say:
                outcome = interp.run_protected(
                    lambda: reconfigure(interp, file, StateRoot(tmp / "root"), say=say, network=network))
            return outcome.code

        code = report_errors(ctx, action) or 0
        r = tmp / "root"
        me = "schemy"
        click.echo(f"\nThe container runs in {r} ({network} network).  Reach it with:\n"
                   f"  {me} system shell --root {r}\n"
                   f"  {me} herd --root {r} status")
        if command:
            info = _view_of(r)
            code = subprocess.call(_in_view_command(info, command),
                                   env=dict(os.environ, SCHEMY_VIEW=str(r)))
        else:
            click.echo("Press Ctrl-C to stop it and delete it.")
            import signal

            signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        code = 130
    finally:
        _destroy_container(tmp)
    sys.exit(code)


def _destroy_container(tmp: Path) -> None:
    """Stop the container's services and manager, then delete its root."""
    from schemy.shepherd import herd

    r = tmp / "root"
    client = herd.Client(r)
    if client.alive():
        try:
            client.stop_root()
        except (herd.HerdError, OSError) as e:
            click.echo(f"schemy: stopping the container: {e}", err=True)

    def writable(fn: Any, path: str, _exc: Any) -> None:
        os.chmod(os.path.dirname(path), 0o755)
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, 0o755)
            shutil.rmtree(path, onerror=writable)
        else:
            os.unlink(path)

    shutil.rmtree(tmp, onerror=writable)
    click.echo(f"container stopped; {tmp} deleted")

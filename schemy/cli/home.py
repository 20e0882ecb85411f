"""``schemy home ...``: Guix Home environments (like ``guix home``)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from schemy.cli.main import Context, load_path_option, report_errors
from schemy.cli.system import check_options, root_option, state_root


@click.group()
def home() -> None:
    """Build and run Guix Home environments (like `guix home`).

    \b
    Examples:
      schemy home check home.scm                  report every problem, build nothing
      schemy home build home.scm                  build, print the generation's store path
      schemy home build home.scm --home DIR       also link its files from DIR, as from $HOME
      schemy home reconfigure home.scm            switch to it and run its services
      schemy home herd status                     the home's services (like herd)
      schemy home list-generations                the home generations switched to
      schemy home roll-back                       back to the previous one
    """


@home.command()
@check_options
def check(ctx: Context, file: str, time_limit: float, memory_limit: float) -> None:
    """Check FILE's home environment without building or running anything.

    The same check as `schemy system check` (which takes a home-environment too):
    evaluated in a sandbox, every problem reported as FILE:LINE:COL: error: ...,
    exit status 1 if any.
    """
    from schemy.cli.check import check as check_verb

    check_verb(ctx, file, time_limit, memory_limit)


@home.command()
@click.argument("file", type=click.Path(dir_okay=False))
@root_option
@click.option("--home", "home_dir", metavar="DIR", default=None,
              help="Link the generation's files (.bashrc, .config/...) from DIR, as activation "
                   "does from $HOME (default: ROOT/home).")
@load_path_option(guix_order=True)
@click.pass_obj
def build(ctx: Context, file: str, root: str | None, home_dir: str | None) -> None:
    """Build FILE's home environment and print its store path.

    The generation is realized in the store of the state root, and its files are linked
    from ROOT/home (or --home DIR); the real home directory is never touched.
    """
    from schemy.guix.store import Store
    from schemy.system.home import build_home, install_home

    def action() -> None:
        from schemy.cli.progress import terminal_progress

        interp = ctx.interpreter()
        r = state_root(root or ctx.root)
        r.ensure()
        store = Store(r.store_dir)
        with r.lock(), terminal_progress():
            built = interp.run_protected(lambda: build_home(interp, file, store))
            target = Path(home_dir) if home_dir else r.root / "home"
            install_home(built, store, target)
        click.echo(built.path)

    report_errors(ctx, action)


def home_option(fn: Any) -> Any:
    return click.option("--home", "home_dir", metavar="DIR", default=None,
                        help="The home directory: its files are linked from DIR and its services "
                             "get HOME=DIR (default: ROOT/home; never the real one unless asked).")(fn)


@home.command()
@click.argument("file", type=click.Path(dir_okay=False))
@root_option
@home_option
@click.option("--no-services", is_flag=True, help="Switch and link the files, but start or stop no service.")
@load_path_option(guix_order=True)
@click.pass_obj
def reconfigure(ctx: Context, file: str, root: str | None, home_dir: str | None, no_services: bool) -> None:
    """Build FILE's home environment, switch to it and run its services.

    The home becomes a new home generation (ROOT/home-state/profiles), its files
    are linked from ROOT/home (or --home DIR), and the services of
    home-shepherd-service-type run under the home's own service manager, as
    you, with HOME set to that directory: new ones are started, removed ones
    stopped, changed ones restarted.  A failed build changes nothing.  Exit
    status 3 means the switch happened but some services failed to start.
    `schemy home herd` controls them.
    """
    from schemy.system.home import reconfigure_home

    def action() -> int:
        from schemy.cli.progress import terminal_progress

        interp = ctx.interpreter()
        r = state_root(root or ctx.root)
        target = Path(home_dir) if home_dir else None
        with terminal_progress() as say:
            outcome = interp.run_protected(
                lambda: reconfigure_home(interp, file, r, target, say=say, start_services=not no_services))
        return outcome.code

    sys.exit(report_errors(ctx, action) or 0)


def _switch(ctx: Context, root: str | None, number: int | None) -> None:
    from schemy.system.home import switch_home_generation

    def action() -> int:
        r = state_root(root or ctx.root)
        gen, code = switch_home_generation(r, number, say=click.echo)
        click.echo(f"switched to home generation {gen.number}")
        return code

    sys.exit(report_errors(ctx, action) or 0)


@home.command(name="roll-back")
@root_option
@click.pass_obj
def roll_back(ctx: Context, root: str | None) -> None:
    """Switch to the previous home generation.

    Its files are linked back and, when the home's service manager runs, its
    services are upgraded to those of that generation."""
    _switch(ctx, root, None)


@home.command(name="switch-generation")
@click.argument("number", type=int)
@root_option
@click.pass_obj
def switch_generation(ctx: Context, number: int, root: str | None) -> None:
    """Switch to home generation NUMBER (files and running services, as roll-back)."""
    _switch(ctx, root, number)


@home.command(name="list-generations")
@root_option
@click.pass_obj
def list_generations(ctx: Context, root: str | None) -> None:
    """List the home generations, marking the current one."""
    from schemy.system.home import HomeState

    def action() -> None:
        state = HomeState(state_root(root or ctx.root))
        current = state.current()
        gens = state.generations()
        if not gens:
            click.echo(f"no home generation in {state.dir}")
            return
        for g in gens:
            mark = "  (current)" if current and g.number == current.number else ""
            if g.broken:
                mark += "  (broken: its store item is missing)"
            when = time.strftime("%b %d %Y %H:%M:%S", time.localtime(g.created))
            click.echo(f"Generation {g.number}\t{when}{mark}")
            _describe(g)
            click.echo("")

    report_errors(ctx, action)


def _describe(g: Any) -> None:
    meta = g.metadata
    click.echo(f"  file name: {g.item or 'missing'}")
    if meta.get("config"):
        click.echo(f"  configuration file: {meta['config']}")
    if meta.get("home"):
        click.echo(f"  home directory: {meta['home']}")
    names = [s["provision"][0] for s in meta.get("shepherd", []) if s.get("provision")]
    click.echo(f"  services: {', '.join(sorted(names)) if names else '(none)'}")


@home.command()
@root_option
@click.pass_obj
def describe(ctx: Context, root: str | None) -> None:
    """Describe the current home generation."""
    from schemy.system.home import HomeState

    def action() -> None:
        state = HomeState(state_root(root or ctx.root))
        g = state.current()
        if g is None:
            click.echo(f"no current home generation in {state.dir}")
            return
        click.echo(f"Generation {g.number}" + ("  (broken: its store item is missing)" if g.broken else ""))
        _describe(g)

    report_errors(ctx, action)


def _add_herd() -> None:
    """``schemy home herd VERB ...``: schemy herd's verbs, for the home's service manager."""
    from schemy.cli import herd as herd_cli

    @click.group(name="herd", cls=herd_cli.HerdGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--root", "root", metavar="DIR", default=None,
                  help="State root (default: $SCHEMY_ROOT, else $XDG_STATE_HOME/schemy).")
    @click.pass_context
    def home_herd(click_ctx: click.Context, root: str | None) -> None:
        """Control the home's running services (like herd for a user's Shepherd).

        \b
        schemy home herd status [SERVICE]      schemy home herd start|stop|restart SERVICE
        schemy home herd log SERVICE           schemy home herd stop root
        """
        from schemy.system.home import HomeState

        shared = click_ctx.find_object(Context)
        r = state_root(root or (shared.root if shared is not None else None))
        click_ctx.meta[herd_cli._META_KEY] = HomeState(r).dir
        click_ctx.meta[herd_cli.NOT_RUNNING_HINT] = ("schemy: no service manager is running for this home "
                                                     "(run `schemy home reconfigure FILE` first)")

    for name, command in herd_cli.herd.commands.items():
        home_herd.add_command(command, name)
    home.add_command(home_herd)


_add_herd()

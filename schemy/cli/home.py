"""``schemy home ...``: Guix Home environments (like ``guix home``)."""

from __future__ import annotations

from pathlib import Path

import click

from schemy.cli.main import Context, load_path_option, report_errors
from schemy.cli.system import root_option, state_root


@click.group()
def home() -> None:
    """Build Guix Home environments (like `guix home`).

    \b
    Examples:
      schemy home build home.scm                  build, print the generation's store path
      schemy home build home.scm --home DIR       also link its files from DIR, as from $HOME
    """


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

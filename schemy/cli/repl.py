"""``schemy repl [FILE]``: the interactive prompt (see schemy/repl/).

The lead attaches it to the main group with ``main.add_command(repl)``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from schemy.cli.main import Context, load_path_option


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--history", "history", type=click.Path(dir_okay=False), metavar="FILE",
              help="Keep the input history in FILE (default: $XDG_STATE_HOME/schemy/repl-history).")
@load_path_option()
@click.pass_obj
def repl(ctx: Context, file: str | None, history: str | None) -> None:
    """Start an interactive Scheme REPL.

    With FILE (e.g. a config.scm), load it first and continue in its module.

    Values are numbered $1, $2... as in Guile; `,help' lists the meta-commands.
    When standard input is not a terminal, the datums it holds are evaluated
    and their values printed, without prompts.
    """
    from schemy.repl.session import Repl, run_piped
    from schemy.repl.terminal import make_session, run_interactive

    interp = ctx.interpreter([file] if file else ["schemy"])
    session = Repl(interp, debug=ctx.debug)
    if file:
        session.load_config(file)
    if sys.stdin.isatty() and sys.stdout.isatty():
        code = run_interactive(session, make_session(session, Path(history) if history else None))
    else:
        code = run_piped(session, sys.stdin)
    sys.stdout.flush()
    if code:
        sys.exit(code)

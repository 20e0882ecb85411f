"""``schemy deploy FILE``: the machines a deployment file lists, over OpenSSH (like ``guix deploy``)."""

from __future__ import annotations

import shlex
import sys

import click

from schemy.cli.main import Context, load_path_option, report_errors


@click.command(name="deploy", context_settings={"allow_interspersed_args": True})
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
@click.option("--root", "root", metavar="DIR", default=None,
              help="State root on the targets (default: each target's $SCHEMY_ROOT, else "
                   "$XDG_STATE_HOME/schemy there).")
@click.option("-x", "--execute", "execute", is_flag=True,
              help="Run COMMAND (the arguments after FILE, e.g. -x -- uname -a) on every machine.")
@click.option("--dry-run", "-n", is_flag=True, help="Show per machine what would change; change nothing.")
@click.option("-r", "--roll-back", "roll_back", is_flag=True, help="Roll every machine back to its previous "
              "generation.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Machines deployed at the same time.")
@load_path_option(guix_order=True)
@click.pass_obj
def deploy(ctx: Context, file: str, command: tuple[str, ...], root: str | None, execute: bool,
           dry_run: bool, roll_back: bool, jobs: int) -> None:
    """Deploy the machines that FILE evaluates to (a list of `machine' records).

    Each machine's system is built here, for the target's store, and the store
    items it lacks are sent over ssh (checked on arrival); the target only switches
    to it.  With build-locally? #f, the configuration and the local files it reads
    are sent instead and the target's own `schemy reconfigure' builds it.  A target
    without schemy gets this schemy installed.  Host keys are checked (host-key
    field, else known_hosts).

    \b
    Examples:
      schemy deploy machines.scm                 deploy every machine
      schemy deploy machines.scm --dry-run       what would change where
      schemy deploy machines.scm --roll-back     previous generation everywhere
      schemy deploy machines.scm -x -- uname -a  run a command on every machine

    Exit status: 0 when every machine succeeded, 1 when any failed.
    """
    from schemy.deploy.deploy import Options
    from schemy.deploy.deploy import deploy as run_deploy

    if command and not execute:
        raise click.UsageError(f"unexpected argument {command[0]!r} (to run a command on every machine: -x -- CMD)")
    if execute and not command:
        raise click.UsageError("-x/--execute needs a command: schemy deploy FILE -x -- CMD ARGS...")
    if sum((execute, dry_run, roll_back)) > 1:
        raise click.UsageError("--execute, --dry-run and --roll-back exclude each other")
    cmd = None
    if execute:
        cmd = command[0] if len(command) == 1 else shlex.join(command)
    options = Options(root=root or ctx.root, dry_run=dry_run, roll_back=roll_back, execute=cmd, jobs=jobs)

    def action() -> int:
        import os

        from schemy.lang.errors import scheme_error

        if not os.path.isfile(file):
            raise scheme_error(f"{file}: no such deployment file")
        interp = ctx.interpreter()
        reports = interp.run_protected(lambda: run_deploy(interp, file, options, say=click.echo))
        click.echo("")
        for report in reports:
            click.echo(report.summary())
        failed = [r for r in reports if not r.ok]
        if failed:
            click.echo(f"{len(failed)} of {len(reports)} machine(s) failed", err=True)
            return 1
        return 0

    sys.exit(report_errors(ctx, action) or 0)

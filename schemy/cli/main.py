"""The ``schemy`` command line: one click function per verb.

Exit codes: 0 success, 1 a user error (reported as ``FILE:LINE:COL: error:``),
2 a usage error (click's own), 3 a reconfigure whose services failed to start.
Python tracebacks appear only with ``--debug``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from schemy.lang.resources import VERSION as __version__


class Context:
    """Options shared by every verb."""

    def __init__(self, load_path: list[str], debug: bool) -> None:
        self.load_path = load_path
        self.debug = debug

    def interpreter(self, args: list[str] | None = None) -> Any:
        from schemy.app import Interpreter

        return Interpreter(load_path=self.load_path, args=args)


def report_errors(ctx: Context, action: Callable[[], Any]) -> Any:
    """Run ``action``; print Scheme errors the way Guile does and exit with the right code."""
    from schemy.lang.errors import SchemeError, SchemeExit, render_backtrace, render_error

    try:
        return action()
    except SchemeExit as e:
        sys.stdout.flush()
        sys.exit(e.code)
    except SchemeError as e:
        sys.stdout.flush()
        if ctx.debug:
            click.echo(render_backtrace(e), err=True)
        click.echo(render_error(e), err=True)
        if ctx.debug:
            import traceback

            # The Python side of the error: where schemy raised it, and its cause if any.
            traceback.print_exception(e, file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("schemy: interrupted", err=True)
        sys.exit(130)
    except click.ClickException:
        raise
    except Exception as e:  # noqa: BLE001 - a bug in schemy: no traceback unless --debug
        sys.stdout.flush()
        if ctx.debug:
            raise
        from schemy.lang.errors import cap

        click.echo(f"schemy: internal error: {type(e).__name__}: {cap(str(e))}", err=True)
        click.echo("hint: run again with --debug for the Python traceback, and report it", err=True)
        sys.exit(1)


class LazyGroup(click.Group):
    """Imports each verb's module only when that verb runs (click's documented lazy-loading idiom),
    so ``schemy eval`` does not pay for the service manager or the REPL."""

    lazy_commands = {
        "system": ("schemy.cli.system", "system"),
        "reconfigure": ("schemy.cli.system", "reconfigure_cmd"),
        "gc": ("schemy.cli.system", "gc"),
        "herd": ("schemy.cli.herd", "herd"),
        "repl": ("schemy.cli.repl", "repl"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.available()))

    def available(self) -> list[str]:
        import importlib.util

        return [name for name, (mod, _) in self.lazy_commands.items() if importlib.util.find_spec(mod)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy_commands and name not in self.commands:
            import importlib

            module_name, attr = self.lazy_commands[name]
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                return None
            return getattr(module, attr)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="schemy")
@click.option("-L", "--load-path", "load_path", multiple=True, metavar="DIR",
              help="Add DIR to the front of the module load path (repeatable).")
@click.option("--debug", is_flag=True, help="Show Scheme backtraces and Python tracebacks on errors.")
@click.pass_context
def main(click_ctx: click.Context, load_path: tuple[str, ...], debug: bool) -> None:
    """Run Guix-style system configurations (config.scm) on any Linux host.

    \b
    Examples:
      schemy system build config.scm     build a system, print its store path
      schemy reconfigure config.scm      switch to it and upgrade its services
      schemy herd status                 show the services and their state
      schemy system search libvirt       find service types and their docs
      schemy repl config.scm             explore a configuration
      schemy run script.scm ARG...       run a Scheme script
      schemy eval -e '(+ 1 2)'           evaluate expressions

    Every verb has --help.  Exit status: 0 on success, 1 on an error (reported as
    FILE:LINE:COL: error: ...), 2 on a command-line usage error.

    \b
    Shell completion (bash; zsh and fish likewise):
      eval "$(_SCHEMY_COMPLETE=bash_source schemy)"
    """
    click_ctx.obj = Context(list(load_path), debug)


def sandbox_option(fn: Any) -> Any:
    return click.option("--sandbox", is_flag=True,
                        help="Forbid file writes, processes, network and environment reads.")(fn)


def maybe_sandbox(enabled: bool) -> None:
    if enabled:
        from schemy.runtime import sandbox

        sandbox.enable()


@main.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@sandbox_option
@click.pass_obj
def run(ctx: Context, file: str, args: tuple[str, ...], sandbox: bool) -> None:
    """Run the Scheme script FILE with ARGS.

    In the script, (command-line) is the list FILE ARGS...; (exit N) ends it with
    exit status N.  Everything after FILE is passed to the script, options too.
    """
    import os

    from schemy.lang.errors import scheme_error

    maybe_sandbox(sandbox)

    def action() -> None:
        if not os.path.isfile(file):
            raise scheme_error(f"{file}: no such file")
        interp = ctx.interpreter([file, *args])
        interp.run_protected(lambda: interp.load_file(file))

    report_errors(ctx, action)


@main.command(name="eval")
@click.option("-e", "--expr", "exprs", multiple=True, required=True, metavar="EXPR",
              help="An expression to evaluate (repeatable); each value is printed with `write`.")
@sandbox_option
@click.pass_obj
def eval_(ctx: Context, exprs: tuple[str, ...], sandbox: bool) -> None:
    """Evaluate expressions and print their values.

    Each EXPR (there may be several -e) is evaluated in turn in the same
    environment; its values are printed with `write', one per line, unless
    unspecified.

    \b
    Example:
      schemy eval -e '(use-modules (gnu services))' -e '(service-type? 1)'
    """
    from schemy.lang.datum import UNSPECIFIED, Values
    from schemy.lang.printer import write_string

    maybe_sandbox(sandbox)

    def action() -> None:
        interp = ctx.interpreter(["schemy"])
        for i, text in enumerate(exprs):
            value = interp.eval_string(text, f"<expr {i + 1}>" if len(exprs) > 1 else "<expr>")
            values = list(value) if isinstance(value, Values) else [value]
            for v in values:
                if v is not UNSPECIFIED:
                    click.echo(write_string(v))

    report_errors(ctx, action)


if __name__ == "__main__":  # pragma: no cover
    main()

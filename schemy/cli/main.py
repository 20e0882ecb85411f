"""The ``schemy`` command line: one click function per verb.

Exit codes: 0 success, 1 a user error (reported as ``FILE:LINE:COL: error:``),
2 a usage error (click's own), 3 a reconfigure whose services failed to start.
Python tracebacks appear only with ``--debug``.
"""

from __future__ import annotations

from typing import Any

import click

# Context and report_errors live in schemy.cli.common, shared with the click-free entry point
# (schemy.cli.launch); the verbs' modules import them from here.
from schemy.cli.common import Context, global_options_first, report_errors  # noqa: F401
from schemy.lang.resources import VERSION as __version__


class LazyGroup(click.Group):
    """Imports each verb's module only when that verb runs (click's documented lazy-loading idiom),
    so ``schemy eval`` does not pay for the service manager or the REPL."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, global_options_first(list(args)))

    lazy_commands = {
        "system": ("schemy.cli.system", "system"),
        "reconfigure": ("schemy.cli.system", "reconfigure_cmd"),
        "gc": ("schemy.cli.system", "gc"),
        "home": ("schemy.cli.home", "home"),
        "herd": ("schemy.cli.herd", "herd"),
        "repl": ("schemy.cli.repl", "repl"),
        "deploy": ("schemy.cli.deploy", "deploy"),
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
@click.option("--debug", is_flag=True, help="Show Scheme backtraces and Python tracebacks on errors "
              "(accepted anywhere on the command line).")
@click.option("--root", "root", metavar="DIR", default=None,
              help="State root for the verbs that use one (accepted anywhere; default: $SCHEMY_ROOT, "
                   "else $XDG_STATE_HOME/schemy).")
@click.pass_context
def main(click_ctx: click.Context, load_path: tuple[str, ...], debug: bool, root: str | None) -> None:
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
    import os

    click_ctx.obj = Context([os.path.abspath(d) for d in load_path], debug, root)


def load_path_option(guix_order: bool = False) -> Any:
    """``-L DIR`` / ``--load-path=DIR`` on a verb (repeatable): DIR is searched for modules
    before everything else, including schemy's own library and the package catalogue.

    With ``guix_order`` (the ``system`` verbs, as ``guix system -L``), each DIR is put in
    front in turn, so the last one given is searched first; otherwise (``eval``, ``run``,
    ``repl``, as ``guile -L``) they are searched in the order given."""

    def remember(click_ctx: click.Context, _param: Any, values: tuple[str, ...]) -> None:
        import os

        if not values:
            return
        ctx = click_ctx.find_object(Context)
        dirs = [os.path.abspath(v) for v in values]
        if guix_order:
            dirs.reverse()
        if ctx is not None:
            ctx.load_path[:0] = [d for d in dirs if d not in ctx.load_path]

    def decorate(fn: Any) -> Any:
        return click.option("-L", "--load-path", "load_path", multiple=True, metavar="DIR", expose_value=False,
                            callback=remember,
                            help="Search DIR for modules (your own channel's) before schemy's library "
                                 "(repeatable" + ("; the last one given first, as guix -L)." if guix_order
                                                  else ", in the order given, as guile -L).") )(fn)

    return decorate


def sandbox_option(fn: Any) -> Any:
    return click.option("--sandbox", is_flag=True,
                        help="Forbid file writes, processes, network and environment reads.")(fn)


def maybe_sandbox(enabled: bool) -> None:
    if enabled:
        from schemy.cli.common import enable_sandbox

        enable_sandbox()


@main.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@sandbox_option
@load_path_option()
@click.pass_obj
def run(ctx: Context, file: str, args: tuple[str, ...], sandbox: bool) -> None:
    """Run the Scheme script FILE with ARGS.

    In the script, (command-line) is the list FILE ARGS...; (exit N) ends it with
    exit status N.  Everything after FILE is passed to the script, options too.
    """
    from schemy.cli.common import run_script

    maybe_sandbox(sandbox)
    run_script(ctx, file, args)


@main.command(name="eval")
@click.option("-e", "--expr", "exprs", multiple=True, required=True, metavar="EXPR",
              help="An expression to evaluate (repeatable); each value is printed with `write`.")
@sandbox_option
@load_path_option()
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
    from schemy.cli.common import evaluate

    evaluate(ctx, exprs, sandbox)


if __name__ == "__main__":  # pragma: no cover
    main()

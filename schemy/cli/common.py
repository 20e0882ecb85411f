"""What every verb of the command line shares, without click: the options every verb sees
(``Context``, ``global_options_first``), the way errors are reported (``report_errors``) and
``schemy eval``'s work (``evaluate``).  ``schemy eval -e EXPR`` and ``schemy system build FILE``
run without importing click at all (schemy.cli.quick), so nothing here may need it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def _say(text: str) -> None:
    """A line on standard error (what ``click.echo(text, err=True)`` does)."""
    err = sys.stderr
    if err is None:
        return
    err.write(text + "\n")
    err.flush()


def echo(text: str, err: bool = False) -> None:
    """A line on standard output (or error), flushed: what ``click.echo`` does with a str."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    stream.write(text + "\n")
    stream.flush()


# Options whose next token is a value, so that a value that looks like an option is left alone.
_VALUE_OPTIONS = {"-L", "--load-path", "-e", "--expr", "-n"}


def global_options_first(args: list[str]) -> list[str]:
    """Accept ``--debug`` and ``--root DIR`` wherever a user puts them (``schemy --root r herd
    status``, ``schemy system build c.scm --debug``): they are moved before the verb, where the
    main group reads them.  Nothing after ``--`` moves, nor anything after ``run FILE`` (those
    are the script's own arguments)."""
    front: list[str] = []
    rest: list[str] = []
    verb: str | None = None
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest.extend(args[i:])
            break
        if a == "--debug":
            front.append(a)
        elif a == "--root" and i + 1 < len(args):
            front += [a, args[i + 1]]
            i += 1
        elif a.startswith("--root="):
            front.append(a)
        elif a in _VALUE_OPTIONS and i + 1 < len(args):
            rest += [a, args[i + 1]]
            i += 1
        else:
            rest.append(a)
            if not a.startswith("-"):
                if verb is None:
                    verb = a
                elif verb == "run":  # the script: everything after it is its own
                    rest.extend(args[i + 1:])
                    break
        i += 1
    return front + rest


class Context:
    """Options shared by every verb."""

    def __init__(self, load_path: list[str], debug: bool, root: str | None = None) -> None:
        self.load_path = load_path
        self.debug = debug
        self.root = root  # --root given anywhere on the command line (see global_options_first)

    def interpreter(self, args: list[str] | None = None) -> Any:
        from schemy.app import Interpreter

        return Interpreter(load_path=self.load_path, args=args)


def report_errors(ctx: Context, action: Callable[[], Any]) -> Any:
    """Run ``action``; print Scheme errors the way Guile does and exit with the right code."""
    from schemy.lang.errors import SchemeError, SchemeExit, render_backtrace, render_error

    try:
        return action()
    except BrokenPipeError:
        _quit_on_broken_stdout()
        raise
    except SchemeExit as e:
        sys.stdout.flush()
        sys.exit(e.code)
    except SchemeError as e:
        if _is_broken_pipe(e):
            _quit_on_broken_stdout()
        sys.stdout.flush()
        if ctx.debug:
            _say(render_backtrace(e))
        _say(render_error(e))
        if ctx.debug:
            import traceback

            # The Python side of the error: where schemy raised it, and its cause if any.
            traceback.print_exception(e, file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        _say("schemy: interrupted")
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - a bug in schemy: no traceback unless --debug
        if _is_usage_error(e):  # the command-line parser reports it
            raise
        sys.stdout.flush()
        if ctx.debug:
            raise
        from schemy.lang.errors import cap

        _say(f"schemy: internal error: {type(e).__name__}: {cap(str(e))}")
        _say("hint: run again with --debug for the Python traceback, and report it")
        sys.exit(1)


def _is_broken_pipe(e: Any) -> bool:
    import errno

    fields = getattr(getattr(e, "payload", None), "fields", None) or {}
    return fields.get("errno") == errno.EPIPE or isinstance(e.__cause__, BrokenPipeError)


def _quit_on_broken_stdout() -> None:
    """The reader of our output went away (``schemy ... | head -1``): stop quietly with the
    status a shell reports for a Unix tool killed by SIGPIPE, as the tool itself would."""
    import os
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        events = dict(poller.poll(0)).get(sys.stdout.fileno(), 0)
    except (OSError, ValueError):
        return
    if not events & select.POLLERR:
        return  # stdout is fine: the broken pipe is the program's own business
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os._exit(141)


def cache_dirs() -> list[str]:
    """schemy's own caches (private; entries verified when loaded, byte code read by Python
    itself): a sandboxed run may read them."""
    from schemy.cli import bytecode
    from schemy.compile import code_cache, read_cache
    from schemy.eval import module_cache

    dirs = [str(d) for d in (code_cache.cache_dir(), read_cache.cache_dir(), module_cache.cache_dir())
            if d is not None]
    return dirs + bytecode.INSTALLED


def enable_sandbox() -> None:
    """Turn the sandbox on for the rest of the process (``--sandbox``), letting it read
    schemy's caches: modules imported later come from them."""
    from schemy.runtime import sandbox

    for directory in cache_dirs():
        sandbox.allow_read_tree(directory)
    sandbox.enable()


def _is_usage_error(e: BaseException) -> bool:
    """Whether ``e`` is one of click's exceptions (there is none without click)."""
    click = sys.modules.get("click")
    return click is not None and isinstance(e, click.ClickException)


def run_script(ctx: Context, file: str, args: list[str] | tuple[str, ...]) -> None:
    """``schemy run FILE ARGS...``: load FILE as a script whose (command-line) is FILE ARGS...
    (the click verb and the quick path both run this)."""
    import os

    from schemy.lang.errors import scheme_error

    def action() -> None:
        if not os.path.isfile(file):
            raise scheme_error(f"{file}: no such file")
        interp = ctx.interpreter([file, *args])
        interp.run_protected(lambda: interp.load_file(file))

    report_errors(ctx, action)


def evaluate(ctx: Context, exprs: list[str] | tuple[str, ...], sandbox: bool) -> None:
    """``schemy eval``: evaluate each expression in turn in one interpreter and write each of
    its values (but an unspecified one) on a line of its own."""
    from schemy.lang.datum import UNSPECIFIED, Values
    from schemy.lang.printer import write_string

    if sandbox:
        enable_sandbox()

    def action() -> None:
        interp = ctx.interpreter(["schemy"])
        for i, text in enumerate(exprs):
            value = interp.eval_string(text, f"<expr {i + 1}>" if len(exprs) > 1 else "<expr>")
            values = list(value) if isinstance(value, Values) else [value]
            for v in values:
                if v is not UNSPECIFIED:
                    sys.stdout.write(write_string(v) + "\n")
                    sys.stdout.flush()

    report_errors(ctx, action)

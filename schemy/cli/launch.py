"""The ``schemy`` command's entry point.

Most verbs go to the click command line (schemy.cli.main).  Importing click costs about as
much as starting Python itself, so the plainest ``schemy eval -e EXPR [-e EXPR...]`` (nothing
but ``-e``/``--expr`` and their values) is run directly, by the same code the ``eval`` verb
runs (schemy.cli.common.evaluate): a quick check such as ``schemy eval -e 1`` starts in
about twice the time of ``python -c 'import schemy'``.  Anything else — another option,
``--help``, a value that looks like an option — goes through click, which parses and reports
usage errors as it always does.
"""

from __future__ import annotations

import errno
import os
import sys


def plain_eval_exprs(args: list[str]) -> list[str] | None:
    """The expressions of ``eval -e X [-e Y]...`` when ``args`` is exactly that, else None."""
    if len(args) < 3 or args[0] != "eval" or len(args) % 2 == 0:
        return None
    exprs = []
    for option, value in zip(args[1::2], args[2::2]):
        if option not in ("-e", "--expr") or value.startswith("-"):
            return None
        exprs.append(value)
    return exprs


def main() -> None:
    """Run the command line given in ``sys.argv``."""
    try:
        _run()
    finally:
        _skip_final_collection()


def _skip_final_collection() -> None:
    """Spare the process the garbage collector's last full pass over every object it ever
    made (the whole Scheme library a build loaded: 10-20 % of a quick command's time).  The
    objects are handed to the system with the process, as they would be anyway; ``atexit``
    handlers (which flush Scheme's file ports) still run, and so does everything freed by
    reference counting."""
    import gc

    gc.disable()
    gc.freeze()


def _run() -> None:
    exprs = plain_eval_exprs(sys.argv[1:])
    if exprs is None:
        from schemy.cli.main import main as command_line

        command_line(prog_name="schemy")
        return
    from schemy.cli.common import Context, evaluate

    try:
        evaluate(Context([], False), exprs, sandbox=False)
        sys.stdout.flush()
    except OSError as e:  # the reader went away: exit as click does then
        if e.errno != errno.EPIPE:
            raise
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more is written
        sys.exit(1)
    sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    main()

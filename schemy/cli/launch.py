"""The ``schemy`` command's entry point.

Most verbs go to the click command line (schemy.cli.main).  Importing click costs about as
much as starting Python itself, so the plainest ``schemy eval -e EXPR [-e EXPR...]`` and
``schemy system build|check FILE [--root DIR]`` are run directly (schemy.cli.quick), by the same
code the click verbs run.  Anything else goes through click, which parses and reports usage
errors as it always does.
"""

from __future__ import annotations

import errno
import os
import sys

from schemy.cli.quick import plain_eval_exprs, plain_system_command  # noqa: F401 - the quick paths' parsers


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
    from schemy.cli.quick import run_plain

    try:
        if not run_plain(sys.argv[1:]):
            from schemy.cli.main import main as command_line

            command_line(prog_name="schemy")
            return
        sys.stdout.flush()
    except OSError as e:  # the reader went away: exit as click does then
        if e.errno != errno.EPIPE:
            raise
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more is written
        sys.exit(1)
    except (EOFError, KeyboardInterrupt):  # outside of a verb's own handling: as click reports it
        sys.stderr.write("\nAborted!\n")
        sys.exit(1)
    sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    main()

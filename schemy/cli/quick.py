"""The verbs a user runs most, without click: ``schemy system build FILE`` and ``schemy system
check FILE`` (with ``--root DIR`` and ``--debug`` anywhere), ``schemy eval -e EXPR...`` and
``schemy run FILE ARGS...``.

Importing click and building its command tree costs about as much as starting Python itself
(~15 ms of a 0.2 s warm build), so schemy.cli.launch runs these plain command lines here, by
the same code the click verbs run (``evaluate``, ``build``, schemy.cli.check's ``check``).
Anything else — another option, ``--help``, a value that looks like an option, a FILE that is a directory (click's usage
error), host mode (which may prompt) — goes through click, which parses and reports as it
always does.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from schemy.cli.common import Context, echo, global_options_first, report_errors


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


def plain_run_command(args: list[str]) -> tuple[str, list[str]] | None:
    """(FILE, ARGS) when ``args`` is ``run FILE ARGS...`` with no option before FILE (everything
    after FILE is the script's, as for the click verb), else None."""
    if len(args) < 2 or args[0] != "run":
        return None
    file = args[1]
    if not file or file.startswith("-") or os.path.isdir(file):
        return None
    return file, args[2:]


def plain_system_command(args: list[str]) -> tuple[str, str, str | None, bool] | None:
    """(verb, FILE, root, debug) when ``args`` is ``system build FILE`` or ``system check FILE``
    with nothing but ``--root DIR`` / ``--root=DIR`` and ``--debug`` around it (where the click
    CLI accepts them), else None."""
    if any(a == "--" or a in ("-h", "--help") for a in args):
        return None
    moved = global_options_first(list(args))
    root: str | None = None
    debug = False
    i = 0
    while i < len(moved) and moved[i].startswith("-"):
        a = moved[i]
        if a == "--debug":
            debug = True
        elif a == "--root" and i + 1 < len(moved):
            root = moved[i + 1]
            i += 1
        elif a.startswith("--root="):
            root = a[len("--root="):]
        else:
            return None
        if root is not None and (not root or root.startswith("-")):
            return None
        i += 1
    rest = moved[i:]
    if len(rest) != 3 or rest[0] != "system" or rest[1] not in ("build", "check"):
        return None
    file = rest[2]
    if not file or file.startswith("-") or os.path.isdir(file):
        return None
    if root is not None:
        from schemy.system.host import is_host_root

        if is_host_root(root):
            return None
    return rest[1], file, root, debug


def plain_state_root(root: str | None) -> Any:
    """The state root of a verb that is not in host mode: DIR, else $SCHEMY_ROOT or the
    default (never the machine itself unless asked for explicitly)."""
    from schemy.lang.errors import scheme_error
    from schemy.system.generations import StateRoot, default_root
    from schemy.system.host import is_host_root

    if root is None and is_host_root(default_root()):
        raise scheme_error("$SCHEMY_ROOT is /: host mode is never implied", kind="system-error",
                           hint="pass --host (or --root /) to act on this machine itself")
    return StateRoot(root if root else default_root())


def build(ctx: Context, file: str, state_root: Callable[[], Any]) -> None:
    """``schemy system build FILE``: build FILE's system in ``state_root()`` and print its store
    path (the click verb and the quick path both run this)."""
    from schemy.system.reconfigure import build_only

    def action() -> None:
        from schemy.cli.progress import terminal_progress

        interp = ctx.interpreter()
        r = state_root()
        with terminal_progress():
            built = interp.run_protected(lambda: build_only(interp, file, r))
        echo(built.path)

    report_errors(ctx, action)


def run_plain(argv: list[str]) -> bool:
    """Run ``argv`` here if it is one of the plain command lines; False to let click run it."""
    if any(k.startswith("_SCHEMY_COMPLETE") for k in os.environ):
        return False  # shell completion is click's
    exprs = plain_eval_exprs(argv)
    if exprs is not None:
        from schemy.cli.common import evaluate

        evaluate(Context([], False), exprs, sandbox=False)
        return True
    script = plain_run_command(argv)
    if script is not None:
        from schemy.cli.common import run_script

        run_script(Context([], False), *script)
        return True
    plain = plain_system_command(argv)
    if plain is None:
        return False
    verb, file, root, debug = plain
    if verb == "build":
        build(Context([], debug, root), file, lambda: plain_state_root(root))
    else:
        from schemy.cli.check import check

        check(Context([], debug, root), file, 60.0, 1024.0)  # the click verb's defaults
    return True


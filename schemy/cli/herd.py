"""``schemy herd``: GNU Shepherd's ``herd`` for a schemy root.

Attach with ``main.add_command(herd)``.  Known verbs are subcommands; any other verb
is a service's custom action (``schemy herd configuration build-vm``).
Exit status: 0 on success, 1 when the request failed or no manager runs for the root.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from schemy.shepherd.herd import (
    Client,
    HerdError,
    default_root,
    format_root_status,
    format_schedule,
    format_service_status,
    format_status,
)

_META_KEY = "schemy.shepherd.herd.root"
NOT_RUNNING_HINT = "schemy.shepherd.herd.not-running"  # what to say when no manager runs (schemy home herd)


def _client(ctx: click.Context) -> Client:
    from schemy.cli.main import Context

    shared = ctx.find_object(Context)
    root = ctx.meta.get(_META_KEY)
    if root is None and shared is not None and shared.root:
        root = Path(shared.root).expanduser().resolve()
    root = root or default_root()
    if os.path.realpath(root) == "/":  # --root /: host mode, whose state root is its own
        from schemy.system.host import HOST_STATE_DIR

        root = HOST_STATE_DIR
    return Client(root)


def _run(ctx: click.Context, op: str, **fields: Any) -> dict[str, Any]:
    from schemy.shepherd.herd import NotRunning

    try:
        return _client(ctx).request(op, **fields)
    except NotRunning as e:
        _fail(ctx.meta.get(NOT_RUNNING_HINT) or str(e))
    except HerdError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"schemy: cannot talk to the service manager: {e}")
    raise AssertionError("unreachable")


def _fail(message: str) -> None:
    if not message.startswith("schemy:"):
        message = "herd: error: " + message.replace("\n", "\nherd: error: ")
    click.echo(message, err=True)
    sys.exit(1)


def _echo_messages(r: dict[str, Any]) -> None:
    for m in r.get("messages") or []:
        click.echo(m)


def _complete_services(ctx: click.Context, incomplete: str) -> list[Any]:
    """Shell completion of a service name: the services of the root's running manager."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(s["name"]) for s in _running_services(ctx) if s["name"].startswith(incomplete)]


def _running_services(ctx: click.Context) -> list[dict[str, Any]]:
    try:
        return sorted(_client(ctx).request("status").get("services", []), key=lambda s: s["name"])
    except Exception:  # noqa: BLE001 - no manager, nothing to complete
        return []


def service_argument(fn: Any = None, *, required: bool = True) -> Any:
    """The SERVICE argument of herd's verbs, completed from the running manager's services."""
    decorator = click.argument("service", required=required,
                               shell_complete=lambda ctx, param, incomplete: _complete_services(ctx, incomplete))
    return decorator(fn) if fn is not None else decorator


class HerdGroup(click.Group):
    """A group whose unknown verbs are custom actions: ``herd ACTION SERVICE [ARG...]``."""

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[Any]:
        """Verbs, then the custom actions of the running services."""
        from click.shell_completion import CompletionItem

        items = super().shell_complete(ctx, incomplete)
        known = {i.value for i in items}
        actions = {a for s in _running_services(ctx) for a in s.get("actions", [])}
        return items + [CompletionItem(a) for a in sorted(actions - known) if a.startswith(incomplete)]

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[Any, Any, list[str]]:
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            return args[0], _action_command(args[0]), args[1:]
        return super().resolve_command(ctx, args)


def _action_command(action: str) -> click.Command:
    @click.pass_context
    def callback(ctx: click.Context, service: str, args: tuple[str, ...]) -> None:
        if action == "schedule" and service == "mcron":
            click.echo(format_schedule(_run(ctx, "schedule")["jobs"]))
            return
        r = _run(ctx, "action", service=service, action=action, args=list(args))
        output = r.get("output") or ""
        if output:
            click.echo(output, nl=not output.endswith("\n"))
        elif r.get("value") not in (None, "", "#t", "#f"):
            click.echo(r["value"])

    return click.Command(action, callback=callback, help=f"Run the custom action '{action}' of SERVICE.",
                         params=[click.Argument(["service"]), click.Argument(["args"], nargs=-1)])


@click.group(cls=HerdGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", "root", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="The system root whose services to manage (default: $SCHEMY_ROOT, "
                   "else $XDG_STATE_HOME/schemy).")
@click.option("--host", is_flag=True, help="The services of the host system (schemy system reconfigure --host).")
@click.pass_context
def herd(ctx: click.Context, root: str | None, host: bool) -> None:
    """Control a system's running services (like herd).

    schemy's equivalent of GNU Shepherd's `herd`.

    \b
    schemy herd status [SERVICE]          schemy herd start|stop|restart SERVICE
    schemy herd enable|disable SERVICE    schemy herd log SERVICE
    schemy herd ACTION SERVICE [ARG...]   schemy herd stop root
    """
    if host:
        root = "/"
    if root is not None:
        ctx.meta[_META_KEY] = Path(root).expanduser().resolve()


@herd.command()
@service_argument(required=False)
@click.option("-n", "lines", type=int, default=10, show_default=True, help="Recent log lines to show.")
@click.option("--all", "show_all", is_flag=True, help="Also list the services the host provides.")
@click.pass_context
def status(ctx: click.Context, service: str | None, lines: int, show_all: bool) -> None:
    """Show all services, or SERVICE in detail.

    What schemy runs comes first; the services the host provides fold into one line
    (--all lists them).  `schemy herd status root` describes the service manager itself."""
    r = _run(ctx, "status", service=service, lines=lines)
    if "services" in r:
        click.echo(format_status(r["services"], show_host=show_all))
    elif "root" in r:
        click.echo(format_root_status(r["root"]))
    else:
        click.echo(format_service_status(r["service"]))


def _simple(verb: str, doc: str) -> None:
    @service_argument
    @click.argument("args", nargs=-1)
    @click.pass_context
    def command(ctx: click.Context, service: str, args: tuple[str, ...]) -> None:
        _echo_messages(_run(ctx, verb, service=service, args=list(args)))

    command.__doc__ = doc
    herd.command(name=verb)(command)


_simple("start", "Start SERVICE (and, first, what it requires).")
_simple("restart", "Restart SERVICE and the running services that depend on it.")
_simple("enable", "Allow SERVICE to be started (and respawned) again.")
_simple("disable", "Prevent SERVICE from being started or respawned.")


@herd.command()
@service_argument
@click.argument("args", nargs=-1)
@click.pass_context
def stop(ctx: click.Context, service: str, args: tuple[str, ...]) -> None:
    """Stop SERVICE and the services that depend on it.

    `schemy herd stop root` stops every service and the manager itself."""
    if service == "root":
        from schemy.shepherd.herd import NotRunning

        try:
            r = _client(ctx).stop_root()
        except NotRunning as e:
            _fail(ctx.meta.get(NOT_RUNNING_HINT) or str(e))
            return
        except HerdError as e:
            _fail(str(e))
            return
        _echo_messages(r)
        return
    _echo_messages(_run(ctx, "stop", service=service, args=list(args)))


@herd.command()
@service_argument
@click.option("-n", "lines", type=int, default=50, show_default=True, help="How many lines.")
@click.option("-f", "--follow", is_flag=True, help="Keep printing lines as they are written (Ctrl-C stops).")
@click.pass_context
def log(ctx: click.Context, service: str, lines: int, follow: bool) -> None:
    """Show the last lines of SERVICE's log."""
    r = _run(ctx, "log", service=service, lines=lines)
    for line in r["lines"]:
        click.echo(line)
    if follow and r.get("file"):
        _follow(Path(r["file"]))


def _follow(path: Path, poll: float = 0.2) -> None:
    """Print what is appended to ``path`` until interrupted, like ``tail -f`` (a log that is
    replaced or truncated is followed from its new start)."""
    import time

    try:
        f = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115 - reopened on rotation
    except OSError:
        f = None
    if f is not None:
        f.seek(0, 2)
    try:
        while True:
            line = f.readline() if f is not None else ""
            if line:
                click.echo(line, nl=False)
                continue
            time.sleep(poll)
            try:
                st = path.stat()
            except OSError:
                continue
            if f is None or st.st_ino != os.fstat(f.fileno()).st_ino or st.st_size < f.tell():
                if f is not None:
                    f.close()
                f = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
    except KeyboardInterrupt:
        pass
    finally:
        if f is not None:
            f.close()


# The actions every service has, as the Shepherd lists them.
STANDARD_ACTIONS = ["start", "stop", "restart", "status", "enable", "disable", "doc"]


@herd.command()
@service_argument
@click.argument("what", nargs=-1)
@click.pass_context
def doc(ctx: click.Context, service: str, what: tuple[str, ...]) -> None:
    """Show SERVICE's documentation and custom actions.

    \b
    schemy herd doc SERVICE                  its documentation and custom actions
    schemy herd doc SERVICE list-actions     the names of its actions
    schemy herd doc SERVICE action ACTION    the documentation of one action"""
    r = _run(ctx, "doc", service=service)
    actions = {name: text for name, text in r["actions"]}
    if what == ("list-actions",):
        click.echo(f"{r['name']} ({' '.join(STANDARD_ACTIONS + sorted(actions))})")
    elif len(what) == 2 and what[0] == "action":
        if what[1] in actions:
            click.echo(actions[what[1]] or f"Action {what[1]} of {r['name']} has no documentation.")
        elif what[1] in STANDARD_ACTIONS:
            click.echo(f"The standard '{what[1]}' action of every service.")
        else:
            _fail(f"service '{r['name']}' does not have an action '{what[1]}'")
    elif what:
        _fail(f"doc: unknown request '{' '.join(what)}' (try list-actions, or action ACTION)")
    else:
        click.echo(r["documentation"] or f"Service {r['name']} has no documentation.")
        for name, text in actions.items():
            click.echo(f"  {name}: {text}" if text else f"  {name}")



@herd.command()
@click.argument("service")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def load(ctx: click.Context, service: str, file: str) -> None:
    """Add the services of a config FILE (`load root FILE`).

    The new services that are marked auto-start are started."""
    if service != "root":
        _fail(f"service '{service}' does not have an action 'load'")
    r = _run(ctx, "load", path=str(Path(file).resolve()))
    _echo_messages(r)
    for name in r.get("failed", []):
        click.echo(f"herd: error: service {name} failed to start", err=True)
    if r.get("failed"):
        sys.exit(1)

"""``schemy herd``: GNU Shepherd's ``herd`` for a schemy root.

Attach with ``main.add_command(herd)``.  Known verbs are subcommands; any other verb
is a service's custom action (``schemy herd configuration build-vm``).
Exit status: 0 on success, 1 when the request failed or no manager runs for the root.
"""

from __future__ import annotations

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


def _client(ctx: click.Context) -> Client:
    from schemy.cli.main import Context

    shared = ctx.find_object(Context)
    root = ctx.meta.get(_META_KEY)
    if root is None and shared is not None and shared.root:
        root = Path(shared.root).expanduser().resolve()
    root = root or default_root()
    return Client(root)


def _run(ctx: click.Context, op: str, **fields: Any) -> dict[str, Any]:
    try:
        return _client(ctx).request(op, **fields)
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


class HerdGroup(click.Group):
    """A group whose unknown verbs are custom actions: ``herd ACTION SERVICE [ARG...]``."""

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
@click.pass_context
def herd(ctx: click.Context, root: str | None) -> None:
    """Control a system's running services (like herd).

    schemy's equivalent of GNU Shepherd's `herd`.

    \b
    schemy herd status [SERVICE]          schemy herd start|stop|restart SERVICE
    schemy herd enable|disable SERVICE    schemy herd log SERVICE
    schemy herd ACTION SERVICE [ARG...]   schemy herd stop root
    """
    if root is not None:
        ctx.meta[_META_KEY] = Path(root).expanduser().resolve()


@herd.command()
@click.argument("service", required=False)
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
    @click.argument("service")
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
@click.argument("service")
@click.argument("args", nargs=-1)
@click.pass_context
def stop(ctx: click.Context, service: str, args: tuple[str, ...]) -> None:
    """Stop SERVICE and the services that depend on it.

    `schemy herd stop root` stops every service and the manager itself."""
    if service == "root":
        try:
            r = _client(ctx).stop_root()
        except HerdError as e:
            _fail(str(e))
            return
        _echo_messages(r)
        return
    _echo_messages(_run(ctx, "stop", service=service, args=list(args)))


@herd.command()
@click.argument("service")
@click.option("-n", "lines", type=int, default=50, show_default=True, help="How many lines.")
@click.pass_context
def log(ctx: click.Context, service: str, lines: int) -> None:
    """Show the last lines of SERVICE's log."""
    r = _run(ctx, "log", service=service, lines=lines)
    for line in r["lines"]:
        click.echo(line)


@herd.command()
@click.argument("service")
@click.pass_context
def doc(ctx: click.Context, service: str) -> None:
    """Show SERVICE's documentation and custom actions."""
    r = _run(ctx, "doc", service=service)
    click.echo(r["documentation"] or f"Service {r['name']} has no documentation.")
    for name, text in r["actions"]:
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

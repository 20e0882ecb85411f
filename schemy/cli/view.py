"""``schemy system view FILE``: the system's graphs as a local web page.

The page lays out the service extension graph and the shepherd service graph itself (no
Graphviz needed); each service is clickable to its configuration's fields, and when a service
manager runs for the state root, the shepherd graph shows what is running.  The server listens
on the loopback interface only.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Any

import click

from schemy.cli.main import Context, report_errors

PAGE = Path(__file__).with_name("view.html")


def render_page(model: dict[str, Any], title: str, status_url: str = "") -> str:
    """The self-contained page for ``model`` (see schemy.system.graph)."""
    data = json.dumps(model, sort_keys=True).replace("</", "<\\/")
    return (PAGE.read_text(encoding="utf-8").replace("__TITLE__", html.escape(title))
            .replace("__STATUS_URL__", status_url).replace("__MODEL__", data))


def _model(ctx: Context, file: str) -> tuple[dict[str, Any], str]:
    from schemy.lang.datum import Symbol, to_str
    from schemy.runtime.records import record_ref
    from schemy.system.build import fold_config
    from schemy.system.graph import graph_model

    interp = ctx.interpreter()

    def work() -> tuple[dict[str, Any], str]:
        os_record, all_services, values = fold_config(interp, file)
        host = record_ref(os_record, Symbol("host-name"))
        return graph_model(all_services, values), to_str(host) if host is not False else file

    return interp.run_protected(work)


def _status_source(ctx: Context, root: str | None) -> Any:
    """A client of the root's running service manager, or None."""
    from schemy.shepherd.herd import Client, default_root

    chosen = root or ctx.root
    client = Client(Path(chosen).expanduser().resolve() if chosen else default_root())
    return client if client.alive() else None


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--port", type=int, default=0, show_default=True, help="Port on 127.0.0.1 (0: any free one).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the page to this file instead of serving it.")
@click.option("--root", "root", metavar="DIR", default=None,
              help="Show the status of this state root's running services.")
@click.pass_obj
def view(ctx: Context, file: str, port: int, output: str | None, root: str | None) -> None:
    """Show FILE's service graphs in a web page served on 127.0.0.1.

    Services are laid out by what they extend (and shepherd services by what they
    require); click one to see its configuration.  With a running service manager
    for the state root, the shepherd graph shows each service's status.

    \b
    Examples:
      schemy system view config.scm            serve it, print the address
      schemy system view config.scm -o g.html  write the page to a file
    """
    model, title = report_errors(ctx, lambda: _model(ctx, file))
    if output is not None:
        Path(output).write_text(render_page(model, title), encoding="utf-8")
        return
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # ~10 ms: only for serving

    client = _status_source(ctx, root)
    page = render_page(model, title, "/status.json" if client is not None else "").encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            if self.path.split("?")[0] in ("/", "/index.html"):
                self._send(200, "text/html; charset=utf-8", page)
            elif self.path == "/status.json" and client is not None:
                try:
                    body = json.dumps(client.request("status")).encode()
                except Exception as e:  # noqa: BLE001 - the manager may have stopped
                    body = json.dumps({"error": str(e)}).encode()
                self._send(200, "application/json", body)
            else:
                self._send(404, "text/plain", b"not found\n")

        def _send(self, code: int, kind: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    click.echo(f"Serving the graphs of {file} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

"""(web client) and (web response): HTTP requests as Guile's modules make them, against a
local server (no network needed); `system check`'s sandbox refuses them clearly."""

from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from schemy.app import Interpreter
from schemy.lang.datum import to_str


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/key.pub":
            body, kind = b"(public-key (ecc (curve Ed25519)))\n", "text/plain; charset=utf-8"
        elif self.path == "/blob":
            body, kind = bytes([0, 1, 2, 255]), "application/octet-stream"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        data = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(201)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"got " + data + b" as " + self.headers["X-Kind"].encode())

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def ev():
    i = Interpreter()
    i.eval_string("(use-modules (web client) (web response) (rnrs bytevectors))")
    return lambda text: i.eval_string(text)


def test_http_get_gives_the_response_and_the_decoded_text(ev, server):
    ev(f'(define-values (r body) (http-get "{server}/key.pub"))')
    assert ev("(response-code r)") == 200
    assert to_str(ev("body")) == "(public-key (ecc (curve Ed25519)))\n"
    assert to_str(ev("(symbol->string (car (response-content-type r)))")) == "text/plain"
    assert to_str(ev("(assq-ref (cdr (response-content-type r)) 'charset)")) == "utf-8"


def test_a_binary_body_is_a_bytevector(ev, server):
    ev(f'(define-values (r2 blob) (http-get "{server}/blob"))')
    assert ev("(bytevector? blob)") is True
    assert ev("(equal? (bytevector->u8-list blob) '(0 1 2 255))") is True


def test_streaming_and_read_response_body(ev, server):
    """The idiom of configurations that fetch a signing key as they are evaluated."""
    text = ev(f'(utf8->string (read-response-body (http-request "{server}/key.pub" #:streaming? #t)))')
    assert to_str(text).startswith("(public-key")


def test_post_with_headers(ev, server):
    ev(f'(define-values (r3 reply) (http-post "{server}/x" #:body "data" '
       "#:headers '((x-kind . \"note\"))))")
    assert ev("(response-code r3)") == 201
    assert to_str(ev("reply")) == "got data as note"


def test_a_missing_page_is_a_response_not_an_error(ev, server):
    assert ev(f'(response-code (http-get "{server}/nope"))') == 404


def test_system_check_refuses_the_network_clearly(tmp_path, server):
    config = tmp_path / "fetch.scm"
    config.write_text(f'(use-modules (gnu) (web client))\n(define key (http-get "{server}/key.pub"))\n')
    done = subprocess.run([sys.executable, "-m", "schemy", "system", "check", str(config)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert "sandbox: network access is not allowed" in done.stderr
    assert "Traceback" not in done.stderr

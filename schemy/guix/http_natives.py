"""``(schemy http)``: the one HTTP GET of JSON that (guix ci) needs to ask a Cuirass server
which builds and evaluations it has.  The data come back as guile-json gives them: objects
as alists with string keys, arrays as vectors, null as the symbol ``null``.  A server that
cannot be reached (no network, the check sandbox) raises an error the caller may catch, as
Guix's ``http-fetch`` does."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from schemy.lang.datum import Symbol, make_list, make_pair, to_str
from schemy.lang.errors import scheme_error


def _scheme(value: Any) -> Any:
    if isinstance(value, dict):
        return make_list([make_pair(k, _scheme(v)) for k, v in value.items()])
    if isinstance(value, list):
        return [_scheme(v) for v in value]
    if value is None:
        return Symbol("null")
    return value


def _http_url(url: Any, who: str, kind: str) -> str:
    """URL's text, which must name an http(s) resource (no file: or other scheme)."""
    text = to_str(url)
    if not text.startswith(("http://", "https://")):
        raise scheme_error(f"{who}: {text}: not an http(s) URL", kind=kind)
    return text


def json_fetch(url: Any, timeout: Any = 20) -> Any:
    """The JSON document at URL, as Scheme data."""
    text = _http_url(url, "http-fetch", "http-fetch-error")
    try:
        with urllib.request.urlopen(text, timeout=float(timeout)) as response:  # noqa: S310 - http(s) only
            return _scheme(json.load(response))
    except Exception as e:  # noqa: BLE001 - any failure is the fetch's
        raise scheme_error(f"http-fetch: {text}: {e}", kind="http-fetch-error") from None


def http_request(method: Any, url: Any, headers: Any = None, body: Any = False, timeout: Any = 60) -> list:
    """One HTTP(S) exchange for (web client): [code, reason, headers, body] with the headers
    as ((NAME . VALUE) ...), NAME a lower-case symbol and VALUE the text sent.  A sandbox
    violation (``system check``) passes through as itself."""
    from schemy.lang.datum import Pair
    from schemy.lang.errors import SchemeError

    text = _http_url(url, "http-request", "bad-request")
    sent: dict[str, str] = {}
    x = headers
    while isinstance(x, Pair):
        name, value = x.car.car, x.car.cdr
        sent[name.name if isinstance(name, Symbol) else to_str(name)] = \
            value.name if isinstance(value, Symbol) else to_str(value) if not isinstance(value, int) else str(value)
        x = x.cdr
    data = None if body is False or body is None else (
        to_str(body).encode() if not isinstance(body, (bytes, bytearray)) else bytes(body))
    request = urllib.request.Request(text, data=data, headers=sent, method=to_str(
        method.name if isinstance(method, Symbol) else method))
    try:
        with urllib.request.urlopen(request, timeout=float(timeout)) as response:  # noqa: S310 - http(s) only
            code, reason, got, payload = response.status, response.reason, response.getheaders(), response.read()
    except urllib.error.HTTPError as e:  # an answer all the same: the caller looks at its code
        code, reason, got, payload = e.code, e.reason, list(e.headers.items()), e.read()
    except SchemeError:
        raise
    except Exception as e:  # noqa: BLE001 - any other failure is the request's
        raise scheme_error(f"http-request: {text}: {e}", kind="system-error") from None
    fields = make_list([make_pair(Symbol(k.lower()), v) for k, v in got])
    return [code, reason or "", fields, bytearray(payload)]


PRIMITIVES: dict[str, Any] = {"json-fetch": json_fetch, "%http-request": http_request}

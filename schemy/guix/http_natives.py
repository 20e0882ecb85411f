"""``(schemy http)``: the one HTTP GET of JSON that (guix ci) needs to ask a Cuirass server
which builds and evaluations it has.  The data come back as guile-json gives them: objects
as alists with string keys, arrays as vectors, null as the symbol ``null``.  A server that
cannot be reached (no network, the check sandbox) raises an error the caller may catch, as
Guix's ``http-fetch`` does."""

from __future__ import annotations

import json
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


def json_fetch(url: Any, timeout: Any = 20) -> Any:
    """The JSON document at URL, as Scheme data."""
    text = to_str(url)
    if not text.startswith(("http://", "https://")):
        raise scheme_error(f"http-fetch: {text}: not an http(s) URL", kind="http-fetch-error")
    try:
        with urllib.request.urlopen(text, timeout=float(timeout)) as response:  # noqa: S310 - http(s) only
            return _scheme(json.load(response))
    except Exception as e:  # noqa: BLE001 - any failure is the fetch's
        raise scheme_error(f"http-fetch: {text}: {e}", kind="http-fetch-error") from None


PRIMITIVES: dict[str, Any] = {"json-fetch": json_fetch}

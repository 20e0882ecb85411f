"""``cond-expand`` feature requirements (SRFI-0 / R7RS)."""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import Pair, Symbol, list_to_python
from schemy.lang.syntax import identifier_symbol, is_identifier, strip


def feature_matches(req: Any, interp: Any) -> bool:
    req = strip(req)
    if is_identifier(req):
        return identifier_symbol(req).name in interp.features
    if req.__class__ is Pair and isinstance(req.car, Symbol):
        op = req.car.name
        args = list_to_python(req.cdr)
        if op == "and":
            return all(feature_matches(a, interp) for a in args)
        if op == "or":
            return any(feature_matches(a, interp) for a in args)
        if op == "not":
            return not feature_matches(args[0], interp)
        if op == "library":
            try:
                interp.resolve_module(args[0])
                return True
            except Exception:  # noqa: BLE001 - a missing library is just "not available"
                return False
    return False
